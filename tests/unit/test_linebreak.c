/* test_linebreak.c — the one line breaker: fill, justification, alignment,
 * long words and URLs, hard breaks, styled runs, measuring, Unicode break
 * opportunities inside words, the runs' languages. */
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

/* s with '|' where lb_breaks finds an opportunity. */
static char *marked(const char *s)
{
	size_t n = strlen(s), k = 0;
	char *at = malloc(n + 1), *out = malloc(2 * n + 1);

	assert_non_null(at);
	assert_non_null(out);
	lb_breaks(s, n, at);
	for (size_t i = 0; i < n; i++) {
		if (at[i] == LB_BREAK)
			out[k++] = '|';
		out[k++] = s[i];
	}
	out[k] = '\0';
	free(at);
	return out;
}

#define assert_breaks(s, want)                                             \
	do {                                                               \
		char *m_ = marked(s);                                      \
		assert_string_equal(m_, want);                             \
		free(m_);                                                  \
	} while (0)

#define NBSP "\xC2\xA0"
#define NNBSP "\xE2\x80\xAF"
#define EM_DASH "\xE2\x80\x94"
#define EN_DASH "\xE2\x80\x93"

/* The break opportunities inside words: UAX #14 with brief's
 * tailorings (linebreak.h). */
static void test_break_opportunities(void **state)
{
	char at[16];

	(void)state;
	/* hyphenated compounds break after the hyphen, not before a digit */
	assert_breaks("Nagorno-Karabakh", "Nagorno-|Karabakh");
	assert_breaks("bilan-1", "bilan-1");
	assert_breaks("Arménie" EN_DASH "Azerbaïdjan",
		      "Arménie" EN_DASH "|Azerbaïdjan");
	assert_breaks("1991" EN_DASH "1994", "1991" EN_DASH "1994");
	/* French punctuation and numbers behind a no-break space */
	assert_breaks("partis" NBSP "!", "partis" NBSP "!");
	assert_breaks("quoi" NNBSP "?", "quoi" NNBSP "?");
	assert_breaks("dit" NBSP ":", "dit" NBSP ":");
	assert_breaks("«" NBSP "mot" NBSP "»", "«" NBSP "mot" NBSP "»");
	assert_breaks("12" NNBSP "000", "12" NNBSP "000");
	/* an em dash breaks on both sides */
	assert_breaks("guerre" EM_DASH "la", "guerre|" EM_DASH "|la");
	/* URLs: after '/', not inside a host name or before a digit */
	assert_breaks("https://www.example.org/reports/2023/x.pdf",
		      "https://|www.example.org/|reports/2023/|x.pdf");
	assert_breaks("e.g.,x;y:z", "e.g.,x;y:z");
	/* CJK between characters, never before 、 or 。 */
	assert_breaks("日本語の文章、です。", "日|本|語|の|文|章、|で|す。");
	/* Thai between grapheme clusters: a tone mark stays on its letter */
	assert_breaks("ก่า", "ก่|า");
	/* a combining accent is no cluster boundary */
	lb_breaks("e\xCC\x81x", 4, at);
	assert_int_equal(at[0], LB_NO_BREAK);
	assert_int_equal(at[1], LB_NO_BREAK);
	assert_int_equal(at[2], LB_NO_BREAK);
	assert_int_equal(at[3], LB_CLUSTER_BREAK);
	/* two flags, each a pair of regional indicators: no boundary
	 * inside a flag (a pair's context, not the two code points alone) */
	assert_true(lb_breaks("\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7"
			      "\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA",
			      16, at));
	assert_int_equal(at[4], LB_NO_BREAK);
	assert_int_equal(at[12], LB_NO_BREAK);
	assert_int_not_equal(at[8], LB_NO_BREAK);
}

