#!/bin/sh
# allocfail.sh — a bounded, deterministic part of `make allocfail` in
# `make test`: with brief linked against the allocation-failure injector
# (tests/shim/allocfail.c) and LeakSanitizer ($BUILD/tests/brief-allocfail),
# every allocation of a small build fails in turn, and a fixed sample
# (seed printed) of those of the other scenarios; each run must end in
# exit 3 with "out of memory", without crash or leak, or recover
# (tests/allocfail.sh says exactly what passes). The full run, under
# AddressSanitizer and every allocation of every scenario, is
# `make allocfail`; a bad run here says how to re-run it there.
#
# TAP output, one line per scenario.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
AF=$ROOT/${BUILD:-build}/tests/brief-allocfail
SEED=${ALLOCFAIL_SEED:-20261202}

if [ -n "$VG" ]; then
	skip "allocation failures" "not under valgrind (LeakSanitizer instead)"
	finish
	exit
fi
if [ ! -x "$AF" ]; then
	not_ok "allocation failures: no $AF (run make test)"
	finish
	exit
fi

# run_af WHAT ENV...: tests/allocfail.sh with ENV; its scenario lines
# become TAP lines, its details comments.
run_af() {
	what=$1
	shift
	env "$@" ALLOCFAIL_SYMBOLIZE=0 ALLOCFAIL_JOBS=2 BRIEF="$AF" \
		sh "$ROOT/tests/allocfail.sh" >"$tmp/af.log" 2>&1
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "$what: ${line#ok - }" ;;
		"not ok - "*) not_ok "$what: ${line#not ok - }" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$tmp/af.log"
	grep -q '^ok - \|^not ok - ' "$tmp/af.log" || {
		not_ok "$what: tests/allocfail.sh said nothing"
		show "$tmp/af.log"
	}
}

run_af "every allocation" ALLOCFAIL_ONLY=build-tiny
run_af "sampled" ALLOCFAIL_ONLY="check-bad check-archive build-example" \
	ALLOCFAIL_SAMPLE=120 ALLOCFAIL_SEED="$SEED"
finish
