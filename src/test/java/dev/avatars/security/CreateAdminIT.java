package dev.avatars.security;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.avatars.AppProcess;
import dev.avatars.JsonText;
import dev.avatars.WebSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar avatars.jar create-admin --username=NAME} against a running deployment's database (the
 * embedded H2, reached through its AUTO_SERVER), with the password from the environment or standard input.
 */
class CreateAdminIT {

	@TempDir
	Path dir;

	@Test
	void makesAnAdminWhileTheAppRunsFromTheEnvironmentOrStandardInputAndRefusesBadInput() throws Exception {
		Path install = Files.createDirectories(this.dir.resolve("opt/avatars"));
		Path jar = AppProcess.install(install);
		try (AppProcess web = AppProcess.startWeb(jar, this.dir, this.dir.resolve("web.log"), "--avatars.processing.cron=-")) {
			Path created = this.dir.resolve("created.log");
			assertThat(run(jar, created, Map.of("AVATARS_ADMIN_PASSWORD", "first boss secret"), null,
					"--username=boss")).isZero();
			assertThat(Files.readString(created)).contains("create-admin: boss is an admin (created)")
				.doesNotContain("first boss secret");
			assertThat(JsonText.string(WebSession.signIn(web.baseUrl(), "boss", "first boss secret").get("/api/session").body(),
					"$.role")).isEqualTo("ADMIN");

			Path updated = this.dir.resolve("updated.log");
			assertThat(run(jar, updated, Map.of(), "second boss secret\n", "--username=boss")).isZero();
			assertThat(Files.readString(updated)).contains("create-admin: boss is an admin (updated)");
			assertThat(JsonText.string(WebSession.signIn(web.baseUrl(), "boss", "second boss secret").get("/api/session").body(),
					"$.role")).isEqualTo("ADMIN");

			Path refused = this.dir.resolve("refused.log");
			assertThat(run(jar, refused, Map.of("AVATARS_ADMIN_PASSWORD", "boss"), null, "--username=boss")).isEqualTo(1);
			assertThat(Files.readString(refused)).contains("create-admin: refused: the password must be at least 10 characters");

			Path usage = this.dir.resolve("usage.log");
			assertThat(run(jar, usage, Map.of("AVATARS_ADMIN_PASSWORD", "long enough secret"), null)).isEqualTo(2);
			assertThat(Files.readString(usage)).contains("create-admin: cannot run: usage: create-admin --username=NAME");

			assertThat(Files.readString(this.dir.resolve("web.log"))).doesNotContain("boss secret");
		}
	}

	private static int run(Path jar, Path log, Map<String, String> environment, String stdin, String... args)
			throws Exception {
		Map<String, String> all = new java.util.HashMap<>(Map.of("PATH", "/usr/bin:/bin", "HOME", "/tmp"));
		all.putAll(environment);
		List<String> command = new ArrayList<>(List.of("create-admin"));
		command.addAll(List.of(args));
		Process process = AppProcess.start(jar, Path.of("/"), all, log, command);
		try (OutputStream in = process.getOutputStream()) {
			if (stdin != null) {
				in.write(stdin.getBytes(StandardCharsets.UTF_8));
			}
		}
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the command finished").isTrue();
		return process.exitValue();
	}

}
