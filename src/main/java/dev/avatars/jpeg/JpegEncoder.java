package dev.avatars.jpeg;

import java.util.Arrays;

import javax.imageio.plugins.jpeg.JPEGHuffmanTable;
import javax.imageio.plugins.jpeg.JPEGQTable;

/**
 * A baseline JPEG encoder for BGR pixels that writes what OpenCV's {@code imencode(".jpg")} writes with its
 * defaults, headers byte for byte: JFIF APP0, the standard (Annex K) quantisation tables scaled as libjpeg's
 * {@code jpeg_set_quality} with {@code force_baseline}, 4:2:0 chroma, the standard Huffman tables, and nothing
 * else (no EXIF, no ICC profile). The scan differs a little: Y is libjpeg's fixed-point conversion, but Cb and
 * Cr are converted once from each 2×2 pixels' mean colour (libjpeg converts each pixel and averages), and the
 * DCT is libjpeg's float one (Arai, Agui and Nakajima; OpenCV uses the integer one) with libjpeg-turbo's float
 * rounding. On the corpus squares that gives 0.1–0.4% fewer bytes and the same PSNR. Edges are filled by
 * repeating the last column and row, to whole 16×16 blocks.
 *
 * <p>Why: OpenCV's bundled libjpeg is built without SIMD; for thumbnails of 256 pixels and less this encoder,
 * once compiled by the JIT, takes about 60% of its time (docs/BENCHMARKS.md, "Encoding the square thumbnails").
 * Thread-safe: every call has its own state.
 */
public final class JpegEncoder {

	/** The zig-zag position's index in the block in natural (row-major) order, as libjpeg's jpeg_natural_order. */
	private static final int[] NATURAL_ORDER = { 0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26,
			33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37,
			44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63 };

	private static final int[] LUMINANCE_QUANT = JPEGQTable.K1Luminance.getTable();

	private static final int[] CHROMINANCE_QUANT = JPEGQTable.K2Chrominance.getTable();

	private static final HuffmanTable DC_LUMINANCE = new HuffmanTable(JPEGHuffmanTable.StdDCLuminance);

	private static final HuffmanTable AC_LUMINANCE = new HuffmanTable(JPEGHuffmanTable.StdACLuminance);

	private static final HuffmanTable DC_CHROMINANCE = new HuffmanTable(JPEGHuffmanTable.StdDCChrominance);

	private static final HuffmanTable AC_CHROMINANCE = new HuffmanTable(JPEGHuffmanTable.StdACChrominance);

	// libjpeg's jccolor.c: 16-bit fixed point, the same constants as its lookup tables.
	private static final int SCALEBITS = 16;

	private static final int ONE_HALF = 1 << (SCALEBITS - 1);

	private static final int CBCR_OFFSET = 128 << SCALEBITS;

	private static final int R_Y = fix(0.29900);

	private static final int G_Y = fix(0.58700);

	private static final int B_Y = fix(0.11400);

	private static final int R_CB = -fix(0.16874);

	private static final int G_CB = -fix(0.33126);

	private static final int HALF = fix(0.5);

	private static final int G_CR = -fix(0.41869);

	private static final int B_CR = -fix(0.08131);

	/** The offset of 128 and the rounding of a sum of four pixels' Cb or Cr. */
	private static final int CHROMA_ROUNDED = (CBCR_OFFSET + ONE_HALF) << 2;

	/** libjpeg's aanscalefactor: the AAN DCT's output, row and column, is the true DCT's times these. */
	private static final double[] AAN_SCALE = { 1.0, 1.387039845, 1.306562965, 1.175875602, 1.0, 0.785694958,
			0.541196100, 0.275899379 };

	private JpegEncoder() {
	}

	/**
	 * @param bgr {@code width × height} pixels, 3 bytes each in the order blue, green, red, rows top to bottom
	 * @param quality 0–1, as the renderer passes OpenCV's IMWRITE_JPEG_QUALITY: rounded to a percentage, and
	 * like libjpeg, at least 1
	 * @return the JPEG file
	 */
	public static byte[] encode(byte[] bgr, int width, int height, float quality) {
		if (width < 1 || height < 1 || width > 65535 || height > 65535) {
			throw new IllegalArgumentException("JPEG cannot hold " + width + "×" + height + " pixels");
		}
		if ((long) width * height * 3 > bgr.length) {
			throw new IllegalArgumentException(
					bgr.length + " bytes are not " + width + "×" + height + " BGR pixels");
		}
		if (!(quality >= 0 && quality <= 1)) {
			throw new IllegalArgumentException("Quality " + quality + " is not within 0–1");
		}
		int percent = Math.round(quality * 100);
		int[] luminance = scaled(LUMINANCE_QUANT, percent);
		int[] chrominance = scaled(CHROMINANCE_QUANT, percent);
		Output out = new Output(width * height / 2 + 1024);
		writeHeaders(out, width, height, luminance, chrominance);
		new Scan(bgr, width, height, luminance, chrominance, out).run();
		out.writeMarker(0xD9);
		return out.toArray();
	}

