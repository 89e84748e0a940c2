package dev.avatars.thumbnail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A file the fast path can take, as its own headers describe it: an 8-bit opaque picture, untagged (sRGB) or
 * with an embedded RGB (grey for grey pictures) colour profile, that is complete. Everything else (CMYK, 12-bit
 * or arithmetic-coded JPEG, a profile LittleCMS cannot read or of another colour space, one whose parts are
 * missing, 16-bit, palette or transparent PNG, WebP with alpha or animation, GIF, BMP, truncated files) is left
 * to the pure-Java path, which reads it right or says why it cannot.
 *
 * @param width stored width in pixels (before EXIF orientation)
 * @param height stored height in pixels
 * @param progressive a progressive JPEG (the 1/4 scale then has a decoder of its own)
 * @param colour the embedded profile's conversion to sRGB, applied after decoding; {@code null} for untagged and
 * sRGB pictures
 */
record NativeSource(Kind kind, int width, int height, boolean progressive, ColourTransform colour) {

	/** Larger profiles (real ones are a few kilobytes, LUT-based ones a few hundred) go to the pure-Java path. */
	private static final int MAX_PROFILE_BYTES = 4 * 1024 * 1024;

	NativeSource(Kind kind, int width, int height) {
		this(kind, width, height, false, null);
	}

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
		int components = 0;
		IccChunks icc = null;
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
			if (marker == 0xE2 && length >= 16 && startsWith(bytes, segment, "ICC_PROFILE\0")) {
				icc = (icc != null) ? icc : new IccChunks();
				if (!icc.add(u8(bytes, segment + 12), u8(bytes, segment + 13), bytes, segment + 14, length - 16)) {
					return null;
				}
			}
			if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
				// Baseline, extended and progressive Huffman only; 8-bit grey or YCbCr only (4 components: CMYK).
				boolean supported = marker <= 0xC2 && u8(bytes, segment) == 8;
				components = u8(bytes, segment + 5);
				if (!supported || (components != 1 && components != 3) || frame != null) {
					return null;
				}
				frame = new NativeSource(Kind.JPEG, u16(bytes, segment + 3), u16(bytes, segment + 1), marker == 0xC2, null);
			}
			if (marker == 0xDA) {
				if (frame == null || frame.width <= 0 || frame.height <= 0) {
					return null;
				}
				return (icc == null) ? frame : tagged(frame, icc.profile(), components);
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
		byte[] profile = null;
		int pos = 8;
		while (pos + 12 <= end) {
			long length = bytes.getInt(pos) & 0xFFFFFFFFL;
			int type = bytes.getInt(pos + 4);
			long next = pos + 12L + length;
			if (type == 0x74524E53 || next > end) { // tRNS (transparency)
				return null;
			}
			if (type == 0x69434350) { // iCCP (colour profile): name, 0, method 0, zlib data
				if (profile != null || (profile = inflatedProfile(bytes, pos + 8, (int) length)) == null) {
					return null;
				}
			}
			if (type == 0x49454E44) { // IEND
				NativeSource source = new NativeSource(Kind.PNG, width, height);
				return (profile == null) ? source : tagged(source, profile, (colourType == 0) ? 1 : 3);
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
		if (chunk == 0x58385056) { // "VP8X": extended; take it only without alpha or animation
			int flags = u8(bytes, 20);
			if ((flags & (0x10 | 0x02)) != 0) {
				return null;
			}
			int width = 1 + u24le(bytes, 24);
			int height = 1 + u24le(bytes, 27);
			// The canvas is a claim; OpenCV decodes the VP8 frame, which must be exactly as large.
			if (!vp8FrameIs(bytes, riffEnd, width, height)) {
				return null;
			}
			NativeSource source = new NativeSource(Kind.WEBP, width, height);
			if ((flags & 0x20) == 0) {
				return source;
			}
			byte[] profile = webpProfile(bytes, riffEnd);
			return (profile == null) ? null : tagged(source, profile, 3);
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

	/** The ICCP chunk's bytes; it comes before the image data. */
	private static byte[] webpProfile(ByteBuffer bytes, long riffEnd) {
		long pos = 12 + 8 + 10; // RIFF header, VP8X chunk
		for (int chunks = 0; chunks < 64 && pos + 8 <= riffEnd; chunks++) {
			int chunk = bytes.getInt((int) pos);
			long size = bytes.getInt((int) pos + 4) & 0xFFFFFFFFL;
			if (chunk == 0x50434349) { // "ICCP"
				if (size > MAX_PROFILE_BYTES || pos + 8 + size > riffEnd) {
					return null;
				}
				byte[] profile = new byte[(int) size];
				bytes.get((int) pos + 8, profile);
				return profile;
			}
			pos += 8 + size + (size & 1);
		}
		return null;
	}

	/** The profile of a PNG iCCP chunk's data at {@code at}, inflated; {@code null} when damaged or too large. */
	private static byte[] inflatedProfile(ByteBuffer bytes, int at, int length) {
		int name = 0;
		while (name < Math.min(length, 80) && bytes.get(at + name) != 0) {
			name++;
		}
		int data = name + 2;
		if (name == 0 || data > length || bytes.get(at + name + 1) != 0) {
			return null;
		}
		byte[] compressed = new byte[length - data];
		bytes.get(at + data, compressed);
		Inflater inflater = new Inflater();
		try {
			inflater.setInput(compressed);
			// A profile states its size in its first four bytes: nothing larger is inflated (nor allocated).
			byte[] header = new byte[128];
			if (!inflateFully(inflater, header, 0) || inflater.finished()) {
				return null;
			}
			int size = ByteBuffer.wrap(header).getInt(0);
			if (size <= 128 || size > MAX_PROFILE_BYTES) {
				return null;
			}
			byte[] profile = Arrays.copyOf(header, size);
			if (!inflateFully(inflater, profile, 128)) {
				return null;
			}
			// Exactly the stated size, then the end of the stream.
			return (inflater.finished() || inflater.inflate(new byte[1]) == 0 && inflater.finished()) ? profile : null;
		}
		catch (DataFormatException ex) {
			return null;
		}
		finally {
			inflater.end();
		}
	}

	/** Fills {@code into} from {@code from} on; false when the stream ends (or stalls) first. */
	private static boolean inflateFully(Inflater inflater, byte[] into, int from) throws DataFormatException {
		int at = from;
		while (at < into.length) {
			int n = inflater.inflate(into, at, into.length - at);
			if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
				return false;
			}
			at += n;
		}
		return true;
	}

	/**
	 * The source with its profile's conversion, without one for sRGB; {@code null} (the pure-Java path) when the
	 * profile cannot be used for a picture of {@code channels} colour channels.
	 */
	private static NativeSource tagged(NativeSource source, byte[] profile, int channels) {
		if (profile == null) {
			return null;
		}
		ColourTransform colour = ColourTransform.forProfile(profile, channels);
		if (colour == null) {
			return null;
		}
		return (colour == ColourTransform.NONE) ? source
				: new NativeSource(source.kind, source.width, source.height, source.progressive, colour);
	}

	/**
	 * A profile in APP2 segments of at most 64 KB each, numbered 1 to their count: they may come in any order,
	 * and one missing, repeated or numbered beyond the count makes the profile unreadable.
	 */
	private static final class IccChunks {

		private byte[][] chunks;

		private int size;

		boolean add(int sequence, int count, ByteBuffer bytes, int from, int length) {
			if (count == 0 || sequence == 0 || sequence > count || length < 0
					|| (this.chunks != null && this.chunks.length != count)) {
				return false;
			}
			if (this.chunks == null) {
				this.chunks = new byte[count][];
			}
			if (this.chunks[sequence - 1] != null || this.size + length > MAX_PROFILE_BYTES) {
				return false;
			}
			byte[] chunk = new byte[length];
			bytes.get(from, chunk);
			this.chunks[sequence - 1] = chunk;
			this.size += length;
			return true;
		}

		/** @return the profile, or {@code null} when a part is missing */
		byte[] profile() {
			byte[] profile = new byte[this.size];
			int at = 0;
			for (byte[] chunk : this.chunks) {
				if (chunk == null) {
					return null;
				}
				System.arraycopy(chunk, 0, profile, at, chunk.length);
				at += chunk.length;
			}
			return profile;
		}

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
