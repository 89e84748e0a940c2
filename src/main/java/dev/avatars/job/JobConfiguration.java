package dev.avatars.job;

import java.nio.file.Path;

import dev.avatars.avatar.ThumbnailProperties;
import dev.avatars.thumbnail.Thumbnailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class JobConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(JobConfiguration.class);

	@Bean
	Thumbnailer thumbnailer(ThumbnailProperties thumbnails) {
		Thumbnailer thumbnailer = new Thumbnailer(thumbnails.sizes(), thumbnails.jpegQuality(), thumbnails.engine());
		logger.info("Thumbnails: {}", thumbnailer.description());
		return thumbnailer;
	}

	/** Shared by every process on this host that uses the same temporary folder. */
	@Bean
	HostSlots hostSlots(ProcessingProperties processing) {
		return new HostSlots(Path.of(System.getProperty("java.io.tmpdir"), "avatars-host-slots"),
				processing.effectiveHostSlots());
	}

}
