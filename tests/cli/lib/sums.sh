# sums.sh — totals computed by the tests themselves, independently of
# brief, and the check that a briefing's chart shows them (sourced by
# tests/cli/import.sh and tests/cli/multi.sh).

# csv_sum FILE SKIP KEYCOL VALCOL: "key<TAB>sum" per key over the records
# of a CSV file after SKIP lines, quotes and thousands separators handled
# (mawk has no FPAT, so fields are split by hand).
csv_sum() {
	awk -v skip="$2" -v kc="$3" -v vc="$4" -v fs="${5:-,}" '
	function split_csv(line, f,   n, i, c, q, cur) {
		n = 0; cur = ""; q = 0
		for (i = 1; i <= length(line); i++) {
			c = substr(line, i, 1)
			if (q) {
				if (c == "\"" && substr(line, i + 1, 1) == "\"") { cur = cur c; i++ }
				else if (c == "\"") q = 0
				else cur = cur c
			} else if (c == "\"") q = 1
			else if (c == fs) { f[++n] = cur; cur = "" }
			else cur = cur c
		}
		f[++n] = cur
		return n
	}
	NR > skip {
		split_csv($0, f)
		v = f[vc]; gsub(/[, ]/, "", v)
		if (v == "" || v + 0 <= 0) next
		if (!(f[kc] in s)) order[++k] = f[kc]
		s[f[kc]] += v
	}
	END { for (i = 1; i <= k; i++) printf "%s\t%d\n", order[i], s[order[i]] }
	' "$1"
}

# with_commas N: 1234567 -> 1,234,567 (as brief prints numbers)
with_commas() {
	echo "$1" | awk '{ n = $1; s = ""; while (length(n) > 3) { s = "," substr(n, length(n) - 2) s; n = substr(n, 1, length(n) - 3) } print n s }'
}

# chart_has PDF KEY NUMBER: a line of the PDF's text has the category and
# its total (horizontal bars print both on one line).
chart_has() {
	pdftotext -layout "$1" - 2>/dev/null | grep -qE "^ *$2 +[^0-9]*$(with_commas "$3")(\+|–[0-9,]+)?\$"
}
