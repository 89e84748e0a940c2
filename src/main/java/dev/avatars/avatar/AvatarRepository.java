package dev.avatars.avatar;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import dev.avatars.thumbnail.Crop;
import dev.avatars.thumbnail.Framing;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The avatars table, its only writer, in plain SQL. Uploads and the thumbnail job coordinate through it: an upload
 * makes a new version due; a run claims due rows under a lease and completes, fails, retries, renews or releases
 * them. Every change after the claim is one conditional UPDATE that names the version and the lease owner, so a
 * runner that lost its claim, or whose work a newer upload overtook, changes nothing. A row is due when
 * {@code due_at} has passed: a PENDING avatar's next attempt, or a PROCESSING avatar's lease (its runner died).
 * Times come from the database clock, which every instance shares.
 */
@Repository
class AvatarRepository {

	/** Portable across H2 and PostgreSQL: seconds from now on the database clock. */
	private static final String NOW_PLUS_SECONDS = "CURRENT_TIMESTAMP + CAST(? AS INTEGER) * INTERVAL '1' SECOND";

	/**
	 * The lower bound of every backlog query. Rows that are not due hold NULL, and H2's index sorts NULLs
	 * first: without a lower bound it walks past all of them (1.4 s at a million users, measured).
	 */
	private static final OffsetDateTime EPOCH = Instant.EPOCH.atOffset(ZoneOffset.UTC);

	private static final String PENDING = "'" + AvatarStatus.PENDING.name() + "'";

	private static final String PROCESSING = "'" + AvatarStatus.PROCESSING.name() + "'";

	private static final String READY = "'" + AvatarStatus.READY.name() + "'";

	private static final String FAILED = "'" + AvatarStatus.FAILED.name() + "'";

	private static final String CLAIMED_BY = " WHERE user_id = ? AND version = ? AND status = " + PROCESSING
			+ " AND lease_owner = ?";

	private static final String CLAIM_COLUMNS = "user_id, version, original_key, attempts, crop_x, crop_y, crop_size";

	/** Oldest due first; served by the index on due_at, which holds only the backlog. */
	private static final String DUE_ROWS = " FROM avatars WHERE due_at BETWEEN ? AND CURRENT_TIMESTAMP AND status IN ("
			+ PENDING + ", " + PROCESSING + ") ORDER BY due_at, user_id FETCH FIRST ? ROWS ONLY";

	private static final String TAKE = "UPDATE avatars SET status = " + PROCESSING + ", lease_owner = ?, "
			+ "attempts = attempts + 1, due_at = " + NOW_PLUS_SECONDS;

	/**
	 * PostgreSQL: runners skip each other's locked rows instead of queueing behind them, and the claimed rows
	 * come back from the UPDATE itself. The due rows are picked once, in a materialised CTE: as an IN (...)
	 * subquery PostgreSQL may run the pick again while updating and claim more rows than the limit (seen under
	 * load: the engine then had more claims than free workers).
	 */
	private static final String CLAIM_POSTGRESQL = "WITH due AS MATERIALIZED (SELECT user_id" + DUE_ROWS
			+ " FOR UPDATE SKIP LOCKED) " + TAKE + " WHERE user_id IN (SELECT user_id FROM due) RETURNING "
			+ CLAIM_COLUMNS;

	/**
	 * H2 (one process, or a CLI beside it): a runner that meets a row another claimed waits for its commit,
	 * then finds it no longer due and leaves it; H2 returns the changed rows as the UPDATE's final table.
	 */
	private static final String CLAIM_H2 = "SELECT " + CLAIM_COLUMNS + " FROM FINAL TABLE (" + TAKE
			+ " WHERE user_id IN (SELECT user_id" + DUE_ROWS + ") AND due_at <= CURRENT_TIMESTAMP AND status IN ("
			+ PENDING + ", " + PROCESSING + "))";

	private final JdbcClient jdbc;

	private final boolean postgres;

	private final String claimSql;

	AvatarRepository(JdbcClient jdbc, DataSource dataSource) {
		this.jdbc = jdbc;
		this.postgres = isPostgreSql(dataSource);
		this.claimSql = this.postgres ? CLAIM_POSTGRESQL : CLAIM_H2;
	}

	// Reading

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

	// Users and uploads

	/** In the transaction that creates the user: an upload then only ever UPDATEs (and can lock) the row. */
	void create(long userId) {
		this.jdbc.sql("INSERT INTO avatars (user_id, status) VALUES (?, ?)")
			.params(userId, AvatarStatus.NONE.name())
			.update();
	}

