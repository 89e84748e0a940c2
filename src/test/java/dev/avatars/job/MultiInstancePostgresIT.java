package dev.avatars.job;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import dev.avatars.AppProcess;
import dev.avatars.JsonText;
import dev.avatars.TestImages;
import dev.avatars.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-out on a real PostgreSQL: two web instances (separate JVMs from the packaged jar) and the cron command,
 * all on one database and one shared uploads folder. The first two tests share one such pair with no schedule
 * (in this order: the first counts every run and file of a fresh deployment, the second looks only at its own
 * users), which saves two starts; the racing test has a pair of its own on another database and folder.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiInstancePostgresIT {

	/** One folder for the class (a @TempDir field is not set yet in a @BeforeAll method). */
	Path dir;

	Path jar;

	/** The deployment the current test works on: its database and its shared home folder. */
	TestPostgres.Database database;

	Path shared;

	private TestPostgres.Database idleDatabase;

	private Path idleShared;

	private List<AppProcess> idle;

	@BeforeAll
	void install(@TempDir Path folder) throws Exception {
		this.dir = folder;
		this.jar = AppProcess.install(Files.createDirectories(this.dir.resolve("opt")));
	}

	@AfterAll
	void stopIdlePair() throws Exception {
		if (this.idle != null) {
			close(this.idle);
		}
	}

	/** A fresh database and home folder for the instances and commands started next. */
	private void freshDeployment(String name) throws Exception {
		this.database = TestPostgres.freshDatabase();
		this.shared = Files.createDirectories(this.dir.resolve(name));
	}

	/** The pair with no schedule, started by the first test that needs it. */
	private List<AppProcess> idlePair() throws Exception {
		if (this.idle == null) {
			freshDeployment("idle");
			this.idleDatabase = this.database;
			this.idleShared = this.shared;
			this.idle = both(starting("a", "-"), starting("b", "-"));
		}
		this.database = this.idleDatabase;
		this.shared = this.idleShared;
		return this.idle;
	}

	private List<String> onSharedDatabase(String... more) {
		List<String> args = new ArrayList<>(List.of("--spring.profiles.active=postgres",
				"--spring.datasource.url=" + this.database.url(), "--spring.datasource.username=" + this.database.user(),
				"--spring.datasource.password=" + this.database.password(), "--avatars.home=" + this.shared));
		args.addAll(List.of(more));
		return args;
	}

	private AppProcess instance(String name, String cron) throws Exception {
		return AppProcess.startWeb(this.jar, this.shared, this.shared.resolve(name + ".log"),
				onSharedDatabase("--avatars.processing.cron=" + cron).toArray(String[]::new));
	}

	private Process cli(String log, String... more) throws Exception {
		List<String> args = new ArrayList<>(List.of("process-avatars"));
		args.addAll(onSharedDatabase(more));
		return AppProcess.start(this.jar, Path.of("/"), Map.of("PATH", "/usr/bin:/bin", "HOME", "/tmp"),
				this.shared.resolve(log), args);
	}

	private static List<AppProcess> both(CompletableFuture<AppProcess> a, CompletableFuture<AppProcess> b)
			throws Exception {
		return List.of(a.get(300, TimeUnit.SECONDS), b.get(300, TimeUnit.SECONDS));
	}

	private CompletableFuture<AppProcess> starting(String name, String cron) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				return instance(name, cron);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	/** Uploads over both instances, four at a time; returns the user ids. */
	private static List<Long> upload(List<AppProcess> instances, int count, String prefix, byte[] picture)
			throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<Long>> ids = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				AppProcess target = instances.get(i % instances.size());
				String name = prefix + i;
				ids.add(pool.submit(() -> target.userWithUpload(name, picture)));
			}
			List<Long> result = new ArrayList<>();
			for (Future<Long> id : ids) {
				result.add(id.get());
			}
			return result;
		}
		finally {
			pool.shutdown();
		}
	}

	/**
	 * 150 small pictures: the CLI starts alone and has finished some before both instances join it, so all three
	 * claim from one backlog at once for seconds (each claims one avatar per free worker, two per process here),
	 * some hundreds of contended claims. More only made the test longer (it had 1000, most done before the CLI's
	 * JVM was even up, so the CLI often claimed none).
	 */
	private static final int SHARED = 150;

	@Test
	@Order(1)
	void twoInstancesAndTheCliShareABacklogEachAvatarProcessedExactlyOnce() throws Exception {
		List<AppProcess> instances = idlePair();
		upload(instances, SHARED, "user", TestImages.jpeg(200, 150));

		Process cli = cli("cli.log");
		CliProgress.awaitStatuses(this.database, null, "READY");
		List<CompletableFuture<String>> runs = instances.stream()
			.map((instance) -> CompletableFuture.supplyAsync(() -> post(instance, "/api/jobs/thumbnails/runs?wait=true")))
			.toList();
		assertThat(cli.waitFor(300, TimeUnit.SECONDS)).isTrue();
		int claimedByInstances = 0;
		for (CompletableFuture<String> run : runs) {
			claimedByInstances += JsonText.sum(run.get(300, TimeUnit.SECONDS), "claimed");
		}
		String cliOutput = Files.readString(this.shared.resolve("cli.log"));
		assertThat(cli.exitValue()).as(cliOutput).isZero();
		int claimedByCli = Integer.parseInt(JsonText.first(cliOutput, "claimed=(\\d+)"));
		assertThat(claimedByCli).as("the CLI worked before and beside the instances").isPositive();
		assertThat(claimedByInstances).as("the instances worked beside the CLI").isPositive();

		String recorded = instances.get(0).get("/api/jobs/thumbnails/runs?limit=200").body();
		assertThat(JsonText.sum(recorded, "claimed")).as(recorded).isEqualTo(SHARED);
		assertThat(JsonText.sum(recorded, "ready")).isEqualTo(SHARED);
		assertThat(JsonText.distinct(recorded, "host")).as("a run from each of the three processes").hasSize(3);

		// Renders counted where they happened: each instance's own timer, and the CLI's report.
		int rendered = 0;
		for (AppProcess instance : instances) {
			rendered += (int) Double.parseDouble(JsonText.first(
					instance.get("/actuator/metrics/avatars.processing.time").body(), "\"statistic\":\"COUNT\",\"value\":([0-9.]+)"));
		}
		rendered += claimedByCli;
		assertThat(rendered).isEqualTo(SHARED);

		assertThat(instances.get(1).get("/actuator/health").body()).contains("\"pending\":0");
		try (var files = Files.walk(this.shared.resolve("uploads/thumbnails"))) {
			// 3 sizes, square and round
			assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(6L * SHARED);
		}
	}

	@Test
	@Order(2)
	void aCliKilledMidBatchLeavesLeasesThatAnotherInstanceFinishes() throws Exception {
		List<AppProcess> instances = idlePair();
		// Photos that take a second or more each to render: with two workers, when the first is READY the CLI
		// holds others and a dozen are left for the take-over (it had 120; the take-over is the same for 12).
		List<Long> ids = upload(instances, 12, "victim",
				TestImages.encode(ProcessAvatarsIT.photoLike(2400, 1800), "jpg"));
		Process cli = cli("killed.log", "--avatars.processing.lease=3s");
		CliProgress.killMidBatch(cli, this.database, ids, instances.get(0), 3000);
		post(instances.get(1), "/api/jobs/thumbnails/runs?wait=true");

		for (long id : ids) {
			assertThat(instances.get(0).get("/api/users/" + id + "/avatar").body()).as("user " + id)
				.contains("\"status\":\"READY\"");
		}
		assertThat(instances.get(0).get("/api/jobs/thumbnails/runs").body())
			.contains("\"trigger\":\"CLI\"")
			.contains("\"finishedAt\":null");
	}

	@Test
	@Order(3)
	void reuploadsRacingWithProcessingOnBothInstancesAlwaysEndWithTheLatestPicture() throws Exception {
		freshDeployment("racing");
		// Both instances run their schedule every second, as every replica does in production.
		List<AppProcess> instances = both(starting("a", "* * * * * *"), starting("b", "* * * * * *"));
		try {
			Color[] palette = { Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW, Color.MAGENTA, Color.CYAN };
			List<Long> ids = upload(instances, 12, "racer", TestImages.jpeg(64, 64));
			Map<Long, Color> latest = new HashMap<>();
			Random random = new Random(5);
			for (int round = 0; round < 6; round++) {
				for (long id : ids) {
					Color color = palette[random.nextInt(palette.length)];
					byte[] picture = TestImages.encode(TestImages.solid(400, 300, color), "png");
					AppProcess target = instances.get(random.nextInt(2));
					assertThat(target.postFile("/api/users/" + id + "/avatar", picture).statusCode()).isEqualTo(202);
					latest.put(id, color);
				}
				Thread.sleep(random.nextInt(700));
			}
			awaitNoBacklog(instances.get(0));

			for (long id : ids) {
				String user = instances.get(random.nextInt(2)).get("/api/users/" + id + "/avatar").body();
				assertThat(user).contains("\"status\":\"READY\"");
				String url = JsonText.first(user, "\"thumbnailUrl\":\"([^\"]+)\"");
				HttpResponse<byte[]> thumbnail = HttpClient.newHttpClient()
					.send(HttpRequest.newBuilder(URI.create(instances.get(0).baseUrl() + url)).build(),
							HttpResponse.BodyHandlers.ofByteArray());
				BufferedImage image = ImageIO.read(new ByteArrayInputStream(thumbnail.body()));
				Color centre = new Color(image.getRGB(128, 128));
				Color expected = latest.get(id);
				assertThat(Math.abs(centre.getRed() - expected.getRed()) + Math.abs(centre.getGreen() - expected.getGreen())
						+ Math.abs(centre.getBlue() - expected.getBlue()))
					.as("user %d shows %s, last uploaded %s", id, centre, expected)
					.isLessThan(60);
			}
		}
		finally {
			close(instances);
		}
	}


	private static void awaitNoBacklog(AppProcess web) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
		while (System.nanoTime() < deadline) {
			if (web.get("/actuator/health").body().contains("\"pending\":0")) {
				return;
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException("The backlog never emptied");
	}

	private static String post(AppProcess instance, String path) {
		try {
			HttpResponse<String> response = instance.postJson(path, "");
			assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
			return response.body();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void close(List<AppProcess> instances) throws Exception {
		for (AppProcess instance : instances) {
			instance.close();
		}
	}




}
