package dev.avatars.avatar;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param root where originals and thumbnails live; a relative path is resolved against {@code avatars.home}
 */
@ConfigurationProperties("avatars.storage")
record StorageProperties(Path root) {
}
