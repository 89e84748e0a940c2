package dev.avatars.avatar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.avatars.job.Job;
import dev.avatars.job.JobLeases;
import dev.avatars.job.RunContext;
import dev.avatars.job.RunContext.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The clean-up job: keeps the uploads folder to what some avatar uses. One pass is one task; one instance at a
 * time runs it, through a lease in the database, so clean-ups started together anywhere do the work once.
 */
@Component
class CleanupJob implements Job {

	static final String NAME = "cleanup";

	private static final Logger log = LoggerFactory.getLogger(CleanupJob.class);

	private final UploadsCleanup cleanup;

	private final JobLeases leases;

	CleanupJob(UploadsCleanup cleanup, JobLeases leases) {
		this.cleanup = cleanup;
		this.leases = leases;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public List<Task> claim(int limit, RunContext run) {
		if (limit < 1 || !this.leases.tryTake(NAME, run.owner(), run.lease())) {
			return List.of();
		}
		return List.of(this::sweep);
	}

	private void sweep(RunContext run) {
		try {
			UploadsCleanup.Outcome outcome = this.cleanup.run(false, (file) -> run.removed(file.bytes()));
			run.record(Outcome.READY);
			// Files that would not go (permissions, a busy share) make the run say so: the CLI exits 1.
			run.record(Outcome.FAILED, (int) Math.min(Integer.MAX_VALUE, outcome.couldNotRemove()));
		}
		catch (IOException | RuntimeException ex) {
			log.error("The clean-up could not finish; the next run goes on from scratch", ex);
			run.record(Outcome.FAILED);
		}
		finally {
			this.leases.release(NAME, run.owner());
		}
	}

	@Override
	public int renew(String owner, Duration lease) {
		return this.leases.renew(NAME, owner, lease);
	}

	@Override
	public int release(String owner) {
		return this.leases.release(NAME, owner);
	}

	/** Not known before a pass has walked the folder. */
	@Override
	public long backlog() {
		return 0;
	}

	@Override
	public int preview(int limit, Consumer<String> item) {
		AtomicInteger listed = new AtomicInteger();
		try {
			this.cleanup.run(true, (file) -> {
				if (listed.get() < limit) {
					listed.incrementAndGet();
					item.accept("remove " + file.name());
				}
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return listed.get();
	}

}
