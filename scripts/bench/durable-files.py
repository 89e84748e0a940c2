#!/usr/bin/python3
"""The disk's ceiling for durable uploads: 16 threads (as wrk's 16 connections) each write a file of the
upload's size, fsync it, rename it into a second folder and fsync that folder, as the app does for an
original, for SECONDS. Prints one RESULT line with files per second. nginx, the upload benchmark's yardstick,
deletes each body before it reaches the disk; no upload that survives a power cut can go faster than this.

    scripts/bench/durable-files.py DIR BYTES [SECONDS (20)]
"""
import os
import sys
import threading
import time

folder, size = sys.argv[1], int(sys.argv[2])
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 20.0
incoming, originals = os.path.join(folder, "incoming"), os.path.join(folder, "originals")
os.makedirs(incoming, exist_ok=True)
os.makedirs(originals, exist_ok=True)
data = os.urandom(size)
done = [0]
lock = threading.Lock()
stop = time.monotonic() + seconds


def writer(thread):
    kept = []
    while time.monotonic() < stop:
        name = f"{thread}-{done[0]}-{time.monotonic_ns()}"
        fd = os.open(os.path.join(incoming, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL)
        for offset in range(0, size, 65536):  # as a body arrives
            os.write(fd, data[offset:offset + 65536])
        os.fsync(fd)
        os.close(fd)
        os.rename(os.path.join(incoming, name), os.path.join(originals, name))
        folder_fd = os.open(originals, os.O_RDONLY)
        os.fsync(folder_fd)
        os.close(folder_fd)
        kept.append(name)
        if len(kept) > 4:  # the folder stays small, as 64 users' originals do
            os.unlink(os.path.join(originals, kept.pop(0)))
        with lock:
            done[0] += 1


threads = [threading.Thread(target=writer, args=(t,)) for t in range(16)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"RESULT durable_files files_per_s={done[0] / seconds:.1f} bytes={size} writers=16")
