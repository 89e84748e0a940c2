#!/usr/bin/env bash
# The benchmark corpus: 24 JPEGs made from real photographs, the same bytes on every machine.
#
#   scripts/bench/make-corpus.sh [OUTDIR]        (default /tmp/avatar-corpus)
#
# Nothing is written inside the repository: the photographs stay with their packages and the corpus in OUTDIR.
#
# What it makes (baseline JPEG, quality 90, 4:2:0 chroma, EXIF like a phone's):
#   02mp-*.jpg   6 x 1600x1200, a typical upload from the web
#   12mp-*.jpg  12 x 4000x3000, a phone photo; 4 of them stored sideways (3000x4000 shown, 4000x3000 stored)
#               with EXIF Orientation=6, as a phone held upright writes them: they must be turned 90 degrees
#               clockwise
#   24mp-*.jpg   6 x 6000x4000
# and OUTDIR/MANIFEST.txt: each file's stored size, bytes, orientation and sha256, and the tools and package
# versions that made them. Two runs with the same packages give the same sha256s.
#
# Where the photographs come from: Debian's lomiri-wallpapers-16.04 and lomiri-wallpapers-20.04 (version
# 20.04.0-2 in Debian 12), read from /usr/share/backgrounds when installed, otherwise unpacked from the .debs
# that `apt-get download` fetches into a temporary folder (nothing is installed for them). Their licences, from
# the packages' debian/copyright (/usr/share/doc/lomiri-wallpapers-16.04/copyright):
#   Kleiber_by_Lukas_Baubkus.jpg            2021 Lukas Baubkus        CC-BY-SA-3.0
#   seeding_by_Clements_Engelhardt.jpg      2018 Clemens Engelhardt   CC0-1.0
#   Dragonfly_by_Bolly.jpg                  2018 "Bolly"              CC-BY-SA-4.0
#   sunset_by_Aitzol_Berasategi.jpg         2018 Aitzol Berasategi    CC-BY-4.0
#   Bridge_by_Sander_Klootwijk.jpg          2018 Sander Klootwijk     CC-BY-SA-4.0
#   Wine_by_Jakkub_Mede.jpg                 2018 Jakub Mede           CC-BY-4.0
#   picosdeeuropa_by_Aitzol_Berasategi.jpg  2018 Aitzol Berasategi    CC-BY-4.0
#   aitzgorri_by_Aitzol_Berasategi.jpg      2018 Aitzol Berasategi    CC-BY-4.0
#   life_by_Aitzol_Berasategi.jpg           2018 Aitzol Berasategi    CC-BY-4.0
#   friends_by_Aitzol_Berasategi.jpg        2018 Aitzol Berasategi    CC-BY-4.0
#   greentock_by_Peter_Nerlich.jpg          2018 Peter Nerlich        CC-BY-SA-4.0
#   free_by_Peter_Nerlich.jpg               2018 Peter Nerlich        CC-BY-SA-4.0
# The corpus files are derived works (resized, cropped, grain added) under the same licences and credits: keep
# them out of the repository and out of anything published without these credits.
#
# Needs ImageMagick 6 and exiftool (Debian's imagemagick and libimage-exiftool-perl); installs them with apt-get
# when missing (as root, or through sudo).
set -euo pipefail

out=${1:-/tmp/avatar-corpus}
# Film grain on the 12 and 24 MP files (ImageMagick "-attenuate GRAIN +noise Gaussian", fixed seed, one thread,
# so the output is the same bytes every time). The wallpapers are denoised and mostly scaled *up* here: without
# grain a 12 MP file is about 1.5 MB (0.12 byte per pixel), half the ~3 MB (0.25 byte per pixel) of a real
# phone photo, and entropy decoding, which grows with the bytes, is most of a reduced-size decode. GRAIN=0: none.
grain=${GRAIN:-0.3}
export MAGICK_THREAD_LIMIT=1
# Debian's ImageMagick 6 by its full path: a stand-in `convert` elsewhere on PATH may shadow it.
magick=/usr/bin/convert

