package dev.avatars.config;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * H2's AUTO_SERVER (which lets the cron command open the database while the web app has it) listens on every
 * interface unless {@code h2.bindAddress} says otherwise, and publishes that address in the .lock.db file.
 * Only processes on this host need it: bind it to loopback, before H2 reads its system properties (they are
 * read once, when its classes load). An explicit {@code -Dh2.bindAddress} wins.
 */
class H2LoopbackEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String BIND_ADDRESS = "h2.bindAddress";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (System.getProperty(BIND_ADDRESS) == null) {
			System.setProperty(BIND_ADDRESS, "127.0.0.1");
		}
	}

}
