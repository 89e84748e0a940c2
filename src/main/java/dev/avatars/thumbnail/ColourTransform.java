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
 * and each picture is then converted in plain Java: for a matrix-shaper profile (what cameras and phones embed)
 * by its per-channel contributions, summed, where that gives the grid's colours within a level and a half;
 * otherwise by
 * tetrahedral interpolation in the grid. A profile is parsed once, not per photo: transforms are cached by the
 * profile's bytes.
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

	/** RGB: per grid node (r, g, b, b fastest), linear sRGB red, green, blue, times 4 × {@value #LINEAR_STEPS}. */
	private final int[] lut;

	/** Grey: per level, sRGB red, green, blue (0–255). */
	private final byte[] grey;

	/**
	 * For matrix-shaper profiles, a pixel's conversion as three per-channel contributions in linear light, summed,
	 * then sRGB's curve: per channel and level one long holding the three outputs' contributions, 21 bits each,
	 * biased to stay positive (three loads and two additions a pixel). Far cheaper than the grid; taken only where
	 * it gives LittleCMS's grid within a level and a half. {@code null}: the grid.
	 */
	private final long[] packed;

	private static final int PACKED_BITS = 21;

	private static final long PACKED_MASK = (1L << PACKED_BITS) - 1;

	/** Added to each contribution: three biased contributions then fit in 21 bits. */
	private static final int PACKED_BIAS = 1 << 18;

	private static final int LINEAR_STEPS = 16383;

	/** Linear sRGB (0–{@value #LINEAR_STEPS}) to its 8-bit encoding. */
	private static final byte[] ENCODE = new byte[LINEAR_STEPS + 1];

	/** CIE XYZ (D50) to linear sRGB, row by row: the inverse of the JDK's sRGB profile's colorants. */
	private static final float[] XYZ_TO_SRGB = xyzToSrgb();

	static {
		for (int i = 0; i <= LINEAR_STEPS; i++) {
			double linear = i / (double) LINEAR_STEPS;
			double encoded = (linear <= 0.0031308) ? 12.92 * linear : 1.055 * Math.pow(linear, 1 / 2.4) - 0.055;
			ENCODE[i] = (byte) Math.round(encoded * 255);
		}
	}

	private ColourTransform(int[] lut, byte[] grey) {
		this(lut, grey, null);
	}

	private ColourTransform(int[] lut, byte[] grey, long[] packed) {
		this.lut = lut;
		this.grey = grey;
		this.packed = packed;
	}

	private static long[] pack(int[] additive) {
		long[] packed = new long[3 * 256];
		for (int i = 0; i < packed.length; i++) {
			long word = 0;
			for (int out = 0; out < 3; out++) {
				long biased = (long) additive[3 * i + out] + PACKED_BIAS;
				if (biased < 0 || 3 * biased > PACKED_MASK) {
					return null;
				}
				word = (word << PACKED_BITS) | biased;
			}
			packed[i] = word;
		}
		return packed;
	}

	private static float[] xyzToSrgb() {
		float[][] m = ((java.awt.color.ICC_ProfileRGB) ICC_Profile.getInstance(ColorSpace.CS_sRGB)).getMatrix();
		double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
				+ m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
		float[] inverse = new float[9];
		for (int row = 0; row < 3; row++) {
			for (int col = 0; col < 3; col++) {
				// The cofactor of m[col][row], over the determinant.
				int r1 = (col + 1) % 3;
				int r2 = (col + 2) % 3;
				int c1 = (row + 1) % 3;
				int c2 = (row + 2) % 3;
				inverse[row * 3 + col] = (float) ((m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]) / det);
			}
		}
		return inverse;
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
			transform = compute(profile, channels, true);
			if (CACHE.size() >= MAX_CACHED) {
				CACHE.clear();
			}
			CACHE.put(key, transform);
		}
		return (transform == UNUSABLE) ? null : transform;
	}

	/** The conversion by the grid alone, never the additive form (uncached): for tests of the grid. */
	static ColourTransform gridOnly(byte[] profile) {
		return compute(profile, 3, false);
	}

	/** Whether this conversion sums per-channel contributions rather than interpolating in the grid. */
	boolean isAdditive() {
		return this.packed != null;
	}

	private static ColourTransform compute(byte[] bytes, int channels, boolean additiveAllowed) {
		ICC_ColorSpace space;
		try {
			ICC_Profile profile = ICC_Profile.getInstance(bytes);
			int type = profile.getColorSpaceType();
			if ((channels == 3 && type != ColorSpace.TYPE_RGB) || (channels == 1 && type != ColorSpace.TYPE_GRAY)
					|| (channels != 1 && channels != 3)) {
				return UNUSABLE;
			}
			space = new ICC_ColorSpace(profile);
			return (channels == 3) ? rgb(space, additiveAllowed) : grey(space);
		}
		catch (RuntimeException ex) {
			// IllegalArgumentException for a profile that does not parse, CMMException (and others) from
			// LittleCMS for one it cannot build a transform of: the pure-Java path decides.
			return UNUSABLE;
		}
	}

	private static ColourTransform rgb(ICC_ColorSpace space, boolean additiveAllowed) {
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
		short[] srgb = convert(space, 3, grid, nodes, ColorSpace.CS_sRGB);
		boolean identity = true;
		for (int n = 0; n < nodes; n++) {
			int[] in = { gridLevel(n / (GRID * GRID)), gridLevel(n / GRID % GRID), gridLevel(n % GRID) };
			for (int c = 0; c < 3; c++) {
				identity &= Math.abs((srgb[3 * n + c] & 0xFFFF) / 257.0 - in[c]) <= 1;
			}
		}
		if (identity) {
			return NONE;
		}
		// The grid holds linear sRGB, unclipped (negative outside sRGB's gamut), from LittleCMS's CIE XYZ:
		// interpolating clipped or encoded values would bend colours where the gamut ends and near black.
		short[] xyz = convert(space, 3, grid, nodes, ColorSpace.CS_CIEXYZ);
		double xyzScale = (1 + 32767.0 / 32768) / 65535;
		float[] m = XYZ_TO_SRGB;
		int[] lut = new int[nodes * 3];
		for (int n = 0; n < nodes; n++) {
			double x = (xyz[3 * n] & 0xFFFF) * xyzScale;
			double y = (xyz[3 * n + 1] & 0xFFFF) * xyzScale;
			double z = (xyz[3 * n + 2] & 0xFFFF) * xyzScale;
			for (int c = 0; c < 3; c++) {
				double linear = m[3 * c] * x + m[3 * c + 1] * y + m[3 * c + 2] * z;
				lut[3 * n + c] = (int) Math.round(linear * 4 * LINEAR_STEPS);
			}
		}
		int[] additive = additiveAllowed ? additive(space) : null;
		// A contribution too large to pack (none in a real profile) leaves the grid too.
		long[] packed = (additive != null && agrees(additive, srgb)) ? pack(additive) : null;
		return new ColourTransform(lut, null, packed);
	}

	/**
	 * Per channel and level, the linear sRGB (times 4 × {@value #LINEAR_STEPS}, may be negative) that channel
	 * at that level adds: LittleCMS's CIE XYZ of it through sRGB's matrix. The matrix is linear, so the
	 * contributions add up as the XYZ do.
	 */
	private static int[] additive(ICC_ColorSpace space) {
		int[] table = new int[3 * 256 * 3];
		float[] m = XYZ_TO_SRGB;
		for (int c = 0; c < 3; c++) {
			// Measured against the other two channels at full level: a colorant with a negative part (Display
			// P3's red has a little negative Z) would otherwise be clipped at zero.
			float[] base = { 1f, 1f, 1f };
			base[c] = 0f;
			float[] baseXyz = space.toCIEXYZ(base);
			for (int v = 0; v < 256; v++) {
				float[] colour = base.clone();
				colour[c] = v / 255f;
				float[] xyz = space.toCIEXYZ(colour);
				for (int i = 0; i < 3; i++) {
					xyz[i] -= baseXyz[i];
				}
				for (int out = 0; out < 3; out++) {
					double linear = m[3 * out] * xyz[0] + m[3 * out + 1] * xyz[1] + m[3 * out + 2] * xyz[2];
					table[(c * 256 + v) * 3 + out] = (int) Math.round(linear * 4 * LINEAR_STEPS);
				}
			}
		}
		return table;
	}

	/**
	 * Whether the additive form gives LittleCMS's 16-bit results at every grid node within a level and a half
	 * (they differ most near black, where sRGB's curve is steep).
	 */
	private static boolean agrees(int[] additive, short[] srgb) {
		for (int n = 0; n < GRID * GRID * GRID; n++) {
			int r = gridLevel(n / (GRID * GRID));
			int g = gridLevel(n / GRID % GRID);
			int b = gridLevel(n % GRID);
			for (int c = 0; c < 3; c++) {
				int ours = encode(additive[r * 3 + c] + additive[(256 + g) * 3 + c] + additive[(512 + b) * 3 + c]);
				if (Math.abs(ours - (srgb[3 * n + c] & 0xFFFF) / 257.0) > 1.5) {
					return false;
				}
			}
		}
		return true;
	}

	/** A sum of the additive form's contributions (see {@link #packed}), clamped to 0–1, encoded as 8-bit sRGB. */
	private static int encode(int sum) {
		int linear = (sum + 2) >> 2;
		// Without branches (negative to 0 by its sign's mask): out-of-gamut colours come in no order.
		return ENCODE[Math.min(linear & ~(linear >> 31), LINEAR_STEPS)] & 0xFF;
	}

	private static ColourTransform grey(ICC_ColorSpace space) {
		short[] levels = new short[256];
		for (int v = 0; v < 256; v++) {
			levels[v] = (short) (v * 257);
		}
		short[] srgb = convert(space, 1, levels, 256, ColorSpace.CS_sRGB);
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

	/** LittleCMS's conversion of {@code pixels} 16-bit samples in {@code space} to 16-bit sRGB or CIE XYZ. */
	private static short[] convert(ColorSpace space, int bands, short[] samples, int pixels, int target16) {
		BufferedImage source = image(space, bands, samples, pixels);
		short[] out = new short[pixels * 3];
		BufferedImage target = image(ColorSpace.getInstance(target16), 3, out, pixels);
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
		if (this.packed != null) {
			applyPacked(pixels, offset, end, bgr);
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

	/**
	 * {@link #apply} by the packed table, in a method of its own (the JIT compiles it on its own), the channel
	 * order fixed for each loop: three times faster than one loop over both orders.
	 */
	private void applyPacked(byte[] pixels, int offset, int end, boolean bgr) {
		long[] table = this.packed;
		if (bgr) {
			for (int p = offset; p < end; p += 3) {
				long sum = table[512 + (pixels[p] & 0xFF)] + table[256 + (pixels[p + 1] & 0xFF)]
						+ table[pixels[p + 2] & 0xFF];
				pixels[p] = unpack(sum, 0);
				pixels[p + 1] = unpack(sum, PACKED_BITS);
				pixels[p + 2] = unpack(sum, 2 * PACKED_BITS);
			}
		}
		else {
			for (int p = offset; p < end; p += 3) {
				long sum = table[pixels[p] & 0xFF] + table[256 + (pixels[p + 1] & 0xFF)]
						+ table[512 + (pixels[p + 2] & 0xFF)];
				pixels[p] = unpack(sum, 2 * PACKED_BITS);
				pixels[p + 1] = unpack(sum, PACKED_BITS);
				pixels[p + 2] = unpack(sum, 0);
			}
		}
	}

	/** One output of a packed sum, encoded. */
	private static byte unpack(long sum, int shift) {
		return (byte) encode((int) ((sum >>> shift) & PACKED_MASK) - 3 * PACKED_BIAS);
	}

	/** Converts packed {@code 0xRRGGBB} pixels in place (the alpha byte, if any, is dropped). */
	void apply(int[] pixels) {
		int[] rgb = new int[3];
		for (int i = 0; i < pixels.length; i++) {
			int p = pixels[i];
			int r = (p >> 16) & 0xFF;
			int g = (p >> 8) & 0xFF;
			int b = p & 0xFF;
			if (this.packed != null) {
				long sum = this.packed[r] + this.packed[256 + g] + this.packed[512 + b];
				pixels[i] = (unpack(sum, 2 * PACKED_BITS) & 0xFF) << 16 | (unpack(sum, PACKED_BITS) & 0xFF) << 8
						| (unpack(sum, 0) & 0xFF);
				continue;
			}
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
			out[c] = encode((int) ((value + (1 << 7)) >> 8));
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
