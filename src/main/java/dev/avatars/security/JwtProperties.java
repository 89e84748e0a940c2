package dev.avatars.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The deployment's identity provider, optional: with {@code issuer-uri} or {@code jwk-set-uri} set, its JWTs
 * are accepted as {@code Authorization: Bearer} tokens. {@code username-claim} names the user (created on
 * first use); {@code admin-claim} containing {@code admin-value} (a string, a list, or space-separated scopes)
 * makes that request an admin's.
 */
@ConfigurationProperties("avatars.security.jwt")
record JwtProperties(String issuerUri, String jwkSetUri, String usernameClaim, String adminClaim, String adminValue) {

	boolean enabled() {
		return hasText(this.issuerUri) || hasText(this.jwkSetUri);
	}

	static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

}
