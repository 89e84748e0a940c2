package dev.avatars.imageinfo;

import java.io.IOException;

/** The file header and the DIB header: one picture, one size. */
final class BmpHeaders {

	private BmpHeaders() {
	}

	static ImageInfo read(ByteInput in) throws IOException {
		in.skipExactly(12); // file size, reserved, pixel data offset
		long headerSize = in.u32le();
		long width;
		long height;
		int bitsPerPixel;
		long compression = 0;
		if (headerSize == 12) {
			width = in.u16le();
			height = in.u16le();
			in.skipExactly(2);
			bitsPerPixel = in.u16le();
		}
		else if (headerSize >= 40 && headerSize <= 124) {
			width = (int) in.u32le();
			height = Math.abs((long) (int) in.u32le()); // negative: stored top-down
			in.skipExactly(2);
			bitsPerPixel = in.u16le();
			compression = in.u32le();
		}
		else {
			throw new MalformedHeaderException("BMP header of " + headerSize + " bytes");
		}
		ImageInfo.checkSize(width, height, "BMP header");
		if (compression == 4 || compression == 5) {
			// The embedded JPEG or PNG states its own size, which a decoder would follow; not read here.
			throw new MalformedHeaderException("BMP holding a JPEG or PNG stream");
		}
		return new ImageInfo(ImageInfo.Format.BMP, (int) width, (int) height, (int) width, (int) height, 1,
				bitsPerPixel, (bitsPerPixel == 32) ? 4 : 3, false, false);
	}

}
