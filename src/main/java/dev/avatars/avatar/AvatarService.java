package dev.avatars.avatar;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

import dev.avatars.durable.DurableCommits;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** What the rest of the app needs of a user's avatar: its lifecycle and how it looks in the API. */
@Service
public class AvatarService {

	private final AvatarStore store;

	private final AvatarStorage storage;

	private final DurableCommits durable;

	AvatarService(AvatarStore store, AvatarStorage storage, DurableCommits durable) {
		this.store = store;
		this.durable = durable;
		this.storage = storage;
	}

	/** Called in the transaction that creates the user. */
	public void createFor(long userId) {
		this.store.create(userId);
	}

	/**
	 * Called in the transaction that deletes the user (the row goes with it by cascade); the files go once that
	 * transaction has committed, so a rollback never leaves a user without their files. The row lock makes an
	 * upload in flight either finish first (and its file is the one deleted) or find no user.
	 */
	public void deleteFilesOnCommit(long userId) {
		String originalKey = this.store.lockOriginalKey(userId).orElse(null);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				// A crash must not bring the user back without their files.
				AvatarService.this.durable.await();
				AvatarService.this.storage.deleteAll(userId, originalKey);
			}
		});
	}

	public AvatarView view(long userId) {
		return this.store.find(userId).map(AvatarService::toView).orElseGet(() -> none(userId));
	}

	public Map<Long, AvatarView> views(Collection<Long> userIds) {
		return this.store.findAll(userIds)
			.stream()
			.collect(Collectors.toMap(AvatarRow::userId, AvatarService::toView));
	}

	public static AvatarView none(long userId) {
		return new AvatarView(AvatarStatus.NONE, null, null, thumbnailUrl(userId, null), null);
	}

	private static AvatarView toView(AvatarRow row) {
		return new AvatarView(row.status(), row.uploadedAt(), row.processedAt(),
				thumbnailUrl(row.userId(), row.readyVersion()), row.error());
	}

	/**
	 * Versioned once thumbnails exist, so the URL changes exactly when the picture does and may be cached for
	 * good; unversioned (a placeholder, briefly cached) before that.
	 */
	static String thumbnailUrl(long userId, Long readyVersion) {
		String url = "/api/users/" + userId + "/avatar/thumbnail";
		return (readyVersion != null) ? url + "?v=" + readyVersion : url;
	}

}
