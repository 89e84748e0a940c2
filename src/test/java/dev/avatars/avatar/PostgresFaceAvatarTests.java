package dev.avatars.avatar;

import dev.avatars.PostgresTest;

/** The same face-crop and round-avatar tests, on a real PostgreSQL with the postgres profile. */
@PostgresTest
class PostgresFaceAvatarTests extends FaceAvatarTests {

}
