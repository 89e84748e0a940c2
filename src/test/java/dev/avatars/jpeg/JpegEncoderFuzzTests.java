package dev.avatars.jpeg;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Random;

import javax.imageio.ImageIO;

import dev.avatars.fuzz.BoundedRunner;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sizes (1–300, mostly small), contents and qualities through {@link JpegEncoder}; each JPEG must decode
 * by ImageIO to a picture of its size, within {@link #LIMIT_MILLIS} of CPU, and a single colour at quality 0.5 or
 * more must come back within 2 levels. Case {@code n} is {@code new Random(n)}, so a failure names the case that
 * reproduces it.
 */
class JpegEncoderFuzzTests {

	static final int CASES = 1000;

	/** Generous: the largest case encodes in a few milliseconds. */
	private static final long LIMIT_MILLIS = 2000;

	@Test
	void everyEncodingDecodesToItsSize() throws Exception {
		try (BoundedRunner runner = new BoundedRunner(LIMIT_MILLIS)) {
			for (int n = 0; n < CASES; n++) {
				Random random = new Random(n);
				// Mostly small sides, where the partial blocks at the edges are; now and then up to 300.
				int width = 1 + ((random.nextInt(8) == 0) ? random.nextInt(300) : random.nextInt(40));
				int height = 1 + ((random.nextInt(8) == 0) ? random.nextInt(300) : random.nextInt(40));
				float quality = switch (random.nextInt(6)) {
					case 0 -> 0f;
					case 1 -> 1f;
					default -> random.nextFloat();
				};
				int kind = random.nextInt(6);
				byte[] bgr = pixels(random, kind, width, height);
				String what = String.format("case %d: %d×%d kind %d quality %s", n, width, height, kind, quality);
				BoundedRunner.Run<BufferedImage> run = runner
					.run(() -> ImageIO.read(new ByteArrayInputStream(JpegEncoder.encode(bgr, width, height, quality))));
				assertThat(run.thrown()).as(what).isNull();
				assertThat(run.hang()).as(what).isNull();
				BufferedImage image = run.value();
				assertThat(image).as(what).isNotNull();
				assertThat(image.getWidth()).as(what).isEqualTo(width);
				assertThat(image.getHeight()).as(what).isEqualTo(height);
				if (kind == 2 && quality >= 0.5f) {
					byte[] decoded = JpegEncoderTests.bgrOf(image);
					for (int i = 0; i < bgr.length; i++) {
						assertThat(Math.abs((decoded[i] & 0xFF) - (bgr[i] & 0xFF))).as("%s sample %d", what, i)
							.isLessThanOrEqualTo(2);
					}
				}
			}
		}
	}

	/**
	 * Noise, a gradient, one colour, a few colours (hard edges, saturated), stripes of extremes, or a checkerboard
	 * of black and white pixels (the largest coefficients).
	 */
	private static byte[] pixels(Random random, int kind, int width, int height) {
		byte[] bgr = new byte[width * height * 3];
		int base = random.nextInt(256);
		int[] colour = { random.nextInt(256), random.nextInt(256), random.nextInt(256) };
		for (int i = 0; i < bgr.length; i++) {
			int pixel = i / 3;
			int x = pixel % width;
			int y = pixel / width;
			int channel = i % 3;
			bgr[i] = (byte) switch (kind) {
				case 0 -> random.nextInt(256);
				case 1 -> base + x * (1 + channel) + y * 2;
				case 2 -> colour[channel];
				case 3 -> random.nextInt(3) * 127 + ((channel == 0) ? 1 : 0);
				case 4 -> ((x / (1 + base % 5)) % 2 == 0) ? 0 : 255;
				default -> ((x + y) % 2 == 0) ? 0 : 255;
			};
		}
		if (kind == 3) {
			// Blocks of one colour rather than noise: the random draws above set each sample on its own.
			for (int i = 3; i < bgr.length; i += 3) {
				if (random.nextInt(20) != 0) {
					System.arraycopy(bgr, i - 3, bgr, i, 3);
				}
			}
		}
		return bgr;
	}

}
