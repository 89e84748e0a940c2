package dev.avatars;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class AvatarsApplication {

	public static void main(String[] args) {
		SpringApplication.run(AvatarsApplication.class, args);
	}

}
