package dev.avatars.avatar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import dev.avatars.thumbnail.Thumbnail;
import dev.avatars.user.UserResponse;
import dev.avatars.user.UserService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/users/{id}/avatar")
@Tag(name = "Avatars")
class AvatarController {

	private static final CacheControl VERSIONED = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

	private static final CacheControl PLACEHOLDER = CacheControl.maxAge(Duration.ofSeconds(60)).cachePublic();

	private static final MediaType SVG = MediaType.valueOf("image/svg+xml");

	private final AvatarUploadService uploads;

	private final AvatarRepository store;

	private final AvatarStorage storage;

	private final ThumbnailProperties thumbnails;

	private final UserService users;

	private final AvatarService avatars;

	AvatarController(AvatarUploadService uploads, AvatarRepository store, AvatarStorage storage,
			ThumbnailProperties thumbnails, UserService users, AvatarService avatars) {
		this.avatars = avatars;
		this.uploads = uploads;
		this.store = store;
		this.storage = storage;
		this.thumbnails = thumbnails;
		this.users = users;
	}

	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	@ResponseStatus(HttpStatus.ACCEPTED)
	@Operation(summary = "Upload a new profile picture",
			description = "Checks and stores the picture, then answers at once; thumbnails are made later by the "
					+ "thumbnail job. The picture's type is judged by its content, never by its name or Content-Type. "
					+ "cropX, cropY and cropSize (all three, or none for the centre square) choose the square to keep.")
	@ApiResponse(responseCode = "202", description = "Stored; the avatar is PENDING")
	@ApiResponse(responseCode = "401", description = "Not signed in", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "403", description = "Someone else's avatar", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "400", description = "No file part, an empty file, or a crop that is incomplete or outside the picture", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "404", description = "No such user", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "413", description = "Larger than avatars.upload.max-bytes", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "415", description = "Not a JPEG, PNG, GIF, WebP or BMP by its content",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "422",
			description = "Header unreadable, more pixels than avatars.upload.max-pixels, or smaller than the minimum",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
			mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = UploadForm.class)))
	AvatarView upload(@PathVariable long id, HttpServletRequest request) throws IOException {
		// The body is read here, as it arrives, not by the container (see AvatarForm).
		this.uploads.accept(id, request.getContentType(), request.getInputStream(), request::getParameter);
		return this.avatars.view(id);
	}

	@GetMapping
	@Operation(summary = "The avatar's state (the user or an admin)",
			description = "Whether a picture waits for the job, is ready or failed, and why it failed.")
	@ApiResponse(responseCode = "200", description = "The avatar's state")
	@ApiResponse(responseCode = "401", description = "Not signed in", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "403", description = "Someone else's avatar", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "404", description = "No such user", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	AvatarView status(@PathVariable long id) {
		return this.avatars.find(id).orElseThrow(() -> new NoSuchUserException(id));
	}

	@DeleteMapping
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Remove the picture (the user or an admin)",
			description = "The avatar is back to NONE and its placeholder is served; the original and the thumbnails are deleted.")
	@ApiResponse(responseCode = "204", description = "Removed (also when there was no picture)")
	@ApiResponse(responseCode = "401", description = "Not signed in", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "403", description = "Someone else's avatar", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "404", description = "No such user", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	void remove(@PathVariable long id) {
		this.avatars.remove(id);
	}

	/** The upload form, as the API documentation shows it. */
	record UploadForm(@Schema(type = "string", format = "binary", description = "the picture") String file,
			@Schema(description = "left edge of the chosen square, as a fraction of the upright picture's width") Double cropX,
			@Schema(description = "top edge of the chosen square, as a fraction of the upright picture's height") Double cropY,
			@Schema(description = "side of the chosen square, as a fraction of the upright picture's shorter side") Double cropSize) {
	}

	@GetMapping("/thumbnail")
	@Operation(summary = "The user's avatar thumbnail",
			description = "The smallest stored size at least 'size' pixels (default the largest). Use the user's "
					+ "thumbnailUrl: it carries the version, and is cached for good. While no thumbnail is ready, "
					+ "an SVG placeholder with the user's initials is served, cached briefly. shape=circle gives "
					+ "the round variant: a PNG transparent outside the inscribed circle (a round placeholder "
					+ "while none is ready).")
	@ApiResponse(responseCode = "200", description = "A JPEG or PNG thumbnail, or an SVG placeholder",
			content = { @Content(mediaType = "image/jpeg"), @Content(mediaType = "image/png"),
					@Content(mediaType = "image/svg+xml") })
	@ApiResponse(responseCode = "304", description = "Unchanged (If-None-Match)")
	@ApiResponse(responseCode = "400", description = "size outside 1..4096, or shape neither square nor circle", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "404", description = "No such user", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	ResponseEntity<byte[]> thumbnail(@PathVariable long id,
			@Parameter(description = "wanted edge length in pixels") @RequestParam(required = false) @Min(1) @Max(4096) Integer size,
			@Parameter(description = "the version from thumbnailUrl") @RequestParam(name = "v", required = false) Long version,
			@Parameter(description = "square (default) or circle") @RequestParam(defaultValue = "square")
			@Pattern(regexp = "square|circle", message = "must be square or circle") String shape)
			throws IOException {
		boolean round = "circle".equals(shape);
		AvatarRow row = this.store.find(id).orElseThrow(() -> new NoSuchUserException(id));
		int chosen = (size != null) ? this.thumbnails.atLeast(size) : this.thumbnails.largest();
		Optional<byte[]> stored = readThumbnail(row, chosen, round);
		if (stored.isEmpty() && row.readyVersion() != null) {
			// A newer version replaced the files between the query and the read: serve that one.
			row = this.store.find(id).orElseThrow(() -> new NoSuchUserException(id));
			stored = readThumbnail(row, chosen, round);
		}
		if (stored.isPresent()) {
			Long ready = row.readyVersion();
			Thumbnail.OutputFormat format = round ? Thumbnail.OutputFormat.CIRCLE_PNG
					: Thumbnail.OutputFormat.ofExtension(row.readyExtension());
			return ResponseEntity.ok()
				.eTag("\"" + id + "-v" + ready + "-" + chosen + (round ? "-circle" : "") + "\"")
				.cacheControl(ready.equals(version) ? VERSIONED : CacheControl.noCache())
				.contentType(MediaType.parseMediaType(format.mediaType()))
				.header("X-Content-Type-Options", "nosniff")
				.body(stored.get());
		}
		UserResponse user = this.users.get(id);
		byte[] svg = Placeholder.svg(user.username(), user.displayName(), chosen, round)
			.getBytes(StandardCharsets.UTF_8);
		return ResponseEntity.ok()
			.eTag("\"placeholder-" + Integer.toHexString(java.util.Arrays.hashCode(svg)) + "\"")
			.cacheControl(PLACEHOLDER)
			.contentType(SVG)
			.header("X-Content-Type-Options", "nosniff")
			.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
			.body(svg);
	}

	/**
	 * Empty while none is ready, when a newer version replaced the files between the query and the read, or for
	 * a round one of a version made before round ones were.
	 */
	private Optional<byte[]> readThumbnail(AvatarRow row, int size, boolean round) throws IOException {
		if (row.readyVersion() == null) {
			return Optional.empty();
		}
		String extension = round ? Thumbnail.OutputFormat.CIRCLE_PNG.extension() : row.readyExtension();
		return this.storage.readThumbnail(row.userId(), row.readyVersion(), size, extension);
	}

}
