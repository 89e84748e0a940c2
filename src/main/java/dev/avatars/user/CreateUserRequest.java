package dev.avatars.user;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

@ValidPassword
record CreateUserRequest(
		@NotNull(message = "is required")
		@Pattern(regexp = "[a-z0-9_.-]{3,32}",
				message = "must be 3 to 32 characters of lower-case letters, digits, '_', '.' or '-'") String username,
		@NotBlank(message = "is required") @Size(max = 100, message = "must be at most 100 characters")
		@Pattern(regexp = DISPLAY_NAME_CHARACTERS, message = "must not contain control characters") String displayName,
		String password) implements ValidPassword.WithPassword {

	/**
	 * No control characters (C0, DEL, C1), lone surrogates or U+FFFE/U+FFFF: nothing XML 1.0 forbids (the
	 * placeholder is SVG) and nothing that only makes sense to a terminal.
	 */
	static final String DISPLAY_NAME_CHARACTERS = "[^\\p{Cc}\\p{Cs}\\x{FFFE}\\x{FFFF}]*";

	@Override
	public String toString() {
		return "CreateUserRequest[username=" + this.username + ", displayName=" + this.displayName + "]";
	}

}
