package dev.avatars.security;

import java.io.Serial;
import java.util.ArrayList;
import java.util.List;

import dev.avatars.user.Account;
import dev.avatars.user.Role;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request authenticated by the identity provider's JWT: the account it names, an admin if its claims say so. */
final class JwtAuthentication extends AbstractAuthenticationToken {

	@Serial
	private static final long serialVersionUID = 1L;

	private final Account account;

	JwtAuthentication(Account account, boolean admin) {
		super(authorities(account, admin));
		this.account = account;
		setAuthenticated(true);
	}

	private static List<GrantedAuthority> authorities(Account account, boolean admin) {
		List<GrantedAuthority> authorities = new ArrayList<>();
		authorities.add(new SimpleGrantedAuthority(Role.USER.authority()));
		if (admin || account.isAdmin()) {
			authorities.add(new SimpleGrantedAuthority(Role.ADMIN.authority()));
		}
		return authorities;
	}

	@Override
	public Object getCredentials() {
		return null;
	}

	@Override
	public Account getPrincipal() {
		return this.account;
	}

	@Override
	public String getName() {
		return this.account.getUsername();
	}

}
