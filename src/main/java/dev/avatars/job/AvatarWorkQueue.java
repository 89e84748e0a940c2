package dev.avatars.job;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import dev.avatars.thumbnail.Crop;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
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

	private static final String COLUMNS = "user_id, version, original_key, attempts, crop_x, crop_y, crop_size";

	/** Oldest due first; served by the index on due_at, which holds only the backlog. */
	private static final String DUE_ROWS = """
			 FROM avatars
			 WHERE due_at BETWEEN ? AND CURRENT_TIMESTAMP AND status IN ('PENDING', 'PROCESSING')
			 ORDER BY due_at, user_id
			 FETCH FIRST ? ROWS ONLY""";

	private static final String DUE = "SELECT user_id " + DUE_ROWS;

	private static final String TAKE = "UPDATE avatars SET status = 'PROCESSING', lease_owner = ?, "
			+ "attempts = attempts + 1, due_at = " + NOW_PLUS_SECONDS;

	/**
	 * PostgreSQL: runners skip each other's locked rows instead of queueing behind them, and the claimed rows
	 * come back from the UPDATE itself.
	 */
	private static final String CLAIM_POSTGRESQL = TAKE + " WHERE user_id IN (" + DUE + " FOR UPDATE SKIP LOCKED)"
			+ " RETURNING " + COLUMNS;

	/**
	 * H2 (one process, or a CLI beside it): a runner that meets a row another claimed waits for its commit,
	 * then finds it no longer due and leaves it; H2 returns the changed rows as the UPDATE's final table.
	 */
	private static final String CLAIM_H2 = "SELECT " + COLUMNS + " FROM FINAL TABLE (" + TAKE + " WHERE user_id IN ("
			+ DUE + ") AND due_at <= CURRENT_TIMESTAMP AND status IN ('PENDING', 'PROCESSING'))";

	private final JdbcClient jdbc;

	private final String claimSql;

	AvatarWorkQueue(JdbcClient jdbc, DataSource dataSource) {
		this.jdbc = jdbc;
		this.claimSql = isPostgreSql(dataSource) ? CLAIM_POSTGRESQL : CLAIM_H2;
	}

	record Candidate(long userId, long version, String originalKey, int attempts, Crop crop) {
	}

	/** Oldest due first, without claiming (the CLI's dry run); served by the index on due_at. */
	List<Candidate> findDue(int limit) {
		return this.jdbc.sql("SELECT " + COLUMNS + " " + DUE_ROWS)
			.params(EPOCH, limit)
			.query((rs, n) -> candidate(rs, rs.getInt(4)))
			.list();
	}

	/**
	 * Claims up to {@code limit} due avatars, oldest first, in one statement: each comes back with a lease for
	 * {@code owner}. Of several runners racing, each row goes to exactly one.
	 */
	List<Candidate> claimDue(int limit, String owner, Duration lease) {
		return this.jdbc.sql(this.claimSql)
			.params(owner, lease.toSeconds(), EPOCH, limit)
			// The statement returns the row after the claim counted it; the job wants the tries before it.
			.query((rs, n) -> candidate(rs, rs.getInt(4) - 1))
			.list();
	}

	/**
	 * Ends as FAILED every avatar whose lease ran out after its {@code maxAttempts}-th claim: its runners died or
	 * hung on it each time (a killed process, a file that takes the JVM down), so claiming it again would only
	 * repeat that. Served by the index on due_at, as the claim is.
	 * @return how many avatars it failed
	 */
	int abandonExhausted(int maxAttempts) {
		return this.jdbc.sql("""
				UPDATE avatars SET status = 'FAILED', error = ?, processed_at = CURRENT_TIMESTAMP, due_at = NULL,
				       lease_owner = NULL
				 WHERE due_at BETWEEN ? AND CURRENT_TIMESTAMP AND status = 'PROCESSING' AND attempts >= ?""")
			.params("gave up after " + maxAttempts + " attempts: each runner stopped before it finished",
					EPOCH, maxAttempts)
			.update();
	}

	/** For the benchmark's query plan. */
	String claimStatement() {
		return this.claimSql;
	}

	private static Candidate candidate(ResultSet rs, int attempts) throws SQLException {
		Crop crop = (rs.getObject(7) != null) ? new Crop(rs.getDouble(5), rs.getDouble(6), rs.getDouble(7)) : null;
		return new Candidate(rs.getLong(1), rs.getLong(2), rs.getString(3), attempts, crop);
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
