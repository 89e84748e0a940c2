package dev.avatars.avatar;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.avatars.avatar.StoredFile.Kind;
import dev.avatars.thumbnail.Thumbnail;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Originals and thumbnails in an S3-compatible bucket, under the same names as on the filesystem:
 * {@code <prefix>originals/<uuid>.<ext>} and {@code <prefix>thumbnails/<userId>/v<version>-<size>.<ext>}. Every
 * instance and cron host reaches the same bucket, so nothing on disk is shared: uploads are received, and
 * originals are fetched for rendering, in a local scratch folder ({@link IncomingUploads} under
 * {@code avatars.storage.root}).
 *
 * <p>A PUT is atomic and durable once acknowledged: readers see the whole object or none, and a row may name it
 * as soon as the call returns. Objects under the prefix that this layout does not name are never visited, so
 * never deleted. A store that cannot be reached, or refuses, raises {@link StorageUnavailableException}: a 503
 * for a request, a retry with backoff for the thumbnail job.
 */
@Component
@ConditionalOnProperty(name = "avatars.storage.type", havingValue = "s3")
class S3AvatarStorage implements AvatarStorage {

	private static final Logger log = LoggerFactory.getLogger(S3AvatarStorage.class);

	private static final Pattern ORIGINAL = Pattern.compile("originals/([0-9a-f-]{36}\\.[a-z]+)");

	private static final Pattern THUMBNAIL = Pattern.compile("thumbnails/(\\d{1,18})/v(\\d+)-\\d+\\.(?:circle\\.)?[a-z]+");

	/** Multipart uploads older than this were cut off by a crash or a kill; their parts cost storage. */
	private static final Duration ABANDONED_AFTER = Duration.ofHours(1);

	/** DeleteObjects takes at most this many keys. */
	private static final int DELETE_BATCH = 1000;

	private final S3Client s3;

	private final String bucket;

	private final String prefix;

	private final long multipartThreshold;

	private final long partSize;

	private final IncomingUploads incoming;

	/** Keys per listing page: S3's most. Tests page through small listings with fewer. */
	int listPage = 1000;

	S3AvatarStorage(StorageProperties properties, @Value("${avatars.home}") Path home) {
		StorageProperties.S3 settings = properties.s3();
		if (settings == null || settings.bucket() == null || settings.bucket().isBlank()) {
			throw new IllegalStateException("avatars.storage.type is s3 but avatars.storage.s3.bucket is not set");
		}
		if (settings.partSize().toBytes() < 5 * 1024 * 1024) {
			throw new IllegalStateException("avatars.storage.s3.part-size must be at least 5MB (an S3 limit)");
		}
		this.bucket = settings.bucket();
		this.prefix = (settings.prefix() == null) ? "" : settings.prefix();
		this.multipartThreshold = settings.multipartThreshold().toBytes();
		this.partSize = settings.partSize().toBytes();
		this.s3 = client(settings);
		this.incoming = new IncomingUploads(home.resolve(properties.root()).toAbsolutePath().normalize()
			.resolve("incoming"));
		log.info("Storing avatars in bucket {}{}", this.bucket, this.prefix.isEmpty() ? "" : " under " + this.prefix);
		this.incoming.sweep();
	}

	private static S3Client client(StorageProperties.S3 settings) {
		S3ClientBuilder builder = S3Client.builder()
			.region(Region.of(settings.region()))
			// Environment, system properties, profile, container or instance role: never a setting of ours.
			.credentialsProvider(DefaultCredentialsProvider.builder().build())
			.httpClientBuilder(Apache5HttpClient.builder()
				.connectionTimeout(Duration.ofSeconds(5))
				.socketTimeout(Duration.ofSeconds(30)))
			.forcePathStyle(settings.pathStyle())
			// Checksums only where S3 demands them: several S3-compatible stores reject the SDK's newer default
			// (trailing CRC32 in aws-chunked bodies). Over HTTP the payload is signed; over HTTPS, TLS checks it.
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
		if (settings.endpoint() != null && !settings.endpoint().isBlank()) {
			builder.endpointOverride(URI.create(settings.endpoint()));
		}
		return builder.build();
	}

	@PreDestroy
	void close() throws IOException {
		this.s3.close();
		this.incoming.close();
	}

	/** Whether the bucket answers, for the health check. */
	void checkReachable() {
		call(() -> this.s3.headBucket((request) -> request.bucket(this.bucket)));
	}

	@Override
	public Path newIncomingFile() {
		return this.incoming.newFile();
	}

	@Override
	public String keepOriginal(Path incomingFile, ImageFormat format) throws IOException {
		String key = UUID.randomUUID() + "." + format.extension();
		String objectKey = this.prefix + "originals/" + key;
		long size = Files.size(incomingFile);
		if (size > this.multipartThreshold) {
			putInParts(objectKey, incomingFile, size);
		}
		else {
			call(() -> this.s3.putObject((request) -> request.bucket(this.bucket).key(objectKey),
					RequestBody.fromFile(incomingFile)));
		}
		return key;
	}

