package dev.avatars.fuzz;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs fuzz inputs one at a time on a worker thread, each within a limit of that thread's CPU time: CPU time, so
 * that a machine busy with other builds does not make a slow input a hang (the clock gets six times as long). A
 * hung worker cannot be stopped; it is abandoned (a daemon thread) and the next input gets a new one.
 */
public final class BoundedRunner implements AutoCloseable {

	/**
	 * How one input ended: its value, what it threw, or a hang.
	 * @param hang why it counts as a hang, or null
	 */
	public record Run<T>(T value, Throwable thrown, String hang) {

	}

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private final long limitNanos;

	private ExecutorService worker = newWorker();

	public BoundedRunner(long limitMillis) {
		this.limitNanos = TimeUnit.MILLISECONDS.toNanos(limitMillis);
	}

	private static ExecutorService newWorker() {
		return Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "fuzz-worker");
			thread.setDaemon(true);
			return thread;
		});
	}

	public <T> Run<T> run(Callable<T> task) throws InterruptedException {
		AtomicLong thread = new AtomicLong(-1);
		AtomicLong cpuAtStart = new AtomicLong();
		Future<T> future = this.worker.submit(() -> {
			cpuAtStart.set(THREADS.getCurrentThreadCpuTime());
			thread.set(Thread.currentThread().getId());
			return task.call();
		});
		long started = System.nanoTime();
		while (true) {
			try {
				return new Run<>(future.get(50, TimeUnit.MILLISECONDS), null, null);
			}
			catch (ExecutionException ex) {
				return new Run<>(null, ex.getCause(), null);
			}
			catch (TimeoutException ex) {
				long cpu = (thread.get() >= 0) ? THREADS.getThreadCpuTime(thread.get()) - cpuAtStart.get() : 0;
				long wall = System.nanoTime() - started;
				if (cpu > this.limitNanos || wall > 6 * this.limitNanos) {
					future.cancel(true);
					this.worker.shutdownNow();
					this.worker = newWorker();
					return new Run<>(null, null, String.format(Locale.ROOT,
							"no answer after %.1f s of CPU (%.1f s wall)", cpu / 1e9, wall / 1e9));
				}
			}
		}
	}

	@Override
	public void close() {
		this.worker.shutdownNow();
	}

}
