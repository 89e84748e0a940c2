package dev.avatars.imageinfo;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the upload's header check costs on a JPEG's entropy data: the search for the next 0xFF, eight bytes at a
 * time ({@link ByteInput#indexOfFF}) against a byte loop, alternated in one JVM, and the whole
 * {@link ImageInfo#read} of the file. Seven rounds of 2 s after a warm-up; prints the medians. A benchmark, never
 * run by the test suite.
 *
 * <pre>
 * java -cp target/classes:target/test-classes dev.avatars.imageinfo.HeaderScanBenchmark FILE.jpg
 * </pre>
 */
final class HeaderScanBenchmark {

	private HeaderScanBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		byte[] file = Files.readAllBytes(Path.of(args[0]));
		List<Double> words = new ArrayList<>();
		List<Double> bytes = new ArrayList<>();
		List<Double> reads = new ArrayList<>();
		for (int round = 0; round <= 7; round++) {
			double w = megabytesPerSecond(file, true);
			double b = megabytesPerSecond(file, false);
			double r = readsPerSecond(file);
			if (round > 0) { // the first is the warm-up
				words.add(w);
				bytes.add(b);
				reads.add(r);
			}
		}
		System.out.printf(Locale.ROOT,
				"RESULT header_scan file_bytes=%d words_mb_per_s=%.0f bytes_mb_per_s=%.0f ratio=%.2f"
						+ " image_info_ms_per_file=%.3f%n",
				file.length, median(words), median(bytes), median(words) / median(bytes), 1000 / median(reads));
	}

	private static double megabytesPerSecond(byte[] file, boolean words) {
		long start = System.nanoTime();
		long scanned = 0;
		int found = 0;
		while (System.nanoTime() - start < 2_000_000_000L) {
			int i = 0;
			while (i < file.length) {
				int next = words ? ByteInput.indexOfFF(file, i, file.length) : byteLoop(file, i, file.length);
				if (next < 0) {
					break;
				}
				found++;
				i = next + 1;
			}
			scanned += file.length;
		}
		if (found == 0) {
			throw new IllegalStateException("no 0xFF in the file");
		}
		return scanned / 1e6 / ((System.nanoTime() - start) / 1e9);
	}

	private static double readsPerSecond(byte[] file) throws Exception {
		long start = System.nanoTime();
		int reads = 0;
		while (System.nanoTime() - start < 2_000_000_000L) {
			ImageInfo.read(new ByteArrayInputStream(file));
			reads++;
		}
		return reads / ((System.nanoTime() - start) / 1e9);
	}

	private static int byteLoop(byte[] bytes, int from, int to) {
		for (int i = from; i < to; i++) {
			if (bytes[i] == (byte) 0xFF) {
				return i;
			}
		}
		return -1;
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		return sorted.get(sorted.size() / 2);
	}

}
