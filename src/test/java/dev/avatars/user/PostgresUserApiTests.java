package dev.avatars.user;

import dev.avatars.TestPostgres;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The users API (unique usernames, search), on a real PostgreSQL with the postgres profile. */
@ActiveProfiles("postgres")
@DirtiesContext
class PostgresUserApiTests extends UserApiTests {

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		TestPostgres.freshDatabase().register(registry);
	}

}
