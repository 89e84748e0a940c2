#!/usr/bin/env bash
# The corpus's phone class: the same photos as scripts/bench/make-corpus.sh made them, as phones and apps send
# them. Pixels untouched; only the container changes.
#
#   scripts/bench/make-phone-corpus.sh [CORPUS_DIR] [OUTDIR]   (defaults /tmp/avatar-corpus, CORPUS_DIR-phone)
#
# Makes, each with the corpus's file names (so EngineBenchmark and anchors.py read them as any corpus):
#   OUTDIR/p3/           a Display P3 profile embedded, as every iPhone photo carries one
#                        (exiftool "-ICC_Profile<=p3.icc"; the profile is made with the JDK by DisplayP3.java,
#                        no Debian package ships one)
#   OUTDIR/adobe-rgb/    an Adobe RGB (1998) profile embedded, as cameras and editors write them (colord-data's
#                        AdobeRGB1998.icc, or icc-profiles-free's compatibleWithAdobeRGB1998.icc)
#   OUTDIR/progressive/  stored progressive, as web tools and many apps save them
#                        (jpegtran -copy all -progressive: libjpeg's default scan script, EXIF kept)
# Needs exiftool, jpegtran (libjpeg-turbo-progs), a JDK, and one of colord-data or icc-profiles-free.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:-/tmp/avatar-corpus}
out=${2:-$corpus-phone}
if [ ! -f "$corpus/MANIFEST.txt" ]; then
  bash "$here/make-corpus.sh" "$corpus"
fi
adobe=
for candidate in /usr/share/color/icc/colord/AdobeRGB1998.icc /usr/share/color/icc/compatibleWithAdobeRGB1998.icc; do
  if [ -f "$candidate" ]; then adobe=$candidate; break; fi
done
[ -n "$adobe" ] || { echo "no Adobe RGB profile: apt-get install colord-data (or icc-profiles-free)" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out/p3" "$out/adobe-rgb" "$out/progressive"
java "$here/DisplayP3.java" "$out/p3.icc"
for file in "$corpus"/*.jpg; do
  name=$(basename "$file")
  cp "$file" "$out/p3/$name"
  cp "$file" "$out/adobe-rgb/$name"
  jpegtran -copy all -progressive -outfile "$out/progressive/$name" "$file"
done
exiftool -q -overwrite_original "-ICC_Profile<=$out/p3.icc" "$out"/p3/*.jpg
exiftool -q -overwrite_original "-ICC_Profile<=$adobe" "$out"/adobe-rgb/*.jpg
{
  echo "# phone class of $corpus: Display P3 ($(stat -c %s "$out/p3.icc") bytes, DisplayP3.java), Adobe RGB ($adobe,"
  echo "# $(stat -c %s "$adobe") bytes), progressive ($(jpegtran -version 2>&1 | head -1))"
  for variant in p3 adobe-rgb progressive; do
    for size in 02mp 12mp 24mp; do
      echo "# total $variant $size: $(cat "$out/$variant"/$size-*.jpg | wc -c) bytes"
    done
  done
} > "$out/MANIFEST.txt"
cat "$out/MANIFEST.txt"
