package dev.avatars.job;

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

}
