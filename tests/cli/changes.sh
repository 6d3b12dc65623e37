#!/bin/sh
# changes.sh — the `changes` layout block over two editions built in
# sequence: the first says it is the first; the second lists what changed
# since the record the first left beside its report (revised, new and
# withdrawn figures, new events, contested quantities new and resolved),
# each cited; rebuilding with --if-changed does not loop; `since:`, -o,
# `max:`, a broken record and bad options. Output is TAP.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief

p=$tmp/p
mkdir -p "$p"
cp -r datasets "$p/data"
cat >"$p/sitrep.md" <<'EOF'
---
title: Karabakh weekly
data: data
number: 1
---

## Summary

The week in brief.

```changes
```
EOF

# build [ARGS...]: brief build in the project.
build() {
	(cd "$p" && $VG "$BRIEF" build "$@" >"$tmp/out" 2>"$tmp/err")
	rc=$?
}
text() {
	pdftotext "$p/$1" "$tmp/text" 2>/dev/null
	# a word hyphenated at a line end (U+00AD and the line break) joins up
	sed -e ":a" -e "/\xC2\xAD\$/{N;s/\xC2\xAD\\n//;ba}" "$tmp/text" | tr '\n' ' ' | tr -s ' ' >"$tmp/flat"
}

# Edition 1: no record yet.
(cd "$p" && $VG "$BRIEF" check sitrep.md >"$tmp/out" 2>"$tmp/err")
check "check: the first edition passes without warnings" grep -q 'ok (0 warnings)' "$tmp/out"
build sitrep.md
text reports/sitrep.pdf
if [ "$rc" -eq 0 ] && grep -q 'Changes since the last edition This is the first edition: there is no earlier one to compare with.' "$tmp/flat" &&
	[ -f "$p/reports/sitrep.inputs.tar.gz" ]; then
	ok "edition 1 says it is the first, and leaves a record"
else
	not_ok "edition 1 says it is the first, and leaves a record"
	show_run
	show "$tmp/text"
fi

# Edition 2: a figure revised, a row added, one withdrawn, an event, and
# a second claim for a quantity that was not contested.
sed -i -e 's/^\(fkw-maragha-civ-killed-hist,First Karabakh War,1992,,Nagorno-Karabakh Armenians,killed,civilian,\)100,/\1150,/' \
	-e '/^w2020-arm-killed-hist,/d' "$p/data/casualties.csv"
cat >>"$p/data/casualties.csv" <<'EOF'
w2020-arm-captured-verberckt,2020 war,2020-09-27,2020-11-09,Armenian side,captured,military,150,,about,David Verberckt,verberckt-2020,,
EOF
echo '2023-09-25-talks,2023-09-25,political,Talks resume in Brussels,fr-news-2023-09-20' >>"$p/data/events.csv"
sed -i 's/^number: 1$/number: 2/' "$p/sitrep.md"
(cd "$p" && $VG "$BRIEF" check sitrep.md >"$tmp/out" 2>"$tmp/err")
check "check: edition 2 passes" grep -q 'ok (0 warnings)' "$tmp/out"
# brief diff makes the same comparison.
(cd "$p" && "$BRIEF" diff -q reports/sitrep.pdf >"$tmp/out" 2>"$tmp/err")
check "brief diff counts the same changes" grep -q '^2 added, 1 removed, 1 changed; 1 figure reworded; 1 contested quantity new, 1 resolved$' "$tmp/out"
build sitrep.md
text reports/sitrep.pdf
want_revised='Revised: First Karabakh War, Nagorno-Karabakh Armenians, killed, civilian, 1992: more than 150 (Armenian advocacy website), up from more than 100 [2]'
if [ "$rc" -eq 0 ] &&
	grep -qF 'Since the last edition (data as of September 2023): 2 rows added, 1 withdrawn and 1 revised.' "$tmp/flat" &&
	grep -qF "$want_revised" "$tmp/flat" &&
	grep -qF 'New: 2020 war, Armenian side, captured, military, 27 September – 9 November 2020: about 150 (David Verberckt) [1]' "$tmp/flat" &&
	grep -qF 'Withdrawn: 2020 war, Armenian side, killed, all, 27 September – 9 November 2020: nearly 5,000 (Armenian advocacy website) [2]' "$tmp/flat" &&
	grep -qF 'New event: 25 September 2023: Talks resume in Brussels [3]' "$tmp/flat" &&
	grep -qF 'No longer contested: 2020 war, Armenian side, killed, all' "$tmp/flat" &&
	grep -qF 'Now contested: 2020 war, Armenian side, captured, military, 27 September – 9 November 2020: more than 200 according to Armenian advocacy website [2]; about 150 according to David Verberckt [1]' "$tmp/flat"; then
	ok "edition 2 lists what changed since edition 1, each figure cited"
