/* test_l10n.c — the catalogues in locale/: every one has every key, and
 * numbers, dates, figures, plural forms and messages come out right in
 * en, fr, es, ru, uk and ar; a broken or partial catalogue falls back to
 * English with warnings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "brand.h"
#include "figure.h"
#include "l10n.h"

#define NNBSP "\xE2\x80\xAF" /* U+202F narrow no-break space */
#define NBSP "\xC2\xA0"

static struct l10n *open_lang(const char *lang)
{
	struct l10n *l = NULL;
	struct diag err;
	struct diag_sink sink = {stderr, 0, 0, 0};

	if (l10n_open("locale", lang, &sink, &l, &err) != BRIEF_OK) {
		diag_print(stderr, &err, DIAG_ERROR);
		fail();
	}
	/* The shipped catalogues are complete: no fallback warnings. */
	assert_int_equal(sink.warnings, 0);
	return l;
}

/* Every shipped catalogue has every key of en.yaml, right. */
static void test_catalogues_complete(void **state)
{
	struct diag_sink sink = {stderr, 0, 0, 0};
	struct diag err;
	size_t n = 0;

	(void)state;
	assert_int_equal(l10n_check("locale", &sink, &n, &err), BRIEF_OK);
	assert_int_equal(sink.warnings, 0);
	assert_int_equal(sink.errors, 0);
	assert_true(n >= 6); /* en, fr, es, ru, uk, ar */
}

static void test_numbers(void **state)
{
	const char *langs[] = {"en", "fr", "es", "ru", "uk", "ar"};
	const char *big[] = {"12,000", "12" NNBSP "000", "12.000",
			     "12" NBSP "000", "12" NBSP "000", "12,000"};
	const char *dec[] = {"12.5", "12,5", "12,5", "12,5", "12,5", "12.5"};
	const char *pct[] = {"12.5%", "12,5" NNBSP "%", "12,5" NBSP "%",
			     "12,5" NBSP "%", "12,5%", "12.5%"};
	char buf[64];

	(void)state;
	for (size_t i = 0; i < sizeof langs / sizeof *langs; i++) {
		struct l10n *l = open_lang(langs[i]);

		assert_string_equal(l10n_number(l, 12000, -1, buf, sizeof buf),
				    big[i]);
		assert_string_equal(l10n_number(l, 12.5, -1, buf, sizeof buf),
				    dec[i]);
		assert_string_equal(l10n_percent(l, 12.5, -1, buf, sizeof buf),
				    pct[i]);
		assert_string_equal(l10n_number(l, 999, -1, buf, sizeof buf),
				    "999");
		l10n_free(l);
	}
}

static void test_grouping_rules(void **state)
{
	struct l10n *es = open_lang("es"), *fr = open_lang("fr");
	char buf[64];

	(void)state;
	/* Spanish groups from five digits; French from four. */
	assert_string_equal(l10n_number(es, 1234, -1, buf, sizeof buf), "1234");
	assert_string_equal(l10n_number(es, 1234567, -1, buf, sizeof buf),
			    "1.234.567");
	assert_string_equal(l10n_number(fr, 1234, -1, buf, sizeof buf),
			    "1" NNBSP "234");
	/* French writes the minus sign U+2212. */
	assert_string_equal(l10n_number(fr, -3.25, 2, buf, sizeof buf),
			    "\xE2\x88\x92" "3,25");
	l10n_free(es);
	l10n_free(fr);
}

/* Arabic: Latin digits by default, Arabic-Indic on request. */
static void test_arabic_digits(void **state)
{
	struct l10n *ar = open_lang("ar"), *en = open_lang("en");
	char buf[96];
	const struct date d = {2023, 9, 19};

	(void)state;
	assert_true(l10n_rtl(ar));
	assert_false(l10n_rtl(en));
	assert_true(l10n_set_digits(ar, L10N_DIGITS_NATIVE));
	/* ١٢٬٠٠٠ and ١٢٫٥٪ */
	assert_string_equal(l10n_number(ar, 12000, -1, buf, sizeof buf),
			    "\xD9\xA1\xD9\xA2\xD9\xAC\xD9\xA0\xD9\xA0\xD9\xA0");
	assert_string_equal(l10n_percent(ar, 12.5, -1, buf, sizeof buf),
			    "\xD9\xA1\xD9\xA2\xD9\xAB\xD9\xA5\xD9\xAA");
	/* ١٩ سبتمبر ٢٠٢٣ */
	assert_string_equal(l10n_date_long(ar, &d, buf, sizeof buf),
			    "\xD9\xA1\xD9\xA9 \xD8\xB3\xD8\xA8\xD8\xAA\xD9\x85"
			    "\xD8\xA8\xD8\xB1 \xD9\xA2\xD9\xA0\xD9\xA2\xD9\xA3");
	assert_true(l10n_set_digits(ar, L10N_DIGITS_LATIN));
	assert_string_equal(l10n_number(ar, 12000, -1, buf, sizeof buf),
			    "12,000");
	/* No native digits in English. */
	assert_false(l10n_set_digits(en, L10N_DIGITS_NATIVE));
	assert_string_equal(l10n_number(en, 12000, -1, buf, sizeof buf),
			    "12,000");
	l10n_free(ar);
	l10n_free(en);
}

