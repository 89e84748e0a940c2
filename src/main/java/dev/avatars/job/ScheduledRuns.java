package dev.avatars.job;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * Trigger 1: the in-app schedules of the thumbnail job ({@code avatars.processing.cron}, {@code -} for off) and the
 * clean-up. Spring computes the next fire time only after a run returns, so a run never overlaps the next one.
 * Like anacron, a start-up after a missed thumbnail run (the app was down when it should have fired) runs once at
 * once.
 */
@Component
@Profile("!cli")
class ScheduledRuns {

	private static final Logger log = LoggerFactory.getLogger(ScheduledRuns.class);

	static final String THUMBNAILS = "thumbnails";

	static final String CLEANUP = "cleanup";

	private final JobEngine engine;

	private final ProcessingProperties properties;

	ScheduledRuns(JobEngine engine, ProcessingProperties properties) {
		this.engine = engine;
		this.properties = properties;
	}

	@Scheduled(cron = "${avatars.processing.cron}", zone = "${avatars.processing.zone}")
	void thumbnails() {
		this.engine.runOnce(THUMBNAILS, Trigger.SCHEDULE);
	}

	/** The clean-up's schedule ({@code avatars.cleanup.cron}, {@code -} for off), in the same time zone. */
	@Scheduled(cron = "${avatars.cleanup.cron}", zone = "${avatars.processing.zone}")
	void cleanup() {
		this.engine.runOnce(CLEANUP, Trigger.SCHEDULE);
	}

	@EventListener(ApplicationReadyEvent.class)
	void catchUpIfAScheduledRunWasMissed() {
		if (!this.properties.scheduled()) {
			return;
		}
		long backlog = this.engine.job(THUMBNAILS).orElseThrow().backlog();
		if (backlog == 0) {
			return;
		}
		Optional<Instant> last = this.engine.lastCompleted(THUMBNAILS);
		Duration period = period(Instant.now());
		if (last.isPresent() && last.get().isAfter(Instant.now().minus(period))) {
			return;
		}
		log.info("Catching up: {} avatars are waiting and {} (the schedule runs every {}); running once now",
				backlog, last.map((time) -> "the last completed run ended at " + time).orElse("no run has completed yet"),
				period);
		this.engine.start(THUMBNAILS, Trigger.STARTUP, Integer.MAX_VALUE);
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
