package dev.avatars;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * One application context for the API tests, on its own home folder (H2 file database and uploads), emptied
 * before each test. The in-app schedule is off so that only the tests start job runs.
 */
@SpringBootTest(properties = "avatars.processing.cron=-")
@AutoConfigureMockMvc
public abstract class ApiTestSupport {

	protected static final Path HOME = createHome();

	@Autowired
	protected MockMvc mvc;

	@Autowired
	protected JdbcClient jdbc;

	@DynamicPropertySource
	static void home(DynamicPropertyRegistry registry) {
		registry.add("avatars.home", HOME::toString);
	}

	private static Path createHome() {
		try {
			// Under target/, not the system's temporary folder: the context and its H2 database live until the
			// JVM exits, so no test can delete the folder after use; ./mvnw clean does.
			return Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "test-home-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@BeforeEach
	void emptyDatabaseAndUploads() throws IOException {
		this.jdbc.sql("DELETE FROM job_runs").update();
		this.jdbc.sql("DELETE FROM avatars").update();
		this.jdbc.sql("DELETE FROM users").update();
		for (Path file : storedFiles()) {
			Files.delete(file);
		}
	}

	protected static Path uploads() {
		return HOME.resolve("uploads");
	}

	/** Every regular file under uploads/, wherever it is. */
	protected static List<Path> storedFiles() throws IOException {
		try (Stream<Path> files = Files.walk(uploads())) {
			return files.filter(Files::isRegularFile).sorted().toList();
		}
	}

	protected long createUser(String username) throws Exception {
		String body = this.mvc
			.perform(post("/api/users").contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\":\"" + username + "\",\"displayName\":\"" + username + "\"}"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		return Long.parseLong(body.replaceAll("^\\{\"id\":(\\d+),.*$", "$1"));
	}

	protected ResultActions upload(long userId, byte[] content, String filename, String contentType) throws Exception {
		return this.mvc.perform(new MultipartBody().file("file", filename, contentType, content)
			.post("/api/users/{id}/avatar", userId));
	}

	protected Map<String, Object> avatarRow(long userId) {
		return this.jdbc.sql("SELECT * FROM avatars WHERE user_id = ?").param(userId).query().singleRow();
	}

	protected String avatarStatus(long userId) {
		return (String) avatarRow(userId).get("STATUS");
	}

	protected long uploadOk(long userId, byte[] content) throws Exception {
		upload(userId, content, "a", "application/octet-stream")
			.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().isAccepted());
		return (Long) avatarRow(userId).get("VERSION");
	}

}
