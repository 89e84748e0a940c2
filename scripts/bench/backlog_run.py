#!/usr/bin/env python3
"""Client half of the backlog step of scripts/bench/engine-before-after.sh: the backlog throughput through the
API, for several apps (builds) running side by side, alternating. For each app: BACKLOG users, one 12 MP
photograph uploaded for each (the apps run with the in-app schedule and the upload nudge off, so the uploads
wait), then POST /api/jobs/thumbnails/runs?wait=true is timed until its report comes back (the engine before
issue #16 always answered when done and ignores `wait`; after it, wait=true keeps that behaviour). One
untimed warm-up pass of WARM photos per app, then ROUNDS rounds, each one pass per app, in turn.

    BENCH_ADMIN_USERNAME=.. BENCH_ADMIN_PASSWORD=.. backlog_run.py CORPUS_DIR LABEL=BASE_URL...

Environment: BACKLOG (64) avatars per pass, ROUNDS (3), WARM (32)."""
import json, os, sys, time
from benchclient import load1, make_users, photo_bodies, sign_in

corpus = sys.argv[1]
apps = [a.split("=", 1) for a in sys.argv[2:]]
N = int(os.environ.get("BACKLOG", "64"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
WARM = int(os.environ.get("WARM", "32"))
bodies = photo_bodies(corpus)
clients, users = {}, {}
for label, base in apps:
    clients[label] = sign_in(base, os.environ["BENCH_ADMIN_USERNAME"], os.environ["BENCH_ADMIN_PASSWORD"])
    users[label] = make_users(clients[label], N, "backlog")


def one_pass(label, count):
    c = clients[label]
    for i, user in enumerate(users[label][:count]):
        status, data = c.upload(user, bodies[i % len(bodies)])
        if status != 202:
            sys.exit(f"{label} upload: {status} {data[:300]}")
    t0 = time.monotonic()
    status, data = c.request("POST", "/api/jobs/thumbnails/runs?wait=true")
    seconds = time.monotonic() - t0
    report = json.loads(data)
    if status != 201 or report.get("ready") != count or report.get("claimed") != count:
        sys.exit(f"{label}: expected a finished run that made {count} ready: {status} {data[:400]}")
    return seconds


for label, _ in apps:
    one_pass(label, min(WARM, N))
print(f"backlog warm-up: {min(WARM, N)} images per app", flush=True)
for r in range(1, ROUNDS + 1):
    for label, _ in apps:
        print(f"=== round {r} backlog {label} {time.strftime('%H:%M:%S', time.gmtime())} load {load1()}", flush=True)
        seconds = one_pass(label, N)
        print(f"RESULT backlog images={N} seconds={seconds:.2f} images_per_s={N / seconds:.2f} load1_after={load1()}",
              flush=True)
