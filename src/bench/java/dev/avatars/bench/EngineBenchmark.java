package dev.avatars.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import dev.avatars.thumbnail.Thumbnail;
import dev.avatars.thumbnail.Thumbnailer;

/**
 * Thumbnail engine throughput in one warmed JVM: images per second for each size class of the corpus (2, 12,
 * 24 MP), with a given number of worker threads, as the job renders them (256, 128 and 64 px, centre crop,
 * JPEG q85). A benchmark, run by {@code scripts/bench.sh}, never by the test suite.
 *
 * <pre>
 * java ... EngineBenchmark CORPUS_DIR auto|java WORKERS [ROUNDS] [SECONDS_PER_ROUND] [face|centre|squares] [CLASSES]
 * </pre>
 *
 * With {@code face} or {@code centre} it renders as the job now does: round variants too, and with {@code face}
 * the square framed on the faces found ({@code avatars.thumbnail.crop}); without (or {@code squares}), squares
 * only, centre crop.
 * {@code CLASSES}: a comma-separated subset of 02mp, 12mp, 24mp.
 *
 * Prints one {@code RESULT} line per class with the median of the rounds: images per second, and the workers'
 * CPU time per image.
 */
public final class EngineBenchmark {

	private EngineBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path corpus = Path.of(args[0]);
		Thumbnailer.Engine engine = Thumbnailer.Engine.valueOf(args[1].toUpperCase(Locale.ROOT));
		int workers = Integer.parseInt(args[2]);
		int rounds = (args.length > 3) ? Integer.parseInt(args[3]) : 3;
		double seconds = (args.length > 4) ? Double.parseDouble(args[4]) : 6;
		Thumbnailer.CropMode crop = (args.length > 5 && !args[5].equals("squares"))
				? Thumbnailer.CropMode.valueOf(args[5].toUpperCase(Locale.ROOT)) : null;
		List<String> classes = (args.length > 6) ? List.of(args[6].split(",")) : List.of("02mp", "12mp", "24mp");
		Thumbnailer thumbnailer = new Thumbnailer(List.of(256, 128, 64), 0.85f, engine, 40_000_000, true,
				(crop != null) ? crop : Thumbnailer.CropMode.CENTRE);
		boolean circles = crop != null;
		System.out.println("engine: " + thumbnailer.description());

		ExecutorService pool = Executors.newFixedThreadPool(workers);
		try {
			for (String sizeClass : classes) {
				List<Path> files = files(corpus, sizeClass);
				// Warm-up: JIT, the native library, each worker's buffers.
				run(pool, thumbnailer, files, workers, Math.max(2, seconds / 2), circles);
				double[] rates = new double[rounds];
				double[] cpu = new double[rounds];
				for (int round = 0; round < rounds; round++) {
					double[] measured = run(pool, thumbnailer, files, workers, seconds, circles);
					rates[round] = measured[0];
					cpu[round] = measured[1];
				}
				double[] sorted = rates.clone();
				Arrays.sort(sorted);
				double[] sortedCpu = cpu.clone();
				Arrays.sort(sortedCpu);
				System.out.printf(Locale.ROOT,
						"RESULT engine=%s workers=%d class=%s images_per_s=%.1f cpu_ms_per_image=%.2f rounds=%s%s%n",
						args[1], workers, sizeClass, sorted[rounds / 2], sortedCpu[rounds / 2], Arrays.toString(rates),
						(crop != null) ? " crop=" + args[5] + " circles=true" : "");
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	/**
	 * Every worker renders the class's files in turn (each starting elsewhere) until time is up.
	 *
	 * @return images per second, and the workers' CPU time per image in milliseconds (what a loaded, shared
	 * machine distorts least)
	 */
	private static double[] run(ExecutorService pool, Thumbnailer thumbnailer, List<Path> files, int workers,
			double seconds, boolean circles) throws Exception {
		long start = System.nanoTime();
		long deadline = start + (long) (seconds * 1e9);
		AtomicInteger rendered = new AtomicInteger();
		AtomicLong cpuNanos = new AtomicLong();
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		List<Future<?>> running = new ArrayList<>();
		for (int worker = 0; worker < workers; worker++) {
			int first = worker * files.size() / workers;
			running.add(pool.submit(() -> {
				long cpuStart = threads.getCurrentThreadCpuTime();
				for (int i = first; System.nanoTime() < deadline; i++) {
					List<Thumbnail> thumbnails = thumbnailer.render(files.get(i % files.size()), null, circles).squares();
					if (thumbnails.size() != 3) {
						throw new IllegalStateException("expected three thumbnails");
					}
					rendered.incrementAndGet();
				}
				cpuNanos.addAndGet(threads.getCurrentThreadCpuTime() - cpuStart);
				return null;
			}));
		}
		for (Future<?> future : running) {
			future.get();
		}
		return new double[] { rendered.get() / ((System.nanoTime() - start) / 1e9),
				cpuNanos.get() / 1e6 / rendered.get() };
	}

	private static List<Path> files(Path corpus, String sizeClass) throws Exception {
		try (Stream<Path> listing = Files.list(corpus)) {
			List<Path> files = listing.filter((file) -> file.getFileName().toString().startsWith(sizeClass + "-"))
				.sorted()
				.toList();
			if (files.isEmpty()) {
				throw new IllegalArgumentException("No " + sizeClass + " photos in " + corpus);
			}
			return files;
		}
	}

}
