package dev.avatars.security;

import java.time.Instant;

import dev.avatars.ApiTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The identity provider named by its issuer alone: its keys found through its discovery document, read on the
 * first JWT, so that the app starts, and serves everyone else, while the provider is down.
 */
@SpringBootTest(properties = { "avatars.processing.cron=-", "avatars.processing.on-upload=false",
		"avatars.cleanup.cron=-" })
class IdentityProviderDiscoveryTests extends ApiTestSupport {

	private static final TestIdentityProvider IDP = new TestIdentityProvider();

	@Autowired
	TokenStore tokens;

	@DynamicPropertySource
	static void identityProvider(DynamicPropertyRegistry registry) {
		// Down while the app starts: the context must start all the same.
		IDP.discoveryUp(false);
		registry.add("avatars.security.jwt.issuer-uri", IDP::issuer);
	}

	@AfterAll
	static void stopServer() {
		IDP.close();
	}

	@Test
	void whileTheProviderIsDownJwtsGet503AndOthersAreServedThenItsKeysAreFound() throws Exception {
		IDP.discoveryUp(false);
		String jwt = IDP.jwt("discovered", IDP.issuer(), Instant.now().plusSeconds(300), "openid");
		this.mvc.perform(get("/api/session").header("Authorization", "Bearer " + jwt))
			.andExpect(status().isServiceUnavailable())
			.andExpect(header().string("Retry-After", "30"))
			.andExpect(content().contentType("application/problem+json"))
			.andExpect(jsonPath("$.detail").value("The identity provider cannot be reached. Try again later."));
		long user = createUser("local");
		String token = this.tokens.create(user, "script", TokenScope.AVATAR, null, Instant.now()).token();
		this.mvc.perform(get("/api/session").header("Authorization", "Bearer " + token))
			.andExpect(jsonPath("$.username").value("local"));
		this.mvc.perform(get("/api/users")).andExpect(status().isOk());

		IDP.discoveryUp(true);
		this.mvc.perform(get("/api/session").header("Authorization", "Bearer " + jwt))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.username").value("discovered"));
		this.mvc.perform(get("/api/session").header("Authorization", "Bearer "
				+ IDP.jwt("discovered", "https://evil.test", Instant.now().plusSeconds(300), "openid")))
			.andExpect(status().isUnauthorized());
		this.mvc.perform(get("/api/session").header("Authorization", "Bearer "
				+ IDP.forged("discovered", Instant.now().plusSeconds(300), "openid")))
			.andExpect(status().isUnauthorized());
	}

}
