package dev.avatars.png;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/**
 * The PNG encoder of the round thumbnails: 8-bit truecolour (RGB) or truecolour with straight alpha (RGBA), not
 * interlaced, filter type SUB on every row, one IDAT chunk deflated by {@link HuffmanDeflate}.
 * <p>
 * OpenCV's bundled encoder spent ~5 ms of CPU per photo on three small squares and zlib as much (docs/FACES.md,
 * "Cutting the cost"); the PNG format needs little more than the chunk framing done here (PNG specification, 3rd
 * edition, sections 5, 9 and 11.2.1). Each row is filtered once, counted at once while it is in the cache, and
 * written in a second pass into an array of the PNG's final length; the runs of zeros at either end of a row
 * (the transparent corners of a round thumbnail) are counted and written as runs, not byte by byte, and
 * {@link #encodeBgr} does not even filter them (docs/FACES.md, "Cheaper round PNGs"). The other filter types and
 * the JDK's zlib, measured against these, are in the probe's {@code EarlierPngEncoder}. Thread-safe.
 */
public final class PngEncoder {

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

	/** Filter type SUB (section 9.2): each byte minus the same channel's byte of the pixel to its left. */
	private static final byte SUB = 1;

	/** Largest width or height accepted: keeps every size computed here well inside an int. */
	public static final int MAX_SIDE = 16_384;

	/** What the round thumbnails are written with (docs/FACES.md, "Cutting the cost"). */
	public static final PngEncoder ROUND = new PngEncoder();

	private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

	private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private PngEncoder() {
	}

	/**
	 * Encodes interleaved 8-bit samples in PNG order (R, G, B and, for RGBA, straight alpha), rows top to bottom.
	 * @return the PNG file's bytes
	 */
	public byte[] encode(int width, int height, ColourType type, byte[] samples) {
		checkSize(width, height);
		int stride = width * type.channels;
		if (samples.length != stride * height) {
			throw new IllegalArgumentException(samples.length + " samples for " + width + "×" + height + " " + type);
		}
		int bpp = type.channels;
		return encode(width, height, type, (y, filtered, at, spans) -> {
			int from = y * stride;
			filtered[at] = SUB;
			System.arraycopy(samples, from, filtered, at + 1, bpp);
			for (int i = bpp; i < stride; i++) {
				filtered[at + 1 + i] = (byte) (samples[from + i] - samples[from + i - bpp]);
			}
			int end = at + 1 + stride;
			int first = firstNonZero(filtered, at + 1, end);
			spans[2 * y] = first;
			spans[2 * y + 1] = endOfNonZero(filtered, first, end);
		});
	}

	/**
	 * Encodes an RGBA picture given as interleaved B, G, R samples (as OpenCV keeps them) and a plane of straight
	 * alpha, rows top to bottom. Where alpha is 0 the colour is written as 0: it shows nowhere and compresses
	 * better.
	 * @return the PNG file's bytes
	 */
	public byte[] encodeBgr(int width, int height, byte[] bgr, byte[] alpha) {
		checkSize(width, height);
		if (bgr.length != width * height * 3 || alpha.length != width * height) {
			throw new IllegalArgumentException(bgr.length + " samples and " + alpha.length + " alphas for " + width
					+ "×" + height + " BGR");
		}
		return encode(width, height, ColourType.RGBA, (y, filtered, at, spans) -> {
			filtered[at] = SUB;
			int first = y * width;
			int end = first + width;
			// Only the pixels from the first to the last that shows, and the one after (back to 0), filter to
			// anything but zeros: the transparent ends of the row are left as the zeros they already are.
			int shows = first;
			while (shows < end && alpha[shows] == 0) {
				shows++;
			}
			int last = end;
			while (last > shows && alpha[last - 1] == 0) {
				last--;
			}
			int stop = Math.min(last + 1, end);
			int o = at + 1 + 4 * (shows - first);
			spans[2 * y] = o;
			spans[2 * y + 1] = filterBgr(bgr, alpha, shows, stop, filtered, o);
		});
	}

	/** Pixels {@code [pixel, stop)} filtered into {@code filtered} from {@code o}; the index after them. */
	private static int filterBgr(byte[] bgr, byte[] alpha, int pixel, int stop, byte[] filtered, int o) {
		int left = 0;
		for (int from = 3 * pixel; pixel < stop; pixel++, from += 3, o += 4) {
			int a = alpha[pixel] & 0xFF;
			int rgba = (bgr[from + 2] & 0xFF) | ((bgr[from + 1] & 0xFF) << 8) | ((bgr[from] & 0xFF) << 16)
					| (a << 24);
			rgba &= -((a + 255) >>> 8); // all of it where alpha is 0
			INT.set(filtered, o, subtractBytes(rgba, left));
			left = rgba;
		}
		return o;
	}

