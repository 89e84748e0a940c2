package dev.avatars.job;

import java.time.Duration;

/** What a job's claims and tasks see of the run they belong to. */
public interface RunContext {

	/** The lease owner: this run, on this host and process. */
	String owner();

	Duration lease();

	/** Counts {@code count} items of the run as ending with {@code outcome}. */
	void record(Outcome outcome, int count);

	default void record(Outcome outcome) {
		record(outcome, 1);
	}

	/** Counts one file of {@code bytes} the run removed. */
	void removed(long bytes);

	/** How one item of a run ended. */
	enum Outcome {

		/** Done. */
		READY,
		/** Given up on for good. */
		FAILED,
		/** Put back for a later run. */
		RETRIED

	}

}
