package dev.avatars.user;

import dev.avatars.PostgresTest;

/** The users API (unique usernames, search), on a real PostgreSQL with the postgres profile. */
@PostgresTest
class PostgresUserApiTests extends UserApiTests {

}