	/** The four bytes of {@code a} minus those of {@code b}, each modulo 256 (Hacker's Delight, 2-18). */
	private static int subtractBytes(int a, int b) {
		return ((a | 0x80808080) - (b & 0x7F7F7F7F)) ^ ((a ^ ~b) & 0x80808080);
	}

	private static void checkSize(int width, int height) {
		if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
			throw new IllegalArgumentException("size " + width + "×" + height);
		}
	}

	/**
	 * Writes row {@code y} as filtered, its filter type byte first, at {@code filtered[at..]}, where all is 0
	 * before; and in {@code spans[2y]} and {@code spans[2y + 1]} the bounds of its filtered samples outside which
	 * they are all 0.
	 */
	private interface RowFilter {

		void filter(int y, byte[] filtered, int at, int[] spans);

	}

	private static byte[] encode(int width, int height, ColourType type, RowFilter filter) {
		int length = 1 + width * type.channels;
		byte[] filtered = new byte[length * height]; // the rows as deflate takes them
		int[] spans = new int[2 * height];
		HuffmanDeflate.Counter counter = new HuffmanDeflate.Counter();
		for (int y = 0, at = 0; y < height; y++, at += length) {
			filter.filter(y, filtered, at, spans);
			counter.literals(filtered, at, at + 1);
			counter.zeros(spans[2 * y] - at - 1);
			counter.literals(filtered, spans[2 * y], spans[2 * y + 1]);
			counter.zeros(at + length - spans[2 * y + 1]);
		}
		HuffmanDeflate.Code code = counter.code();

		// Signature, IHDR (12 + 13 bytes), IDAT (12 + the stream), IEND (12).
		int idat = SIGNATURE.length + 25;
		byte[] png = new byte[idat + 12 + code.streamLength() + 12];
		System.arraycopy(SIGNATURE, 0, png, 0, SIGNATURE.length);
		byte[] header = new byte[13];
		putInt(header, 0, width);
		putInt(header, 4, height);
		header[8] = 8; // bit depth
		header[9] = (byte) type.code;
		// compression 0 (deflate), filter method 0 (the five types), interlace 0 (none): zeros already
		putInt(png, SIGNATURE.length, header.length);
		System.arraycopy(IHDR, 0, png, SIGNATURE.length + 4, 4);
		System.arraycopy(header, 0, png, SIGNATURE.length + 8, header.length);
		crc(png, SIGNATURE.length, header.length);

		putInt(png, idat, code.streamLength());
		System.arraycopy(IDAT, 0, png, idat + 4, 4);
		// The writer may scribble up to 7 bytes past the stream: the CRC and IEND, written after it, cover them.
		HuffmanDeflate.Writer writer = code.writer(png, idat + 8);
		for (int y = 0, at = 0; y < height; y++, at += length) {
			writer.literals(filtered, at, at + 1);
			writer.zeros(spans[2 * y] - at - 1);
			writer.literals(filtered, spans[2 * y], spans[2 * y + 1]);
			writer.zeros(at + length - spans[2 * y + 1]);
		}
		int iend = writer.finish() + 4;
		crc(png, idat, code.streamLength());

		putInt(png, iend, 0);
		System.arraycopy(IEND, 0, png, iend + 4, 4);
		crc(png, iend, 0);
		return png;
	}

	/** Writes the CRC of the chunk at {@code at} (of type and data) after its data. */
	private static void crc(byte[] png, int at, int length) {
		CRC32 crc = new CRC32();
		crc.update(png, at + 4, 4 + length);
		putInt(png, at + 8 + length, (int) crc.getValue());
	}

	/** The index of the first byte of {@code data[from..to)} that is not 0, or {@code to}. */
	private static int firstNonZero(byte[] data, int from, int to) {
		int i = from;
		while (i <= to - 8 && (long) LONG.get(data, i) == 0) {
			i += 8;
		}
		while (i < to && data[i] == 0) {
			i++;
		}
		return i;
	}

	/** The index after the last byte of {@code data[from..to)} that is not 0, or {@code from}. */
	private static int endOfNonZero(byte[] data, int from, int to) {
		int i = to;
		while (i - 8 >= from && (long) LONG.get(data, i - 8) == 0) {
			i -= 8;
		}
		while (i > from && data[i - 1] == 0) {
			i--;
		}
		return i;
	}

	private static void putInt(byte[] bytes, int at, int value) {
		bytes[at] = (byte) (value >>> 24);
		bytes[at + 1] = (byte) (value >>> 16);
		bytes[at + 2] = (byte) (value >>> 8);
		bytes[at + 3] = (byte) value;
	}

}
