package dev.avatars.avatar;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Width and height as an image's header states them, read without decoding a single pixel. */
record ImageHeader(int width, int height) {

	long pixels() {
		return (long) this.width * this.height;
	}

	/** @throws IOException when no reader can make sense of the header */
	static ImageHeader read(Path file, ImageFormat format) throws IOException {
		try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
			if (input == null) {
				throw new IOException("cannot open");
			}
			Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name());
			if (!readers.hasNext()) {
				throw new IOException("no reader for " + format);
			}
			ImageReader reader = readers.next();
			try {
				reader.setInput(input, true, true);
				return new ImageHeader(reader.getWidth(0), reader.getHeight(0));
			}
			catch (RuntimeException ex) {
				// Some readers signal malformed headers with unchecked exceptions.
				throw new IOException(ex);
			}
			finally {
				reader.dispose();
			}
		}
	}

}
