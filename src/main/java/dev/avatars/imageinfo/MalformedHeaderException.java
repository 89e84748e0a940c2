package dev.avatars.imageinfo;

import java.io.IOException;

/** The file's headers contradict themselves, end too early or go beyond what {@link ImageInfo} reads. */
public class MalformedHeaderException extends IOException {

	public MalformedHeaderException(String message) {
		super(message);
	}

}
