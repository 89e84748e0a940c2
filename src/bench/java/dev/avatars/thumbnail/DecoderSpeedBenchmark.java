package dev.avatars.thumbnail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import dev.avatars.jpeg.ReducedJpegDecoder;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Decoding alone, one thread: {@link ReducedJpegDecoder} against libjpeg-turbo inside OpenCV at the same scale,
 * on one size class of the corpus read into memory. Which of the two the fast path takes at each scale rests on
 * this. Three rounds of 3 s after a warm-up round; decodes per second per round, then the medians. In this
 * package for the decoder's package access; a benchmark, never run by the test suite.
 *
 * <pre>
 * java ... dev.avatars.thumbnail.DecoderSpeedBenchmark CORPUS_DIR [CLASS (02mp)] [REDUCTION (4)]
 * </pre>
 */
final class DecoderSpeedBenchmark {

	private static final double SECONDS = 3;

	private DecoderSpeedBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		if (!NativeOpenCv.available()) {
			throw new IllegalStateException("OpenCV did not load: " + NativeOpenCv.failure());
		}
		String sizeClass = (args.length > 1) ? args[1] : "02mp";
		int reduction = (args.length > 2) ? Integer.parseInt(args[2]) : 4;
		int flag = (reduction == 4) ? Imgcodecs.IMREAD_REDUCED_COLOR_4 : Imgcodecs.IMREAD_REDUCED_COLOR_8;
		List<byte[]> jpegs = new ArrayList<>();
		try (Stream<Path> listing = Files.list(Path.of(args[0]))) {
			for (Path file : listing.filter((f) -> f.getFileName().toString().startsWith(sizeClass + "-"))
				.sorted()
				.toList()) {
				jpegs.add(Files.readAllBytes(file));
			}
		}
		Runnable ours = () -> jpegs.forEach((jpeg) -> {
			if (ReducedJpegDecoder.decode(jpeg, jpeg.length, reduction) == null) {
				throw new IllegalStateException("the decoder refused a corpus photo");
			}
		});
		Runnable libjpeg = () -> jpegs.forEach((jpeg) -> {
			Mat decoded = Imgcodecs.imdecode(new MatOfByte(jpeg), flag);
			decoded.release();
		});
		rate(ours, jpegs.size());
		rate(libjpeg, jpegs.size());
		double[] oursRounds = new double[3];
		double[] libjpegRounds = new double[3];
		for (int round = 0; round < 3; round++) {
			oursRounds[round] = rate(ours, jpegs.size());
			libjpegRounds[round] = rate(libjpeg, jpegs.size());
		}
		System.out.printf(Locale.ROOT, "RESULT decode class=%s scale=1/%d ours=%.1f libjpeg=%.1f rounds_ours=%s "
				+ "rounds_libjpeg=%s%n", sizeClass, reduction, median(oursRounds), median(libjpegRounds),
				rounds(oursRounds), rounds(libjpegRounds));
	}

	/** Decodes per second over {@link #SECONDS}, in whole passes over the files. */
	private static double rate(Runnable pass, int files) {
		long start = System.nanoTime();
		long passes = 0;
		while (System.nanoTime() - start < SECONDS * 1e9) {
			pass.run();
			passes++;
		}
		return passes * files / ((System.nanoTime() - start) / 1e9);
	}

	private static String rounds(double[] values) {
		return Arrays.stream(values).mapToObj((value) -> String.format(Locale.ROOT, "%.1f", value)).toList().toString();
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

}
