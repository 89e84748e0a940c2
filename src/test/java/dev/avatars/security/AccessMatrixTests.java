package dev.avatars.security;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.avatars.ApiTestSupport;
import dev.avatars.JsonText;
import dev.avatars.MultipartBody;
import dev.avatars.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Every endpoint against every kind of caller: the README's table, checked. Session callers send the CSRF
 * token; bearers (personal tokens, the identity provider's JWTs) send none and need none. The identity provider
 * is {@link TestIdentityProvider}: a locally generated RSA key served as a JWK set from this test.
 */
@SpringBootTest(properties = { "avatars.processing.cron=-", "avatars.processing.on-upload=false",
		"avatars.cleanup.cron=-", "avatars.security.jwt.issuer-uri=" + TestIdentityProvider.ISSUER })
class AccessMatrixTests extends ApiTestSupport {

	enum Who {

		ANONYMOUS, OWNER, OTHER_USER, ADMIN, OWNER_AVATAR_TOKEN, ADMIN_ADMIN_TOKEN, ADMIN_AVATAR_TOKEN,
		/** The identity provider's JWT naming the owner. */
		OWNER_JWT,
		/** The identity provider's JWT with the admin scope. */
		ADMIN_JWT,
		// Refused whatever they ask for: 401, "The token is unknown, revoked or expired."
		REVOKED_TOKEN, EXPIRED_TOKEN, JWT_WRONG_ISSUER, JWT_EXPIRED, JWT_BAD_SIGNATURE;

		boolean invalidBearer() {
			return ordinal() >= REVOKED_TOKEN.ordinal();
		}

	}

	private static final TestIdentityProvider IDP = new TestIdentityProvider();

	@DynamicPropertySource
	static void identityProvider(DynamicPropertyRegistry registry) {
		registry.add("avatars.security.jwt.jwk-set-uri", IDP::jwkSetUri);
	}

	@AfterAll
	static void stopIdentityProvider() {
		IDP.close();
	}

	@Autowired
	TokenStore tokens;

	long owner;

	long other;

	long admin;

	final Map<Who, String> bearer = new EnumMap<>(Who.class);

	final AtomicInteger serial = new AtomicInteger();

	@BeforeEach
	void callers() throws Exception {
		List<Long> users = createUsers(List.of("owner", "other"));
		this.owner = users.get(0);
		this.other = users.get(1);
		this.admin = adminId();
		Instant now = Instant.now();
		Instant later = now.plus(1, ChronoUnit.HOURS);
		this.bearer.put(Who.OWNER_AVATAR_TOKEN, this.tokens.create(this.owner, "script", TokenScope.AVATAR, null, now).token());
		this.bearer.put(Who.ADMIN_ADMIN_TOKEN, this.tokens.create(this.admin, "ops", TokenScope.ADMIN,
				now.plus(1, ChronoUnit.DAYS), now).token());
		this.bearer.put(Who.ADMIN_AVATAR_TOKEN, this.tokens.create(this.admin, "mine", TokenScope.AVATAR, null, now).token());
		TokenStore.Created revoked = this.tokens.create(this.owner, "old", TokenScope.AVATAR, null, now);
		assertThat(this.tokens.revoke(this.owner, revoked.id(), now)).isTrue();
		this.bearer.put(Who.REVOKED_TOKEN, revoked.token());
		this.bearer.put(Who.EXPIRED_TOKEN, this.tokens.create(this.owner, "expired", TokenScope.AVATAR,
				now.minusSeconds(1), now.minus(1, ChronoUnit.DAYS)).token());
		this.bearer.put(Who.OWNER_JWT, IDP.jwt("owner", TestIdentityProvider.ISSUER, later, "openid profile"));
		this.bearer.put(Who.ADMIN_JWT, IDP.jwt("idp-ops", TestIdentityProvider.ISSUER, later, "openid avatars:admin"));
		this.bearer.put(Who.JWT_WRONG_ISSUER, IDP.jwt("owner", "https://evil.test", later, "openid avatars:admin"));
		this.bearer.put(Who.JWT_EXPIRED, IDP.jwt("owner", TestIdentityProvider.ISSUER, now.minusSeconds(600), "openid"));
		this.bearer.put(Who.JWT_BAD_SIGNATURE, IDP.forged("owner", later, "openid avatars:admin"));
	}

	/**
	 * Expected statuses of the callers that may be answered, in the order of {@link Who}; every invalid bearer
	 * gets 401.
	 */
	private static Map<Who, Integer> expect(int... statuses) {
		assertThat(statuses).hasSize(Who.REVOKED_TOKEN.ordinal());
		Map<Who, Integer> expected = new EnumMap<>(Who.class);
		for (Who who : Who.values()) {
			expected.put(who, who.invalidBearer() ? 401 : statuses[who.ordinal()]);
		}
		return expected;
	}

	/** The words of the anonymous caller's 401 and of the other user's 403, where the endpoint has them. */
	record Endpoint(String name, Supplier<MockHttpServletRequestBuilder> request, Map<Who, Integer> expected,
			String signIn, String forbidden) {

		Endpoint(String name, Supplier<MockHttpServletRequestBuilder> request, Map<Who, Integer> expected) {
			this(name, request, expected, null, null);
		}

	}

	@Test
	void everyEndpointAnswersEveryCallerAsTheTableSays() throws Exception {
		byte[] picture = TestImages.jpeg(64, 64);
		long run = JsonText.number(this.mvc.perform(post("/api/jobs/thumbnails/runs?wait=true").with(asAdmin()))
			.andReturn().getResponse().getContentAsString(), "$.id");
		long cleanup = JsonText.number(this.mvc.perform(post("/api/jobs/cleanup/runs?wait=true").with(asAdmin()))
			.andReturn().getResponse().getContentAsString(), "$.id");
		String admins = "Only admins can run jobs.";
		String adminsSee = "Only admins can see this.";
		List<Endpoint> endpoints = List.of(
				// anonymous, owner, other, admin, owner avatar token, admin admin token, admin avatar token, owner JWT, admin JWT
				new Endpoint("GET /", () -> get("/"), expect(200, 200, 200, 200, 200, 200, 200, 200, 200)),
				new Endpoint("GET /v3/api-docs", () -> get("/v3/api-docs"), expect(200, 200, 200, 200, 200, 200, 200, 200, 200)),
				new Endpoint("POST /api/users",
						() -> post("/api/users").contentType(MediaType.APPLICATION_JSON)
							.content("{\"username\":\"new" + this.serial.incrementAndGet()
									+ "\",\"displayName\":\"New\",\"password\":\"" + PASSWORD + "\"}"),
						expect(201, 201, 201, 201, 201, 201, 201, 201, 201)),
				new Endpoint("GET /api/users", () -> get("/api/users"), expect(200, 200, 200, 200, 200, 200, 200, 200, 200)),
				new Endpoint("GET /api/users/{id}", () -> get("/api/users/{id}", this.owner),
						expect(200, 200, 200, 200, 200, 200, 200, 200, 200)),
				new Endpoint("PATCH /api/users/{id}",
						() -> patch("/api/users/{id}", this.owner).contentType(MediaType.APPLICATION_JSON)
							.content("{\"displayName\":\"Owner\"}"),
						expect(401, 200, 403, 200, 403, 200, 403, 200, 200), "Sign in to change an account.",
						"You can change only your own account."),
				new Endpoint("GET thumbnail", () -> get("/api/users/{id}/avatar/thumbnail", this.owner),
						expect(200, 200, 200, 200, 200, 200, 200, 200, 200)),
				new Endpoint("GET /api/users/{id}/avatar", () -> get("/api/users/{id}/avatar", this.owner),
						expect(401, 200, 403, 200, 200, 200, 403, 200, 200), "Sign in to see your avatar's state.",
						"You can see only your own avatar's state."),
				new Endpoint("POST /api/users/{id}/avatar",
						() -> new MultipartBody().file("file", "a.jpg", "image/jpeg", picture)
							.post("/api/users/{id}/avatar", this.owner),
						expect(401, 202, 403, 202, 202, 202, 403, 202, 202), "Sign in to change an avatar.",
						"You can change only your own avatar."),
				new Endpoint("DELETE /api/users/{id}/avatar", () -> delete("/api/users/{id}/avatar", this.owner),
						expect(401, 204, 403, 204, 204, 204, 403, 204, 204), "Sign in to change an avatar.",
						"You can change only your own avatar."),
				new Endpoint("GET /api/session", () -> get("/api/session"), expect(200, 200, 200, 200, 200, 200, 200, 200, 200)),
				new Endpoint("POST /api/session",
						() -> post("/api/session").contentType(MediaType.APPLICATION_JSON)
							.content("{\"username\":\"other\",\"password\":\"" + PASSWORD + "\"}"),
						expect(200, 200, 200, 200, 200, 200, 200, 200, 200)),
				new Endpoint("DELETE /api/session", () -> delete("/api/session"),
						expect(204, 204, 204, 204, 204, 204, 204, 204, 204)),
				new Endpoint("POST /api/tokens",
						() -> post("/api/tokens").contentType(MediaType.APPLICATION_JSON)
							.content("{\"name\":\"n\",\"scope\":\"avatar\"}"),
						expect(401, 201, 201, 201, 403, 403, 403, 403, 403), "Sign in to manage your tokens.", null),
				new Endpoint("GET /api/tokens", () -> get("/api/tokens"), expect(401, 200, 200, 200, 403, 403, 403, 403, 403),
						"Sign in to manage your tokens.", null),
				// A token of someone else's is not found rather than forbidden: its id tells nothing.
				new Endpoint("DELETE /api/tokens/{id}",
						() -> delete("/api/tokens/{id}",
								this.tokens.create(this.owner, "spare", TokenScope.AVATAR, null, Instant.now()).id()),
						expect(401, 204, 404, 404, 403, 403, 403, 403, 403), "Sign in to manage your tokens.", null),
				new Endpoint("POST /api/jobs/thumbnails/runs", () -> post("/api/jobs/thumbnails/runs?limit=1&wait=true"),
						expect(401, 403, 403, 201, 403, 201, 403, 403, 201), "Sign in as an admin to run jobs.", admins),
				new Endpoint("GET /api/jobs/thumbnails/runs", () -> get("/api/jobs/thumbnails/runs"),
						expect(401, 403, 403, 200, 403, 200, 403, 403, 200), "Sign in as an admin to run jobs.", admins),
				new Endpoint("GET /api/jobs/thumbnails/runs/{id}", () -> get("/api/jobs/thumbnails/runs/{id}", run),
						expect(401, 403, 403, 200, 403, 200, 403, 403, 200), "Sign in as an admin to run jobs.", admins),
				new Endpoint("POST /api/jobs/cleanup/runs", () -> post("/api/jobs/cleanup/runs?wait=true"),
						expect(401, 403, 403, 201, 403, 201, 403, 403, 201), "Sign in as an admin to run jobs.", admins),
				new Endpoint("GET /api/jobs/cleanup/runs", () -> get("/api/jobs/cleanup/runs"),
						expect(401, 403, 403, 200, 403, 200, 403, 403, 200), "Sign in as an admin to run jobs.", admins),
				new Endpoint("GET /api/jobs/cleanup/runs/{id}", () -> get("/api/jobs/cleanup/runs/{id}", cleanup),
						expect(401, 403, 403, 200, 403, 200, 403, 403, 200), "Sign in as an admin to run jobs.", admins),
				new Endpoint("GET /actuator/health", () -> get("/actuator/health"),
						expect(200, 200, 200, 200, 200, 200, 200, 200, 200)),
				new Endpoint("GET /actuator/info", () -> get("/actuator/info"), expect(200, 200, 200, 200, 200, 200, 200, 200, 200)),
				new Endpoint("GET /actuator/metrics", () -> get("/actuator/metrics"),
						expect(401, 403, 403, 200, 403, 200, 403, 403, 200), "Sign in as an admin to see this.", adminsSee),
				new Endpoint("GET /actuator/metrics/{name}", () -> get("/actuator/metrics/avatars.backlog.size"),
						expect(401, 403, 403, 200, 403, 200, 403, 403, 200), "Sign in as an admin to see this.", adminsSee),
				new Endpoint("GET /actuator/prometheus", () -> get("/actuator/prometheus"),
						expect(401, 403, 403, 200, 403, 200, 403, 403, 200), "Sign in as an admin to see this.", adminsSee));
		StringBuilder mismatches = new StringBuilder();
		for (Endpoint endpoint : endpoints) {
			for (Who who : Who.values()) {
				MockHttpServletResponse response = this.mvc.perform(endpoint.request().get().with(caller(who)))
					.andReturn()
					.getResponse();
				int expected = endpoint.expected().get(who);
				String as = endpoint.name() + " as " + who;
				if (response.getStatus() != expected) {
					mismatches.append("%s: %d, expected %d (%s)%n".formatted(as, response.getStatus(), expected,
							response.getContentAsString()));
					continue;
				}
				assertThat(response.getHeader("Location")).as(as + ": never a redirect to a sign-in page")
					.satisfiesAnyOf((location) -> assertThat(location).isNull(),
							(location) -> assertThat(location).contains("/api/"));
				if (expected >= 400) {
					assertProblem(response, expected, as);
					String detail = JsonText.string(response.getContentAsString(), "$.detail");
					if (who.invalidBearer()) {
						assertThat(detail).as(as).isEqualTo("The token is unknown, revoked or expired.");
						assertThat(response.getHeader("WWW-Authenticate")).as(as).isEqualTo("Bearer error=\"invalid_token\"");
					}
					else if (who == Who.ANONYMOUS && endpoint.signIn() != null) {
						assertThat(detail).as(as).isEqualTo(endpoint.signIn());
					}
					else if (who == Who.OTHER_USER && endpoint.forbidden() != null) {
						assertThat(detail).as(as).isEqualTo(endpoint.forbidden());
					}
				}
				if (endpoint.name().equals("GET /actuator/health") && expected == 200) {
					boolean admin = who == Who.ADMIN || who == Who.ADMIN_ADMIN_TOKEN || who == Who.ADMIN_JWT;
					String body = response.getContentAsString();
					if (admin) {
						assertThat(body).as(as).contains("\"status\":\"UP\"").contains("\"backlog\"");
					}
					else {
						assertThat(body).as(as + ": only the status").isEqualTo("{\"status\":\"UP\"}");
					}
				}
			}
		}
		assertThat(mismatches.toString()).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Who.class)
	void anAccountAndItsFilesAreDeletedOnlyByTheOwnerOrAnAdminWithTheScope(Who who) throws Exception {
		upload(this.owner, TestImages.jpeg(64, 64), "a.jpg", "image/jpeg");
		assertThat(storedFiles()).isNotEmpty();
		boolean allowed = switch (who) {
			case OWNER, ADMIN, ADMIN_ADMIN_TOKEN, OWNER_JWT, ADMIN_JWT -> true;
			default -> false;
		};
		MockHttpServletResponse response = this.mvc.perform(delete("/api/users/{id}", this.owner).with(caller(who)))
			.andReturn()
			.getResponse();
		long users = this.jdbc.sql("SELECT COUNT(*) FROM users WHERE id = ?").param(this.owner).query(Long.class).single();
		if (allowed) {
			assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(204);
			assertThat(users).isZero();
			assertThat(storedFiles()).as("the account's files go with it").isEmpty();
			assertThat(this.jdbc.sql("SELECT COUNT(*) FROM api_tokens WHERE user_id = ?").param(this.owner)
				.query(Long.class).single()).as("and its tokens").isZero();
			return;
		}
		int expected = (who == Who.ANONYMOUS || who.invalidBearer()) ? 401 : 403;
		assertThat(response.getStatus()).isEqualTo(expected);
		assertProblem(response, expected, who.name());
		String detail = JsonText.string(response.getContentAsString(), "$.detail");
		switch (who) {
			case ANONYMOUS -> assertThat(detail).isEqualTo("Sign in to change an account.");
			case OTHER_USER -> assertThat(detail).isEqualTo("You can change only your own account.");
			case OWNER_AVATAR_TOKEN, ADMIN_AVATAR_TOKEN -> assertThat(detail).isEqualTo("This token's scope does not allow this.");
			default -> assertThat(detail).isEqualTo("The token is unknown, revoked or expired.");
		}
		assertThat(users).isOne();
		assertThat(storedFiles()).isNotEmpty();
	}

	private static void assertProblem(MockHttpServletResponse response, int status, String as) throws Exception {
		assertThat(response.getContentType()).as(as).isEqualTo("application/problem+json");
		String problem = response.getContentAsString();
		assertThat(JsonText.number(problem, "$.status")).as(as).isEqualTo(status);
		assertThat(JsonText.string(problem, "$.detail")).as(as + ": a sentence").matches("[A-Z].+\\.");
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
