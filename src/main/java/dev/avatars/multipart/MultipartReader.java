package dev.avatars.multipart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.avatars.multipart.MultipartException.Kind;

/**
 * Reads a multipart body (RFC 2046, as RFC 7578 uses it for forms) as it arrives, part by part, each part's content
 * as a stream. The servlet container's parser was the upload path's largest cost (a byte-by-byte boundary search,
 * then a spool file); this one skips through the body with a Horspool search and hands a part's bytes on straight
 * from its buffer, which it fills (64 KB) before searching: a part copied to a file gets a few large writes rather
 * than one per read of the body (Tomcat hands over 8 KB per read).
 *
 * <p>Whatever is wrong with the body, or over a limit, is a {@link MultipartException}; an {@link IOException} of
 * the body itself becomes one too ({@link Kind#INTERRUPTED}): the sender's upload is incomplete, nothing on the
 * reader's side failed. Not thread-safe: one reader per body.
 */
public final class MultipartReader {

	/**
	 * @param maxBodyBytes the whole body, preamble and epilogue included
	 * @param maxParts parts in the body
	 * @param maxHeaderBytes one part's header lines together
	 */
	public record Limits(long maxBodyBytes, int maxParts, int maxHeaderBytes) {

		public Limits {
			if (maxBodyBytes < 0 || maxParts < 0 || maxHeaderBytes < 1) {
				throw new IllegalArgumentException("Limits must be positive: " + maxBodyBytes + ", " + maxParts + ", "
						+ maxHeaderBytes);
			}
		}

	}

	/** What a part's content is read into at most, when filled before a search. */
	static final int BUFFER_BYTES = 64 * 1024;

	/** RFC 2046: a boundary has 1 to 70 characters. */
	private static final int MAX_BOUNDARY = 70;

	private static final byte CR = '\r';

	private static final byte LF = '\n';

	private final InputStream body;

	private final Limits limits;

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

	private int parts;

	/** The part being read, or null before the first and after the last. */
	private Part current;

	/** The current part's bytes handed out by {@link #nextChunk}, not yet consumed by the part. */
	private int chunkStart;

	private int chunkEnd;

	/** Whether the current part's closing delimiter has been consumed. */
	private boolean partEnded;

	private boolean started;

	private boolean closed;

	/**
	 * @param boundary the boundary the body's Content-Type names (see {@link #boundary(String)})
	 */
	public MultipartReader(InputStream body, String boundary, Limits limits) {
		this(body, boundary, limits, BUFFER_BYTES);
	}

	MultipartReader(InputStream body, String boundary, Limits limits, int bufferBytes) {
		if (boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
			throw new IllegalArgumentException("A boundary has 1 to 70 characters");
		}
		this.body = body;
		this.limits = limits;
		this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
		this.buffer = new byte[Math.max(bufferBytes, limits.maxHeaderBytes() + this.delimiter.length + 2)];
		int last = this.delimiter.length - 1;
		Arrays.fill(this.shift, this.delimiter.length);
		for (int i = 0; i < last; i++) {
			this.shift[this.delimiter[i] & 0xff] = last - i;
		}
	}

