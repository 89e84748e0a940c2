package dev.avatars.job;

import dev.avatars.TestPostgres;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Two runners and a re-upload race, on a real PostgreSQL with the postgres profile. */
@ActiveProfiles("postgres")
@DirtiesContext
class PostgresConcurrentRunsTests extends ConcurrentRunsTests {

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		TestPostgres.freshDatabase().register(registry);
	}

}
