#!/bin/sh
# import.sh — `brief import` end to end: every fixture export in
# tests/import/ (fictional data in each source's published columns and
# formats) imports, passes `brief check`, and builds a briefing whose
# chart totals equal sums computed here with awk over the fixture itself.
# Then provenance and `check --archive`, determinism, replacing an earlier
# import, refusing curated data, and the exact error messages.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief
if [ -z "${BRIEF_MAPPINGS:-}" ] && [ ! -d "$(dirname "$BRIEF")/mappings" ]; then
	BRIEF_MAPPINGS=$ROOT/mappings
	export BRIEF_MAPPINGS
fi
T=tests/import

# shellcheck source=tests/cli/lib/sums.sh
. "$ROOT/tests/cli/lib/sums.sh"

if ! command -v pdftotext >/dev/null 2>&1; then
	echo "not ok 1 - pdftotext is missing (make test-deps installs poppler-utils)"
	exit 1
fi

# import_and_build NAME FORMAT EXPORT LAYOUT: import, check, build.
import_and_build() {
	out=$tmp/$1
	run_brief import "$2" "$3" --into "$out" --accessed 2024-06-01
	expect_rc "$1: imports" 0
	run_plain check --data "$out"
	expect_rc "$1: imported data passes brief check" 0
	run_plain check --data "$out" "$4"
	expect_rc "$1: the layout checks" 0
	run_plain build -q --data "$out" -o "$tmp/$1.pdf" "$4"
	expect_rc "$1: the briefing builds" 0
}

# expect_totals NAME PDF: every "key<TAB>sum" line of $tmp/sums is a bar.
expect_totals() {
	bad=0
	while IFS='	' read -r key sum; do
		if ! chart_has "$2" "$key" "$sum"; then
			echo "#   no bar '$key' with total $sum"
			bad=1
		fi
	done <"$tmp/sums"
	if [ "$bad" -eq 0 ] && [ -s "$tmp/sums" ]; then
		ok "$1: chart totals match the sums over the export"
	else
		not_ok "$1: chart totals match the sums over the export"
		pdftotext -layout "$2" - | grep -v '^ *$' | head -n 30 | sed 's/^/#   /'
	fi
}

# ---- ACLED --------------------------------------------------------------
import_and_build acled acled $T/acled/export.csv $T/acled/layout.md
# admin1 (19) and fatalities (29); rows without fatalities add nothing.
csv_sum $T/acled/export.csv 1 19 29 >"$tmp/sums"
expect_totals acled "$tmp/acled.pdf"
n_pos=$(csv_sum $T/acled/export.csv 1 1 29 | wc -l)
n_rows=$(($(wc -l <"$tmp/acled/casualties.csv") - 2))
check "acled: one casualties row per event with fatalities ($n_pos)" \
	test "$n_rows" -eq "$n_pos"
# Two ordinary events on one day are parts of ACLED's count, never a
# contested "3 vs 7".
if pdftotext -layout "$tmp/acled.pdf" - | grep -q 'No quantity has more than one claim'; then
	ok "acled: same-day events are not shown as contested"
else
	not_ok "acled: same-day events are not shown as contested"
	pdftotext -layout "$tmp/acled.pdf" - | grep -A4 'more than one claim' | sed 's/^/#   /'
