package dev.avatars.job;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * One kind of work the {@link JobEngine} runs: it claims due tasks under a lease, and each task then runs on the
 * engine's worker pool. The job's own table decides every claim, so runs may overlap in one process, in several,
 * on several hosts. Triggers name a job by {@link #name()}.
 */
public interface Job {

	/** Names the job in the API path, the CLI, the run history and the metrics. */
	String name();

	/** Once at the start of a run, before the first claim: housekeeping the whole run relies on. */
	default void prepare(Trigger trigger) {
	}

	/**
	 * Claims up to {@code limit} due tasks, oldest first, each under a lease for {@code run.owner()} lasting
	 * {@code run.lease()}. Fewer than {@code limit} means nothing more is due now.
	 */
	List<Task> claim(int limit, RunContext run);

	/** The heartbeat: extends every lease {@code owner} holds, so work outliving one lease is not taken over. */
	int renew(String owner, Duration lease);

	/** Hands back what {@code owner} claimed but did not finish (shutdown), due again at once. */
	int release(String owner);

	/** Items due now or in progress. */
	long backlog();

	/**
	 * What a run would do, up to {@code limit} items, each handed to {@code item} as it is found (the CLI's dry
	 * run prints them at once, so a long listing is never held in memory); changes nothing.
	 * @return how many items it handed over
	 */
	int preview(int limit, Consumer<String> item);

	/** One claimed piece of work. It records its outcome on the run, and handles its own failures. */
	interface Task {

		void run(RunContext run);

	}

}
