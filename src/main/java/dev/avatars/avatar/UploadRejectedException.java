package dev.avatars.avatar;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An upload refused for what it is; the detail tells the person which limit it broke. */
class UploadRejectedException extends ErrorResponseException {

	UploadRejectedException(HttpStatus status, String title, String detail) {
		super(status, problem(status, title, detail), null);
	}

	private static ProblemDetail problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

	static UploadRejectedException tooLarge(long maxBytes) {
		return new UploadRejectedException(HttpStatus.CONTENT_TOO_LARGE, "File too large",
				"The file is larger than the limit of " + Sizes.describe(maxBytes) + ".");
	}

}
