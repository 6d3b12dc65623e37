#!/bin/sh
# bench.sh — measure brief on this machine against the targets of the
# performance issue. A measurement, never a test: it asserts nothing.
#
# Usage: tools/bench.sh            (or: make bench)
# Environment: RUNS (default 5) runs per measure; ROWS (default 1000000)
#   rows of the generated casualties datasets; BIG_ROWS (default 10000000,
#   0 to skip) rows of the memory case; JOBS (default: CPUs) make -j for
#   the batch; BRIEF (default ./brief); PROFILE=1 also prints a perf
#   profile of the ROWS-row build (needs perf).
#
# Every case prints brief, its floor and their ratio, measured in the same
# run: bench/timeit.c runs brief and the floor in turn, RUNS times each
# after a warm-up, and reports the median and the spread (min-max).
# (a) ROWS-row casualties (tools/gen-casualties.sh), ASCII and with
#     Armenian and Cyrillic names (NAMES=utf8): `brief build` of
#     bench/big.md and `brief check`, against libcsv alone parsing the
#     same file with empty callbacks (bench/csv_floor.c), the floor the
#     issue names; targets 1.4x (build) and 1.2x (check)
# (b) BIG_ROWS rows: peak memory of check and build (target 32 MB)
# (s) the default briefing by stage: an empty program, the same linked
#     as brief is (static archives where Debian has them) and with every
#     library shared (STATIC=): what loading them costs; `brief --version`;
#     `brief build layouts/karabakh.md`
# (c) 50 copies of the default layout (different titles) built by make -j
# (d) pathological layouts; (e) chart drawing time against marks
# (g) the cost of shaping on the default briefing: brief as built, with
#     its word cache off (BRIEF_SHAPE_CACHE=0: every run shaped whole by
#     HarfBuzz), and, when BASE names a brief built without shaping (an
#     older ./brief), that one, timed side by side; with valgrind,
#     instructions too (stable on a shared machine), and the shaped
#     build's text pipeline by part (hyphenation, measuring, shaping lines,
#     glyph runs, font subsets; callgrind_annotate)
# (f) a map over a large boundary file: a generated fictional admin-2
#     GeoJSON (tools/gen-boundaries.sh; MAP_COLS x MAP_COLS districts,
#     default 40: 1,600 districts, 4.9 MB) as a one-map briefing, and
#     jansson alone reading the same file (bench/json_floor.c), the floor
#     under any reader built on it
#
# Everything is generated in a temporary directory, removed at the end.
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
		"$@" >/dev/null 2>&1 || true
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

echo "brief bench: $RUNS runs per measure, median (min-max); $(nproc 2>/dev/null || echo ?) CPUs, $(uname -m)"
grep -m 1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: /cpu: /' || true
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo

CC=${CC:-cc}
if ! $CC -std=c11 -O2 -o "$tmp/timeit" bench/timeit.c 2>"$tmp/cc.err" ||
	! $CC -O2 -o "$tmp/csv_floor" bench/csv_floor.c -lcsv 2>>"$tmp/cc.err"; then
	echo "bench: cannot build bench/timeit.c or bench/csv_floor.c (libcsv-dev):" >&2
	cat "$tmp/cc.err" >&2
	exit 1
fi

# pair LABEL TARGET -- BRIEF_CMD... ';;' FLOOR_CMD...: one line of the
# table: both medians and spreads, the ratio of the medians, the target.
pair() {
	label=$1
	target=$2
	shift 3
	"$tmp/timeit" "$RUNS" "$@" >"$tmp/pair" || true
	awk -v l="$label" -v t="$target" 'NR == 1 { b = $1; bl = $2; bh = $3; bm = $4 }
		NR == 2 { f = $1; fl = $2; fh = $3 }
		END {
			r = b / f
			met = t == "-" ? "" : (r <= t ? "yes" : "NO")
			printf "%-34s %7.0f ms (%4.0f-%4.0f) %7.0f ms (%4.0f-%4.0f) %6.2fx %6s %-3s %6.1f MB\n",
			       l, b * 1000, bl * 1000, bh * 1000, f * 1000, fl * 1000,
			       fh * 1000, r, (t == "-" ? "" : "<= " t "x"), met, bm / 1024
		}' "$tmp/pair"
}

