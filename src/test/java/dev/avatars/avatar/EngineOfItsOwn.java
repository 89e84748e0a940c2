package dev.avatars.avatar;

import java.time.Duration;
import java.util.List;

import dev.avatars.durable.DurableCommits;
import dev.avatars.job.JobEngine;
import dev.avatars.job.JobRuns;
import dev.avatars.job.ProcessingProperties;
import dev.avatars.thumbnail.Thumbnailer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.context.ApplicationContext;

/**
 * A thumbnail engine of a test's own, on the application's database and storage but with the test's
 * thumbnailer and settings: stopping it, or slowing its renders, leaves the application's engine alone.
 */
final class EngineOfItsOwn {

	private EngineOfItsOwn() {
	}

	/** One worker, a 5-minute lease unless given, started; the caller stops it. */
	static JobEngine start(ApplicationContext context, Thumbnailer thumbnailer, Duration lease,
			Duration shutdownTimeout) {
		ProcessingProperties properties = new ProcessingProperties("-", "", false, 1, 10, 3, Duration.ofMinutes(1),
				lease, shutdownTimeout);
		ThumbnailJob job = new ThumbnailJob(context.getBean(AvatarRepository.class),
				context.getBean(AvatarStorage.class), thumbnailer, properties, context.getBean(DurableCommits.class));
		JobEngine engine = new JobEngine(List.of(job), context.getBean(JobRuns.class), properties,
				new SimpleMeterRegistry());
		engine.start();
		return engine;
	}

}