missing=()
[ -x /usr/bin/convert-im6.q16 ] || missing+=(imagemagick)
command -v exiftool > /dev/null 2>&1 || missing+=(libimage-exiftool-perl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi

# The photographs: installed, or unpacked from the packages into a temporary folder.
packages=(lomiri-wallpapers-16.04 lomiri-wallpapers-20.04)
versions=
if [ -f /usr/share/backgrounds/Kleiber_by_Lukas_Baubkus.jpg ] && [ -f /usr/share/backgrounds/Dragonfly_by_Bolly.jpg ]; then
  photos=/usr/share/backgrounds
  for package in "${packages[@]}"; do
    versions+="$package=$(dpkg-query -W -f='${Version}' "$package" 2> /dev/null || echo '?') "
  done
else
  work=$(mktemp -d /tmp/avatar-corpus-src.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  if ! (cd "$work" && apt-get download "${packages[@]}" > /dev/null 2>&1); then
    # An empty or old package list: refresh it (root only) and try once more.
    [ "$(id -u)" = 0 ] && apt-get update -qq && (cd "$work" && apt-get download "${packages[@]}" > /dev/null)
  fi
  for deb in "$work"/*.deb; do
    dpkg-deb -x "$deb" "$work/root"
    versions+="$(dpkg-deb -f "$deb" Package)=$(dpkg-deb -f "$deb" Version) "
  done
  photos=$work/root/usr/share/backgrounds
fi

mkdir -p "$out"
rm -f "$out"/*.jpg "$out"/MANIFEST.txt

# photo NAME SOURCE WIDTH HEIGHT ORIENTATION [GRAIN]
# WIDTH x HEIGHT is the size as shown, centre-cropped from SOURCE. Orientation 6: stored turned 90 degrees
# counter-clockwise (HEIGHT x WIDTH), as a phone held upright stores it; a viewer turns it back clockwise.
photo() {
  local name=$1 source=$2 width=$3 height=$4 orientation=$5 noise=${6:-0} turn=() grain_args=()
  [ "$orientation" = 6 ] && turn=(-rotate -90)
  [ "$noise" != 0 ] && grain_args=(-seed 4242 -attenuate "$noise" +noise Gaussian)
  "$magick" "$photos/$source" -strip -colorspace sRGB \
    -resize "${width}x${height}^" -gravity center -extent "${width}x${height}" +repage "${grain_args[@]}" "${turn[@]}" \
    -sampling-factor 2x2 -interlace none -quality 90 "$out/$name.jpg"
  exiftool -q -overwrite_original -n \
    -Make=AnchorBench -Model="Phone ${width}x${height}" -Software=make-corpus.sh \
    -DateTimeOriginal='2024:05:01 12:00:00' -Orientation="$orientation" "$out/$name.jpg"
}

# Sources, with their own size (the 24 MP files scale every one of them up a little).
kleiber=Kleiber_by_Lukas_Baubkus.jpg             # 6028x3391, a nuthatch on a tree
seeding=seeding_by_Clements_Engelhardt.jpg       # 5312x2988, dandelions
dragonfly=Dragonfly_by_Bolly.jpg                 # 4224x3168, foliage
sunset=sunset_by_Aitzol_Berasategi.jpg           # 4272x2848, a landscape at sunset
bridge=Bridge_by_Sander_Klootwijk.jpg            # 4352x2448, bridge cables against the sky
wine=Wine_by_Jakkub_Mede.jpg                     # 2560x3837, an interior, portrait
picos=picosdeeuropa_by_Aitzol_Berasategi.jpg     # 3264x2448, mountains
aitzgorri=aitzgorri_by_Aitzol_Berasategi.jpg     # 3088x2056, an autumn meadow
life=life_by_Aitzol_Berasategi.jpg               # 3088x2056, a forest stream
friends=friends_by_Aitzol_Berasategi.jpg         # 2056x3088, dogs at a window, portrait
greentock=greentock_by_Peter_Nerlich.jpg         # 2880x2160, a clock
free=free_by_Peter_Nerlich.jpg                   # 2880x2160, a bird and lamps

# 12 MP: eight landscape (Orientation=1), four phone portraits (Orientation=6).
photo 12mp-01-kleiber      "$kleiber"   4000 3000 1 "$grain"
photo 12mp-02-sunset       "$sunset"    4000 3000 1 "$grain"
photo 12mp-03-bridge       "$bridge"    4000 3000 1 "$grain"
photo 12mp-04-picos        "$picos"     4000 3000 1 "$grain"
photo 12mp-05-aitzgorri    "$aitzgorri" 4000 3000 1 "$grain"
photo 12mp-06-life         "$life"      4000 3000 1 "$grain"
photo 12mp-07-greentock    "$greentock" 4000 3000 1 "$grain"
photo 12mp-08-free         "$free"      4000 3000 1 "$grain"
photo 12mp-09-wine-o6      "$wine"      3000 4000 6 "$grain"
photo 12mp-10-friends-o6   "$friends"   3000 4000 6 "$grain"
photo 12mp-11-dragonfly-o6 "$dragonfly" 3000 4000 6 "$grain"
photo 12mp-12-seeding-o6   "$seeding"   3000 4000 6 "$grain"
# 24 MP: the six largest sources.
photo 24mp-01-kleiber      "$kleiber"   6000 4000 1 "$grain"
photo 24mp-02-seeding      "$seeding"   6000 4000 1 "$grain"
photo 24mp-03-dragonfly    "$dragonfly" 6000 4000 1 "$grain"
photo 24mp-04-sunset       "$sunset"    6000 4000 1 "$grain"
photo 24mp-05-bridge       "$bridge"    6000 4000 1 "$grain"
photo 24mp-06-picos        "$picos"     6000 4000 1 "$grain"
# 2 MP, no grain: a web upload has usually been resized (and so smoothed) already.
photo 02mp-01-wine         "$wine"      1600 1200 1
photo 02mp-02-friends      "$friends"   1600 1200 1
photo 02mp-03-aitzgorri    "$aitzgorri" 1600 1200 1
photo 02mp-04-life         "$life"      1600 1200 1
photo 02mp-05-greentock    "$greentock" 1600 1200 1
photo 02mp-06-free         "$free"      1600 1200 1

{
  echo "# avatar corpus: $(ls "$out"/*.jpg | wc -l) files, made by make-corpus.sh with $("$magick" -version | head -1)"
  echo "# sources: ${versions}(photos read from $photos); grain on 12/24 MP: attenuate=$grain"
  printf '# %-26s %-10s %10s %s %s\n' file stored bytes orient sha256
  for file in "$out"/*.jpg; do
    printf '%-28s %-10s %10d %s      %s\n' "$(basename "$file")" \
      "$(/usr/bin/identify -format '%wx%h' "$file")" \
      "$(stat -c %s "$file")" "$(exiftool -s3 -n -Orientation "$file")" "$(sha256sum "$file" | cut -d' ' -f1)"
  done
  for size in 02mp 12mp 24mp; do
    echo "# total $size: $(cat "$out"/$size-*.jpg | wc -c) bytes in $(ls "$out"/$size-*.jpg | wc -l) files"
  done
  echo "# total all: $(cat "$out"/*.jpg | wc -c) bytes"
} > "$out/MANIFEST.txt"
grep '^# total' "$out/MANIFEST.txt"
echo "corpus written to $out"
