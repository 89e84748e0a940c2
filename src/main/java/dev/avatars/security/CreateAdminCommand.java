package dev.avatars.security;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import dev.avatars.user.AccountService;

import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * {@code java -jar avatars.jar create-admin --username=NAME}: makes NAME an admin (creating the account when
 * needed) in the database the app uses, without starting a web server. The password comes from
 * AVATARS_ADMIN_PASSWORD, else from the first line of standard input. Exit codes as {@code process-avatars}:
 * 0 done, 1 refused (a username or password that breaks the rules), 2 could not run.
 */
@Component
@Profile("create-admin")
class CreateAdminCommand implements CommandLineRunner, ExitCodeGenerator {

	static final String NAME = "create-admin";

	static final int OK = 0;

	static final int REFUSED = 1;

	static final int CANNOT_RUN = 2;

	private static final Set<String> OPTIONS = Set.of("username");

	private final AccountService accounts;

	private final AdminProperties admin;

	private final PrintStream out = System.out;

	private final PrintStream err = System.err;

	private int exitCode = CANNOT_RUN;

	CreateAdminCommand(AccountService accounts, AdminProperties admin) {
		this.accounts = accounts;
		this.admin = admin;
	}

	@Override
	public void run(String... args) throws IOException {
		DefaultApplicationArguments arguments = new DefaultApplicationArguments(args);
		List<String> unknown = arguments.getOptionNames().stream()
			.filter((name) -> !OPTIONS.contains(name) && !name.startsWith("spring.") && !name.startsWith("avatars.")
					&& !name.startsWith("logging."))
			.sorted()
			.toList();
		List<String> usernames = arguments.containsOption("username") ? arguments.getOptionValues("username")
				: (this.admin.configured() ? List.of(this.admin.username()) : List.of());
		if (!unknown.isEmpty() || !arguments.getNonOptionArgs().equals(List.of(NAME)) || usernames.size() != 1) {
			this.err.println(NAME + ": cannot run: usage: " + NAME
					+ " --username=NAME (password from AVATARS_ADMIN_PASSWORD or the first line of standard input)");
			return;
		}
		String password = (this.admin.password() != null && !this.admin.password().isEmpty()) ? this.admin.password()
				: readPassword();
		if (password == null) {
			this.err.println(NAME + ": cannot run: no password: set AVATARS_ADMIN_PASSWORD or give it on standard input");
			return;
		}
		try {
			AccountService.AdminChange change = this.accounts.createOrUpdateAdmin(usernames.get(0), password);
			this.out.println(NAME + ": " + usernames.get(0) + " is an admin ("
					+ change.name().toLowerCase(java.util.Locale.ROOT) + ")");
			this.exitCode = OK;
		}
		catch (IllegalArgumentException ex) {
			this.err.println(NAME + ": refused: " + ex.getMessage());
			this.exitCode = REFUSED;
		}
	}

	private static String readPassword() throws IOException {
		Console console = System.console();
		if (console != null) {
			char[] typed = console.readPassword("Password for the admin: ");
			return (typed != null) ? new String(typed) : null;
		}
		return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

}
