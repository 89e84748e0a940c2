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
		super(HttpStatus.REQUEST_TIMEOUT,
				problem("Request body too slow", "The request body arrived slower than " + minRate + " per second."),
				null);
	}

	private RequestBodyTooSlowException(ProblemDetail problem, Throwable cause) {
		super(HttpStatus.REQUEST_TIMEOUT, problem, cause);
	}

	/** Nothing arrived for as long as the connector waits ({@code server.tomcat.connection-timeout}). */
	static RequestBodyTooSlowException stalled(Throwable cause) {
		return new RequestBodyTooSlowException(
				problem("Request body stalled", "The request body stopped arriving before its end."), cause);
	}

	private static ProblemDetail problem(String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.REQUEST_TIMEOUT, detail);
		problem.setTitle(title);
		return problem;
	}

}
