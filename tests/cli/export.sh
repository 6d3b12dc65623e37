#!/bin/sh
# export.sh — charts for other documents (--charts DIR): per chart a PNG
# with its resolution (pHYs) at --chart-scale, an SVG with real text,
# <title> and <desc> that is well-formed XML whatever the data holds, a
# one-page PDF with embedded fonts, and the alt text; source lines that
# name the sources; --chart-background; --if-changed rewriting missing or
# stale files only; atomic replacement; duplicate file names refused at
# the second chart. The SVG and PDF are rendered and compared with the PNG.
#
# Tools: xmllint (libxml2-utils), rsvg-convert (librsvg2-bin), qpdf,
# pdffonts, pdftotext, pdftoppm (poppler-utils), cc with cairo for the
# image comparison (tests/cli/lib/pngdiff.c) and the write-failure shim.
#
# TAP output; $BRIEF is the binary, $VG an optional valgrind prefix.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief
S=tests/charts/serrania.md
out=$tmp/charts

# png_info FILE: "WIDTH HEIGHT COLOUR-TYPE PPM-X PPM-Y UNIT" from IHDR and
# pHYs (ppm 0 when there is no pHYs chunk).
png_info() {
	od -An -v -tu1 "$1" | tr -s ' \n' '\n\n' | grep -v '^$' | awk '
	{ b[n++] = $1 }
	function u32(i) { return ((b[i] * 256 + b[i+1]) * 256 + b[i+2]) * 256 + b[i+3] }
	function type(i) { return sprintf("%c%c%c%c", b[i], b[i+1], b[i+2], b[i+3]) }
	END {
		px = 0; py = 0; unit = 0
		for (i = 8; i + 8 <= n; i += 12 + len) {
			len = u32(i); t = type(i + 4)
			if (t == "IHDR") { w = u32(i + 8); h = u32(i + 12); ct = b[i + 17] }
			if (t == "pHYs") { px = u32(i + 8); py = u32(i + 12); unit = b[i + 16] }
			if (t == "IEND") break
		}
		print w, h, ct, px, py, unit
	}'
}

# dpi PPM: pixels per metre as dots per inch, rounded.
dpi() {
	awk -v p="$1" 'BEGIN { printf "%d\n", p * 0.0254 + 0.5 }'
}

