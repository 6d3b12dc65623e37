#!/bin/sh
# bench.sh — time brief on this machine against the targets of the
# performance issue, and against the Python/matplotlib/ReportLab pipeline
# it replaces. A measurement, never a test: it asserts nothing.
#
# Usage: tools/bench.sh            (or: make bench)
# Environment: RUNS (default 5) runs per measure, medians reported;
#   ROWS (default 1000000) rows of the generated casualties dataset;
#   JOBS (default: CPUs) make -j for the batch; BRIEF (default ./brief).
#
# (a) the default briefing: brief build layouts/karabakh.md
# (b) bench/big.md over a generated ROWS-row daily casualties dataset
#     (tools/gen-casualties.sh), and `brief check` alone on it; also
#     libcsv alone on the file (bench/csv_floor.c), the floor under any
#     loader that parses with libcsv
# (c) 50 copies of the default layout (different titles) built by make -j
# (d) pathological layouts; (e) chart drawing time against marks
# (g) the cost of shaping on the default briefing: brief as built, with
#     its word cache off (BRIEF_SHAPE_CACHE=0: every run shaped whole by
#     HarfBuzz), and, when BASE names a brief built without shaping (an
#     older ./brief), that one; with valgrind, instructions too (stable on
#     a shared machine)
# (f) a map over a large boundary file: a generated fictional admin-2
#     GeoJSON (tools/gen-boundaries.sh; MAP_COLS x MAP_COLS districts,
#     default 40: 1,600 districts, 4.9 MB) as a one-map briefing, and
#     jansson alone reading the same file (bench/json_floor.c), the floor
#     under any reader built on it
#
# Everything is generated in a temporary directory, removed at the end.
# Wall time: hyperfine when installed, else date +%s%N around each run;
# peak memory: GNU time's maximum resident set size.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
RUNS=${RUNS:-5}
ROWS=${ROWS:-1000000}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
BRIEF=${BRIEF:-$root/brief}
TIME=/usr/bin/time

if [ ! -x "$BRIEF" ]; then
	echo "bench: no $BRIEF (run make first)" >&2
	exit 1
fi
if ! "$TIME" -f %M true >/dev/null 2>&1; then
	echo "bench: needs GNU time at $TIME (apt-get install time)" >&2
	exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/brief-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# median of the numbers on stdin
median() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) print v[(NR + 1) / 2]
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# wall NAME CMD...: median wall time in seconds of RUNS runs (one warm-up)
wall() {
	name=$1
	shift
	if command -v hyperfine >/dev/null 2>&1; then
		hyperfine -N -i --warmup 1 --runs "$RUNS" \
			--export-json "$tmp/$name.json" -- "$*" >/dev/null 2>&1
		grep -o '"median": *[0-9.e+-]*' "$tmp/$name.json" |
			head -n 1 | sed 's/.*: *//' |
			awk '{ printf "%.4f\n", $1 }'
		return
	fi
	"$@" >/dev/null 2>&1 || true
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1
		t1=$(date +%s%N)
		echo "$t0 $t1" | awk '{ printf "%.4f\n", ($2 - $1) / 1e9 }'
		i=$((i + 1))
	done | median
}

# peak CMD...: median peak resident memory in KB of RUNS runs; the median
# CPU time (user + system, all threads) goes to $tmp/cpu. On a shared
# machine CPU time varies less than wall time.
peak() {
	i=0
	: >"$tmp/cpus"
	while [ "$i" -lt "$RUNS" ]; do
		"$TIME" -f '%M %U %S' -o "$tmp/peak" "$@" >/dev/null 2>&1 || true
		grep -E '^[0-9]+ ' "$tmp/peak" | tail -n 1 |
			awk -v f="$tmp/cpus" '{ print $2 + $3 >> f; print $1 }'
		i=$((i + 1))
	done | median
	median <"$tmp/cpus" >"$tmp/cpu"
}

