package dev.avatars.avatar;

import java.nio.file.Files;

import dev.avatars.ApiTestSupport;
import dev.avatars.job.JobEngine;
import dev.avatars.job.RunReport;
import dev.avatars.job.Trigger;
import dev.avatars.HostileImages;
import dev.avatars.TestImages;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Originals the upload would refuse now, or whose damage only decoding finds, end FAILED in the first run with the
 * real reason: the job's thumbnailer has the upload's pixel limit (wired from avatars.upload.max-pixels).
 */
class HostileOriginalJobTests extends ApiTestSupport {

	@Autowired
	JobEngine engine;

	@Test
	void originalsStoredBeforeTheFrameCheckFailAtOnceWithTheReason() throws Exception {
		long hidden = createUser("hidden");
		long lossless = createUser("lossless");
		long good = createUser("good");
		for (long id : new long[] { hidden, lossless, good }) {
			uploadOk(id, TestImages.jpeg(100, 80));
		}
		// As if stored before the upload read every frame.
		Files.write(uploads().resolve("originals").resolve((String) avatarRow(hidden).get("ORIGINAL_KEY")),
				HostileImages.webpCanvasAroundLargerFrame(100, 12000, 12000));
		Files.write(uploads().resolve("originals").resolve((String) avatarRow(lossless).get("ORIGINAL_KEY")),
				HostileImages.losslessJpeg(6324, 6324, 16, 1));

		RunReport report = this.engine.runOnce(ThumbnailJob.NAME, Trigger.API);

		assertThat(report.claimed()).isEqualTo(3);
		assertThat(report.ready()).isEqualTo(1);
		assertThat(report.failed()).isEqualTo(2);
		assertThat(avatarStatus(good)).isEqualTo("READY");
		assertThat(avatarRow(hidden).get("STATUS")).isEqualTo("FAILED");
		assertThat(avatarRow(hidden).get("ERROR")).isEqualTo("The image states a frame of 12000×12000 pixels"
				+ " (144 megapixels) in a picture of 100×100; the limit is 40 megapixels.");
		assertThat((String) avatarRow(lossless).get("ERROR"))
			.startsWith("The image is a lossless JPEG of 40.0 megapixels with 1 component(s)");
		assertThat(this.engine.runOnce(ThumbnailJob.NAME, Trigger.API).claimed()).isZero();
	}

	@Test
	void aCorruptLosslessJpegFailsAtOnceInsteadOfBeingRetried() throws Exception {
		long id = createUser("corrupt");
		uploadOk(id, HostileImages.corruptLosslessJpeg(300, 300));

		RunReport report = this.engine.runOnce(ThumbnailJob.NAME, Trigger.API);

		assertThat(report.failed()).isEqualTo(1);
		assertThat(report.retried()).isZero();
		assertThat(avatarRow(id).get("STATUS")).isEqualTo("FAILED");
		assertThat((String) avatarRow(id).get("ERROR")).startsWith("not a decodable JPEG: ");
		assertThat(this.engine.runOnce(ThumbnailJob.NAME, Trigger.API).claimed()).isZero();
	}

}
