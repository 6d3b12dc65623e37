#!/bin/sh
# multi.sh — more than one dataset per schema in a data directory: curated
# casualties.csv beside casualties-acled.csv and displacement-idmc.csv,
# written by `brief import --name`. Each passes `brief check`, charts,
# tables, figure references, key figures and contested tables use each by
# name (totals computed here from the fixtures), unknown names are
# positioned errors, and `brief diff` and the recorded inputs cover the
# labelled files.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
# shellcheck source=tests/cli/lib/sums.sh
. "$ROOT/tests/cli/lib/sums.sh"
need_brief
if [ -z "${BRIEF_MAPPINGS:-}" ] && [ ! -d "$(dirname "$BRIEF")/mappings" ]; then
	BRIEF_MAPPINGS=$ROOT/mappings
	export BRIEF_MAPPINGS
fi
if ! command -v pdftotext >/dev/null 2>&1; then
	echo "not ok 1 - pdftotext is missing (make test-deps installs poppler-utils)"
	exit 1
fi
T=tests/import
D=$tmp/data

# ---- the directory: curated data, then two imports beside it -----------
cp -r tests/layouts/data "$D"
rm -f "$D/README.md"
cp -r "$D" "$tmp/curated-only"
# A curated claim about a quantity ACLED's events also count (March 2024,
# killed, all), and a curated row whose id an imported row also has.
printf '%s\n' 'min-march,Kessaria,2024-03,,unknown,killed,all,15,,at_least,Kessaria Ministry of Defence,min-bulletin,at least 15,' \
	'acled-ksr1001,Kessaria,2024-03-03,,unknown,killed,all,4,,exact,Kessaria Ministry of Defence,min-bulletin,four,' \
	>>"$D/casualties.csv"
printf '%s\n' 'min-bulletin,Weekly bulletin,Kessaria Ministry of Defence,unknown,2024-04-01,https://example.org/ksr/bulletin,2024-06-01,official,en,,Fictional' \
	>>"$D/sources.csv"
run_brief import acled $T/acled/export.csv --into "$D" --name acled --accessed 2024-06-01
expect_rc "import --name acled beside curated data" 0
check "it writes casualties-acled.csv and events-acled.csv" \
	grep -q '^brief:   casualties-acled.csv: 7 rows$' "$tmp/out"
run_plain import idmc $T/idmc/idu_fixture.csv --into "$D" --name idmc --accessed 2024-06-01
expect_rc "import --name idmc beside them" 0
check "only the datasets a mapping writes to, and its own sources file" \
	sh -c "test -f '$D/displacement-idmc.csv' && test -f '$D/sources-idmc.csv' &&
	       test -f '$D/import-idmc.yaml' && test ! -e '$D/casualties-idmc.csv'"
check "the curated files are untouched" \
	sh -c "cmp -s '$D/displacement.csv' tests/layouts/data/displacement.csv &&
	       grep -q '^min-bulletin,' '$D/sources.csv' &&
	       ! grep -q '^acled-export,' '$D/sources.csv'"
run_plain check --data "$D"
expect_rc "check passes: every dataset against its schema, sources across files" 0
check "check counts the 11 files it read (3 sources files, 8 datasets)" \
	grep -q "^brief: $D: [0-9]* rows in 11 files, no errors\$" "$tmp/out"

# The same export under a second label would give a second sources file
# with the first one's source id: refused before the directory changes.
before=$(ls -a "$D" | cksum)
run_brief import acled $T/acled/export.csv --into "$D" --name acled2 --accessed 2024-06-01
if [ "$rc" -eq 1 ] && [ "$(ls -a "$D" | cksum)" = "$before" ] &&
	grep -q "^$T/acled/export.csv: error: its source id 'acled-export' is already in $D/sources-acled.csv (line 3), and ids are unique across a directory's sources files: rename the file, or import it with a mapping whose source_id differs (--map)\$" "$tmp/err"; then
	ok "import --name refuses a source id another sources file has"
else
	not_ok "import --name refuses a source id another sources file has"
	show_run
fi
cp $T/acled/export.csv "$tmp/export-ua.csv"
run_plain import acled "$tmp/export-ua.csv" --into "$D" --name acled2 --accessed 2024-06-01
check "renamed, it imports beside the first" \
	sh -c "[ $rc -eq 0 ] && grep -q '^acled-export-ua,' '$D/sources-acled2.csv'"
