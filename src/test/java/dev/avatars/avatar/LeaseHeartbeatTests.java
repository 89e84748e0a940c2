package dev.avatars.avatar;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.avatars.ApiTestSupport;
import dev.avatars.TestImages;
import dev.avatars.job.JobEngine;
import dev.avatars.job.RunReport;
import dev.avatars.job.Trigger;
import dev.avatars.thumbnail.Thumbnailer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.spy;

/**
 * A render that takes longer than the lease is done once: the heartbeat renews the lease while it is in flight,
 * so a second runner polling meanwhile finds nothing due.
 */
class LeaseHeartbeatTests extends ApiTestSupport {

	private static final Duration LEASE = Duration.ofSeconds(1);

	private static final Duration RENDER = Duration.ofSeconds(4);

	@Autowired
	ApplicationContext context;

	@Autowired
	Thumbnailer realThumbnailer;

	private final AtomicInteger renders = new AtomicInteger();

	private final CountDownLatch renderStarted = new CountDownLatch(1);

	private JobEngine first;

	private JobEngine second;

	/** An engine as a second process would run it: its own workers and lease owner names. */
	private JobEngine slowEngine() throws Exception {
		Thumbnailer slow = spy(this.realThumbnailer);
		doAnswer((invocation) -> {
			this.renders.incrementAndGet();
			this.renderStarted.countDown();
			Thread.sleep(RENDER.toMillis());
			return invocation.callRealMethod();
		}).when(slow).render(any(), any(), anyBoolean());
		return EngineOfItsOwn.start(this.context, slow, LEASE, Duration.ofSeconds(10));
	}

	@AfterEach
	void stop() {
		for (JobEngine engine : new JobEngine[] { this.first, this.second }) {
			if (engine != null) {
				engine.stop();
			}
		}
	}

	@Test
	void aRenderSlowerThanTheLeaseIsDoneOnce() throws Exception {
		long id = createUser("slow");
		uploadOk(id, TestImages.jpeg(64, 64));
		this.first = slowEngine();
		this.second = slowEngine();

		CompletableFuture<RunReport> holding = CompletableFuture
			.supplyAsync(() -> this.first.runOnce(ThumbnailJob.NAME, Trigger.API));
		assertThat(this.renderStarted.await(10, TimeUnit.SECONDS)).isTrue();
		// Well past the lease: without renewals the avatar would be due again by now.
		Thread.sleep(LEASE.multipliedBy(2).toMillis());
		assertThat(avatarStatus(id)).isEqualTo("PROCESSING");
		RunReport meanwhile = this.second.runOnce(ThumbnailJob.NAME, Trigger.SCHEDULE);

		RunReport report = holding.get(30, TimeUnit.SECONDS);
		assertThat(meanwhile.claimed()).as("the lease was renewed, so nothing was due").isZero();
		assertThat(report.claimed()).isEqualTo(1);
		assertThat(report.ready()).isEqualTo(1);
		assertThat(this.renders).hasValue(1);
		assertThat(avatarStatus(id)).isEqualTo("READY");
	}

}
