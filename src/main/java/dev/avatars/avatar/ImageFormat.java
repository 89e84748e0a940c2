package dev.avatars.avatar;

import java.util.Arrays;
import java.util.Optional;

/**
 * The formats an upload may be, recognised by their magic bytes only: a client's file name and Content-Type are
 * claims, not facts.
 */
public enum ImageFormat {

	JPEG("jpg"), PNG("png"), GIF("gif"), WEBP("webp"), BMP("bmp");

	/** Enough leading bytes for every signature below. */
	static final int SIGNATURE_LENGTH = 18;

	private final String extension;

	ImageFormat(String extension) {
		this.extension = extension;
	}

	public String extension() {
		return this.extension;
	}

	static Optional<ImageFormat> sniff(byte[] head) {
		if (startsWith(head, 0, 0xFF, 0xD8, 0xFF)) {
			return Optional.of(JPEG);
		}
		if (startsWith(head, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
			return Optional.of(PNG);
		}
		if (startsWith(head, 0, 'G', 'I', 'F', '8', '7', 'a') || startsWith(head, 0, 'G', 'I', 'F', '8', '9', 'a')) {
			return Optional.of(GIF);
		}
		if (startsWith(head, 0, 'R', 'I', 'F', 'F') && startsWith(head, 8, 'W', 'E', 'B', 'P')) {
			return Optional.of(WEBP);
		}
		if (startsWith(head, 0, 'B', 'M') && isBmpInfoHeaderSize(head)) {
			return Optional.of(BMP);
		}
		return Optional.empty();
	}

	/** "BM" alone is too weak a signature; the DIB header size that follows it has only a few legal values. */
	private static boolean isBmpInfoHeaderSize(byte[] head) {
		if (head.length < 18) {
			return false;
		}
		int size = (head[14] & 0xFF) | (head[15] & 0xFF) << 8 | (head[16] & 0xFF) << 16 | (head[17] & 0xFF) << 24;
		return Arrays.asList(12, 40, 52, 56, 64, 108, 124).contains(size);
	}

	private static boolean startsWith(byte[] data, int offset, int... expected) {
		if (data.length < offset + expected.length) {
			return false;
		}
		for (int i = 0; i < expected.length; i++) {
			if ((data[offset + i] & 0xFF) != expected[i]) {
				return false;
			}
		}
		return true;
	}

}
