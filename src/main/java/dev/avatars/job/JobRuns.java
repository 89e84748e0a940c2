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

/**
 * The job_runs table: one row per run of any job, written when it starts, updated with its progress while it
 * goes, and completed when it ends.
 */
@Repository
public class JobRuns {

	private static final String COLUMNS = "id, job, run_trigger, host, started_at, finished_at, claimed, ready, failed, retried, removed_files, removed_bytes, duration_ms, error";

	private final JdbcClient jdbc;

	JobRuns(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	long start(String job, Trigger trigger, String host) {
		KeyHolder keys = new GeneratedKeyHolder();
		this.jdbc.sql("INSERT INTO job_runs (job, run_trigger, host, started_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP)")
			.params(job, trigger.name(), host)
			.update(keys, "id");
		return keys.getKeyAs(Number.class).longValue();
	}

	/** The counts so far of a run under way, for whoever follows it. */
	void progress(long id, Tally tally) {
		this.jdbc.sql("""
				UPDATE job_runs SET claimed = ?, ready = ?, failed = ?, retried = ?, removed_files = ?, removed_bytes = ?
				 WHERE id = ? AND finished_at IS NULL""")
			.params(tally.claimed(), tally.ready(), tally.failed(), tally.retried(), tally.removedFiles(),
					tally.removedBytes(), id)
			.update();
	}

	RunReport finish(long id, Tally tally, long durationMs, String error) {
		this.jdbc.sql("""
				UPDATE job_runs SET finished_at = CURRENT_TIMESTAMP, claimed = ?, ready = ?, failed = ?, retried = ?,
				       removed_files = ?, removed_bytes = ?, duration_ms = ?, error = ?
				 WHERE id = ?""")
			.params(tally.claimed(), tally.ready(), tally.failed(), tally.retried(), tally.removedFiles(),
					tally.removedBytes(), durationMs, truncate(error), id)
			.update();
		return find(id).orElseThrow();
	}

	Optional<RunReport> find(long id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM job_runs WHERE id = ?").param(id).query(JobRuns::map)
			.optional();
	}

	List<RunReport> recent(String job, int limit) {
		return this.jdbc.sql("SELECT " + COLUMNS
				+ " FROM job_runs WHERE job = ? ORDER BY started_at DESC, id DESC FETCH FIRST ? ROWS ONLY")
			.params(job, limit)
			.query(JobRuns::map)
			.list();
	}

	/** When the job's newest run that finished without a run-level error ended. */
	Optional<Instant> lastCompleted(String job) {
		return this.jdbc.sql("SELECT MAX(finished_at) FROM job_runs WHERE job = ? AND error IS NULL")
			.param(job)
			.query((rs, n) -> Optional.ofNullable(instant(rs, 1)))
			.single();
	}

	private static RunReport map(ResultSet rs, int row) throws SQLException {
		Instant finishedAt = instant(rs, rs.findColumn("finished_at"));
		return new RunReport(rs.getLong("id"), rs.getString("job"), Trigger.valueOf(rs.getString("run_trigger")),
				rs.getString("host"), instant(rs, rs.findColumn("started_at")), finishedAt, finishedAt != null,
				rs.getInt("claimed"), rs.getInt("ready"), rs.getInt("failed"), rs.getInt("retried"),
				rs.getLong("removed_files"), rs.getLong("removed_bytes"), rs.getObject("duration_ms", Long.class), rs.getString("error"));
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	static String truncate(String text) {
		return (text == null || text.length() <= 500) ? text : text.substring(0, 497) + "...";
	}

}
