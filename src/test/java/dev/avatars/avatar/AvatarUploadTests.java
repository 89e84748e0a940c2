package dev.avatars.avatar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.avatars.ApiTestSupport;
import dev.avatars.MultipartBody;
import dev.avatars.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class AvatarUploadTests extends ApiTestSupport {

	private static final String UUID_NAME = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.";

	@Test
	void acceptedUploadIs202PendingAndStoresTheOriginalUnderAServerMadeName() throws Exception {
		long id = createUser("ada");
		byte[] jpeg = TestImages.jpeg(320, 200);

		upload(id, jpeg, "../../x.jpg", "image/jpeg").andExpect(status().isAccepted())
			.andExpect(content().contentType(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.status").value("PENDING"))
			.andExpect(jsonPath("$.uploadedAt").isNotEmpty())
			.andExpect(jsonPath("$.thumbnailUrl").value("/api/users/" + id + "/avatar/thumbnail"));

		List<Path> files = storedFiles();
		assertThat(files).hasSize(1);
		Path stored = files.get(0);
		assertThat(stored.getParent()).isEqualTo(uploads().resolve("originals"));
		assertThat(stored.getFileName().toString()).matches(UUID_NAME + "jpg");
		assertThat(Files.readAllBytes(stored)).isEqualTo(jpeg);
		// Where ../../x.jpg would land if the client's name were used under originals/.
		assertThat(HOME.resolve("x.jpg")).doesNotExist();

		Map<String, Object> row = avatarRow(id);
		assertThat(row.get("ORIGINAL_KEY")).isEqualTo(stored.getFileName().toString());
		assertThat(row.get("STATUS")).isEqualTo("PENDING");
		assertThat(row.get("VERSION")).isEqualTo(1L);
		assertThat(row.get("FORMAT")).isEqualTo("JPEG");
		assertThat(row.get("WIDTH")).isEqualTo(320);
		assertThat(row.get("HEIGHT")).isEqualTo(200);
		assertThat(row.get("DUE_AT")).isNotNull();
	}

	@Test
	void typeIsJudgedByContentNotByNameOrContentType() throws Exception {
		long id = createUser("spoof");
		upload(id, TestImages.png(40, 40), "notes.txt", "text/plain").andExpect(status().isAccepted());
		assertThat(avatarRow(id).get("FORMAT")).isEqualTo("PNG");
		assertThat(storedFiles()).singleElement()
			.satisfies((file) -> assertThat(file.getFileName().toString()).matches(UUID_NAME + "png"));
	}

	@Test
	void everyAcceptedFormatIsRecognised() throws Exception {
		long id = createUser("formats");
		for (String format : new String[] { "jpg", "png", "gif", "bmp" }) {
			byte[] image = TestImages.encode(TestImages.solid(30, 20, java.awt.Color.GREEN), format);
			upload(id, image, "x", "application/octet-stream").andExpect(status().isAccepted());
		}
		upload(id, TestImages.resource("quadrants.webp"), "x", "application/octet-stream")
			.andExpect(status().isAccepted());
		assertThat(avatarRow(id).get("FORMAT")).isEqualTo("WEBP");
		assertThat(avatarRow(id).get("WIDTH")).isEqualTo(160);
		assertThat(avatarRow(id).get("HEIGHT")).isEqualTo(120);
		assertThat(avatarRow(id).get("VERSION")).isEqualTo(5L);
		assertThat(storedFiles()).singleElement()
			.satisfies((file) -> assertThat(file.getFileName().toString()).endsWith(".webp"));
	}

	@Test
	void reuploadReplacesTheOriginalAndBumpsTheVersion() throws Exception {
		long id = createUser("again");
		upload(id, TestImages.jpeg(50, 50), "a.jpg", "image/jpeg").andExpect(status().isAccepted());
		String first = (String) avatarRow(id).get("ORIGINAL_KEY");
		upload(id, TestImages.png(60, 60), "b.png", "image/png").andExpect(status().isAccepted());

		Map<String, Object> row = avatarRow(id);
		assertThat(row.get("VERSION")).isEqualTo(2L);
		assertThat(row.get("ORIGINAL_KEY")).isNotEqualTo(first);
		assertThat(storedFiles()).containsExactly(uploads().resolve("originals").resolve((String) row.get("ORIGINAL_KEY")));
	}

	static List<Arguments> refusals() {
		return List.of(
				Arguments.of("HTML sent as image/jpeg", TestImages.HTML, "photo.jpg", "image/jpeg", 415,
						"The file is not a JPEG, PNG, GIF, WebP or BMP image."),
				Arguments.of("SVG", TestImages.SVG, "a.svg", "image/svg+xml", 415,
						"The file is not a JPEG, PNG, GIF, WebP or BMP image."),
				Arguments.of("PDF", TestImages.PDF, "a.pdf", "application/pdf", 415,
						"The file is not a JPEG, PNG, GIF, WebP or BMP image."),
				Arguments.of("HEIC from an iPhone", TestImages.isoMedia("heic", "mif1", "heic"), "IMG_0001.HEIC",
						"image/heic", 415, "HEIC pictures are not supported; send a JPEG, PNG or WebP."),
				Arguments.of("HEIC under the generic brand", TestImages.isoMedia("mif1", "mif1", "miaf", "MiHB", "heic"),
						"a.heic", "image/heif", 415, "HEIC pictures are not supported; send a JPEG, PNG or WebP."),
				Arguments.of("AVIF", TestImages.isoMedia("avif", "avif", "mif1", "miaf"), "a.avif", "image/avif", 415,
						"AVIF pictures are not supported; send a JPEG, PNG or WebP."),
				Arguments.of("empty file", new byte[0], "a.jpg", "image/jpeg", 400, "The file is empty."),
				Arguments.of("truncated JPEG header", TestImages.truncatedJpeg(40), "a.jpg", "image/jpeg", 422,
						"The JPEG header cannot be read; the file may be damaged or truncated."),
				Arguments.of("pixel bomb", TestImages.pngClaiming(30000, 30000), "bomb.png", "image/png", 422,
						"The image is 30000×30000 (900 megapixels); the limit is 40 megapixels."),
				Arguments.of("too small", TestImages.png(15, 200), "a.png", "image/png", 422,
						"The image is 15×200 pixels; it must be at least 16×16."),
				Arguments.of("over the byte limit", padded(TestImages.jpeg(32, 32), 10 * 1024 * 1024 + 1), "a.jpg",
						"image/jpeg", 413, "The file is larger than the limit of 10 MB."));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("refusals")
	void refusalIsProblemJsonAndLeavesNoFileAndNoChange(String name, byte[] content, String filename,
			String contentType, int expectedStatus, String expectedDetail) throws Exception {
		long id = createUser("refused");
		upload(id, TestImages.jpeg(64, 64), "before.jpg", "image/jpeg").andExpect(status().isAccepted());
		Map<String, Object> rowBefore = avatarRow(id);
		List<Path> filesBefore = storedFiles();

		MvcResult result = upload(id, content, filename, contentType).andExpect(status().is(expectedStatus))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(expectedStatus))
			.andExpect(jsonPath("$.detail").value(expectedDetail))
			.andExpect(jsonPath("$.title").isNotEmpty())
			.andReturn();

		assertNoInternals(result.getResponse().getContentAsString());
		assertThat(avatarRow(id)).isEqualTo(rowBefore);
		assertThat(storedFiles()).isEqualTo(filesBefore);
	}

	@Test
	void missingFilePartIs400() throws Exception {
		long id = createUser("nofile");
		Map<String, Object> rowBefore = avatarRow(id);
		this.mvc
			.perform(new MultipartBody().file("picture", "a.jpg", "image/jpeg", TestImages.jpeg(20, 20))
				.post("/api/users/{id}/avatar", id).with(as(id)))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value("Send the picture as a multipart/form-data field named 'file'."));
		assertThat(avatarRow(id)).isEqualTo(rowBefore);
		assertThat(storedFiles()).isEmpty();
	}

	@Test
	void nonMultipartRequestIsRefused() throws Exception {
		long id = createUser("json");
		this.mvc.perform(post("/api/users/{id}/avatar", id).with(as(id)).contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andExpect(status().isUnsupportedMediaType())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
		assertThat(storedFiles()).isEmpty();
	}

	@Test
	void uploadForUnknownUserIs404AndStoresNothing() throws Exception {
		// Only an admin may reach someone else's avatar, so only an admin learns that the user does not exist.
		this.mvc.perform(new MultipartBody().file("file", "a.jpg", "image/jpeg", TestImages.jpeg(64, 64))
			.post("/api/users/{id}/avatar", 999_999).with(asAdmin()))
			.andExpect(status().isNotFound())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value("There is no user with id 999999."));
		assertThat(storedFiles()).isEmpty();
	}

	@Test
	void concurrentUploadsForOneUserLeaveExactlyOneOriginalThatTheRowPointsAt() throws Exception {
		long id = createUser("racer");
		int uploads = 12;
		ExecutorService pool = Executors.newFixedThreadPool(6);
		try {
			List<Callable<Integer>> tasks = new ArrayList<>();
			for (int i = 0; i < uploads; i++) {
				byte[] image = TestImages.jpeg(100 + i, 100);
				tasks.add(() -> upload(id, image, "same.jpg", "image/jpeg").andReturn().getResponse().getStatus());
			}
			for (Future<Integer> status : pool.invokeAll(tasks)) {
				assertThat(status.get()).isEqualTo(202);
			}
		}
		finally {
			pool.shutdown();
		}
		Map<String, Object> row = avatarRow(id);
		assertThat(row.get("VERSION")).isEqualTo((long) uploads);
		assertThat(storedFiles()).containsExactly(uploads().resolve("originals").resolve((String) row.get("ORIGINAL_KEY")));
		// The row's dimensions belong to the file it points at: the last committed upload won as a whole.
		java.awt.image.BufferedImage kept = javax.imageio.ImageIO.read(storedFiles().get(0).toFile());
		assertThat(kept.getWidth()).isEqualTo(row.get("WIDTH"));
	}

	@Test
	void deletingAUserWhileTheirUploadsAreInFlightLeavesNoFileBehind() throws Exception {
		long id = createUser("leaving");
		// Signed in before the account goes: later requests of this session find no user.
		org.springframework.test.web.servlet.request.RequestPostProcessor owner = as(id);
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<Integer>> uploads = new ArrayList<>();
			for (int i = 0; i < 12; i++) {
				byte[] image = TestImages.jpeg(80 + i, 80);
				uploads.add(pool.submit(() -> this.mvc.perform(new MultipartBody().file("file", "a.jpg", "image/jpeg", image)
					.post("/api/users/{id}/avatar", id).with(owner)).andReturn().getResponse().getStatus()));
				if (i == 5) {
					uploads.add(pool.submit(() -> this.mvc.perform(
							org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete("/api/users/{id}", id)
								.with(owner))
						.andReturn().getResponse().getStatus()));
				}
			}
			for (Future<Integer> status : uploads) {
				assertThat(status.get()).isIn(202, 204, 404);
			}
		}
		finally {
			pool.shutdown();
		}
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM users WHERE id = ?").param(id).query(Long.class).single()).isZero();
		assertThat(storedFiles()).as("whatever the order, the deleted user's files are gone").isEmpty();
	}

	static void assertNoInternals(String body) {
		assertThat(body).doesNotContain("Exception", "\tat ", "java.", "dev.avatars", HOME.toString(), "/tmp");
	}

	private static byte[] padded(byte[] image, int length) {
		byte[] padded = new byte[length];
		System.arraycopy(image, 0, padded, 0, image.length);
		return padded;
	}

}
