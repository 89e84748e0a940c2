package dev.avatars.thumbnail;

/**
 * The file is not an image we can decode, and never will be: retrying cannot help. The message is meant for
 * people ("not a decodable JPEG: truncated data").
 */
public class UndecodableImageException extends Exception {

	public UndecodableImageException(String message) {
		super(message);
	}

	public UndecodableImageException(String message, Throwable cause) {
		super(message, cause);
	}

}
