package dev.avatars.job;

import java.time.Instant;

/**
 * What one run of the thumbnail job did. {@code claimed} counts the avatars it took; each of them ended
 * {@code ready}, {@code failed} or {@code retried} (put back for a later run), or was overtaken by a newer upload.
 * {@code failed} also counts the avatars it gave up on without claiming them, whose earlier runners all died.
 * {@code error} is set when the run itself could not finish.
 */
public record RunReport(long id, Trigger trigger, String host, Instant startedAt, Instant finishedAt, int claimed,
		int ready, int failed, int retried, Long durationMs, String error) {

	/** The CLI's one-line summary. */
	String summary() {
		return String.format(java.util.Locale.ROOT, "claimed=%d ready=%d failed=%d retried=%d duration=%.1fs",
				this.claimed, this.ready, this.failed, this.retried,
				(this.durationMs != null) ? this.durationMs / 1000.0 : 0.0);
	}

}
