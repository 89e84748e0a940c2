package dev.avatars.user;

import java.nio.file.Files;

import dev.avatars.ApiTestSupport;
import dev.avatars.TestImages;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class UserApiTests extends ApiTestSupport {

	@Test
	void createReturns201WithLocationAndTheUser() throws Exception {
		this.mvc
			.perform(post("/api/users").with(csrf()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\":\"ada.l_1-x\",\"displayName\":\"  Ada Lovelace \",\"password\":\"" + PASSWORD + "\"}"))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", endsWith("/api/users/" + userIdOf("ada.l_1-x"))))
			.andExpect(jsonPath("$.username").value("ada.l_1-x"))
			.andExpect(jsonPath("$.displayName").value("Ada Lovelace"))
			.andExpect(jsonPath("$.thumbnailUrl").value("/api/users/" + userIdOf("ada.l_1-x") + "/avatar/thumbnail"))
			.andExpect(jsonPath("$.password").doesNotExist())
			.andExpect(jsonPath("$.avatar").doesNotExist());
		String hash = this.jdbc.sql("SELECT password_hash FROM users WHERE username = 'ada.l_1-x'").query(String.class).single();
		assertThat(hash).startsWith("{bcrypt}$2").doesNotContain(PASSWORD);
	}

	@Test
	void invalidInputIs400WithFieldErrors() throws Exception {
		this.mvc
			.perform(post("/api/users").with(csrf()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\":\"AB\",\"displayName\":\" \",\"password\":\"" + PASSWORD + "\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.title").value("Invalid request"))
			.andExpect(jsonPath("$.errors", hasSize(2)))
			.andExpect(jsonPath("$.errors[0].field").value("displayName"))
			.andExpect(jsonPath("$.errors[1].field").value("username"))
			.andExpect(jsonPath("$.errors[1].message").value(
					"must be 3 to 32 characters of lower-case letters, digits, '_', '.' or '-'"));
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single()).isZero();
	}

	@Test
	void usernameLimitsAreEnforced() throws Exception {
		for (String bad : new String[] { "ab", "a".repeat(33), "has space", "UPPER", "émile", "x/../y" }) {
			this.mvc
				.perform(post("/api/users").with(csrf()).contentType(MediaType.APPLICATION_JSON)
					.content("{\"username\":\"" + bad + "\",\"displayName\":\"X\",\"password\":\"" + PASSWORD + "\"}"))
				.andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.errors[0].field").value("username"));
		}
		createUser("a".repeat(32));
		createUser("abc");
	}

	@Test
	void malformedJsonIs400ProblemWithoutInternals() throws Exception {
		this.mvc.perform(post("/api/users").with(csrf()).contentType(MediaType.APPLICATION_JSON).content("{\"username\":"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Exception"))));
	}

	@Test
	void takenUsernameIs409() throws Exception {
		createUser("grace");
		this.mvc
			.perform(post("/api/users").with(csrf()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\":\"grace\",\"displayName\":\"Another Grace\",\"password\":\"" + PASSWORD + "\"}"))
			.andExpect(status().isConflict())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value("The username 'grace' is already taken."));
	}

	@Test
	void listPagesInCreationOrderWithTotal() throws Exception {
		for (int i = 0; i < 5; i++) {
			createUser("user" + i);
		}
		this.mvc.perform(get("/api/users?page=1&size=2"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.page").value(1))
			.andExpect(jsonPath("$.size").value(2))
			.andExpect(jsonPath("$.total").value(5))
			.andExpect(jsonPath("$.items", hasSize(2)))
			.andExpect(jsonPath("$.items[0].username").value("user2"))
			.andExpect(jsonPath("$.items[1].username").value("user3"))
			.andExpect(jsonPath("$.items[1].thumbnailUrl").value(endsWith("/avatar/thumbnail")))
			.andExpect(jsonPath("$.items[1].status").doesNotExist());
		this.mvc.perform(get("/api/users"))
			.andExpect(jsonPath("$.page").value(0))
			.andExpect(jsonPath("$.size").value(20))
			.andExpect(jsonPath("$.items", hasSize(5)));
	}

	@Test
	void searchFindsUsernameOrDisplayNameCaseInsensitivelyAndTakesWildcardsLiterally() throws Exception {
		this.mvc.perform(post("/api/users").with(csrf()).contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\":\"ada\",\"displayName\":\"Ada Lovelace\",\"password\":\"" + PASSWORD + "\"}"));
		this.mvc.perform(post("/api/users").with(csrf()).contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\":\"grace_h\",\"displayName\":\"Grace Hopper\",\"password\":\"" + PASSWORD + "\"}"));
		this.mvc.perform(post("/api/users").with(csrf()).contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\":\"alan\",\"displayName\":\"Alan Turing\",\"password\":\"" + PASSWORD + "\"}"));

		this.mvc.perform(get("/api/users?q=LOVE"))
			.andExpect(jsonPath("$.total").value(1))
			.andExpect(jsonPath("$.items[0].username").value("ada"));
		this.mvc.perform(get("/api/users?q=a"))
			.andExpect(jsonPath("$.total").value(3));
		this.mvc.perform(get("/api/users?q=_"))
			.andExpect(jsonPath("$.total").value(1))
			.andExpect(jsonPath("$.items[0].username").value("grace_h"));
		this.mvc.perform(get("/api/users?q=%25"))
			.andExpect(jsonPath("$.total").value(0));
	}

	@Test
	void badPagingIs400() throws Exception {
		this.mvc.perform(get("/api/users?size=0")).andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
		this.mvc.perform(get("/api/users?page=-1")).andExpect(status().isBadRequest());
		this.mvc.perform(get("/api/users?size=1000")).andExpect(status().isBadRequest());
		this.mvc.perform(get("/api/users?page=x")).andExpect(status().isBadRequest());
	}

	@Test
	void pagingPastWhatTheOffsetCanHoldIs400Problem() throws Exception {
		createUser("only");
		// 21474837 × 100 is past 2^31 - 1: it was a 500 when the offset overflowed.
		for (String paging : new String[] { "page=21474837&size=100", "page=2147483647&size=100",
				"page=2147483647&size=2", "page=21474837&size=100&q=only" }) {
			this.mvc.perform(get("/api/users?" + paging))
				.andExpect(status().isBadRequest())
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.title").value("Invalid paging"))
				.andExpect(jsonPath("$.detail").value("page × size must be at most 2147483647."));
		}
		// Past a long, or past an int: the parameter itself is refused.
		this.mvc.perform(get("/api/users?page=9223372036854775808")).andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
		this.mvc.perform(get("/api/users?page=2147483648")).andExpect(status().isBadRequest());
		// The last offset that fits is an empty page, not an error.
		this.mvc.perform(get("/api/users?page=2147483647&size=1"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items", hasSize(0)))
			.andExpect(jsonPath("$.total").value(1));
	}

	@Test
	void displayNamesWithControlCharactersAre400WithAFieldError() throws Exception {
		for (String bad : new String[] { "\\u0000", "Ada\\u0000", "A\\u0007da", "Ada\\nLovelace", "Ada\\t",
				"\\u001b[31mAda", "Ada\\u007f", "Ada\\u0085", "Ada\\uffff", "Ada\\ufffe" }) {
			this.mvc
				.perform(post("/api/users").with(csrf()).contentType(MediaType.APPLICATION_JSON)
					.content("{\"username\":\"ada\",\"displayName\":\"" + bad + "\",\"password\":\"" + PASSWORD + "\"}"))
				.andExpect(status().isBadRequest())
				.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.errors", hasSize(1)))
				.andExpect(jsonPath("$.errors[0].field").value("displayName"))
				.andExpect(jsonPath("$.errors[0].message").value("must not contain control characters"));
		}
		// A lone surrogate is refused too, whether by the parser or the check.
		this.mvc
			.perform(post("/api/users").with(csrf()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\":\"ada\",\"displayName\":\"Ada \\ud800\",\"password\":\"" + PASSWORD + "\"}"))
			.andExpect(status().isBadRequest());
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single()).isZero();
		// What is not a control character stays allowed.
		this.mvc
			.perform(post("/api/users").with(csrf()).contentType(MediaType.APPLICATION_JSON)
				.content("{\"username\":\"ada\",\"displayName\":\"Ada <Lovelace> & 😀 \\u200d Ŝ\",\"password\":\"" + PASSWORD + "\"}"))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.displayName").value("Ada <Lovelace> & 😀 \u200d Ŝ"));
	}

	@Test
	void getAndDeleteUnknownUserAre404() throws Exception {
		this.mvc.perform(get("/api/users/424242"))
			.andExpect(status().isNotFound())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.title").value("User not found"))
			.andExpect(jsonPath("$.detail").value("There is no user with id 424242."));
		this.mvc.perform(delete("/api/users/424242").with(asAdmin())).andExpect(status().isNotFound());
		this.mvc.perform(get("/api/users/not-a-number")).andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
	}

	@Test
	void deleteRemovesTheUserAndTheirFiles() throws Exception {
		long keep = createUser("keeper");
		long gone = createUser("leaver");
		upload(keep, TestImages.jpeg(64, 64), "a.jpg", "image/jpeg").andExpect(status().isAccepted());
		upload(gone, TestImages.jpeg(64, 64), "b.jpg", "image/jpeg").andExpect(status().isAccepted());
		String goneKey = (String) avatarRow(gone).get("ORIGINAL_KEY");
		String keptKey = (String) avatarRow(keep).get("ORIGINAL_KEY");

		this.mvc.perform(delete("/api/users/{id}", gone).with(as(gone))).andExpect(status().isNoContent());

		this.mvc.perform(get("/api/users/{id}", gone)).andExpect(status().isNotFound());
		assertThat(Files.exists(uploads().resolve("originals").resolve(goneKey))).isFalse();
		assertThat(Files.exists(uploads().resolve("originals").resolve(keptKey))).isTrue();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM avatars WHERE user_id = ?").param(gone).query(Long.class).single())
			.isZero();
	}

	@Test
	void getShowsTheUser() throws Exception {
		long id = createUser("linus");
		this.mvc.perform(get("/api/users/{id}", id))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.id").value(id))
			.andExpect(jsonPath("$.username").value("linus"))
			.andExpect(jsonPath("$.displayName").value("linus"))
			.andExpect(jsonPath("$.thumbnailUrl").value("/api/users/" + id + "/avatar/thumbnail"))
			.andExpect(jsonPath("$.status").doesNotExist())
			.andExpect(jsonPath("$.passwordHash").doesNotExist());
		avatarState(id).andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("NONE"))
			.andExpect(jsonPath("$.uploadedAt").doesNotExist());
	}

	private long userIdOf(String username) {
		return this.jdbc.sql("SELECT id FROM users WHERE username = ?").param(username).query(Long.class).single();
	}

}
