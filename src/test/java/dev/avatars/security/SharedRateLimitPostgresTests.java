package dev.avatars.security;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.avatars.AvatarsApplication;
import dev.avatars.JsonText;
import dev.avatars.MultipartBody;
import dev.avatars.TestImages;
import dev.avatars.TestPostgres;
import dev.avatars.WebSession;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** Two instances on one PostgreSQL database count against the same limits. */
class SharedRateLimitPostgresTests {

	@Test
	void twoInstancesShareTheUploadAndSignInLimits() throws Exception {
		TestPostgres.Database database = TestPostgres.freshDatabase();
		Path home = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "shared-limits-");
		try (ConfigurableApplicationContext a = start(database, home); ConfigurableApplicationContext b = start(database, home)) {
			String urlA = url(a);
			String urlB = url(b);
			WebSession onA = WebSession.signUp(urlA, "shared", "shared secret 1");
			WebSession onB = WebSession.signIn(urlB, "shared", "shared secret 1");
			long id = JsonText.number(onA.get("/api/session").body(), "$.id");
			byte[] upload = new MultipartBody().file("file", "a.jpg", "image/jpeg", TestImages.jpeg(64, 64)).bytes();
			assertThat(onA.postMultipart("/api/users/" + id + "/avatar", upload).statusCode()).isEqualTo(202);
			assertThat(onB.postMultipart("/api/users/" + id + "/avatar", upload).statusCode()).isEqualTo(202);
			HttpResponse<String> third = onA.postMultipart("/api/users/" + id + "/avatar", upload);
			assertThat(third.statusCode()).as("the limit of 2 counts both instances").isEqualTo(429);
			assertThat(third.headers().firstValue("Retry-After")).isPresent();

			HttpResponse<String> wrongOnA = WebSession.anonymous(urlA).postJson("/api/session",
					"{\"username\":\"shared\",\"password\":\"wrong one 1\"}");
			assertThat(wrongOnA.statusCode()).isEqualTo(401);
			HttpResponse<String> wrongOnB = WebSession.anonymous(urlB).postJson("/api/session",
					"{\"username\":\"shared\",\"password\":\"wrong one 2\"}");
			assertThat(wrongOnB.statusCode()).isEqualTo(401);
			HttpResponse<String> rightOnA = WebSession.anonymous(urlA).postJson("/api/session",
					"{\"username\":\"shared\",\"password\":\"shared secret 1\"}");
			assertThat(rightOnA.statusCode()).isEqualTo(429);
			assertThat(rightOnA.body()).contains("Too many failed sign-ins.");

			// Many requests opening one window at once, on both instances: exactly the limit gets through.
			RateLimiter[] limiters = { a.getBean(RateLimiter.class), b.getBean(RateLimiter.class) };
			java.time.Instant now = java.time.Instant.now();
			java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
			try {
				java.util.List<java.util.concurrent.Callable<Boolean>> hits = new java.util.ArrayList<>();
				for (int i = 0; i < 36; i++) {
					RateLimiter limiter = limiters[i % 2];
					hits.add(() -> limiter.hit("race", 10, java.time.Duration.ofMinutes(10), now).isEmpty());
				}
				long allowed = 0;
				for (java.util.concurrent.Future<Boolean> hit : pool.invokeAll(hits)) {
					allowed += hit.get() ? 1 : 0;
				}
				assertThat(allowed).isEqualTo(10);
			}
			finally {
				pool.shutdown();
			}
		}
	}

	private static ConfigurableApplicationContext start(TestPostgres.Database database, Path home) {
		// Arguments, not default properties: application-postgres.yml would win over those.
		return new SpringApplicationBuilder(AvatarsApplication.class).profiles("postgres")
			.run("--server.port=0", "--avatars.home=" + home, "--avatars.processing.cron=-",
					"--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.user(),
					"--spring.datasource.password=" + database.password(), "--avatars.rate-limit.uploads=2",
					"--avatars.rate-limit.failed-sign-ins=2");
	}

	private static String url(ConfigurableApplicationContext context) {
		return "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
