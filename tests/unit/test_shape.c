/* test_shape.c — HarfBuzz shaping: kerning measured against HarfBuzz and
 * unkerned advances, ligatures, Arabic joining, marks, itemisation by
 * face, script and bidi level, the width cache, missing characters, the
 * language (locl forms). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <hb-ot.h>
#include <hb.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bidi.h"
#include "fontset.h"
#include "shape.h"
#include "text_fonts.h"

struct fx {
	char dir[64];
	struct fontset *fs;
	struct shaper *sh;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct diag err;

	if (!f || text_fonts_make(f->dir) != 0)
		return -1;
	if (fontset_open(f->dir, &f->fs, &err) != BRIEF_OK ||
	    shaper_new(f->fs, &f->sh, &err) != BRIEF_OK) {
		diag_print(stderr, &err, DIAG_ERROR);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	shaper_free(f->sh);
	fontset_free(f->fs);
	text_fonts_remove(f->dir);
	free(f);
	return 0;
}

#define AR_SALAM "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85"  /* سلام */
#define AR_ALAM "\xD8\xB9\xD8\xA7\xD9\x84\xD9\x85"   /* عالم */
#define AR_LA "\xD9\x84\xD8\xA7"                     /* لا */
#define AR_SIN "\xD8\xB3"                            /* س */
#define AR_BA_FATHA "\xD8\xA8\xD9\x8E"               /* بَ */
#define HE_SHALOM "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D" /* שלום */

/* HarfBuzz's own advance sum for s in the face at path, in em. */
static double hb_em(const char *path, const char *s, bool kern)
{
	hb_blob_t *blob = hb_blob_create_from_file(path);
	hb_face_t *face = hb_face_create(blob, 0);
	hb_font_t *font = hb_font_create(face);
	hb_buffer_t *b = hb_buffer_create();
	hb_feature_t nokern;
	unsigned n, upem = hb_face_get_upem(face);
	hb_glyph_position_t *pos;
	double sum = 0;

	hb_font_set_scale(font, (int)upem, (int)upem);
	hb_buffer_add_utf8(b, s, -1, 0, -1);
	hb_buffer_guess_segment_properties(b);
	assert_true(hb_feature_from_string("-kern", -1, &nokern));
	hb_shape(font, b, kern ? NULL : &nokern, kern ? 0 : 1);
	pos = hb_buffer_get_glyph_positions(b, &n);
	for (unsigned i = 0; i < n; i++)
		sum += pos[i].x_advance;
	hb_buffer_destroy(b);
	hb_font_destroy(font);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	return sum / upem;
}

/* Kerning measured: the shaped width is HarfBuzz's advance sum, and
 * "AVATAR" is narrower than its unkerned advances (HarfBuzz without kern,
 * and the fontset's unkerned width function). */
static void test_kerning_avatar(void **state)
{
	struct fx *f = *state;
	const char *path = fontset_face_path(f->fs, FONT_REGULAR);
	double w = shape_text_width(f->sh, FONT_REGULAR, "en", "AVATAR", 6, 12);
	double kerned = hb_em(path, "AVATAR", true) * 12;
	double unkerned = hb_em(path, "AVATAR", false) * 12;
	double plain = fontset_advance_width(f->fs, FONT_REGULAR, "AVATAR", 6, 12);

	assert_true(fabs(w - kerned) < 1e-9);
	assert_true(fabs(unkerned - plain) < 1e-9);
	assert_true(w < unkerned - 0.5); /* Noto Sans: 2.64 pt at 12 pt */
	printf("# AVATAR at 12 pt: shaped %.3f pt, unkerned %.3f pt (%.3f pt "
	       "narrower)\n", w, unkerned, unkerned - w);
	/* No kerning pair: the same widths. */
	assert_true(fabs(shape_text_width(f->sh, FONT_REGULAR, "en", "mmm", 3,
					  10) -
			 fontset_advance_width(f->fs, FONT_REGULAR, "mmm", 3, 10)) <
		    1e-9);
}

