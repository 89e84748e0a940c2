package dev.avatars.avatar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.avatars.avatar.StoredFile.Kind;
import dev.avatars.durable.GroupSync;
import dev.avatars.thumbnail.Thumbnail;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * Layout under the root: {@code originals/<uuid>.<ext>} (private, never served),
 * {@code thumbnails/<userId>/...}, and {@code incoming/<process>/}, where this process's uploads are received, so
 * keeping one is a rename.
 *
 * <p>Durability: a kept original and a written thumbnail are forced to disk, and so is the folder entry that
 * names them, before any row can point at them. Folder entries of concurrent uploads share one fsync.
 *
 * <p>Each process receives into a folder of its own under {@code incoming/} ({@link IncomingUploads}), swept
 * when its process is gone.
 */
@Component
@ConditionalOnProperty(name = "avatars.storage.type", havingValue = "filesystem", matchIfMissing = true)
class FileSystemAvatarStorage implements AvatarStorage {

	private static final Logger log = LoggerFactory.getLogger(FileSystemAvatarStorage.class);

	private static final String TEMP_SUFFIX = IncomingUploads.TEMP_SUFFIX;

	/** {@code v<version>-<size>.<ext>}: the version in the name keeps a stale result apart from a current one. */
	private static final Pattern THUMBNAIL_NAME = Pattern.compile("v(\\d+)-\\d+\\.(?:circle\\.)?[a-z]+");

	/** Temporary files of the layout before {@code incoming/}: older ones are left over from a crash. */
	private static final Duration ABANDONED_AFTER = Duration.ofHours(1);

	private final Path root;

	private final Path originals;

	private final Path thumbnails;

	private final IncomingUploads incoming;

	private final GroupSync originalsEntries;

	FileSystemAvatarStorage(StorageProperties properties, @Value("${avatars.home}") Path home) {
		this.root = home.resolve(properties.root()).toAbsolutePath().normalize();
		this.originals = this.root.resolve("originals");
		this.thumbnails = this.root.resolve("thumbnails");
		try {
			Files.createDirectories(this.originals);
			Files.createDirectories(this.thumbnails);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the storage folders under " + this.root, ex);
		}
		this.incoming = new IncomingUploads(this.root.resolve("incoming"));
		this.originalsEntries = new GroupSync(() -> forceFolder(this.originals));
		log.info("Storing avatars under {}", this.root);
		sweepAbandoned(this.originals);
		sweepAbandonedUploads();
	}

	Path root() {
		return this.root;
	}

	@Override
	public Path newIncomingFile() {
		return this.incoming.newFile();
	}

	@Override
	public String keepOriginal(Path incomingFile, ImageFormat format) throws IOException {
		force(incomingFile);
		String key = UUID.randomUUID() + "." + format.extension();
		Files.move(incomingFile, this.originals.resolve(key), StandardCopyOption.ATOMIC_MOVE);
		this.originalsEntries.await();
		return key;
	}

	@Override
	public void sweepAbandonedUploads() {
		this.incoming.sweep();
	}

	@PreDestroy
	void close() throws IOException {
		this.incoming.close();
	}

	/** The original's own file: nothing to copy, nothing to delete afterwards. */
	@Override
	public LocalCopy openOriginal(String key) throws NoSuchFileException {
		Path path = original(key);
		if (!Files.isRegularFile(path)) {
			throw new NoSuchFileException(key);
		}
		return () -> path;
	}

	Path original(String key) {
		Path path = this.originals.resolve(key).normalize();
		if (!path.getParent().equals(this.originals)) {
			throw new IllegalArgumentException("Not an original's key: " + key);
		}
		return path;
	}

	@Override
	public void deleteOriginal(String key) {
		deleteQuietly(original(key));
	}

	@Override
	public void deleteAll(long userId, String originalKey) {
		if (originalKey != null) {
			deleteOriginal(originalKey);
		}
		try {
			FileSystemUtils.deleteRecursively(userThumbnails(userId));
		}
		catch (IOException ex) {
			log.warn("Could not delete the thumbnails of user {}: {}", userId, ex.toString());
		}
	}