# Each file's inode and modification time: a rewrite (a rename over the
# file) changes the inode.
stamps() {
	for f in "$1"/*; do
		printf '%s %s\n' "$(basename "$f")" "$(stat -c '%i %y' "$f")"
	done
}

# xpath FILE EXPR: the string value of an XPath expression.
xpath() {
	xmllint --xpath "$2" "$1" 2>/dev/null
}

have_xmllint=0
command -v xmllint >/dev/null 2>&1 && have_xmllint=1
have_rsvg=0
command -v rsvg-convert >/dev/null 2>&1 && have_rsvg=1

# ---- one build: four files a chart ----
run_brief build -q -o "$tmp/s.pdf" --charts "$out" "$S"
expect_rc "build the Serrania briefing with --charts" 0
awk '/^```(chart|timeline)/ { inb = 1; next }
     /^```/ { inb = 0 }
     inb && /^id:/ { print $2 }' "$S" | sort >"$tmp/ids"
for ext in png svg pdf txt; do
	sed "s/\$/.$ext/" "$tmp/ids"
done | sort >"$tmp/want"
ls "$out" | sort >"$tmp/got"
if [ -s "$tmp/ids" ] && cmp -s "$tmp/want" "$tmp/got"; then
	ok "one .png, .svg, .pdf and .txt per chart ($(wc -l <"$tmp/ids") charts)"
else
	not_ok "one .png, .svg, .pdf and .txt per chart"
	diff "$tmp/want" "$tmp/got" | sed 's/^/#   /'
fi
check "no temporary file left in the charts directory" \
	test -z "$(find "$out" -name '.*')"
run_plain build -q -o "$tmp/plain.pdf" "$S"
check "the briefing PDF is the same with and without --charts" \
	cmp -s "$tmp/s.pdf" "$tmp/plain.pdf"

# ---- PNG: 144 dpi at the default scale, size and dpi follow the scale ----
bad=""
for id in $(cat "$tmp/ids"); do
	set -- $(png_info "$out/$id.png")
	[ "$(dpi "$4")" = 144 ] && [ "$4" = "$5" ] && [ "$6" = 1 ] &&
		[ "$3" = 2 ] || bad="$bad $id($*)"
done
if [ -z "$bad" ]; then
	ok "every PNG has a pHYs chunk of 144 dpi (5669 px/m), RGB"
else
	not_ok "PNGs without 144 dpi:$bad"
fi
set -- $(png_info "$out/vell-deaths.png")
w2=$1
h2=$2
# 483 pt and a 12 pt margin each side: 507 pt, 1014 px at 2x.
check "the PNG is the chart and its margin: 507 pt at 2 px/pt = 1014 px" \
	test "$w2" = 1014
for scale in 1 3 1.5; do
	run_plain build -q -o "$tmp/x.pdf" --charts "$tmp/s$scale" \
		--chart-scale "$scale" "$S"
	set -- $(png_info "$tmp/s$scale/vell-deaths.png")
	want_w=$(awk -v s="$scale" 'BEGIN { w = 507 * s; printf "%d\n", (w == int(w)) ? w : int(w) + 1 }')
	want_dpi=$(awk -v s="$scale" 'BEGIN { printf "%d\n", 72 * s + 0.5 }')
	ratio_ok=$(awk -v a="$2" -v b="$h2" -v s="$scale" \
		'BEGIN { r = a / b * 2 / s; print (r > 0.99 && r < 1.01) ? 1 : 0 }')
	if [ "$rc" -eq 0 ] && [ "$1" = "$want_w" ] &&
		[ "$(dpi "$4")" = "$want_dpi" ] && [ "$ratio_ok" = 1 ]; then
		ok "--chart-scale $scale: $1 x $2 px at $want_dpi dpi (same size in cm)"
	else
		not_ok "--chart-scale $scale: got $* (want width $want_w, $want_dpi dpi)"
		show_run
	fi
done
for bad_scale in 0 abc 9 -2 2x; do
	run_plain build -q -o "$tmp/x.pdf" --charts "$tmp/bad" \
		--chart-scale "$bad_scale" "$S"
	if [ "$rc" -eq 2 ] && grep -q "chart-scale" "$tmp/err"; then
		ok "--chart-scale $bad_scale: usage error"
	else
		not_ok "--chart-scale $bad_scale: usage error (exit $rc)"
	fi
done
run_plain build -q -o "$tmp/x.pdf" --chart-scale 3 "$S"
expect_rc "--chart-scale without --charts: usage error" 2
run_plain build -q -o "$tmp/x.pdf" --charts "$tmp/bad" --chart-background pink "$S"
expect_rc "--chart-background pink: usage error" 2

# ---- SVG: well-formed, real text, title, description ----
T="Deaths in the northern campaign and after, as claimed"
if [ "$have_xmllint" = 0 ]; then
	skip "SVG checks: xmllint not installed (Debian libxml2-utils)"
else
	if xmllint --noout "$out"/*.svg 2>"$tmp/xml.err"; then
		ok "every SVG is well-formed XML (xmllint)"
	else
		not_ok "SVGs that are not well-formed XML"
		show "$tmp/xml.err"
	fi
	svg=$out/vell-deaths.svg
	cnt=$(xpath "$svg" "count(//*[local-name()='text'][.='$T'])")
	check "the SVG has the chart's title as a <text> element" test "$cnt" = 1
	line=$(xpath "$svg" "string(//*[local-name()='text'][starts-with(., 'Sources: ')])")
	case $line in
	*"Serrania Ministry of Defence; Vell Monitor; The Daily Courier; Institute for Border Studies."*)
		case $line in
		*"["*) not_ok "the SVG's source line has [n] numbers: $line" ;;
		*) ok "the SVG's source line names the sources as <text>, without [n]" ;;
		esac ;;
	*) not_ok "the SVG's source line names the sources: '$line'" ;;
	esac
	check "the SVG has no glyph outlines (no <symbol>, no <use>)" \
		test -z "$(grep -l '<symbol\|<use' "$out"/*.svg)"
	check "the SVG's <title> is the chart's title" \
		test "$(xpath "$svg" "string(/*/*[local-name()='title'])")" = "$T"
	check "the SVG's <desc> is the alt text, as in the .txt" \
		test "$(xpath "$svg" "string(/*/*[local-name()='desc'])")" = \
		"$(cat "$out/vell-deaths.txt")"
	check "the SVG names its fonts by family, with a generic fallback" \
		grep -q "font-family=\"&apos;Noto Sans&apos;, &apos;Noto Sans Armenian&apos;, &apos;Noto Sans Arabic&apos;, &apos;Noto Sans Hebrew&apos;, sans-serif\"" "$svg"
	check "the SVG is as large as the PNG (507 pt wide) and labelled by its title" \
		grep -q 'width="507pt".*role="img" aria-labelledby="brief-vell-deaths-title"' "$svg"
fi

# ---- PDF: valid, fonts embedded, text extractable ----
bad=""
for id in $(cat "$tmp/ids"); do
	qpdf --check "$out/$id.pdf" >/dev/null 2>&1 || bad="$bad $id"
done
check "every chart PDF passes qpdf --check" test -z "$bad"
pdffonts "$out/vell-deaths.pdf" >"$tmp/fonts" 2>&1
nfonts=$(awk 'NR > 2' "$tmp/fonts" | wc -l)
notemb=$(awk 'NR > 2 && $(NF - 4) != "yes"' "$tmp/fonts" | wc -l)
if [ "$nfonts" -ge 1 ] && [ "$notemb" -eq 0 ]; then
	ok "pdffonts: the chart PDF's $nfonts fonts are all embedded"
else
	not_ok "pdffonts: fonts not embedded"
	show "$tmp/fonts"
fi
pdftotext "$out/vell-deaths.pdf" "$tmp/deaths.txt" 2>/dev/null
missing=""
for label in "People killed" "Government forces" "Northern Front fighters" \
	"10,000" "Sources: Serrania Ministry of Defence" "$T"; do
	grep -qF "$label" "$tmp/deaths.txt" || missing="$missing '$label'"
done
check "pdftotext finds the chart PDF's title, axis labels and source names${missing:+ (missing:$missing)}" \
	test -z "$missing"
size=$(pdfinfo "$out/vell-deaths.pdf" 2>/dev/null | sed -n 's/^Page size: *//p')
case $size in
"507 x "*) ok "the chart PDF is one page of the chart and its margin ($size)" ;;
*) not_ok "the chart PDF's page: '$size', want 507 pt wide" ;;
esac

