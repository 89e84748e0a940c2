package dev.avatars.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.avatars.ApiTestSupport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A job that claims more than it was asked for (as PostgreSQL once did, re-running a LIMIT subquery) still has
 * every claimed task run, and the engine's count of free workers stays right: later runs do not hang.
 */
class GreedyJobTests extends ApiTestSupport {

	@Autowired
	JobRuns runs;

	@Test
	void surplusClaimsRunAndTheWorkersStayCounted() {
		AtomicInteger done = new AtomicInteger();
		AtomicInteger batches = new AtomicInteger();
		Job greedy = new Job() {

			@Override
			public String name() {
				return "greedy";
			}

			@Override
			public List<Task> claim(int limit, RunContext run) {
				if (batches.getAndIncrement() % 2 == 1) {
					return List.of(); // every other claim finds nothing, which ends the run
				}
				List<Task> tasks = new ArrayList<>();
				for (int i = 0; i < limit + 3; i++) {
					tasks.add((context) -> {
						done.incrementAndGet();
						context.record(RunContext.Outcome.READY);
					});
				}
				return tasks;
			}

			@Override
			public int renew(String owner, Duration lease) {
				return 0;
			}

			@Override
			public int release(String owner) {
				return 0;
			}

			@Override
			public long backlog() {
				return 0;
			}

			@Override
			public int preview(int limit, java.util.function.Consumer<String> item) {
				return 0;
			}

		};
		ProcessingProperties properties = new ProcessingProperties("-", "", false, 2, 10, 3, Duration.ofMinutes(1),
				Duration.ofMinutes(5), Duration.ofSeconds(5));
		JobEngine engine = new JobEngine(List.of(greedy), this.runs, properties, new SimpleMeterRegistry());
		engine.start();
		try {
			assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
				for (int round = 0; round < 5; round++) {
					RunReport report = engine.runOnce("greedy", Trigger.API);
					assertThat(report.claimed()).isEqualTo(5);
					assertThat(report.ready()).isEqualTo(5);
				}
			});
			assertThat(done).hasValue(25);
		}
		finally {
			engine.stop();
		}
	}

}