/* Shape a whole string as one paragraph and line (regular, language). */
static void line_of(struct fx *f, const char *s, enum bidi_base base,
		    const char *lang, struct shape_line *ln)
{
	struct shape_span sp = {0, strlen(s), FONT_REGULAR, lang, 7};
	struct bidi_para bp;
	struct diag err;

	assert_int_equal(bidi_analyse(s, strlen(s), base, &bp, &err), BRIEF_OK);
	assert_int_equal(shape_line(f->sh, s, strlen(s), &sp, 1, &bp, 0,
				    strlen(s), false, ln, &err),
			 BRIEF_OK);
	bidi_para_free(&bp);
}

static uint32_t nominal(struct fx *f, int face, uint32_t cp)
{
	hb_font_t *font = hb_font_create(shaper_hb_face(f->sh, face));
	hb_codepoint_t g = 0;

	hb_font_get_nominal_glyph(font, cp, &g);
	hb_font_destroy(font);
	return g;
}

/* Lam-alef is one glyph (a required ligature); its text is both letters. */
static void test_arabic_ligature(void **state)
{
	struct fx *f = *state;
	struct shape_line ln;
	size_t st, len;

	line_of(f, AR_LA, BIDI_AUTO_RTL, "ar", &ln);
	assert_int_equal(ln.nruns, 1);
	assert_int_equal(ln.nglyphs, 1);
	assert_int_equal(ln.runs[0].level, 1);
	assert_non_null(strstr(fontset_face_path(f->fs, ln.runs[0].face),
			       "Arabic"));
	shape_glyph_text(&ln, &ln.runs[0], 0, &st, &len);
	assert_int_equal(st, 0);
	assert_int_equal(len, 4);
	shape_line_free(&ln);
}

/* Arabic joining: the letters of a word take contextual forms, not the
 * isolated glyphs of the characters; glyphs come right to left. */
static void test_arabic_joining(void **state)
{
	struct fx *f = *state;
	struct shape_line ln, one;
	int face;

	line_of(f, AR_SALAM, BIDI_AUTO_RTL, "ar", &ln);
	line_of(f, AR_SIN, BIDI_AUTO_RTL, "ar", &one);
	face = ln.runs[0].face;
	assert_int_equal(one.nglyphs, 1);
	assert_int_equal(one.glyphs[0].gid, nominal(f, face, 0x633));
	/* Visual order: sin (initial form) is the rightmost glyph. */
	assert_int_equal(ln.glyphs[ln.nglyphs - 1].cluster, 0);
	assert_int_not_equal(ln.glyphs[ln.nglyphs - 1].gid, one.glyphs[0].gid);
	assert_int_equal(ln.glyphs[0].cluster, 6); /* final mim on the left */
	shape_line_free(&ln);
	shape_line_free(&one);
}

/* A mark: no advance of its own, placed by an offset (GPOS mark). */
static void test_marks(void **state)
{
	struct fx *f = *state;
	struct shape_line ln;
	bool found = false;

	line_of(f, AR_BA_FATHA, BIDI_AUTO_RTL, "ar", &ln);
	assert_int_equal(ln.nglyphs, 2);
	for (size_t i = 0; i < ln.nglyphs; i++)
		if (ln.glyphs[i].cluster == 2) {
			assert_int_equal(ln.glyphs[i].x_advance, 0);
			assert_true(ln.glyphs[i].x_offset != 0 ||
				    ln.glyphs[i].y_offset != 0);
			found = true;
		}
	assert_true(found);
	shape_line_free(&ln);
	/* q + combining acute (no precomposed form): the accent is placed
	 * over the q. */
	line_of(f, "q\xCC\x81", BIDI_LTR, "fr", &ln);
	assert_int_equal(ln.nglyphs, 2);
	assert_int_equal(ln.glyphs[1].x_advance, 0);
	assert_true(ln.glyphs[1].y_offset != 0 || ln.glyphs[1].x_offset != 0);
	shape_line_free(&ln);
}

