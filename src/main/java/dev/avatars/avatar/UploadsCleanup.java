package dev.avatars.avatar;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

import dev.avatars.avatar.AvatarRepository.KeptOriginal;
import dev.avatars.avatar.AvatarRepository.Versions;
import dev.avatars.durable.DurableCommits;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Decides what in the storage no avatar uses, and removes it (or, in a dry run, only says so). Files are looked
 * up in batches, so memory stays bounded however many there are. A file goes only once it has been unchanged for
 * the grace period: what an upload or a thumbnail run wrote but has not yet committed a row for is safe.
 */
@Component
class UploadsCleanup {

	private static final Logger log = LoggerFactory.getLogger(UploadsCleanup.class);

	private static final int BATCH = 500;

	private final AvatarRepository avatars;

	private final AvatarStorage storage;

	private final CleanupProperties properties;

	private final DurableCommits durable;

	UploadsCleanup(AvatarRepository avatars, AvatarStorage storage, CleanupProperties properties,
			DurableCommits durable) {
		this.avatars = avatars;
		this.storage = storage;
		this.properties = properties;
		this.durable = durable;
	}

	/** What one pass found. {@code removed} sees each file removed (or that a dry run would remove). */
	record Outcome(long removed, long couldNotRemove) {
	}

	Outcome run(boolean dryRun, Consumer<StoredFile> removed) throws IOException {
		Pass pass = new Pass(dryRun, removed, Instant.now());
		pass.originalsNoLongerKept(AvatarStatus.FAILED, this.properties.failedRetention());
		if (!this.properties.keepOriginals()) {
			pass.originalsNoLongerKept(AvatarStatus.READY, this.properties.grace());
		}
		this.storage.visitAll(pass::visit);
		pass.flush();
		return new Outcome(pass.removed, pass.couldNotRemove);
	}

	/** One clean-up's state: the batches waiting for a lookup and the counts. */
	private final class Pass {

		private final boolean dryRun;

		private final Consumer<StoredFile> removedFile;

		private final Instant unchangedSince;

		private final Instant abandonedBefore;

		private final List<StoredFile> originals = new ArrayList<>();

		private final List<StoredFile> thumbnails = new ArrayList<>();

		long removed;

		long couldNotRemove;

		Pass(boolean dryRun, Consumer<StoredFile> removedFile, Instant now) {
			this.dryRun = dryRun;
			this.removedFile = removedFile;
			this.unchangedSince = now.minus(UploadsCleanup.this.properties.grace());
			this.abandonedBefore = now.minus(UploadsCleanup.this.properties.incomingGrace());
		}

		/**
		 * The originals of avatars that stayed in {@code status} longer than {@code age}: the row stops naming the
		 * file (and says so) before it goes, so nothing can serve or process a missing original.
		 */
		void originalsNoLongerKept(AvatarStatus status, Duration age) {
			long after = Long.MIN_VALUE;
			List<KeptOriginal> page;
			do {
				page = UploadsCleanup.this.avatars.originalsOlderThan(status, age, after, BATCH);
				for (KeptOriginal original : page) {
					after = original.userId();
					StoredFile file = new StoredFile(StoredFile.Kind.ORIGINAL, "originals/" + original.key(),
							original.key(), original.userId(), original.version(), 0, null);
					if (this.dryRun) {
						this.removedFile.accept(file);
						this.removed++;
					}
					else if (UploadsCleanup.this.avatars.forgetOriginal(original, status)) {
						// The row must not come back naming a file that is gone.
						UploadsCleanup.this.durable.await();
						remove(file);
					}
				}
			}
			while (page.size() == BATCH);
		}

		void visit(StoredFile file) {
			if (file.kind() == StoredFile.Kind.TEMPORARY) {
				if (file.modified().isBefore(this.abandonedBefore)) {
					remove(file);
				}
				return;
			}
			if (!file.modified().isBefore(this.unchangedSince)) {
				return; // too recent to judge: it may belong to work in flight
			}
			List<StoredFile> batch = (file.kind() == StoredFile.Kind.ORIGINAL) ? this.originals : this.thumbnails;
			batch.add(file);
			if (batch.size() >= BATCH) {
				flush();
			}
		}

		void flush() {
			if (!this.originals.isEmpty()) {
				Set<String> used = UploadsCleanup.this.avatars
					.referencedOriginals(this.originals.stream().map(StoredFile::key).toList());
				removeAll(this.originals, (file) -> !used.contains(file.key()));
			}
			if (!this.thumbnails.isEmpty()) {
				Map<Long, Versions> kept = UploadsCleanup.this.avatars
					.versions(this.thumbnails.stream().map(StoredFile::userId).distinct().toList());
				removeAll(this.thumbnails, (file) -> {
					Versions versions = kept.get(file.userId());
					return versions == null || !versions.uses(file.version());
				});
			}
		}

		private void removeAll(List<StoredFile> batch, Predicate<StoredFile> unused) {
			for (StoredFile file : batch) {
				if (unused.test(file)) {
					remove(file);
				}
			}
			batch.clear();
		}

		private void remove(StoredFile file) {
			if (this.dryRun) {
				this.removedFile.accept(file);
				this.removed++;
				return;
			}
			try {
				long bytes = UploadsCleanup.this.storage.delete(file);
				this.removedFile.accept(new StoredFile(file.kind(), file.name(), file.key(), file.userId(),
						file.version(), bytes, file.modified()));
				this.removed++;
			}
			catch (IOException ex) {
				log.warn("Could not remove {}: {}", file.name(), ex.toString());
				this.couldNotRemove++;
			}
		}

	}

}
