#!/bin/sh
# threads.sh — a big dataset is read on two threads (BRIEF_THREADS):
# the briefing built from it is byte-identical to one thread's, and
# `brief check` prints the same diagnostics in the same (file) order, and
# the record of inputs is the same file however its copy is timed.
# The data: tools/gen-casualties.sh rows with Armenian and Cyrillic names,
# and rows with quoted multi-line notes (CRLF too) spread through the
# file, so chunk ends fall inside quoted fields. Output is TAP.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief

NAMES=utf8 tools/gen-casualties.sh 30000 "$tmp/d" >/dev/null
# Every 500th row gets a quoted note of several lines.
awk 'NR > 2 && NR % 500 == 0 {
	n = split($0, f, ",")
	f[14] = "\"Note, line one\r\nline \"\"two\"\"\nline three of row " NR "\""
	s = f[1]
	for (i = 2; i <= n; i++)
		s = s "," f[i]
	print s
	next
} { print }' "$tmp/d/casualties.csv" >"$tmp/c.csv" && mv "$tmp/c.csv" "$tmp/d/casualties.csv"

BRIEF_THREADS=1 run_brief build -q -d "$tmp/d" -o "$tmp/one.pdf" bench/big.md
rc1=$rc
BRIEF_THREADS=2 run_brief build -q -d "$tmp/d" -o "$tmp/two.pdf" bench/big.md
if [ "$rc1" -eq 0 ] && [ "$rc" -eq 0 ] && cmp -s "$tmp/one.pdf" "$tmp/two.pdf"; then
	ok "two threads build the same PDF as one, byte for byte"
else
	not_ok "two threads build the same PDF as one (exit $rc1 and $rc)"
	show "$tmp/err"
fi
# The record of the inputs (several 1 MiB gzip members, compressed two at
# a time): the same bytes from both builds, and tar gives the data back.
mkdir "$tmp/x"
if cmp -s "$tmp/one.inputs.tar.gz" "$tmp/two.inputs.tar.gz" &&
	tar -xzf "$tmp/two.inputs.tar.gz" -C "$tmp/x" &&
	cmp -s "$tmp/x/casualties.csv" "$tmp/d/casualties.csv" &&
	[ "$(wc -c <"$tmp/d/casualties.csv")" -gt 3145728 ]; then
	ok "the records of both builds are the same file; tar unpacks the data exactly"
else
	not_ok "the records of both builds are the same file and unpack exactly"
	ls -l "$tmp"/*.inputs.tar.gz
fi

# The record's copy runs beside the scan; held up until the report is
# written (the shim sleeps before its first write), it is finished on two
# threads after it: still the same bytes.
build_shim
if [ -z "$shim" ]; then
	skip "a record whose copy is held up is the same file" "$shim_why"
else
	SHIM_NOTMPFILE=1 SHIM_MATCH="$tmp/.slow.inputs.tar.gz.brief-*" \
		SHIM_MODE=sleep SHIM_SLEEP=1 SHIM_READY=$tmp/ready \
		LD_PRELOAD=$shim "$BRIEF" build -q -d "$tmp/d" -o "$tmp/slow.pdf" \
		bench/big.md >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 0 ] && [ -e "$tmp/ready" ] &&
		cmp -s "$tmp/one.inputs.tar.gz" "$tmp/slow.inputs.tar.gz"; then
		ok "a record whose copy is held up past the report is the same file"
	else
		not_ok "a record whose copy is held up past the report is the same file (exit $rc)"
		show "$tmp/err"
	fi
fi

# SIGTERM while the report is in place and its record is being finished
# waits for the record: both are complete when the build ends by it.
if [ -n "$shim" ]; then
	rm -f "$tmp/ready"
	SHIM_NOTMPFILE=1 SHIM_MATCH="$tmp/.term.inputs.tar.gz.brief-*" \
		SHIM_MODE=sleep SHIM_SLEEP=2 SHIM_READY=$tmp/ready \
		LD_PRELOAD=$shim "$BRIEF" build -q -d "$tmp/d" -o "$tmp/term.pdf" \
		bench/big.md >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	i=0
	while [ ! -e "$tmp/ready" ] && [ "$i" -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	# The report in place (a named temporary file until then): the
	# build now waits for the record, held up by the shim.
	i=0
	while [ ! -e "$tmp/term.pdf" ] && [ "$i" -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	kill -s TERM "$pid"
	wait "$pid"
	rc=$?
	if [ "$rc" -eq 143 ] && cmp -s "$tmp/one.pdf" "$tmp/term.pdf" &&
		cmp -s "$tmp/one.inputs.tar.gz" "$tmp/term.inputs.tar.gz" &&
		[ -z "$(leftovers "$tmp")" ]; then
		ok "SIGTERM while the record is finished: it completes first (exit 143, report and record whole)"
	else
		not_ok "SIGTERM while the record is finished: it completes first (exit $rc)"
		ls -la "$tmp" | sed 's/^/#   /'
	fi
fi

# Errors in several places: the same report, in file order.
awk 'NR == 4000 { sub(/,exact,/, ",exactly,") } NR == 17000 { sub(/^d/, "D") }
	NR == 25000 { sub(/,2016-/, ",2016-13-") } { print }' \
	"$tmp/d/casualties.csv" >"$tmp/c.csv" && mv "$tmp/c.csv" "$tmp/d/casualties.csv"
BRIEF_THREADS=1 run_brief check -d "$tmp/d"
cp "$tmp/err" "$tmp/err1"
rc1=$rc
BRIEF_THREADS=2 run_brief check -d "$tmp/d"
if [ "$rc1" -eq 1 ] && [ "$rc" -eq 1 ] && cmp -s "$tmp/err1" "$tmp/err" &&
	[ "$(grep -c ': error: ' "$tmp/err")" -eq 3 ]; then
	ok "two threads report the same three errors as one"
else
	not_ok "two threads report the same errors as one (exit $rc1 and $rc)"
	diff "$tmp/err1" "$tmp/err" | head -n 20
fi
lines=$(grep -o 'casualties.csv:[0-9]*' "$tmp/err" | cut -d: -f2 | tr '\n' ' ')
if [ "$lines" = "4000 17000 25000 " ]; then
	ok "errors in file order, at their lines"
else
	not_ok "errors in file order: got lines '$lines'"
fi

finish
