package dev.avatars.avatar;

import dev.avatars.PostgresTest;

/** Crops stored and applied, on a real PostgreSQL with the postgres profile. */
@PostgresTest
class PostgresCropUploadTests extends CropUploadTests {

}
