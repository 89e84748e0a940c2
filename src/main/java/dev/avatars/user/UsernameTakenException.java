package dev.avatars.user;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

class UsernameTakenException extends ErrorResponseException {

	UsernameTakenException(String username) {
		super(HttpStatus.CONFLICT, problem(username), null);
	}

	private static ProblemDetail problem(String username) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"The username '" + username + "' is already taken.");
		problem.setTitle("Username taken");
		return problem;
	}

}
