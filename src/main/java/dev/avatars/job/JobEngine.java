package dev.avatars.job;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

/**
 * The one engine behind every job and every trigger (schedule, CLI, API, upload, start-up catch-up). A run polls
 * its job for due tasks, claiming only as many as there are free workers, and hands them to one bounded worker
 * pool shared by all runs of all jobs in this process. The {@link Heartbeat} renews the leases of work in flight
 * and writes each run's progress. Safe to run concurrently in one process, in several and on several hosts: the
 * job's table decides every claim.
 */
@Service
public class JobEngine implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(JobEngine.class);

	/** Runs started in the background at once in this process, at most; each holds a thread while it polls. */
	static final int MAX_BACKGROUND_RUNS = 8;

	private final Map<String, Job> jobs;

	private final JobRuns runs;

	private final ProcessingProperties properties;

	private final MeterRegistry meters;

	private final String host = HostName.ofThisProcess();

	private final int workerCount;

	/** One permit per worker: a run claims a task only when a worker is free to start on it at once. */
	private final Semaphore freeWorkers;

	/** The runs under way here, by lease owner: the heartbeat renews them, shutdown hands their claims back. */
	private final Map<String, ActiveRun> active = new ConcurrentHashMap<>();

	/** Owners whose unfinished claims shutdown handed back, so their runs can report it. */
	private final Map<String, Boolean> handedBack = new ConcurrentHashMap<>();

	private final Map<String, Nudge> nudges;

	private final AtomicInteger apiRuns = new AtomicInteger();

	/** Made on start and shut down on stop: a stopped engine (a paused context in tests, too) can start again. */
	private volatile ExecutorService workers;

	/** The threads that poll for runs started in the background (API, upload, catch-up). */
	private volatile ExecutorService pollers;

	private volatile Heartbeat heartbeat;

	private volatile boolean running;

	public JobEngine(Collection<Job> jobs, JobRuns runs, ProcessingProperties properties, MeterRegistry meters) {
		this.jobs = jobs.stream().collect(Collectors.toUnmodifiableMap(Job::name, Function.identity()));
		this.nudges = jobs.stream().collect(Collectors.toUnmodifiableMap(Job::name, (job) -> new Nudge()));
		this.runs = runs;
		this.properties = properties;
		this.meters = meters;
		this.workerCount = properties.effectiveWorkers();
		this.freeWorkers = new Semaphore(this.workerCount);
	}

	public String host() {
		return this.host;
	}

	public Optional<Job> job(String name) {
		return Optional.ofNullable(this.jobs.get(name));
	}

	/** Runs the job in this thread until nothing is due or shutdown begins. */
	public RunReport runOnce(String job, Trigger trigger) {
		return runOnce(job, trigger, Integer.MAX_VALUE);
	}

	/** Runs the job in this thread until nothing is due, {@code limit} items were claimed, or shutdown begins. */
	public RunReport runOnce(String job, Trigger trigger, int limit) {
		Job named = require(job);
		return execute(named, this.runs.start(named.name(), trigger, this.host), trigger, limit, () -> false);
	}

	/**
	 * Starts a run in the background and answers at once with its record's id; the record shows its progress.
	 * @throws TooManyRunsException when {@link #MAX_BACKGROUND_RUNS} are already under way here
	 */
	public long start(String job, Trigger trigger, int limit) {
		Job named = require(job);
		if (this.apiRuns.incrementAndGet() > MAX_BACKGROUND_RUNS) {
			this.apiRuns.decrementAndGet();
			throw new TooManyRunsException(MAX_BACKGROUND_RUNS);
		}
		try {
			long id = this.runs.start(named.name(), trigger, this.host);
			this.pollers.execute(() -> {
				try {
					execute(named, id, trigger, limit, () -> false);
				}
				finally {
					this.apiRuns.decrementAndGet();
				}
			});
			return id;
		}
		catch (RuntimeException ex) {
			this.apiRuns.decrementAndGet();
			throw ex;
		}
	}

	/**
	 * Asks for the job to run soon here (an upload's trigger). At most one such run per job is under way in this
	 * process: a request during it makes it look again before it ends, so bursts of uploads share one run.
	 */
	public void runSoon(String job) {
		Nudge nudge = this.nudges.get(job);
		if (nudge == null) {
			throw new IllegalArgumentException("No job named " + job);
		}
		nudge.requested.set(true);
		if (this.running && nudge.polling.compareAndSet(false, true)) {
			try {
				this.pollers.execute(() -> runWhileNudged(require(job), nudge));
			}
			catch (RejectedExecutionException ex) {
				nudge.polling.set(false); // shutting down; the sweep takes the work later
			}
		}
	}

	private void runWhileNudged(Job job, Nudge nudge) {
		try {
			while (this.running && nudge.requested.getAndSet(false)) {
				execute(job, this.runs.start(job.name(), Trigger.UPLOAD, this.host), Trigger.UPLOAD, Integer.MAX_VALUE,
						() -> nudge.requested.getAndSet(false));
			}
		}
		catch (RuntimeException ex) {
			log.error("Could not start a {} run for an upload; the next sweep takes its work", job.name(), ex);
		}
		finally {
			nudge.polling.set(false);
		}
		if (nudge.requested.get()) {
			runSoon(job.name()); // asked again between the last look and the end
		}
	}

	private static final class Nudge {

		final AtomicBoolean requested = new AtomicBoolean();

		final AtomicBoolean polling = new AtomicBoolean();

	}

	public Optional<RunReport> run(long id) {
		return this.runs.find(id);
	}

	public List<RunReport> recentRuns(String job, int limit) {
		return this.runs.recent(job, limit);
	}

	/** When the job's newest run that finished without a run-level error ended. */
	public Optional<java.time.Instant> lastCompleted(String job) {
		return this.runs.lastCompleted(job);
	}

	/**
	 * The poll loop. {@code lookAgain} says whether to poll once more when nothing was due (a nudge arrived).
	 */
	private RunReport execute(Job job, long runId, Trigger trigger, int limit, BooleanSupplier lookAgain) {
		ActiveRun run = new ActiveRun(job, runId, this.host + "#" + runId, this.properties.lease());
		long started = System.nanoTime();
		String error = null;
		// Counts this run's tasks in flight without keeping one object per item: memory stays flat.
		Phaser inFlight = new Phaser(1);
		this.active.put(run.owner(), run);
		try {
			job.prepare(trigger);
			while (this.running && run.tally.claimed() < limit) {
				// Claim only what free workers can start at once, so other runners share the rest of the backlog.
				this.freeWorkers.acquire();
				int free = 1 + this.freeWorkers.drainPermits();
				int wanted = Math.min(Math.min(free, this.properties.batchSize()), limit - run.tally.claimed());
				List<Job.Task> claimed = List.of();
				try {
					if (this.running) {
						claimed = job.claim(wanted, run);
					}
				}
				finally {
					this.freeWorkers.release(Math.max(0, free - claimed.size()));
				}
				if (claimed.size() > free) {
					// A job that claims more than it was asked for: its tasks still run (they are claimed), and
					// the surplus takes permits back as they finish, so the pool stays as wide as configured.
					log.error("{} claimed {} items when asked for {}", job.name(), claimed.size(), wanted);
				}
				run.tally.claimed(claimed.size());
				for (Job.Task task : claimed) {
					inFlight.register();
					try {
						this.workers.execute(() -> runAndRelease(task, run, inFlight));
					}
					catch (RejectedExecutionException ex) {
						// The pool is shutting down; stop() hands the claim back.
						inFlight.arriveAndDeregister();
						this.freeWorkers.release();
					}
				}
				if (claimed.size() > free) {
					this.freeWorkers.acquire(claimed.size() - free);
				}
				if (claimed.size() < wanted && !lookAgain.getAsBoolean()) {
					break;
				}
			}
			inFlight.arriveAndAwaitAdvance();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			error = "interrupted";
		}
		catch (RuntimeException ex) {
			log.error("{} run {} failed", job.name(), runId, ex);
			error = "the run failed: " + ex.getClass().getSimpleName();
		}
		finally {
			boolean releasedHere = !this.running && job.release(run.owner()) > 0;
			if ((this.handedBack.remove(run.owner()) != null || releasedHere) && error == null) {
				error = "stopped by shutdown; unfinished items were handed back";
			}
			this.active.remove(run.owner());
		}
		long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		RunReport report = this.runs.finish(runId, run.tally, durationMs, error);
		log.info("{} run {} ({}): {}", job.name(), runId, trigger, report.summary());
		return report;
	}

	private void runAndRelease(Job.Task task, ActiveRun run, Phaser inFlight) {
		try {
			Timer.builder("avatars.processing.time")
				.description("Time to run one task of a job, such as rendering one avatar's thumbnails")
				.tag("job", run.job.name())
				.register(this.meters)
				.record(() -> task.run(run));
		}
		catch (RuntimeException | Error ex) {
			// The outcome could not be recorded (the database went away, or memory ran out while recording it):
			// the lease runs out and a later run takes the item again. The worker lives on either way.
			log.error("A {} task could not record its outcome", run.job.name(), ex);
		}
		finally {
			this.freeWorkers.release();
			inFlight.arriveAndDeregister();
		}
	}

	/** A run under way in this process. */
	final class ActiveRun implements RunContext {

		final Job job;

		final long id;

		final Tally tally = new Tally();

		private final String owner;

		private final Duration lease;

		/** The tally's change count the heartbeat last wrote, and when it last renewed the leases. */
		volatile int writtenChanges;

		volatile long renewedAt = System.nanoTime();

		ActiveRun(Job job, long id, String owner, Duration lease) {
			this.job = job;
			this.id = id;
			this.owner = owner;
			this.lease = lease;
		}

		@Override
		public String owner() {
			return this.owner;
		}

		@Override
		public Duration lease() {
			return this.lease;
		}

		@Override
		public void removed(long bytes) {
			this.tally.removed(bytes);
			JobEngine.this.meters.counter("avatars.removed.files", "job", this.job.name()).increment();
			JobEngine.this.meters.counter("avatars.removed.bytes", "job", this.job.name()).increment(bytes);
		}

		@Override
		public void record(Outcome outcome, int count) {
			if (count > 0) {
				this.tally.record(outcome, count);
				JobEngine.this.meters
					.counter("avatars.processed", "job", this.job.name(), "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
					.increment(count);
			}
		}

	}

	Collection<ActiveRun> activeRuns() {
		return this.active.values();
	}

	private Job require(String name) {
		Job job = this.jobs.get(name);
		if (job == null) {
			throw new IllegalArgumentException("No job named " + name);
		}
		return job;
	}

	@Override
	public void start() {
		this.workers = Executors.newFixedThreadPool(this.workerCount, threads("job-worker-"));
		this.pollers = Executors.newCachedThreadPool(threads("job-run-"));
		this.heartbeat = new Heartbeat(this, this.runs, this.properties.lease());
		this.running = true;
	}

	/**
	 * Graceful shutdown: stop claiming, let tasks in flight finish within the timeout, then hand back whatever is
	 * still claimed so that the next runner, here or elsewhere, takes it at once instead of after the lease.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.workers.shutdown();
		this.pollers.shutdown();
		try {
			if (!this.workers.awaitTermination(this.properties.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
				this.workers.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.heartbeat.close();
		for (ActiveRun run : this.active.values()) {
			int released = run.job.release(run.owner());
			if (released > 0) {
				this.handedBack.put(run.owner(), Boolean.TRUE);
				log.info("Handed {} unfinished {} items back for the next run", released, run.job.name());
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private static ThreadFactory threads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
