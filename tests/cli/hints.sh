#!/bin/sh
# hints.sh — data errors for files made in spreadsheets say what form brief
# expects (data_hint.c), through check and build alike; `check --archive`
# with sources that have no archived copy says so once per source, with a
# summary. (The single-error cases are in tests/bad/: semicolon-separated,
# day-first-date, date-serial-number, separator-in-value.) Output is TAP.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief

base=tests/bad/stated-as-no-archive

# Many rows citing two sources without archived copies: one error per
# source (at its archive field, with the row count and first row), one
# note, not one error per row.
rm -rf "$tmp/d"
mkdir -p "$tmp/d/archive"
cp "$base"/*.csv "$tmp/d/"
cp "$base"/archive/* "$tmp/d/archive/"
cat >>"$tmp/d/sources.csv" <<'EOF'
src-c,Another statement,Ministry of Example,unknown,2020-11,,unknown,official,en,,
EOF
for i in 1 2 3 4 5 6 7 8 9; do
	echo "w2020-c-$i,2020 war,2020-10-0$i,,Party C,killed,civilian,$i,,exact,Ministry C,src-c,$i civilians,"
done >>"$tmp/d/casualties.csv"
sed -i 's/^\(c-2020-km2,.*,src-b\),,$/\1,3000 km2,/' "$tmp/d/control.csv"
echo 'c-2020-km3,2020-12,Nagorno-Karabakh,Party B,3100,,km2,,about,Ministry B,src-b,3100 km2,' >>"$tmp/d/control.csv"
run_brief check --data "$tmp/d" --archive "$tmp/d/archive"
errs=$(grep -c ': error: ' "$tmp/err")
if [ "$rc" -eq 1 ] && [ "$errs" -eq 2 ] &&
	grep -q "^$tmp/d/sources.csv:4:74: error: source 'src-b' has no archived copy: stated_as cannot be verified in 2 rows (the first is control.csv line 4)\$" "$tmp/err" &&
	grep -q "^$tmp/d/sources.csv:5:[0-9]*: error: source 'src-c' has no archived copy: stated_as cannot be verified in 9 rows (the first is casualties.csv line 6)\$" "$tmp/err" &&
	grep -q "^$tmp/d/sources.csv: note: 2 sources without an archived copy, 11 stated_as phrases not verified" "$tmp/err" &&
	[ ! -s "$tmp/out" ]; then
	ok "check --archive: one error per source without an archive, and a note"
else
	not_ok "check --archive: one error per source without an archive, and a note"
	show_run
fi

# The same data without --archive is valid: the archive is not required.
run_brief check --data "$tmp/d"
check "without --archive the rows are valid" [ "$rc" -eq 0 ]

# A layout built over a ';'-separated file: build says the same as check.
rm -rf "$tmp/p"
mkdir -p "$tmp/p/data"
cp tests/bad/semicolon-separated/*.csv "$tmp/p/data/"
cat >"$tmp/p/b.md" <<'EOF'
---
title: Hints
data: data
---
Text.
EOF
(cd "$tmp/p" && $VG "$BRIEF" build b.md >"$tmp/out" 2>"$tmp/err")
rc=$?
if [ "$rc" -eq 1 ] && grep -q "events.csv:1:1: error: missing required column 'id'; this file looks ';'-separated; brief reads ',' (RFC 4180); save as CSV UTF-8 (comma delimited)" "$tmp/err" &&
	[ ! -e "$tmp/p/reports/b.pdf" ]; then
	ok "build over a ';'-separated file says how to save it"
else
	not_ok "build over a ';'-separated file says how to save it"
	show_run
fi

# A tab-separated export gets the same advice.
cp tests/bad/semicolon-separated/*.csv "$tmp/p/data/"
tr ';' '\t' <tests/bad/semicolon-separated/events.csv >"$tmp/p/data/events.csv"
run_brief check --data "$tmp/p/data"
check "a tab-separated file says so" grep -q "this file looks tab-separated; brief reads ','" "$tmp/err"

# Dates and numbers as a spreadsheet in another locale writes them.
cp "$base"/*.csv "$tmp/p/data/"
sed -i '3s/,2020-09-27,2020-11-10,/,03.10.2020,2020-11-10,/; 4s/,3000,4000,/,"3.000","4.000",/' "$tmp/p/data/casualties.csv"
run_brief check --data "$tmp/p/data"
if [ "$rc" -eq 1 ] &&
	grep -q "'03.10.2020' is not a date (YYYY, YYYY-MM or YYYY-MM-DD) in 'date_from'; write ISO dates, year first: 2020-10-03 if this is 3 October, 2020-03-10 if it is 10 March" "$tmp/err" &&
	grep -q "'3.000' must be a whole number (decimals only with unit percent); if it means 3000, write it without thousands separators" "$tmp/err"; then
	ok "day.month.year dates and '.' thousands separators get the ISO form"
else
	not_ok "day.month.year dates and '.' thousands separators get the ISO form"
	show_run
fi

finish
