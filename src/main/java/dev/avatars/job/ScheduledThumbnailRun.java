package dev.avatars.job;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * Trigger 1: the in-app schedule ({@code avatars.processing.cron}, {@code -} for off). Spring computes the next
 * fire time only after a run returns, so a run never overlaps the next one. Like anacron, a start-up after a
 * missed run (the app was down when it should have fired) runs once at once.
 */
@Component
@Profile("!cli")
class ScheduledThumbnailRun {

	private static final Logger log = LoggerFactory.getLogger(ScheduledThumbnailRun.class);

	private final ThumbnailJob job;

	private final JobRunStore runs;

	private final AvatarWorkQueue queue;

	private final ProcessingProperties properties;

	private final TaskExecutor executor;

	ScheduledThumbnailRun(ThumbnailJob job, JobRunStore runs, AvatarWorkQueue queue, ProcessingProperties properties,
			@Qualifier("applicationTaskExecutor") TaskExecutor applicationTaskExecutor) {
		this.job = job;
		this.runs = runs;
		this.queue = queue;
		this.properties = properties;
		this.executor = applicationTaskExecutor;
	}

	@Scheduled(cron = "${avatars.processing.cron}", zone = "${avatars.processing.zone}")
	void run() {
		this.job.runOnce(Trigger.SCHEDULE);
	}

	@EventListener(ApplicationReadyEvent.class)
	void catchUpIfAScheduledRunWasMissed() {
		if (!this.properties.scheduled()) {
			return;
		}
		long backlog = this.queue.backlog().size();
		if (backlog == 0) {
			return;
		}
		Optional<Instant> last = this.runs.lastCompleted();
		Duration period = period(Instant.now());
		if (last.isPresent() && last.get().isAfter(Instant.now().minus(period))) {
			return;
		}
		log.info("Catching up: {} avatars are waiting and {} (the schedule runs every {}); running once now",
				backlog, last.map((time) -> "the last completed run ended at " + time).orElse("no run has completed yet"),
				period);
		this.executor.execute(() -> this.job.runOnce(Trigger.STARTUP));
	}

	/** The gap between the schedule's next two fire times. */
	Duration period(Instant now) {
		ZoneId zone = this.properties.zone().isBlank() ? ZoneId.systemDefault() : ZoneId.of(this.properties.zone());
		CronExpression cron = CronExpression.parse(this.properties.cron());
		ZonedDateTime next = cron.next(now.atZone(zone));
		ZonedDateTime after = cron.next(next);
		return Duration.between(next, after);
	}

}
