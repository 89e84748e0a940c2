package dev.avatars.thumbnail;

import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An ordinary photo (see {@link NativeSource}) read whole, with what both renderers need before decoding: its
 * orientation and the crop square, upright and in stored coordinates.
 */
record Photo(FileBytes file, NativeSource source, Orientation orientation, Rectangle square, Rectangle stored) {

	/** @return the photo, or {@code null} when the file is not an ordinary photo (or larger than 64 MB) */
	static Photo read(Path path, Crop crop) throws IOException {
		FileBytes file = FileBytes.read(path);
		NativeSource source = (file != null) ? NativeSource.inspect(file.buffer()) : null;
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

	/**
	 * The photo at 1/8 by {@link DcJpegDecoder}, when it is a JPEG whose square still keeps {@code largest} pixels
	 * on its side at 1/8 and the decoder reads it; else {@code null}.
	 */
	DcJpegDecoder.Eighth eighth(int largest) {
		if (this.source.kind() != NativeSource.Kind.JPEG || this.square.width / 8 < largest) {
			return null;
		}
		return DcJpegDecoder.decode(this.file.bytes(), this.file.length());
	}

	/** The stored square in the photo decoded to {@code cols} × {@code rows} pixels. */
	Rectangle storedIn(int cols, int rows) {
		return Crop.scaled(this.stored, cols / (double) this.source.width(), rows / (double) this.source.height(),
				cols, rows);
	}

}
