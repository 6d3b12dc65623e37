#!/bin/sh
# pdfua.sh — brief's PDFs are tagged (PDF/UA-1, docs/accessibility.md):
# for the default briefing, two fixture briefings and the --pdfa build,
# pdfinfo says Tagged: yes, the XMP is well-formed, qpdf --check is
# clean, and the Matterhorn Protocol checker (tests/e2e/pdfua-check.py,
# over qpdf's JSON) passes every condition it checks; the checker itself
# fails on a briefing from
# which one artifact's marking, a Figure's alt text and DisplayDocTitle
# were taken out. pdf.js's view of the structure tree is checked in
# e2e.sh, PDF/A-1b validity of the tagged --pdfa file in pdfa.sh.
#
# TAP output; $BRIEF is the binary, $VG an optional valgrind prefix.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief

have() { command -v "$1" >/dev/null 2>&1; }
checker=tests/e2e/pdfua-check.py

# one NAME ARGS...: build, then every check on $tmp/NAME.pdf.
one() {
	nm=$1
	shift
	run_brief build -q -o "$tmp/$nm.pdf" "$@"
	if [ "$rc" -ne 0 ] || [ ! -s "$tmp/$nm.pdf" ]; then
		not_ok "$nm: builds"
		show_run
		return
	fi
	if ! have pdfinfo; then
		skip "$nm: pdfinfo says Tagged: yes" "pdfinfo not installed"
	else
		check "$nm: pdfinfo says Tagged: yes" \
			sh -c "pdfinfo '$tmp/$nm.pdf' | grep -q '^Tagged: *yes'"
	fi
	if ! have pdfinfo || ! have xmllint; then
		skip "$nm: its XMP metadata is well-formed XML" "pdfinfo or xmllint not installed"
	else
		check "$nm: its XMP metadata is well-formed XML" \
			sh -c "pdfinfo -meta '$tmp/$nm.pdf' | sed 's/<?xpacket[^>]*>//g' |
				xmllint --noout - 2>/dev/null"
	fi
	if ! have qpdf; then
		skip "$nm: qpdf --check clean" "qpdf not installed"
		return
	fi
	if qpdf --check "$tmp/$nm.pdf" >"$tmp/$nm.qpdf" 2>&1 &&
		! grep -qi 'warning' "$tmp/$nm.qpdf"; then
		ok "$nm: qpdf --check clean"
	else
		not_ok "$nm: qpdf --check clean"
		show "$tmp/$nm.qpdf"
	fi
	if ! have python3; then
		skip "$nm: Matterhorn checker passes" "python3 not installed"
	elif python3 "$checker" "$tmp/$nm.pdf" >"$tmp/$nm.mh" 2>&1; then
		ok "$nm: Matterhorn checker passes ($(grep -c '^ok' "$tmp/$nm.mh") conditions)"
	else
		not_ok "$nm: Matterhorn checker passes"
		show "$tmp/$nm.mh"
	fi
}

one karabakh layouts/karabakh.md
one kassoume tests/conflicts/kassoume/briefing.md
one ozerna tests/conflicts/ozerna/briefing.md
one pdfa --pdfa layouts/karabakh.md

# The --pdfa metadata is libharu's PDF/A XMP with the PDF/UA part added
# (once, with its extension schema), not a second metadata stream.
if have qpdf && [ -s "$tmp/pdfa.pdf" ]; then
	qpdf --qdf --object-streams=disable "$tmp/pdfa.pdf" "$tmp/pdfa.qdf" 2>/dev/null
	check "pdfa: one XMP packet, with pdfaid and pdfuaid and the schema" \
		sh -c "[ \$(grep -ac '<?xpacket begin' '$tmp/pdfa.qdf') -eq 1 ] &&
			grep -aq 'pdfaid:part=.1' '$tmp/pdfa.qdf' &&
			grep -aq '<pdfuaid:part>1</pdfuaid:part>' '$tmp/pdfa.qdf' &&
			grep -aq '<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>' '$tmp/pdfa.qdf'"
else
	skip "pdfa: one XMP packet, with pdfaid and pdfuaid and the schema" "qpdf not installed"
fi

# The checker can fail: the default briefing with its first header
# artifact unmarked (its BDC blanked, its EMC kept), the Figures' /Alt
# renamed and DisplayDocTitle false.
if have qpdf && have python3 && [ -s "$tmp/karabakh.pdf" ]; then
	qpdf --qdf --object-streams=disable "$tmp/karabakh.pdf" "$tmp/k.qdf"
	python3 - "$tmp/k.qdf" "$tmp/k2.qdf" <<'EOF'
import sys
d = open(sys.argv[1], "rb").read()
bdc = b"/Artifact <</Type /Pagination /Subtype /Header>> BDC"
d = d.replace(bdc, b" " * len(bdc), 1)
d = d.replace(b"/Alt ", b"/Alx ")
d = d.replace(b"/DisplayDocTitle true", b"/DisplayDocTitle false")
open(sys.argv[2], "wb").write(d)
EOF
	fix-qdf "$tmp/k2.qdf" >"$tmp/k2.qdf2" 2>/dev/null
	qpdf "$tmp/k2.qdf2" "$tmp/bad.pdf" 2>/dev/null
	python3 "$checker" "$tmp/bad.pdf" >"$tmp/bad.mh" 2>&1
	r=$?
	if [ "$r" -eq 1 ] && grep -q '^FAIL 01-005' "$tmp/bad.mh" &&
		grep -q '^FAIL 13-004' "$tmp/bad.mh" &&
		grep -q '^FAIL 07-001' "$tmp/bad.mh"; then
		ok "the checker fails untagged content, a Figure without alt, DisplayDocTitle false"
	else
		not_ok "the checker fails untagged content, a Figure without alt, DisplayDocTitle false (exit $r)"
		show "$tmp/bad.mh"
	fi
else
	skip "the checker fails a damaged briefing" "qpdf or python3 not installed"
fi

finish
