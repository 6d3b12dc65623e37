/* test_figure.c — the data layer's figure: how qualifiers combine under
 * sum and max (table-driven), the wording forms (key figure, compact,
 * money), repeated words before a reference, the growable buffer and the
 * row view (column types from the schema, row filter, source names). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "data_view.h"
#include "figure.h"

struct part {
	double value, high;
	enum qualifier q;
};

/* Figures combined, and the combination in words (no unit). */
static const struct combine_case {
	enum figure_combine how;
	struct part p[3];
	size_t n;
	const char *words;
} combine_cases[] = {
	/* sums */
	{ FIG_SUM, { { 5, 5, QUAL_EXACT }, { 7, 7, QUAL_EXACT } }, 2, "12" },
	{ FIG_SUM, { { 5, 5, QUAL_EXACT }, { 7, 7, QUAL_AT_LEAST } }, 2,
	  "at least 12" },
	{ FIG_SUM, { { 5, 5, QUAL_MORE_THAN }, { 7, 7, QUAL_AT_LEAST } }, 2,
	  "more than 12" },
	{ FIG_SUM, { { 950, 950, QUAL_ABOUT }, { 120, 120, QUAL_NEARLY } }, 2,
	  "about 1,070" },
	{ FIG_SUM, { { 950, 950, QUAL_EXACT }, { 120, 120, QUAL_NEARLY } }, 2,
	  "nearly 1,070" },
	{ FIG_SUM, { { 950, 950, QUAL_NEARLY }, { 120, 120, QUAL_AT_MOST } }, 2,
	  "at most 1,070" },
	{ FIG_SUM, { { 950, 950, QUAL_AT_LEAST }, { 120, 120, QUAL_NEARLY } }, 2,
	  "1,070 (mixed bounds)" },
	{ FIG_SUM, { { 6, 12, QUAL_RANGE }, { 4, 4, QUAL_EXACT } }, 2,
	  "10\xE2\x80\x93" "16" },
	{ FIG_SUM, { { 6, 12, QUAL_RANGE }, { 4, 4, QUAL_AT_LEAST } }, 2,
	  "at least 10" },
	{ FIG_SUM, { { 6, 12, QUAL_RANGE }, { 4, 4, QUAL_NEARLY } }, 2,
	  "nearly 16" },
	{ FIG_SUM, { { 6, 12, QUAL_RANGE }, { 4, 4, QUAL_ABOUT } }, 2,
	  "about 10\xE2\x80\x93" "16" },
	{ FIG_SUM, { { 100, 100, QUAL_AT_LEAST }, { 1, 1, QUAL_ABOUT },
		     { 2, 2, QUAL_AT_MOST } }, 3, "about 103" },
	{ FIG_SUM, { { 3, 3, QUAL_RANGE } }, 1, "3" },
	/* maxima */
	{ FIG_MAX, { { 9, 9, QUAL_EXACT }, { 5, 5, QUAL_EXACT } }, 2, "9" },
	{ FIG_MAX, { { 9, 9, QUAL_EXACT }, { 5, 5, QUAL_AT_LEAST } }, 2,
	  "at least 9" },
	{ FIG_MAX, { { 9, 9, QUAL_MORE_THAN }, { 5, 5, QUAL_EXACT } }, 2,
	  "more than 9" },
	{ FIG_MAX, { { 12, 12, QUAL_NEARLY }, { 9, 9, QUAL_EXACT } }, 2,
	  "nearly 12" },
	{ FIG_MAX, { { 12, 12, QUAL_NEARLY }, { 9, 9, QUAL_AT_LEAST } }, 2,
	  "12 (mixed bounds)" },
	{ FIG_MAX, { { 9, 9, QUAL_EXACT }, { 5, 12, QUAL_RANGE } }, 2,
	  "9\xE2\x80\x93" "12" },
	{ FIG_MAX, { { 9, 9, QUAL_EXACT }, { 5, 5, QUAL_ABOUT } }, 2,
	  "about 9" },
};

static void test_combine_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof combine_cases / sizeof *combine_cases;
	     i++) {
		const struct combine_case *k = &combine_cases[i];
		struct figure_acc a;
		struct figure_total t;
		char buf[96];

		memset(&a, 0, sizeof a);
		for (size_t j = 0; j < k->n; j++)
			figure_acc_add(&a, k->how, k->p[j].value, k->p[j].high,
				       k->p[j].q);
		t = figure_acc_total(&a, k->how);
		figure_total_words(&t, "", NULL, buf, sizeof buf);
		if (strcmp(buf, k->words) != 0) {
			print_error("case %zu: got '%s', want '%s'\n", i, buf,
				    k->words);
			fail();
		}
	}
}

