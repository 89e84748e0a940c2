package dev.avatars.avatar;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import dev.avatars.S3Server;
import dev.avatars.avatar.StoredFile.Kind;
import dev.avatars.thumbnail.Thumbnail;
import dev.avatars.thumbnail.Thumbnail.OutputFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every storage must do, run against the filesystem and against a real S3-compatible server: store, read,
 * overwrite, delete, list. The S3 one keeps its keys under a prefix, next to an object of someone else's that it
 * must never list or delete.
 */
class StorageContractTests {

	private static final String BUCKET = "contract";

	private static S3Server server;

	@TempDir
	Path home;

	private final List<AutoCloseable> opened = new ArrayList<>();

	@BeforeAll
	static void startServer() throws Exception {
		server = S3Server.start();
		S3Server.useAsDefaultCredentials();
		server.createBucket(BUCKET);
	}

	@AfterAll
	static void stopServer() throws Exception {
		server.close();
	}

	@AfterEach
	void closeStorages() throws Exception {
		for (AutoCloseable storage : this.opened) {
			storage.close(); // the clients, before the server stops
		}
		server.empty(BUCKET);
	}

	static Stream<Arguments> storages() {
		return Stream.of(Arguments.of("filesystem"), Arguments.of("s3"));
	}

	private AvatarStorage storage(String type) {
		if (type.equals("filesystem")) {
			FileSystemAvatarStorage storage = new FileSystemAvatarStorage(
					new StorageProperties(StorageProperties.Type.FILESYSTEM, Path.of("uploads"), null), this.home);
			this.opened.add(storage::close);
			return storage;
		}
		server.client().putObject((request) -> request.bucket(BUCKET).key("not-ours.txt"),
				software.amazon.awssdk.core.sync.RequestBody.fromString("someone else's"));
		S3AvatarStorage storage = new S3AvatarStorage(new StorageProperties(StorageProperties.Type.S3,
				Path.of("scratch"), new StorageProperties.S3(BUCKET, "avatars/", S3Server.REGION,
						server.endpoint().toString(), true, DataSize.ofMegabytes(5), DataSize.ofMegabytes(5))),
				this.home);
		this.opened.add(storage::close);
		return storage;
	}

	private Path incoming(AvatarStorage storage, byte[] content) throws Exception {
		Path file = storage.newIncomingFile();
		Files.createDirectories(file.getParent());
		Files.write(file, content);
		return file;
	}

	private static byte[] read(AvatarStorage storage, String key) throws Exception {
		try (AvatarStorage.LocalCopy copy = storage.openOriginal(key)) {
			return Files.readAllBytes(copy.path());
		}
	}

	@ParameterizedTest
	@MethodSource("storages")
	void storesAndReadsOriginalsAndTheLocalCopyGoesWhenClosed(String type) throws Exception {
		AvatarStorage storage = storage(type);
		Path incoming = incoming(storage, new byte[] { 1, 2, 3 });

		String key = storage.keepOriginal(incoming, ImageFormat.PNG);
		Files.deleteIfExists(incoming); // as the upload does

		assertThat(key).matches("[0-9a-f-]{36}\\.png");
		Path local;
		try (AvatarStorage.LocalCopy copy = storage.openOriginal(key)) {
			local = copy.path();
			assertThat(local).hasBinaryContent(new byte[] { 1, 2, 3 });
		}
		if (type.equals("s3")) {
			assertThat(local).doesNotExist();
			assertThat(server.keys(BUCKET, "avatars/")).containsExactly("avatars/originals/" + key);
		}
		assertThatThrownBy(() -> storage.openOriginal("00000000-0000-0000-0000-000000000000.png"))
			.isInstanceOf(NoSuchFileException.class);
		assertThatThrownBy(() -> storage.openOriginal("../escape.png")).isInstanceOf(IllegalArgumentException.class);
	}

	@ParameterizedTest
	@MethodSource("storages")
	void aLargeOriginalGoesUpInPartsAndComesBackWhole(String type) throws Exception {
		AvatarStorage storage = storage(type);
		byte[] content = new byte[12 * 1024 * 1024 + 17]; // three parts of 5 MB, the last short
		new Random(20).nextBytes(content);

		String key = storage.keepOriginal(incoming(storage, content), ImageFormat.JPEG);

		assertThat(read(storage, key)).isEqualTo(content);
	}