static void test_dates(void **state)
{
	static const struct {
		const char *lang, *full, *month, *year, *first, *axis;
	} want[] = {
		{"en", "19 September 2023", "September 2023", "2023",
		 "1 September 2023", "19 Sep 2023"},
		{"fr", "19 septembre 2023", "septembre 2023", "2023",
		 "1er septembre 2023", "19 sept. 2023"},
		{"es", "19 de septiembre de 2023", "septiembre de 2023", "2023",
		 "1 de septiembre de 2023", "19 sept. 2023"},
		{"ru", "19 \xD1\x81\xD0\xB5\xD0\xBD\xD1\x82\xD1\x8F\xD0\xB1\xD1"
		       "\x80\xD1\x8F 2023" NBSP "\xD0\xB3.",
		 "\xD1\x81\xD0\xB5\xD0\xBD\xD1\x82\xD1\x8F\xD0\xB1\xD1\x80\xD1"
		 "\x8C 2023" NBSP "\xD0\xB3.",
		 "2023" NBSP "\xD0\xB3.",
		 "1 \xD1\x81\xD0\xB5\xD0\xBD\xD1\x82\xD1\x8F\xD0\xB1\xD1\x80\xD1"
		 "\x8F 2023" NBSP "\xD0\xB3.",
		 "19 \xD1\x81\xD0\xB5\xD0\xBD\xD1\x82. 2023"},
		{"uk", "19 \xD0\xB2\xD0\xB5\xD1\x80\xD0\xB5\xD1\x81\xD0\xBD\xD1"
		       "\x8F 2023" NBSP "\xD1\x80.",
		 "\xD0\xB2\xD0\xB5\xD1\x80\xD0\xB5\xD1\x81\xD0\xB5\xD0\xBD\xD1"
		 "\x8C 2023" NBSP "\xD1\x80.",
		 "2023" NBSP "\xD1\x80.",
		 "1 \xD0\xB2\xD0\xB5\xD1\x80\xD0\xB5\xD1\x81\xD0\xBD\xD1\x8F "
		 "2023" NBSP "\xD1\x80.",
		 "19 \xD0\xB2\xD0\xB5\xD1\x80. 2023"},
	};
	char buf[96];

	(void)state;
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		struct l10n *l = open_lang(want[i].lang);
		struct date full = {2023, 9, 19}, month = {2023, 9, 0},
			    year = {2023, 0, 0}, first = {2023, 9, 1};

		assert_string_equal(l10n_date_long(l, &full, buf, sizeof buf),
				    want[i].full);
		assert_string_equal(l10n_date_long(l, &month, buf, sizeof buf),
				    want[i].month);
		assert_string_equal(l10n_date_long(l, &year, buf, sizeof buf),
				    want[i].year);
		assert_string_equal(l10n_date_long(l, &first, buf, sizeof buf),
				    want[i].first);
		assert_string_equal(l10n_date_short(l, &full, true, buf,
						    sizeof buf),
				    want[i].axis);
		l10n_free(l);
	}
}

static void test_short_dates(void **state)
{
	struct l10n *en = open_lang("en");
	struct date m = {2020, 9, 0}, d = {2020, 9, 27};
	char buf[64];

	(void)state;
	assert_string_equal(l10n_date_short(en, &m, false, buf, sizeof buf),
			    "Sep");
	assert_string_equal(l10n_date_short(en, &m, true, buf, sizeof buf),
			    "Sep 2020");
	assert_string_equal(l10n_date_short(en, &d, false, buf, sizeof buf),
			    "27 Sep");
	assert_string_equal(l10n_month(en, 12, L10N_MONTH_NAME), "December");
	assert_string_equal(l10n_month(en, 13, L10N_MONTH_NAME), "");
	l10n_free(en);
}

