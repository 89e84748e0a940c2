package dev.avatars.jpeg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * That each photo of a directory and its progressive rewrite of the same name in another ({@code jpegtran
 * -progressive}: the same coefficients, other scans) decode to the same bytes by {@link ReducedJpegDecoder} at 1/8
 * and 1/4 (or, beyond its size limit at 1/4, that the progressive one is left to the full decoder): the corpus's
 * check of what {@code ProgressiveJpegTests} asserts on small pictures. A probe, never run by
 * the test suite.
 *
 * <pre>
 * java ... dev.avatars.jpeg.ProgressiveTwinsProbe BASELINE_DIR PROGRESSIVE_DIR
 * </pre>
 */
final class ProgressiveTwinsProbe {

	private ProgressiveTwinsProbe() {
	}

	public static void main(String[] args) throws IOException {
		Path baselines = Path.of(args[0]);
		int checked = 0;
		int left = 0;
		try (Stream<Path> listing = Files.list(Path.of(args[1]))) {
			for (Path progressive : listing.filter((file) -> file.toString().endsWith(".jpg")).sorted().toList()) {
				byte[] twin = Files.readAllBytes(progressive);
				byte[] baseline = Files.readAllBytes(baselines.resolve(progressive.getFileName()));
				for (int reduction : new int[] { 8, 4 }) {
					ReducedJpegDecoder.Reduced expected = ReducedJpegDecoder.decode(baseline, baseline.length, reduction);
					ReducedJpegDecoder.Reduced actual = ReducedJpegDecoder.decode(twin, twin.length, reduction);
					if (actual == null && expected != null && expected.width() * expected.height() > ReducedJpegDecoder.MAX_PROGRESSIVE_QUARTER_PIXELS) {
						left++; // a progressive picture this large at 1/4 is left to the full decoder
						continue;
					}
					if (expected == null || actual == null || !Arrays.equals(expected.bgr(), actual.bgr())) {
						throw new IllegalStateException(progressive + " at 1/" + reduction + ": not its twin's pixels");
					}
					checked++;
				}
			}
		}
		System.out.printf(Locale.ROOT, "TWINS identical: %d decodes; %d left to the full decoder (size)%n", checked,
				left);
	}

}
