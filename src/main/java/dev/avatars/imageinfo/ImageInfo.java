package dev.avatars.imageinfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * What an image's headers state, every frame of it, read in one forward pass without decoding a pixel. A decoder
 * may allocate for any frame the file names, so the size that counts is the largest one stated: every JPEG frame
 * (SOFn and DHP), the PNG IHDR (and APNG frames before the image data), the GIF logical screen and every image
 * descriptor, the WebP VP8X canvas and every VP8/VP8L bitstream (inside ANMF frames too), the BMP header.
 *
 * <p>The work is bounded: one pass over at most the whole file, and at most {@link #MAX_BLOCKS} segments, chunks
 * or blocks; beyond that the file is called malformed.
 *
 * @param width the picture's width as the format states it first (JPEG first frame, PNG IHDR, GIF screen, WebP
 * canvas or bitstream, BMP header)
 * @param height the picture's height, likewise
 * @param maxWidth the largest width stated anywhere in the file
 * @param maxHeight the largest height stated anywhere in the file
 * @param frames how many frames (bitstreams, image descriptors, JPEG frames) the file states; 1 for PNG and BMP
 * @param bitDepth bits per sample: JPEG precision, PNG bit depth, 8 for GIF and WebP, bits per pixel for BMP
 * @param components samples per pixel: JPEG frame components, PNG channels, 4 for WebP with alpha else 3, 1 for
 * GIF (indexed), 3 or 4 for BMP
 * @param lossless a lossless JPEG (SOF3, 7, 11, 15) or a lossless WebP bitstream (VP8L)
 * @param arithmetic a JPEG frame with arithmetic coding (SOF9–15)
 */
public record ImageInfo(Format format, int width, int height, int maxWidth, int maxHeight, int frames, int bitDepth,
		int components, boolean lossless, boolean arithmetic) {

	public enum Format {

		JPEG, PNG, GIF, WEBP, BMP

	}

	/** More segments, chunks or blocks than any real picture has: the file is treated as malformed. */
	public static final int MAX_BLOCKS = 100_000;

	/**
	 * The largest area any decoder of this file might be asked for: largest stated width × largest stated height
	 * (a frame may lie anywhere on its canvas, and decoders allocate per frame).
	 */
	public long largestPixels() {
		return (long) this.maxWidth * this.maxHeight;
	}

	/** Whether some frame is stated larger than the picture (a WebP frame beyond its canvas, ...). */
	public boolean hasFrameBeyondPicture() {
		return this.maxWidth > this.width || this.maxHeight > this.height;
	}

	public static ImageInfo read(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return read(in);
		}
	}

	/**
	 * @throws MalformedHeaderException when the headers are not those of a JPEG, PNG, GIF, WebP or BMP, are cut
	 * short, or state an impossible size
	 * @throws IOException when the stream cannot be read
	 */
	public static ImageInfo read(InputStream in) throws IOException {
		ByteInput input = new ByteInput(in);
		int b0 = input.read();
		int b1 = input.read();
		if (b0 == 0xFF && b1 == 0xD8) {
			return new JpegHeaders(input).read();
		}
		if (b0 == 0x89 && b1 == 'P') {
			return PngHeaders.read(input);
		}
		if (b0 == 'G' && b1 == 'I') {
			return GifHeaders.read(input);
		}
		if (b0 == 'R' && b1 == 'I') {
			return WebpHeaders.read(input);
		}
		if (b0 == 'B' && b1 == 'M') {
			return BmpHeaders.read(input);
		}
		byte[] head = new byte[IsoMediaFormat.HEAD_LENGTH];
		head[0] = (byte) b0;
		head[1] = (byte) b1;
		int length = 2;
		for (int b; length < head.length && (b = input.read()) >= 0; length++) {
			head[length] = (byte) b;
		}
		Optional<String> heif = IsoMediaFormat.of(Arrays.copyOf(head, length));
		if (heif.isPresent()) {
			throw new MalformedHeaderException(IsoMediaFormat.refusal(heif.get()));
		}
		throw new MalformedHeaderException("not a JPEG, PNG, GIF, WebP or BMP file");
	}

	static void checkSize(long width, long height, String what) throws MalformedHeaderException {
		if (width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
			throw new MalformedHeaderException(what + " states an impossible size: " + width + "×" + height);
		}
	}

}
