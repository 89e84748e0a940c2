package dev.avatars.multipart;

import java.io.IOException;

/**
 * A multipart body that is not well formed or breaks a limit: the sender's fault, never the reader's. Its kind
 * says which, for the caller to answer as it sees fit.
 */
public final class MultipartException extends IOException {

	/** What was wrong with the body. */
	public enum Kind {

		/** Not a multipart body: no usable boundary, a broken delimiter line, or the body ends too early. */
		MALFORMED,

		/** Reading the body failed (the sender went away or stalled): it is incomplete. */
		INTERRUPTED,

		/** The body is longer than {@link MultipartReader.Limits#maxBodyBytes()}. */
		BODY_TOO_LARGE,

		/** A part is longer than the caller read it with. */
		PART_TOO_LARGE,

		/** A part's headers are longer than {@link MultipartReader.Limits#maxHeaderBytes()}. */
		HEADERS_TOO_LONG,

		/** The body has more than {@link MultipartReader.Limits#maxParts()} parts. */
		TOO_MANY_PARTS

	}

	private final Kind kind;

	MultipartException(Kind kind, String message) {
		super(message);
		this.kind = kind;
	}

	MultipartException(Kind kind, String message, Throwable cause) {
		super(message, cause);
		this.kind = kind;
	}

	public Kind kind() {
		return this.kind;
	}

}