/* Itemisation: by face (Latin, Arabic, Hebrew), script and bidi level;
 * digits and spaces take their neighbours' script. In this LTR line
 * "سلام 12 שלום" is one right-to-left stretch (the number after Arabic
 * letters is an Arabic number, W2), so the Hebrew word comes first. */
static void test_itemise(void **state)
{
	struct fx *f = *state;
	struct shape_line ln;
	const char *s = "Hi " AR_SALAM " 12 " HE_SHALOM "!";
	static const struct {
		uint32_t script;
		uint8_t level;
		const char *face, *text;
	} want[] = {
		{HB_SCRIPT_LATIN, 0, "NotoSans-Regular", "Hi "},
		{HB_SCRIPT_HEBREW, 1, "Hebrew", HE_SHALOM},
		{HB_SCRIPT_ARABIC, 1, "NotoSans-Regular", " "},
		{HB_SCRIPT_ARABIC, 2, "NotoSans-Regular", "12"},
		{HB_SCRIPT_ARABIC, 1, "NotoSans-Regular", " "},
		{HB_SCRIPT_ARABIC, 1, "Arabic", AR_SALAM},
		{HB_SCRIPT_HEBREW, 0, "NotoSans-Regular", "!"},
	};

	line_of(f, s, BIDI_LTR, "en", &ln);
	assert_int_equal(ln.nruns, sizeof want / sizeof *want);
	for (size_t i = 0; i < ln.nruns; i++) {
		const struct shape_run *r = &ln.runs[i];

		assert_int_equal(r->script, want[i].script);
		assert_int_equal(r->level, want[i].level);
		assert_non_null(strstr(fontset_face_path(f->fs, r->face),
				       want[i].face));
		assert_int_equal(r->len, strlen(want[i].text));
		assert_memory_equal(ln.text + r->start, want[i].text, r->len);
		assert_int_equal(r->tag, 7);
		if (i > 0) /* runs abut */
			assert_true(fabs(r->x_em - r[-1].x_em -
					 r[-1].advance_em) < 1e-12);
	}
	/* Lam-alef inside salam is one glyph: 3 glyphs for 4 letters. */
	assert_int_equal(ln.runs[5].n, 3);
	assert_int_equal(ln.nspaces, 3);
	shape_line_free(&ln);
}

/* An RTL line with Latin and digits: runs in visual order, the shaped
 * width equal to the words measured one by one plus spaces. */
static void test_rtl_line(void **state)
{
	struct fx *f = *state;
	struct shape_line ln;
	const char *s = AR_SALAM " PDF 2023 " AR_ALAM;
	double sum;

	line_of(f, s, BIDI_RTL, "ar", &ln);
	assert_true(ln.rtl);
	assert_int_equal(ln.nruns, 5);
	/* Leftmost run: عالم (level 1), rightmost: سلام. */
	assert_int_equal(ln.runs[0].start, strlen(s) - strlen(AR_ALAM));
	assert_int_equal(ln.runs[ln.nruns - 1].start, 0);
	assert_int_equal(ln.runs[2].level, 2); /* "PDF 2023" */
	sum = shape_text_width(f->sh, FONT_REGULAR, "ar", AR_SALAM,
			       strlen(AR_SALAM), 1) +
	      shape_text_width(f->sh, FONT_REGULAR, "ar", "PDF", 3, 1) +
	      shape_text_width(f->sh, FONT_REGULAR, "ar", "2023", 4, 1) +
	      shape_text_width(f->sh, FONT_REGULAR, "ar", AR_ALAM,
			       strlen(AR_ALAM), 1) +
	      3 * shape_text_width(f->sh, FONT_REGULAR, "ar", " ", 1, 1);
	assert_true(fabs(sum - ln.width_em) < 0.01);
	shape_line_free(&ln);
}

