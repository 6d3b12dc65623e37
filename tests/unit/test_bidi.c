/* test_bidi.c — base direction, embedding levels, line reordering (L1,
 * L2) and mirroring with FriBidi. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bidi.h"

/* The line [start, end) of s in visual order: each run's text in logical
 * order, runs joined by '|', odd runs marked with '<'. */
static void visual(const char *s, enum bidi_base base, size_t start,
		   size_t end, char *out, size_t size)
{
	struct bidi_para p;
	struct bidi_run *r;
	size_t n, o = 0;
	struct diag err;

	assert_int_equal(bidi_analyse(s, strlen(s), base, &p, &err), BRIEF_OK);
	assert_int_equal(bidi_line_runs(&p, start, end, &r, &n, &err),
			 BRIEF_OK);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(out + o, size - o, "%s%s%.*s",
				      i ? "|" : "", r[i].level & 1 ? "<" : "",
				      (int)r[i].len, s + r[i].start);
	free(r);
	bidi_para_free(&p);
}

#define AR_SALAM "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85"   /* سلام */
#define AR_ALAM "\xD8\xB9\xD8\xA7\xD9\x84\xD9\x85"    /* عالم */
#define HE_SHALOM "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"  /* שלום */

static void test_ltr_fast_path(void **state)
{
	struct bidi_para p;
	struct diag err;
	const char *s = "Plain Latin, caf\xC3\xA9 and \xD0\x9A\xD0\xB8\xD1\x97\xD0\xB2.";

	(void)state;
	assert_int_equal(bidi_analyse(s, strlen(s), BIDI_AUTO_LTR, &p, &err),
			 BRIEF_OK);
	assert_false(p.rtl);
	assert_false(p.mixed);
	for (size_t i = 0; i < p.len; i++)
		assert_int_equal(p.levels[i], 0);
	bidi_para_free(&p);
}

static void test_base_direction(void **state)
{
	struct bidi_para p;
	struct diag err;
	const char *ar = AR_SALAM " abc";
	const char *digits = "123 - 456";

	(void)state;
	/* First strong character decides under AUTO. */
	assert_int_equal(bidi_analyse(ar, strlen(ar), BIDI_AUTO_LTR, &p, &err),
			 BRIEF_OK);
	assert_true(p.rtl);
	assert_int_equal(p.levels[0], 1);
	assert_int_equal(p.levels[strlen(ar) - 1], 2); /* Latin inside RTL */
	bidi_para_free(&p);
	/* No strong character: the fallback. */
	assert_int_equal(bidi_analyse(digits, strlen(digits), BIDI_AUTO_RTL,
				      &p, &err), BRIEF_OK);
	assert_true(p.rtl);
	bidi_para_free(&p);
	assert_int_equal(bidi_analyse(digits, strlen(digits), BIDI_AUTO_LTR,
				      &p, &err), BRIEF_OK);
	assert_false(p.rtl);
	bidi_para_free(&p);
	/* A forced base ignores the text. */
	assert_int_equal(bidi_analyse("abc", 3, BIDI_RTL, &p, &err), BRIEF_OK);
	assert_true(p.rtl);
	assert_true(p.mixed);
	assert_int_equal(p.levels[0], 2);
	bidi_para_free(&p);
	assert_int_equal(bidi_analyse("", 0, BIDI_RTL, &p, &err), BRIEF_OK);
	assert_true(p.rtl);
	bidi_para_free(&p);
}

/* Arabic words, Latin and digits in one RTL line: the Arabic runs swap
 * sides, the Latin and the number stay readable left to right. */
static void test_mixed_line_order(void **state)
{
	char out[256];
	const char *s = AR_SALAM " PDF 2023 " AR_ALAM;

	(void)state;
	visual(s, BIDI_RTL, 0, strlen(s), out, sizeof out);
	/* Visual left to right: the last Arabic word (with the space before
	 * it), then the embedded LTR "PDF 2023" (the number joins the Latin
	 * run, rule W7), then the first Arabic word. */
	assert_string_equal(out, "< " AR_ALAM "|PDF 2023|<" AR_SALAM " ");
}

/* In an LTR paragraph the Arabic and Hebrew words keep their place and
 * read right to left; a number after Hebrew takes the comma before it
 * into the RTL run (N1 treats the number as R), as browsers show it. */
static void test_rtl_inside_ltr(void **state)
{
	char out[256];
	const char *s = "From " AR_SALAM " to " HE_SHALOM ", 12 km.";

	(void)state;
	visual(s, BIDI_LTR, 0, strlen(s), out, sizeof out);
	assert_string_equal(out, "From |<" AR_SALAM "| to |12|<" HE_SHALOM
				 ", | km.");
}

/* A number after Arabic letters is an Arabic number (W2) at level 2: its
 * digits keep their order, and the percent sign, neutral then, joins the
 * RTL text on the number's left. */
