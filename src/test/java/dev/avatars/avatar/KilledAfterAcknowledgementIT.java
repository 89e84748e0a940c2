package dev.avatars.avatar;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import dev.avatars.AppProcess;
import dev.avatars.JsonText;
import dev.avatars.MultipartBody;
import dev.avatars.TestImages;
import dev.avatars.TestPostgres;
import dev.avatars.WebSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 202 is durable (issue 14): the packaged jar is killed with SIGKILL right after an upload's 202, alone and
 * under parallel load, then started again. Every acknowledged picture must still be the one its row points at,
 * its original must be there (the job makes it READY, not "the stored original is missing"), its thumbnail must
 * show its pixels, and nothing of the uploads cut off by the kill (their temporary files, whatever the process
 * kept while receiving) may outlive the restart.
 * <p>
 * Each restart checks the round before and is the stage of the next, so {@code n} kills cost {@code n + 1}
 * starts. Every round is checked whatever the rounds before found, and the test fails at the end listing all
 * findings, so a run says how often an acknowledgement was lost. More kills: {@code -Davatars.it.single-kills=}
 * and {@code -Davatars.it.parallel-kills=}.
 * <p>
 * A SIGKILL loses what the process held in memory (H2 writes a commit to disk up to a second later unless told
 * otherwise), not what it had handed to the operating system: that a file is forced to disk before its row
 * commits only a machine crash would show.
 */
class KilledAfterAcknowledgementIT {

	/**
	 * Two: the first round's second upload comes at once after the first (both within H2's write delay), the
	 * second's 1.2 s later (past it), the two cases {@link #GAPS_MILLIS} begins with. A third round repeated a
	 * case for two more starts of the app; more kills are a property away.
	 */
	private static final int SINGLE_KILLS = Integer.getInteger("avatars.it.single-kills", 2);

	private static final int PARALLEL_KILLS = Integer.getInteger("avatars.it.parallel-kills", 1);

	private static final int PARALLEL_USERS = 8;

	/** Uploads acknowledged across all users under load before the kill. */
	private static final int PARALLEL_ACKS_BEFORE_KILL = PARALLEL_USERS * 3;

	/**
	 * The wait between a single round's first and second upload, in turn: within H2's write delay both may be
	 * lost; past it the first is on disk, and the second, once committed, has deleted the first's original.
	 */
	private static final long[] GAPS_MILLIS = { 0, 1200, 300, 1500, 0, 700 };

	/** Neighbours differ, so the version the row points at shows in the thumbnail. */
	private static final Color[] PALETTE = { Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW, Color.MAGENTA,
			Color.CYAN };

	private static final byte[][] PICTURES = Stream.of(PALETTE)
		.map((color) -> TestImages.encode(TestImages.solid(96, 64, color), "png"))
		.toArray(byte[][]::new);

	/** The picture whose upload is cut off by the kill: large enough to be mid-body for as long as it takes. */
	private static final byte[] HELD_PICTURE = TestImages.encode(TestImages.noise(200, 200), "png");

	private static final Pattern THUMBNAIL_VERSION = Pattern.compile("\"thumbnailUrl\":\"([^\"]+\\?v=(\\d+))\"");

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@TempDir
	Path dir;

	@Test
	void onH2EveryAcknowledgedPictureSurvivesAKillRightAfterIts202() throws Exception {
		new Kills("H2", this.dir, Map.of()).run();
	}

	@Test
	void onPostgresEveryAcknowledgedPictureSurvivesAKillRightAfterIts202() throws Exception {
		TestPostgres.Database database = TestPostgres.freshDatabase();
		new Kills("PostgreSQL", this.dir,
				Map.of("SPRING_PROFILES_ACTIVE", "postgres", "AVATARS_DB_URL", database.url(), "AVATARS_DB_USER",
						database.user(), "AVATARS_DB_PASSWORD", database.password()))
			.run();
	}

	/** What the client was told: versions 1..acked got a 202; one more may have been under way at the kill. */
	record Acknowledged(long userId, int salt, int acked, boolean oneMoreInFlight) {

		boolean allows(long version) {
			return version == this.acked || (this.oneMoreInFlight && version == this.acked + 1);
		}

		String expected() {
			return this.oneMoreInFlight ? ("v" + this.acked + " or v" + (this.acked + 1)) : ("v" + this.acked);
		}

	}

