#!/bin/sh
# gen-boundaries.sh — a fictional admin-2 boundary file (GeoJSON) for
# benchmarks and tests: COLS x ROWS districts in a grid over empty ocean
# (30-10 W, 40-25 S), each border wiggling through PTS points, the same
# points for the two districts it parts (so a reader must find the shared
# arcs), grouped into provinces of 4 x 4 districts.
#
# Usage: tools/gen-boundaries.sh [COLS [ROWS [PTS]]] > FILE.geojson
# Defaults 40 40 30: 1,600 districts, about 194,000 positions, 4.8 MB.
set -eu
COLS=${1:-40}
ROWS=${2:-40}
PTS=${3:-30}
awk -v C="$COLS" -v R="$ROWS" -v P="$PTS" 'BEGIN {
	x0 = -30; y0 = -40; dx = 20 / C; dy = 15 / R; pi = atan2(0, -1)
	printf "{\"type\":\"FeatureCollection\",\"features\":[\n"
	for (j = 0; j < R; j++)
		for (i = 0; i < C; i++) {
			n = 0
			for (k = 0; k < P; k++) hpt(i, j, k)
			for (k = 0; k < P; k++) vpt(i + 1, j, k)
			for (k = P; k > 0; k--) hpt(i, j + 1, k)
			for (k = P; k > 0; k--) vpt(i, j, k)
			printf "%s{\"type\":\"Feature\",\"properties\":{\"pcode\":\"XA%02d%04d\",\"name\":\"District %d-%d\",\"adm1\":\"XA%02d\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[", \
				(i || j) ? ",\n" : "", int(j / 4) * 10 + int(i / 4), j * C + i + 1, j + 1, i + 1, int(j / 4) * 10 + int(i / 4)
			for (q = 0; q < n; q++)
				printf "[%.6f,%.6f],", px[q], py[q]
			printf "[%.6f,%.6f]]]}}", px[0], py[0]
		}
	printf "\n]}\n"
}
# Point k of the border along row line j from column i to i + 1.
function hpt(i, j, k,   t, w) {
	t = k / P
	w = (j == 0 || j == R || k == 0 || k == P) ? 0 : 0.12 * dy * sin(t * pi * (1 + (i * 7 + j * 3) % 3))
	px[n] = x0 + (i + t) * dx; py[n] = y0 + j * dy + w; n++
}
# Point k of the border along column line i from row j to j + 1.
function vpt(i, j, k,   t, w) {
	t = k / P
	w = (i == 0 || i == C || k == 0 || k == P) ? 0 : 0.12 * dx * sin(t * pi * (1 + (i * 5 + j * 11) % 3))
	px[n] = x0 + i * dx + w; py[n] = y0 + (j + t) * dy; n++
}'
