package dev.avatars.imageinfo;

import java.io.IOException;

/**
 * The IHDR chunk, then the chunks before the image data: an APNG states its frames' sizes there (fcTL). Chunks
 * after the first IDAT are not read; no decoder here allocates for them.
 */
final class PngHeaders {

	private static final int IHDR = 0x49484452;

	private static final int IDAT = 0x49444154;

	private static final int IEND = 0x49454E44;

	private static final int FCTL = 0x6663544C;

	private PngHeaders() {
	}

	static ImageInfo read(ByteInput in) throws IOException {
		if (in.u8() != 'N' || in.u8() != 'G' || in.u8() != 0x0D || in.u8() != 0x0A || in.u8() != 0x1A
				|| in.u8() != 0x0A) {
			throw new MalformedHeaderException("not a PNG signature");
		}
		long ihdrLength = in.u32be();
		if (ihdrLength != 13 || in.u32be() != IHDR) {
			throw new MalformedHeaderException("PNG without IHDR first");
		}
		long width = in.u32be();
		long height = in.u32be();
		int bitDepth = in.u8();
		int colourType = in.u8();
		in.skipExactly(3 + 4); // compression, filter, interlace; CRC
		ImageInfo.checkSize(width, height, "PNG IHDR");
		int channels = switch (colourType) {
			case 0, 3 -> 1;
			case 2 -> 3;
			case 4 -> 2;
			case 6 -> 4;
			default -> throw new MalformedHeaderException("PNG colour type " + colourType);
		};
		long maxWidth = width;
		long maxHeight = height;
		for (int chunks = 0;; chunks++) {
			if (chunks > ImageInfo.MAX_BLOCKS) {
				throw new MalformedHeaderException("PNG with more than " + ImageInfo.MAX_BLOCKS + " chunks");
			}
			long length = in.u32be();
			int type = (int) in.u32be();
			if (length > Integer.MAX_VALUE) {
				throw new MalformedHeaderException("PNG chunk of " + length + " bytes");
			}
			if (type == IDAT || type == IEND) {
				break;
			}
			if (type == FCTL && length >= 12) {
				in.skipExactly(4); // sequence number
				long frameWidth = in.u32be();
				long frameHeight = in.u32be();
				ImageInfo.checkSize(frameWidth, frameHeight, "APNG frame");
				maxWidth = Math.max(maxWidth, frameWidth);
				maxHeight = Math.max(maxHeight, frameHeight);
				in.skipExactly(length - 12 + 4);
			}
			else {
				in.skipExactly(length + 4);
			}
		}
		return new ImageInfo(ImageInfo.Format.PNG, (int) width, (int) height, (int) maxWidth, (int) maxHeight, 1,
				bitDepth, channels, false, false);
	}

}
