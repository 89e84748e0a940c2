#!/usr/bin/env bash
# Where a progressive JPEG's decoding time goes, by libjpeg-turbo itself (Debian's, with SIMD, through Pillow's
# draft() at 1/4): the corpus's 2 MP photos stored baseline, rewritten progressive by jpegtran's default script
# (successive approximation), and rewritten with the same coefficients by spectral selection only. CPU ms per
# decode, median of 5 rounds of 20 passes. docs/BENCHMARKS.md ("Progressive photos at 1/4") explains it.
#
#   scripts/bench/progressive-cost.sh [CORPUS_DIR] [CLASS]      (defaults /tmp/avatar-corpus, 02mp)
set -euo pipefail
corpus=${1:-/tmp/avatar-corpus}
class=${2:-02mp}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/spectral.txt" <<'S'
0,1,2: 0-0, 0, 0 ;
0: 1-5, 0, 0 ;
2: 1-63, 0, 0 ;
1: 1-63, 0, 0 ;
0: 6-63, 0, 0 ;
S
mkdir -p "$work/progressive" "$work/spectral"
for f in "$corpus/$class"-*.jpg; do
  jpegtran -copy all -progressive "$f" > "$work/progressive/$(basename "$f")"
  jpegtran -copy all -scans "$work/spectral.txt" "$f" > "$work/spectral/$(basename "$f")"
done
/usr/bin/python3 - "$corpus" "$work" "$class" <<'PY'
import glob, sys, time
from PIL import Image
corpus, work, cls = sys.argv[1:]
def cost(files, passes=20):
    rounds = []
    for _ in range(5):
        start = time.process_time()
        for _ in range(passes):
            for f in files:
                im = Image.open(f)
                im.draft('RGB', (im.width // 4, im.height // 4))
                im.load()
        rounds.append((time.process_time() - start) / passes / len(files) * 1000)
    return sorted(rounds)[2]
for name, files in (("baseline", f"{corpus}/{cls}-*.jpg"), ("progressive", f"{work}/progressive/*.jpg"),
                    ("spectral-only", f"{work}/spectral/*.jpg")):
    print(f"RESULT {name} ms_per_decode={cost(sorted(glob.glob(files))):.2f}")
PY
