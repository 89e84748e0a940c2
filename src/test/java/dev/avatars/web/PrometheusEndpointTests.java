package dev.avatars.web;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.avatars.ApiTestSupport;
import dev.avatars.TestImages;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code /actuator/prometheus}: the jobs' metrics in Prometheus's text format, for admins only (as
 * {@code /actuator/metrics}), naming no folder.
 */
class PrometheusEndpointTests extends ApiTestSupport {

	/** A sample line of the text format: name, labels, value. */
	private static final Pattern PROCESSED_READY = Pattern
		.compile("(?m)^avatars_processed_total\\{[^}]*outcome=\"ready\"[^}]*} (\\S+)$");

	@Test
	void anonymousCallersAreAskedToSignInAndUsersAreRefused() throws Exception {
		long user = createUser("someone");
		this.mvc.perform(get("/actuator/prometheus"))
			.andExpect(status().isUnauthorized())
			.andExpect(content().contentType("application/problem+json"));
		this.mvc.perform(get("/actuator/prometheus").with(as(user)))
			.andExpect(status().isForbidden())
			.andExpect(content().contentType("application/problem+json"));
	}

	@Test
	void anAdminReadsTheJobsMetricsInTheTextFormatWithNoPathInThem() throws Exception {
		long user = createUser("someone");
		double before = processedReady(scrape());
		uploadOk(user, TestImages.jpeg(64, 64));
		this.mvc.perform(post("/api/jobs/thumbnails/runs?wait=true").with(asAdmin()))
			.andExpect(status().is2xxSuccessful());

		// The run is over before the answer; the scrape may still lag a moment behind the counters.
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		String text = scrape();
		while (processedReady(text) < before + 1 && Instant.now().isBefore(deadline)) {
			Thread.sleep(100);
			text = scrape();
		}

		assertThat(processedReady(text)).as(text).isEqualTo(before + 1);
		assertThat(text).containsPattern("(?m)^avatars_backlog_size(\\{[^}]*})? \\d+(\\.\\d+)?$")
			.containsPattern("(?m)^avatars_processing_time_seconds_count(\\{[^}]*})? [1-9]")
			.contains("# TYPE avatars_processed_total counter");
		List<String> secrets = List.of(HOME.toString(), uploads().toString(), uploads().toRealPath().toString(),
				Path.of(System.getProperty("user.dir")).toString(), System.getProperty("java.home"),
				System.getProperty("java.runtime.version"), System.getProperty("java.vm.version"));
		assertThat(text).doesNotContain(secrets);
	}

	@Test
	void aScraperAskingForOpenMetricsGetsIt() throws Exception {
		String text = this.mvc
			.perform(get("/actuator/prometheus").with(asAdmin()).header("Accept", "application/openmetrics-text"))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("application/openmetrics-text"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(text).contains("# TYPE avatars_backlog_size gauge").endsWith("# EOF\n");
	}

	private String scrape() throws Exception {
		MockHttpServletResponse response = this.mvc.perform(get("/actuator/prometheus").with(asAdmin()))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith("text/plain"))
			.andReturn()
			.getResponse();
		return response.getContentAsString();
	}

	/** The count of avatars made READY so far (0 before the first). */
	private static double processedReady(String text) {
		Matcher matcher = PROCESSED_READY.matcher(text);
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
	}

}
