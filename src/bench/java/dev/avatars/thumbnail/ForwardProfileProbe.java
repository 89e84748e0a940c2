package dev.avatars.thumbnail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfDouble;
import org.opencv.core.MatOfInt;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Net;

/**
 * Where the face model's forward pass spends its time in OpenCV's DNN module: per layer and per layer type
 * ({@code Net.getPerfProfile}, medians over the runs), against each layer's FLOPs, and the thread's CPU time per
 * pass. OpenCV's {@code getFLOPS} counts a depthwise convolution as a full one (9× too much for 3×3 over C
 * channels, times C); the FLOPs here divide that back out, and OpenCV's own total is printed beside them.
 *
 * <pre>
 * java [-Dopencv.library=/path/libopencv_java490.so] [-Dprobe.dump=FILE] ... ForwardProfileProbe RUNS [MODEL_FILE|-] [layers]
 * </pre>
 *
 * {@code -Dopencv.library} loads the native library from a file that stays (so async-profiler can read its
 * symbols; NativeOpenCv deletes its copy once loaded); without it, {@link NativeOpenCv} loads it. {@code layers}
 * also prints every layer with its weights' shape and type; {@code probe.dump} writes {@code Net.dump()} (the
 * graph after fusion).
 */
public final class ForwardProfileProbe {

	private ForwardProfileProbe() {
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
		int runs = Integer.parseInt(args[0]);
		byte[] model = (args.length > 1 && !args[1].equals("-")) ? Files.readAllBytes(Path.of(args[1])) : FaceDetector.modelBytes();
		boolean layers = args.length > 2 && args[2].equals("layers");
		Net net = Dnn.readNetFromTFLite(new MatOfByte(model));
		Mat input = new Mat(192, 192, CvType.CV_8UC3, new Scalar(90, 120, 150));
		Mat blob = Dnn.blobFromImage(input, 1 / 127.5, new Size(192, 192), new Scalar(127.5, 127.5, 127.5), true,
				false);
		List<String> names = net.getLayerNames();
		List<String> outs = net.getUnconnectedOutLayersNames();
		double[][] samples = new double[names.size()][runs];
		double[] totals = new double[runs];
		double tick = Core.getTickFrequency() / 1e3;
		double[] cpus = new double[runs];
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		for (int r = -3; r < runs; r++) {
			long start = threads.getCurrentThreadCpuTime();
			List<Mat> outputs = new ArrayList<>();
			net.setInput(blob);
			net.forward(outputs, outs);
			outputs.forEach(Mat::release);
			if (r >= 0) {
				cpus[r] = (threads.getCurrentThreadCpuTime() - start) / 1e6;
			}
			MatOfDouble timings = new MatOfDouble();
			long total = net.getPerfProfile(timings);
			if (r >= 0) {
				totals[r] = total / tick;
				double[] t = timings.toArray();
				for (int i = 0; i < names.size() && i < t.length; i++) {
					samples[i][r] = t[i] / tick;
				}
			}
			timings.release();
		}
		MatOfInt shape = new MatOfInt(1, 3, 192, 192);
		long flops = 0;
		Map<String, double[]> byType = new TreeMap<>();
		for (int i = 0; i < names.size(); i++) {
			String name = names.get(i);
			int id = net.getLayerId(name);
			String type = net.getLayer(id).get_type();
			double[] s = samples[i].clone();
			Arrays.sort(s);
			double median = s[s.length / 2];
			long layerFlops = net.getFLOPS(id, shape);
			String weights = "";
			if (type.equals("Convolution")) {
				List<Mat> blobs = net.getLayer(id).get_blobs();
				if (!blobs.isEmpty()) {
					Mat w = blobs.get(0);
					int[] dims = new int[w.dims()];
					for (int d = 0; d < dims.length; d++) {
						dims[d] = w.size(d);
					}
					weights = Arrays.toString(dims) + " " + CvType.typeToString(w.type());
					// OpenCV counts a grouped convolution as if it were full: a depthwise one as inCn times its work.
					if (dims.length == 4 && dims[1] == 1 && name.contains("depthwise")) {
						int kArea = dims[2] * dims[3];
						layerFlops = Math.round(layerFlops * (2.0 * kArea + 1) / (2.0 * kArea * dims[0] + 1));
					}
				}
			}
			double[] agg = byType.computeIfAbsent(type, (k) -> new double[4]);
			agg[0]++;
			agg[1] += median;
			agg[2] += layerFlops;
			flops += layerFlops;
			if (median > 0) {
				agg[3]++;
			}
			if (layers) {
				System.out.printf(Locale.ROOT, "LAYER %3d %-22s %-40s %8.3f ms %10d flops %s%n", id, type, name, median,
						layerFlops, weights);
			}
		}
		Arrays.sort(totals);
		System.out.printf(Locale.ROOT, "RESULT opencv_flops=%d (depthwise counted as full)%n", net.getFLOPS(shape));
		Arrays.sort(cpus);
		System.out.printf(Locale.ROOT, "RESULT thread_cpu_ms=%.3f%n", cpus[runs / 2]);
		System.out.printf(Locale.ROOT, "RESULT total_ms=%.3f flops=%d gflops_per_s=%.2f%n", totals[runs / 2], flops,
				flops / totals[runs / 2] / 1e6);
		double sum = 0;
		for (Map.Entry<String, double[]> e : byType.entrySet()) {
			double[] a = e.getValue();
			sum += a[1];
			System.out.printf(Locale.ROOT, "TYPE %-22s count=%3d timed=%3d ms=%7.3f mflops=%8.1f gflops_per_s=%6.2f%n",
					e.getKey(), (int) a[0], (int) a[3], a[1], a[2] / 1e6, (a[1] > 0) ? a[2] / a[1] / 1e6 : 0);
		}
		System.out.printf(Locale.ROOT, "RESULT sum_of_layer_medians_ms=%.3f%n", sum);
		if (System.getProperty("probe.dump") != null) {
			Files.writeString(Path.of(System.getProperty("probe.dump")), net.dump());
		}
	}


}
