package dev.avatars;

import java.io.PrintStream;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

@SpringBootApplication
@ConfigurationPropertiesScan
public class AvatarsApplication {

	/** The one-shot thumbnail run for system cron; see {@code dev.avatars.job.JobCommand}. */
	static final String PROCESS_AVATARS = "process-avatars";

	/** The one-shot clean-up for system cron; see {@code dev.avatars.job.JobCommand}. */
	static final String CLEANUP_UPLOADS = "cleanup-uploads";

	/** The one-shot command that makes an admin; see {@code dev.avatars.security.CreateAdminCommand}. */
	static final String CREATE_ADMIN = "create-admin";

	static final List<String> COMMANDS = List.of(PROCESS_AVATARS, CLEANUP_UPLOADS, CREATE_ADMIN);

	public static void main(String[] args) {
		if (args.length > 0 && PROCESS_AVATARS.equals(args[0])) {
			System.exit(processAvatars(args));
		}
		if (args.length > 0 && CLEANUP_UPLOADS.equals(args[0])) {
			System.exit(command(CLEANUP_UPLOADS, args, "cli"));
		}
		if (args.length > 0 && CREATE_ADMIN.equals(args[0])) {
			System.exit(command(CREATE_ADMIN, args, "cli", CREATE_ADMIN));
		}
		if (args.length > 0 && !args[0].startsWith("-")) {
			// A typo in a crontab must not start a second web server.
			System.exit(unknownCommand(args[0], System.err));
		}
		SpringApplication.run(AvatarsApplication.class, args);
	}

	static int unknownCommand(String word, PrintStream err) {
		err.println("avatars: unknown command '" + word + "'; the commands are " + String.join(", ", COMMANDS)
				+ " (with no command, or only --options, the web server starts)");
		return 2;
	}

	static int processAvatars(String[] args) {
		return command(PROCESS_AVATARS, args, "cli");
	}

	/** Exit code 2 when the application cannot even start: bad configuration, database unreachable. */
	static int command(String name, String[] args, String... profiles) {
		SpringApplication application = new SpringApplication(AvatarsApplication.class);
		application.setAdditionalProfiles(profiles);
		try (ConfigurableApplicationContext context = application.run(args)) {
			return SpringApplication.exit(context);
		}
		catch (RuntimeException ex) {
			System.err.println(name + ": cannot run: " + rootCause(ex));
			return 2;
		}
	}

	private static String rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		String message = cause.getMessage();
		return (message != null) ? message.lines().findFirst().orElse(message) : cause.getClass().getSimpleName();
	}

}
