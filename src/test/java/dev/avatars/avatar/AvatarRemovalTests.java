package dev.avatars.avatar;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.avatars.ApiTestSupport;
import dev.avatars.TestImages;
import dev.avatars.avatar.AvatarRepository.Claim;
import dev.avatars.thumbnail.Crop;
import dev.avatars.thumbnail.Framing;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Removing one's picture: a placeholder again, the files gone, a run in flight for it completing nothing. */
class AvatarRemovalTests extends ApiTestSupport {

	@Autowired
	AvatarRepository avatars;

	@Test
	void removingAReadyAvatarServesThePlaceholderAgainAndDeletesItsFiles() throws Exception {
		long id = createUser("leaver");
		long keep = createUser("keeper");
		uploadOk(keep, TestImages.jpeg(64, 64));
		this.mvc.perform(post("/api/jobs/thumbnails/runs?wait=true").with(asAdmin()))
			.andExpect(jsonPath("$.ready").value(1));
		List<Path> kept = storedFiles();
		uploadOk(id, TestImages.jpeg(64, 64));
		this.mvc.perform(post("/api/jobs/thumbnails/runs?wait=true").with(asAdmin()))
			.andExpect(jsonPath("$.ready").value(1));
		assertThat(storedFiles()).as("the original and thumbnails of both").hasSizeGreaterThan(kept.size() + 1);

		this.mvc.perform(delete("/api/users/{id}/avatar", id).with(as(id))).andExpect(status().isNoContent());

		assertThat(avatarStatus(id)).isEqualTo("NONE");
		assertThat(avatarRow(id).get("ORIGINAL_KEY")).isNull();
		assertThat(avatarRow(id).get("READY_VERSION")).isNull();
		avatarState(id).andExpect(jsonPath("$.status").value("NONE"))
			.andExpect(jsonPath("$.thumbnailUrl").value("/api/users/" + id + "/avatar/thumbnail"));
		this.mvc.perform(get("/api/users/{id}/avatar/thumbnail", id))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("image/svg+xml"));
		assertThat(storedFiles()).as("only the other user's files are left").containsExactlyElementsOf(kept);
		assertThat(avatarStatus(keep)).isEqualTo("READY");

		// Again: nothing to remove, still 204; then a new picture works as the first did.
		this.mvc.perform(delete("/api/users/{id}/avatar", id).with(as(id))).andExpect(status().isNoContent());
		uploadOk(id, TestImages.jpeg(64, 64));
		this.mvc.perform(post("/api/jobs/thumbnails/runs?wait=true").with(asAdmin()))
			.andExpect(jsonPath("$.ready").value(1));
		assertThat(avatarStatus(id)).isEqualTo("READY");
		this.mvc.perform(delete("/api/users/{id}/avatar", 424242).with(asAdmin())).andExpect(status().isNotFound());
	}

	@Test
	void aRunInFlightForARemovedPictureCompletesNothing() throws Exception {
		long id = createUser("racer");
		uploadOk(id, TestImages.jpeg(64, 64));
		List<Claim> claimed = this.avatars.claimDue(1, "runner", Duration.ofMinutes(5));
		assertThat(claimed).hasSize(1);

		this.mvc.perform(delete("/api/users/{id}/avatar", id).with(as(id))).andExpect(status().isNoContent());

		Framing centre = new Framing(Framing.Kind.CENTRE, new Crop(0, 0, 1), null, 0);
		assertThat(this.avatars.complete(claimed.get(0), "runner", "jpg", centre)).isFalse();
		assertThat(avatarStatus(id)).isEqualTo("NONE");
		assertThat(avatarRow(id).get("READY_VERSION")).isNull();
		assertThat(storedFiles()).isEmpty();
	}

}
