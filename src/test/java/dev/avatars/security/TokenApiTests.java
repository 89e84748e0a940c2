package dev.avatars.security;

import dev.avatars.ApiTestSupport;
import dev.avatars.JsonText;
import dev.avatars.MultipartBody;
import dev.avatars.TestImages;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Personal access tokens: shown once, stored hashed, listed without their value, revoked at once. */
class TokenApiTests extends ApiTestSupport {

	@Test
	void aTokenIsShownOnceStoredHashedListedAndWorksUntilRevoked() throws Exception {
		long id = createUser("scripter");
		String body = create(id, "{\"name\":\"laptop\",\"scope\":\"avatar\"}")
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.token").value(matchesPattern("avt_[A-Za-z0-9_-]{43}")))
			.andExpect(jsonPath("$.scope").value("avatar"))
			.andExpect(jsonPath("$.expiresAt").doesNotExist())
			.andReturn().getResponse().getContentAsString();
		String token = JsonText.string(body, "$.token");
		long tokenId = JsonText.number(body, "$.id");
		assertThat(this.jdbc.sql("SELECT token_hash FROM api_tokens WHERE id = ?").param(tokenId).query(String.class).single())
			.isEqualTo(TokenStore.hash(token))
			.doesNotContain(token);

		this.mvc.perform(get("/api/tokens").with(as(id)))
			.andExpect(jsonPath("$", hasSize(1)))
			.andExpect(jsonPath("$[0].name").value("laptop"))
			.andExpect(jsonPath("$[0].token").doesNotExist())
			.andExpect(result -> assertThat(result.getResponse().getContentAsString()).doesNotContain(token));

		// No CSRF token: a bearer request needs none.
		this.mvc.perform(new MultipartBody().file("file", "a.jpg", "image/jpeg", TestImages.jpeg(64, 64))
			.post("/api/users/{id}/avatar", id).header("Authorization", "Bearer " + token))
			.andExpect(status().isAccepted());
		this.mvc.perform(get("/api/users/{id}/avatar", id).header("Authorization", "Bearer " + token))
			.andExpect(jsonPath("$.status").value("PENDING"))
			.andExpect(result -> assertThat(result.getResponse().getCookie("JSESSIONID")).as("no session").isNull());

		this.mvc.perform(delete("/api/tokens/{id}", tokenId).with(as(id))).andExpect(status().isNoContent());
		this.mvc.perform(delete("/api/tokens/{id}", tokenId).with(as(id))).andExpect(status().isNotFound());
		this.mvc.perform(get("/api/users/{id}/avatar", id).header("Authorization", "Bearer " + token))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.detail").value("The token is unknown, revoked or expired."));
		this.mvc.perform(get("/api/tokens").with(as(id))).andExpect(jsonPath("$[0].revokedAt").isNotEmpty());
	}

	@Test
	void onlyAdminsCreateAdminTokensAndNobodyRevokesAnothersToken() throws Exception {
		long user = createUser("user");
		create(user, "{\"name\":\"ops\",\"scope\":\"admin\"}")
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value("Only admins can create admin tokens."));
		long admin = adminId();
		String body = create(admin, "{\"name\":\"ops\",\"scope\":\"admin\",\"expiresAt\":\"2999-01-01T00:00:00Z\"}")
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.expiresAt").value("2999-01-01T00:00:00Z"))
			.andReturn().getResponse().getContentAsString();
		long tokenId = JsonText.number(body, "$.id");
		this.mvc.perform(delete("/api/tokens/{id}", tokenId).with(as(user))).andExpect(status().isNotFound());

		create(user, "{\"name\":\"\",\"scope\":\"root\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}")
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors", hasSize(2)));
		create(user, "{\"name\":\"late\",\"scope\":\"avatar\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}")
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("expiresAt"));
	}

	private ResultActions create(long userId, String json) throws Exception {
		return this.mvc.perform(post("/api/tokens").with(as(userId)).contentType(MediaType.APPLICATION_JSON).content(json));
	}

}
