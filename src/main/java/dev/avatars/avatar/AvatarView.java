package dev.avatars.avatar;

import java.time.Instant;

import dev.avatars.thumbnail.Framing;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The state of a user's avatar as the API shows it.
 *
 * @param framing which square the ready thumbnails kept and why (the user's, framed on a face, or the centre),
 * with the face found; {@code null} before any is ready, or for thumbnails made before this was recorded
 */
public record AvatarView(AvatarStatus status, Instant uploadedAt, Instant processedAt, String thumbnailUrl,
		String error, @Schema(description = "which square the ready thumbnails kept: CHOSEN by the user, framed "
				+ "on a FACE, or the CENTRE one; square and face as fractions of the upright picture") Framing framing) {
}
