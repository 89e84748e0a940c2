#!/usr/bin/env bash
# Latency from an upload's 202 to READY (issue #16): the packaged app on its embedded default (H2, local
# uploads, in-app schedule off so that only the upload's nudge makes thumbnails) in a fresh home; real 12 MP
# photographs, one at a time and CLIENTS (8) at a time. Prints p50/p90/p99/max of the 202 itself and of
# 202 -> READY, and the 1-minute load average during each run. Resolution: the client polls
# GET /api/users/{id}/avatar every POLL_MS (25) ms, so a figure is late by up to that much plus one GET.
#
#   scripts/bench/upload-to-ready.sh [JAR] [CORPUS_DIR] [extra app arguments...]
#        (defaults: target/avatars.jar, /tmp/avatar-corpus; the corpus is made with
#         scripts/bench/make-corpus.sh when it has no 12 MP files)
#
# Environment: SEQUENTIAL (100), CONCURRENT (104), CLIENTS (8), WARMUP (24), POLL_MS (25); see upload_to_ready.py.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar=${1:-target/avatars.jar}
corpus=${2:-/tmp/avatar-corpus}
shift $(( $# < 2 ? $# : 2 ))
if ! ls "$corpus"/12mp-*.jpg > /dev/null 2>&1; then
  bash "$(dirname "$0")/make-corpus.sh" "$corpus"
fi
if [ ! -f "$jar" ]; then
  (cd "$here/../.." && ./mvnw -q -B -DskipTests package)
fi
work=$(mktemp -d /tmp/avatars-ready-bench.XXXXXX)
app_pid=
cleanup() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2> /dev/null || true; wait "$app_pid" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
admin_password=$(head -c 15 /dev/urandom | base64 | tr '+/' '-_')
# The admin for this run only, in the environment (avatars.admin.*) so that the password shows in no process listing.
echo "machine: $(nproc) cores; jar $jar; $(date -u +%Y-%m-%dT%H:%M:%SZ); load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "app arguments: ${*:-(none)}; poll every ${POLL_MS:-25} ms"
AVATARS_ADMIN_USERNAME=bench AVATARS_ADMIN_PASSWORD=$admin_password \
  java -jar "$jar" --server.port="$port" --avatars.home="$work/app" \
  --avatars.rate-limit.uploads=0 --avatars.processing.cron=- "$@" > "$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/actuator/health" > /dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$port/actuator/health" > /dev/null || { tail -30 "$work/app.log"; exit 1; }
BENCH_ADMIN_USERNAME=bench BENCH_ADMIN_PASSWORD=$admin_password \
  /usr/bin/python3 "$here/upload_to_ready.py" "http://127.0.0.1:$port" "$corpus"
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
