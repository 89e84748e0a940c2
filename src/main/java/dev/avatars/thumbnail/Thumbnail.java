package dev.avatars.thumbnail;

/** One encoded thumbnail, square or round (then transparent outside the circle): {@code size}×{@code size} pixels in the given format, with no metadata. */
public record Thumbnail(int size, OutputFormat format, byte[] bytes) {

	public enum OutputFormat {

		JPEG("jpg", "image/jpeg"), PNG("png", "image/png"),
		/** The round variant: PNG with straight alpha, transparent outside the inscribed circle. */
		CIRCLE_PNG("circle.png", "image/png");

		private final String extension;

		private final String mediaType;

		OutputFormat(String extension, String mediaType) {
			this.extension = extension;
			this.mediaType = mediaType;
		}

		public String extension() {
			return this.extension;
		}

		public String mediaType() {
			return this.mediaType;
		}

		public static OutputFormat ofExtension(String extension) {
			for (OutputFormat format : values()) {
				if (format.extension.equals(extension)) {
					return format;
				}
			}
			throw new IllegalArgumentException("Unknown thumbnail extension: " + extension);
		}

	}

}