fi
# Against another claimant's figure, ACLED's events of the period are one
# claim: their sum (3 + 7 + 2 killed in March; the civilian row is
# another quantity), not three rows.
cp -r "$tmp/acled" "$tmp/acled-vs"
printf '%s\n' 'min-march,Kessaria,2024-03,,unknown,killed,all,15,,at_least,Kessaria Ministry of Defence,min-bulletin,,,,,,,,,' >>"$tmp/acled-vs/casualties.csv"
printf '%s\n' 'min-bulletin,Weekly bulletin,Kessaria Ministry of Defence,unknown,2024-04-01,,2024-06-01,official,en,,,,,' >>"$tmp/acled-vs/sources.csv"
run_plain build -q -d "$tmp/acled-vs" -o "$tmp/acled-vs.pdf" $T/acled/layout.md
pdftotext -layout "$tmp/acled-vs.pdf" "$tmp/acled-vs.txt" 2>/dev/null
if [ "$rc" -eq 0 ] && grep -q 'ACLED (sum of 3 records' "$tmp/acled-vs.txt" &&
	grep -q 'Kessaria Ministry of Defence' "$tmp/acled-vs.txt" &&
	grep -Eq ' 12 +\[1\]' "$tmp/acled-vs.txt" &&
	! grep -Eq 'ACLED +(3|7)( |$)' "$tmp/acled-vs.txt"; then
	ok "acled: against another claim, one claimant's events are one summed claim"
else
	not_ok "acled: against another claim, one claimant's events are one summed claim"
	grep -A8 'Quantities with more than one claim' "$tmp/acled-vs.txt" | sed 's/^/#   /'
fi
check "acled: time_precision 3 keeps only the month" \
	grep -q '^acled-ksr1004,Kessaria,2024-03,' "$tmp/acled/casualties.csv"
check "acled: civilian targeting is population civilian" \
	grep -q '^acled-ksr1004,.*,killed,civilian,5,' "$tmp/acled/casualties.csv"
check "acled: strategic developments reach the timeline" \
	grep -q '^acled-ksr1007,2024-03-28,agreement,' "$tmp/acled/events.csv"
sha=$(sha256sum $T/acled/export.csv | cut -d' ' -f1)
check "acled: the sources row records file, SHA-256, rows and filters" \
	grep -q "^acled-export,ACLED data export (export.csv),ACLED,ACLED,unknown,https://acleddata.com/,2024-06-01,dataset,en,export.csv,.*,$sha,10,\"casualties: fatalities > 0; " "$tmp/acled/sources.csv"

# ---- UCDP GED -----------------------------------------------------------
import_and_build ucdp-ged ucdp-ged $T/ucdp-ged/GEDEvent_fixture.csv $T/ucdp-ged/layout.md
# Each side's deaths by its own name: side_a (15) with deaths_a (41),
# side_b (18) with deaths_b (42), civilians (43), unknown (44).
f=$T/ucdp-ged/GEDEvent_fixture.csv
{
	csv_sum $f 1 15 41
	csv_sum $f 1 18 42
	awk -F, 'NR > 1 { c += $(NF-6); u += $(NF-5) } END { if (c) printf "Civilians\t%d\n", c; if (u) printf "unknown\t%d\n", u }' $f
} | awk -F'	' '{ s[$1] += $2; if (!($1 in o)) { o[$1] = 1; k[++n] = $1 } } END { for (i = 1; i <= n; i++) printf "%s\t%d\n", k[i], s[k[i]] }' >"$tmp/sums"
expect_totals ucdp-ged "$tmp/ucdp-ged.pdf"
check "ucdp-ged: an event's low-high range is kept (8–14)" \
	sh -c "pdftotext -layout '$tmp/ucdp-ged.pdf' - | grep -q '8–14'"
check "ucdp-ged: side rows are part_of the event row" \
	grep -q '^ged-500101-a,.*,ged-500101\(,\|$\)' "$tmp/ucdp-ged/casualties.csv"
check "ucdp-ged: a multi-day event keeps both dates" \
	grep -q '^ged-500102,Kessaria: Tarsk,2023-05-04,2023-05-09,' "$tmp/ucdp-ged/casualties.csv"
check "ucdp-ged: low = high is an exact figure" \
	grep -q '^ged-500104,.*,killed,all,2,,exact,' "$tmp/ucdp-ged/casualties.csv"

