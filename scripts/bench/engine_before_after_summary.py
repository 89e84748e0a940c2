#!/usr/bin/env python3
"""Summarises the output of engine-before-after.sh (from a file or stdin): medians over the rounds, and the
median of each round's own after/before ratio (the shared machine drifts from round to round by more than
the differences measured, so ratios within a round are the figures to trust)."""
import fileinput, re, statistics

current = None
backlog = {}   # (round, build) -> [images/s per pass]
upload = {}    # (round, config) -> {"app": req/s, "nginx": req/s, "p50": ms, "p99": ms}
loads = {}
for line in fileinput.input():
    m = re.match(r"=== round (\d+) (\w+) (\S+) \S+ load (\S+)", line)
    if m:
        current = (m.group(2), int(m.group(1)), m.group(3))
        loads[current] = float(m.group(4))
        continue
    kv = dict(re.findall(r"(\w+)=([0-9.]+)", line))
    if line.startswith("RESULT backlog") and current:
        backlog.setdefault(current[1:], []).append(float(kv["images_per_s"]))
    elif line.startswith("RESULT upload target=") and current:
        rnd, config = current[1:]
        upload[(rnd, config)] = {"req_per_s": float(kv["req_per_s"]), "p50": float(kv["p50_ms"]),
                                 "p99": float(kv["p99_ms"]), "accepted": int(kv["accepted_202"]),
                                 "other": int(kv["other_status"]), "errors": int(kv["socket_errors"])}

med = statistics.median
rounds = sorted({r for r, _ in list(backlog) + list(upload)})
print(f"rounds: {len(rounds)}; 1-minute load at the start of each run: "
      f"min {min(loads.values()):.1f}, median {med(loads.values()):.1f}, max {max(loads.values()):.1f}")
print("\nbacklog through the API (images/s; per round the median of its passes)")
for build in ("before", "after"):
    per = [med(backlog[(r, build)]) for r in rounds if (r, build) in backlog]
    print(f"  {build:7s} rounds: {' '.join(f'{x:.1f}' for x in per)}  median {med(per):.1f}")
ratios = [med(backlog[(r, 'after')]) / med(backlog[(r, 'before')]) for r in rounds
          if (r, 'after') in backlog and (r, 'before') in backlog]
print(f"  after/before within rounds: {' '.join(f'{x:.2f}' for x in ratios)}  median {med(ratios):.2f}")
print("\nupload rate (wrk -t2 -c16, 20 s; req/s per round, median; vs nginx in the same round; p50/p99 ms)")
for config in ("before", "after-no-nudge", "after-nudge", "nginx"):
    per = [(r, upload[(r, config)]) for r in rounds if (r, config) in upload]
    if not per:
        continue
    rate = [d["req_per_s"] for _, d in per]
    floor = [d["req_per_s"] / upload[(r, "nginx")]["req_per_s"] for r, d in per if (r, "nginx") in upload]
    print(f"  {config:15s} {' '.join(f'{x:.1f}' for x in rate)}  median {med(rate):.1f}; vs nginx {med(floor):.2f};"
          f" p50 {med([d['p50'] for _, d in per]):.0f} ms, p99 {med([d['p99'] for _, d in per]):.0f} ms;"
          f" non-202 {sum(d['other'] for _, d in per)}, socket errors {sum(d['errors'] for _, d in per)}")
for config in ("after-no-nudge", "after-nudge"):
    ratios = [upload[(r, config)]["req_per_s"] / upload[(r, "before")]["req_per_s"] for r in rounds
              if (r, config) in upload and (r, "before") in upload]
    if ratios:
        print(f"  {config}/before within rounds: {' '.join(f'{x:.2f}' for x in ratios)}  median {med(ratios):.2f}")
