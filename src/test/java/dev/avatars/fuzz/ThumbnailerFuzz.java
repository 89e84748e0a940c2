package dev.avatars.fuzz;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import dev.avatars.thumbnail.Rendering;
import dev.avatars.thumbnail.Thumbnail;
import dev.avatars.thumbnail.Thumbnailer;
import dev.avatars.thumbnail.UndecodableImageException;

/**
 * The thumbnailer's fuzz run: seeded mutants of every kind of picture the upload accepts (see {@link Mutator} and
 * {@link FuzzSeeds}), each rendered by both engines in a child JVM with {@code -Xmx256m} and a limit of CPU time
 * per file (so that a machine busy with other work does not turn slow files into hangs). A mutant may give
 * thumbnails, {@link UndecodableImageException} or {@link IOException}; anything else is a finding: another
 * exception, an {@link Error}, thumbnails that are not pictures of the asked size, no answer within the limit
 * (the child is killed and started again), or a child that dies. Run by
 * {@code scripts/fuzz-thumbnailer.sh}, never by the test suite ({@link ThumbnailerFuzzTests} is the small one).
 *
 * <pre>
 * java -cp ... dev.avatars.fuzz.ThumbnailerFuzz [COUNT [FIRST]]
 * </pre>
 *
 * Renders mutants FIRST to FIRST + COUNT − 1 (default 3000 from 1); {@code COUNT=1 FIRST=n} replays mutant n.
 * System properties: {@code fuzz.limit} seconds of CPU per file (5), {@code fuzz.budget} seconds for the whole
 * run, after which it stops and reports what it did (0: none), {@code fuzz.heap} the child's heap (256m),
 * {@code fuzz.out} where findings' files go (target/fuzz).
 */
public final class ThumbnailerFuzz {

	/** The job's thumbnail sizes and quality (application.yml). */
	static final List<Integer> SIZES = List.of(256, 128, 64);

	static final float QUALITY = 0.85f;

	/** What a file gave. The first three are declared; the rest are findings. */
	enum Outcome {

		THUMBNAILS, UNDECODABLE, IO_EXCEPTION, OTHER_EXCEPTION, ERROR, BAD_THUMBNAILS, HANG, CRASH;

		boolean declared() {
			return ordinal() <= IO_EXCEPTION.ordinal();
		}

	}

	/** An outcome with what it was: the exception's class and where it was thrown, for findings. */
	record Result(Outcome outcome, String detail) {

	}

	private static final String ANSWER = "@@fuzz ";

