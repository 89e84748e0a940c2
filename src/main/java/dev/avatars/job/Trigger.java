package dev.avatars.job;

/** What started a run of the thumbnail job. */
public enum Trigger {

	/** The in-app cron schedule. */
	SCHEDULE,
	/** {@code java -jar avatars.jar process-avatars}, typically from system cron. */
	CLI,
	/** {@code POST /api/jobs/thumbnails/runs}. */
	API,
	/** The catch-up run at start-up, when a scheduled run was missed. */
	STARTUP

}
