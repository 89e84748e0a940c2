package dev.avatars.png;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * For the probes only ({@code FaceCostProbe}): {@link PngEncoder} as it was at commit 2724100, before it counted
 * rows as it filtered them, with the modes the job never used (the other four filter types, the JDK's zlib)
 * kept for comparison. 8-bit truecolour (RGB) or truecolour with straight alpha (RGBA), not interlaced, one filter type
 * for every row, one IDAT chunk, deflated by the JDK's {@link Deflater} (the system's zlib) or by
 * {@link EarlierHuffmanDeflate}.
 * <p>
 * Written for the round thumbnails, where OpenCV's bundled encoder spent ~5 ms of CPU per photo on three small
 * squares and zlib as much (docs/FACES.md, "Cutting the cost"); the PNG format needs little more than the chunk
 * framing done here (PNG specification, 3rd edition, sections 5, 9 and 11.2.1). Instances are immutable and
 * thread-safe.
 */
public final class EarlierPngEncoder {

	/** PNG filter types (section 9.2), applied to every row. */
	public enum Filter {

		NONE, SUB, UP, AVERAGE, PAETH

	}

	/** The two colour types written, with their channel counts. */
	public enum ColourType {

		RGB(2, 3), RGBA(6, 4);

		private final int code;

		private final int channels;

		ColourType(int code, int channels) {
			this.code = code;
			this.channels = channels;
		}

		public int channels() {
			return this.channels;
		}

	}

	private static final byte[] SIGNATURE = { (byte) 137, 'P', 'N', 'G', '\r', '\n', 26, '\n' };

	private static final byte[] IHDR = { 'I', 'H', 'D', 'R' };

	private static final byte[] IDAT = { 'I', 'D', 'A', 'T' };

	private static final byte[] IEND = { 'I', 'E', 'N', 'D' };

	/** Largest width or height accepted: keeps every size computed here well inside an int. */
	public static final int MAX_SIDE = 16_384;

	/** What the round thumbnails were written with until {@link PngEncoder}'s fused pass. */
	public static final EarlierPngEncoder ROUND = huffman(Filter.SUB);

	private final Filter filter;

	/** The zlib level, or -1: {@link EarlierHuffmanDeflate}. */
	private final int level;

	private final int strategy;

	private EarlierPngEncoder(Filter filter, int level, int strategy) {
		this.filter = filter;
		this.level = level;
		this.strategy = strategy;
	}

	/**
	 * Deflated by zlib.
	 * @param filter the filter type of every row
	 * @param level the zlib level, 0–9
	 * @param strategy {@link Deflater#DEFAULT_STRATEGY}, {@link Deflater#FILTERED} or {@link Deflater#HUFFMAN_ONLY}
	 */
	public static EarlierPngEncoder zlib(Filter filter, int level, int strategy) {
		if (level < 0 || level > 9) {
			throw new IllegalArgumentException("zlib level " + level);
		}
		if (strategy != Deflater.DEFAULT_STRATEGY && strategy != Deflater.FILTERED
				&& strategy != Deflater.HUFFMAN_ONLY) {
			throw new IllegalArgumentException("zlib strategy " + strategy);
		}
		return new EarlierPngEncoder(filter, level, strategy);
	}

	/** Deflated with a Huffman code of the data's own and no back-references: see {@link EarlierHuffmanDeflate}. */
	public static EarlierPngEncoder huffman(Filter filter) {
		return new EarlierPngEncoder(filter, -1, Deflater.HUFFMAN_ONLY);
	}

	/**
	 * Encodes interleaved 8-bit samples in PNG order (R, G, B and, for RGBA, straight alpha), rows top to bottom.
	 * @return the PNG file's bytes
	 */
	public byte[] encode(int width, int height, ColourType type, byte[] samples) {
		if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
			throw new IllegalArgumentException("size " + width + "×" + height);
		}
		int stride = width * type.channels;
		if (samples.length != stride * height) {
			throw new IllegalArgumentException(samples.length + " samples for " + width + "×" + height + " " + type);
		}
		byte[] filtered = filter(samples, width, height, type.channels);
		byte[] stream = (this.level < 0) ? EarlierHuffmanDeflate.zlib(filtered) : deflate(filtered);

