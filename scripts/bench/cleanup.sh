#!/usr/bin/env bash
# Clean-up over 100,000 files in the storage root (issue #19): `cleanup-uploads --dry-run` and the real
# `cleanup-uploads`, timed, with their peak heap; then the real one again with -Xmx64m, which must succeed.
#
#   scripts/bench/cleanup.sh [RUNS]        (RUNS: default 3; the -Xmx64m run comes once after them)
#   CLEANUP_BENCH_SMALL_HEAP=-Xmx32m scripts/bench/cleanup.sh   (another small heap; empty: no small-heap run)
#
# Each run gets a fresh AVATARS_HOME: the database (made once by the app itself, on an empty home, then given
# 12,500 users with READY avatars through H2's RunScript) and 100,000 files, all with an mtime 2 hours ago
# (older than avatars.cleanup.grace = 10m and avatars.cleanup.incoming-grace = 1h):
#   kept, 50,000:    12,500 originals named by a row + 3 thumbnails (64/128/256) of each row's current version
#   removed, 50,000: 10,000 originals no row names; 18,000 thumbnails of an older version (v1, 3 sizes, of
#                    6,000 of those users); 18,000 thumbnails of 6,000 user ids with no row; 2,000 temporary
#                    thumbnail writes (thumbnails/<id>/.<uuid>.tmp); 2,000 temporary uploads in the folder of a
#                    process with no lock file (incoming/<process>/<uuid>.tmp; a folder WITH a lock file is
#                    swept at start-up by the storage itself, not by the clean-up, so it is not used here)
# After the dry run the script checks that nothing changed and that it listed exactly the 50,000 to remove;
# after the real run, that exactly the 50,000 are gone and the 50,000 kept remain (sorted `find` lists).
#
# Peak heap: each JVM logs -Xlog:gc,gc+heap+exit. Heap in use only grows between collections, so its peak is
# the larger of the largest "before" figure of a GC line (X in "X->Y(Z)") and the heap used at exit. "live" is
# the largest "after" figure (Y): what survived a collection, the memory the run really held on to. Both
# include Spring Boot's own start-up; the first (database-creating) run on an empty home is shown as the
# baseline. Wall time is the whole process (JVM start, Spring context, job) by /usr/bin/time, with its max RSS;
# job= is the duration the job itself reports in its summary line.
set -euo pipefail
cd "$(dirname "$0")/../.."
export LC_ALL=C
runs=${1:-3}
small_heap=${CLEANUP_BENCH_SMALL_HEAP--Xmx64m}
jar=target/avatars.jar
[ -f "$jar" ] || ./mvnw -q -B -DskipTests package
h2_jar=$(unzip -Z1 "$jar" | grep -E '^BOOT-INF/lib/h2-[0-9.]+\.jar$')
h2_version=$(basename "$h2_jar" .jar); h2_version=${h2_version#h2-}
h2=~/.m2/repository/com/h2database/h2/$h2_version/h2-$h2_version.jar
[ -f "$h2" ] || { echo "no $h2 (the H2 the jar bundles)" >&2; exit 2; }

work=$(mktemp -d /tmp/avatars-cleanup-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
users=12500 first_user=1001 stale_users=6000 orphan_originals=10000 orphan_users=6000 temp_thumbs=2000 temp_incoming=2000

# Runs the jar in $1 (home) with the rest as arguments; leaves $1/out, $1/gc.log, $1/time, $1/rc.
app() {
  local home=$1; shift
  local rc=0
  AVATARS_HOME=$home /usr/bin/time -o "$home/time" -f '%e %M' \
    java -Xlog:gc,gc+heap+exit:file="$home/gc.log" "$@" > "$home/out" 2> "$home/err" || rc=$?
  echo "$rc" > "$home/rc"
}
# "wall=..s rss=..MB peak_heap=..MB live=..MB" from $1/time and $1/gc.log.
figures() {
  awk -v t="$(cat "$1/time")" '
    /GC\([0-9]+\) Pause|GC\([0-9]+\) Concurrent Mark.*->/ {
      if (match($0, /[0-9]+M->[0-9]+M\(/)) { s = substr($0, RSTART, RLENGTH - 1); split(s, a, "->")
        b = a[1] + 0; l = a[2] + 0; if (b > peak) peak = b; if (l > live) live = l } }
    /garbage-first heap .*used/ { if (match($0, /used [0-9]+K/)) { u = substr($0, RSTART + 5, RLENGTH - 6) / 1024
        if (u > peak) peak = u; exitused = u } }
    END { split(t, w, " "); printf "wall=%ss rss=%dMB peak_heap=%dMB live=%dMB heap_at_exit=%dMB", w[1], w[2] / 1024, peak, live, exitused }
  ' "$1/gc.log"
}
check_rc() { [ "$(cat "$1/rc")" = 0 ] || { echo "FAILED: $2 exited $(cat "$1/rc")" >&2; tail -20 "$1/err" "$1/out" >&2; exit 1; }; }
files_of() { (cd "$1/uploads" && find . -type f ! -name '*.lock' | sort); }

# The database, made once by the app on an empty home, then filled by H2's own tool.
template=$work/template
mkdir -p "$template"
app "$template" -jar "$jar" cleanup-uploads
check_rc "$template" "cleanup-uploads on an empty home"
echo "baseline (empty home, creates the database): $(grep 'cleanup-uploads:' "$template/out") | $(figures "$template")"
cat > "$work/rows.sql" <<SQL
INSERT INTO users (id, username, display_name, created_at)
  SELECT X, 'bench' || X, 'Bench ' || X, CURRENT_TIMESTAMP FROM SYSTEM_RANGE($first_user, $((first_user + users - 1)));
INSERT INTO avatars (user_id, status, version, original_key, format, width, height, uploaded_at, ready_version,
    ready_extension, processed_at)
  SELECT X, 'READY', 2, LPAD(CAST(X AS VARCHAR), 8, '0') || '-0000-4000-8000-000000000000.jpg', 'JPEG', 1024, 768,
    CURRENT_TIMESTAMP, 2, 'jpg', CURRENT_TIMESTAMP FROM SYSTEM_RANGE($first_user, $((first_user + users - 1)));
SQL
java -cp "$h2" org.h2.tools.RunScript -url "jdbc:h2:file:$template/data/avatars" -user sa -script "$work/rows.sql"
rows=$(java -cp "$h2" org.h2.tools.Shell -url "jdbc:h2:file:$template/data/avatars" -user sa \
  -sql "SELECT COUNT(*) FROM avatars WHERE status = 'READY' AND original_key IS NOT NULL" | sed -n 2p | tr -d ' ')
[ "$rows" = "$users" ] || { echo "expected $users READY rows, found $rows" >&2; exit 1; }

# Makes the 100,000 files under $1/uploads and writes $1/kept and $1/removed (sorted, as files_of prints them).
make_home() {
  local home=$1
  mkdir -p "$home/data"
  cp "$template/data/avatars.mv.db" "$home/data/"
  python3 - "$home" $users $first_user $stale_users $orphan_originals $orphan_users $temp_thumbs $temp_incoming <<'PY'
import os, sys, time, uuid
home = sys.argv[1]
users, first, stale, orphan_originals, orphan_users, temp_thumbs, temp_incoming = map(int, sys.argv[2:])
root = os.path.join(home, "uploads")
old = time.time() - 2 * 3600  # what `touch -d '2 hours ago'` sets
kept, removed = [], []
def put(rel, size, into):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(b"\xff" * size)
    os.utime(path, (old, old))
    into.append("./" + rel)
sizes = ((64, 1_000), (128, 2_000), (256, 4_000))
for u in range(first, first + users):
    put(f"originals/{u:08d}-0000-4000-8000-000000000000.jpg", 8_000, kept)
    for s, b in sizes:
        put(f"thumbnails/{u}/v2-{s}.jpg", b, kept)
for u in range(first, first + stale):
    for s, b in sizes:
        put(f"thumbnails/{u}/v1-{s}.jpg", b, removed)
for i in range(orphan_originals):
    put(f"originals/{i:08d}-0000-4000-8000-000000000001.jpg", 8_000, removed)
for u in range(100_001, 100_001 + orphan_users):
    for s, b in sizes:
        put(f"thumbnails/{u}/v1-{s}.jpg", b, removed)
for i in range(temp_thumbs):
    put(f"thumbnails/{first + i % users}/.{uuid.uuid4()}.tmp", 4_000, removed)
for i in range(temp_incoming):
    put(f"incoming/host2-4711-{uuid.UUID(int=7)}/{uuid.uuid4()}.tmp", 8_000, removed)
for name, items in (("kept", kept), ("removed", removed)):
    with open(os.path.join(home, name), "w") as f:
        f.write("".join(p + "\n" for p in sorted(items, key=lambda p: p.encode())))
print(f"made {len(kept) + len(removed)} files: {len(kept)} in use, {len(removed)} unused")
PY
  sort -o "$home/kept" "$home/kept"; sort -o "$home/removed" "$home/removed"
  sort -m "$home/kept" "$home/removed" > "$home/all"
  local n; n=$(files_of "$home" | wc -l)
  [ "$n" = 100000 ] || { echo "expected 100000 files, found $n" >&2; exit 1; }
}
echo "load: $(uptime)"
for i in $(seq 1 "$runs") ${small_heap:+small}; do
  home=$work/run-$i
  make_home "$home"
  heap=(); [ "$i" = small ] && heap=("$small_heap")
  if [ "$i" != small ]; then
    app "$home" "${heap[@]}" -jar "$jar" cleanup-uploads --dry-run
    check_rc "$home" "cleanup-uploads --dry-run"
    listed=$(grep -c '^cleanup-uploads: would remove ' "$home/out" || true)
    sed -n 's|^cleanup-uploads: would remove |./|p' "$home/out" | sort > "$home/listed"
    files_of "$home" | cmp -s - "$home/all" || { echo "FAILED: the dry run changed the files" >&2; exit 1; }
    cmp -s "$home/listed" "$home/removed" || { echo "FAILED: the dry run did not list exactly the unused files" >&2; exit 1; }
    echo "run $i dry-run:   listed=$listed, files unchanged (100000), list == the 50000 unused | $(figures "$home")"
    mv "$home/gc.log" "$home/gc-dry.log"
  fi
  app "$home" "${heap[@]}" -jar "$jar" cleanup-uploads
  check_rc "$home" "cleanup-uploads ${heap[*]}"
  left=$(files_of "$home" | wc -l)
  files_of "$home" | cmp -s - "$home/kept" || { echo "FAILED: what remains is not exactly the files in use" >&2; exit 1; }
  gone=0; while read -r f; do [ -e "$home/uploads/$f" ] && gone=$((gone + 1)); done < "$home/removed"
  [ "$gone" = 0 ] || { echo "FAILED: $gone unused files remain" >&2; exit 1; }
  summary=$(grep '^cleanup-uploads:' "$home/out")
  echo "run $i real ${heap[*]:-(default heap)}: $summary | remaining=$left == the 50000 in use, all 50000 unused gone | $(figures "$home")"
  rm -rf "$home"
done
echo "load: $(uptime)"