# ---- TXT ----
bad=""
for id in $(cat "$tmp/ids"); do
	f=$out/$id.txt
	[ "$(wc -l <"$f")" = 1 ] && [ "$(wc -c <"$f")" -gt 40 ] || bad="$bad $id"
done
check "every .txt is one line of alt text" test -z "$bad"
check "vell-deaths.txt describes the chart and its figures" \
	grep -q "^Bar chart: $T\..*Civilians of the Upper Vell, per Vell Monitor: 12,000–15,000\." "$out/vell-deaths.txt"

# ---- the exports look like the PNG ----
diffbin=$tmp/pngdiff
if ! cc -O2 -o "$diffbin" tests/cli/lib/pngdiff.c \
	$(pkg-config --cflags --libs cairo 2>/dev/null) -lm 2>"$tmp/cc.err"; then
	skip "image comparison: pngdiff does not compile: $(head -n 1 "$tmp/cc.err")"
	diffbin=""
fi
# looks_alike NAME PNG OTHER: one TAP line; at most 0.5 % of 8x8 blocks
# differ (a missing title or labels off their anchor make 1.2 to 1.5 %),
# and the mean difference stays under 6 of 255 (antialiasing and the
# renderer's own spacing of a line give 1 to 4).
looks_alike() {
	r=$("$diffbin" "$2" "$3" 2>&1)
	if awk -v r="$r" 'BEGIN { split(r, a, /[= %]+/); exit !(a[2] < 6 && a[4] < 0.5) }'; then
		ok "$1 ($r)"
	else
		not_ok "$1 ($r)"
	fi
}
if [ -n "$diffbin" ] && [ "$have_rsvg" = 1 ]; then
	for id in $(cat "$tmp/ids"); do
		rsvg-convert -d 144 -p 144 -o "$tmp/r-$id.png" "$out/$id.svg"
		looks_alike "$id.svg rendered by rsvg-convert looks like $id.png" \
			"$out/$id.png" "$tmp/r-$id.png"
	done
elif [ -n "$diffbin" ]; then
	skip "SVG rendering: rsvg-convert not installed (Debian librsvg2-bin)"
fi
if [ -n "$diffbin" ]; then
	for id in vell-control vell-deaths vell-timeline; do
		pdftoppm -r 144 -png -singlefile "$out/$id.pdf" "$tmp/p-$id"
		looks_alike "$id.pdf rendered by pdftoppm looks like $id.png" \
			"$out/$id.png" "$tmp/p-$id.png"
	done
