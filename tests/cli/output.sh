#!/bin/sh
# output.sh — replacing a report safely. With a good report in place, every
# failed run (bad data, full disk, failing fsync, SIGTERM/SIGINT mid-write,
# missing or unwritable directory) must leave it byte-identical and leave
# no temporary file (.<name>.XXXXXX) behind, with the documented exit code.
# Also: permissions, symlinks, FIFOs, the default reports/ directory.
#
# Write failures come from tests/shim/failwrite.c, an LD_PRELOAD library
# compiled here with cc, which breaks write()/fsync() on brief's temporary
# file only.
#
# TAP output; $BRIEF is the binary, $VG an optional valgrind prefix.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief
K=layouts/karabakh.md
EX=tests/layouts/example.md
chmod 755 "$tmp" # readable by the unprivileged user below
r=$tmp/r
report=$r/karabakh.pdf
mkdir -p "$r"

# intact NAME: the report is byte-identical to the good one and no
# temporary file is left in its directory.
intact() {
	left=$(leftovers "$r")
	if cmp -s "$report" "$tmp/good.pdf" && [ -z "$left" ]; then
		ok "$1: old report intact, no temporary file"
	else
		not_ok "$1: old report intact, no temporary file"
		cmp "$report" "$tmp/good.pdf" 2>&1 | sed 's/^/#   /'
		[ -n "$left" ] && echo "#   left behind: $left"
	fi
}

run_brief build -q -o "$report" "$K"
expect_rc "build the good report" 0
cp "$report" "$tmp/good.pdf"
run_plain build -q -o "$tmp/new.pdf" "$EX"
expect_rc "build the example (the replacement in the tests below)" 0
check "no temporary file after a successful build" test -z "$(leftovers "$r")"

# ---- bad data ----
cp -r datasets "$tmp/bad"
# Row 3's value (8th column) becomes a word.
awk -F, 'BEGIN { OFS = "," } NR == 3 { $8 = "many" } { print }' \
	datasets/casualties.csv >"$tmp/bad/casualties.csv"
run_brief build -o "$report" --data "$tmp/bad" "$K"
if [ "$rc" -eq 1 ] && grep -q "casualties.csv:3:[0-9]*: error" "$tmp/err" &&
	grep -q "previous report is unchanged" "$tmp/err"; then
	ok "bad data: exit 1, the error names casualties.csv:3"
else
	not_ok "bad data: exit 1, the error names casualties.csv:3"
	show_run
fi
intact "bad data"

# ---- write failures through the shim ----
shim=$tmp/failwrite.so
# Under AddressSanitizer the shim is preloaded ahead of libasan; allow it.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export ASAN_OPTIONS
if ! cc -shared -fPIC -o "$shim" tests/shim/failwrite.c 2>"$tmp/cc.err"; then
	skip "write-failure shim does not compile: $(head -n 1 "$tmp/cc.err")"
	shim=""
fi

