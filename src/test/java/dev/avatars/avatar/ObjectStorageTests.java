package dev.avatars.avatar;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import dev.avatars.ApiTestSupport;
import dev.avatars.S3Server;
import dev.avatars.TestImages;
import dev.avatars.job.JobEngine;
import dev.avatars.job.RunReport;
import dev.avatars.job.Trigger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The application on an S3-compatible bucket (S3Proxy in process): uploads, the thumbnail job, serving, the
 * clean-up and health work on it, with nothing kept on disk; and the store going away and coming back.
 */
class ObjectStorageTests extends ApiTestSupport {

	private static final String BUCKET = "avatars";

	private static final S3Server SERVER = S3Server.shared();

	@Autowired
	JobEngine engine;

	@Autowired
	AvatarStorage storage;

	@org.springframework.test.context.bean.override.mockito.MockitoSpyBean
	AvatarRepository rows;

	@DynamicPropertySource
	static void bucket(DynamicPropertyRegistry registry) {
		SERVER.createBucket(BUCKET);
		registry.add("avatars.storage.type", () -> "s3");
		registry.add("avatars.storage.root", () -> "uploads"); // only the local scratch folder here
		registry.add("avatars.storage.s3.bucket", () -> BUCKET);
		registry.add("avatars.storage.s3.prefix", () -> "app/");
		registry.add("avatars.storage.s3.endpoint", () -> SERVER.endpoint().toString());
		registry.add("avatars.storage.s3.path-style", () -> "true");
		// Objects cannot be aged by hand as files can: a leftover counts at once.
		registry.add("avatars.cleanup.grace", () -> "0s");
		registry.add("avatars.processing.retry-backoff", () -> "1h");
	}

	@BeforeEach
	void emptyBucket() {
		SERVER.empty(BUCKET);
	}

	private List<String> objects() {
		return SERVER.keys(BUCKET, "app/");
	}

	private static Path scratch() {
		return uploads();
	}

	/** Files left in the local scratch folder: received uploads and fetched originals. */
	private static List<Path> scratchFiles() throws Exception {
		try (Stream<Path> files = Files.walk(scratch())) {
			return files.filter(Files::isRegularFile)
				.filter((file) -> !file.getFileName().toString().endsWith(".lock"))
				.toList();
		}
	}

	@Test
	void theStorageIsTheBucket() {
		assertThat(this.storage).isInstanceOf(S3AvatarStorage.class);
	}

	@Test
	void anUploadIsProcessedFromTheBucketAndServedFromItWithTodaysCaching() throws Exception {
		long id = createUser("bucketed");
		long v1 = uploadOk(id, TestImages.resource("quadrants.jpg"));
		String original = (String) avatarRow(id).get("ORIGINAL_KEY");
		assertThat(objects()).containsExactly("app/originals/" + original);

		RunReport run = this.engine.runOnce(ThumbnailJob.NAME, Trigger.API);

		assertThat(run.ready()).isEqualTo(1);
		assertThat(avatarStatus(id)).isEqualTo("READY");
		assertThat(objects()).containsExactlyInAnyOrder("app/originals/" + original,
				"app/thumbnails/" + id + "/v" + v1 + "-64.jpg", "app/thumbnails/" + id + "/v" + v1 + "-128.jpg",
				"app/thumbnails/" + id + "/v" + v1 + "-256.jpg", "app/thumbnails/" + id + "/v" + v1 + "-64.circle.png",
				"app/thumbnails/" + id + "/v" + v1 + "-128.circle.png",
				"app/thumbnails/" + id + "/v" + v1 + "-256.circle.png");
		assertThat(scratchFiles()).as("received and fetched copies deleted").isEmpty();

		String url = "/api/users/" + id + "/avatar/thumbnail?v=" + v1;
		MockHttpServletResponse served = this.mvc.perform(get(url + "&size=128"))
			.andExpect(status().isOk())
			.andExpect(content().contentType("image/jpeg"))
			.andExpect(header().string("Cache-Control", "max-age=31536000, public, immutable"))
			.andReturn()
			.getResponse();
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(served.getContentAsByteArray()));
		assertThat(image.getWidth()).isEqualTo(128);
		byte[] round = this.mvc.perform(get(url + "&size=128&shape=circle"))
			.andExpect(status().isOk())
			.andExpect(content().contentType("image/png"))
			.andReturn()
			.getResponse()
			.getContentAsByteArray();
		BufferedImage circle = ImageIO.read(new ByteArrayInputStream(round));
		assertThat(circle.getWidth()).isEqualTo(128);
		assertThat(circle.getRGB(0, 0) >>> 24).as("transparent corner").isZero();
		assertThat(circle.getRGB(64, 64) >>> 24).as("opaque centre").isEqualTo(255);
		this.mvc.perform(get(url + "&size=128").header("If-None-Match", served.getHeader("ETag")))
			.andExpect(status().isNotModified());

