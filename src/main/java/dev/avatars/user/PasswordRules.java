package dev.avatars.user;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** What a password must be, wherever one is set: sign-up, account change, the admin's. */
public final class PasswordRules {

	public static final int MIN_LENGTH = 10;

	/** bcrypt reads at most 72 bytes; Spring Security refuses longer ones rather than cut them silently. */
	public static final int MAX_BYTES = 72;

	private PasswordRules() {
	}

	/** Why {@code password} is refused for {@code username}, or empty when it is fine. */
	public static Optional<String> problem(String username, String password) {
		if (password == null || password.isEmpty()) {
			return Optional.of("is required");
		}
		if (password.codePointCount(0, password.length()) < MIN_LENGTH) {
			return Optional.of("must be at least " + MIN_LENGTH + " characters");
		}
		if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
			return Optional.of("must be at most " + MAX_BYTES + " bytes (UTF-8)");
		}
		if (username != null && password.strip().equalsIgnoreCase(username.strip())) {
			return Optional.of("must not be the username");
		}
		return Optional.empty();
	}

}