/* The text of line li of p as the paragraph has it. */
static char *line_chars(const struct lb_para *p, size_t li)
{
	const struct lb_line *ln = &p->lines[li];
	char *s = malloc(ln->end - ln->start + 1);

	assert_non_null(s);
	memcpy(s, p->text + ln->start, ln->end - ln->start);
	s[ln->end - ln->start] = '\0';
	return s;
}

static void assert_line(const struct lb_para *p, size_t li, const char *want)
{
	char *s = line_chars(p, li);

	assert_string_equal(s, want);
	free(s);
}

/* A hyphenated compound that does not fit the line breaks after its
 * hyphen, in ragged and justified text alike, also when the hyphen and
 * the letters before it are in different styles; the lines are drawn as
 * wide as measured. */
static void test_break_after_hyphen(void **state)
{
	static const char head[] = "The region of Nagorno-";
	struct doc_run r = run("The region of Nagorno-Karabakh was", 0);
	struct doc_run styled[] = {run("The region of ", 0),
				   run("Nagorno", RUN_BOLD),
				   run("-Karabakh was", 0)};
	double w = fontset_text_width(fs, FONT_REGULAR, head, strlen(head), 10);
	struct lb_opts o = {.width = w + 2, .size = 10, .align = LB_LEFT};
	struct lb_para p;
	const struct lb_frag *f;

	(void)state;
	assert_int_equal(linebreak(fs, &r, 1, &o, &p, NULL), BRIEF_OK);
	assert_int_equal(p.nlines, 2);
	assert_line(&p, 0, head);
	assert_line(&p, 1, "Karabakh was");
	assert_false(p.lines[0].hyphen); /* its own hyphen: none added */
	f = &p.frags[p.lines[1].first];
	assert_false(f->word_start);
	check_within(&p, o.width);
	check_drawn_widths(&p, 10);
	lb_para_free(&p);

	o.align = LB_JUSTIFY;
	assert_int_equal(linebreak(fs, &r, 1, &o, &p, NULL), BRIEF_OK);
	assert_line(&p, 0, head);
	lb_para_free(&p);

	o.align = LB_LEFT;
	o.width = fontset_text_width(fs, FONT_REGULAR, "The region of ", 14,
				     10) +
		  fontset_text_width(fs, FONT_BOLD, "Nagorno", 7, 10) +
		  fontset_text_width(fs, FONT_REGULAR, "-", 1, 10) + 2;
	assert_int_equal(linebreak(fs, styled, 3, &o, &p, NULL), BRIEF_OK);
	assert_int_equal(p.nlines, 2);
	assert_line(&p, 0, head);
	assert_line(&p, 1, "Karabakh was");
	check_within(&p, o.width);
	check_drawn_widths(&p, 10);
	lb_para_free(&p);

	/* A URL that fits a line of its own goes there whole. */
	r = run("The region of https://ex.org/nk", 0);
	assert_int_equal(linebreak(fs, &r, 1, &o, &p, NULL), BRIEF_OK);
	assert_line(&p, 0, "The region of");
	assert_line(&p, 1, "https://ex.org/nk");
	lb_para_free(&p);

	/* Without a hyphen the word moves to the next line whole. */
	r = run("The region of NagornoKarabakh was", 0);
	assert_int_equal(linebreak(fs, &r, 1, &o, &p, NULL), BRIEF_OK);
	assert_line(&p, 0, "The region of");
	lb_para_free(&p);
}

/* French punctuation behind a no-break space never starts a line, an em
 * dash between words lets them part, and a number with a thin no-break
 * space stays whole. */
