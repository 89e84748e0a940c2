package dev.avatars.avatar;

import java.time.Instant;
import java.util.List;

import dev.avatars.job.JobEngine;
import dev.avatars.job.RunReport;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code cleanup} health component: when the last clean-up ended and what it removed. It stays UP; a
 * clean-up that has not run for days is for monitoring to notice, not an outage.
 */
@Component("cleanup")
class CleanupMonitoring implements HealthIndicator {

	private final JobEngine engine;

	CleanupMonitoring(JobEngine engine) {
		this.engine = engine;
	}

	@Override
	public Health health() {
		List<RunReport> last = this.engine.recentRuns(CleanupJob.NAME, 1);
		Health.Builder health = Health.up()
			.withDetail("lastCompletedRunAt", this.engine.lastCompleted(CleanupJob.NAME).map(Instant::toString).orElse("never"));
		last.stream().filter(RunReport::finished).findFirst().ifPresent((run) -> health
			.withDetail("lastRunRemovedFiles", run.removedFiles())
			.withDetail("lastRunRemovedBytes", run.removedBytes())
			.withDetail("lastRunError", (run.error() != null) ? run.error() : "none"));
		return health.build();
	}

}
