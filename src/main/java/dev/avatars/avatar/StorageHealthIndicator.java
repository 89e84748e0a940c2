package dev.avatars.avatar;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * The {@code storage} health component. On the filesystem: free space where uploads land (it replaces Boot's
 * disk-space indicator, whose details name a file system path, and health details are public here). On an object
 * store: whether the bucket answers; its name, the endpoint and the credentials stay out of the details.
 */
@Component("storage")
class StorageHealthIndicator implements HealthIndicator {

	/** Below this an upload of the largest accepted size might not fit, with room for its thumbnails. */
	private final long thresholdBytes;

	private final AvatarStorage storage;

	StorageHealthIndicator(AvatarStorage storage, UploadProperties limits) {
		this.storage = storage;
		this.thresholdBytes = 10 * limits.maxBytes().toBytes();
	}

	@Override
	public Health health() {
		if (this.storage instanceof S3AvatarStorage bucket) {
			return bucket(bucket);
		}
		if (this.storage instanceof FileSystemAvatarStorage folder) {
			return disk(folder);
		}
		return Health.unknown().build();
	}

	private static Health bucket(S3AvatarStorage bucket) {
		try {
			bucket.checkReachable();
			return Health.up().withDetail("type", "s3").build();
		}
		catch (RuntimeException ex) {
			return Health.down().withDetail("type", "s3").withDetail("error", "cannot reach the bucket").build();
		}
	}

	private Health disk(FileSystemAvatarStorage folder) {
		try {
			FileStore store = Files.getFileStore(folder.root());
			long free = store.getUsableSpace();
			return ((free >= this.thresholdBytes) ? Health.up() : Health.down())
				.withDetail("free", DataSize.ofBytes(free).toMegabytes() + " MB")
				.withDetail("total", DataSize.ofBytes(store.getTotalSpace()).toMegabytes() + " MB")
				.withDetail("threshold", DataSize.ofBytes(this.thresholdBytes).toMegabytes() + " MB")
				.build();
		}
		catch (IOException ex) {
			return Health.down().withDetail("error", "cannot read the storage's file system").build();
		}
	}

}
