package dev.avatars.thumbnail;

import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.avatars.imageinfo.ExifOrientation;

/**
 * The EXIF orientation (1–8): how the stored pixels must be turned to stand upright. Decoders hand us the stored
 * pixels; phone photos are mostly stored sideways with orientation 6.
 */
public enum Orientation {

	NORMAL, FLIP_HORIZONTAL, ROTATE_180, FLIP_VERTICAL, TRANSPOSE, ROTATE_90_CW, TRANSVERSE, ROTATE_90_CCW;

	/** Orientations 5–8 swap width and height. */
	public boolean swapsAxes() {
		return ordinal() >= TRANSPOSE.ordinal();
	}

	public static Orientation read(Path file) {
		try (InputStream in = Files.newInputStream(file)) {
			return read(in);
		}
		catch (IOException ex) {
			return NORMAL;
		}
	}

	/**
	 * Reads the orientation from the start of an image file; the stream is left open. Bounded whatever the file
	 * holds: only the first IFD's Orientation tag is read (see {@link ExifOrientation}).
	 */
	static Orientation read(InputStream in) {
		try {
			int value = ExifOrientation.read(in);
			return (value >= 1) ? values()[value - 1] : NORMAL;
		}
		catch (IOException ex) {
			return NORMAL; // missing or unreadable metadata: the pixels are what they are
		}
	}

	/**
	 * Maps a rectangle given in upright coordinates to the stored image's coordinates.
	 * @param width stored width
	 * @param height stored height
	 */
	Rectangle toStored(Rectangle upright, int width, int height) {
		int x = upright.x;
		int y = upright.y;
		int w = upright.width;
		int h = upright.height;
		return switch (this) {
			case NORMAL -> new Rectangle(x, y, w, h);
			case FLIP_HORIZONTAL -> new Rectangle(width - x - w, y, w, h);
			case ROTATE_180 -> new Rectangle(width - x - w, height - y - h, w, h);
			case FLIP_VERTICAL -> new Rectangle(x, height - y - h, w, h);
			case TRANSPOSE -> new Rectangle(y, x, h, w);
			case ROTATE_90_CW -> new Rectangle(y, height - x - w, h, w);
			case TRANSVERSE -> new Rectangle(width - y - h, height - x - w, h, w);
			case ROTATE_90_CCW -> new Rectangle(width - y - h, x, h, w);
		};
	}

	/** Turns stored pixels upright. */
	BufferedImage apply(BufferedImage stored) {
		if (this == NORMAL) {
			return stored;
		}
		int w = stored.getWidth();
		int h = stored.getHeight();
		AffineTransform t = switch (this) {
			case NORMAL -> new AffineTransform();
			case FLIP_HORIZONTAL -> new AffineTransform(-1, 0, 0, 1, w, 0);
			case ROTATE_180 -> new AffineTransform(-1, 0, 0, -1, w, h);
			case FLIP_VERTICAL -> new AffineTransform(1, 0, 0, -1, 0, h);
			case TRANSPOSE -> new AffineTransform(0, 1, 1, 0, 0, 0);
			case ROTATE_90_CW -> new AffineTransform(0, 1, -1, 0, h, 0);
			case TRANSVERSE -> new AffineTransform(0, -1, -1, 0, h, w);
			case ROTATE_90_CCW -> new AffineTransform(0, -1, 1, 0, 0, w);
		};
		int outW = swapsAxes() ? h : w;
		int outH = swapsAxes() ? w : h;
		BufferedImage upright = new BufferedImage(outW, outH, stored.getType());
		return new AffineTransformOp(t, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(stored, upright);
	}

}
