#!/bin/sh
# status.sh — the exit status rule of brief(1), one case per cause:
#   0 built, checked or up to date
#   1 invalid input: bad data, layout, fonts.conf or font file, or a
#     required input file that is missing or not a regular file (the
#     message names it)
#   2 usage error, including an output path that is one of the inputs
#   3 I/O error (an existing file that cannot be read or written, a full
#     disk) or out of memory
#   4 internal error (no command line reaches it; tests/unit/test_io.c
#     checks the mapping)
# A failed build also says it was not built, and nothing goes to stdout.
#
# TAP output; $BRIEF is the binary, $VG an optional valgrind prefix.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief
K=layouts/karabakh.md
EX=tests/layouts/example.md

# status WANT NAME ARGS...: brief ARGS exits WANT; a failure prints to
# stderr only.
status() {
	want=$1
	name=$2
	shift 2
	run_brief "$@"
	if [ "$rc" -eq "$want" ] &&
		{ [ "$want" -eq 0 ] || { [ -s "$tmp/err" ] && [ ! -s "$tmp/out" ]; }; }; then
		ok "exit $want: $name"
	else
		not_ok "exit $want: $name (got $rc)"
		show_run
	fi
}

d=$tmp/data
cp -r tests/layouts/data "$d"
cp "$EX" "$tmp/ex.md"
sed -i 's|^data: .*|data: data|' "$tmp/ex.md"

status 0 "build" build -q -o "$tmp/ok.pdf" "$tmp/ex.md"
status 0 "build --if-changed, up to date" build -q --if-changed -o "$tmp/ok.pdf" "$tmp/ex.md"
status 0 "check the datasets" check -q --data "$d"
status 0 "check a layout" check -q "$tmp/ex.md"
status 0 "--help" --help
status 0 "--version" --version

status 1 "a bad row" check --data tests/bad/unknown-source
status 1 "a bad layout" build -o "$tmp/x.pdf" tests/layouts/bad/as-of.md
status 1 "a missing layout" build -o "$tmp/x.pdf" "$tmp/nope.md"
status 1 "check of a missing layout" check "$tmp/nope.md"
status 1 "a missing data directory (check)" check --data "$tmp/nope"
status 1 "a missing data directory (build)" build -d "$tmp/nope" -o "$tmp/x.pdf" "$tmp/ex.md"
status 1 "a missing fonts directory" build --fonts "$tmp/nope" -o "$tmp/x.pdf" "$tmp/ex.md"
# The same rule for every dataset: sources.csv used to give 3, events.csv 1.
for ds in sources events casualties; do
	mv "$d/$ds.csv" "$tmp/$ds.csv"
	status 1 "a missing $ds.csv (build)" build -o "$tmp/x.pdf" "$tmp/ex.md"
	if ! grep -q "$d/$ds.csv: error: no such file" "$tmp/err"; then
		not_ok "a missing $ds.csv (build) is named"
		show_run
	fi
	status 1 "a missing $ds.csv (check)" check --data "$d"
	if ! grep -q "$d/$ds.csv: error: no such file" "$tmp/err"; then
		not_ok "a missing $ds.csv (check) is named"
		show_run
	fi
	mv "$tmp/$ds.csv" "$d/$ds.csv"
done
mkfifo "$tmp/fifo.md"
status 1 "a FIFO as the layout" build -o "$tmp/x.pdf" "$tmp/fifo.md"

status 2 "no command"
status 2 "an unknown command" frobnicate
status 2 "an unknown option" build --frobnicate "$tmp/ex.md"
status 2 "-o with two layouts" build -o "$tmp/x.pdf" "$tmp/ex.md" "$K"
status 2 "check with --pdfa" check --pdfa
SOURCE_DATE_EPOCH=soon status 2 "a malformed SOURCE_DATE_EPOCH" build -o "$tmp/x.pdf" "$tmp/ex.md"
status 2 "the output is the layout" build -o "$tmp/ex.md" "$tmp/ex.md"
status 2 "the output is a dataset" build -o "$d/figures.csv" "$tmp/ex.md"

status 3 "the output directory does not exist" build -o "$tmp/nope/x.pdf" "$tmp/ex.md"
status 3 "the output is a directory" build -o "$tmp" "$tmp/ex.md"
if [ -w /dev/full ]; then
	status 3 "the disk is full (/dev/full)" build -o /dev/full "$tmp/ex.md"
	if ! grep -q "No space left on device" "$tmp/err" ||
		! grep -q "may hold part of the report" "$tmp/err"; then
		not_ok "a failed in-place write says the output may hold part of the report"
		show_run
	fi
else
	skip "exit 3: the disk is full (/dev/full)" "no writable /dev/full"
fi
: >"$tmp/afile"
status 3 "--charts DIR is a file" build -o "$tmp/y.pdf" --charts "$tmp/afile" "$tmp/ex.md"
as=""
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	as="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
if [ "$(id -u)" -eq 0 ] && [ -z "$as" ]; then
	skip "exit 3: an unreadable layout" "running as root without setpriv"
