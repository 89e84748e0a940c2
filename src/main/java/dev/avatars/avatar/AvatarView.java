package dev.avatars.avatar;

import java.time.Instant;

/** The state of a user's avatar as the API shows it. */
public record AvatarView(AvatarStatus status, Instant uploadedAt, Instant processedAt, String thumbnailUrl,
		String error) {
}
