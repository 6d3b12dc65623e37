#!/bin/sh
# diff.sh — `brief diff`: rows added, removed and changed per dataset,
# reworded figures, new and resolved contested quantities, in text and in
# JSON (checked with jq against docs/diff.md's schema); the inputs a build
# records beside its report, and diffs against them; bad arguments and
# broken records.
#
# TAP output; $BRIEF is the binary, $VG an optional valgrind prefix.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief
DATA=tests/layouts/data
EX=tests/layouts/example.md
# Records are unpacked under $TMPDIR: a private one shows what is left.
TMPDIR=$tmp/tmpdir
export TMPDIR
mkdir -p "$TMPDIR"

old=$tmp/old
new=$tmp/new
cp -R "$DATA" "$old"
cp -R "$DATA" "$new"
# casualties: cas-001 2906 -> 3012 (reworded), cas-004's note (changed,
# same figure), cas-003 gone (cas-001's contested claim is resolved), a
# second claim for cas-009's quantity (newly contested).
sed -e 's/^\(cas-001,.*,military,\)2906,/\13012,/' \
	-e 's/^\(cas-004,.*\),Fictional$/\1,"Fictional, revised"/' \
	-e '/^cas-003,/d' "$DATA/casualties.csv" >"$new/casualties.csv"
echo 'cas-011,2023 offensive,2023-09-19,2023-09-20,Northland,killed,all,150,,about,Relief Watch,src-ngo,about 150,Fictional' \
	>>"$new/casualties.csv"
sed 's/^\(fig-aid-share,.*,percent,\)nearly,/\1about,/' "$DATA/figures.csv" \
	>"$new/figures.csv"
echo 'src-new,A new report,New Monitor,unknown,2024-02-01,,2024-02-02,ngo,en,,Fictional' \
	>>"$new/sources.csv"

run_brief diff "$old" "$new"
expect_rc "diff of two data directories" 0
o=$tmp/out
has() {
	grep -q -F -- "$1" "$o"
}
check "sources: the added source" has "  + src-new  A new report (New Monitor)"
check "casualties: counts" has "casualties: 1 added, 1 removed, 2 changed, 7 unchanged"
check "an added row, with its quantity, figure and claimant" \
	has "+ cas-011  2023 offensive, Northland, killed, all, 19–20 September 2023: about 150 (Relief Watch)"
check "a removed row" has "- cas-003  2020 war, Northland, killed, military"
check "a changed row names the column, old and new" has '~ cas-001  value: "2906" → "3012"'
check "a changed note" has 'note: "Fictional" → "Fictional, revised"'
check "unchanged files say so" has "displacement: no change (3 rows)"
check "reworded figures: the value" has "casualties:cas-001  2,906 → 3,012"
check "reworded figures: the qualifier" has "figures:fig-aid-share  nearly 20% → about 20%"
if grep -q 'cas-004  ' "$o" && ! grep -q 'casualties:cas-004' "$o"; then
	ok "a note-only change is not a reworded figure"
else
	not_ok "a note-only change is not a reworded figure"
	show "$o"
fi
check "a new contested quantity, with both claims" \
	sh -c 'grep -q "new      casualties: 2023 offensive, Northland, killed, all, 19–20 September 2023" "$1" &&
		grep -q "cas-009: about 200 (Institute for Imaginary Studies) \[src-analysis\]" "$1" &&
		grep -q "cas-011: about 150 (Relief Watch) \[src-ngo\]" "$1"' sh "$o"
check "a resolved contested quantity" \
	has "resolved casualties: 2020 war, Northland, killed, military, 27 September – 10 November 2020"
check "the closing summary" \
	has "2 added, 1 removed, 3 changed; 2 figures reworded; 1 contested quantity new, 1 resolved"

run_plain diff -q "$old" "$new"
if [ "$rc" -eq 0 ] && [ "$(wc -l <"$tmp/out")" -eq 1 ] &&
	grep -q '^2 added, 1 removed' "$tmp/out"; then
	ok "-q prints the summary line only"
else
	not_ok "-q prints the summary line only"
	show_run
fi
run_plain diff "$old" "$old"
check "a directory against itself: nothing changed" \
	grep -q '^0 added, 0 removed, 0 changed; 0 figures reworded; 0 contested quantities new, 0 resolved' "$tmp/out"
# The other way round, new and resolved swap.
run_plain diff "$new" "$old"
check "reversed: what was new is resolved" \
	grep -q 'resolved casualties: 2023 offensive' "$tmp/out"

