package dev.avatars.job;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.Duration;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.avatars.AppProcess;
import dev.avatars.JsonText;
import dev.avatars.TestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar's {@code process-avatars} command as system cron runs it: a separate JVM with a bare
 * environment, started from {@code /}, sharing the embedded H2 database with the running web app.
 */
class ProcessAvatarsIT {

	private static final Map<String, String> CRON_ENVIRONMENT = Map.of("PATH", "/usr/bin:/bin", "HOME", "/tmp");

	private static final Pattern SUMMARY = Pattern
		.compile("process-avatars: claimed=(\\d+) ready=(\\d+) failed=(\\d+) retried=(\\d+) duration=\\d+\\.\\ds");

	@TempDir
	Path dir;

	Path jar;

	@BeforeEach
	void install() throws Exception {
		Path install = Files.createDirectories(this.dir.resolve("opt/avatars"));
		this.jar = AppProcess.install(install);
	}

	private AppProcess webApp() throws Exception {
		return AppProcess.startWeb(this.jar, this.dir, this.dir.resolve("web.log"), "--avatars.processing.cron=-");
	}

	private Process cli(Path log, String... args) throws Exception {
		List<String> all = new ArrayList<>(List.of("process-avatars"));
		all.addAll(List.of(args));
		return AppProcess.start(this.jar, Path.of("/"), CRON_ENVIRONMENT, log, all);
	}

	private static int exitCode(Process process) throws Exception {
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the command finished").isTrue();
		return process.exitValue();
	}

	/**
	 * 60 small pictures: the CLI starts alone and has finished some before the web app's run joins it, so both
	 * claim from one backlog at once (one avatar per free worker) for seconds. It had 200, most of them done by the
	 * web app before the CLI's JVM was up.
	 */
	private static final int SHARED = 60;

