package dev.avatars.avatar;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param sizes square edge lengths in pixels that the job makes and the API serves
 * @param jpegQuality 0–1, for opaque pictures (transparent ones become PNG)
 */
@ConfigurationProperties("avatars.thumbnail")
public record ThumbnailProperties(List<Integer> sizes, float jpegQuality) {

	public int largest() {
		return this.sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
	}

	/** The smallest size at least {@code wanted} pixels, or the largest when none is that big. */
	public int atLeast(int wanted) {
		return this.sizes.stream().mapToInt(Integer::intValue).filter((size) -> size >= wanted).min()
			.orElse(largest());
	}

}