	private void putInParts(String objectKey, Path file, long size) {
		String upload = call(() -> this.s3.createMultipartUpload((request) -> request.bucket(this.bucket)
			.key(objectKey))).uploadId();
		try {
			List<CompletedPart> parts = new ArrayList<>();
			int number = 1;
			for (long offset = 0; offset < size; offset += this.partSize, number++) {
				long from = offset;
				long length = Math.min(this.partSize, size - offset);
				int part = number;
				String etag = call(() -> this.s3.uploadPart((request) -> request.bucket(this.bucket)
					.key(objectKey)
					.uploadId(upload)
					.partNumber(part)
					.contentLength(length), RequestBody.fromContentProvider(() -> slice(file, from, length), length,
							"application/octet-stream")))
					.eTag();
				parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
			}
			call(() -> this.s3.completeMultipartUpload((request) -> request.bucket(this.bucket)
				.key(objectKey)
				.uploadId(upload)
				.multipartUpload((whole) -> whole.parts(parts))));
		}
		catch (RuntimeException ex) {
			try {
				this.s3.abortMultipartUpload((request) -> request.bucket(this.bucket).key(objectKey).uploadId(upload));
			}
			catch (SdkException abort) {
				ex.addSuppressed(abort); // the sweep aborts it later
			}
			throw ex;
		}
	}

	/** {@code length} bytes of the file from {@code from}, streamed: a part is never held in memory. */
	private static InputStream slice(Path file, long from, long length) {
		try {
			FileChannel channel = FileChannel.open(file, StandardOpenOption.READ).position(from);
			return new FilterInputStream(Channels.newInputStream(channel)) {

				private long left = length;

				@Override
				public int read() throws IOException {
					if (this.left <= 0) {
						return -1;
					}
					int b = super.read();
					if (b >= 0) {
						this.left--;
					}
					return b;
				}

				@Override
				public int read(byte[] buffer, int offset, int count) throws IOException {
					if (this.left <= 0) {
						return -1;
					}
					int n = super.read(buffer, offset, (int) Math.min(count, this.left));
					if (n > 0) {
						this.left -= n;
					}
					return n;
				}

			};
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	/**
	 * Deletes the local folders of processes that are gone, and aborts multipart uploads that a crash or a kill
	 * cut off long ago.
	 */
	@Override
	public void sweepAbandonedUploads() {
		this.incoming.sweep();
		Instant cutoff = Instant.now().minus(ABANDONED_AFTER);
		try {
			this.s3.listMultipartUploadsPaginator((request) -> request.bucket(this.bucket)
				.prefix(this.prefix + "originals/"))
				.uploads()
				.stream()
				.filter((upload) -> upload.initiated() != null && upload.initiated().isBefore(cutoff))
				.forEach((upload) -> this.s3.abortMultipartUpload((request) -> request.bucket(this.bucket)
					.key(upload.key())
					.uploadId(upload.uploadId())));
		}
		catch (SdkException ex) {
			log.warn("Could not sweep the bucket's unfinished uploads: {}", ex.toString());
		}
	}

	@Override
	public LocalCopy openOriginal(String key) throws IOException {
		String objectKey = this.prefix + "originals/" + checkedKey(key);
		Path copy = this.incoming.newFile();
		try (ResponseInputStream<GetObjectResponse> in = call(
				() -> this.s3.getObject((request) -> request.bucket(this.bucket).key(objectKey)))) {
			Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (NotFound ex) {
			throw new NoSuchFileException("originals/" + key);
		}
		catch (IOException | RuntimeException ex) {
			Files.deleteIfExists(copy);
			throw ex;
		}
		return new LocalCopy() {

			@Override
			public Path path() {
				return copy;
			}

			@Override
			public void close() throws IOException {
				Files.deleteIfExists(copy);
			}

		};
	}

	private static String checkedKey(String key) {
		if (!ORIGINAL.matcher("originals/" + key).matches()) {
			throw new IllegalArgumentException("Not an original's key: " + key);
		}
		return key;
	}

	@Override
	public void deleteOriginal(String key) {
		deleteQuietly(List.of(this.prefix + "originals/" + checkedKey(key)));
	}

	@Override
	public void writeThumbnail(long userId, long version, Thumbnail thumbnail) {
		String objectKey = thumbnailKey(userId, version, thumbnail.size(), thumbnail.format().extension());
		call(() -> this.s3.putObject((request) -> request.bucket(this.bucket)
			.key(objectKey)
			.contentType(thumbnail.format().mediaType()), RequestBody.fromBytes(thumbnail.bytes())));
	}

	/** Nothing to do: each PUT was durable when it returned. */
	@Override
	public void flushThumbnails(long userId) {
	}

	@Override
	public Optional<byte[]> readThumbnail(long userId, long version, int size, String extension) {
		String objectKey = thumbnailKey(userId, version, size, extension);
		try {
			return Optional.of(call(() -> this.s3.getObjectAsBytes((request) -> request.bucket(this.bucket)
				.key(objectKey))).asByteArray());
		}
		catch (NotFound ex) {
			return Optional.empty();
		}
	}

	private String thumbnailKey(long userId, long version, int size, String extension) {
		return userThumbnails(userId) + "v" + version + "-" + size + "." + extension;
	}

	private String userThumbnails(long userId) {
		return this.prefix + "thumbnails/" + userId + "/";
	}

	@Override
	public void deleteThumbnails(long userId, long version) {
		deleteThumbnailsWhere(userId, (v) -> v == version);
	}

	@Override
	public void deleteThumbnailsBefore(long userId, long version) {
		deleteThumbnailsWhere(userId, (v) -> v < version);
	}

	@Override
	public void deleteAll(long userId, String originalKey) {
		if (originalKey != null) {
			deleteOriginal(originalKey);
		}
		deleteThumbnailsWhere(userId, (v) -> true);
	}

	private void deleteThumbnailsWhere(long userId, LongPredicate versionMatches) {
		try {
			List<String> keys = new ArrayList<>();
			for (S3Object object : this.s3
				.listObjectsV2Paginator((request) -> request.bucket(this.bucket).prefix(userThumbnails(userId)))
				.contents()) {
				Matcher name = THUMBNAIL.matcher(object.key().substring(this.prefix.length()));
				if (name.matches() && versionMatches.test(Long.parseLong(name.group(2)))) {
					keys.add(object.key());
				}
			}
			deleteQuietly(keys);
		}
		catch (SdkException ex) {
			// A leftover costs storage, never correctness; the clean-up finds it later.
			log.warn("Could not clean the thumbnails of user {}: {}", userId, ex.toString());
		}
	}

	private void deleteQuietly(List<String> keys) {
		for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
			List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH))
				.stream()
				.map((key) -> ObjectIdentifier.builder().key(key).build())
				.toList();
			try {
				if (batch.size() == 1) {
					this.s3.deleteObject((request) -> request.bucket(this.bucket).key(batch.get(0).key()));
				}
				else {
					this.s3.deleteObjects((request) -> request.bucket(this.bucket)
						.delete((delete) -> delete.objects(batch).quiet(true)));
				}
			}
			catch (SdkException ex) {
				log.warn("Could not delete {} object(s) such as {}: {}", batch.size(), batch.get(0).key(),
						ex.toString());
			}
		}
	}

