#!/bin/sh
# harness.sh — the test harness counts what it should: tests/run.sh's TAP
# counting (tests/cli/lib/tap.sh) on made-up test output, where a skipped
# test is counted as skipped, never as passed or failed.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
# shellcheck source=tests/cli/lib/tap.sh
. "$ROOT/tests/cli/lib/tap.sh"

# counted NAME WANT LINES...: tap_count of LINES is WANT ("P F S").
counted() {
	name=$1
	want=$2
	shift 2
	printf '%s\n' "$@" >"$tmp/log"
	got=$(tap_count "$tmp/log")
	if [ "$got" = "$want" ]; then
		ok "$name: $want"
	else
		not_ok "$name: got '$got', want '$want'"
	fi
}
counted "passes and failures" "2 1 0" "1..3" "ok 1 - a" "not ok 2 - b" "ok 3 - c"
counted "a skip is not a pass" "1 0 1" "ok 1 - a" "ok 2 - b # SKIP no java"
counted "skip directive in any case, with or without a name" "0 0 3" \
	"ok 1 # skip x" "ok 2 - y # Skip" "ok 3 - z #SKIP because"
counted "cmocka's skipped test is not a failure" "1 0 1" \
	"ok 1 - test_a" "not ok 2 # SKIP test_b"
counted "comments, plans and output are not counted" "1 0 0" \
	"# ok 1 - in a comment" "1..1" "looks ok" "okay 2" "ok 1 - real"
counted "a test name mentioning skip is not a skip" "1 1 0" \
	"ok 1 - skips nothing" "not ok 2 - --skip-foo option"

# The closing line of tests/run.sh, on a suite with one skip.
mkdir -p "$tmp/suite/tests/cli/lib" "$tmp/suite/build/tests"
cp "$ROOT/tests/run.sh" "$tmp/suite/tests/"
cp "$ROOT/tests/cli/lib/tap.sh" "$tmp/suite/tests/cli/lib/"
printf 'echo "ok 1 - a"\necho "ok 2 - b # SKIP not here"\necho "1..2"\n' \
	>"$tmp/suite/tests/cli/one.sh"
BUILD=build sh "$tmp/suite/tests/run.sh" >"$tmp/run.out" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && [ "$(tail -n 1 "$tmp/run.out")" = "1 passed, 0 failed, 1 skipped" ] &&
	grep -q "one.sh: ok 2 - b # SKIP not here" "$tmp/run.out"; then
	ok "run.sh closes with '1 passed, 0 failed, 1 skipped' and shows the skip"
else
	not_ok "run.sh closes with '1 passed, 0 failed, 1 skipped' and shows the skip"
	show "$tmp/run.out"
fi

finish
