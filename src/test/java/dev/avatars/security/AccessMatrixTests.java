package dev.avatars.security;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.avatars.ApiTestSupport;
import dev.avatars.JsonText;
import dev.avatars.MultipartBody;
import dev.avatars.TestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Every endpoint against every kind of caller: the README's table, checked. Session callers send the CSRF
 * token; token callers send none (and need none).
 */
class AccessMatrixTests extends ApiTestSupport {

	enum Who {

		ANONYMOUS, OWNER, OTHER_USER, ADMIN, OWNER_AVATAR_TOKEN, ADMIN_ADMIN_TOKEN, ADMIN_AVATAR_TOKEN, REVOKED_TOKEN,
		EXPIRED_TOKEN

	}

	@Autowired
	TokenStore tokens;

	long owner;

	long other;

	long admin;

	final Map<Who, String> bearer = new EnumMap<>(Who.class);

	@BeforeEach
	void callers() throws Exception {
		this.owner = createUser("owner");
		this.other = createUser("other");
		this.admin = adminId();
		Instant now = Instant.now();
		this.bearer.put(Who.OWNER_AVATAR_TOKEN, this.tokens.create(this.owner, "script", TokenScope.AVATAR, null, now).token());
		this.bearer.put(Who.ADMIN_ADMIN_TOKEN, this.tokens.create(this.admin, "ops", TokenScope.ADMIN,
				now.plus(1, ChronoUnit.DAYS), now).token());
		this.bearer.put(Who.ADMIN_AVATAR_TOKEN, this.tokens.create(this.admin, "mine", TokenScope.AVATAR, null, now).token());
		TokenStore.Created revoked = this.tokens.create(this.owner, "old", TokenScope.AVATAR, null, now);
		assertThat(this.tokens.revoke(this.owner, revoked.id(), now)).isTrue();
		this.bearer.put(Who.REVOKED_TOKEN, revoked.token());
		this.bearer.put(Who.EXPIRED_TOKEN, this.tokens.create(this.owner, "expired", TokenScope.AVATAR,
				now.minusSeconds(1), now.minus(1, ChronoUnit.DAYS)).token());
	}

	/** Expected statuses in the order of {@link Who}. */
	private static Map<Who, Integer> expect(int... statuses) {
		Map<Who, Integer> expected = new EnumMap<>(Who.class);
		for (Who who : Who.values()) {
			expected.put(who, statuses[who.ordinal()]);
		}
		return expected;
	}

	record Endpoint(String name, Supplier<MockHttpServletRequestBuilder> request, Map<Who, Integer> expected) {
	}

