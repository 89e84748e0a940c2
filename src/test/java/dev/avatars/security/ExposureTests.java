package dev.avatars.security;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.avatars.ApiTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/** What the page sends with itself: a Content-Security-Policy its own markup obeys, and the usual headers. */
class ExposureTests extends ApiTestSupport {

	@Test
	void thePageForbidsInlineScriptAndFramingAndHasNone() throws Exception {
		MockHttpServletResponse page = this.mvc.perform(get("/index.html")).andReturn().getResponse();
		assertThat(page.getStatus()).isEqualTo(200);
		String csp = page.getHeader("Content-Security-Policy");
		assertThat(csp).contains("script-src 'self';").contains("frame-ancestors 'none'").contains("object-src 'none'")
			.doesNotContain("unsafe-eval");
		assertThat(csp.replaceAll(".*script-src ([^;]*);.*", "$1")).doesNotContain("unsafe-inline");
		assertThat(page.getHeader("Referrer-Policy")).isEqualTo("same-origin");
		assertThat(page.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(page.getHeader("X-Frame-Options")).isEqualTo("DENY");

		String html = page.getContentAsString();
		Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(html);
		int count = 0;
		while (scripts.find()) {
			count++;
			assertThat(scripts.group(1)).as("every script is a file").contains("src=");
			assertThat(scripts.group(2)).isBlank();
		}
		assertThat(count).isPositive();
		assertThat(html).doesNotContainPattern("(?i)<style|\\sstyle=|\\son[a-z]+=|javascript:");
		// The API's answers carry the headers too.
		assertThat(this.mvc.perform(get("/api/users")).andReturn().getResponse().getHeader("X-Content-Type-Options"))
			.isEqualTo("nosniff");
	}

}
