package dev.avatars.multipart;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.avatars.MultipartBody;
import dev.avatars.multipart.MultipartException.Kind;
import dev.avatars.multipart.MultipartReader.Part;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultipartReaderTests {

	private static final String BOUNDARY = MultipartBody.BOUNDARY;

	private static final MultipartReader.Limits GENEROUS = new MultipartReader.Limits(10_000_000, 100, 8192);

	/** Bytes that look like the boundary's beginnings everywhere, so a sloppy search would cut the part. */
	static byte[] treacherous(int length, long seed) {
		byte[] near = ("\r\n--" + BOUNDARY).getBytes(StandardCharsets.US_ASCII);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Random random = new Random(seed);
		while (out.size() < length) {
			int kind = random.nextInt(4);
			if (kind == 0) {
				// A proper prefix, and then a byte that is in no delimiter, so that noise cannot complete it.
				out.write(near, 0, 1 + random.nextInt(near.length - 1));
				out.write(0);
			}
			else if (kind == 1) {
				out.writeBytes("\r\n\r\n--".getBytes(StandardCharsets.US_ASCII));
			}
			else {
				byte[] noise = new byte[random.nextInt(300)];
				random.nextBytes(noise);
				out.writeBytes(noise);
			}
		}
		return Arrays.copyOf(out.toByteArray(), length);
	}

	/** Hands out the body in pieces of the given size: boundaries and headers straddle every read. */
	static InputStream trickle(byte[] body, int piece) {
		return new ByteArrayInputStream(body) {
			@Override
			public synchronized int read(byte[] b, int off, int len) {
				return super.read(b, off, Math.min(len, piece));
			}
		};
	}

	private static MultipartReader reader(InputStream body, MultipartReader.Limits limits) {
		return new MultipartReader(body, BOUNDARY, limits);
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/** Reads a part's content in pieces of varying size, through the stream's read methods. */
	private static byte[] readInPieces(InputStream content, Random random) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] piece = new byte[5000];
		while (true) {
			if (random.nextInt(8) == 0) {
				int b = content.read();
				if (b < 0) {
					break;
				}
				out.write(b);
				continue;
			}
			int read = content.read(piece, 0, 1 + random.nextInt(piece.length));
			if (read < 0) {
				break;
			}
			out.write(piece, 0, read);
		}
		return out.toByteArray();
	}

	@ParameterizedTest(name = "reads of {0} bytes")
	@ValueSource(ints = { 1, 3, 7, 41, 1000, 65536 })
	void everyPartArrivesByteForByteWithItsNameAndHeaders(int piece) throws Exception {
		byte[] picture = treacherous(200_000, 42);
		byte[] other = treacherous(70_000, 43);
		byte[] body = new MultipartBody().field("cropX", "0.25")
			.file("file", "me.jpg", "image/jpeg", picture)
			.file("other", "x.bin", "application/octet-stream", other)
			.bytes();
		MultipartReader reader = reader(trickle(body, piece), GENEROUS);

		Part field = reader.nextPart().orElseThrow();
		assertThat(field.name()).hasValue("cropX");
		assertThat(field.filename()).isEmpty();
		assertThat(field.text(10)).isEqualTo("0.25");

		Part file = reader.nextPart().orElseThrow();
		assertThat(file.name()).hasValue("file");
		assertThat(file.filename()).hasValue("me.jpg");
		assertThat(file.header("CONTENT-TYPE")).hasValue("image/jpeg");
		ByteArrayOutputStream copy = new ByteArrayOutputStream();
		assertThat(file.transferTo(copy, picture.length)).isEqualTo(picture.length);
		assertThat(copy.toByteArray()).isEqualTo(picture);

		Part third = reader.nextPart().orElseThrow();
		assertThat(third.name()).hasValue("other");
		assertThat(readInPieces(third.content(), new Random(piece))).isEqualTo(other);

		assertThat(reader.nextPart()).isEmpty();
		assertThat(reader.nextPart()).isEmpty();
	}

	@Test
	void aPartLeftUnreadIsSkippedAndCannotBeReadLater() throws Exception {
		byte[] body = new MultipartBody().file("big", "big.bin", "application/octet-stream", treacherous(100_000, 1))
			.field("after", "yes")
			.bytes();
		MultipartReader reader = reader(trickle(body, 999), GENEROUS);

		Part big = reader.nextPart().orElseThrow();
		assertThat(big.content().read(new byte[10])).isEqualTo(10);
		Part after = reader.nextPart().orElseThrow();

		assertThat(after.text(100)).isEqualTo("yes");
		assertThatThrownBy(() -> big.content().read()).isInstanceOf(IllegalStateException.class);
		assertThat(reader.nextPart()).isEmpty();
	}

	@Test
	void aPreambleTransportPaddingAndAnEpilogueAreIgnored() throws Exception {
		String body = "This is the preamble.\r\n--" + BOUNDARY + " \t\r\n"
				+ "content-disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n" + "JPEG\r\n--" + BOUNDARY
				+ "--\r\nThis is the epilogue; --" + BOUNDARY + " is not a part.";
		MultipartReader reader = reader(trickle(ascii(body), 5), GENEROUS);

		Part part = reader.nextPart().orElseThrow();

		assertThat(part.name()).hasValue("file");
		assertThat(part.text(100)).isEqualTo("JPEG");
		assertThat(reader.nextPart()).isEmpty();
	}

	@Test
	void foldedHeaderLinesContinueTheOneBefore() throws Exception {
		String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data;\r\n name=\"file\";\r\n\tfilename=\"a.jpg\""
				+ "\r\nX-Note: one\r\nx-note: two\r\nno colon here\r\n\r\nJPEG\r\n--" + BOUNDARY + "--";

		Part part = reader(trickle(ascii(body), 3), GENEROUS).nextPart().orElseThrow();

		assertThat(part.name()).hasValue("file");
		assertThat(part.filename()).hasValue("a.jpg");
		assertThat(part.header("x-note")).hasValue("one");
		assertThat(part.text(10)).isEqualTo("JPEG");
	}

	@Test
	void theBoundaryIsTakenFromTheContentTypeQuotedOrNot() throws Exception {
		assertThat(MultipartReader.boundary("multipart/form-data; boundary=\"a b:c\"")).isEqualTo("a b:c");
		assertThat(MultipartReader.boundary("Multipart/Form-Data; charset=utf-8; boundary=xyz")).isEqualTo("xyz");
		assertThat(MultipartReader.boundary("multipart/form-data;boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW"))
			.isEqualTo("----WebKitFormBoundary7MA4YWxkTrZu0gW");
	}

	@ParameterizedTest
	@ValueSource(strings = { "multipart/form-data", "multipart/form-data; boundary=", "application/json; boundary=x",
			"not a type", "multipart/form-data; boundary=12345678901234567890123456789012345678901234567890123456789012345678901" })
	void aContentTypeWithoutAUsableBoundaryIsMalformed(String contentType) {
		assertFails(() -> MultipartReader.boundary(contentType), Kind.MALFORMED);
	}

	@Test
	void parametersAreReadWhateverTheirQuotingAndOrder() {
		assertThat(MultipartReader.parameters(" form-data; filename=\"a;b=\\\"c\\\".jpg\"; NAME=file"))
			.isEqualTo(Map.of("filename", "a;b=\"c\".jpg", "name", "file"));
		assertThat(MultipartReader.parameters("form-data; name=\"cropX\"")).isEqualTo(Map.of("name", "cropX"));
		assertThat(MultipartReader.parameters("form-data; name=a; name=b")).isEqualTo(Map.of("name", "a"));
		assertThat(MultipartReader.parameters("form-data")).isEmpty();
	}

	@Test
	void aPartIsAsLongAsTheCallerAllowsToTheByte() throws Exception {
		byte[] content = treacherous(100_000, 7);
		byte[] body = new MultipartBody().file("file", "a.jpg", "image/jpeg", content).bytes();

		Part exact = reader(trickle(body, 4000), GENEROUS).nextPart().orElseThrow();
		assertThat(exact.transferTo(OutputStream.nullOutputStream(), content.length)).isEqualTo(content.length);

		Part over = reader(trickle(body, 4000), GENEROUS).nextPart().orElseThrow();
		assertFails(() -> over.transferTo(OutputStream.nullOutputStream(), content.length - 1), Kind.PART_TOO_LARGE);

		byte[] field = new MultipartBody().field("f", "x".repeat(1024)).bytes();
		assertThat(reader(new ByteArrayInputStream(field), GENEROUS).nextPart().orElseThrow().text(1024)).hasSize(1024);
		assertFails(() -> reader(new ByteArrayInputStream(field), GENEROUS).nextPart().orElseThrow().text(1023),
				Kind.PART_TOO_LARGE);
	}

	@Test
	void aBodyOverItsLimitStopsBeingRead() {
		byte[] body = new MultipartBody().file("file", "a.jpg", "image/jpeg", new byte[3_000_000]).bytes();
		ByteArrayInputStream in = new ByteArrayInputStream(body);

		assertFails(() -> drain(reader(in, new MultipartReader.Limits(1_000_000, 10, 8192))), Kind.BODY_TOO_LARGE);
		assertThat(body.length - in.available()).as("bytes read").isLessThan(1_000_000 + 2 * 65536);
	}

	@Test
	void aBodyMayHaveAsManyPartsAsAllowedAndNoMore() throws Exception {
		MultipartBody many = new MultipartBody();
		for (int i = 0; i < 5; i++) {
			many.field("f" + i, "v");
		}
		byte[] body = many.bytes();

		assertThat(drain(reader(new ByteArrayInputStream(body), new MultipartReader.Limits(10_000, 5, 100))))
			.hasSize(5);
		assertFails(() -> drain(reader(new ByteArrayInputStream(body), new MultipartReader.Limits(10_000, 4, 100))),
				Kind.TOO_MANY_PARTS);
	}

	@Test
	void endlessHeadersAreRefused() {
		String endless = "--" + BOUNDARY + "\r\nX-Padding: " + "a".repeat(20_000) + "\r\n\r\nv\r\n";
		assertFails(() -> drain(reader(new ByteArrayInputStream(ascii(endless)), GENEROUS)), Kind.HEADERS_TOO_LONG);

		String many = "--" + BOUNDARY + "\r\n" + "X-A: b\r\n".repeat(2000) + "\r\nv\r\n--" + BOUNDARY + "--";
		assertFails(() -> drain(reader(trickle(ascii(many), 100), GENEROUS)), Kind.HEADERS_TOO_LONG);
	}

	@ParameterizedTest(name = "cut after {0} bytes")
	@ValueSource(ints = { 0, 10, 60, 140, 150, 5000, 5040 })
	void aBodyCutOffAnywhereIsMalformed(int length) {
		byte[] whole = new MultipartBody().file("file", "a.jpg", "image/jpeg", treacherous(5000, 3)).bytes();
		byte[] cut = Arrays.copyOf(whole, Math.min(length, whole.length - 4));

		assertFails(() -> drain(reader(trickle(cut, 17), GENEROUS)), Kind.MALFORMED);
	}

	@Test
	void aBodyThatCannotBeReadToItsEndIsInterrupted() {
		byte[] whole = new MultipartBody().file("file", "a.jpg", "image/jpeg", new byte[100_000]).bytes();
		InputStream resetting = new FilterInputStream(new ByteArrayInputStream(whole, 0, 50_000)) {
			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				int read = super.read(b, off, len);
				if (read < 0) {
					throw new IOException("Connection reset by peer");
				}
				return read;
			}
		};

		assertThatThrownBy(() -> drain(reader(resetting, GENEROUS))).isInstanceOfSatisfying(MultipartException.class,
				(ex) -> {
					assertThat(ex.kind()).isEqualTo(Kind.INTERRUPTED);
					assertThat(ex.getCause()).hasMessage("Connection reset by peer");
				});
	}

	/**
	 * What makes it fast: the body arrives 8 KB per read (as from Tomcat), and the part is handed on in whole
	 * buffers of 64 KB less a delimiter's length, not one piece per read.
	 */
	@Test
	void aLargePartIsHandedOnInWholeBuffers() throws Exception {
		byte[] content = treacherous(1_000_000, 11);
		byte[] body = new MultipartBody().file("file", "a.jpg", "image/jpeg", content).bytes();
		List<Integer> writes = new ArrayList<>();
		OutputStream out = new OutputStream() {
			@Override
			public void write(int b) {
				writes.add(1);
			}

			@Override
			public void write(byte[] b, int off, int len) {
				writes.add(len);
			}
		};

		reader(trickle(body, 8192), GENEROUS).nextPart().orElseThrow().transferTo(out, content.length);

		assertThat(writes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(content.length);
		assertThat(writes.subList(1, writes.size() - 1))
			.allSatisfy((length) -> assertThat(length).isGreaterThan(65536 - 64));
	}

	/** Reads every part to its end; the parts' contents, in order. */
	static List<byte[]> drain(MultipartReader reader) throws IOException {
		List<byte[]> contents = new ArrayList<>();
		for (var part = reader.nextPart(); part.isPresent(); part = reader.nextPart()) {
			contents.add(part.get().content().readAllBytes());
		}
		return contents;
	}

	private static void assertFails(ThrowingCallable call, Kind kind) {
		assertThatThrownBy(call).isInstanceOfSatisfying(MultipartException.class,
				(ex) -> assertThat(ex.kind()).isEqualTo(kind));
	}

}