	/**
	 * Lists the bucket a page ({@link #listPage} keys) at a time: the next page is fetched only when the visitor is
	 * done with this one, so memory stays bounded however many objects there are.
	 */
	@Override
	public void visitAll(Consumer<StoredFile> visitor) {
		call(() -> {
			for (S3Object object : this.s3
				.listObjectsV2Paginator((request) -> request.bucket(this.bucket)
					.prefix(this.prefix)
					.maxKeys(this.listPage))
				.contents()) {
				String name = object.key().substring(this.prefix.length());
				Matcher original = ORIGINAL.matcher(name);
				Matcher thumbnail = THUMBNAIL.matcher(name);
				if (original.matches()) {
					visitor.accept(new StoredFile(Kind.ORIGINAL, name, original.group(1), -1, -1, object.size(),
							object.lastModified()));
				}
				else if (thumbnail.matches()) {
					visitor.accept(new StoredFile(Kind.THUMBNAIL, name, null, Long.parseLong(thumbnail.group(1)),
							Long.parseLong(thumbnail.group(2)), object.size(), object.lastModified()));
				}
			}
			return null;
		});
	}

	@Override
	public long delete(StoredFile file) throws IOException {
		if (!ORIGINAL.matcher(file.name()).matches() && !THUMBNAIL.matcher(file.name()).matches()) {
			throw new IllegalArgumentException("Not a stored file: " + file.name());
		}
		String objectKey = this.prefix + file.name();
		try {
			long bytes = call(() -> this.s3.headObject((request) -> request.bucket(this.bucket).key(objectKey)))
				.contentLength();
			call(() -> this.s3.deleteObject((request) -> request.bucket(this.bucket).key(objectKey)));
			return bytes;
		}
		catch (NotFound ex) {
			return 0;
		}
		catch (StorageUnavailableException ex) {
			// One object that would not go is counted, and the pass goes on (as for a file on disk).
			throw new IOException("could not delete " + file.name(), ex.getCause());
		}
	}

	/**
	 * One request: a missing object becomes {@link NotFound}, anything else the store or the network says
	 * becomes {@link StorageUnavailableException}. The SDK has retried by then, with backoff.
	 */
	private static <T> T call(Supplier<T> request) {
		try {
			return request.get();
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(ex))) {
				throw new NotFound();
			}
			log.warn("The object store refused a request: {}", ex.toString());
			throw new StorageUnavailableException(ex);
		}
		catch (SdkException ex) {
			log.warn("The object store cannot be reached: {}", ex.toString());
			throw new StorageUnavailableException(ex);
		}
	}

	private static String errorCode(S3Exception ex) {
		return (ex.awsErrorDetails() != null) ? ex.awsErrorDetails().errorCode() : null;
	}

	/** No such object: an answer, not a failure. */
	private static final class NotFound extends RuntimeException {

		NotFound() {
			super(null, null, false, false);
		}

	}

}
