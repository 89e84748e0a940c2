package dev.avatars.job;

import java.time.Duration;
import java.time.Instant;

import dev.avatars.ApiTestSupport;
import dev.avatars.TestImages;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

class CatchUpTests extends ApiTestSupport {

	@Autowired
	ThumbnailJob job;

	@Autowired
	JobRunStore runs;

	@Autowired
	AvatarWorkQueue queue;

	private ScheduledThumbnailRun hourly() {
		ProcessingProperties hourly = new ProcessingProperties("0 0 * * * *", "", 1, 10, 3, Duration.ofMinutes(1),
				Duration.ofMinutes(5), Duration.ofSeconds(5));
		return new ScheduledThumbnailRun(this.job, this.runs, this.queue, hourly, Runnable::run);
	}

	@Test
	void aStartWithWaitingAvatarsAndNoRecentRunRunsOnceAtOnce() throws Exception {
		long id = createUser("waiting");
		uploadOk(id, TestImages.jpeg(64, 64));

		hourly().catchUpIfAScheduledRunWasMissed();

		assertThat(avatarStatus(id)).isEqualTo("READY");
		assertThat(this.runs.recent(1)).singleElement().satisfies((run) -> {
			assertThat(run.trigger()).isEqualTo(Trigger.STARTUP);
			assertThat(run.ready()).isEqualTo(1);
		});
	}

	@Test
	void noCatchUpWhenARunCompletedWithinThePeriodOrNothingWaits() throws Exception {
		hourly().catchUpIfAScheduledRunWasMissed();
		assertThat(this.runs.recent(10)).as("nothing waits").isEmpty();

		this.job.runOnce(Trigger.SCHEDULE);
		long id = createUser("late");
		uploadOk(id, TestImages.jpeg(64, 64));
		hourly().catchUpIfAScheduledRunWasMissed();
		assertThat(avatarStatus(id)).as("the last run is recent").isEqualTo("PENDING");

		this.jdbc.sql("UPDATE job_runs SET finished_at = CURRENT_TIMESTAMP - INTERVAL '2' HOUR").update();
		hourly().catchUpIfAScheduledRunWasMissed();
		assertThat(avatarStatus(id)).as("the last run is older than the period").isEqualTo("READY");
	}

	@Test
	void thePeriodIsTheGapBetweenTwoFireTimes() {
		assertThat(hourly().period(Instant.parse("2026-01-01T10:15:00Z"))).isEqualTo(Duration.ofHours(1));
	}

}
