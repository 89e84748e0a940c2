package dev.avatars.security;

import java.util.function.Supplier;

import dev.avatars.user.Account;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/** Grants a request on {@code /api/users/{id}/...} to the user {@code id} and to admins. */
final class OwnerOrAdmin implements AuthorizationManager<RequestAuthorizationContext> {

	@Override
	public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
			RequestAuthorizationContext context) {
		Authentication current = authentication.get();
		if (current == null || !current.isAuthenticated() || !(current.getPrincipal() instanceof Account account)) {
			return new AuthorizationDecision(false);
		}
		return new AuthorizationDecision(account.isAdmin() || isOwnId(context.getVariables().get("id"), account));
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
