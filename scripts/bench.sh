#!/usr/bin/env bash
# The benchmark harness: one command, never part of ./mvnw verify.
#
#   scripts/bench.sh [CORPUS_DIR]        (default /tmp/avatar-corpus; built with scripts/bench/make-corpus.sh
#                                          when missing)
#
# Environment: ROUNDS (3), SECONDS_PER_ROUND (6), E2E_AVATARS (2000), SKIP="e2e upload backlog" to leave steps out.
# Anchors and the upload floor need Debian packages: apt-get install libvips-tools python3-pil wrk nginx-light
# (a step whose tools are missing is skipped with a message). Everything printed is also kept in
# target/bench/results.txt; docs/BENCHMARKS.md explains every figure.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-/tmp/avatar-corpus}
rounds=${ROUNDS:-3}
seconds=${SECONDS_PER_ROUND:-6}
skip=" ${SKIP:-} "
out=target/bench
mkdir -p "$out"
results="$out/results.txt"
: > "$results"
say() { echo "$@" | tee -a "$results"; }

# 1. The corpus: 24 real photographs, 2, 12 and 24 megapixels.
if [ ! -f "$corpus/MANIFEST.txt" ]; then
  bash scripts/bench/make-corpus.sh "$corpus"
fi
./mvnw -B -q -DskipTests package
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"

say "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB"
say "java: $(java -version 2>&1 | head -1)"
say "date: $(date -u +%Y-%m-%dT%H:%MZ)"

# 2 and 3. Engine throughput (one JVM per configuration, warmed up, -Xmx256m, peak RSS from /usr/bin/time) and
# the anchors on the same files. Rounds are interleaved, so a noisy minute of a shared machine hits every
# configuration alike; the table takes medians.
have_anchors=no
if [ -x /usr/bin/python3 ] && { command -v vipsthumbnail > /dev/null || /usr/bin/python3 -c 'import PIL' 2> /dev/null; }; then
  have_anchors=yes
else
  say "anchors skipped: apt-get install libvips-tools python3-pil"
fi
for round in $(seq "$rounds"); do
  for engine in auto java; do
    for workers in 1 2; do
      log="$out/engine-$engine-$workers-$round.log"
      /usr/bin/time -v java -Xmx256m -cp "$cp" dev.avatars.bench.EngineBenchmark "$corpus" "$engine" "$workers" 1 \
        "$seconds" > "$log" 2> "$log.time"
      grep RESULT "$log" | tee -a "$results"
      rss=$(awk -F': ' '/Maximum resident set size/{print int($2/1024)}' "$log.time")
      say "RESULT rss engine=$engine workers=$workers peak_rss_mb=$rss"
    done
  done
  if [ "$have_anchors" = yes ]; then
    /usr/bin/python3 scripts/bench/anchors.py "$corpus" 1 | tee -a "$results"
  fi
done
awk -f scripts/bench/ratios.awk "$results" | tee -a "$results"

# How true the JPEG decoder is at 1/4 and 1/8: thumbnails from it and from libjpeg at the same scale against
# ones from the whole picture. Then how fast it decodes against libjpeg, at both scales.
java -cp "$cp" dev.avatars.thumbnail.DecoderFidelityBenchmark "$corpus" | tee -a "$results"
java -cp "$cp" dev.avatars.thumbnail.DecoderSpeedBenchmark "$corpus" 02mp 4 | tee -a "$results"
java -cp "$cp" dev.avatars.thumbnail.DecoderSpeedBenchmark "$corpus" 12mp 8 | tee -a "$results"

# 4. End to end: 2,000 avatars uploaded over HTTP, then one process-avatars run (JVM start included).
if [[ "$skip" != *" e2e "* ]]; then
  java -cp "$cp" -Davatars.jar=target/avatars.jar dev.avatars.bench.EndToEndBenchmark "$corpus" "${E2E_AVATARS:-2000}" \
    | grep RESULT | tee -a "$results"
fi

# 5. Upload path: wrk posting a 1 MB JPEG over 16 connections for 20 s, to the app and to nginx as the floor.
if [[ "$skip" != *" upload "* ]]; then
  if command -v wrk > /dev/null && command -v nginx > /dev/null && command -v djpeg > /dev/null; then
    bash scripts/bench/upload.sh "$corpus" "$cp" | tee -a "$results"
  else
    say "upload skipped: apt-get install wrk nginx-light libjpeg-turbo-progs"
  fi
fi

# 6. Backlog query at scale: 1,000,000 users, 100 pending, H2 and PostgreSQL.
if [[ "$skip" != *" backlog "* ]]; then
  java -cp "$cp" dev.avatars.avatar.BacklogQueryBenchmark | tee -a "$results"
fi
