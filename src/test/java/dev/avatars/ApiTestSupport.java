package dev.avatars;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.avatars.user.Account;
import dev.avatars.user.AccountService;
import dev.avatars.user.Role;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * One application context for the API tests, on its own home folder (H2 file database and uploads), emptied
 * before each test. The in-app schedule and the upload trigger are off so that only the tests start job runs.
 */
@SpringBootTest(properties = { "avatars.processing.cron=-", "avatars.processing.on-upload=false",
		"avatars.cleanup.cron=-" })
@AutoConfigureMockMvc
public abstract class ApiTestSupport {

	protected static final Path HOME = createHome();

	/** Every test user's password (at least 10 characters, not the username). */
	protected static final String PASSWORD = "correct horse battery";

	protected static final String ADMIN = "root";

	@Autowired
	protected MockMvc mvc;

	@Autowired
	protected JdbcClient jdbc;

	@Autowired
	protected AccountService accounts;

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
		this.jdbc.sql("DELETE FROM job_leases").update();
		this.jdbc.sql("DELETE FROM rate_limits").update();
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

	/** Signs up {@code username} with {@link #PASSWORD}, as the page does. */
	protected long createUser(String username) throws Exception {
		String body = this.mvc
			.perform(post("/api/users").with(csrf()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\":\"" + username + "\",\"displayName\":\"" + username + "\",\"password\":\""
						+ PASSWORD + "\"}"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		return JsonText.number(body, "$.id");
	}

	/** Users {@code prefix0} to {@code prefix<count-1>}, as {@link #createUsers(List)} makes them. */
	protected List<Long> createUsers(String prefix, int count) throws Exception {
		return createUsers(java.util.stream.IntStream.range(0, count).mapToObj((i) -> prefix + i).toList());
	}

	/**
	 * Users with these names, in this order, as signing up makes them (a row, its avatar row, a hash of
	 * {@link #PASSWORD}), for tests that need several: the first signs up through the API, the others are
	 * written straight to the tables with its hash (bcrypt keeps each hash's salt in it, so the hash is valid
	 * for them too). A hash per user, slow on purpose, took most of such tests' time.
	 */
	protected List<Long> createUsers(List<String> usernames) throws Exception {
		long first = createUser(usernames.get(0));
		String hash = this.jdbc.sql("SELECT password_hash FROM users WHERE id = ?").param(first).query(String.class)
			.single();
		List<Long> ids = new java.util.ArrayList<>(List.of(first));
		for (String username : usernames.subList(1, usernames.size())) {
			this.jdbc
				.sql("INSERT INTO users (username, display_name, created_at, password_hash, role) "
						+ "VALUES (?, ?, CURRENT_TIMESTAMP, ?, 'USER')")
				.params(username, username, hash)
				.update();
			long id = this.jdbc.sql("SELECT id FROM users WHERE username = ?").param(username).query(Long.class).single();
			this.jdbc.sql("INSERT INTO avatars (user_id, status) VALUES (?, 'NONE')").param(id).update();
			ids.add(id);
		}
		return ids;
	}

	/** The admin {@link #ADMIN} (with {@link #PASSWORD}), made on first use in a test. */
	protected long adminId() {
		if (this.jdbc.sql("SELECT COUNT(*) FROM users WHERE username = ?").param(ADMIN).query(Long.class).single() == 0) {
			this.accounts.createOrUpdateAdmin(ADMIN, PASSWORD);
		}
		return this.jdbc.sql("SELECT id FROM users WHERE username = ?").param(ADMIN).query(Long.class).single();
	}

	/**
	 * The CSRF token as the page sends it: the XSRF-TOKEN cookie's value echoed in the X-XSRF-TOKEN header.
	 * Not spring-security-test's csrf(), which swaps the app's cookie repository for a session-based one in
	 * the shared filter chain, so that later requests of any test on that context get no cookie.
	 */
	protected static RequestPostProcessor csrf() {
		return (request) -> {
			String token = java.util.UUID.randomUUID().toString();
			jakarta.servlet.http.Cookie[] existing = request.getCookies();
			java.util.List<jakarta.servlet.http.Cookie> cookies = new java.util.ArrayList<>(
					(existing != null) ? java.util.List.of(existing) : java.util.List.of());
			cookies.add(new jakarta.servlet.http.Cookie("XSRF-TOKEN", token));
			request.setCookies(cookies.toArray(jakarta.servlet.http.Cookie[]::new));
			request.addHeader("X-XSRF-TOKEN", token);
			return request;
		};
	}

	/** A request by the signed-in user {@code userId}, with the page's CSRF token. */
	protected RequestPostProcessor as(long userId) {
		Account account = this.accounts.find(userId).orElseThrow();
		account.eraseCredentials();
		return (request) -> csrf().postProcessRequest(authentication(UsernamePasswordAuthenticationToken
			.authenticated(account, null, account.getAuthorities())).postProcessRequest(request));
	}

	/** A request by a signed-in admin, with the page's CSRF token. */
	protected RequestPostProcessor asAdmin() {
		return as(adminId());
	}

	protected ResultActions upload(long userId, byte[] content, String filename, String contentType) throws Exception {
		return this.mvc.perform(new MultipartBody().file("file", filename, contentType, content)
			.post("/api/users/{id}/avatar", userId).with(as(userId)));
	}

	/** The avatar's state as its owner sees it: {@code GET /api/users/{id}/avatar}. */
	protected ResultActions avatarState(long userId) throws Exception {
		return this.mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
			.get("/api/users/{id}/avatar", userId).with(as(userId)));
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
