package dev.avatars.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.avatars.AppProcess;
import dev.avatars.TestPostgres;

import org.springframework.util.FileSystemUtils;

/**
 * Throughput of 1, 2 and 3 runners (app instances with one worker each) on one PostgreSQL over the same backlog
 * of real photographs, counted from the moment all are up and triggered. A benchmark, not a test: {@code scripts/bench-runners.sh} runs it.
 *
 * <p>Arguments: corpus folder (JPEGs), backlog size, rounds (a multiple of 3 puts each runner count in each
 * position of a round equally often), images each runner renders untimed first.
 */
public final class RunnerScalingBenchmark {

	private RunnerScalingBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path corpus = Path.of(args.length > 0 ? args[0] : "/tmp/avatar-corpus");
		int backlog = args.length > 1 ? Integer.parseInt(args[1]) : 240;
		int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
		int warmImages = args.length > 3 ? Integer.parseInt(args[3]) : 480;
		List<Path> photos;
		try (Stream<Path> files = Files.list(corpus)) {
			photos = files.filter((file) -> file.toString().endsWith(".jpg")).sorted().toList();
		}
		if (photos.isEmpty()) {
			throw new IllegalArgumentException("No JPEGs in " + corpus);
		}
		Path jar = AppProcess.packagedJar();
		Path home = Files.createTempDirectory("avatars-bench");
		try {
			measure(photos, corpus, backlog, rounds, warmImages, jar, home);
		}
		finally {
			// The uploaded originals alone are hundreds of megabytes.
			FileSystemUtils.deleteRecursively(home);
		}
		System.exit(0);
	}

	private static void measure(List<Path> photos, Path corpus, int backlog, int rounds, int warmImages, Path jar,
			Path home) throws Exception {
		TestPostgres.Database database = TestPostgres.freshDatabase();
		List<String> onDatabase = List.of("--spring.profiles.active=postgres",
				"--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.user(),
				"--spring.datasource.password=" + database.password(), "--avatars.home=" + home);

		List<String> webArgs = new ArrayList<>(onDatabase);
		webArgs.add("--avatars.processing.cron=-");
		try (AppProcess web = AppProcess.startWeb(jar, home, home.resolve("web.log"), webArgs)) {
			ExecutorService pool = Executors.newFixedThreadPool(4);
			List<Future<Long>> uploads = new ArrayList<>();
			for (int i = 0; i < backlog; i++) {
				byte[] photo = Files.readAllBytes(photos.get(i % photos.size()));
				String name = "bench" + i;
				uploads.add(pool.submit(() -> web.userUploadingOwnPicture(name, photo)));
			}
			for (Future<Long> upload : uploads) {
				upload.get();
			}
			pool.shutdown();
		}
		System.out.printf("backlog: %d avatars from %d photos in %s%n", backlog, photos.size(), corpus);

		Map<Integer, List<double[]>> results = new TreeMap<>();
		for (int round = 1; round <= rounds; round++) {
			// Each round starts one later (1-2-3, 2-3-1, 3-1-2): whatever the previous pass leaves behind in the
			// file system, the database or the CPU's caches falls on every runner count alike.
			for (int position = 0; position < 3; position++) {
				int runners = 1 + (round - 1 + position) % 3;
				reset(database, home);
				double[] result = run(jar, home, onDatabase, runners, backlog, warmImages, database);
				results.computeIfAbsent(runners, (k) -> new ArrayList<>()).add(result);
				System.out.printf("round %d, %d runner(s): %.2f s, %.1f images/s; %.1f images/s as recorded%n",
						round, runners, result[0], backlog / result[0], backlog / result[1]);
			}
		}

		double base = median(results.get(1), 0);
		System.out.println();
		System.out.println("| runners | seconds for the backlog | images/s | images/s as recorded in job_runs | vs 1 runner |");
		System.out.println("|---:|---:|---:|---:|---:|");
		for (Map.Entry<Integer, List<double[]>> entry : results.entrySet()) {
			double wall = median(entry.getValue(), 0);
			double recorded = median(entry.getValue(), 1);
			System.out.printf("| %d | %.2f | %.1f | %.1f | %.2f× |%n", entry.getKey(), wall, backlog / wall,
					backlog / recorded, base / wall);
		}
		// The machine drifts from round to round by more than the effects measured here: compare within a round.
		System.out.printf("%nwithin each round, median of the rounds: 2 runners %.3f× as fast as 1, "
				+ "3 runners %.3f× as fast as 2%n", medianRatio(results, 1, 2), medianRatio(results, 2, 3));
	}

	/**
	 * Starts the runners (app instances with one worker each and no schedule), waits until all are up, lets them
	 * process the backlog untimed until each has rendered the warm-up count, resets it, then triggers a run on
	 * each at the same moment, as replicas whose schedules fire together.
	 * @return seconds from the trigger to the last report, and seconds from the first run's start to the last
	 * run's end as the database recorded them
	 */
	private static double[] run(Path jar, Path home, List<String> onDatabase, int runners, int backlog,
			int warmImages, TestPostgres.Database database) throws Exception {
		List<String> args = new ArrayList<>(onDatabase);
		args.addAll(List.of("--avatars.processing.cron=-", "--avatars.processing.workers=1"));
		List<AppProcess> instances = new ArrayList<>();
		try {
			List<Future<AppProcess>> starting = new ArrayList<>();
			ExecutorService pool = Executors.newCachedThreadPool();
			for (int i = 0; i < runners; i++) {
				Path log = home.resolve("runner-" + i + ".log");
				starting.add(pool.submit(() -> AppProcess.startWeb(List.of("-Xmx256m"), jar, home, log, args)));
			}
			for (Future<AppProcess> instance : starting) {
				instances.add(instance.get());
			}
			// Replicas in production run for days: untimed passes first, until each JVM has rendered warmImages
			// (the JIT compiles per JVM, so three runners need three times the passes of one).
			int warmPasses = Math.max(1, (warmImages * runners + backlog - 1) / backlog);
			for (int pass = 0; pass < warmPasses; pass++) {
				triggerAll(instances, pool);
				reset(database, home);
			}
			long[] cpuBefore = machineCpu();
			long runnersBefore = processCpu(instances);
			long start = System.nanoTime();
			triggerAll(instances, pool);
			long end = System.nanoTime();
			double wall = (end - start) / 1e9;
			// CLOCK_MONOTONIC seconds, as `perf record -k CLOCK_MONOTONIC` stamps its samples: `perf report --time`.
			System.out.printf("  timed pass: %.6f,%.6f%n", start / 1e9, end / 1e9);
			long[] cpuAfter = machineCpu();
			long runnersAfter = processCpu(instances);
			System.out.printf("  machine CPU during the pass: %.1f s busy, %.1f s idle (of %.1f s × %d cores); "
					+ "the runners' JVMs %.1f s%n", (cpuAfter[0] - cpuBefore[0]) / 100.0,
					(cpuAfter[1] - cpuBefore[1]) / 100.0, wall, Runtime.getRuntime().availableProcessors(),
					(runnersAfter - runnersBefore) / 100.0);
			pool.shutdown();
			try (Connection connection = DriverManager.getConnection(database.url(), database.user(),
					database.password());
					Statement statement = connection.createStatement();
					ResultSet rs = statement.executeQuery("SELECT SUM(claimed), SUM(ready), "
							+ "EXTRACT(EPOCH FROM MAX(finished_at) - MIN(started_at)) FROM job_runs")) {
				rs.next();
				if (rs.getInt(1) != backlog || rs.getInt(2) != backlog) {
					throw new IllegalStateException(
							"Expected " + backlog + " claimed and ready, got " + rs.getInt(1) + " and " + rs.getInt(2));
				}
				return new double[] { wall, rs.getDouble(3) };
			}
		}
		finally {
			for (AppProcess instance : instances) {
				instance.close();
			}
		}
	}

	private static void triggerAll(List<AppProcess> instances, ExecutorService pool) throws Exception {
		List<Future<String>> reports = new ArrayList<>();
		for (AppProcess instance : instances) {
			reports.add(pool.submit(() -> instance.postJson("/api/jobs/thumbnails/runs?wait=true", "").body()));
		}
		for (Future<String> report : reports) {
			report.get(30, TimeUnit.MINUTES);
		}
	}

	private static void reset(TestPostgres.Database database, Path home) throws Exception {
		try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password());
				Statement statement = connection.createStatement()) {
			statement.execute("UPDATE avatars SET status = 'PENDING', due_at = CURRENT_TIMESTAMP, attempts = 0, "
					+ "lease_owner = NULL, error = NULL, ready_version = NULL, ready_extension = NULL, processed_at = NULL "
					+ "WHERE status <> 'NONE'");
			statement.execute("DELETE FROM job_runs");
			statement.execute("VACUUM ANALYZE avatars");
		}
		// Moved aside, not deleted: ext4 without a journal (as on these machines) skips inodes deleted a short
		// while ago, reading the inode table block of each, so deleting the last pass's files right before the
		// next slowed that pass's file creation, and more so after the more warm-up passes of more runners. They
		// go with the benchmark's home at the end.
		Path thumbnails = home.resolve("uploads/thumbnails");
		if (Files.exists(thumbnails)) {
			Files.createDirectories(home.resolve("replaced"));
			Files.move(thumbnails, home.resolve("replaced/" + System.nanoTime()));
		}
		Files.createDirectories(thumbnails);
	}

	/**
	 * Busy and idle time of the whole machine so far, in clock ticks (1/100 s), from the first line of
	 * /proc/stat: whether a slower pass did more work or waited more.
	 */
	private static long[] machineCpu() throws Exception {
		String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
		long busy = 0;
		long idle = 0;
		for (int i = 1; i < Math.min(fields.length, 9); i++) {
			long ticks = Long.parseLong(fields[i]);
			if (i == 4 || i == 5) {
				idle += ticks;
			}
			else {
				busy += ticks;
			}
		}
		return new long[] { busy, idle };
	}

	/** User and system time of the runners' JVMs so far, in clock ticks, from /proc/PID/stat. */
	private static long processCpu(List<AppProcess> instances) throws Exception {
		long ticks = 0;
		for (AppProcess instance : instances) {
			String stat = Files.readString(Path.of("/proc/" + instance.pid() + "/stat"));
			// Fields after the parenthesised command name: utime and stime are the 12th and 13th.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}
		return ticks;
	}

	/** Per round, the time with {@code fewer} runners over the time with {@code more}: the speed-up; its median. */
	private static double medianRatio(Map<Integer, List<double[]>> results, int fewer, int more) {
		List<double[]> ratios = new ArrayList<>();
		for (int round = 0; round < results.get(fewer).size(); round++) {
			ratios.add(new double[] { results.get(fewer).get(round)[0] / results.get(more).get(round)[0] });
		}
		return median(ratios, 0);
	}

	private static double median(List<double[]> values, int index) {
		double[] sorted = values.stream().mapToDouble((value) -> value[index]).sorted().toArray();
		return sorted[sorted.length / 2];
	}

}
