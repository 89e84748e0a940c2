package dev.avatars.job;

import java.time.Instant;

/**
 * What one run of a job did, so far or in the end ({@code finished}). {@code claimed} counts the items it took;
 * each of them ended {@code ready}, {@code failed} or {@code retried} (put back for a later run), or was
 * overtaken (for avatars: by a newer upload). {@code failed} also counts items given up on without claiming them,
 * whose earlier runners all died. {@code removedFiles} and {@code removedBytes} count what a clean-up removed.
 * {@code error} is set when the run itself could not finish.
 */
public record RunReport(long id, String job, Trigger trigger, String host, Instant startedAt, Instant finishedAt,
		boolean finished, int claimed, int ready, int failed, int retried, long removedFiles, long removedBytes,
		Long durationMs, String error) {

	/** The CLI's one-line summary. */
	String summary() {
		String removed = (this.removedFiles > 0 || this.removedBytes > 0) ? String.format(java.util.Locale.ROOT,
				" removed=%d files (%d bytes)", this.removedFiles, this.removedBytes) : "";
		return String.format(java.util.Locale.ROOT, "claimed=%d ready=%d failed=%d retried=%d%s duration=%.1fs",
				this.claimed, this.ready, this.failed, this.retried, removed,
				(this.durationMs != null) ? this.durationMs / 1000.0 : 0.0);
	}

}
