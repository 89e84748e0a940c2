#!/usr/bin/env bash
# The cost of face-aware crops (docs/FACES.md): engine images/s at 12 MP with face detection on (face) and off
# (centre), both making the round variants as the job does, and as before this feature (none: centre squares
# only), 1 and 2 workers, against the anchors (vipsthumbnail and Pillow-draft, plain centre crops) on the same
# files. Rounds interleaved; medians.
#
#   scripts/bench/faces.sh [CORPUS_DIR]      (default /tmp/avatar-corpus; see scripts/bench/make-corpus.sh)
#
# Environment: ROUNDS (3), SECONDS_PER_ROUND (6). Then CPU time per image, ours and the anchors', and the accuracy
# on the labelled set (docs/faces/labels.txt).
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${1:-/tmp/avatar-corpus}
rounds=${ROUNDS:-3}
seconds=${SECONDS_PER_ROUND:-6}
out=target/bench
mkdir -p "$out"
results="$out/faces.txt"
: > "$results"
if [ ! -f "$corpus/MANIFEST.txt" ]; then
  bash scripts/bench/make-corpus.sh "$corpus"
fi
./mvnw -B -q -o -DskipTests test-compile
./mvnw -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"
for round in $(seq "$rounds"); do
  for workers in 1 2; do
    for crop in face centre none; do
      extra=()
      [ "$crop" != none ] && extra=("$crop" 12mp)
      java -Xmx256m -cp "$cp" dev.avatars.bench.EngineBenchmark "$corpus" auto "$workers" 1 "$seconds" "${extra[@]}" \
        | grep -E "RESULT.*12mp" | sed "s/\$/ mode=$crop/" | tee -a "$results"
    done
  done
  /usr/bin/python3 -c 'import sys; sys.path.insert(0, "scripts/bench"); import anchors
anchors.REPEATS = {"12mp": 3}; sys.argv = ["anchors.py", sys.argv[1], "1"]; anchors.main()' "$corpus" | tee -a "$results"
done
awk '/^RESULT/ { delete f; for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
  key = ("engine" in f) ? "ours " f["mode"] " workers=" f["workers"] : f["anchor"] " processes=" f["processes"]
  v[key] = v[key] " " f["images_per_s"] }
  END { for (k in v) print "MEDIAN", k, ":", v[k] }' "$results" | sort | tee -a "$results"
# CPU time per image (what docs/FACES.md compares: wall clock swings on a shared machine), then the anchors'.
java -Xmx256m -cp "$cp" dev.avatars.bench.FaceCostBenchmark "$corpus" 12mp 5 | grep RESULT | tee -a "$results"
files=$(ls "$corpus"/12mp-*.jpg)
tmp=$(mktemp -d)
for run in 1 2 3; do
  # shellcheck disable=SC2086
  VIPS_CONCURRENCY=1 /usr/bin/time -f "RESULT cpu anchor=vipsthumbnail images=36 user_s=%U sys_s=%S" vipsthumbnail \
    $files $files $files --size 256x256 --smartcrop centre -o "$tmp/%s.jpg[Q=85,strip]" 2>&1 | tee -a "$results"
  # shellcheck disable=SC2086
  /usr/bin/time -f "RESULT cpu anchor=pillow-draft images=48 user_s=%U sys_s=%S" /usr/bin/python3 \
    scripts/bench/anchors.py --pillow-worker 3 $files 2>&1 >/dev/null | tee -a "$results"
done
rm -rf "$tmp"
java -cp "$cp" dev.avatars.thumbnail.FaceAccuracyBenchmark docs/faces/labels.txt "$corpus" | tee -a "$results"
