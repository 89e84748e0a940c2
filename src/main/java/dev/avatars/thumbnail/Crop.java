package dev.avatars.thumbnail;

import java.awt.Rectangle;

/**
 * A square chosen within the upright picture: its top-left corner as fractions of the picture's width
 * ({@code x}) and height ({@code y}), its side as a fraction of the picture's shorter side ({@code size}).
 */
public record Crop(double x, double y, double size) {

	/** Room for the rounding of fractions that a browser computed from pixels. */
	private static final double TOLERANCE = 1e-6;

	public Crop {
		if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1 && size > 0 && size <= 1)) {
			throw new IllegalArgumentException("Crop out of range: " + x + ", " + y + ", " + size);
		}
	}

	/** Whether the square lies inside a picture of this upright size. */
	public boolean fits(int width, int height) {
		double side = this.size * Math.min(width, height);
		return this.x * width + side <= width * (1 + TOLERANCE) && this.y * height + side <= height * (1 + TOLERANCE);
	}

	/** The square in pixels, clamped into the picture. */
	Rectangle in(int width, int height) {
		int side = Math.max(1, Math.min((int) Math.round(this.size * Math.min(width, height)), Math.min(width, height)));
		int left = Math.min((int) Math.round(this.x * width), width - side);
		int top = Math.min((int) Math.round(this.y * height), height - side);
		return new Rectangle(left, top, side, side);
	}

	/** The chosen square in pixels, or the centre square when none was chosen. */
	static Rectangle square(Crop crop, int width, int height) {
		return (crop != null) ? crop.in(width, height) : centre(width, height);
	}

	/** The centre square of an upright picture of this size, as fractions. */
	static Crop centreOf(int width, int height) {
		int side = Math.min(width, height);
		return new Crop(((width - side) / 2) / (double) width, ((height - side) / 2) / (double) height, 1);
	}

	static Rectangle centre(int width, int height) {
		int side = Math.min(width, height);
		return new Rectangle((width - side) / 2, (height - side) / 2, side, side);
	}

}