# ---- JSON ----
if command -v jq >/dev/null 2>&1; then
	run_brief diff --json "$old" "$new"
	j=$tmp/out
	cp "$j" "$tmp/d.json"
	jqok() {
		jq -e "$1" "$tmp/d.json" >/dev/null 2>&1
	}
	check "--json is valid JSON, format brief-diff version 1" \
		jqok '.format == "brief-diff" and .version == 1'
	check "JSON: six files in order" \
		jqok '[.files[].name] == ["sources","casualties","displacement","control","figures","events"]'
	check "JSON: counts per file" \
		jqok '.files[1].counts == {"added":1,"removed":1,"changed":2,"unchanged":7}'
	check "JSON: an added row has id, line, summary, figure and fields" \
		jqok '.files[1].added[0] | .id == "cas-011" and .figure == "about 150" and .fields.reported_by == "Relief Watch" and (.line | type) == "number"'
	check "JSON: a changed row lists its columns" \
		jqok '.files[1].changed[] | select(.id == "cas-001") | .columns == [{"column":"value","old":"2906","new":"3012"}] and .old_figure == "2,906" and .new_figure == "3,012"'
	check "JSON: reworded figures" \
		jqok '[.figures[] | .file + ":" + .id] == ["casualties:cas-001","figures:fig-aid-share"]'
	check "JSON: contested new and resolved, claims in data order" \
		jqok '(.contested.new[0].claims | map(.id)) == ["cas-009","cas-011"] and (.contested.resolved[0].claims | map(.id)) == ["cas-001","cas-003"]'
	check "JSON: summary" \
		jqok '.summary == {"added":2,"removed":1,"changed":3,"unchanged":29,"figures":2,"contested_new":1,"contested_resolved":1}'
	check "JSON: sides" \
		jqok '.old.kind == "directory" and .new.data != null'
else
	skip "JSON: jq is not installed"
fi

# ---- the inputs recorded beside a report ----
mkdir -p "$tmp/proj/layouts" "$tmp/proj/reports"
cp -R "$DATA" "$tmp/proj/data"
sed 's/^data: data$/data: ..\/data/' "$EX" >"$tmp/proj/layouts/ex.md"
(cd "$tmp/proj" && $VG "$BRIEF" build -q layouts/ex.md) >"$tmp/out" 2>"$tmp/err"
rc=$?
rec=$tmp/proj/reports/ex.inputs.tar.gz
check "build records the inputs beside the report (reports/ex.inputs.tar.gz)" \
	test "$rc" -eq 0 -a -s "$rec"
if command -v tar >/dev/null 2>&1; then
	tar -tzf "$rec" >"$tmp/list" 2>&1
	check "the record is a tar.gz of the six datasets, then manifest.json" \
		test "$(tr '\n' ' ' <"$tmp/list")" = "sources.csv casualties.csv displacement.csv control.csv figures.csv events.csv manifest.json "
	mkdir -p "$tmp/unpacked"
	tar -xzf "$rec" -C "$tmp/unpacked"
	check "tar -x gives back the CSV files as they were" \
		cmp -s "$tmp/unpacked/casualties.csv" "$DATA/casualties.csv"
	if command -v jq >/dev/null 2>&1; then
		jq -e '.format == "brief-inputs" and .version == 1 and (.brief | startswith("brief ")) and (.layout | endswith("/layouts/ex.md")) and (.data | endswith("/data")) and (.input_hash | length) == 32 and (.files | length) == 6' \
			"$tmp/unpacked/manifest.json" >/dev/null 2>&1
		check "the manifest names brief, the layout, the data and the report's hash" \
			test $? -eq 0
	fi
else
	skip "record contents: tar is not installed"
fi
cp "$rec" "$tmp/rec1"
sleep 1
(cd "$tmp/proj" && "$BRIEF" build -q layouts/ex.md) >/dev/null 2>&1
check "the same inputs record byte-identical archives" cmp -s "$rec" "$tmp/rec1"
(cd "$tmp/proj" && "$BRIEF" build -q -o /dev/null layouts/ex.md) >/dev/null 2>&1
check "a report to a device gets no record (and no /dev/null.inputs.tar.gz)" \
	test ! -e /dev/null.inputs.tar.gz
# A record that cannot be written (its path is a directory): the report
# stands, one warning says why (the start beside the scan fails silently
# and the one after the report says so).
mkdir "$tmp/proj/reports/nodir.inputs.tar.gz"
(cd "$tmp/proj" && $VG "$BRIEF" build -q -o reports/nodir.pdf layouts/ex.md) >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && [ -s "$tmp/proj/reports/nodir.pdf" ] &&
	[ "$(grep -c 'nodir.inputs.tar.gz.*warning: \|warning: .*nodir.inputs.tar.gz' "$tmp/err")" -eq 1 ] &&
	[ "$(wc -l <"$tmp/err")" -eq 1 ]; then
	ok "a record that cannot be written: the report stands, one warning (exit 0)"
else
	not_ok "a record that cannot be written: the report stands, one warning (exit $rc)"
	show "$tmp/err"
fi

