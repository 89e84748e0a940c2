package dev.avatars.security;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

import dev.avatars.user.Account;
import dev.avatars.user.AccountService;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;

/**
 * Turns a JWT from the identity provider into an account: the decoder (keys from the JWK set, or from the
 * issuer's discovery document), and the user named by the configured claim, created on first use.
 */
@Configuration(proxyBeanMethods = false)
class JwtAccounts {

	/** The identity provider's decoder; null when none is configured (then only personal tokens are bearers). */
	record IdentityProvider(JwtDecoder decoder) {
	}

	@Bean
	IdentityProvider identityProvider(JwtProperties jwt) {
		if (!jwt.enabled()) {
			return new IdentityProvider(null);
		}
		if (!JwtProperties.hasText(jwt.jwkSetUri())) {
			// Discovery on the first JWT, not at start-up: the app starts while the provider is down (personal
			// tokens and sessions work), and a failed discovery is tried again with the next JWT.
			return new IdentityProvider(new SupplierJwtDecoder(() -> JwtDecoders.fromIssuerLocation(jwt.issuerUri())));
		}
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwt.jwkSetUri()).build();
		OAuth2TokenValidator<Jwt> validator = JwtProperties.hasText(jwt.issuerUri())
				? JwtValidators.createDefaultWithIssuer(jwt.issuerUri()) : JwtValidators.createDefault();
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validator));
		return new IdentityProvider(decoder);
	}

	/** The account a valid JWT names, and whether it speaks for an admin. */
	record JwtAccount(Account account, boolean admin) {
	}

	static Optional<JwtAccount> account(Jwt jwt, JwtProperties properties, AccountService accounts) {
		String claim = JwtProperties.hasText(properties.usernameClaim()) ? properties.usernameClaim() : "sub";
		Object value = jwt.getClaims().get(claim);
		if (!(value instanceof String name)) {
			return Optional.empty();
		}
		String username = name.strip().toLowerCase(Locale.ROOT);
		if (!username.matches("[a-z0-9_.-]{3,32}")) {
			return Optional.empty();
		}
		Account account = accounts.findOrCreateExternal(username);
		return Optional.of(new JwtAccount(account, grantsAdmin(jwt, properties)));
	}

	private static boolean grantsAdmin(Jwt jwt, JwtProperties properties) {
		if (!JwtProperties.hasText(properties.adminClaim()) || !JwtProperties.hasText(properties.adminValue())) {
			return false;
		}
		Object value = jwt.getClaims().get(properties.adminClaim());
		if (value instanceof String text) {
			return java.util.Arrays.asList(text.split(" ")).contains(properties.adminValue());
		}
		if (value instanceof Collection<?> values) {
			return values.stream().anyMatch((item) -> properties.adminValue().equals(String.valueOf(item)));
		}
		return false;
	}

}
