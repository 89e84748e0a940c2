package dev.avatars.jpeg;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Decodes a sequential or progressive Huffman JPEG at one eighth or one quarter of its size, in plain Java.
 *
 * <p>At 1/8 each 8×8 block becomes one pixel, the block's mean: libjpeg's own 1/8 scaling computes exactly this
 * from the DC coefficient. The rest of a block still has to be read past, and that is where decoders spend their
 * time (libjpeg-turbo's {@code decode_mcu} was two thirds of the fast path): they decode every coefficient's
 * value and store it. At 1/8 this decoder needs only the lengths, so it skips several coefficients per table
 * lookup. The pixels are libjpeg's at 1/8 (the tests compare them with libjpeg-turbo's), except for 4:2:0 chroma
 * (see {@link #blocks}).
 *
 * <p>At 1/4 every value is needed (see {@link #blocks}); for baseline files libjpeg-turbo is faster there, so
 * only the pure-Java path uses it, where it spares ImageIO's decoding of every pixel. Its pixels are within a
 * few levels of libjpeg's.
 *
 * <p>A progressive JPEG at 1/8 needs only its DC scans (the first ones and their successive-approximation
 * refinements, interleaved or one component each, in any split of the bits): their coefficients are collected,
 * and every AC scan is passed over without decoding. libjpeg's 1/8 uses only the DC coefficients too, so the
 * pixels are the same; a libjpeg decode reads every scan. At 1/4 every scan is read, but only the coefficients
 * that add to the output are kept (see {@link Progressive}): the pixels are those of the baseline file with the
 * same coefficients, to the byte, and it is faster than libjpeg-turbo there (1.2× on the corpus's 2 MP photos),
 * so both paths use it.
 *
 * <p>It takes 8-bit baseline, extended and progressive JPEGs with one component (grey) or three (YCbCr, the
 * chroma sampled 1×1 and the luma up to 2×2; at 1/4 the luma 1×1 or 2×2), baseline ones in one interleaved
 * scan, with or without restart markers. Anything else, and any damage it notices (a bad code, data that ends
 * early, a missing restart marker), gives {@code null}: the caller then leaves the file to a full decoder, which
 * reads it or says why it cannot.
 */
public final class ReducedJpegDecoder {

	/** Bits looked at per AC table lookup: several short codes with their value bits fit in 12. */
	private static final int SKIP_BITS = 12;

	/** Bits of the single-code lookup; longer codes are decoded from the canonical code ranges. */
	private static final int LOOKUP_BITS = 9;

	/**
	 * Beyond this many output pixels (a 256-megapixel original at 1/8; the planes take about 24 MB) the file is
	 * left to ImageIO, which decodes only the crop square, subsampled.
	 */
	private static final int MAX_OUTPUT_PIXELS = 4_000_000;

	/**
	 * A progressive picture at 1/4 keeps some of its AC coefficients until its last scan: beyond this many output
	 * pixels (a 16-megapixel original; 35 to 50 MB of them) it is left to the full decoder.
	 */
	static final int MAX_PROGRESSIVE_QUARTER_PIXELS = 1_000_000;

	/** The picture reduced, BGR bytes row by row (OpenCV's order). */
	public record Reduced(int width, int height, byte[] bgr) {

		/** A part of the picture as an image for Java 2D. */
		public BufferedImage region(Rectangle region) {
			BufferedImage image = new BufferedImage(region.width, region.height, BufferedImage.TYPE_INT_RGB);
			int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
			int out = 0;
			for (int y = region.y; y < region.y + region.height; y++) {
				int at = (y * this.width + region.x) * 3;
				for (int x = 0; x < region.width; x++, at += 3) {
					pixels[out++] = (this.bgr[at + 2] & 0xFF) << 16 | (this.bgr[at + 1] & 0xFF) << 8 | this.bgr[at] & 0xFF;
				}
			}
			return image;
		}

	}

	private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
			ByteOrder.BIG_ENDIAN);

	/** Each thread's copy of the entropy-coded data without its stuffed bytes, reused from file to file. */
	private static final ThreadLocal<byte[]> UNSTUFFED = ThreadLocal.withInitial(() -> new byte[0]);

	/** The natural (row by row) index of each coefficient in the order a block stores them. */
	private static final int[] ZIGZAG = { 0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40,
			48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
			58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63 };

	/** By byte {@code << 3 |} n: the position of the byte's {@code (n + 1)}th set bit. */
	private static final byte[] SELECT_IN_BYTE = new byte[256 * 8];

	static {
		for (int b = 0; b < 256; b++) {
			int n = 0;
			for (int bit = 0; bit < 8; bit++) {
				if ((b & 1 << bit) != 0) {
					SELECT_IN_BYTE[b << 3 | n++] = (byte) bit;
				}
			}
		}
	}

	/** {@link #basis} weights for 1, 2 and 4 outputs per side. */
	private static final float[] AVERAGES_1 = averages(1);

	private static final float[] AVERAGES_2 = averages(2);

	private static final float[] AVERAGES_4 = averages(4);

	private final byte[] data;

	private final int end;

	/** 8 or 4: the output is 1/8 or 1/4 of the picture's size. */
	private final int reduction;

	/** One block's pixels at 1/4, as they add up while its coefficients are read. */
	private final float[] sums = new float[16];

	private int pos;

	/** The entropy-coded data with stuffed zero bytes and markers taken out, then 8 zero bytes. */
	private byte[] entropy;

	private int entropyLength;

	/** Where in {@link #entropy} each restart interval after the first begins. */
	private int[] restarts = new int[16];

	private int restartCount;

	private int nextRestart;

	/** Where the last scan's entropy-coded data ended: the marker after it, or the end of the file. */
	private int scanEnd;

	private ReducedJpegDecoder(byte[] data, int length, int reduction) {
		this.data = data;
		this.end = length;
		this.reduction = reduction;
	}

	/**
	 * @param reduction 8 or 4
	 * @return the picture at 1/{@code reduction} (sizes rounded up), or {@code null} when the file is not one
	 * this reads
	 */
	public static Reduced decode(byte[] data, int length, int reduction) {
		if (reduction != 8 && reduction != 4) {
			throw new IllegalArgumentException("Reduction " + reduction);
		}
		try {
			return new ReducedJpegDecoder(data, length, reduction).decode();
		}
		catch (IndexOutOfBoundsException ex) {
			// A header pointing past the end: damaged or hostile, either way for the full decoder to judge.
			return null;
		}
	}

	private Reduced decode() {
		if (this.end < 4 || u8(0) != 0xFF || u8(1) != 0xD8) {
			return null;
		}
		int[][] quant = new int[4][];
		Huffman[] dcTables = new Huffman[4];
		Huffman[] acTables = new Huffman[4];
		Frame frame = null;
		int restartInterval = 0;
		boolean progressive = false;
		this.pos = 2;
		while (true) {
			if (u8(this.pos) != 0xFF) {
				return null;
			}
			int marker = u8(this.pos + 1);
			if (marker == 0xFF) {
				this.pos++;
				continue;
			}
			int segment = this.pos + 4;
			int segmentEnd = this.pos + 2 + u16(this.pos + 2);
			if (segmentEnd < segment || segmentEnd > this.end) {
				return null;
			}
			switch (marker) {
				case 0xDB -> {
					if (!readQuantTables(segment, segmentEnd, quant)) {
						return null;
					}
				}
				case 0xC4 -> {
					if (!readHuffmanTables(segment, segmentEnd, dcTables, acTables)) {
						return null;
					}
				}
				case 0xC0, 0xC1 -> {
					if (frame != null || (frame = Frame.read(this, segment)) == null) {
						return null;
					}
				}
				case 0xC2 -> {
					if (frame != null || (frame = Frame.read(this, segment)) == null) {
						return null;
					}
					progressive = true;
				}
				case 0xDD -> {
					if (segmentEnd - segment < 2) {
						return null;
					}
					restartInterval = u16(segment);
				}
				case 0xEE -> {
					// Adobe's marker: transform 0 means the three components are RGB, not YCbCr.
					if (segmentEnd - segment >= 12 && u8(segment) == 'A' && u8(segment + 11) == 0) {
						return null;
					}
				}
				case 0xDA -> {
					if (progressive) {
						return (frame != null) ? progressive(frame, quant, dcTables, acTables, restartInterval) : null;
					}
					this.pos = segmentEnd;
					return (frame != null) ? scan(frame, segment, quant, dcTables, acTables, restartInterval) : null;
				}
				default -> {
					// APPn and comments are skipped; any other frame (progressive, lossless, arithmetic,
					// hierarchical) or marker out of place is for the full decoder.
					if (marker < 0xE0) {
						return null;
					}
				}
			}
			this.pos = segmentEnd;
		}
	}

	/**
	 * A progressive JPEG from {@link #pos} (its first SOS) to EOI. At 1/8 each block's DC coefficient, which is
	 * all 1/8 needs, from the DC scans (first and refining, interleaved or one component each); the AC scans are
	 * passed over without decoding. At 1/4 every scan is read, and of the AC coefficients only those that add to
	 * a quarter's mean are kept (see {@link Progressive}). Tables and restart intervals may change between scans.
	 */
	private Reduced progressive(Frame frame, int[][] quant, Huffman[] dcTables, Huffman[] acTables,
			int restartInterval) {
		int width = (frame.width + this.reduction - 1) / this.reduction;
		int height = (frame.height + this.reduction - 1) / this.reduction;
		if ((long) width * height > ((this.reduction == 8) ? MAX_OUTPUT_PIXELS : MAX_PROGRESSIVE_QUARTER_PIXELS)) {
			return null;
		}
		if (this.reduction == 4 && frame.components() == 3 && frame.h[0] != frame.v[0]) {
			return null; // 4:2:2 and 4:4:0, as for baseline files at 1/4
		}
		Progressive state = new Progressive(frame, this.reduction);
		int interval = restartInterval;
		while (true) {
			if (u8(this.pos) != 0xFF) {
				return null;
			}
			int marker = u8(this.pos + 1);
			if (marker == 0xFF) {
				this.pos++;
				continue;
			}
			if (marker == 0xD9) {
				break;
			}
			int segment = this.pos + 4;
			int segmentEnd = this.pos + 2 + u16(this.pos + 2);
			if (segmentEnd < segment || segmentEnd > this.end) {
				return null;
			}
			switch (marker) {
				case 0xDB -> {
					if (!readQuantTables(segment, segmentEnd, quant)) {
						return null;
					}
				}
				case 0xC4 -> {
					if (!readHuffmanTables(segment, segmentEnd, dcTables, acTables)) {
						return null;
					}
				}
				case 0xDD -> {
					if (segmentEnd - segment < 2) {
						return null;
					}
					interval = u16(segment);
				}
				case 0xDA -> {
					if (!progressiveScan(state, segment, segmentEnd, quant, dcTables, acTables, interval)) {
						return null;
					}
					continue; // at the marker after the scan's data
				}
				default -> {
					if (marker < 0xE0) {
						return null;
					}
				}
			}
			this.pos = segmentEnd;
		}
		return state.toReduced(this, width, height);
	}

	/** Reads one scan of a progressive JPEG into {@code state}: a DC one, and an AC one at 1/4 (at 1/8 skipped). */
	private boolean progressiveScan(Progressive state, int segment, int segmentEnd, int[][] quant,
			Huffman[] dcTables, Huffman[] acTables, int restartInterval) {
		Frame frame = state.frame;
		int count = u8(segment);
		if (count < 1 || count > frame.components() || segmentEnd != segment + 1 + 2 * count + 3) {
			return false;
		}
		int spectrum = segment + 1 + 2 * count;
		int start = u8(spectrum);
		int stop = u8(spectrum + 1);
		int high = u8(spectrum + 2) >> 4;
		int low = u8(spectrum + 2) & 15;
		if (start != 0) {
			// An AC scan: one component, a band of coefficients, the first bits or the next one down.
			if (count != 1 || stop < start || stop > 63 || low > 13 || (high != 0 && low != high - 1)) {
				return false;
			}
			if (this.reduction == 8) {
				this.pos = entropyEnd(segmentEnd);
				return true;
			}
			int i = frame.indexOf(u8(segment + 1));
			int table = u8(segment + 2) & 15;
			// Its component's DC must have come first (a rule of the format libjpeg only warns about).
			if (i < 0 || table > 3 || acTables[table] == null || state.bits[i] < 0) {
				return false;
			}
			this.pos = segmentEnd;
			this.restartCount = 0;
			this.nextRestart = 0;
			unstuff(restartInterval > 0);
			if (!state.acScan(this, i, acTables[table], start, stop, high == 0, low, restartInterval)) {
				return false;
			}
			this.pos = this.scanEnd;
			return true;
		}
		if (stop != 0 || low > 13) {
			return false;
		}
		int[] components = new int[count];
		Huffman[] dc = new Huffman[count];
		for (int j = 0; j < count; j++) {
			int i = frame.indexOf(u8(segment + 1 + 2 * j));
			int table = u8(segment + 2 + 2 * j) >> 4;
			if (i < 0 || table > 3) {
				return false;
			}
			for (int k = 0; k < j; k++) {
				if (components[k] == i) {
					return false;
				}
			}
			components[j] = i;
			// A first scan starts the component's coefficients; a refinement adds the next bit down.
			if (high == 0) {
				int[] q = quant[frame.quantTables[i]];
				if (state.bits[i] >= 0 || (dc[j] = dcTables[table]) == null || q == null || q[0] == 0) {
					return false;
				}
				// The table as it is at the component's first scan is the one its coefficients use, as in libjpeg.
				state.quant[i] = q.clone();
			}
			else if (state.bits[i] != high || low != high - 1) {
				return false;
			}
		}
		this.pos = segmentEnd;
		this.restartCount = 0;
		this.nextRestart = 0;
		unstuff(restartInterval > 0);
		if (!state.scan(this, components, dc, high == 0, low, restartInterval)) {
			return false;
		}
		for (int i : components) {
			state.bits[i] = low;
		}
		this.pos = this.scanEnd;
		return true;
	}

	/** Where the entropy-coded data from {@code from} ends: its next marker other than a restart marker. */
	private int entropyEnd(int from) {
		byte[] in = this.data;
		int p = from;
		while (true) {
			p = runWithoutFF(in, p, this.end);
			int q = p + 1;
			while (q < this.end && in[q] == (byte) 0xFF) {
				q++;
			}
			if (q >= this.end) {
				return this.end; // no marker: read as damage by the caller
			}
			int next = in[q] & 0xFF;
			if (next != 0 && (next & 0xF8) != 0xD0) {
				return q - 1;
			}
			p = q + 1;
		}
	}

	/**
	 * A progressive JPEG's coefficients as its scans fill them in: at 1/8 each block's DC; at 1/4 also the AC
	 * coefficients that add to the means of a block's quarters. A frequency whose cosine averages to zero over
	 * every output pixel's span adds nothing (2, 4 and 6 over four pixels, 4 over two), which leaves 24 of the 63
	 * for a block reduced to 2×2 and 48 for a 4:2:0 chroma block reduced to 4×4; only those values are kept.
	 *
	 * <p>For every block it also keeps which of its 63 AC coefficients are non-zero so far, one bit each: a
	 * refining AC scan sends one correction bit for each non-zero coefficient it passes, and with those bits the
	 * ones not kept are passed over a word at a time. libjpeg keeps all 64 values of every block and reads those
	 * bits one by one, which is most of its time on files with successive approximation.
	 */
	private static final class Progressive {

		final Frame frame;

		/** 8 or 4. */
		final int reduction;

		/** Per component, whether a first DC scan was read (-1 not yet) and then its lowest bit so far. */
		final int[] bits;

		/** Per component, its quantisation table (natural order) as it was at its first scan. */
		final int[][] quant;

		/** Per component, the DC coefficients of its blocks over whole MCUs. */
		final int[][] coefficients;

		final int[] strides;

		final int h;

		final int v;

		final int mcusAcross;

		final int mcusDown;

		/** At 1/4, per component: the pixels per side each of its blocks becomes. */
		final int[] sides;

		/** At 1/4, per component: the zigzag positions whose values are kept, a bit each. */
		final long[] kept;

		/**
		 * At 1/4, per component: by zigzag position, where in a block's values it is kept; the ones not kept all
		 * go to the block's last value, never read (a store without a branch costs less than the branch).
		 */
		final byte[][] slotOf;

		/** At 1/4, per component: how many values each block keeps, and one more for those not kept. */
		final int[] slots;

		/** At 1/4, per component and block: its AC coefficients non-zero so far, bit k for zigzag position k. */
		final long[][] nonZero;

		/** At 1/4, per component: the kept values, {@link #slots} per block. */
		final short[][] values;

		/**
		 * At 1/4, per component and bit: which kept coefficients of each block a refining scan sets that bit of,
		 * added when the pixels are made (each bit of a coefficient is refined once, so the order does not
		 * matter). {@code null} for bits never refined.
		 */
		final long[][][] refined;

		Progressive(Frame frame, int reduction) {
			this.frame = frame;
			this.reduction = reduction;
			int count = frame.components();
			boolean colour = count == 3;
			this.h = colour ? frame.h[0] : 1;
			this.v = colour ? frame.v[0] : 1;
			this.mcusAcross = (frame.width + 8 * this.h - 1) / (8 * this.h);
			this.mcusDown = (frame.height + 8 * this.v - 1) / (8 * this.v);
			this.bits = new int[count];
			Arrays.fill(this.bits, -1);
			this.quant = new int[count][];
			this.coefficients = new int[count][];
			this.strides = new int[count];
			this.sides = new int[count];
			this.kept = new long[count];
			this.slotOf = new byte[count][];
			this.slots = new int[count];
			this.nonZero = new long[count][];
			this.values = new short[count][];
			this.refined = new long[count][14][];
			for (int i = 0; i < count; i++) {
				this.strides[i] = this.mcusAcross * sampleH(i);
				int blocks = this.strides[i] * this.mcusDown * sampleV(i);
				this.coefficients[i] = new int[blocks];
				if (reduction == 4) {
					// Luma blocks become 2×2 pixels; a chroma block as many as the luma it covers (as at baseline).
					this.sides[i] = (i == 0) ? 2 : 2 * this.h;
					float[] weights = (this.sides[i] == 2) ? AVERAGES_2 : AVERAGES_4;
					this.slotOf[i] = new byte[64];
					for (int k = 1; k < 64; k++) {
						if (addsUp(weights, this.sides[i], ZIGZAG[k] / 8) && addsUp(weights, this.sides[i], ZIGZAG[k] % 8)) {
							this.kept[i] |= 1L << k;
							this.slotOf[i][k] = (byte) this.slots[i]++;
						}
					}
					for (int k = 0; k < 64; k++) {
						if ((this.kept[i] & 1L << k) == 0) {
							this.slotOf[i][k] = (byte) this.slots[i];
						}
					}
					this.slots[i]++;
					this.nonZero[i] = new long[blocks];
					this.values[i] = new short[blocks * this.slots[i]];
				}
			}
		}

		/** Whether frequency {@code k} adds to any of the {@code n} means along a side. */
		private static boolean addsUp(float[] weights, int n, int k) {
			for (int i = 0; i < n; i++) {
				if (weights[i * 8 + k] != 0) {
					return true;
				}
			}
			return false;
		}

		int sampleH(int i) {
			return (this.frame.components() == 3) ? this.frame.h[i] : 1;
		}

		int sampleV(int i) {
			return (this.frame.components() == 3) ? this.frame.v[i] : 1;
		}

		/** The blocks of component {@code i} inside the picture, across and down: what a one-component scan holds. */
		private int blocksAcross(int i) {
			return ((this.frame.width * sampleH(i) + this.h - 1) / this.h + 7) / 8;
		}

		private int blocksDown(int i) {
			return ((this.frame.height * sampleV(i) + this.v - 1) / this.v + 7) / 8;
		}

		/**
		 * Reads one DC scan's blocks: in MCUs when it holds several components, else the component's own blocks
		 * row by row (only those inside the picture).
		 */
		boolean scan(ReducedJpegDecoder in, int[] components, Huffman[] dc, boolean first, int low,
				int restartInterval) {
			byte[] entropy = in.entropy;
			int overrun = in.entropyLength * 8 + 64;
			int[] pred = new int[components.length];
			int bitPos = 0;
			int unit = 0;
			if (components.length == 1) {
				int i = components[0];
				int across = blocksAcross(i);
				int down = blocksDown(i);
				int[] out = this.coefficients[i];
				for (int y = 0; y < down; y++) {
					for (int x = 0; x < across; x++, unit++) {
						if (restartInterval > 0 && unit > 0 && unit % restartInterval == 0) {
							if ((bitPos = in.restart(bitPos)) < 0) {
								return false;
							}
							pred[0] = 0;
						}
						if ((bitPos = block(entropy, dc[0], first, low, pred, 0, out, y * this.strides[i] + x,
								bitPos)) < 0 || bitPos > overrun) {
							return false;
						}
					}
				}
				return in.finished(bitPos);
			}
			for (int my = 0; my < this.mcusDown; my++) {
				for (int mx = 0; mx < this.mcusAcross; mx++, unit++) {
					if (restartInterval > 0 && unit > 0 && unit % restartInterval == 0) {
						if ((bitPos = in.restart(bitPos)) < 0) {
							return false;
						}
						Arrays.fill(pred, 0);
					}
					for (int j = 0; j < components.length; j++) {
						int i = components[j];
						int hi = sampleH(i);
						int vi = sampleV(i);
						for (int by = 0; by < vi; by++) {
							for (int bx = 0; bx < hi; bx++) {
								int at = (my * vi + by) * this.strides[i] + mx * hi + bx;
								if ((bitPos = block(entropy, dc[j], first, low, pred, j, this.coefficients[i], at,
										bitPos)) < 0) {
									return false;
								}
							}
						}
					}
					if (bitPos > overrun) {
						return false;
					}
				}
			}
			return in.finished(bitPos);
		}

		/** One block's DC: its difference (first scan), or its next bit (refinement). */
		private static int block(byte[] entropy, Huffman dc, boolean first, int low, int[] pred, int j, int[] out,
				int at, int bitPos) {
			if (first) {
				long read = dcDifference(entropy, dc, bitPos);
				if ((int) read < 0) {
					return -1;
				}
				pred[j] += (int) (read >> 32);
				out[at] = pred[j] << low;
				return (int) read;
			}
			if (window(entropy, bitPos) < 0) { // the top bit
				out[at] |= 1 << low;
			}
			return bitPos + 1;
		}

		/**
		 * Reads one AC scan (at 1/4): component {@code i}'s blocks inside the picture, row by row, each the band
		 * {@code start}–{@code stop} of its coefficients, their first bits down to {@code low} or the next bit.
		 * It follows libjpeg's {@code decode_mcu_AC_first} and {@code decode_mcu_AC_refine}.
		 */
		boolean acScan(ReducedJpegDecoder in, int i, Huffman ac, int start, int stop, boolean first, int low,
				int restartInterval) {
			if (first) {
				return firstScan(in, i, ac, start, stop, low, restartInterval);
			}
			if (this.refined[i][low] == null) {
				this.refined[i][low] = new long[this.nonZero[i].length];
			}
			return refineScan(in, i, ac, start, stop, low, restartInterval);
		}

		/*
		 * Each scan's loop over the blocks holds the decoding of a block's band itself: called per block, the JIT
		 * inlined the band's code into the loop in some runs and not in others, and the runs that did were a sixth
		 * slower (two workers, 2 MP: 87-95 against 105-121 images/s).
		 */

		/** A first AC scan: each coefficient's value above bit {@code low}. */
		private boolean firstScan(ReducedJpegDecoder in, int i, Huffman ac, int start, int stop, int low,
				int restartInterval) {
			byte[] entropy = in.entropy;
			int overrun = in.entropyLength * 8 + 64;
			int across = blocksAcross(i);
			int down = blocksDown(i);
			long[] nonZeros = this.nonZero[i];
			short[] values = this.values[i];
			byte[] slotOf = this.slotOf[i];
			int slots = this.slots[i];
			int bitPos = 0;
			int endOfBands = 0;
			int unit = 0;
			for (int y = 0; y < down; y++) {
				for (int x = 0; x < across; x++, unit++) {
					if (restartInterval > 0 && unit > 0 && unit % restartInterval == 0) {
						if ((bitPos = in.restart(bitPos)) < 0) {
							return false;
						}
						endOfBands = 0;
					}
					if (endOfBands > 0) {
						endOfBands--;
						continue;
					}
					int block = y * this.strides[i] + x;
					long nonZero = nonZeros[block];
					int base = block * slots;
					// The bits from bitPos on, of which the first used are read: a load for every few codes.
					long window = window(entropy, bitPos);
					int used = 0;
					for (int k = start; k <= stop;) {
						if (used > 26) { // a code and its value bits take up to 31 of the 57 a load gives
							bitPos += used;
							used = 0;
							window = window(entropy, bitPos);
						}
						long bits = window << used;
						int code = ac.decode(bits);
						int length = code >>> 8;
						int run = (code >>> 4) & 15;
						int size = code & 15;
						if (size != 0) {
							k += run;
							if (k > stop) {
								return false;
							}
							values[base + slotOf[k]] = (short) (extend((int) (bits << length >>> (64 - size)), size) << low);
							nonZero |= 1L << k;
							used += length + size;
							k++;
						}
						else if (code == 0) {
							return false;
						}
						else if (run == 15) {
							used += length;
							k += 16;
						}
						else {
							// The end of this block's band and of as many more blocks' as the run says.
							int more = (run == 0) ? 0 : (int) (bits << length >>> (64 - run));
							endOfBands = (1 << run) + more - 1;
							used += length + run;
							break;
						}
					}
					nonZeros[block] = nonZero;
					bitPos += used;
					if (bitPos > overrun) {
						return false;
					}
				}
			}
			return in.finished(bitPos);
		}

		/**
		 * A refining AC scan: new coefficients of magnitude {@code 1 << low}, each after a run of coefficients
		 * still zero, and a correction bit for every non-zero one passed. Of those bits only the kept
		 * coefficients' are read, after the block's codes, into {@link #refined}.
		 */
		private boolean refineScan(ReducedJpegDecoder in, int i, Huffman ac, int start, int stop, int low,
				int restartInterval) {
			byte[] entropy = in.entropy;
			int overrun = in.entropyLength * 8 + 64;
			int across = blocksAcross(i);
			int down = blocksDown(i);
			long[] nonZeros = this.nonZero[i];
			short[] values = this.values[i];
			byte[] slotOf = this.slotOf[i];
			int slots = this.slots[i];
			long kept = this.kept[i];
			long[] refining = this.refined[i][low];
			long band = upTo(stop);
			long[] pendingPassed = new long[64];
			int[] pendingAt = new int[64];
			int bitPos = 0;
			int endOfBands = 0;
			int unit = 0;
			for (int y = 0; y < down; y++) {
				for (int x = 0; x < across; x++, unit++) {
					if (restartInterval > 0 && unit > 0 && unit % restartInterval == 0) {
						if ((bitPos = in.restart(bitPos)) < 0) {
							return false;
						}
						endOfBands = 0;
					}
					int block = y * this.strides[i] + x;
					long nonZero = nonZeros[block];
					int base = block * slots;
					long window = window(entropy, bitPos);
					int used = 0;
					int k = start;
					int pending = 0;
					if (endOfBands == 0) {
						while (k <= stop) {
							if (used > 24) { // a code with its run bits takes up to 30 of the 57 a load gives
								bitPos += used;
								used = 0;
								window = window(entropy, bitPos);
							}
							long bits = window << used;
							int code = ac.decode(bits);
							if (code == 0) {
								return false;
							}
							int length = code >>> 8;
							int run = (code >>> 4) & 15;
							int size = code & 15;
							used += length;
							int value = 0;
							if (size != 0) {
								if (size != 1) {
									return false;
								}
								value = (bits << length < 0) ? 1 << low : -1 << low;
								used++;
							}
							else if (run != 15) {
								int more = (run == 0) ? 0 : (int) (bits << length >>> (64 - run));
								endOfBands = (1 << run) + more;
								used += run;
								break;
							}
							// The new coefficient (or the end of sixteen zeros) is the (run + 1)th still-zero one
							// from k.
							long zeros = ~nonZero & band & from(k);
							int target;
							int first = Long.numberOfTrailingZeros(zeros);
							long span = ((2L << run) - 1) << first;
							if (first + run < 64 && (zeros & span) == span) {
								target = first + run; // no non-zero coefficient among them: most codes
							}
							else if (Long.bitCount(zeros) > run) {
								target = select(zeros, run);
							}
							else if (value == 0) {
								target = stop + 1;
							}
							else {
								return false;
							}
							long passed = nonZero & from(k) & below(target);
							if ((passed & kept) != 0) {
								pendingPassed[pending] = passed;
								pendingAt[pending++] = bitPos + used;
							}
							used += Long.bitCount(passed);
							if (value != 0) {
								nonZero |= 1L << target;
								values[base + slotOf[target]] = (short) value;
							}
							k = target + 1;
						}
					}
					if (endOfBands > 0) {
						long passed = nonZero & from(k) & band;
						if ((passed & kept) != 0) {
							pendingPassed[pending] = passed;
							pendingAt[pending++] = bitPos + used;
						}
						used += Long.bitCount(passed);
						endOfBands--;
					}
					// The kept coefficients' correction bits: each passed coefficient takes the next bit.
					for (int j = 0; j < pending; j++) {
						long passed = pendingPassed[j];
						long keptPassed = passed & kept;
						long set = 0;
						int at = pendingAt[j];
						long corrections = window(entropy, at);
						int read = 0;
						for (long rest = passed & below(64 - Long.numberOfLeadingZeros(keptPassed)); rest != 0;
								rest &= rest - 1) {
							if (read == 57) { // at least 57 bits per load
								corrections = window(entropy, at + read);
								read = 0;
							}
							set |= rest & -rest & (corrections >> 63);
							corrections <<= 1;
							read++;
						}
						refining[block] |= set & keptPassed;
					}
					nonZeros[block] = nonZero;
					bitPos += used;
					if (bitPos > overrun) {
						return false;
					}
				}
			}
			return in.finished(bitPos);
		}

		/**
		 * The position of the {@code (n + 1)}th set bit of {@code x}, which has more than {@code n}: without
		 * branches (a loop over the run of zeros a refining code skips mispredicts on most codes), from the
		 * running bit counts of its bytes (S. Vigna, "Broadword implementation of rank/select queries", 2008).
		 */
		private static int select(long x, int n) {
			long counts = x - ((x >>> 1) & 0x5555555555555555L);
			counts = (counts & 0x3333333333333333L) + ((counts >>> 2) & 0x3333333333333333L);
			counts = (counts + (counts >>> 4)) & 0x0F0F0F0F0F0F0F0FL;
			long running = counts * 0x0101010101010101L;
			// The bytes whose running count is at most n all come before the one holding the bit.
			long before = ((n * 0x0101010101010101L | 0x8080808080808080L) - running) & 0x8080808080808080L;
			int place = Long.bitCount(before) * 8;
			int inByte = n - (int) ((running << 8) >>> place & 0xFF);
			return place + SELECT_IN_BYTE[(int) (x >>> place & 0xFF) << 3 | inByte];
		}

		/** Bits {@code k} to 63 ({@code k} up to 64; without a branch, as Java shifts by {@code k} mod 64). */
		private static long from(int k) {
			return (-1L << k) & ~-(long) (k >>> 6);
		}

		/** Bits 0 to {@code k - 1} ({@code k} up to 64). */
		private static long below(int k) {
			return ~(-1L << k) | -(long) (k >>> 6);
		}

		/** Bits 0 to {@code k}. */
		private static long upTo(int k) {
			return below(k + 1);
		}

		/** @return the picture at 1/8 or 1/4, or {@code null} when a component never had a DC scan */
		Reduced toReduced(ReducedJpegDecoder in, int width, int height) {
			int count = this.frame.components();
			byte[][] planes = new byte[count][];
			int[] planeStrides = new int[count];
			for (int i = 0; i < count; i++) {
				if (this.bits[i] < 0) {
					return null;
				}
				planes[i] = (this.reduction == 8) ? eighthPlane(i) : quarterPlane(in, i);
				planeStrides[i] = (this.reduction == 8) ? this.strides[i] : this.strides[i] * this.sides[i];
			}
			// At 1/8 a chroma value covers h×v pixels; at 1/4 its block was reduced to the luma's pixels.
			int across = (this.reduction == 8) ? this.h : 1;
			int down = (this.reduction == 8) ? this.v : 1;
			if (count == 1) {
				byte[] neutral = new byte[planes[0].length];
				Arrays.fill(neutral, (byte) 128);
				return new Reduced(width, height,
						YCbCr.toBgr(planes[0], planeStrides[0], neutral, neutral, planeStrides[0], 1, 1, width, height));
			}
			return new Reduced(width, height, YCbCr.toBgr(planes[0], planeStrides[0], planes[1], planes[2],
					planeStrides[1], across, down, width, height));
		}

		/** As a baseline block at 1/8: the DC times its step, over 8, level-shifted, rounded. */
		private byte[] eighthPlane(int i) {
			float step = this.quant[i][0] / 8f;
			int[] coefficients = this.coefficients[i];
			byte[] plane = new byte[coefficients.length];
			for (int k = 0; k < plane.length; k++) {
				int value = (int) (coefficients[k] * step + 128.5f);
				plane[k] = (byte) ((value < 0) ? 0 : Math.min(value, 255));
			}
			return plane;
		}

		/**
		 * As a baseline block at 1/4 ({@link ReducedJpegDecoder#quarterBlock}): the kept coefficients in zigzag
		 * order, so that the pixels are the same to the byte.
		 */
		private byte[] quarterPlane(ReducedJpegDecoder in, int i) {
			int side = this.sides[i];
			int pixels = side * side;
			float[] basis = basis(this.quant[i], side);
			int stride = this.strides[i];
			int rows = this.coefficients[i].length / stride;
			int planeStride = stride * side;
			byte[] plane = new byte[planeStride * rows * side];
			float[] sums = in.sums;
			long[] nonZero = this.nonZero[i];
			short[] values = this.values[i];
			byte[] slotOf = this.slotOf[i];
			int slots = this.slots[i];
			long kept = this.kept[i];
			int[] dc = this.coefficients[i];
			// The refined bits, and per block which coefficients each adds to.
			int levels = 0;
			int[] bits = new int[14];
			long[][] refinedBy = new long[14][];
			for (int bit = 0; bit < 14; bit++) {
				if (this.refined[i][bit] != null) {
					bits[levels] = bit;
					refinedBy[levels++] = this.refined[i][bit];
				}
			}
			long[] masks = new long[levels];
			for (int row = 0; row < rows; row++) {
				for (int column = 0; column < stride; column++) {
					int block = row * stride + column;
					for (int j = 0; j < levels; j++) {
						masks[j] = refinedBy[j][block];
					}
					int offset = row * side * planeStride + column * side;
					if (side == 2) {
						twoByTwo(nonZero[block] & kept, values, block * slots, slotOf, levels, bits, masks, basis,
								dc[block], plane, offset, planeStride);
						continue;
					}
					Arrays.fill(sums, 0, pixels, 0f);
					long present = nonZero[block] & kept;
					while (present != 0) {
						int k = Long.numberOfTrailingZeros(present);
						float value = value(values[block * slots + slotOf[k]], k, levels, bits, masks);
						int at = ZIGZAG[k] * pixels;
						for (int p = 0; p < pixels; p++) {
							sums[p] += value * basis[at + p];
						}
						present &= present - 1;
					}
					in.store(dc[block], basis, side, plane, offset, planeStride);
				}
			}
			return plane;
		}

		/** {@link #quarterPlane} for a block that becomes 2×2 pixels, its sums in locals: most blocks are these. */
		private static void twoByTwo(long present, short[] values, int base, byte[] slotOf, int levels, int[] bits,
				long[] masks, float[] basis, int dc, byte[] plane, int offset, int stride) {
			float s0 = 0;
			float s1 = 0;
			float s2 = 0;
			float s3 = 0;
			for (long rest = present; rest != 0; rest &= rest - 1) {
				int k = Long.numberOfTrailingZeros(rest);
				float value = value(values[base + slotOf[k]], k, levels, bits, masks);
				int at = ZIGZAG[k] * 4;
				s0 += value * basis[at];
				s1 += value * basis[at + 1];
				s2 += value * basis[at + 2];
				s3 += value * basis[at + 3];
			}
			// As store() rounds them.
			float mean = dc * basis[0] + 128.5f;
			plane[offset] = clampToByte((int) (mean + s0));
			plane[offset + 1] = clampToByte((int) (mean + s1));
			plane[offset + stride] = clampToByte((int) (mean + s2));
			plane[offset + stride + 1] = clampToByte((int) (mean + s3));
		}

		/** A kept coefficient at zigzag position {@code k}: its first bits, and those refined, away from zero. */
		private static int value(int first, int k, int levels, int[] bits, long[] masks) {
			int added = 0;
			for (int j = 0; j < levels; j++) {
				added |= (int) (masks[j] >>> k & 1) << bits[j];
			}
			int sign = first >> 31;
			return first + ((added ^ sign) - sign);
		}

		private static byte clampToByte(int value) {
			return (byte) ((value < 0) ? 0 : Math.min(value, 255));
		}

	}

	/** Reads each table into natural (row by row) order; the file stores them in zigzag order. */
	private boolean readQuantTables(int from, int to, int[][] quant) {
		int p = from;
		while (p < to) {
			int precision = u8(p) >> 4;
			int id = u8(p) & 15;
			if (id > 3 || precision > 1) {
				return false;
			}
			int[] table = new int[64];
			for (int i = 0; i < 64; i++) {
				table[ZIGZAG[i]] = (precision == 0) ? u8(p + 1 + i) : u16(p + 1 + 2 * i);
			}
			quant[id] = table;
			p += 1 + 64 * (precision + 1);
		}
		return p == to;
	}

	private boolean readHuffmanTables(int from, int to, Huffman[] dcTables, Huffman[] acTables) {
		int p = from;
		while (p < to) {
			int tableClass = u8(p) >> 4;
			int id = u8(p) & 15;
			if (tableClass > 1 || id > 3) {
				return false;
			}
			int[] counts = new int[17];
			int total = 0;
			for (int length = 1; length <= 16; length++) {
				counts[length] = u8(p + length);
				total += counts[length];
			}
			if (total > 256 || p + 17 + total > to) {
				return false;
			}
			byte[] symbols = new byte[total];
			System.arraycopy(this.data, p + 17, symbols, 0, total);
			Huffman table = Huffman.build(counts, symbols);
			if (table == null) {
				return false;
			}
			(tableClass == 0 ? dcTables : acTables)[id] = table;
			p += 17 + total;
		}
		return p == to;
	}

	private Reduced scan(Frame frame, int segment, int[][] quant, Huffman[] dcTables, Huffman[] acTables,
			int restartInterval) {
		int count = u8(segment);
		if (count != frame.components()) {
			return null;
		}
		Huffman[] dc = new Huffman[count];
		Huffman[] ac = new Huffman[count];
		int[][] quantTables = new int[count][];
		for (int i = 0; i < count; i++) {
			// Components in frame order, as every encoder writes them; anything else goes to the full decoder.
			if (u8(segment + 1 + 2 * i) != frame.ids[i]) {
				return null;
			}
			int tables = u8(segment + 2 + 2 * i);
			if ((tables >> 4) > 3 || (tables & 15) > 3) {
				return null;
			}
			dc[i] = dcTables[tables >> 4];
			ac[i] = acTables[tables & 15];
			quantTables[i] = quant[frame.quantTables[i]];
			if (dc[i] == null || ac[i] == null || quantTables[i] == null || quantTables[i][0] == 0) {
				return null;
			}
		}
		int spectrum = segment + 1 + 2 * count;
		if (u8(spectrum) != 0 || u8(spectrum + 1) != 63 || u8(spectrum + 2) != 0) {
			return null;
		}
		int width = (frame.width + this.reduction - 1) / this.reduction;
		int height = (frame.height + this.reduction - 1) / this.reduction;
		if ((long) width * height > MAX_OUTPUT_PIXELS) {
			return null;
		}
		if (this.reduction == 4 && frame.components() == 3 && frame.h[0] != frame.v[0]) {
			// 4:2:2 and 4:4:0 would need libjpeg's upsampling at 1/4; they go to the full decoder.
			return null;
		}
		unstuff(restartInterval > 0);
		return blocks(frame, width, height, dc, ac, quantTables, restartInterval);
	}

	/**
	 * At 1/8 one pixel per block, its mean; each chroma block's mean is repeated over the pixels it covers, as
	 * libjpeg does at 1/8 for 4:2:2 and 4:4:0 sampling. (For 4:2:0 libjpeg makes 2×2 chroma pixels of each block
	 * from its lowest AC coefficients; decoding those made this decoder markedly slower when tried, for a
	 * difference in the thumbnails too small to see.)
	 *
	 * <p>At 1/4 each luma block becomes 2×2 pixels, the means of its quarters, and each chroma block as many
	 * pixels as the luma it covers (2×2, or 4×4 for 4:2:0), as libjpeg scales them, so the chroma needs no
	 * upsampling. Every coefficient's value is read, not skipped, and added to the pixels it contributes to.
	 *
	 * <p>A grey picture gets neutral chroma.
	 */
	private Reduced blocks(Frame frame, int width, int height, Huffman[] dc, Huffman[] ac, int[][] quant,
			int restartInterval) {
		boolean colour = frame.components() == 3;
		// A grey scan is not interleaved: one block per MCU, whatever the sampling factors say.
		int h = colour ? frame.h[0] : 1;
		int v = colour ? frame.v[0] : 1;
		int lumaSide = 8 / this.reduction;
		// At 1/4 the sampling is 1×1 or 2×2 (scan() checks), so a chroma block's pixels are square.
		int chromaSide = (this.reduction == 8) ? 1 : lumaSide * h;
		int mcusAcross = (frame.width + 8 * h - 1) / (8 * h);
		int mcusDown = (frame.height + 8 * v - 1) / (8 * v);
		int lumaStride = mcusAcross * h * lumaSide;
		byte[] luma = new byte[lumaStride * mcusDown * v * lumaSide];
		int chromaStride = mcusAcross * chromaSide;
		byte[] cb = new byte[chromaStride * mcusDown * chromaSide];
		byte[] cr = new byte[cb.length];
		if (!colour) {
			Arrays.fill(cb, (byte) 128);
			Arrays.fill(cr, (byte) 128);
		}
		float[] lumaBasis = basis(quant[0], lumaSide);
		float[] cbBasis = colour ? basis(quant[1], chromaSide) : null;
		float[] crBasis = colour ? basis(quant[2], chromaSide) : null;
		byte[] entropy = this.entropy;
		// This far past the data it ended long ago (a damaged file, or a header claiming far more blocks than
		// there are): stop rather than decode zeros and stale buffer bytes for every block still to come.
		int overrun = this.entropyLength * 8 + 64;
		int bitPos = 0;
		int predY = 0;
		int predCb = 0;
		int predCr = 0;
		int mcu = 0;
		for (int my = 0; my < mcusDown; my++) {
			for (int mx = 0; mx < mcusAcross; mx++, mcu++) {
				if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0) {
					if ((bitPos = restart(bitPos)) < 0) {
						return null;
					}
					predY = 0;
					predCb = 0;
					predCr = 0;
				}
				for (int by = 0; by < v; by++) {
					for (int bx = 0; bx < h; bx++) {
						long read = read(entropy, dc[0], ac[0], bitPos, lumaBasis, lumaSide);
						if ((bitPos = (int) read) < 0) {
							return null;
						}
						predY += (int) (read >> 32);
						store(predY, lumaBasis, lumaSide, luma,
								(my * v + by) * lumaSide * lumaStride + (mx * h + bx) * lumaSide, lumaStride);
					}
				}
				if (colour) {
					int at = my * chromaSide * chromaStride + mx * chromaSide;
					long read = read(entropy, dc[1], ac[1], bitPos, cbBasis, chromaSide);
					if ((bitPos = (int) read) < 0) {
						return null;
					}
					predCb += (int) (read >> 32);
					store(predCb, cbBasis, chromaSide, cb, at, chromaStride);
					read = read(entropy, dc[2], ac[2], bitPos, crBasis, chromaSide);
					if ((bitPos = (int) read) < 0) {
						return null;
					}
					predCr += (int) (read >> 32);
					store(predCr, crBasis, chromaSide, cr, at, chromaStride);
				}
				if (bitPos > overrun) {
					return null;
				}
			}
		}
		if (!finished(bitPos)) {
			return null;
		}
		int upsampleAcross = (this.reduction == 8) ? h : 1;
		int upsampleDown = (this.reduction == 8) ? v : 1;
		return new Reduced(width, height, YCbCr.toBgr(luma, lumaStride, cb, cr, chromaStride, upsampleAcross,
				upsampleDown, width, height));
	}

	/** Reads one block: at 1/8 skipping its AC coefficients ({@link #block}), at 1/4 adding them up. */
	private long read(byte[] entropy, Huffman dc, Huffman ac, int bitPos, float[] basis, int n) {
		return (this.reduction == 8) ? block(entropy, dc, ac, bitPos) : quarterBlock(entropy, dc, ac, bitPos, basis, n);
	}

	/**
	 * Reads one block at {@code bitPos}: its DC difference, and its AC coefficients into {@link #sums}, each
	 * value times its column of {@code basis}.
	 *
	 * @return the DC difference {@code << 32 |} the bit position after the block; -1 in the low half when the
	 * data is damaged
	 */
	private long quarterBlock(byte[] entropy, Huffman dc, Huffman ac, int bitPos, float[] basis, int n) {
		long dcRead = dcDifference(entropy, dc, bitPos);
		if ((int) dcRead < 0) {
			return -1;
		}
		float[] sums = this.sums;
		int pixels = n * n;
		Arrays.fill(sums, 0, pixels, 0f);
		int position = (int) dcRead;
		for (int k = 1; k < 64;) {
			long window = window(entropy, position);
			int code = ac.decode(window);
			if (code == 0) {
				return -1;
			}
			int length = code >>> 8;
			int run = (code >>> 4) & 15;
			int size = code & 15;
			position += length + size;
			if (size == 0) {
				if (run != 15) {
					break;
				}
				// Sixteen zeros; running past coefficient 63 is damage, as when skipping.
				k += 16;
				if (k > 64) {
					return -1;
				}
				continue;
			}
			k += run;
			if (k > 63) {
				return -1;
			}
			float value = extend((int) (window << length >>> (64 - size)), size);
			int column = ZIGZAG[k++] * pixels;
			for (int i = 0; i < pixels; i++) {
				sums[i] += value * basis[column + i];
			}
		}
		return (dcRead & 0xFFFFFFFF00000000L) | position;
	}

	/**
	 * Reads a block's DC difference at {@code bitPos}.
	 *
	 * @return the difference {@code << 32 |} the bit position after it; -1 in the low half when the code is bad
	 */
	private static long dcDifference(byte[] entropy, Huffman dc, int bitPos) {
		long window = window(entropy, bitPos);
		int code = dc.decode(window);
		int size = code & 0xFF;
		if (code == 0 || size > 11) {
			return -1;
		}
		int length = code >>> 8;
		int diff = (size > 0) ? extend((int) (window << length >>> (64 - size)), size) : 0;
		return (long) diff << 32 | (bitPos + length + size);
	}

	/** A coefficient's value from its {@code size} bits: the low half of the range stands for negatives. */
	private static int extend(int raw, int size) {
		return (raw < (1 << (size - 1))) ? raw - (1 << size) + 1 : raw;
	}

	/** Writes the block's {@code n}×{@code n} pixels: its DC part, the AC {@link #sums}, level-shifted, rounded. */
	private void store(int dc, float[] basis, int n, byte[] out, int offset, int stride) {
		float mean = dc * basis[0] + 128.5f;
		if (n == 1) {
			// 1/8: the mean is the pixel.
			int value = (int) mean;
			out[offset] = (byte) ((value < 0) ? 0 : Math.min(value, 255));
			return;
		}
		float[] sums = this.sums;
		for (int y = 0; y < n; y++) {
			for (int x = 0; x < n; x++) {
				int value = (int) (mean + sums[y * n + x]);
				out[offset + y * stride + x] = (byte) ((value < 0) ? 0 : Math.min(value, 255));
			}
		}
	}

	/**
	 * What a coefficient of value 1 adds to each of the {@code n}×{@code n} means a block is reduced to, per
	 * coefficient (natural order) and then pixel: the inverse DCT averaged over each pixel's square, which is
	 * what libjpeg's reduced inverse DCTs compute (here in floating point, so a pixel may round the other way).
	 */
	private static float[] basis(int[] quant, int n) {
		float[] weights = (n == 1) ? AVERAGES_1 : (n == 2) ? AVERAGES_2 : AVERAGES_4;
		float[] basis = new float[64 * n * n];
		for (int k = 0; k < 8; k++) {
			for (int l = 0; l < 8; l++) {
				for (int y = 0; y < n; y++) {
					for (int x = 0; x < n; x++) {
						basis[((k * 8 + l) * n + y) * n + x] = weights[y * 8 + k] * weights[x * 8 + l] * quant[k * 8 + l];
					}
				}
			}
		}
		// The DC part exactly step / 8, not left to the rounding of the weights' product: a block's mean then
		// rounds as libjpeg's does, which is what keeps the 1/8 output libjpeg's to the byte.
		Arrays.fill(basis, 0, n * n, quant[0] / 8f);
		return basis;
	}

	/**
	 * For output {@code i} of {@code n} along one side and frequency {@code k}: the mean, over the {@code 8/n}
	 * pixels output {@code i} covers, of that frequency's cosine in the one-dimensional inverse DCT.
	 */
	private static float[] averages(int n) {
		float[] weights = new float[n * 8];
		int span = 8 / n;
		for (int i = 0; i < n; i++) {
			for (int k = 0; k < 8; k++) {
				double scale = (k == 0) ? Math.sqrt(0.5) / 2 : 0.5;
				double sum = 0;
				for (int x = i * span; x < (i + 1) * span; x++) {
					sum += Math.cos((2 * x + 1) * k * Math.PI / 16);
				}
				// Exactly zero where the cosine averages out (its sum is then a rounding error): the progressive
				// decoder keeps only the coefficients with a weight.
				weights[i * 8 + k] = (Math.abs(sum) < 1e-9) ? 0f : (float) (scale * sum / span);
			}
		}
		return weights;
	}

	/**
	 * Reads one block at {@code bitPos}: its DC difference and, skipped, its AC coefficients.
	 *
	 * @return the DC difference {@code << 32 |} the bit position after the block; -1 in the low half when the
	 * data is damaged
	 */
	private static long block(byte[] entropy, Huffman dc, Huffman ac, int bitPos) {
		long dcRead = dcDifference(entropy, dc, bitPos);
		if ((int) dcRead < 0) {
			return -1;
		}
		int diff = (int) (dcRead >> 32);
		int position = (int) dcRead;
		int k = 1;
		char[] skip = ac.skip();
		while (true) {
			long window = window(entropy, position);
			// Up to four lookups of 12 bits from one 57-bit window: each costs a table load, not a data load.
			int used = 0;
			for (int lookup = 0; lookup < 4; lookup++) {
				int entry = skip[(int) (window << used >>> (64 - SKIP_BITS))];
				int advance = (entry >>> 8) & 0x7F;
				int endOfBlock = entry >>> 15;
				// An entry ending the block (EOB) must start inside it; one that runs on must not pass
				// coefficient 63. Otherwise one code at a time below.
				if (entry == 0 || k + advance + endOfBlock > 64) {
					break;
				}
				used += entry & 0x1F;
				if (endOfBlock != 0) {
					return (long) diff << 32 | (position + used);
				}
				k += advance;
				if (k == 64) {
					return (long) diff << 32 | (position + used);
				}
			}
			position += used;
			if (used == 0) {
				// Nothing was used, so the window still starts at position.
				int code = ac.decode(window);
				if (code == 0) {
					return -1;
				}
				int size = code & 15;
				int run = (code >>> 4) & 15;
				position += (code >>> 8) + size;
				if (size == 0 && run != 15) {
					break;
				}
				k += (size == 0) ? 16 : run + 1;
				if (k >= 64) {
					if (k > 64) {
						return -1;
					}
					break;
				}
			}
		}
		return (long) diff << 32 | position;
	}

	/** At least the next 57 bits at {@code bitPos}, left-aligned. */
	private static long window(byte[] entropy, int bitPos) {
		return (long) BIG_ENDIAN_LONG.get(entropy, bitPos >>> 3) << (bitPos & 7);
	}

	/**
	 * Copies the entropy-coded data from {@link #pos} up to the first marker that is not a restart marker (or
	 * any marker, without restarts), dropping the zero byte stuffed after each 0xFF, so that the decoding loop
	 * reads bits without looking for them.
	 */
	private void unstuff(boolean withRestarts) {
		byte[] out = UNSTUFFED.get();
		if (out.length < this.end - this.pos + 8) {
			out = new byte[(this.end - this.pos + 8) | 0xFFFFF];
			UNSTUFFED.set(out);
		}
		byte[] in = this.data;
		int p = this.pos;
		int n = 0;
		int scanEnd = this.end;
		while (p < this.end) {
			int run = runWithoutFF(in, p, this.end);
			System.arraycopy(in, p, out, n, run - p);
			n += run - p;
			p = run + 1;
			while (p < this.end && in[p] == (byte) 0xFF) {
				p++;
			}
			if (p >= this.end) {
				break;
			}
			int next = in[p++] & 0xFF;
			if (next == 0) {
				out[n++] = (byte) 0xFF;
			}
			else if (withRestarts && (next & 0xF8) == 0xD0) {
				if (this.restartCount == this.restarts.length) {
					this.restarts = Arrays.copyOf(this.restarts, this.restartCount * 2);
				}
				this.restarts[this.restartCount++] = n;
			}
			else {
				scanEnd = p - 2;
				break;
			}
		}
		this.scanEnd = scanEnd;
		// Reading past the end finds zeros, as libjpeg's reader would; finished() tells whether it happened.
		Arrays.fill(out, n, n + 8, (byte) 0);
		this.entropy = out;
		this.entropyLength = n;
	}

	/** The index of the first 0xFF at or after {@code from}, or {@code to}; eight bytes at a time. */
	private static int runWithoutFF(byte[] in, int from, int to) {
		int p = from;
		while (p + 8 <= to) {
			long inverted = ~(long) BIG_ENDIAN_LONG.get(in, p);
			// Some byte of inverted is zero, i.e. some byte of the word is 0xFF.
			if (((inverted - 0x0101010101010101L) & ~inverted & 0x8080808080808080L) != 0) {
				break;
			}
			p += 8;
		}
		while (p < to && in[p] != (byte) 0xFF) {
			p++;
		}
		return p;
	}

	/** True when the data read up to {@code bitPos} did not run past its interval (or the end). */
	private boolean finished(int bitPos) {
		int limit = (this.nextRestart < this.restartCount) ? this.restarts[this.nextRestart] : this.entropyLength;
		return bitPos <= limit * 8L;
	}

	/** @return where the next restart interval begins, or -1 when it is missing or was read into */
	private int restart(int bitPos) {
		if (this.nextRestart >= this.restartCount || !finished(bitPos)) {
			return -1;
		}
		return this.restarts[this.nextRestart++] * 8;
	}

	private int u8(int index) {
		if (index >= this.end) {
			throw new ArrayIndexOutOfBoundsException(index);
		}
		return this.data[index] & 0xFF;
	}

	private int u16(int index) {
		return (u8(index) << 8) | u8(index + 1);
	}

	/** The frame header: size and, per component, id, sampling and quantisation table. */
	private record Frame(int width, int height, int[] ids, int[] h, int[] v, int[] quantTables) {

		int components() {
			return this.ids.length;
		}

		/** @return the index of the component with {@code id}, or -1 */
		int indexOf(int id) {
			for (int i = 0; i < this.ids.length; i++) {
				if (this.ids[i] == id) {
					return i;
				}
			}
			return -1;
		}

		static Frame read(ReducedJpegDecoder in, int at) {
			if (in.u8(at) != 8) {
				return null;
			}
			int height = in.u16(at + 1);
			int width = in.u16(at + 3);
			int count = in.u8(at + 5);
			if (width == 0 || height == 0 || (count != 1 && count != 3)) {
				return null;
			}
			int[] ids = new int[count];
			int[] h = new int[count];
			int[] v = new int[count];
			int[] tables = new int[count];
			for (int i = 0; i < count; i++) {
				int c = at + 6 + 3 * i;
				ids[i] = in.u8(c);
				h[i] = in.u8(c + 1) >> 4;
				v[i] = in.u8(c + 1) & 15;
				tables[i] = in.u8(c + 2);
				if (tables[i] > 3) {
					return null;
				}
			}
			if (count == 3) {
				boolean lumaSampling = h[0] >= 1 && h[0] <= 2 && v[0] >= 1 && v[0] <= 2;
				boolean chromaSampling = h[1] == 1 && v[1] == 1 && h[2] == 1 && v[2] == 1;
				// Components called R, G and B are RGB, not YCbCr.
				boolean rgb = ids[0] == 'R' && ids[1] == 'G' && ids[2] == 'B';
				if (!lumaSampling || !chromaSampling || rgb) {
					return null;
				}
			}
			return new Frame(width, height, ids, h, v, tables);
		}

	}

	/** A Huffman table with a lookup for short codes and, for AC tables at 1/8, the skip lookup. */
	private static final class Huffman {

		/** By the next {@value #LOOKUP_BITS} bits: code length {@code << 8 |} symbol, or 0 for longer codes. */
		final int[] lookup = new int[1 << LOOKUP_BITS];

		/** Per code length, the largest code of that length (-1 when none) and the index shift to its symbol. */
		final int[] maxCode = new int[17];

		final int[] offsets = new int[17];

		final byte[] symbols;

		/**
		 * By the next {@value #SKIP_BITS} bits, as many whole coefficients (code and value bits) as fit, up to and
		 * including an end of block: bits used (low 5 bits), coefficients advanced ({@code << 8}) and whether the
		 * block ended ({@code << 15}); 0 when not even one fits.
		 */
		private char[] skip;

		/** The skip lookup, made on first use: progressive files and 1/4 never use it. */
		char[] skip() {
			if (this.skip == null) {
				char[] table = new char[1 << SKIP_BITS];
				for (int bits = 0; bits < table.length; bits++) {
					table[bits] = (char) skipEntry(bits);
				}
				this.skip = table;
			}
			return this.skip;
		}

		/** @return code length {@code << 8 |} symbol for the code at the start of {@code window}, 0 when none */
		int decode(long window) {
			// Small enough that the JIT always inlines it, whatever the call counts at compile time.
			int entry = this.lookup[(int) (window >>> (64 - LOOKUP_BITS))];
			return (entry != 0) ? entry : decodeLong(window);
		}

		/** A code longer than the lookup's bits: from the canonical code ranges. */
		private int decodeLong(long window) {
			for (int length = LOOKUP_BITS + 1; length <= 16; length++) {
				int code = (int) (window >>> (64 - length));
				if (code <= this.maxCode[length]) {
					return length << 8 | (this.symbols[this.offsets[length] + code] & 0xFF);
				}
			}
			return 0;
		}

		private Huffman(byte[] symbols) {
			this.symbols = symbols;
		}

		static Huffman build(int[] counts, byte[] symbols) {
			Huffman table = new Huffman(symbols);
			int[] codes = new int[symbols.length];
			int[] lengths = new int[symbols.length];
			int code = 0;
			int index = 0;
			for (int length = 1; length <= 16; length++) {
				table.offsets[length] = index - code;
				for (int i = 0; i < counts[length]; i++) {
					codes[index] = code++;
					lengths[index++] = length;
				}
				// A table whose codes overflow their length is not a prefix code.
				if (code > (1 << length)) {
					return null;
				}
				table.maxCode[length] = (counts[length] > 0) ? code - 1 : -1;
				code <<= 1;
			}
			for (int i = 0; i < symbols.length; i++) {
				if (lengths[i] <= LOOKUP_BITS) {
					int shift = LOOKUP_BITS - lengths[i];
					int first = codes[i] << shift;
					for (int j = 0; j < (1 << shift); j++) {
						table.lookup[first + j] = lengths[i] << 8 | (symbols[i] & 0xFF);
					}
				}
			}
			return table;
		}

		private int skipEntry(int window) {
			int used = 0;
			int advance = 0;
			while (true) {
				int entry = this.lookup[(window << used & ((1 << SKIP_BITS) - 1)) >> (SKIP_BITS - LOOKUP_BITS)];
				int length = entry >>> 8;
				if (entry == 0 || used + length > SKIP_BITS) {
					return (used == 0) ? 0 : used | advance << 8;
				}
				int symbol = entry & 0xFF;
				int size = symbol & 15;
				int run = symbol >>> 4;
				if (used + length + size > SKIP_BITS) {
					return (used == 0) ? 0 : used | advance << 8;
				}
				used += length + size;
				if (size == 0 && run != 15) {
					return used | advance << 8 | 1 << 15;
				}
				advance += (size == 0) ? 16 : run + 1;
				if (advance >= 63) {
					return used | advance << 8;
				}
			}
		}

	}

	/** Libjpeg's YCbCr to RGB conversion, with the same fixed-point tables. */
	private static final class YCbCr {

		private static final int[] CR_R = new int[256];

		private static final int[] CB_B = new int[256];

		private static final int[] CR_G = new int[256];

		private static final int[] CB_G = new int[256];

		static {
			int half = 1 << 15;
			for (int i = 0; i < 256; i++) {
				int x = i - 128;
				CR_R[i] = (fix(1.40200) * x + half) >> 16;
				CB_B[i] = (fix(1.77200) * x + half) >> 16;
				CR_G[i] = -fix(0.71414) * x;
				CB_G[i] = -fix(0.34414) * x + half;
			}
		}

		private static int fix(double value) {
			return (int) (value * 65536 + 0.5);
		}

		/**
		 * @param h how many output pixels across each chroma value covers (1 or 2)
		 * @param v how many output pixels down each chroma value covers (1 or 2)
		 */
		static byte[] toBgr(byte[] luma, int lumaStride, byte[] cb, byte[] cr, int chromaStride, int h, int v,
				int width, int height) {
			byte[] bgr = new byte[width * height * 3];
			int out = 0;
			for (int y = 0; y < height; y++) {
				int lumaRow = y * lumaStride;
				int chromaRow = (y / v) * chromaStride;
				for (int x = 0; x < width; x++) {
					int grey = luma[lumaRow + x] & 0xFF;
					int blue = cb[chromaRow + x / h] & 0xFF;
					int red = cr[chromaRow + x / h] & 0xFF;
					bgr[out++] = clamp(grey + CB_B[blue]);
					bgr[out++] = clamp(grey + ((CB_G[blue] + CR_G[red]) >> 16));
					bgr[out++] = clamp(grey + CR_R[red]);
				}
			}
			return bgr;
		}

		private static byte clamp(int value) {
			return (byte) ((value < 0) ? 0 : Math.min(value, 255));
		}

	}

}