run_plain import -q acled $T/acled/export.csv --into "$D" --name acled --accessed 2024-06-01
expect_rc "importing again under the same label replaces its own source id" 0
rm -f "$D"/*-acled2.* "$D/.brief-import-acled2" "$D/import-acled2.yaml"
printf -- '---\ntitle: Unknown\ndata: %s\n---\n\n# Summary\n\nSaid so [@nope].\n' "$D" >"$tmp/nope.md"
run_brief check "$tmp/nope.md"
check "an unknown source is said to be in none of the sources files" \
	grep -q "^$tmp/nope.md:8:9: error: unknown source 'nope' (not in sources.csv, sources-acled.csv or sources-idmc.csv)\$" "$tmp/err"

# ---- a briefing using each dataset by name -----------------------------
cat >"$tmp/multi.md" <<EOF
---
title: Curated and imported
data: $D
as_of: auto
---

# Figures

ACLED counts {{casualties-acled:acled-ksr1001}} killed in the first clash;
the ministry says {{casualties:acled-ksr1001}}.

\`\`\`keyfigures
- ref: casualties-acled:acled-ksr1004
  label: civilians killed (ACLED)
\`\`\`

\`\`\`chart
id: acled-adm1
type: bar
dataset: casualties-acled
filter: {category: killed}
x: adm1
horizontal: true
sort: x
title: ACLED deaths by province
\`\`\`

\`\`\`chart
id: idmc-cause
type: bar
dataset: displacement-idmc
x: cause
horizontal: true
sort: x
title: IDMC displacements by cause
\`\`\`

\`\`\`chart
id: curated-ngo
type: bar
dataset: casualties
filter: {reported_by: Relief Watch}
x: event
horizontal: true
sort: x
title: Curated deaths counted by Relief Watch
\`\`\`

\`\`\`table
dataset: displacement-idmc
columns: [id, cause, value]
caption: IDMC rows
\`\`\`

\`\`\`table
contested: true
caption: Every claim, curated and imported
\`\`\`

\`\`\`table
contested: true
dataset: [casualties, casualties-acled]
filter: {event: Kessaria}
caption: Kessaria only
\`\`\`
EOF
run_brief build -q -o "$tmp/multi.pdf" "$tmp/multi.md"
expect_rc "a layout using every dataset by name builds" 0
pdftotext -layout "$tmp/multi.pdf" "$tmp/multi.txt" 2>/dev/null
csv_sum $T/acled/export.csv 1 19 29 >"$tmp/sums"
bad=0
while IFS='	' read -r key sum; do
	chart_has "$tmp/multi.pdf" "$key" "$sum" || { echo "#   no ACLED bar '$key' $sum"; bad=1; }
done <"$tmp/sums"
awk 'NR > 1' $T/idmc/idu_fixture.csv | sed -e 's/"between \([0-9,]*\) and [0-9,]*"/"\1"/' -e 's/at least //' >"$tmp/idu.csv"
csv_sum "$tmp/idu.csv" 0 7 9 >"$tmp/sums"
while IFS='	' read -r key sum; do
	chart_has "$tmp/multi.pdf" "$key" "$sum" || { echo "#   no IDMC bar '$key' $sum"; bad=1; }
done <"$tmp/sums"
# The curated file alone: one claimant's deaths by event (the imported
# rows are other datasets and add nothing to it).
awk -F, 'NR > 1 && $11 == "Relief Watch" { s[$2] += $8 }
	END { for (k in s) printf "%s\t%d\n", k, s[k] }' tests/layouts/data/casualties.csv >"$tmp/sums"
while IFS='	' read -r key sum; do
	chart_has "$tmp/multi.pdf" "$key" "$sum" || { echo "#   no curated bar '$key' $sum"; bad=1; }
done <"$tmp/sums"
if [ "$bad" -eq 0 ]; then
	ok "each chart's totals match sums over its own file"
else
	not_ok "each chart's totals match sums over its own file"
	grep -v '^ *$' "$tmp/multi.txt" | head -n 40 | sed 's/^/#   /'
fi
check "one id in two datasets: each reference names its dataset" \
	grep -q 'ACLED counts 3 \[[0-9]*\] killed in the first clash; the ministry says 4 \[[0-9]*\]' "$tmp/multi.txt"
check "a key figure from an imported dataset" grep -q 'civilians killed (ACLED)' "$tmp/multi.txt"
n_idmc=$(($(wc -l <"$D/displacement-idmc.csv") - 2))
n_table=$(grep -c '^ *idmc-9100[0-9][0-9] ' "$tmp/multi.txt")
check "a table of displacement-idmc lists its $n_idmc rows" test "$n_table" -eq "$n_idmc"
# Curated and imported claims side by side: ACLED's March events (3 + 7
# + 2 killed) are one summed claim against the ministry's.
if grep -q 'ACLED (sum of 3 records' "$tmp/multi.txt" &&
	grep -q 'Kessaria Ministry of Defence' "$tmp/multi.txt" &&
	[ "$(grep -c 'ACLED (sum of 3 records' "$tmp/multi.txt")" -eq 2 ]; then
	ok "contested tables set curated and imported claims side by side"
else
	not_ok "contested tables set curated and imported claims side by side"
	grep -A12 'Every claim' "$tmp/multi.txt" | sed 's/^/#   /'
fi

# ---- names that are not there ----------------------------------------
have='casualties, casualties-acled, displacement, displacement-idmc, control, figures, events, events-acled'
printf '%s\n' '---' 'title: x' "data: $D" '---' '' 'See {{casualties-nope:x}}.' '' \
	'```chart' 'id: c' 'type: bar' 'dataset: acled' 'x: adm1' '```' >"$tmp/bad.md"
run_brief check "$tmp/bad.md"
expect_rc "unknown dataset names are errors" 1
check "a figure reference's unknown dataset, at its position, with the names there are" \
	grep -qxF "$tmp/bad.md:6:5: error: no dataset 'casualties-nope' (have: $have)" "$tmp/err"
check "a chart's unknown dataset, at its value" \
	grep -qxF "$tmp/bad.md:11:10: error: no dataset 'acled' (have: $have)" "$tmp/err"
printf '%s\n' '---' 'title: x' "data: $D" '---' '' '```table' 'contested: true' \
	'dataset: [casualties, displacement-idmc]' '```' >"$tmp/bad2.md"
run_plain check "$tmp/bad2.md"
check "a contested table's datasets share a schema" \
	grep -qxF "$tmp/bad2.md:8:23: error: the datasets of a contested table share a schema: displacement-idmc is not casualties" "$tmp/err"
cp -r "$D" "$tmp/dup"
printf '%s\n' 'acled-export,Another,X,unknown,2024-01-01,,2024-06-01,news,en,,' >>"$tmp/dup/sources.csv"
run_plain check --data "$tmp/dup"
check "a source id in two sources files is an error at the second" \
	grep -q "^$tmp/dup/sources-acled.csv:[0-9]*:1: error: source id 'acled-export' is already in $tmp/dup/sources.csv (line [0-9]*): ids are unique across the sources files\$" "$tmp/err"
cp "$D/casualties-acled.csv" "$tmp/dup/casualties-ACLED.csv"
run_plain check --data "$tmp/dup"
check "a file named like a dataset but not one is a warning, not read" \
	grep -q "^$tmp/dup: warning: casualties-ACLED.csv is not read" "$tmp/err"

# ---- diff and the recorded inputs ------------------------------------
run_brief diff "$tmp/curated-only" "$D"
check "brief diff compares the labelled datasets too" \
	sh -c "grep -q '^casualties-acled: 7 added, 0 unchanged (new file)' '$tmp/out' &&
	       grep -q '^displacement-idmc: 6 added, 0 unchanged (new file)' '$tmp/out' &&
	       grep -q '^casualties: 2 added, 10 unchanged' '$tmp/out'"
tar -tzf "$tmp/multi.inputs.tar.gz" >"$tmp/members" 2>/dev/null
check "the record of inputs holds every sources file and dataset" \
	sh -c "grep -qx casualties-acled.csv '$tmp/members' &&
	       grep -qx displacement-idmc.csv '$tmp/members' &&
	       grep -qx sources-acled.csv '$tmp/members' &&
	       grep -qx sources-idmc.csv '$tmp/members'"
run_plain diff "$tmp/multi.pdf" "$D"
check "diff against the report's record: no change" \
	grep -q '^0 added, 0 removed, 0 changed' "$tmp/out"
before=$(cksum <"$tmp/multi.pdf")
sed -i 's/^acled-ksr1004,\(.*\),killed,civilian,5,/acled-ksr1004,\1,killed,civilian,6,/' "$D/casualties-acled.csv"
run_plain diff "$tmp/multi.pdf" "$D"
check "a changed imported row is found in its dataset" \
	sh -c "grep -q '^casualties-acled: 1 changed, 6 unchanged' '$tmp/out' &&
	       grep -q '^  ~ acled-ksr1004  value: \"5\" ' '$tmp/out'"
run_plain build -q --if-changed -o "$tmp/multi.pdf" "$tmp/multi.md"
check "a changed labelled dataset makes --if-changed rebuild" \
	test "$(cksum <"$tmp/multi.pdf")" != "$before"

echo "1..$n"
[ "$failed" -eq 0 ]