/* The wording of figures: qualifiers, ranges, units and their plurals. */
static void test_figures(void **state)
{
	struct l10n *en = open_lang("en"), *fr = open_lang("fr"),
		    *ru = open_lang("ru"), *ar = open_lang("ar"),
		    *uk = open_lang("uk"), *es = open_lang("es");
	char buf[160];

	(void)state;
	/* English matches figure_format (data.h). */
	assert_string_equal(l10n_figure(en, 40, false, 0, QUAL_AT_LEAST,
					NULL, buf, sizeof buf),
			    "at least 40");
	assert_string_equal(l10n_figure(en, 50000, true, 120000, QUAL_RANGE,
					"", buf, sizeof buf),
			    "50,000\xE2\x80\x93" "120,000");
	assert_string_equal(l10n_figure(en, 44, false, 0, QUAL_EXACT, "days",
					buf, sizeof buf),
			    "44 days");
	assert_string_equal(l10n_figure(en, 1, false, 0, QUAL_EXACT, "days",
					buf, sizeof buf),
			    "1 day");
	assert_string_equal(l10n_figure(en, 1, false, 0, QUAL_EXACT, "trucks",
					buf, sizeof buf),
			    "1 truck");
	assert_string_equal(l10n_figure(en, 1, false, 0, QUAL_EXACT,
					"brigades", buf, sizeof buf),
			    "1 brigade"); /* not listed: English heuristic */
	assert_string_equal(l10n_figure(en, 20, false, 0, QUAL_NEARLY,
					"percent", buf, sizeof buf),
			    "nearly 20%");
	assert_string_equal(l10n_figure(en, 4400, false, 0, QUAL_ABOUT, "km2",
					buf, sizeof buf),
			    "about 4,400 km\xC2\xB2");
	assert_string_equal(l10n_figure(en, 3, false, 0, QUAL_EXACT, "rank",
					buf, sizeof buf),
			    "3");
	/* French. */
	assert_string_equal(l10n_figure(fr, 40, false, 0, QUAL_AT_LEAST,
					"people", buf, sizeof buf),
			    "au moins 40" NBSP "personnes");
	assert_string_equal(l10n_figure(fr, 1.5, false, 0, QUAL_EXACT, "days",
					buf, sizeof buf),
			    "1,5" NBSP "jour"); /* French: one up to 2 */
	assert_string_equal(l10n_figure(fr, 12, true, 15, QUAL_RANGE,
					"percent", buf, sizeof buf),
			    "12\xE2\x80\x93" "15" NNBSP "%");
	assert_string_equal(l10n_figure(fr, 8000, false, 0, QUAL_MORE_THAN,
					"brigades", buf, sizeof buf),
			    "plus de 8" NNBSP "000" NBSP "brigades");
	/* Russian: 1 день, 3 дня, 5 дней, 21 день, 12 000 человек. */
	assert_string_equal(l10n_figure(ru, 1, false, 0, QUAL_EXACT, "days",
					buf, sizeof buf),
			    "1" NBSP "\xD0\xB4\xD0\xB5\xD0\xBD\xD1\x8C");
	assert_string_equal(l10n_figure(ru, 3, false, 0, QUAL_EXACT, "days",
					buf, sizeof buf),
			    "3" NBSP "\xD0\xB4\xD0\xBD\xD1\x8F");
	assert_string_equal(l10n_figure(ru, 5, false, 0, QUAL_EXACT, "days",
					buf, sizeof buf),
			    "5" NBSP "\xD0\xB4\xD0\xBD\xD0\xB5\xD0\xB9");
	assert_string_equal(l10n_figure(ru, 21, false, 0, QUAL_EXACT, "days",
					buf, sizeof buf),
			    "21" NBSP "\xD0\xB4\xD0\xB5\xD0\xBD\xD1\x8C");
	assert_string_equal(l10n_figure(ru, 12000, false, 0, QUAL_AT_LEAST,
					"people", buf, sizeof buf),
			    "\xD0\xBD\xD0\xB5 \xD0\xBC\xD0\xB5\xD0\xBD\xD0\xB5"
			    "\xD0\xB5 12" NBSP "000" NBSP "\xD1\x87\xD0\xB5"
			    "\xD0\xBB\xD0\xBE\xD0\xB2\xD0\xB5\xD0\xBA");
	/* Ukrainian: 2 роки. */
	assert_string_equal(l10n_figure(uk, 2, false, 0, QUAL_EXACT, "years",
					buf, sizeof buf),
			    "2" NBSP "\xD1\x80\xD0\xBE\xD0\xBA\xD0\xB8");
	/* Spanish. */
	assert_string_equal(l10n_figure(es, 120000, false, 0, QUAL_ABOUT,
					"people", buf, sizeof buf),
			    "alrededor de 120.000" NBSP "personas");
	/* Arabic: one person, two, a few, many; the qualifier after. */
	assert_string_equal(l10n_figure(ar, 1, false, 0, QUAL_EXACT, "people",
					buf, sizeof buf),
			    "\xD8\xB4\xD8\xAE\xD8\xB5 \xD9\x88\xD8\xA7\xD8\xAD"
			    "\xD8\xAF");
	assert_string_equal(l10n_figure(ar, 2, false, 0, QUAL_EXACT, "people",
					buf, sizeof buf),
			    "\xD8\xB4\xD8\xAE\xD8\xB5\xD8\xA7\xD9\x86");
	assert_string_equal(l10n_figure(ar, 5, false, 0, QUAL_EXACT, "people",
					buf, sizeof buf),
			    "5 \xD8\xA3\xD8\xB4\xD8\xAE\xD8\xA7\xD8\xB5");
	assert_string_equal(l10n_figure(ar, 40, false, 0, QUAL_AT_LEAST,
					"people", buf, sizeof buf),
			    "40 \xD8\xB4\xD8\xAE\xD8\xB5\xD9\x8B\xD8\xA7 \xD8\xB9"
			    "\xD9\x84\xD9\x89 \xD8\xA7\xD9\x84\xD8\xA3\xD9\x82"
			    "\xD9\x84");
	assert_string_equal(l10n_figure(ar, 100000, false, 0, QUAL_MORE_THAN,
					"people", buf, sizeof buf),
			    "\xD8\xA3\xD9\x83\xD8\xAB\xD8\xB1 \xD9\x85\xD9\x86 "
			    "100,000 \xD8\xB4\xD8\xAE\xD8\xB5");
	l10n_free(en);
	l10n_free(fr);
	l10n_free(ru);
	l10n_free(ar);
	l10n_free(uk);
	l10n_free(es);
}