/* HarfBuzz mirrors brackets in right-to-left runs. */
static void test_mirrored_brackets(void **state)
{
	struct fx *f = *state;
	struct shape_line ln;
	const char *s = AR_SALAM " (" AR_ALAM ")";
	size_t open = strlen(AR_SALAM " ");

	line_of(f, s, BIDI_RTL, "ar", &ln);
	for (size_t r = 0; r < ln.nruns; r++)
		for (size_t g = 0; g < ln.runs[r].n; g++) {
			const struct shape_glyph *gl =
				&ln.glyphs[ln.runs[r].first + g];

			if (gl->cluster == open)
				assert_int_equal(gl->gid,
						 nominal(f, ln.runs[r].face,
							 ')'));
		}
	shape_line_free(&ln);
}

static void test_cache(void **state)
{
	struct fx *f = *state;
	struct shape_stats a, b;
	double w1, w2, w3;
	char word[32];

	shape_stats(f->sh, &a);
	w1 = shape_text_width(f->sh, FONT_BOLD, "fr", "d\xC3\xA9placement",
			      13, 10);
	w2 = shape_text_width(f->sh, FONT_BOLD, "fr", "d\xC3\xA9placement",
			      13, 20);
	w3 = shape_text_width(f->sh, FONT_REGULAR, "fr", "d\xC3\xA9placement",
			      13, 10);
	shape_stats(f->sh, &b);
	assert_int_equal(b.lookups - a.lookups, 3);
	assert_int_equal(b.hits - a.hits, 1);
	assert_true(fabs(w2 - 2 * w1) < 1e-9);
	assert_true(w3 < w1); /* regular is narrower than bold */
	/* Enough distinct words to fill the table: it is flushed, and
	 * answers stay right. */
	for (int i = 0; i < 40000; i++) {
		snprintf(word, sizeof word, "w%d", i);
		shape_text_width(f->sh, FONT_REGULAR, "en", word, strlen(word),
				 10);
	}
	shape_stats(f->sh, &b);
	assert_true(b.flushes > a.flushes);
	assert_true(fabs(shape_text_width(f->sh, FONT_BOLD, "fr",
					  "d\xC3\xA9placement", 13, 10) -
			 w1) < 1e-12);
	assert_true(shape_text_width(f->sh, FONT_REGULAR, "en", "", 0, 10) == 0);
}

/* A character no face has: a U+FFFD glyph, its cluster on the character. */
static void test_missing(void **state)
{
	struct fx *f = *state;
	struct shape_line ln;
	const char *s = "a\xF0\x9F\x98\x80" "b"; /* a 😀 b */
	size_t st, len;

	line_of(f, s, BIDI_LTR, "en", &ln);
	assert_int_equal(ln.nruns, 3);
	assert_true(ln.runs[1].missing);
	assert_int_equal(ln.runs[1].start, 1);
	assert_int_equal(ln.runs[1].len, 4);
	assert_int_equal(ln.glyphs[ln.runs[1].first].cluster, 1);
	assert_int_equal(ln.glyphs[ln.runs[1].first].gid,
			 nominal(f, ln.runs[1].face, 0xFFFD));
	shape_glyph_text(&ln, &ln.runs[1], 0, &st, &len);
	assert_int_equal(len, 4);
	assert_true(shape_text_width(f->sh, FONT_REGULAR, "en", s, strlen(s),
				     10) > 0);
	shape_line_free(&ln);
}

/* Spans: a bold word is a run of its own; the inserted hyphen takes the
 * style of the character before it. */
