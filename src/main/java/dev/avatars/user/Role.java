package dev.avatars.user;

/** What an account may do beyond its own avatar and account: an admin may do everything. */
public enum Role {

	USER, ADMIN;

	/** The Spring Security authority, as {@code hasRole("ADMIN")} checks it. */
	public String authority() {
		return "ROLE_" + name();
	}

}
