#!/bin/sh
# figures.sh — the wording of figures where a layout shows them: key
# figures ("310,000+ people", format: compact, money), table `format:`,
# repeated words before a reference ("at {{...}}", "between {{range}}"),
# and a table too wide for the page (a positioned error, not broken
# numbers).
# TAP output; $BRIEF is the binary, $VG an optional valgrind prefix.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief
data=$ROOT/tests/charts/serrania
fence='```'

cat >"$tmp/kf.md" <<EOF
---
title: figures
data: $data
---

${fence}keyfigures
- ref: figures:f2024-returns
  label: returned
- ref: figures:f2024-pin
  label: in need
  format: compact
- ref: figures:f2024-appeal
  label: appeal
  format: compact
- ref: figures:f2024-appeal
  label: appeal in full
$fence

${fence}table
dataset: figures
columns: [measure, value]
format: compact
$fence
EOF
run_brief build --dump "$tmp/kf.md"
# Each box's number, its lines joined.
awk -F"'" '/kf-number/ { n = n (n == "" ? "" : " ") $2; next }
	n != "" { print n; n = "" }' "$tmp/out" >"$tmp/numbers"
for want in "310,000+ people" "about 3.8 million people" "US\$180 million" \
	"US\$180,000,000"; do
	if [ "$rc" -eq 0 ] && grep -qx "$want" "$tmp/numbers"; then
		ok "key figure reads '$want'"
	else
		not_ok "key figure reads '$want'"
		show "$tmp/numbers"
	fi
done
if grep -q "td .*'about 3.8 million people'" "$tmp/out" &&
	grep -q "td .*'US\$180 million'" "$tmp/out"; then
	ok "table format: compact words its figures"
else
	not_ok "table format: compact words its figures"
	grep "td " "$tmp/out" | sed 's/^/#   /'
fi

cat >"$tmp/bad-format.md" <<EOF
---
title: figures
data: $data
---

${fence}keyfigures
- ref: figures:f2024-pin
  label: in need
  format: short
$fence
EOF
run_brief check "$tmp/bad-format.md"
if [ "$rc" -eq 1 ] && grep -q "bad-format.md:9:11: error: key figure 'format' must be full or compact" "$tmp/err"; then
	ok "an unknown format is an error at its value"
else
	not_ok "an unknown format is an error at its value"
	show_run
fi

cat >"$tmp/twice.md" <<EOF
---
title: figures
data: $data
---

Held at {{displacement:d2019-north-mon}} people, displaced between
{{casualties:k2019-civ-mon}} civilians, about {{figures:f2024-pin}} in need.
EOF
run_brief check "$tmp/twice.md"
if grep -q "twice.md:6:9: warning: the figure already reads 'at least 17,000': 'at' is said twice" "$tmp/err"; then
	ok "warns about 'at' before 'at least ...'"
else
	not_ok "warns about 'at' before 'at least ...'"
	show_run
fi
if grep -q "twice.md:7:1: warning: the figure is a range ('12,000–15,000'): 'between 12,000–15,000' reads badly" "$tmp/err"; then
	ok "warns about 'between' before a range"
else
	not_ok "warns about 'between' before a range"
	show_run
fi
if grep -q "twice.md:7:47: warning: the figure already reads 'about 3,800,000 people': 'about' is said twice" "$tmp/err"; then
	ok "still warns about 'about' before 'about ...'"
else
	not_ok "still warns about 'about' before 'about ...'"
	show_run
fi

# A table whose numbers alone are wider than the page.
cols=value
i=1
while [ "$i" -lt 24 ]; do
	cols="$cols, value"
	i=$((i + 1))
done
cat >"$tmp/wide.md" <<EOF
---
title: wide
data: $data
---

${fence}table
dataset: displacement
columns: [$cols]
$fence
EOF
run_brief build -q -o "$tmp/wide.pdf" "$tmp/wide.md"
if [ "$rc" -eq 1 ] && grep -q "wide.md:6:1: error: table: its 24 columns do not fit" "$tmp/err" &&
	[ ! -e "$tmp/wide.pdf" ]; then
	ok "a table too wide even at 7 pt is a positioned error"
else
	not_ok "a table too wide even at 7 pt is a positioned error"
	show_run
fi
echo "1..$n"
[ "$failed" -eq 0 ]
