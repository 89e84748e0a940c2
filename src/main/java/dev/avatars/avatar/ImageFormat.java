package dev.avatars.avatar;

import java.util.Arrays;
import java.util.Optional;

import dev.avatars.imageinfo.IsoMediaFormat;
import org.springframework.http.HttpStatus;

/**
 * The formats an upload may be, recognised by their magic bytes only: a client's file name and Content-Type are
 * claims, not facts.
 */
public enum ImageFormat {

	JPEG("jpg"), PNG("png"), GIF("gif"), WEBP("webp"), BMP("bmp");

	/** Enough leading bytes for every signature below, and to name a HEIC or AVIF file. */
	static final int SIGNATURE_LENGTH = IsoMediaFormat.HEAD_LENGTH;

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

	/**
	 * Why a file that is none of these is refused: HEIC and AVIF by name, with the way out (Safari on iOS and
	 * macOS converts HEIC to JPEG when the page asks for JPEG); anything else as not a supported image.
	 */
	static UploadRejectedException refusal(byte[] head) {
		return IsoMediaFormat.of(head)
			.map((format) -> new UploadRejectedException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					format + " is not supported", IsoMediaFormat.refusal(format)))
			.orElseGet(() -> new UploadRejectedException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Not a supported image",
					"The file is not a JPEG, PNG, GIF, WebP or BMP image."));
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