static void test_french_and_dashes(void **state)
{
	struct doc_run r = run("Ils sont partis" NBSP "! Vraiment" NNBSP "? "
			       "Plus de 12" NNBSP "000 personnes" NBSP ": "
			       "la guerre" EM_DASH "la paix.", 0);
	struct lb_opts o = {.width = 10, .size = 10, .align = LB_LEFT};
	struct lb_para p;

	(void)state;
	for (double w = 40; w <= 200; w += 7) {
		o.width = w;
		assert_int_equal(linebreak(fs, &r, 1, &o, &p, NULL), BRIEF_OK);
		for (size_t li = 0; li < p.nlines; li++) {
			char *s = line_chars(&p, li);
			size_t n = strlen(s);

			assert_true(s[0] != '!' && s[0] != '?' && s[0] != ':');
			assert_true(strncmp(s, "000", 3) != 0);
			assert_false(n >= 2 && strcmp(s + n - 2, NBSP) == 0);
			assert_false(n >= 3 && strcmp(s + n - 3, NNBSP) == 0);
			free(s);
		}
		check_drawn_widths(&p, 10);
		lb_para_free(&p);
	}
	/* where "guerre—la" does not fit, it breaks after the dash */
	o.width = fontset_text_width(fs, FONT_REGULAR, "la guerre" EM_DASH,
				     strlen("la guerre" EM_DASH), 10) + 1;
	r = run("la guerre" EM_DASH "la paix", 0);
	assert_int_equal(linebreak(fs, &r, 1, &o, &p, NULL), BRIEF_OK);
	assert_line(&p, 0, "la guerre" EM_DASH);
	assert_line(&p, 1, "la paix");
	lb_para_free(&p);
}

/* Plain spaces before closing punctuation and inside French guillemets
 * are no break opportunities (UAX #14's LB13, French usage); a word with
 * its punctuation that does not fit moves together. */
static void test_glued_punctuation(void **state)
{
	struct doc_run r = run("Ils sont partis ! Vraiment ? Le bilan : "
			       "« quelques milliers » (selon eux) ; voilà.",
			       0);
	struct lb_opts o = {.width = 10, .size = 10, .align = LB_LEFT};
	struct lb_para p;
	double mn, mx;

	(void)state;
	strcpy(r.lang, "fr");
	/* from the widest chain, "« quelques", up */
	for (double w = fontset_text_width(fs, FONT_REGULAR, "« quelques",
					   strlen("« quelques"), 10);
	     w <= 250; w += 3) {
		o.width = w;
		assert_int_equal(linebreak(fs, &r, 1, &o, &p, NULL), BRIEF_OK);
		check_within(&p, w);
		for (size_t li = 0; li < p.nlines; li++) {
			char *s = line_chars(&p, li);
			size_t n = strlen(s);

			assert_null(strchr("!?:;).", s[0]));
			assert_true(strncmp(s, "»", 2) != 0);
			assert_false(n >= 2 && strcmp(s + n - 2, "«") == 0);
			free(s);
		}
		lb_para_free(&p);
	}
	/* A table column is never narrower than a word and its "!". */
	assert_int_equal(lb_measure(fs, &r, 1, 10, 0, NULL, &mn, &mx),
			 BRIEF_OK);
	assert_true(mn >= fontset_text_width(fs, FONT_REGULAR, "partis !", 8,
					     10) - 1e-9);
	/* English guillemets-free text: a space before "(" still breaks */
	r = run("one two three four (five)", 0);
	o.width = fontset_text_width(fs, FONT_REGULAR, "one two three four (",
				     20, 10);
	assert_int_equal(linebreak(fs, &r, 1, &o, &p, NULL), BRIEF_OK);
	assert_line(&p, 0, "one two three four");
	lb_para_free(&p);
}

/* Text without spaces (Japanese) fills its lines, breaking between
 * characters but never before 、 or 。. */
