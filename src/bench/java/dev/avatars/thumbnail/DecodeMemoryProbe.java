package dev.avatars.thumbnail;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.avatars.HostileImages;

/**
 * What decoding one kind of picture costs on the pure-Java path ({@link JavaRenderer}, without the limits in
 * front): the same file rendered by {@code workers} threads at once, in a JVM started with the heap under test. Prints the outcome of each, the time and the heap's
 * peak. Not a test: run it by hand (docs/LIMITS.md has the commands), e.g. with the test classpath
 * {@code java -Xmx256m -cp ... dev.avatars.thumbnail.DecodeMemoryProbe lossless-jpeg-16 40 2}.
 */
public final class DecodeMemoryProbe {

	private DecodeMemoryProbe() {
	}

	public static void main(String[] args) throws Exception {
		String kind = args[0];
		double megapixels = Double.parseDouble(args[1]);
		int workers = Integer.parseInt(args[2]);
		int side = (int) Math.round(Math.sqrt(megapixels * 1_000_000));
		byte[] bytes = switch (kind) {
			case "lossless-jpeg-8" -> HostileImages.losslessJpeg(side, side, 8, 1);
			case "lossless-jpeg-16" -> HostileImages.losslessJpeg(side, side, 16, 1);
			case "lossless-jpeg-16-rgb" -> HostileImages.losslessJpeg(side, side, 16, 3);
			case "png-16" -> HostileImages.blackPng(side, side, 16);
			case "png-8" -> HostileImages.blackPng(side, side, 8);
			case "lossless-webp" -> HostileImages.losslessWebp(Math.min(side, 16384), Math.min(side, 16384));
			default -> throw new IllegalArgumentException(kind);
		};
		Path file = Files.createTempFile("probe-", ".img");
		Files.write(file, bytes);
		// The pure-Java renderer itself, without the Thumbnailer's limits in front: what the decoders cost.
		JavaRenderer renderer = new JavaRenderer(List.of(256, 128, 64), 0.85f, JpegReducer.of(true));
		ExecutorService pool = Executors.newFixedThreadPool(workers);
		long start = System.nanoTime();
		List<Future<String>> results = new ArrayList<>();
		for (int i = 0; i < workers; i++) {
			results.add(pool.submit(() -> {
				try {
					return renderer.render(file, null, null).size() + " thumbnails";
				}
				catch (Throwable ex) {
					return ex.getClass().getSimpleName() + ": " + ex.getMessage();
				}
			}));
		}
		List<String> outcomes = new ArrayList<>();
		for (Future<String> result : results) {
			outcomes.add(result.get());
		}
		long millis = (System.nanoTime() - start) / 1_000_000;
		pool.shutdown();
		long peak = 0;
		for (MemoryPoolMXBean pool2 : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool2.getType() == MemoryType.HEAP) {
				peak += pool2.getPeakUsage().getUsed();
			}
		}
		System.out.printf("%s %.1f MP (%d×%d, %d bytes) workers=%d max-heap=%d MB: %s in %d ms, heap peak %d MB%n",
				kind, megapixels, side, side, bytes.length, workers, Runtime.getRuntime().maxMemory() >> 20, outcomes,
				millis, peak >> 20);
		Files.delete(file);
	}

}
