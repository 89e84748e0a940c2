package dev.avatars.avatar;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import dev.avatars.avatar.AvatarRepository.Claim;
import dev.avatars.durable.DurableCommits;
import dev.avatars.job.Job;
import dev.avatars.job.ProcessingProperties;
import dev.avatars.job.RunContext;
import dev.avatars.job.RunContext.Outcome;
import dev.avatars.job.Trigger;
import dev.avatars.thumbnail.Rendering;
import dev.avatars.thumbnail.Thumbnail;
import dev.avatars.thumbnail.Thumbnailer;
import dev.avatars.thumbnail.UndecodableImageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The thumbnail job: claims avatars whose current version has no thumbnails yet, renders them (square and round,
 * framed on a face unless the user chose a square), and records the outcome and the square kept. A file that cannot be decoded ends FAILED with the reason; anything else (I/O, memory) is retried with
 * a growing wait, up to {@code avatars.processing.max-attempts}.
 */
@Component
class ThumbnailJob implements Job {

	static final String NAME = "thumbnails";

	private static final Logger log = LoggerFactory.getLogger(ThumbnailJob.class);

	private final AvatarRepository avatars;

	private final AvatarStorage storage;

	private final Thumbnailer thumbnailer;

	private final ProcessingProperties properties;

	private final DurableCommits durable;

	ThumbnailJob(AvatarRepository avatars, AvatarStorage storage, Thumbnailer thumbnailer,
			ProcessingProperties properties, DurableCommits durable) {
		this.avatars = avatars;
		this.storage = storage;
		this.thumbnailer = thumbnailer;
		this.properties = properties;
		this.durable = durable;
	}

	@Override
	public String name() {
		return NAME;
	}

	/** Upload runs skip the sweep: they come often, and the schedule and the CLI sweep anyway. */
	@Override
	public void prepare(Trigger trigger) {
		if (trigger != Trigger.UPLOAD) {
			this.storage.sweepAbandonedUploads();
		}
	}

	@Override
	public List<Task> claim(int limit, RunContext run) {
		run.record(Outcome.FAILED, this.avatars.abandonExhausted(this.properties.maxAttempts()));
		return this.avatars.claimDue(limit, run.owner(), run.lease())
			.stream()
			.<Task>map((claim) -> (context) -> process(claim, context))
			.toList();
	}

	@Override
	public int renew(String owner, Duration lease) {
		return this.avatars.renew(owner, lease);
	}

	@Override
	public int release(String owner) {
		return this.avatars.release(owner);
	}

	@Override
	public long backlog() {
		return this.avatars.backlog().size();
	}

	@Override
	public int preview(int limit, Consumer<String> item) {
		List<Claim> due = this.avatars.findDue(limit);
		due.forEach((claim) -> item.accept("process user " + claim.userId() + " version " + claim.version()));
		return due.size();
	}

	private void process(Claim claimed, RunContext run) {
		long userId = claimed.userId();
		long version = claimed.version();
		try {
			Rendering rendering;
			try (AvatarStorage.LocalCopy original = this.storage.openOriginal(claimed.originalKey())) {
				rendering = this.thumbnailer.render(original.path(), claimed.crop(), true);
			}
			// The round ones beside the square ones, under the same version: they come and go together.
			for (Thumbnail thumbnail : rendering.squares()) {
				this.storage.writeThumbnail(userId, version, thumbnail);
			}
			for (Thumbnail thumbnail : rendering.circles()) {
				this.storage.writeThumbnail(userId, version, thumbnail);
			}
			this.storage.flushThumbnails(userId);
			if (this.avatars.complete(claimed, run.owner(), rendering.squares().get(0).format().extension(),
					rendering.framing())) {
				// The older version's files go only once no crash can bring back a row that serves them.
				this.durable.await();
				this.storage.deleteThumbnailsBefore(userId, version);
				run.record(Outcome.READY);
			}
			else {
				discardStale(userId, version);
			}
		}
		catch (UndecodableImageException ex) {
			fail(claimed, run, ex.getMessage(), null);
		}
		catch (StackOverflowError ex) {
			// Deterministic: the same file nests as deeply on every try.
			fail(claimed, run, "not a decodable image: its data nests too deeply to read", ex);
		}
		catch (IOException | RuntimeException | Error ex) {
			// Errors too (out of memory in a bounded allocation, a native library's): a worker must outlive any
			// one file. Memory may be free on the next try, so they are retried up to max-attempts.
			String reason = transientReason(ex);
			int attempts = claimed.attempts() + 1;
			if (attempts >= this.properties.maxAttempts()) {
				if (this.avatars.fail(claimed, run.owner(), "gave up after " + attempts + " attempts: " + reason)) {
					log.warn("Avatar of user {} (version {}) failed for good", userId, version, ex);
					run.record(Outcome.FAILED);
				}
			}
			else if (this.avatars.retryLater(claimed, run.owner(), reason, this.properties.backoff(attempts))) {
				log.warn("Avatar of user {} (version {}) will be retried: {}", userId, version, ex.toString());
				run.record(Outcome.RETRIED);
			}
		}
	}

	private void fail(Claim claimed, RunContext run, String reason, Throwable cause) {
		if (this.avatars.fail(claimed, run.owner(), reason)) {
			log.info("Avatar of user {} (version {}) failed: {}{}", claimed.userId(), claimed.version(), reason,
					(cause != null) ? " (" + cause.getClass().getSimpleName() + ")" : "");
			run.record(Outcome.FAILED);
		}
	}

	/** Shown to users: says what went wrong without paths or internals. */
	private static String transientReason(Throwable ex) {
		if (ex instanceof java.nio.file.NoSuchFileException) {
			return "the stored original is missing";
		}
		if (ex instanceof StorageUnavailableException) {
			return "the picture store could not be reached";
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
		this.avatars.versions(userId).ifPresentOrElse((versions) -> {
			if (!versions.uses(version)) {
				this.storage.deleteThumbnails(userId, version);
			}
		}, () -> this.storage.deleteAll(userId, null));
	}

}
