package dev.avatars.avatar;

import dev.avatars.ApiTestSupport;
import dev.avatars.TestImages;
import dev.avatars.job.JobEngine;
import dev.avatars.job.Trigger;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code avatars.processing.on-upload=false} (the tests' default) an upload waits for the sweep. */
class NoProcessingOnUploadTests extends ApiTestSupport {

	@Autowired
	JobEngine engine;

	@Test
	void anUploadStaysPendingUntilTheSweep() throws Exception {
		long id = createUser("patient");
		uploadOk(id, TestImages.jpeg(64, 64));

		Thread.sleep(2000); // an on-upload run would have finished well within this
		assertThat(avatarStatus(id)).isEqualTo("PENDING");
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM job_runs").query(Long.class).single()).isZero();

		assertThat(this.engine.runOnce(ThumbnailJob.NAME, Trigger.SCHEDULE).ready()).isEqualTo(1);
		assertThat(avatarStatus(id)).isEqualTo("READY");
	}

}