/* In English, l10n_figure words every figure as figure_format (data.h)
 * does today, so switching brief to the catalogue changes nothing in
 * English briefings; except where figure_format's rule for one (drop
 * the final s) goes wrong: "1 person", "1 soldier", "1 country" (it
 * says "1 people", "1 troop", "1 countrie"). */
static void test_english_matches_figure_format(void **state)
{
	struct l10n *en = open_lang("en");
	const double values[] = {0, 1, 2, 12, 44, 1000, 12345, 120000, 12.5,
				 0.25};
	const char *units[] = {NULL, "", "count", "rank", "percent", "km2",
			       "days", "years", "regions", "trucks", "brigades",
			       "hours", "attacks"};
	char a[160], b[160];

	(void)state;
	for (size_t v = 0; v < sizeof values / sizeof *values; v++)
		for (int q = QUAL_EXACT; q <= QUAL_RANGE; q++)
			for (size_t u = 0; u < sizeof units / sizeof *units; u++)
				for (int hi = 0; hi < 2; hi++) {
					double high = values[v] * 2 + 1;

					l10n_figure(en, values[v], hi, high,
						    (enum qualifier)q, units[u],
						    a, sizeof a);
					figure_format(values[v], hi, high,
						      (enum qualifier)q, units[u],
						      b, sizeof b);
					if (strcmp(a, b) != 0)
						fail_msg("%g %d %s: '%s', "
							 "figure_format '%s'",
							 values[v], q,
							 units[u] ? units[u]
								  : "NULL",
							 a, b);
				}
	assert_string_equal(l10n_figure(en, 1, false, 0, QUAL_EXACT, "troops",
					a, sizeof a),
			    "1 soldier");
	assert_string_equal(l10n_figure(en, 2000, false, 0, QUAL_ABOUT,
					"troops", a, sizeof a),
			    "about 2,000 troops");
	assert_string_equal(l10n_figure(en, 1, false, 0, QUAL_AT_LEAST,
					"people", a, sizeof a),
			    "at least 1 person");
	assert_string_equal(l10n_figure(en, 1, false, 0, QUAL_EXACT,
					"countries", a, sizeof a),
			    "1 country");
	l10n_free(en);
}

