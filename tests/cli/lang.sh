#!/bin/sh
# lang.sh — briefings in French, Russian and Arabic (tests/lang/*.md, over
# the fictional datasets in tests/lang/data): each builds with charts,
# tables, key figures and a timeline; pdftotext gives back the words of
# its prose as the layout has them (Arabic in logical order, words
# hyphenated at a line end joined), its generated text is in its language
# (page furniture, edition, period and contacts, bibliography, numbers,
# dates, figure wording, compact and money figures) with no English left
# in the page or the exported charts' alt texts, the
# catalogue says /Lang, every font is an embedded subset with ToUnicode,
# and the Arabic page mirrors (its running header's title at the right).
# A fixture shows lines broken inside words (after a hyphen) and French
# punctuation kept on its line, another Serbian italic forms drawn for a
# <span lang="sr">. Output is TAP.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

if ! command -v pdftotext >/dev/null 2>&1 || ! command -v perl >/dev/null 2>&1; then
	skip "language briefings" "pdftotext (poppler-utils) or perl missing"
	echo "1..$n"
	exit 0
fi

# The text of a PDF: bidi controls poppler adds dropped, words hyphenated
# at a line end (U+00AD and the break) joined, lines joined by spaces.
text() {
	pdftotext -enc UTF-8 "$1" - 2>/dev/null |
		perl -CSD -0777 -pe 's/[\x{200E}\x{200F}\x{202A}-\x{202E}\x{2066}-\x{2069}]//g; s/\x{AD}\n//g; s/\s+/ /g'
}

# lacking FILE WANTS: the '|'-separated WANTS that FILE lacks, as
# " [want]" each.
lacking() {
	old_ifs=$IFS
	IFS='|'
	for w in $2; do
		grep -qF -- "$w" "$1" || printf ' [%s]' "$w"
	done
	IFS=$old_ifs
}

