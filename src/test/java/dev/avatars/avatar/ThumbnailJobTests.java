package dev.avatars.avatar;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.exif.ExifDirectoryBase;
import com.drew.metadata.exif.GpsDirectory;
import dev.avatars.ApiTestSupport;
import dev.avatars.job.JobEngine;
import dev.avatars.job.RunReport;
import dev.avatars.job.Trigger;
import dev.avatars.TestImages;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class ThumbnailJobTests extends ApiTestSupport {

	private static final List<String> QUADRANT_FILES = List.of("quadrants.jpg", "orientation-3.jpg",
			"orientation-6.jpg", "orientation-8.jpg", "cmyk.jpg", "quadrants.webp", "sixteen-bit.png", "palette.png",
			"animated.gif", "gps.jpg");

	@Autowired
	JobEngine engine;


	@Test
	void everyKindOfUploadBecomesReadyThroughTheApiTriggerWithUprightExactSquares() throws Exception {
		Map<String, Long> users = new LinkedHashMap<>();
		for (String file : QUADRANT_FILES) {
			long id = createUser(file.replaceAll("[^a-z0-9]", ""));
			uploadOk(id, TestImages.resource(file));
			users.put(file, id);
		}
		long alpha = createUser("alpha");
		uploadOk(alpha, TestImages.resource("alpha.png"));

		this.mvc.perform(post("/api/jobs/thumbnails/runs?wait=true").with(asAdmin()))
			.andExpect(status().isCreated())
			.andExpect(header().exists("Location"))
			.andExpect(jsonPath("$.trigger").value("API"))
			.andExpect(jsonPath("$.host").value(this.engine.host()))
			.andExpect(jsonPath("$.claimed").value(11))
			.andExpect(jsonPath("$.ready").value(11))
			.andExpect(jsonPath("$.failed").value(0))
			.andExpect(jsonPath("$.retried").value(0))
			.andExpect(jsonPath("$.finishedAt").isNotEmpty())
			.andExpect(jsonPath("$.durationMs").isNumber())
			.andExpect(jsonPath("$.error").doesNotExist());

		for (Map.Entry<String, Long> user : users.entrySet()) {
			assertThat(avatarStatus(user.getValue())).as(user.getKey()).isEqualTo("READY");
			for (int size : new int[] { 256, 128, 64 }) {
				MockHttpServletResponse response = thumbnail(user.getValue(), size);
				assertThat(response.getContentType()).isEqualTo("image/jpeg");
				BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.getContentAsByteArray()));
				assertThat(image.getWidth()).as(user.getKey()).isEqualTo(size);
				assertThat(image.getHeight()).as(user.getKey()).isEqualTo(size);
				assertQuadrants(user.getKey(), image);
			}
		}
		MockHttpServletResponse png = thumbnail(alpha, 128);
		assertThat(png.getContentType()).isEqualTo("image/png");
		BufferedImage transparent = ImageIO.read(new ByteArrayInputStream(png.getContentAsByteArray()));
		assertThat(transparent.getColorModel().hasAlpha()).isTrue();
		assertThat(transparent.getRGB(1, 1) >>> 24).isZero();

		byte[] fromGps = thumbnail(users.get("gps.jpg"), 256).getContentAsByteArray();
		var metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(fromGps));
		assertThat(metadata.getFirstDirectoryOfType(GpsDirectory.class)).isNull();
		assertThat(metadata.getDirectoriesOfType(ExifDirectoryBase.class)).isEmpty();
	}

	@Test
	void aCorruptImageFailsWithAReasonAndTheRestOfTheBatchIsReady() throws Exception {
		List<Long> good = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			long id = createUser("good" + i);
			uploadOk(id, TestImages.jpeg(100, 80));
			good.add(id);
		}
		long bad = createUser("bad");
		uploadOk(bad, TestImages.truncatedButWithReadableHeader());

		RunReport report = this.engine.runOnce(ThumbnailJob.NAME, Trigger.API);

		assertThat(report.claimed()).isEqualTo(5);
		assertThat(report.ready()).isEqualTo(4);
		assertThat(report.failed()).isEqualTo(1);
		assertThat(good).allSatisfy((id) -> assertThat(avatarStatus(id)).isEqualTo("READY"));
		assertThat(avatarStatus(bad)).isEqualTo("FAILED");
		avatarState(bad)
			.andExpect(jsonPath("$.status").value("FAILED"))
			.andExpect(jsonPath("$.error").value("not a decodable JPEG: truncated data"));
		// A failed avatar is not retried by later runs...
		assertThat(this.engine.runOnce(ThumbnailJob.NAME, Trigger.API).claimed()).isZero();
		// ...until the user uploads again, which resets its state.
		uploadOk(bad, TestImages.jpeg(50, 50));
		Map<String, Object> row = avatarRow(bad);
		assertThat(row.get("STATUS")).isEqualTo("PENDING");
		assertThat(row.get("ERROR")).isNull();
		assertThat(row.get("ATTEMPTS")).isEqualTo(0);
		assertThat(this.engine.runOnce(ThumbnailJob.NAME, Trigger.API).ready()).isEqualTo(1);
		assertThat(avatarStatus(bad)).isEqualTo("READY");
	}

	@Test
	void aTransientErrorIsRetriedWithBackoffThenFails() throws Exception {
		long id = createUser("flaky");
		uploadOk(id, TestImages.jpeg(64, 64));
		// The original vanishes (a storage hiccup): reading it fails with an I/O error, not a verdict on the image.
		Files.delete(uploads().resolve("originals").resolve((String) avatarRow(id).get("ORIGINAL_KEY")));

		RunReport first = this.engine.runOnce(ThumbnailJob.NAME, Trigger.API);
		assertThat(first.retried()).isEqualTo(1);
		Map<String, Object> row = avatarRow(id);
		assertThat(row.get("STATUS")).isEqualTo("PENDING");
		assertThat(row.get("ATTEMPTS")).isEqualTo(1);
		assertThat((String) row.get("ERROR")).isEqualTo("the stored original is missing");
		assertThat(secondsUntilDue(id)).isBetween(50L, 61L); // retry-backoff 1m

		assertThat(this.engine.runOnce(ThumbnailJob.NAME, Trigger.API).claimed()).as("not due yet").isZero();
		makeDue(id);
		assertThat(this.engine.runOnce(ThumbnailJob.NAME, Trigger.API).retried()).isEqualTo(1);
		assertThat(secondsUntilDue(id)).as("doubled").isBetween(110L, 121L);
		makeDue(id);
		RunReport third = this.engine.runOnce(ThumbnailJob.NAME, Trigger.API);
		assertThat(third.failed()).isEqualTo(1);
		assertThat(avatarStatus(id)).isEqualTo("FAILED");
		assertThat((String) avatarRow(id).get("ERROR")).startsWith("gave up after 3 attempts: ");
		assertThat(avatarRow(id).get("DUE_AT")).isNull();
	}

	@Test
	void aCrashedRunnersExpiredClaimsAreFinishedByTheNextRunButLiveOnesAreLeftAlone() throws Exception {
		List<Long> ids = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			long id = createUser("crash" + i);
			uploadOk(id, TestImages.jpeg(64, 64));
			ids.add(id);
		}
		// A runner on another host claimed them all, then died: three leases have run out, three have not.
		this.jdbc.sql("UPDATE avatars SET status = 'PROCESSING', lease_owner = 'dead-host/1#9', attempts = 1, "
				+ "due_at = CURRENT_TIMESTAMP - INTERVAL '1' MINUTE WHERE user_id IN (:ids)").param("ids", ids.subList(0, 3)).update();
		this.jdbc.sql("UPDATE avatars SET status = 'PROCESSING', lease_owner = 'live-host/2#7', attempts = 1, "
				+ "due_at = CURRENT_TIMESTAMP + INTERVAL '5' MINUTE WHERE user_id IN (:ids)").param("ids", ids.subList(3, 6)).update();

		RunReport report = this.engine.runOnce(ThumbnailJob.NAME, Trigger.API);

		assertThat(report.claimed()).isEqualTo(3);
		assertThat(ids.subList(0, 3)).allSatisfy((id) -> assertThat(avatarStatus(id)).isEqualTo("READY"));
		assertThat(ids.subList(3, 6)).allSatisfy((id) -> assertThat(avatarStatus(id)).isEqualTo("PROCESSING"));
	}

	@Test
	void thumbnailsAreServedWithCachingHeadersAndSizeChoice() throws Exception {
		long id = createUser("served");
		long version = uploadOk(id, TestImages.resource("quadrants.jpg"));
		this.engine.runOnce(ThumbnailJob.NAME, Trigger.API);

		String url = "/api/users/" + id + "/avatar/thumbnail?v=" + version;
		this.mvc.perform(get("/api/users/{id}", id)).andExpect(jsonPath("$.thumbnailUrl").value(url));
		MockHttpServletResponse versioned = this.mvc.perform(get(url)).andExpect(status().isOk()).andReturn().getResponse();
		assertThat(versioned.getHeader("Cache-Control")).isEqualTo("max-age=31536000, public, immutable");
		assertThat(versioned.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
		String etag = versioned.getHeader("ETag");
		assertThat(etag).matches("\"[^\"]+\"");
		this.mvc.perform(get(url).header("If-None-Match", etag)).andExpect(status().isNotModified());
		this.mvc.perform(get("/api/users/{id}/avatar/thumbnail", id))
			.andExpect(header().string("Cache-Control", "no-cache"));

		assertThat(sizeOf(thumbnail(id, 100))).isEqualTo(128);
		assertThat(sizeOf(thumbnail(id, 64))).isEqualTo(64);
		assertThat(sizeOf(thumbnail(id, 1))).isEqualTo(64);
		assertThat(sizeOf(thumbnail(id, 1000))).isEqualTo(256);
		assertThat(sizeOf(this.mvc.perform(get("/api/users/{id}/avatar/thumbnail", id)).andReturn().getResponse()))
			.isEqualTo(256);
		this.mvc.perform(get("/api/users/{id}/avatar/thumbnail?size=0", id)).andExpect(status().isBadRequest());
		this.mvc.perform(get("/api/users/424242/avatar/thumbnail")).andExpect(status().isNotFound());
	}

	@Test
	void untilAThumbnailIsReadyAPlaceholderWithInitialsIsServedBriefly() throws Exception {
		long id = createUser("grace.hopper");
		this.mvc.perform(get("/api/users/{id}/avatar/thumbnail?size=128", id))
			.andExpect(status().isOk())
			.andExpect(header().string("Content-Type", "image/svg+xml"))
			.andExpect(header().string("Cache-Control", "max-age=60, public"))
			.andExpect(header().string("X-Content-Type-Options", "nosniff"))
			.andExpect(result -> assertThat(result.getResponse().getContentAsString())
				.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"128\" height=\"128\"")
				.contains(">GH</text>"));
		uploadOk(id, TestImages.jpeg(64, 64));
		this.mvc.perform(get("/api/users/{id}/avatar/thumbnail", id))
			.andExpect(header().string("Content-Type", "image/svg+xml"));
	}

	@Test
	void aNewUploadKeepsTheOldThumbnailUntilItsOwnIsReadyThenTheOldFilesGo() throws Exception {
		long id = createUser("swap");
		long v1 = uploadOk(id, TestImages.encode(TestImages.solid(64, 64, Color.RED), "png"));
		this.engine.runOnce(ThumbnailJob.NAME, Trigger.API);
		long v2 = uploadOk(id, TestImages.encode(TestImages.solid(64, 64, Color.BLUE), "png"));

		avatarState(id)
			.andExpect(jsonPath("$.status").value("PENDING"))
			.andExpect(jsonPath("$.thumbnailUrl").value("/api/users/" + id + "/avatar/thumbnail?v=" + v1));
		this.engine.runOnce(ThumbnailJob.NAME, Trigger.API);

		this.mvc.perform(get("/api/users/{id}", id))
			.andExpect(jsonPath("$.thumbnailUrl").value("/api/users/" + id + "/avatar/thumbnail?v=" + v2));
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(thumbnail(id, 64).getContentAsByteArray()));
		assertThat(new Color(image.getRGB(32, 32)).getBlue()).isGreaterThan(200);
		try (var files = Files.list(uploads().resolve("thumbnails").resolve(Long.toString(id)))) {
			assertThat(files.map((file) -> file.getFileName().toString()).sorted().toList())
				.containsExactly("v" + v2 + "-128.circle.png", "v" + v2 + "-128.jpg", "v" + v2 + "-256.circle.png",
						"v" + v2 + "-256.jpg", "v" + v2 + "-64.circle.png", "v" + v2 + "-64.jpg");
		}
	}

	@Test
	void backlogShowsInHealthAndMetrics() throws Exception {
		long id = createUser("waiting");
		uploadOk(id, TestImages.jpeg(64, 64));
		String health = this.mvc.perform(get("/actuator/health").with(asAdmin()))
			.andExpect(jsonPath("$.components.storage.status").value("UP"))
			.andExpect(jsonPath("$.components.storage.details.free").isNotEmpty())
			.andReturn().getResponse().getContentAsString();
		assertThat(health).as("no file system path in public health details").doesNotContain(HOME.toString(), "\"path\"");
		this.mvc.perform(get("/actuator/health").with(asAdmin()))
			.andExpect(jsonPath("$.components.backlog.status").value("UP"))
			.andExpect(jsonPath("$.components.backlog.details.pending").value(1))
			.andExpect(jsonPath("$.components.backlog.details.lastCompletedRunAt").value("never"));
		this.mvc.perform(get("/actuator/metrics/avatars.backlog.size").with(asAdmin()))
			.andExpect(jsonPath("$.measurements[0].value").value(1.0));
		this.engine.runOnce(ThumbnailJob.NAME, Trigger.API);
		this.mvc.perform(get("/actuator/health").with(asAdmin()))
			.andExpect(jsonPath("$.components.backlog.details.pending").value(0))
			.andExpect(jsonPath("$.components.backlog.details.lastCompletedRunAgeSeconds").value(
					org.hamcrest.Matchers.lessThan(60)));
		this.mvc.perform(get("/actuator/metrics/avatars.processed").param("tag", "outcome:ready").with(asAdmin()))
			.andExpect(jsonPath("$.measurements[0].value").value(org.hamcrest.Matchers.greaterThanOrEqualTo(1.0)));
	}

	@Test
	void runsAreListedNewestFirstAndFoundById() throws Exception {
		RunReport first = this.engine.runOnce(ThumbnailJob.NAME, Trigger.API);
		RunReport second = this.engine.runOnce(ThumbnailJob.NAME, Trigger.SCHEDULE);
		this.mvc.perform(get("/api/jobs/thumbnails/runs").with(asAdmin()))
			.andExpect(jsonPath("$[0].id").value(second.id()))
			.andExpect(jsonPath("$[1].id").value(first.id()));
		this.mvc.perform(get("/api/jobs/thumbnails/runs/{id}", first.id()).with(asAdmin()))
			.andExpect(jsonPath("$.trigger").value("API"));
		this.mvc.perform(get("/api/jobs/thumbnails/runs/{id}", 987654).with(asAdmin()))
			.andExpect(status().isNotFound())
			.andExpect(jsonPath("$.detail").value("There is no thumbnails run with id 987654."));
		this.mvc.perform(post("/api/jobs/thumbnails/runs?limit=0").with(asAdmin())).andExpect(status().isBadRequest());
	}

	static void assertQuadrants(String name, BufferedImage image) {
		int s = image.getWidth();
		assertNear(name, image, s / 4, s / 4, Color.RED);
		assertNear(name, image, 3 * s / 4, s / 4, Color.GREEN);
		assertNear(name, image, s / 4, 3 * s / 4, Color.BLUE);
		assertNear(name, image, 3 * s / 4, 3 * s / 4, Color.YELLOW);
	}

	private static void assertNear(String name, BufferedImage image, int x, int y, Color expected) {
		Color actual = new Color(image.getRGB(x, y));
		int distance = Math.abs(actual.getRed() - expected.getRed()) + Math.abs(actual.getGreen() - expected.getGreen())
				+ Math.abs(actual.getBlue() - expected.getBlue());
		assertThat(distance).as("%s at %d,%d is %s, expected %s", name, x, y, actual, expected).isLessThan(90);
	}

	private MockHttpServletResponse thumbnail(long id, int size) throws Exception {
		return this.mvc.perform(get("/api/users/{id}/avatar/thumbnail?size={size}", id, size))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse();
	}

	private static int sizeOf(MockHttpServletResponse response) throws Exception {
		return ImageIO.read(new ByteArrayInputStream(response.getContentAsByteArray())).getWidth();
	}

	private long secondsUntilDue(long id) {
		return this.jdbc.sql("SELECT due_at, CURRENT_TIMESTAMP FROM avatars WHERE user_id = ?")
			.param(id)
			.query((rs, n) -> java.time.Duration.between(rs.getObject(2, java.time.OffsetDateTime.class),
					rs.getObject(1, java.time.OffsetDateTime.class)).toSeconds())
			.single();
	}

	private void makeDue(long id) {
		this.jdbc.sql("UPDATE avatars SET due_at = CURRENT_TIMESTAMP WHERE user_id = ?").param(id).update();
	}

}