static void test_spans_and_hyphen(void **state)
{
	struct fx *f = *state;
	struct shape_line ln;
	const char *s = "un d\xC3\xA9placement";
	struct shape_span sp[2] = {{0, 3, FONT_REGULAR, "fr", 0},
				   {3, strlen(s) - 3, FONT_BOLD, "fr", 1}};
	struct diag err;
	size_t cut = strlen("un d\xC3\xA9pla");

	assert_int_equal(shape_line(f->sh, s, strlen(s), sp, 2, NULL, 0, cut,
				    true, &ln, &err),
			 BRIEF_OK);
	assert_int_equal(ln.nruns, 3);
	assert_int_equal(ln.runs[0].tag, 0);
	assert_int_equal(ln.runs[1].tag, 1);
	assert_int_equal(ln.runs[1].face, FONT_BOLD);
	assert_true(ln.runs[2].hyphen);
	assert_int_equal(ln.runs[2].face, FONT_BOLD);
	assert_int_equal(ln.len, cut + 1);
	assert_int_equal(ln.text[cut], '-');
	assert_true(fabs(ln.width_em -
			 (shape_text_width(f->sh, FONT_REGULAR, "fr", "un ", 3, 1) +
			  shape_text_width(f->sh, FONT_BOLD, "fr",
					   "d\xC3\xA9pla-", 7, 1))) < 0.01);
	shape_line_free(&ln);
	/* Spans that miss part of the line. */
	assert_int_equal(shape_line(f->sh, s, strlen(s), sp, 1, NULL, 0,
				    strlen(s), false, &ln, &err),
			 BRIEF_EINTERNAL);
	assert_non_null(strstr(err.msg, "internal error"));
	assert_null(ln.text);
	assert_int_equal(shape_line(f->sh, s, strlen(s), sp, 2, NULL, 4, 2,
				    false, &ln, &err),
			 BRIEF_EINTERNAL);
}

/* The width function agrees with the line shaper on single words in
 * every script. */
static void test_width_matches_line(void **state)
{
	struct fx *f = *state;
	const char *words[] = {"Stepanakert", "\xD0\x9A\xD0\xB8\xD1\x97\xD0\xB2",
			       AR_SALAM, HE_SHALOM, "office", "T\xC3\xA9l\xC3\xA9"};

	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		struct shape_line ln;

		line_of(f, words[i], BIDI_AUTO_LTR, NULL, &ln);
		assert_true(fabs(ln.width_em -
				 shape_text_width(f->sh, FONT_REGULAR, NULL,
						  words[i], strlen(words[i]),
						  1)) < 1e-9);
		shape_line_free(&ln);
	}
}

/* Two shaped lines are the same: runs, glyphs, widths. */
static void same_line(const struct shape_line *a, const struct shape_line *b)
{
	assert_int_equal(a->len, b->len);
	assert_memory_equal(a->text, b->text, a->len);
	assert_int_equal(a->nglyphs, b->nglyphs);
	assert_true(fabs(a->width_em - b->width_em) < 1e-9);
	assert_int_equal(a->nspaces, b->nspaces);
	for (size_t i = 0; i < a->nglyphs; i++) {
		assert_int_equal(a->glyphs[i].gid, b->glyphs[i].gid);
		assert_int_equal(a->glyphs[i].x_advance, b->glyphs[i].x_advance);
		assert_int_equal(a->glyphs[i].x_offset, b->glyphs[i].x_offset);
		assert_int_equal(a->glyphs[i].y_offset, b->glyphs[i].y_offset);
		assert_int_equal(a->glyphs[i].cluster, b->glyphs[i].cluster);
	}
}

/* Lines built from cached words are the lines HarfBuzz gives for whole
 * runs (the word cache is exact where words can be shaped alone), and a
 * line's width is the sum of its words and spaces as the width function
 * measures them. */