fi

# ---- transparent background ----
run_plain build -q -o "$tmp/x.pdf" --charts "$tmp/tr" \
	--chart-background transparent "$S"
set -- $(png_info "$tmp/tr/vell-deaths.png")
if [ "$rc" -eq 0 ] && [ "$3" = 6 ] && [ "$(dpi "$4")" = 144 ] &&
	! grep -q '<rect' "$tmp/tr/vell-deaths.svg" &&
	grep -q '<rect width="100%" height="100%" fill="#ffffff"/>' "$out/vell-deaths.svg"; then
	ok "--chart-background transparent: RGBA PNG, SVG without its white rectangle"
else
	not_ok "--chart-background transparent: PNG colour type $3, want 6; SVG rect?"
fi

# ---- --if-changed ----
# A copy of the briefing and its data, so the data can change.
w=$tmp/w
mkdir -p "$w"
cp -r tests/charts/serrania "$w/serrania"
cp "$S" "$w/s.md"
wo=$w/charts
run_brief build -q -o "$w/s.pdf" --if-changed --charts "$wo" "$w/s.md"
expect_rc "--if-changed, first build: exit 0" 0
cp -r "$wo" "$w/first"
stamps "$wo" >"$w/before"
pdf_inode=$(stat -c %i "$w/s.pdf")
run_brief build -o "$w/s.pdf" --if-changed --charts "$wo" "$w/s.md"
stamps "$wo" >"$w/after"
if [ "$rc" -eq 0 ] && grep -q "is up to date" "$tmp/out" &&
	grep -q "24 chart files up to date" "$tmp/out" &&
	cmp -s "$w/before" "$w/after" &&
	[ "$(stat -c %i "$w/s.pdf")" = "$pdf_inode" ]; then
	ok "--if-changed, nothing changed: no file rewritten"
else
	not_ok "--if-changed, nothing changed: no file rewritten"
	show_run
	diff "$w/before" "$w/after" | sed 's/^/#   /'
fi
# Missing, stale (another chart's file, a changed stamp, a changed text).
rm "$wo/vell-deaths.png"
cp "$wo/vell-timeline.pdf" "$wo/vell-control.pdf"
sed 's/input="[0-9a-f]*"/input="00000000000000000000000000000000"/' \
	"$w/first/vell-deaths.svg" >"$wo/vell-deaths.svg"
echo "an old description" >"$wo/vell-timeline.txt"
stamps "$wo" >"$w/before"
run_brief build -o "$w/s.pdf" --if-changed --charts "$wo" "$w/s.md"
stamps "$wo" >"$w/after"
changed=$(diff "$w/before" "$w/after" | sed -n 's/^> \([^ ]*\) .*/\1/p' | sort | tr '\n' ' ')
same=1
for f in vell-deaths.png vell-control.pdf vell-deaths.svg vell-timeline.txt; do
	cmp -s "$wo/$f" "$w/first/$f" || same=0
done
if [ "$rc" -eq 0 ] && grep -q "is up to date" "$tmp/out" &&
	grep -q "wrote 4 chart files (20 up to date)" "$tmp/out" &&
	[ "$changed" = "vell-control.pdf vell-deaths.png vell-deaths.svg vell-timeline.txt " ] &&
	[ "$same" = 1 ] && [ "$(stat -c %i "$w/s.pdf")" = "$pdf_inode" ]; then
	ok "--if-changed, PDF up to date: the missing and the 3 stale chart files rewritten (as before), nothing else"
else
	not_ok "--if-changed: rewrote '$changed', want the missing and the 3 stale files"
	show_run
fi
# A scale changes the PNGs only.
stamps "$wo" >"$w/before"
run_plain build -q -o "$w/s.pdf" --if-changed --charts "$wo" --chart-scale 1 "$w/s.md"
stamps "$wo" >"$w/after"
changed=$(diff "$w/before" "$w/after" | sed -n 's/^> \([^ ]*\) .*/\1/p' | grep -vc '\.png$')
npng=$(diff "$w/before" "$w/after" | grep -c '^> .*\.png ')
set -- $(png_info "$wo/vell-deaths.png")
if [ "$rc" -eq 0 ] && [ "$changed" = 0 ] && [ "$npng" = 6 ] &&
	[ "$(dpi "$4")" = 72 ]; then
	ok "--if-changed --chart-scale 1: the 6 PNGs rewritten at 72 dpi, nothing else"
