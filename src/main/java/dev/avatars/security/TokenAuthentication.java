package dev.avatars.security;

import java.io.Serial;
import java.util.ArrayList;
import java.util.List;

import dev.avatars.user.Account;
import dev.avatars.user.Role;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request authenticated by a personal access token. Its authorities are the token's scope, and ROLE_ADMIN only
 * for an admin-scoped token of someone who is still an admin: an avatar token of an admin is no admin.
 */
final class TokenAuthentication extends AbstractAuthenticationToken {

	@Serial
	private static final long serialVersionUID = 1L;

	private final Account account;

	private final TokenScope scope;

	TokenAuthentication(Account account, TokenScope scope) {
		super(authorities(account, scope));
		this.account = account;
		this.scope = scope;
		setAuthenticated(true);
	}

	private static List<GrantedAuthority> authorities(Account account, TokenScope scope) {
		List<GrantedAuthority> authorities = new ArrayList<>();
		authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope.json()));
		if (scope == TokenScope.ADMIN && account.role() == Role.ADMIN) {
			authorities.add(new SimpleGrantedAuthority(Role.ADMIN.authority()));
		}
		return authorities;
	}

	TokenScope scope() {
		return this.scope;
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
