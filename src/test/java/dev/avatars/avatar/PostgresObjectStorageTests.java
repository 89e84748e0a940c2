package dev.avatars.avatar;

import dev.avatars.PostgresTest;

/** The same, on a real PostgreSQL with the postgres profile. */
@PostgresTest
class PostgresObjectStorageTests extends ObjectStorageTests {

}
