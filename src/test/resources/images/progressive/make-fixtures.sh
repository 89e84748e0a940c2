#!/bin/sh
# Makes the progressive fixtures: a photo-like picture, baseline, then rewritten by jpegtran with scan scripts.
# Every script sends every bit of every coefficient (each band ends at Al 0), so each file holds exactly its
# baseline original's coefficients; jpegtran would also accept a script that leaves low bits unsent.
set -e
/usr/bin/python3 - <<'PY'
import random
from PIL import Image
random.seed(1)
w, h = 257, 193
img = Image.new("RGB", (w, h))
px = img.load()
for y in range(h):
    for x in range(w):
        g = random.randint(-10, 10)
        disc = (x - 150) ** 2 + (y - 80) ** 2 < 50 ** 2
        r = 230 if disc else 255 * x // w
        gg = 40 if disc else 255 * y // h
        b = 60 if (x // 30) % 2 == 0 else 180
        px[x, y] = tuple(max(0, min(255, v + g)) for v in (r, gg, b))
img.save("photo-422.jpg", quality=90, subsampling=1)
img.save("photo-420.jpg", quality=90, subsampling=2)
img.save("photo-444.jpg", quality=90, subsampling=0)
PY
cat > dc-interleaved.txt <<'S'
0,1,2: 0-0, 0, 0 ;
0: 1-63, 0, 0 ;
1: 1-63, 0, 0 ;
2: 1-63, 0, 0 ;
S
cat > dc-per-component.txt <<'S'
0: 0-0, 0, 0 ;
0: 1-5, 0, 0 ;
2: 0-0, 0, 0 ;
1: 0-0, 0, 0 ;
2: 1-63, 0, 0 ;
1: 1-63, 0, 0 ;
0: 6-63, 0, 0 ;
S
cat > dc-two-steps.txt <<'S'
0,1,2: 0-0, 0, 1 ;
0: 1-5, 0, 2 ;
2: 1-63, 0, 1 ;
1: 1-63, 0, 1 ;
0: 6-63, 0, 2 ;
0: 1-63, 2, 1 ;
0,1,2: 0-0, 1, 0 ;
2: 1-63, 1, 0 ;
1: 1-63, 1, 0 ;
0: 1-63, 1, 0 ;
S
cat > dc-three-steps.txt <<'S'
0,1,2: 0-0, 0, 2 ;
0: 1-63, 0, 0 ;
0,1,2: 0-0, 2, 1 ;
1: 1-63, 0, 0 ;
2: 1-63, 0, 0 ;
0,1,2: 0-0, 1, 0 ;
S
cat > dc-mixed.txt <<'S'
0: 0-0, 0, 2 ;
1,2: 0-0, 0, 1 ;
0: 0-0, 2, 1 ;
0: 1-63, 0, 0 ;
1,2: 0-0, 1, 0 ;
0: 0-0, 1, 0 ;
1: 1-63, 0, 0 ;
2: 1-63, 0, 0 ;
S
# AC in four approximation steps (Al 3, 2, 1, 0) for every component, the bands split differently at each
# step (1-1, 2-9, 10-63 first), chroma refined too, DC in two steps; every scan holds one component.
cat > ac-four-steps.txt <<'S'
0: 0-0, 0, 1 ;
1: 0-0, 0, 1 ;
2: 0-0, 0, 1 ;
0: 1-1, 0, 3 ;
0: 2-9, 0, 3 ;
0: 10-63, 0, 3 ;
1: 1-1, 0, 3 ;
1: 2-9, 0, 3 ;
1: 10-63, 0, 3 ;
2: 1-1, 0, 3 ;
2: 2-9, 0, 3 ;
2: 10-63, 0, 3 ;
0: 1-63, 3, 2 ;
1: 1-5, 3, 2 ;
1: 6-63, 3, 2 ;
2: 1-63, 3, 2 ;
0: 1-1, 2, 1 ;
0: 2-63, 2, 1 ;
1: 1-63, 2, 1 ;
2: 1-63, 2, 1 ;
0: 0-0, 1, 0 ;
1: 0-0, 1, 0 ;
2: 0-0, 1, 0 ;
0: 1-9, 1, 0 ;
0: 10-63, 1, 0 ;
2: 1-63, 1, 0 ;
1: 1-63, 1, 0 ;
S
# AC in three steps, luma's bands split 1-2 and 3-63, components' scans interleaved in time, chroma in two.
cat > ac-three-steps.txt <<'S'
0,1,2: 0-0, 0, 0 ;
0: 1-2, 0, 2 ;
1: 1-63, 0, 1 ;
0: 3-63, 0, 2 ;
2: 1-63, 0, 1 ;
0: 1-63, 2, 1 ;
2: 1-63, 1, 0 ;
0: 1-2, 1, 0 ;
1: 1-63, 1, 0 ;
0: 3-63, 1, 0 ;
S
# A script jpegtran accepts that leaves the last bit of luma AC 3-63 unsent: not its original's coefficients.
cat > ac-bits-unsent.txt <<'S'
0,1,2: 0-0, 0, 0 ;
0: 1-2, 0, 2 ;
1: 1-63, 0, 1 ;
0: 3-63, 0, 2 ;
2: 1-63, 0, 1 ;
0: 1-63, 2, 1 ;
2: 1-63, 1, 0 ;
0: 1-2, 1, 0 ;
1: 1-63, 1, 0 ;
S
# Deep approximation: DC from Al 3, luma AC from Al 5, chroma AC from Al 4, one bit per refinement.
cat > ac-deep.txt <<'S'
0,1,2: 0-0, 0, 3 ;
0: 1-63, 0, 5 ;
1: 1-63, 0, 4 ;
2: 1-63, 0, 4 ;
0: 1-63, 5, 4 ;
0,1,2: 0-0, 3, 2 ;
0: 1-63, 4, 3 ;
1: 1-63, 4, 3 ;
2: 1-63, 4, 3 ;
0: 1-63, 3, 2 ;
1: 1-63, 3, 2 ;
2: 1-63, 3, 2 ;
0,1,2: 0-0, 2, 1 ;
0: 1-63, 2, 1 ;
1: 1-63, 2, 1 ;
2: 1-63, 2, 1 ;
0,1,2: 0-0, 1, 0 ;
0: 1-63, 1, 0 ;
1: 1-63, 1, 0 ;
2: 1-63, 1, 0 ;
S
# Spectral selection only, odd bands: single coefficients (1, 2, 63), 3-62, chroma 1 and 2-63.
cat > ac-bands.txt <<'S'
0,1,2: 0-0, 0, 0 ;
0: 1-1, 0, 0 ;
0: 2-2, 0, 0 ;
1: 1-1, 0, 0 ;
2: 1-1, 0, 0 ;
0: 3-62, 0, 0 ;
1: 2-63, 0, 0 ;
0: 63-63, 0, 0 ;
2: 2-63, 0, 0 ;
S
for s in 422 420 444; do
  for script in dc-interleaved dc-per-component dc-two-steps dc-three-steps dc-mixed \
      ac-four-steps ac-three-steps ac-deep ac-bands; do
    jpegtran -copy none -scans $script.txt photo-$s.jpg > $script-$s.jpg
  done
  jpegtran -copy none -scans dc-two-steps.txt -restart 3B photo-$s.jpg > dc-two-steps-restart-$s.jpg
  # A restart marker every MCU row of each scan (so each scan has its own interval), and every 5 MCUs: EOB
  # runs end at each restart.
  jpegtran -copy none -scans ac-four-steps.txt -restart 1 photo-$s.jpg > ac-four-steps-restart-$s.jpg
  jpegtran -copy none -scans ac-four-steps.txt -restart 5B photo-$s.jpg > ac-four-steps-restart-5b-$s.jpg
  jpegtran -copy none -scans ac-deep.txt -restart 1B photo-$s.jpg > ac-deep-restart-1b-$s.jpg
  jpegtran -copy none -progressive photo-$s.jpg > default-$s.jpg
done
jpegtran -copy none -scans ac-bits-unsent.txt photo-420.jpg > ac-bits-unsent-420.jpg
rm -f dc-*.txt ac-*.txt
