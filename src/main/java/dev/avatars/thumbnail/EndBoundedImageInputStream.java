package dev.avatars.thumbnail;

import java.io.File;
import java.io.IOException;

import javax.imageio.IIOException;
import javax.imageio.stream.FileImageInputStream;

/**
 * A file's image input stream that answers "end of data" a limited number of times, then throws.
 *
 * <p>TwelveMonkeys' lossless WebP bit reader (imageio-webp 3.14.0, {@code LSBBitReader.refillBuffer}) catches the
 * {@code EOFException} of a read past the end and goes on: a 38-byte file claiming 300×300 pixels is "decoded"
 * pixel by pixel from nothing, one exception per read, for 8 seconds (docs/FUZZING.md, docs/LIMITS.md). Decoders
 * of real files read past the end a few times at most (bit readers fill ahead); after
 * {@value #MAX_READS_PAST_END} the data is missing, which {@link JavaRenderer} reports as undecodable.
 */
final class EndBoundedImageInputStream extends FileImageInputStream {

	static final int MAX_READS_PAST_END = 1000;

	private int readsPastEnd;

	EndBoundedImageInputStream(File file) throws IOException {
		super(file);
	}

	@Override
	public int read() throws IOException {
		int b = super.read();
		if (b < 0) {
			pastEnd();
		}
		return b;
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		int n = super.read(b, off, len);
		if (n < 0) {
			pastEnd();
		}
		return n;
	}

	private void pastEnd() throws IIOException {
		if (++this.readsPastEnd > MAX_READS_PAST_END) {
			throw new IIOException("truncated data: read past its end " + MAX_READS_PAST_END + " times");
		}
	}

}