	private static int fix(double x) {
		return (int) (x * (1L << SCALEBITS) + 0.5);
	}

	/** libjpeg's jpeg_quality_scaling and jpeg_add_quant_table with force_baseline: in natural order. */
	static int[] scaled(int[] basic, int percent) {
		int q = Math.max(1, Math.min(100, percent));
		int scale = (q < 50) ? 5000 / q : 200 - q * 2;
		int[] table = new int[64];
		for (int i = 0; i < 64; i++) {
			long value = ((long) basic[i] * scale + 50) / 100;
			table[i] = (int) Math.max(1, Math.min(255, value));
		}
		return table;
	}

	private static void writeHeaders(Output out, int width, int height, int[] luminance, int[] chrominance) {
		out.writeMarker(0xD8);
		// JFIF 1.01, no units, 1:1 pixel aspect, no thumbnail: what libjpeg writes by default.
		out.writeMarker(0xE0);
		out.writeShort(16);
		out.writeBytes('J', 'F', 'I', 'F', 0, 1, 1, 0);
		out.writeShort(1);
		out.writeShort(1);
		out.writeBytes(0, 0);
		writeQuantTable(out, 0, luminance);
		writeQuantTable(out, 1, chrominance);
		// SOF0: baseline, 8 bits; Y 2×2 sampled with table 0, Cb and Cr 1×1 with table 1.
		out.writeMarker(0xC0);
		out.writeShort(17);
		out.writeBytes(8);
		out.writeShort(height);
		out.writeShort(width);
		out.writeBytes(3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1);
		writeHuffmanTable(out, 0x00, JPEGHuffmanTable.StdDCLuminance);
		writeHuffmanTable(out, 0x10, JPEGHuffmanTable.StdACLuminance);
		writeHuffmanTable(out, 0x01, JPEGHuffmanTable.StdDCChrominance);
		writeHuffmanTable(out, 0x11, JPEGHuffmanTable.StdACChrominance);
		out.writeMarker(0xDA);
		out.writeShort(12);
		out.writeBytes(3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0);
	}

	private static void writeQuantTable(Output out, int id, int[] natural) {
		out.writeMarker(0xDB);
		out.writeShort(67);
		out.writeBytes(id);
		for (int k = 0; k < 64; k++) {
			out.writeBytes(natural[NATURAL_ORDER[k]]);
		}
	}

	private static void writeHuffmanTable(Output out, int classAndId, JPEGHuffmanTable table) {
		short[] lengths = table.getLengths();
		short[] values = table.getValues();
		out.writeMarker(0xC4);
		out.writeShort(2 + 1 + 16 + values.length);
		out.writeBytes(classAndId);
		for (short length : lengths) {
			out.writeBytes(length);
		}
		for (short value : values) {
			out.writeBytes(value);
		}
	}

	/** One image's entropy-coded data: MCU by MCU, each 16×16 pixels, four Y blocks, one Cb, one Cr. */
	private static final class Scan {

		private final byte[] bgr;

		private final int width;

		private final int height;

		private final Output out;

		/** 1 / (quantiser × AAN scale), in zig-zag order: libjpeg's float divisors. */
		private final float[] luminanceDivisors;

		private final float[] chrominanceDivisors;

		/** Byte offset of each column of the padded width: the last column repeats to the right. */
		private final int[] columnOffsets;

		/** Samples minus 128 (libjpeg's level shift): Y 16×16, Cb and Cr 8×8. */
		private final float[] y = new float[256];

		private final float[] cb = new float[64];

		private final float[] cr = new float[64];

		private final float[] workspace = new float[64];

		private final int[] coefficients = new int[64];

		private int lastY;

		private int lastCb;

		private int lastCr;

		private long bits;

		private int bitCount;

		Scan(byte[] bgr, int width, int height, int[] luminance, int[] chrominance, Output out) {
			this.bgr = bgr;
			this.width = width;
			this.height = height;
			this.out = out;
			this.luminanceDivisors = divisors(luminance);
			this.chrominanceDivisors = divisors(chrominance);
			int paddedWidth = (width + 15) & ~15;
			this.columnOffsets = new int[paddedWidth];
			for (int x = 0; x < paddedWidth; x++) {
				this.columnOffsets[x] = Math.min(x, width - 1) * 3;
			}
		}

