#!/usr/bin/env bash
# Claiming one batch when 100 of 1,000,000 avatars are pending (after 200 untimed rounds), on H2 and on PostgreSQL (embedded, from
# Maven), through the job's own queries; prints medians and the query plans. A benchmark, not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests test-compile
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" dev.avatars.avatar.BacklogQueryBenchmark
