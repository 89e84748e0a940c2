package dev.avatars.avatar;

import dev.avatars.PostgresTest;

/** The same engine tests, on a real PostgreSQL with the postgres profile. */
@PostgresTest
class PostgresThumbnailJobTests extends ThumbnailJobTests {

}