		// Signature, IHDR (12 + 13 bytes), IDAT (12 + the stream), IEND (12).
		byte[] png = new byte[SIGNATURE.length + 25 + 12 + stream.length + 12];
		System.arraycopy(SIGNATURE, 0, png, 0, SIGNATURE.length);
		byte[] header = new byte[13];
		putInt(header, 0, width);
		putInt(header, 4, height);
		header[8] = 8; // bit depth
		header[9] = (byte) type.code;
		// compression 0 (deflate), filter method 0 (the five types), interlace 0 (none): zeros already
		int at = chunk(png, SIGNATURE.length, IHDR, header);
		at = chunk(png, at, IDAT, stream);
		chunk(png, at, IEND, new byte[0]);
		return png;
	}

	private byte[] deflate(byte[] filtered) {
		Deflater deflater = new Deflater(this.level);
		try {
			deflater.setStrategy(this.strategy);
			deflater.setInput(filtered);
			deflater.finish();
			byte[] out = new byte[filtered.length + (filtered.length >> 12) + (filtered.length >> 14) + 64];
			int at = 0;
			while (!deflater.finished()) {
				if (at == out.length) {
					out = Arrays.copyOf(out, out.length + out.length / 2);
				}
				at += deflater.deflate(out, at, out.length - at);
			}
			return Arrays.copyOf(out, at);
		}
		finally {
			deflater.end();
		}
	}

	/** Writes a chunk (length, type, data, CRC of type and data) at {@code at}; the index after it. */
	private static int chunk(byte[] png, int at, byte[] type, byte[] data) {
		putInt(png, at, data.length);
		System.arraycopy(type, 0, png, at + 4, 4);
		System.arraycopy(data, 0, png, at + 8, data.length);
		CRC32 crc = new CRC32();
		crc.update(png, at + 4, 4 + data.length);
		putInt(png, at + 8 + data.length, (int) crc.getValue());
		return at + 12 + data.length;
	}

	/** Each row prefixed by its filter type byte, the samples filtered (section 9.2; bytes, modulo 256). */
	private byte[] filter(byte[] samples, int width, int height, int bpp) {
		int stride = width * bpp;
		byte[] out = new byte[(stride + 1) * height];
		byte type = (byte) this.filter.ordinal();
		for (int y = 0; y < height; y++) {
			int row = y * stride;
			int prior = row - stride; // the row above; none on the first row, where it counts as zeros
			int o = y * (stride + 1);
			out[o++] = type;
			switch (this.filter) {
				case NONE -> System.arraycopy(samples, row, out, o, stride);
				case SUB -> {
					System.arraycopy(samples, row, out, o, bpp);
					for (int i = bpp; i < stride; i++) {
						out[o + i] = (byte) (samples[row + i] - samples[row + i - bpp]);
					}
				}
				case UP -> {
					for (int i = 0; i < stride; i++) {
						out[o + i] = (byte) (samples[row + i] - ((y > 0) ? samples[prior + i] : 0));
					}
				}
				case AVERAGE -> {
					for (int i = 0; i < stride; i++) {
						int left = (i >= bpp) ? samples[row + i - bpp] & 0xFF : 0;
						int up = (y > 0) ? samples[prior + i] & 0xFF : 0;
						out[o + i] = (byte) (samples[row + i] - ((left + up) >>> 1));
					}
				}
				case PAETH -> {
					for (int i = 0; i < stride; i++) {
						int a = (i >= bpp) ? samples[row + i - bpp] & 0xFF : 0;
						int b = (y > 0) ? samples[prior + i] & 0xFF : 0;
						int c = (i >= bpp && y > 0) ? samples[prior + i - bpp] & 0xFF : 0;
						out[o + i] = (byte) (samples[row + i] - paeth(a, b, c));
					}
				}
			}
		}
		return out;
	}

	private static int paeth(int a, int b, int c) {
		int p = a + b - c;
		int pa = Math.abs(p - a);
		int pb = Math.abs(p - b);
		int pc = Math.abs(p - c);
		if (pa <= pb && pa <= pc) {
			return a;
		}
		return (pb <= pc) ? b : c;
	}

	private static void putInt(byte[] bytes, int at, int value) {
		bytes[at] = (byte) (value >>> 24);
		bytes[at + 1] = (byte) (value >>> 16);
		bytes[at + 2] = (byte) (value >>> 8);
		bytes[at + 3] = (byte) value;
	}

}
