package dev.avatars.durable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class GroupSyncTests {

	@Test
	void everyCallerReturnsOnlyAfterAFlushThatBeganAfterItsWriteAndConcurrentCallersShareFlushes() throws Exception {
		AtomicLong written = new AtomicLong();
		AtomicLong flushedUpTo = new AtomicLong();
		AtomicInteger flushes = new AtomicInteger();
		GroupSync sync = new GroupSync(() -> {
			long upTo = written.get(); // what a real fsync would cover: every write before it began
			flushes.incrementAndGet();
			sleep(5);
			flushedUpTo.accumulateAndGet(upTo, Math::max);
		});
		int threads = 16;
		int writesEach = 50;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		List<Future<?>> results = new ArrayList<>();
		AtomicInteger uncovered = new AtomicInteger();
		for (int t = 0; t < threads; t++) {
			results.add(pool.submit(() -> {
				for (int i = 0; i < writesEach; i++) {
					long mine = written.incrementAndGet();
					sync.await();
					if (flushedUpTo.get() < mine) {
						uncovered.incrementAndGet();
					}
				}
				return null;
			}));
		}
		for (Future<?> result : results) {
			result.get(60, TimeUnit.SECONDS);
		}
		pool.shutdown();

		assertThat(uncovered).hasValue(0);
		// 800 waits; shared flushes make far fewer (each flush sleeps 5 ms while 15 others queue).
		assertThat(flushes.get()).isLessThan(threads * writesEach / 4);
	}

	@Test
	void aFailedFlushFailsItsCallerAndTheNextCallerFlushesAgain() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		GroupSync sync = new GroupSync(() -> {
			if (calls.incrementAndGet() == 1) {
				throw new IOException("disk full");
			}
		});

		assertThatExceptionOfType(IOException.class).isThrownBy(sync::await).withMessage("disk full");
		sync.await();

		assertThat(calls).hasValue(2);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
