package dev.avatars.thumbnail;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferUShort;
import java.awt.image.WritableRaster;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An embedded colour profile's conversion to sRGB, for pictures the fast path decodes without one: the JDK's
 * LittleCMS computes it once per profile on a grid of colours ({@value #GRID}³ for RGB, every level for grey),
 * and each picture is then converted by tetrahedral interpolation in that grid, in plain Java. A profile is
 * parsed once, not per photo: transforms are cached by the profile's bytes.
 *
 * <p>A profile whose conversion moves no colour by more than one level (sRGB itself, under whatever name) needs
 * no transform ({@link #forProfile} says {@link #NONE}).
 */
final class ColourTransform {

	/** Grid points per RGB axis: every 8th level, and 255. */
	static final int GRID = 33;

	/** Beyond this many cached profiles the cache starts again; real uploads carry a handful. */
	private static final int MAX_CACHED = 256;

	/** Stands for "no conversion needed" in the cache and as {@link #forProfile}'s answer. */
	static final ColourTransform NONE = new ColourTransform(null, null);

	/** Stands for "LittleCMS cannot use this profile" in the cache. */
	private static final ColourTransform UNUSABLE = new ColourTransform(null, null);

	private static final Map<ProfileKey, ColourTransform> CACHE = new ConcurrentHashMap<>();

	/** Per input level: the grid cell it lies in. */
	private static final int[] CELL = new int[256];

	/** Per input level: how far into its cell, 0–256. */
	private static final int[] FRACTION = new int[256];

	static {
		for (int v = 0; v < 256; v++) {
			int cell = Math.min(v / 8, GRID - 2);
			int low = 8 * cell;
			int high = Math.min(255, 8 * (cell + 1));
			CELL[v] = cell;
			FRACTION[v] = Math.round(256f * (v - low) / (high - low));
		}
	}

	/** RGB: per grid node (r, g, b, b fastest), sRGB red, green, blue ×256. */
	private final int[] lut;

	/** Grey: per level, sRGB red, green, blue (0–255). */
	private final byte[] grey;

	private ColourTransform(int[] lut, byte[] grey) {
		this.lut = lut;
		this.grey = grey;
	}

	/**
	 * @param profile the ICC profile's bytes, as embedded
	 * @param channels the picture's colour channels: 3 (RGB or YCbCr) or 1 (grey)
	 * @return the conversion, {@link #NONE} when the profile is sRGB, or {@code null} when the profile cannot be
	 * read or is not an RGB (grey) profile for a colour (grey) picture: such a picture is for the pure-Java path
	 */
	static ColourTransform forProfile(byte[] profile, int channels) {
		ProfileKey key = new ProfileKey(profile, channels);
		ColourTransform transform = CACHE.get(key);
		if (transform == null) {
			transform = compute(profile, channels);
			if (CACHE.size() >= MAX_CACHED) {
				CACHE.clear();
			}
			CACHE.put(key, transform);
		}
		return (transform == UNUSABLE) ? null : transform;
	}

	private static ColourTransform compute(byte[] bytes, int channels) {
		ICC_ColorSpace space;
		try {
			ICC_Profile profile = ICC_Profile.getInstance(bytes);
			int type = profile.getColorSpaceType();
			if ((channels == 3 && type != ColorSpace.TYPE_RGB) || (channels == 1 && type != ColorSpace.TYPE_GRAY)
					|| (channels != 1 && channels != 3)) {
				return UNUSABLE;
			}
			space = new ICC_ColorSpace(profile);
			return (channels == 3) ? rgb(space) : grey(space);
		}
		catch (RuntimeException ex) {
			// IllegalArgumentException for a profile that does not parse, CMMException (and others) from
			// LittleCMS for one it cannot build a transform of: the pure-Java path decides.
			return UNUSABLE;
		}
	}

	private static ColourTransform rgb(ICC_ColorSpace space) {
		int nodes = GRID * GRID * GRID;
		short[] grid = new short[nodes * 3];
		int i = 0;
		for (int r = 0; r < GRID; r++) {
			for (int g = 0; g < GRID; g++) {
				for (int b = 0; b < GRID; b++) {
					grid[i++] = (short) level16(r);
					grid[i++] = (short) level16(g);
					grid[i++] = (short) level16(b);
				}
			}
		}
		short[] srgb = convert(space, 3, grid, nodes);
		int[] lut = new int[nodes * 3];
		boolean identity = true;
		for (int n = 0; n < nodes; n++) {
			int[] in = { gridLevel(n / (GRID * GRID)), gridLevel(n / GRID % GRID), gridLevel(n % GRID) };
			for (int c = 0; c < 3; c++) {
				// 16-bit to 8-bit with 8 fractional bits.
				int value = (int) Math.round((srgb[3 * n + c] & 0xFFFF) * (255.0 * 256 / 65535));
				lut[3 * n + c] = value;
				identity &= Math.abs(value - 256 * in[c]) <= 256;
			}
		}
		return identity ? NONE : new ColourTransform(lut, null);
	}

	private static ColourTransform grey(ICC_ColorSpace space) {
		short[] levels = new short[256];
		for (int v = 0; v < 256; v++) {
			levels[v] = (short) (v * 257);
		}
		short[] srgb = convert(space, 1, levels, 256);
		byte[] grey = new byte[256 * 3];
		boolean identity = true;
		for (int v = 0; v < 256; v++) {
			for (int c = 0; c < 3; c++) {
				int value = (int) Math.round((srgb[3 * v + c] & 0xFFFF) * (255.0 / 65535));
				grey[3 * v + c] = (byte) value;
				identity &= Math.abs(value - v) <= 1;
			}
		}
		return identity ? NONE : new ColourTransform(null, grey);
	}

	/** LittleCMS's conversion of {@code pixels} 16-bit samples in {@code space} to 16-bit sRGB. */
	private static short[] convert(ColorSpace space, int bands, short[] samples, int pixels) {
		BufferedImage source = image(space, bands, samples, pixels);
		short[] out = new short[pixels * 3];
		BufferedImage target = image(ColorSpace.getInstance(ColorSpace.CS_sRGB), 3, out, pixels);
		new ColorConvertOp(null).filter(source, target);
		return out;
	}

	private static BufferedImage image(ColorSpace space, int bands, short[] samples, int pixels) {
		ComponentColorModel model = new ComponentColorModel(space, false, false, Transparency.OPAQUE,
				DataBuffer.TYPE_USHORT);
		int[] offsets = new int[bands];
		Arrays.setAll(offsets, (b) -> b);
		WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(
				new DataBufferUShort(samples, samples.length), pixels, 1, bands * pixels, bands, offsets, null);
		return new BufferedImage(model, raster, false, null);
	}

	private static int gridLevel(int node) {
		return Math.min(255, 8 * node);
	}

	private static int level16(int node) {
		return gridLevel(node) * 257;
	}

	/**
	 * Converts {@code pixels} pixels of 3 bytes each, in place, from {@code offset}; {@code bgr} tells whether
	 * they are stored blue first (OpenCV) or red first.
	 */
	void apply(byte[] pixels, int offset, int count, boolean bgr) {
		int first = bgr ? 2 : 0;
		int last = 2 - first;
		int end = offset + 3 * count;
		if (this.grey != null) {
			byte[] grey = this.grey;
			for (int p = offset; p < end; p += 3) {
				int v = 3 * (pixels[p + 1] & 0xFF);
				pixels[p + first] = grey[v];
				pixels[p + 1] = grey[v + 1];
				pixels[p + last] = grey[v + 2];
			}
			return;
		}
		int[] rgb = new int[3];
		for (int p = offset; p < end; p += 3) {
			interpolate(pixels[p + first] & 0xFF, pixels[p + 1] & 0xFF, pixels[p + last] & 0xFF, rgb);
			pixels[p + first] = (byte) rgb[0];
			pixels[p + 1] = (byte) rgb[1];
			pixels[p + last] = (byte) rgb[2];
		}
	}

	/** Converts packed {@code 0xRRGGBB} pixels in place (the alpha byte, if any, is dropped). */
	void apply(int[] pixels) {
		int[] rgb = new int[3];
		for (int i = 0; i < pixels.length; i++) {
			int p = pixels[i];
			int r = (p >> 16) & 0xFF;
			int g = (p >> 8) & 0xFF;
			int b = p & 0xFF;
			if (this.grey != null) {
				int v = 3 * g;
				pixels[i] = (this.grey[v] & 0xFF) << 16 | (this.grey[v + 1] & 0xFF) << 8 | (this.grey[v + 2] & 0xFF);
				continue;
			}
			interpolate(r, g, b, rgb);
			pixels[i] = rgb[0] << 16 | rgb[1] << 8 | rgb[2];
		}
	}

	/** Tetrahedral interpolation in the grid cell around (r, g, b), as LittleCMS interpolates its own tables. */
	private void interpolate(int r, int g, int b, int[] out) {
		int[] lut = this.lut;
		int fr = FRACTION[r];
		int fg = FRACTION[g];
		int fb = FRACTION[b];
		int c000 = 3 * ((CELL[r] * GRID + CELL[g]) * GRID + CELL[b]);
		int dr = 3 * GRID * GRID;
		int dg = 3 * GRID;
		int db = 3;
		int c111 = c000 + dr + dg + db;
		// The tetrahedron holding the point: from c000 along the largest fraction's axis, then the next.
		int first;
		int second;
		int f1;
		int f2;
		int f3;
		if (fr >= fg) {
			if (fg >= fb) { // r >= g >= b
				first = c000 + dr;
				second = first + dg;
				f1 = fr;
				f2 = fg;
				f3 = fb;
			}
			else if (fr >= fb) { // r >= b > g
				first = c000 + dr;
				second = first + db;
				f1 = fr;
				f2 = fb;
				f3 = fg;
			}
			else { // b > r >= g
				first = c000 + db;
				second = first + dr;
				f1 = fb;
				f2 = fr;
				f3 = fg;
			}
		}
		else {
			if (fr >= fb) { // g > r >= b
				first = c000 + dg;
				second = first + dr;
				f1 = fg;
				f2 = fr;
				f3 = fb;
			}
			else if (fg >= fb) { // g >= b > r
				first = c000 + dg;
				second = first + db;
				f1 = fg;
				f2 = fb;
				f3 = fr;
			}
			else { // b > g > r
				first = c000 + db;
				second = first + dg;
				f1 = fb;
				f2 = fg;
				f3 = fr;
			}
		}
		for (int c = 0; c < 3; c++) {
			int base = lut[c000 + c];
			long value = (long) base * 256 + (long) f1 * (lut[first + c] - base)
					+ (long) f2 * (lut[second + c] - lut[first + c]) + (long) f3 * (lut[c111 + c] - lut[second + c]);
			int level = (int) ((value + (1 << 15)) >> 16);
			out[c] = (level < 0) ? 0 : Math.min(level, 255);
		}
	}

	/** A profile's bytes as a map key: hashed once, compared whole, so two profiles never share a transform. */
	private record ProfileKey(byte[] bytes, int channels, int hash) {

		ProfileKey(byte[] bytes, int channels) {
			this(bytes, channels, 31 * Arrays.hashCode(bytes) + channels);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof ProfileKey key && key.hash == this.hash && key.channels == this.channels
					&& Arrays.equals(key.bytes, this.bytes);
		}

		@Override
		public int hashCode() {
			return this.hash;
		}

		@Override
		public String toString() {
			return "profile of " + this.bytes.length + " bytes";
		}

	}

}
