package dev.avatars.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.avatars.ApiTestSupport;
import dev.avatars.JsonText;
import dev.avatars.MultipartBody;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow request bodies over a real connector (Tomcat's defaults: 200 threads). The grace before the minimum
 * rate applies is cut to 5 s, the wait for a stalled body to 3 s, so that the test is short; the rest is as
 * configured.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "avatars.processing.cron=-", "avatars.processing.on-upload=false",
				"avatars.request-body.min-rate-grace=5s",
				// A body that stops altogether waits this long for its next bytes (20 s as configured).
				"server.tomcat.connection-timeout=3s",
				// Hundreds of uploads by one user: the upload limit would answer them 429 before any body.
				"avatars.rate-limit.uploads=0" })
class SlowClientTests extends ApiTestSupport {

	private static final int SLOW_CLIENTS = 300;

	/** How long normal requests are sent among the slow ones: until the grace ends. */
	private static final Duration ATTACK = Duration.ofSeconds(5);

	@LocalServerPort
	int port;


	@Test
	void hundredsOfSlowUploadsLeaveOtherRequestsAnsweredWithinASecond() throws Exception {
		long id = createUser("target");
		// Warm, as a server that has run a while is: the first answers load classes and fill caches, slowly on
		// a busy machine, and a hundred first 408s at once would wait for each other.
		assertThat(listUsers(Duration.ofSeconds(20))).startsWith("HTTP/1.1 200 ");
		assertThat(trickle(uploadHead(id, 100_000), new byte[] { '-' })).startsWith("HTTP/1.1 408 ");
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<SlowOutcomes> slow = executor.submit(() -> slowUploads(id));
			Thread.sleep(1500); // the slow clients are connected and sending
			List<Long> millis = new ArrayList<>();
			long until = System.nanoTime() + ATTACK.minusMillis(1500).toNanos();
			while (System.nanoTime() < until) {
				long start = System.nanoTime();
				String answer = listUsers(Duration.ofSeconds(1));
				millis.add((System.nanoTime() - start) / 1_000_000);
				assertThat(answer).as("GET /api/users among slow uploads").startsWith("HTTP/1.1 200 ")
					.contains("\"username\":\"target\"");
				Thread.sleep(200);
			}
			SlowOutcomes outcomes = slow.get();
			System.out.println("SlowClientTests: GET /api/users took " + millis + " ms; slow connections: " + outcomes);

			assertThat(millis).as("milliseconds per GET /api/users").hasSizeGreaterThan(6)
				.allSatisfy((ms) -> assertThat(ms).isLessThan(1000));
			assertThat(outcomes.connections()).isGreaterThanOrEqualTo(SLOW_CLIENTS);
			assertThat(outcomes.stillOpen()).as("slow connections left open at the end").isZero();
			// 408: too slow; 503: over avatars.request-body.max-receiving; 0: closed without an answer.
			assertThat(outcomes.byStatus().keySet()).isSubsetOf(0, 408, 503).contains(408, 503);
			assertThat(outcomes.busyAnswer()).contains("Retry-After: 5\r\n", "Content-Type: application/problem+json",
					"\"status\":503");
			assertThat(avatarStatus(id)).isEqualTo("NONE");
			assertThat(storedFiles()).isEmpty();
		}
		finally {
			executor.shutdownNow();
		}
	}

	/** GET /api/users on a new connection; the whole answer, or "timed out". */
	private String listUsers(Duration timeout) throws IOException {
		try (Socket socket = new Socket()) {
			long deadline = System.nanoTime() + timeout.toNanos();
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), (int) timeout.toMillis());
			socket.getOutputStream()
				.write("GET /api/users HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII));
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			while (true) {
				long left = (deadline - System.nanoTime()) / 1_000_000;
				if (left <= 0) {
					return "timed out";
				}
				socket.setSoTimeout((int) left);
				int read;
				try {
					read = socket.getInputStream().read(buffer);
				}
				catch (SocketTimeoutException ex) {
					return "timed out";
				}
				if (read < 0) {
					return answer.toString(StandardCharsets.UTF_8);
				}
				answer.write(buffer, 0, read);
			}
		}
	}

	@Test
	void aSlowUploadEndsWith408ProblemAndLeavesNothing() throws Exception {
		long id = createUser("slowpoke");
		String answer = trickle(uploadHead(id, 100_000), ("--" + MultipartBody.BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII));

		assertThat(answer).startsWith("HTTP/1.1 408 ")
			.contains("Content-Type: application/problem+json", "Connection: close",
					"\"detail\":\"The request body arrived slower than 1 KB per second.\"");
		assertThat(avatarStatus(id)).isEqualTo("NONE");
		assertThat(storedFiles()).isEmpty();
	}

	@Test
	void aStalledUploadEndsWith408ProblemAndLeavesNothing() throws Exception {
		long id = createUser("stalled");
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(250);
			OutputStream out = socket.getOutputStream();
			out.write(uploadHead(id, 100_000).getBytes(StandardCharsets.US_ASCII));
			out.write(("--" + MultipartBody.BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			// Then nothing at all: no byte to measure a rate on, only the connector's read timeout.
			long start = System.nanoTime();
			Exchange exchange = exchange(socket, start + Duration.ofSeconds(10).toNanos(), false, true);

			assertThat(exchange.answer()).startsWith("HTTP/1.1 408 ")
				.contains("Content-Type: application/problem+json", "\"status\":408",
						"\"detail\":\"The request body stopped arriving before its end.\"")
				.doesNotContain("Exception", "/tmp");
			assertThat(exchange.closed()).isTrue();
		}
		assertThat(avatarStatus(id)).isEqualTo("NONE");
		assertThat(storedFiles()).isEmpty();
	}

	@Test
	void aSlowJsonBodyEndsWith408Problem() throws Exception {
		// Signing up takes the page's CSRF token: any value, as cookie and header alike.
		String head = "POST /api/users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
				+ "Cookie: XSRF-TOKEN=slow\r\nX-XSRF-TOKEN: slow\r\nContent-Length: 1000\r\n\r\n";

		String answer = trickle(head, "{\"username\":".getBytes(StandardCharsets.US_ASCII));

		assertThat(answer).startsWith("HTTP/1.1 408 ").contains("Content-Type: application/problem+json");
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single()).isZero();
	}

	@Test
	void aSlowBodyNobodyReadsIsNotSwallowedAtItsPace() throws Exception {
		// Answered before its body is read (no such user); Tomcat would then swallow the rest at any pace.
		// An admin may reach any user's avatar, so learns there is no such user.
		String head = "POST /api/users/999999/avatar HTTP/1.1\r\nHost: localhost\r\n" + authorization(adminId())
				+ "Content-Type: " + MultipartBody.contentType() + "\r\nContent-Length: 100000\r\n\r\n";
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(250);
			OutputStream out = socket.getOutputStream();
			out.write(head.getBytes(StandardCharsets.US_ASCII));
			out.write('-');
			out.flush();
			long start = System.nanoTime();
			Exchange exchange = exchange(socket, start + Duration.ofSeconds(8).toNanos(), true, false);
			assertThat(exchange.answer()).startsWith("HTTP/1.1 404 ");
			assertThat(exchange.closed()).as("closed while the body still trickles").isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8)); // grace 5 s
		}
	}

	/** Sends the head and the first bytes, then a byte a second; what comes back until the server closes. */
	private String trickle(String head, byte[] first) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(250);
			OutputStream out = socket.getOutputStream();
			out.write(head.getBytes(StandardCharsets.US_ASCII));
			out.write(first);
			out.flush();
			Exchange exchange = exchange(socket, System.nanoTime() + Duration.ofSeconds(8).toNanos(), true, true);
			assertThat(exchange.closed()).as("closed after answering").isTrue();
			return exchange.answer();
		}
	}

	record Exchange(String answer, boolean closed) {
	}

	/**
	 * What comes back until the server closes or the deadline passes, sending a byte a second meanwhile when
	 * {@code trickle} (until answered, when {@code stopOnAnswer}).
	 */
	private static Exchange exchange(Socket socket, long deadline, boolean trickle, boolean stopOnAnswer)
			throws IOException {
		ByteArrayOutputStream answer = new ByteArrayOutputStream();
		InputStream in = socket.getInputStream();
		long nextByte = System.nanoTime() + 1_000_000_000L;
		byte[] buffer = new byte[4096];
		while (System.nanoTime() < deadline) {
			try {
				int read = in.read(buffer);
				if (read < 0) {
					return new Exchange(answer.toString(StandardCharsets.UTF_8), true);
				}
				answer.write(buffer, 0, read);
			}
			catch (SocketTimeoutException ex) {
				// nothing yet
			}
			catch (IOException ex) {
				return new Exchange(answer.toString(StandardCharsets.UTF_8), true); // reset
			}
			boolean answered = answer.size() > 0;
			if (trickle && System.nanoTime() > nextByte && !(answered && stopOnAnswer)) {
				try {
					socket.getOutputStream().write(' ');
				}
				catch (IOException ex) {
					return new Exchange(answer.toString(StandardCharsets.UTF_8), true);
				}
				nextByte += 1_000_000_000L;
			}
		}
		return new Exchange(answer.toString(StandardCharsets.UTF_8), false);
	}

	record SlowOutcomes(int connections, int stillOpen, Map<Integer, Integer> byStatus, String busyAnswer) {
	}

	/**
	 * {@link #SLOW_CLIENTS} connections that send an upload's head, then a byte a second, until each ends; whatever
	 * is still open a few seconds after the grace is closed.
	 */
	private SlowOutcomes slowUploads(long id) throws Exception {
		byte[] head = uploadHead(id, 1_000_000).getBytes(StandardCharsets.US_ASCII);
		InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port);
		Map<Integer, Integer> byStatus = new TreeMap<>();
		String busyAnswer = "";
		int connections = 0;
		List<SocketChannel> open = new ArrayList<>();
		ByteBuffer readBuffer = ByteBuffer.allocate(8192);
		long start = System.nanoTime();
		long attackEnds = start + ATTACK.toNanos();
		long deadline = attackEnds + Duration.ofSeconds(5).toNanos();
		try (Selector selector = Selector.open()) {
			for (long tick = start; System.nanoTime() < deadline;
					tick = Math.max(tick + 1_000_000_000L, System.nanoTime())) {
				// All connect at once, then every open one sends its next byte each second.
				if (tick == start) {
					while (open.size() < SLOW_CLIENTS) {
						SocketChannel channel = SocketChannel.open(server);
						channel.write(ByteBuffer.wrap(head));
						channel.configureBlocking(false);
						channel.register(selector, SelectionKey.OP_READ, new ByteArrayOutputStream());
						open.add(channel);
						connections++;
					}
				}
				else if (open.isEmpty()) {
					break;
				}
				for (SocketChannel channel : List.copyOf(open)) {
					try {
						channel.write(ByteBuffer.wrap(new byte[] { 'x' }));
					}
					catch (IOException ex) {
						// ended: the selector sees it too
					}
				}
				long tickEnds = tick + 1_000_000_000L;
				// At least one look at what came back, however late the tick runs.
				do {
					selector.select(Math.max(1, (tickEnds - System.nanoTime()) / 1_000_000));
					for (SelectionKey key : selector.selectedKeys()) {
						SocketChannel channel = (SocketChannel) key.channel();
						ByteArrayOutputStream received = (ByteArrayOutputStream) key.attachment();
						int read;
						try {
							readBuffer.clear();
							read = channel.read(readBuffer);
						}
						catch (IOException ex) {
							read = -1;
						}
						if (read > 0) {
							received.write(readBuffer.array(), 0, read);
						}
						else if (read < 0) {
							String answer = received.toString(StandardCharsets.UTF_8);
							int status = answer.startsWith("HTTP/1.1 ") ? Integer.parseInt(answer.substring(9, 12)) : 0;
							byStatus.merge(status, 1, Integer::sum);
							if (status == 503 && busyAnswer.isEmpty()) {
								busyAnswer = answer;
							}
							key.cancel();
							channel.close();
							open.remove(channel);
						}
					}
					selector.selectedKeys().clear();
				}
				while (System.nanoTime() < tickEnds);
			}
			return new SlowOutcomes(connections, open.size(), byStatus, busyAnswer);
		}
		finally {
			for (SocketChannel channel : open) {
				channel.close();
			}
		}
	}

	private String uploadHead(long id, int contentLength) throws Exception {
		return "POST /api/users/" + id + "/avatar HTTP/1.1\r\nHost: localhost\r\n" + authorization(id)
				+ "Content-Type: " + MultipartBody.contentType() + "\r\nContent-Length: " + contentLength + "\r\n\r\n";
	}

	/** The user's own API token, made over HTTP as a script would: these requests are written by hand. */
	private String authorization(long id) throws Exception {
		String username = this.jdbc.sql("SELECT username FROM users WHERE id = ?").param(id).query(String.class).single();
		String scope = ADMIN.equals(username) ? "admin" : "avatar";
		String created = dev.avatars.WebSession.signIn("http://localhost:" + this.port, username, PASSWORD)
			.postJson("/api/tokens", "{\"name\":\"slow\",\"scope\":\"" + scope + "\"}")
			.body();
		return "Authorization: Bearer " + JsonText.string(created, "$.token") + "\r\n";
	}

}
