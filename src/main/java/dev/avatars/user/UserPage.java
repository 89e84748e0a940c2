package dev.avatars.user;

import java.util.List;

/** One page of users; a stable shape of our own rather than Spring Data's Page serialisation. */
record UserPage(List<UserResponse> items, int page, int size, long total) {
}
