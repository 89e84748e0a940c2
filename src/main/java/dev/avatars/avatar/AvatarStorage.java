package dev.avatars.avatar;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import dev.avatars.thumbnail.Thumbnail;

/**
 * Where avatar files live: a folder ({@link FileSystemAvatarStorage}) or an S3-compatible bucket
 * ({@link S3AvatarStorage}). Keys are made by the server; a client's file name never reaches the store.
 */
public interface AvatarStorage {

	/**
	 * A fresh temporary local path to receive an upload into (its checks read it there); on the filesystem, on
	 * the originals' file system, so that keeping it is an atomic rename.
	 */
	Path newIncomingFile() throws IOException;

	/**
	 * Atomically moves (or uploads) a received file into place as an original and returns its key, once the
	 * store confirmed it durable: a row that names it may commit. The received file is the caller's to delete.
	 */
	String keepOriginal(Path incoming, ImageFormat format) throws IOException;

	/** Deletes what uploads cut off by a crashed or killed process left behind. */
	void sweepAbandonedUploads();

	/**
	 * The original's bytes as a local file, readable until closed: the file itself, or a copy fetched from the
	 * object store. Throws {@link java.nio.file.NoSuchFileException} when there is no such original.
	 */
	LocalCopy openOriginal(String key) throws IOException;

	void deleteOriginal(String key);

	/** Atomically writes one thumbnail of the given avatar version: readers see the whole file or none. */
	void writeThumbnail(long userId, long version, Thumbnail thumbnail) throws IOException;

	/** Returns once the thumbnails written for this user are on disk, names included: a row may then say so. */
	void flushThumbnails(long userId) throws IOException;

	/** One thumbnail's bytes; empty when there is none (a newer version may have replaced it meanwhile). */
	Optional<byte[]> readThumbnail(long userId, long version, int size, String extension) throws IOException;

	/** Deletes the thumbnails of exactly this version. */
	void deleteThumbnails(long userId, long version);

	/** Deletes the thumbnails of every version older than this one; newer ones are never touched. */
	void deleteThumbnailsBefore(long userId, long version);

	/** Deletes every file of one user's avatar: the given original and all thumbnails. */
	void deleteAll(long userId, String originalKey);

	/**
	 * Visits every stored file, one at a time, without holding the listing in memory: the clean-up decides. A
	 * process's lock files are not files to visit.
	 */
	void visitAll(java.util.function.Consumer<StoredFile> visitor) throws IOException;

	/** Deletes one visited file: how many bytes that freed, 0 when it was gone already. */
	long delete(StoredFile file) throws IOException;

	/** A local file to read, for as long as it is open. */
	interface LocalCopy extends Closeable {

		Path path();

		@Override
		default void close() throws IOException {
		}

	}

}
