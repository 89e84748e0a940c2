package dev.avatars.avatar;

import dev.avatars.PostgresTest;

/** The same lease renewal, on a real PostgreSQL with the postgres profile. */
@PostgresTest
class PostgresLeaseHeartbeatTests extends LeaseHeartbeatTests {

}
