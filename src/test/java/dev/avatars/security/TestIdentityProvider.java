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

/**
 * An identity provider for tests: a locally generated RSA key whose public half is served as a JWK set over
 * HTTP on loopback, as a real provider does, and JWTs signed with it (or with a forger's key under the same
 * key id, whose signatures fail).
 */
final class TestIdentityProvider implements AutoCloseable {

	static final String ISSUER = "https://idp.test/realm";

	private final RSAKey key = rsaKey("idp-key");

	private final RSAKey forger = rsaKey("idp-key");

	private final HttpServer server;

	/** Whether the discovery document is served; else 503, as from a provider that is down. */
	private volatile boolean discoveryUp = true;

	TestIdentityProvider() {
		this.server = serve(new JWKSet(this.key.toPublicJWK()).toString());
		this.server.createContext("/.well-known/openid-configuration", (exchange) -> {
			String configuration = "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + jwkSetUri()
					+ "\",\"subject_types_supported\":[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
			respond(exchange, this.discoveryUp ? 200 : 503, this.discoveryUp ? configuration : "{}");
		});
	}

	/** This provider's own issuer, whose discovery document names its JWK set. */
	String issuer() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	String jwkSetUri() {
		return issuer() + "/jwks";
	}

	void discoveryUp(boolean up) {
		this.discoveryUp = up;
	}

	/** Signed by the provider's key. */
	String jwt(String subject, String issuer, Instant expires, String scope) {
		return sign(this.key, subject, issuer, expires, scope);
	}

	/** Signed by another key under the provider's key id: the signature does not verify. */
	String forged(String subject, Instant expires, String scope) {
		return sign(this.forger, subject, ISSUER, expires, scope);
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	private static String sign(RSAKey key, String subject, String issuer, Instant expires, String scope) {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject)
			.issuer(issuer)
			.issueTime(Date.from(Instant.now().minusSeconds(5)))
			.expirationTime(Date.from(expires))
			.claim("scope", scope)
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
		try {
			jwt.sign(new RSASSASigner(key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
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

	private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String json) throws IOException {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	private static HttpServer serve(String jwks) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/jwks", (exchange) -> respond(exchange, 200, jwks));
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