# The words of the layout's first paragraph under its first heading:
# markup ({{...}}, [@...]) and punctuation dropped, one a line.
prose_words() {
	perl -CSD -ne '
		if (/^# /) { $in = 1; next }
		next unless $in;
		if (/^\s*$/) { last if $seen; next }
		$seen = 1; print' "$1" |
		perl -CSD -pe 's/<[^>]*>//g; s/\{\{[^}]*\}\}//g; s/\[\@[^]]*\]//g; s/[^\p{L}\p{M}\s]/ /g' |
		tr -s ' \n' '\n\n' | grep -v '^$'
}

for lang in fr ru ar; do
	layout=$ROOT/tests/lang/$lang.md
	pdf=$tmp/$lang.pdf
	run_brief build -o "$pdf" --charts "$tmp/charts-$lang" "$layout"
	if [ "$rc" -ne 0 ] || [ ! -s "$pdf" ] || grep -q 'warning\|error' "$tmp/err"; then
		not_ok "$lang: builds without a warning (exit $rc)"
		show "$tmp/err"
		continue
	fi
	ok "$lang: builds without a warning"
	text "$pdf" >"$tmp/$lang.txt"
	missing=""
	for w in $(prose_words "$layout"); do
		grep -qF -- "$w" "$tmp/$lang.txt" || missing="$missing $w"
	done
	if [ -z "$missing" ] && [ "$(prose_words "$layout" | wc -l)" -ge 20 ]; then
		ok "$lang: pdftotext gives back the words of its prose"
	else
		not_ok "$lang: pdftotext gives back the words of its prose (lacks:$missing)"
	fi
	case $lang in
	fr) want="Rapport de situation n° 3|Période couverte par ce rapport : 1er–7 mars 2024. Le prochain rapport paraîtra le 14 mars 2024 ou vers cette date.|Pour plus d’informations, veuillez contacter :|A. Contact, Coordination, contact@example.org|environ 3,85 millions de personnes|180 millions US$|Résumé|Page 1 sur 3|Données : mars 2024|Données : 1er mars 2024.|Sources|Consulté le 2 avril 2024|En russe|86 000 personnes|près de 12,5 %|au moins 980|260–320|Pertes déclarées|Chiffre|Selon|militaires|Chronologie|15 janv.|Personnes tuées|selon Veille Humanitaire|Les chiffres sont donnés" ;;
	ru) want="Оперативная сводка № 3|Отчётный период: 1–7 марта 2024 г. Следующий выпуск выйдет приблизительно 14 марта 2024 г.|За дополнительной информацией обращайтесь:|около 3,85 млн человек|180 млн US$|Вестник Лирасы, 20 февраля 2024 г. Язык|Краткий обзор|Страница 1 из 3|Данные на март 2024 г.|Источники|около 86 000 человек|почти 12,5 %|не менее 980|Заявленные потери|военные|Хронология|Погибшие|по данным Veille Humanitaire|Язык: французский." ;;
	ar) want="تقرير الوضع رقم|يغطي هذا التقرير الفترة|سيصدر التقرير التالي في|لمزيد من المعلومات|يُرجى التواصل مع|مليونًا|مليون شخص|ملخص|الخسائر المعلنة|التسلسل الزمني|المصادر|عسكريون|مدنيون|قتلى|تاريخ الاطلاع|باللغة الفرنسية|نحو 86,000|شخص|قرابة" ;;
	esac
	lacks=$(lacking "$tmp/$lang.txt" "$want")
	if [ -z "$lacks" ]; then
		ok "$lang: generated text in its language"
	else
		not_ok "$lang: generated text in its language (lacks:$lacks)"
	fi
	# English the catalogue replaces: no "by", "Data as of", "(mixed
	# bounds)", "million", "No." or a doubled stop ("2024 г..").
	english=$(grep -oE " by | events from |Data as of|Bar chart|Timeline:|\((category|population):| million\\b|mixed bounds| No\. |For further information|г\.\." "$tmp/$lang.txt" "$tmp/charts-$lang"/*.txt 2>/dev/null | sort -u | tr '\n' ' ')
	if [ -z "$english" ] && [ "$(cat "$tmp/charts-$lang"/*.txt 2>/dev/null | wc -l)" -eq 3 ]; then
		ok "$lang: no English words in the page or the charts' alt texts"
	else
		not_ok "$lang: no English words in the page or the charts' alt texts (found: $english)"
	fi
	if command -v qpdf >/dev/null 2>&1; then
		check "$lang: the catalogue's /Lang is $lang" \
			sh -c "qpdf --qdf --object-streams=disable '$pdf' - | grep -aq '/Lang ($lang)'"
	else
		skip "$lang: /Lang" "qpdf missing"
	fi
	if command -v pdffonts >/dev/null 2>&1; then
		pdffonts "$pdf" >"$tmp/fonts" 2>&1
		total=$(grep -c '^[A-Z]\{6\}+' "$tmp/fonts")
		good=$(grep '^[A-Z]\{6\}+' "$tmp/fonts" | grep -c 'CID TrueType .* yes yes yes')
		if [ "$total" -ge 2 ] && [ "$total" -eq "$good" ]; then
			ok "$lang: $total fonts, each an embedded subset with ToUnicode"
		else
			not_ok "$lang: fonts embedded subsets with ToUnicode"
			show "$tmp/fonts"
		fi
	else
		skip "$lang: pdffonts" "pdffonts missing"
	fi
done

# Arabic needs its font, and the page mirrors: the title in the running
# header stands at the right, the page number at the left. A name marked
# <span lang="en"> is a /Lang span.
if [ -s "$tmp/ar.pdf" ]; then
	check "ar: Noto Sans Arabic embedded" grep -q 'NotoSansArabic' "$tmp/fonts"
	if command -v qpdf >/dev/null 2>&1; then
		check "ar: <span lang=\"en\"> is marked /Lang (en) in the page" \
			sh -c "qpdf --qdf --object-streams=disable '$tmp/ar.pdf' - | grep -aq '/Span <</Lang (en) >> BDC'"
	fi
	pdftotext -bbox -f 2 -l 2 "$tmp/ar.pdf" "$tmp/ar.html" 2>/dev/null
	# x of the word "2024" of the header title and of the page number
	title_x=$(grep -m1 '>2024<' "$tmp/ar.html" | sed 's/.*xMin="\([0-9.]*\)".*/\1/')
	if [ -n "$title_x" ] && awk "BEGIN { exit !($title_x > 300) }"; then
		ok "ar: the running header's title is at the right ($title_x pt)"
	else
		not_ok "ar: the running header's title is at the right (x=$title_x)"
	fi
fi

# Line breaks inside words (UAX #14): a paragraph of compounds breaks
# after the hyphen of "Nagorno-Karabakh" where the whole word does not fit
# (the PDF's own text, pdftotext -raw, keeps the line ends), and French
# punctuation behind a no-break space never starts a line.
mkdir -p "$tmp/breaks"
cp -r "$ROOT/tests/lang/data" "$tmp/breaks/data"
{
	printf -- '---\ntitle: Line breaks\ndata: data\nlanguage: en\n---\n\n# Compounds\n\n'
	# words of every length between the compounds: some line ends where
	# "Nagorno-" fits and "Nagorno-Karabakh" does not
	i=1
	while [ "$i" -le 48 ]; do
		printf 'a%.*s Nagorno-Karabakh ' "$((i % 11))" "bcdefghijklm"
		i=$((i + 1))
	done
	printf '\n\n<span lang="fr">'
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		printf 'Ils sont partis\302\240! Vraiment\342\200\257? Plus de 12\342\200\257000\302\240: '
	done
	printf '</span>\n'
} >"$tmp/breaks/breaks.md"
run_brief build -o "$tmp/breaks/breaks.pdf" "$tmp/breaks/breaks.md"
if [ "$rc" -ne 0 ] || grep -q 'warning\|error' "$tmp/err"; then
	not_ok "line breaks: the fixture builds (exit $rc)"
	show "$tmp/err"
else
	ok "line breaks: the fixture builds"
	pdftotext -raw -enc UTF-8 "$tmp/breaks/breaks.pdf" "$tmp/breaks/raw.txt" 2>/dev/null
	if perl -CSD -0777 -ne 'exit !/Nagorno-\n\s*Karabakh/' "$tmp/breaks/raw.txt"; then
		ok "line breaks: a line ends after the hyphen of Nagorno-Karabakh"
	else
		not_ok "line breaks: a line ends after the hyphen of Nagorno-Karabakh"
		show "$tmp/breaks/raw.txt"
	fi
	if ! perl -CSD -ne 'exit 1 if /^\s*[!?:]/ || /^\s*000/' "$tmp/breaks/raw.txt"; then
		not_ok "line breaks: no line starts with ! ? : or the end of 12 000"
		show "$tmp/breaks/raw.txt"
	else
		ok "line breaks: no line starts with ! ? : or the end of 12 000"
	fi
fi

# The shaper gets the text's language: Noto Sans Italic has Serbian forms
# of бгдпт (OpenType locl), so the glyphs written for them differ with
# <span lang="sr"> from those of the English paragraph's.
for v in en sr; do
	case $v in
	en) word='*бгдпт*' ;;
	sr) word='<span lang="sr">*бгдпт*</span>' ;;
	esac
	printf -- '---\ntitle: Forms\ndata: data\nlanguage: en\n---\n\n# Forms\n\nSerbian %s here.\n' \
		"$word" >"$tmp/breaks/locl-$v.md"
	run_brief build -o "$tmp/breaks/locl-$v.pdf" "$tmp/breaks/locl-$v.md"
