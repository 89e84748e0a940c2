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

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Net;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * The face model's forward pass run different ways, A/B in one JVM, interleaved round by round: CPU time of this
 * thread per input, medians; and each way's largest difference from {@code base} in the two outputs.
 *
 * <pre>
 * java ... ForwardAbProbe CORPUS_DIR ROUNDS WAY,WAY,...
 * </pre>
 *
 * Ways: {@code base} (as FaceDetector: net from the bytes, setInput, forward of the unconnected outputs by name,
 * the floats read out), {@code file} (net read from the model file), {@code reuse} (the output names and the
 * output Mats kept across calls; the input shape needs no setting, the TFLite importer fixes it at 1×3×192×192 and
 * refuses {@code setInputShape}), {@code noipp} (OpenCV's IPP off during the pass: the
 * Resize layers' cv::resize), {@code nofusion}, {@code backend} (DNN_BACKEND_OPENCV and DNN_TARGET_CPU set
 * explicitly), {@code model=PATH} (another model file, e.g. one with fp32 weights), {@code load} (reading a net
 * from the bytes, once per input, for scale).
 */
public final class ForwardAbProbe {

	private ForwardAbProbe() {
	}

	public static void main(String[] args) throws Exception {
		String library = System.getProperty("opencv.library");
		if (library != null) {
			System.load(library);
			Core.setNumThreads(1);
		}
		else if (!NativeOpenCv.available()) {
			throw new IllegalStateException(NativeOpenCv.failure());
		}
		Path corpus = Path.of(args[0]);
		int rounds = Integer.parseInt(args[1]);
		String[] ways = args[2].split(",");
		byte[] model = FaceDetector.modelBytes();
		Path modelFile = Files.createTempFile("face-model-", ".tflite");
		Files.write(modelFile, model);
		List<Mat> blobs = new ArrayList<>();
		try (Stream<Path> listing = Files.list(corpus)) {
			for (Path file : listing.filter((f) -> f.getFileName().toString().startsWith("12mp-")).sorted().toList()) {
				Mat small = Imgcodecs.imread(file.toString(), Imgcodecs.IMREAD_REDUCED_COLOR_8);
				blobs.add(letterboxedBlob(small));
				small.release();
			}
		}
		Net[] nets = new Net[ways.length];
		List<List<Mat>> kept = new ArrayList<>();
		List<List<String>> names = new ArrayList<>();
		for (int w = 0; w < ways.length; w++) {
			String way = ways[w];
			Net net = way.equals("file") ? Dnn.readNetFromTFLite(modelFile.toString())
					: way.startsWith("model=") ? Dnn.readNetFromTFLite(way.substring(6))
							: Dnn.readNetFromTFLite(new MatOfByte(model));
			if (way.equals("nofusion")) {
				net.enableFusion(false);
			}
			if (way.equals("backend")) {
				net.setPreferableBackend(Dnn.DNN_BACKEND_OPENCV);
				net.setPreferableTarget(Dnn.DNN_TARGET_CPU);
			}
			nets[w] = net;
			kept.add(new ArrayList<>());
			names.add(net.getUnconnectedOutLayersNames());
		}
		// The outputs of each way against base's, on every input.
		float[][][] reference = new float[blobs.size()][][];
		double[] boxDiff = new double[ways.length];
		double[] scoreDiff = new double[ways.length];
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		double[][] times = new double[ways.length][rounds];
		for (int r = -2; r < rounds; r++) {
			for (int w = 0; w < ways.length; w++) {
				String way = ways[w];
				long start = threads.getCurrentThreadCpuTime();
				for (int i = 0; i < blobs.size(); i++) {
					float[][] out;
					if (way.equals("load")) {
						MatOfByte bytes = new MatOfByte(model);
						Net fresh = Dnn.readNetFromTFLite(bytes);
						bytes.release();
						out = null;
						fresh.getLayerNames();
					}
					else if (way.equals("reuse")) {
						Net net = nets[w];
						net.setInput(blobs.get(i));
						List<Mat> outputs = kept.get(w);
						net.forward(outputs, names.get(w));
						out = floats(outputs, false);
					}
					else {
						Net net = nets[w];
						boolean ipp = Core.useIPP();
						if (way.equals("noipp")) {
							Core.setUseIPP(false);
						}
						try {
							net.setInput(blobs.get(i));
							List<Mat> outputs = new ArrayList<>(2);
							net.forward(outputs, net.getUnconnectedOutLayersNames());
							out = floats(outputs, true);
						}
						finally {
							Core.setUseIPP(ipp);
						}
					}
					if (r == -2 && out != null) {
						if (w == 0) {
							reference[i] = out;
						}
						else {
							boxDiff[w] = Math.max(boxDiff[w], maxDiff(reference[i][0], out[0]));
							scoreDiff[w] = Math.max(scoreDiff[w], maxDiff(reference[i][1], out[1]));
						}
					}
				}
				if (r >= 0) {
					times[w][r] = (threads.getCurrentThreadCpuTime() - start) / 1e6 / blobs.size();
				}
			}
		}
		double base = median(times[0]);
		for (int w = 0; w < ways.length; w++) {
			double m = median(times[w]);
			System.out.printf(Locale.ROOT,
					"RESULT way=%s ms_per_forward=%.3f base/this=%.3f max_box_diff=%.2e max_score_diff=%.2e rounds=%s%n",
					ways[w], m, base / m, boxDiff[w], scoreDiff[w], Arrays.toString(sorted(times[w])));
		}
		Files.deleteIfExists(modelFile);
	}

