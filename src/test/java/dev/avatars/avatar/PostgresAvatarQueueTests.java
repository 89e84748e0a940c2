package dev.avatars.avatar;

import dev.avatars.PostgresTest;

/** Batch claims with FOR UPDATE SKIP LOCKED, on a real PostgreSQL with the postgres profile. */
@PostgresTest
class PostgresAvatarQueueTests extends AvatarQueueTests {

}
