package dev.avatars.avatar;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.avatars.job.JobEngine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The backlog as metrics ({@code avatars.backlog.size}, {@code avatars.backlog.oldest.age}) and as the
 * {@code backlog} health component, with the age of the last completed run. Health stays UP: a backlog is work to
 * do, not an outage; alerting on the age belongs in monitoring.
 */
@Component("backlog")
class BacklogMonitoring implements HealthIndicator {

	private final AvatarRepository queue;

	private final JobEngine engine;

	BacklogMonitoring(AvatarRepository queue, JobEngine engine, MeterRegistry meters) {
		this.queue = queue;
		this.engine = engine;
		Gauge.builder("avatars.backlog.size", queue, (q) -> q.backlog().size())
			.description("Avatars waiting for (or in) processing")
			.register(meters);
		Gauge.builder("avatars.backlog.oldest.age", queue, (q) -> ageSeconds(q.backlog().oldestUploadedAt()))
			.description("Seconds since the oldest waiting avatar was uploaded")
			.baseUnit("seconds")
			.register(meters);
	}

	@Override
	public Health health() {
		AvatarRepository.Backlog backlog = this.queue.backlog();
		Optional<Instant> lastRun = this.engine.lastCompleted(ThumbnailJob.NAME);
		return Health.up()
			.withDetail("pending", backlog.size())
			.withDetail("oldestPendingAgeSeconds", (long) ageSeconds(backlog.oldestUploadedAt()))
			.withDetail("lastCompletedRunAt", lastRun.map(Instant::toString).orElse("never"))
			.withDetail("lastCompletedRunAgeSeconds", lastRun.map((time) -> (long) ageSeconds(time)).orElse(-1L))
			.build();
	}

	private static double ageSeconds(Instant since) {
		return (since != null) ? Math.max(0, Duration.between(since, Instant.now()).toSeconds()) : 0;
	}

}
