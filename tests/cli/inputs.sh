#!/bin/sh
# inputs.sh — inputs that are not regular files never make brief wait: a
# FIFO (with no writer), a character device, a socket or a directory given
# as the layout, a dataset, sources.csv, a font, fonts.conf or an archived
# source is an error naming the path, exit 1; so is a missing one. A file
# that exists but cannot be read is an I/O error, exit 3. Every run has a
# time limit: a hang is a failure, not a stuck test suite.
#
# TAP output; $BRIEF is the binary, $VG an optional valgrind prefix.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief
EX=tests/layouts/example.md
LIMIT=60 # seconds; a healthy run takes well under one, valgrind included

# limited ARGS...: run brief with a time limit (exit 124 when it hangs).
limited() {
	# shellcheck disable=SC2086
	timeout "$LIMIT" $VG "$BRIEF" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# expect_path_error NAME WANT PATH MESSAGE: exit WANT and a first error line
# "PATH: error: MESSAGE" (or "...: error: ... 'PATH': MESSAGE" for fonts).
expect_path_error() {
	if [ "$rc" -eq "$2" ] && grep -qF -- "$3" "$tmp/err" &&
		grep -qF -- "$4" "$tmp/err"; then
		ok "$1: exit $2, names the path, says '$4'"
	elif [ "$rc" -eq 124 ]; then
		not_ok "$1: hangs (killed after ${LIMIT}s)"
	else
		not_ok "$1: exit $rc (want $2), '$3' and '$4' in the message"
		show_run
	fi
}

# A project to break: the example's data, its layout, the fonts.
p=$tmp/p
mkdir -p "$p"
cp -r tests/layouts/data "$p/data"
cp "$EX" "$p/ex.md"
cp -r fonts "$p/fonts"
mkfifo "$tmp/fifo"
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
	"$tmp/socket" 2>/dev/null || rm -f "$tmp/socket"

# not_files: each kind of non-regular file, as "kind path".
not_files() {
	echo "FIFO $tmp/fifo"
	echo "character-device /dev/null"
	[ -S "$tmp/socket" ] && echo "socket $tmp/socket"
	echo "directory $tmp"
}
kind_says() {
	case $1 in
	FIFO) echo "is a FIFO, not a regular file" ;;
	character-device) echo "is a character device, not a regular file" ;;
	socket) echo "is a socket, not a regular file" ;;
	directory) echo "is a directory, not a regular file" ;;
	esac
}
[ -S "$tmp/socket" ] || skip "a socket as an input" "python3 cannot create a Unix socket here"

# ---- the layout ----
not_files >"$tmp/kinds"
while read -r kind path; do
	limited build -o "$tmp/x.pdf" "$path"
	expect_path_error "$kind as the layout (build)" 1 "$path: error:" "$(kind_says "$kind")"
	limited check "$path"
	expect_path_error "$kind as the layout (check)" 1 "$path: error:" "$(kind_says "$kind")"
done <"$tmp/kinds"

# ---- a dataset and sources.csv ----
for name in sources casualties events; do
	while read -r kind path; do
		rm -rf "$p/data/$name.csv"
		if [ "$kind" = directory ]; then
			mkdir "$p/data/$name.csv"
		else
			ln -s "$path" "$p/data/$name.csv"
		fi
		limited build -o "$tmp/x.pdf" "$p/ex.md"
		expect_path_error "$kind as $name.csv (build)" 1 "$p/data/$name.csv: error:" \
			"$(kind_says "$kind")"
		limited check --data "$p/data"
		expect_path_error "$kind as $name.csv (check)" 1 "$p/data/$name.csv: error:" \
			"$(kind_says "$kind")"
	done <"$tmp/kinds"
	rm -rf "$p/data/$name.csv"
	limited build -o "$tmp/x.pdf" "$p/ex.md"
	expect_path_error "missing $name.csv (build)" 1 "$p/data/$name.csv: error:" \
		"no such file"
	limited check --data "$p/data"
	expect_path_error "missing $name.csv (check)" 1 "$p/data/$name.csv: error:" \
		"no such file"
	cp "tests/layouts/data/$name.csv" "$p/data/"
done

