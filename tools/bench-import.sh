#!/bin/sh
# bench-import.sh — time `brief import` on a generated ACLED-shaped export
# of N rows (default 1,000,000), per event and aggregated by month, with
# peak memory (GNU time). Not a test: these machines are shared and noisy.
set -eu
cd "$(dirname "$0")/.."
N=${1:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -n 1 tests/import/acled/export.csv >"$work/acled.csv"
awk -v n="$N" 'BEGIN {
	split("January February March April May June July August September October November December", mon, " ")
	split("Battles|Explosions/Remote violence|Violence against civilians|Protests", et, "|")
	split("Armed clash|Shelling/artillery/missile attack|Attack|Peaceful protest", se, "|")
	split("Тарск|Ardanë|Mira|Koss|Orlo|Velin", adm, "|")
	for (i = 1; i <= n; i++) {
		k = i % 4 + 1; a = i % 6 + 1
		d = i % 28 + 1; m = int(i / 28) % 12 + 1; y = 2000 + int(i / 336) % 25
		printf "KSR%d,%02d %s %d,%d,%d,Political violence,%s,%s,Military Forces of Kessaria (2019-),,State forces,Tarsk Liberation Front,,Rebel group,State forces-Rebel group,%s,999,Eastern Europe,Kessaria,%s,%s District,,Place %d,%.4f,%.4f,1,Kessaria Herald,National,\"Generated event %d, for timing\",%d,,1712000000\n",
			i, d, mon[m], y, y, i % 3 + 1, et[k], se[k], k == 3 ? "Civilian targeting" : "", adm[a], adm[a], i % 500, 40 + (i % 1000) / 100.0, 20 + (i % 700) / 100.0, i, i % 5
	}
}' >>"$work/acled.csv"
ls -l "$work/acled.csv" | awk '{ printf "export: %d rows, %.1f MB\n", '"$N"', $5 / 1e6 }'
t() {
	if command -v /usr/bin/time >/dev/null 2>&1; then
		/usr/bin/time -f "  %e s wall, %U s user, %M KB peak" "$@"
	else
		time "$@"
	fi
}
echo "per event (acled.yaml):"
t ./brief import -q acled "$work/acled.csv" --into "$work/out1"
wc -l "$work/out1/casualties.csv" | awk '{ print "  casualties rows: " $1 - 2 }'
echo "by month and province (tests/import/acled/acled-monthly.yaml):"
t ./brief import -q acled "$work/acled.csv" --into "$work/out2" --map tests/import/acled/acled-monthly.yaml
wc -l "$work/out2/casualties.csv" | awk '{ print "  casualties rows: " $1 - 2 }'
echo "brief check --archive (import again and compare):"
mkdir "$work/arch"
ln "$work/acled.csv" "$work/arch/acled.csv"
t ./brief check -q --data "$work/out1" --archive "$work/arch"
