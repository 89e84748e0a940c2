package dev.avatars.thumbnail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import dev.avatars.jpeg.JpegEncoder;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * OpenCV's {@code imencode(".jpg")} against {@link JpegEncoder} on the 256, 128 and 64 px squares of the corpus
 * photos, made as {@link FaceCostProbe} makes them: 12 MP decoded at 1/8, 2 MP at 1/4, the top-left square
 * resized by the area filter, each size from the one before. Both encoders interleaved round by round in one
 * JVM; CPU time of this thread per square, medians; OpenCV's time includes copying the bytes out of the
 * MatOfByte, the Java encoder's copying the pixels out of the Mat. Also prints, per size, the bytes of each and
 * the PSNR of each decode against the square, and how many files came out byte for byte the same.
 *
 * <pre>
 * java ... JpegEncodeProbe CORPUS_DIR ROUNDS [QUALITY]
 * </pre>
 */
public final class JpegEncodeProbe {

	private static final int[] SIZES = { 256, 128, 64 };

	private JpegEncodeProbe() {
	}

	public static void main(String[] args) throws Exception {
		if (!NativeOpenCv.available()) {
			throw new IllegalStateException(NativeOpenCv.failure());
		}
		Path corpus = Path.of(args[0]);
		int rounds = Integer.parseInt(args[1]);
		float quality = (args.length > 2) ? Float.parseFloat(args[2]) : 0.85f;
		List<Path> files;
		try (Stream<Path> listing = Files.list(corpus)) {
			files = listing.filter((f) -> {
				String name = f.getFileName().toString();
				return name.startsWith("12mp-") || name.startsWith("02mp-");
			}).sorted().toList();
		}
		// squares.get(s) for s = 3 * photo + index of the size
		List<Mat> squares = new ArrayList<>();
		for (Path file : files) {
			boolean twelve = file.getFileName().toString().startsWith("12mp-");
			Mat small = Imgcodecs.imread(file.toString(),
					twelve ? Imgcodecs.IMREAD_REDUCED_COLOR_8 : Imgcodecs.IMREAD_REDUCED_COLOR_4);
			int side = Math.min(small.cols(), small.rows());
			Mat from = small.submat(0, side, 0, side);
			for (int size : SIZES) {
				Mat square = new Mat();
				Imgproc.resize(from, square, new Size(size, size), 0, 0, Imgproc.INTER_AREA);
				squares.add(square);
				from = square;
			}
		}
		int photos = files.size();
		MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, Math.round(quality * 100));
		MatOfByte out = new MatOfByte();
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		// [encoder][size] → per-round ms per square
		List<List<List<Double>>> times = List.of(newLists(), newLists());
		for (int r = -30; r < rounds; r++) {
			for (int e = 0; e < 2; e++) {
				for (int z = 0; z < SIZES.length; z++) {
					long start = threads.getCurrentThreadCpuTime();
					for (int i = 0; i < photos; i++) {
						Mat square = squares.get(3 * i + z);
						if (e == 0) {
							Imgcodecs.imencode(".jpg", square, out, params);
							out.toArray();
						}
						else {
							int size = square.cols();
							byte[] bgr = new byte[size * size * 3];
							square.get(0, 0, bgr);
							JpegEncoder.encode(bgr, size, size, quality);
						}
					}
					if (r >= 0) {
						times.get(e).get(z).add((threads.getCurrentThreadCpuTime() - start) / 1e6 / photos);
					}
				}
			}
		}
		double openCvTotal = 0;
		double javaTotal = 0;
		for (int z = 0; z < SIZES.length; z++) {
			double openCv = median(times.get(0).get(z));
			double java = median(times.get(1).get(z));
			openCvTotal += openCv;
			javaTotal += java;
			long openCvBytes = 0;
			long javaBytes = 0;
			double openCvPsnr = 0;
			double javaPsnr = 0;
			int identical = 0;
			for (int i = 0; i < photos; i++) {
				Mat square = squares.get(3 * i + z);
				int size = square.cols();
				byte[] bgr = new byte[size * size * 3];
				square.get(0, 0, bgr);
				Imgcodecs.imencode(".jpg", square, out, params);
				byte[] a = out.toArray();
				byte[] b = JpegEncoder.encode(bgr, size, size, quality);
				openCvBytes += a.length;
				javaBytes += b.length;
				openCvPsnr += psnr(bgr, decode(a));
				javaPsnr += psnr(bgr, decode(b));
				if (Arrays.equals(a, b)) {
					identical++;
				}
			}
			System.out.printf(Locale.ROOT,
					"RESULT size=%d opencv_ms=%.4f java_ms=%.4f ratio=%.2f opencv_bytes=%d java_bytes=%d "
							+ "opencv_psnr=%.3f java_psnr=%.3f identical=%d/%d%n",
					SIZES[z], openCv, java, openCv / java, openCvBytes / photos, javaBytes / photos,
					openCvPsnr / photos, javaPsnr / photos, identical, photos);
		}
		System.out.printf(Locale.ROOT, "RESULT all opencv_ms=%.4f java_ms=%.4f ratio=%.2f photos=%d rounds=%d%n",
				openCvTotal, javaTotal, openCvTotal / javaTotal, photos, rounds);
	}

	private static List<List<Double>> newLists() {
		List<List<Double>> lists = new ArrayList<>();
		for (int z = 0; z < SIZES.length; z++) {
			lists.add(new ArrayList<>());
		}
		return lists;
	}

	private static double median(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return sorted[sorted.length / 2];
	}

	private static byte[] decode(byte[] jpeg) {
		Mat decoded = Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_COLOR);
		byte[] bgr = new byte[(int) decoded.total() * 3];
		decoded.get(0, 0, bgr);
		decoded.release();
		return bgr;
	}

	private static double psnr(byte[] a, byte[] b) {
		double sum = 0;
		for (int i = 0; i < a.length; i++) {
			int d = (a[i] & 0xFF) - (b[i] & 0xFF);
			sum += d * d;
		}
		return 10 * Math.log10(255.0 * 255.0 / (sum / a.length));
	}

}
