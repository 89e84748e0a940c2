package dev.avatars.thumbnail;

import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Path;

import dev.avatars.jpeg.ReducedJpegDecoder;

/**
 * An ordinary photo (see {@link NativeSource}) read whole, with what both renderers need before decoding: its
 * orientation, the crop square, upright and in stored coordinates, and the scale to decode it at.
 */
record Photo(FileBytes file, NativeSource source, Orientation orientation, Rectangle square, Rectangle stored) {

	private static final int[] REDUCTIONS = { 8, 4, 2 };

	/** @return the photo, or {@code null} when the file is not an ordinary photo (or larger than 64 MB) */
	static Photo read(Path path, Crop crop) throws IOException {
		FileBytes file = FileBytes.read(path);
		return (file != null) ? of(file, crop) : null;
	}

	/** @return the photo of a file already read, or {@code null} when it is not an ordinary photo */
	static Photo of(FileBytes file, Crop crop) {
		NativeSource source = NativeSource.inspect(file.buffer());
		if (source == null) {
			return null;
		}
		Orientation orientation = Orientation.read(file.stream());
		boolean sideways = orientation.swapsAxes();
		Rectangle square = Crop.square(crop, sideways ? source.height() : source.width(),
				sideways ? source.width() : source.height());
		return new Photo(file, source, orientation, square, orientation.toStored(square, source.width(),
				source.height()));
	}

	int uprightWidth() {
		return this.orientation.swapsAxes() ? this.source.height() : this.source.width();
	}

	int uprightHeight() {
		return this.orientation.swapsAxes() ? this.source.width() : this.source.height();
	}

	/** The same photo with another square kept. */
	Photo withCrop(Crop crop) {
		Rectangle square = Crop.square(crop, uprightWidth(), uprightHeight());
		return new Photo(this.file, this.source, this.orientation, square,
				this.orientation.toStored(square, this.source.width(), this.source.height()));
	}

	/**
	 * The scale to decode at, 1/{@code n}: for a JPEG the largest of 8, 4 and 2 that still leaves {@code largest}
	 * pixels on the crop square's side; 1 for PNG and WebP, which cannot scale while decoding.
	 */
	int reduction(int largest) {
		return (this.source.kind() == NativeSource.Kind.JPEG) ? reduction(this.square.width, largest) : 1;
	}

	static int reduction(int cropSide, int largest) {
		for (int reduction : REDUCTIONS) {
			if (cropSide / reduction >= largest) {
				return reduction;
			}
		}
		return 1;
	}

	/**
	 * The photo decoded by {@code reducer} (the {@link ReducedJpegDecoder} unless switched off) when its scale is
	 * 1/8 or 1/4 and the decoder reads it; else null.
	 */
	ReducedJpegDecoder.Reduced decoded(int largest, JpegReducer reducer) {
		int reduction = reduction(largest);
		return (reduction == 8 || reduction == 4) ? reducer.decode(this.file.bytes(), this.file.length(), reduction)
				: null;
	}

	/** The stored square in the photo decoded to {@code cols} × {@code rows} pixels, kept square and inside. */
	Rectangle storedIn(int cols, int rows) {
		double sx = cols / (double) this.source.width();
		double sy = rows / (double) this.source.height();
		int side = (int) Math.max(1, Math.min(Math.min(Math.round(this.stored.width * sx),
				Math.round(this.stored.height * sy)), Math.min(cols, rows)));
		int x = (int) Math.max(0, Math.min(Math.round(this.stored.x * sx), cols - side));
		int y = (int) Math.max(0, Math.min(Math.round(this.stored.y * sy), rows - side));
		return new Rectangle(x, y, side, side);
	}

}