# row LABEL SECONDS KB TARGET_S TARGET_MB ALT_S ALT_MB [CPU_S]
row() {
	awk -v l="$1" -v s="$2" -v k="$3" -v ts="$4" -v tm="$5" -v as="$6" \
		-v am="$7" -v cpu="${8:-}" 'BEGIN {
		mb = k / 1024
		ok = (ts == "-" || s < ts) && (tm == "-" || mb < tm) ? "yes" : "NO"
		tgt = (ts == "-" ? "" : "< " ts " s") \
		      (tm == "-" ? "" : ", < " tm " MB")
		alt = (as == "-" ? "" : as >= s ? sprintf("%.1fx faster", as / s) \
		       : sprintf("%.1fx slower", s / as)) \
		      (am == "-" ? "" : am >= mb ? \
		       sprintf(", %.1fx less memory", am / mb) : \
		       sprintf(", %.1fx more memory", mb / am))
		printf "%-30s %9.1f ms %8.1f MB %9s   %-20s %-4s %s\n", l, s * 1000,
		       mb, (cpu == "" ? "-" : cpu < 0.01 ? "<10 ms" : sprintf("%.0f ms", cpu * 1000)), tgt,
		       (tgt == "" ? "" : ok), alt
	}'
}

echo "brief bench: $RUNS runs per measure (medians), $(nproc 2>/dev/null || echo ?) CPUs, $(uname -m)"
grep -m 1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: /cpu: /' || true
echo

# (a) the default briefing
a_s=$(wall a "$BRIEF" build -q -o "$tmp/a.pdf" layouts/karabakh.md)
a_k=$(peak "$BRIEF" build -q -o "$tmp/a.pdf" layouts/karabakh.md)
a_cpu=$(cat "$tmp/cpu")
a_size=$(wc -c <"$tmp/a.pdf" | tr -d ' ')

# (b) a million-row casualties dataset
echo "generating $ROWS casualties rows ..." >&2
tools/gen-casualties.sh "$ROWS" "$tmp/data" >/dev/null
csv_bytes=$(wc -c <"$tmp/data/casualties.csv" | tr -d ' ')
b_s=$(wall b "$BRIEF" build -q -d "$tmp/data" -o "$tmp/b.pdf" bench/big.md)
b_k=$(peak "$BRIEF" build -q -d "$tmp/data" -o "$tmp/b.pdf" bench/big.md)
b_cpu=$(cat "$tmp/cpu")
c1_s=$(wall check "$BRIEF" check -q -d "$tmp/data")
c1_k=$(peak "$BRIEF" check -q -d "$tmp/data")
c1_cpu=$(cat "$tmp/cpu")
floor=""
if ${CC:-cc} -O2 -o "$tmp/csv_floor" bench/csv_floor.c -lcsv 2>/dev/null; then
	floor=$(i=0; while [ "$i" -lt "$RUNS" ]; do
		"$tmp/csv_floor" "$tmp/data/casualties.csv" 0 | cut -d' ' -f1
		i=$((i + 1)); done | median)
	floor_cb=$(i=0; while [ "$i" -lt "$RUNS" ]; do
		"$tmp/csv_floor" "$tmp/data/casualties.csv" 1 | cut -d' ' -f1
		i=$((i + 1)); done | median)
fi

# (c) 50 briefings with make -j
mkdir -p "$tmp/batch"
n=1
while [ "$n" -le 50 ]; do
	f=$(printf '%s/batch/brief-%02d.md' "$tmp" "$n")
	sed -e "s|^title: .*|title: Briefing $n of 50 — Nagorno-Karabakh|" \
	    -e "s|^data: .*|data: $root/datasets|" layouts/karabakh.md >"$f"
	n=$((n + 1))
done
cat >"$tmp/batch/Makefile" <<EOF
PDFS = \$(patsubst %.md,%.pdf,\$(wildcard *.md))
all: \$(PDFS)
%.pdf: %.md
	@$BRIEF build -q -o \$@ \$<
clean:
	@rm -f *.pdf
EOF
c_s=$(i=0; while [ "$i" -lt "$RUNS" ]; do
	make -s -C "$tmp/batch" clean
	t0=$(date +%s%N)
	make -s -j"$JOBS" -C "$tmp/batch" all
	t1=$(date +%s%N)
	echo "$t0 $t1" | awk '{ printf "%.4f\n", ($2 - $1) / 1e9 }'
	i=$((i + 1)); done | median)