		private static float[] divisors(int[] natural) {
			float[] divisors = new float[64];
			for (int k = 0; k < 64; k++) {
				int i = NATURAL_ORDER[k];
				divisors[k] = (float) (1.0 / (natural[i] * AAN_SCALE[i >> 3] * AAN_SCALE[i & 7] * 8.0));
			}
			return divisors;
		}

		void run() {
			for (int top = 0; top < this.height; top += 16) {
				for (int left = 0; left < this.width; left += 16) {
					convert(left, top);
					this.lastY = encodeBlock(this.y, 0, 16, this.luminanceDivisors, this.lastY, DC_LUMINANCE,
							AC_LUMINANCE);
					this.lastY = encodeBlock(this.y, 8, 16, this.luminanceDivisors, this.lastY, DC_LUMINANCE,
							AC_LUMINANCE);
					this.lastY = encodeBlock(this.y, 128, 16, this.luminanceDivisors, this.lastY, DC_LUMINANCE,
							AC_LUMINANCE);
					this.lastY = encodeBlock(this.y, 136, 16, this.luminanceDivisors, this.lastY, DC_LUMINANCE,
							AC_LUMINANCE);
					this.lastCb = encodeBlock(this.cb, 0, 8, this.chrominanceDivisors, this.lastCb, DC_CHROMINANCE,
							AC_CHROMINANCE);
					this.lastCr = encodeBlock(this.cr, 0, 8, this.chrominanceDivisors, this.lastCr, DC_CHROMINANCE,
							AC_CHROMINANCE);
				}
			}
			// libjpeg pads the last byte with 1 bits.
			putBits(0x7F, 7);
			while (this.bitCount >= 8) {
				this.bitCount -= 8;
				this.out.writeEntropyByte((int) (this.bits >>> this.bitCount) & 0xFF);
			}
		}

		/**
		 * The 16×16 pixels at ({@code left}, {@code top}) to Y, as libjpeg's rgb_ycc_convert, and to Cb and Cr of
		 * each 2×2 pixels' mean colour, rounded once (libjpeg rounds each pixel's and then their mean: a level
		 * apart at most, and a third of the arithmetic).
		 */
		private void convert(int left, int top) {
			byte[] pixels = this.bgr;
			int[] columns = this.columnOffsets;
			float[] ys = this.y;
			float[] cbs = this.cb;
			float[] crs = this.cr;
			int rowBytes = this.width * 3;
			int lastRow = this.height - 1;
			for (int row = 0; row < 16; row += 2) {
				int above = Math.min(top + row, lastRow) * rowBytes;
				int below = Math.min(top + row + 1, lastRow) * rowBytes;
				int i = row * 16;
				int c = row * 4;
				for (int column = left; column < left + 16; column += 2, i += 2, c++) {
					int p = above + columns[column];
					int q = above + columns[column + 1];
					int b0 = pixels[p] & 0xFF;
					int g0 = pixels[p + 1] & 0xFF;
					int r0 = pixels[p + 2] & 0xFF;
					int b1 = pixels[q] & 0xFF;
					int g1 = pixels[q + 1] & 0xFF;
					int r1 = pixels[q + 2] & 0xFF;
					ys[i] = ((R_Y * r0 + G_Y * g0 + B_Y * b0 + ONE_HALF) >> SCALEBITS) - 128;
					ys[i + 1] = ((R_Y * r1 + G_Y * g1 + B_Y * b1 + ONE_HALF) >> SCALEBITS) - 128;
					p = below + columns[column];
					q = below + columns[column + 1];
					int b2 = pixels[p] & 0xFF;
					int g2 = pixels[p + 1] & 0xFF;
					int r2 = pixels[p + 2] & 0xFF;
					int b3 = pixels[q] & 0xFF;
					int g3 = pixels[q + 1] & 0xFF;
					int r3 = pixels[q + 2] & 0xFF;
					ys[i + 16] = ((R_Y * r2 + G_Y * g2 + B_Y * b2 + ONE_HALF) >> SCALEBITS) - 128;
					ys[i + 17] = ((R_Y * r3 + G_Y * g3 + B_Y * b3 + ONE_HALF) >> SCALEBITS) - 128;
					int r = r0 + r1 + r2 + r3;
					int g = g0 + g1 + g2 + g3;
					int b = b0 + b1 + b2 + b3;
					cbs[c] = ((R_CB * r + G_CB * g + HALF * b + CHROMA_ROUNDED) >> (SCALEBITS + 2)) - 128;
					crs[c] = ((HALF * r + G_CR * g + B_CR * b + CHROMA_ROUNDED) >> (SCALEBITS + 2)) - 128;
				}
			}
		}

