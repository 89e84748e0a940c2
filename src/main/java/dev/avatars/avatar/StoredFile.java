package dev.avatars.avatar;

import java.time.Instant;

/**
 * One file the storage holds, as the clean-up sees it. {@code name} is its path under the storage root, for
 * listings; {@code key} names an original, {@code userId} and {@code version} a thumbnail.
 */
record StoredFile(Kind kind, String name, String key, long userId, long version, long bytes, Instant modified) {

	enum Kind {

		/** {@code originals/<key>} */
		ORIGINAL,
		/** {@code thumbnails/<userId>/v<version>-<size>.<ext>} */
		THUMBNAIL,
		/** A file some upload or thumbnail write left half-done: only its age says whether it is abandoned. */
		TEMPORARY

	}

}