static void test_words_equal_runs(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *text, *lang;
		enum bidi_base base;
	} lines[] = {
		{"AVATAR efficacit\xC3\xA9 des r\xC3\xA9" "fugi\xC3\xA9s au "
		 "Tourn\xC3\xA9" "e, WAVE office", "fr", BIDI_LTR},
		{"\xD0\x9D\xD0\xB0\xD1\x81\xD0\xB5\xD0\xBB\xD0\xB5\xD0"
		 "\xBD\xD0\xB8\xD0\xB5 120 000 \xD1\x87\xD0\xB5\xD0\xBB"
		 "\xD0\xBE\xD0\xB2\xD0\xB5\xD0\xBA", "ru", BIDI_LTR},
		{AR_SALAM " PDF 2023 " AR_ALAM " " AR_LA " (" AR_SALAM ") "
		 HE_SHALOM " 12", "ar", BIDI_RTL},
		{AR_BA_FATHA " " AR_LA " q\xCC\x81", "ar", BIDI_AUTO_RTL},
		/* A word changing face inside (Latin, then an Arabic comma). */
		{"UNHCR\xD8\x8C 2023 \xD0\x9A\xD0\xB8\xD1\x97\xD0\xB2 "
		 "q\xCC\x81 ok", "en", BIDI_LTR},
	};

	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
		struct shape_line a, b;
		double sum = 0;
		const char *s = lines[i].text;

		shaper_set_cache(f->sh, false);
		line_of(f, s, lines[i].base, lines[i].lang, &b);
		shaper_set_cache(f->sh, true);
		line_of(f, s, lines[i].base, lines[i].lang, &a);
		same_line(&a, &b);
		if (lines[i].base == BIDI_LTR) {
			for (size_t k = 0, e; k < strlen(s); k = e) {
				for (e = k + 1; e < strlen(s) &&
						(s[e] == ' ') == (s[k] == ' ');
				     e++)
					;
				sum += shape_text_width(f->sh, FONT_REGULAR,
							lines[i].lang, s + k,
							e - k, 1);
			}
			assert_true(fabs(sum - a.width_em) < 1e-9);
		}
		shape_line_free(&a);
		shape_line_free(&b);
	}
}

/* The line's glyph ids for s in style st and language lang. */
static size_t gids_of(struct fx *f, const char *s, enum font_style st,
		      const char *lang, uint32_t *gid, size_t max)
{
	struct shape_span sp = {0, strlen(s), st, lang, 0};
	struct shape_line ln;
	size_t n;

	assert_int_equal(shape_line(f->sh, s, strlen(s), &sp, 1, NULL, 0,
				    strlen(s), false, &ln, NULL),
			 BRIEF_OK);
	for (n = 0; n < ln.nglyphs && n < max; n++)
		gid[n] = ln.glyphs[n].gid;
	shape_line_free(&ln);
	return n;
}

/* HarfBuzz gets the span's language: Noto Sans Italic's Serbian forms
 * (locl) for "sr". A language the face has no rules for ("en") shapes as
 * none, and its words are the same word cache entries. */
static void test_language(void **state)
{
	struct fx *f = *state;
	const char *cy = "\xD0\xB1\xD0\xB3\xD0\xB4\xD0\xBF"; /* бгдп */
	uint32_t none[8], sr[8], en[8];
	size_t n = gids_of(f, cy, FONT_ITALIC, NULL, none, 8);
	struct shape_stats a, b;

	assert_int_equal(n, 4);
	assert_int_equal(gids_of(f, cy, FONT_ITALIC, "sr", sr, 8), 4);
	assert_int_equal(gids_of(f, cy, FONT_ITALIC, "en", en, 8), 4);
	for (size_t i = 0; i < n; i++) {
		assert_int_not_equal(none[i], sr[i]);
		assert_int_equal(none[i], en[i]);
	}

	shape_stats(f->sh, &a);
	shape_text_width(f->sh, FONT_REGULAR, NULL, "Kvarner", 7, 10);
	shape_text_width(f->sh, FONT_REGULAR, "en", "Kvarner", 7, 10);
	shape_stats(f->sh, &b);
	assert_int_equal(b.word_lookups - a.word_lookups, 2);
	assert_int_equal(b.word_hits - a.word_hits, 1);
	/* An empty cache: only the Serbian entry, which must not serve the
	 * language-less word (gids_of above cached that one). */
	shaper_set_cache(f->sh, false);
	shaper_set_cache(f->sh, true);
	shape_text_width(f->sh, FONT_ITALIC, "sr", cy, strlen(cy), 10);
	shape_text_width(f->sh, FONT_ITALIC, "sr", cy, strlen(cy), 12);
	shape_stats(f->sh, &a);
	shape_text_width(f->sh, FONT_ITALIC, NULL, cy, strlen(cy), 10);
	shape_stats(f->sh, &b);
	assert_int_equal(b.word_hits - a.word_hits, 0); /* shaped anew */
}