		/** DCT, quantisation and Huffman coding of one block; returns its DC, the next block's predictor. */
		private int encodeBlock(float[] samples, int offset, int stride, float[] divisors, int previousDc,
				HuffmanTable dcTable, HuffmanTable acTable) {
			float[] ws = this.workspace;
			forwardDct(samples, offset, stride, ws);
			int[] zz = this.coefficients;
			// Rounding as libjpeg's float quantiser, which needs no branch on the sign; a bit per coefficient
			// that is not 0, so the Huffman coding below skips the runs of zeros at once.
			long nonZero = 0;
			for (int k = 0; k < 64; k++) {
				int value = (int) (ws[NATURAL_ORDER[k]] * divisors[k] + 16384.5f) - 16384;
				zz[k] = value;
				nonZero |= (long) ((value | -value) >>> 31) << k;
			}
			int dc = zz[0];
			int diff = dc - previousDc;
			int sign = diff >> 31;
			int magnitude = (diff ^ sign) - sign;
			int size = 32 - Integer.numberOfLeadingZeros(magnitude);
			// A negative value is written as value − 1 in its low bits.
			putBits((dcTable.codes[size] << size) | ((diff + sign) & ((1 << size) - 1)), dcTable.sizes[size] + size);
			long ac = nonZero & ~1L;
			int previous = 0;
			while (ac != 0) {
				int k = Long.numberOfTrailingZeros(ac);
				ac &= ac - 1;
				int run = k - previous - 1;
				previous = k;
				while (run > 15) {
					putBits(acTable.codes[0xF0], acTable.sizes[0xF0]);
					run -= 16;
				}
				int value = zz[k];
				sign = value >> 31;
				magnitude = (value ^ sign) - sign;
				size = 32 - Integer.numberOfLeadingZeros(magnitude);
				int symbol = (run << 4) + size;
				putBits((acTable.codes[symbol] << size) | ((value + sign) & ((1 << size) - 1)),
						acTable.sizes[symbol] + size);
			}
			if (previous != 63) {
				putBits(acTable.codes[0], acTable.sizes[0]);
			}
			return dc;
		}

		/**
		 * libjpeg's jpeg_fdct_float (Arai, Agui and Nakajima): the scale is left to the divisors. Rows and columns
		 * are written out apart: one pass method with strides, called for both, made the three squares' encoding
		 * 8% slower (1.21 against 1.32 ms a photo, {@code JpegEncodeProbe /tmp/avatar-corpus 20}).
		 */
		private static void forwardDct(float[] samples, int offset, int stride, float[] ws) {
			for (int row = 0; row < 8; row++) {
				int p = offset + row * stride;
				int o = row * 8;
				float tmp0 = samples[p] + samples[p + 7];
				float tmp7 = samples[p] - samples[p + 7];
				float tmp1 = samples[p + 1] + samples[p + 6];
				float tmp6 = samples[p + 1] - samples[p + 6];
				float tmp2 = samples[p + 2] + samples[p + 5];
				float tmp5 = samples[p + 2] - samples[p + 5];
				float tmp3 = samples[p + 3] + samples[p + 4];
				float tmp4 = samples[p + 3] - samples[p + 4];
				float tmp10 = tmp0 + tmp3;
				float tmp13 = tmp0 - tmp3;
				float tmp11 = tmp1 + tmp2;
				float tmp12 = tmp1 - tmp2;
				ws[o] = tmp10 + tmp11;
				ws[o + 4] = tmp10 - tmp11;
				float z1 = (tmp12 + tmp13) * 0.707106781f;
				ws[o + 2] = tmp13 + z1;
				ws[o + 6] = tmp13 - z1;
				tmp10 = tmp4 + tmp5;
				tmp11 = tmp5 + tmp6;
				tmp12 = tmp6 + tmp7;
				float z5 = (tmp10 - tmp12) * 0.382683433f;
				float z2 = 0.541196100f * tmp10 + z5;
				float z4 = 1.306562965f * tmp12 + z5;
				float z3 = tmp11 * 0.707106781f;
				float z11 = tmp7 + z3;
				float z13 = tmp7 - z3;
				ws[o + 5] = z13 + z2;
				ws[o + 3] = z13 - z2;
				ws[o + 1] = z11 + z4;
				ws[o + 7] = z11 - z4;
			}
			for (int c = 0; c < 8; c++) {
				float tmp0 = ws[c] + ws[c + 56];
				float tmp7 = ws[c] - ws[c + 56];
				float tmp1 = ws[c + 8] + ws[c + 48];
				float tmp6 = ws[c + 8] - ws[c + 48];
				float tmp2 = ws[c + 16] + ws[c + 40];
				float tmp5 = ws[c + 16] - ws[c + 40];
				float tmp3 = ws[c + 24] + ws[c + 32];
				float tmp4 = ws[c + 24] - ws[c + 32];
				float tmp10 = tmp0 + tmp3;
				float tmp13 = tmp0 - tmp3;
				float tmp11 = tmp1 + tmp2;
				float tmp12 = tmp1 - tmp2;
				ws[c] = tmp10 + tmp11;
				ws[c + 32] = tmp10 - tmp11;
				float z1 = (tmp12 + tmp13) * 0.707106781f;
				ws[c + 16] = tmp13 + z1;
				ws[c + 48] = tmp13 - z1;
				tmp10 = tmp4 + tmp5;
				tmp11 = tmp5 + tmp6;
				tmp12 = tmp6 + tmp7;
				float z5 = (tmp10 - tmp12) * 0.382683433f;
				float z2 = 0.541196100f * tmp10 + z5;
				float z4 = 1.306562965f * tmp12 + z5;
				float z3 = tmp11 * 0.707106781f;
				float z11 = tmp7 + z3;
				float z13 = tmp7 - z3;
				ws[c + 40] = z13 + z2;
				ws[c + 24] = z13 - z2;
				ws[c + 8] = z11 + z4;
				ws[c + 56] = z11 - z4;
			}
		}

