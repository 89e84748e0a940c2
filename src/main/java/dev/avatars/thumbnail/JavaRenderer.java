package dev.avatars.thumbnail;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

import dev.avatars.jpeg.ReducedJpegDecoder;
import dev.avatars.png.PngEncoder;
import net.coobird.thumbnailator.Thumbnails;

/**
 * The pure-Java path: ImageIO (with TwelveMonkeys' readers) and Thumbnailator. It reads everything the upload
 * accepts, CMYK, 16-bit, palette, transparency and GIF included, so it is also the fallback of the fast path.
 *
 * <p>An ordinary JPEG photo whose crop square is at least four times the largest size is decoded at 1/8 or 1/4
 * (the decode-scale rule of {@link Photo#reduction}) by {@link ReducedJpegDecoder}, at 1/8 as on the fast path,
 * unless configuration switches that decoder off ({@link JpegReducer#OFF}).
 * Otherwise ImageIO decodes only the crop square, subsampled so that it stays at least twice the largest size:
 * a 24-megapixel photo becomes a few hundred thousand pixels in memory either way.
 */
final class JavaRenderer {

	static {
		// Thumbnailator encodes through ImageIO, which would otherwise write every thumbnail to a temporary file
		// first (and leave it behind if the process is killed).
		ImageIO.setUseCache(false);
	}

	private final List<Integer> sizes;

	private final float jpegQuality;

	private final JpegReducer reducer;

	JavaRenderer(List<Integer> sizes, float jpegQuality, JpegReducer reducer) {
		this.sizes = sizes;
		this.jpegQuality = jpegQuality;
		this.reducer = reducer;
	}

	/**
	 * @param crop the square to keep, {@code null} for the centre one
	 * @param photo the file read as an ordinary photo (with that square), or {@code null} when it is not one
	 */
	List<Thumbnail> render(Path original, Crop crop, Photo photo) throws IOException, UndecodableImageException {
		return render(original, crop, photo, false).squares();
	}

	/** The squares and, when asked, the round variants; the framing is the caller's to fill in (null here). */
	Rendering render(Path original, Crop crop, Photo photo, boolean circles)
			throws IOException, UndecodableImageException {
		BufferedImage square = (photo != null) ? reducedSquare(photo) : null;
		if (square == null) {
			square = decodeUprightSquare(original, crop, profileIgnoredByImageIo(photo));
		}
		boolean transparent = hasRealTransparency(square);
		Thumbnail.OutputFormat format = transparent ? Thumbnail.OutputFormat.PNG : Thumbnail.OutputFormat.JPEG;
		List<Thumbnail> thumbnails = new ArrayList<>(this.sizes.size());
		List<Thumbnail> rounds = new ArrayList<>(circles ? this.sizes.size() : 0);
		for (int size : this.sizes) {
			thumbnails.add(new Thumbnail(size, format, encode(square, size, format)));
			if (circles) {
				rounds.add(new Thumbnail(size, Thumbnail.OutputFormat.CIRCLE_PNG, encodeCircle(square, size)));
			}
		}
		return new Rendering(thumbnails, rounds, null);
	}