/* The same with spans that cut words (a link inside a word, citation
 * marks, a line's hyphen): the words an item cuts are shaped in place
 * (and cached with their context), the rest come from the word cache,
 * and the line is the one HarfBuzz gives for whole runs. Kerning pairs
 * and Arabic joining at the cuts. */
static void test_cut_words_equal_runs(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *text, *lang;
		enum bidi_base base;
		size_t cuts[4]; /* span starts after the first, 0 ends */
		bool hyphen;
	} lines[] = {
		{"WAVE AVATAR office [12], TAVAT wave", "en", BIDI_LTR,
		 {8, 20, 22, 0}, false},
		{"Tourn\xC3\xA9" "e AVATAR efficacit\xC3\xA9 des r\xC3\xA9"
		 "fugi\xC3\xA9s", "fr", BIDI_LTR, {3, 14, 0, 0}, true},
		{AR_SALAM " " AR_ALAM " " AR_SALAM " (12) " AR_ALAM, "ar",
		 BIDI_RTL, {4, 11, 20, 0}, false},
		{AR_SALAM " " AR_ALAM " " AR_SALAM, "ar", BIDI_RTL,
		 {6, 13, 0, 0}, true},
	};

	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
		const char *s = lines[i].text;
		struct shape_span sp[5];
		struct shape_line a, b;
		struct bidi_para bp;
		struct diag err;
		size_t n = 0, at = 0, len = strlen(s);

		for (size_t k = 0; k < 4 && lines[i].cuts[k]; k++) {
			sp[n] = (struct shape_span){at, lines[i].cuts[k] - at,
						    n % 2 ? FONT_BOLD
							  : FONT_REGULAR,
						    lines[i].lang, (int)n};
			at = lines[i].cuts[k];
			n++;
		}
		sp[n] = (struct shape_span){at, len - at, FONT_REGULAR,
					    lines[i].lang, (int)n};
		n++;
		assert_int_equal(bidi_analyse(s, len, lines[i].base, &bp, &err),
				 BRIEF_OK);
		shaper_set_cache(f->sh, false);
		assert_int_equal(shape_line(f->sh, s, len, sp, n, &bp, 0, len,
					    lines[i].hyphen, &b, &err),
				 BRIEF_OK);
		shaper_set_cache(f->sh, true);
		/* Twice: the cut pieces come from the cache the second time. */
		for (int twice = 0; twice < 2; twice++) {
			struct shape_stats before, after;

			shape_stats(f->sh, &before);
			assert_int_equal(shape_line(f->sh, s, len, sp, n, &bp, 0,
						    len, lines[i].hyphen, &a,
						    &err),
					 BRIEF_OK);
			shape_stats(f->sh, &after);
			same_line(&a, &b);
			shape_line_free(&a);
			if (twice) /* every lookup a hit: nothing shaped anew */
				assert_int_equal(after.word_lookups -
							 before.word_lookups,
						 after.word_hits - before.word_hits);
		}
		shape_line_free(&b);
		bidi_para_free(&bp);
	}
}

static void test_null_shaper(void **state)
{
	(void)state;
	shaper_free(NULL);
	assert_int_equal(shaper_upem(NULL, 0), 0);
	assert_null(shaper_hb_face(NULL, 0));
	assert_true(shape_text_width(NULL, FONT_REGULAR, "en", "x", 1, 10) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kerning_avatar),
		cmocka_unit_test(test_arabic_ligature),
		cmocka_unit_test(test_arabic_joining),
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_itemise),
		cmocka_unit_test(test_rtl_line),
		cmocka_unit_test(test_mirrored_brackets),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_spans_and_hyphen),
		cmocka_unit_test(test_width_matches_line),
		cmocka_unit_test(test_words_equal_runs),
		cmocka_unit_test(test_language),
		cmocka_unit_test(test_cut_words_equal_runs),
		cmocka_unit_test(test_null_shaper),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
