package dev.avatars.config;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ApplicationHomeTests {

	@Test
	void mavenBuildFoldersMapToTheProjectRoot(@TempDir Path project) throws Exception {
		Files.writeString(project.resolve("pom.xml"), "<project/>");
		Path target = Files.createDirectories(project.resolve("target/classes"));
		assertThat(ApplicationHomeEnvironmentPostProcessor.projectRootOf(target)).isEqualTo(project);
		assertThat(ApplicationHomeEnvironmentPostProcessor.projectRootOf(project.resolve("target"))).isEqualTo(project);
	}

	@Test
	void aFolderHoldingTheJarIsTheHome(@TempDir Path dir) throws Exception {
		Path opt = Files.createDirectories(dir.resolve("opt/avatars"));
		assertThat(ApplicationHomeEnvironmentPostProcessor.projectRootOf(opt)).isEqualTo(opt);
		// A folder named target outside a Maven project is just a folder.
		Path target = Files.createDirectories(dir.resolve("srv/target"));
		assertThat(ApplicationHomeEnvironmentPostProcessor.projectRootOf(target)).isEqualTo(target);
	}

}