static void test_messages(void **state)
{
	struct l10n *en = open_lang("en"), *fr = open_lang("fr"),
		    *ru = open_lang("ru"), *ar = open_lang("ar");
	char buf[160];

	(void)state;
	assert_string_equal(l10n_text(en, L10N_SOURCES), "Sources");
	assert_string_equal(l10n_format(en, L10N_PAGE_OF, buf, sizeof buf, "1",
					"4"),
			    "Page 1 of 4");
	assert_string_equal(l10n_format(fr, L10N_PAGE_OF, buf, sizeof buf, "1",
					"4"),
			    "Page 1 sur 4");
	assert_string_equal(l10n_format(fr, L10N_DATA_AS_OF, buf, sizeof buf,
					"30 septembre 2023"),
			    "Donn\xC3\xA9" "es" NNBSP ": 30 septembre 2023");
	assert_string_equal(l10n_format(en, L10N_CHART_PER, buf, sizeof buf,
					"Killed", "Armenia"),
			    "Killed (per Armenia)");
	/* Plural messages: the count chooses the form. */
	assert_string_equal(l10n_format(en, L10N_ALT_MARKS, buf, sizeof buf,
					"1"),
			    "1 mark in all.");
	assert_string_equal(l10n_format(en, L10N_ALT_MARKS, buf, sizeof buf,
					"14"),
			    "14 marks in all.");
	assert_string_equal(l10n_format(ru, L10N_ALT_MARKS, buf, sizeof buf,
					"14"),
			    "\xD0\x92\xD1\x81\xD0\xB5\xD0\xB3\xD0\xBE 14 \xD0\xBE"
			    "\xD1\x82\xD0\xBC\xD0\xB5\xD1\x82\xD0\xBE\xD0\xBA.");
	assert_string_equal(l10n_format(en, L10N_ALT_EVENTS, buf, sizeof buf,
					"1234", "1918", "2023"),
			    "1,234 events from 1918 to 2023:");
	/* Arabic "two": no number in the words. */
	assert_string_equal(l10n_format(ar, L10N_ALT_MARKS, buf, sizeof buf,
					"2"),
			    "\xD8\xB9\xD9\x84\xD8\xA7\xD9\x85\xD8\xAA\xD8\xA7"
			    "\xD9\x86 \xD9\x81\xD9\x8A \xD8\xA7\xD9\x84\xD9\x85"
			    "\xD8\xAC\xD9\x85\xD9\x88\xD8\xB9.");
	/* Open families. */
	assert_string_equal(l10n_word(fr, "language", "ru"), "russe");
	assert_string_equal(l10n_word(fr, "language", "xx"), "xx");
	assert_string_equal(l10n_word(fr, "table.columns", "reported_by"),
			    "Selon");
	assert_string_equal(l10n_word(ru, "vocab.category", "killed"),
			    "\xD1\x83\xD0\xB1\xD0\xB8\xD1\x82\xD1\x8B\xD0\xB5");
	assert_string_equal(l10n_word(en, "chart.type", "stacked_bar"),
			    "Stacked bar chart");
	assert_string_equal(l10n_language(fr), "fr");
	l10n_free(en);
	l10n_free(fr);
	l10n_free(ru);
	l10n_free(ar);
}

/* A figure in a form, in the catalogue of l (NULL: built-in English). */
static const char *worded(const struct l10n *l, double v, double high,
			  enum qualifier q, const char *unit, bool compact,
			  bool plus, char *buf, size_t size)
{
	struct figure f;
	struct figure_style st = {compact ? FIG_COMPACT : FIG_FULL, plus};

	memset(&f, 0, sizeof f);
	f.value = v;
	f.high = high > v ? high : v;
	f.has_high = high > v;
	f.qual = q;
	f.unit = unit;
	l10n_use(l);
	figure_words(&f, &st, buf, size);
	l10n_use(NULL);
	return buf;
}

/* English compact, money and key-figure words are the same with en.yaml
 * as without a catalogue: English briefings did not change. (Full forms
 * are test_english_matches_figure_format's; for 1 the built-in English
 * says "1 people" where en.yaml says "1 person".) */
static void test_english_forms_unchanged(void **state)
{
	struct l10n *en = open_lang("en");
	const double values[] = {0, 1, 999, 8000, 12345, 999999, 1000000,
				 1500000, 3850000, 12345678, 180000000,
				 1250000000, 2.5, 1234.56};
	const char *units[] = {"", "people", "days", "percent", "brigades",
			       "USD", "EUR", "CHF", "GBP", "count"};
	char a[200], b[200];

	(void)state;
	for (size_t v = 0; v < sizeof values / sizeof *values; v++)
		for (int q = QUAL_EXACT; q <= QUAL_RANGE; q++)
			for (size_t u = 0; u < sizeof units / sizeof *units; u++)
				for (int form = 0; form < 4; form++) {
					double high = q == QUAL_RANGE
							      ? values[v] * 3
							      : 0;

					if ((form == 0 &&
					     !figure_currency(units[u])) ||
					    values[v] == 1)
						continue;
					worded(en, values[v], high,
					       (enum qualifier)q, units[u],
					       form & 1, form & 2, a, sizeof a);
					worded(NULL, values[v], high,
					       (enum qualifier)q, units[u],
					       form & 1, form & 2, b, sizeof b);
					if (strcmp(a, b) != 0)
						fail_msg("%g %d %s form %d: "
							 "en.yaml '%s', built-in "
							 "'%s'",
							 values[v], q, units[u],
							 form, a, b);
				}
	l10n_free(en);
}

