#!/bin/sh
# typeset_check.sh — any text the fonts can draw builds, and reads back as written;
# what cannot be drawn (no font has it, right-to-left, control characters,
# past U+FFFF) is refused by `check` and `build` alike, each character at
# its layout position or dataset field; links only to http, https, mailto
# or a heading (a GoTo). Every layout in the repository: check passes
# exactly when build does.
#
# TAP output; $BRIEF is the binary, $VG an optional valgrind prefix.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief

data=$ROOT/tests/layouts/data

# layout NAME BODY: $tmp/NAME.md, a title and BODY over the test data.
layout() {
	printf -- '---\ntitle: Text test\ndata: %s\n---\n\n%s\n' "$data" "$2" \
		>"$tmp/$1.md"
}

# builds NAME WORD...: check and build succeed, and pdftotext gives back
# every WORD as written (no U+FFFD anywhere).
builds() {
	name=$1
	shift
	run_plain check "$tmp/$name.md"
	c=$rc
	run_brief build -q -o "$tmp/$name.pdf" "$tmp/$name.md"
	if [ "$c" -ne 0 ] || [ "$rc" -ne 0 ] || [ ! -s "$tmp/$name.pdf" ]; then
		not_ok "$name: check and build succeed (check $c, build $rc)"
		show_run
		return
	fi
	pdftotext -enc UTF-8 "$tmp/$name.pdf" - 2>/dev/null |
		tr -s '\n' ' ' >"$tmp/$name.txt"
	missing=""
	for w in "$@"; do
		grep -qF -- "$w" "$tmp/$name.txt" || missing="$missing '$w'"
	done
	if grep -q "$(printf '\357\277\275')" "$tmp/$name.txt"; then
		missing="$missing U+FFFD"
	fi
	if [ -z "$missing" ]; then
		ok "$name: builds and reads back as written"
	else
		not_ok "$name: text lacks$missing"
		show "$tmp/$name.txt"
	fi
}

# refused NAME ERRORS WANT...: check and build both exit 1 with the same
# ERRORS error lines, each WANT among them, and no PDF is written.
refused() {
	name=$1
	count=$2
	shift 2
	run_plain check "$tmp/$name.md"
	c=$rc
	grep ': error: ' "$tmp/err" >"$tmp/$name.check"
	run_brief build -q -o "$tmp/$name.pdf" "$tmp/$name.md"
	grep ': error: ' "$tmp/err" >"$tmp/$name.build"
	missing=""
	for w in "$@"; do
		grep -qF -- "$w" "$tmp/$name.check" || missing="$missing '$w'"
	done
	got=$(wc -l <"$tmp/$name.check")
	if [ "$c" -eq 1 ] && [ "$rc" -eq 1 ] && [ ! -e "$tmp/$name.pdf" ] &&
		[ "$got" -eq "$count" ] && [ -z "$missing" ] &&
		cmp -s "$tmp/$name.check" "$tmp/$name.build"; then
		ok "$name: check and build refuse it with $count positioned errors"
	else
		not_ok "$name: refused by both (check $c, build $rc, $got errors, want $count; lacks$missing)"
		show "$tmp/$name.check"
		show "$tmp/$name.build"
	fi
}

# ---- what issue 8 saw fail (PDF writer error 0x1033 after check said ok)

layout cyrillic 'Лусаванк'
builds cyrillic 'Лусаванк'
layout latin1 'café crème. Text é here.'
builds latin1 'café crème' 'Text é here.'
layout ellipsis '… He said… nothing.'
builds ellipsis '…' 'He said… nothing.'
# (pdftotext gives a no-break space back as a space)
layout spaces "$(printf 'a\302\240b zero\342\200\213width')"
builds spaces 'a b' "$(printf 'zero\342\200\213width')"
layout bold '**ş** and *ğ* and `ə`'
builds bold 'ş and ğ and ə'
layout mixed 'Novograd/Новоград, Ödön Szőke, Ərəşli, “quotes”, 12 000 km² … Լուսավանք; Ελλάδα, €5, ₼10, ₽, ₺.'
builds mixed 'Novograd/Новоград,' 'Ödön Szőke,' 'Ərəşli,' '“quotes”,' \
	'km²' 'Լուսավանք;' 'Ελλάδα,' '€5,' '₼10,'

# Found by fuzz_doc: libharu rebuilt this document's regular font to
# exactly 4096 bytes and could not seek to the end of it (0x1033).
run_brief build -q -o "$tmp/font-4096.pdf" tests/layouts/font-4096.md
expect_rc "a font libharu rebuilds to 4096 bytes builds" 0

# The default briefing with a sentence more (its data by --data).
sed 's/^data: .*/data: datasets/' layouts/karabakh.md >"$tmp/karabakh.md"
printf '\nHe said… nothing. Лусаванк, café crème, **ş**.\n' >>"$tmp/karabakh.md"
run_brief build -q -d "$ROOT/datasets" -o "$tmp/karabakh.pdf" "$tmp/karabakh.md"
if [ "$rc" -eq 0 ] && pdftotext -enc UTF-8 "$tmp/karabakh.pdf" - |
	grep -qF 'He said… nothing. Лусаванк, café crème, ş.'; then
	ok "karabakh.md with an ellipsis, Cyrillic and bold ş builds"
