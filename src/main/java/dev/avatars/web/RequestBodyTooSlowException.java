package dev.avatars.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Unchecked so that it passes through readers that take any {@code IOException} for a malformed body (the
 * multipart reader, JSON parsers) and reaches the problem handler as 408.
 */
class RequestBodyTooSlowException extends ErrorResponseException {

	RequestBodyTooSlowException(String minRate) {
		super(HttpStatus.REQUEST_TIMEOUT, problem(minRate), null);
	}

	private static ProblemDetail problem(String minRate) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.REQUEST_TIMEOUT,
				"The request body arrived slower than " + minRate + " per second.");
		problem.setTitle("Request body too slow");
		return problem;
	}

}
