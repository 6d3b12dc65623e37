# common.sh — helpers shared by tests/cli/*.sh (sourced, not run: it is in
# a subdirectory so tests/run.sh does not pick it up).
#
# Sets: ROOT (source tree), BRIEF (absolute path of the binary, from
# tests/run.sh or ./brief), BRIEF_FONTS (if the binary has no fonts/ beside it),
# VG (valgrind prefix or empty), tmp (a fresh temporary directory removed
# on exit). Provides TAP helpers ok / not_ok / skip / check, and
# run_brief, which leaves stdout, stderr and the exit code in $tmp/out,
# $tmp/err and $rc (run_plain: the same without valgrind).
set -u
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
BRIEF=${BRIEF:-$ROOT/brief}
# The tests change directory; `make asan` passes a relative path.
case $BRIEF in
/*) ;;
*) BRIEF=$ROOT/$BRIEF ;;
esac
# A binary outside the source tree (build-asan/brief) has no fonts/ beside
# it; point it at the tree's. The install tests unset this on purpose.
if [ -z "${BRIEF_FONTS:-}" ] && [ ! -d "$(dirname "$BRIEF")/fonts" ]; then
	BRIEF_FONTS=$ROOT/fonts
	export BRIEF_FONTS
fi
# Likewise its catalogues of generated text (locale/).
if [ -z "${BRIEF_LOCALE:-}" ] && [ ! -d "$(dirname "$BRIEF")/locale" ]; then
	BRIEF_LOCALE=$ROOT/locale
	export BRIEF_LOCALE
fi
VG=${VG:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
n=0
failed=0
rc=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
}

# skip NAME REASON: a test that cannot run here. TAP's SKIP directive:
# tests/run.sh counts it as skipped, never as passed.
skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP ${2:-not available here}"
}

# check NAME COMMAND...: one TAP line for whether COMMAND succeeds.
check() {
	name=$1
	shift
	if "$@"; then
		ok "$name"
	else
		not_ok "$name"
	fi
}

# Show a file as TAP comment lines (first 20 lines).
show() {
	head -n 20 "$1" | sed 's/^/#   /'
}

# Show what the last run_brief printed, as TAP comments.
show_run() {
	echo "#   exit code $rc"
	[ -s "$tmp/out" ] && { echo "#   stdout:"; show "$tmp/out"; }
	[ -s "$tmp/err" ] && { echo "#   stderr:"; show "$tmp/err"; }
	return 0
}

# Run brief (under $VG when set).
run_brief() {
	# shellcheck disable=SC2086
	$VG "$BRIEF" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# Run brief without valgrind: for runs that repeat a code path already
# checked under $VG, to keep `make valgrind` within reason.
run_plain() {
	"$BRIEF" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# expect_rc NAME WANT: TAP line for the last run_brief's exit code.
expect_rc() {
	if [ "$rc" -eq "$2" ]; then
		ok "$1"
	else
		not_ok "$1 (exit $rc, want $2)"
		show_run
	fi
}

# Temporary files brief left in a directory: named temporaries
# .<name>.brief-<pid>-XXXXXX (O_TMPFILE ones have no name to leave), and
# brief 0.1's .<name>.XXXXXX.
leftovers() {
	find "$1" -maxdepth 1 \( -name '.*.brief-*' -o -name '.*.pdf.??????' \) |
		head -n 5
}

# Compile tests/shim/failwrite.c into $tmp; sets shim to its path, or to
# "" (and says why in $shim_why) when it does not compile.
build_shim() {
	shim=$tmp/failwrite.so
	shim_why=""
	# Under AddressSanitizer the shim is preloaded ahead of libasan.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	export ASAN_OPTIONS
	if ! cc -shared -fPIC -o "$shim" "$ROOT/tests/shim/failwrite.c" \
		2>"$tmp/cc.err"; then
		shim_why="the write-failure shim does not compile: $(head -n 1 "$tmp/cc.err")"
		shim=""
	fi
}

need_brief() {
	if [ ! -x "$BRIEF" ]; then
		echo "not ok 1 - brief binary not found at $BRIEF (run make)"
		exit 1
	fi
}

finish() {
	echo "1..$n"
	[ "$failed" -eq 0 ]
}
