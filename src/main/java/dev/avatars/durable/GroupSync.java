package dev.avatars.durable;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * One expensive flush (an fsync) shared by every caller that asked for it before it began, as databases group
 * their commits: under load, concurrent uploads pay for one flush instead of one each, and each caller still
 * returns only after a flush that started after its own write.
 */
public final class GroupSync {

	/** Forces to disk whatever was written before it started. */
	@FunctionalInterface
	public interface Flush {

		void run() throws IOException;

	}

	private final Flush flush;

	/** Tickets handed out and tickets covered by a finished flush; a flush covers every ticket older than it. */
	private long requested;

	private long completed;

	private boolean flushing;

	public GroupSync(Flush flush) {
		this.flush = flush;
	}

	/** Returns once a flush that began after this call has finished; runs it here when none is under way. */
	public void await() throws IOException {
		long upTo;
		synchronized (this) {
			long ticket = ++this.requested;
			while (this.flushing && this.completed < ticket) {
				try {
					wait();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new InterruptedIOException("interrupted while waiting for a flush");
				}
			}
			if (this.completed >= ticket) {
				return;
			}
			this.flushing = true;
			upTo = this.requested;
		}
		boolean flushed = false;
		try {
			this.flush.run();
			flushed = true;
		}
		finally {
			synchronized (this) {
				this.flushing = false;
				if (flushed) {
					this.completed = Math.max(this.completed, upTo);
				}
				// Whoever arrived during this flush is not covered by it: one of them runs the next.
				notifyAll();
			}
		}
	}

}
