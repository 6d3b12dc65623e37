#!/bin/sh
# check.sh — the hostile-input corpus (tests/bad/, see its README.md), as
# `brief check` and as `brief build`, and `brief check` on the shipped data.
#
# Each tests/bad/<case>/ is a data directory, a layout or a command line
# with one thing wrong, and `expected` holds the exact first diagnostic(s)
# brief must print to stderr (file:line:col: error: message, the quoted
# line, the caret); `status` the exit status when it is not 1. Check and
# build must fail alike, print nothing to stdout, leave a previous report
# as it was and no temporary file beside it.
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

# brief check with the given arguments; stdout, stderr and exit code land
# in $tmp/out, $tmp/err, $tmp/rc.
run_check() {
	# shellcheck disable=SC2086
	$VG "$BRIEF" check "$@" >"$tmp/out" 2>"$tmp/err"
	echo $? >"$tmp/rc"
}

# A layout with no references: what a data case is built with.
printf -- '---\ntitle: Plain\n---\n\n# Summary\n\nNothing to cite.\n' >"$tmp/plain.md"
# The report a failed build must leave as it was.
printf 'previous report\n' >"$tmp/previous"

# run_case KIND DIR WANT ARGS...: brief ARGS (under $VG, but for builds),
# where $OUT, the report, is in a directory of its own that already holds
# a previous report; then the verdict against DIR/expected and exit
# status WANT: that status, nothing on stdout, stderr starting with the
# lines of `expected` (with $tmp written @TMP@, the source tree @ROOT@),
# the previous report untouched and nothing else left in its directory.
# Sets got_rc.
run_case() {
	kind=$1
	dir=$2
	want=$3
	shift 3
	rm -rf "$tmp/o"
	mkdir "$tmp/o"
	cp "$tmp/previous" "$tmp/o/report.pdf"
	# Under valgrind only the check and command-line runs (the builds
	# repeat their reading, and there are hundreds).
	vg=$VG
	case $kind in build*) vg="" ;; esac
	# shellcheck disable=SC2086
	$vg "$BRIEF" "$@" >"$tmp/out" 2>"$tmp/err.raw"
	got_rc=$?
	sed -e "s|$tmp|@TMP@|g" -e "s|$ROOT/|@ROOT@/|g" "$tmp/err.raw" >"$tmp/err"
	if [ "$kind" = build-data ]; then
		# Building stops at a dataset's first error (check goes on).
		awk '/^[^ ].*: (error|warning): / && n++ { exit } { print }' \
			"$dir/expected" >"$tmp/want"
	else
		cp "$dir/expected" "$tmp/want"
	fi
	lines=$(wc -l <"$tmp/want")
	head -n "$lines" "$tmp/err" >"$tmp/head"
	left=$(find "$tmp/o" -mindepth 1 ! -name report.pdf | sed "s|^$tmp/o/||")
	why=""
	[ "$got_rc" -eq "$want" ] || why="exit code $got_rc (want $want)"
	[ ! -s "$tmp/out" ] || why="$why; unexpected stdout"
	cmp -s "$tmp/head" "$tmp/want" || why="$why; stderr differs"
	cmp -s "$tmp/o/report.pdf" "$tmp/previous" ||
		why="$why; the previous report changed"
	[ -z "$left" ] || why="$why; left behind: $left"
	if [ -z "$why" ]; then
		ok "bad/${dir#tests/bad/} ($kind)"
	else
		not_ok "bad/${dir#tests/bad/} ($kind): ${why#; }"
		if [ -s "$tmp/out" ]; then
			echo "#   unexpected stdout:"
			show "$tmp/out"
		fi
		echo "#   want stderr starting with:"
		show "$tmp/want"
		echo "#   got stderr:"
		head -n 20 "$tmp/err" | sed 's/^/#   /'
	fi
}

# agree DIR: the check and the build of case DIR ended alike.
agree() {
	check "bad/${1#tests/bad/}: check and build agree (exit $c_rc and $got_rc)" \
		test "$c_rc" -eq "$got_rc"
}

# Every case runs as check and as build, and both must fail the same way
# (check passes exactly when build would). A case is one of
#  - a data directory (sources.csv and the datasets): `check --data DIR`,
#    and `build -d DIR` of a layout citing nothing (which stops at the
#    first error: only the first diagnostic is compared); with an archive/
#    subdirectory `check --archive DIR/archive` only (build reads no
#    archive);
#  - a layout, DIR/layout.md (its data where its front matter says):
#    `check DIR/layout.md` and `build DIR/layout.md`;
#  - a command line, DIR/args (shell words; $CASE is DIR, $OUT the
#    report, $tmp a scratch directory), run as written.
# DIR/status, when there, is the exit status wanted (default 1).
for dir in tests/bad/*/; do
	dir=${dir%/}
	[ -f "$dir/expected" ] || continue
	want=1
	[ ! -f "$dir/status" ] || want=$(cat "$dir/status")
	# shellcheck disable=SC2034 # both are read by the eval of args
	OUT=$tmp/o/report.pdf CASE=$dir
	if [ -f "$dir/args" ]; then
		eval "set -- $(cat "$dir/args")"
		run_case cli "$dir" "$want" "$@"
	elif [ -f "$dir/layout.md" ]; then
		run_case check "$dir" "$want" check "$dir/layout.md"
		c_rc=$got_rc
		run_case build "$dir" "$want" build -q -o "$OUT" "$dir/layout.md"
		agree "$dir"
	elif [ -d "$dir/archive" ]; then
		run_case check "$dir" "$want" check --data "$dir" --archive "$dir/archive"
	else
		run_case check "$dir" "$want" check --data "$dir"
		c_rc=$got_rc
		run_case build-data "$dir" "$want" build -q -d "$dir" -o "$OUT" "$tmp/plain.md"
		agree "$dir"
	fi
done

# The shipped datasets are valid.
run_check
rc=$(cat "$tmp/rc")
if [ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ] &&
	grep -Eq '^brief: datasets: [0-9]+ rows in 6 files, no errors$' "$tmp/out" &&
	[ "$(wc -l <"$tmp/out")" -eq 1 ]; then
	ok "check on shipped datasets"
else
	not_ok "check on shipped datasets"
	echo "#   exit code $rc (want 0)"
	show "$tmp/out"
	head -n 20 "$tmp/err" | sed 's/^/#   /'
fi

# Every stated_as of the shipped datasets occurs in its archived source.
# The archive lives beside the clone (../shared/seeds), not in it.
seeds="$(cd .. && pwd)/shared/seeds"
if [ -d "$seeds" ]; then
	run_check --archive "$seeds"
	rc=$(cat "$tmp/rc")
	if [ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ] &&
		grep -q 'every stated_as found in its archived source' "$tmp/out"; then
		ok "check --archive $seeds"
	else
		not_ok "check --archive $seeds"
		echo "#   exit code $rc (want 0)"
		show "$tmp/out"
		head -n 20 "$tmp/err" | sed 's/^/#   /'
	fi
else
	skip "check --archive $seeds" "no $seeds"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
