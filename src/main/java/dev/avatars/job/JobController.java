package dev.avatars.job;

import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Trigger 3: run the thumbnail job now, and the record of every run whatever started it. */
@RestController
@RequestMapping("/api/jobs/thumbnails/runs")
@Tag(name = "Thumbnail job")
class JobController {

	private final ThumbnailJob job;

	private final JobRunStore runs;

	JobController(ThumbnailJob job, JobRunStore runs) {
		this.job = job;
		this.runs = runs;
	}

	@PostMapping
	@Operation(summary = "Run the thumbnail job now",
			description = "Processes what is due (at most 'limit' avatars) and answers with the run's report when "
					+ "it is done. Safe to call while other runs are under way, here or on other instances.")
	@ApiResponse(responseCode = "201", description = "The run's report; Location names it")
	@ApiResponse(responseCode = "400", description = "limit below 1", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	ResponseEntity<RunReport> run(@Parameter(description = "most avatars to claim in this run")
	@RequestParam(required = false) @Min(1) Integer limit) {
		RunReport report = this.job.runOnce(Trigger.API, (limit != null) ? limit : Integer.MAX_VALUE);
		URI location = ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}").buildAndExpand(report.id()).toUri();
		return ResponseEntity.created(location).body(report);
	}

	@GetMapping
	@Operation(summary = "Recent runs, newest first")
	@ApiResponse(responseCode = "200", description = "Run reports")
	@ApiResponse(responseCode = "400", description = "limit outside 1..200", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	List<RunReport> recent(@RequestParam(defaultValue = "20") @Min(1) @Max(200) int limit) {
		return this.runs.recent(limit);
	}

	@GetMapping("/{id}")
	@Operation(summary = "One run")
	@ApiResponse(responseCode = "200", description = "The run's report")
	@ApiResponse(responseCode = "404", description = "No such run", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	RunReport get(@PathVariable long id) {
		return this.runs.find(id).orElseThrow(() -> {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "There is no run with id " + id + ".");
			problem.setTitle("Run not found");
			return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
		});
	}

}
