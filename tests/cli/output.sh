#!/bin/sh
# output.sh — replacing a report safely. With a good report in place, every
# failed run (bad data, full disk, failing fsync, SIGTERM/SIGINT mid-write,
# missing or unwritable directory) must leave it byte-identical and leave
# no temporary file behind, with the documented exit code. Both kinds of
# temporary file are tested: unnamed (O_TMPFILE, the default) and named
# (.<name>.brief-<pid>-XXXXXX, where O_TMPFILE is not supported). Also:
# permissions, symlinks, FIFOs, the default reports/ directory, and no
# output over an input.
#
# Write failures come from tests/shim/failwrite.c, an LD_PRELOAD library
# compiled here with cc, which breaks write()/fsync()/linkat()/rename() on
# brief's temporary file only, and can take O_TMPFILE away.
#
# TAP output; $BRIEF is the binary, $VG an optional valgrind prefix.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief
ulimit -c 0 2>/dev/null # SIGQUIT and SIGXFSZ below: no core files
K=layouts/karabakh.md
EX=tests/layouts/example.md
chmod 755 "$tmp" # readable by the unprivileged user below
r=$tmp/r
report=$r/karabakh.pdf
mkdir -p "$r"

# intact NAME: the report and its record of inputs are byte-identical to
# the good ones and no temporary file is left in their directory (the
# record is begun while the layout is read, before the report: a build
# that fails or is killed later must drop it).
record=$r/karabakh.inputs.tar.gz
intact() {
	left=$(leftovers "$r")
	if cmp -s "$report" "$tmp/good.pdf" &&
		cmp -s "$record" "$tmp/good.inputs.tar.gz" && [ -z "$left" ]; then
		ok "$1: old report and record intact, no temporary file"
	else
		not_ok "$1: old report and record intact, no temporary file"
		cmp "$report" "$tmp/good.pdf" 2>&1 | sed 's/^/#   /'
		cmp "$record" "$tmp/good.inputs.tar.gz" 2>&1 | sed 's/^/#   /'
		[ -n "$left" ] && echo "#   left behind: $left"
	fi
}

run_brief build -q -o "$report" "$K"
expect_rc "build the good report" 0
cp "$report" "$tmp/good.pdf"
cp "$record" "$tmp/good.inputs.tar.gz"
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
build_shim
# The report's temporary file: unnamed (O_TMPFILE, "$r/#<inode>") or, when
# the shim takes O_TMPFILE away, .karabakh.pdf.brief-<pid>-XXXXXX.
TMPS="$r/#*:$r/.karabakh.pdf.brief-*"

