package dev.avatars.avatar;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * @param maxBytes largest accepted file
 * @param maxPixels largest accepted width × height, of the picture and of every frame its headers state
 * @param minDimension smallest accepted width and height
 */
@ConfigurationProperties("avatars.upload")
public record UploadProperties(DataSize maxBytes, long maxPixels, int minDimension) {
}
