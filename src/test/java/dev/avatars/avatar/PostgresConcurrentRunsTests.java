package dev.avatars.avatar;

import dev.avatars.PostgresTest;

/** Two runners and a re-upload race, on a real PostgreSQL with the postgres profile. */
@PostgresTest
class PostgresConcurrentRunsTests extends ConcurrentRunsTests {

}
