#!/bin/sh
# init.sh — `brief init DIR`: the project it writes checks and builds as
# created, uses every kind of block, marks its data as example data; its
# cron and systemd examples run from anywhere, also in a directory whose
# name needs quoting; it refuses a non-empty DIR without --force and never
# overwrites; and `make install` ships the templates, docs and a sample
# project that `make uninstall` takes away again.
#
# TAP output; $BRIEF is the binary, $VG an optional valgrind prefix.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief
if [ ! -d "$(dirname "$BRIEF")/templates" ]; then
	BRIEF_TEMPLATES=$ROOT/templates
	export BRIEF_TEMPLATES
fi

# in_dir DIR ARGS...: run brief in DIR (without valgrind).
in_dir() {
	d=$1
	shift
	(cd "$d" && "$BRIEF" "$@") >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

p="$tmp/new/my briefings"
run_brief init "$p"
expect_rc "init into a new nested directory (with a space)" 0
missing=""
for f in README.md .gitignore layouts/briefing.md logs/.gitignore \
	schedule/rebuild.sh schedule/crontab schedule/brief.service \
	schedule/brief.timer datasets/sources.csv datasets/casualties.csv \
	datasets/displacement.csv datasets/control.csv datasets/figures.csv \
	datasets/events.csv; do
	[ -s "$p/$f" ] || missing="$missing $f"
done
check "the project has every file${missing:+ (missing:$missing)}" test -z "$missing"
check "schedule/rebuild.sh is executable" test -x "$p/schedule/rebuild.sh"
check "init says what to do next" grep -q 'brief build layouts/briefing.md' "$tmp/out"
check "no placeholder is left unfilled" sh -c '! grep -r -q "@BRIEF_[A-Z_]*@" "$1"' sh "$p"

# Each dataset: header, HXL row, example rows marked as such.
bad=""
for f in "$p"/datasets/*.csv; do
	lines=$(wc -l <"$f")
	hxl=$(sed -n 2p "$f" | cut -c1)
	rows=$(tail -n +3 "$f")
	unmarked=$(tail -n +3 "$f" | grep -v -i 'example')
	if [ "$lines" -lt 3 ] || [ "$hxl" != "#" ] || [ -z "$rows" ] || [ -n "$unmarked" ]; then
		bad="$bad $(basename "$f")"
	fi
done
check "every dataset has a header, an HXL row and example rows marked as example${bad:+ (not:$bad)}" \
	test -z "$bad"
check "sources say EXAMPLE DATA" grep -q 'EXAMPLE DATA' "$p/datasets/sources.csv"

in_dir "$p" check
expect_rc "brief check passes in the new project" 0
in_dir "$p" check layouts/briefing.md
if [ "$rc" -eq 0 ] && grep -q '(0 warnings)' "$tmp/out"; then
	ok "brief check layouts/briefing.md: no error, no warning"
else
	not_ok "brief check layouts/briefing.md: no error, no warning"
	show_run
fi
(cd "$p" && $VG "$BRIEF" build layouts/briefing.md) >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc "brief build passes in the new project" 0
check "it wrote reports/briefing.pdf" test -s "$p/reports/briefing.pdf"
if command -v pdftotext >/dev/null 2>&1; then
	pdftotext "$p/reports/briefing.pdf" "$tmp/b.txt"
	if grep -q 'EXAMPLE' "$tmp/b.txt" && grep -q 'at least 12' "$tmp/b.txt" &&
		grep -q 'Quantities with more than one claim' "$tmp/b.txt" &&
		grep -q 'Example Ministry of Health' "$tmp/b.txt"; then
		ok "the PDF says EXAMPLE, words a figure, lists the contested claims and the sources"
	else
		not_ok "the PDF says EXAMPLE, words a figure, lists the contested claims and the sources"
		show "$tmp/b.txt"
	fi
else
	skip "PDF text: pdftotext is not installed"
fi

# The layout uses every kind of block.
missing=""
for b in '```chart' '```keyfigures' '```table' 'contested: true' '```timeline' \
	'```pagebreak' '[@' '{{figures:' '{{casualties:'; do
	grep -q -F "$b" "$p/layouts/briefing.md" || missing="$missing $b"
done
check "the layout uses every block kind${missing:+ (missing:$missing)}" test -z "$missing"

# ---- the schedule examples, run as cron and systemd would run them ----
# The command of the crontab line, as cron hands it to sh (\% is %).
cron_cmd() {
	grep -v '^#' "$1/schedule/crontab" | grep . | head -n 1 |
		cut -d' ' -f6- | sed 's/\\%/%/g'
}
# ExecStart's arguments, unquoted as systemd does (\" \\ %% $$).
exec_start() {
	sed -n 's/^ExecStart=//p' "$1/schedule/brief.service" |
		sed 's/\\"/\x01/g; s/"//g; s/\x01/"/g; s/\\\\/\\/g; s/%%/%/g; s/\$\$/$/g'
}

run_schedules() {
	proj=$1
	label=$2
	rm -rf "$proj/reports"
	cmd=$(cron_cmd "$proj")
	(cd / && env -i PATH=/usr/bin:/bin HOME="$tmp" ${BRIEF_FONTS:+BRIEF_FONTS="$BRIEF_FONTS"} \
		sh -c "$cmd") >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 0 ] && [ -s "$proj/reports/briefing.pdf" ] &&
		[ -f "$proj/logs/brief.log" ] && [ ! -s "$proj/logs/brief.log" ]; then
		ok "$label: the crontab line builds from / with cron's PATH, log empty"
	else
		not_ok "$label: the crontab line builds from / with cron's PATH, log empty ($cmd)"
		show_run
		[ -f "$proj/logs/brief.log" ] && show "$proj/logs/brief.log"
	fi
	rm -rf "$proj/reports"
	cmd=$(exec_start "$proj")
	args=$(echo "$cmd" | sed 's|^/bin/sh ||')
	(cd / && env -i PATH=/usr/bin:/bin ${BRIEF_FONTS:+BRIEF_FONTS="$BRIEF_FONTS"} \
		/bin/sh "$args") >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 0 ] && [ -s "$proj/reports/briefing.pdf" ]; then
		ok "$label: brief.service's ExecStart runs the rebuild"
	else
		not_ok "$label: brief.service's ExecStart runs the rebuild ($cmd)"
		show_run
	fi
}
run_schedules "$p" "space in the path"
check "brief.timer runs hourly" grep -q '^OnCalendar=hourly' "$p/schedule/brief.timer"
if command -v systemd-analyze >/dev/null 2>&1; then
	if systemd-analyze verify "$p/schedule/brief.service" >"$tmp/sa" 2>&1; then
		ok "systemd-analyze verify accepts brief.service"
	else
		not_ok "systemd-analyze verify accepts brief.service"
		show "$tmp/sa"
	fi
else
	skip "systemd-analyze is not installed"
fi

q="$tmp/it's 100% \$HOME"
run_plain init -q "$q"
expect_rc "init into a directory named with a quote, % and \$" 0
run_schedules "$q" "quote, % and \$ in the path"
check "the crontab escapes % for cron" grep -q '100\\%' "$q/schedule/crontab"

if command -v git >/dev/null 2>&1; then
	(cd "$p" && git init -q . && git check-ignore -q reports/briefing.pdf &&
		git check-ignore -q logs/brief.log &&
		! git check-ignore -q datasets/casualties.csv &&
		! git check-ignore -q logs/.gitignore) >/dev/null 2>&1
	check ".gitignore: reports/ and logs are ignored, datasets and logs/ kept" test $? -eq 0
else
	skip ".gitignore: git is not installed"
fi

# ---- never overwrite ----
: >"$tmp/full.txt"
mkdir -p "$tmp/full"
echo "mine" >"$tmp/full/notes.txt"
run_brief init "$tmp/full"
if [ "$rc" -eq 2 ] && grep -q -- '--force' "$tmp/err" && [ ! -e "$tmp/full/layouts" ]; then
	ok "a non-empty DIR is refused (exit 2, says --force), nothing written"
else
	not_ok "a non-empty DIR is refused (exit 2, says --force), nothing written"
	show_run
fi
echo "my own data" >"$p/datasets/casualties.csv"
rm "$p/layouts/briefing.md"
run_plain init --force "$p"
if [ "$rc" -eq 0 ] && [ "$(cat "$p/datasets/casualties.csv")" = "my own data" ] &&
	[ -s "$p/layouts/briefing.md" ] && grep -q 'kept' "$tmp/out"; then
	ok "--force keeps existing files as they are and adds the missing ones"
else
	not_ok "--force keeps existing files as they are and adds the missing ones"
	show_run
fi
run_plain init "$tmp/notes.txt.d/x"
expect_rc "init creates missing parents" 0
run_plain init "$tmp/full.txt"
check "init onto a file fails (exit 3)" test "$rc" -eq 3

run_brief init
expect_rc "init without DIR is a usage error" 2
run_brief init a b
expect_rc "init with two DIRs is a usage error" 2
BRIEF_TEMPLATES=$tmp/none run_plain init "$tmp/t2"
if [ "$rc" -eq 3 ] && grep -q "$tmp/none/project" "$tmp/err"; then
	ok "without templates: exit 3, naming where it looked"
else
	not_ok "without templates: exit 3, naming where it looked"
	show_run
fi
run_plain init --templates "$ROOT/templates" "$tmp/t3"
expect_rc "--templates DIR names the templates" 0
run_brief help init
if [ "$rc" -eq 0 ] && grep -q '^usage: brief init' "$tmp/out"; then
	ok "brief help init"
else
	not_ok "brief help init"
	show_run
fi

# ---- make install / uninstall ----
if ! command -v make >/dev/null 2>&1; then
	skip "make install: make is not installed"
else
	pre=$tmp/prefix
	make -s -o all install PREFIX="$pre" >"$tmp/make.log" 2>&1
	r=$?
	missing=""
	for f in share/brief/templates/project/layouts/briefing.md \
		share/brief/templates/project/.gitignore \
		share/brief/templates/project/logs/.gitignore \
		share/doc/brief/README.md share/doc/brief/docs/layouts.md \
		share/doc/brief/docs/charts.md share/doc/brief/datasets/README.md \
		share/doc/brief/datasets/casualties.csv \
		share/doc/brief/layouts/karabakh.md; do
		[ -s "$pre/$f" ] || missing="$missing $f"
	done
	if [ "$r" -eq 0 ] && [ -z "$missing" ] &&
		[ -x "$pre/share/brief/templates/project/schedule/rebuild.sh" ]; then
		ok "make install: templates, docs, data dictionary, sample project"
	else
		not_ok "make install: templates, docs, data dictionary, sample project (missing:$missing; make exit $r)"
		show "$tmp/make.log"
	fi
	mkdir -p "$tmp/elsewhere"
	(cd "$tmp/elsewhere" && env -u BRIEF_FONTS -u BRIEF_TEMPLATES \
		"$pre/bin/brief" init -q proj && cd proj &&
		env -u BRIEF_FONTS "$pre/bin/brief" build -q layouts/briefing.md) \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 0 ] && [ -s "$tmp/elsewhere/proj/reports/briefing.pdf" ] &&
		grep -q "$pre/share/doc/brief/docs/layouts.md" "$tmp/elsewhere/proj/README.md"; then
		ok "the installed brief inits from its templates, builds, and points at its docs"
	else
		not_ok "the installed brief inits from its templates, builds, and points at its docs"
		show_run
	fi
	cp -R "$pre/share/doc/brief" "$tmp/sample"
	(cd "$tmp/sample" && env -u BRIEF_FONTS "$pre/bin/brief" build -q \
		layouts/karabakh.md) >"$tmp/out" 2>"$tmp/err"
	rc=$?
	check "the installed sample project builds" test "$rc" -eq 0 -a -s "$tmp/sample/reports/karabakh.pdf"
	make -s uninstall PREFIX="$pre" >"$tmp/make.log" 2>&1
	r=$?
	left=$(find "$pre" -type f | head -n 5)
	if [ "$r" -eq 0 ] && [ -z "$left" ] && [ ! -d "$pre/share/brief" ] &&
		[ ! -d "$pre/share/doc/brief" ]; then
		ok "make uninstall removes every installed file"
	else
		not_ok "make uninstall removes every installed file (left: $left)"
		show "$tmp/make.log"
	fi
fi

finish