else
	not_ok "edition 2 lists what changed since edition 1, each figure cited"
	show_run
	show "$tmp/text"
fi
# The citations are the bibliography's.
check "the cited sources are in the bibliography" grep -qF 'Sources [1] David Verberckt. Untitled. David Verberckt (davidverberckt.com). [2] A brief history of the Nagorno-Karabakh conflict.' "$tmp/flat"
build sitrep.md --if-changed
if [ "$rc" -eq 0 ] && grep -q 'is up to date' "$tmp/out"; then
	ok "--if-changed: unchanged inputs are up to date (the record is not an input)"
else
	not_ok "--if-changed: unchanged inputs are up to date (the record is not an input)"
	show_run
fi
# A rebuild replaces the record: the same data since then.
build sitrep.md
text reports/sitrep.pdf
check "a rebuild with the same data: no data changed" grep -qF 'No data changed since the last edition (data as of September 2023).' "$tmp/flat"

# since: a data directory, relative to the layout.
cp -r datasets "$p/baseline"
cat >"$p/since.md" <<'EOF'
---
title: Since a baseline
data: data
---

```changes
title: What changed since the baseline
since: baseline
max: 2
```
EOF
build since.md
text reports/since.pdf
if [ "$rc" -eq 0 ] && grep -qF 'What changed since the baseline Since the last edition' "$tmp/flat" &&
	grep -qF 'And 4 more (brief diff lists every change).' "$tmp/flat" &&
	[ "$(grep -c '^•' "$tmp/text")" -eq 2 ]; then
	ok "since: a data directory; max: 2 lists two and counts the rest"
else
	not_ok "since: a data directory; max: 2 lists two and counts the rest"
	show_run
	show "$tmp/text"
fi

# since: a report that does not exist is an error at its place.
sed -i 's/^since: baseline$/since: reports\/nothing.pdf/' "$p/since.md"
(cd "$p" && $VG "$BRIEF" check since.md >"$tmp/out" 2>"$tmp/err")
rc=$?
check "since: a missing record is an error at its place" \
	grep -q "^since.md:8:8: error: changes: no record 'reports/nothing.inputs.tar.gz' to compare with" "$tmp/err"

# -o: the record beside that report.
build -o "$p/other.pdf" sitrep.md
text other.pdf
check "-o elsewhere: the first edition there" grep -qF 'This is the first edition' "$tmp/flat"

# A broken record: a warning, and a sentence instead of the list; the
# build still succeeds (the next one writes a good record).
echo 'not a record' >"$p/reports/sitrep.inputs.tar.gz"
build sitrep.md
text reports/sitrep.pdf
if [ "$rc" -eq 0 ] && grep -q 'sitrep.md:11:1: warning: changes: the record reports/sitrep.inputs.tar.gz' "$tmp/err" &&
	grep -qF 'The changes since the last edition cannot be listed: its record of the data could not be read.' "$tmp/flat"; then
	ok "a broken record: warning and a sentence, the build succeeds"
else
	not_ok "a broken record: warning and a sentence, the build succeeds"
	show_run
fi
build sitrep.md
text reports/sitrep.pdf
check "the next build compares again" grep -qF 'No data changed since the last edition' "$tmp/flat"

# Bad options, each at its place.
printf -- '---\ntitle: T\ndata: data\n---\n\n```changes\nmax: lots\n```\n' >"$p/bad.md"
(cd "$p" && "$BRIEF" check bad.md >"$tmp/out" 2>"$tmp/err")
check "max: not a number" grep -q "^bad.md:7:6: error: changes 'max' is how many changes to list, 1 to 200, not 'lots'" "$tmp/err"
printf -- '---\ntitle: T\ndata: data\n---\n\n```changes\nsinse: x\n```\n' >"$p/bad.md"
(cd "$p" && "$BRIEF" check bad.md >"$tmp/out" 2>"$tmp/err")
check "an unknown key" grep -q "^bad.md:7:1: error: unknown changes key 'sinse' (title, since, max)" "$tmp/err"

finish
