package dev.avatars.avatar;

/** Byte counts and pixel counts as people say them. */
final class Sizes {

	private Sizes() {
	}

	static String describe(long bytes) {
		if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
			return (bytes / (1024 * 1024)) + " MB";
		}
		if (bytes >= 1024 * 1024) {
			return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
		}
		if (bytes >= 1024) {
			return (bytes / 1024) + " KB";
		}
		return bytes + " bytes";
	}

	static String megapixels(long pixels) {
		double mp = pixels / 1_000_000.0;
		return (mp == Math.rint(mp) ? String.valueOf((long) mp) : String.format(java.util.Locale.ROOT, "%.1f", mp))
				+ " megapixels";
	}

}