# shimmed MODE ARGS...: run brief with the shim breaking the report's
# temporary file; NOTMP=1 in the environment forces named temporaries.
shimmed() {
	mode=$1
	shift
	# shellcheck disable=SC2086
	SHIM_NOTMPFILE=${NOTMP:-0} SHIM_MATCH=$TMPS SHIM_MODE=$mode \
		LD_PRELOAD=$shim $VG "$BRIEF" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# failures WHAT: disk full, failing fsync, failing rename; $WHAT says
# which kind of temporary file is in use.
failures() {
	shimmed enospc build -o "$report" "$EX"
	if [ "$rc" -eq 3 ] && grep -q "No space left on device" "$tmp/err" &&
		grep -q "any previous report is unchanged" "$tmp/err"; then
		ok "$1: disk full (write fails with ENOSPC): exit 3, says so"
	else
		not_ok "$1: disk full (write fails with ENOSPC): exit 3, says so"
		show_run
	fi
	intact "$1: disk full"

	shimmed fsync build -o "$report" "$EX"
	if [ "$rc" -eq 3 ] && grep -q "Input/output error" "$tmp/err"; then
		ok "$1: fsync fails (EIO): exit 3, says so"
	else
		not_ok "$1: fsync fails (EIO): exit 3, says so"
		show_run
	fi
	intact "$1: fsync fails"

	shimmed link build -o "$report" "$EX"
	if [ "$rc" -eq 3 ] && grep -q "cannot rename the new file into place" "$tmp/err"; then
		ok "$1: the final link/rename fails: exit 3, says so"
	else
		not_ok "$1: the final link/rename fails: exit 3, says so"
		show_run
	fi
	intact "$1: link/rename fails"
}

# signalled SIG WANT PREFIX [SECONDS]: signal brief while it writes the
# temporary file. PREFIX runs before brief, e.g. env --default-signal=INT:
# a shell starts background jobs with SIGINT and SIGQUIT ignored. Leaves
# the named temporaries seen mid-write in $during.
signalled() {
	sig=$1
	want=$2
	prefix=$3
	vg=$VG
	[ "$sig" = TERM ] || vg="" # the same handler; once under valgrind
	rm -f "$tmp/ready"
	# shellcheck disable=SC2086
	SHIM_NOTMPFILE=${NOTMP:-0} SHIM_MATCH=$TMPS SHIM_MODE=sleep \
		SHIM_SLEEP=${4:-10} SHIM_READY=$tmp/ready LD_PRELOAD=$shim \
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
}

defsig=""
if env --default-signal=INT,QUIT true 2>/dev/null; then
	defsig="env --default-signal=INT,QUIT"
fi

if [ -z "$shim" ]; then
	skip "write failures and signals mid-write" "$shim_why"
else
	failures "unnamed temporary"
	NOTMP=1 failures "named temporary"

	# Short writes and EINTR are not errors: the whole file must arrive.
	cp "$tmp/good.pdf" "$tmp/short.pdf"
	SHIM_MATCH="$tmp/#*" SHIM_MODE=short LD_PRELOAD=$shim \
		"$BRIEF" build -q -o "$tmp/short.pdf" "$EX" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 0 ] && cmp -s "$tmp/short.pdf" "$tmp/new.pdf"; then
		ok "short writes and EINTR: the complete report is written"
	else
		not_ok "short writes and EINTR: the complete report is written"
		show_run
	fi

	# Unnamed temporaries: nothing to see mid-write, nothing left after
	# any signal, SIGKILL included.
	for s in TERM:143 INT:130 HUP:129 QUIT:131 USR1:138 XFSZ:153 KILL:137; do
		sig=${s%:*}
		case $sig in INT | QUIT) [ -n "$defsig" ] || continue ;; esac
		signalled "$sig" "${s#*:}" "$defsig"
		if [ -z "$during" ] && [ "$rc" -eq "${s#*:}" ]; then
			ok "SIG$sig mid-write (unnamed temporary): none visible, exit ${s#*:}"
		else
			not_ok "SIG$sig mid-write (unnamed temporary): none visible ('$during'), exit $rc (want ${s#*:})"
			show_run
		fi
		intact "SIG$sig mid-write (unnamed temporary)"
	done

	# Named temporaries (no O_TMPFILE): the handler removes them.
	for s in TERM:143 INT:130 HUP:129 QUIT:131 USR1:138 XFSZ:153; do
		sig=${s%:*}
		case $sig in INT | QUIT) [ -n "$defsig" ] || continue ;; esac
		NOTMP=1 signalled "$sig" "${s#*:}" "$defsig"
		if [ -n "$during" ] && [ "$rc" -eq "${s#*:}" ]; then
			ok "SIG$sig mid-write (named temporary): it existed, exit ${s#*:}"
		else
			not_ok "SIG$sig mid-write (named temporary): it existed ('$during'), exit $rc (want ${s#*:})"
			show_run
		fi
		intact "SIG$sig mid-write (named temporary)"
	done
	[ -n "$defsig" ] || skip "SIGINT and SIGQUIT mid-write" "env has no --default-signal"

	# SIGKILL cannot be caught: the named temporary stays, and the next
	# run writing the same report removes it (its process is gone), but
	# leaves a live process's temporary and every other file alone.
	NOTMP=1 signalled KILL 137 ""
	killed=$during
	left=$(leftovers "$r")
	sleep 30 &
	alive=$!
	for f in ".karabakh.pdf.brief-$alive-AbC123" .karabakh.pdf.brief-notes \
		.karabakh.pdf.brief-1-short .karabakh.pdf.brief-0-abcdef \
		.other.pdf.brief-999999999-abcdef; do
		echo keep >"$r/$f"
	done
	mkdir "$r/.karabakh.pdf.brief-999999998-dirdir"
	ln -s good.pdf "$r/.karabakh.pdf.brief-999999997-linkln"
	NOTMP=1 shimmed none build -q -o "$report" "$EX"
	kept=0
	for f in ".karabakh.pdf.brief-$alive-AbC123" .karabakh.pdf.brief-notes \
		.karabakh.pdf.brief-1-short .karabakh.pdf.brief-0-abcdef \
		.other.pdf.brief-999999999-abcdef .karabakh.pdf.brief-999999998-dirdir \
		.karabakh.pdf.brief-999999997-linkln; do
		if [ -e "$r/$f" ] || [ -L "$r/$f" ]; then kept=$((kept + 1)); fi
	done
	kill "$alive" 2>/dev/null
	wait "$alive" 2>/dev/null
	if [ "$rc" -eq 0 ] && [ -n "$killed" ] && [ "$left" = "$killed" ] &&
		[ ! -e "$killed" ] && [ "$kept" -eq 7 ] && cmp -s "$report" "$tmp/new.pdf"; then
		ok "SIGKILL leaves a named temporary; the next run removes it, keeps 7 others"
	else
		not_ok "SIGKILL leaves a named temporary; the next run removes it, keeps 7 others (killed '$killed', left '$left', kept $kept)"
		show_run
	fi
	rm -rf "$r"/.karabakh.pdf.brief-* "$r"/.other.pdf.brief-*
	cp "$tmp/good.pdf" "$report"

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
	skip "unwritable directory" "running as root without setpriv"
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

