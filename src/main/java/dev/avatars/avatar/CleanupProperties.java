package dev.avatars.avatar;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param cron the clean-up's in-app schedule (Spring cron with seconds); {@code -} turns it off
 * @param grace how long a file must have been unreferenced (unchanged) before it goes: an upload or a thumbnail
 * run that has written a file but not yet committed its row is safe
 * @param incomingGrace how old a temporary file of an upload or a thumbnail write must be to count as abandoned
 * @param failedRetention how long the original of a FAILED avatar is kept
 * @param keepOriginals whether the originals of READY avatars are kept (a later crop change can redo them)
 */
@ConfigurationProperties("avatars.cleanup")
record CleanupProperties(String cron, Duration grace, Duration incomingGrace, Duration failedRetention,
		boolean keepOriginals) {
}
