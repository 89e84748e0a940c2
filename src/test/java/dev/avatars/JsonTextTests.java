package dev.avatars;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tests' JSON reader parses JSON (spacing, nesting, nulls), where the regular expressions it replaced matched text. */
class JsonTextTests {

	private static final String RUNS = """
			[{"id":2, "trigger": "CLI", "host": "b", "claimed": 3, "ready": 2},
			 {"id":1,"trigger":"API","host":"a","claimed":4,"ready":4,"nested":{"claimed":5,"host":"c"}},
			 {"id":0,"trigger":"API","host":"a","claimed":null}]""";

	@Test
	void sumsAndDistinctsReadFieldsAtAnyDepthWhateverTheSpacing() {
		assertThat(JsonText.sum(RUNS, "claimed")).isEqualTo(12);
		assertThat(JsonText.sum(RUNS, "ready")).isEqualTo(6);
		assertThat(JsonText.distinct(RUNS, "host")).containsExactlyInAnyOrder("a", "b", "c");
	}

	@Test
	void readsValuesByPathAndRefusesWhatIsNotThere() {
		assertThat(JsonText.number("{\"id\":42,\"name\":\"x\"}", "$.id")).isEqualTo(42);
		assertThat(JsonText.string("{\"id\":42,\"name\":\"x\"}", "$.name")).isEqualTo("x");
		assertThat(JsonText.number(RUNS, "$[1].nested.claimed")).isEqualTo(5);
		assertThatThrownBy(() -> JsonText.number("{\"id\":\"42\"}", "$.id")).isInstanceOf(AssertionError.class);
		assertThatThrownBy(() -> JsonText.string("{\"id\":42}", "$.name")).isInstanceOf(RuntimeException.class);
	}

}
