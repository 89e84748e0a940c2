package dev.avatars.avatar;

import dev.avatars.TestPostgres;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Crops stored and applied, on a real PostgreSQL with the postgres profile. */
@ActiveProfiles("postgres")
@DirtiesContext
class PostgresCropUploadTests extends CropUploadTests {

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		TestPostgres.freshDatabase().register(registry);
	}

}
