#!/bin/sh
# deps.sh — make sure the Debian packages brief needs are installed.
# Usage: tools/deps.sh build|test. As root, installs what is missing with
# apt-get; otherwise prints exactly what to install and fails.
set -eu
build="gcc make pkg-config libhpdf-dev libcairo2-dev libcsv-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev libunistring-dev libfreetype-dev libharfbuzz-dev libfribidi-dev libhyphen-dev hyphen-en-us hyphen-fr hyphen-es hyphen-ru hyphen-uk zlib1g-dev libdeflate-dev nettle-dev libjansson-dev libshp-dev libpng-dev libjpeg-dev"
test="libcmocka-dev jq fonts-noto-core poppler-utils qpdf mupdf-tools icc-profiles-free default-jre-headless libpdfbox2-java libactivation-java libjaxb-api-java libxml2-utils librsvg2-bin"
case "${1:-build}" in
build) want="$build" ;;
test) want="$build $test" ;;
bench) want="$build hyperfine time" ;;
*) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "deps: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 || true
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >&2
else
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: install them with: sudo apt-get install$missing" >&2
	exit 1
fi
