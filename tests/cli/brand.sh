#!/bin/sh
# brand.sh — a report series and an organisation's identity (brand.h):
# number, period, next_report and contacts printed in the title block,
# the running header and the contacts box; the logo (PNG with alpha,
# grey PNG, JPEG) on the title block and the running header, embedded
# once, without an SMask, PDF/A-clean; accent and per-name colours; every
# paper size in both orientations builds with no text outside the page;
# and every bad value is an error at its place. Output is TAP.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief

p=$tmp/p
mkdir -p "$p"

# Test logos, made with libpng and libjpeg.
mk=$tmp/mkimage
if cc -O2 -o "$mk" tests/cli/lib/mkimage.c $(pkg-config --cflags --libs libpng libjpeg) 2>"$tmp/cc.err"; then
	"$mk" rgba 300 120 "$p/logo.png" && "$mk" grey 120 40 "$p/grey.png" &&
		"$mk" rgb 200 100 "$p/logo.jpg" && "$mk" cmyk 40 40 "$p/cmyk.jpg" &&
		"$mk" rgba 5000 10 "$p/huge.png"
	have_images=1
else
	have_images=0
fi

# layout NAME FRONT-MATTER-LINES...: a layout over datasets/ with a key
# figure, a cited paragraph, a chart whose series the colours fix, and
# a second page.
layout() {
	name=$1
	shift
	{
		echo '---'
		echo 'title: Upper Vell crisis'
		echo 'organisation: Example Relief Network'
		echo "data: $ROOT/datasets"
		for l in "$@"; do
			printf '%s\n' "$l"
		done
		cat <<'EOF'
---

## Key figures

```keyfigures
- ref: casualties:sep2023-landmine-az-killed-azgov
  label: killed by landmines
```

Landmines killed people in September 2023 [@fr-news-2023-09-20].

```chart
id: landmine-deaths
type: bar
dataset: casualties
filter: {event: September 2023 landmine incidents, category: killed}
x: population
group: reported_by
title: Landmine deaths, by who reports them
```

```pagebreak
```

## More

The second page.
EOF
	} >"$p/$name.md"
}

# build NAME [OPTIONS]: brief build in $p, output $p/NAME.pdf.
build() {
	name=$1
	shift
	(cd "$p" && $VG "$BRIEF" build "$@" -o "$name.pdf" "$name.md" >"$tmp/out" 2>"$tmp/err")
	rc=$?
}

# 1. The edition in the title block, the running header and the box.
layout series 'number: 12' 'period: {from: 2023-09-13, to: 2023-09-19}' \
	'next_report: 2023-09-26' 'contacts:' '  - name: Amina Diallo' \
	'    role: Head of Office' '    email: diallo@example.org' \
	'    phone: +41 22 000 0000' '  - name: Jonas Berg' \
	'    email: berg@example.org'
build series
pdftotext -layout "$p/series.pdf" "$tmp/series.txt" 2>/dev/null
pdftotext -f 2 -l 2 "$p/series.pdf" "$tmp/page2.txt" 2>/dev/null
if [ "$rc" -eq 0 ] && grep -q 'Situation report No. 12' "$tmp/series.txt" &&
	grep -q 'This report covers the period 13–19 September 2023. The next report will be issued on or around' "$tmp/series.txt" &&
	grep -q '26 September 2023\.' "$tmp/series.txt" &&
	grep -q 'For further information, please contact:' "$tmp/series.txt" &&
	grep -q 'Amina Diallo, Head of Office, diallo@example.org, +41 22 000 0000' "$tmp/series.txt" &&
	grep -q 'Jonas Berg, berg@example.org' "$tmp/series.txt" &&
	grep -q 'Upper Vell crisis | Situation report No. 12' "$tmp/page2.txt"; then
	ok "number, period, next report and contacts are printed where OCHA prints them"
else
	not_ok "number, period, next report and contacts are printed where OCHA prints them"
	show_run
	show "$tmp/series.txt"
fi
# The contacts' email addresses are mailto links.
qpdf --qdf --object-streams=disable "$p/series.pdf" "$tmp/series.qdf" 2>/dev/null
check "contact emails are mailto links" grep -q '/URI (mailto:diallo@example.org)' "$tmp/series.qdf"

# A series label of the layout's own.
layout label 'series: Flash update' 'number: 3'
build label
check "series: names the series" sh -c "pdftotext '$p/label.pdf' - | grep -q 'Flash update No. 3'"

