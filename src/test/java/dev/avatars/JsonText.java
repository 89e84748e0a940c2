package dev.avatars;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;

/**
 * The API's JSON read in tests, with JsonPath (the library MockMvc's {@code jsonPath} matchers use), for bodies
 * that arrive as text: from a separate process, from a raw socket, or from MockMvc outside a matcher.
 */
public final class JsonText {

	private JsonText() {
	}

	/** The value at {@code path} (a JsonPath such as {@code $.id} or {@code $[0].status}); fails when absent. */
	public static <T> T read(String json, String path) {
		return JsonPath.read(json, path);
	}

	/** The number at {@code path}, e.g. an id. */
	public static long number(String json, String path) {
		Object value = read(json, path);
		if (!(value instanceof Number number)) {
			throw new AssertionError("No number at " + path + " in " + json);
		}
		return number.longValue();
	}

	/** The string at {@code path}. */
	public static String string(String json, String path) {
		Object value = read(json, path);
		if (!(value instanceof String string)) {
			throw new AssertionError("No string at " + path + " in " + json);
		}
		return string;
	}

	/** The sum of every number named {@code field}, at any depth (e.g. {@code claimed} over a list of runs). */
	public static int sum(String json, String field) {
		List<Object> values = read(json, "$.." + field);
		int total = 0;
		for (Object value : values) {
			if (value instanceof Number number) {
				total += number.intValue();
			}
		}
		return total;
	}

	/** The distinct strings named {@code field}, at any depth. */
	public static Set<String> distinct(String json, String field) {
		List<Object> values = read(json, "$.." + field);
		Set<String> strings = new LinkedHashSet<>();
		for (Object value : values) {
			if (value instanceof String string) {
				strings.add(string);
			}
		}
		return strings;
	}

	/**
	 * The first group of the first match of {@code regex} in plain text, such as a command's printed summary.
	 * Not for JSON: use {@link #read}.
	 */
	public static String first(String text, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(text);
		if (!matcher.find()) {
			throw new AssertionError("No " + regex + " in " + text);
		}
		return matcher.group(1);
	}

}