c_n=$(find "$tmp/batch" -name "*.pdf" | wc -l | tr -d ' ')

printf '%-30s %12s %11s %9s   %-20s %-4s %s\n' measure wall peak cpu \
	target met "vs Python/matplotlib/ReportLab"
row "(a) default briefing" "$a_s" "$a_k" 0.020 - 0.8 - "$a_cpu"
row "(b) $ROWS-row briefing" "$b_s" "$b_k" 0.5 32 2.5 90 "$b_cpu"
row "    brief check, same data" "$c1_s" "$c1_k" - - - - "$c1_cpu"
row "(c) 50 briefings, make -j$JOBS" "$c_s" 0 - - 40 - | sed 's/ *0.0 MB/       -   /'
echo
awk -v z="$a_size" 'BEGIN { printf "(a) PDF size: %.1f KB (Python pipeline: 120 KB, %.1fx smaller)\n", z / 1024, 120 * 1024 / z }'
echo "(c) built $c_n PDFs; Python reference: 50 x 0.8 s = 40 s sequential"
if [ -n "$floor" ]; then
	awk -v f="$floor" -v g="$floor_cb" -v b="$csv_bytes" 'BEGIN {
		printf "libcsv alone on casualties.csv (%.0f MB): %.0f ms (%.0f MB/s); with a space callback per byte: %.0f ms\n",
		       b / 1e6, f * 1000, b / 1e6 / f, g * 1000 }'
fi

# (d) pathological layouts, timed here rather than in the test suite (the
# unit tests assert only results): each used to be quadratic.
mkdir -p "$tmp/patho"
cp -r tests/layouts/data "$tmp/patho/data"
{
	printf -- '---\ntitle: long line\ndata: data\n---\n\n'
	awk 'BEGIN { for (i = 0; i < 200000; i++) printf "word "; print "" }'
} >"$tmp/patho/line.md"
{
	printf -- '---\ntitle: citations\ndata: data\n---\n\n'
	awk 'BEGIN { for (i = 0; i < 10000; i++) printf "[@src-ngo] "; print "" }'
} >"$tmp/patho/cites.md"
{
	printf -- '---\ntitle: nesting\ndata: data\n---\n\n'
	awk 'BEGIN { s = ""; for (i = 0; i < 2000; i++) { print s "- x"; s = s "  " } }'
} >"$tmp/patho/nest.md"
echo
echo "(d) pathological layouts, brief check (median wall time):"
for f in line cites nest; do
	t=$(wall "patho-$f" "$BRIEF" check -q "$tmp/patho/$f.md")
	case $f in
	line) what="one 1 MB paragraph line" ;;
	cites) what="10,000 citations in one paragraph" ;;
	nest) what="a list nested 2,000 deep (an error past 16)" ;;
	esac
	awk -v t="$t" -v w="$what" 'BEGIN { printf "    %-45s %8.1f ms\n", w, t * 1000 }'
done

# (e) chart drawing against the number of marks: finishing and drawing a
# chart must grow linearly (ns per mark flat while marks grow 64-fold;
# the step chart was quadratic before marks were resolved once).
echo
echo "(e) chart drawing time against marks (best of 3; x: ns/mark relative to the smallest):"
# shellcheck disable=SC2046
if ${CC:-cc} -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Isrc \
	$(pkg-config --cflags cairo freetype2 harfbuzz) -o "$tmp/chart_marks" \
	bench/chart_marks.c build/libbrief.a \
	$(pkg-config --libs cairo freetype2 libcmark yaml-0.1 harfbuzz harfbuzz-subset) \
	-lcsv -lhpdf -lunistring -lz -lm 2>"$tmp/cc.err"; then
	"$tmp/chart_marks" fonts
else
	echo "    (could not build bench/chart_marks.c: $(head -n 1 "$tmp/cc.err"))"
fi

