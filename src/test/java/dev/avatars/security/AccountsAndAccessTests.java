package dev.avatars.security;

import dev.avatars.ApiTestSupport;
import dev.avatars.MultipartBody;
import dev.avatars.TestImages;
import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Sign-up rules, signing in and out with a session and CSRF, and who may do what (the README's table). */
class AccountsAndAccessTests extends ApiTestSupport {

	// ---- sign-up --------------------------------------------------------------------------------------------

	@Test
	void aPasswordIsRequiredAtLeastTenCharactersAndNotTheUsername() throws Exception {
		signUp("{\"username\":\"ada\",\"displayName\":\"Ada\"}").andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.errors", hasSize(1)))
			.andExpect(jsonPath("$.errors[0].field").value("password"))
			.andExpect(jsonPath("$.errors[0].message").value("is required"));
		signUp("{\"username\":\"ada\",\"displayName\":\"Ada\",\"password\":\"123456789\"}")
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].message").value("must be at least 10 characters"));
		signUp("{\"username\":\"ada.lovelace\",\"displayName\":\"Ada\",\"password\":\"Ada.Lovelace\"}")
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("password"))
			.andExpect(jsonPath("$.errors[0].message").value("must not be the username"));
		signUp("{\"username\":\"ada\",\"displayName\":\"Ada\",\"password\":\"" + "x".repeat(73) + "\"}")
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].message").value("must be at most 72 bytes (UTF-8)"));
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single()).isZero();
		signUp("{\"username\":\"ada\",\"displayName\":\"Ada\",\"password\":\"1234567890\"}").andExpect(status().isCreated());
	}

	@Test
	void signUpWithoutTheCsrfTokenIsRefused() throws Exception {
		this.mvc.perform(post("/api/users").contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\":\"ada\",\"displayName\":\"Ada\",\"password\":\"" + PASSWORD + "\"}"))
			.andExpect(status().isForbidden())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value("This request lacks the page's security token. Reload the page and try again."));
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single()).isZero();
	}

	// ---- sessions -------------------------------------------------------------------------------------------

	@Test
	void signInGivesANewSessionThatKnowsWhoIsSignedInAndSignOutEndsIt() throws Exception {
		long id = createUser("grace");
		MockHttpSession session = new MockHttpSession();
		MockHttpServletResponse first = this.mvc.perform(get("/api/session").session(session))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.signedIn").value(false))
			.andReturn().getResponse();
		Cookie xsrf = first.getCookie("XSRF-TOKEN");
		assertThat(xsrf).as("the page needs the CSRF cookie before its first change").isNotNull();
		assertThat(xsrf.isHttpOnly()).as("the page's script reads it").isFalse();
		String before = session.getId();

		MvcResult signedIn = this.mvc.perform(post("/api/session").session(session).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content("{\"username\":\"grace\",\"password\":\"" + PASSWORD + "\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.signedIn").value(true))
			.andExpect(jsonPath("$.id").value(id))
			.andExpect(jsonPath("$.role").value("USER"))
			.andExpect(jsonPath("$.password").doesNotExist())
			.andReturn();
		assertThat(session.getId()).as("a new session id against fixation").isNotEqualTo(before);
		assertThat(signedIn.getResponse().getCookie("XSRF-TOKEN")).as("a new CSRF token after sign-in").isNotNull()
			.satisfies((cookie) -> assertThat(cookie.getValue()).isNotEqualTo(xsrf.getValue()));

		this.mvc.perform(get("/api/session").session(session))
			.andExpect(jsonPath("$.signedIn").value(true))
			.andExpect(jsonPath("$.username").value("grace"))
			.andExpect(jsonPath("$.displayName").value("grace"));
		this.mvc.perform(get("/api/users/{id}/avatar", id).session(session)).andExpect(status().isOk());
		this.mvc.perform(new MultipartBody().file("file", "a.jpg", "image/jpeg", TestImages.jpeg(64, 64))
			.post("/api/users/{id}/avatar", id).session(session))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value("This request lacks the page's security token. Reload the page and try again."));
		this.mvc.perform(new MultipartBody().file("file", "a.jpg", "image/jpeg", TestImages.jpeg(64, 64))
			.post("/api/users/{id}/avatar", id).session(session).with(csrf()))
			.andExpect(status().isAccepted());

		this.mvc.perform(delete("/api/session").session(session)).andExpect(status().isForbidden());
		this.mvc.perform(delete("/api/session").session(session).with(csrf())).andExpect(status().isNoContent());
		this.mvc.perform(get("/api/session").session(session)).andExpect(jsonPath("$.signedIn").value(false));
		this.mvc.perform(get("/api/users/{id}/avatar", id).session(session)).andExpect(status().isUnauthorized());
	}

	@Test
	void aWrongPasswordOrUnknownNameIs401WithTheSameWords() throws Exception {
		createUser("grace");
		for (String body : new String[] { "{\"username\":\"grace\",\"password\":\"not the password\"}",
				"{\"username\":\"nobody\",\"password\":\"" + PASSWORD + "\"}" }) {
			this.mvc.perform(post("/api/session").with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body))
				.andExpect(status().isUnauthorized())
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.detail").value("The username or password is wrong."));
		}
		this.mvc.perform(post("/api/session").contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\":\"grace\",\"password\":\"" + PASSWORD + "\"}"))
			.andExpect(status().isForbidden());
	}

	// ---- who may do what ------------------------------------------------------------------------------------

	@Test
	void onlyTheOwnerAndAdminsReachAnAvatarAndAnonymousIsToldToSignIn() throws Exception {
		long owner = createUser("owner");
		long other = createUser("other");
		byte[] picture = TestImages.jpeg(64, 64);

		problem(this.mvc.perform(uploadRequest(owner, picture).with(csrf())), 401, "Sign in to change an avatar.");
		problem(this.mvc.perform(uploadRequest(owner, picture).with(as(other))), 403, "You can change only your own avatar.");
		this.mvc.perform(uploadRequest(owner, picture).with(as(owner))).andExpect(status().isAccepted());
		this.mvc.perform(uploadRequest(owner, picture).with(asAdmin())).andExpect(status().isAccepted());
		assertThat(avatarRow(owner).get("VERSION")).isEqualTo(2L);

		problem(this.mvc.perform(get("/api/users/{id}/avatar", owner)), 401, "Sign in to see your avatar's state.");
		problem(this.mvc.perform(get("/api/users/{id}/avatar", owner).with(as(other))), 403,
				"You can see only your own avatar's state.");
		this.mvc.perform(get("/api/users/{id}/avatar", owner).with(as(owner))).andExpect(jsonPath("$.status").value("PENDING"));
		this.mvc.perform(get("/api/users/{id}/avatar", owner).with(asAdmin())).andExpect(jsonPath("$.status").value("PENDING"));

		// Public: the list, a user's public fields, the thumbnail (a placeholder until the job runs).
		this.mvc.perform(get("/api/users/{id}", owner)).andExpect(status().isOk())
			.andExpect(jsonPath("$.username").value("owner"))
			.andExpect(jsonPath("$.status").doesNotExist());
		this.mvc.perform(get("/api/users")).andExpect(status().isOk()).andExpect(jsonPath("$.total").value(3));
		this.mvc.perform(get("/api/users/{id}/avatar/thumbnail", owner)).andExpect(status().isOk());
	}

	@Test
	void anAccountIsChangedOrDeletedOnlyByItsOwnerOrAnAdmin() throws Exception {
		long owner = createUser("owner");
		long other = createUser("other");
		String rename = "{\"displayName\":\"The Owner\"}";

		problem(this.mvc.perform(patch("/api/users/{id}", owner).with(csrf()).contentType(MediaType.APPLICATION_JSON)
			.content(rename)), 401, "Sign in to change an account.");
		problem(this.mvc.perform(patch("/api/users/{id}", owner).with(as(other)).contentType(MediaType.APPLICATION_JSON)
			.content(rename)), 403, "You can change only your own account.");
		this.mvc.perform(patch("/api/users/{id}", owner).with(as(owner)).contentType(MediaType.APPLICATION_JSON).content(rename))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.displayName").value("The Owner"));
		this.mvc.perform(patch("/api/users/{id}", owner).with(asAdmin()).contentType(MediaType.APPLICATION_JSON)
			.content("{\"displayName\":\"Renamed by ops\"}"))
			.andExpect(jsonPath("$.displayName").value("Renamed by ops"));
		this.mvc.perform(patch("/api/users/{id}", owner).with(as(owner)).contentType(MediaType.APPLICATION_JSON)
			.content("{\"displayName\":\"   \"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("displayName"));

		problem(this.mvc.perform(delete("/api/users/{id}", owner).with(csrf())), 401, "Sign in to change an account.");
		problem(this.mvc.perform(delete("/api/users/{id}", owner).with(as(other))), 403,
				"You can change only your own account.");
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM users WHERE id = ?").param(owner).query(Long.class).single()).isOne();
		this.mvc.perform(delete("/api/users/{id}", owner).with(as(owner))).andExpect(status().isNoContent());
		this.mvc.perform(delete("/api/users/{id}", other).with(asAdmin())).andExpect(status().isNoContent());
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM users WHERE role = 'USER'").query(Long.class).single()).isZero();
	}

	@Test
	void changingOnesOwnPasswordTakesTheCurrentOneAndTheNewOneSignsIn() throws Exception {
		long owner = createUser("owner");
		String change = "{\"password\":\"a brand new secret\",\"currentPassword\":\"%s\"}";
		this.mvc.perform(patch("/api/users/{id}", owner).with(as(owner)).contentType(MediaType.APPLICATION_JSON)
			.content(change.formatted("wrong wrong wrong")))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("currentPassword"));
		this.mvc.perform(patch("/api/users/{id}", owner).with(as(owner)).contentType(MediaType.APPLICATION_JSON)
			.content("{\"password\":\"owner\",\"currentPassword\":\"" + PASSWORD + "\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("password"));
		this.mvc.perform(patch("/api/users/{id}", owner).with(as(owner)).contentType(MediaType.APPLICATION_JSON)
			.content(change.formatted(PASSWORD)))
			.andExpect(status().isOk());
		signIn("owner", PASSWORD).andExpect(status().isUnauthorized());
		signIn("owner", "a brand new secret").andExpect(status().isOk());

		// An admin resets someone's password without knowing it.
		this.mvc.perform(patch("/api/users/{id}", owner).with(asAdmin()).contentType(MediaType.APPLICATION_JSON)
			.content("{\"password\":\"reset by the admin\"}"))
			.andExpect(status().isOk());
		signIn("owner", "reset by the admin").andExpect(status().isOk());
	}

	@Test
	void jobsMetricsAndHealthDetailsAreForAdminsOnly() throws Exception {
		long user = createUser("user");
		problem(this.mvc.perform(post("/api/jobs/thumbnails/runs").with(csrf())), 401,
				"Sign in as an admin to run jobs.");
		problem(this.mvc.perform(post("/api/jobs/thumbnails/runs").with(as(user))), 403,
				"Only admins can run jobs.");
		problem(this.mvc.perform(get("/api/jobs/thumbnails/runs").with(as(user))), 403,
				"Only admins can run jobs.");
		problem(this.mvc.perform(get("/api/jobs/thumbnails/runs/1")), 401, "Sign in as an admin to run jobs.");
		this.mvc.perform(post("/api/jobs/thumbnails/runs?wait=true").with(asAdmin())).andExpect(status().isCreated());
		this.mvc.perform(get("/api/jobs/thumbnails/runs").with(asAdmin())).andExpect(jsonPath("$", hasSize(1)));

		problem(this.mvc.perform(get("/actuator/metrics")), 401, "Sign in as an admin to see this.");
		problem(this.mvc.perform(get("/actuator/metrics").with(as(user))), 403, "Only admins can see this.");
		this.mvc.perform(get("/actuator/metrics").with(asAdmin())).andExpect(status().isOk());

		for (RequestPostProcessor who : new RequestPostProcessor[] { (request) -> request, as(user) }) {
			this.mvc.perform(get("/actuator/health").with(who))
				.andExpect(status().isOk())
				.andExpect(content().json("{\"status\":\"UP\"}", org.springframework.test.json.JsonCompareMode.STRICT));
		}
		this.mvc.perform(get("/actuator/health").with(asAdmin()))
			.andExpect(jsonPath("$.components.backlog.details.pending").value(0));
	}

	private ResultActions signUp(String json) throws Exception {
		return this.mvc.perform(post("/api/users").with(csrf()).contentType(MediaType.APPLICATION_JSON).content(json));
	}

	private ResultActions signIn(String username, String password) throws Exception {
		return this.mvc.perform(post("/api/session").with(csrf()).contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"));
	}

	private static MockHttpServletRequestBuilder uploadRequest(long id, byte[] picture) {
		return new MultipartBody().file("file", "a.jpg", "image/jpeg", picture).post("/api/users/{id}/avatar", id);
	}

	/** A refusal: the status, problem+json with the plain words, never a redirect to a login page. */
	private static void problem(ResultActions result, int status, String detail) throws Exception {
		result.andExpect(status().is(status))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(status))
			.andExpect(jsonPath("$.detail").value(detail))
			.andExpect(header().doesNotExist("Location"));
	}

}
