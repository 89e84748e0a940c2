package dev.avatars.avatar;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;

import static org.assertj.core.api.Assertions.assertThat;

class PlaceholderTests {

	@ParameterizedTest
	@ValueSource(strings = { "\u0000", "\u0000Ada \u0001Lovelace", "A\u0008da", "\ud800Ada", "Ada\udc00 \ud800",
			"\ufffe\uffff", "\u001b[31mAda", "<script>&amp;\"'", "]]>", "\u0085\u009f Ada", "\t\r\n", "😀 Ada",
			"\ud83d", "x\u007fy" })
	void theSvgOfAnyDisplayNameIsWellFormedXml(String displayName) throws Exception {
		String svg = Placeholder.svg("user_1", displayName, 64);

		Document document = parse(svg);

		assertThat(document.getDocumentElement().getLocalName()).isEqualTo("svg");
		String text = document.getElementsByTagName("text").item(0).getTextContent();
		assertThat(text).isNotEmpty().doesNotContainPattern("[\\p{Cc}\\p{Cs}\\x{FFFE}\\x{FFFF}]");
	}

	@Test
	void controlCharactersAreDroppedBeforeTheInitialsAreTaken() {
		assertThat(Placeholder.initials("ada", "\u0000Ada \u0001Lovelace")).isEqualTo("AL");
		assertThat(Placeholder.initials("ada", "😀 smile")).isEqualTo("😀S");
		// Nothing left of the display name: the username's initials.
		assertThat(Placeholder.initials("grace_h", "\u0000\u0001 \ud800")).isEqualTo("GH");
	}

	private static Document parse(String xml) throws Exception {
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setNamespaceAware(true);
		factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
		factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
		return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
	}

}
