package dev.avatars.jpeg;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A/B of {@link ReducedJpegDecoder} against the same class of an earlier build ({@code OLD_CLASSES}: a
 * {@code target/classes} folder, e.g. of {@code git archive COMMIT src/main | tar -x} compiled apart), loaded in a
 * class loader of its own. With 0 rounds: that both give the same bytes for every photo
 * (walked recursively) of the given directories at 1/8 and 1/4, or both refuse it. Otherwise decodes per CPU
 * second of this thread on one size class of the first directory, old and new interleaved round by round (the
 * order swapped every round), medians and the median of the per-round ratios; the check runs in a JVM of its
 * own because its warm-up on mixed files and scales changes what the JIT makes of the two copies. A probe, never
 * run by the test suite.
 *
 * <pre>
 * java -Dprobe.old=OLD_CLASSES ... dev.avatars.jpeg.ReducedDecoderProbe DIR[,DIR...] 0
 * java -Dprobe.old=OLD_CLASSES ... dev.avatars.jpeg.ReducedDecoderProbe DIR CLASS (12mp) REDUCTION (8) ROUNDS (31)
 * </pre>
 */
final class ReducedDecoderProbe {

	/**
	 * CPU time per decoder per round: short rounds, many of them, because on a shared machine the interference
	 * drifts, and finely interleaved rounds see the same drift.
	 */
	private static final double SECONDS = Double.parseDouble(System.getProperty("probe.seconds", "0.3"));

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	/** The earlier build's {@code ReducedJpegDecoder.decode(byte[], int, int)}, answering its own {@code Reduced}. */
	private static final MethodHandle OLD_DECODE;

	private static final MethodHandle OLD_BGR;

	static {
		try {
			URLClassLoader old = new URLClassLoader(
					new URL[] { Path.of(System.getProperty("probe.old")).toUri().toURL() },
					ClassLoader.getPlatformClassLoader());
			Class<?> decoder = old.loadClass("dev.avatars.jpeg.ReducedJpegDecoder");
			Class<?> reduced = old.loadClass("dev.avatars.jpeg.ReducedJpegDecoder$Reduced");
			MethodHandles.Lookup lookup = MethodHandles.publicLookup();
			OLD_DECODE = lookup.findStatic(decoder, "decode",
					MethodType.methodType(reduced, byte[].class, int.class, int.class));
			OLD_BGR = lookup.findVirtual(reduced, "bgr", MethodType.methodType(byte[].class));
		}
		catch (ReflectiveOperationException | java.io.IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private ReducedDecoderProbe() {
	}

	public static void main(String[] args) throws Exception {
		String[] dirs = args[0].split(",");
		boolean check = args.length > 1 && args[1].equals("0");
		String sizeClass = (args.length > 1 && !check) ? args[1] : "12mp";
		int reduction = (args.length > 2) ? Integer.parseInt(args[2]) : 8;
		int rounds = check ? 0 : (args.length > 3) ? Integer.parseInt(args[3]) : 31;
		List<byte[]> all = new ArrayList<>();
		List<byte[]> timed = new ArrayList<>();
		int checked = 0;
		for (String dir : dirs) {
			try (Stream<Path> listing = Files.walk(Path.of(dir))) {
				for (Path file : listing.filter(ReducedDecoderProbe::isJpeg).sorted().toList()) {
					byte[] jpeg = Files.readAllBytes(file);
					all.add(jpeg);
					if (dir.equals(dirs[0]) && file.getFileName().toString().startsWith(sizeClass + "-")) {
						timed.add(jpeg);
					}
					if (rounds > 0) {
						continue; // checked in a run of its own, so that its mixed warm-up does not shape the JIT's code
					}
					for (int r : new int[] { 8, 4 }) {
						String difference = compare(jpeg, r);
						if (difference != null) {
							throw new IllegalStateException(file + " at 1/" + r + ": " + difference);
						}
						checked++;
					}
				}
			}
		}
		if (rounds == 0) {
			System.out.printf(Locale.ROOT, "CHECK identical: %d decodes (%d files at 1/8 and 1/4)%n", checked,
					all.size());
			return;
		}
		Runnable oldPass = () -> timed.forEach((jpeg) -> {
			if (oldDecode(jpeg, reduction) == null) {
				throw new IllegalStateException("refused");
			}
		});
		Runnable newPass = () -> timed.forEach((jpeg) -> {
			if (ReducedJpegDecoder.decode(jpeg, jpeg.length, reduction) == null) {
				throw new IllegalStateException("refused");
			}
		});
		for (int warm = 0; warm < 5; warm++) {
			rate(oldPass, timed.size());
			rate(newPass, timed.size());
		}
		double[] olds = new double[rounds];
		double[] news = new double[rounds];
		double[] ratios = new double[rounds];
		for (int round = 0; round < rounds; round++) {
			if (round % 2 == 0) {
				olds[round] = rate(oldPass, timed.size());
				news[round] = rate(newPass, timed.size());
			}
			else {
				news[round] = rate(newPass, timed.size());
				olds[round] = rate(oldPass, timed.size());
			}
			ratios[round] = news[round] / olds[round];
		}
		System.out.printf(Locale.ROOT, "RESULT class=%s scale=1/%d old=%.1f new=%.1f ratio=%.3f rounds_old=%s "
				+ "rounds_new=%s ratios=%s%n", sizeClass, reduction, median(olds), median(news), median(ratios),
				format(olds, "%.1f"), format(news, "%.1f"), format(ratios, "%.3f"));
	}

	private static boolean isJpeg(Path file) {
		String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
		return Files.isRegularFile(file) && (name.endsWith(".jpg") || name.endsWith(".jpeg"));
	}

	/** @return null when old and new decode {@code jpeg} alike, else what differs */
	private static String compare(byte[] jpeg, int reduction) {
		byte[] before = oldDecode(jpeg, reduction);
		ReducedJpegDecoder.Reduced after = ReducedJpegDecoder.decode(jpeg, jpeg.length, reduction);
		if (before == null || after == null) {
			return (before == null && after == null) ? null : "one refused: old " + before + ", new " + after;
		}
		// Same bytes and the same count of them; the width follows from the header both read.
		int at = Arrays.mismatch(before, after.bgr());
		return (at < 0) ? null : "byte " + at;
	}

	/** The earlier build's pixels, or null when it refuses the file. */
	private static byte[] oldDecode(byte[] jpeg, int reduction) {
		try {
			Object reduced = OLD_DECODE.invoke(jpeg, jpeg.length, reduction);
			return (reduced != null) ? (byte[]) OLD_BGR.invoke(reduced) : null;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Decodes per CPU second of this thread, in whole passes over the files. */
	private static double rate(Runnable pass, int files) {
		long start = THREADS.getCurrentThreadCpuTime();
		long passes = 0;
		long used;
		do {
			pass.run();
			passes++;
			used = THREADS.getCurrentThreadCpuTime() - start;
		}
		while (used < SECONDS * 1e9);
		return passes * files / (used / 1e9);
	}

	private static String format(double[] values, String pattern) {
		return Arrays.stream(values).mapToObj((value) -> String.format(Locale.ROOT, pattern, value)).toList().toString();
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

}
