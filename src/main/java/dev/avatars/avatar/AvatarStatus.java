package dev.avatars.avatar;

public enum AvatarStatus {

	/** No picture uploaded yet. */
	NONE,
	/** Uploaded; waiting for the thumbnail job. */
	PENDING,
	/** Claimed by a job run that holds a lease on it. */
	PROCESSING,
	/** Thumbnails of the current version are served. */
	READY,
	/** The job gave up; {@code error} says why. */
	FAILED

}
