package dev.avatars.thumbnail;

import dev.avatars.jpeg.ReducedJpegDecoder;

/**
 * Decodes an ordinary JPEG photo at 1/8 or 1/4, or gives {@code null} to leave it to libjpeg (OpenCV) or ImageIO.
 * The hand-written {@link ReducedJpegDecoder} by default; {@link #OFF} where configuration switches it off.
 */
@FunctionalInterface
interface JpegReducer {

	/** Never decodes: both paths decode every JPEG with libjpeg or ImageIO. */
	JpegReducer OFF = (data, length, reduction) -> null;

	/** @return the picture at 1/{@code reduction}, or {@code null} for the other decoders to read */
	ReducedJpegDecoder.Reduced decode(byte[] data, int length, int reduction);

	static JpegReducer of(boolean reducedJpegDecoder) {
		return reducedJpegDecoder ? ReducedJpegDecoder::decode : OFF;
	}

}
