#!/usr/bin/env bash
# Throughput of 1, 2 and 3 process-avatars runners (one worker each) sharing one PostgreSQL (embedded, from
# Maven) over the same backlog of real photographs. A benchmark, never part of ./mvnw verify.
#
#   scripts/bench-runners.sh [CORPUS_DIR] [BACKLOG] [ROUNDS] [WARM_IMAGES]   (defaults: /tmp/avatar-corpus 240 3 480)
#
# The corpus is built with scripts/bench/make-corpus.sh when the folder is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-/tmp/avatar-corpus}
if [ ! -f "$corpus/MANIFEST.txt" ]; then
  bash scripts/bench/make-corpus.sh "$corpus"
fi
./mvnw -B -q -DskipTests package
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  -Davatars.jar=target/avatars.jar \
  dev.avatars.bench.RunnerScalingBenchmark "$corpus" "${2:-240}" "${3:-3}" "${4:-480}"
