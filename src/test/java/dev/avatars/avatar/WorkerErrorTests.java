package dev.avatars.avatar;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.avatars.ApiTestSupport;
import dev.avatars.job.JobEngine;
import dev.avatars.job.RunReport;
import dev.avatars.job.Trigger;
import dev.avatars.TestImages;

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
 * Whatever one file throws, Errors included, its avatar ends FAILED or is retried, the run counts it, and the
 * worker lives on. A job of its own with one worker, so a dead worker would show in the next run.
 */
class WorkerErrorTests extends ApiTestSupport {

	@Autowired
	ApplicationContext context;

	@Autowired
	Thumbnailer realThumbnailer;

	/** Original file name → what rendering it throws. */
	private final Map<String, Supplier<Throwable>> throwing = new ConcurrentHashMap<>();

	private JobEngine job;

	private JobEngine job() throws Exception {
		Thumbnailer thumbnailer = spy(this.realThumbnailer);
		doAnswer((invocation) -> {
			Path original = invocation.getArgument(0);
			Supplier<Throwable> error = this.throwing.get(original.getFileName().toString());
			if (error != null) {
				throw error.get();
			}
			return invocation.callRealMethod();
		}).when(thumbnailer).render(any(), any(), anyBoolean());
		this.job = EngineOfItsOwn.start(this.context, thumbnailer, Duration.ofMinutes(5), Duration.ofSeconds(5));
		return this.job;
	}

	@AfterEach
	void stop() {
		if (this.job != null) {
			this.job.stop();
		}
	}

	private long upload(String name, Supplier<Throwable> error) throws Exception {
		long id = createUser(name);
		uploadOk(id, TestImages.jpeg(64, 64));
		if (error != null) {
			this.throwing.put((String) avatarRow(id).get("ORIGINAL_KEY"), error);
		}
		return id;
	}

	@Test
	void errorsEndFailedOrRetriedAreCountedAndTheWorkerLivesOn() throws Exception {
		long deep = upload("deep", StackOverflowError::new);
		long huge = upload("huge", () -> new OutOfMemoryError("Java heap space"));
		long linkage = upload("linkage", () -> new UnsatisfiedLinkError("no opencv in java.library.path"));
		long good = upload("good", null);
		JobEngine job = job();

		RunReport report = job.runOnce(ThumbnailJob.NAME, Trigger.CLI);

		assertThat(report.claimed()).isEqualTo(4);
		assertThat(report.ready()).isEqualTo(1);
		assertThat(report.failed()).isEqualTo(1);
		assertThat(report.retried()).isEqualTo(2);
		assertThat(report.error()).isNull();
		assertThat(avatarStatus(good)).isEqualTo("READY");
		assertThat(avatarStatus(deep)).isEqualTo("FAILED");
		assertThat((String) avatarRow(deep).get("ERROR"))
			.isEqualTo("not a decodable image: its data nests too deeply to read");
		assertThat(avatarStatus(huge)).isEqualTo("PENDING");
		assertThat((String) avatarRow(huge).get("ERROR")).isEqualTo("ran out of memory while rendering");
		assertThat(avatarStatus(linkage)).isEqualTo("PENDING");
		assertThat((String) avatarRow(linkage).get("ERROR")).isEqualTo("unexpected error (UnsatisfiedLinkError)");

		// The one worker survived all three: a new upload is rendered by the next run.
		long later = upload("later", null);
		RunReport next = job.runOnce(ThumbnailJob.NAME, Trigger.CLI);
		assertThat(next.ready()).isEqualTo(1);
		assertThat(avatarStatus(later)).isEqualTo("READY");
	}

	@Test
	void anAvatarWhoseRunnersDiedMaxAttemptsTimesEndsFailedAndIsCounted() throws Exception {
		long exhausted = upload("exhausted", null);
		long once = upload("once", null);
		// Runners took each of them and died (kill -9, or an Error that took the JVM down): leases ran out.
		this.jdbc.sql("UPDATE avatars SET status = 'PROCESSING', lease_owner = 'dead/1#1', attempts = ?, "
				+ "due_at = CURRENT_TIMESTAMP - INTERVAL '1' MINUTE WHERE user_id = ?").params(3, exhausted).update();
		this.jdbc.sql("UPDATE avatars SET status = 'PROCESSING', lease_owner = 'dead/1#1', attempts = ?, "
				+ "due_at = CURRENT_TIMESTAMP - INTERVAL '1' MINUTE WHERE user_id = ?").params(1, once).update();

		RunReport report = job().runOnce(ThumbnailJob.NAME, Trigger.CLI);

		assertThat(report.failed()).isEqualTo(1);
		assertThat(report.claimed()).isEqualTo(1);
		assertThat(report.ready()).isEqualTo(1);
		assertThat(avatarStatus(exhausted)).isEqualTo("FAILED");
		assertThat((String) avatarRow(exhausted).get("ERROR"))
			.isEqualTo("gave up after 3 attempts: each runner stopped before it finished");
		assertThat(avatarRow(exhausted).get("DUE_AT")).isNull();
		assertThat(avatarStatus(once)).isEqualTo("READY");
	}

}