/* Compact numbers and money in each language's words and forms. */
static void test_compact_and_money(void **state)
{
	struct l10n *fr = open_lang("fr"), *es = open_lang("es"),
		    *ru = open_lang("ru"), *uk = open_lang("uk"),
		    *ar = open_lang("ar"), *en = open_lang("en");
	char buf[200];

	(void)state;
	assert_string_equal(worded(en, 3850000, 0, QUAL_ABOUT, "people", true,
				   false, buf, sizeof buf),
			    "about 3.85 million people");
	assert_string_equal(worded(fr, 3850000, 0, QUAL_ABOUT, "people", true,
				   false, buf, sizeof buf),
			    "environ 3,85" NBSP "millions de" NBSP "personnes");
	/* French "one" covers 0 to 2: 1,5 million. */
	assert_string_equal(worded(fr, 1500000, 0, QUAL_EXACT, "", true,
				   false, buf, sizeof buf),
			    "1,5" NBSP "million");
	assert_string_equal(worded(fr, 1200000000, 0, QUAL_EXACT, "", true,
				   false, buf, sizeof buf),
			    "1,2" NBSP "milliard");
	assert_string_equal(worded(fr, 180000000, 0, QUAL_EXACT, "USD", true,
				   false, buf, sizeof buf),
			    "180" NBSP "millions" NBSP "US$");
	/* A symbol's space only before the number: "CHF 2.5 million". */
	assert_string_equal(worded(fr, 2500000, 0, QUAL_EXACT, "CHF", true,
				   false, buf, sizeof buf),
			    "2,5" NBSP "millions" NBSP "CHF");
	assert_string_equal(worded(en, 2500000, 0, QUAL_EXACT, "CHF", true,
				   false, buf, sizeof buf),
			    "CHF 2.5 million");
	assert_string_equal(worded(es, 1000000, 0, QUAL_EXACT, "", true,
				   false, buf, sizeof buf),
			    "1" NBSP "millón");
	assert_string_equal(worded(es, 3800000, 5200000, QUAL_RANGE, "", true,
				   false, buf, sizeof buf),
			    "3,8–5,2" NBSP "millones");
	assert_string_equal(worded(ru, 3850000, 0, QUAL_ABOUT, "people", true,
				   false, buf, sizeof buf),
			    "около 3,85" NBSP "млн" NBSP "человек");
	assert_string_equal(worded(uk, 2000000000, 0, QUAL_MORE_THAN, "", true,
				   false, buf, sizeof buf),
			    "понад 2" NBSP "млрд");
	/* Arabic 11 to 99 (of the last two digits) take the accusative. */
	assert_string_equal(worded(ar, 180000000, 0, QUAL_EXACT, "USD", true,
				   false, buf, sizeof buf),
			    "US$180 مليونًا");
	assert_string_equal(worded(ar, 5000000, 0, QUAL_EXACT, "", true, false,
				   buf, sizeof buf),
			    "5 ملايين");
	/* Below a million a compact figure is a full one; money too. */
	assert_string_equal(worded(fr, 8000, 0, QUAL_AT_LEAST, "people", true,
				   true, buf, sizeof buf),
			    "8" NNBSP "000+" NBSP "personnes");
	assert_string_equal(worded(fr, 1234.5, 0, QUAL_ABOUT, "EUR", false,
				   false, buf, sizeof buf),
			    "environ 1" NNBSP "234,50" NBSP "€");
	l10n_free(fr);
	l10n_free(es);
	l10n_free(ru);
	l10n_free(uk);
	l10n_free(ar);
	l10n_free(en);
}

/* "(mixed bounds)" in the catalogue's words. */
static void test_mixed_bounds(void **state)
{
	struct l10n *fr = open_lang("fr");
	struct figure_total t = {1070, 1070, QUAL_EXACT, true};
	char buf[128];

	(void)state;
	figure_total_words(&t, "", NULL, buf, sizeof buf);
	assert_string_equal(buf, "1,070 (mixed bounds)");
	l10n_use(fr);
	figure_total_words(&t, "", NULL, buf, sizeof buf);
	l10n_use(NULL);
	assert_string_equal(buf, "1" NNBSP "070 (bornes mixtes)");
	l10n_free(fr);
}

/* Periods: the year (and month) said once, in each language's dates;
 * English the same with en.yaml as without. */
