package dev.avatars.avatar;

import java.util.List;

import dev.avatars.thumbnail.Thumbnailer;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param sizes square edge lengths in pixels that the job makes and the API serves
 * @param jpegQuality 0–1, for opaque pictures (transparent ones become PNG)
 * @param engine {@code auto}: OpenCV's native fast path wherever it applies; {@code java}: pure Java only
 * @param reducedJpegDecoder whether both engines decode JPEG photos at 1/8 (the Java one also at 1/4) with the
 * hand-written {@code dev.avatars.jpeg.ReducedJpegDecoder}; false leaves every JPEG to libjpeg and ImageIO
 * @param crop where the square goes when the user chose none: {@code face} frames the faces found (with the
 * native library; the centre square when there is none), {@code centre} always the centre square
 */
@ConfigurationProperties("avatars.thumbnail")
public record ThumbnailProperties(List<Integer> sizes, float jpegQuality, Thumbnailer.Engine engine,
		@DefaultValue("true") boolean reducedJpegDecoder, @DefaultValue("face") Thumbnailer.CropMode crop) {

	public int largest() {
		return this.sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
	}

	/** The smallest size at least {@code wanted} pixels, or the largest when none is that big. */
	public int atLeast(int wanted) {
		return this.sizes.stream().mapToInt(Integer::intValue).filter((size) -> size >= wanted).min()
			.orElse(largest());
	}

}