static void test_total_of_totals(void **state)
{
	/* A stack of two parts, one mixed: the total stays mixed. */
	struct figure_acc a;
	struct figure_total part = { 1070, 1070, QUAL_EXACT, true }, t;
	struct figure_total exact = { 30, 30, QUAL_EXACT, false };

	(void)state;
	memset(&a, 0, sizeof a);
	figure_acc_add_total(&a, FIG_SUM, &part);
	figure_acc_add_total(&a, FIG_SUM, &exact);
	t = figure_acc_total(&a, FIG_SUM);
	assert_true(t.mixed);
	assert_true(t.value == 1100);
}

static struct figure fig(double v, double high, enum qualifier q,
			 const char *unit)
{
	struct figure f;

	memset(&f, 0, sizeof f);
	f.value = v;
	f.high = high;
	f.has_high = high > v;
	f.qual = q;
	f.unit = unit;
	f.source = f.reported_by = "";
	return f;
}

static const struct words_case {
	double v, high;
	enum qualifier q;
	const char *unit;
	enum figure_form form;
	bool plus;
	const char *want;
} words_cases[] = {
	/* The key-figure form puts the plus on the number, not the unit. */
	{ 310000, 0, QUAL_MORE_THAN, "people", FIG_FULL, true,
	  "310,000+ people" },
	{ 20, 0, QUAL_AT_LEAST, "percent", FIG_FULL, true, "20+%" },
	{ 8000, 0, QUAL_MORE_THAN, "", FIG_FULL, true, "8,000+" },
	{ 120000, 0, QUAL_ABOUT, "", FIG_FULL, true, "about 120,000" },
	/* Plain full form is figure_format's. */
	{ 8000, 0, QUAL_MORE_THAN, "", FIG_FULL, false, "more than 8,000" },
	{ 44, 0, QUAL_EXACT, "days", FIG_FULL, false, "44 days" },
	/* Compact. */
	{ 3800000, 0, QUAL_EXACT, "", FIG_COMPACT, false, "3.8 million" },
	{ 3845000, 0, QUAL_ABOUT, "people", FIG_COMPACT, false,
	  "about 3.85 million people" },
	{ 12345678, 0, QUAL_EXACT, "", FIG_COMPACT, false, "12.3 million" },
	{ 2500000000.0, 0, QUAL_EXACT, "", FIG_COMPACT, false, "2.5 billion" },
	{ 310000, 0, QUAL_EXACT, "people", FIG_COMPACT, false,
	  "310,000 people" },
	{ 1200000, 3400000, QUAL_RANGE, "", FIG_COMPACT, false,
	  "1.2\xE2\x80\x93" "3.4 million" },
	{ 3800000, 0, QUAL_MORE_THAN, "people", FIG_COMPACT, true,
	  "more than 3.8 million people" },
	/* Money. */
	{ 180000000, 0, QUAL_EXACT, "USD", FIG_COMPACT, false,
	  "US$180 million" },
	{ 180000000, 0, QUAL_EXACT, "USD", FIG_FULL, false, "US$180,000,000" },
	{ 2.5, 0, QUAL_ABOUT, "EUR", FIG_FULL, false, "about \xE2\x82\xAC" "2.50" },
	{ 1250000000.0, 0, QUAL_AT_LEAST, "GBP", FIG_COMPACT, false,
	  "at least \xC2\xA3" "1.25 billion" },
};

static void test_words(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof words_cases / sizeof *words_cases; i++) {
		const struct words_case *k = &words_cases[i];
		struct figure f = fig(k->v, k->high, k->q, k->unit);
		struct figure_style st = { k->form, k->plus };
		char buf[128];

		figure_words(&f, &st, buf, sizeof buf);
		if (strcmp(buf, k->want) != 0) {
			print_error("case %zu: got '%s', want '%s'\n", i, buf,
				    k->want);
			fail();
		}
	}
	assert_null(figure_currency("people"));
	assert_string_equal(figure_currency("USD"), "US$");
}

