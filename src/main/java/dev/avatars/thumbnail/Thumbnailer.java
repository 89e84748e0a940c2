package dev.avatars.thumbnail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.avatars.imageinfo.DecodeLimits;
import dev.avatars.imageinfo.ImageInfo;
import dev.avatars.imageinfo.MalformedHeaderException;
import dev.avatars.jpeg.ReducedJpegDecoder;

/**
 * Turns an original picture into square thumbnails: upright (EXIF orientation applied), cropped to the chosen
 * square (the centre one by default), sRGB, JPEG unless the picture has real transparency (then PNG), without
 * any metadata. Plain Java, no Spring; safe to call from many threads.
 *
 * <p>Two paths give the same geometry: OpenCV for ordinary photos ({@link OpenCvRenderer}), and ImageIO with
 * Thumbnailator for everything else and wherever the native library cannot be loaded ({@link JavaRenderer}).
 * Both decode ordinary JPEG photos at 1/8 with {@link ReducedJpegDecoder} where that size is enough; the Java
 * path also at 1/4. That decoder is hand-written and can be switched off: then libjpeg (OpenCV) and ImageIO decode
 * every JPEG.
 */
public final class Thumbnailer {

	/** Which path renders: {@code AUTO} takes the native one wherever it can, {@code JAVA} never loads it. */
	public enum Engine {

		AUTO, JAVA

	}

	private final JavaRenderer javaRenderer;

	private final OpenCvRenderer openCvRenderer;

	private final String description;

	private final long maxPixels;

	/** With the {@link ReducedJpegDecoder} on. */
	public Thumbnailer(List<Integer> sizes, float jpegQuality, Engine engine, long maxPixels) {
		this(sizes, jpegQuality, engine, maxPixels, true);
	}

	/**
	 * @param sizes edge lengths in pixels, each at least 1
	 * @param jpegQuality 0–1
	 * @param maxPixels the upload's limit on width × height ({@code avatars.upload.max-pixels}): a file stating
	 * more, anywhere in its headers, is not decoded
	 * @param reducedJpegDecoder whether JPEG photos are decoded at 1/8 and 1/4 by the {@link ReducedJpegDecoder}
	 * ({@code avatars.thumbnail.reduced-jpeg-decoder}); when false, only by libjpeg and ImageIO
	 */
	public Thumbnailer(List<Integer> sizes, float jpegQuality, Engine engine, long maxPixels,
			boolean reducedJpegDecoder) {
		this(sizes, jpegQuality, engine, maxPixels, JpegReducer.of(reducedJpegDecoder));
	}

	Thumbnailer(List<Integer> sizes, float jpegQuality, Engine engine, long maxPixels, JpegReducer reducer) {
		if (sizes.isEmpty() || sizes.stream().anyMatch((size) -> size < 1)) {
			throw new IllegalArgumentException("Thumbnail sizes must be positive: " + sizes);
		}
		if (maxPixels < 1) {
			throw new IllegalArgumentException("The pixel limit must be positive: " + maxPixels);
		}
		this.maxPixels = maxPixels;
		List<Integer> copy = List.copyOf(sizes);
		this.javaRenderer = new JavaRenderer(copy, jpegQuality, reducer);
		String description;
		if (engine == Engine.JAVA) {
			this.openCvRenderer = null;
			description = "pure Java (engine set to java)";
		}
		else if (!NativeOpenCv.available()) {
			this.openCvRenderer = null;
			description = "pure Java (OpenCV could not be loaded: " + NativeOpenCv.failure() + ")";
		}
		else {
			this.openCvRenderer = new OpenCvRenderer(copy, jpegQuality, reducer);
			description = "OpenCV " + NativeOpenCv.version() + " for JPEG, PNG and WebP photos; pure Java for"
					+ " CMYK, 16-bit, palette, transparent and GIF pictures and colour profiles it cannot convert";
		}
		this.description = (reducer == JpegReducer.OFF) ? description + "; reduced JPEG decoder off" : description;
	}

	/** Which path renders, for the start-up log. */
	public String description() {
		return this.description;
	}

	/** Whether the native fast path is in use. */
	public boolean isNative() {
		return this.openCvRenderer != null;
	}

	/**
	 * @param crop the square to keep, or {@code null} for the centre square
	 * @throws UndecodableImageException when the file is not an image we can decode (retrying cannot help)
	 * @throws IOException when the file cannot be read (it may help to try again later)
	 */
	public List<Thumbnail> render(Path original, Crop crop) throws IOException, UndecodableImageException {
		if (!Files.isRegularFile(original)) {
			throw new NoSuchFileException(original.getFileName().toString());
		}
		checkDecodable(original);
		// Read once for both paths; null for what only the Java path reads (CMYK, ICC, GIF, damaged, ...).
		Photo photo = Photo.read(original, crop);
		if (photo != null && this.openCvRenderer != null) {
			List<Thumbnail> thumbnails = this.openCvRenderer.render(photo);
			if (thumbnails != null) {
				return thumbnails;
			}
		}
		return this.javaRenderer.render(original, crop, photo);
	}

	/**
	 * The upload's verdict again, before any decoder sees the file: an original stored before the upload checked
	 * every frame, or put there some other way, is refused rather than decoded.
	 */
	private void checkDecodable(Path original) throws IOException, UndecodableImageException {
		ImageInfo info;
		try {
			info = ImageInfo.read(original);
		}
		catch (MalformedHeaderException ex) {
			throw new UndecodableImageException("not a decodable image: " + ex.getMessage(), ex);
		}
		Optional<String> refusal = DecodeLimits.refusal(info, this.maxPixels);
		if (refusal.isPresent()) {
			throw new UndecodableImageException(refusal.get());
		}
	}

}