done
if ! command -v qpdf >/dev/null 2>&1; then
	skip "locl: Serbian italic forms" "qpdf missing"
else
	for v in en sr; do
		qpdf --qdf --object-streams=disable "$tmp/breaks/locl-$v.pdf" - |
			grep -a 'TJ$' >"$tmp/breaks/tj-$v"
	done
	if [ -s "$tmp/breaks/tj-en" ] && [ "$(wc -l <"$tmp/breaks/tj-en")" -eq "$(wc -l <"$tmp/breaks/tj-sr")" ] &&
		! cmp -s "$tmp/breaks/tj-en" "$tmp/breaks/tj-sr"; then
		ok "locl: <span lang=\"sr\"> draws Serbian italic forms"
	else
		not_ok "locl: <span lang=\"sr\"> draws Serbian italic forms"
		show "$tmp/breaks/tj-sr"
	fi
fi
fence='```'
# The `changes` block in French, Russian and Arabic over two editions:
# the first says so; the second counts and lists in the language a
# revised figure (up from), a new row and a withdrawn one.
for lang in fr ru ar; do
	p=$tmp/changes-$lang
	mkdir -p "$p"
	cp -r "$ROOT/tests/lang/data" "$p/data"
	cat >"$p/weekly.md" <<EOF
---
title: Lirasa
data: data
language: $lang
---

