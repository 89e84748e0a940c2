package dev.avatars.security;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
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
 * as a JWK set over HTTP, as a real provider does.
 */
@SpringBootTest(properties = { "avatars.processing.cron=-", "avatars.processing.on-upload=false",
		"avatars.security.jwt.issuer-uri=https://idp.test/realm" })
class IdentityProviderTests extends ApiTestSupport {

	private static final String ISSUER = "https://idp.test/realm";

	private static final RSAKey KEY = rsaKey("idp-key");

	/** Another key under the same key id: what it signs fails the signature check. */
	private static final RSAKey FORGER = rsaKey("idp-key");

	private static final HttpServer JWKS = serve(new JWKSet(KEY.toPublicJWK()).toString());

	@DynamicPropertySource
	static void identityProvider(DynamicPropertyRegistry registry) {
		registry.add("avatars.security.jwt.jwk-set-uri",
				() -> "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks");
	}

	@AfterAll
	static void stopServer() {
		JWKS.stop(0);
	}

	@Test
	void aValidTokenNamesAUserMadeOnFirstUseWhoChangesOnlyTheirOwnAvatar() throws Exception {
		String token = jwt(KEY, "jwt-user", ISSUER, Instant.now().plusSeconds(300), "openid profile");
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
		String token = jwt(KEY, "ops-person", ISSUER, Instant.now().plusSeconds(300), "openid avatars:admin");
		with(post("/api/jobs/thumbnails/runs?wait=true"), token).andExpect(status().isCreated());
		with(get("/actuator/health"), token).andExpect(jsonPath("$.components.backlog").exists());
	}

	@Test
	void wrongIssuerExpiredBadSignatureAndUnusableNamesAre401() throws Exception {
		Instant later = Instant.now().plusSeconds(300);
		for (String token : new String[] { jwt(KEY, "someone", "https://evil.test", later, "openid"),
				jwt(KEY, "someone", ISSUER, Instant.now().minusSeconds(600), "openid"),
				jwt(FORGER, "someone", ISSUER, later, "avatars:admin"),
				jwt(KEY, "Not A Username!", ISSUER, later, "openid"), "not.a.jwt" }) {
			with(get("/api/users"), token).andExpect(status().isUnauthorized())
				.andExpect(header().string("Content-Type", "application/problem+json"))
				.andExpect(jsonPath("$.detail").value("The token is unknown, revoked or expired."));
		}
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single()).isZero();
	}

	private ResultActions with(MockHttpServletRequestBuilder request, String token) throws Exception {
		return this.mvc.perform(request.header("Authorization", "Bearer " + token));
	}

	private static String jwt(RSAKey key, String subject, String issuer, Instant expires, String scope)
			throws JOSEException {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject)
			.issuer(issuer)
			.issueTime(Date.from(Instant.now().minusSeconds(5)))
			.expirationTime(Date.from(expires))
			.claim("scope", scope)
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
		jwt.sign(new RSASSASigner(key));
		return jwt.serialize();
	}

	private static RSAKey rsaKey(String id) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair pair = generator.generateKeyPair();
			return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey(pair.getPrivate()).keyID(id).build();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static HttpServer serve(String jwks) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/jwks", (exchange) -> {
				byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
