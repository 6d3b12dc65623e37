#!/bin/sh
# build.sh — `brief build` as a program: reproducible output, --if-changed,
# exit codes, --help/--version, check, --dump, --charts, and `make
# install` (the installed binary must find its installed fonts).
#
# TAP output; $BRIEF is the binary, $VG an optional valgrind prefix.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief
K=layouts/karabakh.md
EX=tests/layouts/example.md

# The PDF's /ID (first element), or empty.
pdf_id() {
	grep -a -o '/ID *\[ *<[0-9A-Fa-f]*>' "$1" | tail -n 1 | sed 's/.*<//; s/>//'
}

# inode and mtime with nanoseconds: both change if the file is rewritten.
stamp() {
	stat -c '%i %y' "$1"
}

unset SOURCE_DATE_EPOCH

# ---- reproducibility ----
mkdir -p "$tmp/a" "$tmp/b"
run_brief build -q -o "$tmp/a/k.pdf" "$K"
expect_rc "build the default briefing" 0
sleep 1 # a wall-clock date would now differ
# Same inputs reached differently: another working directory, an absolute
# layout path, another output name.
(cd "$tmp/b" && "$BRIEF" build -q -o other.pdf "$ROOT/$K") \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && cmp -s "$tmp/a/k.pdf" "$tmp/b/other.pdf"; then
	ok "two builds of the same inputs are byte-identical"
else
	not_ok "two builds of the same inputs are byte-identical"
	show_run
	cmp "$tmp/a/k.pdf" "$tmp/b/other.pdf" | sed 's/^/#   /'
fi

today=$(date -u +%Y%m%d)
isotoday=$(date -u +%Y-%m-%d)
if grep -a -q -e "D:$today" -e "$isotoday" "$tmp/a/k.pdf"; then
	not_ok "no wall-clock date (D:$today or $isotoday) in the PDF"
else
	ok "no wall-clock date (D:$today or $isotoday) in the PDF"
fi
created=$(pdfinfo -isodates "$tmp/a/k.pdf" | sed -n 's/^CreationDate: *//p')
check "without SOURCE_DATE_EPOCH the date is the layout's as_of ($created)" \
	test "$created" = "2023-09-01T00:00:00Z"

run_plain build -q --pdfa -o "$tmp/a/kpdfa.pdf" "$K"
if [ "$rc" -eq 0 ] && ! grep -a -q -e "D:$today" -e "$isotoday" "$tmp/a/kpdfa.pdf"; then
	ok "no wall-clock date in the PDF/A either (XMP included)"
else
	not_ok "no wall-clock date in the PDF/A either (XMP included)"
	show_run
fi

SOURCE_DATE_EPOCH=1700000000 run_brief build -q -o "$tmp/a/sde.pdf" "$K"
created=$(pdfinfo -isodates "$tmp/a/sde.pdf" 2>/dev/null | sed -n 's/^CreationDate: *//p')
moddate=$(pdfinfo -isodates "$tmp/a/sde.pdf" 2>/dev/null | sed -n 's/^ModDate: *//p')
if [ "$rc" -eq 0 ] && [ "$created" = "2023-11-14T22:13:20Z" ] &&
	[ "$moddate" = "$created" ] && grep -a -q "D:20231114221320" "$tmp/a/sde.pdf"; then
	ok "SOURCE_DATE_EPOCH=1700000000 sets CreationDate and ModDate"
else
	not_ok "SOURCE_DATE_EPOCH=1700000000 sets CreationDate and ModDate (got '$created' '$moddate')"
	show_run
fi
SOURCE_DATE_EPOCH=1700000000 run_plain build -q -o "$tmp/a/sde2.pdf" "$K"
check "with SOURCE_DATE_EPOCH, builds are byte-identical too" \
	cmp -s "$tmp/a/sde.pdf" "$tmp/a/sde2.pdf"
