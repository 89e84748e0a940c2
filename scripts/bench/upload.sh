#!/usr/bin/env bash
# Step 5 of scripts/bench.sh: wrk posts a 1 MB JPEG as multipart to 16 connections for 20 s, first against the
# app (embedded default, packaged jar), then against nginx writing each body to a file and answering 202.
# Then checks that the app stored every upload it accepted, and measures the disk's ceiling for durable files
# of the upload's size (durable-files.py).
#
#   scripts/bench/upload.sh CORPUS_DIR CLASSPATH
#
# Run from a build's folder (it starts that folder's target/avatars.jar). UPLOAD_APP_ARGS: more arguments for
# the app (e.g. --avatars.processing.on-upload=false); a build that lacks the property ignores it.
#
# Warm-up: the app is loaded in 20 s slices until the JIT compiler is nearly idle (under 2 s of compile time in a
# slice) or UPLOAD_WARM_MAX_SLICES (default 15) have passed. On two cores the one C2 compiler thread shares
# them with 16 busy request threads, so compiling Spring, Tomcat, Hibernate and H2 takes minutes under load
# (jstat: 20 s of compile time in each of the first four 20 s slices). The script prints how long it warmed up
# and the JIT's compile time during the measured run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
corpus=$1
cp=$2
work=$(mktemp -d /tmp/avatars-upload-bench.XXXXXX)
app_pid=
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2> /dev/null && wait "$app_pid" 2> /dev/null
  [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2> /dev/null
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A 1 MB photo: the 12 MP sunset scaled to 5/8 (2500×1875), quality 92.
djpeg -scale 5/8 "$corpus/12mp-02-sunset.jpg" | cjpeg -quality 92 > "$work/photo.jpg"
bytes=$(stat -c %s "$work/photo.jpg")
echo "upload: $bytes bytes, 2500×1875 JPEG; wrk -t2 -c16 -d20s"
users=64
connections=16

# The app, as ./mvnw spring-boot:run would start it, in its own home, with an admin for this run only (a random
# password, passed in the environment so that it shows in no process listing), and no upload limit: wrk
# sends thousands of uploads a minute, which the limit of 30 per user per 30 minutes would refuse.
port=$(free_port)
admin_password=$(head -c 15 /dev/urandom | base64 | tr '+/' '-_')
AVATARS_ADMIN_USERNAME=bench AVATARS_ADMIN_PASSWORD=$admin_password \
  java -jar target/avatars.jar --server.port="$port" --avatars.home="$work/app" --avatars.processing.cron=- \
  --avatars.rate-limit.uploads=0 ${UPLOAD_APP_ARGS:-} \
  > "$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/actuator/health" > /dev/null && break; sleep 0.5; done
# Sign in as the page does: the session cookie, and the CSRF token sent back as a header. wrk sends both with
# every upload; the admin may upload for every user.
cookies="$work/cookies.txt"
cookie() { awk -v name="$1" '$6 == name { print $7 }' "$cookies"; }
curl -sf -c "$cookies" "http://127.0.0.1:$port/api/session" > /dev/null
curl -sf -b "$cookies" -c "$cookies" -H "X-XSRF-TOKEN: $(cookie XSRF-TOKEN)" -H 'Content-Type: application/json' \
  -d "{\"username\":\"bench\",\"password\":\"$admin_password\"}" "http://127.0.0.1:$port/api/session" > /dev/null
first=
for i in $(seq $users); do
  id=$(curl -sf -b "$cookies" -H "X-XSRF-TOKEN: $(cookie XSRF-TOKEN)" -H 'Content-Type: application/json' \
    -d "{\"username\":\"wrk$i\",\"displayName\":\"wrk $i\",\"password\":\"wrk password $i\"}" \
    "http://127.0.0.1:$port/api/users" | sed -E 's/^\{"id":([0-9]+).*/\1/')
  first=${first:-$id}
done
# One wrk run against TARGET (app or nginx) on PORT for SECONDS; prints wrk's RESULT line.
load() {
  BENCH_COOKIE="JSESSIONID=$(cookie JSESSIONID); XSRF-TOKEN=$(cookie XSRF-TOKEN)" BENCH_XSRF=$(cookie XSRF-TOKEN) \
  BENCH_THREADS=2 BENCH_FILE="$work/photo.jpg" BENCH_TARGET=$1 BENCH_FIRST_USER=${first:-1} BENCH_USERS=$users \
    wrk -t2 -c$connections -d"$3"s -s "$here/upload.lua" "http://127.0.0.1:$2" | grep RESULT
}
value() { sed -E "s/.*$1=([0-9.]+).*/\1/"; }
jit_seconds() { jstat -compiler "$app_pid" | awk 'NR == 2 { print $4 }'; }
jit_since() { awk -v a="$1" -v b="$(jit_seconds)" 'BEGIN { printf "%.1f", b - a }'; }

# Warm-up until the JIT has settled, then the measured run. Nothing else may touch the app in between: after
# a second connection to its H2 database (AUTO_SERVER) the JIT was busy again through the measured run.
accepted_before=0
slices=0
while :; do
  before=$(jit_seconds)
  warmup=$(load app "$port" 20)
  accepted_before=$((accepted_before + $(echo "$warmup" | value accepted_202)))
  slices=$((slices + 1))
  compiled=$(jit_since "$before")
  echo "  warm-up slice $slices: req_per_s=$(echo "$warmup" | value req_per_s) compile_seconds=$compiled"
  if awk -v c="$compiled" 'BEGIN { exit !(c < 2) }' || [ "$slices" -ge "${UPLOAD_WARM_MAX_SLICES:-15}" ]; then
    break
  fi
done
echo "RESULT upload_warmup seconds=$((slices * 20)) compile_seconds_in_last_slice=$compiled"
before=$(jit_seconds)
app=$(load app "$port" 20)
echo "$app"
echo "RESULT upload_jit compile_seconds_during_run=$(jit_since "$before")"
sleep 2 # uploads cut off by wrk's end may still be committing
stored=$(java -cp "$cp" org.h2.tools.Shell -url "jdbc:h2:file:$work/app/data/avatars;AUTO_SERVER=TRUE" -user sa \
  -password "" -sql "SELECT SUM(version) FROM avatars" | sed -n 2p | tr -d ' ')
# Every upload since the users were made (their versions started at 0), warm-up included.
accepted=$((accepted_before + $(echo "$app" | value accepted_202)))
originals=$(find "$work/app/uploads/originals" -type f -size "${bytes}c" | wc -l)
others=$(find "$work/app/uploads/originals" -type f ! -size "${bytes}c" | wc -l)
echo "RESULT upload_check accepted_202=$accepted versions_added=$stored originals_of_full_size=$originals/$users other_files=$others"
kill "$app_pid"; wait "$app_pid" 2> /dev/null || true; app_pid=

# nginx: the floor of receiving a body and storing it in a file.
mkdir -p "$work/nginx/bodies"
# nginx's workers run as an unprivileged user: they must reach the folder and write the bodies.
chmod 0755 "$work" "$work/nginx"
chmod 0777 "$work/nginx/bodies"
nport=$(free_port)
eport=$(free_port)
sed -e "s#BENCH_DIR#$work/nginx#g" -e "s#BENCH_ECHO_PORT#$eport#g" -e "s#BENCH_PORT#$nport#g" \
  "$here/nginx.conf" > "$work/nginx/nginx.conf"
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -e "$work/nginx/error.log"
for _ in $(seq 40); do [ -f "$work/nginx/nginx.pid" ] && break; sleep 0.25; done
load nginx "$nport" 5 > /dev/null
load nginx "$nport" 20
# The disk's own ceiling for files of this size made durable (nginx's bodies never reach the disk).
/usr/bin/python3 "$here/durable-files.py" "$work/disk" "$bytes" 20