	@Test
	void theCliFromCronsBareEnvironmentAndTheWebAppShareABacklogEachAvatarProcessedOnce() throws Exception {
		try (AppProcess web = webApp()) {
			List<Long> ids = new ArrayList<>();
			byte[] picture = TestImages.jpeg(300, 200);
			for (int i = 0; i < SHARED; i++) {
				ids.add(web.userWithUpload("user" + i, picture));
			}

			Path log = this.dir.resolve("cli.log");
			Process cli = cli(log);
			awaitSomeReady(web);
			CompletableFuture<String> inApp = CompletableFuture.supplyAsync(() -> {
				try {
					return web.postJson("/api/jobs/thumbnails/runs?wait=true", "").body();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			int exit = exitCode(cli);
			String appRun = inApp.get(120, TimeUnit.SECONDS);

			String output = Files.readString(log);
			assertThat(exit).as(output).isZero();
			Matcher summary = SUMMARY.matcher(output);
			assertThat(summary.find()).as(output).isTrue();
			assertThat(summary.group(3)).isEqualTo("0");
			assertThat(Integer.parseInt(summary.group(1))).as("the CLI worked before and beside the web app").isPositive();
			assertThat(JsonText.sum(appRun, "claimed")).as("the web app worked beside the CLI: " + appRun).isPositive();

			String runs = web.get("/api/jobs/thumbnails/runs").body();
			assertThat(JsonText.sum(runs, "claimed")).as(runs).isEqualTo(SHARED);
			assertThat(JsonText.sum(runs, "ready")).as(runs).isEqualTo(SHARED);
			assertThat(runs).contains("\"trigger\":\"CLI\"").contains("\"trigger\":\"API\"");
			assertThat(JsonText.distinct(runs, "host")).as("one host name per process").hasSize(2);
			// Renders counted where they happened: the web app's own timer, and the CLI's report.
			double renderedInApp = Double.parseDouble(JsonText.first(web.get("/actuator/metrics/avatars.processing.time")
				.body(), "\"statistic\":\"COUNT\",\"value\":([0-9.]+)"));
			assertThat((int) renderedInApp + Integer.parseInt(summary.group(1))).isEqualTo(SHARED);
			try (var files = Files.walk(this.dir.resolve("opt/avatars/uploads/thumbnails"))) {
				assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(6L * SHARED); // 3 sizes, square and round
			}
			for (long id : ids) {
				assertThat(web.get("/api/users/" + id + "/avatar").body()).contains("\"status\":\"READY\"");
			}
		}
	}

	@Test
	void aCorruptImageMakesTheCliExit1WhileTheRestIncludingA24MegapixelPhotoIsReadyInA256MbHeap()
			throws Exception {
		long big;
		long bad;
		List<Long> good = new ArrayList<>();
		try (AppProcess web = webApp()) {
			big = web.userWithUpload("big", TestImages.encode(photoLike(6000, 4000), "jpg"));
			bad = web.userWithUpload("bad", TestImages.truncatedButWithReadableHeader());
			for (int i = 0; i < 3; i++) {
				good.add(web.userWithUpload("good" + i, TestImages.jpeg(120, 90)));
			}

			Path log = this.dir.resolve("cli.log");
			int exit = exitCode(cli(log));
			String output = Files.readString(log);

			assertThat(exit).as(output).isEqualTo(1);
			assertThat(output).contains("process-avatars: claimed=5 ready=4 failed=1 retried=0");
			assertThat(web.get("/api/users/" + bad + "/avatar").body()).contains("\"status\":\"FAILED\"")
				.contains("\"error\":\"not a decodable JPEG: truncated data\"");
			assertThat(web.get("/api/users/" + big + "/avatar").body()).contains("\"status\":\"READY\"");
			for (long id : good) {
				assertThat(web.get("/api/users/" + id + "/avatar").body()).contains("\"status\":\"READY\"");
			}
		}
	}

	@Test
	void aRunnerKilledMidBatchLeavesClaimsThatTheNextRunTakesOverOnceTheyExpire() throws Exception {
		try (AppProcess web = webApp()) {
			List<Long> ids = new ArrayList<>();
			byte[] picture = TestImages.encode(photoLike(2400, 1800), "jpg");
			// Seconds a render each: when the first is READY the runner holds others and most are left for the
			// next run (it had 40; the take-over is the same for 10).
			for (int i = 0; i < 10; i++) {
				ids.add(web.userWithUpload("victim" + i, picture));
			}
			Process cli = cli(this.dir.resolve("killed.log"), "--avatars.processing.lease=3s");
			awaitSomeReady(web);
			cli.destroyForcibly(); // SIGKILL: no shutdown hook, no hand-back
			cli.waitFor();

			String killedRun = web.get("/api/jobs/thumbnails/runs").body();
			assertThat(killedRun).contains("\"trigger\":\"CLI\"").contains("\"finishedAt\":null");
			Thread.sleep(3500); // the dead runner's leases run out

			String report = web.postJson("/api/jobs/thumbnails/runs?wait=true", "").body();
			assertThat(report).contains("\"failed\":0");
			for (long id : ids) {
				assertThat(web.get("/api/users/" + id + "/avatar").body()).as("user " + id).contains("\"status\":\"READY\"");
			}
		}
	}

	@Test
	void dryRunListsWithoutClaimingAndBadArgumentsOrNoDatabaseExit2() throws Exception {
		try (AppProcess web = webApp()) {
			long id = web.userWithUpload("listed", TestImages.jpeg(64, 64));
			Path log = this.dir.resolve("dry.log");
			assertThat(exitCode(cli(log, "--dry-run"))).isZero();
			assertThat(Files.readString(log)).contains("process-avatars: would process user " + id + " version 1")
				.contains("process-avatars: dry run, 1 due");
			assertThat(web.get("/api/users/" + id + "/avatar").body()).contains("\"status\":\"PENDING\"");

			Path limited = this.dir.resolve("limit.log");
			assertThat(exitCode(cli(limited, "--limit=x"))).isEqualTo(2);
			assertThat(Files.readString(limited)).contains("--limit must be a whole number of at least 1");
		}
		Path unreachable = this.dir.resolve("nodb.log");
		assertThat(exitCode(cli(unreachable, "--spring.datasource.url=jdbc:postgresql://127.0.0.1:9/avatars")))
			.isEqualTo(2);
		assertThat(Files.readString(unreachable)).contains("process-avatars: cannot run: ");
	}

	@Test
	void theCleanupFromCronsBareEnvironmentBesideTheWebAppRemovesOnlyLeftovers() throws Exception {
		Path uploads = this.jar.getParent().resolve("uploads");
		try (AppProcess web = webApp()) {
			long id = web.userWithUpload("kept", TestImages.jpeg(64, 64));
			assertThat(web.postJson("/api/jobs/thumbnails/runs?wait=true", "").body()).contains("\"ready\":1");
			FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
			Path orphan = Files.write(uploads.resolve("originals/orphan.jpg"), new byte[1234]);
			Path stale = Files.write(uploads.resolve("thumbnails/" + id + "/v0-64.jpg"), new byte[100]);
			Files.setLastModifiedTime(orphan, old);
			Files.setLastModifiedTime(stale, old);
			try (java.util.stream.Stream<Path> files = Files.walk(uploads)) {
				for (Path file : files.filter(Files::isRegularFile).toList()) {
					Files.setLastModifiedTime(file, old);
				}
			}

			Path dry = this.dir.resolve("cleanup-dry.log");
			assertThat(exitCode(AppProcess.start(this.jar, Path.of("/"), CRON_ENVIRONMENT, dry,
					List.of("cleanup-uploads", "--dry-run")))).isZero();
			assertThat(Files.readString(dry)).contains("cleanup-uploads: would remove originals/orphan.jpg")
				.contains("cleanup-uploads: would remove thumbnails/" + id + "/v0-64.jpg")
				.contains("cleanup-uploads: dry run, 2 due");
			assertThat(orphan).exists();

			Path log = this.dir.resolve("cleanup.log");
			assertThat(exitCode(AppProcess.start(this.jar, Path.of("/"), CRON_ENVIRONMENT, log,
					List.of("cleanup-uploads")))).isZero();
			assertThat(Files.readString(log)).contains("removed=2 files (1334 bytes)");
			assertThat(orphan).doesNotExist();
			assertThat(stale).doesNotExist();
			HttpResponse<String> avatar = web.get("/api/users/" + id + "/avatar");
			assertThat(avatar.body()).contains("\"status\":\"READY\"");
			String url = JsonText.first(avatar.body(), "\"thumbnailUrl\":\"([^\"]+)\"");
			assertThat(web.get(url).statusCode()).isEqualTo(200);
			assertThat(web.postJson("/api/jobs/cleanup/runs?wait=true", "").body()).contains("\"job\":\"cleanup\"")
				.contains("\"removedFiles\":0");
		}
	}

	@Test
	void aWordThatNamesNoCommandExits2WithTheCommandsInsteadOfStartingAServer() throws Exception {
		Path log = this.dir.resolve("typo.log");
		Process typo = AppProcess.start(this.jar, Path.of("/"), CRON_ENVIRONMENT, log, List.of("proces-avatars"));

		assertThat(exitCode(typo)).isEqualTo(2);
		assertThat(Files.readString(log)).contains("avatars: unknown command 'proces-avatars'")
			.contains("process-avatars, cleanup-uploads, create-admin")
			.doesNotContain("Tomcat");
	}

	static void awaitSomeReady(AppProcess web) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			// A versioned thumbnail URL: that user's thumbnails are done.
			String page = web.get("/api/users?size=100").body();
			if (page.contains("/avatar/thumbnail?v=")) {
				return;
			}
			Thread.sleep(20);
		}
		throw new IllegalStateException("The CLI never finished an avatar");
	}

	/** A smooth gradient with grain: compresses like a photograph rather than a flat colour. */
	static BufferedImage photoLike(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		java.util.Random random = new java.util.Random(1);
		int[] row = new int[width];
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				int grain = random.nextInt(24);
				int r = Math.min(255, x * 255 / width + grain);
				int g = Math.min(255, y * 255 / height + grain);
				int b = Math.min(255, 128 + grain);
				row[x] = (r << 16) | (g << 8) | b;
			}
			image.setRGB(0, y, width, 1, row, 0, width);
		}
		return image;
	}



}