for bad in 17x -5 99999999999999 ''; do
	[ -z "$bad" ] && continue
	SOURCE_DATE_EPOCH=$bad run_brief build -q -o "$tmp/a/bad.pdf" "$K"
	if [ "$rc" -eq 2 ] && [ ! -e "$tmp/a/bad.pdf" ] &&
		grep -q SOURCE_DATE_EPOCH "$tmp/err"; then
		ok "malformed SOURCE_DATE_EPOCH='$bad' is a usage error (2)"
	else
		not_ok "malformed SOURCE_DATE_EPOCH='$bad' is a usage error (2)"
		show_run
	fi
done

# The datasets copied elsewhere: same bytes. One byte changed: new /ID.
cp -r datasets "$tmp/data"
run_plain build -q --data "$tmp/data" -o "$tmp/a/copy.pdf" "$K"
check "the same datasets in another directory give the same PDF" \
	cmp -s "$tmp/a/k.pdf" "$tmp/a/copy.pdf"
id0=$(pdf_id "$tmp/a/k.pdf")
sed -i '3s/Killings in/killings in/' "$tmp/data/casualties.csv"
if cmp -s datasets/casualties.csv "$tmp/data/casualties.csv"; then
	not_ok "test setup: the dataset copy was changed"
fi
run_plain build -q --data "$tmp/data" -o "$tmp/a/changed.pdf" "$K"
id1=$(pdf_id "$tmp/a/changed.pdf")
if [ "$rc" -eq 0 ] && [ -n "$id0" ] && [ -n "$id1" ] && [ "$id0" != "$id1" ]; then
	ok "one changed dataset byte changes the /ID ($id0 -> $id1)"
else
	not_ok "one changed dataset byte changes the /ID ('$id0' -> '$id1')"
	show_run
fi
cp datasets/casualties.csv "$tmp/data/casualties.csv"

# ---- --if-changed ----
r=$tmp/ic/k.pdf
mkdir -p "$tmp/ic"
run_brief build --if-changed --data "$tmp/data" -o "$r" "$K"
if [ "$rc" -eq 0 ] && [ -s "$r" ] && grep -q "wrote" "$tmp/out"; then
	ok "--if-changed: first build writes the report"
else
	not_ok "--if-changed: first build writes the report"
	show_run
fi
s0=$(stamp "$r")
run_brief build --if-changed --data "$tmp/data" -o "$r" "$K"
if [ "$rc" -eq 0 ] && grep -q "up to date" "$tmp/out" && [ "$(stamp "$r")" = "$s0" ]; then
	ok "--if-changed: second build says up to date, file untouched"
else
	not_ok "--if-changed: second build says up to date, file untouched"
	show_run
fi
run_plain build --if-changed -q --data "$tmp/data" -o "$r" "$K"
check "--if-changed -q: up to date prints nothing" \
	test "$rc" -eq 0 -a ! -s "$tmp/out" -a ! -s "$tmp/err"
touch "$tmp/data/casualties.csv" "$tmp/data/sources.csv"
run_plain build --if-changed --data "$tmp/data" -o "$r" "$K"
if [ "$rc" -eq 0 ] && grep -q "up to date" "$tmp/out" && [ "$(stamp "$r")" = "$s0" ]; then
	ok "--if-changed: touching datasets without changing them rebuilds nothing"
else
	not_ok "--if-changed: touching datasets without changing them rebuilds nothing"
	show_run
fi
sed -i '3s/Killings in/killings in/' "$tmp/data/casualties.csv"
run_plain build --if-changed --data "$tmp/data" -o "$r" "$K"
if [ "$rc" -eq 0 ] && grep -q "wrote" "$tmp/out" && [ "$(stamp "$r")" != "$s0" ] &&
	cmp -s "$r" "$tmp/a/changed.pdf"; then
	ok "--if-changed: a real change in a dataset rebuilds"
