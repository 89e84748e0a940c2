package dev.avatars.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * A request whose body must keep arriving at a minimum rate: once the grace period has passed, a read that
 * leaves the average below it throws {@link RequestBodyTooSlowException}. Tomcat has no such setting; its read
 * timeout only bounds the wait for the next byte, which a client sending one byte a second never reaches.
 */
final class RateCheckedRequest extends HttpServletRequestWrapper {

	private final long startNanos = System.nanoTime();

	private final long minBytesPerSecond;

	private final long graceNanos;

	private final String minRate;

	private final long contentLength;

	private Body body;

	private BufferedReader reader;

	private long bytes;

	private boolean ended;

	private boolean tooSlow;

	private boolean stalled;

	RateCheckedRequest(HttpServletRequest request, long minBytesPerSecond, long graceNanos, String minRate) {
		super(request);
		this.minBytesPerSecond = minBytesPerSecond;
		this.graceNanos = graceNanos;
		this.minRate = minRate;
		this.contentLength = request.getContentLengthLong();
	}

	@Override
	public ServletInputStream getInputStream() throws IOException {
		if (this.body == null) {
			this.body = new Body(super.getInputStream());
		}
		return this.body;
	}

	@Override
	public BufferedReader getReader() throws IOException {
		// Built on the checked stream: the container's own reader would read around it.
		if (this.reader == null) {
			String encoding = getCharacterEncoding();
			Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.ISO_8859_1;
			this.reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
		}
		return this.reader;
	}

	boolean tooSlow() {
		return this.tooSlow;
	}

	/** Whether a read waited longer than the connector's timeout for the next bytes. */
	boolean stalled() {
		return this.stalled;
	}

	/**
	 * Reads and discards what the application left of the body, at the same minimum rate: the container would
	 * otherwise swallow it at any rate, holding the thread.
	 * @return whether the body ended within {@code limit} more bytes and in time
	 */
	boolean drain(long limit) {
		if (this.tooSlow) {
			return false;
		}
		byte[] scratch = new byte[8192];
		long left = limit;
		try {
			InputStream in = getInputStream();
			while (!this.ended && left >= 0) {
				int read = in.read(scratch, 0, scratch.length);
				left -= Math.max(read, 0);
			}
			return this.ended;
		}
		catch (IOException | RequestBodyTooSlowException ex) {
			return false;
		}
	}

	private void count(int read) {
		if (read < 0) {
			this.ended = true;
			return;
		}
		this.bytes += read;
		if (this.contentLength >= 0 && this.bytes >= this.contentLength) {
			this.ended = true;
		}
	}

	private void check() {
		if (this.tooSlow) {
			throw new RequestBodyTooSlowException(this.minRate);
		}
		if (this.ended) {
			return;
		}
		long elapsed = System.nanoTime() - this.startNanos;
		if (elapsed > this.graceNanos && this.bytes < this.minBytesPerSecond * (elapsed / 1e9)) {
			this.tooSlow = true;
			throw new RequestBodyTooSlowException(this.minRate);
		}
	}

	private final class Body extends ServletInputStream {

		private final ServletInputStream in;

		Body(ServletInputStream in) {
			this.in = in;
		}

		@Override
		public int read() throws IOException {
			check();
			int b;
			try {
				b = this.in.read();
			}
			catch (IOException ex) {
				throw stalledOr(ex);
			}
			count((b < 0) ? -1 : 1);
			check();
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			check();
			int read;
			try {
				read = this.in.read(buffer, offset, length);
			}
			catch (IOException ex) {
				throw stalledOr(ex);
			}
			count(read);
			check();
			return read;
		}

		/**
		 * A read that timed out is the client's fault, like a slow one. Tomcat has already turned the response into
		 * an empty 408 by then: the valve writes the problem (see {@link #stalled()}). Anything else (the client
		 * went away) is rethrown.
		 */
		private IOException stalledOr(IOException ex) {
			for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
				if (cause instanceof SocketTimeoutException) {
					RateCheckedRequest.this.stalled = true;
					throw RequestBodyTooSlowException.stalled(ex);
				}
			}
			return ex;
		}

		@Override
		public int available() throws IOException {
			return this.in.available();
		}

		@Override
		public boolean isFinished() {
			return this.in.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.in.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.in.setReadListener(listener);
		}

		@Override
		public void close() throws IOException {
			this.in.close();
		}

	}

}
