package dev.avatars.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.avatars.AppProcess;
import dev.avatars.JsonText;

import org.springframework.util.FileSystemUtils;

/**
 * End to end on the embedded default (H2 file database, local uploads folder): the web app receives the corpus
 * cycled to N avatars over HTTP, then one {@code process-avatars} run in its own JVM, as system cron starts it,
 * renders them all. Prints the upload rate, the CLI's images/s including JVM start-up, and its start-up time to
 * its first claim (process start to the run's recorded start). A benchmark, run by {@code scripts/bench.sh}.
 *
 * <p>Arguments: corpus folder, avatars (default 2000).
 */
public final class EndToEndBenchmark {

	private EndToEndBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path corpus = Path.of(args[0]);
		int avatars = (args.length > 1) ? Integer.parseInt(args[1]) : 2000;
		List<byte[]> photos = new ArrayList<>();
		try (Stream<Path> files = Files.list(corpus)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".jpg")).sorted().toList()) {
				photos.add(Files.readAllBytes(file));
			}
		}
		Path jar = AppProcess.packagedJar();
		Path home = Files.createTempDirectory("avatars-e2e");
		List<String> appArgs = List.of("--avatars.home=" + home, "--avatars.processing.cron=-");
		try (AppProcess web = AppProcess.startWeb(List.of(), jar, home, home.resolve("web.log"), appArgs)) {
			ExecutorService clients = Executors.newFixedThreadPool(4);
			long uploadStart = System.nanoTime();
			List<Future<Long>> uploads = new ArrayList<>();
			for (int i = 0; i < avatars; i++) {
				byte[] photo = photos.get(i % photos.size());
				String name = "e2e" + i;
				uploads.add(clients.submit(() -> web.userUploadingOwnPicture(name, photo)));
			}
			for (Future<Long> upload : uploads) {
				upload.get();
			}
			double uploadSeconds = (System.nanoTime() - uploadStart) / 1e9;
			clients.shutdown();
			System.out.printf("RESULT e2e_upload avatars=%d seconds=%.1f uploads_per_s=%.1f (4 clients, each also "
					+ "creating the user)%n", avatars, uploadSeconds, avatars / uploadSeconds);

			Instant launched = Instant.now();
			long cliStart = System.nanoTime();
			Process cli = AppProcess.start(List.of(), jar, home, null,
					home.resolve("cli.log"), List.of("process-avatars", "--avatars.home=" + home));
			if (!cli.waitFor(60, TimeUnit.MINUTES) || cli.exitValue() != 0) {
				throw new IllegalStateException("process-avatars failed:\n" + Files.readString(home.resolve("cli.log")));
			}
			double cliSeconds = (System.nanoTime() - cliStart) / 1e9;
			String runs = web.get("/api/jobs/thumbnails/runs").body();
			List<Map<String, Object>> cliRuns = JsonText.read(runs, "$[?(@.trigger == 'CLI')]");
			if (cliRuns.size() != 1 || !Integer.valueOf(avatars).equals(cliRuns.get(0).get("claimed"))
					|| !Integer.valueOf(avatars).equals(cliRuns.get(0).get("ready"))) {
				throw new IllegalStateException("Expected one CLI run that made " + avatars + " ready: " + runs);
			}
			Instant started = Instant.parse((String) cliRuns.get(0).get("startedAt"));
			double toFirstClaim = (started.toEpochMilli() - launched.toEpochMilli()) / 1000.0;
			System.out.printf("RESULT e2e_cli avatars=%d seconds=%.1f images_per_s=%.1f start_to_first_claim_s=%.2f%n",
					avatars, cliSeconds, avatars / cliSeconds, toFirstClaim);
		}
		finally {
			// 2,000 originals and their thumbnails: gigabytes.
			FileSystemUtils.deleteRecursively(home);
		}
		System.exit(0);
	}

}