	/** One chain of kills and restarts on one database and one home folder. */
	private static final class Kills {

		private final String engine;

		private final Path home;

		private final Path jar;

		private final Map<String, String> environment;

		private final List<String> findings = new ArrayList<>();

		private int starts;

		private int acknowledgedUploads;

		private int acknowledgedUsers;

		private int cutOffFiles;

		private int usersLosingTheirPicture;

		private int roundsLosingAnAcknowledgement;

		/** Leftovers found after a restart: a later round reports only its own. */
		private final Set<Path> reported = new HashSet<>();

		private int roundsLeavingTempFiles;

		Kills(String engine, Path dir, Map<String, String> environment) throws IOException {
			this.engine = engine;
			this.home = Files.createDirectories(dir.resolve("opt/avatars"));
			this.jar = AppProcess.install(this.home);
			this.environment = environment;
		}

		void run() throws Exception {
			int rounds = SINGLE_KILLS + PARALLEL_KILLS;
			long began = System.nanoTime();
			AppProcess app = start();
			try {
				for (int round = 0; round < rounds; round++) {
					// The parallel rounds are spread evenly among the single ones.
					boolean parallel = (round + 1) * PARALLEL_KILLS / rounds > round * PARALLEL_KILLS / rounds;
					String name = "round " + (round + 1) + (parallel ? " (parallel)" : " (single)");
					List<Acknowledged> acknowledged = parallel ? parallelRound(app, round) : singleRound(app, round);
					this.acknowledgedUploads += acknowledged.stream().mapToInt(Acknowledged::acked).sum();
					this.acknowledgedUsers += acknowledged.size();
					List<Path> leftByTheKill = workInProgress().stream()
						.filter((path) -> !this.reported.contains(path))
						.toList();
					this.cutOffFiles += leftByTheKill.size();
					assertThat(leftByTheKill).as("%s: the upload held open had its temporary file when the app died", name)
						.anyMatch((path) -> path.getFileName().toString().endsWith(".tmp"));
					app = start();
					check(app, name, acknowledged, leftByTheKill);
				}
			}
			finally {
				app.close();
			}
			String summary = String.format(
					"%s: %d kills (%d single, %d under load of %d users), %d starts in %d s, %d uploads acknowledged "
							+ "for %d users; users whose last acknowledged picture was lost or broken: %d, in %d rounds; "
							+ "files of cut-off uploads at the kills: %d; rounds leaving any of them after the restart: %d",
					this.engine, rounds, SINGLE_KILLS, PARALLEL_KILLS,
					PARALLEL_USERS, this.starts, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began),
					this.acknowledgedUploads, this.acknowledgedUsers, this.usersLosingTheirPicture,
					this.roundsLosingAnAcknowledgement, this.cutOffFiles, this.roundsLeavingTempFiles);
			System.out.println(summary);
			this.findings.forEach((finding) -> System.out.println("  " + finding));
			assertThat(this.findings).as(summary).isEmpty();
		}

		private AppProcess start() throws Exception {
			this.starts++;
			return AppProcess.startWeb(this.jar, this.home, this.environment,
					this.home.resolve("start" + this.starts + ".log"), List.of("--avatars.processing.cron=-"));
		}

		/** A user, picture 1, a wait, picture 2, SIGKILL as soon as its 202 arrives. */
		private List<Acknowledged> singleRound(AppProcess app, int round) throws Exception {
			long id = createUser(app, "single" + round);
			long held = createUser(app, "held" + round);
			try (Socket cutOff = holdUploadOpen(app, held)) {
				assertThat(upload(app, id, round, 1).statusCode()).isEqualTo(202);
				Thread.sleep(GAPS_MILLIS[round % GAPS_MILLIS.length]);
				int second = upload(app, id, round, 2).statusCode();
				if (second == 202) {
					app.kill();
				}
				assertThat(second).isEqualTo(202);
			}
			return List.of(new Acknowledged(id, round, 2, false));
		}

