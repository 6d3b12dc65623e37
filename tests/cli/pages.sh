#!/bin/sh
# pages.sh — pages that fill and words that never print over each other,
# on the default briefing, the fictional Upper Vell briefing
# (tests/charts/serrania.md), the chart corpus (tests/charts/corpus.md) and
# the two fictional conflicts (tests/conflicts/*):
#  - no page before the end of a section is more than 20 % empty (from the
#    layout dump: the lowest mark on each page against the text area; a
#    page may end early only where the next one starts with a heading);
#  - no two words overlap (word boxes from `pdftotext -bbox`);
#  - a table's source line never starts a page alone.
# TAP output; $BRIEF is the binary, $VG an optional valgrind prefix.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

if ! command -v pdftotext >/dev/null 2>&1; then
	skip "pdftotext (poppler-utils) is not installed"
	exit 0
fi

# The pages of a dump more than 20 % empty that do not end a section.
empty_pages() {
	awk '
	function done_page() {
		if (page > 0) { bottom_of[page] = low; head_of[page] = starts }
	}
	/^page / {
		done_page()
		page++; split($5, wh, "x"); top = 56; bot = wh[2] - 56
		low = top; starts = -1; next
	}
	{
		kind = $1; tag = $2
		if (tag == "header" || tag == "footer") next
		y = 0; h = 0; sz = 0
		for (i = 2; i <= NF; i++) {
			if ($i ~ /^y=/) y = substr($i, 3) + 0
			if ($i ~ /^h=/) h = substr($i, 3) + 0
			if ($i ~ /^size=/) sz = substr($i, 6) + 0
		}
		if (y < top - 1 || y > bot + 1) next
		if (starts < 0 && kind != "link" && kind != "anchor")
			starts = (kind == "outline" || tag ~ /^h[123]$/) ? 1 : 0
		e = kind == "line" ? y + sz * 0.3 : y + h
		if (e > low) low = e
	}
	END {
		done_page()
		for (p = 1; p < page; p++) {
			empty = 1 - (bottom_of[p] - top) / (bot - top)
			if (empty > 0.20 && head_of[p + 1] != 1)
				printf "page %d is %.0f%% empty\n", p, empty * 100
		}
	}' "$1"
}

# Pairs of words whose boxes overlap, from pdftotext -bbox.
overlaps() {
	awk '
	function flush(   i, j, ix, iy, hmin) {
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++) {
				ix = (x1[i] < x1[j] ? x1[i] : x1[j]) - (x0[i] > x0[j] ? x0[i] : x0[j])
				iy = (y1[i] < y1[j] ? y1[i] : y1[j]) - (y0[i] > y0[j] ? y0[i] : y0[j])
				hmin = y1[i] - y0[i] < y1[j] - y0[j] ? y1[i] - y0[i] : y1[j] - y0[j]
				if (ix > 1 && iy > 0.3 * hmin)
					printf "page %d: %s over %s\n", page, w[i], w[j]
			}
		n = 0
	}
	function attr(name,   v) {
		match($0, name "=\"[^\"]*\"")
		return substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 3) + 0
	}
	/<page / { flush(); page++ }
	/<word / {
		x0[n] = attr("xMin"); y0[n] = attr("yMin")
		x1[n] = attr("xMax"); y1[n] = attr("yMax")
		t = $0; sub(/^.*">/, "", t); sub(/<\/word>.*$/, "", t); w[n++] = t
	}
	END { flush() }' "$1"
}

# A table note ("Sources: ...") as the first text of a page.
lonely_notes() {
	awk '/^page /{ first = 1; next }
	     /^  line (header|footer) /{ next }
	     /^  line / { if (first && $2 == "note") print "page starts with a table source line"; first = 0 }
	     /^  (rect|chart) / { first = 0 }' "$1"
}

for layout in layouts/karabakh.md tests/charts/serrania.md tests/charts/corpus.md \
	tests/conflicts/ozerna/briefing.md tests/conflicts/kassoume/briefing.md; do
	name=$(basename "$layout" .md)
	[ "$name" = briefing ] && name=$(basename "$(dirname "$layout")")
	run_brief build -q -o "$tmp/$name.pdf" "$layout"
	if [ "$rc" -ne 0 ]; then
		not_ok "$name: builds"
		show_run
		continue
	fi
	run_plain build --dump "$layout"
	cp "$tmp/out" "$tmp/$name.dump"
	empty_pages "$tmp/$name.dump" >"$tmp/empty"
	if [ -s "$tmp/empty" ]; then
		not_ok "$name: no page before a section's end is more than 20% empty"
		show "$tmp/empty"
	else
		ok "$name: no page before a section's end is more than 20% empty"
	fi
	lonely_notes "$tmp/$name.dump" >"$tmp/notes"
	if [ -s "$tmp/notes" ]; then
		not_ok "$name: no table source line alone at the top of a page"
		show "$tmp/notes"
	else
		ok "$name: no table source line alone at the top of a page"
	fi
	pdftotext -bbox "$tmp/$name.pdf" "$tmp/$name.html"
	words=$(grep -c '<word ' "$tmp/$name.html")
	overlaps "$tmp/$name.html" >"$tmp/over"
	if [ "$words" -gt 100 ] && [ ! -s "$tmp/over" ]; then
		ok "$name: none of its $words words prints over another"
	else
		not_ok "$name: no word prints over another ($words words)"
		show "$tmp/over"
	fi
