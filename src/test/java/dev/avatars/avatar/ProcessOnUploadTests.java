package dev.avatars.avatar;

import java.time.Duration;

import dev.avatars.ApiTestSupport;
import dev.avatars.TestImages;
import dev.avatars.job.Trigger;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Trigger 4: with {@code avatars.processing.on-upload} on, an upload becomes READY within seconds with no
 * schedule, no CLI and no API call; with it off, it waits for the sweep.
 */
class ProcessOnUploadTests extends ApiTestSupport {

	@DynamicPropertySource
	static void onUpload(DynamicPropertyRegistry registry) {
		registry.add("avatars.processing.on-upload", () -> "true");
	}

	@Test
	void anUploadBecomesReadyByItself() throws Exception {
		long id = createUser("eager");
		uploadOk(id, TestImages.resource("orientation-6.jpg"));

		await().atMost(Duration.ofSeconds(20)).until(() -> "READY".equals(avatarStatus(id)));
		assertThat(this.jdbc.sql("SELECT run_trigger FROM job_runs").query(String.class).list())
			.isNotEmpty()
			.containsOnly(Trigger.UPLOAD.name());
		assertThat(storedFiles()).anySatisfy((file) -> assertThat(file.toString()).contains("thumbnails"));
	}

	@Test
	void aBurstOfUploadsIsAllReadyAndEachVersionIsTheNewest() throws Exception {
		long[] ids = new long[6];
		for (int i = 0; i < ids.length; i++) {
			ids[i] = createUser("burst" + i);
		}
		for (long id : ids) {
			uploadOk(id, TestImages.jpeg(120, 90));
			uploadOk(id, TestImages.jpeg(90, 120)); // replaces the first at once
		}
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			for (long id : ids) {
				assertThat(avatarStatus(id)).isEqualTo("READY");
				assertThat(avatarRow(id).get("READY_VERSION")).isEqualTo(avatarRow(id).get("VERSION"));
			}
		});
	}

}