else
	not_ok "--if-changed --chart-scale 1: $npng PNGs and $changed others rewritten, dpi $(dpi "$4")"
fi
# New data: the PDF and every chart file.
sed -i 's/^\(k2019-civ-mon,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,\)12000,/\112500,/' \
	"$w/serrania/casualties.csv"
if cmp -s "$w/serrania/casualties.csv" tests/charts/serrania/casualties.csv; then
	not_ok "the test could not change the data (row k2019-civ-mon)"
else
	stamps "$wo" >"$w/before"
	run_plain build -q -o "$w/s.pdf" --if-changed --charts "$wo" "$w/s.md"
	stamps "$wo" >"$w/after"
	# The images change; of the texts only the one whose figure did.
	nchanged=$(diff "$w/before" "$w/after" | grep -c '^> ')
	txt=$(diff "$w/before" "$w/after" | sed -n 's/^> \([^ ]*\.txt\) .*/\1/p')
	if [ "$rc" -eq 0 ] && [ "$nchanged" = 19 ] && [ "$txt" = vell-deaths.txt ] &&
		[ "$(stat -c %i "$w/s.pdf")" != "$pdf_inode" ] &&
		grep -q "12,500" "$wo/vell-deaths.txt"; then
		ok "--if-changed after a data change: the PDF, the 18 images and the one changed .txt rewritten"
	else
		not_ok "--if-changed after a data change: $nchanged chart files rewritten"
		show_run
	fi
fi

# ---- atomic: a failed or interrupted export leaves the old file ----
shim=$tmp/failwrite.so
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export ASAN_OPTIONS
if ! cc -shared -fPIC -o "$shim" tests/shim/failwrite.c 2>"$tmp/cc.err"; then
	skip "write-failure shim does not compile: $(head -n 1 "$tmp/cc.err")"
	shim=""
