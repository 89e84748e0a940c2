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

	BearerTokenFilter(TokenStore tokens, ProblemResponses problems) {
		this.tokens = tokens;
		this.problems = problems;
	}

	static boolean isBearer(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		return header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!isBearer(request)) {
			chain.doFilter(request, response);
			return;
		}
		String token = request.getHeader(HttpHeaders.AUTHORIZATION).substring(PREFIX.length()).strip();
		Optional<TokenStore.Valid> valid = this.tokens.authenticate(token, java.time.Instant.now());
		if (valid.isEmpty()) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
			this.problems.write(request, response, HttpStatus.UNAUTHORIZED, "Invalid token",
					"The token is unknown, revoked or expired.");
			return;
		}
		SecurityContext context = this.holder.createEmptyContext();
		context.setAuthentication(new TokenAuthentication(valid.get().account(), valid.get().scope()));
		this.holder.setContext(context);
		try {
			chain.doFilter(request, response);
		}
		finally {
			this.holder.clearContext();
		}
	}

}
