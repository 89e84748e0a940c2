package dev.avatars.job;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** More runs asked for through the API than this process runs at once. */
class TooManyRunsException extends ErrorResponseException {

	TooManyRunsException(int most) {
		super(HttpStatus.SERVICE_UNAVAILABLE, problem(most), null);
		getHeaders().set("Retry-After", "10");
	}

	private static ProblemDetail problem(int most) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				most + " runs started in the background are already under way here; try again when one has finished.");
		problem.setTitle("Too many runs");
		return problem;
	}

}
