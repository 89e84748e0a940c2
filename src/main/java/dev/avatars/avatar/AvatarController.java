package dev.avatars.avatar;

import java.io.IOException;

import dev.avatars.user.UserResponse;
import dev.avatars.user.UserService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/users/{id}/avatar")
@Tag(name = "Avatars")
class AvatarController {

	private final AvatarUploadService uploads;

	private final UserService users;

	AvatarController(AvatarUploadService uploads, UserService users) {
		this.uploads = uploads;
		this.users = users;
	}

	@PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	@ResponseStatus(HttpStatus.ACCEPTED)
	@Operation(summary = "Upload a new profile picture",
			description = "Checks and stores the picture, then answers at once; thumbnails are made later by the "
					+ "thumbnail job. The picture's type is judged by its content, never by its name or Content-Type.")
	@ApiResponse(responseCode = "202", description = "Stored; the avatar is PENDING")
	@ApiResponse(responseCode = "400", description = "No file part, or an empty file", content = @Content(
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
	UserResponse upload(@PathVariable long id, @RequestPart(name = "file", required = false) MultipartFile file)
			throws IOException {
		this.uploads.accept(id, file);
		return this.users.get(id);
	}

}
