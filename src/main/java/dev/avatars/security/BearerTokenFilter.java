package dev.avatars.security;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: Bearer avt_...}: a personal access token authenticates this one request (no session).
 * A token that is unknown, revoked or expired is answered 401 at once, whatever the request was for.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

	static final String PREFIX = "Bearer ";

	private final TokenStore tokens;

	private final ProblemResponses problems;

	private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

	private final JwtAccounts.IdentityProvider identityProvider;

	private final JwtProperties jwt;

	private final dev.avatars.user.AccountService accounts;

	BearerTokenFilter(TokenStore tokens, ProblemResponses problems, JwtAccounts.IdentityProvider identityProvider,
			JwtProperties jwt, dev.avatars.user.AccountService accounts) {
		this.tokens = tokens;
		this.problems = problems;
		this.identityProvider = identityProvider;
		this.jwt = jwt;
		this.accounts = accounts;
	}

	static boolean isBearer(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		return header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
	}

	/** A personal access token ("avt_..."), else the identity provider's JWT when one is configured. */
	private org.springframework.security.core.Authentication authenticate(String token) {
		if (token.startsWith(TokenStore.PREFIX) || this.identityProvider.decoder() == null) {
			Optional<TokenStore.Valid> valid = this.tokens.authenticate(token, java.time.Instant.now());
			return valid.map((found) -> new TokenAuthentication(found.account(), found.scope())).orElse(null);
		}
		try {
			org.springframework.security.oauth2.jwt.Jwt jwt = this.identityProvider.decoder().decode(token);
			return JwtAccounts.account(jwt, this.jwt, this.accounts)
				.map((found) -> new JwtAuthentication(found.account(), found.admin()))
				.orElse(null);
		}
		catch (org.springframework.security.oauth2.jwt.JwtException ex) {
			// Wrong issuer, expired, bad signature, not a JWT: all the same to the caller.
			return null;
		}
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!isBearer(request)) {
			chain.doFilter(request, response);
			return;
		}
		String token = request.getHeader(HttpHeaders.AUTHORIZATION).substring(PREFIX.length()).strip();
		org.springframework.security.core.Authentication authentication;
		try {
			authentication = authenticate(token);
		}
		catch (JwtDecoderInitializationException ex) {
			// The provider's discovery document could not be read: not the caller's fault, and not a 500.
			logger.warn("The identity provider's configuration could not be read: " + ex.getMessage());
			response.setHeader(HttpHeaders.RETRY_AFTER, "30");
			this.problems.write(request, response, HttpStatus.SERVICE_UNAVAILABLE, "Identity provider unreachable",
					"The identity provider cannot be reached. Try again later.");
			return;
		}
		if (authentication == null) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
			this.problems.write(request, response, HttpStatus.UNAUTHORIZED, "Invalid token",
					"The token is unknown, revoked or expired.");
			return;
		}
		SecurityContext context = this.holder.createEmptyContext();
		context.setAuthentication(authentication);
		this.holder.setContext(context);
		try {
			chain.doFilter(request, response);
		}
		finally {
			this.holder.clearContext();
		}
	}

}
