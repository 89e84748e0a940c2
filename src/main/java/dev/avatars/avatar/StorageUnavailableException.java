package dev.avatars.avatar;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The object store could not be reached, or refused (a 503 for the client, who may try again; the thumbnail job
 * retries with backoff). Neither the cause's message nor the bucket reaches the response.
 */
class StorageUnavailableException extends ErrorResponseException {

	StorageUnavailableException(Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, problem(), cause);
		getHeaders().set("Retry-After", "5");
	}

	private static ProblemDetail problem() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The picture store cannot be reached just now. Please try again in a moment.");
		problem.setTitle("Storage unavailable");
		return problem;
	}

}
