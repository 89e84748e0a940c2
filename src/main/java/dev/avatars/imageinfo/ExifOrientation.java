package dev.avatars.imageinfo;

import java.io.IOException;
import java.io.InputStream;

/**
 * The EXIF Orientation tag (1–8), and nothing else, from a JPEG (APP1 "Exif"), PNG (eXIf) or WebP (EXIF chunk).
 *
 * <p>Hand-written rather than metadata-extractor's whole-file reading, because orientation needs one tag of the
 * first IFD and the library reads everything: it follows IFD chains by recursion (a 32 KB file with 5,000 chained
 * IFDs overflows the stack) and inflates every PNG text chunk whole (a zTXt of 256 MB runs out of heap). Here no
 * chain is followed, nothing is inflated, and the only allocation is the one EXIF block, at most
 * {@link #MAX_EXIF_BYTES}: bounded whatever the file.
 */
public final class ExifOrientation {

	/** A JPEG APP1 segment holds at most 64 KB; an EXIF block in PNG or WebP larger than 1 MB is not read. */
	static final int MAX_EXIF_BYTES = 1 << 20;

	private static final int ORIENTATION_TAG = 0x0112;

	private ExifOrientation() {
	}

	/**
	 * @return the orientation 1–8, or 0 when the file states none (or states it where this reader does not look,
	 * or damaged)
	 * @throws IOException only when the stream cannot be read
	 */
	public static int read(InputStream stream) throws IOException {
		ByteInput in = new ByteInput(stream);
		try {
			int b0 = in.read();
			int b1 = in.read();
			byte[] exif = null;
			if (b0 == 0xFF && b1 == 0xD8) {
				exif = jpeg(in);
			}
			else if (b0 == 0x89 && b1 == 'P') {
				exif = png(in);
			}
			else if (b0 == 'R' && b1 == 'I') {
				exif = webp(in);
			}
			return (exif != null) ? orientation(exif) : 0;
		}
		catch (MalformedHeaderException ex) {
			return 0; // cut short or damaged: the pixels are what they are
		}
	}

	/** The first APP1 segment that starts with "Exif\0\0", before the first scan. */
	private static byte[] jpeg(ByteInput in) throws IOException {
		for (int segments = 0; segments < ImageInfo.MAX_BLOCKS; segments++) {
			if (in.u8() != 0xFF) {
				return null;
			}
			int marker = in.u8();
			while (marker == 0xFF) {
				marker = in.u8();
			}
			if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
				continue;
			}
			if (marker == 0xDA || marker == 0xD9) {
				return null;
			}
			int length = in.u16be() - 2;
			if (length < 0) {
				return null;
			}
			if (marker == 0xE1 && length >= 6) {
				byte[] segment = bytes(in, length);
				if (segment[0] == 'E' && segment[1] == 'x' && segment[2] == 'i' && segment[3] == 'f' && segment[4] == 0
						&& segment[5] == 0) {
					return java.util.Arrays.copyOfRange(segment, 6, segment.length);
				}
			}
			else {
				in.skipExactly(length);
			}
		}
		return null;
	}

	/** The eXIf chunk before the image data. */
	private static byte[] png(ByteInput in) throws IOException {
		in.skipExactly(6); // rest of the signature
		for (int chunks = 0; chunks < ImageInfo.MAX_BLOCKS; chunks++) {
			long length = in.u32be();
			long type = in.u32be();
			if (type == 0x65584966L) { // eXIf
				return (length <= MAX_EXIF_BYTES) ? bytes(in, (int) length) : null;
			}
			if (type == 0x49444154L || type == 0x49454E44L) { // IDAT, IEND
				return null;
			}
			in.skipExactly(length + 4);
		}
		return null;
	}

	/** The EXIF chunk, anywhere in the RIFF container. */
	private static byte[] webp(ByteInput in) throws IOException {
		in.skipExactly(10); // "FF", RIFF size, "WEBP"
		for (int chunks = 0; chunks < ImageInfo.MAX_BLOCKS; chunks++) {
			long type = in.u32le();
			long size = in.u32le();
			if (type == 0x46495845L) { // "EXIF"
				if (size > MAX_EXIF_BYTES) {
					return null;
				}
				byte[] exif = bytes(in, (int) size);
				// Some writers keep the JPEG prefix.
				if (size >= 6 && exif[0] == 'E' && exif[1] == 'x' && exif[4] == 0 && exif[5] == 0) {
					return java.util.Arrays.copyOfRange(exif, 6, exif.length);
				}
				return exif;
			}
			in.skipExactly(size + (size & 1));
		}
		return null;
	}

	/** Tag 0x0112 of IFD0 in a TIFF structure; 0 when absent or out of range. */
	static int orientation(byte[] tiff) {
		if (tiff.length < 8) {
			return 0;
		}
		boolean little;
		if (tiff[0] == 'I' && tiff[1] == 'I') {
			little = true;
		}
		else if (tiff[0] == 'M' && tiff[1] == 'M') {
			little = false;
		}
		else {
			return 0;
		}
		if (u16(tiff, 2, little) != 42) {
			return 0;
		}
		long ifd = u32(tiff, 4, little);
		if (ifd < 8 || ifd + 2 > tiff.length) {
			return 0;
		}
		int entries = u16(tiff, (int) ifd, little);
		for (int i = 0; i < entries; i++) {
			long entry = ifd + 2 + 12L * i;
			if (entry + 12 > tiff.length) {
				return 0;
			}
			int at = (int) entry;
			if (u16(tiff, at, little) == ORIENTATION_TAG) {
				int type = u16(tiff, at + 2, little);
				// SHORT as the standard says; some writers use LONG.
				long value = (type == 3) ? u16(tiff, at + 8, little) : (type == 4) ? u32(tiff, at + 8, little) : 0;
				return (value >= 1 && value <= 8) ? (int) value : 0;
			}
		}
		return 0;
	}

	private static byte[] bytes(ByteInput in, int length) throws IOException {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = (byte) in.u8();
		}
		return bytes;
	}

	private static int u16(byte[] b, int at, boolean little) {
		int x = b[at] & 0xFF;
		int y = b[at + 1] & 0xFF;
		return little ? (x | y << 8) : (x << 8 | y);
	}

	private static long u32(byte[] b, int at, boolean little) {
		long hi = u16(b, little ? at + 2 : at, little);
		long lo = u16(b, little ? at : at + 2, little);
		return hi << 16 | lo;
	}

}
