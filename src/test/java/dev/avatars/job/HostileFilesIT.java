package dev.avatars.job;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.avatars.AppProcess;
import dev.avatars.HostileImages;
import dev.avatars.JsonText;
import dev.avatars.TestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile files through the packaged jar with the documented 256 MB heap: each is refused at upload with a 422
 * that says why, or its avatar ends READY or FAILED in the first run, on the pure-Java engine (the cron
 * command) and on the native one (the web app's own job), with the run's counts right and the web app's
 * workers whole afterwards.
 */
class HostileFilesIT {

	private static final Map<String, String> CRON_ENVIRONMENT = Map.of("PATH", "/usr/bin:/bin", "HOME", "/tmp");

	/** Refused at upload, by what the problem's detail says. */
	private static final Map<String, byte[]> REFUSED = new LinkedHashMap<>();

	/** Accepted, and what the job makes of it: READY, or the start of the FAILED reason. */
	private static final Map<String, byte[]> ACCEPTED = new LinkedHashMap<>();

	private static final Map<String, String> OUTCOME = new LinkedHashMap<>();

	static {
		refused("frame of 12000×12000 pixels", HostileImages.webpCanvasAroundLargerFrame(100, 12000, 12000));
		refused("lossless WebP of 39.7 megapixels", HostileImages.losslessWebp(6300, 6300));
		refused("10000×10000", HostileImages.gifWithFrameLargerThanScreen(100, 10000));
		refused("frame of 20000×20000 pixels", HostileImages.jpegWithSecondLargerFrame(64, 64));
		refused("lossless JPEG of 40.0 megapixels", HostileImages.losslessJpeg(6324, 6324, 16, 1));
		accepted("deep-exif", "READY", HostileImages.jpegWithDeepExifChain(5000));
		accepted("ztxt-bomb", "READY", HostileImages.pngWithCompressedChunkBomb("zTXt", 64, 64, 256L << 20));
		accepted("itxt-bomb", "READY", HostileImages.pngWithCompressedChunkBomb("iTXt", 64, 64, 256L << 20));
		accepted("iccp-bomb", "READY", HostileImages.pngWithCompressedChunkBomb("iCCP", 64, 64, 256L << 20));
		accepted("huge-icc", "READY", HostileImages.jpegWithHugeIccProfile(150));
		accepted("lossless-16bit-4mp", "READY", HostileImages.losslessJpeg(2000, 2000, 16, 1));
		accepted("png-16bit-40mp", "READY", HostileImages.blackPng(6324, 6324, 16));
		accepted("lossless-webp-4mp", "READY", HostileImages.losslessWebp(2000, 2000));
		accepted("webp-claims-more", "not a decodable WEBP: truncated data",
				HostileImages.losslessWebpClaimingMoreThanItHolds(300, 300));
		accepted("corrupt-lossless", "not a decodable JPEG", HostileImages.corruptLosslessJpeg(300, 300));
	}

	private static void refused(String detail, byte[] file) {
		REFUSED.put(detail, file);
	}

	private static void accepted(String name, String outcome, byte[] file) {
		ACCEPTED.put(name, file);
		OUTCOME.put(name, outcome);
	}

	@TempDir
	Path dir;

	Path jar;

	@BeforeEach
	void install() throws Exception {
		Path install = Files.createDirectories(this.dir.resolve("opt/avatars"));
		this.jar = AppProcess.install(install);
	}

	@Test
	void eachIsRefusedAtUploadOrEndsReadyOrFailedOnBothEnginesIn256Mb() throws Exception {
		try (AppProcess web = AppProcess.startWeb(this.jar, this.dir, this.dir.resolve("web.log"),
				"--avatars.processing.cron=-")) {
			long victim = web.userWithUpload("victim", TestImages.jpeg(64, 64));
			for (Map.Entry<String, byte[]> refused : REFUSED.entrySet()) {
				HttpResponse<String> answer = web.postFile("/api/users/" + victim + "/avatar", refused.getValue());
				assertThat(answer.statusCode()).as(refused.getKey() + ": " + answer.body()).isEqualTo(422);
				assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
				assertThat(answer.body()).contains("\"title\":\"Image too large\"").contains(refused.getKey());
			}

			// The cron command, pure-Java engine: the victim's picture and every accepted file in one run.
			Map<Long, String> forCli = uploadAll(web, "cli-");
			Path log = this.dir.resolve("cli.log");
			Process cli = AppProcess.start(this.jar, Path.of("/"), CRON_ENVIRONMENT, log,
					List.of("process-avatars", "--avatars.thumbnail.engine=java"));
			assertThat(cli.waitFor(300, TimeUnit.SECONDS)).as("the command finished").isTrue();
			String output = Files.readString(log);
			int failing = (int) OUTCOME.values().stream().filter((outcome) -> !outcome.equals("READY")).count();
			int all = ACCEPTED.size() + 1;
			assertThat(cli.exitValue()).as(output).isEqualTo(1);
			assertThat(output).contains("process-avatars: claimed=" + all + " ready=" + (all - failing) + " failed="
					+ failing + " retried=0");
			assertOutcomes(web, forCli);
			assertThat(avatar(web, victim)).contains("\"status\":\"READY\"");

			// The web app's own job, native engine where it applies, the same files for other users.
			Map<Long, String> forWeb = uploadAll(web, "web-");
			String run = web.postJson("/api/jobs/thumbnails/runs?wait=true", "").body();
			assertThat(JsonText.sum(run, "claimed")).as(run).isEqualTo(ACCEPTED.size());
			assertThat(JsonText.sum(run, "failed")).as(run).isEqualTo(failing);
			assertThat(JsonText.sum(run, "retried")).as(run).isZero();
			assertOutcomes(web, forWeb);

			// Its workers outlived all of that: the next upload is rendered by the next run.
			long after = web.userWithUpload("after", TestImages.jpeg(120, 90));
			String next = web.postJson("/api/jobs/thumbnails/runs?wait=true", "").body();
			assertThat(JsonText.sum(next, "ready")).as(next).isEqualTo(1);
			assertThat(avatar(web, after)).contains("\"status\":\"READY\"");
		}
	}

	private static Map<Long, String> uploadAll(AppProcess web, String prefix) throws Exception {
		Map<Long, String> users = new LinkedHashMap<>();
		for (Map.Entry<String, byte[]> file : ACCEPTED.entrySet()) {
			users.put(web.userWithUpload(prefix + file.getKey(), file.getValue()), file.getKey());
		}
		return users;
	}

	private static void assertOutcomes(AppProcess web, Map<Long, String> users) throws Exception {
		List<String> wrong = new ArrayList<>();
		for (Map.Entry<Long, String> user : users.entrySet()) {
			String expected = OUTCOME.get(user.getValue());
			String avatar = avatar(web, user.getKey());
			boolean right = expected.equals("READY") ? avatar.contains("\"status\":\"READY\"")
					: avatar.contains("\"status\":\"FAILED\"") && avatar.contains("\"error\":\"" + expected);
			if (!right) {
				wrong.add(user.getValue() + ": " + avatar);
			}
		}
		assertThat(wrong).isEmpty();
	}

	/** The avatar's state as its owner (or an admin) sees it. */
	private static String avatar(AppProcess web, long userId) throws Exception {
		return web.get("/api/users/" + userId + "/avatar").body();
	}

}
