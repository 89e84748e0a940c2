package dev.avatars.user;

import java.io.Serial;
import java.util.Collection;
import java.util.List;

import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The signed-in person, as the security context (and the session) holds it. Carries the user's id so that
 * "is this their own avatar?" needs no query.
 */
public final class Account implements UserDetails, CredentialsContainer {

	@Serial
	private static final long serialVersionUID = 1L;

	private final long id;

	private final String username;

	private final Role role;

	private String passwordHash;

	public Account(long id, String username, Role role, String passwordHash) {
		this.id = id;
		this.username = username;
		this.role = role;
		this.passwordHash = passwordHash;
	}

	public long id() {
		return this.id;
	}

	public Role role() {
		return this.role;
	}

	public boolean isAdmin() {
		return this.role == Role.ADMIN;
	}

	@Override
	public String getUsername() {
		return this.username;
	}

	@Override
	public String getPassword() {
		return this.passwordHash;
	}

	@Override
	public Collection<? extends GrantedAuthority> getAuthorities() {
		return List.of(new SimpleGrantedAuthority(this.role.authority()));
	}

	/** Called once the password has been checked: the hash is not kept in the session. */
	@Override
	public void eraseCredentials() {
		this.passwordHash = null;
	}

	@Override
	public String toString() {
		return "Account[id=" + this.id + ", username=" + this.username + ", role=" + this.role + "]";
	}

}
