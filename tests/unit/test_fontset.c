/* test_fontset.c — fonts.conf loading, runs with fallback, and the one
 * width function against FreeType and cairo measurements. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <math.h>
#include <string.h>

#include "fontset.h"

static int setup(void **state)
{
	struct fontset *fs = NULL;
	struct diag err;

	if (fontset_open("fonts", &fs, &err) != BRIEF_OK) {
		diag_print(stderr, &err, DIAG_ERROR);
		return -1;
	}
	*state = fs;
	return 0;
}

static int teardown(void **state)
{
	fontset_free(*state);
	return 0;
}

static void test_open_missing(void **state)
{
	struct fontset *fs = (void *)1;
	struct diag err;

	(void)state;
	/* A missing input is invalid input (exit 1), see infile.h. */
	assert_int_equal(fontset_open("no-such-dir", &fs, &err), BRIEF_EDATA);
	assert_null(fs);
	assert_non_null(strstr(err.file, "fonts.conf"));
	fontset_free(NULL);
}

static void test_faces(void **state)
{
	struct fontset *fs = *state;

	assert_int_equal(fontset_face_count(fs), 10);
	assert_non_null(strstr(fontset_face_path(fs, 0), "NotoSans-Regular"));
	assert_non_null(strstr(fontset_face_path(fs, 1), "NotoSans-Bold"));
	assert_non_null(strstr(fontset_face_path(fs, 4), "Armenian"));
	assert_non_null(strstr(fontset_face_path(fs, 6), "Arabic"));
	assert_non_null(strstr(fontset_face_path(fs, 8), "Hebrew"));
	assert_null(fontset_face_path(fs, 10));
	assert_non_null(fontset_cairo_face(fs, 0));
}

/* Sum of unscaled advances read straight from FreeType. */
static double ft_width(const char *file, const char *s, double size)
{
	FT_Library lib;
	FT_Face face;
	double units = 0;

	assert_int_equal(FT_Init_FreeType(&lib), 0);
	assert_int_equal(FT_New_Face(lib, file, 0, &face), 0);
	for (const char *p = s; *p; p++) {
		assert_int_equal(FT_Load_Char(face, (unsigned char)*p,
					      FT_LOAD_NO_SCALE), 0);
		units += (double)face->glyph->metrics.horiAdvance;
	}
	units = units / face->units_per_EM * size;
	FT_Done_Face(face);
	FT_Done_FreeType(lib);
	return units;
}

static void test_width_matches_freetype(void **state)
{
	struct fontset *fs = *state;
	const char *s = "Nagorno-Karabakh 1988-2023, 100,000";
	double w = fontset_advance_width(fs, FONT_REGULAR, s, strlen(s), 7.5);
	double b = fontset_advance_width(fs, FONT_BOLD, s, strlen(s), 7.5);

	assert_true(fabs(w - ft_width("fonts/NotoSans-Regular.ttf", s, 7.5)) <
		    1e-9);
	assert_true(fabs(b - ft_width("fonts/NotoSans-Bold.ttf", s, 7.5)) <
		    1e-9);
	assert_true(b > w);
	/* The width function is the shaped one: kerned narrower. */
	assert_true(fontset_text_width(fs, FONT_REGULAR, "AVATAR", 6, 12) <
		    fontset_advance_width(fs, FONT_REGULAR, "AVATAR", 6, 12) -
			    0.5);
	assert_true(fontset_text_width(fs, FONT_REGULAR, "", 0, 10) == 0);
	assert_true(fabs(fontset_text_width(fs, FONT_REGULAR, "AA", 2, 10) -
			 2 * fontset_text_width(fs, FONT_REGULAR, "A", 1, 10)) <
		    1e-12);
}

