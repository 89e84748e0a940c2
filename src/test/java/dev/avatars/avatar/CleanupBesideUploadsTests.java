package dev.avatars.avatar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.avatars.ApiTestSupport;
import dev.avatars.TestImages;
import dev.avatars.job.JobEngine;
import dev.avatars.job.RunReport;
import dev.avatars.job.Trigger;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Clean-ups running again and again while 50 uploads and thumbnail runs go on remove nothing in use: files come
 * and go under the walk, and every avatar ends READY with its thumbnails served; the old leftovers still go.
 */
class CleanupBesideUploadsTests extends ApiTestSupport {

	@Autowired
	JobEngine engine;

	@Test
	void fiftyUploadsAndThumbnailRunsBesideCleanupsLoseNothing() throws Exception {
		List<Long> users = createUsers("busy", 10);
		List<Path> leftovers = new ArrayList<>();
		FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
		for (int i = 0; i < 100; i++) {
			Path file = uploads().resolve("originals/leftover-" + i + ".jpg");
			Files.createDirectories(file.getParent());
			Files.write(file, new byte[100]);
			Files.setLastModifiedTime(file, old);
			leftovers.add(file);
		}
		byte[][] pictures = { TestImages.jpeg(160, 120), TestImages.jpeg(120, 160), TestImages.jpeg(100, 100) };

		AtomicBoolean uploading = new AtomicBoolean(true);
		ExecutorService pool = Executors.newFixedThreadPool(3);
		try {
			List<Future<?>> uploads = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				long user = users.get(i % users.size());
				byte[] picture = pictures[i % pictures.length];
				uploads.add(pool.submit(() -> {
					uploadOk(user, picture);
					return null;
				}));
			}
			CompletableFuture<Integer> cleanups = CompletableFuture.supplyAsync(() -> {
				int runs = 0;
				while (uploading.get()) {
					this.engine.runOnce(CleanupJob.NAME, Trigger.SCHEDULE);
					runs++;
					pause();
				}
				return runs;
			});
			CompletableFuture<Void> thumbnails = CompletableFuture.runAsync(() -> {
				while (uploading.get()) {
					this.engine.runOnce(ThumbnailJob.NAME, Trigger.SCHEDULE);
					pause();
				}
			});
			for (Future<?> upload : uploads) {
				upload.get();
			}
			uploading.set(false);
			assertThat(cleanups.get()).as("clean-ups ran while uploading").isPositive();
			thumbnails.get();
		}
		finally {
			pool.shutdownNow();
		}
		RunReport last = this.engine.runOnce(ThumbnailJob.NAME, Trigger.API);
		assertThat(last.failed()).isZero();
		this.engine.runOnce(CleanupJob.NAME, Trigger.API);

		for (long user : users) {
			assertThat(avatarStatus(user)).as("user " + user).isEqualTo("READY");
			String original = (String) avatarRow(user).get("ORIGINAL_KEY");
			assertThat(uploads().resolve("originals").resolve(original)).exists();
			for (int size : new int[] { 256, 128, 64 }) {
				this.mvc.perform(get("/api/users/{id}/avatar/thumbnail?size={size}&v={v}", user, size,
						avatarRow(user).get("READY_VERSION")))
					.andExpect(status().isOk())
					.andExpect(content().contentType("image/jpeg"));
			}
		}
		assertThat(leftovers).noneMatch(Files::exists);
	}

	private static void pause() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