# 2. Logos.
if [ "$have_images" = 1 ]; then
	for logo in logo.png grey.png logo.jpg; do
		name=$(echo "$logo" | tr . -)
		layout "$name" "logo: $logo" 'number: 4'
		build "$name" --pdfa
		pdfimages -list "$p/$name.pdf" >"$tmp/images" 2>/dev/null
		# One image object, drawn on both pages; never an SMask.
		objs=$(awk 'NR > 2 {print $11}' "$tmp/images" | sort -u | wc -l)
		drawn=$(awk 'NR > 2' "$tmp/images" | wc -l)
		if [ "$rc" -eq 0 ] && [ "$objs" -eq 1 ] && [ "$drawn" -eq 2 ] &&
			! grep -q smask "$tmp/images" &&
			qpdf --check "$p/$name.pdf" >/dev/null 2>&1; then
			ok "logo $logo: one image, on the title block and page 2's header, no SMask"
		else
			not_ok "logo $logo: one image, on the title block and page 2's header, no SMask"
			show_run
			show "$tmp/images"
		fi
	done
	# The logo sits in the title block's top right, inside the margins.
	(cd "$p" && "$BRIEF" build --dump logo-png.md >"$tmp/dump" 2>&1)
	if grep -q '^  image x=439\.[0-9]* y=56\.00 w=100\.00 h=40\.00 300x120$' "$tmp/dump"; then
		ok "the title block's logo: 40 pt high at the right margin"
	else
		not_ok "the title block's logo: 40 pt high at the right margin"
		grep image "$tmp/dump" | sed 's/^/#   /'
	fi
	# A changed logo changes the report's inputs: --if-changed rebuilds.
	build logo-png
	build logo-png --if-changed
	first=$(cat "$tmp/out")
	"$mk" rgba 300 100 "$p/logo.png"
	build logo-png --if-changed
	if echo "$first" | grep -q 'is up to date' && grep -q 'wrote' "$tmp/out"; then
		ok "--if-changed rebuilds when the logo changes"
	else
		not_ok "--if-changed rebuilds when the logo changes"
		echo "#   first: $first"
		show_run
	fi
	# Logos brief cannot place: errors at the logo value.
	printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\001' >"$p/bad.png"
	head -c 300 "$p/logo.jpg" >"$p/cut.jpg"
	printf '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>\n' >"$p/logo.svg"
	printf '%%PDF-1.4\n' >"$p/logo.pdf"
	printf 'GIF89a' >"$p/logo.gif"
	for case in "bad.png|not a readable PNG image" "cut.jpg|not a readable JPEG image" \
		"cmyk.jpg|a CMYK JPEG cannot be placed" "logo.svg|an SVG logo cannot be placed" \
		"logo.pdf|a PDF logo cannot be placed" "logo.gif|not a PNG or JPEG image" \
		"huge.png|at most 4096 on a side" "missing.png|no such file (the path is relative to the layout)"; do
		file=${case%%|*}
		want=${case#*|}
		layout badlogo "logo: $file"
		(cd "$p" && $VG "$BRIEF" check badlogo.md >"$tmp/out" 2>"$tmp/err")
		rc=$?
		if [ "$rc" -eq 1 ] && grep -q "^badlogo.md:5:7: error: logo '$file.*$want" "$tmp/err"; then
			ok "logo $file: refused at its place ($want)"
		else
			not_ok "logo $file: refused at its place ($want)"
			show_run
		fi
	done
else
	skip "logos: tests/cli/lib/mkimage.c does not compile: $(head -n 1 "$tmp/cc.err")"
fi

# 3. Colours: the accent, and a fixed colour for one claimant whose
# neighbour then does not get the blue it resembles.
layout colours 'accent: "#f6b26b"' 'colors: {Azerbaijani government: "#0b5394"}'
rm -rf "$tmp/charts"
build colours --charts "$tmp/charts"
svg=$tmp/charts/landmine-deaths.svg
if [ "$rc" -eq 0 ] && [ -f "$svg" ] && grep -qi 'fill="#0b5394"' "$svg" &&
	! grep -qi 'fill="#0072b2"' "$svg"; then
	ok "colors: fixes one name's colour, the others step around it"
else
	not_ok "colors: fixes one name's colour, the others step around it"
	show_run
	ls "$tmp/charts" 2>/dev/null | sed 's/^/#   /'
fi

# 4. Every paper in both orientations: the page size asked for, no word
# outside it (pdftotext -bbox), on the default briefing.
for paper in A3 A4 A5 letter legal; do
	for o in portrait landscape; do
		sed -e "s/^paper: A4/paper: $paper\\norientation: $o/" \
			-e "s|^data: .*|data: $ROOT/datasets|" layouts/karabakh.md >"$p/k.md"
		(cd "$p" && "$BRIEF" build -q -o k.pdf k.md >"$tmp/out" 2>"$tmp/err")
		rc=$?
		size=$(pdfinfo "$p/k.pdf" 2>/dev/null | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\) pts.*/\1x\2/p')
		pdftotext -bbox "$p/k.pdf" "$tmp/bbox.html" 2>/dev/null
		outside=$(awk '
			/<page / { match($0, /width="[0-9.]+"/); w = substr($0, RSTART + 7, RLENGTH - 8) + 0.5
				   match($0, /height="[0-9.]+"/); h = substr($0, RSTART + 8, RLENGTH - 9) + 0.5 }
			/<word / { split($0, a, "\""); if (a[2] < 0 || a[4] < 0 || a[6] > w || a[8] > h) n++ }
			END { print n + 0 }' "$tmp/bbox.html")
		words=$(grep -c '<word ' "$tmp/bbox.html")
		if [ "$rc" -eq 0 ] && [ -n "$size" ] && [ "$outside" -eq 0 ] && [ "$words" -gt 1000 ]; then
			ok "paper $paper $o: builds at $size pt, $words words, none outside the page"
		else
			not_ok "paper $paper $o: builds, nothing outside the page"
			echo "#   size '$size', $outside of $words words outside"
			show_run
		fi
		case $paper-$o in
		A4-portrait) want=595.276x841.89 ;;
		A4-landscape) want=841.89x595.276 ;;
		A5-portrait) want=419.528x595.276 ;;
		letter-landscape) want=792x612 ;;
		legal-portrait) want=612x1008 ;;
		A3-landscape) want=1190.55x841.89 ;;
		*) want="" ;;
		esac
		if [ -n "$want" ]; then
			check "paper $paper $o is $want pt" [ "$size" = "$want" ]
		fi
	done
