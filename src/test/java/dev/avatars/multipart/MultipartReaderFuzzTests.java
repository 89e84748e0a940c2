package dev.avatars.multipart;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.TreeMap;

import dev.avatars.TestImages;
import dev.avatars.fuzz.BoundedRunner;
import dev.avatars.fuzz.FuzzSeeds.Seed;
import dev.avatars.fuzz.Mutator;
import dev.avatars.multipart.MultipartReader.Part;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded mutations of real multipart bodies through {@link MultipartReader}: the parts, or a
 * {@link MultipartException}; never another exception, each body within {@link #LIMIT_MILLIS} of CPU. Each mutant
 * is read twice, whole and in pieces of random sizes (1 byte to 9 KB), and both reads must agree: where a
 * delimiter or a header straddles reads must not matter.
 *
 * <p>The seeds are bodies as Chrome, Firefox, curl 7 and 8 and Python's requests send them (a real JPEG and the
 * crop fields), and odd but valid ones: a quoted boundary with a space and a colon, a preamble and an epilogue,
 * transport padding, folded headers, CR, LF and CRLF inside the content and just before a delimiter, empty parts,
 * boundaries of 1 and 70 characters, sixteen fields; one with bare LF line ends (malformed). Mutant {@code n} is
 * the {@link Mutator}'s (bit flips, edge values, truncation, slices copied) for even {@code n}, else one to three
 * of {@link #structural}: lines dropped, repeated (up to 2,000 times) or swapped, a CR or LF dropped, delimiters
 * inserted, a boundary's byte changed, quotes dropped, large slices copied.
 */
class MultipartReaderFuzzTests {

	static final int MUTANTS = 10_000;

	/** Generous: a body is read in well under a millisecond; a loop that does not advance would take forever. */
	private static final long LIMIT_MILLIS = 2000;

	private static final MultipartReader.Limits LIMITS = new MultipartReader.Limits(256 * 1024, 16, 8192);

	/** A body and the Content-Type it came with. */
	record Body(String name, String contentType, byte[] bytes) {

	}

	private static final byte[] PICTURE = TestImages.resource("quadrants.jpg");

	static List<Body> seeds() {
		List<Body> seeds = new ArrayList<>();
		String chrome = "----WebKitFormBoundaryePkpFF7tjBAqx29L";
		seeds.add(new Body("chrome", "multipart/form-data; boundary=" + chrome,
				browser(chrome, "image/jpeg", "cropX", "0.25", "cropY", "0.5", "cropSize", "0.5")));
		String firefox = "---------------------------184079418315765183331839476185";
		seeds.add(new Body("firefox", "multipart/form-data; boundary=" + firefox, browser(firefox, "image/jpeg")));
		String gecko = "----geckoformboundary7d5e8a1f3b2c4d6e9f0a1b2c";
		seeds.add(new Body("firefox-new", "multipart/form-data; boundary=" + gecko,
				browser(gecko, "image/jpeg", "cropX", "0", "cropY", "0", "cropSize", "1")));
		String curl7 = "------------------------d74496d66958873e";
		seeds.add(new Body("curl-7", "multipart/form-data; boundary=" + curl7,
				browser(curl7, "image/jpeg", "cropX", "0.1", "cropY", "0.2", "cropSize", "0.3")));
		String curl8 = "------------------------KnPdOvyq7aYcbkBDrgsMxj";
		seeds.add(new Body("curl-8", "multipart/form-data; boundary=" + curl8, browser(curl8, "application/octet-stream")));
		String requests = "8f1b7c3e2d4a4b0f9e6d5c4b3a291807";
		seeds.add(new Body("python-requests", "multipart/form-data; boundary=" + requests, bytes("--" + requests
				+ "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"me.jpg\"\r\n\r\n", PICTURE,
				"\r\n--" + requests + "--\r\n")));
		String quoted = "simple boundary:42";
		seeds.add(new Body("quoted-boundary", "multipart/form-data; boundary=\"" + quoted + "\"; charset=utf-8",
				browser(quoted, "image/jpeg", "cropX", "0.5")));
		String b = "xYzZY";
		seeds.add(new Body("preamble-padding-epilogue", "multipart/form-data; boundary=" + b,
				bytes("This is the preamble.  It is to be ignored.\r\n--" + b + " \t \r\n"
						+ "Content-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n", PICTURE,
						"\r\n--" + b + "\t\r\nContent-Disposition: form-data; name=\"cropX\"\r\n\r\n0.5\r\n--" + b
								+ "--  \r\nThis is the epilogue. --" + b + "\r\nIt is also to be ignored.\r\n")));
		seeds.add(new Body("folded-headers", "multipart/form-data; boundary=" + b,
				bytes("--" + b + "\r\ncontent-disposition: form-data;\r\n name=\"file\";\r\n\tfilename=\"a b.jpg\"\r\n"
						+ "CONTENT-TYPE:image/jpeg\r\nContent-Transfer-Encoding: binary\r\n\r\n", PICTURE,
						"\r\n--" + b + "\r\nContent-Disposition: form-data; name=cropX\r\n\r\n0.5\r\n--" + b + "--")));
		seeds.add(new Body("line-ends-in-content", "multipart/form-data; boundary=" + b,
				bytes("--" + b + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n\r\n--" + b
						+ "\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nx\r\r\n--" + b
						+ "\r\nContent-Disposition: form-data; name=\"c\"\r\n\r\nx\n\r\n--" + b
						+ "\r\nContent-Disposition: form-data; name=\"d\"\r\n\r\n\r\n--xYzZ\r\n-\r\n--" + b
						+ "\r\nContent-Disposition: form-data; name=\"e\"; filename=\"e.txt\"\r\n\r\n--\r\n\r\n--" + b
						+ "\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n\r\n--" + b + "--\r\n")));
		seeds.add(new Body("empty-parts-utf8-names", "multipart/form-data; boundary=" + b,
				bytes("--" + b + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\n"
						+ "Content-Type: application/octet-stream\r\n\r\n\r\n--" + b
						+ "\r\nContent-Disposition: form-data; name=\"émoji 😀\"; filename*=UTF-8''%C3%A9.jpg\r\n\r\n\r\n--"
						+ b + "\r\nContent-Disposition: form-data; name=\"q\\\"uote\"\r\n\r\nv\r\n--" + b + "--\r\n")));
		seeds.add(new Body("one-character-boundary", "multipart/form-data; boundary=-",
				browser("-", "image/jpeg", "cropX", "0.5")));
		String longest = "0123456789'()+_,-./:=?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuv";
		seeds.add(new Body("seventy-character-boundary", "multipart/form-data; boundary=\"" + longest + "\"",
				browser(longest, "image/jpeg", "cropX", "0.5")));
		String[] fields = new String[30];
		for (int i = 0; i < 15; i++) {
			fields[2 * i] = "field" + i;
			fields[2 * i + 1] = "value " + i;
		}
		seeds.add(new Body("sixteen-parts", "multipart/form-data; boundary=" + chrome,
				browser(chrome, "image/jpeg", fields)));
		seeds.add(new Body("bare-lf", "multipart/form-data; boundary=" + b,
				new String(browser(b, "image/jpeg", "cropX", "0.5"), StandardCharsets.ISO_8859_1).replace("\r\n", "\n")
					.getBytes(StandardCharsets.ISO_8859_1)));
		return seeds;
	}

	/** The file part (a real JPEG), then the fields, as a browser's form sends them. */
	private static byte[] browser(String boundary, String fileType, String... fields) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(ascii("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"me.jpg\""
				+ "\r\nContent-Type: " + fileType + "\r\n\r\n"));
		out.writeBytes(PICTURE);
		for (int i = 0; i < fields.length; i += 2) {
			out.writeBytes(ascii("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fields[i]
					+ "\"\r\n\r\n" + fields[i + 1]));
		}
		out.writeBytes(ascii("\r\n--" + boundary + "--\r\n"));
		return out.toByteArray();
	}

	private static byte[] bytes(String head, byte[] middle, String tail) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
		out.writeBytes(middle);
		out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
		return out.toByteArray();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	@Test
	void everySeedReadsAsItsSenderMeantIt() throws Exception {
		Map<String, String> outcomes = new TreeMap<>();
		for (Body seed : seeds()) {
			String read = read(seed.contentType(), seed.bytes(), null, -1);
			outcomes.put(seed.name(), read.lines().map((line) -> line.replaceAll(" sha=\\S+", "")).toList().toString());
			assertThat(read(seed.contentType(), seed.bytes(), new Random(1), -1)).as(seed.name()).isEqualTo(read);
		}
		String jpeg = "file|me.jpg|" + PICTURE.length;
		assertThat(outcomes).containsEntry("chrome", List.of(jpeg, "cropX||4", "cropY||3", "cropSize||3").toString())
			.containsEntry("firefox", List.of(jpeg).toString())
			.containsEntry("curl-8", List.of(jpeg).toString())
			.containsEntry("python-requests", List.of(jpeg).toString())
			.containsEntry("quoted-boundary", List.of(jpeg, "cropX||3").toString())
			.containsEntry("preamble-padding-epilogue", List.of("file|a.jpg|" + PICTURE.length, "cropX||3").toString())
			.containsEntry("folded-headers", List.of("file|a b.jpg|" + PICTURE.length, "cropX||3").toString())
			.containsEntry("line-ends-in-content",
					List.of("a||2", "b||2", "c||2", "d||11", "e|e.txt|4", "f||0").toString())
			.containsEntry("empty-parts-utf8-names", List.of("file||0", "émoji 😀||0", "q\"uote||1").toString())
			.containsEntry("one-character-boundary", List.of(jpeg, "cropX||3").toString())
			.containsEntry("seventy-character-boundary", List.of(jpeg, "cropX||3").toString())
			.containsEntry("bare-lf", List.of("MALFORMED").toString());
		assertThat(outcomes.get("sixteen-parts")).contains("field14||8");
	}

	@Test
	void mutatedBodiesGiveTheirPartsOrTheDeclaredExceptionTheSameWayHoweverTheyArrive() throws Exception {
		List<Body> seeds = seeds();
		Mutator blind = new Mutator(seeds.stream().map((seed) -> new Seed(seed.name(), seed.bytes())).toList());
		Map<String, Integer> counts = new TreeMap<>();
		List<String> findings = new ArrayList<>();
		long started = System.nanoTime();
		try (BoundedRunner runner = new BoundedRunner(LIMIT_MILLIS)) {
			for (long n = 1; n <= MUTANTS; n++) {
				Body seed = seeds.get((int) (n % seeds.size()));
				StringJoiner mutation = new StringJoiner("; ");
				byte[] bytes;
				if (n % 2 == 0) {
					Mutator.Mutant mutant = blind.mutant(n);
					seed = seeds.get((int) Math.floorMod(n, (long) seeds.size()));
					mutation.add(mutant.mutation());
					bytes = mutant.bytes();
				}
				else {
					bytes = structural(seed, new Random(n), mutation);
				}
				String contentType = seed.contentType();
				long number = n;
				byte[] body = bytes;
				BoundedRunner.Run<String[]> run = runner.run(() -> new String[] { read(contentType, body, null, number),
						read(contentType, body, new Random(number), number) });
				String problem = (run.hang() != null) ? "hang: " + run.hang()
						: (run.thrown() != null) ? "threw " + describe(run.thrown())
								: agree(run.value()[0], run.value()[1], body.length);
				String outcome = (problem != null) ? "finding" : outcome(run.value()[0]);
				counts.merge(outcome, 1, Integer::sum);
				if (problem != null) {
					findings.add("mutant " + n + " (" + seed.name() + ": " + mutation + "): " + problem);
				}
				if (run.hang() != null) {
					break; // the hung thread cannot be stopped: it would slow every input after it
				}
			}
		}
		int mutants = counts.values().stream().mapToInt(Integer::intValue).sum();
		System.out.printf("MultipartReader fuzz: %d mutants, %s, %.1f s%n", mutants, counts,
				(System.nanoTime() - started) / 1e9);
		assertThat(findings).as("findings among %s", counts).isEmpty();
		// Not a vacuous run: the mutants give parts, and each kind of refusal that a body alone can cause.
		assertThat(counts.getOrDefault("parts", 0)).as(counts.toString()).isGreaterThan(MUTANTS / 4);
		assertThat(counts).as(counts.toString())
			.containsKeys("MALFORMED", "BODY_TOO_LARGE", "HEADERS_TOO_LONG", "TOO_MANY_PARTS", "PART_TOO_LARGE");
	}

	private static String outcome(String read) {
		return read.contains("\n") || !read.matches("[A-Z_]+") ? "parts" : read;
	}

	private static String describe(Throwable thrown) {
		StackTraceElement[] trace = thrown.getStackTrace();
		return thrown + ((trace.length > 0) ? " at " + trace[0] : "");
	}

	/** Null when the two reads of one body agree, else how they differ. */
	private static String agree(String whole, String pieces, int length) {
		if (whole.equals(pieces)) {
			return null;
		}
		// How far ahead a reader has read when it notices a fault depends on the reads; past the limit it may
		// notice the length first.
		if ((whole.equals("BODY_TOO_LARGE") || pieces.equals("BODY_TOO_LARGE")) && length > LIMITS.maxBodyBytes()) {
			return null;
		}
		return "read whole: [" + whole + "], in pieces: [" + pieces + "]";
	}

	/**
	 * Reads every part, each its own way (as text, copied, read in pieces, or left unread), the same for the same
	 * {@code number}; all copied for -1.
	 * @param pieces null to hand the body over whole, else the sizes of the body's reads are drawn from it
	 * @return a line per part (name, filename, length and SHA-256 of what was read), or the exception's kind
	 */
	static String read(String contentType, byte[] body, Random pieces, long number) throws IOException {
		InputStream in = (pieces == null) ? new ByteArrayInputStream(body) : new ByteArrayInputStream(body) {
			@Override
			public synchronized int read(byte[] b, int off, int len) {
				int piece = (pieces.nextInt(4) == 0) ? 1 + pieces.nextInt(9000) : 1 + pieces.nextInt(64);
				return super.read(b, off, Math.min(len, piece));
			}
		};
		StringJoiner parts = new StringJoiner("\n");
		long total = 0;
		try {
			MultipartReader reader = new MultipartReader(in, MultipartReader.boundary(contentType), LIMITS);
			int index = 0;
			for (var next = reader.nextPart(); next.isPresent(); next = reader.nextPart(), index++) {
				Part part = next.get();
				int style = (number < 0) ? 1 : (int) ((number + index) % 4);
				byte[] content = switch (style) {
					case 0 -> part.text(4096).getBytes(StandardCharsets.UTF_8);
					case 1 -> {
						ByteArrayOutputStream out = new ByteArrayOutputStream();
						part.transferTo(out, 128 * 1024);
						yield out.toByteArray();
					}
					case 2 -> readInPieces(part.content(), new Random(number + index));
					default -> null;
				};
				// Text is decoded (and binary grows as it is encoded again): only the raw bytes add up.
				total += (content != null && style != 0) ? content.length : 0;
				parts.add(part.name().orElse("") + "|" + part.filename().orElse("") + "|"
						+ ((content != null) ? content.length + " sha=" + Arrays.hashCode(content) : "unread"));
			}
		}
		catch (MultipartException ex) {
			return ex.kind().name();
		}
		if (total > body.length) {
			throw new AssertionError("parts of " + total + " bytes from a body of " + body.length);
		}
		return parts.toString();
	}

	private static byte[] readInPieces(InputStream content, Random random) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] piece = new byte[3000];
		while (true) {
			if (random.nextInt(8) == 0) {
				int b = content.read();
				if (b < 0) {
					return out.toByteArray();
				}
				out.write(b);
				continue;
			}
			int offset = random.nextInt(10);
			int read = content.read(piece, offset, 1 + random.nextInt(piece.length - 10));
			if (read < 0) {
				return out.toByteArray();
			}
			out.write(piece, offset, read);
		}
	}

	/** One to three changes that know what a multipart body is made of. */
	static byte[] structural(Body seed, Random random, StringJoiner mutation) throws MultipartException {
		byte[] boundary = ascii(MultipartReader.boundary(seed.contentType()));
		byte[] bytes = seed.bytes();
		int steps = 1 + random.nextInt(3);
		for (int s = 0; s < steps && bytes.length > 0; s++) {
			List<int[]> lines = lines(bytes);
			int[] line = lines.get(random.nextInt(lines.size()));
			switch (random.nextInt(9)) {
				case 0 -> {
					mutation.add("line at " + line[0] + " dropped");
					bytes = splice(bytes, line[0], line[1], new byte[0]);
				}
				case 1 -> {
					int times = (random.nextInt(4) == 0) ? 2000 : 1 + random.nextInt(3);
					mutation.add("line at " + line[0] + " repeated " + times + " times");
					byte[] copy = Arrays.copyOfRange(bytes, line[0], line[1]);
					ByteArrayOutputStream repeated = new ByteArrayOutputStream();
					for (int i = 0; i <= times; i++) {
						repeated.writeBytes(copy);
					}
					bytes = splice(bytes, line[0], line[1], repeated.toByteArray());
				}
				case 2 -> {
					int[] other = lines.get(random.nextInt(lines.size()));
					mutation.add("line at " + other[0] + " copied to " + line[0]);
					bytes = splice(bytes, line[0], line[0], Arrays.copyOfRange(bytes, other[0], other[1]));
				}
				case 3 -> {
					int end = line[1] - 1;
					int at = (end - 1 >= line[0] && random.nextBoolean()) ? end - 1 : end;
					mutation.add("line end byte at " + at + " dropped");
					bytes = splice(bytes, at, at + 1, new byte[0]);
				}
				case 4 -> {
					int at = random.nextInt(bytes.length + 1);
					String tail = switch (random.nextInt(4)) {
						case 0 -> "--";
						case 1 -> "\r\n";
						case 2 -> "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n";
						default -> "";
					};
					mutation.add("delimiter" + tail.replace("\r\n", "CRLF") + " inserted at " + at);
					ByteArrayOutputStream delimiter = new ByteArrayOutputStream();
					delimiter.writeBytes(ascii("\r\n--"));
					delimiter.writeBytes(boundary);
					delimiter.writeBytes(ascii(tail));
					bytes = splice(bytes, at, at, delimiter.toByteArray());
				}
				case 5 -> {
					int at = indexOf(bytes, boundary, random.nextInt(bytes.length));
					if (at < 0) {
						at = indexOf(bytes, boundary, 0);
					}
					if (at >= 0) {
						int which = at + random.nextInt(boundary.length);
						mutation.add("boundary byte at " + which + " changed");
						bytes = bytes.clone();
						bytes[which] ^= (byte) (1 + random.nextInt(255));
					}
				}
				case 6 -> {
					int at = indexOf(bytes, ascii("\""), random.nextInt(bytes.length));
					if (at >= 0) {
						mutation.add("quote at " + at + " dropped");
						bytes = splice(bytes, at, at + 1, new byte[0]);
					}
				}
				case 7 -> {
					int length = (random.nextInt(3) == 0) ? 100_000 + random.nextInt(200_000) : random.nextInt(5000);
					int from = random.nextInt(bytes.length);
					int at = random.nextInt(bytes.length + 1);
					ByteArrayOutputStream slice = new ByteArrayOutputStream();
					while (slice.size() < length) {
						slice.write(bytes, from, Math.min(bytes.length - from, length - slice.size()));
						from = 0;
					}
					mutation.add(length + " bytes from " + from + " copied to " + at);
					bytes = splice(bytes, at, at, slice.toByteArray());
				}
				default -> {
					int at = random.nextInt(bytes.length + 1);
					mutation.add("cut at " + at);
					bytes = Arrays.copyOf(bytes, at);
				}
			}
		}
		return bytes;
	}

	/** Each line's start and end, its CRLF (or LF) included. */
	private static List<int[]> lines(byte[] bytes) {
		List<int[]> lines = new ArrayList<>();
		int start = 0;
		for (int i = 0; i < bytes.length; i++) {
			if (bytes[i] == '\n') {
				lines.add(new int[] { start, i + 1 });
				start = i + 1;
			}
		}
		lines.add(new int[] { start, bytes.length });
		return lines;
	}

	private static int indexOf(byte[] bytes, byte[] wanted, int from) {
		outer: for (int i = from; i + wanted.length <= bytes.length; i++) {
			for (int k = 0; k < wanted.length; k++) {
				if (bytes[i + k] != wanted[k]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	private static byte[] splice(byte[] bytes, int from, int to, byte[] insert) {
		byte[] out = new byte[bytes.length - (to - from) + insert.length];
		System.arraycopy(bytes, 0, out, 0, from);
		System.arraycopy(insert, 0, out, from, insert.length);
		System.arraycopy(bytes, to, out, from + insert.length, bytes.length - to);
		return out;
	}

}
