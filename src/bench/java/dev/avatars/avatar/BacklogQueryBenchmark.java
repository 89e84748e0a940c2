package dev.avatars.avatar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.avatars.TestPostgres;
import org.flywaydb.core.Flyway;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.util.FileSystemUtils;

/**
 * How long claiming one batch takes when 100 of 1,000,000 avatars are pending, on H2 and PostgreSQL, through
 * the job's own queries, and the query plans behind it. A benchmark, not a test: {@code scripts/bench-backlog.sh}.
 */
public final class BacklogQueryBenchmark {

	private static final int USERS = 1_000_000;

	private static final int PENDING = 100;

	private static final int BATCH = 50;

	private static final int ROUNDS = 21;

	private static final int WARM_UP_ROUNDS = 200;

	private BacklogQueryBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path h2 = Files.createTempDirectory("avatars-backlog-h2");
		SingleConnectionDataSource h2Source = new SingleConnectionDataSource(
				"jdbc:h2:file:" + h2.resolve("db") + ";AUTO_SERVER=TRUE", "sa", "", true);
		try {
			measure("H2", h2Source, "SELECT X FROM SYSTEM_RANGE(1, " + USERS + ")", "EXPLAIN ");
		}
		finally {
			// A million users make a database of about 300 MB.
			h2Source.destroy();
			FileSystemUtils.deleteRecursively(h2);
		}
		TestPostgres.Database pg = TestPostgres.freshDatabase();
		measure("PostgreSQL", new SingleConnectionDataSource(pg.url(), pg.user(), pg.password(), true),
				"SELECT g FROM generate_series(1, " + USERS + ") g", "EXPLAIN (ANALYZE, COSTS OFF) ");
		System.exit(0);
	}

	private static void measure(String name, DataSource dataSource, String numbers, String explain) {
		Flyway.configure().dataSource(dataSource).load().migrate();
		JdbcClient jdbc = JdbcClient.create(dataSource);
		long start = System.nanoTime();
		jdbc.sql("INSERT INTO users (username, display_name, created_at) SELECT 'user' || n, 'User ' || n, "
				+ "CURRENT_TIMESTAMP FROM (" + numbers + ") AS numbers(n)").update();
		jdbc.sql("INSERT INTO avatars (user_id, status, version, original_key, ready_version, ready_extension) "
				+ "SELECT id, 'READY', 1, 'x.jpg', 1, 'jpg' FROM users").update();
		if (name.equals("PostgreSQL")) {
			jdbc.sql("VACUUM ANALYZE avatars").update();
		}
		System.out.printf("%s: %,d users inserted in %.1f s%n", name, USERS, (System.nanoTime() - start) / 1e9);

		AvatarRepository queue = new AvatarRepository(jdbc, dataSource);
		List<Double> findMs = new ArrayList<>();
		List<Double> batchMs = new ArrayList<>();
		jdbc.sql("UPDATE avatars SET status = 'PENDING', due_at = CURRENT_TIMESTAMP WHERE MOD(user_id, "
				+ (USERS / PENDING) + ") = 0").update();
		// Untimed rounds first: H2 runs inside this JVM, and its code is as cold as ours at the start.
		for (int round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
			long t0 = System.nanoTime();
			List<AvatarRepository.Claim> due = queue.findDue(BATCH);
			long t1 = System.nanoTime();
			List<AvatarRepository.Claim> claimed = queue.claimDue(BATCH, "bench#" + round, Duration.ofMinutes(5));
			long t2 = System.nanoTime();
			if (due.size() != BATCH || claimed.size() != BATCH) {
				throw new IllegalStateException("Expected " + BATCH + " due, found " + due.size() + ", claimed "
						+ claimed.size());
			}
			if (round >= 0) {
				findMs.add((t1 - t0) / 1e6);
				batchMs.add((t2 - t1) / 1e6);
			}
			// The claimed half becomes due again, by primary key: the backlog stays 100 of a million.
			jdbc.sql("UPDATE avatars SET status = 'PENDING', due_at = CURRENT_TIMESTAMP, lease_owner = NULL "
					+ "WHERE user_id IN (:ids)")
				.param("ids", claimed.stream().map(AvatarRepository.Claim::userId).toList())
				.update();
		}
		System.out.printf("%s: find %d due among %,d: median %.2f ms; claim a batch of %d (one statement): "
				+ "median %.2f ms (%d rounds)%n", name, BATCH, USERS, median(findMs), BATCH, median(batchMs), ROUNDS);
		jdbc.sql("UPDATE avatars SET status = 'PENDING', due_at = CURRENT_TIMESTAMP WHERE MOD(user_id, "
				+ (USERS / PENDING) + ") = 0").update();
		String plan = String.join("\n", jdbc.sql(explain + "SELECT user_id, version, original_key, attempts, crop_x, "
				+ "crop_y, crop_size FROM avatars WHERE due_at BETWEEN TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00' "
				+ "AND CURRENT_TIMESTAMP AND status IN ('PENDING', 'PROCESSING') ORDER BY due_at, user_id "
				+ "FETCH FIRST 50 ROWS ONLY").query(String.class).list());
		long t0 = System.nanoTime();
		long backlog = queue.backlog().size();
		System.out.printf("%s: backlog count %d in %.2f ms%n", name, backlog, (System.nanoTime() - t0) / 1e6);
		System.out.println(name + " plan:\n" + plan + "\n");
		if (!name.equals("PostgreSQL")) {
			String claimPlan = String.join("\n", jdbc.sql("EXPLAIN ANALYZE " + queue.claimStatement().replaceFirst("(?s)^SELECT .* FROM FINAL TABLE \\((.*)\\)$", "$1"))
				.params("bench#plan", 300, java.time.OffsetDateTime.parse("1970-01-01T00:00:00Z"), BATCH)
				.query(String.class)
				.list());
			System.out.println(name + " plan of the claim:\n" + claimPlan + "\n");
		}
		if (name.equals("PostgreSQL")) {
			String claimPlan = String.join("\n", jdbc.sql(explain + queue.claimStatement())
				.params("bench#plan", 300, java.time.OffsetDateTime.parse("1970-01-01T00:00:00Z"), BATCH)
				.query(String.class)
				.list());
			System.out.println(name + " plan of the claim:\n" + claimPlan + "\n");
		}
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		return sorted.get(sorted.size() / 2);
	}

}
