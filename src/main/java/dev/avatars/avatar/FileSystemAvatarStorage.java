package dev.avatars.avatar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.avatars.thumbnail.Thumbnail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * Layout under the root: {@code originals/<uuid>.<ext>} (private, never served),
 * {@code thumbnails/<userId>/...}; an upload in progress is a hidden temporary file among the originals, so
 * keeping it is a rename.
 */
@Component
class FileSystemAvatarStorage implements AvatarStorage {

	private static final Logger log = LoggerFactory.getLogger(FileSystemAvatarStorage.class);

	private static final String TEMP_SUFFIX = ".tmp";

	/** {@code v<version>-<size>.<ext>}: the version in the name keeps a stale result apart from a current one. */
	private static final Pattern THUMBNAIL_NAME = Pattern.compile("v(\\d+)-\\d+\\.[a-z]+");

	/** Older temp files are left over from a crash; younger ones may belong to an upload in flight. */
	private static final Duration ABANDONED_AFTER = Duration.ofHours(1);

	private final Path root;

	private final Path originals;

	private final Path thumbnails;

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
		log.info("Storing avatars under {}", this.root);
		sweepAbandoned(this.originals);
	}

	Path root() {
		return this.root;
	}

	@Override
	public Path newIncomingFile() {
		return this.originals.resolve("." + UUID.randomUUID() + TEMP_SUFFIX);
	}

	@Override
	public String keepOriginal(Path incomingFile, ImageFormat format) throws IOException {
		String key = UUID.randomUUID() + "." + format.extension();
		Files.move(incomingFile, this.originals.resolve(key), StandardCopyOption.ATOMIC_MOVE);
		return key;
	}

	@Override
	public Path original(String key) {
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
			Files.write(temp, thumbnail.bytes());
			Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			Files.deleteIfExists(temp);
		}
	}

	@Override
	public Path thumbnail(long userId, long version, int size, String extension) {
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
