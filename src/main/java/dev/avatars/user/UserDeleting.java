package dev.avatars.user;

/**
 * Published in the transaction that deletes a user, before the row goes: listeners may lock what they keep for
 * the user, and act once the transaction has committed.
 */
public record UserDeleting(long userId) {
}
