package dev.avatars.security;

import jakarta.servlet.DispatcherType;

import dev.avatars.user.AccountService;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.authentication.logout.HttpStatusReturningLogoutSuccessHandler;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Who may do what (the README's table): reading users and thumbnails is public; a user's avatar state, upload
 * and account are for that user and admins; jobs, metrics and health details for admins. The page signs in
 * with a session cookie and sends the CSRF token from the XSRF-TOKEN cookie; refusals are problem+json, never a
 * redirect to a login page.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/**
	 * Scripts only from this origin (the page's app.js, Swagger UI's files); styles may be inline, for Swagger
	 * UI; images also as blob: (the crop preview) and data:; never framed.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
			+ "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
			+ "frame-ancestors 'none'";

	@Bean
	PasswordEncoder passwordEncoder() {
		// bcrypt today; the "{id}" prefix lets a later encoder take over without invalidating stored hashes.
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	SecurityContextRepository securityContextRepository() {
		return new DelegatingSecurityContextRepository(new RequestAttributeSecurityContextRepository(),
				new HttpSessionSecurityContextRepository());
	}

	@Bean
	CookieCsrfTokenRepository csrfTokenRepository() {
		CookieCsrfTokenRepository repository = CookieCsrfTokenRepository.withHttpOnlyFalse();
		repository.setCookieCustomizer((cookie) -> cookie.sameSite("Lax"));
		return repository;
	}

	@Bean
	AuthenticationManager authenticationManager(AccountService accounts, PasswordEncoder passwordEncoder) {
		DaoAuthenticationProvider provider = new DaoAuthenticationProvider(accounts);
		provider.setPasswordEncoder(passwordEncoder);
		return new ProviderManager(provider);
	}

	/**
	 * The filter chain only where there is a web server: the one-shot commands (process-avatars, create-admin)
	 * run without one, and HttpSecurity does not exist there.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class FilterChainConfiguration {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http, SecurityContextRepository contexts,
				CookieCsrfTokenRepository csrfTokens, ProblemResponses problems, TokenStore tokens, RateLimiter limiter,
				RateLimitProperties limits, JwtAccounts.IdentityProvider identityProvider, JwtProperties jwt,
				AccountService accounts) {
			// Tokens: no session, no cookie, so no CSRF (a browser never adds an Authorization header by itself).
			http.securityContext((context) -> context.securityContextRepository(contexts))
				// The page has no inline script; a pasted <script> in a display name could not run even if it got in.
				.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
					.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
					.frameOptions((frames) -> frames.deny()))
				.csrf((csrf) -> csrf.spa().csrfTokenRepository(csrfTokens).ignoringRequestMatchers(BearerTokenFilter::isBearer))
				// Before sign-out too: an unknown, revoked or expired bearer gets 401 whatever it asks for.
				.addFilterBefore(new BearerTokenFilter(tokens, problems, identityProvider, jwt, accounts), LogoutFilter.class)
				.addFilterAfter(new UploadRateLimitFilter(limiter, limits, problems), AuthorizationFilter.class)
				// The cookie is written only once something reads the token: read it on every request, so the
				// page always has one.
				.addFilterAfter(new CsrfCookieFilter(), CsrfFilter.class)
				.requestCache((cache) -> cache.disable())
				.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems))
				.logout((logout) -> logout
					.logoutRequestMatcher(PathPatternRequestMatcher.pathPattern(HttpMethod.DELETE, "/api/session"))
					.logoutSuccessHandler(new HttpStatusReturningLogoutSuccessHandler(HttpStatus.NO_CONTENT)))
				.authorizeHttpRequests((requests) -> requests
					.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
					.requestMatchers(HttpMethod.GET, "/api/users", "/api/users/{id}", "/api/users/{id}/avatar/thumbnail")
					.permitAll()
					.requestMatchers(HttpMethod.POST, "/api/users").permitAll()
					.requestMatchers("/api/users/{id}/avatar").access(new OwnerOrAdmin(true))
					.requestMatchers("/api/users/{id}").access(new OwnerOrAdmin(false))
					.requestMatchers("/api/session").permitAll()
					.requestMatchers("/api/tokens", "/api/tokens/**").access(SecurityConfiguration::signedInWithPassword)
					.requestMatchers("/api/jobs/**").hasRole("ADMIN")
					.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
					.requestMatchers("/actuator/**").hasRole("ADMIN")
					.requestMatchers(HttpMethod.GET, "/", "/index.html", "/app.js", "/app.css", "/favicon.ico", "/error",
							"/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
					.permitAll()
					.anyRequest()
					.authenticated());
			return http.build();
		}

	}

	/** Tokens are managed with the password's session only: a leaked token cannot mint or hide others. */
	private static AuthorizationDecision signedInWithPassword(
			java.util.function.Supplier<? extends org.springframework.security.core.Authentication> authentication,
			RequestAuthorizationContext context) {
		return new AuthorizationDecision(authentication.get() instanceof UsernamePasswordAuthenticationToken token
				&& token.isAuthenticated());
	}

}
