package dev.avatars.thumbnail;

import java.util.List;

import dev.avatars.thumbnail.FaceDetector.Face;

/**
 * Where a head-and-shoulders square goes around the faces found: plain geometry on the upright picture, the same
 * whichever engine renders it.
 *
 * <p>The largest face's box (BlazeFace's runs from the eyebrows to the chin) is grown to {@value #GROWTH} times its
 * longer side, and the face's centre put a little above the square's centre ({@value #FACE_AT} of the side from
 * the top), which leaves room for hair above and shoulders below. Faces at least a quarter the largest one's
 * area count as the group: when the square around them all (with the same margins) fits in the picture, it is
 * taken instead. The square is then clamped inside the picture, shrinking only when the picture is too small.
 */
final class FaceFraming {

	static final double GROWTH = 2.6;

	static final double FACE_AT = 0.42;

	/** Faces smaller than this share of the largest one's area are background, not the group. */
	private static final double GROUP_SHARE = 0.25;

	private FaceFraming() {
	}

	/**
	 * @param faces largest first, in fractions of the upright picture
	 * @return the square to keep, or {@code null} when there is no face
	 */
	static Crop frame(List<Face> faces, int width, int height) {
		if (faces.isEmpty()) {
			return null;
		}
		Face largest = faces.get(0);
		double shorter = Math.min(width, height);
		double left = Double.MAX_VALUE;
		double top = Double.MAX_VALUE;
		double right = -Double.MAX_VALUE;
		double bottom = -Double.MAX_VALUE;
		int members = 0;
		for (Face face : faces) {
			if (face.area() >= largest.area() * GROUP_SHARE) {
				left = Math.min(left, face.x() * width);
				top = Math.min(top, face.y() * height);
				right = Math.max(right, (face.x() + face.width()) * width);
				bottom = Math.max(bottom, (face.y() + face.height()) * height);
				members++;
			}
		}
		double faceSide = Math.max(largest.width() * width, largest.height() * height);
		if (members > 1) {
			// The group's box with the margins one face would get around it.
			double margin = (GROWTH - 1) * faceSide;
			double side = Math.max(right - left, bottom - top) + margin;
			if (side <= shorter) {
				return place((left + right) / 2, (top + bottom) / 2, side, width, height);
			}
		}
		return place(largest.centreX() * width, largest.centreY() * height, GROWTH * faceSide, width, height);
	}

	/** The square of this side with the box's centre at {@link #FACE_AT} of it from the top, clamped inside. */
	private static Crop place(double centreX, double centreY, double side, int width, int height) {
		double shorter = Math.min(width, height);
		double s = Math.min(Math.max(side, 1), shorter);
		double x = Math.max(0, Math.min(centreX - s / 2, width - s));
		double y = Math.max(0, Math.min(centreY - FACE_AT * s, height - s));
		return new Crop(clamp(x / width), clamp(y / height), clamp(s / shorter));
	}

	private static double clamp(double fraction) {
		return Math.max(0, Math.min(1, fraction));
	}

}
