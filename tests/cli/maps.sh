#!/bin/sh
# maps.sh — maps end to end: the fixture briefing (tests/maps/orvania.md)
# builds with its warnings, its maps are vector in the PDF (paths, no
# images), carry their legend, sources, boundary source and disclaimer,
# export to PNG and SVG, and a changed boundary file rebuilds with
# --if-changed; the default briefing has its locator map; every
# tests/maps/bad/*.md fails, in build and in check, with exactly the
# errors in its .expected file.
#
# TAP output; $BRIEF is the binary, $VG an optional valgrind prefix.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief
ORV=tests/maps/orvania.md

# The diagnostics of the last run, without quotes and carets.
diags() {
	grep -E ': (error|warning): ' "$tmp/err"
}

run_brief build -o "$tmp/orv.pdf" "$ORV"
expect_rc "the fixture briefing with maps builds" 0
diags >"$tmp/got"
cat >"$tmp/want" <<'WANT'
tests/maps/data/events.csv:10:72: warning: map 'orvania-events': the point at 38.72, -9.14 lies outside the map; not drawn
tests/maps/data/events.csv:11:80: warning: map 'orvania-events': row has no coordinates (latitude, longitude); not drawn
WANT
if cmp -s "$tmp/got" "$tmp/want"; then
	ok "points without coordinates or outside the map are warned about at their rows"
else
	not_ok "points without coordinates or outside the map are warned about at their rows"
	show "$tmp/got"
fi

# Vector: no image XObject, and the outlines are paths.
if command -v pdfimages >/dev/null && command -v qpdf >/dev/null; then
	images=$(pdfimages -list "$tmp/orv.pdf" 2>/dev/null | tail -n +3 | wc -l)
	check "the maps are no images in the PDF ($images images)" test "$images" -eq 0
	qpdf --qdf --object-streams=disable "$tmp/orv.pdf" "$tmp/qdf.pdf" 2>/dev/null
	lines=$(grep -a -c ' l$' "$tmp/qdf.pdf")
	fills=$(grep -a -c '^f\*$' "$tmp/qdf.pdf")
	check "the maps are vector paths ($lines line segments, $fills even-odd fills)" \
		test "$lines" -gt 1500 -a "$fills" -gt 10
else
	skip "pdfimages or qpdf missing: vector check"
	skip "pdfimages or qpdf missing: vector check"
fi

pdftotext "$tmp/orv.pdf" "$tmp/orv.txt" 2>/dev/null
for want in "Claimed by Coastal Front and Government" \
	"Disputed, held by Coastal Front" \
	"Lumenburg / Люменск" \
	"Boundaries: Orvania test boundaries (invented for brief)." \
	"Figures differ by source for Tessal (more than 30,000 per Coastal" \
	"do not imply endorsement or acceptance" \
	"10,000 or more" "1,000–4,999" "No data"; do
	if grep -q -F "$want" "$tmp/orv.txt"; then
		ok "the PDF says: $want"
	else
		not_ok "the PDF says: $want"
	fi
done

# Exports: every map as PNG and SVG.
run_plain build -q --charts "$tmp/charts" -o "$tmp/orv2.pdf" "$ORV"
for id in orvania-displacement orvania-events orvania-control; do
	png="$tmp/charts/$id.png"
	svg="$tmp/charts/$id.svg"
	if [ -s "$png" ] && [ "$(head -c 8 "$png" | od -An -c | tr -d ' \n')" = '211PNG\r\n032\n' ] &&
		[ "$(wc -c <"$png")" -gt 20000 ]; then
		ok "$id exported as PNG"
	else
		not_ok "$id exported as PNG"
	fi
	if [ -s "$svg" ] && grep -q '<path' "$svg" && ! grep -q '<image' "$svg"; then
		ok "$id exported as vector SVG"
	else
		not_ok "$id exported as vector SVG"
	fi
done

# A changed boundary file is a changed input.
cp -r tests/maps "$tmp/m"
run_plain build -q -o "$tmp/m.pdf" "$tmp/m/orvania.md"
before=$(stat -c %Y.%i "$tmp/m.pdf")
sleep 1
run_plain build -q --if-changed -o "$tmp/m.pdf" "$tmp/m/orvania.md"
same=$(stat -c %Y.%i "$tmp/m.pdf")
echo " " >>"$tmp/m/data/geo/orvania-control.geojson"
run_plain build -q --if-changed -o "$tmp/m.pdf" "$tmp/m/orvania.md"
after=$(stat -c %Y.%i "$tmp/m.pdf")
check "--if-changed skips unchanged boundaries and rebuilds when a boundary file changes" \
	test "$before" = "$same" -a "$before" != "$after"

# The default briefing's locator map: both names where the sides differ,
# Natural Earth named as the boundary source, drawn as paths.
run_plain build -q -o "$tmp/k.pdf" layouts/karabakh.md
pdftotext "$tmp/k.pdf" "$tmp/k.txt" 2>/dev/null
for want in "Stepanakert / Khankendi" "Shushi / Shusha" \
	"Boundaries: Natural Earth 1:10m countries (public domain), via world-atlas 2.0.2." \
	"do not imply endorsement or acceptance"; do
	if [ "$rc" -eq 0 ] && grep -q -F "$want" "$tmp/k.txt"; then
		ok "the default briefing's locator map says: $want"
	else
		not_ok "the default briefing's locator map says: $want"
	fi
done

# Bad maps: the same errors from build and check, the old report kept.
for layout in tests/maps/bad/*.md; do
	name=$(basename "$layout" .md)
	printf 'old\n' >"$tmp/old.pdf"
	run_brief build -o "$tmp/old.pdf" "$layout"
	diags >"$tmp/got"
	if [ "$rc" -eq 1 ] && cmp -s "$tmp/got" "tests/maps/bad/$name.expected" &&
		[ "$(cat "$tmp/old.pdf")" = old ]; then
		ok "bad/$name: build fails with the expected errors, report untouched"
	else
		not_ok "bad/$name: build fails with the expected errors, report untouched"
		show_run
	fi
	run_plain check "$layout"
	diags >"$tmp/got"
	if [ "$rc" -eq 1 ] && cmp -s "$tmp/got" "tests/maps/bad/$name.expected"; then
		ok "bad/$name: check reports the same errors"
	else
		not_ok "bad/$name: check reports the same errors"
		show_run
	fi
done
finish
