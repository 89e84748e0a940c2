package dev.avatars.user;

/** Published in the transaction that creates a user, for features that keep something per user. */
public record UserCreated(long userId) {
}
