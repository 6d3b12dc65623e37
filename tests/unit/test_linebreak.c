/* test_linebreak.c — the one line breaker: fill, justification, alignment,
 * long words and URLs, hard breaks, styled runs, measuring. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "linebreak.h"

static struct fontset *fs;

/* cmocka's assert_float_equal takes floats; compare doubles here. */
#define assert_near(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

static int setup(void **state)
{
	struct diag err = {0};

	(void)state;
	return fontset_open("fonts", &fs, &err) == BRIEF_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	fontset_free(fs);
	return 0;
}

static struct doc_run run(const char *text, unsigned style)
{
	struct doc_run r = {.text = (char *)text, .style = style};

	return r;
}

/* The text of a line: fragments joined, a space before word starts. */
static char *line_text(const struct lb_para *p, size_t li)
{
	const struct lb_line *ln = &p->lines[li];
	size_t cap = 2, len = 0;
	char *s;

	for (size_t i = ln->first; i < ln->first + ln->n; i++)
		cap += p->frags[i].len + 1;
	s = malloc(cap);
	assert_non_null(s);
	for (size_t i = ln->first; i < ln->first + ln->n; i++) {
		if (p->frags[i].word_start)
			s[len++] = ' ';
		memcpy(s + len, p->frags[i].s, p->frags[i].len);
		len += p->frags[i].len;
	}
	s[len] = '\0';
	return s;
}

/* All lines joined with `sep` between lines. */
static char *all_text(const struct lb_para *p, const char *sep)
{
	size_t cap = 1, len = 0;
	char *s;

	for (size_t i = 0; i < p->nfrags; i++)
		cap += p->frags[i].len + 1 + strlen(sep);
	s = calloc(cap + p->nlines * strlen(sep), 1);
	assert_non_null(s);
	for (size_t li = 0; li < p->nlines; li++) {
		char *t = line_text(p, li);

		if (li) {
			strcpy(s + len, sep);
			len += strlen(sep);
		}
		strcpy(s + len, t);
		len += strlen(t);
		free(t);
	}
	return s;
}

static void check_within(const struct lb_para *p, double width)
{
	for (size_t li = 0; li < p->nlines; li++) {
		const struct lb_line *ln = &p->lines[li];
		const struct lb_frag *last = &p->frags[ln->first + ln->n - 1];

		assert_true(ln->n > 0);
		assert_true(ln->width <= width + 0.01);
		assert_true(last->x + last->w <= width + 0.01);
		assert_true(p->frags[ln->first].x >= -0.001);
	}
}

static const char *const PARA =
	"In September 2023 more than 100,000 people left Nagorno-Karabakh for "
	"Armenia within a week, according to the Armenian government and "
	"UNHCR. The Azerbaijani government said that the residents were free "
	"to stay and that their rights would be protected. Humanitarian "
	"agencies reported shortages of food, fuel and medicine in the months "
	"before the exodus, when the Lachin corridor was blocked.";

static void test_fill_keeps_words_and_width(void **state)
{
	struct doc_run r = run(PARA, 0);
	struct lb_opts o = {.width = 200, .size = 10, .style = 0, .align = LB_LEFT};
	struct lb_para p;
	char *joined;

	(void)state;
	assert_int_equal(linebreak(fs, &r, 1, &o, &p, NULL), BRIEF_OK);
	assert_true(p.nlines >= 8);
	check_within(&p, 200);
	joined = all_text(&p, " ");
	assert_string_equal(joined, PARA);
	free(joined);
	/* Greedy: the first word of each next line would not have fit. */
	for (size_t li = 0; li + 1 < p.nlines; li++) {
		const struct lb_frag *next = &p.frags[p.lines[li + 1].first];

		assert_true(p.lines[li].width +
				    fontset_text_width(fs, FONT_REGULAR, " ", 1,
						       10) +
				    next->w >
			    200);
	}
	lb_para_free(&p);
}

static void test_justify(void **state)
{
	struct doc_run r = run(PARA, 0);
	struct lb_opts o = {.width = 250, .size = 10, .style = 0, .align = LB_JUSTIFY};
	struct lb_para p;

	(void)state;
	assert_int_equal(linebreak(fs, &r, 1, &o, &p, NULL), BRIEF_OK);
	check_within(&p, 250);
	for (size_t li = 0; li < p.nlines; li++) {
		const struct lb_line *ln = &p.lines[li];
		const struct lb_frag *last = &p.frags[ln->first + ln->n - 1];

		if (li + 1 < p.nlines)
			assert_near(last->x + last->w, 250, 0.01);
		else /* the last line stays ragged */
			assert_near(last->x + last->w, ln->width, 0.01);
	}
	lb_para_free(&p);
}

