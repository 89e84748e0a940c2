package dev.avatars.user;

/**
 * A user as anyone may see them: who they are and where their picture is. The avatar's state (pending, failed
 * and why) is for the user and admins only: {@code GET /api/users/{id}/avatar}.
 */
public record UserResponse(long id, String username, String displayName, String thumbnailUrl) {
}