static void test_periods(void **state)
{
	struct l10n *en = open_lang("en"), *ru = open_lang("ru"),
		    *es = open_lang("es"), *fr = open_lang("fr");
	const struct date d[][2] = {
		{{2025, 3, 3}, {2025, 3, 9}},	{{2025, 2, 28}, {2025, 3, 6}},
		{{2024, 9, 0}, {2024, 11, 0}},	{{2024, 12, 30}, {2025, 1, 5}},
		{{2024, 5, 1}, {2024, 5, 1}},	{{2023, 0, 0}, {2024, 0, 0}},
		{{2024, 0, 0}, {2024, 5, 0}}};
	char a[128], b[128];

	(void)state;
	for (size_t i = 0; i < sizeof d / sizeof *d; i++) {
		l10n_use(NULL);
		brand_period_words(&d[i][0], &d[i][1], b, sizeof b);
		assert_string_equal(l10n_period(en, &d[i][0], &d[i][1], true,
						a, sizeof a),
				    b);
	}
	assert_string_equal(l10n_period(en, &d[1][0], &d[1][1], true, a,
						sizeof a),
			    "28 February – 6 March 2025");
	assert_string_equal(l10n_period(ru, &d[0][0], &d[0][1], true, a,
						sizeof a),
			    "3–9 марта 2025" NBSP "г.");
	assert_string_equal(l10n_period(ru, &d[1][0], &d[1][1], true, a,
						sizeof a),
			    "28 февраля – 6 марта 2025" NBSP "г.");
	assert_string_equal(l10n_period(es, &d[1][0], &d[1][1], true, a,
						sizeof a),
			    "28 de febrero – 6 de marzo de 2025");
	assert_string_equal(l10n_period(fr, &d[2][0], &d[2][1], true, a,
						sizeof a),
			    "septembre – novembre 2024");
	assert_string_equal(l10n_period(fr, &d[4][0], &d[0][1], true, a,
						sizeof a),
			    "1er mai 2024 – 9 mars 2025");
	/* Tables say the month twice (layout_table.c). */
	assert_string_equal(l10n_period(en, &d[0][0], &d[0][1], false, a,
					sizeof a),
			    "3 March – 9 March 2025");
	assert_string_equal(l10n_period(ru, &d[0][0], &d[0][1], false, a,
					sizeof a),
			    "3 марта – 9 марта 2025" NBSP "г.");
	l10n_free(en);
	l10n_free(ru);
	l10n_free(es);
	l10n_free(fr);
}

/* The page's other words: edition, contacts, alt texts, separators. */
static void test_page_words(void **state)
{
	struct l10n *en = open_lang("en"), *fr = open_lang("fr"),
		    *ru = open_lang("ru"), *ar = open_lang("ar");
	char buf[200];

	(void)state;
	assert_string_equal(l10n_format(en, L10N_EDITION, buf, sizeof buf,
					"Flash update", "12"),
			    "Flash update No. 12");
	assert_string_equal(l10n_format(ru, L10N_EDITION, buf, sizeof buf,
					l10n_text(ru, L10N_SERIES), "12"),
			    "Оперативная сводка №" NBSP "12");
	assert_string_equal(l10n_text(en, L10N_CONTACTS),
			    "For further information, please contact:");
	assert_string_equal(l10n_text(ar, L10N_COMMA), "، ");
	assert_string_equal(l10n_format(fr, L10N_ALT_TITLE, buf, sizeof buf,
					l10n_word(fr, "chart.type", "map"),
					"Zones"),
			    "Carte" NNBSP ": Zones.");
	/* Russian "по" takes the dative, a filter the nominative. */
	assert_string_equal(l10n_word(ru, "chart.alt.by_columns", "party"),
			    "сторонам");
	assert_string_equal(l10n_word(ru, "chart.alt.columns", "party"),
			    "сторона");
	/* A date's own stop and the message's give one stop. */
	assert_string_equal(l10n_format(ru, L10N_ACCESSED, buf, sizeof buf,
					"2 апреля 2024" NBSP "г."),
			    "Дата обращения: 2 апреля 2024" NBSP "г.");
	/* Without a catalogue, the English given, filled alike. */
	assert_string_equal(l10n_say(NULL, L10N_ALT_BY_AND,
				     "{y} by {x} and {group}", buf, sizeof buf,
				     "People", "party", "population"),
			    "People by party and population");
	assert_string_equal(l10n_say(fr, L10N_ALT_BY, "{y} by {x}", buf,
				     sizeof buf, "Personnes", "partie"),
			    "Personnes par partie");
	l10n_free(en);
	l10n_free(fr);
	l10n_free(ru);
	l10n_free(ar);
}

/* Language tags: regions and scripts fall back to the language, an
 * unknown language to English with a warning. */
static void test_language_tags(void **state)
{
	struct l10n *l;
	struct diag err;
	struct diag_sink sink = {NULL, 0, 0, 0};

	(void)state;
	assert_int_equal(l10n_open("locale", "fr-CA", &sink, &l, &err),
			 BRIEF_OK);
	assert_string_equal(l10n_language(l), "fr");
	l10n_free(l);
	assert_int_equal(l10n_open("locale", "ru_RU", &sink, &l, &err),
			 BRIEF_OK);
	assert_string_equal(l10n_language(l), "ru");
	l10n_free(l);
	assert_int_equal(sink.warnings, 0);
	assert_int_equal(l10n_open("locale", "de", &sink, &l, &err), BRIEF_OK);
	assert_string_equal(l10n_language(l), "en");
	assert_string_equal(l10n_text(l, L10N_SOURCES), "Sources");
	assert_int_equal(sink.warnings, 1);
	l10n_free(l);
	/* Not a path. */
	assert_int_equal(l10n_open("locale", "../locale/fr", &sink, &l, &err),
			 BRIEF_OK);
	assert_string_equal(l10n_language(l), "en");
	l10n_free(l);
	assert_int_equal(l10n_open("no-such-dir", "fr", &sink, &l, &err),
			 BRIEF_EIO);
	assert_null(l);
	l10n_free(NULL);
}

