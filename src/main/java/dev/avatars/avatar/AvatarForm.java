package dev.avatars.avatar;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.avatars.multipart.MultipartException;
import dev.avatars.multipart.MultipartReader;
import dev.avatars.multipart.MultipartReader.Part;

import org.springframework.http.HttpStatus;

/**
 * The upload form (multipart/form-data, RFC 7578), read with {@link MultipartReader} as it arrives: the part named
 * {@code file} straight into a file, the few other fields (the crop) into memory; other files and unnamed parts
 * are skipped.
 *
 * <p>Limits: the file part at most the upload's {@code maxFileBytes} (413), the whole body that plus
 * {@link #FORM_OVERHEAD} (413), a part's headers {@link #MAX_HEADER_BYTES}, another field's value
 * {@link #MAX_FIELD_BYTES}, and {@link #MAX_PARTS} parts (400). Whatever the body breaks, the caller deletes the
 * file.
 *
 * @param fileBytes the file part's length, or -1 when there was none
 * @param fields the other parts' values by name
 */
record AvatarForm(long fileBytes, Map<String, String> fields) {

	private static final String FILE_FIELD = "file";

	/** Room for the form's other parts on top of the file itself. */
	private static final int FORM_OVERHEAD = 64 * 1024;

	private static final int MAX_HEADER_BYTES = 8 * 1024;

	static final int MAX_FIELD_BYTES = 1024;

	static final int MAX_PARTS = 16;

	boolean hasFile() {
		return this.fileBytes >= 0;
	}

	Optional<String> field(String name) {
		return Optional.ofNullable(this.fields.get(name));
	}

	/**
	 * Reads the whole form.
	 * @param contentType the request's Content-Type, which names the boundary
	 * @param file where the file part goes; created only when there is one
	 * @throws UploadRejectedException for a body that is not a well-formed form within the limits
	 * @throws IOException when the file cannot be written (reading errors are the client's: 400)
	 */
	static AvatarForm read(InputStream body, String contentType, Path file, long maxFileBytes) throws IOException {
		try {
			MultipartReader reader = new MultipartReader(body, MultipartReader.boundary(contentType),
					new MultipartReader.Limits(maxFileBytes + FORM_OVERHEAD, MAX_PARTS, MAX_HEADER_BYTES));
			long fileBytes = -1;
			Map<String, String> fields = new HashMap<>();
			Optional<Part> next;
			while ((next = reader.nextPart()).isPresent()) {
				Part part = next.get();
				String name = part.name().orElse(null);
				if (FILE_FIELD.equals(name)) {
					if (fileBytes >= 0) {
						throw new UploadRejectedException(HttpStatus.BAD_REQUEST, "More than one file",
								"Send one picture per upload.");
					}
					fileBytes = copy(part, file, maxFileBytes);
				}
				else if (name != null && part.filename().isEmpty()) {
					fields.putIfAbsent(name, field(part, name));
				}
				// Else some other file, or a part without a name: nothing this endpoint reads.
			}
			return new AvatarForm(fileBytes, Map.copyOf(fields));
		}
		catch (MultipartException ex) {
			throw rejected(ex, maxFileBytes);
		}
	}

	private static long copy(Part part, Path file, long maxFileBytes) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
			OutputStream out = Channels.newOutputStream(channel);
			try {
				return part.transferTo(out, maxFileBytes);
			}
			catch (MultipartException ex) {
				if (ex.kind() == MultipartException.Kind.PART_TOO_LARGE) {
					throw UploadRejectedException.tooLarge(maxFileBytes);
				}
				throw ex;
			}
		}
	}

	private static String field(Part part, String name) throws MultipartException {
		try {
			return part.text(MAX_FIELD_BYTES);
		}
		catch (MultipartException ex) {
			if (ex.kind() == MultipartException.Kind.PART_TOO_LARGE) {
				throw new UploadRejectedException(HttpStatus.BAD_REQUEST, "Field too long",
						"The form field '" + name + "' is longer than " + MAX_FIELD_BYTES + " bytes.");
			}
			throw ex;
		}
	}

	/** The answers to each way a body can be wrong, as the API has always given them. */
	private static UploadRejectedException rejected(MultipartException ex, long maxFileBytes) {
		return switch (ex.kind()) {
			case BODY_TOO_LARGE -> new UploadRejectedException(HttpStatus.CONTENT_TOO_LARGE, "Upload too large",
					"The form is larger than the file limit of " + Sizes.describe(maxFileBytes) + " plus "
							+ Sizes.describe(FORM_OVERHEAD) + " for its other fields.");
			case TOO_MANY_PARTS -> new UploadRejectedException(HttpStatus.BAD_REQUEST, "Too many form fields",
					"The form has more than " + MAX_PARTS + " parts.");
			case HEADERS_TOO_LONG -> new UploadRejectedException(HttpStatus.BAD_REQUEST, "Bad upload",
					"A part's headers are too long.");
			case MALFORMED, INTERRUPTED, PART_TOO_LARGE -> new UploadRejectedException(HttpStatus.BAD_REQUEST,
					"Bad upload", "The request is not a readable multipart/form-data upload.");
		};
	}

}
