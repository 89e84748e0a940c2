package dev.avatars.avatar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.avatars.ApiTestSupport;
import dev.avatars.TestImages;
import dev.avatars.job.JobEngine;
import dev.avatars.job.RunReport;
import dev.avatars.job.Trigger;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The clean-up removes each kind of leftover and keeps every file in use, with the defaults (grace 10 minutes,
 * temporary files after an hour, FAILED originals after 7 days, READY originals kept). Files are made old by
 * setting their times, rows by setting theirs.
 */
class CleanupJobTests extends ApiTestSupport {

	private static final FileTime TWO_HOURS_AGO = FileTime.from(Instant.now().minus(Duration.ofHours(2)));

	@Autowired
	JobEngine engine;

	@Autowired
	CleanupJob cleanup;

	/** A READY avatar with an older version's thumbnails still on disk, and its files' paths. */
	private long readyUser(String name) throws Exception {
		long id = createUser(name);
		uploadOk(id, TestImages.jpeg(120, 90));
		assertThat(this.engine.runOnce(ThumbnailJob.NAME, Trigger.API).ready()).isEqualTo(1);
		return id;
	}

	private static Path old(Path file) throws Exception {
		Files.setLastModifiedTime(file, TWO_HOURS_AGO);
		return file;
	}

	private static Path write(Path file, int bytes) throws Exception {
		Files.createDirectories(file.getParent());
		return Files.write(file, new byte[bytes]);
	}

	private void ageEverything() throws Exception {
		for (Path file : storedFiles()) {
			old(file);
		}
	}

	@Test
	void eachKindOfLeftoverGoesAndEveryFileInUseStays() throws Exception {
		long ready = readyUser("ready");
		String readyOriginal = (String) avatarRow(ready).get("ORIGINAL_KEY");
		long failedLongAgo = createUser("failedlongago");
		uploadOk(failedLongAgo, TestImages.truncatedButWithReadableHeader());
		long failedRecently = createUser("failedrecently");
		uploadOk(failedRecently, TestImages.truncatedButWithReadableHeader());
		assertThat(this.engine.runOnce(ThumbnailJob.NAME, Trigger.API).failed()).isEqualTo(2);
		this.jdbc.sql("UPDATE avatars SET processed_at = CURRENT_TIMESTAMP - INTERVAL '8' DAY WHERE user_id = ?")
			.param(failedLongAgo)
			.update();
		String failedLongAgoOriginal = (String) avatarRow(failedLongAgo).get("ORIGINAL_KEY");
		long pending = createUser("pending");
		uploadOk(pending, TestImages.jpeg(64, 64));
		ageEverything();

		Path uploads = uploads();
		List<Path> leftovers = List.of(
				old(write(uploads.resolve("thumbnails/" + ready + "/v0-64.jpg"), 100)), // a replaced version's
				old(write(uploads.resolve("originals/orphan.jpg"), 2000)), // its row's commit failed
				old(write(uploads.resolve("thumbnails/987654/v1-64.jpg"), 100)), // a user removed by hand
				old(write(uploads.resolve("thumbnails/" + ready + "/.abc.tmp"), 50)), // a killed worker's
				old(write(uploads.resolve("incoming/gone-process/upload.tmp"), 5000)), // a killed upload's
				old(write(uploads.resolve("originals/def.tmp"), 70)));
		List<Path> fresh = List.of(write(uploads.resolve("originals/just-written.jpg"), 10),
				write(uploads.resolve("thumbnails/" + ready + "/v9-64.jpg"), 10),
				write(uploads.resolve("incoming/live-process/receiving.tmp"), 10));
		Path failedOriginal = uploads.resolve("originals").resolve(failedLongAgoOriginal);
		long expectedBytes = Files.size(failedOriginal) + 100 + 2000 + 100 + 50 + 5000 + 70;
		List<Path> inUse = new ArrayList<>(storedFiles());
		inUse.removeAll(leftovers);
		inUse.removeAll(fresh);
		inUse.remove(failedOriginal);

		this.mvc.perform(post("/api/jobs/cleanup/runs?wait=true").with(asAdmin()))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.job").value("cleanup"))
			.andExpect(jsonPath("$.removedFiles").value(leftovers.size() + 1))
			.andExpect(jsonPath("$.removedBytes").value(expectedBytes))
			.andExpect(jsonPath("$.failed").value(0));

		assertThat(leftovers).noneMatch(Files::exists);
		assertThat(failedOriginal).doesNotExist();
		assertThat(fresh).allMatch(Files::exists);
		assertThat(inUse).isNotEmpty().allMatch(Files::exists);
		assertThat(uploads.resolve("originals").resolve(readyOriginal)).as("READY originals are kept").exists();
		// The long-failed row keeps its status and reason and says the original is gone.
		assertThat(avatarStatus(failedLongAgo)).isEqualTo("FAILED");
		assertThat(avatarRow(failedLongAgo).get("ERROR")).isNotNull();
		assertThat(avatarRow(failedLongAgo).get("ORIGINAL_KEY")).isNull();
		assertThat(avatarRow(failedLongAgo).get("ORIGINAL_REMOVED_AT")).isNotNull();
		assertThat(avatarRow(failedRecently).get("ORIGINAL_KEY")).isNotNull();
		assertThat(avatarStatus(pending)).isEqualTo("PENDING");
		// What is served still is.
		String url = "/api/users/" + ready + "/avatar/thumbnail?size=64&v=" + avatarRow(ready).get("READY_VERSION");
		this.mvc.perform(get(url)).andExpect(status().isOk()).andExpect(content().contentType("image/jpeg"));
		this.mvc.perform(get("/actuator/health").with(asAdmin()))
			.andExpect(jsonPath("$.components.cleanup.status").value("UP"))
			.andExpect(jsonPath("$.components.cleanup.details.lastRunRemovedFiles").value(leftovers.size() + 1));
		// The pending upload is processed from its kept original.
		assertThat(this.engine.runOnce(ThumbnailJob.NAME, Trigger.API).ready()).isEqualTo(1);
	}