	/** As FaceDetector.infer prepares a picture: fitted into 192×192, letterboxed, RGB in [-1, 1]. */
	static Mat letterboxedBlob(Mat picture) {
		double scale = Math.min(192.0 / picture.cols(), 192.0 / picture.rows());
		int cols = Math.max(1, Math.min(192, (int) Math.round(picture.cols() * scale)));
		int rows = Math.max(1, Math.min(192, (int) Math.round(picture.rows() * scale)));
		Mat resized = new Mat();
		Mat letterboxed = new Mat();
		Imgproc.resize(picture, resized, new Size(cols, rows), 0, 0,
				(scale < 1) ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR);
		int left = (192 - cols) / 2;
		int top = (192 - rows) / 2;
		Core.copyMakeBorder(resized, letterboxed, top, 192 - rows - top, left, 192 - cols - left,
				Core.BORDER_CONSTANT, new Scalar(0, 0, 0));
		Mat blob = Dnn.blobFromImage(letterboxed, 1 / 127.5, new Size(192, 192), new Scalar(127.5, 127.5, 127.5), true,
				false);
		resized.release();
		letterboxed.release();
		return blob;
	}

	/** Boxes (2304×16) first, scores (2304) second. */
	private static float[][] floats(List<Mat> outputs, boolean release) {
		float[][] out = new float[2][];
		for (Mat output : outputs) {
			Mat flat = output.reshape(1, 1);
			float[] values = new float[(int) flat.total()];
			flat.get(0, 0, values);
			flat.release();
			out[(values.length == 2304) ? 1 : 0] = values;
			if (release) {
				output.release();
			}
		}
		return out;
	}

	private static double maxDiff(float[] a, float[] b) {
		if (a == null || b == null || a.length != b.length) {
			return Double.NaN;
		}
		double max = 0;
		for (int i = 0; i < a.length; i++) {
			max = Math.max(max, Math.abs(a[i] - b[i]));
		}
		return max;
	}

	private static double[] sorted(double[] values) {
		double[] s = values.clone();
		Arrays.sort(s);
		for (int i = 0; i < s.length; i++) {
			s[i] = Math.round(s[i] * 1000) / 1000.0;
		}
		return s;
	}

	private static double median(double[] values) {
		return sorted(values)[values.length / 2];
	}


}
