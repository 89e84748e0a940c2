package dev.avatars.fuzz;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import dev.avatars.fuzz.ThumbnailerFuzz.Outcome;
import dev.avatars.fuzz.ThumbnailerFuzz.Result;
import dev.avatars.thumbnail.Thumbnailer;
import dev.avatars.thumbnail.UndecodableImageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The fuzz run's small variant, in this JVM: a few hundred seeded mutants of the small seeds through both
 * engines, each within a limit of CPU time. Only thumbnails (pictures of the asked sizes),
 * {@code UndecodableImageException} and {@code IOException} may come out. {@code scripts/fuzz-thumbnailer.sh} is
 * the large one: thousands of mutants, the job's sizes, two large JPEGs more, a child JVM at {@code -Xmx256m}.
 *
 * <p>The thumbnails here are 24 and 12 pixels: at those sizes the 320×240 JPEG seeds are decoded at 1/8 and the
 * 160×120 ones at 1/4 (pure Java), so the mutants reach the hand-written {@code ReducedJpegDecoder} without the
 * large seeds, which would take this test past half a minute.
 */
class ThumbnailerFuzzTests {

	private static final List<Integer> SIZES = List.of(24, 12);

	private static final int MUTANTS = 200;

	private static final long LIMIT_SECONDS = 5;

	@TempDir
	Path dir;

	@Test
	void everySeedGivesThumbnailsOnBothEnginesSoTheMutantsStartFromRealPictures() throws Exception {
		Map<Thumbnailer.Engine, Thumbnailer> thumbnailers = thumbnailers();
		List<String> failed = new ArrayList<>();
		for (FuzzSeeds.Seed seed : FuzzSeeds.all(false)) {
			Path file = Files.write(this.dir.resolve(seed.name()), seed.bytes());
			for (Thumbnailer thumbnailer : thumbnailers.values()) {
				Result result = ThumbnailerFuzz.render(thumbnailer, SIZES, file);
				if (result.outcome() != Outcome.THUMBNAILS) {
					failed.add(seed.name() + " " + thumbnailer.description() + ": " + result);
				}
			}
		}
		assertThat(failed).isEmpty();
	}

	@Test
	void theSameNumberMakesTheSameMutant() {
		// Seeds made twice: the drawing and the JDK's encoders must give the same bytes too.
		Mutator mutator = new Mutator(FuzzSeeds.make(false));
		Mutator other = new Mutator(FuzzSeeds.make(false));
		for (long n = 1; n <= 200; n++) {
			Mutator.Mutant once = mutator.mutant(n);
			Mutator.Mutant again = other.mutant(n);
			assertThat(again.bytes()).as("mutant %d", n).isEqualTo(once.bytes());
			assertThat(again.mutation()).isEqualTo(once.mutation());
			assertThat(once.bytes()).as("mutant %d: %s", n, once.mutation()).isNotEqualTo(once.seed().bytes());
		}
	}

	@Test
	void aLosslessWebpClaimingMoreRowsThanItsDataHoldsIsUndecodable() throws Exception {
		byte[] webp = FuzzSeeds.losslessWebp(96, 64);
		// The VP8L header after its signature byte (offset 21): width - 1 and height - 1, 14 bits each, little-endian.
		ByteBuffer header = ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN);
		header.putInt(21, header.getInt(21) | (16383 << 14));
		Path file = Files.write(this.dir.resolve("claims-96x16384.webp"), webp);

		for (Map.Entry<Thumbnailer.Engine, Thumbnailer> engine : thumbnailers().entrySet()) {
			assertThatExceptionOfType(UndecodableImageException.class).as(engine.getKey().name())
				.isThrownBy(() -> engine.getValue().render(file, null))
				.withMessage("not a decodable WEBP: truncated data");
		}
	}

	@Test
	void mutantsGiveOnlyThumbnailsOrTheDeclaredExceptionsWithinTheLimit() throws Exception {
		Map<Thumbnailer.Engine, Thumbnailer> thumbnailers = thumbnailers();
		Mutator mutator = new Mutator(FuzzSeeds.all(false));
		Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
		List<String> findings = new ArrayList<>();
		ExecutorService worker = Executors.newSingleThreadExecutor();
		try {
			for (long n = 1; n <= MUTANTS; n++) {
				Mutator.Mutant mutant = mutator.mutant(n);
				Path file = Files.write(this.dir.resolve("mutant-" + n), mutant.bytes());
				for (Map.Entry<Thumbnailer.Engine, Thumbnailer> engine : thumbnailers.entrySet()) {
					AtomicLong thread = new AtomicLong(-1);
					Future<Result> rendering = worker.submit(() -> {
						thread.set(Thread.currentThread().getId());
						return ThumbnailerFuzz.render(engine.getValue(), SIZES, file);
					});
					Result result = within(rendering, thread);
					if (result.outcome() == Outcome.HANG) {
						rendering.cancel(true);
						// The stuck thread cannot be stopped; the rest runs on a new one.
						worker.shutdownNow();
						worker = Executors.newSingleThreadExecutor();
					}
					counts.merge(result.outcome(), 1, Integer::sum);
					if (!result.outcome().declared()) {
						findings.add("mutant " + n + " (" + mutant.seed().name() + ": " + mutant.mutation() + ") on "
								+ engine.getKey() + ": " + result.outcome() + " " + result.detail());
					}
				}
			}
		}
		finally {
			worker.shutdownNow();
		}
		assertThat(findings).as("findings among %s (new Mutator(FuzzSeeds.all(false)).mutant(N) makes the file)", counts)
			.isEmpty();
		// Not a vacuous run: the mutants reach both the decoders' success and their refusals.
		assertThat(counts.getOrDefault(Outcome.THUMBNAILS, 0)).as(counts.toString()).isGreaterThan(MUTANTS / 4);
		assertThat(counts.getOrDefault(Outcome.UNDECODABLE, 0)).as(counts.toString()).isGreaterThan(MUTANTS / 4);
	}

	/**
	 * The result, or a hang once the rendering thread has used {@link #LIMIT_SECONDS} of CPU: CPU time, so that a
	 * machine busy with other builds does not make a slow file a hang (the clock gets six times as long).
	 */
	private static Result within(Future<Result> rendering, AtomicLong thread) throws Exception {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long started = System.nanoTime();
		while (true) {
			try {
				return rendering.get(100, TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException ex) {
				long cpu = (thread.get() >= 0) ? threads.getThreadCpuTime(thread.get()) : 0;
				long wall = System.nanoTime() - started;
				if (cpu > LIMIT_SECONDS * 1_000_000_000L || wall > 6 * LIMIT_SECONDS * 1_000_000_000L) {
					return new Result(Outcome.HANG, String.format(Locale.ROOT,
							"no answer after %.1f s of CPU (%.1f s wall)", cpu / 1e9, wall / 1e9));
				}
			}
		}
	}

	private static Map<Thumbnailer.Engine, Thumbnailer> thumbnailers() {
		Map<Thumbnailer.Engine, Thumbnailer> thumbnailers = new EnumMap<>(Thumbnailer.Engine.class);
		for (Thumbnailer.Engine engine : Thumbnailer.Engine.values()) {
			thumbnailers.put(engine, new Thumbnailer(SIZES, ThumbnailerFuzz.QUALITY, engine, 40_000_000, true,
					Thumbnailer.CropMode.FACE));
		}
		return thumbnailers;
	}

}
