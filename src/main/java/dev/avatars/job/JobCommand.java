package dev.avatars.job;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Trigger 2, for system cron: {@code java -jar avatars.jar process-avatars [--limit=N] [--dry-run]} runs the
 * thumbnail job once, {@code cleanup-uploads [--dry-run]} the clean-up. Exits 0 when nothing failed, 1 when
 * something did, 2 when it could not run (see {@code AvatarsApplication} for failures before this point, such as
 * an unreachable database).
 */
@Component
@Profile("cli & !create-admin")
class JobCommand implements CommandLineRunner, ExitCodeGenerator {

	/** Each command, and the job it runs by the name the engine knows it under. */
	static final Map<String, String> JOBS = Map.of("process-avatars", "thumbnails", "cleanup-uploads", "cleanup");

	static final int OK = 0;

	static final int SOME_FAILED = 1;

	static final int CANNOT_RUN = 2;

	private static final Set<String> OPTIONS = Set.of("limit", "dry-run");

	private final JobEngine engine;

	private final PrintStream out;

	private final PrintStream err;

	private int exitCode = CANNOT_RUN;

	JobCommand(JobEngine engine) {
		this.engine = engine;
		this.out = System.out;
		this.err = System.err;
	}

	@Override
	public void run(String... args) {
		DefaultApplicationArguments arguments = new DefaultApplicationArguments(args);
		String name = arguments.getNonOptionArgs().isEmpty() ? "" : arguments.getNonOptionArgs().get(0);
		String jobName = JOBS.get(name);
		if (jobName == null) {
			this.err.println("cannot run: no command; the commands are " + String.join(", ", JOBS.keySet()));
			return;
		}
		List<String> unknown = arguments.getOptionNames().stream()
			.filter((option) -> !OPTIONS.contains(option) && !option.startsWith("spring.")
					&& !option.startsWith("avatars.") && !option.startsWith("logging."))
			.sorted()
			.toList();
		if (!unknown.isEmpty() || arguments.getNonOptionArgs().size() > 1) {
			this.err.println(name + ": cannot run: unknown arguments "
					+ (unknown.isEmpty() ? arguments.getNonOptionArgs().subList(1, arguments.getNonOptionArgs().size()) : unknown)
					+ "; usage: " + name + " [--limit=N] [--dry-run]");
			return;
		}
		int limit;
		try {
			limit = limit(arguments);
		}
		catch (IllegalArgumentException ex) {
			this.err.println(name + ": cannot run: " + ex.getMessage());
			return;
		}
		if (arguments.containsOption("dry-run")) {
			int due = this.engine.job(jobName).orElseThrow()
				.preview(limit, (item) -> this.out.println(name + ": would " + item));
			this.out.println(name + ": dry run, " + due + " due");
			this.exitCode = OK;
			return;
		}
		RunReport report = this.engine.runOnce(jobName, Trigger.CLI, limit);
		this.out.println(name + ": " + report.summary());
		if (report.error() != null) {
			this.err.println(name + ": " + report.error());
			this.exitCode = CANNOT_RUN;
		}
		else {
			this.exitCode = (report.failed() > 0) ? SOME_FAILED : OK;
		}
	}

	private static int limit(DefaultApplicationArguments arguments) {
		List<String> values = arguments.getOptionValues("limit");
		if (values == null) {
			return Integer.MAX_VALUE;
		}
		try {
			int limit = Integer.parseInt(values.get(0));
			if (limit < 1) {
				throw new NumberFormatException();
			}
			return limit;
		}
		catch (NumberFormatException | IndexOutOfBoundsException ex) {
			throw new IllegalArgumentException("--limit must be a whole number of at least 1");
		}
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

}
