package dev.avatars.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import dev.avatars.ApiTestSupport;
import dev.avatars.WebSession;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The cookies as Tomcat writes them: HttpOnly, SameSite=Lax, and Secure behind a TLS-terminating proxy. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "avatars.processing.cron=-", "avatars.processing.on-upload=false" })
class SessionCookieTests extends ApiTestSupport {

	@LocalServerPort
	int port;

	@Test
	void theSessionCookieIsHttpOnlyAndLaxAndSecureOnlyWhenTheProxySaysHttps() throws Exception {
		createUser("grace");
		assertThat(sessionCookie(false)).contains("HttpOnly").containsIgnoringCase("SameSite=Lax").doesNotContain("Secure");
		assertThat(sessionCookie(true)).contains("HttpOnly").containsIgnoringCase("SameSite=Lax").contains("Secure");
	}

	/** Signs in over HTTP and returns the session cookie's Set-Cookie header. */
	private String sessionCookie(boolean behindTls) throws Exception {
		String base = "http://localhost:" + this.port;
		WebSession page = WebSession.anonymous(base);
		String token = page.cookie("XSRF-TOKEN").orElseThrow();
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/session"))
			.header("Content-Type", "application/json")
			.header("Cookie", "XSRF-TOKEN=" + token)
			.header("X-XSRF-TOKEN", token)
			.POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"grace\",\"password\":\"" + PASSWORD + "\"}"));
		if (behindTls) {
			request.header("X-Forwarded-Proto", "https");
		}
		HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		List<String> cookies = response.headers().allValues("Set-Cookie");
		return cookies.stream().filter((cookie) -> cookie.startsWith("JSESSIONID=")).findFirst().orElseThrow();
	}

}
