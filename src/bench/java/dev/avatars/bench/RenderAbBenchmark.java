package dev.avatars.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
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
 * Two builds of the image core in one JVM, round by round: the render of {@link FaceCostBenchmark}'s modes
 * ({@code none}: squares of the centre square; {@code centre}: with the round variants; {@code face}: with face
 * detection too) by the classes of build A and of build B, each in a class loader of its own over one shared
 * loader of the dependencies. CPU time of this thread per photo,
 * medians, and B's against A's as a ratio.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:DEPS dev.avatars.bench.RenderAbBenchmark \
 *     CORPUS_DIR CLASS ROUNDS A_CLASSES B_CLASSES DEPENDENCY_CLASSPATH_FILE
 * </pre>
 *
 * The dependency file is what {@code dependency:build-classpath -Dmdep.outputFile=...} writes.
 */
public final class RenderAbBenchmark {

	private static final String[] MODES = { "none", "centre", "face" };

	private RenderAbBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path corpus = Path.of(args[0]);
		String sizeClass = args[1];
		int rounds = Integer.parseInt(args[2]);
		List<URL> dependencies = new ArrayList<>();
		for (String entry : Files.readString(Path.of(args[5])).trim().split(java.io.File.pathSeparator)) {
			dependencies.add(Path.of(entry).toUri().toURL());
		}
		ClassLoader shared = new URLClassLoader(dependencies.toArray(URL[]::new),
				ClassLoader.getPlatformClassLoader());
		// The native methods of org.opencv (in the shared loader) bind to libraries that loader loaded: openpnp's
		// own loader puts one there. Each build's NativeOpenCv then loads a copy of its own, which it only uses
		// to say that OpenCV is there.
		shared.loadClass("nu.pattern.OpenCV").getMethod("loadLocally").invoke(null);
		Build[] builds = { new Build("A", Path.of(args[3]), shared), new Build("B", Path.of(args[4]), shared) };
		List<Path> files;
		try (Stream<Path> listing = Files.list(corpus)) {
			files = listing.filter((file) -> file.getFileName().toString().startsWith(sizeClass + "-")).sorted()
				.toList();
		}
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		List<List<List<Double>>> times = new ArrayList<>();
		for (int b = 0; b < builds.length; b++) {
			List<List<Double>> perMode = new ArrayList<>();
			for (int m = 0; m < MODES.length; m++) {
				perMode.add(new ArrayList<>());
			}
			times.add(perMode);
		}
		for (int round = -5; round < rounds; round++) {
			for (int m = 0; m < MODES.length; m++) {
				// A then B in even rounds, B then A in odd ones: neither always runs second.
				for (int i = 0; i < builds.length; i++) {
					int b = (round & 1) == 0 ? i : builds.length - 1 - i;
					long start = threads.getCurrentThreadCpuTime();
					for (Path file : files) {
						builds[b].render(MODES[m], file);
					}
					if (round >= 0) {
						times.get(b).get(m).add((threads.getCurrentThreadCpuTime() - start) / 1e6 / files.size());
					}
				}
			}
		}
		for (int m = 0; m < MODES.length; m++) {
			double a = median(times.get(0).get(m));
			double b = median(times.get(1).get(m));
			System.out.printf(Locale.ROOT, "RESULT mode=%s class=%s A_ms=%.2f B_ms=%.2f A_over_B=%.3f rounds=%d%n",
					MODES[m], sizeClass, a, b, a / b, rounds);
		}
		for (int b = 0; b < builds.length; b++) {
			for (int m = 0; m < MODES.length; m++) {
				System.out.printf(Locale.ROOT, "ROUNDS %s mode=%s %s%n", builds[b].name, MODES[m],
						Arrays.toString(times.get(b).get(m).stream().mapToDouble(Double::doubleValue).sorted()
							.mapToObj((v) -> String.format(Locale.ROOT, "%.2f", v)).toArray()));
			}
		}
	}

	private static double median(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return sorted[sorted.length / 2];
	}

	/** One build's Thumbnailer, centre and face, reached by reflection through its own class loader. */
	private static final class Build {

		private final String name;

		private final Object centre;

		private final Object face;

		private final Method render;

		Build(String name, Path classes, ClassLoader shared) throws Exception {
			this.name = name;
			ClassLoader loader = new URLClassLoader(new URL[] { classes.toUri().toURL() }, shared);
			Class<?> thumbnailer = loader.loadClass("dev.avatars.thumbnail.Thumbnailer");
			Class<?> engine = loader.loadClass("dev.avatars.thumbnail.Thumbnailer$Engine");
			Class<?> cropMode = loader.loadClass("dev.avatars.thumbnail.Thumbnailer$CropMode");
			Class<?> crop = loader.loadClass("dev.avatars.thumbnail.Crop");
			Constructor<?> constructor = thumbnailer.getConstructor(List.class, float.class, engine, long.class,
					boolean.class, cropMode);
			Object auto = enumConstant(engine, "AUTO");
			this.centre = constructor.newInstance(List.of(256, 128, 64), 0.85f, auto, 40_000_000L, true,
					enumConstant(cropMode, "CENTRE"));
			this.face = constructor.newInstance(List.of(256, 128, 64), 0.85f, auto, 40_000_000L, true,
					enumConstant(cropMode, "FACE"));
			this.render = thumbnailer.getMethod("render", Path.class, crop, boolean.class);
			String encoder;
			try {
				loader.loadClass("dev.avatars.jpeg.JpegEncoder");
				encoder = "has dev.avatars.jpeg.JpegEncoder";
			}
			catch (ClassNotFoundException ex) {
				encoder = "has no dev.avatars.jpeg.JpegEncoder";
			}
			Object description = thumbnailer.getMethod("description").invoke(this.centre);
			System.out.printf(Locale.ROOT, "BUILD %s %s: %s; %s%n", name, classes, encoder, description);
		}

		private static Object enumConstant(Class<?> type, String name) {
			return Arrays.stream(type.getEnumConstants()).filter((c) -> ((Enum<?>) c).name().equals(name))
				.findFirst().orElseThrow();
		}

		void render(String mode, Path file) throws Exception {
			switch (mode) {
				case "none" -> this.render.invoke(this.centre, file, null, false);
				case "centre" -> this.render.invoke(this.centre, file, null, true);
				default -> this.render.invoke(this.face, file, null, true);
			}
		}

	}

}
