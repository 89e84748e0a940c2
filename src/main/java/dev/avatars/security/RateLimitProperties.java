package dev.avatars.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How many uploads a user may make, and how many failed sign-ins a username or a client address may have, per
 * window; {@code 0} turns a limit off.
 */
@ConfigurationProperties("avatars.rate-limit")
record RateLimitProperties(int uploads, Duration uploadWindow, int failedSignIns, Duration signInWindow) {

	RateLimitProperties {
		if (uploads < 0 || failedSignIns < 0) {
			throw new IllegalArgumentException("avatars.rate-limit.* counts must be 0 (off) or more");
		}
		if (uploadWindow == null || uploadWindow.isNegative() || uploadWindow.isZero() || signInWindow == null
				|| signInWindow.isNegative() || signInWindow.isZero()) {
			throw new IllegalArgumentException("avatars.rate-limit.*-window must be a positive duration");
		}
	}

}
