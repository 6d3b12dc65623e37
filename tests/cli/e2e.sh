#!/bin/sh
# e2e.sh — end-to-end: build real briefings and read them back with the
# tools a reader's software uses (poppler, qpdf, MuPDF, pdf.js).
#
# Three PDFs: the shipped default (layouts/karabakh.md), the worked example
# over the test fixtures (tests/layouts/example.md) and a fixture with
# Armenian and Azerbaijani names (tests/e2e/scripts.md). For each: page
# count, every citation number resolves to a bibliography entry and every
# entry is cited, expected strings, every font embedded, and no warning
# from pdftotext, pdffonts, qpdf --check or mutool. pdf.js (pdfjs-dist,
# installed with npm once into a cache, see below, or taken from
# $PDFJS_DIR) must extract the same strings, ə and Armenian included.
#
# TAP output; $BRIEF is the binary, $VG an optional valgrind prefix.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief

for tool in pdftotext pdfinfo pdffonts qpdf mutool; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		not_ok "$tool is installed (make test-deps)"
		finish
		exit 1
	fi
done

# build NAME LAYOUT: build into $tmp/NAME.pdf; TAP line for the build.
build() {
	run_brief build -o "$tmp/$1.pdf" "$2"
	if [ "$rc" -eq 0 ] && [ -s "$tmp/$1.pdf" ] && [ ! -s "$tmp/err" ]; then
		ok "$1: builds, exit 0, nothing on stderr"
	else
		not_ok "$1: builds, exit 0, nothing on stderr"
		show_run
	fi
}