# ---- IDMC event data (IDU) ---------------------------------------------
import_and_build idmc-idu idmc $T/idmc/idu_fixture.csv $T/idmc/layout-idu.md
# cause (7) and figure (9): the figure's first number ("between 2,000 and
# 2,500" counts 2,000, "at least 150" 150).
awk 'NR > 1' $T/idmc/idu_fixture.csv | sed -e 's/"between \([0-9,]*\) and [0-9,]*"/"\1"/' -e 's/at least //' >"$tmp/idu.csv"
csv_sum "$tmp/idu.csv" 0 7 9 >"$tmp/sums"
expect_totals idmc-idu "$tmp/idmc-idu.pdf"
check "idmc-idu: a range in words becomes value and value_high" \
	grep -q '^idmc-910004,.*,2000,2500,range,' "$tmp/idmc-idu/displacement.csv"
check "idmc-idu: IDMC's wording becomes the qualifier" \
	sh -c "grep -q '^idmc-910002,.*,500,,more_than,' '$tmp/idmc-idu/displacement.csv' &&
	       grep -q '^idmc-910003,.*,3000,,about,' '$tmp/idmc-idu/displacement.csv' &&
	       grep -q '^idmc-910007,.*,100,,at_most,' '$tmp/idmc-idu/displacement.csv'"
check "idmc-idu: an event without a figure writes no row" \
	sh -c "! grep -q '^idmc-910006' '$tmp/idmc-idu/displacement.csv'"

# ---- IDMC yearly figures (GIDD), ';' separated, thousands separators ----
import_and_build idmc-gidd idmc $T/idmc/gidd_fixture.csv $T/idmc/layout-gidd.md
awk -F';' 'NR > 1 && $6 != "" { v = $6; gsub(/[, ]/, "", v); printf "%s %s\t%d\n", $2, $3, v }' $T/idmc/gidd_fixture.csv >"$tmp/sums"
expect_totals idmc-gidd "$tmp/idmc-gidd.pdf"
check "idmc-gidd: stocks go to figures.csv, never to displacement" \
	sh -c "grep -q '^gidd-ksr-2023-conflict-stock,2023-12-31,.*,1250000,.*,stock\(,\|\$\)' '$tmp/idmc-gidd/figures.csv' &&
	       ! grep -q ',stock,' '$tmp/idmc-gidd/displacement.csv'"

# ---- HXL (HDX), title row, own headers, extra and untagged columns -----
import_and_build hxl hxl $T/hxl/hdx_fixture.csv $T/hxl/layout.md
csv_sum $T/hxl/hdx_fixture.csv 3 2 4 >"$tmp/sums"
expect_totals hxl "$tmp/hxl.pdf"
check "hxl: a day/month/year date is read" \
	grep -q '^hxl-hdx-fixture-r7-killed,unknown,2023-07-02,' "$tmp/hxl/casualties.csv"

# ---- provenance: check --archive recomputes -----------------------------
mkdir -p "$tmp/archive"
cp $T/acled/export.csv "$tmp/archive/"
run_brief check --data "$tmp/acled" --archive "$tmp/archive"
expect_rc "archive: imported rows recompute from the archived export" 0
cp -r "$tmp/acled" "$tmp/acled-edited"
sed 's/^\(acled-ksr1002,Kessaria,2024-03-03,,unknown,killed,all,\)7,/\18,/' \
	"$tmp/acled/casualties.csv" >"$tmp/acled-edited/casualties.csv"
run_plain check --data "$tmp/acled-edited" --archive "$tmp/archive"
cat >"$tmp/want" <<EOF
$tmp/acled-edited/casualties.csv:4:55: error: value is "8" here, but the archived export export.csv gives "7"
EOF
head -n 1 "$tmp/err" >"$tmp/got"
if [ "$rc" -eq 1 ] && cmp -s "$tmp/want" "$tmp/got"; then
	ok "archive: an edited imported figure is found, with its position"
else
	not_ok "archive: an edited imported figure is found, with its position"
	show_run
fi
printf 'tampered\n' >>"$tmp/archive/export.csv"
run_plain check --data "$tmp/acled" --archive "$tmp/archive"
if [ "$rc" -eq 1 ] && grep -q "^$tmp/acled/sources.csv:3: error: the archived export '$tmp/archive/export.csv' is not the one imported (SHA-256 " "$tmp/err"; then
	ok "archive: a changed export is refused by its SHA-256"
