package dev.avatars.job;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param cron the in-app schedule (Spring cron with seconds); {@code -} turns it off
 * @param zone the schedule's time zone; empty for the server's
 * @param workers images processed at once; 0 for one per CPU core
 * @param batchSize most avatars claimed by one statement; a run claims no more than its free workers
 * @param maxAttempts tries before a transient error becomes FAILED
 * @param retryBackoff wait before the first retry, doubled for each further one
 * @param lease how long a claim holds before another runner may take the avatar over
 * @param shutdownTimeout how long in-flight images may finish on shutdown
 */
@ConfigurationProperties("avatars.processing")
record ProcessingProperties(String cron, String zone, int workers, int batchSize, int maxAttempts,
		Duration retryBackoff, Duration lease, Duration shutdownTimeout) {

	int effectiveWorkers() {
		return (this.workers > 0) ? this.workers : Runtime.getRuntime().availableProcessors();
	}

	boolean scheduled() {
		return !"-".equals(this.cron);
	}

	/** The wait before the next try, after {@code attempts} tries. */
	Duration backoff(int attempts) {
		return this.retryBackoff.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 20));
	}

}
