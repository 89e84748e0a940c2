package dev.avatars.web;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import dev.avatars.ApiTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * Health details and metrics are for admins (issue 15), but even to an admin no answer of any exposed actuator endpoint, nor of any metric, may name
 * where the data lives or which exact JVM build runs.
 */
class ActuatorDisclosureTests extends ApiTestSupport {

	@Test
	void noActuatorAnswerNamesAPathOrTheJvmBuild() throws Exception {
		createUser("someone");
		this.mvc.perform(get("/api/users")); // so that request metrics exist
		List<String> secrets = List.of(HOME.toString(), uploads().toString(), uploads().toRealPath().toString(),
				Path.of(System.getProperty("user.dir")).toString(), System.getProperty("java.home"),
				System.getProperty("java.runtime.version"), System.getProperty("java.vm.version"));

		List<String> visited = new ArrayList<>();
		String index = read("/actuator", visited);
		Map<String, Map<String, Object>> links = JsonPath.read(index, "$._links");
		for (Map<String, Object> link : links.values()) {
			if (!Boolean.TRUE.equals(link.get("templated"))) {
				read(String.valueOf(link.get("href")).replaceFirst("^https?://[^/]+", ""), visited);
			}
		}
		List<String> names = JsonPath.read(read("/actuator/metrics", visited), "$.names");
		for (String name : names) {
			read("/actuator/metrics/" + name, visited);
		}

		assertThat(visited).as("endpoints and metrics read").contains("/actuator/health", "/actuator/info",
				"/actuator/metrics/jvm.info", "/actuator/metrics/disk.free");
		assertThat(names).hasSizeGreaterThan(20);
		for (String answer : this.answers) {
			assertThat(answer).doesNotContain(secrets);
		}
		// What the filter leaves: the JVM's feature version, and disk space without its folder.
		List<List<String>> versions = JsonPath.read(read("/actuator/metrics/jvm.info", visited),
				"$.availableTags[?(@.tag == 'version')].values");
		assertThat(versions).containsExactly(List.of(Integer.toString(Runtime.version().feature())));
		List<String> diskTags = JsonPath.read(read("/actuator/metrics/disk.free", visited), "$.availableTags[*].tag");
		assertThat(diskTags).doesNotContain("path");
	}

	private final List<String> answers = new ArrayList<>();

	private String read(String path, List<String> visited) throws Exception {
		String answer = this.mvc.perform(get(path).with(asAdmin())).andReturn().getResponse().getContentAsString();
		assertThat(answer).as(path).isNotEmpty();
		visited.add(path);
		this.answers.add(path + " " + answer);
		return answer;
	}

}
