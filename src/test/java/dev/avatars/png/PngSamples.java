package dev.avatars.png;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;

import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

/** Pictures for the encoder's tests, and the check that a PNG decodes by ImageIO to exactly the samples given. */
final class PngSamples {

	private PngSamples() {
	}

	/**
	 * Samples of one of several kinds, picked by the random: noise, a smooth gradient, one colour, a few values,
	 * or bytes skewed so that each value is about half as frequent as the one before (deep Huffman trees).
	 */
	static byte[] samples(Random random, int width, int height, int channels) {
		byte[] samples = new byte[width * height * channels];
		int kind = random.nextInt(5);
		int base = random.nextInt(256);
		for (int i = 0; i < samples.length; i++) {
			int pixel = i / channels;
			int x = pixel % width;
			int y = pixel / width;
			samples[i] = (byte) switch (kind) {
				case 0 -> random.nextInt(256);
				case 1 -> base + x * (1 + i % channels) + y * 2;
				case 2 -> base + (i % channels) * 40;
				case 3 -> base + random.nextInt(3) * 85;
				default -> Math.min(255, Long.numberOfTrailingZeros(random.nextLong() | Long.MIN_VALUE) * 7 + base);
			};
		}
		return samples;
	}

	/** The picture's samples as ImageIO decodes them, R, G, B (and A), row by row. */
	static byte[] decoded(byte[] png, int channels) throws IOException {
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
		assertThat(image).as("ImageIO reads it").isNotNull();
		Raster raster = image.getRaster();
		assertThat(raster.getNumBands()).isEqualTo(channels);
		int[] pixels = raster.getPixels(0, 0, image.getWidth(), image.getHeight(), (int[]) null);
		byte[] samples = new byte[pixels.length];
		for (int i = 0; i < pixels.length; i++) {
			samples[i] = (byte) pixels[i];
		}
		return samples;
	}

}
