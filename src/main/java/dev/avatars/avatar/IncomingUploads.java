package dev.avatars.avatar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.FileSystemUtils;

/**
 * Local folders where uploads are received (and, on the object store, originals are read back for the job):
 * {@code <incoming>/<process>/}, one per process, locked for the process's life ({@code <incoming>/<id>.lock}).
 * A folder whose lock anyone can take belongs to a process that is gone (killed in the middle of uploads), and
 * its files are deleted at start-up and by every {@link #sweep() sweep}, here or on another host sharing the
 * folder (where the file system honours locks, as local ones and NFSv4 do).
 */
final class IncomingUploads {

	private static final Logger log = LoggerFactory.getLogger(IncomingUploads.class);

	static final String TEMP_SUFFIX = ".tmp";

	private static final String LOCK_SUFFIX = ".lock";

	private final Path incoming;

	/** This process's folder, and the lock that says it is alive. */
	private final Path receiving;

	private final FileChannel aliveLock;

	IncomingUploads(Path incoming) {
		this.incoming = incoming;
		String process = UUID.randomUUID().toString();
		this.receiving = incoming.resolve(process);
		try {
			Files.createDirectories(incoming);
			// Locked under a name no sweep looks at, then renamed: a sweep never finds it unlocked.
			Path lock = incoming.resolve(process + TEMP_SUFFIX);
			this.aliveLock = FileChannel.open(lock, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
			if (this.aliveLock.tryLock() == null) {
				throw new IOException("a fresh lock file is locked by someone else");
			}
			Files.move(lock, incoming.resolve(process + LOCK_SUFFIX), StandardCopyOption.ATOMIC_MOVE);
			Files.createDirectories(this.receiving);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the upload folders under " + incoming, ex);
		}
	}

	Path folder() {
		return this.incoming;
	}

	/** A fresh name in this process's folder; nothing is created yet. */
	Path newFile() {
		return this.receiving.resolve(UUID.randomUUID() + TEMP_SUFFIX);
	}

	/**
	 * Deletes the receiving folders of processes that are gone, with whatever uploads they were receiving. A
	 * live process holds its folder's lock, so its folder is never touched.
	 */
	void sweep() {
		try (DirectoryStream<Path> locks = Files.newDirectoryStream(this.incoming, "*" + LOCK_SUFFIX)) {
			for (Path lock : locks) {
				String process = lock.getFileName().toString();
				Path folder = this.incoming.resolve(process.substring(0, process.length() - LOCK_SUFFIX.length()));
				if (!folder.equals(this.receiving)) {
					deleteIfAbandoned(lock, folder);
				}
			}
		}
		catch (IOException ex) {
			log.warn("Could not sweep {}: {}", this.incoming, ex.toString());
		}
	}

	private static void deleteIfAbandoned(Path lock, Path folder) throws IOException {
		try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
			if (channel.tryLock() == null) {
				return; // its process is alive
			}
			FileSystemUtils.deleteRecursively(folder);
			Files.deleteIfExists(lock);
		}
		catch (OverlappingFileLockException ex) {
			// Held in this JVM: another application context of this process (tests run several).
		}
		catch (NoSuchFileException ex) {
			// Another process swept it first.
		}
	}

	/** On a clean shutdown the folder goes with its process; uploads have been answered by then. */
	void close() throws IOException {
		FileSystemUtils.deleteRecursively(this.receiving);
		Files.deleteIfExists(this.incoming.resolve(this.receiving.getFileName() + LOCK_SUFFIX));
		this.aliveLock.close();
	}

}
