package dev.avatars.web;

import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SlowClientConfiguration {

	@Bean
	TomcatContextCustomizer slowClientValve(RequestBodyProperties properties) {
		return (context) -> context.getPipeline().addValve(new SlowClientValve(properties));
	}

}
