package dev.avatars;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Hostile files, built byte by byte: headers that understate, frames beyond their canvas, metadata that nests or
 * inflates without end, lossless and 16-bit pictures at the pixel limit. Each is small on disk; what it costs is
 * in what a reader makes of it.
 */
public final class HostileImages {

	private HostileImages() {
	}

	// ---------------------------------------------------------------- JPEG

	/**
	 * A 64×64 JPEG whose EXIF holds a chain of {@code depth} empty IFDs, each pointing to the next (6 bytes each:
	 * 10,000 fit one APP1 segment). Readers that follow the chain by recursion run out of stack.
	 */
	public static byte[] jpegWithDeepExifChain(int depth) {
		ByteBuffer tiff = ByteBuffer.allocate(8 + 6 * depth).order(ByteOrder.BIG_ENDIAN);
		tiff.put(new byte[] { 'M', 'M', 0, 42 }).putInt(8);
		for (int i = 0; i < depth; i++) {
			int next = (i == depth - 1) ? 0 : 8 + 6 * (i + 1);
			tiff.putShort((short) 0).putInt(next);
		}
		return withSegment(TestImages.jpeg(64, 64), 0xE1, concat("Exif\0\0".getBytes(StandardCharsets.US_ASCII),
				tiff.array()));
	}

	/**
	 * A 64×64 JPEG with {@code segments} APP2 ICC_PROFILE segments of 65,519 bytes of profile each: one profile of
	 * {@code segments} × 64 KB (150 segments: 9.8 MB, under the upload limit).
	 */
	public static byte[] jpegWithHugeIccProfile(int segments) {
		byte[] jpeg = TestImages.jpeg(64, 64);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(0xFF);
		out.write(0xD8);
		byte[] chunk = new byte[65_519];
		// A profile header claiming the whole size, so readers that trust it allocate it.
		ByteBuffer.wrap(chunk).putInt(segments * chunk.length);
		for (int i = 1; i <= segments; i++) {
			byte[] payload = concat("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII),
					new byte[] { (byte) i, (byte) segments });
			payload = concat(payload, chunk);
			segment(out, 0xE2, payload);
		}
		out.write(jpeg, 2, jpeg.length - 2);
		return out.toByteArray();
	}

	/** A real {@code width}×{@code height} JPEG followed by a second frame header stating 20000×20000. */
	public static byte[] jpegWithSecondLargerFrame(int width, int height) {
		byte[] jpeg = TestImages.jpeg(width, height);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(jpeg, 0, jpeg.length - 2); // without EOI
		segment(out, 0xC0, new byte[] { 8, (byte) (20000 >> 8), (byte) (20000 & 0xFF), (byte) (20000 >> 8),
				(byte) (20000 & 0xFF), 1, 1, 0x11, 0 });
		out.write(0xFF);
		out.write(0xD9);
		return out.toByteArray();
	}

