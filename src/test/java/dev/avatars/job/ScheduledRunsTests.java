package dev.avatars.job;

import java.time.Duration;
import java.time.Instant;

import dev.avatars.ApiTestSupport;
import dev.avatars.TestImages;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;

/** Trigger 1, the in-app schedule, and its catch-up at start-up. */
class ScheduledRunsTests extends ApiTestSupport {

	private static final String THUMBNAILS = "thumbnails";

	@Autowired
	JobEngine engine;

	@Autowired
	JobRuns runs;

	@Autowired
	ScheduledRuns schedule;

	private ScheduledRuns hourly() {
		ProcessingProperties hourly = new ProcessingProperties("0 0 * * * *", "", false, 1, 10, 3,
				Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofSeconds(5));
		return new ScheduledRuns(this.engine, hourly);
	}

	@Test
	void theScheduleRunsTheSameEngineAndIsRecorded() throws Exception {
		long id = createUser("scheduled");
		uploadOk(id, TestImages.resource("orientation-6.jpg"));

		this.schedule.thumbnails();

		assertThat(avatarStatus(id)).isEqualTo("READY");
		this.mvc.perform(get("/api/jobs/thumbnails/runs").with(asAdmin()))
			.andExpect(jsonPath("$[0].trigger").value("SCHEDULE"))
			.andExpect(jsonPath("$[0].job").value(THUMBNAILS))
			.andExpect(jsonPath("$[0].finished").value(true))
			.andExpect(jsonPath("$[0].ready").value(1));
	}

	@Test
	void aStartWithWaitingAvatarsAndNoRecentRunRunsOnceAtOnce() throws Exception {
		long id = createUser("waiting");
		uploadOk(id, TestImages.jpeg(64, 64));

		hourly().catchUpIfAScheduledRunWasMissed();

		await().atMost(Duration.ofSeconds(30)).until(() -> "READY".equals(avatarStatus(id)));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.runs.recent(THUMBNAILS, 1).get(0).finished());
		assertThat(this.runs.recent(THUMBNAILS, 1)).singleElement().satisfies((run) -> {
			assertThat(run.trigger()).isEqualTo(Trigger.STARTUP);
			assertThat(run.ready()).isEqualTo(1);
		});
	}

	@Test
	void noCatchUpWhenARunCompletedWithinThePeriodOrNothingWaits() throws Exception {
		hourly().catchUpIfAScheduledRunWasMissed();
		assertThat(this.runs.recent(THUMBNAILS, 10)).as("nothing waits").isEmpty();

		this.engine.runOnce(THUMBNAILS, Trigger.SCHEDULE);
		long id = createUser("late");
		uploadOk(id, TestImages.jpeg(64, 64));
		hourly().catchUpIfAScheduledRunWasMissed();
		Thread.sleep(500);
		assertThat(avatarStatus(id)).as("the last run is recent").isEqualTo("PENDING");
		assertThat(this.runs.recent(THUMBNAILS, 10)).hasSize(1);

		this.jdbc.sql("UPDATE job_runs SET finished_at = CURRENT_TIMESTAMP - INTERVAL '2' HOUR").update();
		hourly().catchUpIfAScheduledRunWasMissed();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(avatarStatus(id)).as("the last run is older than the period").isEqualTo("READY"));
	}

	@Test
	void thePeriodIsTheGapBetweenTwoFireTimes() {
		assertThat(hourly().period(Instant.parse("2026-01-01T10:15:00Z"))).isEqualTo(Duration.ofHours(1));
	}

}
