package dev.avatars.avatar;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.avatars.durable.DurableCommits;
import dev.avatars.user.ProfilePictures;
import dev.avatars.user.UserCreated;
import dev.avatars.user.UserDeleting;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** A user's avatar through the user's lifecycle, and how it looks in the API. */
@Service
class AvatarService implements ProfilePictures {

	private final AvatarRepository avatars;

	private final AvatarStorage storage;

	private final DurableCommits durable;

	AvatarService(AvatarRepository avatars, AvatarStorage storage, DurableCommits durable) {
		this.avatars = avatars;
		this.durable = durable;
		this.storage = storage;
	}

	/** In the transaction that creates the user. */
	@EventListener
	void create(UserCreated event) {
		this.avatars.create(event.userId());
	}

	/**
	 * In the transaction that deletes the user (the row goes with it by cascade); the files go once that
	 * transaction has committed, so a rollback never leaves a user without their files. The row lock makes an
	 * upload in flight either finish first (and its file is the one deleted) or find no user.
	 */
	@EventListener
	void deleteFilesOnCommit(UserDeleting event) {
		long userId = event.userId();
		String originalKey = this.avatars.lockOriginalKey(userId).orElse(null);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				// A crash must not bring the user back without their files.
				AvatarService.this.durable.await();
				AvatarService.this.storage.deleteAll(userId, originalKey);
			}
		});
	}

	/**
	 * Removes the user's picture: a placeholder at once; the original and thumbnails go once that has committed
	 * (durably: a crash must not bring back an avatar whose files are gone).
	 * @throws NoSuchUserException when there is no such user
	 */
	@Transactional
	void remove(long userId) {
		String originalKey;
		try {
			originalKey = this.avatars.clear(userId).orElse(null);
		}
		catch (AvatarRepository.MissingAvatarRowException ex) {
			throw new NoSuchUserException(userId);
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				AvatarService.this.durable.await();
				AvatarService.this.storage.deleteAll(userId, originalKey);
			}
		});
	}

	AvatarView view(long userId) {
		return find(userId).orElseGet(() -> none(userId));
	}

	/** Empty when there is no such user. */
	Optional<AvatarView> find(long userId) {
		return this.avatars.find(userId).map(AvatarService::toView);
	}

	@Override
	public String thumbnailUrl(long userId) {
		return view(userId).thumbnailUrl();
	}

	@Override
	public Map<Long, String> thumbnailUrls(Collection<Long> userIds) {
		Map<Long, AvatarView> views = this.avatars.findAll(userIds)
			.stream()
			.collect(Collectors.toMap(AvatarRow::userId, AvatarService::toView));
		return userIds.stream()
			.distinct()
			.collect(Collectors.toMap(Function.identity(),
					(id) -> views.getOrDefault(id, none(id)).thumbnailUrl()));
	}

	private static AvatarView none(long userId) {
		return new AvatarView(AvatarStatus.NONE, null, null, thumbnailUrl(userId, null), null, null);
	}

	private static AvatarView toView(AvatarRow row) {
		return new AvatarView(row.status(), row.uploadedAt(), row.processedAt(),
				thumbnailUrl(row.userId(), row.readyVersion()), row.error(),
				(row.readyVersion() != null) ? row.framing() : null);
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
