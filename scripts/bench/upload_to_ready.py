#!/usr/bin/env python3
"""Client half of scripts/bench/upload-to-ready.sh: uploads real 12 MP photos and times each from its 202 to
the moment GET /api/users/{id}/avatar says READY for that very upload (same uploadedAt as the 202's body).

    BENCH_ADMIN_USERNAME=.. BENCH_ADMIN_PASSWORD=.. upload_to_ready.py BASE_URL CORPUS_DIR

Environment: SEQUENTIAL (100) uploads one at a time, CONCURRENT (104) uploads by CLIENTS (8) clients at once
(each its own user, uploading one after another), WARMUP (24) untimed uploads first, POLL_MS (25) between
polls. Standard library only; one keep-alive connection per client."""
import json, os, sys, threading, time
from benchclient import Client, load1 as load, make_users, photo_bodies, sign_in

base, corpus = sys.argv[1:3]
admin, password = os.environ["BENCH_ADMIN_USERNAME"], os.environ["BENCH_ADMIN_PASSWORD"]
SEQUENTIAL = int(os.environ.get("SEQUENTIAL", "100"))
CONCURRENT = int(os.environ.get("CONCURRENT", "104"))
CLIENTS = int(os.environ.get("CLIENTS", "8"))
WARMUP = int(os.environ.get("WARMUP", "24"))
POLL = int(os.environ.get("POLL_MS", "25")) / 1000
bodies = photo_bodies(corpus)


def upload_and_wait(c, user, n):
    """Returns (seconds for the 202, seconds from the 202 to READY, polls)."""
    body = bodies[n % len(bodies)]
    t0 = time.monotonic()
    status, data = c.upload(user, body)
    t202 = time.monotonic()
    if status != 202:
        raise RuntimeError(f"upload: {status} {data[:300]}")
    uploaded_at = json.loads(data)["uploadedAt"]
    polls = 0
    while True:
        status, data = c.request("GET", f"/api/users/{user}/avatar")
        polls += 1
        view = json.loads(data)
        if view["uploadedAt"] == uploaded_at and view["status"] == "READY":
            return t202 - t0, time.monotonic() - t202, polls
        if view["status"] == "FAILED":
            raise RuntimeError(f"failed: {view}")
        if time.monotonic() - t202 > 600:
            raise RuntimeError(f"not READY after 600 s: {view}")
        time.sleep(POLL)


def pct(xs, p):
    """Nearest-rank percentile."""
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))
    return s[k]


def report(name, results, wall, loads):
    for i, label in ((0, "accept_202"), (1, "202_to_ready")):
        xs = [r[i] * 1000 for r in results]
        print(f"RESULT {name} {label}_ms n={len(xs)} p50={pct(xs, 50):.0f} p90={pct(xs, 90):.0f} "
              f"p99={pct(xs, 99):.0f} max={max(xs):.0f} mean={sum(xs) / len(xs):.0f}")
    print(f"RESULT {name} wall_s={wall:.1f} uploads_per_s={len(results) / wall:.2f} "
          f"polls_mean={sum(r[2] for r in results) / len(results):.1f} load1_during={','.join(loads)}")
    sys.stdout.flush()


admin_client = sign_in(base, admin, password)
seq_users = make_users(admin_client, 1, "seq")
par_users = make_users(admin_client, CLIENTS, "par")

# Warm-up (untimed): the JIT compiles the upload, the decoder and the engine.
for n in range(WARMUP):
    upload_and_wait(admin_client, seq_users[0], n)
print(f"warm-up: {WARMUP} uploads, load {load()}")

# One at a time: one client, one user, each upload waits for READY before the next.
loads, results = [load()], []
start = time.monotonic()
for n in range(SEQUENTIAL):
    results.append(upload_and_wait(admin_client, seq_users[0], n))
    if n % 25 == 24:
        loads.append(load())
report("one_at_a_time", results, time.monotonic() - start, loads)

# CLIENTS at a time: each client its own connection and user, uploading, waiting for READY, uploading again.
loads, results, errors = [load()], [], []
lock = threading.Lock()
per_client = -(-CONCURRENT // CLIENTS)


def client_loop(k):
    c = Client(base, admin_client.cookies)
    try:
        for n in range(per_client):
            r = upload_and_wait(c, par_users[k], k * per_client + n)
            with lock:
                results.append(r)
    except Exception as e:  # reported below; the run then fails
        errors.append(repr(e))


threads = [threading.Thread(target=client_loop, args=(k,)) for k in range(CLIENTS)]
start = time.monotonic()
for t in threads:
    t.start()
while any(t.is_alive() for t in threads):
    time.sleep(5)
    loads.append(load())
wall = time.monotonic() - start
if errors:
    sys.exit("errors: " + "; ".join(errors[:3]))
report(f"{CLIENTS}_at_a_time", results, wall, loads)
