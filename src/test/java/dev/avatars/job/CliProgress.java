package dev.avatars.job;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.avatars.AppProcess;
import dev.avatars.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Waits, in the shared database, for a CLI run to reach a point worth killing it at. Until the database holds an
 * avatar in each of the given statuses: READY, the CLI has claimed and finished some; READY and PROCESSING, it
 * also holds others (between two claims its workers are briefly idle, and a kill then would leave no lease to take
 * over).
 */
final class CliProgress {

	private CliProgress() {
	}

	/**
	 * @param among only these users (the deployment's database may keep an earlier test's READY ones), or
	 * {@code null} for all
	 */
	static void awaitStatuses(TestPostgres.Database database, List<Long> among, String... statuses)
			throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		try (Connection db = connect(database)) {
			while (System.nanoTime() < deadline) {
				boolean all = true;
				for (String status : statuses) {
					all &= count(db, among, status) > 0;
				}
				if (all) {
					return;
				}
				Thread.sleep(20);
			}
		}
		throw new IllegalStateException("The CLI never had avatars " + String.join(" and ", statuses));
	}

	/**
	 * Kills the CLI with SIGKILL once it holds {@code ids} part-done (some READY, some PROCESSING), checks through
	 * {@code observer} that it died mid-batch, and waits out its leases ({@code lease}, as the CLI was given), so
	 * that another runner may take them over.
	 *
	 * <p>It is stopped (SIGSTOP) before the database is looked at again: between a look and a kill its workers
	 * could finish what they held and be between two claims (two identical photos started together finish
	 * within milliseconds of each other). Stopped holding nothing, it goes on (SIGCONT) and is stopped again at
	 * its next claim.
	 */
	static void killMidBatch(Process cli, TestPostgres.Database database, List<Long> ids, AppProcess observer,
			long leaseMillis) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (true) {
			awaitStatuses(database, ids, "READY", "PROCESSING");
			signal(cli, "STOP");
			try (Connection db = connect(database)) {
				if (count(db, ids, "PROCESSING") > 0) {
					break;
				}
			}
			signal(cli, "CONT");
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The CLI was never stopped holding avatars");
			}
		}
		cli.destroyForcibly(); // SIGKILL
		cli.waitFor();
		List<String> states = new ArrayList<>();
		for (long id : ids) {
			states.add(observer.get("/api/users/" + id + "/avatar").body());
		}
		assertThat(states).as("it died mid-batch")
			.anySatisfy((state) -> assertThat(state).contains("\"status\":\"PROCESSING\""));
		Thread.sleep(leaseMillis + 500); // the dead runner's leases run out
	}

	private static void signal(Process process, String signal) throws Exception {
		Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
		assertThat(kill.waitFor()).as("kill -" + signal).isZero();
	}

	private static Connection connect(TestPostgres.Database database) throws Exception {
		return DriverManager.getConnection(database.url(), database.user(), database.password());
	}

	private static long count(Connection db, List<Long> among, String status) throws Exception {
		String users = (among == null) ? ""
				: " AND user_id IN (" + among.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")";
		try (PreparedStatement query = db.prepareStatement("SELECT COUNT(*) FROM avatars WHERE status = ?" + users)) {
			query.setString(1, status);
			try (ResultSet count = query.executeQuery()) {
				count.next();
				return count.getLong(1);
			}
		}
	}

}