fi
intact_export() {
	left=$(find "$wo" "$w" -maxdepth 1 -name '.*.*' | head -n 3)
	if cmp -s "$wo/vell-deaths.png" "$w/good.png" &&
		cmp -s "$w/s.pdf" "$w/good.pdf" && [ -z "$left" ]; then
		ok "$1: old PNG and old PDF intact, no temporary file"
	else
		not_ok "$1: old PNG and old PDF intact, no temporary file"
		[ -n "$left" ] && echo "#   left behind: $left"
	fi
}
if [ -n "$shim" ]; then
	cp "$wo/vell-deaths.png" "$w/good.png"
	cp "$w/s.pdf" "$w/good.pdf"
	SHIM_NOTMPFILE=1 SHIM_MATCH="$wo/.vell-deaths.png.brief-*" SHIM_MODE=enospc LD_PRELOAD=$shim \
		"$BRIEF" build -o "$w/s.pdf" --charts "$wo" --chart-scale 3 \
		"$w/s.md" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 3 ] && grep -q "vell-deaths.png.*No space left on device" "$tmp/err"; then
		ok "disk full while writing a PNG: exit 3, names the file"
	else
		not_ok "disk full while writing a PNG: exit 3, names the file"
		show_run
	fi
	intact_export "disk full"
	rm -f "$tmp/ready"
	SHIM_NOTMPFILE=1 SHIM_MATCH="$wo/.vell-deaths.png.brief-*" SHIM_MODE=sleep SHIM_SLEEP=10 \
		SHIM_READY=$tmp/ready LD_PRELOAD=$shim \
		"$BRIEF" build -q -o "$w/s.pdf" --charts "$wo" --chart-scale 3 \
		"$w/s.md" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	i=0
	while [ ! -e "$tmp/ready" ] && [ "$i" -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	during=$(find "$wo" -name '.vell-deaths.png.brief-*' | head -n 1)
	kill -s TERM "$pid"
	wait "$pid"
	rc=$?
	if [ -n "$during" ] && [ "$rc" -eq 143 ]; then
		ok "SIGTERM while writing a PNG: the temporary file existed, exit 143"
	else
		not_ok "SIGTERM while writing a PNG: temporary file '$during', exit $rc"
	fi
	intact_export "SIGTERM mid-export"
fi

# ---- names: data with markup characters, shared publishers, nesting ----
d=$tmp/d
mkdir -p "$d"
cp -r tests/layouts/data "$d/data"
# Two sources of one publisher; a party named with XML's special characters.
sed -i 's/^src-south,Statement on losses,Southland Government,/src-south,Statement on losses,Relief Watch,/' \
	"$d/data/sources.csv"
sed -i 's/,Southland,killed/,"South <\&> ""Land"" '"'"'s",killed/' "$d/data/casualties.csv"
cat >"$d/t.md" <<'EOF'
---
title: Export test
data: data
as_of: 2023-12-31
---
# Deaths

Text.

```chart
id: deaths
type: bar
dataset: casualties
filter: {category: killed}
x: party
title: Deaths <by> party & "claim" 'x'
y_label: People killed
```

> A quote with a chart in it:
>
> ```chart
> id: nested
> type: bar
> dataset: casualties
> filter: {category: killed}
> x: population
> title: Nested in a quote
> ```
EOF
run_brief build -q -o "$d/t.pdf" --charts "$d/out" "$d/t.md"
expect_rc "a layout with markup characters in its title and data builds" 0
check "a chart nested in a quote is exported too" test -s "$d/out/nested.svg"
if [ "$have_xmllint" = 1 ]; then
	svg=$d/out/deaths.svg
	check "markup characters: the SVG is well-formed" xmllint --noout "$svg"
	check "markup characters: <title> reads back as written" \
		test "$(xpath "$svg" "string(/*/*[local-name()='title'])")" = "Deaths <by> party & \"claim\" 'x'"
	cnt=$(xpath "$svg" "count(//*[local-name()='text'][.=concat('South <&> \"Land\" ', \"'\", 's')])")
	check "markup characters: the party's name is a <text> element as in the data" \
		test "$cnt" = 1
	line=$(xpath "$svg" "string(//*[local-name()='text'][starts-with(., 'Sources: ')])")
	nrw=$(printf '%s\n' "$line" | grep -o "Relief Watch" | wc -l)
	pdftotext "$d/t.pdf" - 2>/dev/null | grep -q "\[2\] Relief Watch; \[3\] Relief Watch" &&
		inpdf=1 || inpdf=0
	if [ "$nrw" = 1 ] && [ "$inpdf" = 1 ]; then
		ok "two sources of one publisher: named once in the export, numbered apart in the briefing"
	else
		not_ok "two sources of one publisher: export line '$line', in PDF: $inpdf"
	fi
fi

# ---- one file name, two charts ----
cat >"$d/dup.md" <<'EOF'
---
title: Duplicate ids
data: data
---
```chart
id: deaths
type: bar
dataset: casualties
x: party
```

```chart
id: Deaths
type: bar
dataset: casualties
x: category
```
EOF
run_brief check "$d/dup.md"
if [ "$rc" -eq 1 ] && grep -q "dup.md:13:5: error: duplicate chart id 'Deaths' (its export files would replace those of 'deaths')" "$tmp/err"; then
	ok "ids that differ only in case: an error at the second chart's id"
else
	not_ok "ids that differ only in case: an error at the second chart's id"
	show_run
fi
sed 's/^id: Deaths$/id: deaths/' "$d/dup.md" >"$d/dup2.md"
run_plain build -q -o "$d/x.pdf" "$d/dup2.md"
if [ "$rc" -eq 1 ] && grep -q "dup2.md:13:5: error: duplicate chart id 'deaths'" "$tmp/err"; then
	ok "the same id twice: an error at the second chart's id"
else
	not_ok "the same id twice: an error at the second chart's id"
	show_run
fi
# Two briefings into one directory, one chart id.
sed -e 's/^id: deaths$/id: other/' -e 's/id: nested$/id: deaths/' "$d/t.md" >"$d/u.md"
rm -rf "$d/both"
run_brief build -q --charts "$d/both" -o "$d/x.pdf" "$d/t.md"
run_brief build -q --charts "$d/both" "$d/t.md" "$d/u.md"
if [ "$rc" -eq 1 ] && grep -q "u.md:[0-9]*:[0-9]*: error: chart 'deaths' would replace the files .*/deaths\.\* of the chart at .*t.md:[0-9]*:[0-9]*" "$tmp/err"; then
	ok "two briefings exporting one chart id into one directory: an error at the second"
else
	not_ok "two briefings exporting one chart id into one directory: an error at the second"
	show_run
fi
: >"$tmp/afile"
run_plain build -q -o "$d/x.pdf" --charts "$tmp/afile/sub" "$d/t.md"
expect_rc "--charts under a file: I/O error" 3
run_plain build -q -o "$d/x.pdf" --charts "$tmp/new/deeper/charts" "$d/t.md"
check "--charts creates missing parent directories" test -s "$tmp/new/deeper/charts/deaths.png"

finish
