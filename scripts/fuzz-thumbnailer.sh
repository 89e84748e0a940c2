#!/usr/bin/env bash
# The thumbnailer's fuzz run: seeded mutants of JPEG, PNG, GIF, WebP and BMP pictures through both engines, each
# in a child JVM with -Xmx256m and a time limit per file. Never part of ./mvnw verify (ThumbnailerFuzzTests is the
# small in-process variant that is).
#
#   scripts/fuzz-thumbnailer.sh [COUNT] [FIRST]     mutants FIRST .. FIRST+COUNT-1 (default 3000 from 1)
#   scripts/fuzz-thumbnailer.sh 1 N                 replays mutant N alone
#
# Environment: LIMIT seconds of CPU per file (5; ten times as long on the clock also counts as a hang), BUDGET
# seconds for the whole run (1800; it stops there and reports what it did, 0 for none), HEAP for the child (256m),
# SKIP_BUILD=1 to use the classes already in target/.
# The report (counts per seed file and engine, then one FINDING line per finding, with its mutant number and
# mutation) is printed and kept in target/fuzz/report.txt; the files of findings are in target/fuzz/findings/.
# docs/FUZZING.md explains the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-3000}
first=${2:-1}
out=target/fuzz
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -B -q -DskipTests test-compile
  ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
fi
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
rm -rf "$out"
mkdir -p "$out"
{
  echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' (with uncommitted changes)')"
  echo "command: LIMIT=${LIMIT:-5} BUDGET=${BUDGET:-1800} HEAP=${HEAP:-256m} scripts/fuzz-thumbnailer.sh $count $first"
  echo "machine: $(nproc) cores; $(java -version 2>&1 | head -1); $(date -u +%Y-%m-%dT%H:%MZ)"
} | tee "$out/report.txt"
java -Xmx512m -Dfuzz.limit="${LIMIT:-5}" -Dfuzz.budget="${BUDGET:-1800}" -Dfuzz.heap="${HEAP:-256m}" \
  -Dfuzz.out="$out" -cp "$cp" dev.avatars.fuzz.ThumbnailerFuzz "$count" "$first" | tee -a "$out/report.txt"