# Lirasa

${fence}changes
$fence
EOF
	(cd "$p" && "$BRIEF" build weekly.md >"$tmp/out" 2>"$tmp/err")
	text "$p/reports/weekly.pdf" >"$tmp/changes1.txt"
	sed -i -e 's/^\(cas-001,.*,military,\)1240,/\11300,/' -e '/^cas-006,/d' \
		"$p/data/casualties.csv"
	echo 'cas-007,spring fighting,2024-01-15,2024-03-01,Sudmark,wounded,military,700,,about,Veille Humanitaire,src-veille,environ 700,Fictional' \
		>>"$p/data/casualties.csv"
	(cd "$p" && "$BRIEF" build weekly.md >"$tmp/out" 2>"$tmp/err")
	rc=$?
	text "$p/reports/weekly.pdf" >"$tmp/changes2.txt"
	case $lang in
	fr) first="Changements depuis la dernière édition Ceci est la première édition"
	    want="Depuis la dernière édition (données : mars 2024) : 1 ligne ajoutée, 1 retirée et 1 révisée.|Révisé : |en hausse par rapport à 1 240|Nouveau : |Retiré : " ;;
	ru) first="Изменения с прошлого выпуска Это первый выпуск"
	    want="С прошлого выпуска (данные на март 2024 г.): добавлена 1 строка, исключена 1 и изменена 1.|Изменено: |(было 1 240, рост)|Новое: |Исключено: " ;;
	ar) first="التغييرات منذ الإصدار السابق"
	    want="منذ الإصدار السابق|أضيف صف واحد|سُحب صف واحد|عُدّل صف واحد|جديد|مسحوب|معدّل|ارتفاع" ;;
	esac
	lacks="$(lacking "$tmp/changes1.txt" "$first")$(lacking "$tmp/changes2.txt" "$want")"
	if [ "$rc" -eq 0 ] && [ -z "$lacks" ]; then
		ok "$lang: the changes block in its language"
	else
		not_ok "$lang: the changes block in its language (lacks:$lacks)"
		show "$tmp/err"
	fi
done

