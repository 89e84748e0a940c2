package dev.avatars.avatar;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.avatars.ApiTestSupport;
import dev.avatars.TestImages;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Through a real servlet container: there its multipart limit trips before our code sees the file. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "avatars.processing.cron=-", "avatars.upload.max-bytes=1MB" })
class UploadLimitOverHttpTests extends ApiTestSupport {

	@LocalServerPort
	int port;

	@Test
	void overTheLimitIs413ProblemAndLeavesNothing() throws Exception {
		long id = createUser("big");
		byte[] big = new byte[3 * 1024 * 1024];
		System.arraycopy(TestImages.jpeg(32, 32), 0, big, 0, 100);

		HttpResponse<String> response = post(id, big);

		assertRefusedWithNothingStored(response, id, 413, "The file is larger than the limit of 1 MB.");
	}

	@Test
	void uploadWithinTheLimitIsStoredAsOneFileAmongTheOriginals() throws Exception {
		long id = createUser("small");
		HttpResponse<String> response = post(id, TestImages.jpeg(200, 100));
		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(storedFiles()).singleElement()
			.satisfies((file) -> assertThat(file.getParent()).isEqualTo(uploads().resolve("originals")));
	}

	@Test
	void aMultipartBodyCutOffInsideItsPartIs400ProblemAndLeavesNothing() throws Exception {
		long id = createUser("garbled");
		// The part opens but the body ends before its closing boundary.
		String cutOff = "------cut\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n"
				+ "Content-Type: image/jpeg\r\n\r\n" + "x".repeat(5000);
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/api/users/" + id + "/avatar"))
			.header("Content-Type", "multipart/form-data; boundary=----cut")
			.POST(HttpRequest.BodyPublishers.ofString(cutOff))
			.build();

		HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

		assertRefusedWithNothingStored(response, id, 400, "The request is not a readable multipart/form-data upload.");
	}

	private void assertRefusedWithNothingStored(HttpResponse<String> response, long id, int status, String detail)
			throws Exception {
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("\"detail\":\"" + detail + "\"");
		AvatarUploadTests.assertNoInternals(response.body());
		assertThat(storedFiles()).isEmpty();
		assertThat(avatarRow(id).get("STATUS")).isEqualTo("NONE");
	}

	private HttpResponse<String> post(long id, byte[] content) throws Exception {
		String boundary = "----avatars-test";
		byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n"
				+ "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
		byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/api/users/" + id + "/avatar"))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, content, tail)))
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
	}

}
