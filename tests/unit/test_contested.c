/* test_contested.c — the contested-quantity rule (contested.h) and the
 * inputs record's name and round trip (snapshot.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "contested.h"
#include "snapshot.h"

static const char *const names[] = {"id",	"event",	"date_from",
				    "date_to",	"party",	"category",
				    "population", "reported_by"};
#define NCOLS (sizeof names / sizeof names[0])

/* A casualties row claiming value for party over from..to. */
static void claim(struct contested_claim *out, uint32_t index,
		  const char *party, const char *from, const char *to,
		  const char *who, double value, enum qualifier q)
{
	const char *field[NCOLS] = {"x",  "war", from,	to,
				    party, "killed", "all", who};
	struct data_row row;

	memset(&row, 0, sizeof row);
	row.kind = DS_CASUALTIES;
	row.ncols = NCOLS;
	row.names = names;
	row.field = field;
	row.reported_by = who;
	row.value = value;
	row.qualifier = q;
	date_parse(from, strlen(from), &row.date);
	if (to[0])
		date_parse(to, strlen(to), &row.date_to);
	contested_claim_of(&row, contested_key(DS_CASUALTIES), index, out);
}

static void test_groups(void **state)
{
	struct contested_claim v[8];
	struct contested_group *g;
	size_t ng;

	(void)state;
	/* 0, 1: the same quantity, two claimants: contested. */
	claim(&v[0], 0, "North", "2020-09-27", "2020-11-10", "Ministry", 2906,
	      QUAL_EXACT);
	claim(&v[1], 1, "North", "2020-10", "", "Observers", 3800,
	      QUAL_MORE_THAN);
	/* 2, 3: agree exactly (same claimant, same figure): not contested. */
	claim(&v[2], 2, "South", "2020", "", "Ministry", 100, QUAL_EXACT);
	claim(&v[3], 3, "South", "2020-05", "", "Ministry", 100, QUAL_EXACT);
	/* 4: North again, but a later, separate period: alone. */
	claim(&v[4], 4, "North", "2022", "", "Observers", 10, QUAL_EXACT);
	/* 5, 6, 7: a chain of overlaps links 5 to 7 (none of them to 4). */
	claim(&v[5], 5, "East", "2021-01-01", "2021-01-10", "A", 1, QUAL_EXACT);
	claim(&v[6], 6, "East", "2021-01-10", "2021-01-20", "A", 1, QUAL_EXACT);
	claim(&v[7], 7, "East", "2021-01-20", "2021-01-31", "B", 2, QUAL_ABOUT);
	assert_int_equal(contested_groups(v, 8, &g, &ng), BRIEF_OK);
	assert_int_equal(ng, 2);
	/* In data order: the group whose first claim comes first. */
	assert_int_equal(g[0].first, 0);
	assert_int_equal(g[0].n, 2);
	assert_int_equal(g[0].earliest, 0);
	assert_int_equal(g[0].latest, 0); /* 10 Nov ends after 31 Oct */
	assert_int_equal(g[1].first, 5);
	assert_int_equal(g[1].n, 3);
	assert_int_equal(g[1].earliest, 5);
	assert_int_equal(g[1].latest, 7);
	free(g);

	/* Different qualifiers alone make claims differ. */
	claim(&v[0], 0, "X", "2020", "", "A", 5, QUAL_EXACT);
	claim(&v[1], 1, "X", "2020", "", "A", 5, QUAL_ABOUT);
	assert_int_equal(contested_groups(v, 2, &g, &ng), BRIEF_OK);
	assert_int_equal(ng, 1);
	free(g);
	/* No claims, no groups. */
	assert_int_equal(contested_groups(v, 0, &g, &ng), BRIEF_OK);
	assert_int_equal(ng, 0);
	assert_null(g);
}

/* An event of an import: a part of who's count (additive: yes) or not. */
static void event(struct contested_claim *out, uint32_t index,
		  const char *who, double value, bool additive)
{
	static const char *const anames[] = {"id",	   "event",
					     "date_from",  "date_to",
					     "party",	   "category",
					     "population", "reported_by",
					     "additive"};
	const char *field[9] = {"x",	 "clashes", "2023-03-01", "2023-03-31",
				"North", "killed",  "all",	  who,
				additive ? "yes" : ""};
	struct data_row row;

	memset(&row, 0, sizeof row);
	row.kind = DS_CASUALTIES;
	row.ncols = 9;
	row.names = anames;
	row.field = field;
	row.reported_by = who;
	row.value = value;
	row.qualifier = QUAL_EXACT;
	date_parse("2023-03-01", 10, &row.date);
	date_parse("2023-03-31", 10, &row.date_to);
	contested_claim_of(&row, contested_key(DS_CASUALTIES), index, out);
}

