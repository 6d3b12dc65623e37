#!/bin/sh
# fetch-csv-spectrum.sh — (re)vendor the csv-spectrum test files into
# tests/csv-spectrum/ from the npm package.
#
# Usage: tools/fetch-csv-spectrum.sh [VERSION]   (default 2.0.0)
#
# Needs npm (for `npm pack`, which downloads the package tarball without
# installing anything) and tar. The files are committed, so this is only
# needed to update them; the tests never touch the network.
#
# The *_crlf.csv files are meant to have CRLF line ends, but checkouts and
# some releases carry them with LF; every line end in them (including the
# one inside newlines_crlf.csv's quoted field, which its JSON expects as
# "\r\n") is made CRLF here. A missing final line end is left missing.
set -eu
version=${1:-2.0.0}
root=$(cd "$(dirname "$0")/.." && pwd)
dest=$root/tests/csv-spectrum
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

(cd "$work" && npm pack --silent "csv-spectrum@$version" >/dev/null)
tarball=$(ls "$work"/csv-spectrum-*.tgz)
tar -xzf "$tarball" -C "$work"
pkg=$work/package

mkdir -p "$dest/csvs" "$dest/json"
rm -f "$dest"/csvs/*.csv "$dest"/json/*.json
cp "$pkg"/csvs/*.csv "$dest/csvs/"
cp "$pkg"/json/*.json "$dest/json/"
cp "$pkg/package.json" "$dest/package.json"
# The package ships no license file (package.json says BSD-2-Clause); keep
# the committed LICENSE unless a release starts to include one.
for f in LICENSE LICENSE.md license; do
	if [ -f "$pkg/$f" ]; then
		cp "$pkg/$f" "$dest/LICENSE"
		break
	fi
done

# To CRLF: drop any CR before LF, then end every line with CR LF (the last
# one only if it had a line end).
for f in "$dest"/csvs/*_crlf.csv; do
	if [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ]; then
		trail=1
	else
		trail=0
	fi
	awk -v trail="$trail" '
		{ sub(/\r$/, "") }
		NR > 1 { printf "\r\n" }
		{ printf "%s", $0 }
		END { if (trail) printf "\r\n" }' "$f" >"$f.tmp"
	mv "$f.tmp" "$f"
	# Every LF must now follow a CR.
	if [ "$(tr -cd '\n' <"$f" | wc -c)" -ne "$(grep -c "$(printf '\r')\$" "$f")" ]; then
		echo "fetch-csv-spectrum: $f still has bare LF" >&2
		exit 1
	fi
done

sum=$(sha256sum "$tarball" | cut -d' ' -f1)
echo "csv-spectrum $version vendored into $dest (tarball sha256 $sum)"
