package dev.avatars.job;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps how many images all runners on this host render at once, across processes: the app's schedule, a
 * cron-started {@code process-avatars} and further instances on one machine share its cores instead of
 * oversubscribing them (three runners on two cores cleared a backlog more slowly than two, measured).
 *
 * <p>A slot is an OS lock on one of N files in a folder of the temporary directory. The OS releases a lock
 * when its process ends, even by {@code kill -9}, so a crashed runner never keeps a slot. Where the folder
 * cannot be used, the cap is off and a warning says why.
 */
final class HostSlots {

	private static final Logger log = LoggerFactory.getLogger(HostSlots.class);

	private static final long POLL_MILLIS = 10;

	/** One open file per slot, or {@code null} when the cap is off. */
	private final FileChannel[] files;

	/** The locks this instance holds, by slot. */
	private final FileLock[] held;

	HostSlots(Path folder, int slots) {
		this.files = open(folder, slots);
		this.held = new FileLock[slots];
	}

	/**
	 * Takes at least one slot and at most {@code wanted}, waiting for the first while {@code keepWaiting}
	 * says so.
	 * @return the slots taken, to be given back with {@link #release}; empty when it stopped waiting
	 */
	int[] acquire(int wanted, BooleanSupplier keepWaiting) throws InterruptedException {
		if (this.files == null) {
			int[] unlimited = new int[wanted];
			Arrays.fill(unlimited, -1);
			return unlimited;
		}
		int first;
		while ((first = tryTake()) < 0) {
			if (!keepWaiting.getAsBoolean()) {
				return new int[0];
			}
			Thread.sleep(POLL_MILLIS);
		}
		int[] taken = new int[wanted];
		taken[0] = first;
		int count = 1;
		while (count < wanted && (taken[count] = tryTake()) >= 0) {
			count++;
		}
		return Arrays.copyOf(taken, count);
	}

	synchronized void release(int slot) {
		if (slot < 0 || this.held[slot] == null) {
			return;
		}
		try {
			this.held[slot].release();
		}
		catch (IOException ex) {
			// The channel is gone; so is the lock.
		}
		this.held[slot] = null;
	}

	private synchronized int tryTake() {
		for (int slot = 0; slot < this.files.length; slot++) {
			if (this.held[slot] != null) {
				continue;
			}
			try {
				FileLock lock = this.files[slot].tryLock();
				if (lock != null) {
					this.held[slot] = lock;
					return slot;
				}
			}
			catch (OverlappingFileLockException ex) {
				// Another HostSlots in this JVM (a second application context) holds it.
			}
			catch (IOException ex) {
				// Treated as taken; the next poll tries again.
			}
		}
		return -1;
	}

	private static FileChannel[] open(Path folder, int slots) {
		FileChannel[] channels = new FileChannel[slots];
		try {
			Files.createDirectories(folder);
			for (int slot = 0; slot < slots; slot++) {
				channels[slot] = FileChannel.open(folder.resolve("slot-" + slot), StandardOpenOption.CREATE,
						StandardOpenOption.WRITE);
			}
			return channels;
		}
		catch (IOException | RuntimeException ex) {
			log.warn("No cap on images rendered at once across processes on this host ({} is not usable: {})", folder,
					ex.toString());
			for (FileChannel channel : channels) {
				closeQuietly(channel);
			}
			return null;
		}
	}

	private static void closeQuietly(FileChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// nothing to keep
			}
		}
	}

}