		/** Users uploading one picture after another at once; SIGKILL right after the 202 that makes enough. */
		private List<Acknowledged> parallelRound(AppProcess app, int round) throws Exception {
			long[] ids = new long[PARALLEL_USERS];
			for (int i = 0; i < ids.length; i++) {
				ids[i] = createUser(app, "load" + round + "-" + i);
			}
			long held = createUser(app, "held" + round);
			int[] acked = new int[ids.length];
			boolean[] inFlight = new boolean[ids.length];
			List<String> refused = new ArrayList<>();
			CountDownLatch enough = new CountDownLatch(PARALLEL_ACKS_BEFORE_KILL);
			AtomicBoolean killed = new AtomicBoolean();
			try (Socket cutOff = holdUploadOpen(app, held)) {
				List<Thread> uploaders = new ArrayList<>();
				for (int i = 0; i < ids.length; i++) {
					int user = i;
					uploaders.add(new Thread(() -> {
						for (int version = 1; !killed.get(); version++) {
							try {
								HttpResponse<String> response = upload(app, ids[user], round * 31 + user, version);
								if (response.statusCode() != 202) {
									synchronized (refused) {
										refused.add("user " + ids[user] + " v" + version + ": " + response.statusCode());
									}
									return;
								}
								acked[user] = version;
								enough.countDown();
							}
							catch (IOException ex) {
								inFlight[user] = true; // sent, perhaps in full: it may have committed
								return;
							}
							catch (InterruptedException ex) {
								return;
							}
						}
					}));
				}
				uploaders.forEach(Thread::start);
				boolean reached = enough.await(60, TimeUnit.SECONDS);
				app.kill();
				killed.set(true);
				for (Thread uploader : uploaders) {
					uploader.join(TimeUnit.SECONDS.toMillis(30));
				}
				assertThat(reached).as("%d uploads acknowledged before the kill", PARALLEL_ACKS_BEFORE_KILL).isTrue();
				assertThat(refused).as("uploads refused under load").isEmpty();
			}
			List<Acknowledged> result = new ArrayList<>();
			for (int i = 0; i < ids.length; i++) {
				if (acked[i] > 0) {
					result.add(new Acknowledged(ids[i], round * 31 + i, acked[i], inFlight[i]));
				}
			}
			return result;
		}

		/** After the restart: nothing left of cut-off uploads, and every acknowledged picture there and processable. */
		private void check(AppProcess app, String round, List<Acknowledged> acknowledged, List<Path> leftByTheKill)
				throws Exception {
			List<Path> remaining = leftByTheKill.stream().filter(Files::exists).toList();
			if (!remaining.isEmpty()) {
				this.roundsLeavingTempFiles++;
				this.reported.addAll(remaining);
				this.findings.add(round + ": after the restart, files of uploads cut off by the kill remain: "
						+ remaining.stream().map((path) -> this.home.relativize(path).toString()).sorted().toList());
			}
			HttpResponse<String> run = app.postJson("/api/jobs/thumbnails/runs?wait=true", "");
			assertThat(run.statusCode()).as(run.body()).isEqualTo(201);
			boolean lost = false;
			for (Acknowledged ack : acknowledged) {
				String problem = problemWith(app, ack);
				if (problem != null) {
					lost = true;
					this.usersLosingTheirPicture++;
					this.findings.add(round + ": user " + ack.userId() + " was acknowledged " + ack.expected()
							+ "; after the restart and a job run (" + JsonText.first(run.body(), "(\"claimed\".*\"retried\":\\d+)")
							+ ") " + problem);
				}
			}
			if (lost) {
				this.roundsLosingAnAcknowledgement++;
			}
		}

