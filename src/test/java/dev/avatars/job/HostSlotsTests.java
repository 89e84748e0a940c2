package dev.avatars.job;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;

import dev.avatars.AppProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-host cap on images rendered at once, across instances and processes. */
class HostSlotsTests {

	@TempDir
	Path folder;

	@Test
	void takesAsManyAsWantedUpToTheSlotsAndGivesThemBack() throws Exception {
		HostSlots slots = new HostSlots(this.folder, 2);

		int[] taken = slots.acquire(3, () -> false);

		assertThat(taken).containsExactlyInAnyOrder(0, 1);
		assertThat(slots.acquire(1, () -> false)).as("all taken, not waiting").isEmpty();
		slots.release(taken[1]);
		assertThat(slots.acquire(1, () -> false)).containsExactly(taken[1]);
	}

	@Test
	void twoRunnersOnOneFolderShareItsSlots() throws Exception {
		HostSlots app = new HostSlots(this.folder, 2);
		HostSlots cli = new HostSlots(this.folder, 2);

		int[] appSlots = app.acquire(2, () -> false);

		assertThat(cli.acquire(1, () -> false)).isEmpty();
		app.release(appSlots[0]);
		assertThat(cli.acquire(2, () -> false)).containsExactly(appSlots[0]);
	}

	@Test
	void aWaitingRunnerGetsTheSlotOnceItIsFree() throws Exception {
		HostSlots first = new HostSlots(this.folder, 1);
		HostSlots second = new HostSlots(this.folder, 1);
		int[] held = first.acquire(1, () -> false);

		AtomicBoolean releasing = new AtomicBoolean();
		Thread releaser = new Thread(() -> {
			sleep(200);
			releasing.set(true);
			first.release(held[0]);
		});
		releaser.start();
		int[] waited = second.acquire(1, () -> true);

		assertThat(waited).containsExactly(0);
		assertThat(releasing).as("it got the slot only once the holder let go").isTrue();
		releaser.join();
	}

	@Test
	void aRunnerKilledWithSigkillLeavesNoSlotTaken() throws Exception {
		HostSlots slots = new HostSlots(this.folder, 1);
		Process holder = new ProcessBuilder(AppProcess.javaBinary(), "-cp", System.getProperty("java.class.path"),
				SlotHolder.class.getName(), this.folder.toString())
			.redirectErrorStream(true)
			.start();
		try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream()))) {
			assertThat(out.readLine()).isEqualTo("holding 0");
			assertThat(slots.acquire(1, () -> false)).as("held by the other process").isEmpty();

			holder.destroyForcibly();
			assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();

			assertThat(slots.acquire(1, () -> false)).containsExactly(0);
		}
		finally {
			holder.destroyForcibly();
		}
	}

	@Test
	void withoutAUsableFolderThereIsNoCap() throws Exception {
		Path notAFolder = Files.writeString(this.folder.resolve("file"), "x");

		HostSlots slots = new HostSlots(notAFolder, 1);

		assertThat(slots.acquire(3, () -> false)).as("three at once with one slot configured").hasSize(3);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Another process on this host, holding a slot until it is killed. */
	public static final class SlotHolder {

		public static void main(String[] args) throws Exception {
			int[] slots = new HostSlots(Path.of(args[0]), 1).acquire(1, () -> false);
			System.out.println("holding " + slots[0]);
			System.out.flush();
			Thread.sleep(Long.MAX_VALUE);
		}

	}

}