# ---- no output over an input ----
# A project of its own: layout, datasets and fonts, each compared byte for
# byte after brief refused to write over it (exit 2, before writing).
p=$tmp/proj
mkdir -p "$p/layouts" "$p/out"
cp -r datasets "$p/datasets"
cp -r fonts "$p/fonts"
cp "$K" "$p/layouts/k.md"
cp -r "$p" "$tmp/proj.orig"
# refused NAME TARGET [ARGS...]: building into TARGET is refused.
refused() {
	name=$1
	target=$2
	shift 2
	run_brief build --fonts "$p/fonts" -o "$target" "$@" "$p/layouts/k.md"
	if [ "$rc" -eq 2 ] && grep -q "refusing to write the output over it" "$tmp/err" &&
		grep -q "nothing was written" "$tmp/err" &&
		diff -r "$p" "$tmp/proj.orig" >/dev/null 2>&1; then
		ok "output over $name: refused (exit 2), nothing written"
	else
		not_ok "output over $name: refused (exit 2), nothing written"
		show_run
		diff -r "$p" "$tmp/proj.orig" 2>&1 | head -n 5 | sed 's/^/#   /'
	fi
}
refused "the layout" "$p/layouts/k.md"
refused "sources.csv" "$p/datasets/sources.csv"
refused "a dataset" "$p/datasets/casualties.csv"
refused "a font" "$p/fonts/NotoSans-Regular.ttf"
refused "fonts.conf" "$p/fonts/fonts.conf"
refused "the layout, by another path" "$p/layouts/../layouts/./k.md"
ln -s ../datasets/events.csv "$p/out/link.pdf"
cp -r "$p" "$tmp/proj.orig2" && rm -rf "$tmp/proj.orig" && mv "$tmp/proj.orig2" "$tmp/proj.orig"
refused "a dataset, through a symlink" "$p/out/link.pdf"
ln "$p/datasets/figures.csv" "$p/out/hard.pdf"
rm -rf "$tmp/proj.orig" && cp -r "$p" "$tmp/proj.orig"
refused "a dataset, through a hard link" "$p/out/hard.pdf"
# --charts DIR: a chart file that is a hard link to an input.
id=$(awk '/^```(chart|timeline)/ { inb = 1; next } /^```/ { inb = 0 }
	inb && /^id:/ { print $2; exit }' "$K")
mkdir -p "$p/charts"
ln "$p/datasets/control.csv" "$p/charts/$id.svg"
rm -rf "$tmp/proj.orig" && cp -r "$p" "$tmp/proj.orig"
run_brief build --fonts "$p/fonts" -o "$p/out/k.pdf" --charts "$p/charts" "$p/layouts/k.md"
if [ "$rc" -eq 2 ] && grep -q "$id.svg: error: is the same file as the input" "$tmp/err" &&
	[ ! -e "$p/out/k.pdf" ] && diff -r "$p" "$tmp/proj.orig" >/dev/null 2>&1; then
	ok "--charts: a chart file that is an input is refused (exit 2), nothing written"
else
	not_ok "--charts: a chart file that is an input is refused (exit 2), nothing written"
	show_run
fi
rm "$p/charts/$id.svg"
cd "$p" || exit 1
run_brief build -o datasets/sources.csv layouts/k.md
cd "$ROOT" || exit 1
if [ "$rc" -eq 2 ] && cmp -s "$p/datasets/sources.csv" datasets/sources.csv; then
	ok "output over sources.csv from the project directory: refused (exit 2)"
else
	not_ok "output over sources.csv from the project directory: refused (exit 2)"
	show_run
fi

# ---- chart exports are atomic too ----
ch=$p/charts
run_brief build -q --fonts "$p/fonts" -o "$p/out/k.pdf" --charts "$ch" "$p/layouts/k.md"
expect_rc "--charts: the first export" 0
cp -r "$ch" "$tmp/charts.good"
cp "$p/out/k.pdf" "$tmp/k.good.pdf"
# charts_intact NAME: every chart file and the report as they were.
charts_intact() {
	left=$(leftovers "$ch")
	if diff -r "$ch" "$tmp/charts.good" >/dev/null 2>&1 && [ -z "$left" ] &&
		cmp -s "$p/out/k.pdf" "$tmp/k.good.pdf"; then
		ok "$1: every chart file and the report intact, no temporary file"
	else
		not_ok "$1: every chart file and the report intact, no temporary file"
		diff -r "$ch" "$tmp/charts.good" 2>&1 | head -n 5 | sed 's/^/#   /'
		[ -n "$left" ] && echo "#   left behind: $left"
	fi
}
if [ -z "$shim" ]; then
	skip "chart exports on a full disk" "$shim_why"
else
	# A different briefing, so that every file would change.
	sed -i 's/^title: .*/title: Another title/' "$p/layouts/k.md"
	for notmp in 0 1; do
		kind="unnamed temporary"
		[ "$notmp" = 1 ] && kind="named temporary"
		# shellcheck disable=SC2086
		SHIM_NOTMPFILE=$notmp SHIM_MATCH="$ch/#*:$ch/.*.brief-*" \
			SHIM_MODE=enospc LD_PRELOAD=$shim $VG "$BRIEF" build \
			--fonts "$p/fonts" -o "$p/out/k.pdf" --charts "$ch" \
			"$p/layouts/k.md" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ "$rc" -eq 3 ] && grep -q "any previous report is unchanged" "$tmp/err"; then
			ok "--charts on a full disk ($kind): exit 3, previous report unchanged"
		else
			not_ok "--charts on a full disk ($kind): exit 3, previous report unchanged"
			show_run
		fi
		charts_intact "--charts on a full disk ($kind)"
	done
	# Only the SVG files fail (named temporaries tell them apart).
	SHIM_NOTMPFILE=1 SHIM_MATCH="$ch/.*.svg.brief-*" SHIM_MODE=enospc \
		LD_PRELOAD=$shim "$BRIEF" build --fonts "$p/fonts" -o "$p/out/k.pdf" \
		--charts "$ch" "$p/layouts/k.md" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq 3 ] && grep -q "$ch/$id.svg: error: cannot write" "$tmp/err" &&
		grep -q "the previous report is unchanged, but 1 chart file in $ch was already replaced" "$tmp/err" &&
		cmp -s "$p/out/k.pdf" "$tmp/k.good.pdf" && [ -z "$(leftovers "$ch")" ] &&
		cmp -s "$ch/$id.svg" "$tmp/charts.good/$id.svg" &&
		! cmp -s "$ch/$id.png" "$tmp/charts.good/$id.png"; then
		ok "--charts, SVG write fails: exit 3, says 1 chart file was replaced, the SVG intact"
	else
		not_ok "--charts, SVG write fails: exit 3, says 1 chart file was replaced, the SVG intact"
		show_run
	fi
	cp "$tmp/charts.good"/* "$ch/"
	# The charts are in place, the report's rename fails.
	SHIM_MATCH="$p/out/#*:$p/out/.k.pdf.brief-*" SHIM_MODE=link \
		LD_PRELOAD=$shim "$BRIEF" build --fonts "$p/fonts" -o "$p/out/k.pdf" \
		--charts "$ch" "$p/layouts/k.md" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	nfiles=$(find "$ch" -type f | wc -l)
	if [ "$rc" -eq 3 ] && grep -q "the previous report is unchanged, but $nfiles chart files in $ch were already replaced" "$tmp/err" &&
		cmp -s "$p/out/k.pdf" "$tmp/k.good.pdf" && [ -z "$(leftovers "$p/out")" ]; then
		ok "report rename fails after the charts: exit 3, says the $nfiles chart files were replaced"
	else
		not_ok "report rename fails after the charts: exit 3, says the $nfiles chart files were replaced"
		show_run
	fi
fi

finish
