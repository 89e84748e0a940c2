package dev.avatars.avatar;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The avatar asked for belongs to no user: none was made, or it was deleted meanwhile. */
class NoSuchUserException extends ErrorResponseException {

	NoSuchUserException(long id) {
		super(HttpStatus.NOT_FOUND, problem(id), null);
	}

	private static ProblemDetail problem(long id) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "There is no user with id " + id + ".");
		problem.setTitle("User not found");
		return problem;
	}

}