static void test_repeat(void **state)
{
	char msg[256];

	(void)state;
	assert_true(figure_words_repeat("it was about ", "about 120",
					msg, sizeof msg));
	assert_non_null(strstr(msg, "'about' is said twice"));
	assert_true(figure_words_repeat("held at ", "at least 4,000", msg,
					sizeof msg));
	assert_non_null(strstr(msg, "'at' is said twice"));
	assert_true(figure_words_repeat("at least ", "at least 4,000", msg,
					sizeof msg));
	assert_true(figure_words_repeat("killed between ",
					"12,000\xE2\x80\x93" "15,000", msg,
					sizeof msg));
	assert_non_null(strstr(msg, "range"));
	assert_true(figure_words_repeat("From ", "1\xE2\x80\x93" "2", msg,
					sizeof msg));
	assert_false(figure_words_repeat("killed ", "at least 4,000", msg,
					 sizeof msg));
	assert_false(figure_words_repeat("what ", "at least 4,000", msg,
					 sizeof msg));
	assert_false(figure_words_repeat("between ", "4,000", msg,
					 sizeof msg));
	assert_false(figure_words_repeat("flat", "flat 4", msg, sizeof msg));
	/* Another hedge before a figure that has its own qualifier. */
	assert_true(figure_words_repeat("displaced some ", "about 120", msg,
					sizeof msg));
	assert_non_null(strstr(msg, "'some about 120' qualifies it twice"));
	assert_true(figure_words_repeat("killed roughly ", "more than 40",
					msg, sizeof msg));
	assert_true(figure_words_repeat("Nearly ", "at least 4,000", msg,
					sizeof msg));
	/* A hedge before an exact figure, or a plain preposition before a
	 * qualified one, reads well. */
	assert_false(figure_words_repeat("some ", "120", msg, sizeof msg));
	assert_false(figure_words_repeat("rose to ", "about 120", msg,
					 sizeof msg));
	assert_false(figure_words_repeat("somewhat ", "about 120", msg,
					 sizeof msg));
}

static void test_buf(void **state)
{
	struct buf b = BUF_INIT(10);
	struct buf u = BUF_INIT(0);
	char *s;
	int *v = NULL;
	size_t cap = 0;

	(void)state;
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_printf(&b, "%d-%s", 12, "ab"), BRIEF_OK);
	assert_string_equal(buf_str(&b), "12-ab");
	/* Past the cap: an input error, and nothing more is appended. */
	assert_int_equal(buf_puts(&b, "123456"), BRIEF_EDATA);
	assert_int_equal(buf_puts(&b, "x"), BRIEF_EDATA);
	assert_string_equal(buf_str(&b), "12-ab");
	assert_null(buf_take(&b));
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_printf(&u, "%04d", i), BRIEF_OK);
	assert_int_equal(u.n, 4000);
	s = buf_take(&u);
	assert_non_null(s);
	assert_memory_equal(s + 3996, "0999", 4);
	free(s);
	s = buf_take(&u); /* empty: "" */
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(array_reserve(&v, &cap, 100, sizeof *v, 0), BRIEF_OK);
	assert_true(cap >= 100);
	assert_int_equal(array_reserve(&v, &cap, 1001, sizeof *v, 1000),
			 BRIEF_EDATA);
	free(v);
}

static void test_view(void **state)
{
	static const char *const names[] = { "id", "date_from", "party" };
	const char *fields[] = { "r1", "2020-10-01", "Side A" };
	long cols[] = { 1, 2, 3 };
	char *va[] = { (char *)"Side B", (char *)"Side A" };
	char *vd[] = { (char *)"2020-10-01" };
	struct row_filter f[2] = { { (char *)"party", va, 2, { 0, 0 } },
				   { (char *)"date", vd, 1, { 0, 0 } } };
	struct data_row row;
	int col[2];
	struct source s;

	(void)state;
	assert_true(data_column_is_date(DS_CASUALTIES, "date"));
	assert_true(data_column_is_date(DS_CASUALTIES, "date_to"));
	assert_true(data_column_is_date(DS_CONTROL, "date_from"));
	assert_false(data_column_is_date(DS_CASUALTIES, "party"));
	assert_false(data_column_is_date(DS_CASUALTIES, "election_date"));
	assert_true(data_column_is_number(DS_CONTROL, "value_high"));
	assert_string_equal(data_column_resolve(DS_CASUALTIES, "date"),
			    "date_from");
	assert_string_equal(data_column_resolve(DS_EVENTS, "date_from"),
			    "date");
	memset(&row, 0, sizeof row);
	row.kind = DS_CASUALTIES;
	row.ncols = 3;
	row.names = names;
	row.field = fields;
	row.col = cols;
	row_filter_bind(f, 2, &row, col);
	assert_int_equal(col[0], 2);
	assert_int_equal(col[1], 1); /* date means date_from here */
	assert_true(row_filter_passes(f, 2, col, &row));
	fields[2] = "Side C";
	assert_false(row_filter_passes(f, 2, col, &row));

	memset(&s, 0, sizeof s);
	s.id = (char *)"src";
	s.publisher = (char *)"unknown";
	s.author = (char *)"";
	s.title = (char *)"A Title";
	assert_string_equal(source_display_name(&s), "A Title");
	s.title = (char *)"unknown";
	assert_string_equal(source_display_name(&s), "src");
	s.publisher = (char *)"OBC";
	assert_string_equal(source_display_name(&s), "OBC");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_combine_table),
		cmocka_unit_test(test_total_of_totals),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_repeat),
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_view),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
