package dev.avatars.avatar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Reads a multipart/form-data upload as it arrives (RFC 7578): the part named {@code file} straight into a
 * file, the few other fields into memory. The servlet container's parser was the upload path's largest cost
 * (a byte-by-byte boundary search, then a spool file); this one skips through the body with a Horspool search
 * and writes the picture once.
 *
 * <p>Limits: the file part at most {@code maxFileBytes} (413), the whole body that plus {@link #FORM_OVERHEAD}
 * (413), a part's headers {@link #MAX_HEADER_BYTES}, another field's value {@link #MAX_FIELD_BYTES}, and
 * {@link #MAX_PARTS} parts (400). Whatever the body breaks, the caller deletes the file.
 */
final class MultipartUpload {

	private static final String FILE_FIELD = "file";

	/** Room for the form's other parts on top of the file itself. */
	private static final int FORM_OVERHEAD = 64 * 1024;

	private static final int MAX_HEADER_BYTES = 8 * 1024;

	static final int MAX_FIELD_BYTES = 1024;

	static final int MAX_PARTS = 16;

	private static final int BUFFER_BYTES = 64 * 1024;

	private static final byte CR = '\r';

	private static final byte LF = '\n';

	/**
	 * What the form held.
	 * @param fileBytes the file part's length, or -1 when there was none
	 * @param fields the other parts' values by name
	 */
	record Form(long fileBytes, Map<String, String> fields) {

		boolean hasFile() {
			return this.fileBytes >= 0;
		}

		Optional<String> field(String name) {
			return Optional.ofNullable(this.fields.get(name));
		}

	}

	private final InputStream body;

	private final long maxFileBytes;

	private final long maxBodyBytes;

	/** CRLF, two dashes and the boundary: what ends every part. */
	private final byte[] delimiter;

	/** Horspool's shift for each byte value seen at the end of the window. */
	private final int[] shift = new int[256];

	private final byte[] buffer;

	/** The first byte not yet consumed. */
	private int start;

	/** The end of the bytes read so far. */
	private int end;

	private boolean ended;

	private long bodyBytes;

	MultipartUpload(InputStream body, String boundary, long maxFileBytes, int bufferBytes) {
		this.body = body;
		this.maxFileBytes = maxFileBytes;
		this.maxBodyBytes = maxFileBytes + FORM_OVERHEAD;
		this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
		this.buffer = new byte[Math.max(bufferBytes, MAX_HEADER_BYTES + this.delimiter.length)];
		int last = this.delimiter.length - 1;
		Arrays.fill(this.shift, this.delimiter.length);
		for (int i = 0; i < last; i++) {
			this.shift[this.delimiter[i] & 0xff] = last - i;
		}
	}

	/**
	 * Reads the whole form.
	 * @param contentType the request's Content-Type, which names the boundary
	 * @param file where the file part goes; created only when there is one
	 * @throws UploadRejectedException for a body that is not a well-formed form within the limits
	 * @throws IOException when the file cannot be written (reading errors are the client's: 400)
	 */
	static Form read(InputStream body, String contentType, Path file, long maxFileBytes) throws IOException {
		return new MultipartUpload(body, boundary(contentType), maxFileBytes, BUFFER_BYTES).read(file);
	}

	static String boundary(String contentType) {
		String boundary;
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			boundary = type.isCompatibleWith(MediaType.MULTIPART_FORM_DATA) ? type.getParameter("boundary") : null;
		}
		catch (RuntimeException ex) {
			boundary = null;
		}
		if (boundary != null && boundary.length() >= 2 && boundary.startsWith("\"") && boundary.endsWith("\"")) {
			boundary = boundary.substring(1, boundary.length() - 1);
		}
		// RFC 2046: 1 to 70 characters.
		if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
			throw malformed();
		}
		return boundary;
	}

	Form read(Path file) throws IOException {
		skipPreamble();
		long fileBytes = -1;
		Map<String, String> fields = new HashMap<>();
		for (int parts = 0; !closingDelimiter(); parts++) {
			if (parts == MAX_PARTS) {
				throw rejected(HttpStatus.BAD_REQUEST, "Too many form fields",
						"The form has more than " + MAX_PARTS + " parts.");
			}
			Map<String, String> disposition = readHeaders();
			String name = disposition.get("name");
			if (FILE_FIELD.equals(name)) {
				if (fileBytes >= 0) {
					throw rejected(HttpStatus.BAD_REQUEST, "More than one file", "Send one picture per upload.");
				}
				fileBytes = copyPartTo(file);
			}
			else if (name == null || disposition.containsKey("filename")) {
				// Some other file, or a part without a name: nothing this endpoint reads.
				skipPart();
			}
			else {
				fields.putIfAbsent(name, readField(name));
			}
		}
		return new Form(fileBytes, fields);
	}

	/** The body may open with a preamble; the first boundary then follows a line break. */
	private void skipPreamble() throws IOException {
		int dashBoundary = this.delimiter.length - 2;
		if (fill(dashBoundary) && matches(this.start, 2, this.delimiter.length)) {
			this.start += dashBoundary;
			return;
		}
		skipPart();
	}

	/** After a delimiter: "--" closes the form, a line break opens the next part. */
	private boolean closingDelimiter() throws IOException {
		if (!fill(2)) {
			throw malformed();
		}
		if (this.buffer[this.start] == '-' && this.buffer[this.start + 1] == '-') {
			return true;
		}
		// Transport padding (RFC 2046) may sit before the line break.
		while (true) {
			if (!fill(2)) {
				throw malformed();
			}
			byte b = this.buffer[this.start];
			if (b == ' ' || b == '\t') {
				this.start++;
			}
			else if (b == CR && this.buffer[this.start + 1] == LF) {
				this.start += 2;
				return false;
			}
			else {
				throw malformed();
			}
		}
	}

	/** Reads a part's headers; returns its Content-Disposition's parameters (name, filename), if any. */
	private Map<String, String> readHeaders() throws IOException {
		Map<String, String> disposition = Map.of();
		int budget = MAX_HEADER_BYTES;
		String line;
		while (!(line = readLine(budget)).isEmpty()) {
			budget -= line.length() + 2;
			int colon = line.indexOf(':');
			if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Disposition")) {
				disposition = dispositionParameters(line.substring(colon + 1));
			}
		}
		return disposition;
	}

	private String readLine(int budget) throws IOException {
		int scanned = 0;
		while (true) {
			for (int i = this.start + scanned; i + 1 < this.end; i++) {
				if (this.buffer[i] == CR && this.buffer[i + 1] == LF) {
					if (i - this.start > budget) {
						throw headersTooLong();
					}
					String line = new String(this.buffer, this.start, i - this.start, StandardCharsets.UTF_8);
					this.start = i + 2;
					return line;
				}
			}
			scanned = Math.max(0, this.end - this.start - 1);
			if (scanned >= budget) {
				throw headersTooLong();
			}
			if (!fill(this.end - this.start + 1)) {
				throw malformed();
			}
		}
	}

	/**
	 * The parameters of a Content-Disposition value such as {@code form-data; name="file"; filename="a.jpg"},
	 * by lower-case key, quoted values unquoted.
	 */
	static Map<String, String> dispositionParameters(String disposition) {
		Map<String, String> parameters = new HashMap<>();
		int length = disposition.length();
		int i = disposition.indexOf(';');
		while (i >= 0 && i < length) {
			int equals = disposition.indexOf('=', i);
			if (equals < 0) {
				break;
			}
			String key = disposition.substring(i + 1, equals).trim().toLowerCase(Locale.ROOT);
			int at = equals + 1;
			while (at < length && disposition.charAt(at) == ' ') {
				at++;
			}
			StringBuilder value = new StringBuilder();
			if (at < length && disposition.charAt(at) == '"') {
				for (at++; at < length && disposition.charAt(at) != '"'; at++) {
					char c = disposition.charAt(at);
					if (c == '\\' && at + 1 < length) {
						c = disposition.charAt(++at);
					}
					value.append(c);
				}
				at++;
			}
			else {
				for (; at < length && disposition.charAt(at) != ';'; at++) {
					value.append(disposition.charAt(at));
				}
			}
			parameters.putIfAbsent(key, value.toString().trim());
			i = disposition.indexOf(';', at);
		}
		return parameters;
	}

	private long copyPartTo(Path file) throws IOException {
		try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
			readPart((bytes, offset, length) -> {
				if (out.position() + length > this.maxFileBytes) {
					throw UploadRejectedException.tooLarge(this.maxFileBytes);
				}
				ByteBuffer chunk = ByteBuffer.wrap(bytes, offset, length);
				while (chunk.hasRemaining()) {
					out.write(chunk);
				}
			});
			return out.position();
		}
	}

	private String readField(String name) throws IOException {
		ByteArrayOutputStream value = new ByteArrayOutputStream();
		readPart((bytes, offset, length) -> {
			if (value.size() + length > MAX_FIELD_BYTES) {
				throw rejected(HttpStatus.BAD_REQUEST, "Field too long",
						"The form field '" + name + "' is longer than " + MAX_FIELD_BYTES + " bytes.");
			}
			value.write(bytes, offset, length);
		});
		return value.toString(StandardCharsets.UTF_8);
	}

	private void skipPart() throws IOException {
		readPart((bytes, offset, length) -> {
		});
	}

	/** Hands the part's bytes to {@code sink} chunk by chunk, up to the delimiter, which it consumes. */
	private void readPart(Chunks sink) throws IOException {
		while (true) {
			int found = search();
			// Without the delimiter, the last bytes may be its beginning: they wait for the next read.
			int until = (found >= 0) ? found : Math.max(this.start, this.end - (this.delimiter.length - 1));
			sink.accept(this.buffer, this.start, until - this.start);
			if (found >= 0) {
				this.start = found + this.delimiter.length;
				return;
			}
			this.start = until;
			if (!fillBuffer()) {
				throw malformed();
			}
		}
	}

	/**
	 * Reads until the buffer is full or the body ends: Tomcat hands over 8 KB per read, and writing the file in
	 * whole buffers instead costs a fraction of the system calls.
	 * @return false when the body ended without a single new byte
	 */
	private boolean fillBuffer() {
		int unconsumed = this.end - this.start;
		fill(this.buffer.length);
		return this.end - this.start > unconsumed;
	}

	@FunctionalInterface
	private interface Chunks {

		void accept(byte[] bytes, int offset, int length) throws IOException;

	}

	/** Where the delimiter starts in the unconsumed bytes, or -1 (Horspool: mostly skips a delimiter's length). */
	private int search() {
		int last = this.delimiter.length - 1;
		byte lastByte = this.delimiter[last];
		int i = this.start;
		while (i + last < this.end) {
			byte b = this.buffer[i + last];
			if (b == lastByte && matches(i, 0, last)) {
				return i;
			}
			i += this.shift[b & 0xff];
		}
		return -1;
	}

	/** Whether the buffer at {@code at} holds the delimiter's bytes from {@code from} to {@code to}. */
	private boolean matches(int at, int from, int to) {
		for (int k = from; k < to; k++) {
			if (this.buffer[at + k - from] != this.delimiter[k]) {
				return false;
			}
		}
		return true;
	}

	/** Makes at least {@code wanted} unconsumed bytes available; false when the body ends first. */
	private boolean fill(int wanted) {
		if (this.end - this.start >= wanted) {
			return true;
		}
		if (wanted > this.buffer.length) {
			throw new IllegalStateException("Cannot hold " + wanted + " bytes at once");
		}
		if (this.start > 0) {
			System.arraycopy(this.buffer, this.start, this.buffer, 0, this.end - this.start);
			this.end -= this.start;
			this.start = 0;
		}
		while (this.end < wanted && !this.ended) {
			int read;
			try {
				read = this.body.read(this.buffer, this.end, this.buffer.length - this.end);
			}
			catch (IOException ex) {
				// The client went away or stalled: its upload is incomplete, nothing on our side failed.
				throw malformed();
			}
			if (read < 0) {
				this.ended = true;
			}
			else {
				this.end += read;
				this.bodyBytes += read;
				if (this.bodyBytes > this.maxBodyBytes) {
					throw rejected(HttpStatus.CONTENT_TOO_LARGE, "Upload too large",
							"The form is larger than the file limit of " + Sizes.describe(this.maxFileBytes) + " plus "
									+ Sizes.describe(FORM_OVERHEAD) + " for its other fields.");
				}
			}
		}
		return this.end >= wanted;
	}

	private static UploadRejectedException headersTooLong() {
		return rejected(HttpStatus.BAD_REQUEST, "Bad upload", "A part's headers are too long.");
	}

	private static UploadRejectedException malformed() {
		return rejected(HttpStatus.BAD_REQUEST, "Bad upload",
				"The request is not a readable multipart/form-data upload.");
	}

	private static UploadRejectedException rejected(HttpStatus status, String title, String detail) {
		return new UploadRejectedException(status, title, detail);
	}

}
