package dev.avatars.avatar;

import dev.avatars.PostgresTest;

/** Removing a picture, on a real PostgreSQL with the postgres profile. */
@PostgresTest
class PostgresAvatarRemovalTests extends AvatarRemovalTests {

}
