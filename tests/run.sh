#!/bin/sh
# run.sh — run every test and print one closing line
# "N passed, N failed, N skipped".
# Unit tests (build/tests/test_*, cmocka) report in TAP; command-line tests
# (tests/cli/*.sh) print TAP "ok"/"not ok" lines too. A line with TAP's
# SKIP directive is a skipped test: counted as skipped, never as passed or
# failed (tests/cli/lib/tap.sh), and its reason is shown. Set VALGRIND=1 to
# run everything under valgrind memcheck (a report counts as a failure).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export BRIEF="${BRIEF:-$PWD/brief}"
export CMOCKA_MESSAGE_OUTPUT=TAP
if [ "${VALGRIND:-0}" = 1 ]; then
	VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
	export VG
else
	VG=""
	export VG
fi
. tests/cli/lib/tap.sh
pass=0
fail=0
skipped=0
log=$(mktemp)
count() {
	# Count TAP lines of one test program's output in $log.
	# shellcheck disable=SC2046
	set -- "$1" "$2" $(tap_count "$log")
	p=$3
	f=$4
	s=$5
	pass=$((pass + p))
	fail=$((fail + f))
	skipped=$((skipped + s))
	if [ "$1" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $2 exited $1"
		fail=$((fail + 1))
	fi
	grep -E "^(not ok |#)|$TAP_SKIP_RE" "$log" | sed "s|^|$2: |"
}
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	# shellcheck disable=SC2086
	$VG "$t" >"$log" 2>&1
	count $? "$(basename "$t")"
done
for t in tests/cli/*.sh; do
	[ -f "$t" ] || continue
	sh "$t" >"$log" 2>&1
	count $? "$(basename "$t")"
done
rm -f "$log"
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