else
	not_ok "karabakh.md with an ellipsis, Cyrillic and bold ş builds"
	show_run
fi

# A whole briefing in mixed scripts: title, header, key figures, lists,
# quote, chart, table, bibliography (tests/layouts/scripts.md).
cp tests/layouts/scripts.md "$tmp/scripts.md"
sed -i "s|^data: .*|data: $data|" "$tmp/scripts.md"
builds scripts 'Ərəşli — Лусаванк — Լուսավանք' 'Desk “Ödön” · Zoë Łukasiewicz' \
	'Ελληνικά, Кириллица, Հայերեն' 'Ödön Szőke said… nothing [1].' \
	'Şuşa and Ağdam' 'Θεσσαλονίκη;' 'Ստեփանակերտ, Շուշի.' \
	'people lived in Լուսավանք (Valmora)' 'wounded by landmines — Мины' \
	'«Նախադասություն», „Zitat“' 'Deaths in the 2020 war — Погибшие, Զոհեր' \
	'Share of Valmora held — Контроль' '• Third · Ђ Љ Њ Ћ'

# ---- refused, with the place of each character ----


# every character in one run: CJK in bold, emoji, an unassigned code
# point, a repeat of the same letter in another style
layout nofont "$(printf '# Heading 北京\n\nAn emoji \360\237\230\200, U+0378 \315\270, and *北京* again.')"
refused nofont 4 \
	"$tmp/nofont.md:6:11: error: '北京' (U+5317, U+4EAC) cannot be typeset: no font has these characters (tried NotoSans-Bold.ttf, NotoSansArmenian-Bold.ttf, NotoSansArabic-Bold.ttf, NotoSansHebrew-Bold.ttf, NotoSansArmenian-Regular.ttf, NotoSansArabic-Regular.ttf, NotoSansHebrew-Regular.ttf)" \
	"$tmp/nofont.md:8:10: error: '😀' (U+1F600 GRINNING FACE) cannot be typeset: no font has it (tried NotoSans-Regular.ttf, NotoSansArmenian-Regular.ttf, NotoSansArabic-Regular.ttf, NotoSansHebrew-Regular.ttf, NotoSansArmenian-Bold.ttf, NotoSansArabic-Bold.ttf, NotoSansHebrew-Bold.ttf)" \
	"$tmp/nofont.md:8:20: error: '$(printf '\315\270')' (U+0378) cannot be typeset" \
	"$tmp/nofont.md:8:28: error: '北京' (U+5317, U+4EAC) cannot be typeset: no font has these characters (tried NotoSans-Italic.ttf"

# front matter and a key figure label (YAML), at the character
printf -- '---\ntitle: Report on 北京\ndata: %s\n---\n\n```keyfigures\n- ref: figures:fig-pop-2023\n  label: people in 東京\n```\n' \
	"$data" >"$tmp/yaml.md"
refused yaml 2 \
	"$tmp/yaml.md:2:18: error: '北京' (U+5317, U+4EAC) cannot be typeset" \
	"$tmp/yaml.md:8:20: error: '東京' (U+6771, U+4EAC) cannot be typeset"

# Text from the data: a source title in the bibliography, an event title
# in a timeline chart: at their CSV rows and fields.
cp -r "$data" "$tmp/data"
sed -i 's/^src-ngo,Humanitarian update/src-ngo,Humanitarian update 北/' "$tmp/data/sources.csv"
sed -i 's/^ev-003,2023-09-19,offensive,Southland offensive/ev-003,2023-09-19,offensive,Southland offensive 東/' "$tmp/data/events.csv"
printf -- '---\ntitle: Data text\ndata: data\n---\n\nAid [@src-ngo].\n\n```timeline\ntitle: Events\n```\n' >"$tmp/datatext.md"
refused datatext 2 \
	"$tmp/data/sources.csv:3: error: '北' (U+5317) cannot be typeset: no font has it (tried NotoSans-Italic.ttf" \
	"$tmp/data/events.csv:4:29: error: '東' (U+6771) cannot be typeset"

# ---- links ----

# The heading on page 2, so that the GoTo is seen to go somewhere.
printf -- '---\ntitle: Links\ndata: %s\n---\n\nSee [the figures](#contested-figures) and [Relief Watch](https://example.org/r).\n\n```pagebreak\n```\n\n# Contested figures\n\nText.\n' \
	"$data" >"$tmp/goto.md"
