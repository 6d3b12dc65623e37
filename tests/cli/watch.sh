#!/bin/sh
# watch.sh — `brief watch LAYOUT`: it builds, rebuilds when a dataset is
# saved by rename (as editors do) or written in place, and when the layout
# changes; a broken edit prints positioned errors and keeps the last good
# PDF; a burst of changes is one rebuild; it stops cleanly on SIGTERM.
#
# Waits are bounded (WAIT seconds each, generous for a loaded machine) and
# poll the files the watcher writes; nothing depends on a fixed sleep.
#
# TAP output; $BRIEF is the binary, $VG an optional valgrind prefix.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief
WAIT=${WAIT:-60}

if ! command -v pdftotext >/dev/null 2>&1; then
	skip "brief watch: pdftotext is not installed"
	finish
	exit $?
fi

p=$tmp/proj
mkdir -p "$p/layouts"
cp -R tests/layouts/data "$p/data"
sed 's/^data: data$/data: ..\/data/' tests/layouts/example.md >"$p/layouts/ex.md"
pdf=$p/out/ex.pdf
mkdir -p "$p/out"
log=$tmp/watch.out
errs=$tmp/watch.err

# until_true SECONDS COMMAND...: poll COMMAND every 0.1 s; false on timeout.
until_true() {
	limit=$(($1 * 10))
	shift
	i=0
	while [ "$i" -lt "$limit" ]; do
		if "$@"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# How many builds the watcher has finished: lines from brief build.
builds() {
	grep -c -e '^brief: wrote ' -e 'is up to date$' "$log" 2>/dev/null
	grep -c 'not built' "$errs" 2>/dev/null
}
nbuilds() {
	builds | awk '{ s += $1 } END { print s + 0 }'
}
at_least() {
	[ "$(nbuilds)" -ge "$1" ]
}
pdf_says() {
	pdftotext "$pdf" - 2>/dev/null | tr '\n' ' ' | grep -q -- "$1"
}

cd "$p" || exit 1
$VG "$BRIEF" watch -o "$pdf" layouts/ex.md >"$log" 2>"$errs" &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

if until_true "$WAIT" at_least 1 && [ -s "$pdf" ]; then
	ok "watch builds at once"
else
	not_ok "watch builds at once"
	show "$log"
	show "$errs"
fi
check "it says what it watches" grep -q '^brief: watching layouts/ex.md and layouts/../data' "$log"
check "the first build has the data's figure" pdf_says '2,906'

# An editor's save: write a new file beside, rename it over the old one.
sed 's/^\(cas-001,.*,military,\)2906,/\13012,/' data/casualties.csv >data/.casualties.csv.new
mv data/.casualties.csv.new data/casualties.csv
if until_true "$WAIT" pdf_says '3,012'; then
	ok "a dataset saved by rename is rebuilt"
else
	not_ok "a dataset saved by rename is rebuilt"
	show "$log"
	show "$errs"
fi
check "it names what changed" grep -q 'data/casualties.csv changed; rebuilding' "$log"
b=$(nbuilds)

# A broken edit, written in place: errors, the last good PDF stays.
cp "$pdf" "$tmp/good.pdf"
printf 'cas-bad,2020 war,2020-02-30,,Northland,killed,all,1,,exact,X,src-ngo,,\n' >>data/casualties.csv
if until_true "$WAIT" grep -q 'not built' "$errs"; then
	ok "a broken edit is reported"
else
	not_ok "a broken edit is reported"
	show "$errs"
fi
check "the error names file, line and column" grep -q 'data/casualties.csv:12:[0-9]*: error' "$errs"
check "the last good PDF is kept" cmp -s "$pdf" "$tmp/good.pdf"

# Fixing it: the inputs are those of the last good build again.
b=$(nbuilds)
sed -i '/^cas-bad,/d' data/casualties.csv
if until_true "$WAIT" at_least $((b + 1)) && cmp -s "$pdf" "$tmp/good.pdf" &&
	tail -n 1 "$log" | grep -q 'is up to date$'; then
	ok "after the fix the report is up to date again"
else
	not_ok "after the fix the report is up to date again"
	show "$log"
fi

# The layout itself.
b=$(nbuilds)
sed 's/^title: .*/title: Watched briefing/' layouts/ex.md >layouts/ex.md.tmp
mv layouts/ex.md.tmp layouts/ex.md
if until_true "$WAIT" pdf_says 'Watched briefing'; then
	ok "a changed layout is rebuilt"
else
	not_ok "a changed layout is rebuilt"
	show "$log"
fi

# A burst: ten quick writes, fewer rebuilds than writes.
until_true "$WAIT" at_least $((b + 1)) >/dev/null
b=$(nbuilds)
for i in 1 2 3 4 5 6 7 8 9 10; do
	sed "s/^title: .*/title: Burst $i/" layouts/ex.md >layouts/ex.md.tmp
	mv layouts/ex.md.tmp layouts/ex.md
done
until_true "$WAIT" pdf_says 'Burst 10' >/dev/null
sleep 1 # let a stray second rebuild show, if there were one
m=$(nbuilds)
if pdf_says 'Burst 10' && [ $((m - b)) -ge 1 ] && [ $((m - b)) -le 3 ]; then
	ok "a burst of ten saves gives at most a few rebuilds ($((m - b)))"
else
	not_ok "a burst of ten saves gives at most a few rebuilds ($((m - b)))"
	show "$log"
fi

# Editors' side files change nothing visible.
b=$(nbuilds)
: >data/.casualties.csv.swp
: >data/casualties.csv~
sleep 1
check "swap and backup files are not changes" test "$(nbuilds)" -eq "$b"

kill -TERM "$pid"
if until_true "$WAIT" sh -c '! kill -0 "$1" 2>/dev/null' sh "$pid"; then
	ok "SIGTERM stops it"
else
	not_ok "SIGTERM stops it"
	kill -KILL "$pid" 2>/dev/null
fi
wait "$pid" 2>/dev/null
rc=$?
check "it exits 0 when stopped" test "$rc" -eq 0
check "it leaves no temporary file beside the PDF" test -z "$(leftovers "$p/out")"
trap 'rm -rf "$tmp"' EXIT

# Usage.
cd "$ROOT" || exit 1
run_brief watch
expect_rc "watch without a layout is a usage error" 2
run_brief watch "$tmp/none.md"
expect_rc "watch of a missing layout: exit 1" 1
run_brief watch --help
check "watch --help" grep -q '^usage: brief watch' "$tmp/out"

finish