echo "generating $ROWS casualties rows (ASCII and UTF-8 names) ..." >&2
tools/gen-casualties.sh "$ROWS" "$tmp/data" >/dev/null
NAMES=utf8 tools/gen-casualties.sh "$ROWS" "$tmp/utf8" >/dev/null
mb=$(wc -c <"$tmp/data/casualties.csv" | awk '{ printf "%.0f", $1 / 1e6 }')
mbu=$(wc -c <"$tmp/utf8/casualties.csv" | awk '{ printf "%.0f", $1 / 1e6 }')

echo "(a) $ROWS rows against the libcsv floor (libcsv alone, empty callbacks, same file)"
printf '%-34s %-23s %-23s %7s %6s %-3s %9s\n' case brief floor ratio target met "brief peak"
pair "build, ASCII ($mb MB)" 1.4 -- "$BRIEF" build -q -d "$tmp/data" -o "$tmp/b.pdf" bench/big.md \
	';;' "$tmp/csv_floor" "$tmp/data/casualties.csv" 0
pair "check, ASCII" 1.2 -- "$BRIEF" check -q -d "$tmp/data" \
	';;' "$tmp/csv_floor" "$tmp/data/casualties.csv" 0
pair "build, UTF-8 names ($mbu MB)" 1.4 -- "$BRIEF" build -q -d "$tmp/utf8" -o "$tmp/u.pdf" bench/big.md \
	';;' "$tmp/csv_floor" "$tmp/utf8/casualties.csv" 0
pair "check, UTF-8 names" 1.2 -- "$BRIEF" check -q -d "$tmp/utf8" \
	';;' "$tmp/csv_floor" "$tmp/utf8/casualties.csv" 0
pair "check, ASCII, one thread" - -- env BRIEF_THREADS=1 "$BRIEF" check -q -d "$tmp/data" \
	';;' "$tmp/csv_floor" "$tmp/data/casualties.csv" 0
pair "build, ASCII, one thread" - -- env BRIEF_THREADS=1 "$BRIEF" build -q -d "$tmp/data" -o "$tmp/b.pdf" bench/big.md \
	';;' "$tmp/csv_floor" "$tmp/data/casualties.csv" 0
echo

# Where the build's time goes: its own per-stage timings (-v), once. The
# layout stage holds the scan of the data; the record is the gzipped copy
# of the inputs beside the PDF (NAME.inputs.tar.gz, for brief diff).
"$BRIEF" build -v -d "$tmp/data" -o "$tmp/b.pdf" bench/big.md 2>&1 |
	grep -E 'brief: (layout|typeset|write|record|hash) ' |
	sed 's/^brief: /    /' | tr '\n' ' ' | sed 's/^/(a) stages of the ASCII build:/; s/$/\n/'
echo

if [ "${PROFILE:-0}" = 1 ] && command -v perf >/dev/null 2>&1; then
	echo "(a) profile of the ASCII build (perf, self time, all threads):"
	perf record -q -o "$tmp/perf.data" "$BRIEF" build -q -d "$tmp/data" \
		-o "$tmp/b.pdf" bench/big.md >/dev/null 2>&1 || true
	perf report -i "$tmp/perf.data" --no-children --stdio 2>/dev/null |
		grep -E '^ +[0-9]' | head -n 20
	echo
fi