run_brief build -q -o "$tmp/goto.pdf" "$tmp/goto.md"
if [ "$rc" -eq 0 ] &&
	qpdf --json=2 --json-key=qpdf "$tmp/goto.pdf" | tr -d ' \n' >"$tmp/goto.json" &&
	grep -q '"/Dest":"[0-9]*0R","/F":4' "$tmp/goto.json" &&
	grep -q '"/URI":"u:https://example.org/r"' "$tmp/goto.json" &&
	! grep -q 'contested-figures' "$tmp/goto.json"; then
	ok "qpdf: a #heading link is a GoTo to a destination, a URL a URI action"
else
	not_ok "qpdf: a #heading link is a GoTo to a destination, a URL a URI action"
	show_run
	head -c 2000 "$tmp/goto.json" | sed 's/^/#   /'
fi
# pdf.js follows the GoTo to the heading's page. pdfjs-dist comes from
# $PDFJS_DIR or the test cache (tests/cli/e2e.sh installs it).
pjs=""
for d in "${PDFJS_DIR:-}" "$HOME"/.cache/brief-tests/pdfjs-dist-*; do
	[ -n "$d" ] && [ -d "$d/node_modules/pdfjs-dist" ] && pjs=$d
done
if [ -z "$pjs" ] || ! command -v node >/dev/null 2>&1; then
	skip "pdf.js link annotations: no pdfjs-dist installed (PDFJS_DIR)"
else
	mkdir -p "$tmp/pjs"
	ln -s "$pjs/node_modules" "$tmp/pjs/node_modules"
	cp tests/e2e/pdfjs-links.mjs "$tmp/pjs/"
	node "$tmp/pjs/pdfjs-links.mjs" "$tmp/goto.pdf" >"$tmp/links.txt" 2>&1
	if grep -qx 'page 1 goto 2' "$tmp/links.txt" &&
		grep -qx 'page 1 url https://example.org/r' "$tmp/links.txt"; then
		ok "pdf.js: the #heading link goes to page 2, the URL is a link out"
	else
		not_ok "pdf.js: the #heading link goes to page 2, the URL is a link out"
		show "$tmp/links.txt"
	fi
fi

layout hostile '[a](javascript:alert(1)) [b](&#106;avascript:x) [c](JaVaScRiPt:x) [d](file:///etc/passwd) [e](data:text/html,x) [f](vbscript:x) [g](#nowhere)'
refused hostile 7 \
	"$tmp/hostile.md:6:1: error: link to 'javascript:alert(1)' refused: only http, https and mailto links (or #heading) are written into a briefing" \
	"$tmp/hostile.md:6:26: error: link to 'javascript:x' refused" \
	"$tmp/hostile.md:6:49: error: link to 'JaVaScRiPt:x' refused" \
	"$tmp/hostile.md:6:67: error: link to 'file:///etc/passwd' refused" \
	"$tmp/hostile.md:6:91: error: link to 'data:text/html,x' refused" \
	"$tmp/hostile.md:6:113: error: link to 'vbscript:x' refused" \
	"$tmp/hostile.md:6:129: error: no heading has the anchor '#nowhere'"

# ---- PDF/A-1 limits ----

# 8,192 pages: one /Kids array of more than 8191 entries is not PDF/A-1.
awk -v data="$data" 'BEGIN {
	printf "---\ntitle: Pages\ndata: %s\n---\n\n", data
	for (i = 0; i < 8191; i++) printf "Page.\n\n```pagebreak\n```\n\n"
	print "Last."
}' >"$tmp/pages.md"
run_plain check --pdfa "$tmp/pages.md"
c=$rc
grep -qxF "$tmp/pages.md: error: the briefing has 8192 pages; PDF/A-1 allows at most 8191" "$tmp/err"
m=$?
run_plain build --pdfa -q -o "$tmp/pages.pdf" "$tmp/pages.md"
if [ "$c" -eq 1 ] && [ "$m" -eq 0 ] && [ "$rc" -eq 1 ] && [ ! -e "$tmp/pages.pdf" ]; then
	ok "--pdfa: 8192 pages refused by check and build"
else
	not_ok "--pdfa: 8192 pages refused by check and build (check $c, build $rc)"
	show_run
fi
run_plain build -q -o "$tmp/pages.pdf" "$tmp/pages.md"
expect_rc "without --pdfa, 8192 pages build" 0

# ---- check passes exactly when build does, on every layout here ----

mism=""
count=0
for L in $(git ls-files 'layouts/*.md' 'tests/*.md' 'tests/**/*.md' 2>/dev/null); do
	head -n 1 "$L" | grep -q '^---' || continue
	count=$((count + 1))
	run_plain check "$L"
	c=$rc
	run_plain build -q -o "$tmp/agree.pdf" "$L"
	if { [ "$c" -eq 0 ] && [ "$rc" -ne 0 ]; } || { [ "$c" -ne 0 ] && [ "$rc" -eq 0 ]; }; then
		mism="$mism $L(check $c, build $rc)"
	fi
	rm -f "$tmp/agree.pdf"
done
if [ "$count" -gt 20 ] && [ -z "$mism" ]; then
	ok "check and build agree on all $count layouts in the repository"
else
	not_ok "check and build agree on $count layouts:$mism"
fi

finish
