package dev.avatars.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import dev.avatars.AppProcess;
import dev.avatars.JsonText;
import dev.avatars.TestImages;
import dev.avatars.WebSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar keeps its data beside itself, whatever folder it is started from, across restarts and for the
 * job. The one IT that runs the fat jar itself ({@code java -jar avatars.jar}, Spring Boot's nested-jar
 * launcher) rather than the extracted form the others start faster: its resources, migrations and the OpenCV
 * natives it unpacks for a thumbnail all come out of the nested jars here.
 */
class ApplicationHomeIT {

	@Test
	void aRestartFromAnotherWorkingDirectoryFindsTheSameUsersAndFiles(@TempDir Path dir) throws Exception {
		Path install = Files.createDirectories(dir.resolve("opt/avatars"));
		Path jar = AppProcess.installPackaged(install);
		Path elsewhere = Files.createDirectories(dir.resolve("home/someone"));

		long id;
		try (AppProcess first = AppProcess.startWeb(jar, Path.of("/"), dir.resolve("first.log"), "--avatars.processing.cron=-")) {
			String created = first.postJson("/api/users", "{\"username\":\"kept\",\"displayName\":\"Kept\",\"password\":\"kept password\"}").body();
			id = JsonText.number(created, "$.id");
			assertThat(first.postFile("/api/users/" + id + "/avatar", TestImages.jpeg(80, 80)).statusCode())
				.isEqualTo(202);
		}

		try (AppProcess second = AppProcess.startWeb(jar, elsewhere, dir.resolve("second.log"), "--avatars.processing.cron=-")) {
			assertThat(JsonText.string(second.get("/api/users/" + id).body(), "$.username")).isEqualTo("kept");
			assertThat(JsonText.string(second.get("/api/users/" + id + "/avatar").body(), "$.status")).isEqualTo("PENDING");
			// The job on the file the first start kept: a thumbnail from the natives unpacked out of the fat jar.
			assertThat(second.postJson("/api/jobs/thumbnails/runs?wait=true", "").body()).contains("\"ready\":1");
			String avatar = second.get("/api/users/" + id + "/avatar").body();
			assertThat(JsonText.string(avatar, "$.status")).isEqualTo("READY");
			assertThat(second.get(JsonText.first(avatar, "\"thumbnailUrl\":\"([^\"]+)\"")).statusCode()).isEqualTo(200);
			assertThat(JsonText.<Boolean>read(
					WebSession.signIn(second.baseUrl(), "kept", "kept password").get("/api/session").body(), "$.signedIn"))
				.as("the account survives the restart").isTrue();
		}

		assertThat(Files.exists(install.resolve("data/avatars.mv.db"))).isTrue();
		try (Stream<Path> originals = Files.list(install.resolve("uploads/originals"))) {
			assertThat(originals.filter((file) -> file.toString().endsWith(".jpg"))).hasSize(1);
		}
		assertThat(elsewhere.resolve("data")).doesNotExist();
		assertThat(elsewhere.resolve("uploads")).doesNotExist();
	}

}