	@Test
	void aDryRunChangesNothingAndListsWhatARealRunThenRemoves() throws Exception {
		long ready = readyUser("listed");
		old(write(uploads().resolve("thumbnails/" + ready + "/v0-64.jpg"), 100));
		old(write(uploads().resolve("originals/orphan.jpg"), 200));
		List<Path> before = storedFiles();

		List<String> listed = new ArrayList<>();
		assertThat(this.cleanup.preview(Integer.MAX_VALUE, listed::add)).isEqualTo(2);

		assertThat(storedFiles()).isEqualTo(before);
		assertThat(listed).containsExactlyInAnyOrder("remove thumbnails/" + ready + "/v0-64.jpg",
				"remove originals/orphan.jpg");
		RunReport real = this.engine.runOnce(CleanupJob.NAME, Trigger.CLI);
		assertThat(real.removedFiles()).isEqualTo(listed.size());
		assertThat(storedFiles()).hasSize(before.size() - listed.size());
	}

	@Test
	void aLinkInTheStorageIsNeverFollowed() throws Exception {
		Path outside = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "outside-");
		Path precious = old(write(outside.resolve("v1-64.jpg"), 10));
		Path preciousTemp = old(write(outside.resolve("x.tmp"), 10));
		Files.createDirectories(uploads().resolve("thumbnails"));
		Files.createSymbolicLink(uploads().resolve("thumbnails/424242"), outside);
		Files.createDirectories(uploads().resolve("incoming"));
		Files.createSymbolicLink(uploads().resolve("incoming/linked-process"), outside);

		RunReport report = this.engine.runOnce(CleanupJob.NAME, Trigger.API);

		assertThat(report.removedFiles()).isZero();
		assertThat(precious).exists();
		assertThat(preciousTemp).exists();
		Files.delete(uploads().resolve("thumbnails/424242"));
		Files.delete(uploads().resolve("incoming/linked-process"));
	}

	@Test
	void twoCleanupsStartedTogetherDoTheWorkOnce() throws Exception {
		List<Path> leftovers = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			leftovers.add(old(write(uploads().resolve("originals/orphan-" + i + ".jpg"), 10)));
		}

		CompletableFuture<RunReport> first = CompletableFuture
			.supplyAsync(() -> this.engine.runOnce(CleanupJob.NAME, Trigger.API));
		CompletableFuture<RunReport> second = CompletableFuture
			.supplyAsync(() -> this.engine.runOnce(CleanupJob.NAME, Trigger.SCHEDULE));

		assertThat(first.get().removedFiles() + second.get().removedFiles()).isEqualTo(300);
		assertThat(first.get().claimed() + second.get().claimed()).as("one pass between them").isEqualTo(1);
		assertThat(leftovers).noneMatch(Files::exists);
	}

}
