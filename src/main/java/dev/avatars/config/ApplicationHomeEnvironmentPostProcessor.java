package dev.avatars.config;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.avatars.AvatarsApplication;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.system.ApplicationHome;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defines {@code avatars.home}, the folder that relative data paths (the H2 database, {@code uploads/}) are
 * resolved against, so that a process started from {@code /} or from a cron job finds the same data as the web
 * app. It is the folder holding the jar, or the project root when the app runs from a Maven build
 * ({@code target/classes} or {@code target/avatars.jar}). An explicit {@code avatars.home} wins.
 */
class ApplicationHomeEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String PROPERTY = "avatars.home";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Path home = Path.of(environment.getProperty(PROPERTY, detect().toString())).toAbsolutePath().normalize();
		// Added last: it only supplies the default, and makes a relative explicit value absolute.
		environment.getPropertySources()
			.addFirst(new MapPropertySource("avatarsHome", Map.of(PROPERTY, home.toString())));
	}

	static Path detect() {
		File source = new ApplicationHome(AvatarsApplication.class).getSource();
		if (source == null) {
			return Path.of("").toAbsolutePath();
		}
		Path dir = source.isFile() ? source.toPath().getParent() : source.toPath();
		return projectRootOf(dir.toAbsolutePath().normalize());
	}

	/** {@code <project>/target/classes} and {@code <project>/target} map to the project; anything else is itself. */
	static Path projectRootOf(Path dir) {
		Path candidate = dir;
		if (candidate.getFileName() != null && candidate.getFileName().toString().equals("classes")) {
			candidate = candidate.getParent();
		}
		if (candidate != null && candidate.getFileName() != null && candidate.getFileName().toString().equals("target")
				&& Files.isRegularFile(candidate.resolveSibling("pom.xml"))) {
			return candidate.getParent();
		}
		return dir;
	}

}
