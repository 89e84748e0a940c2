package dev.avatars.security;

import java.util.Locale;

/** What a personal access token may do: change its owner's avatar, or operations (admins only). */
enum TokenScope {

	AVATAR, ADMIN;

	String json() {
		return name().toLowerCase(Locale.ROOT);
	}

	static TokenScope of(String value) {
		for (TokenScope scope : values()) {
			if (scope.json().equals(value)) {
				return scope;
			}
		}
		throw new IllegalArgumentException(value);
	}

}
