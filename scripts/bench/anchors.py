#!/usr/bin/python3
"""The anchors of scripts/bench.sh: vipsthumbnail and Pillow with draft() on the same photos, one process and two
in parallel, 256x256 centre crop, JPEG q85, warmed up. Prints one RESULT line per tool, process count and size
class (median of the rounds), with the CPU time per image (the processes' user + system time). Needs Debian's libvips-tools and python3-pil.

    scripts/bench/anchors.py CORPUS_DIR [ROUNDS]

ANCHOR_PROCESSES="2" runs only two processes (default "1 2"); ANCHOR_CLASSES="02mp" only that class.
"""
import glob
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPEATS = {"02mp": 8, "12mp": 3, "24mp": 2}


def pillow_worker(repeats, files):
    from PIL import Image, ImageOps

    def one(path):
        image = Image.open(path)
        image.draft("RGB", (256, 256))  # JPEG decoded at 1/2, 1/4 or 1/8 by libjpeg-turbo
        image = ImageOps.exif_transpose(image)
        w, h = image.size
        side = min(w, h)
        left, top = (w - side) // 2, (h - side) // 2
        image = image.crop((left, top, left + side, top + side)).resize((256, 256), Image.LANCZOS)
        image.save(io.BytesIO(), "JPEG", quality=85)

    for path in files:  # warm-up
        one(path)
    start = time.monotonic()
    cpu = time.process_time()
    for _ in range(repeats):
        for path in files:
            one(path)
    print(repeats * len(files) / (time.monotonic() - start), time.process_time() - cpu)


def pillow(files, repeats, processes):
    """Images per second, and CPU seconds per image."""
    workers = [subprocess.Popen([sys.executable, __file__, "--pillow-worker", str(repeats)] + rotate(files, i, processes),
                                stdout=subprocess.PIPE, text=True) for i in range(processes)]
    answers = [w.communicate()[0].split() for w in workers]
    return sum(float(a[0]) for a in answers), sum(float(a[1]) for a in answers) / (processes * repeats * len(files))


def vips(files, repeats, processes, out):
    def command(i):
        return ["vipsthumbnail", *(rotate(files, i, processes) * repeats), "--size", "256x256", "--smartcrop", "centre",
                "-o", os.path.join(out, "p%d-%%s.jpg[Q=85,strip]" % i)]
    environment = dict(os.environ, VIPS_CONCURRENCY="1")
    subprocess.run(command(0)[:2] + command(0)[-6:], check=True, env=environment)  # warm-up: page cache, libraries
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    running = [subprocess.Popen(command(i), env=environment) for i in range(processes)]
    for process in running:
        if process.wait() != 0:
            raise SystemExit("vipsthumbnail failed")
    elapsed = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    images = processes * repeats * len(files)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return images / elapsed, cpu / images


def rotate(files, i, processes):
    """Each process starts elsewhere in the list, so two never decode the same photo at once."""
    shift = i * len(files) // processes
    return files[shift:] + files[:shift]


def main():
    corpus, rounds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    out = tempfile.mkdtemp(prefix="bench-anchors-")
    try:
        for size_class, repeats in REPEATS.items():
            if size_class not in os.environ.get("ANCHOR_CLASSES", " ".join(REPEATS)).split():
                continue
            files = sorted(glob.glob(os.path.join(corpus, size_class + "-*.jpg")))
            for processes in [int(p) for p in os.environ.get("ANCHOR_PROCESSES", "1 2").split()]:
                tools = []
                if shutil.which("vipsthumbnail"):
                    tools.append(("vipsthumbnail", lambda: vips(files, repeats, processes, out)))
                try:
                    import PIL  # noqa: F401
                    tools.append(("pillow-draft", lambda: pillow(files, repeats, processes)))
                except ImportError:
                    pass
                for name, run in tools:
                    measured = [run() for _ in range(rounds)]
                    rates = [m[0] for m in measured]
                    print("RESULT anchor=%s processes=%d class=%s images_per_s=%.1f cpu_ms_per_image=%.2f rounds=%s" % (
                        name, processes, size_class, statistics.median(rates),
                        1000 * statistics.median(m[1] for m in measured), ["%.1f" % r for r in rates]), flush=True)
    finally:
        shutil.rmtree(out)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--pillow-worker":
        pillow_worker(int(sys.argv[2]), sys.argv[3:])
    else:
        main()