else
	not_ok "--if-changed: a real change in a dataset rebuilds"
	show_run
fi
s1=$(stamp "$r")
SOURCE_DATE_EPOCH=1700000000 run_plain build --if-changed --data "$tmp/data" -o "$r" "$K"
if [ "$rc" -eq 0 ] && grep -q "wrote" "$tmp/out" && [ "$(stamp "$r")" != "$s1" ]; then
	ok "--if-changed: a different SOURCE_DATE_EPOCH rebuilds"
else
	not_ok "--if-changed: a different SOURCE_DATE_EPOCH rebuilds"
	show_run
fi
s1=$(stamp "$r")
run_plain build --if-changed --pdfa --data "$tmp/data" -o "$r" "$K"
if [ "$rc" -eq 0 ] && grep -q "wrote" "$tmp/out" && [ "$(stamp "$r")" != "$s1" ]; then
	ok "--if-changed: switching to --pdfa rebuilds"
else
	not_ok "--if-changed: switching to --pdfa rebuilds"
	show_run
fi
# A damaged report is rebuilt even though it records the right hash: a
# truncated PDF, one with bytes cut from the middle (startxref points at
# the wrong place), one without its header, and a text file holding the
# hash. Each is built over, then compared with a good build.
run_plain build -q --data "$tmp/data" -o "$tmp/ic/good.pdf" "$K"
id=$(pdf_id "$tmp/ic/good.pdf")
size=$(wc -c <"$tmp/ic/good.pdf")
head -c $((size - 7)) "$tmp/ic/good.pdf" >"$tmp/ic/cut-end.pdf"
head -c $((size / 2)) "$tmp/ic/good.pdf" >"$tmp/ic/half.pdf"
tail -c 2000 "$tmp/ic/good.pdf" >>"$tmp/ic/half.pdf" # trailer, /ID, %%EOF
{ head -c 1000 "$tmp/ic/good.pdf"; tail -c +1101 "$tmp/ic/good.pdf"; } \
	>"$tmp/ic/hole.pdf"
tail -c +6 "$tmp/ic/good.pdf" >"$tmp/ic/no-header.pdf"
printf '/ID [ <%s> <%s> ]\n' "$id" "$id" >"$tmp/ic/text.pdf"
printf '%%PDF-1.3\ntrailer\n<< /ID [ <%s> <%s> ] >>\nstartxref\n1\n%%%%EOF\n' \
	"$id" "$id" >"$tmp/ic/fake.pdf"
for damaged in cut-end half hole no-header text fake; do
	f=$tmp/ic/$damaged.pdf
	if ! grep -a -q "$id" "$f"; then
		not_ok "test setup: $damaged.pdf holds the hash"
		continue
	fi
	run_plain build --if-changed --data "$tmp/data" -o "$f" "$K"
	if [ "$rc" -eq 0 ] && grep -q "wrote" "$tmp/out" && cmp -s "$f" "$tmp/ic/good.pdf"; then
		ok "--if-changed: a damaged report ($damaged) holding the right hash is rebuilt"
	else
		not_ok "--if-changed: a damaged report ($damaged) holding the right hash is rebuilt"
		show_run
	fi
done
run_plain build --if-changed --pdfa --data "$tmp/data" -o "$tmp/ic/a.pdf" "$K"
run_plain build --if-changed --pdfa --data "$tmp/data" -o "$tmp/ic/a.pdf" "$K"
check "--if-changed: a complete PDF/A report is up to date" grep -q "up to date" "$tmp/out"

# A layout that is not up to date is rebuilt while others are skipped.
mkdir -p "$tmp/multi/reports"
cp "$tmp/a/k.pdf" "$tmp/multi/reports/karabakh.pdf"
s2=$(stamp "$tmp/multi/reports/karabakh.pdf")
(cd "$tmp/multi" && $VG "$BRIEF" build --if-changed "$ROOT/$K" "$ROOT/$EX") \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && [ "$(stamp "$tmp/multi/reports/karabakh.pdf")" = "$s2" ] &&
	[ -s "$tmp/multi/reports/example.pdf" ] &&
	grep -q "karabakh.pdf is up to date" "$tmp/out" &&
	grep -q "wrote reports/example.pdf" "$tmp/out"; then
	ok "--if-changed with two layouts: skips the current one, builds the other into reports/"