static void test_right_and_center(void **state)
{
	struct doc_run r = run("12,345", 0);
	struct lb_opts o = {.width = 100, .size = 9, .style = 0, .align = LB_RIGHT};
	struct lb_para p;
	double w = fontset_text_width(fs, FONT_REGULAR, "12,345", 6, 9);

	(void)state;
	assert_int_equal(linebreak(fs, &r, 1, &o, &p, NULL), BRIEF_OK);
	assert_int_equal(p.nlines, 1);
	assert_near(p.frags[0].x, 100 - w, 0.001);
	lb_para_free(&p);
	o.align = LB_CENTER;
	assert_int_equal(linebreak(fs, &r, 1, &o, &p, NULL), BRIEF_OK);
	assert_near(p.frags[0].x, (100 - w) / 2, 0.001);
	lb_para_free(&p);
}

/* Starts at a character and ends before one (s points into a string). */
static int valid_utf8(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	return len > 0 && (u[0] & 0xC0) != 0x80 && (u[len] & 0xC0) != 0x80;
}

static void test_long_word_utf8(void **state)
{
	char word[1 + 2 * 120];
	struct doc_run r;
	struct lb_opts o = {.width = 120, .size = 10, .style = 0, .align = LB_JUSTIFY};
	struct lb_para p;
	char *joined;

	(void)state;
	for (int i = 0; i < 120; i++)
		memcpy(word + 2 * i, "\xC9\x99", 2); /* ə */
	word[240] = '\0';
	r = run(word, 0);
	assert_int_equal(linebreak(fs, &r, 1, &o, &p, NULL), BRIEF_OK);
	assert_true(p.nlines > 3);
	check_within(&p, 120);
	for (size_t i = 0; i < p.nfrags; i++) {
		assert_true(valid_utf8(p.frags[i].s, p.frags[i].len));
		assert_int_equal(p.frags[i].len % 2, 0);
		assert_int_equal((unsigned char)p.frags[i].s[0], 0xC9);
	}
	joined = all_text(&p, "");
	assert_string_equal(joined, word);
	free(joined);
	lb_para_free(&p);
}

static void test_url_breaks_after_slash(void **state)
{
	static const char url[] =
		"https://www.example.org/reports/2023/nagorno-karabakh/"
		"displacement-situation-overview-number-twelve.pdf";
	struct doc_run r[3] = {run("See ", 0), run(url, 0), run(" now.", 0)};
	struct lb_opts o = {.width = 150, .size = 10, .style = 0, .align = LB_JUSTIFY};
	struct lb_para p;
	char *joined;

	(void)state;
	r[1].link = LINK_URI;
	r[1].uri = (char *)url;
	assert_int_equal(linebreak(fs, r, 3, &o, &p, NULL), BRIEF_OK);
	check_within(&p, 150);
	joined = all_text(&p, "");
	assert_string_equal(joined,
			    "See https://www.example.org/reports/2023/"
			    "nagorno-karabakh/displacement-situation-overview-"
			    "number-twelve.pdf now.");
	free(joined);
	/* Every line but the last ends at a URL break character. */
	for (size_t li = 0; li + 1 < p.nlines; li++) {
		const struct lb_line *ln = &p.lines[li];
		const struct lb_frag *f = &p.frags[ln->first + ln->n - 1];

		assert_non_null(strchr("/-.", f->s[f->len - 1]));
	}
	lb_para_free(&p);
}

static void test_hard_break(void **state)
{
	struct doc_run r[3] = {run("first line", 0), run("\n", 0),
			       run("second", 0)};
	struct lb_opts o = {.width = 400, .size = 10, .style = 0, .align = LB_JUSTIFY};
	struct lb_para p;
	char *t;

	(void)state;
	assert_int_equal(linebreak(fs, r, 3, &o, &p, NULL), BRIEF_OK);
	assert_int_equal(p.nlines, 2);
	t = line_text(&p, 0);
	assert_string_equal(t, "first line");
	free(t);
	/* A line ended by a hard break is not stretched. */
	assert_near(p.frags[1].x + p.frags[1].w, p.lines[0].width,
			   0.001);
	lb_para_free(&p);
}

