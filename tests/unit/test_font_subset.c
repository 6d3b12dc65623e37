/* test_font_subset.c — HarfBuzz subsetting of the embedded fonts (the cmap,
 * advance widths and tables of the subset against the original font) and
 * the planned loading of pdf_font.c (only used faces embedded, subsets
 * loaded from memory, unplanned text refused, deterministic bytes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <hb.h>
#include <hpdf.h>

#include "font_subset.h"
#include "pdf_fix.h"
#include "pdf_font.h"

#define REGULAR "fonts/NotoSans-Regular.ttf"

static void set_cps(uint8_t *map, const char *utf8)
{
	const unsigned char *u = (const unsigned char *)utf8;

	while (*u) {
		unsigned long c = *u++;
		int k = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;

		c &= k == 3 ? 0x07 : k == 2 ? 0x0F : k == 1 ? 0x1F : 0x7F;
		while (k-- > 0 && *u)
			c = (c << 6) | (*u++ & 0x3F);
		if (c < 65536)
			map[c >> 3] |= (uint8_t)(1u << (c & 7));
	}
}

static hb_face_t *face_of(const unsigned char *data, size_t len)
{
	hb_blob_t *b = hb_blob_create((const char *)data, (unsigned)len,
				      HB_MEMORY_MODE_READONLY, NULL, NULL);
	hb_face_t *f = hb_face_create(b, 0);

	hb_blob_destroy(b);
	return f;
}

static int has_table(hb_face_t *f, const char *tag)
{
	hb_blob_t *b = hb_face_reference_table(f, hb_tag_from_string(tag, 4));
	int n = (int)hb_blob_get_length(b);

	hb_blob_destroy(b);
	return n > 0;
}

/* The subset maps exactly the requested characters the font has, to
 * glyphs with the original advance widths, and drops what libharu would
 * not embed anyway. */
static void test_subset_cmap_and_widths(void **state)
{
	static const char text[] = "Ağdəm — Şuşa 1988–2023 Ստ";
	uint8_t *cps = calloc(65536 / 8, 1);
	unsigned char *data = NULL;
	size_t len = 0;
	struct diag err = {0};
	hb_blob_t *ob;
	hb_face_t *orig, *sub;
	hb_font_t *fo, *fsub;
	hb_set_t *uni;

	(void)state;
	assert_non_null(cps);
	set_cps(cps, text);
	assert_int_equal(font_subset(REGULAR, cps, &data, &len, &err),
			 BRIEF_OK);
	assert_non_null(data);
	assert_true(len > 1000 && len < 20000); /* the font is 500 KB */

	ob = hb_blob_create_from_file(REGULAR);
	orig = hb_face_create(ob, 0);
	sub = face_of(data, len);
	fo = hb_font_create(orig);
	fsub = hb_font_create(sub);
	/* .notdef plus one glyph per distinct drawable character */
	assert_true(hb_face_get_glyph_count(sub) < 30);
	uni = hb_set_create();
	hb_face_collect_unicodes(sub, uni);
	for (const char *p = "Adm 1908ua"; *p; p++)
		assert_true(hb_set_has(uni, (hb_codepoint_t)*p));
	assert_true(hb_set_has(uni, 0x011F)); /* ğ */
	assert_true(hb_set_has(uni, 0x0259)); /* ə */
	assert_true(hb_set_has(uni, 0x015E)); /* Ş */
	assert_true(hb_set_has(uni, 0x2014)); /* em dash */
	assert_true(hb_set_has(uni, 0x2013)); /* en dash */
	assert_false(hb_set_has(uni, 'Z'));   /* not asked for */
	assert_false(hb_set_has(uni, 0x054D)); /* Armenian: not in Noto Sans */
	for (hb_codepoint_t c = HB_SET_VALUE_INVALID; hb_set_next(uni, &c);) {
		hb_codepoint_t go = 0, gs = 0;

		assert_true(hb_font_get_nominal_glyph(fo, c, &go));
		assert_true(hb_font_get_nominal_glyph(fsub, c, &gs));
		assert_int_equal(hb_font_get_glyph_h_advance(fo, go),
				 hb_font_get_glyph_h_advance(fsub, gs));
	}
	assert_int_equal(hb_face_get_upem(sub), hb_face_get_upem(orig));
	/* what libharu embeds, and nothing it would drop */
	for (const char *const *t = (const char *const[]){
		     "glyf", "loca", "hmtx", "hhea", "head", "maxp", "cmap",
		     "name", "post", "OS/2", NULL};
	     *t; t++)
		assert_true(has_table(sub, *t));
	assert_true(has_table(orig, "GPOS"));
	assert_false(has_table(sub, "GPOS"));
	assert_false(has_table(sub, "GSUB"));
	assert_false(has_table(sub, "GDEF"));
	assert_false(has_table(sub, "fpgm")); /* no hinting */

	hb_set_destroy(uni);
	hb_font_destroy(fo);
	hb_font_destroy(fsub);
	hb_face_destroy(sub);
	hb_face_destroy(orig);
	hb_blob_destroy(ob);
	free(data);
	free(cps);
}