static void test_numbers_in_rtl(void **state)
{
	char out[256];
	const char *s = AR_SALAM " 12.5% " AR_ALAM;

	(void)state;
	visual(s, BIDI_RTL, 0, strlen(s), out, sizeof out);
	assert_string_equal(out, "<% " AR_ALAM "|12.5|<" AR_SALAM " ");
}

/* Rule L1: trailing white space takes the paragraph level; and a line
 * cut out of a paragraph is reordered on its own. */
static void test_line_of_paragraph(void **state)
{
	char out[256];
	const char *s = "abc " AR_SALAM " " AR_ALAM " def";
	size_t cut = strlen("abc " AR_SALAM " ");

	(void)state;
	/* Line 1 = "abc سلام " (trailing space at level 0, not inside the
	 * Arabic run). */
	visual(s, BIDI_LTR, 0, cut, out, sizeof out);
	assert_string_equal(out, "abc |<" AR_SALAM "| ");
	/* Line 2 = "عالم def". */
	visual(s, BIDI_LTR, cut, strlen(s), out, sizeof out);
	assert_string_equal(out, "<" AR_ALAM "| def");
}

static void test_brackets_and_mirror(void **state)
{
	char out[256];
	const char *s = AR_SALAM " (" AR_ALAM ")";

	(void)state;
	/* The brackets resolve to the RTL run around them (BD16). */
	visual(s, BIDI_RTL, 0, strlen(s), out, sizeof out);
	assert_string_equal(out, "<" AR_SALAM " (" AR_ALAM ")");
	assert_int_equal(bidi_mirror('('), ')');
	assert_int_equal(bidi_mirror(')'), '(');
	assert_int_equal(bidi_mirror('<'), '>');
	assert_int_equal(bidi_mirror(0x00AB), 0x00BB); /* « » */
	assert_int_equal(bidi_mirror('a'), 'a');
}

static void test_bad_ranges(void **state)
{
	struct bidi_para p;
	struct bidi_run *r = (void *)1;
	size_t n = 7;
	struct diag err;
	const char *s = "a" AR_SALAM;

	(void)state;
	assert_int_equal(bidi_analyse(s, strlen(s), BIDI_LTR, &p, &err),
			 BRIEF_OK);
	/* Inside the two-byte sin, and past the end. */
	assert_int_equal(bidi_line_runs(&p, 2, strlen(s), &r, &n, &err),
			 BRIEF_EINTERNAL);
	assert_null(r);
	assert_int_equal(n, 0);
	assert_non_null(strstr(err.msg, "internal error"));
	assert_int_equal(bidi_line_runs(&p, 0, strlen(s) + 1, &r, &n, &err),
			 BRIEF_EINTERNAL);
	/* Empty line: no runs. */
	assert_int_equal(bidi_line_runs(&p, 1, 1, &r, &n, &err), BRIEF_OK);
	assert_int_equal(n, 0);
	assert_null(r);
	bidi_para_free(&p);
	bidi_para_free(NULL);
}

static void test_invalid_utf8(void **state)
{
	struct bidi_para p;
	struct bidi_run *r;
	size_t n;
	struct diag err;
	const char s[] = "a\xFF\xC3" AR_SALAM;

	(void)state;
	assert_int_equal(bidi_analyse(s, sizeof s - 1, BIDI_AUTO_LTR, &p, &err),
			 BRIEF_OK);
	assert_int_equal(bidi_line_runs(&p, 0, sizeof s - 1, &r, &n, &err),
			 BRIEF_OK);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].start, 0);
	assert_int_equal(r[1].level, 1);
	free(r);
	bidi_para_free(&p);
}

static void test_language_direction(void **state)
{
	(void)state;
	assert_true(bidi_language_rtl("ar"));
	assert_true(bidi_language_rtl("he"));
	assert_true(bidi_language_rtl("fa-IR"));
	assert_true(bidi_language_rtl("ur"));
	assert_true(bidi_language_rtl("az-Arab"));
	assert_false(bidi_language_rtl("ur-Latn"));
	assert_false(bidi_language_rtl("fr"));
	assert_false(bidi_language_rtl("en-GB"));
	assert_false(bidi_language_rtl(""));
	assert_false(bidi_language_rtl(NULL));
	assert_true(bidi_has_rtl("x " HE_SHALOM, strlen("x " HE_SHALOM)));
	assert_false(bidi_has_rtl("caf\xC3\xA9", 5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ltr_fast_path),
		cmocka_unit_test(test_base_direction),
		cmocka_unit_test(test_mixed_line_order),
		cmocka_unit_test(test_rtl_inside_ltr),
		cmocka_unit_test(test_numbers_in_rtl),
		cmocka_unit_test(test_line_of_paragraph),
		cmocka_unit_test(test_brackets_and_mirror),
		cmocka_unit_test(test_bad_ranges),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_language_direction),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
