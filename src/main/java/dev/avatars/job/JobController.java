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

/** Trigger 3: run a job now, and the record of every run whatever started it. */
@RestController
@RequestMapping("/api/jobs/{job}/runs")
@Tag(name = "Jobs")
class JobController {

	private final JobEngine engine;

	JobController(JobEngine engine) {
		this.engine = engine;
	}

	@PostMapping
	@Operation(summary = "Run a job now",
			description = "Starts a run of the job ('thumbnails') over what is due (at most 'limit' items) and answers "
					+ "at once; GET the Location to follow it. With wait=true, answers with the report once the run has "
					+ "finished. Safe to call while other runs are under way, here or on other instances.")
	@ApiResponse(responseCode = "202", description = "Started; Location names the run's record")
	@ApiResponse(responseCode = "201", description = "With wait=true: the finished run's report; Location names it")
	@ApiResponse(responseCode = "400", description = "limit below 1", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "404", description = "No such job", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "503", description = "Too many runs under way in this instance", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	ResponseEntity<RunReport> run(@PathVariable String job,
			@Parameter(description = "most items to claim in this run") @RequestParam(required = false) @Min(1) Integer limit,
			@Parameter(description = "answer only once the run has finished") @RequestParam(defaultValue = "false") boolean wait) {
		Job named = require(job);
		int most = (limit != null) ? limit : Integer.MAX_VALUE;
		if (wait) {
			RunReport report = this.engine.runOnce(named.name(), Trigger.API, most);
			return ResponseEntity.created(location(report.id())).body(report);
		}
		long started = this.engine.start(named.name(), Trigger.API, most);
		RunReport report = this.engine.run(started).orElseThrow();
		return ResponseEntity.accepted().location(location(started)).body(report);
	}

	@GetMapping
	@Operation(summary = "The job's recent runs, newest first")
	@ApiResponse(responseCode = "200", description = "Run reports")
	@ApiResponse(responseCode = "400", description = "limit outside 1..200", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "404", description = "No such job", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	List<RunReport> recent(@PathVariable String job, @RequestParam(defaultValue = "20") @Min(1) @Max(200) int limit) {
		return this.engine.recentRuns(require(job).name(), limit);
	}

	@GetMapping("/{id}")
	@Operation(summary = "One run, finished or under way")
	@ApiResponse(responseCode = "200", description = "The run's report: its counts so far until finished is true")
	@ApiResponse(responseCode = "404", description = "No such job or run", content = @Content(
			mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
	RunReport get(@PathVariable String job, @PathVariable long id) {
		String name = require(job).name();
		return this.engine.run(id)
			.filter((report) -> report.job().equals(name))
			.orElseThrow(() -> notFound("Run not found", "There is no " + name + " run with id " + id + "."));
	}

	private Job require(String job) {
		return this.engine.job(job).orElseThrow(() -> notFound("Job not found", "There is no job named '"
				+ (job.length() > 40 ? job.substring(0, 40) + "…" : job) + "'."));
	}

	private static URI location(long id) {
		return ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}").buildAndExpand(id).toUri();
	}

	private static ErrorResponseException notFound(String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail);
		problem.setTitle(title);
		return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
	}

}
