package dev.avatars.job;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import dev.avatars.AppProcess;
import dev.avatars.JsonText;
import dev.avatars.S3Server;
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
 * Scale-out with nothing shared on disk: two web instances and the cron command (separate JVMs from the
 * packaged jar), each with a home folder of its own, on one PostgreSQL database and one S3-compatible bucket
 * (S3Proxy, started in this JVM). Credentials reach them as the AWS SDK's environment variables. Both tests
 * share one deployment (two starts fewer), in this order: the first counts every run and key of the fresh
 * bucket, the second looks only at its own users.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiInstanceS3IT {

	private static final String BUCKET = "avatars";

	/** One folder for the class (a @TempDir field is not set yet in a @BeforeAll method). */
	Path hosts;

	Path jar;

	TestPostgres.Database database;

	S3Server s3;

	private List<AppProcess> instances;

	@BeforeAll
	void install(@TempDir Path folder) throws Exception {
		this.hosts = folder;
		this.jar = AppProcess.install(Files.createDirectories(this.hosts.resolve("opt")));
		this.database = TestPostgres.freshDatabase();
		this.s3 = S3Server.start();
		this.s3.createBucket(BUCKET);
	}

	@AfterAll
	void stop() throws Exception {
		try {
			if (this.instances != null) {
				close(this.instances);
			}
		}
		finally {
			if (this.s3 != null) {
				this.s3.close();
			}
		}
	}

	private static Map<String, String> credentials() {
		return Map.of("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
	}

	/** A host of its own: its home folder holds only its local scratch (and logs). */
	private List<String> onSharedDatabaseAndBucket(String host, String... more) throws Exception {
		Path home = Files.createDirectories(this.hosts.resolve(host));
		List<String> args = new ArrayList<>(List.of("--spring.profiles.active=postgres",
				"--spring.datasource.url=" + this.database.url(), "--spring.datasource.username=" + this.database.user(),
				"--spring.datasource.password=" + this.database.password(), "--avatars.home=" + home,
				"--avatars.storage.type=s3", "--avatars.storage.s3.bucket=" + BUCKET,
				"--avatars.storage.s3.endpoint=" + this.s3.endpoint(), "--avatars.storage.s3.path-style=true",
				"--avatars.storage.s3.region=" + S3Server.REGION));
		args.addAll(List.of(more));
		return args;
	}

	private AppProcess instance(String name) throws Exception {
		return AppProcess.startWeb(this.jar, this.hosts.resolve(name), credentials(),
				this.hosts.resolve(name + ".log"), onSharedDatabaseAndBucket(name, "--avatars.processing.cron=-"));
	}

	private Process cli(String log, String... more) throws Exception {
		List<String> args = new ArrayList<>(List.of("process-avatars"));
		args.addAll(onSharedDatabaseAndBucket("cron", more));
		Map<String, String> environment = new java.util.HashMap<>(credentials());
		environment.putAll(Map.of("PATH", "/usr/bin:/bin", "HOME", "/tmp"));
		return AppProcess.start(this.jar, Path.of("/"), environment, this.hosts.resolve(log), args);
	}

	/** The two instances, started by the first test that needs them. */
	private List<AppProcess> both() throws Exception {
		if (this.instances == null) {
			this.instances = startBoth();
		}
		return this.instances;
	}

	private List<AppProcess> startBoth() throws Exception {
		Files.createDirectories(this.hosts.resolve("a"));
		Files.createDirectories(this.hosts.resolve("b"));
		CompletableFuture<AppProcess> a = starting("a");
		CompletableFuture<AppProcess> b = starting("b");
		return List.of(a.get(300, TimeUnit.SECONDS), b.get(300, TimeUnit.SECONDS));
	}

	private CompletableFuture<AppProcess> starting(String name) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				return instance(name);
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
	@Order(1)
	void twoInstancesAndTheCliShareTheBucketEachAvatarProcessedOnceAndServedByBoth() throws Exception {
		List<AppProcess> instances = both();
		// The CLI starts alone and has finished some before both instances join it: all three then claim
		// from one backlog at once (one avatar per free worker, two per process). 60 keep them at it together
		// for seconds, as each finish also writes to and lists the bucket; every one is then fetched from both
		// instances in every size (it had 300, most done before the CLI's JVM was up).
		int count = 60;
		List<Long> ids = upload(instances, count, "user", TestImages.jpeg(200, 150));

		Process cli = cli("cli.log");
		CliProgress.awaitStatuses(this.database, null, "READY");
		List<CompletableFuture<String>> runs = instances.stream()
			.map((instance) -> CompletableFuture
				.supplyAsync(() -> post(instance, "/api/jobs/thumbnails/runs?wait=true")))
			.toList();
		assertThat(cli.waitFor(300, TimeUnit.SECONDS)).isTrue();
		int claimedByInstances = 0;
		for (CompletableFuture<String> run : runs) {
			claimedByInstances += JsonText.sum(run.get(300, TimeUnit.SECONDS), "claimed");
		}
		String cliOutput = Files.readString(this.hosts.resolve("cli.log"));
		assertThat(cli.exitValue()).as(cliOutput).isZero();
		assertThat(Integer.parseInt(JsonText.first(cliOutput, "claimed=(\\d+)")))
			.as("the CLI worked before and beside the instances").isPositive();
		assertThat(claimedByInstances).as("the instances worked beside the CLI").isPositive();

		String recorded = instances.get(0).get("/api/jobs/thumbnails/runs?limit=200").body();
		assertThat(JsonText.sum(recorded, "claimed")).as(recorded).isEqualTo(count);
		assertThat(JsonText.sum(recorded, "ready")).isEqualTo(count);
		int rendered = 0;
		for (AppProcess instance : instances) {
			rendered += (int) Double.parseDouble(JsonText.first(
					instance.get("/actuator/metrics/avatars.processing.time").body(),
					"\"statistic\":\"COUNT\",\"value\":([0-9.]+)"));
		}
		rendered += Integer.parseInt(JsonText.first(cliOutput, "claimed=(\\d+)"));
		assertThat(rendered).as("each avatar rendered once, wherever").isEqualTo(count);
		// Three sizes, each square and round.
		assertThat(this.s3.keys(BUCKET, "thumbnails/")).hasSize(6 * count);
		assertThat(this.s3.keys(BUCKET, "originals/")).hasSize(count);

		// Every thumbnail from either instance, whichever process rendered it.
		HttpClient http = HttpClient.newHttpClient();
		for (long id : ids) {
			String url = JsonText.first(instances.get(0).get("/api/users/" + id + "/avatar").body(),
					"\"thumbnailUrl\":\"([^\"]+)\"");
			for (AppProcess instance : instances) {
				for (int size : new int[] { 64, 128, 256 }) {
					HttpResponse<byte[]> thumbnail = http.send(HttpRequest
						.newBuilder(URI.create(instance.baseUrl() + url + "&size=" + size))
						.build(), HttpResponse.BodyHandlers.ofByteArray());
					assertThat(thumbnail.statusCode()).isEqualTo(200);
					assertThat(thumbnail.headers().firstValue("Cache-Control")).hasValue(
							"max-age=31536000, public, immutable");
					BufferedImage image = ImageIO.read(new ByteArrayInputStream(thumbnail.body()));
					assertThat(image.getWidth()).as("user %d size %d from %s", id, size, instance.baseUrl())
						.isEqualTo(size);
				}
				HttpResponse<byte[]> round = http.send(HttpRequest
					.newBuilder(URI.create(instance.baseUrl() + url + "&size=64&shape=circle"))
					.build(), HttpResponse.BodyHandlers.ofByteArray());
				assertThat(round.statusCode()).isEqualTo(200);
				assertThat(round.headers().firstValue("Content-Type")).hasValue("image/png");
			}
		}
		assertNothingKeptOnDisk();
	}

	@Test
	@Order(2)
	void aCliKilledMidBatchLeavesLeasesThatAnotherInstanceTakesOver() throws Exception {
		List<AppProcess> instances = both();
		// Photos that take a second or more each to render: with two workers, when the first is READY the CLI
		// holds others and about ten are left for the take-over (it had 60; the take-over is the same for 12).
		List<Long> ids = upload(instances, 12, "victim",
				TestImages.encode(ProcessAvatarsIT.photoLike(2400, 1800), "jpg"));
		Process cli = cli("killed.log", "--avatars.processing.lease=3s");
		// Between two claims the CLI idles longer than on a folder (each finish lists the bucket); a render of these
		// pictures takes seconds, so a kill right after READY and PROCESSING are both seen lands mid-render.
		CliProgress.killMidBatch(cli, this.database, ids, instances.get(0), 3000);
		post(instances.get(1), "/api/jobs/thumbnails/runs?wait=true");

		for (long id : ids) {
			String state = instances.get(0).get("/api/users/" + id + "/avatar").body();
			assertThat(state).as("user " + id).contains("\"status\":\"READY\"");
			String url = JsonText.first(state, "\"thumbnailUrl\":\"([^\"]+)\"");
			for (AppProcess instance : instances) {
				assertThat(HttpClient.newHttpClient()
					.send(HttpRequest.newBuilder(URI.create(instance.baseUrl() + url)).build(),
							HttpResponse.BodyHandlers.discarding())
					.statusCode()).isEqualTo(200);
			}
		}
		assertThat(instances.get(0).get("/api/jobs/thumbnails/runs").body()).contains("\"trigger\":\"CLI\"")
			.contains("\"finishedAt\":null");
		for (long id : ids) {
			// Three sizes, square and round (the bucket also holds the first test's).
			assertThat(this.s3.keys(BUCKET, "thumbnails/" + id + "/")).as("user " + id).hasSize(6);
		}
	}

	/** Originals and thumbnails are in the bucket only: no host folder holds one. */
	private void assertNothingKeptOnDisk() throws Exception {
		try (Stream<Path> files = Files.walk(this.hosts)) {
			assertThat(files.filter(Files::isRegularFile)
				.map((file) -> this.hosts.relativize(file).toString())
				.filter((name) -> name.contains("originals") || name.contains("thumbnails")
						|| name.endsWith(".jpg")))
				.isEmpty();
		}
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
