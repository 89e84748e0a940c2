#!/usr/bin/env bash
# Which filter shrinks the fast path's reduced decode closest to a Lanczos thumbnail of the full-size square:
# Pillow makes the references from the full-size photos, ResizeFilterFidelity compares OpenCV's area, bicubic
# and bilinear filters to them (PSNR) and times them. docs/BENCHMARKS.md ("Phone photos") explains it.
#
#   scripts/bench/resize-fidelity.sh [CORPUS_DIR]     (default /tmp/avatar-corpus)
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${1:-/tmp/avatar-corpus}
references=$(mktemp -d)
trap 'rm -rf "$references"' EXIT
/usr/bin/python3 - "$corpus" "$references" <<'PY'
import glob, os, sys
from PIL import Image
corpus, out = sys.argv[1], sys.argv[2]
for path in sorted(glob.glob(os.path.join(corpus, "02mp-*.jpg"))):
    image = Image.open(path).convert("RGB")
    w, h = image.size
    side = min(w, h)
    left, top = (w - side) // 2, (h - side) // 2
    square = image.crop((left, top, left + side, top + side))
    square.resize((256, 256), Image.LANCZOS).save(os.path.join(out, os.path.basename(path) + ".256.png"))
for path in sorted(glob.glob(os.path.join(corpus, "12mp-0*.jpg"))):
    image = Image.open(path)
    if image.size != (4000, 3000):
        continue
    square = image.convert("RGB").crop((512, 24, 512 + 2944, 24 + 2944))
    for ratio in (1.1, 1.2, 1.3, 1.4, 1.46, 1.5, 1.6, 1.7, 1.9):
        size = int(368 / ratio)
        square.resize((size, size), Image.LANCZOS).save(os.path.join(out, "%s.%d.png" % (os.path.basename(path), size)))
PY
if [ ! -f target/test-classpath.txt ] || [ ! -f target/test-classes/dev/avatars/bench/ResizeFilterFidelity.class ]; then
  ./mvnw -B -q -DskipTests test-compile
  ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
fi
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" dev.avatars.bench.ResizeFilterFidelity \
  "$corpus" "$references" | tee target/bench-resize-fidelity.txt
