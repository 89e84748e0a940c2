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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-out on a real PostgreSQL: two web instances (separate JVMs from the packaged jar) and the cron command,
 * all on one database and one shared uploads folder. Each test gets a fresh database.
 */
class MultiInstancePostgresIT {

	@TempDir
	Path shared;

	Path jar;

	TestPostgres.Database database;

	@BeforeEach
	void install() throws Exception {
		Path install = Files.createDirectories(this.shared.resolve("opt"));
		this.jar = AppProcess.install(install);
		this.database = TestPostgres.freshDatabase();
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

	@Test
	void twoInstancesAndTheCliShare1000AvatarsEachProcessedExactlyOnce() throws Exception {
		List<AppProcess> instances = both(starting("a", "-"), starting("b", "-"));
		try {
			upload(instances, 1000, "user", TestImages.jpeg(200, 150));

			Process cli = cli("cli.log");
			List<CompletableFuture<String>> runs = instances.stream()
				.map((instance) -> CompletableFuture.supplyAsync(() -> post(instance, "/api/jobs/thumbnails/runs?wait=true")))
				.toList();
			assertThat(cli.waitFor(300, TimeUnit.SECONDS)).isTrue();
			for (CompletableFuture<String> run : runs) {
				run.get(300, TimeUnit.SECONDS);
			}
			String cliOutput = Files.readString(this.shared.resolve("cli.log"));
			assertThat(cli.exitValue()).as(cliOutput).isZero();

			String recorded = instances.get(0).get("/api/jobs/thumbnails/runs?limit=200").body();
			assertThat(JsonText.sum(recorded, "claimed")).as(recorded).isEqualTo(1000);
			assertThat(JsonText.sum(recorded, "ready")).isEqualTo(1000);
			assertThat(JsonText.distinct(recorded, "host")).as("a run from each of the three processes").hasSize(3);

			// Renders counted where they happened: each instance's own timer, and the CLI's report.
			int rendered = 0;
			for (AppProcess instance : instances) {
				rendered += (int) Double.parseDouble(JsonText.first(
						instance.get("/actuator/metrics/avatars.processing.time").body(), "\"statistic\":\"COUNT\",\"value\":([0-9.]+)"));
			}
			rendered += Integer.parseInt(JsonText.first(cliOutput, "claimed=(\\d+)"));
			assertThat(rendered).isEqualTo(1000);

			assertThat(instances.get(1).get("/actuator/health").body()).contains("\"pending\":0");
			try (var files = Files.walk(this.shared.resolve("uploads/thumbnails"))) {
				assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(6000); // 3 sizes, square and round
			}
		}
		finally {
			close(instances);
		}
	}

	@Test
	void aCliKilledMidBatchLeavesLeasesThatAnotherInstanceFinishes() throws Exception {
		List<AppProcess> instances = both(starting("a", "-"), starting("b", "-"));
		try {
			List<Long> ids = upload(instances, 120, "victim",
					TestImages.encode(ProcessAvatarsIT.photoLike(2400, 1800), "jpg"));
			Process cli = cli("killed.log", "--avatars.processing.lease=3s");
			ProcessAvatarsIT.awaitSomeReady(instances.get(0));
			cli.destroyForcibly(); // SIGKILL
			cli.waitFor();
			List<String> states = new ArrayList<>();
			for (long id : ids) {
				states.add(instances.get(0).get("/api/users/" + id + "/avatar").body());
			}
			assertThat(states).as("it died mid-batch").anySatisfy((state) -> assertThat(state).contains("\"status\":\"PROCESSING\""));

			Thread.sleep(3500); // the dead runner's leases run out
			post(instances.get(1), "/api/jobs/thumbnails/runs?wait=true");

			for (long id : ids) {
				assertThat(instances.get(0).get("/api/users/" + id + "/avatar").body()).as("user " + id)
					.contains("\"status\":\"READY\"");
			}
			assertThat(instances.get(0).get("/api/jobs/thumbnails/runs").body())
				.contains("\"trigger\":\"CLI\"")
				.contains("\"finishedAt\":null");
		}
		finally {
			close(instances);
		}
	}

	@Test
	void reuploadsRacingWithProcessingOnBothInstancesAlwaysEndWithTheLatestPicture() throws Exception {
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