	/**
	 * Points the avatar at a new original and makes it the next version to process, due at once. The row lock
	 * serialises concurrent uploads of one user, so each one learns exactly which original it replaced.
	 * @return the replaced original's key, which the caller deletes once this has committed
	 * @throws MissingAvatarRowException when the user has no avatar row (there is no such user)
	 */
	@Transactional
	Optional<String> replaceOriginal(long userId, String key, ImageFormat format, ImageHeader header, Crop crop) {
		Optional<String> previous = Optional
			.ofNullable(lock(userId).orElseThrow(() -> new MissingAvatarRowException(userId)).originalKey());
		this.jdbc.sql("UPDATE avatars SET status = " + PENDING + """
				, version = version + 1, original_key = ?, format = ?, width = ?, height = ?,
				       uploaded_at = CURRENT_TIMESTAMP, due_at = CURRENT_TIMESTAMP, error = NULL, attempts = 0,
				       lease_owner = NULL, crop_x = ?, crop_y = ?, crop_size = ?
				 WHERE user_id = ?""")
			.params(key, format.name(), header.width(), header.height(), (crop != null) ? crop.x() : null,
					(crop != null) ? crop.y() : null, (crop != null) ? crop.size() : null, userId)
			.update();
		return previous;
	}

	/**
	 * Forgets the avatar's picture: back to NONE, under a new version, so that a run in flight for the old one
	 * completes nothing (what it writes is the clean-up's).
	 * @return the original's key, if there was one, which the caller deletes once this has committed
	 * @throws MissingAvatarRowException when the user has no avatar row (there is no such user)
	 */
	@Transactional
	Optional<String> clear(long userId) {
		Optional<String> previous = Optional
			.ofNullable(lock(userId).orElseThrow(() -> new MissingAvatarRowException(userId)).originalKey());
		this.jdbc.sql("UPDATE avatars SET status = '" + AvatarStatus.NONE.name() + """
				', version = version + 1, original_key = NULL, format = NULL, width = NULL, height = NULL,
				       uploaded_at = NULL, ready_version = NULL, ready_extension = NULL, processed_at = NULL,
				       error = NULL, attempts = 0, due_at = NULL, lease_owner = NULL, crop_x = NULL, crop_y = NULL,
				       crop_size = NULL, original_removed_at = NULL
				 WHERE user_id = ?""")
			.param(userId)
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

	// The clean-up

	/** Of the given original keys, those an avatar row names. */
	Set<String> referencedOriginals(Collection<String> keys) {
		if (keys.isEmpty()) {
			return Set.of();
		}
		return new HashSet<>(this.jdbc.sql("SELECT original_key FROM avatars WHERE original_key IN (:keys)")
			.param("keys", keys)
			.query(String.class)
			.list());
	}

	/** The versions each of the given users' rows keeps; users without a row are missing from the map. */
	Map<Long, Versions> versions(Collection<Long> userIds) {
		if (userIds.isEmpty()) {
			return Map.of();
		}
		Map<Long, Versions> versions = new HashMap<>();
		this.jdbc.sql("SELECT user_id, version, ready_version FROM avatars WHERE user_id IN (:ids)")
			.param("ids", userIds)
			.query((rs, n) -> versions.put(rs.getLong(1), new Versions(rs.getLong(2), rs.getObject(3, Long.class))))
			.list();
		return versions;
	}

	/** An original the clean-up may remove while its row stays. */
	record KeptOriginal(long userId, long version, String key) {
	}

	/**
	 * Up to {@code limit} originals of avatars in {@code status} whose processing ended more than {@code age}
	 * ago, by user id after {@code afterUserId} (a keyset page: a dry run changes nothing, so pages move on by id).
	 */
	List<KeptOriginal> originalsOlderThan(AvatarStatus status, Duration age, long afterUserId, int limit) {
		return this.jdbc.sql("""
				SELECT user_id, version, original_key FROM avatars
				 WHERE status = ? AND original_key IS NOT NULL AND processed_at < CURRENT_TIMESTAMP - CAST(? AS INTEGER) * INTERVAL '1' SECOND
				   AND user_id > ?
				 ORDER BY user_id FETCH FIRST ? ROWS ONLY""")
			.params(status.name(), age.toSeconds(), afterUserId, limit)
			.query((rs, n) -> new KeptOriginal(rs.getLong(1), rs.getLong(2), rs.getString(3)))
			.list();
	}

	/**
	 * The row stops naming its original and says it was removed, if it is still that version in that status: a
	 * newer upload meanwhile keeps everything as it is. The caller deletes the file only when this says true.
	 */
	boolean forgetOriginal(KeptOriginal original, AvatarStatus status) {
		return this.jdbc.sql("""
				UPDATE avatars SET original_key = NULL, original_removed_at = CURRENT_TIMESTAMP
				 WHERE user_id = ? AND version = ? AND original_key = ? AND status = ?""")
			.params(original.userId(), original.version(), original.key(), status.name())
			.update() == 1;
	}

	// The thumbnail job's claims

	/** One claimed version of an avatar; {@code attempts} counts the tries before this claim. */
	record Claim(long userId, long version, String originalKey, int attempts, Crop crop) {
	}

	/** Oldest due first, without claiming (the CLI's dry run); served by the index on due_at. */
	List<Claim> findDue(int limit) {
		return this.jdbc.sql("SELECT " + CLAIM_COLUMNS + DUE_ROWS)
			.params(EPOCH, limit)
			.query((rs, n) -> claim(rs, rs.getInt(4)))
			.list();
	}

	/**
	 * Claims up to {@code limit} due avatars, oldest first, in one statement: each comes back with a lease for
	 * {@code owner}. Of several runners racing, each row goes to exactly one.
	 */
	List<Claim> claimDue(int limit, String owner, Duration lease) {
		Object[] params = this.postgres ? new Object[] { EPOCH, limit, owner, lease.toSeconds() }
				: new Object[] { owner, lease.toSeconds(), EPOCH, limit };
		return this.jdbc.sql(this.claimSql)
			.params(params)
			// The statement returns the row after the claim counted it; the job wants the tries before it.
			.query((rs, n) -> claim(rs, rs.getInt(4) - 1))
			.list();
	}

	/**
	 * Ends as FAILED every avatar whose lease ran out after its {@code maxAttempts}-th claim: its runners died or
	 * hung on it each time (a killed process, a file that takes the JVM down), so claiming it again would only
	 * repeat that. Served by the index on due_at, as the claim is.
	 * @return how many avatars it failed
	 */
	int abandonExhausted(int maxAttempts) {
		return this.jdbc.sql("UPDATE avatars SET status = " + FAILED + """
				, error = ?, processed_at = CURRENT_TIMESTAMP, due_at = NULL, lease_owner = NULL
				 WHERE due_at BETWEEN ? AND CURRENT_TIMESTAMP AND status = """ + " " + PROCESSING + " AND attempts >= ?")
			.params("gave up after " + maxAttempts + " attempts: each runner stopped before it finished",
					EPOCH, maxAttempts)
			.update();
	}

	/** For the benchmark's query plan. */
	String claimStatement() {
		return this.claimSql;
	}

	boolean complete(Claim claimed, String owner, String extension, Framing framing) {
		Framing.Box face = framing.face();
		return this.jdbc.sql("UPDATE avatars SET status = " + READY + """
				, ready_version = version, ready_extension = ?, processed_at = CURRENT_TIMESTAMP, due_at = NULL,
				       lease_owner = NULL, error = NULL, attempts = 0, framing = ?, framing_x = ?, framing_y = ?,
				       framing_size = ?, face_x = ?, face_y = ?, face_width = ?, face_height = ?, faces = ?
				""" + CLAIMED_BY)
			.params(extension, framing.kind().name(), framing.square().x(), framing.square().y(),
					framing.square().size(), (face != null) ? face.x() : null, (face != null) ? face.y() : null,
					(face != null) ? face.width() : null, (face != null) ? face.height() : null, framing.faces(),
					claimed.userId(), claimed.version(), owner)
			.update() == 1;
	}

	boolean fail(Claim claimed, String owner, String reason) {
		return this.jdbc.sql("UPDATE avatars SET status = " + FAILED
				+ ", error = ?, processed_at = CURRENT_TIMESTAMP, due_at = NULL, lease_owner = NULL" + CLAIMED_BY)
			.params(reason, claimed.userId(), claimed.version(), owner)
			.update() == 1;
	}

	boolean retryLater(Claim claimed, String owner, String reason, Duration backoff) {
		return this.jdbc.sql("UPDATE avatars SET status = " + PENDING + ", error = ?, lease_owner = NULL, due_at = "
				+ NOW_PLUS_SECONDS + CLAIMED_BY)
			.params(reason, backoff.toSeconds(), claimed.userId(), claimed.version(), owner)
			.update() == 1;
	}

	/** Extends every lease {@code owner} holds by {@code lease} from now: its work is still in flight. */
	int renew(String owner, Duration lease) {
		return this.jdbc.sql("UPDATE avatars SET due_at = " + NOW_PLUS_SECONDS + " WHERE status = " + PROCESSING
				+ " AND lease_owner = ?")
			.params(lease.toSeconds(), owner)
			.update();
	}

	/** Hands the owner's unfinished claims back as if they had never been tried. */
	int release(String owner) {
		return this.jdbc.sql("UPDATE avatars SET status = " + PENDING
				+ ", due_at = CURRENT_TIMESTAMP, lease_owner = NULL, attempts = attempts - 1 WHERE status = "
				+ PROCESSING + " AND lease_owner = ?")
			.param(owner)
			.update();
	}

	private static Claim claim(ResultSet rs, int attempts) throws SQLException {
		Crop crop = (rs.getObject(7) != null) ? new Crop(rs.getDouble(5), rs.getDouble(6), rs.getDouble(7)) : null;
		return new Claim(rs.getLong(1), rs.getLong(2), rs.getString(3), attempts, crop);
	}

	private static boolean isPostgreSql(DataSource dataSource) {
		try {
			String product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
			return "PostgreSQL".equals(product);
		}
		catch (MetaDataAccessException ex) {
			throw new IllegalStateException("Cannot tell which database this is", ex);
		}
	}

}