	/**
	 * The whole picture upright, subsampled to about {@code longest} pixels on its longer side, for face
	 * detection; {@code null} when it cannot be decoded (rendering then gives the verdict).
	 */
	static BufferedImage decodeUprightSmall(Path original, int longest) {
		Orientation orientation = Orientation.read(original);
		try (ImageInputStream input = new EndBoundedImageInputStream(original.toFile())) {
			Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
			if (!readers.hasNext()) {
				return null;
			}
			ImageReader reader = readers.next();
			try {
				reader.setInput(input, true, true);
				int subsampling = Math.max(1, Math.max(reader.getWidth(0), reader.getHeight(0)) / longest);
				ImageReadParam param = reader.getDefaultReadParam();
				param.setSourceSubsampling(subsampling, subsampling, 0, 0);
				return orientation.apply(toSrgb(reader.read(0, param)));
			}
			finally {
				reader.dispose();
			}
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * The upright square decoded by {@link ReducedJpegDecoder} when the photo's scale is 1/8 or 1/4 and the decoder
	 * reads it; else null.
	 */
	private BufferedImage reducedSquare(Photo photo) {
		ReducedJpegDecoder.Reduced reduced = photo.decoded(largestSize(), this.reducer);
		if (reduced == null) {
			return null;
		}
		BufferedImage square = reduced.region(photo.storedIn(reduced.width(), reduced.height()));
		ColourTransform colour = photo.source().colour();
		if (colour != null) {
			// Converted as on the fast path: the decoder gives the picture's own colours, not sRGB.
			colour.apply(((DataBufferInt) square.getRaster().getDataBuffer()).getData());
		}
		return photo.orientation().apply(square);
	}

	/**
	 * The embedded profile's conversion where ImageIO's reader leaves the colours as stored: the JDK's PNG reader
	 * ignores iCCP (TwelveMonkeys' JPEG and WebP readers convert). Known only for PNG photos the fast path could
	 * take; other tagged PNG pictures keep their stored colours.
	 */
	private static ColourTransform profileIgnoredByImageIo(Photo photo) {
		return (photo != null && photo.source().kind() == NativeSource.Kind.PNG) ? photo.source().colour() : null;
	}

	private BufferedImage decodeUprightSquare(Path original, Crop crop, ColourTransform colour)
			throws IOException, UndecodableImageException {
		Orientation orientation = Orientation.read(original);
		try (ImageInputStream input = new EndBoundedImageInputStream(original.toFile())) {
			Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
			if (!readers.hasNext()) {
				throw new UndecodableImageException("not a decodable image: unknown format");
			}
			ImageReader reader = readers.next();
			String formatName = formatName(reader);
			List<String> warnings = new ArrayList<>();
			reader.addIIOReadWarningListener(collectInto(warnings));
			try {
				reader.setInput(input, true, true);
				int width = reader.getWidth(0);
				int height = reader.getHeight(0);
				int uprightWidth = orientation.swapsAxes() ? height : width;
				int uprightHeight = orientation.swapsAxes() ? width : height;
				Rectangle square = Crop.square(crop, uprightWidth, uprightHeight);

				ImageReadParam param = reader.getDefaultReadParam();
				param.setSourceRegion(orientation.toStored(square, width, height));
				int subsampling = Math.max(1, square.width / (2 * largestSize()));
				param.setSourceSubsampling(subsampling, subsampling, 0, 0);
				BufferedImage decoded = reader.read(0, param);
				if (warnings.stream().anyMatch(JavaRenderer::meansTruncated)) {
					throw new UndecodableImageException("not a decodable " + formatName + ": truncated data");
				}
				BufferedImage srgb = toSrgb(decoded);
				if (colour != null && srgb.getType() == BufferedImage.TYPE_INT_RGB) {
					colour.apply(((DataBufferInt) srgb.getRaster().getDataBuffer()).getData());
				}
				BufferedImage upright = orientation.apply(srgb);
				return cropToSquare(upright);
			}
			catch (EOFException ex) {
				throw new UndecodableImageException("not a decodable " + formatName + ": truncated data", ex);
			}
			catch (IIOException | RuntimeException ex) {
				// Decoders report corrupt data with IIOException or, for some inputs, unchecked exceptions.
				throw new UndecodableImageException("not a decodable " + formatName + ": " + describe(ex), ex);
			}
			catch (IOException ex) {
				// Some say it with a plain IOException (TwelveMonkeys' lossless JPEG decoder: "index=-80 in
				// getn()"). The file was opened and is still there, so it is the data: retrying cannot help.
				if (!Files.isReadable(original)) {
					throw ex;
				}
				throw new UndecodableImageException("not a decodable " + formatName + ": " + describe(ex), ex);
			}
			finally {
				reader.dispose();
			}
		}
	}

	private int largestSize() {
		return this.sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
	}

	private static String formatName(ImageReader reader) {
		try {
			return reader.getFormatName().toUpperCase(Locale.ROOT).replace("JPG", "JPEG");
		}
		catch (IOException ex) {
			return "image";
		}
	}

	private static IIOReadWarningListener collectInto(List<String> warnings) {
		return (source, warning) -> warnings.add(warning);
	}

	private static boolean meansTruncated(String warning) {
		String lower = warning.toLowerCase(Locale.ROOT);
		return lower.contains("premature end") || lower.contains("truncated");
	}

	private static String describe(Exception ex) {
		String message = ex.getMessage();
		if (message == null || message.isBlank()) {
			return "damaged data";
		}
		if (meansTruncated(message) || ex.getCause() instanceof EOFException) {
			return "truncated data";
		}
		// Decoder messages are terse but meaningful ("Unsupported JPEG process"); keep them short and path-free.
		String firstLine = message.lines().findFirst().orElse(message);
		return firstLine.length() > 120 ? firstLine.substring(0, 120) : firstLine;
	}

	/**
	 * Draws any decoded image (CMYK converted by the decoder, 16-bit, indexed, grey) into 8-bit sRGB, keeping an
	 * alpha channel only where the source has one.
	 */
	private static BufferedImage toSrgb(BufferedImage decoded) {
		int type = decoded.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
		if (decoded.getType() == type) {
			return decoded;
		}
		BufferedImage converted = new BufferedImage(decoded.getWidth(), decoded.getHeight(), type);
		Graphics2D g = converted.createGraphics();
		g.drawImage(decoded, 0, 0, null);
		g.dispose();
		return converted;
	}

	/** Subsampling can leave the decoded crop a pixel off square. */
	private static BufferedImage cropToSquare(BufferedImage image) {
		int side = Math.min(image.getWidth(), image.getHeight());
		if (image.getWidth() == side && image.getHeight() == side) {
			return image;
		}
		return image.getSubimage((image.getWidth() - side) / 2, (image.getHeight() - side) / 2, side, side);
	}

	/** True when some pixel is not fully opaque; an alpha channel that is opaque everywhere does not count. */
	private static boolean hasRealTransparency(BufferedImage image) {
		if (!image.getColorModel().hasAlpha()) {
			return false;
		}
		int[] row = new int[image.getWidth()];
		for (int y = 0; y < image.getHeight(); y++) {
			image.getRGB(0, y, row.length, 1, row, 0, row.length);
			for (int argb : row) {
				if ((argb >>> 24) != 0xFF) {
					return true;
				}
			}
		}
		return false;
	}

	private byte[] encode(BufferedImage square, int size, Thumbnail.OutputFormat format) throws IOException {
		BufferedImage source = square;
		if (format == Thumbnail.OutputFormat.JPEG && square.getColorModel().hasAlpha()) {
			source = flatten(square);
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream(size * size / 4);
		Thumbnails.Builder<BufferedImage> builder = Thumbnails.of(source)
			.forceSize(size, size)
			.antialiasing(net.coobird.thumbnailator.resizers.configurations.Antialiasing.ON)
			.rendering(net.coobird.thumbnailator.resizers.configurations.Rendering.QUALITY)
			.outputFormat(format.extension());
		if (format == Thumbnail.OutputFormat.JPEG) {
			builder.outputQuality(this.jpegQuality);
		}
		builder.toOutputStream(out);
		return out.toByteArray();
	}

	/** The square at this size, round (see {@link CircleMask}), as PNG. */
	private static byte[] encodeCircle(BufferedImage square, int size) throws IOException {
		BufferedImage resized = Thumbnails.of(square)
			.forceSize(size, size)
			.antialiasing(net.coobird.thumbnailator.resizers.configurations.Antialiasing.ON)
			.rendering(net.coobird.thumbnailator.resizers.configurations.Rendering.QUALITY)
			.asBufferedImage();
		return PngEncoder.ROUND.encode(size, size, PngEncoder.ColourType.RGBA, CircleMask.rgba(resized));
	}

	private static BufferedImage flatten(BufferedImage image) {
		BufferedImage opaque = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
		Graphics2D g = opaque.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
		g.drawImage(image, 0, 0, java.awt.Color.WHITE, null);
		g.dispose();
		return opaque;
	}

}
