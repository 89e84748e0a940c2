package dev.avatars.avatar;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import dev.avatars.thumbnail.Crop;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The avatars table, in plain SQL: uploads and the job coordinate through conditional UPDATEs on it, and the
 * timestamps that matter come from the database clock, shared by every instance.
 */
@Repository
class AvatarStore {

	private final JdbcClient jdbc;

	AvatarStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void create(long userId) {
		this.jdbc.sql("INSERT INTO avatars (user_id, status) VALUES (?, 'NONE')").param(userId).update();
	}

	Optional<AvatarRow> find(long userId) {
		return this.jdbc.sql("SELECT " + AvatarRow.COLUMNS + " FROM avatars WHERE user_id = ?")
			.param(userId)
			.query(AvatarRow::map)
			.optional();
	}

	List<AvatarRow> findAll(Collection<Long> userIds) {
		if (userIds.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("SELECT " + AvatarRow.COLUMNS + " FROM avatars WHERE user_id IN (:ids)")
			.param("ids", userIds)
			.query(AvatarRow::map)
			.list();
	}

	/**
	 * Points the avatar at a new original and makes it the next version to process. The row lock serialises
	 * concurrent uploads of one user, so each one learns exactly which original it replaced.
	 * @return the replaced original's key, which the caller deletes once this has committed
	 * @throws IllegalStateException when the user has no avatar row (there is no such user)
	 */
	@Transactional
	Optional<String> replaceOriginal(long userId, String key, ImageFormat format, ImageHeader header, Crop crop) {
		Optional<String> previous = Optional
			.ofNullable(lock(userId).orElseThrow(() -> new MissingAvatarRowException(userId)).originalKey());
		this.jdbc.sql("""
				UPDATE avatars
				   SET status = 'PENDING', version = version + 1, original_key = ?, format = ?, width = ?, height = ?,
				       uploaded_at = CURRENT_TIMESTAMP, due_at = CURRENT_TIMESTAMP, error = NULL, attempts = 0,
				       lease_owner = NULL, crop_x = ?, crop_y = ?, crop_size = ?
				 WHERE user_id = ?""")
			.params(key, format.name(), header.width(), header.height(), (crop != null) ? crop.x() : null,
					(crop != null) ? crop.y() : null, (crop != null) ? crop.size() : null, userId)
			.update();
		return previous;
	}

	/** Locks the avatar row for the caller's transaction; the original's key, if there is one. */
	Optional<String> lockOriginalKey(long userId) {
		return lock(userId).map(LockedRow::originalKey);
	}

	private record LockedRow(String originalKey) {
	}

	/** Empty when there is no row (no such user). */
	private Optional<LockedRow> lock(long userId) {
		return this.jdbc.sql("SELECT original_key FROM avatars WHERE user_id = ? FOR UPDATE")
			.param(userId)
			.query((rs, n) -> new LockedRow(rs.getString(1)))
			.optional();
	}

	static class MissingAvatarRowException extends RuntimeException {

		final long userId;

		MissingAvatarRowException(long userId) {
			super("No avatar row for user " + userId);
			this.userId = userId;
		}

	}

}