BIG_ROWS=${BIG_ROWS:-10000000}
if [ "$BIG_ROWS" -gt 0 ]; then
	echo "generating $BIG_ROWS casualties rows ..." >&2
	tools/gen-casualties.sh "$BIG_ROWS" "$tmp/big" >/dev/null
	rm -rf "$tmp/utf8"
	big_mb=$(wc -c <"$tmp/big/casualties.csv" | awk '{ printf "%.0f", $1 / 1e6 }')
	echo "(b) $BIG_ROWS rows ($big_mb MB): peak memory (target 32 MB), one run each"
	for what in check build; do
		if [ $what = check ]; then
			set -- "$BRIEF" check -q -d "$tmp/big"
		else
			set -- "$BRIEF" build -q -d "$tmp/big" -o "$tmp/big.pdf" bench/big.md
		fi
		"$tmp/timeit" 1 "$@" ';;' "$tmp/csv_floor" "$tmp/big/casualties.csv" 0 >"$tmp/pair" || true
		awk -v w="$what" 'NR == 1 { b = $1; m = $4 } NR == 2 { f = $1 } END {
			printf "    brief %-5s %8.1f MB  %-3s   (%.1f s; libcsv floor %.1f s, %.2fx)\n",
			       w, m / 1024, m / 1024 <= 32 ? "yes" : "NO", b, f, b / f }' "$tmp/pair"
	done
	rm -rf "$tmp/big"
	echo
fi

# (s) the default briefing, by stage
echo 'int main(void) { return 0; }' >"$tmp/empty.c"
$CC -O2 -o "$tmp/empty" "$tmp/empty.c"
# shellcheck disable=SC2046
$CC -O2 -o "$tmp/empty_libs" "$tmp/empty.c" -Wl,--no-as-needed $(make -s print-ldlibs) 2>/dev/null ||
	cp "$tmp/empty" "$tmp/empty_libs"
# shellcheck disable=SC2046
$CC -O2 -o "$tmp/empty_shared" "$tmp/empty.c" -Wl,--no-as-needed $(make -s STATIC= print-ldlibs) 2>/dev/null ||
	cp "$tmp/empty" "$tmp/empty_shared"
"$tmp/timeit" $((RUNS * 10)) "$tmp/empty" ';;' "$tmp/empty_libs" ';;' "$BRIEF" --version \
	';;' "$BRIEF" build -q -o "$tmp/a.pdf" layouts/karabakh.md ';;' "$tmp/empty_shared" >"$tmp/stages" || true
nshared=$(ldd "$tmp/empty_shared" 2>/dev/null | grep -c '=>' || echo '?')
a_size=$(wc -c <"$tmp/a.pdf" | tr -d ' ')
nlibs=$(ldd "$BRIEF" 2>/dev/null | grep -c '=>' || echo '?')
echo "(s) the default briefing by stage ($((RUNS * 10)) runs each, median (min-max); $nlibs shared libraries;"
echo "    each stage's cost is the difference of the fastest runs, the least disturbed by other load)"
awk -v z="$a_size" -v ns="$nshared" 'NR == 1 { e = $1; el = $2; eh = $3 } NR == 2 { l = $1; ll = $2; lh = $3 }
	NR == 3 { v = $1; vl = $2; vh = $3 } NR == 4 { b = $1; bl = $2; bh = $3; bm = $4 }
	NR == 5 { s = $1; sl = $2; sh = $3 }
	END {
		printf "    %-44s %6.2f ms (%.2f-%.2f)\n", "empty program", e * 1000, el * 1000, eh * 1000
		printf "    %-44s %6.2f ms (%.2f-%.2f)  loading them: %.2f ms\n", "empty program, all " ns " libraries shared", s * 1000, sl * 1000, sh * 1000, (sl - el) * 1000
		printf "    %-44s %6.2f ms (%.2f-%.2f)  loading the libraries: %.2f ms\n", "empty program linked as brief is", l * 1000, ll * 1000, lh * 1000, (ll - el) * 1000
		printf "    %-44s %6.2f ms (%.2f-%.2f)  brief'"'"'s own start-up: %.2f ms\n", "brief --version", v * 1000, vl * 1000, vh * 1000, (vl - ll) * 1000
		printf "    %-44s %6.2f ms (%.2f-%.2f)  the briefing itself: %.2f ms\n", "brief build layouts/karabakh.md", b * 1000, bl * 1000, bh * 1000, (bl - vl) * 1000
		printf "    PDF %.1f KB, peak memory %.1f MB; start-up (--version) is %.0f%% of the fastest build\n", z / 1024, bm / 1024, 100 * vl / bl
	}' "$tmp/stages"
