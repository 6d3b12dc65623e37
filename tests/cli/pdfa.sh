#!/bin/sh
# pdfa.sh — `brief build --pdfa` on the default briefing is valid PDF/A-1b
# and tagged (PDF/UA-1), and the plain PDF of it is small (subset fonts)
# and reproducible.
#
# The PDF is validated with PDFBox's preflight (Debian libpdfbox2-java, run
# with a headless JRE plus libactivation-java and libjaxb-api-java), and
# checked with qpdf --check and pdffonts (every font embedded, subset and
# with a ToUnicode map). The preflight test is skipped, with a TAP skip,
# only when Java or the PDFBox jars are not installed.
#
# Output is TAP ("ok N - name" / "not ok N - name"). $BRIEF is the binary
# (tests/run.sh exports it); $VG, when set, is a valgrind command to run it
# under.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

if [ ! -x "$BRIEF" ]; then
	echo "1..1"
	echo "not ok 1 - brief binary not found at $BRIEF (run make)"
	exit 1
fi

echo "1..8"
pdf="$tmp/k.pdf"

# 1. The build itself.
# shellcheck disable=SC2086
$VG "$BRIEF" build -q --pdfa -o "$pdf" layouts/karabakh.md \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && [ -s "$pdf" ] && [ ! -s "$tmp/err" ]; then
	ok "build --pdfa of the default briefing"
else
	not_ok "build --pdfa of the default briefing (exit $rc)"
	show "$tmp/err"
fi

# 2. qpdf finds no damage and no warnings.
if ! command -v qpdf >/dev/null 2>&1; then
	skip "qpdf --check clean" "qpdf not installed"
elif qpdf --check "$pdf" >"$tmp/qpdf" 2>&1 &&
	grep -q 'No syntax or stream encoding errors' "$tmp/qpdf" &&
	! grep -qi 'warning' "$tmp/qpdf"; then
	ok "qpdf --check clean"
else
	not_ok "qpdf --check clean"
	show "$tmp/qpdf"
fi

# 3. Every font embedded, subset, with a ToUnicode map; the main faces are
# there and no fallback face that the briefing does not use.
if ! command -v pdffonts >/dev/null 2>&1; then
	skip "pdffonts: fonts embedded subsets with ToUnicode" "pdffonts (poppler-utils) not installed"
elif pdffonts "$pdf" >"$tmp/fonts" 2>&1; then
	total=$(grep -c '^[A-Z]\{6\}+' "$tmp/fonts")
	good=$(grep '^[A-Z]\{6\}+' "$tmp/fonts" | grep -c 'CID TrueType .* yes yes yes')
	if [ "$total" -ge 2 ] && [ "$total" -eq "$good" ] &&
		grep -q '^[A-Z]\{6\}+NotoSans-Regular ' "$tmp/fonts" &&
		grep -q '^[A-Z]\{6\}+NotoSans-Bold' "$tmp/fonts"; then
		ok "pdffonts: $total fonts, all embedded subsets with ToUnicode"
	else
		not_ok "pdffonts: $good of $total fonts embedded subsets with ToUnicode"
		show "$tmp/fonts"
	fi
else
	not_ok "pdffonts runs"
	show "$tmp/fonts"
fi

# 4. The text comes back from the PDF/A file (ToUnicode maps are right).
if ! command -v pdftotext >/dev/null 2>&1; then
	skip "pdftotext extracts the title and body" "pdftotext (poppler-utils) not installed"
elif pdftotext -enc UTF-8 "$pdf" "$tmp/text" 2>"$tmp/text.err" &&
	[ ! -s "$tmp/text.err" ] &&
	grep -q 'Nagorno-Karabakh, 1988–2023' "$tmp/text" &&
	grep -q 'Stepanakert' "$tmp/text"; then
	ok "pdftotext extracts the title and body without warnings"
else
	not_ok "pdftotext extracts the title and body without warnings"
	show "$tmp/text.err"
fi

# 5. PDFBox preflight says valid PDF/A-1b.
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
if ! command -v java >/dev/null 2>&1 || [ -z "$cp" ]; then
	skip "PDFBox preflight: valid PDF/A-1b" "Java or PDFBox preflight not installed"
else
	java -cp "$cp" org.apache.pdfbox.preflight.Validator_A1b "$pdf" \
		>"$tmp/preflight" 2>&1
	if grep -q 'is a valid PDF/A-1b file' "$tmp/preflight"; then
		ok "PDFBox preflight: valid PDF/A-1b"
	else
		not_ok "PDFBox preflight: valid PDF/A-1b"
		show "$tmp/preflight"
	fi
fi

# 6. The plain PDF stays under 150 KB (the fonts are embedded as subsets;
# a whole font would add hundreds). Its structure tree (docs/accessibility.md)
# is about 50 KB of it: some 290 elements and their ParentTree entries,
# written uncompressed, since libharu has no object streams.
# shellcheck disable=SC2086
$VG "$BRIEF" build -q -o "$tmp/a.pdf" layouts/karabakh.md >/dev/null 2>&1
size=$(wc -c <"$tmp/a.pdf" 2>/dev/null || echo 0)
if [ "$size" -gt 1000 ] && [ "$size" -lt 150000 ]; then
	ok "default briefing PDF is $size bytes (< 150000)"
else
	not_ok "default briefing PDF is $size bytes (want 1000..150000)"
fi

# 7. Same inputs, same bytes (subset fonts and tags are deterministic).
"$BRIEF" build -q -o "$tmp/b.pdf" layouts/karabakh.md >/dev/null 2>&1
if [ -s "$tmp/a.pdf" ] && cmp -s "$tmp/a.pdf" "$tmp/b.pdf"; then
	ok "two builds are byte-identical"
else
	not_ok "two builds are byte-identical"
fi

# 8. What preflight passed in 5 is the tagged PDF (docs/accessibility.md):
# a structure tree, marked content and the PDF/UA part in its XMP.
if ! command -v pdfinfo >/dev/null 2>&1; then
	skip "the PDF/A file is tagged, with pdfuaid in its XMP" "pdfinfo (poppler-utils) not installed"
elif pdfinfo "$pdf" 2>/dev/null | grep -q '^Tagged: *yes' &&
	pdfinfo -meta "$pdf" 2>/dev/null | grep -q '<pdfuaid:part>1</pdfuaid:part>'; then
	ok "the PDF/A file is tagged, with pdfuaid in its XMP"
else
	not_ok "the PDF/A file is tagged, with pdfuaid in its XMP"
fi

[ "$failed" -eq 0 ]