	@ParameterizedTest
	@MethodSource("storages")
	void writesOverwritesAndReadsThumbnails(String type) throws Exception {
		AvatarStorage storage = storage(type);
		storage.writeThumbnail(7, 1, new Thumbnail(64, OutputFormat.JPEG, new byte[] { 1 }));
		storage.writeThumbnail(7, 1, new Thumbnail(64, OutputFormat.JPEG, new byte[] { 2, 2 }));
		storage.flushThumbnails(7);

		assertThat(storage.readThumbnail(7, 1, 64, "jpg")).hasValueSatisfying(
				(bytes) -> assertThat(bytes).containsExactly(2, 2));
		assertThat(storage.readThumbnail(7, 1, 64, "png")).isEmpty();
		assertThat(storage.readThumbnail(7, 2, 64, "jpg")).isEmpty();
		assertThat(storage.readThumbnail(8, 1, 64, "jpg")).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("storages")
	void deletesByVersionByUserAndByKey(String type) throws Exception {
		AvatarStorage storage = storage(type);
		String kept = storage.keepOriginal(incoming(storage, new byte[] { 9 }), ImageFormat.GIF);
		String gone = storage.keepOriginal(incoming(storage, new byte[] { 8 }), ImageFormat.GIF);
		for (long version = 1; version <= 3; version++) {
			storage.writeThumbnail(7, version, new Thumbnail(64, OutputFormat.PNG, new byte[] { 1 }));
			storage.writeThumbnail(7, version, new Thumbnail(128, OutputFormat.PNG, new byte[] { 1 }));
		}
		storage.writeThumbnail(8, 1, new Thumbnail(64, OutputFormat.PNG, new byte[] { 1 }));

		storage.deleteOriginal(gone);
		storage.deleteOriginal(gone); // gone already: no error
		storage.deleteThumbnails(7, 2);
		assertThat(storage.readThumbnail(7, 1, 64, "png")).isPresent();
		assertThat(storage.readThumbnail(7, 2, 128, "png")).isEmpty();
		storage.deleteThumbnailsBefore(7, 3);
		assertThat(storage.readThumbnail(7, 1, 64, "png")).isEmpty();
		assertThat(storage.readThumbnail(7, 3, 128, "png")).isPresent();
		assertThatThrownBy(() -> storage.openOriginal(gone)).isInstanceOf(NoSuchFileException.class);

		storage.deleteAll(8, kept);

		assertThat(storage.readThumbnail(8, 1, 64, "png")).isEmpty();
		assertThat(storage.readThumbnail(7, 3, 64, "png")).as("another user's").isPresent();
		assertThatThrownBy(() -> storage.openOriginal(kept)).isInstanceOf(NoSuchFileException.class);
	}

	@ParameterizedTest
	@MethodSource("storages")
	void listsEveryFileOnceWithWhatTheCleanUpNeedsAndDeletesWhatItListed(String type) throws Exception {
		AvatarStorage storage = storage(type);
		String key = storage.keepOriginal(incoming(storage, new byte[] { 1, 2, 3, 4 }), ImageFormat.WEBP);
		storage.writeThumbnail(42, 5, new Thumbnail(64, OutputFormat.JPEG, new byte[] { 1, 2 }));
		storage.writeThumbnail(42, 5, new Thumbnail(128, OutputFormat.JPEG, new byte[] { 1, 2, 3 }));

		List<StoredFile> listed = new ArrayList<>();
		storage.visitAll(listed::add);

		assertThat(listed).extracting(StoredFile::kind, StoredFile::name, StoredFile::key, StoredFile::userId,
				StoredFile::version, StoredFile::bytes)
			.containsExactlyInAnyOrder(
					org.assertj.core.groups.Tuple.tuple(Kind.ORIGINAL, "originals/" + key, key, -1L, -1L, 4L),
					org.assertj.core.groups.Tuple.tuple(Kind.THUMBNAIL, "thumbnails/42/v5-64.jpg", null, 42L, 5L, 2L),
					org.assertj.core.groups.Tuple.tuple(Kind.THUMBNAIL, "thumbnails/42/v5-128.jpg", null, 42L, 5L, 3L));
		assertThat(listed).allSatisfy((file) -> assertThat(file.modified()).isNotNull());

		for (StoredFile file : listed) {
			assertThat(storage.delete(file)).isEqualTo(file.bytes());
			assertThat(storage.delete(file)).as("gone already").isZero();
		}
		List<StoredFile> after = new ArrayList<>();
		storage.visitAll(after::add);
		assertThat(after).isEmpty();
		if (type.equals("s3")) {
			assertThat(server.keys(BUCKET, "")).as("outside the prefix, untouched").containsExactly("not-ours.txt");
		}
	}

	/** The bucket's listing comes in pages; a folder's has none. */
	@org.junit.jupiter.api.Test
	void listsMoreThanOnePageOfObjects() throws Exception {
		S3AvatarStorage storage = (S3AvatarStorage) storage("s3");
		storage.listPage = 10;
		int count = 35;
		for (int user = 0; user < count; user++) {
			storage.writeThumbnail(user, 1, new Thumbnail(16, OutputFormat.PNG, new byte[] { 1 }));
		}

		List<Long> users = new ArrayList<>();
		storage.visitAll((file) -> users.add(file.userId()));

		assertThat(users).as("all four pages").hasSize(count).doesNotHaveDuplicates();
	}

}
