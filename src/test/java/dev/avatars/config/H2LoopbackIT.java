package dev.avatars.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.avatars.AppProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the app up on the embedded H2 default, its only socket on a non-loopback address is the HTTP port: H2's
 * AUTO_SERVER listens on 127.0.0.1 and says so in the .lock.db file, and the cron command still gets in.
 */
class H2LoopbackIT {

	@TempDir
	Path dir;

	@Test
	void theDatabaseServerListensOnLoopbackAndTheCronCommandStillConnects() throws Exception {
		Path install = Files.createDirectories(this.dir.resolve("opt/avatars"));
		Path jar = AppProcess.install(install);
		try (AppProcess web = AppProcess.startWeb(jar, this.dir, this.dir.resolve("web.log"), "--avatars.processing.cron=-")) {
			String lock = Files.readString(install.resolve("data/avatars.lock.db"));
			// A properties file: "server=localhost\:PORT" (H2 names a loopback bind address so).
			assertThat(lock).containsPattern("server=(127\\.0\\.0\\.1|localhost)\\\\?:\\d+");
			String h2Port = lock.replaceAll("(?s).*server=[^\\n]*?(\\d+)\\s.*", "$1");

			Process ss = new ProcessBuilder("ss", "-ltnpH").redirectErrorStream(true).start();
			List<String> listening = new String(ss.getInputStream().readAllBytes()).lines()
				.filter((line) -> line.contains("pid=" + web.pid() + ","))
				.toList();
			assertThat(ss.waitFor(30, TimeUnit.SECONDS)).isTrue();
			String httpPort = web.baseUrl().replaceAll(".*:(\\d+)$", "$1");
			assertThat(listening).as("the app's listening sockets").anyMatch((line) -> line.contains(":" + h2Port + " "));
			assertThat(listening).as("only the HTTP port beyond loopback").allSatisfy((line) -> {
				String local = line.trim().split("\\s+")[3];
				assertThat(local.endsWith(":" + httpPort) || local.startsWith("127.") || local.startsWith("[::1]")
						|| local.startsWith("[::ffff:127.")).as(line).isTrue();
			});

			Path log = this.dir.resolve("cli.log");
			Process cli = AppProcess.start(jar, Path.of("/"), Map.of("PATH", "/usr/bin:/bin", "HOME", "/tmp"), log,
					List.of("process-avatars", "--dry-run"));
			assertThat(cli.waitFor(120, TimeUnit.SECONDS)).isTrue();
			assertThat(cli.exitValue()).as(Files.readString(log)).isZero();
			assertThat(Files.readString(log)).contains("process-avatars: dry run, 0 due");
		}
	}

}
