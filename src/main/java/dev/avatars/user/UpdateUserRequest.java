package dev.avatars.user;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A change to an account; a field left out stays as it is. Changing one's own password takes the current one
 * too (an admin setting someone else's does not).
 */
record UpdateUserRequest(
		@Size(max = 100, message = "must be at most 100 characters")
		@Pattern(regexp = "(?s).*\\S.*", message = "must not be blank")
		@Pattern(regexp = CreateUserRequest.DISPLAY_NAME_CHARACTERS, message = "must not contain control characters") String displayName,
		String password, String currentPassword) {

	@Override
	public String toString() {
		return "UpdateUserRequest[displayName=" + this.displayName + "]";
	}

}
