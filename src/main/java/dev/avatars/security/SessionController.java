package dev.avatars.security;

import dev.avatars.user.Account;
import dev.avatars.user.Role;
import dev.avatars.user.UserNotFoundException;
import dev.avatars.user.UserResponse;
import dev.avatars.user.UserService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfAuthenticationStrategy;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sign in, who am I, (sign out is Spring Security's logout on {@code DELETE /api/session}) for the page. The
 * session cookie is HttpOnly and SameSite=Lax (application.yml), Secure when the request came over TLS.
 */
@RestController
@RequestMapping("/api/session")
@Tag(name = "Session")
class SessionController {

	private final AuthenticationManager authentication;

	private final SecurityContextRepository contexts;

	private final SessionAuthenticationStrategy sessionStrategy;

	private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

	private final UserService users;

	private final RateLimiter limiter;

	private final RateLimitProperties limits;

	private final ProblemResponses problems;

	SessionController(AuthenticationManager authentication, SecurityContextRepository contexts,
			CookieCsrfTokenRepository csrfTokens, UserService users, RateLimiter limiter, RateLimitProperties limits,
			ProblemResponses problems) {
		this.limiter = limiter;
		this.limits = limits;
		this.problems = problems;
		this.authentication = authentication;
		this.contexts = contexts;
		this.users = users;
		// A new session id against fixation, a new CSRF token so that one read before sign-in is useless after.
		this.sessionStrategy = new CompositeSessionAuthenticationStrategy(java.util.List.of(
				new ChangeSessionIdAuthenticationStrategy(), new CsrfAuthenticationStrategy(csrfTokens)));
	}

	record SignInRequest(@NotBlank(message = "is required") String username,
			@NotBlank(message = "is required") String password) {

		@Override
		public String toString() {
			return "SignInRequest[username=" + this.username + "]";
		}

	}

	/** The signed-in person, or {@code signedIn: false}. */
	record SessionResponse(boolean signedIn, Long id, String username, String displayName, Role role) {

		static final SessionResponse NOBODY = new SessionResponse(false, null, null, null, null);

	}

	@GetMapping
	@Operation(summary = "Who is signed in", description = "Also sets the XSRF-TOKEN cookie the page sends back "
			+ "as the X-XSRF-TOKEN header on every change.")
	@ApiResponse(responseCode = "200", description = "The signed-in person, or signedIn false")
	SessionResponse current(@AuthenticationPrincipal Account account) {
		return (account != null) ? describe(account) : SessionResponse.NOBODY;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Sign in", description = "Sets the session cookie; needs the CSRF token like every change.")
	@ApiResponse(responseCode = "200", description = "Signed in")
	@ApiResponse(responseCode = "401", description = "Wrong username or password", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "429", description = "Too many failed sign-ins for this username or from this address; see Retry-After",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	SessionResponse signIn(@Valid @RequestBody SignInRequest request, HttpServletRequest httpRequest,
			HttpServletResponse httpResponse) throws java.io.IOException {
		// Failed sign-ins per username and per client address (behind a trusted proxy: X-Forwarded-For).
		String[] buckets = { "signin:user:" + request.username().strip().toLowerCase(java.util.Locale.ROOT),
				"signin:addr:" + httpRequest.getRemoteAddr() };
		java.time.Instant now = java.time.Instant.now();
		for (String bucket : buckets) {
			java.util.Optional<java.time.Duration> wait = this.limiter.exhausted(bucket, this.limits.failedSignIns(),
					this.limits.signInWindow(), now);
			if (wait.isPresent()) {
				UploadRateLimitFilter.tooMany(httpRequest, httpResponse, this.problems, wait.get(),
						"Too many failed sign-ins.");
				return null;
			}
		}
		Authentication signedIn;
		try {
			signedIn = this.authentication.authenticate(
					UsernamePasswordAuthenticationToken.unauthenticated(request.username(), request.password()));
		}
		catch (AuthenticationException ex) {
			for (String bucket : buckets) {
				this.limiter.hit(bucket, this.limits.failedSignIns(), this.limits.signInWindow(), now);
			}
			throw wrongCredentials();
		}
		this.sessionStrategy.onAuthentication(signedIn, httpRequest, httpResponse);
		SecurityContext context = this.holder.createEmptyContext();
		context.setAuthentication(signedIn);
		this.holder.setContext(context);
		this.contexts.saveContext(context, httpRequest, httpResponse);
		// Writes the new token's cookie now, so the page's next change can send it.
		CsrfToken token = (CsrfToken) httpRequest.getAttribute(CsrfToken.class.getName());
		if (token != null) {
			token.getToken();
		}
		return describe((Account) signedIn.getPrincipal());
	}

	private SessionResponse describe(Account account) {
		try {
			UserResponse user = this.users.get(account.id());
			return new SessionResponse(true, account.id(), account.getUsername(), user.displayName(), account.role());
		}
		catch (UserNotFoundException ex) {
			// The account was deleted since this session signed in.
			return SessionResponse.NOBODY;
		}
	}

	static ErrorResponseException wrongCredentials() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
				"The username or password is wrong.");
		problem.setTitle("Sign-in failed");
		return new ErrorResponseException(HttpStatus.UNAUTHORIZED, problem, null);
	}

}
