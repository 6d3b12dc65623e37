#!/bin/sh
# gen-casualties.sh — write a complete data directory with a large synthetic
# casualties.csv, for load and memory tests of `brief check` and the data
# layer.
#
# Usage: tools/gen-casualties.sh [ROWS [OUTDIR]]
#   ROWS    number of casualties rows (default 1000000)
#   OUTDIR  directory to write (default gen-data; created if missing)
# Environment: DATA (default: the repository's datasets/) is where the other
#   five files are copied from; DISTRICTS (default 100) how many districts;
#   NAMES=utf8 writes party names, reporters and a place-name note in
#   Armenian and Cyrillic script (UTF-8, two bytes a letter) instead of
#   ASCII, for measuring non-English data (default: ascii).
#
# casualties.csv holds daily records from 2016-01-01 on, one row per day,
# district, party (3) and category (killed, wounded): 600 rows a day with
# the default 100 districts, so 1,000,000 rows cover about 4.6 years. Values
# are small pseudo-random integers from a fixed-seed generator, so the
# output is the same on every run. Ids look like d0001-p1-2016-01-01-killed.
# Every row cites the first source in sources.csv. The file is synthetic
# test data: it must never be shipped as a dataset.
#
# POSIX sh and awk only (no python: a fresh system may not have it).
set -eu
rows=${1:-1000000}
out=${2:-gen-data}
root=$(cd "$(dirname "$0")/.." && pwd)
data=${DATA:-$root/datasets}
districts=${DISTRICTS:-100}
names=${NAMES:-ascii}

case $rows in
'' | *[!0-9]*)
	echo "gen-casualties: ROWS must be a whole number, not '$rows'" >&2
	exit 2
	;;
esac
case $names in
ascii | utf8) ;;
*)
	echo "gen-casualties: NAMES must be ascii or utf8, not '$names'" >&2
	exit 2
	;;
esac
case $districts in
'' | *[!0-9]* | 0)
	echo "gen-casualties: DISTRICTS must be a positive number" >&2
	exit 2
	;;
esac
if [ ! -f "$data/sources.csv" ]; then
	echo "gen-casualties: no $data/sources.csv" >&2
	exit 1
fi

mkdir -p "$out"
for f in "$data"/*.csv; do
	case ${f##*/} in
	casualties.csv) ;;
	*) cp "$f" "$out/" ;;
	esac
done

# The first source id: sources.csv row 3 (after the header and HXL rows);
# ids match [a-z0-9][a-z0-9_-]*, so the first comma ends it.
source=$(sed -n '3p' "$data/sources.csv" | cut -d, -f1)
case $source in
'' | *[!a-z0-9_-]*)
	echo "gen-casualties: cannot read a source id from $data/sources.csv" >&2
	exit 1
	;;
esac

awk -v rows="$rows" -v districts="$districts" -v source="$source" \
	-v names="$names" '
function mdays(y, m) {
	if (m == 2)
		return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
	return (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31
}
# Park-Miller minimal standard generator: exact in double arithmetic.
function rnd(n) {
	seed = (seed * 16807) % 2147483647
	return seed % n
}
BEGIN {
	print "id,event,date_from,date_to,party,category,population,value," \
	      "value_high,qualifier,reported_by,source,stated_as,note,district"
	print "#meta+id,#event,#date+start,#date+end,#org+party," \
	      "#meta+category,#meta+population,#affected+num," \
	      "#affected+num+max,#meta+qualifier,#meta+reported_by," \
	      "#meta+source,#meta+stated,#description+notes,#adm2+code"
	reporter[0] = "District health office"
	reporter[1] = "Ministry of Defence"
	reporter[2] = "Monitoring mission"
	party = "Party "
	for (k = 0; k < 100; k++)
		place[k] = ""
	if (names == "utf8") {
		# Cyrillic and Armenian: what real datasets of this region hold.
		reporter[0] = "Районная больница"
		reporter[1] = "Պաշտպանության նախարարություն"
		reporter[2] = "Миссия наблюдателей"
		party = "Կողմ "
		place[0] = "Степанакерт"; place[1] = "Ստեփանակերտ"
		place[2] = "Մարտունի"; place[3] = "Шуши"
		for (k = 4; k < 100; k++)
			place[k] = place[k % 4] " " k
	}
	cat[0] = "killed"; cat[1] = "wounded"
	seed = 20160101
	y = 2016; m = 1; d = 1
	n = 0
	while (n < rows) {
		date = sprintf("%04d-%02d-%02d", y, m, d)
		for (k = 1; k <= districts && n < rows; k++) {
			dist = sprintf("d%04d", k)
			for (p = 1; p <= 3 && n < rows; p++) {
				for (c = 0; c < 2 && n < rows; c++) {
					# Mostly small counts, more wounded
					# than killed, military for party 3.
					v = c == 0 ? rnd(8) : rnd(20)
					if (rnd(50) == 0)
						v += 20 + rnd(80)
					pop = p == 3 ? "military" : \
					      (rnd(3) == 0 ? "military" : "civilian")
					printf "%s-p%d-%s-%s,Synthetic test conflict,%s,," \
					       "%s%d,%s,%s,%d,,exact,%s,%s,,%s,%s\n",
					       dist, p, date, cat[c], date, party, p,
					       cat[c], pop, v, reporter[(k + p) % 3],
					       source, place[k % 100], dist
					n++
				}
			}
		}
		if (++d > mdays(y, m)) {
			d = 1
			if (++m > 12) {
				m = 1
				y++
			}
		}
	}
}' >"$out/casualties.csv"
