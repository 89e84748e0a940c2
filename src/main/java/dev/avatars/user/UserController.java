package dev.avatars.user;

import java.net.URI;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@RestController
@RequestMapping("/api/users")
@Tag(name = "Users")
class UserController {

	private final UserService users;

	UserController(UserService users) {
		this.users = users;
	}

	@PostMapping
	@Operation(summary = "Sign up: create a user with a password",
			description = "Anyone may sign up; then sign in with POST /api/session.")
	@ApiResponse(responseCode = "201", description = "Created; Location names the new user")
	@ApiResponse(responseCode = "400", description = "Invalid username, display name or password (at least 10 characters, not the username); 'errors' lists the fields",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "409", description = "Username taken", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	ResponseEntity<UserResponse> create(@Valid @RequestBody CreateUserRequest request) {
		UserResponse user = this.users.create(request);
		URI location = ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}").buildAndExpand(user.id()).toUri();
		return ResponseEntity.created(location).body(user);
	}

	@GetMapping
	@Operation(summary = "List users, oldest first; q finds users whose username or display name contains it")
	@ApiResponse(responseCode = "200", description = "One page of users")
	@ApiResponse(responseCode = "400", description = "page below 0, size outside 1..100, or page × size past 2147483647", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	UserPage list(@RequestParam(required = false) @Size(max = 100) String q,
			@RequestParam(defaultValue = "0") @Min(0) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		// The offset goes to the database as an int (JPA's first result).
		if ((long) page * size > Integer.MAX_VALUE) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
					"page × size must be at most " + Integer.MAX_VALUE + ".");
			problem.setTitle("Invalid paging");
			throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
		}
		return this.users.list(q, page, size);
	}

	@PatchMapping("/{id}")
	@Operation(summary = "Change a display name or password (the user or an admin)",
			description = "Fields left out stay as they are. Changing one's own password takes currentPassword too.")
	@ApiResponse(responseCode = "200", description = "The user")
	@ApiResponse(responseCode = "400", description = "Invalid display name or password, or a wrong currentPassword",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "401", description = "Not signed in", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "403", description = "Someone else's account", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	UserResponse update(@PathVariable long id, @Valid @RequestBody UpdateUserRequest request,
			@AuthenticationPrincipal Account actor) {
		return this.users.update(id, request, actor);
	}

	@GetMapping("/{id}")
	@Operation(summary = "Get a user")
	@ApiResponse(responseCode = "200", description = "The user")
	@ApiResponse(responseCode = "404", description = "No such user", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	UserResponse get(@PathVariable long id) {
		return this.users.get(id);
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Delete a user and all of their files (the user or an admin)")
	@ApiResponse(responseCode = "204", description = "Deleted")
	@ApiResponse(responseCode = "401", description = "Not signed in", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "403", description = "Someone else's account", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "404", description = "No such user", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	void delete(@PathVariable long id, @AuthenticationPrincipal Account actor,
			jakarta.servlet.http.HttpServletRequest request) {
		this.users.delete(id);
		if (actor != null && actor.id() == id && request.getSession(false) != null) {
			// Deleting one's own account signs out: the session's principal no longer exists.
			request.getSession(false).invalidate();
		}
	}

}
