package dev.avatars.job;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.avatars.AppProcess;
import dev.avatars.TestPostgres;

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
		String users = (among == null) ? ""
				: " AND user_id IN (" + among.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")";
		try (Connection db = DriverManager.getConnection(database.url(), database.user(), database.password())) {
			while (System.nanoTime() < deadline) {
				boolean all = true;
				for (String status : statuses) {
					try (PreparedStatement query = db
						.prepareStatement("SELECT COUNT(*) FROM avatars WHERE status = ?" + users)) {
						query.setString(1, status);
						try (ResultSet count = query.executeQuery()) {
							count.next();
							all &= count.getLong(1) > 0;
						}
					}
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
	 */
	static void killMidBatch(Process cli, TestPostgres.Database database, List<Long> ids, AppProcess observer,
			long leaseMillis) throws Exception {
		awaitStatuses(database, ids, "READY", "PROCESSING");
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

}