	private ThumbnailerFuzz() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("--worker")) {
			worker();
			return;
		}
		int count = (args.length > 0) ? Integer.parseInt(args[0]) : 3000;
		long first = (args.length > 1) ? Long.parseLong(args[1]) : 1;
		new Coordinator(Integer.getInteger("fuzz.limit", 5), Integer.getInteger("fuzz.budget", 0),
				System.getProperty("fuzz.heap", "256m"), Path.of(System.getProperty("fuzz.out", "target/fuzz")))
			.run(count, first);
	}

	/** Renders one file and says what came of it; never throws. */
	static Result render(Thumbnailer thumbnailer, List<Integer> sizes, Path file) {
		try {
			// As the job renders: framed on faces, round variants too.
			Rendering rendering = thumbnailer.render(file, null, true);
			String wrong = checkThumbnails(rendering.squares(), sizes);
			if (wrong == null) {
				wrong = checkThumbnails(rendering.circles(), sizes);
			}
			return (wrong == null) ? new Result(Outcome.THUMBNAILS, "")
					: new Result(Outcome.BAD_THUMBNAILS, wrong);
		}
		catch (UndecodableImageException ex) {
			return new Result(Outcome.UNDECODABLE, "");
		}
		catch (IOException ex) {
			return new Result(Outcome.IO_EXCEPTION, describe(ex));
		}
		catch (RuntimeException ex) {
			return new Result(Outcome.OTHER_EXCEPTION, describe(ex));
		}
		catch (Throwable ex) {
			return new Result(Outcome.ERROR, describe(ex));
		}
	}

	/** @return what is wrong with the thumbnails, or {@code null} when each is a picture of its size */
	private static String checkThumbnails(List<Thumbnail> thumbnails, List<Integer> sizes) throws IOException {
		if (thumbnails.size() != sizes.size()) {
			return thumbnails.size() + " thumbnails for " + sizes.size() + " sizes";
		}
		for (int i = 0; i < sizes.size(); i++) {
			Thumbnail thumbnail = thumbnails.get(i);
			BufferedImage image = ImageIO.read(new ByteArrayInputStream(thumbnail.bytes()));
			if (thumbnail.size() != sizes.get(i) || image == null || image.getWidth() != thumbnail.size()
					|| image.getHeight() != thumbnail.size()) {
				return "thumbnail " + i + " is not a " + sizes.get(i) + "px " + thumbnail.format();
			}
		}
		return null;
	}

	/** The class, the message's first line, and the first frames: enough to tell findings apart. */
	static String describe(Throwable ex) {
		StringBuilder text = new StringBuilder(ex.getClass().getName());
		String message = ex.getMessage();
		if (message != null) {
			String line = message.lines().findFirst().orElse("");
			text.append(": ").append((line.length() > 100) ? line.substring(0, 100) : line);
		}
		StackTraceElement[] frames = ex.getStackTrace();
		for (int i = 0; i < Math.min(3, frames.length); i++) {
			text.append(" at ").append(frames[i]);
		}
		return text.toString().replace('\t', ' ').replace('\n', ' ');
	}

	/**
	 * The child: reads "ENGINE PATH" lines, answers each with one line. After an {@link Error} it stops, so the
	 * next file gets a fresh JVM rather than one that ran out of memory.
	 */
	private static void worker() throws IOException {
		Map<Thumbnailer.Engine, Thumbnailer> thumbnailers = new EnumMap<>(Thumbnailer.Engine.class);
		for (Thumbnailer.Engine engine : Thumbnailer.Engine.values()) {
			thumbnailers.put(engine, new Thumbnailer(SIZES, QUALITY, engine, 40_000_000, true, Thumbnailer.CropMode.FACE));
		}
		PrintStream out = System.out;
		out.println(ANSWER + "ready " + thumbnailers.get(Thumbnailer.Engine.AUTO).description());
		out.flush();
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = in.readLine()) != null) {
			String[] request = line.split(" ", 2);
			long start = System.nanoTime();
			Result result = render(thumbnailers.get(Thumbnailer.Engine.valueOf(request[0])), SIZES,
					Path.of(request[1]));
			long millis = (System.nanoTime() - start) / 1_000_000;
			out.println(ANSWER + result.outcome() + "\t" + millis + "\t" + result.detail());
			out.flush();
			if (result.outcome() == Outcome.ERROR) {
				return;
			}
		}
	}

	/** The parent: makes the mutants, hands them to the child one by one, keeps the time, counts. */
	private static final class Coordinator {

		private final int limitSeconds;

		private final int budgetSeconds;

		private final String heap;

		private final Path out;

		/** How many times the CPU limit may pass on the clock before a child that does not work is a hang. */
		private static final int WALL_FACTOR = 10;

		private Process child;

		private BlockingQueue<String> answers;

		private Writer requests;

		private int childStarts;

		private String childDescription = "";

		Coordinator(int limitSeconds, int budgetSeconds, String heap, Path out) {
			this.limitSeconds = limitSeconds;
			this.budgetSeconds = budgetSeconds;
			this.heap = heap;
			this.out = out;
		}

		void run(int count, long first) throws Exception {
			Files.createDirectories(this.out.resolve("findings"));
			Path file = this.out.resolve("mutant.bin");
			Mutator mutator = new Mutator(FuzzSeeds.all(true));
			Map<String, Map<Thumbnailer.Engine, int[]>> counts = new LinkedHashMap<>();
			for (FuzzSeeds.Seed seed : mutator.seeds()) {
				Map<Thumbnailer.Engine, int[]> perEngine = new EnumMap<>(Thumbnailer.Engine.class);
				for (Thumbnailer.Engine engine : Thumbnailer.Engine.values()) {
					perEngine.put(engine, new int[Outcome.values().length]);
				}
				counts.put(seed.name(), perEngine);
			}
			List<String> findings = new ArrayList<>();
			long[] millis = new long[Thumbnailer.Engine.values().length];
			long slowest = 0;
			String slowestMutant = "";
			long started = System.nanoTime();
			int done = 0;
			startChild();
			System.out.printf(Locale.ROOT, "fuzz: mutants %d to %d, %d seeds, engines AUTO and JAVA, child -Xmx%s, "
					+ "limit %d s per file, sizes %s%n", first, first + count - 1, mutator.seeds().size(), this.heap,
					this.limitSeconds, SIZES);
			System.out.println("fuzz: " + this.childDescription);
			// The seeds themselves first: a mutant of a file that never rendered tests nothing.
			int good = 0;
			for (FuzzSeeds.Seed seed : mutator.seeds()) {
				Files.write(file, seed.bytes());
				boolean both = true;
				for (Thumbnailer.Engine engine : Thumbnailer.Engine.values()) {
					Result result = ask(engine, file);
					if (result.outcome() != Outcome.THUMBNAILS) {
						both = false;
						System.out.println("SEED " + seed.name() + " on " + engine + ": " + result);
					}
				}
				good += both ? 1 : 0;
			}
			System.out.printf(Locale.ROOT, "fuzz: %d of %d seeds give thumbnails on both engines%n", good,
					mutator.seeds().size());
			for (long n = first; n < first + count; n++) {
				if (this.budgetSeconds > 0 && System.nanoTime() - started > this.budgetSeconds * 1_000_000_000L) {
					System.out.printf(Locale.ROOT, "fuzz: time budget of %d s spent; stopped before mutant %d%n",
							this.budgetSeconds, n);
					break;
				}
				Mutator.Mutant mutant = mutator.mutant(n);
				Files.write(file, mutant.bytes());
				for (Thumbnailer.Engine engine : Thumbnailer.Engine.values()) {
					long start = System.nanoTime();
					Result result = ask(engine, file);
					long took = (System.nanoTime() - start) / 1_000_000;
					millis[engine.ordinal()] += took;
					if (took > slowest) {
						slowest = took;
						slowestMutant = n + " " + engine;
					}
					counts.get(mutant.seed().name()).get(engine)[result.outcome().ordinal()]++;
					if (!result.outcome().declared()) {
						String name = n + "-" + engine + "-" + mutant.seed().name();
						Files.write(this.out.resolve("findings").resolve(name), mutant.bytes());
						String finding = String.format(Locale.ROOT,
								"FINDING mutant=%d engine=%s seed=%s outcome=%s mutation=[%s] detail=[%s] file=%s", n,
								engine, mutant.seed().name(), result.outcome(), mutant.mutation(), result.detail(),
								this.out.resolve("findings").resolve(name));
						findings.add(finding);
						System.err.println(finding);
					}
				}
				done++;
				if (done % 250 == 0) {
					System.err.printf(Locale.ROOT, "fuzz: %d mutants, %d findings, %d s%n", done, findings.size(),
							(System.nanoTime() - started) / 1_000_000_000L);
				}
			}
			stopChild();
			report(counts, findings, done, millis, slowest, slowestMutant,
					(System.nanoTime() - started) / 1_000_000_000L);
		}

		private void report(Map<String, Map<Thumbnailer.Engine, int[]>> counts, List<String> findings, int done,
				long[] millis, long slowest, String slowestMutant, long seconds) {
			PrintStream o = System.out;
			o.println();
			o.printf(Locale.ROOT, "%-24s %-6s %7s %10s %11s %4s | %7s %5s %5s %4s %5s %5s%n", "seed", "engine",
					"renders", "thumbnails", "undecodable", "io", "other", "error", "badth", "hang", "crash", "FIND");
			int[][] totals = new int[Thumbnailer.Engine.values().length][Outcome.values().length];
			counts.forEach((seed, perEngine) -> perEngine.forEach((engine, c) -> {
				for (int i = 0; i < c.length; i++) {
					totals[engine.ordinal()][i] += c[i];
				}
				line(o, seed, engine.name(), c);
			}));
			for (Thumbnailer.Engine engine : Thumbnailer.Engine.values()) {
				line(o, "TOTAL", engine.name(), totals[engine.ordinal()]);
			}
			o.printf(Locale.ROOT, "mutants %d, renders %d, findings %d, child JVMs started %d, %d s; mean ms per "
					+ "render AUTO %.1f JAVA %.1f; slowest %d ms (mutant %s)%n", done, 2 * done, findings.size(),
					this.childStarts, seconds, (done > 0) ? millis[0] / (double) done : 0,
					(done > 0) ? millis[1] / (double) done : 0, slowest, slowestMutant);
			findings.forEach(o::println);
		}

		private static void line(PrintStream o, String seed, String engine, int[] c) {
			int renders = 0;
			int found = 0;
			for (Outcome outcome : Outcome.values()) {
				renders += c[outcome.ordinal()];
				found += outcome.declared() ? 0 : c[outcome.ordinal()];
			}
			o.printf(Locale.ROOT, "%-24s %-6s %7d %10d %11d %4d | %7d %5d %5d %4d %5d %5d%n", seed, engine, renders,
					c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], found);
		}

		private Result ask(Thumbnailer.Engine engine, Path file) throws Exception {
			if (this.child == null) {
				startChild();
			}
			this.requests.write(engine + " " + file.toAbsolutePath() + "\n");
			this.requests.flush();
			// The limit is CPU time, so a machine busy with other work does not turn slow files into hangs; a
			// wall-clock limit WALL_FACTOR times as long catches a child that waits instead of working.
			Duration cpuBefore = cpu(this.child);
			long started = System.nanoTime();
			String answer = null;
			while (answer == null) {
				answer = this.answers.poll(200, TimeUnit.MILLISECONDS);
				if (answer == null) {
					long cpuMillis = cpu(this.child).minus(cpuBefore).toMillis();
					long wallMillis = (System.nanoTime() - started) / 1_000_000;
					if (cpuMillis > this.limitSeconds * 1000L || wallMillis > WALL_FACTOR * this.limitSeconds * 1000L) {
						stopChild();
						return new Result(Outcome.HANG, String.format(Locale.ROOT,
								"no answer after %.1f s of CPU (%.1f s wall); limit %d s of CPU", cpuMillis / 1000.0,
								wallMillis / 1000.0, this.limitSeconds));
					}
				}
			}
			if (answer.equals("EOF")) {
				int code = this.child.waitFor();
				this.child = null;
				return new Result(Outcome.CRASH, "child JVM exited with " + code + " (see " + this.out
						+ "/worker-stderr.log and hs_err files)");
			}
			String[] parts = answer.split("\t", 3);
			Result result = new Result(Outcome.valueOf(parts[0]), parts[2]);
			if (result.outcome() == Outcome.ERROR) {
				// The child exits after an Error; start a fresh one for the next file.
				this.child.waitFor(this.limitSeconds, TimeUnit.SECONDS);
				stopChild();
			}
			return result;
		}

		private static Duration cpu(Process process) {
			return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
		}

		private void startChild() throws Exception {
			List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-Xmx" + this.heap, "-Djava.awt.headless=true",
					"-XX:ErrorFile=" + this.out.toAbsolutePath() + "/hs_err_pid%p.log", "-cp",
					System.getProperty("java.class.path"), ThumbnailerFuzz.class.getName(), "--worker");
			File stderr = this.out.resolve("worker-stderr.log").toFile();
			this.child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(stderr)).start();
			this.childStarts++;
			BlockingQueue<String> queue = new LinkedBlockingQueue<>();
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(this.child.getInputStream(), StandardCharsets.UTF_8));
			Thread pump = new Thread(() -> {
				try {
					String line;
					while ((line = reader.readLine()) != null) {
						if (line.startsWith(ANSWER)) {
							queue.add(line.substring(ANSWER.length()));
						}
					}
				}
				catch (IOException ex) {
					// The child is gone.
				}
				queue.add("EOF");
			});
			pump.setDaemon(true);
			pump.start();
			this.answers = queue;
			this.requests = new java.io.OutputStreamWriter(this.child.getOutputStream(), StandardCharsets.UTF_8);
			String ready = queue.poll(60, TimeUnit.SECONDS);
			if (ready == null || !ready.startsWith("ready ")) {
				throw new IllegalStateException("The fuzz child did not start: " + ready);
			}
			this.childDescription = ready.substring("ready ".length());
		}

		private void stopChild() throws InterruptedException {
			if (this.child != null) {
				this.child.destroyForcibly();
				this.child.waitFor();
				this.child = null;
			}
		}

	}

}
