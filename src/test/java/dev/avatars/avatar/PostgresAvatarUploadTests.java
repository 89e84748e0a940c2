package dev.avatars.avatar;

import dev.avatars.PostgresTest;

/** The upload tests (row locks, concurrent uploads), on a real PostgreSQL with the postgres profile. */
@PostgresTest
class PostgresAvatarUploadTests extends AvatarUploadTests {

}