echo

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

awk -v s="$c_s" -v n="$c_n" -v j="$JOBS" 'BEGIN {
	printf "(c) 50 briefings, make -j%d: %.0f ms (median), %d PDFs\n", j, s * 1000, n }'

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
	bench/chart_marks.c build/libbrief.a $(make -s print-ldlibs) 2>"$tmp/cc.err"; then
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
echo "(g) shaping on the default briefing ($((RUNS * 4)) runs each, side by side: median wall (min-max), cpu;"
echo "    instructions with valgrind):"
set -- "$BRIEF" build -q -o "$tmp/g.pdf" layouts/karabakh.md \
	';;' env BRIEF_SHAPE_CACHE=0 "$BRIEF" build -q -o "$tmp/g.pdf" layouts/karabakh.md
if [ -n "${BASE:-}" ] && [ -x "$BASE" ]; then
	set -- "$@" ';;' "$BASE" build -q -o "$tmp/g.pdf" layouts/karabakh.md
fi
"$tmp/timeit" $((RUNS * 4)) "$@" >"$tmp/g_times" || true
# g_row N LABEL CMD...: line N of the timings, and the command's
# instructions (its callgrind profile kept as $tmp/cg.N).
g_row() {
	nr=$1
	label=$2
	shift 2
	ir=""
	if command -v valgrind >/dev/null 2>&1; then
		ir=$(valgrind --tool=callgrind --trace-children=yes \
			--callgrind-out-file="$tmp/cg.$nr" \
			"$@" 2>&1 | sed -n 's/.*Collected : *\([0-9]*\).*/\1/p')
	fi
	awk -v n="$nr" -v l="$label" -v ir="$ir" 'NR == n {
		printf "    %-36s %6.1f ms (%5.1f-%5.1f) %6.1f ms %s\n", l, $1 * 1000,
		       $2 * 1000, $3 * 1000, $5 * 1000,
		       ir == "" ? "" : sprintf("%8.1f M instructions", ir / 1e6) }' "$tmp/g_times"
}
g_row 1 "shaped, word cache on" "$BRIEF" build -q -o "$tmp/g.pdf" layouts/karabakh.md
g_row 2 "shaped, word cache off" env BRIEF_SHAPE_CACHE=0 "$BRIEF" build -q \
	-o "$tmp/g.pdf" layouts/karabakh.md
if [ -n "${BASE:-}" ] && [ -x "$BASE" ]; then
	g_row 3 "BASE ($BASE)" "$BASE" build -q -o "$tmp/g.pdf" layouts/karabakh.md
fi
# Where the shaped build's text instructions go (inclusive counts of the
# text pipeline's entry points, from the profile above).
if [ -s "$tmp/cg.1" ] && command -v callgrind_annotate >/dev/null 2>&1; then
	callgrind_annotate --inclusive=yes "$tmp/cg.1" 2>/dev/null |
		awk 'function part(fn, label) {
			if (index($0, " src/" fn " [") && !(fn in seen)) {
				seen[fn] = 1
				v = $1
				gsub(",", "", v)
				printf "      %-34s %8.1f M\n", label, v / 1e6
			}
		}
		{
			part("hyphenate.c:hyphen_points", "hyphenation (libhyphen)")
			part("shape.c:shape_text_width", "measuring (shape_text_width)")
			part("shape.c:shape_line", "shaping lines to draw")
			part("pdf_glyphs.c:pdf_glyphs_line", "glyph runs in the PDF")
			part("pdf_glyphs.c:pdf_glyphs_finish", "font subsets (hb-subset)")
		}'
fi
