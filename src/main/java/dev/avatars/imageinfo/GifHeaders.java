package dev.avatars.imageinfo;

import java.io.IOException;

/** The logical screen, then every block to the trailer: each image descriptor states a frame's size. */
final class GifHeaders {

	private GifHeaders() {
	}

	static ImageInfo read(ByteInput in) throws IOException {
		if (in.u8() != 'F' || in.u8() != '8' || !isVersion(in.u8()) || in.u8() != 'a') {
			throw new MalformedHeaderException("not a GIF signature");
		}
		int screenWidth = in.u16le();
		int screenHeight = in.u16le();
		int flags = in.u8();
		in.skipExactly(2);
		if ((flags & 0x80) != 0) {
			in.skipExactly(3L << ((flags & 0x07) + 1));
		}
		int maxWidth = screenWidth;
		int maxHeight = screenHeight;
		int frames = 0;
		int firstWidth = 0;
		int firstHeight = 0;
		for (int blocks = 0;; blocks++) {
			if (blocks > ImageInfo.MAX_BLOCKS) {
				throw new MalformedHeaderException("GIF with more than " + ImageInfo.MAX_BLOCKS + " blocks");
			}
			int introducer = in.read();
			if (introducer == 0x3B) {
				break;
			}
			if (introducer == 0x21) {
				in.u8(); // label
				skipSubBlocks(in);
			}
			else if (introducer == 0x2C) {
				in.skipExactly(4); // left, top
				int width = in.u16le();
				int height = in.u16le();
				int imageFlags = in.u8();
				ImageInfo.checkSize(width, height, "GIF frame");
				if ((imageFlags & 0x80) != 0) {
					in.skipExactly(3L << ((imageFlags & 0x07) + 1));
				}
				in.u8(); // LZW minimum code size
				skipSubBlocks(in);
				if (frames++ == 0) {
					firstWidth = width;
					firstHeight = height;
				}
				maxWidth = Math.max(maxWidth, width);
				maxHeight = Math.max(maxHeight, height);
			}
			else if (frames > 0) {
				break; // junk after a frame: decoders read up to there
			}
			else {
				throw new MalformedHeaderException("GIF block " + introducer + " before the first image");
			}
		}
		if (frames == 0) {
			throw new MalformedHeaderException("GIF without an image");
		}
		// Decoders treat a zero screen as "as large as the first frame".
		int width = (screenWidth > 0) ? screenWidth : firstWidth;
		int height = (screenHeight > 0) ? screenHeight : firstHeight;
		return new ImageInfo(ImageInfo.Format.GIF, width, height, Math.max(maxWidth, width),
				Math.max(maxHeight, height), frames, 8, 1, false, false);
	}

	private static boolean isVersion(int b) {
		return b == '7' || b == '9';
	}

	private static void skipSubBlocks(ByteInput in) throws IOException {
		for (int size = in.u8(); size != 0; size = in.u8()) {
			in.skipExactly(size);
		}
	}

}
