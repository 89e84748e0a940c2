package dev.avatars.security;

import dev.avatars.ApiTestSupport;
import dev.avatars.MultipartBody;
import dev.avatars.TestImages;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Uploads per user and failed sign-ins per username and per address: 429 with Retry-After past the limit. */
@SpringBootTest(properties = { "avatars.processing.cron=-", "avatars.processing.on-upload=false",
		"avatars.rate-limit.uploads=3", "avatars.rate-limit.upload-window=10m", "avatars.rate-limit.failed-sign-ins=2" })
class RateLimitTests extends ApiTestSupport {

	@org.springframework.beans.factory.annotation.Autowired
	RateLimiter limiter;

	@Test
	void theFourthUploadInTheWindowIs429WithRetryAfterAndStoresNothing() throws Exception {
		long id = createUser("busy");
		long other = createUser("calm");
		for (int i = 0; i < 3; i++) {
			uploadOk(id, TestImages.jpeg(64, 64));
		}
		String retryAfter = upload(id, TestImages.jpeg(64, 64), "a.jpg", "image/jpeg")
			.andExpect(status().isTooManyRequests())
			.andExpect(header().string("Content-Type", "application/problem+json"))
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith(
					"Too many uploads: at most 3 every 10 minutes. Try again in ")))
			.andReturn().getResponse().getHeader("Retry-After");
		assertThat(Long.parseLong(retryAfter)).isBetween(1L, 600L);
		assertThat(avatarRow(id).get("VERSION")).isEqualTo(3L);
		uploadOk(other, TestImages.jpeg(64, 64)); // another user's own count
		// Refused callers count nothing: another user's attempts on this avatar are 403, not 429.
		this.mvc.perform(new MultipartBody().file("file", "a.jpg", "image/jpeg", TestImages.jpeg(64, 64))
			.post("/api/users/{id}/avatar", id).with(as(other))).andExpect(status().isForbidden());
	}

	@Test
	void failedSignInsAreLimitedPerUsernameEvenWithTheRightPasswordThen() throws Exception {
		createUser("target");
		signIn("target", "wrong guess 1", "10.0.0.1").andExpect(status().isUnauthorized());
		signIn("target", "wrong guess 2", "10.0.0.2").andExpect(status().isUnauthorized());
		String retryAfter = signIn("target", PASSWORD, "10.0.0.3").andExpect(status().isTooManyRequests())
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("Too many failed sign-ins. Try again in ")))
			.andReturn().getResponse().getHeader("Retry-After");
		assertThat(Long.parseLong(retryAfter)).isBetween(1L, 900L);
	}

	@Test
	void failedSignInsAreLimitedPerAddressAcrossUsernames() throws Exception {
		createUser("someone");
		signIn("nobody1", "wrong guess 1", "10.9.9.9").andExpect(status().isUnauthorized());
		signIn("nobody2", "wrong guess 2", "10.9.9.9").andExpect(status().isUnauthorized());
		signIn("someone", PASSWORD, "10.9.9.9").andExpect(status().isTooManyRequests())
			.andExpect(header().exists("Retry-After"));
		signIn("someone", PASSWORD, "10.9.9.10").andExpect(status().isOk());
	}

	@Test
	void aLimitOfZeroIsNoLimitAndCountsNothing() {
		java.time.Instant now = java.time.Instant.now();
		java.time.Duration window = java.time.Duration.ofMinutes(10);
		for (int i = 0; i < 50; i++) {
			assertThat(this.limiter.hit("upload:1", 0, window, now)).isEmpty();
		}
		assertThat(this.limiter.exhausted("upload:1", 0, window, now)).isEmpty();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM rate_limits").query(Long.class).single()).isZero();
		// The same bucket with a limit of 1 is counted, and full after one hit.
		assertThat(this.limiter.hit("upload:1", 1, window, now)).isEmpty();
		assertThat(this.limiter.hit("upload:1", 1, window, now)).isPresent();
	}

	private ResultActions signIn(String username, String password, String address) throws Exception {
		return this.mvc.perform(post("/api/session").with(csrf()).with((request) -> {
			request.setRemoteAddr(address);
			return request;
		}).contentType(MediaType.APPLICATION_JSON).content("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"));
	}

}