# ---- the data and archive directories ----
limited check --data "$tmp/fifo"
expect_path_error "a FIFO as the data directory (check)" 1 "$tmp/fifo: error:" "is a FIFO, not a directory"
limited check --data "$p/ex.md"
expect_path_error "a file as the data directory (check)" 1 "$p/ex.md: error:" "is a file, not a directory"
limited check --data "$p/data" --archive "$tmp/fifo"
expect_path_error "a FIFO as the archive directory" 1 "$tmp/fifo: error:" "is a FIFO, not a directory"
limited build -d "$tmp/fifo" -o "$tmp/x.pdf" "$p/ex.md"
expect_path_error "a FIFO as the data directory (build)" 1 "ex.md:" "is a FIFO, not a directory"

# ---- an archived source ----
a=tests/bad/missing-archive
cp -r "$a" "$tmp/arch"
# A FIFO or directory inside the archive directory is refused for what it
# is; a link to a device or socket elsewhere is refused for leaving it.
while read -r kind path; do
	rm -rf "$tmp/arch/archive/src-a.txt"
	case $kind in
	directory) mkdir "$tmp/arch/archive/src-a.txt" ;;
	FIFO) mkfifo "$tmp/arch/archive/src-a.txt" ;;
	*) ln -s "$path" "$tmp/arch/archive/src-a.txt" ;;
	esac
	case $kind in
	directory | FIFO) says=$(kind_says "$kind") ;;
	*) says="is a link to a file outside the archive directory" ;;
	esac
	limited check --data "$tmp/arch" --archive "$tmp/arch/archive"
	expect_path_error "$kind as an archived source" 1 "sources.csv:3:106: error:" \
		"$says"
done <"$tmp/kinds"

# ---- fonts ----
while read -r kind path; do
	rm -rf "$p/fonts/NotoSans-Bold.ttf"
	if [ "$kind" = directory ]; then
		mkdir "$p/fonts/NotoSans-Bold.ttf"
	else
		ln -s "$path" "$p/fonts/NotoSans-Bold.ttf"
	fi
	limited build --fonts "$p/fonts" -o "$tmp/x.pdf" "$p/ex.md"
	expect_path_error "$kind as a font" 1 "$p/fonts/NotoSans-Bold.ttf" "$(kind_says "$kind")"
done <"$tmp/kinds"
rm -rf "$p/fonts/NotoSans-Bold.ttf"
cp fonts/NotoSans-Bold.ttf "$p/fonts/"
while read -r kind path; do
	rm -rf "$p/fonts/fonts.conf"
	if [ "$kind" = directory ]; then
		mkdir "$p/fonts/fonts.conf"
	else
		ln -s "$path" "$p/fonts/fonts.conf"
	fi
	limited build --fonts "$p/fonts" -o "$tmp/x.pdf" "$p/ex.md"
	expect_path_error "$kind as fonts.conf" 1 "$p/fonts/fonts.conf: error:" "$(kind_says "$kind")"
done <"$tmp/kinds"
rm -rf "$p/fonts/fonts.conf"
cp fonts/fonts.conf "$p/fonts/"

limited build --fonts "$p/fonts" -o "$tmp/x.pdf" "$p/ex.md"
check "the repaired project builds again" test "$rc" -eq 0 -a -s "$tmp/x.pdf"
check "no input error left a report behind" test "$(find "$tmp" -maxdepth 1 -name 'x.pdf*' | wc -l)" -eq 1

# ---- unreadable files: exit 3 ----
# Root reads everything: run brief as nobody then.
as=""
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	as="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
if [ "$(id -u)" -eq 0 ] && [ -z "$as" ]; then
	skip "unreadable inputs" "running as root without setpriv"
else
	chmod -R a+rX "$tmp"
	# (An unreadable dataset or sources.csv still exits 1: the layout
	# reports it among the data errors; see the io9 report.)
	for f in ex.md fonts/NotoSans-Italic.ttf fonts/fonts.conf; do
		chmod 000 "$p/$f"
		# shellcheck disable=SC2086
		timeout "$LIMIT" $as $VG "$BRIEF" build --fonts "$p/fonts" -o "$tmp/u.pdf" "$p/ex.md" \
			>"$tmp/out" 2>"$tmp/err"
		rc=$?
		expect_path_error "unreadable $f" 3 "$p/$f" "Permission denied"
		chmod 644 "$p/$f"
	done
fi

finish
