package dev.avatars.security;

import java.time.Instant;

import dev.avatars.ApiTestSupport;
import dev.avatars.MultipartBody;
import dev.avatars.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The identity-provider mode: JWTs signed by a locally generated RSA key, whose public half this test serves
 * as a JWK set over HTTP, as a real provider does ({@link TestIdentityProvider}).
 */
@SpringBootTest(properties = { "avatars.processing.cron=-", "avatars.processing.on-upload=false",
		"avatars.security.jwt.issuer-uri=https://idp.test/realm" })
class IdentityProviderTests extends ApiTestSupport {

	private static final String ISSUER = TestIdentityProvider.ISSUER;

	private static final TestIdentityProvider IDP = new TestIdentityProvider();

	@DynamicPropertySource
	static void identityProvider(DynamicPropertyRegistry registry) {
		registry.add("avatars.security.jwt.jwk-set-uri", IDP::jwkSetUri);
	}

	@AfterAll
	static void stopServer() {
		IDP.close();
	}

	@Test
	void aValidTokenNamesAUserMadeOnFirstUseWhoChangesOnlyTheirOwnAvatar() throws Exception {
		String token = IDP.jwt("jwt-user", ISSUER, Instant.now().plusSeconds(300), "openid profile");
		with(get("/api/session"), token)
			.andExpect(jsonPath("$.signedIn").value(true))
			.andExpect(jsonPath("$.username").value("jwt-user"))
			.andExpect(jsonPath("$.role").value("USER"));
		long id = this.jdbc.sql("SELECT id FROM users WHERE username = 'jwt-user'").query(Long.class).single();
		assertThat(this.jdbc.sql("SELECT password_hash FROM users WHERE id = ?").param(id).query(String.class).optional())
			.as("no password: it signs in through the identity provider only").isEmpty();
		with(new MultipartBody().file("file", "a.jpg", "image/jpeg", TestImages.jpeg(64, 64))
			.post("/api/users/{id}/avatar", id), token).andExpect(status().isAccepted());
		long other = createUser("other");
		with(get("/api/users/{id}/avatar", other), token).andExpect(status().isForbidden());
		with(post("/api/jobs/thumbnails/runs"), token).andExpect(status().isForbidden());
		with(get("/api/session"), token).andExpect(jsonPath("$.id").value(id)); // the same user, not a second
	}

	@Test
	void theConfiguredScopeMakesAnAdmin() throws Exception {
		String token = IDP.jwt("ops-person", ISSUER, Instant.now().plusSeconds(300), "openid avatars:admin");
		with(post("/api/jobs/thumbnails/runs?wait=true"), token).andExpect(status().isCreated());
		with(get("/actuator/health"), token).andExpect(jsonPath("$.components.backlog").exists());
	}

	@Test
	void wrongIssuerExpiredBadSignatureAndUnusableNamesAre401() throws Exception {
		Instant later = Instant.now().plusSeconds(300);
		for (String token : new String[] { IDP.jwt("someone", "https://evil.test", later, "openid"),
				IDP.jwt("someone", ISSUER, Instant.now().minusSeconds(600), "openid"),
				IDP.forged("someone", later, "avatars:admin"),
				IDP.jwt("Not A Username!", ISSUER, later, "openid"), "not.a.jwt" }) {
			with(get("/api/users"), token).andExpect(status().isUnauthorized())
				.andExpect(header().string("Content-Type", "application/problem+json"))
				.andExpect(jsonPath("$.detail").value("The token is unknown, revoked or expired."));
		}
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single()).isZero();
	}

	private ResultActions with(MockHttpServletRequestBuilder request, String token) throws Exception {
		return this.mvc.perform(request.header("Authorization", "Bearer " + token));
	}

}
