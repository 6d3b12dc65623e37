#!/bin/sh
# text.sh — the text engine end to end (tests/text/demo.c): French,
# Russian, Ukrainian, Spanish, Arabic (with Latin and digits) and Hebrew
# shaped with HarfBuzz, reordered with FriBidi, hyphenated with libhyphen,
# worded from locale/, written as positioned glyph runs. Checked with
# qpdf, pdffonts, pdftotext (the Arabic page in logical order), mutool,
# PDFBox preflight (PDF/A-1b) and a second run (same bytes).
#
# Output is TAP. $BUILD is the build directory (tests/run.sh gets it from
# make); $VG, when set, is a valgrind command to run the demo under.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

demo=${BUILD:-build}/tests/text_demo
case $demo in
/*) ;;
*) demo=$ROOT/$demo ;;
esac
if [ ! -x "$demo" ]; then
	echo "not ok 1 - text demo not built at $demo (run make test)"
	echo "1..1"
	exit 1
fi
pdf=$tmp/text.pdf

# 1. The demo writes its PDF, every line within its box and as wide as the
# line breaker measured it.
# shellcheck disable=SC2086
$VG "$demo" "$pdf" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && [ -s "$pdf" ] && [ ! -s "$tmp/err" ] &&
	grep -q 'widest overflow 0.000 pt, measured and drawn widths differ by at most 0.000000 pt' "$tmp/out"; then
	ok "text demo writes a PDF ($(grep -c '^# font' "$tmp/out") fonts)"
else
	not_ok "text demo writes a PDF (exit $rc)"
	show "$tmp/err"
	show "$tmp/out"
fi

# 2. qpdf finds no damage.
if ! command -v qpdf >/dev/null 2>&1; then
	skip "qpdf not installed"
elif qpdf --check "$pdf" >"$tmp/qpdf" 2>&1 &&
	grep -q 'No syntax or stream encoding errors' "$tmp/qpdf" &&
	! grep -qi 'warning' "$tmp/qpdf"; then
	ok "qpdf --check clean"
else
	not_ok "qpdf --check clean"
	show "$tmp/qpdf"
fi

# 3. Every font an embedded subset CID TrueType font with ToUnicode,
# including the Arabic and Hebrew faces.
if ! command -v pdffonts >/dev/null 2>&1; then
	skip "pdffonts (poppler-utils) not installed"
else
	pdffonts "$pdf" >"$tmp/fonts" 2>&1
	total=$(grep -c '^[A-Z]\{6\}+' "$tmp/fonts")
	good=$(grep '^[A-Z]\{6\}+' "$tmp/fonts" |
		grep -c 'CID TrueType *Identity-H *yes yes yes')
	if [ "$total" -ge 5 ] && [ "$total" -eq "$good" ] &&
		grep -q '+NotoSansArabic-Regular ' "$tmp/fonts" &&
		grep -q '+NotoSansHebrew-Regular ' "$tmp/fonts"; then
		ok "pdffonts: $total fonts, all Identity-H subsets with ToUnicode"
	else
		not_ok "pdffonts: $good of $total fonts as expected"
		show "$tmp/fonts"
	fi
fi

# Text of a page with pdftotext, bidi marks (U+202A-U+202E) removed.
page_text() {
	pdftotext -enc UTF-8 -f "$1" -l "$1" "$pdf" - 2>"$tmp/text.err" |
		LC_ALL=C sed 's/\xe2\x80[\xaa-\xae]//g' >"$tmp/p$1"
}

# has PAGE TEXT: the page's text holds TEXT (a fixed string). On page 2
# spaces are ignored: poppler's own bidi pass moves the spaces around a
# number in right-to-left text (the characters stay in order).
has() {
	if [ "$1" = 2 ]; then
		tr -d ' ' <"$tmp/p2" >"$tmp/p2.nospace"
		want=$(printf '%s' "$2" | tr -d ' ')
		grep -qF "$want" "$tmp/p2.nospace"
	else
		grep -qF "$2" "$tmp/p$1"
	fi || {
		echo "#   page $1 lacks: $2"
		return 1
	}
}

if ! command -v pdftotext >/dev/null 2>&1; then
	skip "pdftotext (poppler-utils) not installed"
	skip "pdftotext (poppler-utils) not installed"
else
	# 4. Page 1: French (ligatures), Russian, the catalogues' wording
	# (pdftotext shows no-break spaces as spaces), hyphenation as soft
	# hyphens.
	page_text 1
	shy=$(printf '\302\255')
	if has 1 "l’efficacité des réfugiés, AVATAR, Tournée" &&
		has 1 "Русский: Нагорный Карабах, около 120 000 человек" &&
		has 1 "19 septembre 2023 · au moins 12 000 personnes" &&
		has 1 "19 сентября 2023 г." &&
		has 1 "Página 1 de 4" &&
		has 1 "щонайменше 12 000 людей" &&
		has 1 "English inside Français: the word" &&
		grep -q "orga$shy\$" "$tmp/p1" && [ ! -s "$tmp/text.err" ]; then
		ok "pdftotext: French, Russian, Spanish, Ukrainian text and hyphens"
	else
		not_ok "pdftotext: French, Russian, Spanish, Ukrainian text and hyphens"
		show "$tmp/p1"
		show "$tmp/text.err"
	fi
	# 5. Page 2 (right to left): Arabic and Hebrew lines in logical
	# order, with Latin and digits inside; the lam-alef ligature and the
	# marks of a vocalised word come back as written. (Two numbers with
	# only a neutral between them, "2023 · 12,000", poppler keeps in
	# visual order: its bidi pass is simpler than UAX #9; not checked.)
	page_text 2
	if has 2 "محرّك النصوص في brief" &&
		has 2 "نزح أكثر من 100,000 شخص" &&
		has 2 "لا بَيْتٌ" &&
		has 2 "לפי" && has 2 "יותר" && has 2 "עקורים" &&
		has 2 "المصادر · 19 سبتمبر" && has 2 "شخص على الأقل" &&
		has 2 "المصادر · ١٩ سبتمبر" && has 2 "الصفحة ١ من ٤" &&
		has 2 "قدّرت المنظمات الإنسانية أن أكثر من 100,000 شخص غادروا" &&
		[ ! -s "$tmp/text.err" ]; then
		ok "pdftotext: Arabic and Hebrew in logical order"
	else
		not_ok "pdftotext: Arabic and Hebrew in logical order"
		show "$tmp/p2"
	fi
fi

# 6. MuPDF renders both pages without complaint.
if ! command -v mutool >/dev/null 2>&1; then
	skip "mutool (mupdf-tools) not installed"
elif mutool draw -o "$tmp/page%d.png" -r 60 "$pdf" >"$tmp/mutool" 2>&1 &&
	! grep -v 'ICC support is not available' "$tmp/mutool" |
		grep -qi 'error\|warning' &&
	[ -s "$tmp/page1.png" ] && [ -s "$tmp/page2.png" ]; then
	ok "mutool draws both pages"
else
	not_ok "mutool draws both pages"
	show "$tmp/mutool"
fi

# 7. The same run again gives the same bytes.
"$demo" "$tmp/again.pdf" >/dev/null 2>&1
if cmp -s "$pdf" "$tmp/again.pdf"; then
	ok "two runs are byte-identical"
else
	not_ok "two runs are byte-identical"
fi

# 8. As PDF/A-1b: the fonts' CapHeight and CIDSet satisfy PDFBox.
jars=/usr/share/java
cp=""
for j in preflight pdfbox2 fontbox2 xmpbox commons-logging javax.activation \
	jaxb-api; do
	if [ ! -r "$jars/$j.jar" ]; then
		cp=""
		break
	fi
	cp="${cp:+$cp:}$jars/$j.jar"
done
icc=/usr/share/color/icc/sRGB.icc
if ! command -v java >/dev/null 2>&1 || [ -z "$cp" ] || [ ! -r "$icc" ]; then
	skip "Java, PDFBox preflight or the sRGB profile not installed"
elif "$demo" "$tmp/a.pdf" --pdfa "$icc" >/dev/null 2>"$tmp/a.err" &&
	java -cp "$cp" org.apache.pdfbox.preflight.Validator_A1b "$tmp/a.pdf" \
		>"$tmp/preflight" 2>&1 &&
	grep -q 'is a valid PDF/A-1b file' "$tmp/preflight"; then
	ok "PDFBox preflight: valid PDF/A-1b"
else
	not_ok "PDFBox preflight: valid PDF/A-1b"
	show "$tmp/a.err"
	show "$tmp/preflight"
fi

finish
