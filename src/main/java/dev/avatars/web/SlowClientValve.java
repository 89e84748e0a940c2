package dev.avatars.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.apache.coyote.http11.AbstractHttp11Protocol;

import org.springframework.util.unit.DataSize;

/**
 * Keeps slow request bodies from holding every Tomcat thread (blocking servlet IO: a thread waits for each
 * body). At most {@code maxReceiving} requests may have a body still arriving; more are answered 503 at once,
 * without reading them. Those let in must arrive at the minimum rate (see {@link RateCheckedRequest}), and so
 * must whatever the application left unread, which Tomcat would otherwise swallow at any speed. A body refused
 * or too slow is not read further: the answer goes out and the connection is closed.
 */
final class SlowClientValve extends ValveBase {

	private final Semaphore receiving;

	private final long minBytesPerSecond;

	private final long graceNanos;

	private final String minRate;

	private final String retryAfterSeconds;

	private final byte[] busy;

	private final byte[] stalled;

	SlowClientValve(RequestBodyProperties properties) {
		super(true);
		this.receiving = new Semaphore(properties.maxReceiving());
		this.minBytesPerSecond = properties.minRate().toBytes();
		this.graceNanos = properties.minRateGrace().toNanos();
		this.minRate = describe(properties.minRate());
		long retryAfter = Math.max(1, properties.retryAfter().toSeconds());
		this.retryAfterSeconds = Long.toString(retryAfter);
		this.busy = ("{\"type\":\"about:blank\",\"title\":\"Too many uploads at once\",\"status\":503,"
				+ "\"detail\":\"Too many request bodies are arriving at once. Try again in " + retryAfter
				+ " seconds.\"}")
			.getBytes(StandardCharsets.UTF_8);
		this.stalled = ("{\"type\":\"about:blank\",\"title\":\"Request body stalled\",\"status\":408,"
				+ "\"detail\":\"The request body stopped arriving before its end.\"}")
			.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		if (!hasBody(request)) {
			getNext().invoke(request, response);
			return;
		}
		if (!this.receiving.tryAcquire()) {
			refuse(request, response);
			return;
		}
		try {
			RateCheckedRequest checked = new RateCheckedRequest(request.getRequest(), this.minBytesPerSecond,
					this.graceNanos, this.minRate);
			request.setRequest(checked);
			getNext().invoke(request, response);
			if (checked.stalled()) {
				answerStalled(request, response);
			}
			else if (!request.isAsyncStarted() && !checked.drain(maxSwallowBytes(request))) {
				closeWithoutReading(request, response);
			}
		}
		finally {
			this.receiving.release();
		}
	}

	private static boolean hasBody(Request request) {
		long length = request.getContentLengthLong();
		return length > 0 || (length < 0 && request.getHeader("Transfer-Encoding") != null);
	}

	private void refuse(Request request, Response response) throws IOException {
		response.setStatus(503);
		response.setHeader("Retry-After", this.retryAfterSeconds);
		response.setContentType("application/problem+json");
		response.setContentLength(this.busy.length);
		response.getOutputStream().write(this.busy);
		closeWithoutReading(request, response);
	}

	/**
	 * Tomcat answers a read that timed out with an empty 408 of its own (sendError), which suspends whatever the
	 * application writes; the problem replaces it.
	 */
	private void answerStalled(Request request, Response response) throws IOException {
		if (response.isCommitted()) {
			return;
		}
		response.setSuspended(false);
		response.reset();
		response.setStatus(408);
		response.setContentType("application/problem+json");
		response.setContentLength(this.stalled.length);
		response.getOutputStream().write(this.stalled);
		closeWithoutReading(request, response);
	}

	/** No more of the body is read; the connection closes once the answer is out. */
	private static void closeWithoutReading(Request request, Response response) {
		request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
		// That marks the response as an error, which would send it through the error page (Boot's /error) as
		// well: the answer is already written, so the error counts as reported.
		response.setErrorReported();
	}

	/** Tomcat's own bound on what it swallows after a response (server.tomcat.max-swallow-size). */
	private static long maxSwallowBytes(Request request) {
		if (request.getConnector().getProtocolHandler() instanceof AbstractHttp11Protocol<?> http11
				&& http11.getMaxSwallowSize() >= 0) {
			return http11.getMaxSwallowSize();
		}
		return Long.MAX_VALUE;
	}

	private static String describe(DataSize size) {
		long bytes = size.toBytes();
		return (bytes % 1024 == 0) ? (bytes / 1024) + " KB" : bytes + " bytes";
	}

}
