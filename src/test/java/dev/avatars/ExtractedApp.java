package dev.avatars;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged jar in the form the integration tests start it: extracted with Spring Boot's own
 * {@code java -Djarmode=tools -jar avatars.jar extract} (a thin {@code avatars.jar} and {@code lib/}, the same
 * classes and resources), plus a class-data sharing archive of the libraries' classes, made once per build.
 * <p>
 * Why: a web start of the fat jar cost 22 to 28 s of CPU, most of it in the nested-jar class loader (a JFR
 * profile); extracted about 16 s, with the archive 9 to 12 s (2 December, starts one after another on the shared
 * two-core machine; the "AppProcess: ... s CPU" lines of a build's output show it for every start). Making the
 * archive costs about a minute once per build; the ITs start the app some 40 times. The archive holds no class
 * of the app's own ({@code dev/avatars}): on Java 17 a class from the archive has the code source it was dumped
 * from, and {@code ApplicationHome} must see the installed jar.
 * <p>
 * {@code ApplicationHomeIT} still starts the fat jar exactly as an operator does, so the nested-jar launch
 * (resources, Flyway's migrations, the OpenCV natives from inside the jar) stays tested.
 */
final class ExtractedApp {

	/** The training start's and the dump's JVM options: the archive is only used with the same heap mode. */
	private final List<String> jvmOptions;

	private final Path packaged;

	private final Path root;

	private Path archive;

	private boolean ready;

	ExtractedApp(Path packaged, List<String> jvmOptions) {
		this.packaged = packaged;
		this.jvmOptions = jvmOptions;
		this.root = packaged.toAbsolutePath().getParent().resolve("it-launch");
	}

	/** The extracted thin jar; its {@code lib/} is beside it. */
	synchronized Path thinJar() throws IOException {
		prepare();
		return this.root.resolve("app/avatars.jar");
	}

	/** The libraries' class archive, or null when it could not be made (the tests then run without one). */
	synchronized Path archive() throws IOException {
		prepare();
		return this.archive;
	}

	/** Puts the thin jar and {@code lib/} into {@code folder} as hard links (a copy where links fail). */
	Path installInto(Path folder) throws IOException {
		Path source = thinJar().getParent();
		Path lib = Files.createDirectories(folder.resolve("lib"));
		try (Stream<Path> jars = Files.list(source.resolve("lib"))) {
			for (Path jar : jars.toList()) {
				link(jar, lib.resolve(jar.getFileName().toString()));
			}
		}
		return link(source.resolve("avatars.jar"), folder.resolve("avatars.jar"));
	}

	private static Path link(Path from, Path to) throws IOException {
		Files.deleteIfExists(to);
		try {
			return Files.createLink(to, from);
		}
		catch (IOException | UnsupportedOperationException ex) {
			// A copy keeps size and time, which the archive's check of its class path compares.
			return Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
		}
	}

	private void prepare() throws IOException {
		if (this.ready) {
			return;
		}
		Files.createDirectories(this.root.getParent());
		// Two forks (-Dit.forks=2) share target/it-launch: one prepares it, the other waits.
		try (FileChannel channel = FileChannel.open(this.root.getParent().resolve("it-launch.lock"),
				StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
			String stamp = this.packaged.toAbsolutePath() + " " + Files.size(this.packaged) + " "
					+ Files.getLastModifiedTime(this.packaged).toMillis() + " " + System.getProperty("java.home")
					+ " " + this.jvmOptions;
			Path stampFile = this.root.resolve("stamp");
			if (!Files.isRegularFile(stampFile) || !Files.readString(stampFile).equals(stamp)) {
				long began = System.nanoTime();
				deleteTree(this.root);
				Files.createDirectories(this.root);
				build();
				Files.writeString(stampFile, stamp);
				System.out.printf("ExtractedApp: %s extracted%s in %.1f s%n", this.packaged,
						Files.isRegularFile(this.root.resolve("libraries.jsa")) ? " and its libraries archived" : "",
						(System.nanoTime() - began) / 1e9);
			}
			Path jsa = this.root.resolve("libraries.jsa");
			this.archive = Files.isRegularFile(jsa) ? jsa : null;
			this.ready = true;
		}
	}

	private void build() throws IOException {
		Path app = this.root.resolve("app");
		run(List.of("-Djarmode=tools", "-jar", this.packaged.toAbsolutePath().toString(), "extract", "--destination",
				app.toString()), "extract.log", true);
		Path thin = app.resolve("avatars.jar");

		// The classes one start loads: a start that ends once the context is refreshed (no runners, no server
		// kept), on a throwaway home.
		Path all = this.root.resolve("classes.lst");
		List<String> training = new ArrayList<>(this.jvmOptions);
		training.addAll(List.of("-XX:DumpLoadedClassList=" + all, "-Dspring.context.exit=onRefresh", "-jar",
				thin.toString(), "--avatars.home=" + Files.createDirectories(this.root.resolve("training")),
				"--server.port=0", "--avatars.processing.cron=-", "--avatars.cleanup.cron=-"));
		if (!run(training, "training.log", false) || !Files.isRegularFile(all)) {
			return;
		}
		Path libraries = this.root.resolve("libraries.lst");
		try (Stream<String> lines = Files.lines(all)) {
			Files.write(libraries, lines.filter((line) -> !line.contains("dev/avatars")).toList());
		}
		List<String> dump = new ArrayList<>(this.jvmOptions);
		dump.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + libraries,
				"-XX:SharedArchiveFile=" + this.root.resolve("libraries.jsa"), "-jar", thin.toString()));
		if (!run(dump, "dump.log", false)) {
			Files.deleteIfExists(this.root.resolve("libraries.jsa"));
		}
	}

	private boolean run(List<String> args, String log, boolean required) throws IOException {
		List<String> command = new ArrayList<>(List.of(AppProcess.javaBinary()));
		command.addAll(args);
		Path output = this.root.resolve(log);
		Process process = new ProcessBuilder(command).directory(this.root.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		try {
			if (!process.waitFor(300, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
		boolean ok = !process.isAlive() && process.exitValue() == 0;
		if (!ok) {
			String message = String.join(" ", args) + " failed, see " + output;
			if (required) {
				throw new IllegalStateException(message);
			}
			System.out.println("ExtractedApp: " + message + "; starting without a class archive");
		}
		return ok;
	}

	private static void deleteTree(Path root) throws IOException {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(root)) {
			for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

}