	@Override
	public void writeThumbnail(long userId, long version, Thumbnail thumbnail) throws IOException {
		Path target = thumbnail(userId, version, thumbnail.size(), thumbnail.format().extension());
		Files.createDirectories(target.getParent());
		Path temp = target.resolveSibling("." + UUID.randomUUID() + TEMP_SUFFIX);
		try {
			try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
				ByteBuffer bytes = ByteBuffer.wrap(thumbnail.bytes());
				while (bytes.hasRemaining()) {
					out.write(bytes);
				}
				out.force(true);
			}
			Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			Files.deleteIfExists(temp);
		}
	}

	@Override
	public void flushThumbnails(long userId) throws IOException {
		forceFolder(userThumbnails(userId));
	}

	@Override
	public Optional<byte[]> readThumbnail(long userId, long version, int size, String extension) throws IOException {
		try {
			return Optional.of(Files.readAllBytes(thumbnail(userId, version, size, extension)));
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
	}

	Path thumbnail(long userId, long version, int size, String extension) {
		return userThumbnails(userId).resolve("v" + version + "-" + size + "." + extension);
	}

	@Override
	public void deleteThumbnails(long userId, long version) {
		deleteThumbnailsWhere(userId, (v) -> v == version);
	}

	@Override
	public void deleteThumbnailsBefore(long userId, long version) {
		deleteThumbnailsWhere(userId, (v) -> v < version);
	}

	private void deleteThumbnailsWhere(long userId, LongPredicate versionMatches) {
		Path folder = userThumbnails(userId);
		if (!Files.isDirectory(folder)) {
			return;
		}
		try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
			for (Path file : files) {
				Matcher name = THUMBNAIL_NAME.matcher(file.getFileName().toString());
				if (name.matches() && versionMatches.test(Long.parseLong(name.group(1)))) {
					deleteQuietly(file);
				}
			}
		}
		catch (IOException ex) {
			log.warn("Could not clean the thumbnails of user {}: {}", userId, ex.toString());
		}
	}

	@Override
	public void visitAll(Consumer<StoredFile> visitor) throws IOException {
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.originals)) {
			for (Path file : files) {
				String name = file.getFileName().toString();
				visit(file, name.endsWith(TEMP_SUFFIX) ? Kind.TEMPORARY : Kind.ORIGINAL, name, -1, -1, visitor);
			}
		}
		try (DirectoryStream<Path> users = Files.newDirectoryStream(this.thumbnails)) {
			for (Path folder : users) {
				String user = folder.getFileName().toString();
				// Never through a link: whatever it points at is not the storage's to remove.
				if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS) || !user.matches("\\d{1,18}")) {
					continue;
				}
				try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
					for (Path file : files) {
						Matcher name = THUMBNAIL_NAME.matcher(file.getFileName().toString());
						boolean thumbnail = name.matches();
						visit(file, thumbnail ? Kind.THUMBNAIL : Kind.TEMPORARY, null, Long.parseLong(user),
								thumbnail ? Long.parseLong(name.group(1)) : -1, visitor);
					}
				}
				catch (NoSuchFileException ex) {
					// The user was deleted meanwhile.
				}
			}
		}
		try (DirectoryStream<Path> processes = Files.newDirectoryStream(this.incoming.folder())) {
			for (Path folder : processes) {
				if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
					continue; // a process's lock (never a leftover while the process lives), or a link out
				}
				try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
					for (Path file : files) {
						visit(file, Kind.TEMPORARY, null, -1, -1, visitor);
					}
				}
				catch (NoSuchFileException ex) {
					// Its process ended meanwhile and took it along.
				}
			}
		}
	}

	private void visit(Path file, Kind kind, String key, long userId, long version, Consumer<StoredFile> visitor) {
		BasicFileAttributes attributes;
		try {
			attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (IOException ex) {
			return; // gone meanwhile
		}
		if (attributes.isRegularFile()) {
			visitor.accept(new StoredFile(kind, this.root.relativize(file).toString().replace('\\', '/'), key,
					userId, version, attributes.size(), attributes.lastModifiedTime().toInstant()));
		}
	}

	@Override
	public long delete(StoredFile file) throws IOException {
		Path path = this.root.resolve(file.name()).normalize();
		if (!path.startsWith(this.root) || path.equals(this.root)) {
			throw new IllegalArgumentException("Not a stored file: " + file.name());
		}
		try {
			long bytes = Files.size(path);
			Files.delete(path);
			return bytes;
		}
		catch (NoSuchFileException ex) {
			return 0;
		}
	}

	private Path userThumbnails(long userId) {
		return this.thumbnails.resolve(Long.toString(userId));
	}

	private static void deleteQuietly(Path path) {
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			// A leftover file costs disk space, never correctness: rows point at the files that count.
			log.warn("Could not delete {}: {}", path, ex.toString());
		}
	}

	private static void force(Path file) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			channel.force(true);
		}
	}

	/** Forces a folder's entries (names just created or renamed into it) to disk. */
	private static void forceFolder(Path folder) throws IOException {
		try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (AccessDeniedException ex) {
			// Windows cannot open a folder as a file; its file systems order these updates themselves.
		}
	}

	private static void sweepAbandoned(Path folder) {
		FileTime cutoff = FileTime.from(Instant.now().minus(ABANDONED_AFTER));
		try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*" + TEMP_SUFFIX)) {
			for (Path file : files) {
				if (Files.getLastModifiedTime(file).compareTo(cutoff) < 0) {
					deleteQuietly(file);
				}
			}
		}
		catch (IOException ex) {
			log.warn("Could not sweep {}: {}", folder, ex.toString());
		}
	}

}
