package dev.avatars.security;

import java.security.SecureRandom;
import java.util.Base64;

import dev.avatars.user.AccountService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The first admin. With AVATARS_ADMIN_USERNAME and AVATARS_ADMIN_PASSWORD set, start-up makes that account an
 * admin with that password (creating it when needed). Without them, on the embedded H2 default only, when no
 * admin exists, it creates one with a random password and prints it once on the console, so that the two-command
 * start still leads to a usable operations panel. Never on PostgreSQL: a shared deployment chooses its admin.
 */
@Component
@Profile("!cli")
class AdminBootstrap implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

	private final AccountService accounts;

	private final AdminProperties admin;

	private final Environment environment;

	AdminBootstrap(AccountService accounts, AdminProperties admin, Environment environment) {
		this.accounts = accounts;
		this.admin = admin;
		this.environment = environment;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (this.admin.configured()) {
			if (this.admin.password() == null || this.admin.password().isEmpty()) {
				throw new IllegalStateException("AVATARS_ADMIN_USERNAME is set but AVATARS_ADMIN_PASSWORD is not");
			}
			try {
				AccountService.AdminChange change = createOrUpdate(this.admin.username(), this.admin.password());
				log.info("Admin '{}' {} from AVATARS_ADMIN_USERNAME and AVATARS_ADMIN_PASSWORD", this.admin.username(),
						change.name().toLowerCase(java.util.Locale.ROOT));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("AVATARS_ADMIN_USERNAME/AVATARS_ADMIN_PASSWORD: " + ex.getMessage());
			}
			return;
		}
		if (this.admin.password() != null && !this.admin.password().isEmpty()) {
			throw new IllegalStateException("AVATARS_ADMIN_PASSWORD is set but AVATARS_ADMIN_USERNAME is not");
		}
		if (embeddedDefault() && !this.accounts.adminExists()) {
			String username = this.accounts.freeAdminName();
			String password = randomPassword();
			this.accounts.createOrUpdateAdmin(username, password);
			// The console, not the log: this is the one place a secret is shown, and only this once.
			System.out.println();
			System.out.println("No admin existed, so one was made for the operations panel (shown only this once):");
			System.out.println("  username: " + username);
			System.out.println("  password: " + password);
			System.out.println("Change it on the page, or set AVATARS_ADMIN_USERNAME and AVATARS_ADMIN_PASSWORD.");
			System.out.println();
		}
	}

	/**
	 * Instances started together (replicas on one PostgreSQL) may both find no account and both create it: the
	 * one that loses the race finds it on its second try and sets the same password.
	 */
	private AccountService.AdminChange createOrUpdate(String username, String password) {
		try {
			return this.accounts.createOrUpdateAdmin(username, password);
		}
		catch (AccountService.CreatedConcurrentlyException ex) {
			return this.accounts.createOrUpdateAdmin(username, password);
		}
	}

	private boolean embeddedDefault() {
		String url = this.environment.getProperty("spring.datasource.url", "");
		return url.startsWith("jdbc:h2:") && !this.environment.matchesProfiles("postgres");
	}

	/** 120 random bits, URL-safe Base64: 20 characters, easy to paste. */
	static String randomPassword() {
		byte[] bytes = new byte[15];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
