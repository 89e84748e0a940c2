package dev.avatars.user;

import java.time.Instant;
import java.util.Optional;


import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Accounts as Spring Security sees them, and the admins made at start-up or by {@code create-admin}. */
@Service
public class AccountService implements UserDetailsService {

	private final UserRepository users;

	private final ApplicationEventPublisher events;

	private final PasswordEncoder passwords;

	AccountService(UserRepository users, ApplicationEventPublisher events, PasswordEncoder passwords) {
		this.users = users;
		this.events = events;
		this.passwords = passwords;
	}

	@Override
	@Transactional(readOnly = true)
	public UserDetails loadUserByUsername(String username) {
		return this.users.findByUsername(username)
			.filter((user) -> user.getPasswordHash() != null)
			.map(AccountService::toAccount)
			.orElseThrow(() -> new UsernameNotFoundException("no such account"));
	}

	@Transactional(readOnly = true)
	public Optional<Account> find(long id) {
		return this.users.findById(id).map(AccountService::toAccount);
	}

	@Transactional(readOnly = true)
	public boolean adminExists() {
		return this.users.existsByRole(Role.ADMIN);
	}

	/** What happened to the named account. */
	public enum AdminChange {

		CREATED, UPDATED

	}

	/**
	 * Makes {@code username} an admin with {@code password}, creating the account when there is none.
	 * @throws IllegalArgumentException when the username or password breaks the rules
	 */
	@Transactional
	public AdminChange createOrUpdateAdmin(String username, String password) {
		if (username == null || !username.matches("[a-z0-9_.-]{3,32}")) {
			throw new IllegalArgumentException(
					"the username must be 3 to 32 characters of lower-case letters, digits, '_', '.' or '-'");
		}
		PasswordRules.problem(username, password).ifPresent((problem) -> {
			throw new IllegalArgumentException("the password " + problem);
		});
		String hash = this.passwords.encode(password);
		Optional<User> existing = this.users.findByUsername(username);
		if (existing.isPresent()) {
			existing.get().setPasswordHash(hash);
			existing.get().setRole(Role.ADMIN);
			return AdminChange.UPDATED;
		}
		User admin = new User(username, username, Instant.now());
		admin.setPasswordHash(hash);
		admin.setRole(Role.ADMIN);
		try {
			admin = this.users.saveAndFlush(admin);
		}
		catch (DataIntegrityViolationException ex) {
			// Another instance made it at the same moment; this transaction is lost, a new one finds the account.
			throw new CreatedConcurrentlyException(username, ex);
		}
		this.events.publishEvent(new UserCreated(admin.getId()));
		return AdminChange.CREATED;
	}

	/** The account was created by someone else between this transaction's look and its insert. */
	public static class CreatedConcurrentlyException extends IllegalStateException {

		CreatedConcurrentlyException(String username, Throwable cause) {
			super("the account '" + username + "' was created at the same moment elsewhere; try again", cause);
		}

	}

	/**
	 * The account an identity provider's token names, made on first use: no password (it signs in only
	 * through the identity provider), role USER (admin comes from the token's claims, per request).
	 */
	@Transactional
	public Account findOrCreateExternal(String username) {
		Optional<User> existing = this.users.findByUsername(username);
		if (existing.isPresent()) {
			return toAccount(existing.get());
		}
		try {
			User user = this.users.saveAndFlush(new User(username, username, Instant.now()));
			this.events.publishEvent(new UserCreated(user.getId()));
			return toAccount(user);
		}
		catch (DataIntegrityViolationException ex) {
			// Two first requests at once: the other one made it.
			return this.users.findByUsername(username).map(AccountService::toAccount).orElseThrow(() -> ex);
		}
	}

	/** A name for a generated admin that nobody has: "admin", else "admin-2", "admin-3", ... */
	@Transactional(readOnly = true)
	public String freeAdminName() {
		String name = "admin";
		for (int i = 2; this.users.existsByUsername(name); i++) {
			name = "admin-" + i;
		}
		return name;
	}

	static Account toAccount(User user) {
		return new Account(user.getId(), user.getUsername(), user.getRole(), user.getPasswordHash());
	}

}
