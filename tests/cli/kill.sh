#!/bin/sh
# kill.sh — builds killed at random moments never damage the report.
#
# $KILL_RUNS (default 200) builds replace a report, each killed after a
# random delay by a random signal: SIGKILL, which nothing can catch, and
# the catchable ones (TERM, INT, HUP, QUIT, USR1, USR2, ALRM, XFSZ, PIPE).
# Half the builds use unnamed temporary files (O_TMPFILE), half named ones
# (the shim tests/shim/failwrite.c takes O_TMPFILE away, as on a filesystem
# without it). The two layouts alternate, so the report is always being
# replaced by a different one. After every kill:
#   - the report is byte-identical to the old or the new one (both pass
#     qpdf --check), never missing, never partial;
#   - no temporary file is left, except a named one of a SIGKILLed build,
#     which the next build writing that report must remove;
#   - the exit status is the signal's (or 0 when the build finished first).
# The delays are drawn around the measured build time, so most kills land
# late in the build, where the file is written. $KILL_SEED repeats a run.
#
# TAP output; $BRIEF is the binary. Not run under valgrind (timing is the
# point, and every code path here is covered by output.sh).
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief
ulimit -c 0 2>/dev/null # SIGQUIT and SIGXFSZ dump core by default
RUNS=${KILL_RUNS:-200}
SEED=${KILL_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
A=layouts/karabakh.md
B=tests/layouts/example.md

if [ -n "$VG" ]; then
	skip "builds killed at random moments" "not run under valgrind"
	finish
	exit 0
fi
if ! command -v qpdf >/dev/null 2>&1; then
	not_ok "qpdf is installed (make test-deps)"
	finish
	exit 1
fi
build_shim
if [ -z "$shim" ]; then
	skip "builds killed at random moments" "$shim_why"
	finish
	exit 0
fi
defsig=""
if env --default-signal=INT,QUIT true 2>/dev/null; then
	defsig="env --default-signal=INT,QUIT"
fi

r=$tmp/r
mkdir -p "$r"
report=$r/k.pdf
"$BRIEF" build -q -o "$tmp/a.pdf" "$A" && "$BRIEF" build -q -o "$tmp/b.pdf" "$B"
valid=0
for f in a b; do
	if qpdf --check "$tmp/$f.pdf" >"$tmp/qpdf" 2>&1 && ! grep -qi warning "$tmp/qpdf"; then
		valid=$((valid + 1))
	fi
done
check "the two reports the builds alternate between pass qpdf --check" test "$valid" -eq 2

# The build time, for the delays: the median of five, in milliseconds.
for i in 1 2 3 4 5; do
	t0=$(date +%s%N)
	"$BRIEF" build -q -o "$report" "$A"
	echo $((($(date +%s%N) - t0) / 1000000))
done | sort -n | sed -n 3p >"$tmp/ms"
ms=$(cat "$tmp/ms")
cp "$tmp/a.pdf" "$report"
echo "# seed $SEED, $RUNS runs, build time ${ms} ms"

# One line per run: delay (s), signal, temporary kind (0 unnamed, 1
# named). Half the delays anywhere in the build, half near its end.
awk -v seed="$SEED" -v runs="$RUNS" -v ms="$ms" 'BEGIN {
	srand(seed)
	n = split("KILL KILL KILL TERM INT HUP QUIT USR1 USR2 ALRM XFSZ PIPE", sigs, " ")
	for (i = 0; i < runs; i++) {
		d = i % 4 < 2 ? rand() * 1.1 : 0.75 + rand() * 0.35
		printf "%.4f %s %d\n", d * ms / 1000, sigs[int(rand() * n) + 1], i % 2
	}
}' >"$tmp/plan"

sigcode() {
	case $1 in
	HUP) echo 1 ;; INT) echo 2 ;; QUIT) echo 3 ;; KILL) echo 9 ;;
	USR1) echo 10 ;; USR2) echo 12 ;; PIPE) echo 13 ;; ALRM) echo 14 ;;
	TERM) echo 15 ;; XFSZ) echo 25 ;;
	esac
}

i=0
old=0
new=0
bad_report=0
bad_tmp=0
bad_rc=0
killed_left=0
cur=$tmp/a.pdf # what the report is now
: >"$tmp/sigkilled"
while read -r delay sig named; do
	i=$((i + 1))
	if [ $((i % 2)) -eq 1 ]; then
		layout=$B
		next=$tmp/b.pdf
	else
		layout=$A
		next=$tmp/a.pdf
	fi
	# shellcheck disable=SC2086
	SHIM_NOTMPFILE=$named LD_PRELOAD=$shim $defsig "$BRIEF" build -q \
		-o "$report" "$layout" >"$tmp/out" 2>"$tmp/err" &
	# (the shell's "Killed" notices go to stderr; run.sh ignores them)
	pid=$!
	sleep "$delay"
	kill -s "$sig" "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	[ "$sig" = KILL ] && echo "$pid" >>"$tmp/sigkilled"
	if cmp -s "$report" "$next"; then
		new=$((new + 1))
		cur=$next
	elif cmp -s "$report" "$cur"; then
		old=$((old + 1))
	else
		bad_report=$((bad_report + 1))
		echo "# run $i ($sig after ${delay}s): the report is neither the old nor the new one"
	fi
	if [ "$rc" -ne 0 ] && [ "$rc" -ne $((128 + $(sigcode "$sig"))) ]; then
		bad_rc=$((bad_rc + 1))
		echo "# run $i ($sig after ${delay}s): exit $rc"
		show "$tmp/err"
	fi
	for f in $(leftovers "$r"); do
		p=$(basename "$f" | sed -n 's/^\.k\.\(pdf\|inputs\.tar\.gz\)\.brief-\([0-9]*\)-.*/\2/p')
		if [ -n "$p" ] && grep -qx "$p" "$tmp/sigkilled"; then
			[ "$p" = "$pid" ] && killed_left=$((killed_left + 1))
		else
			bad_tmp=$((bad_tmp + 1))
			echo "# run $i ($sig after ${delay}s): left $f"
		fi
	done
done <"$tmp/plan"

if [ "$bad_report" -eq 0 ] && [ $((old + new)) -eq "$RUNS" ]; then
	ok "$RUNS killed builds: the report was always the old ($old) or the new one ($new)"
else
	not_ok "$RUNS killed builds: the report was always the old or the new one ($bad_report damaged)"
fi
check "$RUNS killed builds: each exit status is its signal's, or 0 ($bad_rc others)" \
	test "$bad_rc" -eq 0
check "no temporary file left but SIGKILLed builds' named ones ($killed_left), $bad_tmp others" \
	test "$bad_tmp" -eq 0
# One build that runs to the end, in each mode, clears what SIGKILL left;
# the report and its record of inputs stay.
SHIM_NOTMPFILE=1 LD_PRELOAD=$shim "$BRIEF" build -q -o "$report" "$A" &&
	"$BRIEF" build -q -o "$report" "$B"
if [ "$(ls -A "$r" | tr '\n' ' ')" = "k.inputs.tar.gz k.pdf " ] && cmp -s "$report" "$tmp/b.pdf"; then
	ok "the next complete build removes every stale temporary: only the report and its record are left"
else
	not_ok "the next complete build removes every stale temporary: only the report and its record are left"
	ls -A "$r" | head -n 10 | sed 's/^/#   /'
fi

finish