		/** Null when the user's avatar is READY at an acknowledged version and its thumbnail shows that picture. */
		private String problemWith(AppProcess app, Acknowledged ack) throws Exception {
			// The avatar's state, as an admin sees it.
			HttpResponse<String> user = app.get("/api/users/" + ack.userId() + "/avatar");
			if (user.statusCode() != 200) {
				return "the user is gone (" + user.statusCode() + ")";
			}
			String body = user.body();
			String status = JsonText.first(body, "\"status\":\"(\\w+)\"");
			if (!status.equals("READY")) {
				Matcher error = Pattern.compile("\"error\":\"([^\"]*)\"").matcher(body);
				return "the avatar is " + status + (error.find() ? " with error \"" + error.group(1) + "\"" : "");
			}
			Matcher url = THUMBNAIL_VERSION.matcher(body);
			assertThat(url.find()).as(body).isTrue();
			long version = Long.parseLong(url.group(2));
			if (!ack.allows(version)) {
				return "the avatar is at v" + version;
			}
			HttpResponse<byte[]> thumbnail = HTTP.send(
					HttpRequest.newBuilder(URI.create(app.baseUrl() + url.group(1))).build(),
					HttpResponse.BodyHandlers.ofByteArray());
			assertThat(thumbnail.statusCode()).isEqualTo(200);
			BufferedImage image = ImageIO.read(new ByteArrayInputStream(thumbnail.body()));
			assertThat(image).as("a raster thumbnail").isNotNull();
			Color shown = new Color(image.getRGB(image.getWidth() / 2, image.getHeight() / 2));
			Color expected = colour(ack.salt(), version);
			int distance = Math.abs(shown.getRed() - expected.getRed()) + Math.abs(shown.getGreen() - expected.getGreen())
					+ Math.abs(shown.getBlue() - expected.getBlue());
			return (distance < 60) ? null : "v" + version + " shows " + shown + ", not the uploaded " + expected;
		}

		/**
		 * What in the storage is neither a kept original ({@code originals/<name>}) nor a thumbnail nor a top
		 * folder: temporary files ({@code .tmp}), and whatever a process keeps while receiving (a folder of its
		 * own, a lock). All of it belongs to the processes that made it, and must not outlive them.
		 */
		private List<Path> workInProgress() throws IOException {
			Path uploads = this.home.resolve("uploads");
			if (!Files.isDirectory(uploads)) {
				return List.of();
			}
			Path originals = uploads.resolve("originals");
			Path thumbnails = uploads.resolve("thumbnails");
			try (Stream<Path> paths = Files.walk(uploads)) {
				return paths.filter((path) -> {
					String name = path.getFileName().toString();
					if (path.equals(uploads) || path.getParent().equals(uploads)) {
						return false;
					}
					if (path.startsWith(thumbnails)) {
						return name.endsWith(".tmp");
					}
					return !(path.getParent().equals(originals) && !name.startsWith("."));
				}).toList();
			}
		}

		private List<Path> tempFiles() throws IOException {
			return workInProgress().stream().filter((path) -> path.getFileName().toString().endsWith(".tmp")).toList();
		}

		/** An upload whose body stops short: the app holds its temporary file, waiting for the rest. */
		private Socket holdUploadOpen(AppProcess app, long userId) throws Exception {
			byte[] body = new MultipartBody().file("file", "held.png", "image/png", HELD_PICTURE).bytes();
			Socket socket = new Socket("localhost", app.port());
			OutputStream out = socket.getOutputStream();
			// As the admin, whose session and CSRF token the page would send.
			WebSession admin = app.admin();
			String csrf = admin.cookie("XSRF-TOKEN").orElseThrow();
			out.write(("POST /api/users/" + userId + "/avatar HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
					+ MultipartBody.contentType() + "\r\nContent-Length: " + body.length + "\r\nCookie: JSESSIONID="
					+ admin.cookie("JSESSIONID").orElseThrow() + "; XSRF-TOKEN=" + csrf + "\r\nX-XSRF-TOKEN: " + csrf
					+ "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.write(body, 0, body.length - 100);
			out.flush();
			Set<Path> before = Set.copyOf(tempFiles());
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (before.containsAll(tempFiles())) {
				assertThat(System.nanoTime()).as("the held upload's temporary file appears").isLessThan(deadline);
				Thread.sleep(10);
			}
			return socket;
		}

	}

	private static Color colour(int salt, long version) {
		return PALETTE[(int) ((salt + version) % PALETTE.length)];
	}

	private static HttpResponse<String> upload(AppProcess app, long userId, int salt, int version)
			throws IOException, InterruptedException {
		return app.postFile("/api/users/" + userId + "/avatar", PICTURES[(int) ((salt + version) % PALETTE.length)]);
	}

	/** Signs the user up; the admin uploads for them (as it may for anyone). */
	private static long createUser(AppProcess app, String username) throws Exception {
		WebSession user = WebSession.signUp(app.baseUrl(), username, AppProcess.USER_PASSWORD);
		return Long.parseLong(JsonText.first(user.get("/api/session").body(), "\"id\":(\\d+)"));
	}

}
