package dev.avatars.avatar;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.avatars.ApiTestSupport;
import dev.avatars.TestImages;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code POST /api/jobs/{job}/runs} answers at once and the run goes on in the background; its record shows the
 * progress until it has finished. {@code ?wait=true} answers with the finished report, for scripts.
 */
class RunsInTheBackgroundTests extends ApiTestSupport {

	@Autowired
	JdbcTemplate jdbcTemplate;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Enough that a run lasts seconds (each avatar's files and row are made durable one by one), so the record is
	 * seen part-way; more only made the test (and its PostgreSQL twin) slower.
	 */
	private static final int BACKLOG = 400;

	@Test
	void aRunStartsAt202WithALargeBacklogAndItsRecordReachesFinished() throws Exception {
		backlog(BACKLOG);
		RequestPostProcessor admin = asAdmin(); // made (a password hash) before the clock starts
		this.mvc.perform(get("/api/jobs/thumbnails/runs").with(admin)).andExpect(status().isOk());

		long started = System.nanoTime();
		MockHttpServletResponse accepted = this.mvc.perform(post("/api/jobs/thumbnails/runs").with(admin))
			.andReturn()
			.getResponse();
		long answeredMs = (System.nanoTime() - started) / 1_000_000;

		assertThat(accepted.getStatus()).isEqualTo(202);
		assertThat(answeredMs).as("answered while the backlog is still being processed").isLessThan(1000);
		JsonNode first = JSON.readTree(accepted.getContentAsString());
		assertThat(first.get("finished").asBoolean()).isFalse();
		assertThat(first.get("job").asString()).isEqualTo("thumbnails");
		assertThat(first.get("trigger").asString()).isEqualTo("API");
		String location = accepted.getHeader("Location");
		assertThat(location).endsWith("/api/jobs/thumbnails/runs/" + first.get("id").asLong());

		JsonNode partway = await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
			.until(() -> run(location), (run) -> run.get("ready").asInt() > 0);
		assertThat(partway.get("ready").asInt()).as("progress is shown while the run goes on").isLessThan(BACKLOG);
		JsonNode last = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
			.until(() -> run(location), (run) -> run.get("finished").asBoolean());
		assertThat(last.get("claimed").asInt()).isEqualTo(BACKLOG);
		assertThat(last.get("ready").asInt()).isEqualTo(BACKLOG);
		assertThat(last.get("finishedAt").isNull()).isFalse();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM avatars WHERE status = 'READY'").query(Long.class).single())
			.isEqualTo(BACKLOG);
	}

	@Test
	void waitTrueAnswersWithTheFinishedReport() throws Exception {
		long id = createUser("waiter");
		uploadOk(id, TestImages.jpeg(64, 64));

		this.mvc.perform(post("/api/jobs/thumbnails/runs?wait=true").with(asAdmin()))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.finished").value(true))
			.andExpect(jsonPath("$.ready").value(1));
		assertThat(avatarStatus(id)).isEqualTo("READY");
	}

	@Test
	void aJobThatDoesNotExistIsA404Problem() throws Exception {
		this.mvc.perform(post("/api/jobs/nonsense/runs").with(asAdmin()))
			.andExpect(status().isNotFound())
			.andExpect(content().contentType("application/problem+json"))
			.andExpect(jsonPath("$.title").value("Job not found"));
		this.mvc.perform(get("/api/jobs/nonsense/runs").with(asAdmin())).andExpect(status().isNotFound());
	}

	private JsonNode run(String location) throws Exception {
		return JSON.readTree(this.mvc.perform(get(location).with(asAdmin())).andReturn().getResponse().getContentAsString());
	}

	/**
	 * {@code count} users with a pending picture each, written straight to the tables: through the API (a
	 * password hash per user) this would take minutes.
	 */
	private void backlog(int count) throws Exception {
		Files.createDirectories(uploads().resolve("originals"));
		byte[] picture = TestImages.jpeg(48, 40);
		List<Object[]> users = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			users.add(new Object[] { "bulk" + i, "Bulk " + i });
			Files.write(uploads().resolve("originals").resolve("bulk" + i + ".jpg"), picture);
		}
		this.jdbcTemplate.batchUpdate(
				"INSERT INTO users (username, display_name, created_at) VALUES (?, ?, CURRENT_TIMESTAMP)", users);
		this.jdbcTemplate.update("""
				INSERT INTO avatars (user_id, status, version, original_key, format, width, height, uploaded_at,
				                     due_at, attempts)
				SELECT id, 'PENDING', 1, username || '.jpg', 'JPEG', 48, 40, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0
				  FROM users WHERE username LIKE 'bulk%'""");
	}

}
