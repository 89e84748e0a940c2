package dev.avatars.avatar;

import dev.avatars.thumbnail.Thumbnailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ThumbnailConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(ThumbnailConfiguration.class);

	@Bean
	Thumbnailer thumbnailer(ThumbnailProperties thumbnails, UploadProperties upload) {
		// The upload's pixel limit again: the job decodes nothing the upload would refuse now.
		Thumbnailer thumbnailer = new Thumbnailer(thumbnails.sizes(), thumbnails.jpegQuality(), thumbnails.engine(),
				upload.maxPixels(), thumbnails.reducedJpegDecoder(), thumbnails.crop());
		logger.info("Thumbnails: {}", thumbnailer.description());
		return thumbnailer;
	}

}
