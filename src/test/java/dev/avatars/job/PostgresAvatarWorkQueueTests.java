package dev.avatars.job;

import dev.avatars.PostgresTest;

/** Batch claims with FOR UPDATE SKIP LOCKED, on a real PostgreSQL with the postgres profile. */
@PostgresTest
class PostgresAvatarWorkQueueTests extends AvatarWorkQueueTests {

}