# A map in French and Arabic: legend, footer, disclaimer and alt text in
# the language (the map test fixture with its language changed).
for lang in fr ar; do
	mkdir -p "$tmp/maps-$lang"
	ln -sf "$ROOT/tests/maps/data" "$tmp/maps-$lang/data"
	m=$tmp/maps-$lang/orvania.md
	sed "s/^language: en/language: $lang/" "$ROOT/tests/maps/orvania.md" >"$m"
	run_brief build -o "$tmp/map-$lang.pdf" --charts "$tmp/map-$lang" "$m"
	text "$tmp/map-$lang.pdf" >"$tmp/map-$lang.txt"
	case $lang in
	fr) want="Pas de données|moins de 1 000|Chiffres divergents selon les sources|Les chiffres divergent selon les sources pour Tessal|Carte fournie à titre indicatif|Revendiqué par Coastal Front et Government|Capitale" ;;
	ar) want="لا بيانات|أقل من|تختلف الأرقام بحسب المصدر|الخريطة للاسترشاد فقط|عاصمة" ;;
	esac
	lacks=$(lacking "$tmp/map-$lang.txt" "$want")
	english=$(cat "$tmp/map-$lang"/*.txt 2>/dev/null | grep -oE "Map:|Boundaries|held by|claimed by|Areas shaded|rows marked|Data as of|Places marked" | sort -u | tr '\n' ' ')
	if [ "$rc" -eq 0 ] && [ -z "$lacks" ] && [ -z "$english" ] &&
		[ "$(cat "$tmp/map-$lang"/*.txt | wc -l)" -eq 3 ]; then
		ok "$lang: a map's legend, footer and alt text in its language"
	else
		not_ok "$lang: a map's legend, footer and alt text in its language (lacks:$lacks; English: $english)"
		show "$tmp/err"
	fi
done

# French elides the scale word's "de" before a vowel: "3 millions
# d’enfants", but "3,85 millions de personnes".
mkdir -p "$tmp/elide"
cp -r "$ROOT/tests/lang/data" "$tmp/elide/data"
echo 'fig-kids,2024-03,Lirasa,children displaced,3000000,,children,about,Veille Humanitaire,src-veille,environ 3 millions d’enfants,Fictional' \
	>>"$tmp/elide/data/figures.csv"
printf -- '---\ntitle: Élision\ndata: data\nlanguage: fr\n---\n\n# Chiffres\n\n```keyfigures\n- ref: figures:fig-kids\n  label: enfants déplacés\n  format: compact\n- ref: figures:fig-region\n  label: population\n  format: compact\n```\n' \
	>"$tmp/elide/e.md"
run_brief build -o "$tmp/elide/e.pdf" "$tmp/elide/e.md"
text "$tmp/elide/e.pdf" >"$tmp/elide/e.txt"
lacks=$(lacking "$tmp/elide/e.txt" "environ 3 millions d’enfants|environ 3,85 millions de personnes")
if [ "$rc" -eq 0 ] && [ -z "$lacks" ] && ! grep -q "de enfants" "$tmp/elide/e.txt"; then
	ok "fr: the scale word elided before a vowel (d’enfants)"
else
	not_ok "fr: the scale word elided before a vowel (exit $rc; lacks:$lacks)"
	show "$tmp/err"
fi

# Without any catalogue (a brief copied elsewhere, nothing installed) a
# French layout is written in brief's built-in English, with a warning,
# and its messages are whole: "In Russian.", never a placeholder.
if [ -d /usr/local/share/brief/locale ]; then
	skip "no catalogues: built-in English" "an installed locale directory exists"
else
	mkdir -p "$tmp/bare"
	cp "$BRIEF" "$tmp/bare/brief"
	(unset BRIEF_LOCALE; BRIEF_FONTS=$ROOT/fonts "$tmp/bare/brief" build \
		-o "$tmp/bare/fr.pdf" "$ROOT/tests/lang/fr.md" >"$tmp/out" 2>"$tmp/err")
	rc=$?
	text "$tmp/bare/fr.pdf" >"$tmp/bare/fr.txt"
	if [ "$rc" -eq 0 ] &&
		grep -q "^$ROOT/tests/lang/fr.md: warning: language: fr: no catalogues found" "$tmp/err" &&
		grep -q "20 February 2024. In Russian." "$tmp/bare/fr.txt" &&
		! grep -q "%s\|{[a-z_]*}" "$tmp/bare/fr.txt"; then
		ok "no catalogues: built-in English, warned, placeholders filled"
	else
		not_ok "no catalogues: built-in English, warned, placeholders filled (exit $rc)"
		show "$tmp/err"
	fi
fi

echo "1..$n"
[ "$failed" -eq 0 ]