static void test_styled_runs(void **state)
{
	struct doc_run r[3] = {run("plain bo", 0), run("ld", RUN_BOLD),
			       run(", then italic", RUN_ITALIC)};
	struct lb_opts o = {.width = 400, .size = 10, .style = 0, .align = LB_LEFT};
	struct lb_para p;

	(void)state;
	assert_int_equal(linebreak(fs, r, 3, &o, &p, NULL), BRIEF_OK);
	assert_int_equal(p.nlines, 1);
	/* plain | bo ld, | then | italic: "bold," spans three runs */
	assert_int_equal(p.nfrags, 6);
	assert_int_equal(p.frags[1].style, FONT_REGULAR);
	assert_int_equal(p.frags[2].style, FONT_BOLD);
	assert_false(p.frags[2].word_start);
	assert_int_equal(p.frags[3].style, FONT_ITALIC);
	assert_near(p.frags[2].x, p.frags[1].x + p.frags[1].w, 0.001);
	assert_near(p.frags[2].w,
			   fontset_text_width(fs, FONT_BOLD, "ld", 2, 10),
			   0.001);
	/* base style adds bold to everything */
	lb_para_free(&p);
	o.style = RUN_BOLD;
	assert_int_equal(linebreak(fs, r, 3, &o, &p, NULL), BRIEF_OK);
	assert_int_equal(p.frags[0].style, FONT_BOLD);
	assert_int_equal(p.frags[3].style, FONT_BOLD_ITALIC);
	lb_para_free(&p);
}

static void test_armenian_width(void **state)
{
	static const char s[] = "Ստեփանակերտ Xankəndi Şuşa Степанакерт";
	struct doc_run r = run(s, 0);
	struct lb_opts o = {.width = 1000, .size = 10, .style = 0, .align = LB_LEFT};
	struct lb_para p;

	(void)state;
	assert_int_equal(linebreak(fs, &r, 1, &o, &p, NULL), BRIEF_OK);
	assert_int_equal(p.nlines, 1);
	assert_near(p.lines[0].width,
			   fontset_text_width(fs, FONT_REGULAR, s, strlen(s),
					      10),
			   0.01);
	lb_para_free(&p);
}

static void test_empty_and_measure(void **state)
{
	struct doc_run r = run("   ", 0);
	struct doc_run m[2] = {run("short verylongword", 0), run("\n", 0)};
	struct lb_opts o = {.width = 100, .size = 10, .style = 0, .align = LB_LEFT};
	struct lb_para p;
	double mn, mx;

	(void)state;
	assert_int_equal(linebreak(fs, &r, 1, &o, &p, NULL), BRIEF_OK);
	assert_int_equal(p.nlines, 0);
	lb_para_free(&p);
	lb_measure(fs, m, 2, 10, 0, NULL, &mn, &mx);
	assert_near(mn,
			   fontset_text_width(fs, FONT_REGULAR, "verylongword",
					      12, 10),
			   0.001);
	assert_near(mx,
			   fontset_text_width(fs, FONT_REGULAR,
					      "short verylongword", 18, 10),
			   0.001);
}

/* Each line drawn (lb_shape_line) is exactly as wide as it was measured,
 * the hyphen at a hyphenation point included. */
static void check_drawn_widths(const struct lb_para *p, double size)
{
	for (size_t li = 0; li < p->nlines; li++) {
		struct shape_line sl;

		assert_int_equal(lb_shape_line(fs, p, li, &sl, NULL), BRIEF_OK);
		if (fabs(sl.width_em * size - p->lines[li].width) > 1e-9)
			print_message("# line %zu drawn %.6f measured %.6f\n", li,
				      sl.width_em * size, p->lines[li].width);
		assert_near(sl.width_em * size, p->lines[li].width, 1e-9);
		shape_line_free(&sl);
	}
}

/* A style change inside a word (spans cutting words), left to right and
 * right to left: one word for breaking, its pieces shaped in their own
 * faces, the drawn line as wide as measured; the paragraph's text has
 * one space between words and a span per run. */
