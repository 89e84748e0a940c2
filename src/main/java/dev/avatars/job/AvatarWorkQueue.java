package dev.avatars.job;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import dev.avatars.thumbnail.Crop;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The avatars table seen as a work queue. A row is due when {@code due_at} has passed: a PENDING avatar's next
 * attempt, or a PROCESSING avatar's lease (its runner died). Every state change is one conditional UPDATE that
 * names the avatar version (and, once claimed, the owner), so a runner that lost its claim, or whose work a new
 * upload overtook, changes nothing. Times come from the database clock, which every instance shares.
 */
@Repository
class AvatarWorkQueue {

	/** Portable across H2 and PostgreSQL: seconds from now on the database clock. */
	private static final String NOW_PLUS_SECONDS = "CURRENT_TIMESTAMP + CAST(? AS INTEGER) * INTERVAL '1' SECOND";

	/**
	 * The lower bound of every backlog query. Rows that are not due hold NULL, and H2's index sorts NULLs
	 * first: without a lower bound it walks past all of them (1.4 s at a million users, measured).
	 */
	private static final OffsetDateTime EPOCH = Instant.EPOCH.atOffset(ZoneOffset.UTC);

	private static final String CLAIMED_BY = " WHERE user_id = ? AND version = ? AND status = 'PROCESSING' AND lease_owner = ?";

	private final JdbcClient jdbc;

	AvatarWorkQueue(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	record Candidate(long userId, long version, String originalKey, int attempts, Crop crop) {
	}

	/** Oldest due first; served by the index on due_at, which holds only the backlog. */
	List<Candidate> findDue(int limit) {
		return this.jdbc.sql("""
				SELECT user_id, version, original_key, attempts, crop_x, crop_y, crop_size FROM avatars
				 WHERE due_at BETWEEN ? AND CURRENT_TIMESTAMP AND status IN ('PENDING', 'PROCESSING')
				 ORDER BY due_at, user_id
				 FETCH FIRST ? ROWS ONLY""")
			.params(EPOCH, limit)
			.query((rs, n) -> new Candidate(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4),
					(rs.getObject(7) != null) ? new Crop(rs.getDouble(5), rs.getDouble(6), rs.getDouble(7)) : null))
			.list();
	}

	/**
	 * Takes the avatar if it is still due at this version. Of several runners racing for one row, the database
	 * lets exactly one UPDATE match; the others see a row that is no longer due and move on.
	 */
	boolean claim(Candidate candidate, String owner, Duration lease) {
		return this.jdbc.sql("UPDATE avatars SET status = 'PROCESSING', lease_owner = ?, attempts = attempts + 1, "
				+ "due_at = " + NOW_PLUS_SECONDS + " WHERE user_id = ? AND version = ? "
				+ "AND status IN ('PENDING', 'PROCESSING') AND due_at <= CURRENT_TIMESTAMP")
			.params(owner, lease.toSeconds(), candidate.userId(), candidate.version())
			.update() == 1;
	}

	boolean complete(Candidate claimed, String owner, String extension) {
		return this.jdbc.sql("""
				UPDATE avatars SET status = 'READY', ready_version = version, ready_extension = ?,
				       processed_at = CURRENT_TIMESTAMP, due_at = NULL, lease_owner = NULL, error = NULL, attempts = 0
				""" + CLAIMED_BY)
			.params(extension, claimed.userId(), claimed.version(), owner)
			.update() == 1;
	}

	boolean fail(Candidate claimed, String owner, String reason) {
		return this.jdbc.sql("""
				UPDATE avatars SET status = 'FAILED', error = ?, processed_at = CURRENT_TIMESTAMP, due_at = NULL,
				       lease_owner = NULL
				""" + CLAIMED_BY)
			.params(reason, claimed.userId(), claimed.version(), owner)
			.update() == 1;
	}

	boolean retryLater(Candidate claimed, String owner, String reason, Duration backoff) {
		return this.jdbc.sql("UPDATE avatars SET status = 'PENDING', error = ?, lease_owner = NULL, due_at = "
				+ NOW_PLUS_SECONDS + CLAIMED_BY)
			.params(reason, backoff.toSeconds(), claimed.userId(), claimed.version(), owner)
			.update() == 1;
	}

	/** Hands the owner's unfinished claims back as if they had never been tried. */
	int release(String owner) {
		return this.jdbc.sql("""
				UPDATE avatars SET status = 'PENDING', due_at = CURRENT_TIMESTAMP, lease_owner = NULL,
				       attempts = attempts - 1
				 WHERE status = 'PROCESSING' AND lease_owner = ?""")
			.param(owner)
			.update();
	}

	/** The avatar's current version and the version whose thumbnails are served. */
	record Versions(long current, Long ready) {

		boolean uses(long version) {
			return this.current == version || Long.valueOf(version).equals(this.ready);
		}

	}

	/** Empty once the user is gone. */
	Optional<Versions> versions(long userId) {
		return this.jdbc.sql("SELECT version, ready_version FROM avatars WHERE user_id = ?")
			.param(userId)
			.query((rs, n) -> new Versions(rs.getLong(1), rs.getObject(2, Long.class)))
			.optional();
	}

	record Backlog(long size, Instant oldestUploadedAt) {
	}

	Backlog backlog() {
		return this.jdbc.sql("SELECT COUNT(*), MIN(uploaded_at) FROM avatars WHERE due_at >= ?")
			.param(EPOCH)
			.query((rs, n) -> {
				OffsetDateTime oldest = rs.getObject(2, OffsetDateTime.class);
				return new Backlog(rs.getLong(1), (oldest != null) ? oldest.toInstant() : null);
			})
			.single();
	}

}
