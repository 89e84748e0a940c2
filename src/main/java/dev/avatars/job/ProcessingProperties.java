package dev.avatars.job;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param cron the thumbnail job's in-app schedule (Spring cron with seconds); {@code -} turns it off
 * @param zone the schedule's time zone; empty for the server's
 * @param onUpload whether an upload asks this process to make its thumbnails at once; off for web instances
 * that should leave image work to others
 * @param workers tasks run at once, by all jobs together; 0 for one per CPU core
 * @param batchSize most items claimed by one statement; a run claims no more than its free workers
 * @param maxAttempts tries before a transient error becomes FAILED
 * @param retryBackoff wait before the first retry, doubled for each further one
 * @param lease how long a claim holds unless renewed; a crashed runner's claims are taken over after it
 * @param shutdownTimeout how long tasks in flight may finish on shutdown
 */
@ConfigurationProperties("avatars.processing")
public record ProcessingProperties(String cron, String zone, boolean onUpload, int workers, int batchSize,
		int maxAttempts, Duration retryBackoff, Duration lease, Duration shutdownTimeout) {

	int effectiveWorkers() {
		return (this.workers > 0) ? this.workers : Runtime.getRuntime().availableProcessors();
	}

	boolean scheduled() {
		return !"-".equals(this.cron);
	}

	/** The wait before the next try, after {@code attempts} tries. */
	public Duration backoff(int attempts) {
		return this.retryBackoff.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 20));
	}

}