static void test_cjk_lines(void **state)
{
	static const char ja[] =
		"日本語の文章は単語の間に空白を入れずに書かれ、行は文字と文字の"
		"間で折り返される。句読点は行頭に来ない。";
	struct doc_run r = run(ja, 0);
	struct lb_opts o = {.width = 10, .size = 10, .align = LB_LEFT};
	struct lb_para p;
	char *joined;
	/* fonts/ has no CJK face: each is drawn as U+FFFD, all as wide */
	double cw = fontset_text_width(fs, FONT_REGULAR, "日", 3, 10);

	(void)state;
	for (double w = 2.5 * cw; w <= 12 * cw; w += 0.7 * cw) {
		o.width = w;
		assert_int_equal(linebreak(fs, &r, 1, &o, &p, NULL), BRIEF_OK);
		assert_true(p.nlines > 1);
		check_within(&p, w);
		for (size_t li = 1; li < p.nlines; li++) {
			char *s = line_chars(&p, li);

			assert_true(strncmp(s, "、", 3) != 0);
			assert_true(strncmp(s, "。", 3) != 0);
			free(s);
		}
		joined = all_text(&p, "");
		assert_string_equal(joined, ja);
		free(joined);
		lb_para_free(&p);
	}
}

/* The glyphs of line 0 of runs broken with o, and how many. */
static size_t line_gids(const struct doc_run *r, size_t n,
			const struct lb_opts *o, uint32_t *gid, size_t max)
{
	struct lb_para p;
	struct shape_line sl;
	size_t k;

	assert_int_equal(linebreak(fs, r, n, o, &p, NULL), BRIEF_OK);
	assert_int_equal(lb_shape_line(fs, &p, 0, &sl, NULL), BRIEF_OK);
	for (k = 0; k < sl.nglyphs && k < max; k++)
		gid[k] = sl.glyphs[k].gid;
	check_drawn_widths(&p, o->size);
	shape_line_free(&sl);
	lb_para_free(&p);
	return k;
}

/* Runs are shaped in their language, a span's own over the paragraph's:
 * Noto Sans Italic has Serbian forms of б г д п т (OpenType locl), and
 * Noto Sans Romanian ș for ş. The paragraph's spans carry it. */
static void test_run_language(void **state)
{
	struct doc_run cy = run("бгдпт", 0);
	struct doc_run ro = run("Timişoara", 0);
	struct lb_opts o = {.width = 400, .size = 10, .style = RUN_ITALIC,
			    .align = LB_LEFT};
	uint32_t none[16], sr[16], span[16];
	size_t n, differ = 0;
	struct lb_para p;

	(void)state;
	n = line_gids(&cy, 1, &o, none, 16);
	o.lang = "sr";
	assert_int_equal(line_gids(&cy, 1, &o, sr, 16), n);
	for (size_t i = 0; i < n; i++)
		differ += none[i] != sr[i];
	assert_int_equal(differ, n); /* all five take their Serbian form */
	/* a span marked Serbian in an English paragraph */
	o.lang = "en";
	strcpy(cy.lang, "sr");
	assert_int_equal(line_gids(&cy, 1, &o, span, 16), n);
	assert_memory_equal(span, sr, n * sizeof *sr);
	assert_int_equal(linebreak(fs, &cy, 1, &o, &p, NULL), BRIEF_OK);
	assert_string_equal(p.spans[0].lang, "sr");
	lb_para_free(&p);
	/* English has no forms of its own: the same glyphs as none */
	cy.lang[0] = '\0';
	assert_int_equal(line_gids(&cy, 1, &o, span, 16), n);
	assert_memory_equal(span, none, n * sizeof *none);

	o.style = 0;
	o.lang = NULL;
	n = line_gids(&ro, 1, &o, none, 16);
	o.lang = "ro";
	assert_int_equal(line_gids(&ro, 1, &o, sr, 16), n);
	assert_int_not_equal(none[4], sr[4]); /* ş */
	assert_int_equal(none[3], sr[3]);
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
		cmocka_unit_test(test_break_opportunities),
		cmocka_unit_test(test_break_after_hyphen),
		cmocka_unit_test(test_french_and_dashes),
		cmocka_unit_test(test_glued_punctuation),
		cmocka_unit_test(test_cjk_lines),
		cmocka_unit_test(test_run_language),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
