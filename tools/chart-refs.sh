#!/bin/sh
# chart-refs.sh — regenerate the chart reference images on purpose.
# Renders every fixture in tests/charts/fixtures.h to build/chart-refs/
# (PNG 2x and SVG) and lists which differ from tests/charts/ref/. Only with
# --accept are the new PNGs copied over the references: look at them first
# (the test never rewrites references by itself).
# Usage: tools/chart-refs.sh [--accept]
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
out="$BUILD/chart-refs"
make -s BUILD="$BUILD" "$BUILD/libbrief.a"
mkdir -p "$out"
# shellcheck disable=SC2046
${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -g -Isrc \
	$(pkg-config --cflags cairo freetype2) -o "$out/render" \
	tests/charts/render.c "$BUILD/libbrief.a" \
	$(pkg-config --libs cairo freetype2 libcmark-gfm yaml-0.1 harfbuzz harfbuzz-subset nettle jansson shapelib libpng fribidi) \
	-lcmark-gfm-extensions -lcsv -lhpdf -lhyphen -lunistring -ljpeg -lz -lm
"$out/render" "$out" >"$out/alt.txt"
changed=0
for f in "$out"/*.png; do
	ref="tests/charts/ref/$(basename "$f")"
	if [ ! -f "$ref" ]; then
		echo "new:     $f"
		changed=1
	elif ! cmp -s "$f" "$ref"; then
		echo "changed: $f"
		changed=1
	fi
done
if [ "${1:-}" = "--accept" ]; then
	mkdir -p tests/charts/ref
	cp "$out"/*.png tests/charts/ref/
	echo "references updated in tests/charts/ref/"
elif [ "$changed" = 1 ]; then
	echo "look at the images above, then run: $0 --accept"
else
	echo "references are up to date"
fi