/* Additive rows of one claimant are parts of its count: they never
 * disagree with each other (the rule tables and brief diff share), but
 * another claimant's figure for the quantity makes it contested. */
static void test_additive_parts(void **state)
{
	struct contested_claim v[3];
	struct contested_group *g;
	size_t ng;

	(void)state;
	event(&v[0], 0, "ACLED", 3, true);
	event(&v[1], 1, "ACLED", 7, true);
	assert_false(contested_claims_differ(&v[0], &v[1]));
	assert_int_equal(contested_groups(v, 2, &g, &ng), BRIEF_OK);
	assert_int_equal(ng, 0);
	free(g);
	/* The same two figures not marked additive are two claims. */
	event(&v[0], 0, "ACLED", 3, false);
	event(&v[1], 1, "ACLED", 7, false);
	assert_true(contested_claims_differ(&v[0], &v[1]));
	/* Another claimant beside the parts: contested, all three listed. */
	event(&v[0], 0, "ACLED", 3, true);
	event(&v[1], 1, "ACLED", 7, true);
	event(&v[2], 2, "Ministry", 12, false);
	assert_int_equal(contested_groups(v, 3, &g, &ng), BRIEF_OK);
	assert_int_equal(ng, 1);
	assert_int_equal(g[0].n, 3);
	free(g);
}

static void test_words(void **state)
{
	struct date a, b;
	char buf[160];

	(void)state;
	date_parse("2020-09-27", 10, &a);
	date_parse("2020-11-09", 10, &b);
	assert_string_equal(contested_period_words(&a, &b, buf, sizeof buf),
			    "27 September \xE2\x80\x93 9 November 2020");
	date_parse("1991", 4, &a);
	date_parse("1994", 4, &b);
	assert_string_equal(contested_period_words(&a, &b, buf, sizeof buf),
			    "1991\xE2\x80\x93" "1994");
	memset(&b, 0, sizeof b);
	assert_string_equal(contested_period_words(&a, &b, buf, sizeof buf),
			    "1991");
	memset(&a, 0, sizeof a);
	assert_string_equal(contested_period_words(&a, &b, buf, sizeof buf), "");
	assert_null(contested_key(DS_EVENTS));
	assert_true(contested_is_period_column("date_to"));
	assert_false(contested_is_period_column("party"));
}

static void test_snapshot_path(void **state)
{
	char *p;

	(void)state;
	p = snapshot_path("reports/k.pdf");
	assert_string_equal(p, "reports/k.inputs.tar.gz");
	free(p);
	p = snapshot_path("out");
	assert_string_equal(p, "out.inputs.tar.gz");
	free(p);
}

/* Write a record of tests/layouts/data beside a fake report, unpack it,
 * compare. */
static void test_snapshot_round_trip(void **state)
{
	char dir[] = "/tmp/brief-test-snap.XXXXXX", report[256], out[256],
		cmd[1024], *rec;
	struct snapshot_info info;
	struct diag err;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(report, sizeof report, "%s/r.pdf", dir);
	f = fopen(report, "w");
	assert_non_null(f);
	fputs("%PDF-1.4 not really\n", f);
	fclose(f);
	memset(&err, 0, sizeof err);
	assert_int_equal(snapshot_write(report, "tests/layouts/example.md",
					"tests/layouts/data", "00ff", "brief test",
					&err),
			 BRIEF_OK);
	rec = snapshot_path(report);
	snprintf(out, sizeof out, "%s/x", dir);
	assert_int_equal(mkdir(out, 0700), 0);
	memset(&info, 0, sizeof info);
	assert_int_equal(snapshot_extract(rec, out, &info, &err), BRIEF_OK);
	assert_string_equal(info.brief, "brief test");
	assert_string_equal(info.input_hash, "00ff");
	assert_non_null(strstr(info.layout, "tests/layouts/example.md"));
	snprintf(cmd, sizeof cmd,
		 "cmp -s %s/casualties.csv tests/layouts/data/casualties.csv &&"
		 " cmp -s %s/sources.csv tests/layouts/data/sources.csv",
		 out, out);
	assert_int_equal(system(cmd), 0);
	snapshot_info_free(&info);
	/* Not a record: the report itself. */
	assert_int_equal(snapshot_extract(report, out, &info, &err),
			 BRIEF_EDATA);
	assert_non_null(strstr(err.msg, "not a brief inputs record"));
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	free(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_additive_parts),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_snapshot_path),
		cmocka_unit_test(test_snapshot_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