	/**
	 * The boundary of a {@code multipart/form-data} Content-Type, unquoted.
	 * @throws MultipartException ({@link Kind#MALFORMED}) for another type, or no boundary of 1 to 70 characters
	 */
	public static String boundary(String contentType) throws MultipartException {
		if (contentType == null) {
			throw malformed();
		}
		int semicolon = contentType.indexOf(';');
		String type = ((semicolon < 0) ? contentType : contentType.substring(0, semicolon)).trim();
		if (!type.equalsIgnoreCase("multipart/form-data")) {
			throw malformed();
		}
		String boundary = parameters(contentType).get("boundary");
		if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
			throw malformed();
		}
		return boundary;
	}

	/**
	 * The parameters of a header value such as {@code form-data; name="file"; filename="a.jpg"}, by lower-case
	 * key, quoted values unquoted; the first of a repeated key counts.
	 */
	public static Map<String, String> parameters(String value) {
		Map<String, String> parameters = new HashMap<>();
		int length = value.length();
		int i = value.indexOf(';');
		while (i >= 0 && i < length) {
			int equals = value.indexOf('=', i);
			if (equals < 0) {
				break;
			}
			String key = value.substring(i + 1, equals).trim().toLowerCase(Locale.ROOT);
			int at = equals + 1;
			while (at < length && (value.charAt(at) == ' ' || value.charAt(at) == '\t')) {
				at++;
			}
			StringBuilder text = new StringBuilder();
			if (at < length && value.charAt(at) == '"') {
				for (at++; at < length && value.charAt(at) != '"'; at++) {
					char c = value.charAt(at);
					if (c == '\\' && at + 1 < length) {
						c = value.charAt(++at);
					}
					text.append(c);
				}
				at++;
			}
			else {
				for (; at < length && value.charAt(at) != ';'; at++) {
					text.append(value.charAt(at));
				}
			}
			parameters.putIfAbsent(key, text.toString().trim());
			i = value.indexOf(';', at);
		}
		return parameters;
	}

	/**
	 * The next part, its headers read; what the previous one had left unread is skipped.
	 * @return the part, or empty after the closing delimiter (the epilogue is not read)
	 */
	public Optional<Part> nextPart() throws MultipartException {
		if (this.closed) {
			return Optional.empty();
		}
		if (!this.started) {
			this.started = true;
			skipPreamble();
		}
		else {
			while (nextChunk()) {
				// The rest of the previous part: nothing the caller wants.
			}
		}
		this.current = null;
		if (closingDelimiter()) {
			this.closed = true;
			return Optional.empty();
		}
		if (this.parts == this.limits.maxParts()) {
			throw new MultipartException(Kind.TOO_MANY_PARTS,
					"The body has more than " + this.limits.maxParts() + " parts.");
		}
		this.parts++;
		Map<String, String> headers = readHeaders();
		this.partEnded = false;
		this.chunkStart = this.start;
		this.chunkEnd = this.start;
		this.current = new Part(headers);
		return Optional.of(this.current);
	}

	/** The body may open with a preamble; the first boundary then follows a line break. */
	private void skipPreamble() throws MultipartException {
		int dashBoundary = this.delimiter.length - 2;
		if (fill(dashBoundary) && matches(this.start, 2, this.delimiter.length)) {
			this.start += dashBoundary;
			return;
		}
		this.partEnded = false;
		while (nextChunk()) {
			// The preamble: not part of any part.
		}
	}

	/** After a delimiter: "--" closes the body, a line break opens the next part. */
	private boolean closingDelimiter() throws MultipartException {
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

	/**
	 * Reads a part's header lines, by lower-case name (the first of a repeated one counts); a line that begins
	 * with a space or tab continues the one before (obsolete folding, RFC 5322).
	 */
	private Map<String, String> readHeaders() throws MultipartException {
		Map<String, String> headers = new HashMap<>();
		int budget = this.limits.maxHeaderBytes();
		String name = null;
		StringBuilder value = new StringBuilder();
		String line;
		while (!(line = readLine(budget)).isEmpty()) {
			budget -= line.length() + 2;
			if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
				value.append(' ').append(line.trim());
				continue;
			}
			if (name != null) {
				headers.putIfAbsent(name, value.toString().trim());
			}
			int colon = line.indexOf(':');
			name = (colon > 0) ? line.substring(0, colon).trim().toLowerCase(Locale.ROOT) : null;
			value.setLength(0);
			if (name != null) {
				value.append(line, colon + 1, line.length());
			}
		}
		if (name != null) {
			headers.putIfAbsent(name, value.toString().trim());
		}
		return headers;
	}

	private String readLine(int budget) throws MultipartException {
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
	 * Hands out the current part's next bytes, between {@link #chunkStart} and {@link #chunkEnd}, valid until the
	 * next call; at the part's end consumes its delimiter.
	 * @return false at the part's end
	 */
	private boolean nextChunk() throws MultipartException {
		while (!this.partEnded) {
			int found = search();
			// Without the delimiter, the last bytes may be its beginning: they wait for the next read.
			int until = (found >= 0) ? found : Math.max(this.start, this.end - (this.delimiter.length - 1));
			this.chunkStart = this.start;
			this.chunkEnd = until;
			if (found >= 0) {
				this.start = found + this.delimiter.length;
				this.partEnded = true;
			}
			else {
				this.start = until;
			}
			if (this.chunkEnd > this.chunkStart) {
				return true;
			}
			if (!this.partEnded && !fillBuffer()) {
				throw malformed();
			}
		}
		this.chunkStart = this.chunkEnd;
		return false;
	}

	/**
	 * Reads until the buffer is full or the body ends, so that a part is handed on in whole buffers.
	 * @return false when the body ended without a single new byte
	 */
	private boolean fillBuffer() throws MultipartException {
		int unconsumed = this.end - this.start;
		fill(this.buffer.length);
		return this.end - this.start > unconsumed;
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
	private boolean fill(int wanted) throws MultipartException {
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
				throw new MultipartException(Kind.INTERRUPTED, "The body could not be read to its end.", ex);
			}
			if (read < 0) {
				this.ended = true;
			}
			else {
				this.end += read;
				this.bodyBytes += read;
				if (this.bodyBytes > this.limits.maxBodyBytes()) {
					throw new MultipartException(Kind.BODY_TOO_LARGE,
							"The body is longer than " + this.limits.maxBodyBytes() + " bytes.");
				}
			}
		}
		return this.end >= wanted;
	}

	private static MultipartException headersTooLong() {
		return new MultipartException(Kind.HEADERS_TOO_LONG, "A part's headers are too long.");
	}

	private static MultipartException malformed() {
		return new MultipartException(Kind.MALFORMED, "The body is not a well-formed multipart body.");
	}

	/** One part: its headers, and its content to read once, in order, before the next part. */
	public final class Part {

		private final Map<String, String> headers;

		private final Map<String, String> disposition;

		private final Content content = new Content();

		private Part(Map<String, String> headers) {
			this.headers = Map.copyOf(headers);
			String disposition = headers.get("content-disposition");
			this.disposition = (disposition != null) ? Map.copyOf(parameters(disposition)) : Map.of();
		}

		/** @param name case-insensitive */
		public Optional<String> header(String name) {
			return Optional.ofNullable(this.headers.get(name.toLowerCase(Locale.ROOT)));
		}

		/** Its Content-Disposition's name, for a form field. */
		public Optional<String> name() {
			return Optional.ofNullable(this.disposition.get("name"));
		}

		/** Its Content-Disposition's filename: the part is a file. */
		public Optional<String> filename() {
			return Optional.ofNullable(this.disposition.get("filename"));
		}

		/**
		 * The part's content up to its delimiter. Its {@code transferTo} hands on the reader's buffer as it is,
		 * without copying. Only while this is the current part: {@link #nextPart()} ends it.
		 */
		public InputStream content() {
			return this.content;
		}

		/**
		 * Writes the rest of the content to {@code out}, in whole buffers.
		 * @param maxBytes the most the part may hold, counting what was read of it before
		 * @return the bytes written
		 * @throws MultipartException ({@link Kind#PART_TOO_LARGE}) before writing a byte beyond {@code maxBytes}
		 * @throws IOException when {@code out} fails
		 */
		public long transferTo(OutputStream out, long maxBytes) throws IOException {
			return this.content.transferTo(out, maxBytes);
		}

		/**
		 * The rest of the content as UTF-8 text.
		 * @throws MultipartException ({@link Kind#PART_TOO_LARGE}) when the part is longer than {@code maxBytes}
		 */
		public String text(int maxBytes) throws MultipartException {
			ByteArrayOutputStream value = new ByteArrayOutputStream();
			try {
				this.content.transferTo(value, maxBytes);
			}
			catch (MultipartException ex) {
				throw ex;
			}
			catch (IOException ex) {
				throw new IllegalStateException("A byte array cannot fail", ex);
			}
			return value.toString(StandardCharsets.UTF_8);
		}

		private final class Content extends InputStream {

			private long read;

			private void checkCurrent() {
				if (MultipartReader.this.current != Part.this) {
					throw new IllegalStateException("The part was left: read parts in order");
				}
			}

			/** Bytes of the current chunk not yet read, after reading the next chunk if none; -1 at the end. */
			private int available(boolean fetch) throws MultipartException {
				checkCurrent();
				MultipartReader reader = MultipartReader.this;
				if (reader.chunkEnd == reader.chunkStart && fetch && !reader.nextChunk()) {
					return -1;
				}
				return reader.chunkEnd - reader.chunkStart;
			}

			@Override
			public int read() throws IOException {
				if (available(true) < 0) {
					return -1;
				}
				this.read++;
				return MultipartReader.this.buffer[MultipartReader.this.chunkStart++] & 0xff;
			}

			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				Objects.checkFromIndexSize(off, len, b.length);
				if (len == 0) {
					return 0;
				}
				int available = available(true);
				if (available < 0) {
					return -1;
				}
				int n = Math.min(len, available);
				System.arraycopy(MultipartReader.this.buffer, MultipartReader.this.chunkStart, b, off, n);
				MultipartReader.this.chunkStart += n;
				this.read += n;
				return n;
			}

			@Override
			public int available() throws IOException {
				return Math.max(0, available(false));
			}

			@Override
			public long transferTo(OutputStream out) throws IOException {
				return transferTo(out, Long.MAX_VALUE);
			}

			long transferTo(OutputStream out, long maxBytes) throws IOException {
				MultipartReader reader = MultipartReader.this;
				long written = 0;
				int length;
				while ((length = available(true)) >= 0) {
					if (this.read + length > maxBytes) {
						throw new MultipartException(Kind.PART_TOO_LARGE,
								"The part is longer than " + maxBytes + " bytes.");
					}
					out.write(reader.buffer, reader.chunkStart, length);
					reader.chunkStart += length;
					this.read += length;
					written += length;
				}
				return written;
			}

		}

	}

}