else
	not_ok "archive: a changed export is refused by its SHA-256"
	show_run
fi

# ---- determinism, replacing, refusing -----------------------------------
run_plain import acled $T/acled/export.csv --into "$tmp/again" --accessed 2024-06-01
check "import: the same export gives byte-identical files" \
	sh -c "for f in sources casualties displacement control figures events; do cmp -s '$tmp/acled/'\$f.csv '$tmp/again/'\$f.csv || exit 1; done"
run_plain import -q acled $T/acled/export.csv --into "$tmp/again" --accessed 2024-07-01
check "import: an earlier import is replaced" \
	sh -c "[ $rc -eq 0 ] && grep -q ',2024-07-01,dataset,' '$tmp/again/sources.csv' && ! ls -a '$tmp/again' | grep -q '^\.import\.'"
mkdir -p "$tmp/curated"
cp tests/layouts/data/*.csv "$tmp/curated/"
before=$(cat "$tmp/curated"/*.csv | cksum)
run_brief import acled $T/acled/export.csv --into "$tmp/curated"
after=$(cat "$tmp/curated"/*.csv | cksum)
if [ "$rc" -eq 1 ] && [ "$before" = "$after" ] &&
	grep -q "^$tmp/curated/casualties.csv: error: exists and was not written by brief import; import into a directory of its own, or beside it with --name LABEL (it is never replaced)\$" "$tmp/err"; then
	ok "import: curated datasets are never replaced"
else
	not_ok "import: curated datasets are never replaced"
	show_run
fi

# ---- a mapping of one's own: monthly totals by province ----------------
run_brief import acled $T/acled/export.csv --into "$tmp/monthly" --map $T/acled/acled-monthly.yaml
expect_rc "map: an edited mapping aggregates by month and province" 0
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
	NR > 2 { s[$c["date_from"] "/" $c["adm1"]] += $c["value"]; n++ }
	END { for (k in s) print k "\t" s[k]; print n " rows" }' \
	"$tmp/monthly/casualties.csv" | sort >"$tmp/got"
cat >"$tmp/want" <<'EOF'
2024-03/Ardanë	7
2024-03/Тарск	10
2024-04/Mira	1
2024-04/Тарск	16
5 rows
EOF
if cmp -s "$tmp/want" "$tmp/got"; then
	ok "map: monthly sums per province are right"
else
	not_ok "map: monthly sums per province are right"
	show "$tmp/got"
fi

# ---- errors: exact messages ---------------------------------------------
# expect_err NAME WANT-RC: the first stderr line equals $tmp/want.
expect_err() {
	head -n 1 "$tmp/err" >"$tmp/got"
	if [ "$rc" -eq "$2" ] && cmp -s "$tmp/want" "$tmp/got"; then
		ok "$1"
	else
		not_ok "$1"
		echo "#   want:"
		show "$tmp/want"
		show_run
	fi
}

run_brief import acled $T/ucdp-ged/GEDEvent_fixture.csv --into "$tmp/e1"
cat >"$tmp/want" <<EOF
$T/ucdp-ged/GEDEvent_fixture.csv:1:1: error: not in the acled format: missing columns event_id_cnty, event_date, event_type, sub_event_type, actor1, fatalities (it looks like ucdp-ged: try 'brief import ucdp-ged')
EOF
expect_err "error: a GED file given as ACLED says what it looks like" 1
check "error: nothing is created after a failed import" test ! -e "$tmp/e1/casualties.csv"

sed '4s/10 March 2024/2024-13-10/' $T/acled/export.csv >"$tmp/bad-date.csv"
run_brief import acled "$tmp/bad-date.csv" --into "$tmp/e2"
cat >"$tmp/want" <<EOF
$tmp/bad-date.csv:4:9: error: '2024-13-10' in column 'event_date' is not a date in this export's formats (%d %B %Y, %Y-%m-%d, %d/%m/%Y, %d-%m-%Y)
EOF
expect_err "error: a date in no documented format, with its position" 1

sed '2s/,3,,1712000000$/,"1,2",,1712000000/' $T/acled/export.csv >"$tmp/bad-num.csv"
run_brief import acled "$tmp/bad-num.csv" --into "$tmp/e3"
cat >"$tmp/want" <<EOF
$tmp/bad-num.csv:2:326: error: '1,2' in column 'fatalities' is not a non-negative number
EOF
expect_err "error: a malformed thousands separator, with its position" 1

sed '2s/,more than,500,/,roughly,500,/' $T/idmc/idu_fixture.csv >"$tmp/bad-qual.csv"
sed -i '3s/,more than,500,/,roughly,500,/' "$tmp/bad-qual.csv"
run_brief import idmc "$tmp/bad-qual.csv" --into "$tmp/e4"
cat >"$tmp/want" <<EOF
$tmp/bad-qual.csv:3:71: error: qualifier wording 'roughly' (column 'qualifier') is not in value map 'wording'
EOF
expect_err "error: IDMC wording the mapping does not know" 1

printf 'Date;Province\n#date;#adm1+name\n2023-01-01;Mira\n' >"$tmp/no-figure.csv"
run_brief import hxl "$tmp/no-figure.csv" --into "$tmp/e5"
cat >"$tmp/want" <<EOF
$tmp/no-figure.csv:1:1: error: not in the hxl format: missing column #affected+killed|#affected+injured|#affected+idps
EOF
expect_err "error: an HXL file without a figure tag names the tags" 1

run_brief import hxl $T/acled/export.csv --into "$tmp/e6"
cat >"$tmp/want" <<EOF
$T/acled/export.csv:2:1: error: no HXL hashtag row in the first 25 rows (a row at least half of whose filled cells are hashtags)
EOF
expect_err "error: a file without hashtags given as HXL" 1

run_brief import acled "$tmp/nonexistent.csv" --into "$tmp/e7"
cat >"$tmp/want" <<EOF
$tmp/nonexistent.csv: error: no such file
EOF
expect_err "error: a missing export" 1

run_brief import gdelt $T/acled/export.csv --into "$tmp/e8"
cat >"$tmp/want" <<EOF
brief: unknown import format 'gdelt' (acled, ucdp-ged, idmc, hxl)
EOF
expect_err "error: an unknown format is a usage error" 2

printf 'format: acled\nprovider: X\ntitle: X\nsource_id: x\noutputs:\n  - dataset: casualties\n    colums: {}\n' >"$tmp/bad-map.yaml"
run_brief import acled $T/acled/export.csv --into "$tmp/e9" --map "$tmp/bad-map.yaml"
cat >"$tmp/want" <<EOF
$tmp/bad-map.yaml:7:5: error: unknown output key 'colums' (dataset, when, where, columns, aggregate)
EOF
expect_err "error: a mistake in a mapping, with its position" 1

# Stocks (IDPs at year end) are never added up over time: summing three
# year-end figures would count the same people up to three times.
run_brief check --data "$tmp/idmc-gidd" $T/idmc/stock-sum.md
cat >"$tmp/want" <<EOF
$T/idmc/stock-sum.md:18:6: error: chart 'stock-sum': this chart sums stocks of different dates (2021-12-31 and 2022-12-31): rows with flow_stock 'stock' count people or areas at a date and are never added up over time (chart one date, put the date on the axis, or use agg: max)
EOF
expect_err "idmc-gidd: a chart that sums stocks over time is refused at its agg" 1
sed 's/^agg: sum$/agg: max/' $T/idmc/stock-sum.md >"$tmp/stock-max.md"
run_brief check --data "$tmp/idmc-gidd" "$tmp/stock-max.md"
check "idmc-gidd: the largest stock (agg: max) may be charted" test "$rc" -eq 0

finish
