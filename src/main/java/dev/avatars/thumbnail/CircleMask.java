package dev.avatars.thumbnail;

import java.awt.image.BufferedImage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The circle inscribed in a square thumbnail, as straight-alpha coverage: 255 inside, 0 outside, and along the
 * edge the share of 16×16 sample points per pixel that fall inside, so the edge is smooth without blurring the
 * picture. One mask per size, made once; both engines use the same one.
 */
final class CircleMask {

	private static final int SAMPLES = 16;

	private static final ConcurrentMap<Integer, byte[]> MASKS = new ConcurrentHashMap<>();

	private CircleMask() {
	}

	/** Row-major coverage of a {@code size}×{@code size} square, 0–255 as unsigned bytes. */
	static byte[] coverage(int size) {
		return MASKS.computeIfAbsent(size, CircleMask::compute);
	}

	private static byte[] compute(int size) {
		byte[] mask = new byte[size * size];
		double radius = size / 2.0;
		double radius2 = radius * radius;
		int total = SAMPLES * SAMPLES;
		for (int row = 0; row < size; row++) {
			for (int col = 0; col < size; col++) {
				int inside = 0;
				for (int sy = 0; sy < SAMPLES; sy++) {
					double dy = row + (sy + 0.5) / SAMPLES - radius;
					for (int sx = 0; sx < SAMPLES; sx++) {
						double dx = col + (sx + 0.5) / SAMPLES - radius;
						if (dx * dx + dy * dy <= radius2) {
							inside++;
						}
					}
				}
				mask[row * size + col] = (byte) ((inside * 255 + total / 2) / total);
			}
		}
		return mask;
	}

	/**
	 * The round variant's samples in PNG order (R, G, B, straight alpha) from a picture of Java's: its colours,
	 * its own alpha (if any) times the coverage, and colour where nothing shows zeroed, which changes no visible
	 * pixel and compresses better. (OpenCV's squares go to {@code PngEncoder.encodeBgr} with the coverage as
	 * alpha, which zeroes the same.)
	 */
	static byte[] rgba(BufferedImage square) {
		int size = square.getWidth();
		byte[] mask = coverage(size);
		byte[] rgba = new byte[size * size * 4];
		int[] row = new int[size];
		boolean hasAlpha = square.getColorModel().hasAlpha();
		for (int y = 0; y < size; y++) {
			square.getRGB(0, y, size, 1, row, 0, size);
			for (int x = 0; x < size; x++) {
				int coverage = mask[y * size + x] & 0xFF;
				int alpha = hasAlpha ? ((row[x] >>> 24) * coverage + 127) / 255 : coverage;
				if (alpha != 0) {
					int to = (y * size + x) * 4;
					rgba[to] = (byte) (row[x] >>> 16);
					rgba[to + 1] = (byte) (row[x] >>> 8);
					rgba[to + 2] = (byte) row[x];
					rgba[to + 3] = (byte) alpha;
				}
			}
		}
		return rgba;
	}

}
