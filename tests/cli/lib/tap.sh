# tap.sh — counting TAP results (sourced by tests/run.sh and tested by
# tests/cli/harness.sh).
#
# tap_count FILE: print "PASSED FAILED SKIPPED" for the TAP lines in FILE.
# A line with the SKIP directive ("ok 3 - name # SKIP reason", any case;
# cmocka writes "not ok 3 # SKIP reason") is skipped, never passed or
# failed. Other "ok" lines pass, other "not ok" lines fail; everything else
# (plans, comments, program output) is not counted.
TAP_SKIP_RE='^(not )?ok\b.*#[[:space:]]*[Ss][Kk][Ii][Pp]'
tap_count() {
	echo "$(grep -E '^ok\b' "$1" | grep -Evc "$TAP_SKIP_RE")" \
		"$(grep -E '^not ok\b' "$1" | grep -Evc "$TAP_SKIP_RE")" \
		"$(grep -Ec "$TAP_SKIP_RE" "$1")"
}
