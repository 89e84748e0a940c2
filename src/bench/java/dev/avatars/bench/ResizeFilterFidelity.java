package dev.avatars.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import nu.pattern.OpenCV;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Which OpenCV filter shrinks the fast path's reduced decode closest to a Lanczos thumbnail of the full-size
 * square (Pillow's, made by {@code scripts/bench/resize-fidelity.sh}): PSNR in dB of the area, bicubic and
 * bilinear filters, and each filter's time. Two sets: the 2 MP photos' centre squares at 1/4 (300 px to 256,
 * 1.17×), and the 12 MP photos' square at (512, 24) of side 2944, at 1/8 exactly 368 px at (64, 3), shrunk by
 * 1.1× to 1.9×. A benchmark, never run by the test suite.
 *
 * <pre>
 * java ... ResizeFilterFidelity CORPUS_DIR REFERENCE_DIR
 * </pre>
 */
public final class ResizeFilterFidelity {

	private static final int[] FILTERS = { Imgproc.INTER_AREA, Imgproc.INTER_CUBIC, Imgproc.INTER_LINEAR };

	private static final String[] NAMES = { "area", "bicubic", "bilinear" };

	private static final double[] RATIOS = { 1.1, 1.2, 1.3, 1.4, 1.46, 1.5, 1.6, 1.7, 1.9 };

	private ResizeFilterFidelity() {
	}

	public static void main(String[] args) throws Exception {
		OpenCV.loadLocally();
		Core.setNumThreads(1);
		Path corpus = Path.of(args[0]);
		Path references = Path.of(args[1]);
		for (Path photo : files(corpus, "02mp-")) {
			Mat decoded = Imgcodecs.imread(photo.toString(),
					Imgcodecs.IMREAD_REDUCED_COLOR_4 | Imgcodecs.IMREAD_IGNORE_ORIENTATION);
			int side = Math.min(decoded.cols(), decoded.rows());
			Mat square = decoded.submat(
					new Rect((decoded.cols() - side) / 2, (decoded.rows() - side) / 2, side, side));
			compare(photo, square, 256, references.resolve(photo.getFileName() + ".256.png"));
			decoded.release();
		}
		for (Path photo : files(corpus, "12mp-0")) {
			Mat decoded = Imgcodecs.imread(photo.toString(),
					Imgcodecs.IMREAD_REDUCED_COLOR_8 | Imgcodecs.IMREAD_IGNORE_ORIENTATION);
			if (decoded.cols() != 500 || decoded.rows() != 375) {
				continue; // stored sideways
			}
			Mat square = decoded.submat(new Rect(64, 3, 368, 368));
			for (double ratio : RATIOS) {
				int size = (int) (368 / ratio);
				compare(photo, square, size, references.resolve(photo.getFileName() + "." + size + ".png"));
			}
			decoded.release();
		}
	}

	private static void compare(Path photo, Mat square, int size, Path reference) {
		Mat expected = Imgcodecs.imread(reference.toString());
		StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "RESULT photo=%s ratio=%.2f",
				photo.getFileName(), square.cols() / (double) size));
		Mat resized = new Mat();
		for (int f = 0; f < FILTERS.length; f++) {
			Imgproc.resize(square, resized, new Size(size, size), 0, 0, FILTERS[f]);
			long start = System.nanoTime();
			int repeats = 100;
			for (int i = 0; i < repeats; i++) {
				Imgproc.resize(square, resized, new Size(size, size), 0, 0, FILTERS[f]);
			}
			double ms = (System.nanoTime() - start) / 1e6 / repeats;
			line.append(String.format(Locale.ROOT, " %s_db=%.2f %s_ms=%.3f", NAMES[f], Core.PSNR(expected, resized),
					NAMES[f], ms));
		}
		System.out.println(line);
		resized.release();
		expected.release();
	}

	private static List<Path> files(Path corpus, String prefix) throws Exception {
		try (Stream<Path> files = Files.list(corpus)) {
			return files.filter((f) -> f.getFileName().toString().startsWith(prefix)).sorted().toList();
		}
	}

}
