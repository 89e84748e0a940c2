package dev.avatars.security;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.avatars.user.Account;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * At most {@code avatars.rate-limit.uploads} uploads per signed-in user per window (after authorization, so a
 * refused caller counts nothing); past it, 429 with Retry-After before a byte of the picture is read.
 */
final class UploadRateLimitFilter extends OncePerRequestFilter {

	private final RateLimiter limiter;

	private final RateLimitProperties limits;

	private final ProblemResponses problems;

	UploadRateLimitFilter(RateLimiter limiter, RateLimitProperties limits, ProblemResponses problems) {
		this.limiter = limiter;
		this.limits = limits;
		this.problems = problems;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return !"POST".equals(request.getMethod()) || !path.matches("/api/users/[^/]+/avatar/?");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof Account account) {
			Optional<Duration> wait = this.limiter.hit("upload:user:" + account.id(), this.limits.uploads(),
					this.limits.uploadWindow(), Instant.now());
			if (wait.isPresent()) {
				tooMany(request, response, this.problems, wait.get(), "Too many uploads: at most " + this.limits.uploads()
						+ " every " + words(this.limits.uploadWindow()) + ".");
				return;
			}
		}
		chain.doFilter(request, response);
	}

	static void tooMany(HttpServletRequest request, HttpServletResponse response, ProblemResponses problems,
			Duration wait, String what) throws IOException {
		long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
		problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
				what + " Try again in " + words(Duration.ofSeconds(seconds)) + ".");
	}

	/** "30 minutes", "1 minute", "45 seconds": for a person to read. */
	static String words(Duration duration) {
		long seconds = duration.toSeconds();
		if (seconds >= 120) {
			long minutes = (seconds + 59) / 60;
			return minutes + " minutes";
		}
		if (seconds >= 60) {
			return "1 minute";
		}
		return seconds + ((seconds == 1) ? " second" : " seconds");
	}

}
