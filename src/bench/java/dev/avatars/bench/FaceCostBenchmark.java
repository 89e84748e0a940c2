package dev.avatars.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import dev.avatars.thumbnail.Thumbnailer;

/**
 * CPU time per image of the engine at one size class, as the job renders (256, 128, 64): {@code none} squares
 * only with the centre square (the engine before issue #18), {@code centre} with the round variants, {@code face}
 * with the round variants and face detection. CPU time of the rendering thread, not wall time, so that a machine
 * shared with other work still gives comparable figures; modes interleaved round by round, medians. And
 * {@code face-squares}: face detection, squares only, to tell the detector's cost from the round variants'.
 *
 * <pre>
 * java ... FaceCostBenchmark CORPUS_DIR [CLASS] [ROUNDS]
 * </pre>
 */
public final class FaceCostBenchmark {

	private FaceCostBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path corpus = Path.of(args[0]);
		String sizeClass = (args.length > 1) ? args[1] : "12mp";
		int rounds = (args.length > 2) ? Integer.parseInt(args[2]) : 5;
		List<Path> files;
		try (Stream<Path> listing = Files.list(corpus)) {
			files = listing.filter((file) -> file.getFileName().toString().startsWith(sizeClass + "-")).sorted().toList();
		}
		List<Integer> sizes = List.of(256, 128, 64);
		String[] modes = { "none", "centre", "face", "face-squares" };
		Thumbnailer centre = new Thumbnailer(sizes, 0.85f, Thumbnailer.Engine.AUTO, 40_000_000, true,
				Thumbnailer.CropMode.CENTRE);
		Thumbnailer face = new Thumbnailer(sizes, 0.85f, Thumbnailer.Engine.AUTO, 40_000_000, true,
				Thumbnailer.CropMode.FACE);
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		List<List<Double>> perImage = new ArrayList<>();
		for (int m = 0; m < modes.length; m++) {
			perImage.add(new ArrayList<>());
		}
		for (int round = -1; round < rounds; round++) {
			for (int m = 0; m < modes.length; m++) {
				long start = threads.getCurrentThreadCpuTime();
				for (Path file : files) {
					switch (modes[m]) {
						case "none" -> centre.render(file, null);
						case "centre" -> centre.render(file, null, true);
						case "face-squares" -> face.render(file, null, false);
						default -> face.render(file, null, true);
					}
				}
				double ms = (threads.getCurrentThreadCpuTime() - start) / 1e6 / files.size();
				if (round >= 0) {
					perImage.get(m).add(ms);
				}
			}
		}
		for (int m = 0; m < modes.length; m++) {
			double[] sorted = perImage.get(m).stream().mapToDouble(Double::doubleValue).sorted().toArray();
			System.out.printf(Locale.ROOT, "RESULT cpu mode=%s class=%s ms_per_image=%.1f rounds=%s%n", modes[m],
					sizeClass, sorted[sorted.length / 2], Arrays.toString(sorted));
		}
	}

}