else
	chmod 755 "$tmp"
	chmod -R a+rX "$tmp"
	chmod 000 "$tmp/ex.md"
	# shellcheck disable=SC2086
	$as $VG "$BRIEF" build -o "$tmp/u.pdf" "$tmp/ex.md" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 3 ] && grep -q "ex.md: error: cannot open: Permission denied" "$tmp/err"; then
		ok "exit 3: an unreadable layout"
	else
		not_ok "exit 3: an unreadable layout (got $rc)"
		show_run
	fi
	chmod 644 "$tmp/ex.md"
fi

# An unreadable dataset is an I/O error naming the file, said once, for
# build and check alike: it used to be 1, the message repeated and
# followed by "unknown row id" for every reference into it.
if [ "$(id -u)" -eq 0 ] && [ -z "$as" ]; then
	skip "exit 3: an unreadable dataset" "running as root without setpriv"
else
	for ds in casualties sources events; do
		chmod 000 "$d/$ds.csv"
		for how in "build -q -o $tmp/u.pdf $tmp/ex.md" "check -q $tmp/ex.md" \
			"check -q --data $d"; do
			# shellcheck disable=SC2086
			$as $VG "$BRIEF" $how >"$tmp/out" 2>"$tmp/err"
			rc=$?
			said=$(grep -c "^$d/$ds.csv: error: cannot open: Permission denied$" "$tmp/err")
			what="${how%% *}$(case $how in *--data*) echo " --data" ;; esac)"
			if [ "$rc" -eq 3 ] && [ "$said" -eq 1 ] && ! grep -q 'unknown row' "$tmp/err"; then
				ok "exit 3: an unreadable $ds.csv ($what), said once"
			else
				not_ok "exit 3: an unreadable $ds.csv ($what; got $rc, said $said times)"
				show_run
			fi
		done
		chmod 644 "$d/$ds.csv"
	done
fi

# An output directory brief may not write in: exit 3 naming it, the
# previous report as it was, nothing left beside it.
if [ "$(id -u)" -eq 0 ] && [ -z "$as" ]; then
	skip "exit 3: an unwritable output directory" "running as root without setpriv"
else
	mkdir "$tmp/ro"
	printf 'previous report\n' >"$tmp/ro/r.pdf"
	chmod 555 "$tmp/ro"
	chmod 644 "$tmp/ro/r.pdf"
	# shellcheck disable=SC2086
	$as $VG "$BRIEF" build -q -o "$tmp/ro/r.pdf" "$tmp/ex.md" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 3 ] &&
		grep -q "^$tmp/ro/r.pdf: error: cannot create a file in $tmp/ro: Permission denied$" "$tmp/err" &&
		[ "$(cat "$tmp/ro/r.pdf")" = "previous report" ] && [ "$(ls -A "$tmp/ro")" = r.pdf ]; then
		ok "exit 3: an unwritable output directory, the previous report unchanged"
	else
		not_ok "exit 3: an unwritable output directory (got $rc)"
		show_run
	fi
	chmod 755 "$tmp/ro"
fi

# A dataset that is a directory is a required input that is not a regular
# file (1), said once.
mv "$d/casualties.csv" "$tmp/casualties.csv"
mkdir "$d/casualties.csv"
for how in "build -q -o $tmp/u.pdf $tmp/ex.md" "check -q $tmp/ex.md" "check -q --data $d"; do
	# shellcheck disable=SC2086
	$VG "$BRIEF" $how >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 1 ] &&
		[ "$(cat "$tmp/err")" = "$d/casualties.csv: error: is a directory, not a regular file" ]; then
		ok "exit 1: casualties.csv is a directory (${how%% *}$(case $how in *--data*) echo " --data" ;; esac)), said once"
	else
		not_ok "exit 1: casualties.csv is a directory (${how%% *}; got $rc)"
		show_run
	fi
done
rmdir "$d/casualties.csv"
mv "$tmp/casualties.csv" "$d/casualties.csv"

# A font cut short that FreeType still opens (it reads tables lazily) is
# invalid input at its line of fonts.conf, for check as for build; it was
# an internal error of the subsetter, and check passed.
mkdir "$tmp/fonts"
cp "$ROOT"/fonts/fonts.conf "$ROOT"/fonts/*.ttf "$tmp/fonts/"
size=$(wc -c <"$ROOT/fonts/NotoSans-Regular.ttf")
head -c $((size * 6 / 10)) "$ROOT/fonts/NotoSans-Regular.ttf" >"$tmp/fonts/NotoSans-Regular.ttf"
for cmd in build check; do
	if [ "$cmd" = build ]; then
		run_brief build -q --fonts "$tmp/fonts" -o "$tmp/t.pdf" "$tmp/ex.md"
	else
		run_brief check -q --fonts "$tmp/fonts" "$tmp/ex.md"
	fi
	if [ "$rc" -eq 1 ] && grep -q "^$tmp/fonts/fonts.conf:5: error: cannot load font '$tmp/fonts/NotoSans-Regular.ttf': a damaged or truncated font" "$tmp/err"; then
		ok "exit 1: a truncated font ($cmd)"
	else
		not_ok "exit 1: a truncated font ($cmd; got $rc)"
		show_run
	fi
done

# Several layouts: the worst status wins.
mkdir -p "$tmp/w"
: >"$tmp/w/reports"
(cd "$tmp/w" && "$BRIEF" build -q "$ROOT/tests/layouts/bad/as-of.md" \
	"$tmp/ex.md") >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc "two layouts failing with 1 and 3: exit 3" 3

finish
