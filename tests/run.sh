#!/bin/sh
# run.sh — run every test and print one closing line "N passed, N failed".
# Unit tests (build/tests/test_*, cmocka) report in TAP; command-line tests
# (tests/cli/*.sh) print TAP "ok"/"not ok" lines too. Set VALGRIND=1 to run
# everything under valgrind memcheck (a report counts as a failure).
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
pass=0
fail=0
log=$(mktemp)
count() {
	# Count TAP lines of one test program's output in $log.
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$1" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $2 exited $1"
		fail=$((fail + 1))
	fi
	grep -E '^(not ok |#)' "$log" | sed "s|^|$2: |"
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
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
