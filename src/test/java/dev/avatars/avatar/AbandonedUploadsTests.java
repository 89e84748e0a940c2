package dev.avatars.avatar;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Uploads cut off by a killed process leave their temporary files in that process's receiving folder; the next
 * start-up (or sweep) deletes them, but never the folder of a process that is still alive, on this host or
 * another.
 */
class AbandonedUploadsTests {

	@TempDir
	Path home;

	private FileSystemAvatarStorage storage() {
		return new FileSystemAvatarStorage(
				new StorageProperties(StorageProperties.Type.FILESYSTEM, Path.of("uploads"), null), this.home);
	}

	private Path incoming() {
		return this.home.resolve("uploads").resolve("incoming");
	}

	/** What a process killed in the middle of an upload leaves: its folder, a partial file, its unlocked lock. */
	private Path killedProcessLeftovers() throws Exception {
		String process = UUID.randomUUID().toString();
		Path folder = Files.createDirectories(incoming().resolve(process));
		Files.write(folder.resolve(UUID.randomUUID() + ".tmp"), new byte[1000]);
		Files.createFile(incoming().resolve(process + ".lock"));
		return folder;
	}

	@Test
	void startUpDeletesWhatAKilledProcessWasReceivingAndASweepDoesTheSame() throws Exception {
		storage().close();
		Path killedBefore = killedProcessLeftovers();

		FileSystemAvatarStorage storage = storage();
		assertThat(killedBefore).doesNotExist();
		assertThat(incoming().resolve(killedBefore.getFileName() + ".lock")).doesNotExist();

		Path killedSince = killedProcessLeftovers();
		storage.sweepAbandonedUploads();
		assertThat(killedSince).doesNotExist();
		storage.close();
	}

	@Test
	void aLiveProcesssUploadInFlightIsNeverSwept() throws Exception {
		Path folder = killedProcessLeftovers();
		Path lock = incoming().resolve(folder.getFileName() + ".lock");
		Process holder = holdLock(lock);
		try {
			FileSystemAvatarStorage storage = storage();
			storage.sweepAbandonedUploads();
			assertThat(folder).isDirectory();
			try (Stream<Path> files = Files.list(folder)) {
				assertThat(files).hasSize(1);
			}

			holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9: the lock goes with the process
			storage.sweepAbandonedUploads();
			assertThat(folder).doesNotExist();
			storage.close();
		}
		finally {
			holder.destroyForcibly();
		}
	}

	@Test
	void aKeptOriginalLeavesNothingInTheReceivingFolder() throws Exception {
		FileSystemAvatarStorage storage = storage();
		Path file = storage.newIncomingFile();
		Files.write(file, new byte[] { 1, 2, 3 });

		String key = storage.keepOriginal(file, ImageFormat.PNG);

		assertThat(storage.original(key)).hasBinaryContent(new byte[] { 1, 2, 3 });
		assertThat(file).doesNotExist();
		storage.close();
		try (Stream<Path> left = Files.list(incoming())) {
			assertThat(left).as("a clean shutdown removes its folder and lock").isEmpty();
		}
	}

	/** Another JVM, as another instance would be, holding the lock until it is killed. */
	private static Process holdLock(Path lock) throws Exception {
		Path source = Files.createTempFile("HoldLock", ".java");
		Files.writeString(source, """
				import java.nio.channels.FileChannel;
				import java.nio.file.*;
				public class HoldLock {
					public static void main(String[] args) throws Exception {
						FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE);
						channel.lock();
						System.out.println("locked");
						Thread.sleep(120_000);
					}
				}
				""");
		String java = ProcessHandle.current().info().command().orElse("java");
		Process process = new ProcessBuilder(List.of(java, source.toString(), lock.toString()))
			.redirectErrorStream(true)
			.start();
		BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		assertThat(out.readLine()).isEqualTo("locked");
		Files.delete(source);
		return process;
	}

}