	@Test
	void everyEndpointAnswersEveryCallerAsTheTableSays() throws Exception {
		byte[] picture = TestImages.jpeg(64, 64);
		List<Endpoint> endpoints = List.of(
				// anonymous, owner, other, admin, owner avatar token, admin admin token, admin avatar token, revoked, expired
				new Endpoint("GET /api/users", () -> get("/api/users"),
						expect(200, 200, 200, 200, 200, 200, 200, 401, 401)),
				new Endpoint("GET /api/users/{id}", () -> get("/api/users/{id}", this.owner),
						expect(200, 200, 200, 200, 200, 200, 200, 401, 401)),
				new Endpoint("GET thumbnail", () -> get("/api/users/{id}/avatar/thumbnail", this.owner),
						expect(200, 200, 200, 200, 200, 200, 200, 401, 401)),
				new Endpoint("GET /api/users/{id}/avatar", () -> get("/api/users/{id}/avatar", this.owner),
						expect(401, 200, 403, 200, 200, 200, 403, 401, 401)),
				new Endpoint("POST /api/users/{id}/avatar",
						() -> new MultipartBody().file("file", "a.jpg", "image/jpeg", picture)
							.post("/api/users/{id}/avatar", this.owner),
						expect(401, 202, 403, 202, 202, 202, 403, 401, 401)),
				new Endpoint("PATCH /api/users/{id}",
						() -> patch("/api/users/{id}", this.owner).contentType(MediaType.APPLICATION_JSON)
							.content("{\"displayName\":\"Owner\"}"),
						expect(401, 200, 403, 200, 403, 200, 403, 401, 401)),
				new Endpoint("POST /api/jobs/thumbnails/runs", () -> post("/api/jobs/thumbnails/runs?limit=1&wait=true"),
						expect(401, 403, 403, 201, 403, 201, 403, 401, 401)),
				new Endpoint("GET /api/jobs/thumbnails/runs", () -> get("/api/jobs/thumbnails/runs"),
						expect(401, 403, 403, 200, 403, 200, 403, 401, 401)),
				new Endpoint("POST /api/jobs/cleanup/runs", () -> post("/api/jobs/cleanup/runs?wait=true"),
						expect(401, 403, 403, 201, 403, 201, 403, 401, 401)),
				new Endpoint("GET /actuator/metrics", () -> get("/actuator/metrics"),
						expect(401, 403, 403, 200, 403, 200, 403, 401, 401)),
				new Endpoint("GET /actuator/prometheus", () -> get("/actuator/prometheus"),
						expect(401, 403, 403, 200, 403, 200, 403, 401, 401)),
				new Endpoint("POST /api/tokens",
						() -> post("/api/tokens").contentType(MediaType.APPLICATION_JSON)
							.content("{\"name\":\"n\",\"scope\":\"avatar\"}"),
						expect(401, 201, 201, 201, 403, 403, 403, 401, 401)),
				new Endpoint("GET /api/tokens", () -> get("/api/tokens"),
						expect(401, 200, 200, 200, 403, 403, 403, 401, 401)));
		StringBuilder mismatches = new StringBuilder();
		for (Endpoint endpoint : endpoints) {
			for (Who who : Who.values()) {
				MockHttpServletResponse response = this.mvc.perform(endpoint.request().get().with(caller(who)))
					.andReturn()
					.getResponse();
				int expected = endpoint.expected().get(who);
				if (response.getStatus() != expected) {
					mismatches.append("%s as %s: %d, expected %d (%s)%n".formatted(endpoint.name(), who,
							response.getStatus(), expected, response.getContentAsString()));
				}
				else if (expected >= 400) {
					assertThat(response.getContentType()).as(endpoint.name() + " as " + who).isEqualTo("application/problem+json");
					String problem = response.getContentAsString();
					assertThat(JsonText.number(problem, "$.status")).as(endpoint.name() + " as " + who).isEqualTo(expected);
					assertThat(JsonText.string(problem, "$.detail")).as(endpoint.name() + " as " + who + ": a sentence")
						.matches("[A-Z].+\\.");
					if (who == Who.REVOKED_TOKEN || who == Who.EXPIRED_TOKEN) {
						assertThat(response.getContentAsString()).contains("The token is unknown, revoked or expired.");
						assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
					}
				}
			}
		}
		assertThat(mismatches.toString()).isEmpty();
	}

	@Test
	void tokensDeleteAnAccountOnlyWithTheAdminScope() throws Exception {
		assertThat(this.mvc.perform(delete("/api/users/{id}", this.owner).with(caller(Who.OWNER_AVATAR_TOKEN)))
			.andReturn().getResponse().getContentAsString()).contains("This token's scope does not allow this.");
		assertThat(this.mvc.perform(delete("/api/users/{id}", this.owner).with(caller(Who.ADMIN_AVATAR_TOKEN)))
			.andReturn().getResponse().getStatus()).isEqualTo(403);
		assertThat(this.mvc.perform(delete("/api/users/{id}", this.owner).with(caller(Who.ADMIN_ADMIN_TOKEN)))
			.andReturn().getResponse().getStatus()).isEqualTo(204);
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM api_tokens WHERE user_id = ?").param(this.owner).query(Long.class)
			.single()).as("the account's tokens go with it").isZero();
	}

	private RequestPostProcessor caller(Who who) {
		return switch (who) {
			case ANONYMOUS -> csrf();
			case OWNER -> as(this.owner);
			case OTHER_USER -> as(this.other);
			case ADMIN -> as(this.admin);
			default -> (request) -> {
				request.addHeader("Authorization", "Bearer " + this.bearer.get(who));
				return request;
			};
		};
	}

}
