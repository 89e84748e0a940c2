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

	/**
	 * Every process started here that may still run: a test that fails before closing its app (a start that
	 * timed out, an assertion between start and close) must not leave it running, working on its schedule, and
	 * slowing every later test of the build down.
	 */
	private static final java.util.Set<Process> STARTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly)));
	}

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

	/**
	 * Installs the app into {@code folder} in the tests' launch form ({@link ExtractedApp}): {@code avatars.jar}
	 * (the extracted thin jar) and {@code lib/} beside it, hard links of one extraction per build. Its home, the
	 * commands, the classes and resources are those of the packaged jar; it starts in about a third of the CPU.
	 */
	public static Path install(Path folder) throws IOException {
		return extracted().installInto(folder);
	}

	/**
	 * Puts the packaged fat jar itself into {@code folder} as {@code avatars.jar}, the way an operator installs
	 * it, and returns its path. A hard link where the file system allows one: the same bytes under the new name,
	 * without writing the 190 MB again; a copy elsewhere.
	 */
	public static Path installPackaged(Path folder) throws IOException {
		Path jar = folder.resolve("avatars.jar");
		Files.deleteIfExists(jar);
		try {
			return Files.createLink(jar, packagedJar().toAbsolutePath());
		}
		catch (IOException | UnsupportedOperationException ex) {
			return Files.copy(packagedJar(), jar);
		}
	}

	private static ExtractedApp extractedApp;

	private static synchronized ExtractedApp extracted() {
		if (extractedApp == null) {
			extractedApp = new ExtractedApp(packagedJar(), TEST_JVM_OPTIONS);
		}
		return extractedApp;
	}

	/** The tests' options, plus the libraries' class archive for a jar installed by {@link #install}. */
	private static List<String> testJvmOptions(Path jar) throws IOException {
		Path folder = jar.toAbsolutePath().getParent();
		if (!Files.isDirectory(folder.resolve("lib"))) {
			return TEST_JVM_OPTIONS;
		}
		Path archive = extracted().archive();
		if (archive == null) {
			return TEST_JVM_OPTIONS;
		}
		List<String> options = new ArrayList<>(TEST_JVM_OPTIONS);
		options.add("-XX:SharedArchiveFile=" + archive);
		return options;
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
		return start(testJvmOptions(jar), jar, workingDir, environment, log, args);
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
		Process process = builder.start();
		STARTED.removeIf((started) -> !started.isAlive());
		STARTED.add(process);
		return process;
	}

	/** Starts the web app on a free port and waits until it answers. */
	public static AppProcess startWeb(Path jar, Path workingDir, Path log, String... args) throws Exception {
		return startWeb(jar, workingDir, log, List.of(args));
	}

	public static AppProcess startWeb(Path jar, Path workingDir, Path log, List<String> args) throws Exception {
		return startWeb(testJvmOptions(jar), jar, workingDir, log, args);
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
		return startWeb(testJvmOptions(jar), jar, workingDir, all, log, args);
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
		long began = System.nanoTime();
		AppProcess app = new AppProcess(start(jvmOptions, jar, workingDir, environment, log, all), log, port,
				healthPort);
		try {
			app.awaitUp();
			app.admin = app.signInAsAdmin();
		}
		catch (Exception | AssertionError ex) {
			app.process.destroyForcibly();
			throw ex;
		}
		// Where the time of the process-level tests goes, in the build's output.
		System.out.printf("AppProcess: %s up and signed in after %.1f s (%.1f s CPU)%n", log.getFileName(),
				(System.nanoTime() - began) / 1e9, app.cpuSeconds());
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
			// Short: a refused connection costs next to nothing, and every start waits for its poll.
			Thread.sleep(50);
		}
		throw new IllegalStateException("The app did not come up:\n" + Files.readString(this.log));
	}

	/**
	 * The admin is made by an ApplicationRunner, which runs after the server already answers: a sign-in right
	 * after the first 200 of /actuator/health can come before it. Retried with a growing wait, at most 8 times
	 * in some 30 s: the app locks a username out after 10 failed sign-ins.
	 */
	private WebSession signInAsAdmin() throws Exception {
		long wait = 125;
		for (int attempt = 1;; attempt++) {
			try {
				return WebSession.signIn(baseUrl(), ADMIN_USERNAME, ADMIN_PASSWORD);
			}
			catch (IllegalStateException ex) {
				if (attempt == 8 || !this.process.isAlive()) {
					throw ex;
				}
			}
			Thread.sleep(wait);
			wait = Math.min(wait * 2, 8000);
		}
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

	/**
	 * Signs a user up, and the admin uploads a picture for them (as it may for anyone); returns the user's id.
	 * Not as the user: signing in costs a second bcrypt hash per user, and the tests that make hundreds of users
	 * are about processing, not about who uploads (the API tests cover a user uploading their own picture).
	 */
	public long userWithUpload(String username, byte[] picture) throws IOException, InterruptedException {
		HttpResponse<String> created = WebSession.anonymous(baseUrl()).postJson("/api/users", "{\"username\":\""
				+ username + "\",\"displayName\":\"" + username + "\",\"password\":\"" + USER_PASSWORD + "\"}");
		if (created.statusCode() != 201) {
			throw new IllegalStateException("Sign-up of " + username + " refused: " + created.body());
		}
		long id = Long.parseLong(JsonText.first(created.body(), "\"id\":(\\d+)"));
		HttpResponse<String> upload = this.admin.postFile("/api/users/" + id + "/avatar", picture);
		if (upload.statusCode() != 202) {
			throw new IllegalStateException("Upload refused: " + upload.body());
		}
		return id;
	}

	/** Signs a user up, and as that user uploads a picture; returns the user's id. What the benchmarks time. */
	public long userUploadingOwnPicture(String username, byte[] picture) throws IOException, InterruptedException {
		WebSession user = WebSession.signUp(baseUrl(), username, USER_PASSWORD);
		String me = user.get("/api/session").body();
		long id = JsonText.number(me, "$.id");
		HttpResponse<String> upload = user.postFile("/api/users/" + id + "/avatar", picture);
		if (upload.statusCode() != 202) {
			throw new IllegalStateException("Upload refused: " + upload.body());
		}
		return id;
	}

	/** CPU time the app's JVM has used so far, in seconds (0 where the system does not say). */
	public double cpuSeconds() {
		return this.process.info().totalCpuDuration().map((cpu) -> cpu.toMillis() / 1000.0).orElse(0.0);
	}

	@Override
	public void close() throws Exception {
		double cpu = cpuSeconds();
		long began = System.nanoTime();
		this.process.destroy();
		if (!this.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
		System.out.printf("AppProcess: %s stopped in %.1f s, having used %.1f s CPU%n", this.log.getFileName(),
				(System.nanoTime() - began) / 1e9, cpu);
	}

}
