package dev.avatars;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * A multipart/form-data body byte for byte as a browser sends it: the upload endpoint reads the raw body itself,
 * so tests send real bodies rather than MockMvc's pre-parsed parts.
 */
public final class MultipartBody {

	public static final String BOUNDARY = "----avatars-test-7MA4YWxkTrZu0gW";

	private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

	public MultipartBody file(String name, String filename, String contentType, byte[] content) {
		return part("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n"
				+ "Content-Type: " + contentType + "\r\n", content);
	}

	public MultipartBody field(String name, String value) {
		return part("Content-Disposition: form-data; name=\"" + name + "\"\r\n",
				value.getBytes(StandardCharsets.UTF_8));
	}

	private MultipartBody part(String headers, byte[] content) {
		this.bytes.writeBytes(("--" + BOUNDARY + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8));
		this.bytes.writeBytes(content);
		this.bytes.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
		return this;
	}

	public static String contentType() {
		return "multipart/form-data; boundary=" + BOUNDARY;
	}

	public byte[] bytes() {
		ByteArrayOutputStream closed = new ByteArrayOutputStream();
		closed.writeBytes(this.bytes.toByteArray());
		closed.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		return closed.toByteArray();
	}

	/** A MockMvc POST carrying this body. */
	public MockHttpServletRequestBuilder post(String uriTemplate, Object... uriVariables) {
		return MockMvcRequestBuilders.post(uriTemplate, uriVariables).contentType(contentType()).content(bytes());
	}

}
