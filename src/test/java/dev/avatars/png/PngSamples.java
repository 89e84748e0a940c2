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

	/**
	 * A plane of straight alpha of one of several kinds: all 0, all 255, a disc (0 outside, so rows start and end
	 * with transparent runs or are transparent throughout), noise with many zeros, or runs of 0 and 255.
	 */
	static byte[] alpha(Random random, int width, int height) {
		byte[] alpha = new byte[width * height];
		int kind = random.nextInt(5);
		double cx = random.nextDouble() * width;
		double cy = random.nextDouble() * height;
		double radius = random.nextDouble() * Math.max(width, height) / 1.5;
		int run = 0;
		int value = 0;
		for (int i = 0; i < alpha.length; i++) {
			int x = i % width;
			int y = i / width;
			if (run-- <= 0) {
				run = random.nextInt(1 + random.nextInt(80));
				value = (value == 0) ? 255 : 0;
			}
			alpha[i] = (byte) switch (kind) {
				case 0 -> 0;
				case 1 -> 255;
				case 2 -> (int) Math.round(255 * Math.max(0, Math.min(1, radius + 0.5 - Math.hypot(x + 0.5 - cx, y + 0.5 - cy))));
				case 3 -> (random.nextInt(3) == 0) ? 0 : random.nextInt(256);
				default -> value;
			};
		}
		return alpha;
	}

	/** Interleaved B, G, R from R, G, B, A samples, alpha dropped. */
	static byte[] bgr(byte[] rgba) {
		byte[] bgr = new byte[rgba.length / 4 * 3];
		for (int i = 0, o = 0; i < rgba.length; i += 4, o += 3) {
			bgr[o] = rgba[i + 2];
			bgr[o + 1] = rgba[i + 1];
			bgr[o + 2] = rgba[i];
		}
		return bgr;
	}

	/** R, G, B, A samples from B, G, R and alpha: what {@code encodeBgr} must write, colour 0 where alpha is. */
	static byte[] rgba(byte[] bgr, byte[] alpha) {
		byte[] rgba = new byte[alpha.length * 4];
		for (int i = 0; i < alpha.length; i++) {
			if (alpha[i] != 0) {
				rgba[4 * i] = bgr[3 * i + 2];
				rgba[4 * i + 1] = bgr[3 * i + 1];
				rgba[4 * i + 2] = bgr[3 * i];
				rgba[4 * i + 3] = alpha[i];
			}
		}
		return rgba;
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
