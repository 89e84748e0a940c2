package dev.avatars.avatar;

import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.avatars.thumbnail.Crop;

import org.springframework.http.HttpStatus;

/** The optional crop fields of an upload: all three or none. */
final class CropRequest {

	private CropRequest() {
	}

	/** The crop from the upload's fields by name (absent: null). */
	static Optional<Crop> of(Function<String, String> fields) {
		return of(number(fields, "cropX"), number(fields, "cropY"), number(fields, "cropSize"));
	}

	private static Double number(Function<String, String> fields, String name) {
		String value = fields.apply(name);
		if (value == null) {
			return null;
		}
		try {
			return Double.valueOf(value.trim());
		}
		catch (NumberFormatException ex) {
			throw invalid(name + " must be a number.");
		}
	}

	private static Optional<Crop> of(Double x, Double y, Double size) {
		long given = Stream.of(x, y, size).filter((value) -> value != null).count();
		if (given == 0) {
			return Optional.empty();
		}
		if (given < 3) {
			throw invalid("Send cropX, cropY and cropSize together, or none of them for the centre square.");
		}
		try {
			return Optional.of(new Crop(x, y, size));
		}
		catch (IllegalArgumentException ex) {
			throw invalid("cropX and cropY must be between 0 and 1, and cropSize above 0 and at most 1.");
		}
	}

	static UploadRejectedException invalid(String detail) {
		return new UploadRejectedException(HttpStatus.BAD_REQUEST, "Invalid crop", detail);
	}

}
