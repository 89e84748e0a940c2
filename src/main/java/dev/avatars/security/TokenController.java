package dev.avatars.security;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import dev.avatars.user.Account;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Personal access tokens of the signed-in person, for scripts and other services: created (the value shown
 * this once), listed, revoked. Managed only with a signed-in session, never with a token.
 */
@RestController
@RequestMapping("/api/tokens")
@Tag(name = "Tokens")
class TokenController {

	private final TokenStore tokens;

	TokenController(TokenStore tokens) {
		this.tokens = tokens;
	}

	record CreateTokenRequest(
			@NotBlank(message = "is required") @Size(max = 100, message = "must be at most 100 characters") String name,
			@NotNull(message = "is required") @Pattern(regexp = "avatar|admin", message = "must be avatar or admin") String scope,
			@Schema(description = "when the token stops working; none: never") Instant expiresAt) {
	}

	record CreatedToken(long id, String name, String scope, Instant createdAt, Instant expiresAt,
			@Schema(description = "the token: shown only now, send it as 'Authorization: Bearer <token>'") String token) {
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Create a personal access token",
			description = "scope avatar: change one's own avatar; admin: operations (admins only). The value is in "
					+ "this answer only; the server keeps just its SHA-256.")
	@ApiResponse(responseCode = "201", description = "The token, with its value this once")
	@ApiResponse(responseCode = "400", description = "No name, an unknown scope, or an expiry in the past",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "403", description = "An admin token for someone who is not an admin, or a request made with a token",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	ResponseEntity<CreatedToken> create(@Valid @RequestBody CreateTokenRequest request,
			@AuthenticationPrincipal Account account) {
		TokenScope scope = TokenScope.of(request.scope());
		if (scope == TokenScope.ADMIN && !account.isAdmin()) {
			throw problem(HttpStatus.FORBIDDEN, "Not allowed", "Only admins can create admin tokens.");
		}
		Instant now = Instant.now();
		if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "expiresAt must be in the future");
			problem.setTitle("Invalid request");
			problem.setProperty("errors", List.of(java.util.Map.of("field", "expiresAt", "message", "must be in the future")));
			throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
		}
		TokenStore.Created created = this.tokens.create(account.id(), request.name().strip(), scope, request.expiresAt(), now);
		return ResponseEntity.created(URI.create("/api/tokens/" + created.id()))
			.body(new CreatedToken(created.id(), request.name().strip(), scope.json(), now, request.expiresAt(),
					created.token()));
	}

	@GetMapping
	@Operation(summary = "The signed-in person's tokens (never their values)")
	@ApiResponse(responseCode = "200", description = "Tokens, oldest first, revoked ones included")
	List<TokenStore.TokenView> list(@AuthenticationPrincipal Account account) {
		return this.tokens.list(account.id());
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Revoke one of one's tokens", description = "It stops working at once.")
	@ApiResponse(responseCode = "204", description = "Revoked")
	@ApiResponse(responseCode = "404", description = "No such token of yours, or revoked already", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	void revoke(@PathVariable long id, @AuthenticationPrincipal Account account) {
		if (!this.tokens.revoke(account.id(), id, Instant.now())) {
			throw problem(HttpStatus.NOT_FOUND, "Token not found", "You have no active token with id " + id + ".");
		}
	}

	private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return new ErrorResponseException(status, problem, null);
	}

}
