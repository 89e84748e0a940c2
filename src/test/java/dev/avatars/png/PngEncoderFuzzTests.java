package dev.avatars.png;

import java.util.Random;
import java.util.concurrent.Callable;

import dev.avatars.fuzz.BoundedRunner;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random dimensions (1–300, mostly small), colour types (RGB, RGBA, or BGR with an alpha plane) and contents
 * through {@link PngEncoder}; each PNG must decode by ImageIO to its samples (colour 0 where a plane's alpha is),
 * within {@link #LIMIT_MILLIS} of CPU. Case {@code n}
 * is {@code new Random(n)}, so a failure names the case that reproduces it.
 */
class PngEncoderFuzzTests {

	static final int CASES = 1500;

	/** Generous: the largest case encodes in a few milliseconds. */
	private static final long LIMIT_MILLIS = 2000;

	@Test
	void everyEncodingDecodesToItsSamples() throws Exception {
		try (BoundedRunner runner = new BoundedRunner(LIMIT_MILLIS)) {
			for (int n = 0; n < CASES; n++) {
				Random random = new Random(n);
				// Mostly small sides, where row and filter edge cases are; now and then up to 300.
				int width = 1 + ((random.nextInt(8) == 0) ? random.nextInt(300) : random.nextInt(24));
				int height = 1 + ((random.nextInt(8) == 0) ? random.nextInt(300) : random.nextInt(24));
				int kind = random.nextInt(3); // RGB, RGBA, BGR and alpha
				byte[] samples;
				Callable<byte[]> encoding;
				if (kind < 2) {
					PngEncoder.ColourType type = PngEncoder.ColourType.values()[kind];
					samples = PngSamples.samples(random, width, height, type.channels());
					encoding = () -> PngEncoder.ROUND.encode(width, height, type, samples);
				}
				else {
					byte[] bgr = PngSamples.samples(random, width, height, 3);
					byte[] alpha = PngSamples.alpha(random, width, height);
					samples = PngSamples.rgba(bgr, alpha);
					encoding = () -> PngEncoder.ROUND.encodeBgr(width, height, bgr, alpha);
				}
				int channels = (kind == 0) ? 3 : 4;
				int c = n;
				BoundedRunner.Run<byte[]> run = runner.run(() -> PngSamples.decoded(encoding.call(), channels));
				assertThat(run.thrown()).as("case %d: %d×%d kind %d", c, width, height, kind).isNull();
				assertThat(run.hang()).as("case %d", c).isNull();
				assertThat(run.value()).as("case %d: %d×%d kind %d", c, width, height, kind).isEqualTo(samples);
			}
		}
	}

}
