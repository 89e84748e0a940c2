package dev.avatars.thumbnail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file read whole into this thread's buffer, which is reused from file to file: photos are megabytes, and a
 * worker renders one after another. Valid until the thread reads the next file.
 */
record FileBytes(byte[] bytes, int length) {

	/** Larger files (the upload limit is far below) are left to the decoders that stream. */
	private static final int MAX_BYTES = 64 * 1024 * 1024;

	private static final int READ_SLICE = 256 * 1024;

	private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[0]);

	/** @return the file's bytes, or {@code null} when it is larger than 64 MB */
	static FileBytes read(Path file) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			long size = channel.size();
			if (size > MAX_BYTES) {
				return null;
			}
			byte[] buffer = BUFFERS.get();
			if (buffer.length < size) {
				// Whole megabytes, so a slightly larger photo next time does not allocate again.
				buffer = new byte[(int) Math.min(MAX_BYTES, (size | 0xFFFFF) + 1)];
				BUFFERS.set(buffer);
			}
			ByteBuffer target = ByteBuffer.wrap(buffer, 0, (int) size);
			while (target.position() < size) {
				// In slices: the JDK reads a heap buffer through a native one of the same size, which it keeps.
				target.limit((int) Math.min(target.position() + READ_SLICE, size));
				if (channel.read(target) < 0) {
					break;
				}
			}
			return new FileBytes(buffer, target.position());
		}
	}

	ByteBuffer buffer() {
		return ByteBuffer.wrap(this.bytes, 0, this.length);
	}

	InputStream stream() {
		return new ByteArrayInputStream(this.bytes, 0, this.length);
	}

}
