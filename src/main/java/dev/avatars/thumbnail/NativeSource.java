package dev.avatars.thumbnail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A file the fast path can take, as its own headers describe it: an 8-bit opaque picture in sRGB that is
 * complete. Everything else (CMYK, 12-bit or arithmetic-coded JPEG, ICC-tagged colours, 16-bit, palette or
 * transparent PNG, WebP with alpha or animation, GIF, BMP, truncated files) is left to the pure-Java path,
 * which reads it right or says why it cannot.
 *
 * @param width stored width in pixels (before EXIF orientation)
 * @param height stored height in pixels
 */
record NativeSource(Kind kind, int width, int height) {

	enum Kind {

		JPEG, PNG, WEBP

	}

	/** @return the source, or {@code null} when the file is one for the pure-Java path */
	static NativeSource inspect(ByteBuffer data) {
		ByteBuffer bytes = data.duplicate().order(ByteOrder.BIG_ENDIAN);
		try {
			if (u8(bytes, 0) == 0xFF && u8(bytes, 1) == 0xD8) {
				return jpeg(bytes);
			}
			if (bytes.limit() >= 8 && bytes.getLong(0) == 0x89504E470D0A1A0AL) {
				return png(bytes);
			}
			if (bytes.limit() >= 30 && bytes.getInt(0) == 0x52494646 && bytes.getInt(8) == 0x57454250) {
				return webp(bytes.order(ByteOrder.LITTLE_ENDIAN));
			}
			return null;
		}
		catch (IndexOutOfBoundsException ex) {
			// A header that points past the end: truncated or hostile, either way not ours to judge.
			return null;
		}
	}

	private static NativeSource jpeg(ByteBuffer bytes) {
		int end = bytes.limit();
		// A complete JPEG ends with EOI; libjpeg would quietly grey out the missing rest.
		if (end < 4 || u8(bytes, end - 2) != 0xFF || u8(bytes, end - 1) != 0xD9) {
			return null;
		}
		NativeSource frame = null;
		int pos = 2;
		while (pos + 4 <= end) {
			if (u8(bytes, pos) != 0xFF) {
				return null;
			}
			int marker = u8(bytes, pos + 1);
			if (marker == 0xFF) {
				pos++;
				continue;
			}
			if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
				pos += 2;
				continue;
			}
			int length = u16(bytes, pos + 2);
			int segment = pos + 4;
			if (length < 2) {
				return null;
			}
			if (marker == 0xE2 && startsWith(bytes, segment, "ICC_PROFILE")) {
				return null;
			}
			if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
				// Baseline, extended and progressive Huffman only; 8-bit grey or YCbCr only (4 components: CMYK).
				boolean supported = marker <= 0xC2 && u8(bytes, segment) == 8;
				int components = u8(bytes, segment + 5);
				if (!supported || (components != 1 && components != 3) || frame != null) {
					return null;
				}
				frame = new NativeSource(Kind.JPEG, u16(bytes, segment + 3), u16(bytes, segment + 1));
			}
			if (marker == 0xDA) {
				return (frame != null && frame.width > 0 && frame.height > 0) ? frame : null;
			}
			pos += 2 + length;
		}
		return null;
	}

	private static NativeSource png(ByteBuffer bytes) {
		int end = bytes.limit();
		if (bytes.getInt(12) != 0x49484452) { // IHDR
			return null;
		}
		int width = bytes.getInt(16);
		int height = bytes.getInt(20);
		int bitDepth = u8(bytes, 24);
		int colourType = u8(bytes, 25);
		// 8-bit grey (0) or RGB (2) only; palette (3) and alpha (4, 6) need the careful path.
		if (bitDepth != 8 || (colourType != 0 && colourType != 2) || width <= 0 || height <= 0) {
			return null;
		}
		int pos = 8;
		while (pos + 12 <= end) {
			long length = bytes.getInt(pos) & 0xFFFFFFFFL;
			int type = bytes.getInt(pos + 4);
			if (type == 0x74524E53 || type == 0x69434350) { // tRNS (transparency), iCCP (colour profile)
				return null;
			}
			if (type == 0x49454E44) { // IEND
				return new NativeSource(Kind.PNG, width, height);
			}
			long next = pos + 12L + length;
			if (next > end) {
				return null;
			}
			pos = (int) next;
		}
		return null;
	}

	private static NativeSource webp(ByteBuffer bytes) {
		long riffEnd = 8 + (bytes.getInt(4) & 0xFFFFFFFFL);
		if (riffEnd > bytes.limit()) {
			return null;
		}
		int chunk = bytes.getInt(12);
		if (chunk == 0x20385056) { // "VP8 ": lossy, never alpha
			// Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
			int frame = 20;
			if (u8(bytes, frame + 3) != 0x9D || u8(bytes, frame + 4) != 0x01 || u8(bytes, frame + 5) != 0x2A) {
				return null;
			}
			int width = (bytes.getShort(frame + 6) & 0x3FFF);
			int height = (bytes.getShort(frame + 8) & 0x3FFF);
			return (width > 0 && height > 0) ? new NativeSource(Kind.WEBP, width, height) : null;
		}
		if (chunk == 0x58385056) { // "VP8X": extended; take it only without alpha, animation or ICC profile
			int flags = u8(bytes, 20);
			if ((flags & (0x10 | 0x02 | 0x20)) != 0) {
				return null;
			}
			int width = 1 + u24le(bytes, 24);
			int height = 1 + u24le(bytes, 27);
			// The canvas is a claim; OpenCV decodes the VP8 frame, which must be exactly as large.
			return vp8FrameIs(bytes, riffEnd, width, height) ? new NativeSource(Kind.WEBP, width, height) : null;
		}
		// "VP8L" (lossless) may carry alpha; the careful path checks the pixels.
		return null;
	}

	/** Whether the chunks after VP8X hold a lossy VP8 frame of exactly {@code width}×{@code height}. */
	private static boolean vp8FrameIs(ByteBuffer bytes, long riffEnd, int width, int height) {
		long pos = 12 + 8 + 10; // RIFF header, VP8X chunk
		for (int chunks = 0; chunks < 64 && pos + 18 <= riffEnd; chunks++) {
			int chunk = bytes.getInt((int) pos);
			long size = bytes.getInt((int) pos + 4) & 0xFFFFFFFFL;
			if (chunk == 0x20385056) { // "VP8 "
				int frame = (int) pos + 8;
				return size >= 10 && u8(bytes, frame + 3) == 0x9D && u8(bytes, frame + 4) == 0x01
						&& u8(bytes, frame + 5) == 0x2A && (bytes.getShort(frame + 6) & 0x3FFF) == width
						&& (bytes.getShort(frame + 8) & 0x3FFF) == height;
			}
			if (chunk == 0x4C385056 || chunk == 0x48504C41) { // "VP8L", "ALPH": not for the fast path
				return false;
			}
			pos += 8 + size + (size & 1);
		}
		return false;
	}

	private static boolean startsWith(ByteBuffer bytes, int offset, String ascii) {
		for (int i = 0; i < ascii.length(); i++) {
			if (u8(bytes, offset + i) != ascii.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	private static int u8(ByteBuffer bytes, int index) {
		return bytes.get(index) & 0xFF;
	}

	private static int u16(ByteBuffer bytes, int index) {
		return (u8(bytes, index) << 8) | u8(bytes, index + 1);
	}

	private static int u24le(ByteBuffer bytes, int index) {
		return u8(bytes, index) | (u8(bytes, index + 1) << 8) | (u8(bytes, index + 2) << 16);
	}

}
