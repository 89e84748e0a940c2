package dev.avatars.job;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A run's counts, written by its workers as they finish items. */
final class Tally {

	private final AtomicInteger claimed = new AtomicInteger();

	private final AtomicInteger ready = new AtomicInteger();

	private final AtomicInteger failed = new AtomicInteger();

	private final AtomicInteger retried = new AtomicInteger();

	private final AtomicLong removedFiles = new AtomicLong();

	private final AtomicLong removedBytes = new AtomicLong();

	/** Bumped by every change, so the heartbeat writes progress only when there is some. */
	private final AtomicInteger changes = new AtomicInteger();

	void claimed(int count) {
		this.claimed.addAndGet(count);
		this.changes.incrementAndGet();
	}

	void record(RunContext.Outcome outcome, int count) {
		switch (outcome) {
			case READY -> this.ready.addAndGet(count);
			case FAILED -> this.failed.addAndGet(count);
			case RETRIED -> this.retried.addAndGet(count);
		}
		this.changes.incrementAndGet();
	}

	void removed(long bytes) {
		this.removedFiles.incrementAndGet();
		this.removedBytes.addAndGet(bytes);
		this.changes.incrementAndGet();
	}

	long removedFiles() {
		return this.removedFiles.get();
	}

	long removedBytes() {
		return this.removedBytes.get();
	}

	int claimed() {
		return this.claimed.get();
	}

	int ready() {
		return this.ready.get();
	}

	int failed() {
		return this.failed.get();
	}

	int retried() {
		return this.retried.get();
	}

	int changes() {
		return this.changes.get();
	}

}
