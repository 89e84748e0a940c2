#!/usr/bin/env bash
# The phone class beside the untagged corpus, in one run: the engine (fast path, 2 workers, one warmed JVM per
# configuration) and the anchors (vipsthumbnail x2, Pillow draft() x2) on the same files, rounds interleaved so
# that a noisy minute of a shared machine hits every configuration alike; medians and ratios at the end.
#
#   scripts/bench/phone.sh [CORPUS_DIR] [PHONE_DIR]     (defaults /tmp/avatar-corpus, CORPUS_DIR-phone; both made
#                                                       when missing, by make-corpus.sh and make-phone-corpus.sh)
#
# Environment: ROUNDS (3), SECONDS_PER_ROUND (6); CLASSES (02mp,12mp,24mp; a subset, e.g. 02mp, while
# iterating); BASE_CLASSES: a directory of another build's classes (e.g. the branch point's, compiled with javac
# into a folder) to measure on the untagged photos too, as "untagged-base".
# Output in target/bench/phone.txt; docs/BENCHMARKS.md ("Phone photos") explains it.
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${1:-/tmp/avatar-corpus}
phone=${2:-$corpus-phone}
rounds=${ROUNDS:-3}
seconds=${SECONDS_PER_ROUND:-6}
sizes=${CLASSES:-02mp,12mp,24mp}
out=target/bench
mkdir -p "$out"
results="$out/phone.txt"
: > "$results"
[ -f "$corpus/MANIFEST.txt" ] || bash scripts/bench/make-corpus.sh "$corpus"
[ -f "$phone/MANIFEST.txt" ] || bash scripts/bench/make-phone-corpus.sh "$corpus" "$phone"
if [ ! -f target/test-classpath.txt ] || [ ! -d target/test-classes/dev/avatars/bench ]; then
  ./mvnw -B -q -DskipTests package
  ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
fi
deps=$(cat target/test-classpath.txt)
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)" | tee -a "$results"

variants="untagged p3 adobe-rgb progressive"
[ -n "${BASE_CLASSES:-}" ] && variants="untagged-base $variants"
for round in $(seq "$rounds"); do
  for variant in $variants; do
    case $variant in
      untagged) dir=$corpus classes=target/classes ;;
      untagged-base) dir=$corpus classes=$BASE_CLASSES ;;
      *) dir=$phone/$variant classes=target/classes ;;
    esac
    java -Xmx256m -cp "target/test-classes:$classes:$deps" dev.avatars.bench.EngineBenchmark "$dir" auto 2 1 "$seconds" squares "$sizes" \
      | grep RESULT | sed "s/^RESULT /RESULT variant=$variant /" | tee -a "$results"
    if [ "$variant" != untagged-base ]; then
      ANCHOR_PROCESSES=2 ANCHOR_CLASSES="${sizes//,/ }" /usr/bin/python3 scripts/bench/anchors.py "$dir" 1 \
        | sed "s/^RESULT /RESULT variant=$variant /" | tee -a "$results"
    fi
  done
done
awk -f scripts/bench/phone.awk "$results" | tee -a "$results"
