package dev.avatars.avatar;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * @param type where originals and thumbnails live: {@code filesystem} (under {@code root}) or {@code s3}
 * @param root the files' folder on the filesystem; with {@code s3}, only the local scratch folder where uploads
 * are received and originals are fetched for the job. A relative path is resolved against {@code avatars.home}
 * @param s3 the bucket, with {@code type: s3}
 */
@ConfigurationProperties("avatars.storage")
record StorageProperties(Type type, Path root, S3 s3) {

	enum Type {

		FILESYSTEM, S3

	}

	/**
	 * Credentials are not settings: they come from the AWS SDK's usual chain (environment, system properties,
	 * profile, container or instance role).
	 * @param bucket the bucket, which must exist
	 * @param prefix put before every key ({@code avatars/}), to share a bucket; empty for none
	 * @param region the bucket's region; any name for most S3-compatible stores
	 * @param endpoint an S3-compatible store's URL ({@code http://minio:9000}); empty for Amazon S3
	 * @param pathStyle {@code http://host/bucket/key} instead of {@code http://bucket.host/key}, as MinIO and most
	 * self-hosted stores need
	 * @param multipartThreshold originals larger than this go up in parts, not one PUT
	 * @param partSize the size of each part but the last (S3 requires at least 5MB)
	 */
	record S3(String bucket, String prefix, String region, String endpoint, boolean pathStyle,
			DataSize multipartThreshold, DataSize partSize) {
	}

}
