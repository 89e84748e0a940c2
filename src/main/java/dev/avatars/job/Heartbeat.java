package dev.avatars.job;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the runs under way in this process alive: every third of a lease it renews the leases each run holds, so
 * a task that outlives one lease is not taken over and done twice; and about every second it writes the progress
 * of runs whose counts changed, for whoever follows them through the API.
 */
final class Heartbeat implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

	private final JobEngine engine;

	private final JobRuns runs;

	private final Duration lease;

	private final long renewEveryNanos;

	private final ScheduledExecutorService timer;

	Heartbeat(JobEngine engine, JobRuns runs, Duration lease) {
		this.engine = engine;
		this.runs = runs;
		this.lease = lease;
		this.renewEveryNanos = lease.toNanos() / 3;
		long tickMillis = Math.max(50, Math.min(1000, lease.toMillis() / 3));
		this.timer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "job-heartbeat");
			thread.setDaemon(true);
			return thread;
		});
		this.timer.scheduleWithFixedDelay(this::beat, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
	}

	void beat() {
		for (JobEngine.ActiveRun run : this.engine.activeRuns()) {
			try {
				if (System.nanoTime() - run.renewedAt >= this.renewEveryNanos) {
					run.renewedAt = System.nanoTime();
					run.job.renew(run.owner(), this.lease);
				}
				int changes = run.tally.changes();
				if (changes != run.writtenChanges) {
					run.writtenChanges = changes;
					this.runs.progress(run.id, run.tally);
				}
			}
			catch (RuntimeException ex) {
				// The database may be back at the next beat; a lease lost meanwhile only means work done twice.
				log.warn("Heartbeat for {} run {} failed: {}", run.job.name(), run.id, ex.toString());
			}
		}
	}

	@Override
	public void close() {
		this.timer.shutdownNow();
	}

}
