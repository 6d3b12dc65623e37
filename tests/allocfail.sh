#!/bin/sh
# allocfail.sh — allocation-failure testing, as SQLite's harness does it:
# for a few small runs of brief, make each allocation in turn fail (the
# first, then the second, ...), and require every run to end cleanly:
# exit 3 with "out of memory" on stderr, no crash, no AddressSanitizer or
# UndefinedBehaviorSanitizer report, no leak (LeakSanitizer). A run that
# recovers from the failure and produces exactly the reference output and
# status is fine too, and so is one that wrote the report as the reference
# run did and only warned "out of memory" about the record of its inputs
# (NAME.inputs.tar.gz is written after the report, and a failure to write
# it is a warning, whatever the cause).
#
# Run by `make allocfail`, which builds $BRIEF (build-allocfail/brief)
# with tests/shim/allocfail.c wrapped around malloc, calloc, realloc,
# strdup and strndup. Environment:
#   ALLOCFAIL_JOBS=N       parallel runs (default 2)
#   ALLOCFAIL_STEP=K       only every K-th allocation (default 1: all)
#   ALLOCFAIL_ONLY="a b"   only these scenarios (names below)
#   ALLOCFAIL_KEEP=DIR     keep the stderr of every bad run there
#   ALLOCFAIL_NS="n ..."   only these allocations (to re-run failures)
#   ALLOCFAIL_PERSIST=1    every allocation from the n-th on fails, not
#                          only the n-th (passed through to the wrapper)
#   ALLOCFAIL_SAMPLE=K     at most K allocations of each scenario, drawn
#                          with ALLOCFAIL_SEED (default 1; printed), the
#                          same ones every run on one machine
#   ALLOCFAIL_SYMBOLIZE=0  no symbolised stack at the failing allocation
#                          (faster; a bad run prints how to re-run it)
#
# Prints one line per scenario, then each failing allocation site with
# what went wrong, then "N passed, N failed, N skipped" (runs).
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
BRIEF=${BRIEF:-build-allocfail/brief}
case $BRIEF in /*) ;; *) BRIEF=$ROOT/$BRIEF ;; esac
BRIEF_FONTS=${BRIEF_FONTS:-$ROOT/fonts}
export BRIEF BRIEF_FONTS
ASAN_OPTIONS=detect_leaks=1:exitcode=86:print_summary=1
LSAN_OPTIONS=exitcode=87
if [ "${ALLOCFAIL_SYMBOLIZE:-1}" = 0 ]; then
	ASAN_OPTIONS=$ASAN_OPTIONS:symbolize=0
	LSAN_OPTIONS=$LSAN_OPTIONS:symbolize=0
fi
UBSAN_OPTIONS=print_stacktrace=1
export ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS
unset SOURCE_DATE_EPOCH

# scenario_args NAME DIR: the command line of scenario NAME, writing into
# DIR.
scenario_args() {
	case $1 in
	build-tiny) echo "build -q -o $2/out.pdf $WORK/tiny.md" ;;
	build-example) echo "build -q -o $2/out.pdf --charts $2/charts $ROOT/tests/layouts/example.md" ;;
	check-data) echo "check --data $ROOT/tests/layouts/data" ;;
	check-bad) echo "check --data $ROOT/tests/bad/duplicate-id" ;;
	check-archive) echo "check --data $ROOT/tests/bad/stated-as-not-found --archive $ROOT/tests/bad/stated-as-not-found/archive" ;;
	esac
}

# One run: scenario $2, allocation $3 fails; prints "N class site | detail".
if [ "${1:-}" = --one ]; then
	name=$2
	k=$3
	d=$WORK/run/$name-$k
	mkdir -p "$d"
	# shellcheck disable=SC2046
	ALLOCFAIL_N=$k "$BRIEF" $(scenario_args "$name" "$d") >"$d/out" 2>"$d/err"
	rc=$?
	ref=$WORK/ref/$name
	# What brief itself said: without the injector's trace.
	grep -v '^allocfail: \|^    #[0-9]\|^$' "$d/err" >"$d/err.msg"
	# The allocation that failed: the first frame past the wrapper.
	site=$(sed -n 's/^    #[0-9]* 0x[0-9a-f]* in \([^ ]*\) \([^ ]*\)$/\1 \2/p' "$d/err" |
		grep -v '__sanitizer_print_stack_trace\|fail_now\|__wrap_' | head -n 1 |
		sed "s|$ROOT/||")
	if [ -z "$site" ] && grep -q '^allocfail: failing allocation' "$d/err"; then
		site="(not symbolised: ALLOCFAIL_ONLY=$name ALLOCFAIL_NS=$k make allocfail)"
	fi
	[ -n "$site" ] || site="(no allocation failed)"
	detail=$(grep -m 1 -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error' "$d/err" |
		sed "s|$ROOT/||")
	if grep -q 'ERROR: LeakSanitizer' "$d/err"; then
		frame=$(grep -A 8 'ERROR: LeakSanitizer' "$d/err" |
			sed -n 's/^    #[0-9]* 0x[0-9a-f]* in \([^ ]*\) \([^ ]*\)$/\1 \2/p' |
			grep -v '__wrap_\|malloc\|calloc\|realloc\|strdup\|strndup' | head -n 1 |
			sed "s|$ROOT/||")
		class="leak"
		detail="leaked, allocated in $frame"
	elif grep -q 'ERROR: AddressSanitizer' "$d/err"; then
		frame=$(grep -A 12 'ERROR: AddressSanitizer' "$d/err" |
			sed -n 's/^    #[0-9]* 0x[0-9a-f]* in \([^ ]*\) \([^ ]*\)$/\1 \2/p' |
			grep -v '__interceptor\|__asan' | head -n 1 | sed "s|$ROOT/||")
		class="crash"
		detail="$detail at $frame"
	elif grep -q 'runtime error' "$d/err"; then
		class="ubsan"
	elif [ "$rc" -ge 128 ]; then
		class="signal"
		detail="killed by signal $((rc - 128))"
	elif [ "$rc" -eq 3 ] && grep -q 'out of memory' "$d/err.msg"; then
		class="ok"
	elif [ "$rc" -eq "$(cat "$ref/rc")" ] && cmp -s "$d/err.msg" "$ref/err" &&
		cmp -s "$d/out" "$ref/out" &&
		{ [ ! -e "$ref/out.pdf" ] || cmp -s "$d/out.pdf" "$ref/out.pdf"; }; then
		class="recovered"
	elif [ "$rc" -eq 0 ] && [ "$(cat "$ref/rc")" -eq 0 ] && [ -e "$ref/out.pdf" ] &&
		cmp -s "$d/out.pdf" "$ref/out.pdf" && cmp -s "$d/out" "$ref/out" &&
		grep -v ': warning: out of memory$' "$d/err.msg" | cmp -s - "$ref/err" &&
		grep -q "^$d/out[.a-z]*: warning: out of memory$" "$d/err.msg"; then
		class="recovered" # the record of inputs only
	elif [ "$rc" -eq 0 ] || [ "$rc" -eq "$(cat "$ref/rc")" ]; then
		class="silent"
		detail="exit $rc but the output differs from the reference run"
	elif [ "$rc" -eq 3 ]; then
		class="message"
		detail="exit 3 without 'out of memory': $(head -n 1 "$d/err.msg" | sed "s|$ROOT/||")"
	else
		class="status"
		detail="exit $rc (want 3): $(head -n 1 "$d/err.msg" | sed "s|$ROOT/||")"
	fi
	echo "$k $class $site | $detail"
	[ "$class" = ok ] || [ "$class" = recovered ] ||
		cp "$d/err" "${ALLOCFAIL_KEEP:-$WORK}/fail-$name-$k.err"
	rm -rf "$d"
	exit 0
fi

if [ ! -x "$BRIEF" ]; then
	echo "allocfail: no $BRIEF (run make allocfail)" >&2
	exit 1
fi
JOBS=${ALLOCFAIL_JOBS:-2}
STEP=${ALLOCFAIL_STEP:-1}
WORK=$(mktemp -d)
export WORK
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/ref" "$WORK/run"
cat >"$WORK/tiny.md" <<EOF
---
title: Tiny
data: $ROOT/tests/layouts/data
as_of: 2023-09-30
---

# Summary

The war killed {{casualties:cas-001}} soldiers [@src-south].
EOF

pass=0
fail=0
skipped=0
[ -z "${ALLOCFAIL_SAMPLE:-}" ] ||
	echo "# at most $ALLOCFAIL_SAMPLE allocations a scenario, seed ${ALLOCFAIL_SEED:-1}"
for name in ${ALLOCFAIL_ONLY:-build-tiny check-data check-bad check-archive build-example}; do
	# The reference run: how many allocations, and what a good run says.
	ref=$WORK/ref/$name
	mkdir -p "$ref"
	# shellcheck disable=SC2046
	ALLOCFAIL_COUNT=$ref/count "$BRIEF" $(scenario_args "$name" "$ref") \
		>"$ref/out" 2>"$ref/err.all"
	echo $? >"$ref/rc"
	grep -v '^$' "$ref/err.all" >"$ref/err"
	total=$(cat "$ref/count" 2>/dev/null || echo 0)
	if [ "$total" -eq 0 ] || grep -q 'Sanitizer' "$ref/err"; then
		echo "not ok - $name: the reference run failed (exit $(cat "$ref/rc"))"
		sed 's/^/#   /' "$ref/err" | head -n 20
		fail=$((fail + 1))
		continue
	fi
	t0=$(date +%s)
	if [ -n "${ALLOCFAIL_NS:-}" ]; then
		for k in $ALLOCFAIL_NS; do [ "$k" -le "$total" ] && echo "$k"; done
	elif [ -n "${ALLOCFAIL_SAMPLE:-}" ] && [ "$ALLOCFAIL_SAMPLE" -lt "$total" ]; then
		# A partial Fisher-Yates shuffle of 1..total.
		awk -v n="$total" -v k="$ALLOCFAIL_SAMPLE" -v seed="${ALLOCFAIL_SEED:-1}" 'BEGIN {
			srand(seed)
			for (i = 1; i <= n; i++) v[i] = i
			for (i = 1; i <= k; i++) {
				j = i + int(rand() * (n - i + 1))
				t = v[i]; v[i] = v[j]; v[j] = t
				print v[i]
			}
		}' | sort -n
	else
		seq "$STEP" "$STEP" "$total"
	fi |
		xargs -P "$JOBS" -I{} sh "$ROOT/tests/allocfail.sh" --one "$name" {} >"$WORK/$name.res"
	runs=$(wc -l <"$WORK/$name.res")
	[ "$runs" -gt 0 ] || continue
	good=$(grep -c ' ok \| recovered ' "$WORK/$name.res")
	recovered=$(grep -c ' recovered ' "$WORK/$name.res")
	bad=$((runs - good))
	pass=$((pass + good))
	fail=$((fail + bad))
	verdict="ok"
	[ "$bad" -eq 0 ] || verdict="not ok"
	echo "$verdict - $name: $runs of $total allocations failed in turn, $bad bad runs ($recovered recovered), $(($(date +%s) - t0)) s"
	if [ "$bad" -gt 0 ]; then
		# One line per allocation site and outcome, with its first run.
		grep -v ' ok \| recovered ' "$WORK/$name.res" | sort -n |
			awk '{ key = $2 " " $3 " " $4; if (!(key in seen)) { seen[key] = $0; order[++n] = key }; count[key]++ }
			     END { for (i = 1; i <= n; i++) print "#   " count[order[i]] "x " seen[order[i]] }'
	fi
done
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
