#!/usr/bin/env bash
# Issue #16's before/after in ONE session: the engine's backlog throughput through the API, then the upload
# rate, for two builds. BEFORE_DIR and AFTER_DIR each hold a build's target/avatars.jar (e.g. git worktrees of
# afe051a and 606d944 after ./mvnw -q -B -DskipTests package).
#
#   scripts/bench/engine-before-after.sh BEFORE_DIR AFTER_DIR [CORPUS_DIR] | tee log
#   scripts/bench/engine_before_after_summary.py log
#
# Three apps run side by side on the embedded default (H2, local uploads), each in a fresh home, the in-app
# schedule off, no upload limit: "before"; "after-no-nudge" (--avatars.processing.on-upload=false, like for
# like); "after-nudge" (the default on-upload=true: every upload also renders its thumbnails at once, on the
# same 2 cores). They start together (on a loaded 2-core machine a start takes minutes) and wait idle while
# another is measured; a run measures one app at a time.
#   1. backlog: backlog_run.py on "before" and "after-no-nudge": BACKLOG (64) 12 MP photos uploaded, then
#      POST /api/jobs/thumbnails/runs?wait=true timed; a warm-up pass, then ROUNDS (3) rounds, apps in turn.
#   2. upload: wrk -t2 -c16 with upload.lua posting a 1 MB JPEG (as upload.sh) to 64 users of each app, then
#      to nginx writing the body to a file (the floor); WARM_SLICES (2) untimed 20 s slices per app, then
#      ROUNDS rounds of one 20 s run per app and one of nginx, in turn.
# Every measured run is preceded by a "=== round" line with the time and the load average.
# ONLY=backlog: start only "before" and "after-no-nudge" and stop after step 1.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
before=$(cd "$1" && pwd)
after=$(cd "$2" && pwd)
corpus=${3:-/tmp/avatar-corpus}
rounds=${ROUNDS:-3}
work=$(mktemp -d /tmp/avatars-before-after.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
  [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2> /dev/null
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
stamp() { echo "=== round $1 $2 $3 $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"; }
# The admin of these throwaway apps, in the environment so that it shows in no process listing.
export BENCH_ADMIN_USERNAME=bench BENCH_ADMIN_PASSWORD
BENCH_ADMIN_PASSWORD=$(head -c 15 /dev/urandom | base64 | tr '+/' '-_')
declare -A port
apps=(before after-no-nudge after-nudge)
[ "${ONLY:-}" = backlog ] && apps=(before after-no-nudge)
echo "machine: $(nproc) cores; before $(git -C "$before" rev-parse --short HEAD), after $(git -C "$after" rev-parse --short HEAD); $(date -u +%Y-%m-%dT%H:%MZ)"
for app in "${apps[@]}"; do
  case $app in
    before) dir=$before; args=() ;;
    after-no-nudge) dir=$after; args=(--avatars.processing.on-upload=false) ;;
    after-nudge) dir=$after; args=() ;;
  esac
  port[$app]=$(free_port)
  AVATARS_ADMIN_USERNAME=$BENCH_ADMIN_USERNAME AVATARS_ADMIN_PASSWORD=$BENCH_ADMIN_PASSWORD \
    java -jar "$dir/target/avatars.jar" --server.port="${port[$app]}" --avatars.home="$work/$app" \
    --avatars.processing.cron=- --avatars.rate-limit.uploads=0 "${args[@]}" > "$work/$app.log" 2>&1 &
  pids+=($!)
done
for app in "${apps[@]}"; do
  for _ in $(seq 1200); do curl -sf "http://127.0.0.1:${port[$app]}/actuator/health" > /dev/null && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:${port[$app]}/actuator/health" > /dev/null || { tail -20 "$work/$app.log"; exit 1; }
done
echo "apps up $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. Backlog.
ROUNDS=$rounds /usr/bin/python3 "$here/backlog_run.py" "$corpus" \
  "before=http://127.0.0.1:${port[before]}" "after=http://127.0.0.1:${port[after-no-nudge]}"
[ "${ONLY:-}" = backlog ] && exit 0

# 2. Upload rate. Sign in as upload.sh does (session cookie, CSRF token sent back as a header) and make 64 users.
djpeg -scale 5/8 "$corpus/12mp-02-sunset.jpg" | cjpeg -quality 92 > "$work/photo.jpg"
echo "upload: $(stat -c %s "$work/photo.jpg") bytes, 2500x1875 JPEG; wrk -t2 -c16 -d20s"
users=64
declare -A first
cookie() { awk -v name="$2" '$6 == name { print $7 }' "$work/$1.cookies"; }
for app in "${apps[@]}"; do
  base="http://127.0.0.1:${port[$app]}"
  curl -sf -c "$work/$app.cookies" "$base/api/session" > /dev/null
  curl -sf -b "$work/$app.cookies" -c "$work/$app.cookies" -H "X-XSRF-TOKEN: $(cookie "$app" XSRF-TOKEN)" \
    -H 'Content-Type: application/json' \
    -d "{\"username\":\"$BENCH_ADMIN_USERNAME\",\"password\":\"$BENCH_ADMIN_PASSWORD\"}" "$base/api/session" > /dev/null
  for i in $(seq $users); do
    id=$(curl -sf -b "$work/$app.cookies" -H "X-XSRF-TOKEN: $(cookie "$app" XSRF-TOKEN)" -H 'Content-Type: application/json' \
      -d "{\"username\":\"wrk$i\",\"displayName\":\"wrk $i\",\"password\":\"wrk password $i\"}" \
      "$base/api/users" | sed -E 's/^\{"id":([0-9]+).*/\1/')
    [ "$i" = 1 ] && first[$app]=$id
  done
done
mkdir -p "$work/nginx/bodies"
chmod 0755 "$work" "$work/nginx"
chmod 0777 "$work/nginx/bodies"
nport=$(free_port)
sed -e "s#BENCH_DIR#$work/nginx#g" -e "s#BENCH_ECHO_PORT#$(free_port)#g" -e "s#BENCH_PORT#$nport#g" \
  "$here/nginx.conf" > "$work/nginx/nginx.conf"
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -e "$work/nginx/error.log"
for _ in $(seq 40); do [ -f "$work/nginx/nginx.pid" ] && break; sleep 0.25; done
# One wrk run of SECONDS against APP (or nginx); prints wrk's RESULT line.
load() {
  local app=$1 jar=$1 target=app p
  if [ "$app" = nginx ]; then jar=before; target=nginx; p=$nport; else p=${port[$app]}; fi
  BENCH_COOKIE="JSESSIONID=$(cookie "$jar" JSESSIONID); XSRF-TOKEN=$(cookie "$jar" XSRF-TOKEN)" \
  BENCH_XSRF=$(cookie "$jar" XSRF-TOKEN) BENCH_THREADS=2 BENCH_FILE="$work/photo.jpg" BENCH_TARGET=$target \
  BENCH_FIRST_USER=${first[$jar]} BENCH_USERS=$users \
    wrk -t2 -c16 -d"$2"s -s "$here/upload.lua" "http://127.0.0.1:$p" | grep RESULT
}
for slice in $(seq "${WARM_SLICES:-2}"); do
  for app in "${apps[@]}"; do echo "  warm-up $app slice $slice: $(load "$app" 20)"; done
done
for round in $(seq "$rounds"); do
  for app in "${apps[@]}" nginx; do
    stamp "$round" upload "$app"
    load "$app" 20
    sleep 5 # after-nudge renders its last few uploads (at most one pending per user) before the next run
  done
done
echo "end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
