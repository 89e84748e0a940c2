package dev.avatars.imageinfo;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a picture, as its headers state it, can be decoded within bounded memory; the same verdict at upload
 * (422) and in the job (failed at once), so that nothing the upload accepted is refused later and nothing
 * refused is decoded.
 *
 * <p>Most decoders used here decode only the crop square, subsampled (JPEG through libjpeg, PNG, GIF, BMP): their
 * heap does not grow with the picture, and the pixel limit alone bounds their work. Two decode the whole picture
 * into the heap whatever region is asked for, and their cost was measured (docs/LIMITS.md, pure-Java path, one
 * render alone in a JVM with the heap given):
 * <ul>
 * <li>lossless JPEG (TwelveMonkeys' lossless decoder): 8 MP of 16-bit grey needs more than 64 MB and fits 96 MB,
 * 8-bit needs more than 48 MB and fits 64 MB: about 12 and 8 bytes a sample. 40 MP runs two workers out of a
 * 256 MB heap; 24 MP one of them.</li>
 * <li>lossless WebP (VP8L): 16 MP needs more than 48 MB and fits 64 MB (an int a pixel); 40 MP is 160 MB.</li>
 * </ul>
 * With the documented {@code -Xmx256m} and two workers, and the application's own heap besides, each decode may
 * have about 64 MB: hence at most {@value #LOSSLESS_JPEG_MAX_SAMPLES} lossless JPEG samples (width × height ×
 * components) and {@value #LOSSLESS_WEBP_MAX_PIXELS} lossless WebP pixels.
 */
public final class DecodeLimits {

	/** 4 MP of grey, 1.3 MP of RGB: about 48 MB at 12 bytes a sample. */
	public static final long LOSSLESS_JPEG_MAX_SAMPLES = 4_000_000;

	/** 64 MB at 4 bytes a pixel. */
	public static final long LOSSLESS_WEBP_MAX_PIXELS = 16_000_000;

	private DecodeLimits() {
	}

	/**
	 * @param maxPixels the configured limit on width × height ({@code avatars.upload.max-pixels})
	 * @return why the picture cannot be decoded within bounds, in a sentence for people; empty when it can
	 */
	public static Optional<String> refusal(ImageInfo info, long maxPixels) {
		String format = info.format().name();
		if (info.largestPixels() > maxPixels) {
			String size = (info.hasFrameBeyondPicture())
					? "states a frame of " + info.maxWidth() + "×" + info.maxHeight() + " pixels ("
							+ megapixels(info.largestPixels()) + ") in a picture of " + info.width() + "×"
							+ info.height()
					: "is " + info.width() + "×" + info.height() + " pixels (" + megapixels(info.largestPixels())
							+ ")";
			return Optional.of("The image " + size + "; the limit is " + megapixels(maxPixels) + ".");
		}
		if (info.format() == ImageInfo.Format.WEBP && info.hasFrameBeyondPicture()) {
			return Optional.of("The WebP states a frame of " + info.maxWidth() + "×" + info.maxHeight()
					+ " pixels, larger than its canvas of " + info.width() + "×" + info.height() + ".");
		}
		long samples = info.largestPixels() * Math.max(1, info.components());
		if (info.format() == ImageInfo.Format.JPEG && info.lossless() && samples > LOSSLESS_JPEG_MAX_SAMPLES) {
			return Optional.of("The image is a lossless JPEG of " + megapixels(info.largestPixels()) + " with "
					+ info.components() + " component(s); lossless JPEGs are decoded whole, so at most "
					+ (LOSSLESS_JPEG_MAX_SAMPLES / 1_000_000) + " million samples (width × height × components) are"
					+ " accepted.");
		}
		if (info.format() == ImageInfo.Format.WEBP && info.lossless()
				&& info.largestPixels() > LOSSLESS_WEBP_MAX_PIXELS) {
			return Optional.of("The image is a lossless WebP of " + megapixels(info.largestPixels())
					+ "; lossless WebPs are decoded whole, so at most " + megapixels(LOSSLESS_WEBP_MAX_PIXELS)
					+ " are accepted.");
		}
		return Optional.empty();
	}

	/** As the upload's other messages say it: "40 megapixels", "12.3 megapixels". */
	static String megapixels(long pixels) {
		double mp = pixels / 1_000_000.0;
		return (mp == Math.rint(mp) ? String.valueOf((long) mp) : String.format(Locale.ROOT, "%.1f", mp))
				+ " megapixels";
	}

}
