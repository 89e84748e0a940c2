package dev.avatars.job;

import dev.avatars.avatar.ThumbnailProperties;
import dev.avatars.thumbnail.Thumbnailer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class JobConfiguration {

	@Bean
	Thumbnailer thumbnailer(ThumbnailProperties thumbnails) {
		return new Thumbnailer(thumbnails.sizes(), thumbnails.jpegQuality());
	}

}