done

# 5. Bad values, each at its place.
bad() {
	want=$1
	shift
	layout bad "$@"
	(cd "$p" && $VG "$BRIEF" check bad.md >"$tmp/out" 2>"$tmp/err")
	rc=$?
	if [ "$rc" -eq 1 ] && grep -qF "bad.md:$want" "$tmp/err"; then
		ok "refused: $*"
	else
		not_ok "refused: $* (want bad.md:$want)"
		show_run
	fi
}
bad "5:9: error: number is the edition's number, a whole number from 1 (number: 12), not 'twelve'" 'number: twelve'
bad "5:9: error: number is the edition's number" 'number: 0'
bad "5:9: error: period must be two dates, from/to (2025-03-03/2025-03-09)" 'period: last week'
bad "5:32: error: the period ends before it starts" 'period: {from: 2025-03-09, to: 2025-03-03}'
bad "5:9: error: period needs both 'from' and 'to'" 'period: {from: 2025-03-09}'
bad "5:10: error: unknown period key 'until' (from, to)" 'period: {until: 2025-03-09, from: 2025-03-01, to: 2025-03-02}'
bad "6:14: error: next_report is not after the period this report covers" 'period: 2025-03-03/2025-03-09' 'next_report: 2025-03-09'
bad "5:14: error: next_report must be a date (2025-03-09, 2025-03 or 2025), not 'soon'" 'next_report: soon'
bad "6:5: error: a contact needs a 'name'" 'contacts:' '  - role: Head of Office'
bad "7:12: error: 'diallo.example.org' is not an email address (name@example.org)" 'contacts:' '  - name: A. Diallo' '    email: diallo.example.org'
bad "7:5: error: unknown contact key 'mobile' (name, role, email, phone)" 'contacts:' '  - name: A. Diallo' '    mobile: 123'
bad "5:11: error: contacts is a list of people" 'contacts: Amina Diallo'
bad "5:9: error: accent must be a colour as #rrggbb" 'accent: blue'
bad "5:22: error: the colour of 'Government' must be #rrggbb, quoted" 'colors: {Government: navy}'
bad "5:9: error: colors is a map of names to colours" 'colors: "#0b5394"'
bad "5:8: error: paper must be A3, A4, A5, letter or legal, not 'B5'" 'paper: B5'
bad "5:14: error: orientation must be portrait or landscape, not 'sideways'" 'orientation: sideways'
# An unquoted #colour is a YAML comment: the value is empty.
bad "5:8: error: accent must be a colour as #rrggbb (accent: \"#0b5394\", quoted: YAML reads # as a comment)" 'accent: #0b5394'

finish