/* A temporary locale directory with en.yaml copied and one more file. */
static void scratch_locale(char *dir, const char *name, const char *text)
{
	char path[256], cmd[512];
	FILE *f;

	snprintf(dir, 64, "/tmp/brief-l10n-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof cmd, "cp locale/en.yaml %s/", dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void remove_locale(const char *dir, const char *name)
{
	char path[256];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	unlink(path);
	snprintf(path, sizeof path, "%s/en.yaml", dir);
	unlink(path);
	rmdir(dir);
}

/* A partial translation: what it has is used, the rest is English, and
 * each gap or mistake is a warning at its line. */
static void test_partial_catalogue(void **state)
{
	static const char de[] =
		"meta:\n  language: de\n  name: Deutsch\n  direction: ltr\n"
		"  plural: one_other\n"
		"text:\n  sources: Quellen\n"
		"  page_of: \"Seite {page}\"\n"      /* lacks {pages} */
		"  data_as_of: \"Stand {datum}\"\n"  /* unknown placeholder */
		"  surprise: hello\n"                /* unknown key */
		"units:\n  days: {one: \"{n} Tag\"}\n"; /* lacks other */
	char dir[64], buf[128];
	struct l10n *l;
	struct diag err;
	struct diag_sink sink = {NULL, 0, 0, 0};
	size_t n;

	(void)state;
	scratch_locale(dir, "de.yaml", de);
	assert_int_equal(l10n_open(dir, "de", &sink, &l, &err), BRIEF_OK);
	assert_true(sink.warnings > 10); /* most keys are missing */
	assert_string_equal(l10n_language(l), "de");
	assert_string_equal(l10n_text(l, L10N_SOURCES), "Quellen");
	assert_string_equal(l10n_format(l, L10N_PAGE_OF, buf, sizeof buf, "2",
					"3"),
			    "Page 2 of 3");
	assert_string_equal(l10n_format(l, L10N_DATA_AS_OF, buf, sizeof buf,
					"x"),
			    "Data as of x");
	assert_string_equal(l10n_figure(l, 5, false, 0, QUAL_EXACT, "days",
					buf, sizeof buf),
			    "5 days");
	l10n_free(l);
	sink.warnings = 0;
	assert_int_equal(l10n_check(dir, &sink, &n, &err), BRIEF_OK);
	assert_int_equal(n, 2);
	assert_true(sink.warnings > 10);
	remove_locale(dir, "de.yaml");
}

/* Broken catalogues are errors with a position. */
static void test_broken_catalogue(void **state)
{
	static const struct {
		const char *text, *msg;
		long line;
	} bad[] = {
		{"meta: [unclosed\n", "not valid YAML", 2},
		{"- a list\n", "a catalogue is a map", 1},
		{"meta:\n  plural: klingon\n", "unknown plural rule", 2},
		{"text:\n  sources: a\n  sources: b\n", "given twice", 3},
		{"x: *alias\n", "aliases", 1},
		{"units:\n  days: {one: a, one: b}\n", "given twice", 2},
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char dir[64];
		struct l10n *l = (void *)1;
		struct diag err;
		struct diag_sink sink = {NULL, 0, 0, 0};

		scratch_locale(dir, "xx.yaml", bad[i].text);
		assert_int_equal(l10n_open(dir, "xx", &sink, &l, &err),
				 BRIEF_EDATA);
		assert_null(l);
		if (!strstr(err.msg, bad[i].msg))
			fail_msg("case %zu: '%s'", i, err.msg);
		assert_int_equal(err.line, bad[i].line);
		assert_non_null(strstr(err.file, "xx.yaml"));
		remove_locale(dir, "xx.yaml");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogues_complete),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_grouping_rules),
		cmocka_unit_test(test_arabic_digits),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_short_dates),
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_english_matches_figure_format),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_english_forms_unchanged),
		cmocka_unit_test(test_compact_and_money),
		cmocka_unit_test(test_mixed_bounds),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_page_words),
		cmocka_unit_test(test_language_tags),
		cmocka_unit_test(test_partial_catalogue),
		cmocka_unit_test(test_broken_catalogue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
