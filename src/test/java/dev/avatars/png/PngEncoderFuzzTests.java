package dev.avatars.png;

import java.util.Random;

import dev.avatars.fuzz.BoundedRunner;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random dimensions (1–300, mostly small), colour types, filters and contents through {@link PngEncoder#huffman}
 * and zlib; each PNG must decode by ImageIO to its samples, within {@link #LIMIT_MILLIS} of CPU. Case {@code n}
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
				PngEncoder.ColourType type = PngEncoder.ColourType.values()[random.nextInt(2)];
				PngEncoder.Filter filter = PngEncoder.Filter.values()[random.nextInt(5)];
				PngEncoder encoder = (random.nextInt(4) == 0) ? PngEncoder.zlib(filter, random.nextInt(10), 0)
						: PngEncoder.huffman(filter);
				byte[] samples = PngSamples.samples(random, width, height, type.channels());
				int c = n;
				BoundedRunner.Run<byte[]> run = runner.run(() -> PngSamples
					.decoded(encoder.encode(width, height, type, samples), type.channels()));
				assertThat(run.thrown()).as("case %d: %d×%d %s %s", c, width, height, type, filter).isNull();
				assertThat(run.hang()).as("case %d", c).isNull();
				assertThat(run.value()).as("case %d: %d×%d %s %s", c, width, height, type, filter).isEqualTo(samples);
			}
		}
	}

}
