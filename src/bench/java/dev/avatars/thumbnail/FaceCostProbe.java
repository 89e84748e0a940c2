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
import java.util.zip.Deflater;

import dev.avatars.png.EarlierPngEncoder;
import dev.avatars.png.PngEncoder;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Net;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Where the CPU time of face detection and the round variants goes (docs/FACES.md, "Cost"), part by part, on the
 * 1/8 decodes of the 12 MP photographs and their 256/128/64 squares. Parts interleaved round by round in one
 * JVM; CPU time of this thread per photo (and of the whole process, to see whether OpenCV works on threads of
 * its own), medians.
 *
 * <pre>
 * java ... FaceCostProbe CORPUS_DIR ROUNDS [PART,PART,...]
 * </pre>
 *
 * Parts: {@code detect} (FaceDetector.detect), {@code forward} (the model alone; {@code forward-nowinograd},
 * {@code forward-nofusion}: with those options of the net off; {@code forward-int8}: OpenCV's int8 form of the model,
 * calibrated on the corpus; {@code forward-fp16}: the half-float CPU target), {@code area} / {@code linear}
 * (scaling the 1/8 decode to the model's 192 pixels), {@code blob} (blobFromImage of a 192×192 picture),
 * {@code circle} (the three round PNGs as the renderer made them with OpenCV's encoder), {@code encode} (their
 * PNG encoding alone), {@code strategyN} (the same with IMWRITE_PNG_STRATEGY N, OpenCV's speed settings otherwise
 * kept), {@code levelN} (IMWRITE_PNG_COMPRESSION N, which also turns on libpng's adaptive filters);
 * {@code jcircle} (the three round PNGs as the renderer makes them now: the BGR square and the coverage
 * through {@link PngEncoder#encodeBgr}), {@code jcircle-before} (as it made them until then: masked to RGBA,
 * then {@link EarlierPngEncoder#ROUND}), {@code jpng-bgr} ({@link PngEncoder#encodeBgr} alone, on BGR already
 * out of the {@code Mat}), {@code jpng-now} ({@link PngEncoder#encode} of the masked RGBA, as the
 * pure-Java renderer does), {@code jpng-FILTER-LEVEL-STRATEGY} ({@link EarlierPngEncoder} with the JDK's zlib,
 * e.g. {@code jpng-sub-1-default}, {@code jpng-up-1-huffman}, {@code jpng-paeth-1-filtered}) and
 * {@code jpng-FILTER-own} (with its Huffman-only deflate), on the same masked squares. It first prints how many photos the job would frame on a
 * face, and whether the model takes a 4:3 input (192×144, 192×128) instead of the 192×192 letterbox.
 */
public final class FaceCostProbe {

	private FaceCostProbe() {
	}

	public static void main(String[] args) throws Exception {
		if (!NativeOpenCv.available()) {
			throw new IllegalStateException(NativeOpenCv.failure());
		}
		Path corpus = Path.of(args[0]);
		int rounds = Integer.parseInt(args[1]);
		String[] parts = (args.length > 2) ? args[2].split(",")
				: new String[] { "detect", "forward", "area", "linear", "blob", "circle", "encode" };
		List<Path> files;
		try (Stream<Path> listing = Files.list(corpus)) {
			files = listing.filter((f) -> f.getFileName().toString().startsWith("12mp-")).sorted().toList();
		}
		List<Mat> smalls = new ArrayList<>();
		List<Mat> squares = new ArrayList<>();
		List<Mat> rounded = new ArrayList<>();
		List<byte[]> rgbas = new ArrayList<>();
		List<byte[]> bgrs = new ArrayList<>();
		for (Path file : files) {
			Mat small = Imgcodecs.imread(file.toString(), Imgcodecs.IMREAD_REDUCED_COLOR_8);
			smalls.add(small);
			int side = Math.min(small.cols(), small.rows());
			Mat from = small.submat(0, side, 0, side);
			for (int size : new int[] { 256, 128, 64 }) {
				Mat square = new Mat();
				Imgproc.resize(from, square, new Size(size, size), 0, 0, Imgproc.INTER_AREA);
				squares.add(square);
				Mat round = new Mat();
				circle(square, round, new MatOfByte());
				rounded.add(round);
				byte[] bgr = new byte[size * size * 3];
				square.get(0, 0, bgr);
				rgbas.add(rgbaFromBgr(bgr, size));
				bgrs.add(bgr);
				from = square;
			}
		}
		FaceDetector detector = FaceDetector.load();
		byte[] model = FaceDetector.modelBytes();
		Net net = Dnn.readNetFromTFLite(new MatOfByte(model));
		Net noWinograd = Dnn.readNetFromTFLite(new MatOfByte(model));
		noWinograd.enableWinograd(false);
		Net noFusion = Dnn.readNetFromTFLite(new MatOfByte(model));
		noFusion.enableFusion(false);
		// OpenCV's int8 form of the model, calibrated on the corpus' own pictures squeezed to 192×192.
		List<Mat> calibration = new ArrayList<>();
		for (Mat small : smalls) {
			Mat squeezed = new Mat();
			Imgproc.resize(small, squeezed, new Size(192, 192));
			calibration.add(squeezed);
		}
		Net int8 = Dnn.readNetFromTFLite(new MatOfByte(model))
			.quantize(List.of(Dnn.blobFromImages(calibration, 1 / 127.5, new Size(192, 192),
					new Scalar(127.5, 127.5, 127.5), true, false)), CvType.CV_32F, CvType.CV_32F, true);
		Net fp16 = Dnn.readNetFromTFLite(new MatOfByte(model));
		fp16.setPreferableTarget(Dnn.DNN_TARGET_CPU_FP16);
		Mat input = new Mat(192, 192, CvType.CV_8UC3, new Scalar(90, 120, 150));
		Mat blob = Dnn.blobFromImage(input, 1 / 127.5, new Size(192, 192), new Scalar(127.5, 127.5, 127.5), true, false);
		// How often the renderer decodes a second time, at a finer scale, for a face's square smaller than the
		// centre one (OpenCvRenderer.render): the framing as the job makes it, on the decode as stored.
		int finer = 0;
		int faces = 0;
		for (Path file : files) {
			Photo photo = Photo.read(file, null);
			Mat stored = Imgcodecs.imread(file.toString(),
					Imgcodecs.IMREAD_REDUCED_COLOR_8 | Imgcodecs.IMREAD_IGNORE_ORIENTATION);
			Framing framing = detector.frame(stored, photo.orientation(), photo.uprightWidth(), photo.uprightHeight());
			if (framing.kind() == Framing.Kind.FACE) {
				faces++;
				if (photo.withCrop(framing.square()).reduction(256) != photo.reduction(256)) {
					finer++;
				}
			}
			stored.release();
		}
		System.out.printf(Locale.ROOT, "RESULT photos=%d framed_on_a_face=%d decoded_again_finer=%d%n", files.size(),
				faces, finer);
		// Whether the model runs on a 4:3 input without the letterbox's padding (a quarter less to compute).
		for (int rows : new int[] { 144, 128 }) {
			Mat wide = Dnn.blobFromImage(new Mat(rows, 192, CvType.CV_8UC3, new Scalar(90, 120, 150)), 1 / 127.5,
					new Size(192, rows), new Scalar(127.5, 127.5, 127.5), true, false);
			List<Mat> outputs = new ArrayList<>();
			String answer;
			// A net of its own: one that failed is not used for the timings below.
			Net trial = Dnn.readNetFromTFLite(new MatOfByte(model));
			try {
				trial.setInput(wide);
				trial.forward(outputs, trial.getUnconnectedOutLayersNames());
				answer = "accepted, outputs " + outputs.stream().map((m) -> String.valueOf(m.total())).toList();
			}
			catch (RuntimeException ex) {
				answer = "refused: " + String.valueOf(ex.getMessage()).lines().findFirst().orElse("");
			}
			outputs.forEach(Mat::release);
			wide.release();
			System.out.printf(Locale.ROOT, "RESULT input=192x%d %s%n", rows, answer);
		}
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
			.getOperatingSystemMXBean();
		List<List<Double>> times = new ArrayList<>();
		List<List<Double>> processTimes = new ArrayList<>();
		long[] bytes = new long[parts.length];
		for (int p = 0; p < parts.length; p++) {
			times.add(new ArrayList<>());
			processTimes.add(new ArrayList<>());
		}
		Mat round = new Mat();
		MatOfByte out = new MatOfByte();
		for (int r = -2; r < rounds; r++) {
			for (int p = 0; p < parts.length; p++) {
				String part = parts[p];
				long start = threads.getCurrentThreadCpuTime();
				long processStart = os.getProcessCpuTime();
				long total = 0;
				for (int i = 0; i < smalls.size(); i++) {
					Mat small = smalls.get(i);
					Mat o = new Mat();
					if (part.equals("detect")) {
						detector.detect(small, Orientation.NORMAL);
					}
					else if (part.startsWith("forward")) {
						Net which = part.equals("forward-nowinograd") ? noWinograd
								: part.equals("forward-nofusion") ? noFusion
										: part.equals("forward-int8") ? int8 : part.equals("forward-fp16") ? fp16 : net;
						List<Mat> outputs = new ArrayList<>();
						which.setInput(blob);
						which.forward(outputs, which.getUnconnectedOutLayersNames());
						outputs.forEach(Mat::release);
					}
					else if (part.equals("area") || part.equals("linear")) {
						Imgproc.resize(small, o, new Size(192, 144), 0, 0,
								part.equals("area") ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
					}
					else if (part.equals("blob")) {
						o.release();
						o = Dnn.blobFromImage(input, 1 / 127.5, new Size(192, 192), new Scalar(127.5, 127.5, 127.5),
								true, false);
					}
					else {
						for (int s = 3 * i; s < 3 * i + 3; s++) {
							if (part.equals("circle")) {
								total += circle(squares.get(s), round, out);
								continue;
							}
							if (part.equals("jcircle")) {
								total += javaCircle(squares.get(s)).length;
								continue;
							}
							if (part.equals("jcircle-before")) {
								total += javaCircleBefore(squares.get(s)).length;
								continue;
							}
							if (part.equals("jpng-bgr")) {
								int size = squares.get(s).cols();
								total += PngEncoder.ROUND.encodeBgr(size, size, bgrs.get(s), CircleMask.coverage(size)).length;
								continue;
							}
							if (part.equals("jpng-now")) {
								int size = squares.get(s).cols();
								total += PngEncoder.ROUND.encode(size, size, PngEncoder.ColourType.RGBA, rgbas.get(s)).length;
								continue;
							}
							if (part.startsWith("jpng-")) {
								int size = squares.get(s).cols();
								total += encoder(part).encode(size, size, EarlierPngEncoder.ColourType.RGBA, rgbas.get(s)).length;
								continue;
							}
							MatOfInt params = part.startsWith("strategy")
									? new MatOfInt(Imgcodecs.IMWRITE_PNG_STRATEGY, Integer.parseInt(part.substring(8)))
									: part.startsWith("level")
											? new MatOfInt(Imgcodecs.IMWRITE_PNG_COMPRESSION,
													Integer.parseInt(part.substring(5)))
											: new MatOfInt();
							Imgcodecs.imencode(".png", rounded.get(s), out, params);
							total += out.total();
							params.release();
						}
					}
					o.release();
				}
				if (r >= 0) {
					times.get(p).add((threads.getCurrentThreadCpuTime() - start) / 1e6 / smalls.size());
					processTimes.get(p).add((os.getProcessCpuTime() - processStart) / 1e6 / smalls.size());
					bytes[p] = total / smalls.size();
				}
			}
		}
		for (int p = 0; p < parts.length; p++) {
			double[] sorted = times.get(p).stream().mapToDouble(Double::doubleValue).sorted().toArray();
			double[] process = processTimes.get(p).stream().mapToDouble(Double::doubleValue).sorted().toArray();
			System.out.printf(Locale.ROOT, "RESULT part=%s ms_per_photo=%.2f process_ms_per_photo=%.2f bytes=%d rounds=%s%n",
					parts[p], sorted[sorted.length / 2], process[process.length / 2], bytes[p], Arrays.toString(sorted));
		}
	}


	/**
	 * What OpenCvRenderer.circle did before {@link PngEncoder}: BGRA through OpenCV's PNG encoder (defaults); the
	 * PNG's length.
	 */
	private static long circle(Mat square, Mat round, MatOfByte out) {
		Imgproc.cvtColor(square, round, Imgproc.COLOR_BGR2BGRA);
		int size = square.cols();
		byte[] bgra = new byte[(int) (round.total() * 4)];
		round.get(0, 0, bgra);
		byte[] mask = CircleMask.coverage(size);
		for (int i = 0; i < mask.length; i++) {
			bgra[i * 4 + 3] = mask[i];
			if (mask[i] == 0) {
				bgra[i * 4] = 0;
				bgra[i * 4 + 1] = 0;
				bgra[i * 4 + 2] = 0;
			}
		}
		round.put(0, 0, bgra);
		Imgcodecs.imencode(".png", round, out);
		return out.total();
	}

	/** What OpenCvRenderer.circle does now: BGR out of the Mat, and the coverage as alpha, to {@link PngEncoder}. */
	private static byte[] javaCircle(Mat square) {
		int size = square.cols();
		byte[] bgr = new byte[size * size * 3];
		square.get(0, 0, bgr);
		return PngEncoder.ROUND.encodeBgr(size, size, bgr, CircleMask.coverage(size));
	}

	/** What OpenCvRenderer.circle did before that (commit 2724100): BGR masked to RGBA, then the earlier encoder. */
	private static byte[] javaCircleBefore(Mat square) {
		int size = square.cols();
		byte[] bgr = new byte[size * size * 3];
		square.get(0, 0, bgr);
		return EarlierPngEncoder.ROUND.encode(size, size, EarlierPngEncoder.ColourType.RGBA, rgbaFromBgr(bgr, size));
	}

	/** CircleMask.rgbaFromBgr as it was (commit 2724100): RGBA, alpha the coverage, colour zeroed where it is 0. */
	private static byte[] rgbaFromBgr(byte[] bgr, int size) {
		byte[] mask = CircleMask.coverage(size);
		byte[] rgba = new byte[mask.length * 4];
		for (int i = 0, from = 0, to = 0; i < mask.length; i++, from += 3, to += 4) {
			byte alpha = mask[i];
			if (alpha != 0) {
				rgba[to] = bgr[from + 2];
				rgba[to + 1] = bgr[from + 1];
				rgba[to + 2] = bgr[from];
				rgba[to + 3] = alpha;
			}
		}
		return rgba;
	}

	/**
	 * {@code jpng-FILTER-LEVEL-STRATEGY}, e.g. {@code jpng-sub-1-default}, {@code jpng-up-1-huffman}: zlib;
	 * {@code jpng-FILTER-own}: {@link EarlierPngEncoder#huffman}.
	 */
	private static EarlierPngEncoder encoder(String part) {
		String[] fields = part.split("-");
		if (fields[2].equals("own")) {
			return EarlierPngEncoder.huffman(EarlierPngEncoder.Filter.valueOf(fields[1].toUpperCase(Locale.ROOT)));
		}
		int strategy = switch (fields[3]) {
			case "default" -> Deflater.DEFAULT_STRATEGY;
			case "filtered" -> Deflater.FILTERED;
			case "huffman" -> Deflater.HUFFMAN_ONLY;
			default -> throw new IllegalArgumentException(part);
		};
		return EarlierPngEncoder.zlib(EarlierPngEncoder.Filter.valueOf(fields[1].toUpperCase(Locale.ROOT)), Integer.parseInt(fields[2]),
				strategy);
	}

}
