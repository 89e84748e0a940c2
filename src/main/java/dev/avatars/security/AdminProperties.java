package dev.avatars.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The admin made or updated at start-up: set AVATARS_ADMIN_USERNAME and AVATARS_ADMIN_PASSWORD (which bind here).
 * Empty by default: no password is ever written into the repository or the configuration.
 */
@ConfigurationProperties("avatars.admin")
record AdminProperties(String username, String password) {

	boolean configured() {
		return this.username != null && !this.username.isBlank();
	}

	@Override
	public String toString() {
		return "AdminProperties[username=" + this.username + "]";
	}

}
