package dev.avatars;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Figures read from the API's JSON as text, for tests that talk to a separate process. */
public final class JsonText {

	private JsonText() {
	}

	/** The sum of every numeric {@code field} in the text. */
	public static int sum(String json, String field) {
		Matcher matcher = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
		int total = 0;
		while (matcher.find()) {
			total += Integer.parseInt(matcher.group(1));
		}
		return total;
	}

	/** The distinct values of every string {@code field} in the text. */
	public static Set<String> distinct(String json, String field) {
		Matcher matcher = Pattern.compile("\"" + field + "\":\"([^\"]+)\"").matcher(json);
		Set<String> values = new HashSet<>();
		while (matcher.find()) {
			values.add(matcher.group(1));
		}
		return values;
	}

	/** The first group of the first match of {@code regex}. */
	public static String first(String text, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(text);
		if (!matcher.find()) {
			throw new AssertionError("No " + regex + " in " + text);
		}
		return matcher.group(1);
	}

}
