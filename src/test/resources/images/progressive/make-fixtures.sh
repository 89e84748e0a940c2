#!/bin/sh
# Makes the progressive fixtures: a photo-like picture, baseline, then rewritten by jpegtran with scan scripts.
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
for s in 422 420; do
  for script in dc-interleaved dc-per-component dc-two-steps dc-three-steps dc-mixed; do
    jpegtran -copy none -scans $script.txt photo-$s.jpg > $script-$s.jpg
  done
  jpegtran -copy none -scans dc-two-steps.txt -restart 3B photo-$s.jpg > dc-two-steps-restart-$s.jpg
done
jpegtran -copy none -progressive photo-420.jpg > default-420.jpg
rm -f dc-*.txt
