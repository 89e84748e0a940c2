package dev.avatars.avatar;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Free space where uploads land, as the {@code storage} health component. Replaces Boot's disk-space
 * indicator, whose details name a file system path, and health details are public here.
 */
@Component("storage")
class StorageHealthIndicator implements HealthIndicator {

	/** Below this an upload of the largest accepted size might not fit, with room for its thumbnails. */
	private final long thresholdBytes;

	private final FileSystemAvatarStorage storage;

	StorageHealthIndicator(FileSystemAvatarStorage storage, UploadProperties limits) {
		this.storage = storage;
		this.thresholdBytes = 10 * limits.maxBytes().toBytes();
	}

	@Override
	public Health health() {
		try {
			FileStore store = Files.getFileStore(this.storage.root());
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
