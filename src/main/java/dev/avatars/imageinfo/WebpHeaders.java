package dev.avatars.imageinfo;

import java.io.IOException;

/**
 * Every chunk of the RIFF container: the VP8X canvas, and each VP8 (lossy) or VP8L (lossless) bitstream's own
 * size, at the top level or inside an ANMF frame. A bitstream may state more than its canvas; decoders allocate
 * for the bitstream.
 */
final class WebpHeaders {

	private static final int VP8 = fourcc("VP8 ");

	private static final int VP8L = fourcc("VP8L");

	private static final int VP8X = fourcc("VP8X");

	private static final int ANMF = fourcc("ANMF");

	private static final int ALPH = fourcc("ALPH");

	private final ByteInput in;

	private int canvasWidth;

	private int canvasHeight;

	private int firstWidth;

	private int firstHeight;

	private long maxWidth;

	private long maxHeight;

	private int frames;

	private boolean lossless;

	private boolean alpha;

	private int chunks;

	private WebpHeaders(ByteInput in) {
		this.in = in;
	}

	static ImageInfo read(ByteInput in) throws IOException {
		if (in.u8() != 'F' || in.u8() != 'F') {
			throw new MalformedHeaderException("not a RIFF file");
		}
		long riffEnd = 8 + in.u32le();
		if (in.u32le() != fourcc("WEBP")) {
			throw new MalformedHeaderException("a RIFF file that is not WebP");
		}
		return new WebpHeaders(in).chunks(riffEnd);
	}

	private ImageInfo chunks(long riffEnd) throws IOException {
		while (this.in.position() + 8 <= riffEnd) {
			int first = this.in.read();
			if (first < 0) {
				break; // the RIFF size overstates; what is there has been read
			}
			int type = first | (this.in.u8() << 8) | (this.in.u16le() << 16);
			long size = this.in.u32le();
			long end = this.in.position() + size + (size & 1);
			countChunk();
			if (type == VP8X && size >= 10) {
				this.alpha |= (this.in.u8() & 0x10) != 0;
				this.in.skipExactly(3);
				this.canvasWidth = this.in.u24le() + 1;
				this.canvasHeight = this.in.u24le() + 1;
				stated(this.canvasWidth, this.canvasHeight);
			}
			else if (type == ANMF && size >= 16) {
				long x = 2L * this.in.u24le();
				long y = 2L * this.in.u24le();
				int width = this.in.u24le() + 1;
				int height = this.in.u24le() + 1;
				this.in.skipExactly(4); // duration, flags
				stated(x + width, y + height);
				frameChunks(end);
			}
			else {
				bitstream(type, size);
			}
			skipTo(end);
		}
		if (this.frames == 0) {
			throw new MalformedHeaderException("WebP without a VP8 or VP8L bitstream");
		}
		int width = (this.canvasWidth > 0) ? this.canvasWidth : this.firstWidth;
		int height = (this.canvasHeight > 0) ? this.canvasHeight : this.firstHeight;
		return new ImageInfo(ImageInfo.Format.WEBP, width, height, (int) this.maxWidth, (int) this.maxHeight,
				this.frames, 8, this.alpha ? 4 : 3, this.lossless, false);
	}

	/** The chunks inside an ANMF frame, up to {@code end}. */
	private void frameChunks(long end) throws IOException {
		while (this.in.position() + 8 <= end) {
			int type = (int) this.in.u32le();
			long size = this.in.u32le();
			long next = this.in.position() + size + (size & 1);
			countChunk();
			bitstream(type, size);
			skipTo(Math.min(next, end));
		}
	}

	private void bitstream(int type, long size) throws IOException {
		if (type == VP8 && size >= 10) {
			int tag = this.in.u8();
			this.in.skipExactly(2);
			if ((tag & 0x01) != 0 || this.in.u8() != 0x9D || this.in.u8() != 0x01 || this.in.u8() != 0x2A) {
				throw new MalformedHeaderException("VP8 bitstream without a key frame");
			}
			frame(this.in.u16le() & 0x3FFF, this.in.u16le() & 0x3FFF);
		}
		else if (type == VP8L && size >= 5) {
			if (this.in.u8() != 0x2F) {
				throw new MalformedHeaderException("VP8L bitstream without its signature");
			}
			long bits = this.in.u32le();
			this.lossless = true;
			this.alpha |= (bits & (1L << 28)) != 0;
			frame((int) (bits & 0x3FFF) + 1, (int) ((bits >> 14) & 0x3FFF) + 1);
		}
		else if (type == ALPH) {
			this.alpha = true;
		}
	}

	private void frame(int width, int height) throws IOException {
		ImageInfo.checkSize(width, height, "WebP bitstream");
		if (this.frames++ == 0) {
			this.firstWidth = width;
			this.firstHeight = height;
		}
		stated(width, height);
	}

	private void stated(long width, long height) {
		this.maxWidth = Math.max(this.maxWidth, width);
		this.maxHeight = Math.max(this.maxHeight, height);
	}

	private void countChunk() throws MalformedHeaderException {
		if (++this.chunks > ImageInfo.MAX_BLOCKS) {
			throw new MalformedHeaderException("WebP with more than " + ImageInfo.MAX_BLOCKS + " chunks");
		}
	}

	private void skipTo(long end) throws IOException {
		if (end > this.in.position()) {
			this.in.skip(end - this.in.position()); // a last chunk cut short ends the loop above
		}
	}

	private static int fourcc(String name) {
		return name.charAt(0) | (name.charAt(1) << 8) | (name.charAt(2) << 16) | (name.charAt(3) << 24);
	}

}
