#!/bin/sh
# data.sh — `brief check` on data directories that are valid but unlike
# brief's own files (HDX-style headers and HXL tags, a vocabulary file),
# and on inputs that must not hang or escape: FIFOs, unreadable files,
# archive names. Output is TAP.
# shellcheck source=tests/cli/lib/common.sh
. "$(dirname "$0")/lib/common.sh"
need_brief

# brief under a time limit: a wait on a FIFO fails the test, not the run.
run_timed() {
	timeout 20 "$BRIEF" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

base=tests/bad/bad-date-day # any case: only its valid files are used
mkdata() {
	rm -rf "$tmp/d"
	mkdir -p "$tmp/d"
	for f in sources casualties displacement control figures events; do
		cp "$base/$f.csv" "$tmp/d/$f.csv"
	done
	# bad-date-day breaks events.csv; take a valid one.
	cp tests/bad/bad-date-month/events.csv "$tmp/d/events.csv"
}

# An HDX file: its own headers, a title row, standard tags in any case,
# spacing and order: loads by hashtag, no diagnostics.
mkdata
cat >"$tmp/d/casualties.csv" <<'EOF'
Casualty reports (fictional),,,,,,,,,,,,,
Report,Episode,From,To,Side,Type,Who,Number,Upper,Wording,Reporting org,Ref,Quote,Remarks
#Meta +ID,#crisis+name,#date +start,#date+end,#group,#meta+category,#meta+population,#affected +killed,#affected+killed+max,#meta+qualifier,#org+reporting,#meta+source,#meta+stated,#description
w2020-a-killed,2020 war,2020-09-27,2020-11-10,Party A,killed,military,2425,,more_than,Ministry A,src-a,more than 2425 soldiers,
w2020-b-killed,2020 war,2020-09-27,2020-11-10,Party B,killed,all,3000,4000,range,Example Monitor,src-a,,
EOF
run_brief check --data "$tmp/d"
if [ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ] &&
	grep -q 'rows in 6 files, no errors' "$tmp/out"; then
	ok "an HDX-style file with its own headers loads by hashtag"
else
	not_ok "an HDX-style file with its own headers loads by hashtag"
	show_run
fi

# A tag that fits nothing on a column brief names: a warning, exit 0.
mkdata
sed '2s/#event+title/#affected+killed/' tests/bad/bad-date-month/events.csv >"$tmp/d/events.csv"
run_brief check --data "$tmp/d"
want="$tmp/d/events.csv:2:27: warning: HXL tag '#affected+killed' does not fit column 'title' (brief's tag is #event+title); the column is read by its name"
if [ "$rc" -eq 0 ] && [ "$(head -n 1 "$tmp/err")" = "$want" ]; then
	ok "a mismatched HXL tag is a warning, not a refusal"
else
	not_ok "a mismatched HXL tag is a warning, not a refusal"
	show_run
fi

# A vocabulary file widens the lists for check and build alike.
mkdata
sed 's/,wounded,civilian,/,abducted,civilian,/' "$base/casualties.csv" >"$tmp/d/casualties.csv"
run_plain check --data "$tmp/d"
check "a word outside the default list is refused" [ "$rc" -eq 1 ]
printf 'casualties:\n  category:\n    extend: [abducted]\n' >"$tmp/d/vocabulary.yaml"
run_brief check --data "$tmp/d"
check "vocabulary.yaml extends the list" [ "$rc" -eq 0 ]

# Inputs that are not regular files are refused at once, never waited on.
mkdata
rm "$tmp/d/events.csv"
mkfifo "$tmp/d/events.csv"
run_timed check --data "$tmp/d"
if [ "$rc" -eq 1 ] &&
	grep -q "events.csv: error: is a FIFO, not a regular file" "$tmp/err"; then
	ok "a FIFO dataset is refused, not waited on"
else
	not_ok "a FIFO dataset is refused, not waited on"
	show_run
fi
mkdata
mkfifo "$tmp/d/vocabulary.yaml"
run_timed check --data "$tmp/d"
check "a FIFO vocabulary file is refused" [ "$rc" -eq 1 ]
mkdata
mkdir "$tmp/arch"
mkfifo "$tmp/arch/src-a.txt"
run_timed check --data "$tmp/d" --archive "$tmp/arch"
if [ "$rc" -eq 1 ] && grep -q "sources.csv:3:106: error: archived copy '$tmp/arch/src-a.txt' of source 'src-a': is a FIFO, not a regular file" "$tmp/err"; then
	ok "a FIFO archived copy is refused"
else
	not_ok "a FIFO archived copy is refused"
	show_run
fi

# A missing archive directory is one error, not one per source.
run_brief check --data "$tmp/d" --archive "$tmp/no-such-archive"
if [ "$rc" -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
	grep -q "no-such-archive: error: no such directory" "$tmp/err"; then
	ok "a missing archive directory is one error"
else
	not_ok "a missing archive directory is one error"
	show_run
fi

# A link inside the archive directory to a file inside it is fine.
rm -rf "$tmp/arch"
mkdir "$tmp/arch"
printf 'more than 2425 soldiers; between 3000 and 4000; about 120,000 people; 44 days\n' >"$tmp/arch/real.txt"
ln -s real.txt "$tmp/arch/src-a.txt"
run_brief check --data "$tmp/d" --archive "$tmp/arch"
if ! grep -q "outside the archive directory" "$tmp/err"; then
	ok "a link within the archive directory is followed"
else
	not_ok "a link within the archive directory is followed"
	show_run
fi

# An existing file that cannot be read is an I/O error (exit 3), after
# every other file was checked. /proc/self/mem opens but fails to read.
if [ -r /proc/self/mem ] && ! head -c 1 /proc/self/mem >/dev/null 2>&1; then
	mkdata
	rm "$tmp/d/control.csv"
	ln -s /proc/self/mem "$tmp/d/control.csv"
	run_brief check --data "$tmp/d"
	if [ "$rc" -eq 3 ] && grep -q "control.csv: error: read error" "$tmp/err" &&
		[ "$(wc -l <"$tmp/err")" -eq 1 ]; then
		ok "an unreadable dataset is an I/O error (exit 3)"
	else
		not_ok "an unreadable dataset is an I/O error (exit 3)"
		show_run
	fi
else
	skip "no file here that opens but cannot be read"
fi

# Missing required files are invalid input (exit 1) naming the path.
mkdata
rm "$tmp/d/sources.csv"
run_brief check --data "$tmp/d"
if [ "$rc" -eq 1 ] && grep -q "^$tmp/d/sources.csv: error: no such file$" "$tmp/err"; then
	ok "a missing sources.csv exits 1 naming it"
else
	not_ok "a missing sources.csv exits 1 naming it"
	show_run
fi

# A UN agency's untitled document: `un` is a source kind, named as such
# in the bibliography.
mkdata
sed -i 's/^src-a,Report on the war,Example Monitor,Jane Roe,\([^,]*\),\([^,]*\),\([^,]*\),ngo,/src-a,unknown,Example Monitor,unknown,\1,\2,\3,un,/' "$tmp/d/sources.csv"
printf -- '---\ntitle: UN kind\nas_of: 2024-01-31\n---\nDeaths: {{casualties:w2020-a-killed}}.\n' >"$tmp/un.md"
run_brief build --data "$tmp/d" -o "$tmp/un.pdf" "$tmp/un.md"
if [ "$rc" -eq 0 ] && grep -q ',un,' "$tmp/d/sources.csv" &&
	pdftotext "$tmp/un.pdf" - | tr '\n' ' ' | grep -q 'Untitled UN document'; then
	ok "a source of kind un builds and is an 'Untitled UN document' in the bibliography"
else
	not_ok "a source of kind un builds and is an 'Untitled UN document' in the bibliography"
	show_run
fi

finish
