package dev.avatars.job;

import java.time.Duration;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The job_leases table: one lease per job that must run on one instance at a time. Taken with one conditional
 * UPDATE, so of several runs racing on any number of instances exactly one gets it; renewed by the heartbeat
 * like any claim, and taken over once it runs out (its holder died).
 */
@Repository
public class JobLeases {

	private static final String NOW_PLUS_SECONDS = "CURRENT_TIMESTAMP + CAST(? AS INTEGER) * INTERVAL '1' SECOND";

	private final JdbcClient jdbc;

	JobLeases(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Takes the job's lease for {@code owner} unless someone holds it, or this same owner (run) took it before:
	 * a run does the job's work once.
	 */
	public boolean tryTake(String job, String owner, Duration lease) {
		try {
			this.jdbc.sql("INSERT INTO job_leases (job) SELECT ? WHERE NOT EXISTS (SELECT 1 FROM job_leases WHERE job = ?)")
				.params(job, job)
				.update();
		}
		catch (DataIntegrityViolationException ex) {
			// Another instance made the row at the same moment: it is there now.
		}
		return this.jdbc.sql("UPDATE job_leases SET lease_owner = ?, last_owner = ?, leased_until = " + NOW_PLUS_SECONDS
				+ " WHERE job = ? AND (lease_owner IS NULL OR leased_until < CURRENT_TIMESTAMP)"
				+ " AND (last_owner IS NULL OR last_owner <> ?)")
			.params(owner, owner, lease.toSeconds(), job, owner)
			.update() == 1;
	}

	public int renew(String job, String owner, Duration lease) {
		return this.jdbc.sql("UPDATE job_leases SET leased_until = " + NOW_PLUS_SECONDS
				+ " WHERE job = ? AND lease_owner = ?")
			.params(lease.toSeconds(), job, owner)
			.update();
	}

	public int release(String job, String owner) {
		return this.jdbc.sql("UPDATE job_leases SET lease_owner = NULL, leased_until = NULL WHERE job = ? AND lease_owner = ?")
			.params(job, owner)
			.update();
	}

}
