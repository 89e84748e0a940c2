package dev.avatars.job;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.avatars.avatar.AvatarStorage;
import dev.avatars.durable.DurableCommits;
import dev.avatars.job.AvatarWorkQueue.Candidate;
import dev.avatars.thumbnail.Thumbnail;
import dev.avatars.thumbnail.Thumbnailer;
import dev.avatars.thumbnail.UndecodableImageException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

/**
 * The one engine behind every trigger (schedule, CLI, API, start-up catch-up): claims due avatars, renders their
 * thumbnails on a bounded pool shared by all runs in this process, and records what happened. Safe to run
 * concurrently in one process, in several processes and on several hosts: the database decides every claim.
 */
@Service
public class ThumbnailJob implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ThumbnailJob.class);

	private final AvatarWorkQueue queue;

	private final JobRunStore runs;

	private final AvatarStorage storage;

	private final Thumbnailer thumbnailer;

	private final ProcessingProperties properties;

	private final MeterRegistry meters;

	private final DurableCommits durable;

	private final Timer processingTime;

	private final String host = hostName();

	private final int workerCount;

	/** Made on start and shut down on stop: a stopped job (a paused context in tests, too) can start again. */
	private volatile ExecutorService workers;

	/** One permit per worker: a run claims an avatar only when a worker is free to start on it at once. */
	private final Semaphore freeWorkers;

	/** Lease owners of the runs under way here, whose claims shutdown hands back. */
	private final Set<String> activeOwners = ConcurrentHashMap.newKeySet();

	/** Owners whose unfinished claims shutdown handed back, so their runs can report it. */
	private final Set<String> handedBack = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	ThumbnailJob(AvatarWorkQueue queue, JobRunStore runs, AvatarStorage storage, Thumbnailer thumbnailer,
			ProcessingProperties properties, MeterRegistry meters, DurableCommits durable) {
		this.queue = queue;
		this.durable = durable;
		this.runs = runs;
		this.storage = storage;
		this.thumbnailer = thumbnailer;
		this.properties = properties;
		this.meters = meters;
		this.processingTime = Timer.builder("avatars.processing.time")
			.description("Time to render and store one avatar's thumbnails")
			.register(meters);
		this.workerCount = properties.effectiveWorkers();
		this.freeWorkers = new Semaphore(this.workerCount);
	}

	public String host() {
		return this.host;
	}

	public RunReport runOnce(Trigger trigger) {
		return runOnce(trigger, Integer.MAX_VALUE);
	}

	/** Runs until nothing is due, {@code limit} avatars were claimed, or shutdown begins. */
	public RunReport runOnce(Trigger trigger, int limit) {
		this.storage.sweepAbandonedUploads();
		long runId = this.runs.start(trigger, this.host);
		String owner = this.host + "#" + runId;
		long started = System.nanoTime();
		Tally tally = new Tally();
		String error = null;
		// Counts this run's tasks in flight without keeping one object per avatar: memory stays flat.
		Phaser inFlight = new Phaser(1);
		this.activeOwners.add(owner);
		try {
			while (this.running && tally.claimed.get() < limit) {
				// Claim only what free workers can start at once, so other runners share the rest of the backlog.
				this.freeWorkers.acquire();
				int free = 1 + this.freeWorkers.drainPermits();
				int wanted = Math.min(Math.min(free, this.properties.batchSize()), limit - tally.claimed.get());
				List<Candidate> claimed = List.of();
				try {
					if (this.running) {
						count(tally.failed, "failed", this.queue.abandonExhausted(this.properties.maxAttempts()));
						claimed = this.queue.claimDue(wanted, owner, this.properties.lease());
					}
				}
				finally {
					this.freeWorkers.release(free - claimed.size());
				}
				for (Candidate candidate : claimed) {
					tally.claimed.incrementAndGet();
					inFlight.register();
					try {
						this.workers.execute(() -> processAndRelease(candidate, owner, tally, inFlight));
					}
					catch (RejectedExecutionException ex) {
						// The pool is shutting down; stop() hands the claim back.
						inFlight.arriveAndDeregister();
						this.freeWorkers.release();
					}
				}
				if (claimed.size() < wanted) {
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
			log.error("Thumbnail run {} failed", runId, ex);
			error = "the run failed: " + ex.getClass().getSimpleName();
		}
		finally {
			boolean releasedHere = !this.running && this.queue.release(owner) > 0;
			if ((this.handedBack.remove(owner) || releasedHere) && error == null) {
				error = "stopped by shutdown; unfinished avatars were handed back";
			}
			this.activeOwners.remove(owner);
		}
		long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		RunReport report = this.runs.finish(runId, tally.claimed.get(), tally.ready.get(), tally.failed.get(),
				tally.retried.get(), durationMs, error);
		log.info("Thumbnail run {} ({}): {}", runId, trigger, report.summary());
		return report;
	}

	private void processAndRelease(Candidate candidate, String owner, Tally tally, Phaser inFlight) {
		try {
			this.processingTime.record(() -> process(candidate, owner, tally));
		}
		catch (RuntimeException | Error ex) {
			// The outcome could not be recorded (the database went away, or memory ran out while recording it):
			// the lease runs out and a later run takes the avatar again. The worker lives on either way.
			log.error("Could not record the outcome for user {}", candidate.userId(), ex);
		}
		finally {
			this.freeWorkers.release();
			inFlight.arriveAndDeregister();
		}
	}

	private void process(Candidate claimed, String owner, Tally tally) {
		long userId = claimed.userId();
		long version = claimed.version();
		try {
			List<Thumbnail> thumbnails = this.thumbnailer.render(this.storage.original(claimed.originalKey()),
					claimed.crop());
			for (Thumbnail thumbnail : thumbnails) {
				this.storage.writeThumbnail(userId, version, thumbnail);
			}
			this.storage.flushThumbnails(userId);
			if (this.queue.complete(claimed, owner, thumbnails.get(0).format().extension())) {
				// The older version's files go only once no crash can bring back a row that serves them.
				this.durable.await();
				this.storage.deleteThumbnailsBefore(userId, version);
				count(tally.ready, "ready");
			}
			else {
				discardStale(userId, version);
			}
		}
		catch (UndecodableImageException ex) {
			fail(claimed, owner, tally, ex.getMessage(), null);
		}
		catch (StackOverflowError ex) {
			// Deterministic: the same file nests as deeply on every try.
			fail(claimed, owner, tally, "not a decodable image: its data nests too deeply to read", ex);
		}
		catch (IOException | RuntimeException | Error ex) {
			// Errors too (out of memory in a bounded allocation, a native library's): a worker must outlive any
			// one file. Memory may be free on the next try, so they are retried up to max-attempts.
			String reason = transientReason(ex);
			int attempts = claimed.attempts() + 1;
			if (attempts >= this.properties.maxAttempts()) {
				if (this.queue.fail(claimed, owner, "gave up after " + attempts + " attempts: " + reason)) {
					log.warn("Avatar of user {} (version {}) failed for good", userId, version, ex);
					count(tally.failed, "failed");
				}
			}
			else if (this.queue.retryLater(claimed, owner, reason, this.properties.backoff(attempts))) {
				log.warn("Avatar of user {} (version {}) will be retried: {}", userId, version, ex.toString());
				count(tally.retried, "retried");
			}
		}
	}

	private void fail(Candidate claimed, String owner, Tally tally, String reason, Throwable cause) {
		if (this.queue.fail(claimed, owner, reason)) {
			log.info("Avatar of user {} (version {}) failed: {}{}", claimed.userId(), claimed.version(), reason,
					(cause != null) ? " (" + cause.getClass().getSimpleName() + ")" : "");
			count(tally.failed, "failed");
		}
	}

	/** Shown to users: says what went wrong without paths or internals. */
	private static String transientReason(Throwable ex) {
		if (ex instanceof java.nio.file.NoSuchFileException) {
			return "the stored original is missing";
		}
		if (ex instanceof IOException) {
			return "could not read or write its files (" + ex.getClass().getSimpleName() + ")";
		}
		if (ex instanceof OutOfMemoryError) {
			return "ran out of memory while rendering";
		}
		return "unexpected error (" + ex.getClass().getSimpleName() + ")";
	}

	/**
	 * Our result lost: a newer upload came, our lease was taken over, or the user was deleted. Remove what we
	 * wrote unless some runner's committed or current work uses the same version's files.
	 */
	private void discardStale(long userId, long version) {
		this.queue.versions(userId).ifPresentOrElse((versions) -> {
			if (!versions.uses(version)) {
				this.storage.deleteThumbnails(userId, version);
			}
		}, () -> this.storage.deleteAll(userId, null));
	}

	private void count(AtomicInteger counter, String outcome) {
		count(counter, outcome, 1);
	}

	private void count(AtomicInteger counter, String outcome, int avatars) {
		if (avatars > 0) {
			counter.addAndGet(avatars);
			this.meters.counter("avatars.processed", "outcome", outcome).increment(avatars);
		}
	}

	private static final class Tally {

		final AtomicInteger claimed = new AtomicInteger();

		final AtomicInteger ready = new AtomicInteger();

		final AtomicInteger failed = new AtomicInteger();

		final AtomicInteger retried = new AtomicInteger();

	}

	@Override
	public void start() {
		this.workers = Executors.newFixedThreadPool(this.workerCount, workerThreads());
		this.running = true;
	}

	/**
	 * Graceful shutdown: stop claiming, let in-flight images finish within the timeout, then hand back whatever
	 * is still claimed so that the next runner, here or elsewhere, takes it at once instead of after the lease.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.workers.shutdown();
		try {
			if (!this.workers.awaitTermination(this.properties.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
				this.workers.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		for (String owner : this.activeOwners) {
			int released = this.queue.release(owner);
			if (released > 0) {
				this.handedBack.add(owner);
				log.info("Handed {} unfinished avatars back for the next run", released);
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private static ThreadFactory workerThreads() {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, "thumbnail-worker-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	private static String hostName() {
		String name;
		try {
			name = InetAddress.getLocalHost().getHostName();
		}
		catch (IOException ex) {
			name = System.getenv().getOrDefault("HOSTNAME", "unknown");
		}
		return name + "/" + ManagementFactory.getRuntimeMXBean().getPid();
	}

}
