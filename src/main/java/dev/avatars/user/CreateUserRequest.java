package dev.avatars.user;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

record CreateUserRequest(
		@NotNull(message = "is required")
		@Pattern(regexp = "[a-z0-9_.-]{3,32}",
				message = "must be 3 to 32 characters of lower-case letters, digits, '_', '.' or '-'") String username,
		@NotBlank(message = "is required") @Size(max = 100, message = "must be at most 100 characters") String displayName) {
}
