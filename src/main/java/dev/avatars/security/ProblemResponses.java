package dev.avatars.security;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.stereotype.Component;

/**
 * 401 and 403 as problem+json with a detail the page can show as it is: what to do, in plain words. Written
 * here, not by MVC's exception handling, because the refusal happens in the filter chain, before any controller.
 */
@Component
class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

	private final JsonMapper json;

	ProblemResponses(JsonMapper json) {
		this.json = json;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		write(request, response, HttpStatus.UNAUTHORIZED, "Sign-in required", Refusal.of(request).signIn());
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
			throws IOException {
		if (ex instanceof CsrfException) {
			write(request, response, HttpStatus.FORBIDDEN, "CSRF token missing or wrong",
					"This request lacks the page's security token. Reload the page and try again.");
			return;
		}
		Refusal refusal = Refusal.of(request);
		boolean token = SecurityContextHolder.getContext().getAuthentication() instanceof TokenAuthentication;
		String detail = (token && !refusal.forbidden().contains("own avatar")) ? refusal.withToken() : refusal.forbidden();
		write(request, response, HttpStatus.FORBIDDEN, "Not allowed", detail);
	}

	void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String title, String detail)
			throws IOException {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", "about:blank");
		problem.put("title", title);
		problem.put("status", status.value());
		problem.put("detail", detail);
		problem.put("instance", request.getRequestURI());
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		// UTF-8, as JSON is; no charset parameter, as MVC writes problem+json elsewhere.
		response.getOutputStream().write(this.json.writeValueAsBytes(problem));
	}

	/** The words for a refusal of a request, by what it tried to reach. */
	record Refusal(String signIn, String forbidden, String withToken) {

		Refusal(String signIn, String forbidden) {
			this(signIn, forbidden, "This token's scope does not allow this.");
		}

		static Refusal of(HttpServletRequest request) {
			String path = request.getRequestURI().substring(request.getContextPath().length());
			boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
			if (path.matches("/api/users/[^/]+/avatar/?")) {
				return read ? new Refusal("Sign in to see your avatar's state.", "You can see only your own avatar's state.")
						: new Refusal("Sign in to change an avatar.", "You can change only your own avatar.");
			}
			if (path.matches("/api/users/[^/]+/?")) {
				return new Refusal("Sign in to change an account.", "You can change only your own account.");
			}
			if (path.startsWith("/api/tokens")) {
				String passwordOnly = "Tokens are managed only when signed in with a password, not with a token.";
				return new Refusal("Sign in to manage your tokens.", passwordOnly, passwordOnly);
			}
			if (path.startsWith("/api/jobs/")) {
				return new Refusal("Sign in as an admin to run jobs.", "Only admins can run jobs.");
			}
			if (path.startsWith("/actuator/")) {
				return new Refusal("Sign in as an admin to see this.", "Only admins can see this.");
			}
			return new Refusal("Sign in first.", "You are not allowed to do this.");
		}

	}

}
