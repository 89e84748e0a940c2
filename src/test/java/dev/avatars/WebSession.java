package dev.avatars;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * A client that behaves like the page: keeps cookies, and sends the XSRF-TOKEN cookie's value as the
 * X-XSRF-TOKEN header on every change. For tests against a real port (an {@link AppProcess} or a
 * RANDOM_PORT context).
 */
public final class WebSession {

	private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

	private final HttpClient http = HttpClient.newBuilder().cookieHandler(this.cookies).build();

	private final String baseUrl;

	private WebSession(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	/** Nobody signed in yet; the first request fetches the CSRF cookie. */
	public static WebSession anonymous(String baseUrl) throws IOException, InterruptedException {
		WebSession session = new WebSession(baseUrl);
		session.get("/api/session");
		return session;
	}

	public static WebSession signIn(String baseUrl, String username, String password)
			throws IOException, InterruptedException {
		WebSession session = anonymous(baseUrl);
		HttpResponse<String> response = session.postJson("/api/session",
				"{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
		if (response.statusCode() != 200) {
			throw new IllegalStateException("Sign-in as " + username + " refused: " + response.body());
		}
		return session;
	}

	/** Signs up {@code username} (display name the same) and signs in; returns the session. */
	public static WebSession signUp(String baseUrl, String username, String password)
			throws IOException, InterruptedException {
		HttpResponse<String> created = anonymous(baseUrl).postJson("/api/users", "{\"username\":\"" + username
				+ "\",\"displayName\":\"" + username + "\",\"password\":\"" + password + "\"}");
		if (created.statusCode() != 201) {
			throw new IllegalStateException("Sign-up of " + username + " refused: " + created.body());
		}
		return signIn(baseUrl, username, password);
	}

	public Optional<String> cookie(String name) {
		return this.cookies.getCookieStore()
			.get(URI.create(this.baseUrl + "/"))
			.stream()
			.filter((cookie) -> cookie.getName().equals(name))
			.map(HttpCookie::getValue)
			.findFirst();
	}

	public HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return send(request(path).GET());
	}

	public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
		return send(request(path).DELETE());
	}

	public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
		return send(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	public HttpResponse<String> postFile(String path, byte[] content) throws IOException, InterruptedException {
		return postMultipart(path, new MultipartBody().file("file", "a.jpg", "image/jpeg", content).bytes());
	}

	public HttpResponse<String> postMultipart(String path, byte[] body) throws IOException, InterruptedException {
		return send(request(path).header("Content-Type", MultipartBody.contentType())
			.POST(HttpRequest.BodyPublishers.ofByteArray(body)));
	}

	public HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(this.baseUrl + path));
	}

	/** Sends with the CSRF header when there is a token, as the page does. */
	public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		cookie("XSRF-TOKEN").ifPresent((token) -> request.header("X-XSRF-TOKEN", token));
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
