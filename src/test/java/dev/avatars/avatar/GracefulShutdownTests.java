package dev.avatars.avatar;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.avatars.ApiTestSupport;
import dev.avatars.job.JobEngine;
import dev.avatars.job.RunReport;
import dev.avatars.job.Trigger;
import dev.avatars.TestImages;

import dev.avatars.thumbnail.Thumbnailer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.spy;

/** A job of its own per test, so that stopping it leaves the application's job alone. */
class GracefulShutdownTests extends ApiTestSupport {

	@Autowired
	ApplicationContext context;

	@Autowired
	Thumbnailer realThumbnailer;

	private final CountDownLatch renderStarted = new CountDownLatch(1);

	private JobEngine slowJob(Duration renderTime, Duration shutdownTimeout) throws Exception {
		Thumbnailer slow = spy(this.realThumbnailer);
		doAnswer((invocation) -> {
			this.renderStarted.countDown();
			long until = System.nanoTime() + renderTime.toNanos();
			while (System.nanoTime() < until) {
				try {
					Thread.sleep(10);
				}
				catch (InterruptedException ex) {
					// Decoders do not stop when interrupted either.
				}
			}
			return invocation.callRealMethod();
		}).when(slow).render(any(), any(), anyBoolean());
		return EngineOfItsOwn.start(this.context, slow, Duration.ofMinutes(5), shutdownTimeout);
	}

	private List<Long> pending(int count) throws Exception {
		List<Long> ids = createUsers("stop", count);
		for (long id : ids) {
			uploadOk(id, TestImages.jpeg(64, 64));
		}
		return ids;
	}

	@Test
	void inFlightWorkFinishesWithinTheTimeoutAndNothingMoreIsClaimed() throws Exception {
		List<Long> ids = pending(4);
		JobEngine job = slowJob(Duration.ofMillis(500), Duration.ofSeconds(10));
		CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(() -> job.runOnce(ThumbnailJob.NAME, Trigger.API));
		assertThat(this.renderStarted.await(10, TimeUnit.SECONDS)).isTrue();

		job.stop();

		RunReport report = run.get(10, TimeUnit.SECONDS);
		assertThat(report.claimed()).isEqualTo(1);
		assertThat(report.ready()).isEqualTo(1);
		assertThat(ids.stream().map(this::avatarStatus)).containsExactlyInAnyOrder("READY", "PENDING", "PENDING",
				"PENDING");
	}

	@Test
	void workStillRunningAtTheTimeoutIsHandedBackToPending() throws Exception {
		List<Long> ids = pending(3);
		JobEngine job = slowJob(Duration.ofSeconds(2), Duration.ofMillis(100));
		CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(() -> job.runOnce(ThumbnailJob.NAME, Trigger.API));
		assertThat(this.renderStarted.await(10, TimeUnit.SECONDS)).isTrue();

		job.stop();

		assertThat(ids.stream().map(this::avatarStatus)).containsOnly("PENDING");
		assertThat(ids).allSatisfy((id) -> assertThat(avatarRow(id).get("ATTEMPTS")).isEqualTo(0));
		RunReport report = run.get(10, TimeUnit.SECONDS);
		assertThat(report.ready()).isZero();
		assertThat(report.error()).isEqualTo("stopped by shutdown; unfinished items were handed back");
		assertThat(ids.stream().map(this::avatarStatus)).as("the late result was not committed").containsOnly("PENDING");
	}

}
