package dev.avatars.imageinfo;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Pictures in an ISO media file (HEIF), which no decoder here reads: HEIC, as iPhones store photos, and AVIF.
 * Recognised by the {@code ftyp} box that opens them, so that a refusal can name the format and the way out.
 */
public final class IsoMediaFormat {

	/** Leading bytes enough for the {@code ftyp} box's major brand and its first several compatible brands. */
	public static final int HEAD_LENGTH = 64;

	private IsoMediaFormat() {
	}

	/**
	 * @param head the file's first bytes (up to {@link #HEAD_LENGTH})
	 * @return "HEIC", "AVIF" or "HEIF" (another HEIF picture), or empty when the file is none of these
	 */
	public static Optional<String> of(byte[] head) {
		if (head.length < 12 || !brandAt(head, 4, "ftyp")) {
			return Optional.empty();
		}
		long boxSize = ((head[0] & 0xFFL) << 24) | ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
		int end = (int) Math.min(head.length, Math.max(12, boxSize));
		boolean heif = false;
		// The major brand at 8, the minor version at 12, then the compatible brands.
		for (int at = 8; at + 4 <= end; at += (at == 8) ? 8 : 4) {
			String brand = new String(head, at, 4, StandardCharsets.ISO_8859_1);
			switch (brand) {
				case "avif", "avis" -> {
					return Optional.of("AVIF");
				}
				case "heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs" -> {
					return Optional.of("HEIC");
				}
				case "mif1", "msf1", "mif2" -> heif = true;
				default -> {
				}
			}
		}
		return heif ? Optional.of("HEIF") : Optional.empty();
	}

	/** What a person is told when they send one. */
	public static String refusal(String format) {
		return format + " pictures are not supported; send a JPEG, PNG or WebP.";
	}

	private static boolean brandAt(byte[] head, int at, String brand) {
		for (int i = 0; i < 4; i++) {
			if (head[at + i] != brand.charAt(i)) {
				return false;
			}
		}
		return true;
	}

}