# pages NAME MIN MAX
pages() {
	p=$(pdfinfo "$tmp/$1.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
	if [ -n "$p" ] && [ "$p" -ge "$2" ] && [ "$p" -le "$3" ]; then
		ok "$1: $p pages, within $2-$3"
	else
		not_ok "$1: ${p:-no} pages, want $2-$3"
	fi
}

# Text of NAME.pdf through pdftotext into NAME.txt (lines) and NAME.flat
# (one line, whitespace collapsed, so phrases broken across lines match).
extract() {
	pdftotext -enc UTF-8 "$tmp/$1.pdf" "$tmp/$1.txt" 2>"$tmp/$1.pt.err"
	r=$?
	tr -s '\n\t ' '   ' <"$tmp/$1.txt" >"$tmp/$1.flat"
	if [ "$r" -eq 0 ] && [ ! -s "$tmp/$1.pt.err" ] && [ -s "$tmp/$1.txt" ]; then
		ok "$1: pdftotext extracts text without warnings"
	else
		not_ok "$1: pdftotext extracts text without warnings (exit $r)"
		show "$tmp/$1.pt.err"
	fi
}

# has NAME FILE-SUFFIX STRING...: every string occurs in $tmp/NAME.SUFFIX.
has() {
	name=$1
	suffix=$2
	shift 2
	missing=""
	for s in "$@"; do
		grep -qF -- "$s" "$tmp/$name.$suffix" || missing="$missing '$s'"
	done
	if [ -z "$missing" ]; then
		ok "$name: $suffix text has $# expected strings"
	else
		not_ok "$name: $suffix text lacks$missing"
	fi
}

# Every [n] (or [n, m]) in the body has a bibliography entry "[n]" after
# the "Sources" heading, every entry is cited, entries run 1..N.
citations() {
	txt=$tmp/$1.txt
	last=$(grep -n '^Sources$' "$txt" | tail -n 1 | cut -d: -f1)
	if [ -z "$last" ]; then
		not_ok "$1: has a Sources heading (bibliography)"
		return
	fi
	head -n "$((last - 1))" "$txt" | tr -s '\n' ' ' |
		grep -oE '\[[0-9]+(, *[0-9]+)*\]' | tr -c '0-9\n' '\n' |
		grep -E '^[0-9]+$' | sort -un >"$tmp/$1.cited"
	tail -n "+$((last + 1))" "$txt" | sed -n 's/^\[\([0-9][0-9]*\)\] .*/\1/p' |
		sort -n >"$tmp/$1.listed"
	nlisted=$(wc -l <"$tmp/$1.listed")
	seq 1 "$nlisted" >"$tmp/$1.seq"
	if [ "$nlisted" -gt 0 ] && cmp -s "$tmp/$1.cited" "$tmp/$1.listed" &&
		cmp -s "$tmp/$1.listed" "$tmp/$1.seq"; then
		ok "$1: $nlisted sources, each cited, every citation listed"
	else
		not_ok "$1: citations and bibliography match"
		echo "#   cited: $(tr '\n' ' ' <"$tmp/$1.cited")"
		echo "#   listed: $(tr '\n' ' ' <"$tmp/$1.listed")"
	fi
}

# Every font embedded; pdffonts quiet; optionally a font name must appear.
fonts() {
	pdffonts "$tmp/$1.pdf" >"$tmp/$1.fonts" 2>"$tmp/$1.pf.err"
	r=$?
	nf=$(tail -n +3 "$tmp/$1.fonts" | grep -c .)
	notemb=$(tail -n +3 "$tmp/$1.fonts" | awk '$(NF-4) != "yes"' | head -n 3)
	if [ "$r" -eq 0 ] && [ ! -s "$tmp/$1.pf.err" ] && [ "$nf" -gt 0 ] &&
		[ -z "$notemb" ] && { [ -z "${2:-}" ] || grep -q "$2" "$tmp/$1.fonts"; }; then
		ok "$1: $nf fonts, all embedded${2:+, incl. $2}"
	else
		not_ok "$1: fonts all embedded${2:+, incl. $2}"
		show "$tmp/$1.fonts"
		show "$tmp/$1.pf.err"
	fi
}

qpdf_check() {
	qpdf --check "$tmp/$1.pdf" >"$tmp/$1.qpdf" 2>&1
	r=$?
	if [ "$r" -eq 0 ] && ! grep -qi 'warning\|error:' "$tmp/$1.qpdf" &&
		grep -q 'No syntax or stream encoding errors' "$tmp/$1.qpdf"; then
		ok "$1: qpdf --check clean"
	else
		not_ok "$1: qpdf --check clean (exit $r)"
		show "$tmp/$1.qpdf"
	fi
}

# MuPDF's text extraction; its build prints one line about lacking ICC
# support for every file, which says nothing about the PDF.
mutool_text() {
	mutool draw -q -F txt -o "$tmp/$1.mu" "$tmp/$1.pdf" 2>"$tmp/$1.mu.err"
	r=$?
	grep -v '^warning: ICC support is not available$' "$tmp/$1.mu.err" \
		>"$tmp/$1.mu.err2"
	if [ "$r" -eq 0 ] && [ ! -s "$tmp/$1.mu.err2" ] && [ -s "$tmp/$1.mu" ]; then
		ok "$1: mutool draw -F txt without warnings"
	else
		not_ok "$1: mutool draw -F txt without warnings (exit $r)"
		show "$tmp/$1.mu.err2"
	fi
	tr -s '\n\t ' '   ' <"$tmp/$1.mu" >"$tmp/$1.muflat"
}

armenian='Ստեփանակերտ'
azeri='Xankəndi'

# ---- the default briefing ----
build karabakh layouts/karabakh.md
pages karabakh 4 8
extract karabakh
has karabakh flat 'Nagorno-Karabakh, 1988–2023' 'Summary' \
	'Background and timeline' 'Casualties' 'Displacement' \
	'Territorial control' 'Contested figures' 'About this briefing' \
	'more than 8,000' 'People killed' 'Sources: [' \
	'Quantities with more than one claim' 'Stepanakert/Khankendi' \
	'Key events, 1918–2023' 'Page 1 of'
citations karabakh
fonts karabakh
qpdf_check karabakh
mutool_text karabakh
has karabakh muflat 'Nagorno-Karabakh, 1988–2023' 'more than 8,000' \
	'Stepanakert/Khankendi' 'Quantities with more than one claim'

# ---- the worked example over the test fixtures ----
build example tests/layouts/example.md
pages example 2 6
extract example
has example flat 'Valmora, 2020–2023' 'A worked example over fictional test data' \
	'Summary' 'What the sources say' 'Contested figures' \
	'Deaths in the 2020 war, as reported' 'People killed' 'Sources: [' \
	'Share of Valmora held, as reported' 'Quantities with more than one claim' \
	'2,906 [1]'
citations example
fonts example
qpdf_check example
mutool_text example

# ---- Armenian and Azerbaijani letters ----
build scripts tests/e2e/scripts.md
build ozerna tests/conflicts/ozerna/briefing.md
pages scripts 1 4
extract scripts
has scripts flat "$armenian" "$azeri" 'Şuşa' 'Ağdam' 'Place names' \
	'People killed' 'Sources: [' 'Quantities with more than one claim'
citations scripts
fonts scripts NotoSansArmenian
qpdf_check scripts
mutool_text scripts
has scripts muflat "$armenian" "$azeri" 'Şuşa' 'Ağdam'

# ---- pdf.js ----
pdfjs_text() {
	node "$pjs/pdfjs-text.mjs" "$tmp/$1.pdf" >"$tmp/$1.js" 2>"$tmp/$1.js.err"
	r=$?
	if [ "$r" -eq 0 ] && [ ! -s "$tmp/$1.js.err" ] && [ -s "$tmp/$1.js" ]; then
		ok "$1: pdf.js reads it without warnings"
	else
		not_ok "$1: pdf.js reads it without warnings (exit $r)"
		show "$tmp/$1.js.err"
	fi
	tr -s '\n\t ' '   ' <"$tmp/$1.js" >"$tmp/$1.jsflat"
}

# pdfjs-dist is installed once per version into a cache and reused:
# $BRIEF_TEST_CACHE, else $XDG_CACHE_HOME/brief-tests (~/.cache), else
# build/node-cache when that is not writable. An install goes to a
# temporary directory first and is renamed into place when complete, so
# an interrupted one is never taken for a cache.
PDFJS_VERSION=4.10.38
pdfjs_cache() {
	for c in "${BRIEF_TEST_CACHE:-}" "${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/brief-tests" \
		"$ROOT/build/node-cache"; do
		[ -n "$c" ] || continue
		if mkdir -p "$c" 2>/dev/null && [ -w "$c" ]; then
			echo "$c"
			return 0
		fi
	done
	return 1
}
pdfjs_installed() {
	grep -q "\"version\": *\"$PDFJS_VERSION\"" \
		"$1/node_modules/pdfjs-dist/package.json" 2>/dev/null
}
pjs=$tmp/pdfjs
mkdir -p "$pjs"
why=""
if ! command -v node >/dev/null 2>&1; then
	why="node is not installed"
elif [ -n "${PDFJS_DIR:-}" ] && [ -d "$PDFJS_DIR/node_modules/pdfjs-dist" ]; then
	ln -s "$PDFJS_DIR/node_modules" "$pjs/node_modules"
elif ! cache=$(pdfjs_cache); then
	why="no writable cache directory for pdfjs-dist"
else
	dest=$cache/pdfjs-dist-$PDFJS_VERSION
	if ! pdfjs_installed "$dest"; then
		if ! command -v npm >/dev/null 2>&1; then
			why="npm is not installed"
		else
			part=$(mktemp -d "$cache/.pdfjs-dist-$PDFJS_VERSION.XXXXXX")
			if timeout 120 npm install --prefix "$part" --no-audit \
				--no-fund --silent --no-save --prefer-offline \
				--fetch-retries=1 --fetch-timeout=30000 \
				"pdfjs-dist@$PDFJS_VERSION" >"$tmp/npm.log" 2>&1 &&
				pdfjs_installed "$part"; then
				rm -rf "$dest"
				mv "$part" "$dest" 2>/dev/null || rm -rf "$part"
			else
				rm -rf "$part"
				why="npm install pdfjs-dist@$PDFJS_VERSION failed (no network?) $(grep -v '^$' "$tmp/npm.log" | tail -n 1)"
			fi
		fi
	fi
	if [ -z "$why" ]; then
		if pdfjs_installed "$dest"; then
			ln -s "$dest/node_modules" "$pjs/node_modules"
		else
			why="pdfjs-dist $PDFJS_VERSION is not in $dest"
		fi
	fi
fi
if [ -n "$why" ]; then
	skip "pdf.js text extraction" "$why"
else
	cp tests/e2e/pdfjs-text.mjs "$pjs/"
	pdfjs_text karabakh
	has karabakh jsflat 'Nagorno-Karabakh, 1988–2023' 'more than 8,000' \
		'People killed' 'Sources: [' 'Stepanakert/Khankendi' \
		'Quantities with more than one claim'
	pdfjs_text scripts
	has scripts jsflat "$armenian" "$azeri" 'Şuşa' 'Ağdam' 'People killed'
	want=$(pdfinfo "$tmp/karabakh.pdf" | sed -n 's/^Pages: *//p')
	check "karabakh: pdf.js counts the same $want pages" \
		grep -qx "pages: $want" "$tmp/karabakh.js"
	# The structure tree as pdf.js reads it (tests/e2e/pdfjs-struct.mjs):
	# headings nest as the bookmarks do, every chart, map and key figure
	# is a Figure with alt text, tables have TH cells; on the default
	# briefing and a fixture briefing with two-level headings.
	cp tests/e2e/pdfjs-struct.mjs "$pjs/"
	for b in karabakh ozerna; do
		node "$pjs/pdfjs-struct.mjs" "$tmp/$b.pdf" >"$tmp/$b.st" 2>&1
		r=$?
		if [ "$r" -eq 0 ] && grep -q '^H1 depth 1 ' "$tmp/$b.st" &&
			grep -q 'Figure alt [1-9]' "$tmp/$b.st" &&
			grep -q 'Table TH [^ ]' "$tmp/$b.st"; then
			ok "$b: pdf.js structure tree matches the outline, Figures have alt text, tables TH"
		else
			not_ok "$b: pdf.js structure tree matches the outline, Figures have alt text, tables TH (exit $r)"
			show "$tmp/$b.st"
		fi
	done
	check "ozerna: pdf.js sees its H2 headings inside two sections" \
		grep -q "^H2 depth 2 " "$tmp/ozerna.st"
fi

finish
