package dev.avatars.security;

import java.util.function.Supplier;

import dev.avatars.user.Account;
import dev.avatars.user.Role;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Grants a request on {@code /api/users/{id}/...} to the user {@code id} and to admins. With a token: an
 * admin-scoped token of an admin may do what the admin may; an avatar-scoped token only its owner's avatar,
 * and only where {@code avatarTokens} is true.
 */
final class OwnerOrAdmin implements AuthorizationManager<RequestAuthorizationContext> {

	private final boolean avatarTokens;

	OwnerOrAdmin(boolean avatarTokens) {
		this.avatarTokens = avatarTokens;
	}

	@Override
	public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
			RequestAuthorizationContext context) {
		Authentication current = authentication.get();
		if (current == null || !current.isAuthenticated() || !(current.getPrincipal() instanceof Account account)) {
			return new AuthorizationDecision(false);
		}
		boolean admin = current.getAuthorities().stream()
			.anyMatch((authority) -> Role.ADMIN.authority().equals(authority.getAuthority()));
		boolean own = isOwnId(context.getVariables().get("id"), account);
		if (current instanceof TokenAuthentication token) {
			return new AuthorizationDecision(admin || (this.avatarTokens && token.scope() == TokenScope.AVATAR && own));
		}
		return new AuthorizationDecision(admin || own);
	}

	private static boolean isOwnId(String id, Account account) {
		try {
			return id != null && Long.parseLong(id) == account.id();
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

}