static void test_subset_deterministic(void **state)
{
	uint8_t *cps = calloc(65536 / 8, 1);
	unsigned char *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	struct diag err = {0};

	(void)state;
	set_cps(cps, "Casualties, displacement — 2023");
	assert_int_equal(font_subset("fonts/NotoSans-Bold.ttf", cps, &a, &la,
				     &err),
			 BRIEF_OK);
	assert_int_equal(font_subset("fonts/NotoSans-Bold.ttf", cps, &b, &lb,
				     &err),
			 BRIEF_OK);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(a);
	free(b);
	free(cps);
}

static void test_subset_errors(void **state)
{
	uint8_t *cps = calloc(65536 / 8, 1);
	unsigned char *data = (unsigned char *)"x";
	size_t len = 7;
	struct diag err = {0};

	(void)state;
	set_cps(cps, "abc");
	assert_int_equal(font_subset("fonts/no-such-font.ttf", cps, &data,
				     &len, &err),
			 BRIEF_EDATA); /* missing: invalid input, see infile.h */
	assert_null(data);
	assert_int_equal(len, 0);
	assert_string_equal(err.file, "fonts/no-such-font.ttf");
	/* a file that is no font */
	assert_int_equal(font_subset("fonts/fonts.conf", cps, &data, &len,
				     &err),
			 BRIEF_EIO);
	assert_null(data);
	assert_non_null(strstr(err.msg, "not a TrueType font"));
	free(cps);
}

/* Planned loading: only the faces with planned text are embedded, as
 * subsets; drawing what was planned works and leaves the text extractable;
 * drawing what was not is refused instead of showing .notdef boxes. */
static void test_planned_fonts(void **state)
{
	struct fontset *fs = NULL;
	struct diag err = {0};
	HPDF_Doc pdf;
	HPDF_Page page;
	struct pdf_fonts pf;
	static const struct rgba ink = {0, 0, 0, 1};
	static const char latin[] = "Xankəndi — Şuşa";
	static const char armenian[] = "Ստեփանակերտ";
	char path[] = "/tmp/brief-test-subset-XXXXXX";
	char cmd[600], out[4096];
	int loaded = 0, fd;
	size_t n;
	FILE *p;

	(void)state;
	assert_int_equal(fontset_open("fonts", &fs, &err), BRIEF_OK);
	pdf = HPDF_New(NULL, NULL);
	assert_non_null(pdf);
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(pdf);
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	page = HPDF_AddPage(pdf);
	pdf_fonts_init(&pf, pdf, fs);
	assert_int_equal(pdf_fonts_plan(&pf, FONT_REGULAR, latin,
					strlen(latin)),
			 0);
	assert_int_equal(pdf_fonts_plan(&pf, FONT_BOLD, armenian,
					strlen(armenian)),
			 0);
	assert_int_equal(pdf_fonts_load(&pf, &err), BRIEF_OK);
	/* regular (Latin), and the bold Armenian fallback; not bold Noto
	 * Sans (no Latin planned in bold) nor the italics */
	for (int i = 0; i < pf.nfaces; i++)
		loaded += pf.font[i] != NULL;
	assert_int_equal(loaded, 2);
	assert_non_null(pf.font[0]);
	assert_null(pf.font[1]);
	assert_null(pf.font[2]);

	assert_int_equal(pdf_text(&pf, page, 50, 700, 0, FONT_REGULAR, 12,
				  latin, strlen(latin), ink),
			 0);
	assert_int_equal(pdf_text_batch(&pf, page, 50, 680, FONT_BOLD, 12,
					armenian, strlen(armenian), ink),
			 0);
	assert_int_equal(pdf_text_end(&pf), 0);
	assert_int_equal(pf.unplanned, 0);
	/* 'Z' was never planned for the regular face */
	assert_int_equal(pdf_text(&pf, page, 50, 660, 0, FONT_REGULAR, 12,
				  "Zangezur", 8, ink),
			 -1);
	assert_int_equal(pf.unplanned, 1);
	pf.unplanned = 0;
	/* nor was anything in bold Latin (its face is not even loaded) */
	assert_int_equal(pdf_text(&pf, page, 50, 640, 0, FONT_BOLD, 12, "ab",
				  2, ink),
			 -1);
	assert_int_equal(pf.unplanned, 1);

	assert_int_equal(pdf_fix_tounicode(&pf), HPDF_OK);
	assert_int_equal(pdf_fix_cidtogid(&pf), HPDF_OK);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(HPDF_SaveToFile(pdf, path), HPDF_OK);
	pdf_fonts_free(&pf);
	HPDF_Free(pdf);
	fontset_free(fs);

	snprintf(cmd, sizeof cmd,
		 "pdftotext -enc UTF-8 %s - 2>&1; pdffonts %s 2>&1", path,
		 path);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	assert_int_equal(pclose(p), 0);
	assert_non_null(strstr(out, latin));
	assert_non_null(strstr(out, armenian));
	assert_null(strstr(out, "Zangezur"));
	assert_null(strstr(out, "Warning"));
	assert_non_null(strstr(out, "HPDFAA+NotoSans-Regular"));
	assert_non_null(strstr(out, "HPDFAB+NotoSansArmenian-Bold"));
	assert_null(strstr(out, "NotoSans-Bold"));
	assert_null(strstr(out, "Italic"));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subset_cmap_and_widths),
		cmocka_unit_test(test_subset_deterministic),
		cmocka_unit_test(test_subset_errors),
		cmocka_unit_test(test_planned_fonts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
