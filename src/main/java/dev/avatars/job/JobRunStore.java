package dev.avatars.job;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** The job_runs table: one row per run, written when it starts and completed when it ends. */
@Repository
class JobRunStore {

	private static final String COLUMNS = "id, run_trigger, host, started_at, finished_at, claimed, ready, failed, retried, duration_ms, error";

	private final JdbcClient jdbc;

	JobRunStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	long start(Trigger trigger, String host) {
		KeyHolder keys = new GeneratedKeyHolder();
		this.jdbc.sql("INSERT INTO job_runs (run_trigger, host, started_at) VALUES (?, ?, CURRENT_TIMESTAMP)")
			.params(trigger.name(), host)
			.update(keys, "id");
		return keys.getKeyAs(Number.class).longValue();
	}

	RunReport finish(long id, int claimed, int ready, int failed, int retried, long durationMs, String error) {
		this.jdbc.sql("""
				UPDATE job_runs SET finished_at = CURRENT_TIMESTAMP, claimed = ?, ready = ?, failed = ?, retried = ?,
				       duration_ms = ?, error = ?
				 WHERE id = ?""")
			.params(claimed, ready, failed, retried, durationMs, truncate(error), id)
			.update();
		return find(id).orElseThrow();
	}

	Optional<RunReport> find(long id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM job_runs WHERE id = ?").param(id).query(JobRunStore::map)
			.optional();
	}

	List<RunReport> recent(int limit) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM job_runs ORDER BY started_at DESC, id DESC FETCH FIRST ? ROWS ONLY")
			.param(limit)
			.query(JobRunStore::map)
			.list();
	}

	/** When the newest run that finished without a run-level error ended. */
	Optional<Instant> lastCompleted() {
		return this.jdbc.sql("SELECT MAX(finished_at) FROM job_runs WHERE error IS NULL")
			.query((rs, n) -> Optional.ofNullable(instant(rs, 1)))
			.single();
	}

	private static RunReport map(ResultSet rs, int row) throws SQLException {
		return new RunReport(rs.getLong("id"), Trigger.valueOf(rs.getString("run_trigger")), rs.getString("host"),
				instant(rs, rs.findColumn("started_at")), instant(rs, rs.findColumn("finished_at")),
				rs.getInt("claimed"), rs.getInt("ready"), rs.getInt("failed"), rs.getInt("retried"),
				rs.getObject("duration_ms", Long.class), rs.getString("error"));
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	static String truncate(String text) {
		return (text == null || text.length() <= 500) ? text : text.substring(0, 497) + "...";
	}

}
