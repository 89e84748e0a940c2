package dev.avatars.avatar;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import com.jayway.jsonpath.JsonPath;
import dev.avatars.ApiTestSupport;
import dev.avatars.MultipartBody;
import dev.avatars.TestFaces;
import dev.avatars.TestFaces.Composed;
import dev.avatars.TestFaces.Portrait;
import dev.avatars.TestImages;
import dev.avatars.job.JobEngine;
import dev.avatars.job.Trigger;
import dev.avatars.thumbnail.OpenCvForTests;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Face-aware crops and round avatars through the API: the job frames the face and records it, the owner sees
 * the choice, every size also comes round, with the same caching rules, and the clean-up keeps the round files.
 */
class FaceAvatarTests extends ApiTestSupport {

	@Autowired
	JobEngine engine;

	@Autowired
	CleanupJob cleanup;

	private long readyWith(String name, byte[] picture) throws Exception {
		long id = createUser(name);
		uploadOk(id, picture);
		assertThat(this.engine.runOnce(ThumbnailJob.NAME, Trigger.API).ready()).isEqualTo(1);
		return id;
	}

	@Test
	void anOffCentreFaceIsFramedRecordedAndShownToItsOwner() throws Exception {
		assumeTrue(OpenCvForTests.load() == null, "face detection needs OpenCV");
		Composed picture = TestFaces.landscape(2400, 800).with(Portrait.HOPPER, 1950, 300, 400).done();
		long id = readyWith("framed", TestImages.encode(picture.image(), "jpg"));

		String body = avatarState(id).andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("READY"))
			.andExpect(jsonPath("$.framing.kind").value("FACE"))
			.andExpect(jsonPath("$.framing.faces").value(1))
			.andExpect(jsonPath("$.framing.face.width").isNumber())
			.andReturn().getResponse().getContentAsString();
		double x = JsonPath.<Number>read(body, "$.framing.square.x").doubleValue();
		double y = JsonPath.<Number>read(body, "$.framing.square.y").doubleValue();
		double size = JsonPath.<Number>read(body, "$.framing.square.size").doubleValue();
		Rectangle square = new Rectangle((int) Math.round(x * 2400), (int) Math.round(y * 800),
				(int) Math.round(size * 800), (int) Math.round(size * 800));
		assertThat(square.contains(picture.faces().get(0))).as("%s in %s", picture.faces().get(0), square).isTrue();
		assertThat(avatarRow(id).get("FRAMING")).isEqualTo("FACE");
		// Others do not see it.
		long other = createUser("other");
		this.mvc.perform(get("/api/users/{id}/avatar", id).with(as(other))).andExpect(status().isForbidden());
	}

	@Test
	void aChosenSquareWinsAndAPictureWithoutAFaceKeepsTheCentre() throws Exception {
		byte[] portrait = TestImages.encode(Portrait.ASTRONAUT.image(), "jpg");
		long chosen = createUser("chosen");
		this.mvc.perform(new MultipartBody().file("file", "a.jpg", "image/jpeg", portrait)
			.field("cropX", "0.5").field("cropY", "0.5").field("cropSize", "0.5")
			.post("/api/users/{id}/avatar", chosen).with(as(chosen))).andExpect(status().isAccepted());
		assertThat(this.engine.runOnce(ThumbnailJob.NAME, Trigger.API).ready()).isEqualTo(1);
		avatarState(chosen).andExpect(jsonPath("$.framing.kind").value("CHOSEN"))
			.andExpect(jsonPath("$.framing.square.x").value(0.5))
			.andExpect(jsonPath("$.framing.square.size").value(0.5))
			.andExpect(jsonPath("$.framing.face").doesNotExist());

		long plain = readyWith("plain", TestImages.jpeg(300, 200));
		avatarState(plain).andExpect(jsonPath("$.framing.kind").value("CENTRE"))
			.andExpect(jsonPath("$.framing.faces").value(0))
			.andExpect(jsonPath("$.framing.square.x").value(50 / 300.0))
			.andExpect(jsonPath("$.framing.square.size").value(1.0));
	}

	@Test
	void everySizeComesRoundWithTheSameCachingRules() throws Exception {
		long id = readyWith("round", TestImages.encode(Portrait.ASTRONAUT.image(), "jpg"));
		long version = (Long) avatarRow(id).get("READY_VERSION");
		for (int size : new int[] { 256, 128, 64 }) {
			MockHttpServletResponse response = this.mvc
				.perform(get("/api/users/{id}/avatar/thumbnail?size={size}&shape=circle&v={v}", id, size, version))
				.andExpect(status().isOk())
				.andExpect(content().contentType("image/png"))
				.andExpect(header().string("Cache-Control", "max-age=31536000, public, immutable"))
				.andExpect(header().string("ETag", "\"" + id + "-v" + version + "-" + size + "-circle\""))
				.andExpect(header().string("X-Content-Type-Options", "nosniff"))
				.andReturn().getResponse();
			BufferedImage round = ImageIO.read(new ByteArrayInputStream(response.getContentAsByteArray()));
			assertThat(round.getWidth()).isEqualTo(size);
			assertThat(round.getRGB(0, 0) >>> 24).isZero();
			assertThat(round.getRGB(size - 1, size - 1) >>> 24).isZero();
			assertThat(round.getRGB(size / 2, size / 2) >>> 24).isEqualTo(255);
		}
		// Unversioned: revalidated; a conditional request is answered 304.
		this.mvc.perform(get("/api/users/{id}/avatar/thumbnail?size=64&shape=circle", id))
			.andExpect(status().isOk()).andExpect(header().string("Cache-Control", "no-cache"));
		this.mvc.perform(get("/api/users/{id}/avatar/thumbnail?size=64&shape=circle", id)
			.header("If-None-Match", "\"" + id + "-v" + version + "-64-circle\""))
			.andExpect(status().isNotModified());
		// The square one is still the JPEG.
		this.mvc.perform(get("/api/users/{id}/avatar/thumbnail?size=64&shape=square", id))
			.andExpect(content().contentType("image/jpeg"));
	}

	@Test
	void aRoundPlaceholderWhileNoneIsReady() throws Exception {
		long id = createUser("waiting");
		String square = this.mvc.perform(get("/api/users/{id}/avatar/thumbnail?size=64", id))
			.andExpect(content().contentType("image/svg+xml")).andReturn().getResponse().getContentAsString();
		String round = this.mvc.perform(get("/api/users/{id}/avatar/thumbnail?size=64&shape=circle", id))
			.andExpect(status().isOk())
			.andExpect(content().contentType("image/svg+xml"))
			.andExpect(header().string("Cache-Control", "max-age=60, public"))
			.andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
		assertThat(round).contains("<circle").doesNotContain("<rect").contains(">W</text>");
		assertThat(square).contains("<rect").doesNotContain("<circle");
		uploadOk(id, TestImages.jpeg(100, 100));
		this.mvc.perform(get("/api/users/{id}/avatar/thumbnail?size=64&shape=circle", id))
			.andExpect(content().contentType("image/svg+xml"));
	}

	@Test
	void anUnknownShapeIsABadRequest() throws Exception {
		long id = createUser("shapes");
		this.mvc.perform(get("/api/users/{id}/avatar/thumbnail?shape=hexagon", id))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith("application/problem+json"));
	}

	@Test
	void theCleanupKeepsTheRoundFilesOfTheServedVersionAndRemovesAReplacedOnes() throws Exception {
		long id = readyWith("kept", TestImages.jpeg(120, 90));
		long version = (Long) avatarRow(id).get("READY_VERSION");
		Path folder = uploads().resolve("thumbnails/" + id);
		List<Path> round = List.of(folder.resolve("v" + version + "-256.circle.png"),
				folder.resolve("v" + version + "-128.circle.png"), folder.resolve("v" + version + "-64.circle.png"));
		assertThat(round).allMatch(Files::exists);
		Path replaced = Files.write(folder.resolve("v0-64.circle.png"), new byte[10]);
		for (Path file : storedFiles()) {
			Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(
					java.time.Instant.now().minus(java.time.Duration.ofHours(2))));
		}

		this.mvc.perform(post("/api/jobs/cleanup/runs?wait=true").with(asAdmin()))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.failed").value(0));

		assertThat(round).allMatch(Files::exists);
		assertThat(replaced).doesNotExist();
	}

}