else
	not_ok "--if-changed with two layouts: skips the current one, builds the other into reports/"
	show_run
fi

# ---- exit codes and usage ----
run_brief --help
if [ "$rc" -eq 0 ] && grep -q '^usage: brief build' "$tmp/out" &&
	grep -q -- '--if-changed' "$tmp/out" && [ ! -s "$tmp/err" ]; then
	ok "--help prints usage on stdout, exit 0"
else
	not_ok "--help prints usage on stdout, exit 0"
	show_run
fi
run_brief build --help
check "build --help, exit 0" grep -q '^usage: brief build' "$tmp/out"
version=$(sed -n 's/^VERSION *= *//p' Makefile)
run_brief --version
if [ "$rc" -eq 0 ] && [ "$(cat "$tmp/out")" = "brief $version" ]; then
	ok "--version prints 'brief $version', exit 0"
else
	not_ok "--version prints 'brief $version', exit 0"
	show_run
fi

# usage NAME ARGS...: exit 2, a message on stderr, nothing on stdout.
usage() {
	name=$1
	shift
	run_brief "$@"
	if [ "$rc" -eq 2 ] && [ -s "$tmp/err" ] && [ ! -s "$tmp/out" ]; then
		ok "usage error (2): $name"
	else
		not_ok "usage error (2): $name"
		show_run
	fi
}
usage "no command"
usage "unknown command" frobnicate
usage "unknown option" build --frobnicate "$EX"
usage "missing option argument" build "$EX" -o
usage "build without a layout" build
usage "-o with two layouts" build -o "$tmp/x.pdf" "$K" "$EX"
usage "check with --dump" check --dump
usage "build with --archive" build --archive x "$EX"
check "-o with two layouts wrote nothing" test ! -e "$tmp/x.pdf"

run_brief build -o "$tmp/x.pdf" "$tmp/no-such-layout.md"
if [ "$rc" -eq 1 ] && grep -q "no-such-layout.md: error: no such file" "$tmp/err" &&
	[ ! -e "$tmp/x.pdf" ]; then
	ok "missing layout file: invalid input (1) naming the file"
else
	not_ok "missing layout file: invalid input (1) naming the file"
	show_run
fi
run_brief build --fonts "$tmp/no-fonts" -o "$tmp/x.pdf" "$EX"
if [ "$rc" -eq 1 ] && grep -q "no-fonts/fonts.conf: error: no such file" "$tmp/err" &&
	[ ! -e "$tmp/x.pdf" ]; then
	ok "missing fonts directory: invalid input (1) naming it"
else
	not_ok "missing fonts directory: invalid input (1) naming it"
	show_run
fi
run_brief build -o "$tmp/x.pdf" tests/layouts/bad/as-of.md
if [ "$rc" -eq 1 ] && grep -q "as-of.md:4:8: error" "$tmp/err" && [ ! -e "$tmp/x.pdf" ]; then
	ok "bad layout: exit 1, file:line:col error, nothing written"
else
	not_ok "bad layout: exit 1, file:line:col error, nothing written"
	show_run
fi
# The worst status wins when several layouts fail differently: a bad
# layout (1), then one whose report cannot be written (3).
mkdir -p "$tmp/worst"
: >"$tmp/worst/reports" # a file where the reports/ directory should be
(cd "$tmp/worst" && "$BRIEF" build -q "$ROOT/tests/layouts/bad/as-of.md" \
	"$ROOT/$EX") >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc "bad layout + unwritable report: exit 3 (the worse)" 3

