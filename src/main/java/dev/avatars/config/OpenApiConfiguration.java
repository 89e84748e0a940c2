package dev.avatars.config;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	@Bean
	OpenAPI avatarsOpenApi() {
		return new OpenAPI().info(new Info().title("avatars")
			.version("v1")
			.description("Upload a profile picture and get an answer at once; thumbnails are made in the background. "
					+ "Errors are RFC 9457 problem+json."));
	}

}
