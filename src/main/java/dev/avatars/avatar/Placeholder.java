package dev.avatars.avatar;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What is shown while no thumbnail is ready: the user's initials on a colour derived from the username, as SVG
 * so it is sharp at every size and needs no fonts on the server.
 */
final class Placeholder {

	private Placeholder() {
	}

	static String svg(String username, String displayName, int size) {
		return svg(username, displayName, size, false);
	}

	/** @param round a disc inscribed in the square, transparent around it, like the round thumbnails */
	static String svg(String username, String displayName, int size, boolean round) {
		int hue = Math.floorMod(username.hashCode(), 360);
		int fontSize = Math.round(size * 0.4f);
		String fill = "fill=\"hsl(" + hue + ",55%,42%)\"/>";
		String shape = round ? "<circle cx=\"50%\" cy=\"50%\" r=\"50%\" " + fill
				: "<rect width=\"100%\" height=\"100%\" " + fill;
		return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + size + "\" height=\"" + size
				+ "\" viewBox=\"0 0 " + size + " " + size + "\">" + shape + "<text x=\"50%\" y=\"50%\" dy=\".35em\" text-anchor=\"middle\" "
				+ "font-family=\"system-ui,-apple-system,Segoe UI,Roboto,sans-serif\" font-size=\"" + fontSize
				+ "\" fill=\"#fff\">" + escape(initials(username, displayName)) + "</text></svg>";
	}

	static String initials(String username, String displayName) {
		// Names stored before control characters were refused may still hold them.
		String name = (displayName != null) ? xmlCharacters(displayName) : "";
		String source = !name.isBlank() ? name : xmlCharacters(username);
		String initials = Arrays.stream(source.trim().split("[\\s._-]+"))
			.filter((word) -> !word.isEmpty())
			.limit(2)
			.map((word) -> new String(Character.toChars(word.codePointAt(0))))
			.collect(Collectors.joining());
		return initials.toUpperCase(Locale.ROOT);
	}

	/** Only what XML 1.0 allows in text, and no control characters: lone surrogates, U+FFFE and U+FFFF go too. */
	static String xmlCharacters(String text) {
		StringBuilder kept = new StringBuilder(text.length());
		text.codePoints()
			.filter((c) -> (c == ' ' || (c > 0x1f && c < 0x7f) || (c > 0x9f && c < 0xd800) || (c > 0xdfff && c < 0xfffe)
					|| c > 0xffff))
			.forEach(kept::appendCodePoint);
		return kept.toString();
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

}