done

# A timeline of 150 events, taller than two pages: it splits into parts
# of at least three rows, each with its frame, every event drawn once and
# in order, none squeezed over another.
mkdir -p "$tmp/long/data"
cp tests/conflicts/kassoume/data/*.csv tests/conflicts/kassoume/data/*.yaml "$tmp/long/data/" 2>/dev/null
{
	head -n 2 tests/conflicts/kassoume/data/events.csv
	i=0
	while [ $i -lt 150 ]; do
		y=$((1900 + i / 3)); m=$((i % 3 * 4 + 1))
		printf 'ev-%03d,%d-%02d,attaque,Event number %03d,pap-2023\n' $i $y $m $i
		i=$((i + 1))
	done
} >"$tmp/long/data/events.csv"
printf -- '---\ntitle: Long timeline\nas_of: 2022-12-31\ndata: data\n---\n# Events\n\nThe record [@pap-2023].\n\n```timeline\ntitle: Every event\n```\n\n# After\n\nText after the timeline [@pap-2023].\n' >"$tmp/long/long.md"
run_brief build -q -o "$tmp/long.pdf" "$tmp/long/long.md"
if [ "$rc" -eq 0 ]; then
	run_plain build --dump "$tmp/long/long.md"
	parts=$(grep -c '^  chart .* timeline rows=' "$tmp/out")
	short=$(sed -n 's/^  chart .* rows=\([0-9]*\)-\([0-9]*\)$/\1 \2/p' "$tmp/out" |
		awk '$2 - $1 < 3' | wc -l)
	pdftotext "$tmp/long.pdf" - | sed -n 's/^Event number \([0-9]*\)$/\1/p' >"$tmp/long.order"
	pdftotext -bbox "$tmp/long.pdf" "$tmp/long.html"
	overlaps "$tmp/long.html" >"$tmp/long.over"
	if [ "$parts" -ge 3 ] && [ "$short" -eq 0 ] &&
		[ "$(wc -l <"$tmp/long.order")" -eq 150 ] &&
		sort -c "$tmp/long.order" 2>/dev/null &&
		[ "$(grep -c '>(continued)<' "$tmp/long.html")" -eq $((parts - 1)) ] &&
		[ ! -s "$tmp/long.over" ]; then
		ok "a 150-event timeline splits into $parts parts of 3 or more rows, every event once, in order, none overprinted"
	else
		not_ok "a 150-event timeline splits into parts of 3 or more rows, every event once, in order ($parts parts, $short short)"
		head -n 5 "$tmp/long.over" | sed 's/^/#   /'
	fi
else
	not_ok "a 150-event timeline builds"
	show_run
fi

# Two charts that do not both fit the rest of a page at full height, with
# no text after them to move up: the first gives up some of its height
# (never below 75 %) so that they share the page, instead of the second
# leaving a quarter of it empty.
mkdir -p "$tmp/two"
cp -r tests/conflicts/kassoume/data "$tmp/two/"
{
	printf -- '---\ntitle: Two charts\nas_of: 2022-12-31\ndata: data\n---\n# Casualties\n\n'
	i=0
	while [ $i -lt 16 ]; do
		printf 'Filler text about the fighting and its toll on the cercle. '
		i=$((i + 1))
	done
	printf '[@pap-2023]\n\n'
	for id in first second; do
		printf '```chart\nid: %s\ntype: bar\ndataset: casualties\nfilter: {reported_by: BRCH}\nx: event\ngroup: category\nheight: 300\ntitle: The %s chart\n```\n\n' $id $id
	done
	printf '# Next section\n\nText [@pap-2023].\n'
} >"$tmp/two/two.md"
run_plain build --dump "$tmp/two/two.md"
shared=$(awk '/^page /{ p++ } /^  chart / { for (i = 2; i <= NF; i++) if ($i ~ /^h=/) h = substr($i, 3) + 0;
	if (p == 1 && h >= 225 - 0.01 && h <= 300 + 0.01) n++ } END { print n + 0 }' "$tmp/out")
check "two charts too tall for the rest of a page share it, each at 75 % of its height or more" \
	test "$shared" -eq 2

# The checks themselves catch what they look for: two claims drawn in one
# slot (as brief 0.1 did) overlap, and a page ending at 60 % mid-section
# is reported.
cat >"$tmp/bad.html" <<'HTML'
<page width="595" height="842">
<word xMin="173.0" yMin="178.0" xMax="200.0" yMax="187.5">21,000</word>
<word xMin="185.9" yMin="184.1" xMax="220.0" yMax="193.6">&gt;30,000</word>
</page>
HTML
check "the overlap check sees two labels printed over each other" \
	test "$(overlaps "$tmp/bad.html" | wc -l)" -eq 1
printf 'page 1 of 2 595.28x841.89\n  line para x=56 y=400 w=400 size=10 %s\npage 2 of 2 595.28x841.89\n  line para x=56 y=70 w=400 size=10 %s\n' "'a'" "'b'" >"$tmp/bad.dump"
check "the emptiness check sees a half-empty page mid-section" \
	test "$(empty_pages "$tmp/bad.dump" | wc -l)" -eq 1
echo "1..$n"
[ "$failed" -eq 0 ]
