package dev.avatars.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import dev.avatars.AppProcess;
import dev.avatars.JsonText;
import dev.avatars.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations settings of docs/OPERATIONS.md on the packaged jar: JSON (ECS) log lines with one setting, and
 * the actuator on a management port of its own, where the app's security rules still hold.
 */
class OperationsIT {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@TempDir
	Path dir;

	@Test
	void ecsLogsAreJsonLinesAndTheManagementPortKeepsTheAdminRule() throws Exception {
		int management = AppProcess.freePort();
		Path log = this.dir.resolve("web.log");
		try (AppProcess web = AppProcess.startWeb(AppProcess.install(Files.createDirectories(this.dir.resolve("opt"))), this.dir, log,
				// No schedule (and AppProcess turns processing on upload off): the upload stays in the backlog.
				List.of("--avatars.home=" + this.dir, "--avatars.processing.cron=-",
						"--logging.structured.format.console=ecs", "--management.server.port=" + management,
						"--management.server.address=127.0.0.1"))) {
			web.userWithUpload("someone", TestImages.jpeg(64, 64));
			String actuator = "http://127.0.0.1:" + management + "/actuator";

			assertThat(get(actuator + "/health", null).statusCode()).as("health stays public").isEqualTo(200);
			HttpResponse<String> anonymous = get(actuator + "/prometheus", null);
			assertThat(anonymous.statusCode()).as("no sign-in, no metrics, on this port too").isEqualTo(401);
			assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");

			// A scraper's credential: an admin token (sessions belong to the app's port, tokens to no port).
			String created = web.postJson("/api/tokens", "{\"name\":\"prometheus\",\"scope\":\"admin\"}").body();
			String token = JsonText.string(created, "$.token");
			assertThat(get(web.baseUrl() + "/actuator/prometheus", token).statusCode())
				.as("the actuator has left the app's port").isEqualTo(404);
			HttpResponse<String> scraped = get(actuator + "/prometheus", token);
			assertThat(scraped.statusCode()).as(scraped.body()).isEqualTo(200);
			assertThat(scraped.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
			assertThat(scraped.body()).containsPattern("(?m)^avatars_backlog_size(\\{[^}]*})? 1\\.0$")
				.doesNotContain(this.dir.toString());

			String userToken = JsonText.string(web.admin().postJson("/api/tokens",
					"{\"name\":\"not an admin's scope\",\"scope\":\"avatar\"}").body(), "$.token");
			assertThat(get(actuator + "/prometheus", userToken).statusCode()).isEqualTo(403);
			String session = web.admin().cookie("JSESSIONID").orElseThrow();
			HttpResponse<String> withSession = HTTP.send(HttpRequest.newBuilder(URI.create(actuator + "/prometheus"))
				.header("Cookie", "JSESSIONID=" + session)
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(withSession.statusCode()).as("the admin's session is the app port's own").isEqualTo(401);
			assertThat(get(web.baseUrl() + "/actuator/health", null).statusCode())
				.as("health too has moved: a load balancer's check must follow it").isEqualTo(404);
		}

		List<String> lines = Files.readAllLines(log).stream().filter((line) -> !line.isBlank()).toList();
		List<String> json = lines.stream().filter((line) -> line.startsWith("{")).toList();
		assertThat(lines.stream().filter((line) -> !line.startsWith("{")))
			.as("lines that are not JSON (%d lines in all)", lines.size())
			.isEmpty();
		assertThat(json).hasSizeGreaterThan(5).allSatisfy((line) -> {
			Map<String, Object> entry = JsonPath.read(line, "$");
			assertThat(entry).containsKeys("@timestamp", "message", "log", "ecs");
			assertThat(JsonText.string(line, "$.log.level")).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
			assertThat(JsonText.string(line, "$.service.name")).isEqualTo("avatars");
		});
		assertThat(json).anySatisfy((line) -> assertThat(JsonText.string(line, "$.message")).startsWith("Started "));
	}

	private static HttpResponse<String> get(String url, String bearer) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