# ---- check ----
run_brief check
if [ "$rc" -eq 0 ] && grep -q "no errors" "$tmp/out"; then
	ok "check: shipped datasets pass, exit 0"
else
	not_ok "check: shipped datasets pass, exit 0"
	show_run
fi
run_brief check --data tests/bad/unknown-source
if [ "$rc" -eq 1 ] && grep -q "error: unknown source" "$tmp/err"; then
	ok "check: a bad dataset exits 1 with the error"
else
	not_ok "check: a bad dataset exits 1 with the error"
	show_run
fi
run_brief check "$EX"
expect_rc "check LAYOUT: the example layout is valid" 0
run_brief check tests/layouts/bad/unknown-source.md
if [ "$rc" -eq 1 ] && grep -q "unknown-source.md:[0-9]*:[0-9]*: error" "$tmp/err"; then
	ok "check LAYOUT: a bad layout exits 1 with the error"
else
	not_ok "check LAYOUT: a bad layout exits 1 with the error"
	show_run
fi
run_brief check --data "$tmp/no-such-dir"
if [ "$rc" -eq 1 ] && [ "$(cat "$tmp/err")" = "$tmp/no-such-dir: error: no such directory" ]; then
	ok "check: a missing data directory is invalid input (1), one error naming it"
else
	not_ok "check: a missing data directory is invalid input (1), one error naming it"
	show_run
fi
# Each layout's own warnings: example.md has none, however many the
# layout before it had.
run_brief check tests/layouts/uncited.md "$EX"
if [ "$rc" -eq 0 ] && grep -q 'uncited.md: ok ([1-9][0-9]* warnings)' "$tmp/out" &&
	grep -q 'example.md: ok (0 warnings)' "$tmp/out"; then
	ok "check: warnings are counted per layout"
else
	not_ok "check: warnings are counted per layout"
	show_run
fi

