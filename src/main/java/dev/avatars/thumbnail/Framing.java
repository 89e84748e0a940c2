package dev.avatars.thumbnail;

/**
 * Which square a rendering kept, and why: the one the person chose, the one framed on a face, or the centre one.
 *
 * @param kind why this square
 * @param square the square, in the fractions of {@link Crop}
 * @param face the largest face found, as fractions of the upright picture's width and height; {@code null} when
 * none was found or looked for
 * @param faces how many faces were found (0 when none was looked for)
 */
public record Framing(Kind kind, Crop square, Box face, int faces) {

	public enum Kind {

		/** The square the person chose on upload. */
		CHOSEN,
		/** Framed on the face, or on the group of faces, that detection found. */
		FACE,
		/** The centre square: no face found, or detection off or unavailable. */
		CENTRE

	}

	/** A box as fractions of the upright picture's width ({@code x}, {@code width}) and height. */
	public record Box(double x, double y, double width, double height) {
	}

	static Framing chosen(Crop crop) {
		return new Framing(Kind.CHOSEN, crop, null, 0);
	}

	static Framing centre(int width, int height, int faces) {
		return new Framing(Kind.CENTRE, Crop.centreOf(width, height), null, faces);
	}

	/**
	 * The framing for faces found (largest first) in an upright picture of this size: on them, or the centre
	 * square when the list is empty.
	 */
	static Framing of(java.util.List<FaceDetector.Face> faces, int width, int height) {
		Crop square = FaceFraming.frame(faces, width, height);
		if (square == null) {
			return centre(width, height, 0);
		}
		FaceDetector.Face largest = faces.get(0);
		return new Framing(Kind.FACE, square, new Box(largest.x(), largest.y(), largest.width(), largest.height()),
				faces.size());
	}

}
