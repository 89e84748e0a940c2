package dev.avatars.job;

import dev.avatars.TestPostgres;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same engine tests, on a real PostgreSQL with the postgres profile. */
@ActiveProfiles("postgres")
@DirtiesContext
class PostgresThumbnailJobTests extends ThumbnailJobTests {

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		TestPostgres.freshDatabase().register(registry);
	}

}
