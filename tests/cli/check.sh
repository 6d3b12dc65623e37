#!/bin/sh
# check.sh — `brief check` on the bad-input corpus and on the shipped data.
#
# Each tests/bad/<case>/ is a complete small data directory with one thing
# broken, and `expected` holds the exact first diagnostic(s) brief must print
# to stderr (file:line:col: error: message, the quoted line, the caret).
# A case with an archive/ subdirectory is checked with --archive pointing
# there. Every case must exit 1, print nothing to stdout, and start its
# stderr with exactly the lines of `expected`.
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

for dir in tests/bad/*/; do
	dir=${dir%/}
	name=${dir#tests/bad/}
	[ -f "$dir/expected" ] || continue
	if [ -d "$dir/archive" ]; then
		run_check --data "$dir" --archive "$dir/archive"
	else
		run_check --data "$dir"
	fi
	rc=$(cat "$tmp/rc")
	lines=$(wc -l <"$dir/expected")
	head -n "$lines" "$tmp/err" >"$tmp/head"
	if [ "$rc" -eq 1 ] && [ ! -s "$tmp/out" ] &&
		cmp -s "$tmp/head" "$dir/expected"; then
		ok "bad/$name"
	else
		not_ok "bad/$name"
		echo "#   exit code $rc (want 1)"
		if [ -s "$tmp/out" ]; then
			echo "#   unexpected stdout:"
			show "$tmp/out"
		fi
		echo "#   want stderr starting with:"
		show "$dir/expected"
		echo "#   got stderr:"
		head -n 20 "$tmp/err" | sed 's/^/#   /'
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
