#!/usr/bin/env bash
# The upload benchmark for two builds side by side: ROUNDS (2) rounds, each running scripts/bench/upload.sh
# (app, then nginx) for BEFORE_DIR then AFTER_DIR, folders that each hold a build's target/avatars.jar and
# scripts/ (e.g. git worktrees after ./mvnw -DskipTests package). Prints the RESULT lines of each run.
#
#   scripts/bench/upload-before-after.sh BEFORE_DIR AFTER_DIR [CORPUS_DIR]
set -euo pipefail
before=$1
after=$2
corpus=${3:-/tmp/avatar-corpus}
h2=$(ls ~/.m2/repository/com/h2database/h2/*/h2-*.jar | sort -V | tail -1)
for round in $(seq "${ROUNDS:-2}"); do
  for build in "$before" "$after"; do
    echo "=== round $round $build $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
    (cd "$build" && UPLOAD_WARM_MAX_SLICES=${UPLOAD_WARM_MAX_SLICES:-8} bash scripts/bench/upload.sh "$corpus" "$h2" 2>&1 \
      | grep -E "RESULT|upload:|warm-up")
  done
done