# (f) a map over a large boundary file, against jansson alone on the file.
echo
MAP_COLS=${MAP_COLS:-40}
mkdir -p "$tmp/map/data/geo"
cp datasets/*.csv "$tmp/map/data/"
tools/gen-boundaries.sh "$MAP_COLS" "$MAP_COLS" 30 >"$tmp/map/data/geo/admin2.geojson"
geo_bytes=$(wc -c <"$tmp/map/data/geo/admin2.geojson" | tr -d ' ')
cat >"$tmp/map/map.md" <<'EOF'
---
title: Districts of a fictional country (benchmark)
organisation: brief — benchmark briefing
author: brief project
paper: A4
data: data
as_of: auto
language: en
---

# Districts

```chart
id: districts
type: map
title: Every district of the generated boundary file
boundaries: geo/admin2.geojson
boundary_source: tools/gen-boundaries.sh (fictional)
key: pcode
```
EOF
f_s=$(wall map "$BRIEF" build -q -o "$tmp/f.pdf" "$tmp/map/map.md")
f_k=$(peak "$BRIEF" build -q -o "$tmp/f.pdf" "$tmp/map/map.md")
f_cpu=$(cat "$tmp/cpu")
# shellcheck disable=SC2046
if ${CC:-cc} -O2 -o "$tmp/json_floor" bench/json_floor.c \
	$(pkg-config --cflags --libs jansson) 2>"$tmp/cc.err"; then
	j_s=$(i=0; while [ "$i" -lt "$RUNS" ]; do
		"$tmp/json_floor" "$tmp/map/data/geo/admin2.geojson" | cut -d' ' -f1
		i=$((i + 1)); done | median)
	j_k=$(peak "$tmp/json_floor" "$tmp/map/data/geo/admin2.geojson")
	j_cpu=$(cat "$tmp/cpu")
	awk -v b="$geo_bytes" -v n="$MAP_COLS" -v fs="$f_s" -v fk="$f_k" \
		-v fc="$f_cpu" -v js="$j_s" -v jk="$j_k" -v jc="$j_cpu" 'BEGIN {
		printf "(f) a map over a %.1f MB admin-2 GeoJSON (%d districts), medians:\n", b / 1e6, n * n
		printf "    %-28s %9s %11s %9s\n", "", "wall", "peak", "cpu"
		printf "    %-28s %9.1f ms %8.1f MB %6.0f ms\n", "brief build, one map", fs * 1000, fk / 1024, fc * 1000
		printf "    %-28s %9.1f ms %8.1f MB %6.0f ms\n", "jansson alone (the floor)", js * 1000, jk / 1024, jc * 1000
		printf "    %-28s %9.2fx    %8.2fx  %6.2fx\n", "brief / floor", fs / js, fk / jk, (jc > 0 ? fc / jc : 0)
	}'
else
	echo "(f) could not build bench/json_floor.c: $(head -n 1 "$tmp/cc.err")"
fi

# (g) shaping on the default briefing
echo
echo "(g) shaping on the default briefing (median wall, cpu; instructions with valgrind):"
g_row() {
	label=$1
	shift
	s=$(wall g "$@")
	peak "$@" >/dev/null
	c=$(cat "$tmp/cpu")
	ir=""
	if command -v valgrind >/dev/null 2>&1; then
		ir=$(valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" \
			"$@" 2>&1 | sed -n 's/.*Collected : *\([0-9]*\).*/\1/p')
	fi
	awk -v l="$label" -v s="$s" -v c="$c" -v ir="$ir" 'BEGIN {
		printf "    %-36s %8.1f ms %6.0f ms %s\n", l, s * 1000, c * 1000,
		       ir == "" ? "" : sprintf("%8.1f M instructions", ir / 1e6) }'
}
g_row "shaped, word cache on" "$BRIEF" build -q -o "$tmp/g.pdf" layouts/karabakh.md
g_row "shaped, word cache off" env BRIEF_SHAPE_CACHE=0 "$BRIEF" build -q -o "$tmp/g.pdf" layouts/karabakh.md
if [ -n "${BASE:-}" ] && [ -x "$BASE" ]; then
	g_row "BASE ($BASE)" "$BASE" build -q -o "$tmp/g.pdf" layouts/karabakh.md
fi
