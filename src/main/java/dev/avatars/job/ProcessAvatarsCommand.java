package dev.avatars.job;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Trigger 2: {@code java -jar avatars.jar process-avatars [--limit=N] [--dry-run]}, for system cron. Runs the thumbnail job
 * once and exits 0 when no avatar failed, 1 when some did, 2 when it could not run (see {@code AvatarsApplication}
 * for failures before this point, such as an unreachable database).
 */
@Component
@Profile("cli & !create-admin")
class ProcessAvatarsCommand implements CommandLineRunner, ExitCodeGenerator {

	static final String NAME = "process-avatars";

	static final int OK = 0;

	static final int SOME_FAILED = 1;

	static final int CANNOT_RUN = 2;

	private static final Set<String> OPTIONS = Set.of("limit", "dry-run");

	/** The job this command runs, by the name the engine knows it under. */
	static final String JOB = "thumbnails";

	private final JobEngine engine;

	private final Job job;

	private final PrintStream out;

	private final PrintStream err;

	private int exitCode = CANNOT_RUN;

	ProcessAvatarsCommand(JobEngine engine) {
		this.engine = engine;
		this.job = engine.job(JOB).orElseThrow();
		this.out = System.out;
		this.err = System.err;
	}

	@Override
	public void run(String... args) {
		DefaultApplicationArguments arguments = new DefaultApplicationArguments(args);
		List<String> unknown = arguments.getOptionNames().stream()
			.filter((name) -> !OPTIONS.contains(name) && !name.startsWith("spring.") && !name.startsWith("avatars.")
					&& !name.startsWith("logging."))
			.sorted()
			.toList();
		if (!unknown.isEmpty() || !arguments.getNonOptionArgs().equals(List.of(NAME))) {
			this.err.println(NAME + ": cannot run: unknown arguments " + (unknown.isEmpty() ? arguments.getNonOptionArgs() : unknown)
					+ "; usage: " + NAME + " [--limit=N] [--dry-run]");
			return;
		}
		int limit;
		try {
			limit = limit(arguments);
		}
		catch (IllegalArgumentException ex) {
			this.err.println(NAME + ": cannot run: " + ex.getMessage());
			return;
		}
		if (arguments.containsOption("dry-run")) {
			List<String> due = this.job.preview(limit);
			due.forEach((item) -> this.out.println(NAME + ": would process " + item));
			this.out.println(NAME + ": dry run, " + due.size() + " due");
			this.exitCode = OK;
			return;
		}
		RunReport report = this.engine.runOnce(JOB, Trigger.CLI, limit);
		this.out.println(NAME + ": " + report.summary());
		if (report.error() != null) {
			this.err.println(NAME + ": " + report.error());
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
