#!/bin/sh
# pipe_tables.sh — GitHub-style pipe tables in a layout's prose (cmark-gfm's
# table extension) typeset as tables: header, cells with citations and
# figure references resolved, alignment from the delimiter row or from
# the figures, the uncited-number warning per row, the size caps. Output
# is TAP.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief

cat >"$tmp/t.md" <<EOF
---
title: Pipe tables
data: $ROOT/datasets
---

Displacement by province, as reported:

| Province | Displaced | Source |
|----------|-----------|:------:|
| North *Vell* | 12,400 | [@fr-news-2023-09-20] |
| South Vell | about 3,000 | {{casualties:sep2023-landmine-az-killed-azgov}} |
| East \\| coast | 500 | none |

After the table.

- In a list:

  | a | b |
  |---|--:|
  | x | y |
EOF

run_brief build --dump "$tmp/t.md"
if [ "$rc" -eq 0 ] && grep -q "^  line th .* 'Province'\$" "$tmp/out" &&
	grep -q "^  line td .* 'North Vell'\$" "$tmp/out" &&
	grep -q "^  line td .* 'East | coast'\$" "$tmp/out" &&
	grep -q "^  line td .* '11 \\[1\\]'\$" "$tmp/out" &&
	grep -q "^  line td .* '\\[1\\]'\$" "$tmp/out" &&
	! grep "^  line" "$tmp/out" | grep -q '|---'; then
	ok "a pipe table is a table: header, cells, citation and figure reference resolved"
else
	not_ok "a pipe table is a table: header, cells, citation and figure reference resolved"
	show_run
fi

# Figures are right-aligned: their right edges line up; a column marked
# :---: (centre) is left-aligned like text, ---: is right.
x_end() {
	grep "^  line td .* '$1'\$" "$tmp/out" |
		sed -n 's/^.* x=\([0-9.]*\) y=[0-9.]* w=\([0-9.]*\) .*$/\1 \2/p' |
		awk '{printf "%.1f\n", $1 + $2}'
}
x_start() {
	grep "^  line td .* '$1'\$" "$tmp/out" | sed -n 's/^.* x=\([0-9.]*\) .*$/\1/p'
}
a=$(x_end '12,400')
b=$(x_end 'about 3,000')
c=$(x_end '500')
if [ -n "$a" ] && [ "$a" = "$b" ] && [ "$b" = "$c" ] &&
	[ "$(x_start 'none')" = "$(x_start '\[1\]')" ]; then
	ok "figures right-aligned, other columns left"
else
	not_ok "figures right-aligned, other columns left ($a $b $c)"
fi
check "a table in a list item, with ---: right-aligned" grep -q "^  line td .* 'y'\$" "$tmp/out"

# brief check: the uncited number of the last row, and only that one.
run_brief check "$tmp/t.md"
if [ "$rc" -eq 0 ] && [ "$(grep -c 'warning: uncited number' "$tmp/err")" -eq 1 ] &&
	grep -q "t.md:12:[0-9]*: warning: uncited number '500'" "$tmp/err"; then
	ok "each row's numbers need a citation in the row"
else
	not_ok "each row's numbers need a citation in the row"
	show_run
fi

# The PDF: no pipes or delimiter rows in the text.
run_brief build -o "$tmp/t.pdf" "$tmp/t.md"
pdftotext -layout "$tmp/t.pdf" "$tmp/t.txt" 2>/dev/null
if [ "$rc" -eq 0 ] && ! grep -q -- '---' "$tmp/t.txt" &&
	! grep -q '| *Displaced' "$tmp/t.txt" && grep -q 'East | coast' "$tmp/t.txt"; then
	ok "the PDF shows a table, not the Markdown"
else
	not_ok "the PDF shows a table, not the Markdown"
	show "$tmp/t.txt"
fi

# A bad reference in a cell is an error at its place, as in a paragraph.
sed 's/{{casualties:sep2023-landmine-az-killed-azgov}}/{{casualties:no-such-row}}/' "$tmp/t.md" >"$tmp/bad.md"
run_brief check "$tmp/bad.md"
check "an unknown row in a cell: error at the cell" grep -q "bad.md:11:30: error: unknown row id 'no-such-row' in casualties" "$tmp/err"

# Caps: 25 columns is one too many.
{
	printf -- '---\ntitle: Wide\ndata: %s/datasets\n---\n\n' "$ROOT"
	for i in $(seq 25); do printf '| c%d ' "$i"; done
	echo '|'
	for i in $(seq 25); do printf '|---'; done
	echo '|'
	for i in $(seq 25); do printf '| %d ' "$i"; done
	echo '|'
} >"$tmp/wide.md"
run_brief check "$tmp/wide.md"
check "a pipe table of 25 columns: refused at its place" grep -q "wide.md:6:1: error: a table may have at most 24 columns" "$tmp/err"

finish
