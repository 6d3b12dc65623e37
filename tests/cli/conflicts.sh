#!/bin/sh
# conflicts.sh — two fictional conflicts unlike the shipped one
# (tests/conflicts/*/): their data directories check clean, their
# briefings check and build, and the PDFs read back with pdftotext hold
# the figures, names and words of the data in their own scripts (Cyrillic,
# Georgian and Ukrainian transliterations, Greek, West African letters).
# Output is TAP; $BRIEF is the binary, $VG an optional valgrind prefix.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief

for tool in pdftotext pdffonts qpdf; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		not_ok "$tool is installed (make test-deps)"
		finish
		exit 1
	fi
done

# has NAME TEXT...: every TEXT occurs in NAME's extracted text (whitespace
# collapsed, so a phrase broken across lines still matches).
has() {
	name=$1
	shift
	for want in "$@"; do
		if ! grep -qF -- "$want" "$tmp/$name.flat"; then
			not_ok "$name: the PDF says '$want'"
			return
		fi
	done
	ok "$name: the PDF has its figures and names ($# strings)"
}

# conflict NAME ROWS: check, build and read back tests/conflicts/NAME.
conflict() {
	dir=tests/conflicts/$1
	run_brief check --data "$dir/data"
	if [ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ] &&
		grep -qx "brief: $dir/data: $2 rows in 6 files, no errors" "$tmp/out"; then
		ok "$1: the data directory checks clean ($2 rows)"
	else
		not_ok "$1: the data directory checks clean ($2 rows)"
		show_run
	fi
	run_brief check "$dir/briefing.md"
	if [ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ] &&
		grep -qx "brief: $dir/briefing.md: ok (0 warnings)" "$tmp/out"; then
		ok "$1: the briefing checks with no warning"
	else
		not_ok "$1: the briefing checks with no warning"
		show_run
	fi
	run_brief build -q -o "$tmp/$1.pdf" "$dir/briefing.md"
	if [ "$rc" -eq 0 ] && [ -s "$tmp/$1.pdf" ] && [ ! -s "$tmp/err" ]; then
		ok "$1: the briefing builds"
	else
		not_ok "$1: the briefing builds"
		show_run
		return
	fi
	pdftotext -enc UTF-8 "$tmp/$1.pdf" "$tmp/$1.txt" 2>"$tmp/$1.pt"
	tr -s '\n\t ' '   ' <"$tmp/$1.txt" >"$tmp/$1.flat"
	check "$1: pdftotext reads it without a warning" [ ! -s "$tmp/$1.pt" ]
	if grep -q "$(printf '\357\277\275')" "$tmp/$1.txt"; then
		not_ok "$1: no character reached the page as U+FFFD"
	else
		ok "$1: no character reached the page as U+FFFD"
	fi
	if qpdf --check "$tmp/$1.pdf" >"$tmp/$1.qpdf" 2>&1; then
		ok "$1: qpdf --check"
	else
		not_ok "$1: qpdf --check"
		show "$tmp/$1.qpdf"
	fi
	if pdffonts "$tmp/$1.pdf" | awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }'; then
		ok "$1: every font is embedded"
	else
		not_ok "$1: every font is embedded"
	fi
}

conflict ozerna 66
has ozerna \
	"Ozerna Dolyna (Tbakheti), 2019–2023" \
	"Озерна Долина" "Заозерний" "Гребенівка" "Ліга допомоги «Світанок»" \
	"Tsiteli Mtis K'avshiri, Sakhelmts'ipo Usaprtkhoebis Samsakhuri" \
	"Dzveli T'ba" "Müller-Šimić" \
	"412 civilians killed" "more than 600" "at most 150" "380–450" \
	"about 18,000" "15,000–22,000" "at least 12,000" \
	"1,480 km²" "1,120 km²" "2,540 km²" "1,050–1,150 km²" "about 68%" \
	"0 hospitals" "182 days" "40,000–70,000 mines" \
	"обстріл" "переговори" "евакуація" "blockade" "election" \
	"Перша евакуація з Заозерного" "abducted" "combatant" \
	"Quantities with more than one claim" \
	"April – September 2019" "March – August 2022"
# The contested table puts the two claims for 1 June 2021 side by side.
if grep -q "1 June 2021.*Velykodar Ministry of Defence.*1,480 km²" "$tmp/ozerna.flat" &&
	grep -q "Tsiteli Mtis State Security Service 1,120 km²" "$tmp/ozerna.flat"; then
	ok "ozerna: a same-date disagreement is listed as contested"
else
	not_ok "ozerna: a same-date disagreement is listed as contested"
fi

conflict kassoume 58
has kassoume \
	"Haute-Kassoumé, 2015–2022" \
	"Kéméné-Ŋaari" "Ɗiɓɓe-Wuro" "Sɔkɔbugu" "Gorom-Ɓaali" "Tiéwéré" \
	"Front de libération du Ŋaari (FLŊ)" \
	"Ιατρική Αλληλεγγύη Σαχέλ" \
	"Εκτοπισμός και έλεγχος εδαφών στο Άνω Κασουμέ" \
	"Ε. Παπαδοπούλου" "« Ɓaali II »" \
	"about 47" "more than 60" "41–55" "at least 23" "11,300" \
	"nearly 12,000" "more than 15,000" "10,500–13,000" \
	"4,200 km²" "2,900 km²" "3,600–3,900 km²" "nearly 46%" \
	"0 health centres" \
	"élection" "attaque" "accord" "déplacement" "enlèvement" \
	"tués" "enlevés" "disparus" "civils" "militaires" \
	"Territorial control as reported"
# control.csv has French headers: read by hashtag, its rows appear under
# brief's names (the table asks for value, controller, reported_by).
if grep -q "20 March 2022 Forces armées kandaréennes 4,500 km²" "$tmp/kassoume.flat"; then
	ok "kassoume: a file with its own headers loads by hashtag"
else
	not_ok "kassoume: a file with its own headers loads by hashtag"
fi

# The vocabulary file is an input of the briefing: changing it rebuilds.
cp -R tests/conflicts/kassoume "$tmp/k"
run_plain build --if-changed -q -o "$tmp/k.pdf" "$tmp/k/briefing.md"
run_plain build --if-changed -o "$tmp/k.pdf" "$tmp/k/briefing.md"
if grep -q "is up to date" "$tmp/out"; then
	printf '# a comment changes the file\n' >>"$tmp/k/data/vocabulary.yaml"
	run_plain build --if-changed -o "$tmp/k.pdf" "$tmp/k/briefing.md"
	if [ "$rc" -eq 0 ] && grep -q "wrote" "$tmp/out"; then
		ok "a changed vocabulary.yaml rebuilds an --if-changed briefing"
	else
		not_ok "a changed vocabulary.yaml rebuilds an --if-changed briefing"
		show_run
	fi
else
	not_ok "--if-changed skips an unchanged briefing"
	show_run
fi

# A broken vocabulary file stops the build, with its position.
printf 'events:\n  kind:\n    replace: [attaque, accord\n' >"$tmp/k/data/vocabulary.yaml"
run_plain build -o "$tmp/k2.pdf" "$tmp/k/briefing.md"
if [ "$rc" -eq 1 ] && [ ! -e "$tmp/k2.pdf" ] &&
	grep -q "^$tmp/k/data/vocabulary.yaml:4:1: error: YAML: did not find expected ',' or ']'" "$tmp/err"; then
	ok "a broken vocabulary.yaml is an error at its position, no PDF"
else
	not_ok "a broken vocabulary.yaml is an error at its position, no PDF"
	show_run
fi

finish