static void test_spans_cut_words(void **state)
{
	struct doc_run ltr[] = {run("Before **Kara", 0), run("bakh", RUN_BOLD),
				run("** after AVATAR", 0)};
	/* "السلام" with its middle in bold: the letters still join */
	struct doc_run rtl[] = {run("كلمة ال", 0), run("سل", RUN_BOLD),
				run("ام عليكم", 0)};
	struct lb_opts o = {.width = 400, .size = 10, .align = LB_LEFT};
	struct lb_para p;
	struct shape_line sl;

	(void)state;
	assert_int_equal(linebreak(fs, ltr, 3, &o, &p, NULL), BRIEF_OK);
	assert_int_equal(p.nlines, 1);
	assert_string_equal(p.text, "Before **Karabakh** after AVATAR");
	assert_int_equal(p.nspans, 3);
	assert_int_equal(p.spans[1].start, 13);
	assert_int_equal(p.spans[1].len, 4);
	check_drawn_widths(&p, 10);
	/* kerned: narrower than the characters' own advances */
	assert_true(p.lines[0].width <
		    fontset_advance_width(fs, FONT_REGULAR, "Before **Kara", 13,
					  10) +
			    fontset_advance_width(fs, FONT_BOLD, "bakh", 4, 10) +
			    fontset_advance_width(fs, FONT_REGULAR,
						  "** after AVATAR", 15, 10));
	lb_para_free(&p);

	o.rtl = true;
	assert_int_equal(linebreak(fs, rtl, 3, &o, &p, NULL), BRIEF_OK);
	assert_int_equal(p.nlines, 1);
	assert_true(p.bidi.rtl);
	check_drawn_widths(&p, 10);
	/* right-aligned: the line starts where the width ends */
	assert_near(p.lines[0].shift + p.lines[0].width, 400, 1e-6);
	assert_int_equal(lb_shape_line(fs, &p, 0, &sl, NULL), BRIEF_OK);
	assert_true(sl.rtl);
	/* visual order: the last word ("عليكم") leftmost, the bold piece a
	 * run of its own between the two regular ones of its word */
	assert_true(sl.nruns >= 3);
	assert_int_equal(sl.runs[0].tag, 2);
	assert_int_equal(sl.runs[sl.nruns - 1].tag, 0);
	shape_line_free(&sl);
	lb_para_free(&p);
}

/* Justified French is hyphenated at its dictionary's points when a word
 * would leave the line loose; the line then ends with a hyphen, drawn
 * and measured alike. Ragged text is not hyphenated. */
static void test_hyphenation(void **state)
{
	struct doc_run r = run("Les organisations internationales documentent "
			       "soigneusement les déplacements extraordinairement "
			       "nombreux des populations civiles.", 0);
	struct lb_opts o = {.width = 150, .size = 10, .align = LB_JUSTIFY,
			    .lang = "fr"};
	struct lb_para p;
	size_t hyph = 0;

	(void)state;
	assert_int_equal(hyphen_new(NULL, &o.hy, NULL), BRIEF_OK);
	if (!hyphen_dictionary(o.hy, "fr")) {
		hyphen_free(o.hy);
		skip(); /* hyphen-fr is not installed */
	}
	assert_int_equal(linebreak(fs, &r, 1, &o, &p, NULL), BRIEF_OK);
	for (size_t li = 0; li < p.nlines; li++) {
		struct shape_line sl;

		if (!p.lines[li].hyphen)
			continue;
		hyph++;
		assert_int_equal(lb_shape_line(fs, &p, li, &sl, NULL), BRIEF_OK);
		assert_int_equal(sl.text[sl.len - 1], '-');
		shape_line_free(&sl);
	}
	assert_true(hyph > 0);
	check_drawn_widths(&p, 10);
	check_within(&p, 150);
	lb_para_free(&p);
	o.align = LB_LEFT;
	assert_int_equal(linebreak(fs, &r, 1, &o, &p, NULL), BRIEF_OK);
	for (size_t li = 0; li < p.nlines; li++)
		assert_false(p.lines[li].hyphen);
	lb_para_free(&p);
	hyphen_free(o.hy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill_keeps_words_and_width),
		cmocka_unit_test(test_justify),
		cmocka_unit_test(test_right_and_center),
		cmocka_unit_test(test_long_word_utf8),
		cmocka_unit_test(test_url_breaks_after_slash),
		cmocka_unit_test(test_hard_break),
		cmocka_unit_test(test_styled_runs),
		cmocka_unit_test(test_armenian_width),
		cmocka_unit_test(test_empty_and_measure),
		cmocka_unit_test(test_spans_cut_words),
		cmocka_unit_test(test_hyphenation),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
