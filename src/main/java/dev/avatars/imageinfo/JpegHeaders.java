package dev.avatars.imageinfo;

import java.io.IOException;

/**
 * Walks a JPEG's markers after SOI, over the entropy-coded data of every scan, to the end: a second frame
 * (hierarchical files, or a hostile one larger than the first) may come after the first scan.
 */
final class JpegHeaders {

	private static final int DNL = 0xDC;

	private static final int DHP = 0xDE;

	private static final int SOS = 0xDA;

	private static final int EOI = 0xD9;

	private final ByteInput in;

	private int frames;

	private int width;

	private int height;

	private int maxWidth;

	private int maxHeight;

	private int bitDepth;

	private int components;

	private boolean lossless;

	private boolean arithmetic;

	/** A frame whose height is left to a DNL marker after its first scan. */
	private boolean heightPending;

	private boolean scanned;

	JpegHeaders(ByteInput in) {
		this.in = in;
	}

	ImageInfo read() throws IOException {
		int marker = nextMarker();
		for (int blocks = 0; marker != EOI && marker >= 0; blocks++) {
			if (blocks > ImageInfo.MAX_BLOCKS) {
				throw new MalformedHeaderException("JPEG with more than " + ImageInfo.MAX_BLOCKS + " segments");
			}
			if (marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
				marker = nextMarker(); // no length
				continue;
			}
			int length = this.in.u16be();
			if (length < 2) {
				throw new MalformedHeaderException("JPEG segment with length " + length);
			}
			if (isFrame(marker)) {
				frame(marker, length);
			}
			else if (marker == DNL && length >= 4) {
				int lines = this.in.u16be();
				this.in.skipExactly(length - 4);
				if (this.heightPending && lines > 0) {
					stated(this.width, lines);
					if (this.height == 0) {
						this.height = lines;
					}
					this.heightPending = false;
				}
			}
			else {
				this.in.skipExactly(length - 2);
			}
			if (marker == SOS) {
				this.scanned = true;
				marker = markerAfterEntropyData();
			}
			else {
				marker = nextMarker();
			}
		}
		// A file cut off after its first scan is still a JPEG; whether it decodes is the decoder's verdict.
		if (this.frames == 0 || !this.scanned) {
			throw new MalformedHeaderException("JPEG without a frame and a scan");
		}
		if (this.heightPending || this.height == 0) {
			throw new MalformedHeaderException("JPEG frame without a height");
		}
		return new ImageInfo(ImageInfo.Format.JPEG, this.width, this.height, this.maxWidth, this.maxHeight,
				this.frames, this.bitDepth, this.components, this.lossless, this.arithmetic);
	}

	/** SOF0–3, 5–7, 9–11, 13–15 and DHP (which states the size of a hierarchical image). */
	private static boolean isFrame(int marker) {
		return (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
				|| marker == DHP;
	}

	private void frame(int marker, int length) throws IOException {
		if (length < 8) {
			throw new MalformedHeaderException("JPEG frame header of " + length + " bytes");
		}
		int precision = this.in.u8();
		int lines = this.in.u16be();
		int samples = this.in.u16be();
		int count = this.in.u8();
		this.in.skipExactly(length - 8);
		if (samples == 0) {
			throw new MalformedHeaderException("JPEG frame 0 pixels wide");
		}
		if (marker != DHP) {
			this.frames++;
			this.lossless |= (marker & 0x03) == 0x03;
			this.arithmetic |= marker >= 0xC9;
		}
		this.bitDepth = Math.max(this.bitDepth, precision);
		this.components = Math.max(this.components, count);
		if (this.width == 0) {
			this.width = samples;
			this.height = lines;
		}
		if (lines == 0) {
			this.heightPending = true; // DNL states it after the first scan
			this.maxWidth = Math.max(this.maxWidth, samples);
		}
		else {
			stated(samples, lines);
		}
	}

	private void stated(int w, int h) {
		this.maxWidth = Math.max(this.maxWidth, w);
		this.maxHeight = Math.max(this.maxHeight, h);
	}

	/**
	 * The next marker; -1 at the end of the data. Stray bytes before it are passed over, as libjpeg does (with a
	 * warning): some cameras write them, and the decoders read such files.
	 */
	private int nextMarker() throws IOException {
		int b;
		do {
			b = this.in.read();
		}
		while (b >= 0 && b != 0xFF);
		return (b < 0) ? -1 : markerAfterFF();
	}

	private int markerAfterFF() throws IOException {
		int b;
		do {
			b = this.in.read();
		}
		while (b == 0xFF);
		return b;
	}

	/** Skips entropy-coded data (stuffed FF 00 and restart markers included) to the next real marker. */
	private int markerAfterEntropyData() throws IOException {
		while (true) {
			if (!this.in.skipPastNextFF()) {
				return -1;
			}
			int marker = markerAfterFF();
			if (marker < 0) {
				return -1;
			}
			if (marker != 0x00 && (marker < 0xD0 || marker > 0xD7)) {
				return marker;
			}
		}
	}

}