# shimmed MODE ARGS...: run brief with the shim breaking .karabakh.pdf.*
shimmed() {
	mode=$1
	shift
	# shellcheck disable=SC2086
	SHIM_MATCH=.karabakh.pdf. SHIM_MODE=$mode LD_PRELOAD=$shim \
		$VG "$BRIEF" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

if [ -n "$shim" ]; then
	shimmed enospc build -o "$report" "$EX"
	if [ "$rc" -eq 3 ] && grep -q "No space left on device" "$tmp/err"; then
		ok "disk full (write fails with ENOSPC): exit 3, says so"
	else
		not_ok "disk full (write fails with ENOSPC): exit 3, says so"
		show_run
	fi
	intact "disk full"

	shimmed fsync build -o "$report" "$EX"
	if [ "$rc" -eq 3 ] && grep -q "Input/output error" "$tmp/err"; then
		ok "fsync fails (EIO): exit 3, says so"
	else
		not_ok "fsync fails (EIO): exit 3, says so"
		show_run
	fi
	intact "fsync fails"

	# Short writes and EINTR are not errors: the whole file must arrive.
	cp "$tmp/good.pdf" "$tmp/short.pdf"
	SHIM_MATCH=.short.pdf. SHIM_MODE=short LD_PRELOAD=$shim \
		"$BRIEF" build -q -o "$tmp/short.pdf" "$EX" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 0 ] && cmp -s "$tmp/short.pdf" "$tmp/new.pdf"; then
		ok "short writes and EINTR: the complete report is written"
	else
		not_ok "short writes and EINTR: the complete report is written"
		show_run
	fi

	# A signal while the temporary file is being written. PREFIX is run
	# before brief, e.g. env --default-signal=INT: a shell starts
	# background jobs with SIGINT ignored.
	signalled() {
		sig=$1
		want=$2
		prefix=$3
		vg=$VG
		[ "$sig" = TERM ] || vg="" # the same handler; once under valgrind
		rm -f "$tmp/ready"
		# shellcheck disable=SC2086
		SHIM_MATCH=.karabakh.pdf. SHIM_MODE=sleep SHIM_SLEEP=${4:-10} \
			SHIM_READY=$tmp/ready LD_PRELOAD=$shim \
			$prefix $vg "$BRIEF" build -q -o "$report" "$EX" \
			>"$tmp/out" 2>"$tmp/err" &
		pid=$!
		i=0
		while [ ! -e "$tmp/ready" ] && [ "$i" -lt 300 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		during=$(leftovers "$r")
		kill -s "$sig" "$pid"
		wait "$pid"
		rc=$?
		if [ -n "$during" ] && [ "$rc" -eq "$want" ]; then
			ok "SIG$sig mid-write: temporary file existed, exit $want"
		else
			not_ok "SIG$sig mid-write: temporary file existed ('$during'), exit $rc (want $want)"
			show_run
		fi
	}
	signalled TERM 143 ""
	intact "SIGTERM mid-write"
	if env --default-signal=INT true 2>/dev/null; then
		signalled INT 130 "env --default-signal=INT"
		intact "SIGINT mid-write"
	else
		skip "SIGINT mid-write: env has no --default-signal"
	fi
	signalled HUP 129 ""
	intact "SIGHUP mid-write"
	# Under nohup (SIGHUP ignored) a hangup must not stop the build.
	signalled HUP 0 "nohup" 1
	left=$(leftovers "$r")
	if cmp -s "$report" "$tmp/new.pdf" && [ -z "$left" ]; then
		ok "SIGHUP ignored by the caller (nohup) stays ignored: report written"
	else
		not_ok "SIGHUP ignored by the caller (nohup) stays ignored: report written"
		show_run
	fi
	rm -f nohup.out "$tmp/nohup.out"
	cp "$tmp/good.pdf" "$report"
fi

# ---- missing and unwritable directories ----
run_brief build -o "$tmp/nope/deeper/x.pdf" "$EX"
if [ "$rc" -eq 3 ] && grep -q "directory $tmp/nope/deeper does not exist" "$tmp/err" &&
	[ ! -e "$tmp/nope" ]; then
	ok "output into a missing directory: exit 3, 'directory ... does not exist'"
else
	not_ok "output into a missing directory: exit 3, 'directory ... does not exist'"
	show_run
fi

run_brief build -o "$r" "$EX"
if [ "$rc" -eq 3 ] && grep -q "is a directory" "$tmp/err"; then
	ok "output path is a directory: exit 3, says so"
else
	not_ok "output path is a directory: exit 3, says so"
	show_run
fi

# Root ignores directory permissions: run brief as nobody then.
ro=$tmp/ro
mkdir -p "$ro"
cp "$tmp/good.pdf" "$ro/karabakh.pdf"
chmod 555 "$ro"
as=""
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		as="setpriv --reuid=65534 --regid=65534 --clear-groups"
	fi
fi
if [ "$(id -u)" -eq 0 ] && [ -z "$as" ]; then
	skip "unwritable directory: running as root without setpriv"
else
	# shellcheck disable=SC2086
	$as $VG "$BRIEF" build -o "$ro/karabakh.pdf" "$ROOT/$EX" \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 3 ] && grep -q "Permission denied" "$tmp/err" &&
		cmp -s "$ro/karabakh.pdf" "$tmp/good.pdf" && [ -z "$(leftovers "$ro")" ]; then
		ok "unwritable directory: exit 3, permission denied, old report intact"
	else
		not_ok "unwritable directory: exit 3, permission denied, old report intact"
		show_run
	fi