		/** Appends the low {@code count} (at most 32) bits of {@code value}; 4 bytes out once 32 are pending. */
		private void putBits(int value, int count) {
			this.bits = (this.bits << count) | (value & ((1L << count) - 1));
			this.bitCount += count;
			if (this.bitCount >= 32) {
				this.bitCount -= 32;
				this.out.writeEntropyWord((int) (this.bits >>> this.bitCount));
			}
		}

	}

	/** A Huffman table as codes and code lengths by symbol, as libjpeg's jpeg_make_c_derived_tbl. */
	private static final class HuffmanTable {

		final int[] codes = new int[256];

		final int[] sizes = new int[256];

		HuffmanTable(JPEGHuffmanTable table) {
			short[] lengths = table.getLengths();
			short[] values = table.getValues();
			int code = 0;
			int k = 0;
			for (int length = 1; length <= 16; length++) {
				for (int i = 0; i < lengths[length - 1]; i++, k++) {
					this.codes[values[k]] = code++;
					this.sizes[values[k]] = length;
				}
				code <<= 1;
			}
		}

	}

	/** A growing byte array. */
	private static final class Output {

		private byte[] bytes;

		private int length;

		Output(int capacity) {
			this.bytes = new byte[capacity];
		}

		void writeByte(int b) {
			if (this.length == this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes, this.bytes.length * 2);
			}
			this.bytes[this.length++] = (byte) b;
		}

		/** A byte of entropy-coded data: 0xFF is followed by a 0 (byte stuffing). */
		void writeEntropyByte(int b) {
			writeByte(b);
			if (b == 0xFF) {
				writeByte(0);
			}
		}

		/** Four bytes of entropy-coded data, big-endian; at once when none is 0xFF. */
		void writeEntropyWord(int word) {
			int inverted = ~word;
			if (((inverted - 0x01010101) & ~inverted & 0x80808080) != 0) {
				writeEntropyByte(word >>> 24);
				writeEntropyByte((word >>> 16) & 0xFF);
				writeEntropyByte((word >>> 8) & 0xFF);
				writeEntropyByte(word & 0xFF);
				return;
			}
			if (this.length + 4 > this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes, this.bytes.length * 2 + 4);
			}
			byte[] b = this.bytes;
			int n = this.length;
			b[n] = (byte) (word >>> 24);
			b[n + 1] = (byte) (word >>> 16);
			b[n + 2] = (byte) (word >>> 8);
			b[n + 3] = (byte) word;
			this.length = n + 4;
		}

		void writeBytes(int... values) {
			for (int value : values) {
				writeByte(value);
			}
		}

		void writeShort(int value) {
			writeByte(value >> 8);
			writeByte(value);
		}

		void writeMarker(int marker) {
			writeByte(0xFF);
			writeByte(marker);
		}

		byte[] toArray() {
			return Arrays.copyOf(this.bytes, this.length);
		}

	}

}
