package dev.avatars.avatar;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import dev.avatars.MultipartBody;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The upload form's rules on real bodies: which parts it reads, and the answer (status and detail) to each way a
 * body can be wrong. The reader itself is tested in {@code dev.avatars.multipart}.
 */
class AvatarFormTests {

	private static final String TYPE = MultipartBody.contentType();

	@TempDir
	Path folder;

	/** Bytes that look like the boundary's beginnings everywhere, so a sloppy search would cut the file. */
	private static byte[] treacherousPicture(int length) {
		byte[] near = ("\r\n--" + MultipartBody.BOUNDARY).getBytes(StandardCharsets.US_ASCII);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Random random = new Random(42);
		while (out.size() < length) {
			int kind = random.nextInt(4);
			if (kind == 0) {
				out.write(near, 0, 1 + random.nextInt(near.length - 1)); // a proper prefix, never the whole
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
		return out.toByteArray();
	}

	/** Hands out the body in pieces of the given size: boundaries and headers straddle every read. */
	private static InputStream trickle(byte[] body, int piece) {
		return new ByteArrayInputStream(body) {
			@Override
			public synchronized int read(byte[] b, int off, int len) {
				return super.read(b, off, Math.min(len, piece));
			}
		};
	}

	private AvatarForm read(InputStream body, long maxFileBytes) throws IOException {
		return AvatarForm.read(body, TYPE, file(), maxFileBytes);
	}

	private Path file() {
		return this.folder.resolve("upload");
	}

	@ParameterizedTest(name = "reads of {0} bytes")
	@ValueSource(ints = { 1, 3, 7, 41, 1000, 65536 })
	void theFileArrivesByteForByteAndTheFieldsByName(int piece) throws Exception {
		byte[] picture = treacherousPicture(200_000);
		byte[] body = new MultipartBody().field("cropX", "0.25")
			.file("file", "me.jpg", "image/jpeg", picture)
			.field("cropY", "0.5")
			.bytes();

		AvatarForm form = read(trickle(body, piece), 1_000_000);

		assertThat(form.fileBytes()).isEqualTo(picture.length);
		assertThat(Files.readAllBytes(file())).isEqualTo(picture);
		assertThat(form.fields()).isEqualTo(Map.of("cropX", "0.25", "cropY", "0.5"));
	}

	@Test
	void aPreambleTransportPaddingAndAnEpilogueAreIgnored() throws Exception {
		String b = MultipartBody.BOUNDARY;
		String body = "This is the preamble.\r\n--" + b + " \t\r\n"
				+ "content-disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n"
				+ "JPEG\r\n--" + b + "--\r\nThis is the epilogue; --" + b + " is not a part.";

		AvatarForm form = read(trickle(body.getBytes(StandardCharsets.US_ASCII), 5), 100);

		assertThat(Files.readString(file())).isEqualTo("JPEG");
		assertThat(form.fields()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "multipart/form-data", "multipart/form-data; boundary=", "application/json; boundary=x",
			"not a type", "multipart/form-data; boundary=12345678901234567890123456789012345678901234567890123456789012345678901" })
	void aContentTypeWithoutAUsableBoundaryIsA400(String contentType) {
		byte[] body = new MultipartBody().file("file", "a.jpg", "image/jpeg", new byte[10]).bytes();
		assertRejected(() -> AvatarForm.read(new ByteArrayInputStream(body), contentType, file(), 100),
				HttpStatus.BAD_REQUEST, "The request is not a readable multipart/form-data upload.");
		assertThat(file()).doesNotExist();
	}

	@Test
	void aQuotedBoundaryNamesTheBoundary() throws Exception {
		byte[] body = new MultipartBody().file("file", "a.jpg", "image/jpeg", "JPEG".getBytes(StandardCharsets.US_ASCII))
			.bytes();

		AvatarForm form = AvatarForm.read(new ByteArrayInputStream(body),
				"Multipart/Form-Data; charset=utf-8; boundary=\"" + MultipartBody.BOUNDARY + "\"", file(), 100);

		assertThat(form.fileBytes()).isEqualTo(4);
		assertThat(Files.readString(file())).isEqualTo("JPEG");
	}

	@Test
	void noFilePartAndAnEmptyFileAreToldApart() throws Exception {
		AvatarForm none = read(new ByteArrayInputStream(new MultipartBody().field("cropX", "1").bytes()), 100);
		assertThat(none.hasFile()).isFalse();
		assertThat(file()).doesNotExist();

		AvatarForm empty = read(
				new ByteArrayInputStream(new MultipartBody().file("file", "a.jpg", "image/jpeg", new byte[0]).bytes()), 100);
		assertThat(empty.hasFile()).isTrue();
		assertThat(empty.fileBytes()).isZero();
	}

	@Test
	void otherFilesAndUnnamedPartsAreSkippedWhateverTheirSize() throws Exception {
		byte[] body = new MultipartBody().file("picture", "big.jpg", "image/jpeg", treacherousPicture(30_000))
			.file("file", "a.jpg", "image/jpeg", "JPEG".getBytes(StandardCharsets.US_ASCII))
			.bytes();

		AvatarForm form = read(trickle(body, 999), 100);

		assertThat(form.fields()).isEmpty();
		assertThat(Files.readString(file())).isEqualTo("JPEG");
	}

	@Test
	void aFileOverTheLimitIs413AndTheRestIsNotRead() throws Exception {
		byte[] body = new MultipartBody().file("file", "a.jpg", "image/jpeg", new byte[3_000_000]).bytes();
		ByteArrayInputStream in = new ByteArrayInputStream(body);

		assertRejected(() -> read(in, 1024 * 1024), HttpStatus.CONTENT_TOO_LARGE,
				"The file is larger than the limit of 1 MB.");
		assertThat(body.length - in.available()).as("bytes read").isLessThan(1024 * 1024 + 2 * 65536);
	}

	@Test
	void theLimitIsTheFilesLengthToTheByte() throws Exception {
		byte[] picture = treacherousPicture(100_000);
		byte[] body = new MultipartBody().file("file", "a.jpg", "image/jpeg", picture).bytes();

		assertThat(read(trickle(body, 4000), picture.length).fileBytes()).isEqualTo(picture.length);
		Files.delete(file());
		assertRejected(() -> read(trickle(body, 4000), picture.length - 1), HttpStatus.CONTENT_TOO_LARGE,
				"The file is larger than the limit of " + Sizes.describe(picture.length - 1) + ".");
	}

	@Test
	void aBodyOverTheLimitIs413EvenWhenItsFileIsSmall() throws Exception {
		MultipartBody form = new MultipartBody().file("file", "a.jpg", "image/jpeg", new byte[10]);
		for (int i = 0; i < 8; i++) {
			form.file("extra" + i, "x.bin", "application/octet-stream", new byte[100_000]);
		}

		assertRejected(() -> read(new ByteArrayInputStream(form.bytes()), 500 * 1024), HttpStatus.CONTENT_TOO_LARGE,
				"The form is larger than the file limit of 500 KB plus 64 KB for its other fields.");
	}

	@Test
	void twoFilesAreOneTooMany() {
		byte[] body = new MultipartBody().file("file", "a.jpg", "image/jpeg", new byte[10])
			.file("file", "b.jpg", "image/jpeg", new byte[10])
			.bytes();
		assertRejected(() -> read(new ByteArrayInputStream(body), 100), HttpStatus.BAD_REQUEST,
				"Send one picture per upload.");
	}

	@Test
	void aLongFieldTooManyPartsAndEndlessHeadersAre400() {
		byte[] longField = new MultipartBody().field("cropX", "1".repeat(AvatarForm.MAX_FIELD_BYTES + 1)).bytes();
		assertRejected(() -> read(new ByteArrayInputStream(longField), 100), HttpStatus.BAD_REQUEST,
				"The form field 'cropX' is longer than 1024 bytes.");

		MultipartBody many = new MultipartBody();
		for (int i = 0; i <= AvatarForm.MAX_PARTS; i++) {
			many.field("f" + i, "v");
		}
		assertRejected(() -> read(new ByteArrayInputStream(many.bytes()), 100), HttpStatus.BAD_REQUEST,
				"The form has more than 16 parts.");

		String endless = "--" + MultipartBody.BOUNDARY + "\r\nX-Padding: " + "a".repeat(20_000) + "\r\n\r\nv\r\n";
		assertRejected(() -> read(new ByteArrayInputStream(endless.getBytes(StandardCharsets.US_ASCII)), 100),
				HttpStatus.BAD_REQUEST, "A part's headers are too long.");
	}

	@ParameterizedTest(name = "cut after {0} bytes")
	@ValueSource(ints = { 0, 10, 60, 140, 150, 5000, 5040 })
	void aBodyCutOffAnywhereIs400(int length) throws Exception {
		byte[] whole = new MultipartBody().file("file", "a.jpg", "image/jpeg", treacherousPicture(5000)).bytes();
		byte[] cut = Arrays.copyOf(whole, Math.min(length, whole.length - 4));

		assertRejected(() -> read(trickle(cut, 17), 1_000_000), HttpStatus.BAD_REQUEST,
				"The request is not a readable multipart/form-data upload.");
	}

	@Test
	void aClientThatGoesAwayIsA400NotAServerError() {
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

		assertRejected(() -> read(resetting, 1_000_000), HttpStatus.BAD_REQUEST,
				"The request is not a readable multipart/form-data upload.");
	}

	private static void assertRejected(ThrowingCallable call, HttpStatus status, String detail) {
		assertThatThrownBy(call).isInstanceOfSatisfying(UploadRejectedException.class, (ex) -> {
			assertThat(ex.getStatusCode()).isEqualTo(status);
			assertThat(ex.getBody().getDetail()).isEqualTo(detail);
		});
	}

}