fi
chmod 755 "$ro"

# ---- what the replacement looks like ----
chmod 640 "$report"
run_plain build -q -o "$report" "$EX"
check "rebuilt report keeps the old one's permissions (640)" \
	test "$rc" -eq 0 -a "$(stat -c %a "$report")" = 640
(umask 027 && "$BRIEF" build -q -o "$tmp/umask.pdf" "$EX") >/dev/null 2>&1
check "a new report follows the umask (027 -> 640)" \
	test "$(stat -c %a "$tmp/umask.pdf" 2>/dev/null)" = 640
(umask 022 && "$BRIEF" build -q -o "$tmp/umask2.pdf" "$EX") >/dev/null 2>&1
check "a new report follows the umask (022 -> 644)" \
	test "$(stat -c %a "$tmp/umask2.pdf" 2>/dev/null)" = 644

cp "$tmp/good.pdf" "$report"
ln -s karabakh.pdf "$r/latest.pdf"
run_brief build -q -o "$r/latest.pdf" "$EX"
if [ "$rc" -eq 0 ] && [ -L "$r/latest.pdf" ] && cmp -s "$report" "$tmp/new.pdf"; then
	ok "output through a symlink replaces its target, keeps the link"
else
	not_ok "output through a symlink replaces its target, keeps the link"
	show_run
fi

mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/fromfifo" &
catpid=$!
run_brief build -q -o "$tmp/fifo" "$EX"
if [ "$rc" -eq 0 ] && [ -p "$tmp/fifo" ]; then
	wait "$catpid"
	check "output to a FIFO is written into it, not replaced" \
		cmp -s "$tmp/fromfifo" "$tmp/new.pdf"
else
	kill "$catpid" 2>/dev/null
	not_ok "output to a FIFO is written into it, not replaced"
	show_run
fi

# --if-changed must not try to read a FIFO for the old report's hash.
mkfifo "$tmp/fifo2"
cat "$tmp/fifo2" >"$tmp/fromfifo2" &
catpid=$!
# shellcheck disable=SC2086
timeout 60 $VG "$BRIEF" build --if-changed -q -o "$tmp/fifo2" "$EX" \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ]; then
	wait "$catpid"
	check "--if-changed output to a FIFO is written, not read (no hang)" \
		cmp -s "$tmp/fromfifo2" "$tmp/new.pdf"
else
	kill "$catpid" 2>/dev/null
	not_ok "--if-changed output to a FIFO is written, not read (no hang)"
	show_run
fi

# ---- the default output directory ----
mkdir -p "$tmp/cwd"
(cd "$tmp/cwd" && $VG "$BRIEF" build "$ROOT/$EX") >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && cmp -s "$tmp/cwd/reports/example.pdf" "$tmp/new.pdf" &&
	grep -q "wrote reports/example.pdf" "$tmp/out"; then
	ok "default output: reports/<layout>.pdf, reports/ created"
else
	not_ok "default output: reports/<layout>.pdf, reports/ created"
	show_run
fi
mkdir -p "$tmp/cwd2"
: >"$tmp/cwd2/reports"
(cd "$tmp/cwd2" && "$BRIEF" build "$ROOT/$EX") >"$tmp/out" 2>"$tmp/err"
rc=$?
expect_rc "default output with a file named reports: I/O error" 3

# A failing layout does not stop the next one; the worst status is kept.
mkdir -p "$tmp/cwd3"
(cd "$tmp/cwd3" && "$BRIEF" build -q "$ROOT/tests/layouts/bad/as-of.md" \
	"$ROOT/$EX") >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 1 ] && [ -s "$tmp/cwd3/reports/example.pdf" ] &&
	[ ! -e "$tmp/cwd3/reports/as-of.pdf" ]; then
	ok "bad layout then good one: exit 1, the good one is built"
else
	not_ok "bad layout then good one: exit 1, the good one is built"
	show_run
fi

finish
