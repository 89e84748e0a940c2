package dev.avatars;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged application ({@code target/avatars.jar}) run as a separate JVM, the way people and cron run it.
 * Used by the integration tests, which Maven runs after packaging.
 */
public final class AppProcess implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	/** Quick to start: the tests run short jobs, many times. The 256 MB heap is the documented budget. */
	private static final List<String> TEST_JVM_OPTIONS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

	private final Process process;

	private final Path log;

	private final int port;

	/** Where /actuator/health answers: the app's port, or the management port when one is set. */
	private final int healthPort;

	/** The admin every web app started here has: made at start-up from these (AVATARS_ADMIN_*). */
	public static final String ADMIN_USERNAME = "it-admin";

	public static final String ADMIN_PASSWORD = "it-" + java.util.UUID.randomUUID();

	/** Signed in as the admin once the app is up: get/post below go through it. */
	private WebSession admin;

	private AppProcess(Process process, Path log, int port, int healthPort) {
		this.process = process;
		this.log = log;
		this.port = port;
		this.healthPort = healthPort;
	}

	public static Path packagedJar() {
		Path jar = Path.of(System.getProperty("avatars.jar", "target/avatars.jar"));
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar + " is missing: run the integration tests with ./mvnw verify");
		}
		return jar;
	}

	/** Runs {@code java -jar jar args} in {@code workingDir} with the given environment (and nothing else). */
	public static Process start(Path jar, Path workingDir, Map<String, String> environment, Path log,
			List<String> args) throws IOException {
		return start(TEST_JVM_OPTIONS, jar, workingDir, environment, log, args);
	}

	public static Process start(List<String> jvmOptions, Path jar, Path workingDir, Map<String, String> environment,
			Path log, List<String> args) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(javaBinary());
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
		command.addAll(args);
		ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		if (environment != null) {
			builder.environment().clear();
			builder.environment().putAll(environment);
		}
		return builder.start();
	}

	/** Starts the web app on a free port and waits until it answers. */
	public static AppProcess startWeb(Path jar, Path workingDir, Path log, String... args) throws Exception {
		return startWeb(jar, workingDir, log, List.of(args));
	}

	public static AppProcess startWeb(Path jar, Path workingDir, Path log, List<String> args) throws Exception {
		return startWeb(TEST_JVM_OPTIONS, jar, workingDir, log, args);
	}

	public static AppProcess startWeb(List<String> jvmOptions, Path jar, Path workingDir, Path log, List<String> args)
			throws Exception {
		return startWeb(jvmOptions, jar, workingDir, null, log, args);
	}

	/** As an operator starts it: this JVM's environment plus {@code environment} (e.g. the AVATARS_DB_* ones). */
	public static AppProcess startWeb(Path jar, Path workingDir, Map<String, String> environment, Path log,
			List<String> args) throws Exception {
		Map<String, String> all = new java.util.HashMap<>(System.getenv());
		all.putAll(environment);
		return startWeb(TEST_JVM_OPTIONS, jar, workingDir, all, log, args);
	}

	private static AppProcess startWeb(List<String> jvmOptions, Path jar, Path workingDir,
			Map<String, String> environment, Path log, List<String> args) throws Exception {
		int port = freePort();
		List<String> all = new ArrayList<>(List.of("--server.port=" + port,
				"--avatars.admin.username=" + ADMIN_USERNAME, "--avatars.admin.password=" + ADMIN_PASSWORD,
				// These tests upload far more than a person would (the admin re-uploads for many users); the
				// limits have their own tests.
				"--avatars.rate-limit.uploads=0",
				// Each test decides when the job runs: an upload does not start it.
				"--avatars.processing.on-upload=false"));
		all.addAll(args);
		int healthPort = all.stream()
			.filter((arg) -> arg.startsWith("--management.server.port="))
			.map((arg) -> Integer.parseInt(arg.substring("--management.server.port=".length())))
			.reduce(port, (first, last) -> last);
		AppProcess app = new AppProcess(start(jvmOptions, jar, workingDir, environment, log, all), log, port,
				healthPort);
		app.awaitUp();
		app.admin = WebSession.signIn(app.baseUrl(), ADMIN_USERNAME, ADMIN_PASSWORD);
		return app;
	}

	public static String javaBinary() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/** A port nothing listens on now, e.g. for {@code --management.server.port}. */
	public static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private void awaitUp() throws Exception {
		// Generous: on a shared two-core machine under load a start took over 90 s (ApplicationHomeIT, 2 December).
		Instant deadline = Instant.now().plus(Duration.ofSeconds(240));
		URI health = URI.create("http://localhost:" + this.healthPort + "/actuator/health");
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The app exited early:\n" + Files.readString(this.log));
			}
			try {
				if (HTTP.send(HttpRequest.newBuilder(health).build(),
						HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException("The app did not come up:\n" + Files.readString(this.log));
	}

	/** SIGKILL (what {@code destroyForcibly} sends on Linux): no shutdown hook runs, nothing is flushed. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor();
	}

	public int port() {
		return this.port;
	}

	/** The operating system's id of the app's JVM. */
	public long pid() {
		return this.process.pid();
	}

	public String baseUrl() {
		return "http://localhost:" + this.port;
	}

	/** The signed-in admin's session, which {@link #get}, {@link #postJson} and {@link #postFile} use. */
	public WebSession admin() {
		return this.admin;
	}

	public HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.admin.get(path);
	}

	public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
		return this.admin.postJson(path, json);
	}

	public HttpResponse<String> postFile(String path, byte[] content) throws IOException, InterruptedException {
		return this.admin.postFile(path, content);
	}

	/** The password of users made by {@link #userWithUpload}. */
	public static final String USER_PASSWORD = "user password 1";

	/** Signs a user up, and as that user uploads a picture; returns the user's id. */
	public long userWithUpload(String username, byte[] picture) throws IOException, InterruptedException {
		WebSession user = WebSession.signUp(baseUrl(), username, USER_PASSWORD);
		String me = user.get("/api/session").body();
		long id = JsonText.number(me, "$.id");
		HttpResponse<String> upload = user.postFile("/api/users/" + id + "/avatar", picture);
		if (upload.statusCode() != 202) {
			throw new IllegalStateException("Upload refused: " + upload.body());
		}
		return id;
	}

	@Override
	public void close() throws Exception {
		this.process.destroy();
		if (!this.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
	}

}
