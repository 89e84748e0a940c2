package dev.avatars.avatar;

import java.util.List;

import dev.avatars.thumbnail.Thumbnailer;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param sizes square edge lengths in pixels that the job makes and the API serves
 * @param jpegQuality 0–1, for opaque pictures (transparent ones become PNG)
 * @param engine {@code auto}: OpenCV's native fast path wherever it applies; {@code java}: pure Java only
 */
@ConfigurationProperties("avatars.thumbnail")
public record ThumbnailProperties(List<Integer> sizes, float jpegQuality, Thumbnailer.Engine engine) {

	public int largest() {
		return this.sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
	}

	/** The smallest size at least {@code wanted} pixels, or the largest when none is that big. */
	public int atLeast(int wanted) {
		return this.sizes.stream().mapToInt(Integer::intValue).filter((size) -> size >= wanted).min()
			.orElse(largest());
	}

}
