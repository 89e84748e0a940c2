package dev.avatars.avatar;

import jakarta.servlet.MultipartConfigElement;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class UploadConfiguration {

	/** Room for the form's other fields on top of the file itself. */
	private static final long FORM_OVERHEAD_BYTES = 64 * 1024;

	/**
	 * The container's multipart limits follow {@code avatars.upload.max-bytes}, so there is one knob; it spools
	 * parts into the storage's incoming folder so that keeping an upload is a rename, not a second copy.
	 */
	@Bean
	MultipartConfigElement multipartConfigElement(UploadProperties limits, FileSystemAvatarStorage storage) {
		long maxBytes = limits.maxBytes().toBytes();
		return new MultipartConfigElement(storage.incomingFolder().toString(), maxBytes,
				maxBytes + FORM_OVERHEAD_BYTES, 0);
	}

}
