package dev.avatars.avatar;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.imageio.ImageIO;

import dev.avatars.ApiTestSupport;
import dev.avatars.job.JobEngine;
import dev.avatars.job.RunReport;
import dev.avatars.job.Trigger;
import dev.avatars.TestImages;

import dev.avatars.thumbnail.Thumbnailer;
import org.junit.jupiter.api.Test;
import org.mockito.invocation.Invocation;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mockingDetails;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

@TestPropertySource(properties = "avatars.processing.batch-size=7")
class ConcurrentRunsTests extends ApiTestSupport {

	/** Dozens of claims (as many as there are free workers, one per core, at most 7), shared by both runners. */
	private static final int BACKLOG = 80;

	@Autowired
	JobEngine engine;

	@MockitoSpyBean
	AvatarStorage storage;

	@MockitoSpyBean
	Thumbnailer thumbnailer;

	@Test
	void twoRunnersAtOnceProcessEachAvatarExactlyOnce() throws Exception {
		List<Long> ids = createUsers("user", BACKLOG);
		byte[] image = TestImages.jpeg(48, 48);
		for (long id : ids) {
			uploadOk(id, image);
		}
		// The first renders wait until both runners have started, so the second one meets a backlog still
		// claimed and under way, however late its thread gets going; a smaller backlog then still overlaps.
		CountDownLatch bothStarted = new CountDownLatch(2);
		doAnswer((invocation) -> {
			bothStarted.await(10, TimeUnit.SECONDS);
			return invocation.callRealMethod();
		}).when(this.thumbnailer).render(any(), any(), anyBoolean());

		CompletableFuture<RunReport> first = CompletableFuture.supplyAsync(() -> {
			bothStarted.countDown();
			return this.engine.runOnce(ThumbnailJob.NAME, Trigger.API);
		});
		CompletableFuture<RunReport> second = CompletableFuture.supplyAsync(() -> {
			bothStarted.countDown();
			return this.engine.runOnce(ThumbnailJob.NAME, Trigger.SCHEDULE);
		});
		RunReport a = first.get();
		RunReport b = second.get();

		assertThat(List.of(a.claimed(), b.claimed())).as("each runner claimed part of the backlog")
			.allSatisfy((claimed) -> assertThat(claimed).isPositive());
		assertThat(a.claimed() + b.claimed()).isEqualTo(BACKLOG);
		assertThat(a.ready() + b.ready()).isEqualTo(BACKLOG);
		assertThat(ids).allSatisfy((id) -> assertThat(avatarStatus(id)).isEqualTo("READY"));
		Map<Long, Integer> writesPerUser = new HashMap<>();
		for (Invocation invocation : mockingDetails(this.storage).getInvocations()) {
			if (invocation.getMethod().getName().equals("writeThumbnail")) {
				writesPerUser.merge((Long) invocation.getArgument(0), 1, Integer::sum);
			}
		}
		assertThat(writesPerUser).hasSize(BACKLOG);
		assertThat(writesPerUser.values()).allMatch((writes) -> writes == 6); // 3 sizes, square and round
	}

	@Test
	void aReuploadDuringProcessingWinsAndTheStaleThumbnailsAreDeleted() throws Exception {
		long id = createUser("racer");
		long v1 = uploadOk(id, TestImages.encode(TestImages.solid(80, 80, Color.RED), "png"));
		AtomicBoolean reuploaded = new AtomicBoolean();
		doAnswer((invocation) -> {
			Object thumbnails = invocation.callRealMethod();
			if (reuploaded.compareAndSet(false, true)) {
				// The user uploads a new picture while the old one is being rendered.
				uploadOk(id, TestImages.encode(TestImages.solid(80, 80, Color.BLUE), "png"));
			}
			return thumbnails;
		}).when(this.thumbnailer).render(any(), any(), anyBoolean());

		RunReport first = this.engine.runOnce(ThumbnailJob.NAME, Trigger.API);

		assertThat(first.claimed()).isEqualTo(1);
		assertThat(first.ready()).isZero();
		assertThat(avatarStatus(id)).isEqualTo("PENDING");
		assertThat(this.storage.readThumbnail(id, v1, 256, "jpg")).as("stale thumbnails deleted").isEmpty();

		RunReport second = this.engine.runOnce(ThumbnailJob.NAME, Trigger.API);

		assertThat(second.ready()).isEqualTo(1);
		long v2 = (Long) avatarRow(id).get("VERSION");
		assertThat(v2).isGreaterThan(v1);
		assertThat(avatarRow(id).get("READY_VERSION")).isEqualTo(v2);
		byte[] served = this.mvc.perform(get("/api/users/{id}/avatar/thumbnail", id)).andReturn().getResponse()
			.getContentAsByteArray();
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(served));
		Color centre = new Color(image.getRGB(128, 128));
		assertThat(centre.getBlue()).isGreaterThan(200);
		assertThat(centre.getRed()).isLessThan(50);
	}

}
