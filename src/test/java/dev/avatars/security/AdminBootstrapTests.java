package dev.avatars.security;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.avatars.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The first admin: from AVATARS_ADMIN_*, else generated once on the embedded default, never on PostgreSQL. */
@ExtendWith(OutputCaptureExtension.class)
class AdminBootstrapTests extends ApiTestSupport {

	private static final Pattern PRINTED = Pattern.compile("username: (\\S+)\\s+password: (\\S+)");

	@Autowired
	Environment environment;

	@Test
	void withNoAdminTheEmbeddedDefaultMakesOneAndPrintsItsPasswordOnce(CapturedOutput output) throws Exception {
		int start = output.getOut().length(); // the context's own start may be in the output too
		AdminBootstrap bootstrap = new AdminBootstrap(this.accounts, new AdminProperties("", ""), this.environment);
		bootstrap.run(new DefaultApplicationArguments());
		Matcher printed = PRINTED.matcher(output.getOut().substring(start));
		assertThat(printed.find()).as(output.getOut()).isTrue();
		assertThat(printed.group(1)).isEqualTo("admin");
		assertThat(printed.group(2)).hasSize(20);
		signIn(printed.group(1), printed.group(2)).andExpect(status().isOk()).andExpect(jsonPath("$.role").value("ADMIN"));

		int length = output.getOut().length();
		bootstrap.run(new DefaultApplicationArguments());
		assertThat(output.getOut().substring(length)).doesNotContain("password");
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM users WHERE role = 'ADMIN'").query(Long.class).single()).isOne();
	}

	@Test
	void aGeneratedAdminNeverTakesOverSomeonesAccountCalledAdmin(CapturedOutput output) throws Exception {
		createUser("admin");
		int start = output.getOut().length();
		new AdminBootstrap(this.accounts, new AdminProperties(null, null), this.environment)
			.run(new DefaultApplicationArguments());
		Matcher printed = PRINTED.matcher(output.getOut().substring(start));
		assertThat(printed.find()).isTrue();
		assertThat(printed.group(1)).isEqualTo("admin-2");
		signIn("admin", PASSWORD).andExpect(jsonPath("$.role").value("USER"));
	}

	@Test
	void onPostgresNothingIsGenerated(CapturedOutput output) throws Exception {
		MockEnvironment postgres = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db/avatars");
		postgres.setActiveProfiles("postgres");
		int start = output.getOut().length();
		new AdminBootstrap(this.accounts, new AdminProperties("", ""), postgres).run(new DefaultApplicationArguments());
		assertThat(this.accounts.adminExists()).isFalse();
		assertThat(output.getOut().substring(start)).doesNotContain("password:");
	}

	@Test
	void theConfiguredAdminIsCreatedThenUpdatedAndNoPasswordIsPrintedOrLogged(CapturedOutput output) throws Exception {
		createUser("boss");
		new AdminBootstrap(this.accounts, new AdminProperties("boss", "first boss secret"), this.environment)
			.run(new DefaultApplicationArguments());
		signIn("boss", "first boss secret").andExpect(jsonPath("$.role").value("ADMIN"));
		new AdminBootstrap(this.accounts, new AdminProperties("boss", "second boss secret"), this.environment)
			.run(new DefaultApplicationArguments());
		signIn("boss", "first boss secret").andExpect(status().isUnauthorized());
		signIn("boss", "second boss secret").andExpect(status().isOk());
		assertThat(output.getAll()).doesNotContain("boss secret");

		assertThatIllegalStateException()
			.isThrownBy(() -> new AdminBootstrap(this.accounts, new AdminProperties("boss", "short"), this.environment)
				.run(new DefaultApplicationArguments()))
			.withMessageContaining("the password must be at least 10 characters");
		assertThatIllegalStateException()
			.isThrownBy(() -> new AdminBootstrap(this.accounts, new AdminProperties("boss", ""), this.environment)
				.run(new DefaultApplicationArguments()))
			.withMessage("AVATARS_ADMIN_USERNAME is set but AVATARS_ADMIN_PASSWORD is not");
	}

	private org.springframework.test.web.servlet.ResultActions signIn(String username, String password) throws Exception {
		return this.mvc.perform(post("/api/session").with(csrf()).contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"));
	}

}
