package dev.avatars.avatar;

import java.net.http.HttpResponse;
import java.util.Arrays;

import dev.avatars.ApiTestSupport;
import dev.avatars.JsonText;
import dev.avatars.MultipartBody;
import dev.avatars.TestImages;
import dev.avatars.WebSession;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Through a real servlet container: there its multipart limit trips before our code sees the file. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "avatars.processing.cron=-", "avatars.processing.on-upload=false",
				"avatars.upload.max-bytes=1MB" })
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
		byte[] whole = new MultipartBody().file("file", "a.jpg", "image/jpeg", "x".repeat(5000).getBytes()).bytes();

		HttpResponse<String> response = send(id, Arrays.copyOf(whole, whole.length - 60));

		assertRefusedWithNothingStored(response, id, 400, "The request is not a readable multipart/form-data upload.");
	}

	private void assertRefusedWithNothingStored(HttpResponse<String> response, long id, int status, String detail)
			throws Exception {
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(JsonText.string(response.body(), "$.detail")).isEqualTo(detail);
		AvatarUploadTests.assertNoInternals(response.body());
		assertThat(storedFiles()).isEmpty();
		assertThat(avatarRow(id).get("STATUS")).isEqualTo("NONE");
	}

	private HttpResponse<String> post(long id, byte[] content) throws Exception {
		return send(id, new MultipartBody().file("file", "a.jpg", "image/jpeg", content).bytes());
	}

	private HttpResponse<String> send(long id, byte[] body) throws Exception {
		String username = this.jdbc.sql("SELECT username FROM users WHERE id = ?").param(id).query(String.class).single();
		return WebSession.signIn("http://localhost:" + this.port, username, PASSWORD)
			.postMultipart("/api/users/" + id + "/avatar", body);
	}

}
