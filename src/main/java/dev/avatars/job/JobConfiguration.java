package dev.avatars.job;

import dev.avatars.avatar.ThumbnailProperties;
import dev.avatars.avatar.UploadProperties;
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
	Thumbnailer thumbnailer(ThumbnailProperties thumbnails, UploadProperties upload) {
		// The upload's pixel limit again: the job decodes nothing the upload would refuse now.
		Thumbnailer thumbnailer = new Thumbnailer(thumbnails.sizes(), thumbnails.jpegQuality(), thumbnails.engine(),
				upload.maxPixels());
		logger.info("Thumbnails: {}", thumbnailer.description());
		return thumbnailer;
	}

}