/* cairo, with hinted metrics off, advances exactly as we measure. */
static void test_width_matches_cairo(void **state)
{
	struct fontset *fs = *state;
	const char *s = "Deaths by party, 2020 war (per OBC Transeuropa)";
	cairo_surface_t *surf =
		cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
	cairo_t *cr = cairo_create(surf);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_text_extents_t ext;

	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_set_font_options(cr, fo);
	cairo_set_font_face(cr, fontset_cairo_face(fs, FONT_REGULAR));
	cairo_set_font_size(cr, 7.5);
	cairo_text_extents(cr, s, &ext);
	assert_true(fabs(ext.x_advance -
			 fontset_advance_width(fs, FONT_REGULAR, s, strlen(s),
					       7.5)) < 1e-3);
	cairo_font_options_destroy(fo);
	cairo_destroy(cr);
	cairo_surface_destroy(surf);
}

struct runs {
	int face[8];
	size_t len[8];
	int n;
};

static int collect(void *ctx, int face, const char *s, size_t len)
{
	struct runs *r = ctx;

	(void)s;
	if (r->n < 8) {
		r->face[r->n] = face;
		r->len[r->n] = len;
	}
	r->n++;
	return 0;
}

static void test_runs_fallback(void **state)
{
	struct fontset *fs = *state;
	/* "Stepanakert (Ստեփանակերտ)": Latin, Armenian, Latin. */
	const char *s = "Stepanakert (\xD5\x8D\xD5\xBF\xD5\xA5\xD6\x83\xD5\xA1"
			"\xD5\xB6\xD5\xA1\xD5\xAF\xD5\xA5\xD6\x80\xD5\xBF)";
	struct runs r = { { 0 }, { 0 }, 0 };
	size_t missing = 0;

	fontset_each_run(fs, FONT_BOLD, s, strlen(s), collect, &r, &missing);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.face[0], FONT_BOLD);
	assert_int_equal(r.len[0], strlen("Stepanakert ("));
	assert_non_null(strstr(fontset_face_path(fs, r.face[1]),
			       "NotoSansArmenian-Bold"));
	assert_int_equal(r.len[1], 22); /* 11 letters */
	assert_int_equal(r.face[2], FONT_BOLD);
	assert_int_equal(missing, 0);
	assert_int_equal(fontset_first_missing(fs, FONT_BOLD, s, strlen(s)), 0);
	assert_true(fontset_text_width(fs, FONT_BOLD, s, strlen(s), 9) > 0);
}

static void test_missing_glyph(void **state)
{
	struct fontset *fs = *state;
	const char *s = "a\xE4\xB8\xAD" "b"; /* U+4E2D: no face has it */
	struct runs r = { { 0 }, { 0 }, 0 };
	size_t missing = 0;

	assert_int_equal(fontset_first_missing(fs, FONT_REGULAR, s, strlen(s)),
			 0x4E2D);
	fontset_each_run(fs, FONT_REGULAR, s, strlen(s), collect, &r, &missing);
	assert_int_equal(missing, 1);
	assert_int_equal(r.n, 3); /* "a", U+FFFD, "b" */
	assert_int_equal(r.len[1], 3);
	assert_true(fontset_ascent(fs, FONT_REGULAR, 10) > 9);
	assert_true(fontset_descent(fs, FONT_REGULAR, 10) > 2);
}

/* Ill-formed UTF-8 (a sequence cut short) is missing too, one byte at a
 * time, never drawn as the font's own U+FFFD. */
static void test_invalid_utf8(void **state)
{
	struct fontset *fs = *state;
	const char *s = "a\xE2\x80" "x";
	struct runs r = { { 0 }, { 0 }, 0 };
	size_t missing = 0;
	uint32_t cp;

	assert_int_equal(fontset_first_missing(fs, FONT_REGULAR, s, strlen(s)),
			 0xFFFD);
	fontset_each_run(fs, FONT_REGULAR, s, strlen(s), collect, &r, &missing);
	assert_int_equal(missing, 2);
	assert_int_equal(fontset_utf8_next(s + 1, 3, &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(fontset_utf8_next("\xD0\xB1", 2, &cp), 2);
	assert_int_equal(cp, 0x431);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_missing),
		cmocka_unit_test(test_faces),
		cmocka_unit_test(test_width_matches_freetype),
		cmocka_unit_test(test_width_matches_cairo),
		cmocka_unit_test(test_runs_fallback),
		cmocka_unit_test(test_missing_glyph),
		cmocka_unit_test(test_invalid_utf8),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
