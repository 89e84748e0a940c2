package dev.avatars.thumbnail;

import java.awt.Rectangle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.avatars.jpeg.JpegEncoder;
import dev.avatars.jpeg.ReducedJpegDecoder;
import dev.avatars.png.PngEncoder;
import org.opencv.core.Core;
import org.opencv.core.CvException;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * The fast path: a JPEG is decoded at 1/2, 1/4 or 1/8 of its size, so a 12-megapixel photo costs the work of a
 * few hundred thousand pixels; OpenCV crops, resizes and encodes. The decode scale is the smallest reduction
 * that still leaves the largest thumbnail size on the crop's side. At 1/8, where phone photos land,
 * {@link ReducedJpegDecoder} decodes (faster than libjpeg-turbo there, as it skips what 1/8 does not need), and
 * at 1/4 progressive files (it keeps only the coefficients the output needs, and passes over the refining bits
 * of the others in bulk); otherwise libjpeg-turbo inside OpenCV scales while it decodes (DCT scaling; at 1/4
 * faster than the Java decoder on baseline files), and decodes PNG and WebP. Orientation, crop square and scale come from {@link Photo}, as on the
 * Java path. The square thumbnails are encoded by {@link JpegEncoder}, which writes what OpenCV's encoder wrote
 * in about 60% of its time (OpenCV's bundled libjpeg has no SIMD; docs/BENCHMARKS.md, "Encoding the square
 * thumbnails").
 *
 * <p>Every {@link Mat} is released in a {@code finally}: native memory never waits for the garbage collector.
 */
final class OpenCvRenderer {

	/** Decoding more than this (3 bytes each) is left to the Java path, which decodes only the crop square. */
	private static final long MAX_DECODED_PIXELS = 25_000_000;

	private final List<Integer> sizes;

	private final int largest;

	private final float jpegQuality;

	private final JpegReducer reducer;

	OpenCvRenderer(List<Integer> sizes, float jpegQuality, JpegReducer reducer) {
		this.sizes = sizes;
		this.reducer = reducer;
		this.largest = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
		this.jpegQuality = jpegQuality;
	}

	/** The square thumbnails of the photo's own square; {@code null} as below. */
	List<Thumbnail> render(Photo photo) throws IOException {
		Rendering rendering = render(photo, null, null, false);
		return (rendering != null) ? rendering.squares() : null;
	}

	/**
	 * @param chosen the square the person chose, or {@code null}
	 * @param detector where to look for faces when none was chosen; {@code null}: the centre square
	 * @param circles whether to make the round variants too
	 * @return the rendering, or {@code null} when OpenCV cannot decode the photo or it would decode to too many
	 * pixels: the pure-Java path then gives the verdict
	 */
	Rendering render(Photo photo, Crop chosen, FaceDetector detector, boolean circles) throws IOException {
		int reduction = photo.reduction(this.largest);
		if (tooLarge(photo, reduction)) {
			return null;
		}

		Mat decoded = null;
		Mat region = null;
		Mat upright = null;
		List<Mat> renderings = new ArrayList<>(this.sizes.size());
		try {
			decoded = decode(photo, reduction);
			if (decoded.empty()) {
				return null;
			}
			Framing framing;
			if (chosen != null) {
				framing = Framing.chosen(chosen);
			}
			else if (detector == null) {
				framing = Framing.centre(photo.uprightWidth(), photo.uprightHeight(), 0);
			}
			else {
				// Faces are looked for on the picture already decoded small; a face's square, smaller than the
				// centre one, may need a finer scale, decoded once more.
				framing = detector.frame(decoded, photo.orientation(), photo.uprightWidth(), photo.uprightHeight());
				if (framing.kind() == Framing.Kind.FACE) {
					photo = photo.withCrop(framing.square());
					int finer = photo.reduction(this.largest);
					if (finer != reduction) {
						if (tooLarge(photo, finer)) {
							return null;
						}
						decoded.release();
						decoded = decode(photo, finer);
						if (decoded.empty()) {
							return null;
						}
					}
				}
			}
			Rectangle square = photo.storedIn(decoded.cols(), decoded.rows());
			region = decoded.submat(new Rect(square.x, square.y, square.width, square.height));
			upright = turnUpright(region, photo.orientation());
			List<Thumbnail> thumbnails = new ArrayList<>(this.sizes.size());
			List<Thumbnail> rounds = new ArrayList<>(circles ? this.sizes.size() : 0);
			for (int size : this.sizes) {
				// Each size from the smallest rendering still at least as large (256 → 128 → 64 halves exactly,
				// which OpenCV's area filter does fastest), not each from the whole square.
				Mat from = smallestAtLeast(upright, renderings, size);
				Mat resized = new Mat();
				renderings.add(resized);
				Imgproc.resize(from, resized, new Size(size, size), 0, 0, interpolation(from.cols(), size));
				// The pixels out of the Mat once, for both encoders.
				byte[] bgr = new byte[size * size * 3];
				resized.get(0, 0, bgr);
				ColourTransform colour = photo.source().colour();
				if (from == upright && colour != null) {
					// An embedded profile's conversion on the largest thumbnail, not the larger square: a
					// fraction of the pixels; put back, the smaller sizes are made from it already converted.
					colour.apply(bgr, 0, size * size, true);
					resized.put(0, 0, bgr);
				}
				thumbnails.add(new Thumbnail(size, Thumbnail.OutputFormat.JPEG,
						JpegEncoder.encode(bgr, size, size, this.jpegQuality)));
				if (circles) {
					rounds.add(new Thumbnail(size, Thumbnail.OutputFormat.CIRCLE_PNG, circle(bgr, size)));
				}
			}
			return new Rendering(thumbnails, rounds, framing);
		}
		catch (CvException ex) {
			// OpenCV refused the data; the Java path decides whether it is an image at all.
			return null;
		}
		finally {
			if (upright != null && upright != region) {
				upright.release();
			}
			if (region != null) {
				region.release();
			}
			if (decoded != null) {
				decoded.release();
			}
			renderings.forEach(Mat::release);
		}
	}

	private static boolean tooLarge(Photo photo, int reduction) {
		NativeSource source = photo.source();
		return (long) source.width() * source.height() / ((long) reduction * reduction) > MAX_DECODED_PIXELS;
	}

	/**
	 * The square rendering as a round PNG (see {@link CircleMask}), written by {@link PngEncoder}: OpenCV's own
	 * PNG encoder took twice as long (docs/FACES.md, "Cutting the cost").
	 */
	private static byte[] circle(byte[] bgr, int size) {
		return PngEncoder.ROUND.encodeBgr(size, size, bgr, CircleMask.coverage(size));
	}

	/**
	 * The area filter from 1.5× down, bicubic below (and up): a 2 MP photo's 300 px square at 1/4 shrinks 1.17×
	 * to 256, a 12 MP photo's 375 px square at 1/8 1.46×. There OpenCV's area filter, not at a whole ratio, is
	 * four to five times bicubic's time and the blurrier: against a Lanczos thumbnail of the full-size square,
	 * bicubic is on average 1–4 dB closer below 1.5×, area closer from about 1.55× (docs/BENCHMARKS.md, "Phone
	 * photos"). The reduced decode has already averaged each block, so little is left there to alias.
	 */
	static int interpolation(int from, int to) {
		return (from * 2 >= to * 3) ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC;
	}

	private static Mat smallestAtLeast(Mat square, List<Mat> renderings, int size) {
		Mat best = square;
		for (Mat rendering : renderings) {
			if (rendering.cols() >= size && rendering.cols() < best.cols()) {
				best = rendering;
			}
		}
		return best;
	}

	/**
	 * The photo at 1/{@code reduction}: by {@link ReducedJpegDecoder} where it reads the file, at 1/8 and, for a
	 * progressive file, at 1/4; else by OpenCV.
	 */
	private Mat decode(Photo photo, int reduction) {
		boolean ours = reduction == 8 || (reduction == 4 && photo.source().progressive());
		ReducedJpegDecoder.Reduced reduced = ours ? photo.decoded(this.largest, this.reducer) : null;
		if (reduced != null) {
			Mat decoded = new Mat(reduced.height(), reduced.width(), CvType.CV_8UC3);
			decoded.put(0, 0, reduced.bgr());
			return decoded;
		}
		FileBytes file = photo.file();
		Mat encoded = new Mat(1, file.length(), CvType.CV_8UC1);
		try {
			encoded.put(0, 0, file.bytes(), 0, file.length());
			return Imgcodecs.imdecode(encoded, decodeFlags(reduction));
		}
		finally {
			encoded.release();
		}
	}

	private static int decodeFlags(int reduction) {
		int colour = switch (reduction) {
			case 8 -> Imgcodecs.IMREAD_REDUCED_COLOR_8;
			case 4 -> Imgcodecs.IMREAD_REDUCED_COLOR_4;
			case 2 -> Imgcodecs.IMREAD_REDUCED_COLOR_2;
			default -> Imgcodecs.IMREAD_COLOR;
		};
		// Orientation is applied by our own code, the same as on the Java path.
		return colour | Imgcodecs.IMREAD_IGNORE_ORIENTATION;
	}

	/** Returns {@code stored} itself when it is already upright, else a new Mat the caller releases. */
	static Mat turnUpright(Mat stored, Orientation orientation) {
		if (orientation == Orientation.NORMAL) {
			return stored;
		}
		Mat upright = new Mat();
		switch (orientation) {
			case FLIP_HORIZONTAL -> Core.flip(stored, upright, 1);
			case ROTATE_180 -> Core.rotate(stored, upright, Core.ROTATE_180);
			case FLIP_VERTICAL -> Core.flip(stored, upright, 0);
			case TRANSPOSE -> Core.transpose(stored, upright);
			case ROTATE_90_CW -> Core.rotate(stored, upright, Core.ROTATE_90_CLOCKWISE);
			case TRANSVERSE -> {
				Core.transpose(stored, upright);
				Core.flip(upright, upright, -1);
			}
			case ROTATE_90_CCW -> Core.rotate(stored, upright, Core.ROTATE_90_COUNTERCLOCKWISE);
			case NORMAL -> throw new IllegalStateException();
		}
		return upright;
	}

}