		// A new picture replaces the old one's original and, once ready, its thumbnails.
		long v2 = uploadOk(id, TestImages.jpeg(300, 200));
		String second = (String) avatarRow(id).get("ORIGINAL_KEY");
		assertThat(this.engine.runOnce(ThumbnailJob.NAME, Trigger.API).ready()).isEqualTo(1);
		assertThat(objects()).containsExactlyInAnyOrder("app/originals/" + second,
				"app/thumbnails/" + id + "/v" + v2 + "-64.jpg", "app/thumbnails/" + id + "/v" + v2 + "-128.jpg",
				"app/thumbnails/" + id + "/v" + v2 + "-256.jpg", "app/thumbnails/" + id + "/v" + v2 + "-64.circle.png",
				"app/thumbnails/" + id + "/v" + v2 + "-128.circle.png",
				"app/thumbnails/" + id + "/v" + v2 + "-256.circle.png");

		// Deleting the user takes every object along.
		this.mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
			.delete("/api/users/{id}", id).with(as(id))).andExpect(status().is2xxSuccessful());
		assertThat(objects()).isEmpty();
	}

	@Test
	void theCleanUpListsTheBucketAndRemovesWhatNoRowUses() throws Exception {
		long id = createUser("kept");
		long version = uploadOk(id, TestImages.jpeg(120, 90));
		assertThat(this.engine.runOnce(ThumbnailJob.NAME, Trigger.API).ready()).isEqualTo(1);
		List<String> inUse = objects();
		List<String> leftovers = List.of("app/originals/00000000-0000-0000-0000-000000000001.jpg",
				"app/thumbnails/" + id + "/v" + (version - 1) + "-64.jpg", "app/thumbnails/987654/v1-64.jpg");
		for (String key : leftovers) {
			put(key, 100);
		}
		put("app/notes/readme.txt", 10); // not the layout's: never touched
		put("elsewhere/originals/00000000-0000-0000-0000-000000000002.jpg", 10); // outside the prefix

		RunReport run = this.engine.runOnce(CleanupJob.NAME, Trigger.API);

		assertThat(run.failed()).isZero();
		assertThat(run.removedBytes()).isEqualTo(300);
		assertThat(objects()).containsExactlyInAnyOrderElementsOf(
				Stream.concat(inUse.stream(), Stream.of("app/notes/readme.txt")).toList());
		assertThat(SERVER.keys(BUCKET, "elsewhere/")).hasSize(1);
		assertThat(avatarStatus(id)).isEqualTo("READY");
		this.mvc.perform(get("/api/users/{id}/avatar/thumbnail?size=64&v={v}", id, version))
			.andExpect(status().isOk());
	}

	@Test
	void theStoreUnreachableDuringAnUploadGives503AndChangesNothing() throws Exception {
		long id = createUser("unlucky");
		long v1 = uploadOk(id, TestImages.jpeg(120, 90));
		Object before = avatarRow(id);
		List<String> objects = objects();

		SERVER.stop();
		try {
			upload(id, TestImages.jpeg(200, 200), "b.jpg", "image/jpeg")
				.andExpect(status().isServiceUnavailable())
				.andExpect(content().contentType("application/problem+json"))
				.andExpect(header().exists("Retry-After"))
				.andExpect(jsonPath("$.title").value("Storage unavailable"))
				.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.not(
						org.hamcrest.Matchers.containsString("127.0.0.1"))));
		}
		finally {
			SERVER.restart();
		}

		assertThat(avatarRow(id)).isEqualTo(before);
		assertThat((Long) avatarRow(id).get("VERSION")).isEqualTo(v1);
		assertThat(objects()).isEqualTo(objects);
		assertThat(scratchFiles()).as("the received file deleted").isEmpty();
	}

	@Test
	void whenTheRowCannotBeWrittenTheObjectIsDeleted() throws Exception {
		long id = createUser("uncommitted");
		Object before = avatarRow(id);
		List<String> whenTheRowWasWritten = new java.util.ArrayList<>();
		org.mockito.Mockito.doAnswer((invocation) -> {
			whenTheRowWasWritten.addAll(objects());
			throw new org.springframework.dao.DataAccessResourceFailureException("down");
		})
			.when(this.rows)
			.replaceOriginal(org.mockito.ArgumentMatchers.anyLong(), org.mockito.ArgumentMatchers.any(),
					org.mockito.ArgumentMatchers.any(), org.mockito.ArgumentMatchers.any(),
					org.mockito.ArgumentMatchers.any());

		upload(id, TestImages.jpeg(64, 64), "a.jpg", "image/jpeg").andExpect(status().isInternalServerError());

		assertThat(whenTheRowWasWritten).as("the store confirmed before the row").hasSize(1);
		assertThat(objects()).as("and the object went when the row failed").isEmpty();
		assertThat(avatarRow(id)).isEqualTo(before);
	}

	@Test
	void theStoreUnreachableDuringARunIsRetriedWithBackoffAndEveryAvatarEndsReadyOnceItIsBack() throws Exception {
		long[] ids = new long[3];
		for (int i = 0; i < ids.length; i++) {
			ids[i] = createUser("patient" + i);
			uploadOk(ids[i], TestImages.jpeg(100 + i, 90));
		}

		SERVER.stop();
		RunReport during;
		try {
			during = this.engine.runOnce(ThumbnailJob.NAME, Trigger.API);
		}
		finally {
			SERVER.restart();
		}

		assertThat(during.retried()).isEqualTo(3);
		for (long id : ids) {
			assertThat(avatarStatus(id)).isEqualTo("PENDING");
			assertThat(avatarRow(id).get("ATTEMPTS")).isEqualTo(1);
			assertThat((String) avatarRow(id).get("ERROR")).isEqualTo("the picture store could not be reached");
			// Not due before the backoff (an hour here) has passed.
			assertThat(this.jdbc.sql("SELECT COUNT(*) FROM avatars WHERE user_id = ? AND due_at > CURRENT_TIMESTAMP"
					+ " + INTERVAL '50' MINUTE")
				.param(id)
				.query(Long.class)
				.single()).isEqualTo(1);
		}
		assertThat(this.engine.runOnce(ThumbnailJob.NAME, Trigger.API).claimed()).as("none due yet").isZero();

		this.jdbc.sql("UPDATE avatars SET due_at = CURRENT_TIMESTAMP").update(); // the backoff has passed
		RunReport after = this.engine.runOnce(ThumbnailJob.NAME, Trigger.API);

		assertThat(after.ready()).isEqualTo(3);
		for (long id : ids) {
			assertThat(avatarStatus(id)).isEqualTo("READY");
			this.mvc.perform(get("/api/users/{id}/avatar/thumbnail?size=64", id)).andExpect(status().isOk())
				.andExpect(content().contentType("image/jpeg"));
		}
	}

	@Test
	void healthSaysWhetherTheBucketAnswersAndNamesNothing() throws Exception {
		this.mvc.perform(get("/actuator/health/storage").with(asAdmin()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("UP"))
			.andExpect(jsonPath("$.details.type").value("s3"));

		SERVER.stop();
		String body;
		try {
			body = this.mvc.perform(get("/actuator/health/storage").with(asAdmin()))
				.andExpect(status().isServiceUnavailable())
				.andExpect(jsonPath("$.status").value("DOWN"))
				.andReturn()
				.getResponse()
				.getContentAsString();
		}
		finally {
			SERVER.restart();
		}
		assertThat(body).doesNotContain(BUCKET, "127.0.0.1", S3Server.ACCESS_KEY, S3Server.SECRET_KEY, "app/");
	}

	private void put(String key, int bytes) {
		SERVER.client().putObject((request) -> request.bucket(BUCKET).key(key), RequestBody.fromBytes(new byte[bytes]));
	}

}
