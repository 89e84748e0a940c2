#!/usr/bin/python3
"""The anchors of scripts/bench.sh: vipsthumbnail and Pillow with draft() on the same photos, one process and two
in parallel, 256x256 centre crop, JPEG q85, warmed up. Prints one RESULT line per tool, process count and size
class (median of the rounds). Needs Debian's libvips-tools and python3-pil.

    scripts/bench/anchors.py CORPUS_DIR [ROUNDS]
"""
import glob
import io
import os
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
    for _ in range(repeats):
        for path in files:
            one(path)
    print(repeats * len(files) / (time.monotonic() - start))


def pillow(files, repeats, processes):
    workers = [subprocess.Popen([sys.executable, __file__, "--pillow-worker", str(repeats)] + rotate(files, i, processes),
                                stdout=subprocess.PIPE, text=True) for i in range(processes)]
    return sum(float(w.communicate()[0]) for w in workers)


def vips(files, repeats, processes, out):
    def command(i):
        return ["vipsthumbnail", *(rotate(files, i, processes) * repeats), "--size", "256x256", "--smartcrop", "centre",
                "-o", os.path.join(out, "p%d-%%s.jpg[Q=85,strip]" % i)]
    environment = dict(os.environ, VIPS_CONCURRENCY="1")
    subprocess.run(command(0)[:2] + command(0)[-6:], check=True, env=environment)  # warm-up: page cache, libraries
    start = time.monotonic()
    running = [subprocess.Popen(command(i), env=environment) for i in range(processes)]
    for process in running:
        if process.wait() != 0:
            raise SystemExit("vipsthumbnail failed")
    return processes * repeats * len(files) / (time.monotonic() - start)


def rotate(files, i, processes):
    """Each process starts elsewhere in the list, so two never decode the same photo at once."""
    shift = i * len(files) // processes
    return files[shift:] + files[:shift]


def main():
    corpus, rounds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    out = tempfile.mkdtemp(prefix="bench-anchors-")
    try:
        for size_class, repeats in REPEATS.items():
            files = sorted(glob.glob(os.path.join(corpus, size_class + "-*.jpg")))
            for processes in (1, 2):
                tools = []
                if shutil.which("vipsthumbnail"):
                    tools.append(("vipsthumbnail", lambda: vips(files, repeats, processes, out)))
                try:
                    import PIL  # noqa: F401
                    tools.append(("pillow-draft", lambda: pillow(files, repeats, processes)))
                except ImportError:
                    pass
                for name, run in tools:
                    rates = [run() for _ in range(rounds)]
                    print("RESULT anchor=%s processes=%d class=%s images_per_s=%.1f rounds=%s" % (
                        name, processes, size_class, statistics.median(rates), ["%.1f" % r for r in rates]),
                        flush=True)
    finally:
        shutil.rmtree(out)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--pillow-worker":
        pillow_worker(int(sys.argv[2]), sys.argv[3:])
    else:
        main()
