package dev.avatars.job;

/** What started a run. */
public enum Trigger {

	/** The in-app cron schedule. */
	SCHEDULE,
	/** A one-shot command such as {@code java -jar avatars.jar process-avatars}, typically from system cron. */
	CLI,
	/** {@code POST /api/jobs/{job}/runs}. */
	API,
	/** The catch-up run at start-up, when a scheduled run was missed. */
	STARTUP,
	/** An upload in this process asked for its avatar to be processed soon. */
	UPLOAD

}