	/**
	 * A lossless (SOF3, predictor 1) JPEG of {@code components} components at {@code precision} bits, every sample
	 * mid-grey: each costs one bit, so 40 MP of grey is 5 MB.
	 */
	public static byte[] losslessJpeg(int width, int height, int precision, int components) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(0xFF);
		out.write(0xD8);
		ByteArrayOutputStream sof = new ByteArrayOutputStream();
		sof.write(precision);
		sof.write(height >> 8);
		sof.write(height & 0xFF);
		sof.write(width >> 8);
		sof.write(width & 0xFF);
		sof.write(components);
		for (int c = 1; c <= components; c++) {
			sof.write(c);
			sof.write(0x11);
			sof.write(0);
		}
		segment(out, 0xC3, sof.toByteArray());
		// One table: difference category 0 is the code '0', category 1 is '10'.
		byte[] dht = new byte[1 + 16 + 2];
		dht[1] = 1;
		dht[2] = 1;
		dht[17] = 0;
		dht[18] = 1;
		segment(out, 0xC4, dht);
		ByteArrayOutputStream sos = new ByteArrayOutputStream();
		sos.write(components);
		for (int c = 1; c <= components; c++) {
			sos.write(c);
			sos.write(0x00);
		}
		sos.write(1); // predictor 1 (left)
		sos.write(0);
		sos.write(0); // Ah/Al: no point transform
		segment(out, 0xDA, sos.toByteArray());
		// The first sample is predicted as 2^(P-1) (mid-grey), the rest from their left or upper neighbour: all
		// differences 0, one '0' bit each; the last byte padded with ones.
		long bits = (long) width * height * components;
		out.write(new byte[(int) (bits / 8)], 0, (int) (bits / 8));
		if (bits % 8 != 0) {
			out.write(0xFF >> (bits % 8));
		}
		out.write(0xFF);
		out.write(0xD9);
		return out.toByteArray();
	}

	/**
	 * {@link #losslessJpeg} whose Huffman table names difference category 103 (at most 16 exist): TwelveMonkeys'
	 * lossless decoder fails on it with a plain {@code IOException} ("index=-80 in getn()"), not an
	 * {@code IIOException}.
	 */
	public static byte[] corruptLosslessJpeg(int width, int height) {
		byte[] jpeg = losslessJpeg(width, height, 8, 3);
		// SOI (2), SOF3 of 3 components (19), DHT marker, length, class and 16 counts (21): the first value.
		jpeg[42] = 103;
		return jpeg;
	}

	// ---------------------------------------------------------------- PNG

	/**
	 * A {@code width}×{@code height} PNG with an ancillary chunk ({@code zTXt}, {@code iTXt} or {@code iCCP}) whose
	 * compressed data inflates to {@code inflatedBytes} (256 MB fit in 260 KB).
	 */
	public static byte[] pngWithCompressedChunkBomb(String type, int width, int height, long inflatedBytes) {
		byte[] compressed = deflatedZeros(inflatedBytes);
		byte[] head = switch (type) {
			case "zTXt" -> "Comment\0\0".getBytes(StandardCharsets.ISO_8859_1);
			case "iTXt" -> "Comment\0\1\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
			case "iCCP" -> "bomb\0\0".getBytes(StandardCharsets.ISO_8859_1);
			default -> throw new IllegalArgumentException(type);
		};
		byte[] png = TestImages.png(width, height);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(png, 0, 33); // signature and IHDR
		pngChunk(out, type, concat(head, compressed));
		out.write(png, 33, png.length - 33);
		return out.toByteArray();
	}

	/**
	 * A {@code width}×{@code height} PNG of {@code bitDepth}-bit RGB, all black: a few hundred kilobytes at 40 MP,
	 * hundreds of megabytes once inflated.
	 */
	public static byte[] blackPng(int width, int height, int bitDepth) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A });
		pngChunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth)
			.put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array());
		long rowBytes = 1 + (long) width * 3 * bitDepth / 8; // filter byte 0, then zeros
		pngChunk(out, "IDAT", deflatedZeros(rowBytes * height));
		pngChunk(out, "IEND", new byte[0]);
		return out.toByteArray();
	}

	/** A 40×20 PNG with an eXIf chunk holding {@code tiff} (a TIFF structure, as in EXIF). */
	public static byte[] pngWithExif(byte[] tiff) {
		byte[] png = TestImages.png(40, 20);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(png, 0, 33);
		pngChunk(out, "eXIf", tiff);
		out.write(png, 33, png.length - 33);
		return out.toByteArray();
	}

	// ---------------------------------------------------------------- WebP

	/** A 40×20 extended lossless WebP with an EXIF chunk holding {@code tiff}, after the image as libwebp puts it. */
	public static byte[] webpWithExif(byte[] tiff) {
		ByteBuffer vp8x = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
		vp8x.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).putInt(0x08);
		putU24(vp8x, 40 - 1);
		putU24(vp8x, 20 - 1);
		ByteBuffer exif = ByteBuffer.allocate(8 + tiff.length + (tiff.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
		exif.put("EXIF".getBytes(StandardCharsets.US_ASCII)).putInt(tiff.length).put(tiff);
		return riff(concat(concat(vp8x.array(), vp8lChunk(40, 20)), exif.array()));
	}

	/**
	 * A lossless WebP of {@code width}×{@code height} pixels of one colour in a few dozen bytes: every prefix code
	 * has a single symbol, so each pixel costs no bits at all (6300×6300 in 38 bytes).
	 */
	public static byte[] losslessWebp(int width, int height) {
		return riff(vp8lChunk(width, height));
	}

	/** An extended WebP whose VP8X canvas states {@code canvas}×{@code canvas} around a larger lossless frame. */
	public static byte[] webpCanvasAroundLargerFrame(int canvas, int frameWidth, int frameHeight) {
		ByteBuffer vp8x = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
		vp8x.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).putInt(0);
		putU24(vp8x, canvas - 1);
		putU24(vp8x, canvas - 1);
		return riff(concat(vp8x.array(), vp8lChunk(frameWidth, frameHeight)));
	}

	/**
	 * A simple lossy WebP ({@code RIFF WEBP VP8 }) rewrapped as an extended one whose VP8X canvas states
	 * {@code width}×{@code height}, whatever its frame's size.
	 */
	public static byte[] webpCanvasAroundLossyFrame(byte[] simpleLossyWebp, int width, int height) {
		ByteBuffer vp8x = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
		vp8x.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).putInt(0);
		putU24(vp8x, width - 1);
		putU24(vp8x, height - 1);
		byte[] frame = Arrays.copyOfRange(simpleLossyWebp, 12, simpleLossyWebp.length);
		return riff(concat(vp8x.array(), frame));
	}

	/**
	 * A lossless WebP claiming {@code width}×{@code height} whose green code has two symbols (a bit a pixel) but
	 * whose data ends after a few bytes: a decoder that treats reading past the end as "no more bits yet" goes on
	 * for every pixel claimed.
	 */
	public static byte[] losslessWebpClaimingMoreThanItHolds(int width, int height) {
		return riff(vp8lChunk(width, height, true));
	}

	private static byte[] vp8lChunk(int width, int height) {
		return vp8lChunk(width, height, false);
	}

	private static byte[] vp8lChunk(int width, int height, boolean twoGreens) {
		LsbBitWriter bits = new LsbBitWriter();
		bits.write(0x2F, 8);
		bits.write(width - 1, 14);
		bits.write(height - 1, 14);
		bits.write(0, 1); // no alpha
		bits.write(0, 3); // version
		bits.write(0, 1); // no transform
		bits.write(0, 1); // no colour cache
		bits.write(0, 1); // one prefix code group
		for (int code = 0; code < 5; code++) {
			bits.write(1, 1); // simple code
			if (code == 0 && twoGreens) {
				bits.write(1, 1); // two symbols
				bits.write(0, 1); // the first of one bit
				bits.write(0, 1); // green 0
				bits.write(1, 8); // green 1
				continue;
			}
			bits.write(0, 1); // one symbol
			bits.write(0, 1); // of one bit
			bits.write(0, 1); // symbol 0 (green 0, red 0, ...)
		}
		// Zero padding: decoders read ahead of the bits they use.
		byte[] data = Arrays.copyOf(bits.toByteArray(), 18);
		ByteBuffer chunk = ByteBuffer.allocate(8 + data.length + (data.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
		chunk.put("VP8L".getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
		return chunk.array();
	}

	private static byte[] riff(byte[] chunks) {
		ByteBuffer riff = ByteBuffer.allocate(12 + chunks.length).order(ByteOrder.LITTLE_ENDIAN);
		riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + chunks.length);
		riff.put("WEBP".getBytes(StandardCharsets.US_ASCII)).put(chunks);
		return riff.array();
	}

	private static void putU24(ByteBuffer buffer, int value) {
		buffer.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
	}

	// ---------------------------------------------------------------- GIF

	/** A GIF whose logical screen is {@code screen}×{@code screen} and whose one frame states {@code frame}². */
	public static byte[] gifWithFrameLargerThanScreen(int screen, int frame) {
		ByteBuffer gif = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
		gif.put("GIF89a".getBytes(StandardCharsets.US_ASCII)).putShort((short) screen).putShort((short) screen);
		gif.put((byte) 0x80).put((byte) 0).put((byte) 0); // global table of 2 colours
		gif.put(new byte[] { 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF });
		gif.put((byte) 0x2C).putShort((short) 0).putShort((short) 0).putShort((short) frame).putShort((short) frame);
		gif.put((byte) 0);
		// LZW minimum code size 2; one sub-block: clear (4), end (5) in 3-bit codes.
		gif.put((byte) 2).put((byte) 1).put((byte) 0x2C).put((byte) 0);
		gif.put((byte) 0x3B);
		return Arrays.copyOf(gif.array(), gif.position());
	}

	// ---------------------------------------------------------------- helpers

	/**
	 * A zlib stream of {@code count} zero bytes, built in milliseconds: one megabyte of zeros deflated once and
	 * ending on a byte boundary (sync flush) refers to nothing before it, so the stream is that block repeated.
	 */
	static byte[] deflatedZeros(long count) {
		int megabyte = 1 << 20;
		byte[] block = rawDeflatedZeros(megabyte);
		byte[] rest = rawDeflatedZeros((int) (count % megabyte));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(0x78);
		out.write(0x9C);
		for (long i = 0; i < count / megabyte; i++) {
			out.writeBytes(block);
		}
		out.writeBytes(rest);
		out.write(0x03); // final empty block
		out.write(0x00);
		java.util.zip.Adler32 adler = new java.util.zip.Adler32();
		byte[] zeros = new byte[megabyte];
		for (long left = count; left > 0; left -= megabyte) {
			adler.update(zeros, 0, (int) Math.min(left, megabyte));
		}
		out.writeBytes(ByteBuffer.allocate(4).putInt((int) adler.getValue()).array());
		return out.toByteArray();
	}

	private static byte[] rawDeflatedZeros(int count) {
		Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
		deflater.setInput(new byte[count]);
		byte[] buffer = new byte[64 * 1024];
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int n;
		while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
			out.write(buffer, 0, n);
		}
		deflater.end();
		return out.toByteArray();
	}

	private static void pngChunk(ByteArrayOutputStream out, String type, byte[] data) {
		byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
		CRC32 crc = new CRC32();
		crc.update(typeBytes);
		crc.update(data);
		out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
		out.writeBytes(typeBytes);
		out.writeBytes(data);
		out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

	private static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(0xFF);
		out.write(0xD8);
		segment(out, marker, payload);
		out.write(jpeg, 2, jpeg.length - 2);
		return out.toByteArray();
	}

	private static void segment(ByteArrayOutputStream out, int marker, byte[] payload) {
		int length = payload.length + 2;
		if (length > 0xFFFF) {
			throw new IllegalArgumentException("segment of " + length + " bytes");
		}
		out.write(0xFF);
		out.write(marker);
		out.write(length >> 8);
		out.write(length & 0xFF);
		out.writeBytes(payload);
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] joined = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, joined, a.length, b.length);
		return joined;
	}

}
