package dev.avatars.thumbnail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import dev.avatars.jpeg.ReducedJpegDecoder;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * How true {@link ReducedJpegDecoder} is, where it counts: a 256-pixel centre-crop thumbnail (OpenCV's area
 * filter) made from its output, against one made from the whole decoded picture, beside the same from
 * libjpeg-turbo at the same scale (what Pillow's {@code draft()} and vipsthumbnail decode). The scale is the
 * engine's for each size class of the corpus: 1/4 for 2 MP, 1/8 for 12 and 24 MP. Per class, the mean absolute
 * difference in levels (0–255) over all pixels and channels. In this package for the decoder's package access;
 * a benchmark, never run by the test suite.
 *
 * <pre>
 * java ... dev.avatars.thumbnail.DecoderFidelityBenchmark CORPUS_DIR
 * </pre>
 */
public final class DecoderFidelityBenchmark {

	private DecoderFidelityBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		if (!NativeOpenCv.available()) {
			throw new IllegalStateException("OpenCV did not load: " + NativeOpenCv.failure());
		}
		for (String sizeClass : List.of("02mp", "12mp", "24mp")) {
			int reduction = sizeClass.equals("02mp") ? 4 : 8;
			int libjpegFlag = (reduction == 4) ? Imgcodecs.IMREAD_REDUCED_COLOR_4 : Imgcodecs.IMREAD_REDUCED_COLOR_8;
			List<Path> files;
			try (Stream<Path> listing = Files.list(Path.of(args[0]))) {
				files = listing.filter((file) -> file.getFileName().toString().startsWith(sizeClass + "-")).sorted().toList();
			}
			double ours = 0;
			double libjpeg = 0;
			for (Path file : files) {
				byte[] jpeg = Files.readAllBytes(file);
				Mat truth = thumbnail(decode(jpeg, Imgcodecs.IMREAD_COLOR), 256);
				ReducedJpegDecoder.Reduced reduced = ReducedJpegDecoder.decode(jpeg, jpeg.length, reduction);
				Mat decoded = new Mat(reduced.height(), reduced.width(), CvType.CV_8UC3);
				decoded.put(0, 0, reduced.bgr());
				ours += difference(thumbnail(decoded, 256), truth);
				libjpeg += difference(thumbnail(decode(jpeg, libjpegFlag), 256), truth);
			}
			System.out.printf(Locale.ROOT, "RESULT fidelity class=%s scale=1/%d files=%d ours=%.3f libjpeg=%.3f%n",
					sizeClass, reduction, files.size(), ours / files.size(), libjpeg / files.size());
		}
	}

	private static Mat decode(byte[] jpeg, int flags) {
		return Imgcodecs.imdecode(new MatOfByte(jpeg), flags | Imgcodecs.IMREAD_IGNORE_ORIENTATION);
	}

	/** The centre square, resized with OpenCV's area filter. */
	public static Mat thumbnail(Mat picture, int size) {
		int side = Math.min(picture.cols(), picture.rows());
		Mat square = picture.submat(new Rect((picture.cols() - side) / 2, (picture.rows() - side) / 2, side, side));
		Mat thumbnail = new Mat();
		Imgproc.resize(square, thumbnail, new Size(size, size), 0, 0, Imgproc.INTER_AREA);
		return thumbnail;
	}

	/** Mean absolute difference over all pixels and channels, in levels (0–255). */
	public static double difference(Mat a, Mat b) {
		Mat difference = new Mat();
		Core.absdiff(a, b, difference);
		Scalar mean = Core.mean(difference);
		return (mean.val[0] + mean.val[1] + mean.val[2]) / 3;
	}

}