cp "$new/casualties.csv" "$tmp/proj/data/casualties.csv"
(cd "$tmp/proj" && $VG "$BRIEF" diff reports/ex.pdf) >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q 'casualties: 1 added, 1 removed, 2 changed' "$tmp/out" &&
	grep -q '^old: reports/ex.pdf (inputs recorded by brief' "$tmp/out"; then
	ok "diff REPORT: the data it was built from against the data now"
else
	not_ok "diff REPORT: the data it was built from against the data now"
	show_run
fi
(cd "$tmp/proj" && "$BRIEF" diff reports/ex.pdf "$old") >"$tmp/out" 2>&1
check "diff REPORT DIR: nothing changed against the same data" \
	grep -q '^0 added, 0 removed, 0 changed' "$tmp/out"
(cd "$tmp/proj" && "$BRIEF" diff reports/ex.inputs.tar.gz layouts/ex.md) >"$tmp/out" 2>&1
check "diff RECORD LAYOUT: the layout's data directory" \
	grep -q 'casualties: 1 added, 1 removed, 2 changed' "$tmp/out"
check "no unpacked record is left behind" test -z "$(ls -A "$TMPDIR")"

# A report rebuilt without its record: the record is another build's.
cp "$rec" "$tmp/rec-old"
(cd "$tmp/proj" && "$BRIEF" build -q layouts/ex.md) >/dev/null 2>&1
cp "$tmp/rec-old" "$rec"
run_plain diff "$tmp/proj/reports/ex.pdf"
if [ "$rc" -eq 1 ] && grep -q 'another build' "$tmp/err"; then
	ok "a record that is not the report's is refused (exit 1)"
else
	not_ok "a record that is not the report's is refused (exit 1)"
	show_run
fi
rm "$rec"
run_plain diff "$tmp/proj/reports/ex.pdf" "$old"
if [ "$rc" -eq 1 ] && grep -q 'no inputs are recorded' "$tmp/err"; then
	ok "a report without a record: exit 1, says so"
else
	not_ok "a report without a record: exit 1, says so"
	show_run
fi
head -c 300 "$tmp/rec1" >"$tmp/cut.inputs.tar.gz"
run_brief diff "$tmp/cut.inputs.tar.gz" "$old"
if [ "$rc" -eq 1 ] && grep -q 'not a brief inputs record' "$tmp/err"; then
	ok "a truncated record: exit 1, not a crash"
else
	not_ok "a truncated record: exit 1, not a crash"
	show_run
fi
printf 'hello' | gzip >"$tmp/hello.inputs.tar.gz"
run_brief diff "$tmp/hello.inputs.tar.gz" "$old"
expect_rc "something else called .inputs.tar.gz: exit 1" 1

# Invalid data on a side: positioned errors, exit 1, no output.
cp -R "$DATA" "$tmp/bad"
echo 'cas-099,2020 war,2020-13-01,,Northland,killed,all,5,,exact,X,src-ngo,,' >>"$tmp/bad/casualties.csv"
run_brief diff "$old" "$tmp/bad"
if [ "$rc" -eq 1 ] && grep -q "$tmp/bad/casualties.csv:12:" "$tmp/err" &&
	[ ! -s "$tmp/out" ]; then
	ok "invalid rows on a side: file:line errors, exit 1, nothing on stdout"
else
	not_ok "invalid rows on a side: file:line errors, exit 1, nothing on stdout"
	show_run
fi

# A file only one side has.
cp -R "$DATA" "$tmp/nocontrol"
rm "$tmp/nocontrol/control.csv"
run_plain diff "$old" "$tmp/nocontrol"
check "a file only OLD has: its rows are removed" \
	grep -q '^control: 4 removed, 0 unchanged (file removed)' "$tmp/out"

# ---- a larger file: gen-casualties ----
tools/gen-casualties.sh 20000 "$tmp/g1" >/dev/null 2>&1
cp -R "$tmp/g1" "$tmp/g2"
awk 'NR == 100 { sub(/,exact,/, ",about,") } NR == 5000 { next } { print }' \
	"$tmp/g1/casualties.csv" >"$tmp/g2/casualties.csv"
run_plain diff -q "$tmp/g1" "$tmp/g2"
check "20,000 generated rows: one removed, one reworded" \
	grep -q '^0 added, 1 removed, 1 changed; 1 figure reworded' "$tmp/out"

# ---- usage ----
run_brief diff
expect_rc "diff without arguments is a usage error" 2
run_brief diff a b c
expect_rc "diff with three arguments is a usage error" 2
run_brief diff "$old"
expect_rc "diff DIR alone is a usage error (only a report can stand alone)" 2
run_brief diff "$old" "$tmp/nothing-here"
expect_rc "a side that does not exist: exit 1" 1
run_brief diff "$old" "$ROOT/Makefile"
expect_rc "a side that is none of the four kinds: exit 1" 1
run_brief diff --help
check "diff --help" grep -q '^usage: brief diff' "$tmp/out"

finish
