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
 * square (without one, the square framed on the faces {@link FaceDetector} finds, or the centre one; see
 * {@link CropMode}), sRGB, JPEG unless the picture has real transparency (then PNG), without any metadata; and on
 * request their round variants (PNG, transparent outside the circle). Plain Java, no Spring; safe to call from
 * many threads.
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

	/** Where the square goes when the person chose none: framed on a face, or the centre square. */
	public enum CropMode {

		FACE, CENTRE

	}

	/** Faces are looked for on the whole picture decoded to about this many pixels on its longer side. */
	private static final int DETECTION_SIDE = 384;

	private final JavaRenderer javaRenderer;

	/** {@code null} when faces are not looked for: crop mode centre, or no native library. */
	private final FaceDetector detector;

	private final OpenCvRenderer openCvRenderer;

	private final String description;

	private final long maxPixels;

	/** With the {@link ReducedJpegDecoder} on, and the centre square when none is chosen. */
	public Thumbnailer(List<Integer> sizes, float jpegQuality, Engine engine, long maxPixels) {
		this(sizes, jpegQuality, engine, maxPixels, true);
	}

	/** The centre square when none is chosen. */
	public Thumbnailer(List<Integer> sizes, float jpegQuality, Engine engine, long maxPixels,
			boolean reducedJpegDecoder) {
		this(sizes, jpegQuality, engine, maxPixels, reducedJpegDecoder, CropMode.CENTRE);
	}

	/**
	 * @param sizes edge lengths in pixels, each at least 1
	 * @param jpegQuality 0–1
	 * @param maxPixels the upload's limit on width × height ({@code avatars.upload.max-pixels}): a file stating
	 * more, anywhere in its headers, is not decoded
	 * @param reducedJpegDecoder whether JPEG photos are decoded at 1/8 and 1/4 by the {@link ReducedJpegDecoder}
	 * ({@code avatars.thumbnail.reduced-jpeg-decoder}); when false, only by libjpeg and ImageIO
	 * @param cropMode where the square goes when none is chosen ({@code avatars.thumbnail.crop}); faces are only
	 * looked for with the native library, the pure-Java path keeps the centre square
	 * @throws IllegalStateException when faces are to be looked for and the bundled model cannot be read
	 */
	public Thumbnailer(List<Integer> sizes, float jpegQuality, Engine engine, long maxPixels,
			boolean reducedJpegDecoder, CropMode cropMode) {
		this(sizes, jpegQuality, engine, maxPixels, JpegReducer.of(reducedJpegDecoder), cropMode);
	}

	Thumbnailer(List<Integer> sizes, float jpegQuality, Engine engine, long maxPixels, JpegReducer reducer) {
		this(sizes, jpegQuality, engine, maxPixels, reducer, CropMode.CENTRE);
	}

	Thumbnailer(List<Integer> sizes, float jpegQuality, Engine engine, long maxPixels, JpegReducer reducer,
			CropMode cropMode) {
		if (sizes.isEmpty() || sizes.stream().anyMatch((size) -> size < 1)) {
			throw new IllegalArgumentException("Thumbnail sizes must be positive: " + sizes);
		}
		if (maxPixels < 1) {
			throw new IllegalArgumentException("The pixel limit must be positive: " + maxPixels);
		}
		// Refused here, at start-up, not by each encoder at each job (a percentage such as 85 is the likely slip).
		if (!(jpegQuality >= 0 && jpegQuality <= 1)) {
			throw new IllegalArgumentException("The JPEG quality must be within 0–1: " + jpegQuality);
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
		if (cropMode == CropMode.FACE && this.openCvRenderer != null) {
			this.detector = loadDetector();
			description += "; squares framed on faces (BlazeFace full-range) unless chosen";
		}
		else {
			this.detector = null;
			if (cropMode == CropMode.FACE) {
				description += "; centre squares unless chosen (face detection needs the native library)";
			}
		}
		if (reducer == JpegReducer.OFF) {
			description += "; reduced JPEG decoder off";
		}
		this.description = description;
	}

	private static FaceDetector loadDetector() {
		try {
			return FaceDetector.load();
		}
		catch (java.io.IOException | RuntimeException ex) {
			throw new IllegalStateException("The face model could not be loaded: " + ex.getMessage(), ex);
		}
	}

	/** Which path renders, for the start-up log. */
	public String description() {
		return this.description;
	}

	/** Whether faces are looked for when no square is chosen. */
	public boolean detectsFaces() {
		return this.detector != null;
	}

	/** Whether the native fast path is in use. */
	public boolean isNative() {
		return this.openCvRenderer != null;
	}

	/**
	 * The square thumbnails only.
	 * @param crop the square to keep, or {@code null} for the centre square, or the face's (see
	 * {@link CropMode})
	 * @throws UndecodableImageException when the file is not an image we can decode (retrying cannot help)
	 * @throws IOException when the file cannot be read (it may help to try again later)
	 */
	public List<Thumbnail> render(Path original, Crop crop) throws IOException, UndecodableImageException {
		return render(original, crop, false).squares();
	}

	/**
	 * The square thumbnails, and with {@code circles} their round variants, and which square was kept.
	 * @param crop the square to keep, or {@code null} for the centre square, or the face's (see
	 * {@link CropMode})
	 * @throws UndecodableImageException when the file is not an image we can decode (retrying cannot help)
	 * @throws IOException when the file cannot be read (it may help to try again later)
	 */
	public Rendering render(Path original, Crop crop, boolean circles) throws IOException, UndecodableImageException {
		if (!Files.isRegularFile(original)) {
			throw new NoSuchFileException(original.getFileName().toString());
		}
		// Read once, for the check and both paths; null when larger than 64 MB (then read as a stream).
		FileBytes file = FileBytes.read(original);
		ImageInfo info = checkDecodable(original, file);
		FaceDetector faces = (crop == null) ? this.detector : null;
		// Null for what only the Java path reads (CMYK, 16-bit, GIF, damaged, ...).
		Photo photo = (file != null) ? Photo.of(file, crop) : null;
		if (photo != null && this.openCvRenderer != null) {
			Rendering rendering = this.openCvRenderer.render(photo, crop, faces, circles);
			if (rendering != null) {
				return rendering;
			}
		}
		Orientation orientation = (photo != null) ? photo.orientation() : Orientation.read(original);
		int width = orientation.swapsAxes() ? info.height() : info.width();
		int height = orientation.swapsAxes() ? info.width() : info.height();
		Framing framing = (crop != null) ? Framing.chosen(crop) : Framing.centre(width, height, 0);
		if (faces != null) {
			java.awt.image.BufferedImage small = JavaRenderer.decodeUprightSmall(original, DETECTION_SIDE);
			if (small != null) {
				framing = faces.frame(small, width, height);
			}
		}
		Crop kept = (framing.kind() == Framing.Kind.FACE) ? framing.square() : crop;
		if (photo != null && kept != crop) {
			photo = photo.withCrop(kept);
		}
		Rendering rendering = this.javaRenderer.render(original, kept, photo, circles);
		return new Rendering(rendering.squares(), rendering.circles(), framing);
	}

	/**
	 * The upload's verdict again, before any decoder sees the file: an original stored before the upload checked
	 * every frame, or put there some other way, is refused rather than decoded.
	 */
	private ImageInfo checkDecodable(Path original, FileBytes file) throws IOException, UndecodableImageException {
		ImageInfo info;
		try {
			info = (file != null) ? ImageInfo.read(file.stream()) : ImageInfo.read(original);
		}
		catch (MalformedHeaderException ex) {
			throw new UndecodableImageException("not a decodable image: " + ex.getMessage(), ex);
		}
		Optional<String> refusal = DecodeLimits.refusal(info, this.maxPixels);
		if (refusal.isPresent()) {
			throw new UndecodableImageException(refusal.get());
		}
		return info;
	}

}