# ---- --dump ----
run_brief build --dump "$EX"
pages=$(pdfinfo "$tmp/multi/reports/example.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
if [ "$rc" -eq 0 ] && grep -q "^page 1 of $pages " "$tmp/out" &&
	[ "$(grep -c '^page ' "$tmp/out")" = "$pages" ] &&
	grep -q "^  line title .*'Valmora, 2020–2023'" "$tmp/out" &&
	grep -q "^  line para .*2,906 \[1\]" "$tmp/out"; then
	ok "--dump prints the $pages pages of the PDF with their lines"
else
	not_ok "--dump prints the ${pages:-?} pages of the PDF with their lines"
	show_run
fi
mkdir -p "$tmp/dumpdir"
(cd "$tmp/dumpdir" && "$BRIEF" build --dump "$ROOT/$EX") >/dev/null 2>&1
check "--dump writes no PDF (no reports/ directory appears)" \
	test -z "$(ls -A "$tmp/dumpdir")"

# ---- --charts ----
run_brief build -q -o "$tmp/c.pdf" --charts "$tmp/charts" "$K"
# Chart ids in the layout: the id: line of each chart or timeline block.
awk '/^```(chart|timeline)/ { inb = 1; next }
     /^```/ { inb = 0 }
     inb && /^id:/ { print $2 }' "$K" | sort >"$tmp/ids"
ls "$tmp/charts" 2>/dev/null | sort >"$tmp/files"
for ext in png svg pdf txt; do
	sed "s/\$/.$ext/" "$tmp/ids"
done | sort >"$tmp/want"
if [ "$rc" -eq 0 ] && [ -s "$tmp/ids" ] && cmp -s "$tmp/want" "$tmp/files"; then
	ok "--charts: one .png, .svg, .pdf and .txt per chart ($(wc -l <"$tmp/ids") charts)"
else
	not_ok "--charts: one .png, .svg, .pdf and .txt per chart"
	show_run
	echo "#   want: $(tr '\n' ' ' <"$tmp/want")"
	echo "#   got:  $(tr '\n' ' ' <"$tmp/files")"
fi
bad=""
for id in $(cat "$tmp/ids"); do
	sig=$(od -An -tx1 -N8 "$tmp/charts/$id.png" 2>/dev/null | tr -d ' \n')
	[ "$sig" = 89504e470d0a1a0a ] || bad="$bad $id.png"
	grep -q '<svg' "$tmp/charts/$id.svg" 2>/dev/null || bad="$bad $id.svg"
done
if [ -z "$bad" ]; then
	ok "--charts: every PNG has the PNG signature, every SVG an <svg> element"
else
	not_ok "--charts: invalid files:$bad"
fi
check "--charts: the PDF is the same as without --charts" \
	cmp -s "$tmp/c.pdf" "$tmp/a/k.pdf"
: >"$tmp/notadir"
run_plain build -q -o "$tmp/c2.pdf" --charts "$tmp/notadir" "$K"
expect_rc "--charts into a file, not a directory: I/O error" 3

# ---- make reports ----
# A copy of the tree's Makefile, layouts and datasets; -o brief: use the
# binary as it is. Only layouts whose inputs changed get a new PDF.
if ! command -v make >/dev/null 2>&1; then
	skip "make reports" "make is not installed"
else
	t=$tmp/tree
	mkdir -p "$t/layouts" "$t/reports" # reports/ is in git (.gitkeep)
	cp Makefile "$t/"
	cp -r datasets "$t/"
	cp layouts/karabakh.md "$t/layouts/"
	sed 's/^title: .*/title: A second briefing/' layouts/karabakh.md \
		>"$t/layouts/second.md"
	ln -s "$BRIEF" "$t/brief"
	make -s -C "$t" -o brief reports >"$tmp/make.log" 2>&1
	r=$?
	if [ "$r" -eq 0 ] && [ -s "$t/reports/karabakh.pdf" ] &&
		[ -s "$t/reports/second.pdf" ] && [ ! -e "$t/reports/README.pdf" ]; then
		ok "make reports: one PDF per layout (README.md is not one)"
	else
		not_ok "make reports: one PDF per layout (make exit $r)"
		show "$tmp/make.log"
	fi
	k0=$(stamp "$t/reports/karabakh.pdf")
	s0=$(stamp "$t/reports/second.pdf")
	sleep 0.01
	echo "A changed closing line." >>"$t/layouts/second.md"
	make -s -C "$t" -o brief reports >"$tmp/make.log" 2>&1
	r=$?
	if [ "$r" -eq 0 ] && [ "$(stamp "$t/reports/karabakh.pdf")" = "$k0" ] &&
		[ "$(stamp "$t/reports/second.pdf")" != "$s0" ]; then
		ok "make reports: a changed layout is rebuilt, the other is not"
	else
		not_ok "make reports: a changed layout is rebuilt, the other is not (make exit $r)"
		show "$tmp/make.log"
	fi
	k0=$(stamp "$t/reports/karabakh.pdf")
	s0=$(stamp "$t/reports/second.pdf")
	touch "$t/datasets/events.csv"
	make -s -C "$t" -o brief reports >"$tmp/make.log" 2>&1
	r=$?
	if [ "$r" -eq 0 ] && [ "$(stamp "$t/reports/karabakh.pdf")" = "$k0" ] &&
		[ "$(stamp "$t/reports/second.pdf")" = "$s0" ]; then
		ok "make reports: a touched but unchanged dataset rewrites nothing"
	else
		not_ok "make reports: a touched but unchanged dataset rewrites nothing (make exit $r)"
		show "$tmp/make.log"
	fi
	sed -i '3s/Killings in/killings in/' "$t/datasets/casualties.csv"
	make -s -C "$t" -o brief reports >"$tmp/make.log" 2>&1
	r=$?
	if [ "$r" -eq 0 ] && [ "$(stamp "$t/reports/karabakh.pdf")" != "$k0" ] &&
		[ "$(stamp "$t/reports/second.pdf")" != "$s0" ]; then
		ok "make reports: a changed dataset rebuilds every layout"
	else
		not_ok "make reports: a changed dataset rebuilds every layout (make exit $r)"
		show "$tmp/make.log"
	fi
fi

# ---- make install ----
# Staged (DESTDIR) install: the files land under DESTDIR+PREFIX.
if ! command -v make >/dev/null 2>&1; then
	skip "make install" "make is not installed"
else
	# -o all: use the brief already built (by `make test`), do not remake.
	make -s -o all install PREFIX=/usr DESTDIR="$tmp/stage" \
		>"$tmp/make.log" 2>&1
	r=$?
	missing=""
	for f in bin/brief share/man/man1/brief.1 share/brief/fonts/fonts.conf \
		share/brief/fonts/NotoSans-Regular.ttf \
		share/brief/fonts/NotoSansArmenian-Regular.ttf \
		share/brief/fonts/COPYRIGHT-noto.txt; do
		[ -s "$tmp/stage/usr/$f" ] || missing="$missing $f"
	done
	if [ "$r" -eq 0 ] && [ -z "$missing" ] && [ -x "$tmp/stage/usr/bin/brief" ]; then
		ok "make install PREFIX=/usr DESTDIR=...: binary, fonts and man page"
	else
		not_ok "make install PREFIX=/usr DESTDIR=...: missing$missing (make exit $r)"
		show "$tmp/make.log"
	fi
	check "staged binary has /usr/share/brief/fonts compiled in" \
		grep -a -q '/usr/share/brief/fonts' "$tmp/stage/usr/bin/brief"

	# Real install under a prefix: the binary must find its fonts there,
	# from another directory, with no --fonts and no $BRIEF_FONTS.
	p=$tmp/prefix
	make -s -o all install PREFIX="$p" >"$tmp/make.log" 2>&1
	r=$?
	mkdir -p "$tmp/elsewhere"
	(cd "$tmp/elsewhere" && env -u BRIEF_FONTS "$p/bin/brief" build -q \
		-o "$tmp/elsewhere/i.pdf" "$ROOT/$EX") >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$r" -eq 0 ] && [ "$rc" -eq 0 ] && [ -s "$tmp/elsewhere/i.pdf" ]; then
		ok "installed binary builds from another directory with its own fonts"
	else
		not_ok "installed binary builds from another directory with its own fonts (make exit $r)"
		show "$tmp/make.log"
		show_run
	fi
	# Take the installed fonts away: now it must fail, proving it used them.
	mv "$p/share/brief/fonts" "$p/share/brief/fonts.away"
	(cd "$tmp/elsewhere" && env -u BRIEF_FONTS "$p/bin/brief" build -q \
		-o "$tmp/elsewhere/j.pdf" "$ROOT/$EX") >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 1 ] && grep -q "$p/share/brief/fonts" "$tmp/err"; then
		ok "installed binary looks for fonts in PREFIX/share/brief/fonts"
	else
		not_ok "installed binary looks for fonts in PREFIX/share/brief/fonts"
		show_run
	fi
	(cd "$tmp/elsewhere" && BRIEF_FONTS="$p/share/brief/fonts.away" \
		"$p/bin/brief" build -q -o "$tmp/elsewhere/k.pdf" "$ROOT/$EX") \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 0 ] && cmp -s "$tmp/elsewhere/k.pdf" "$tmp/elsewhere/i.pdf"; then
		ok "\$BRIEF_FONTS points the installed binary at a fonts directory"
	else
		not_ok "\$BRIEF_FONTS points the installed binary at a fonts directory"
		show_run
	fi
	check "installed man page is brief(1)" \
		grep -q '^\.TH BRIEF 1' "$p/share/man/man1/brief.1"
fi

finish
