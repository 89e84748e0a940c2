package dev.avatars.user;

import dev.avatars.avatar.AvatarView;

/** A user as the API shows it, with the state of their avatar. */
public record UserResponse(long id, String username, String displayName, AvatarView avatar) {
}
