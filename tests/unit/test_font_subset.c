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
	/* but a 'prep' of one SVTCA[x], which does nothing: libharu needs
	 * a last table that is not empty (font_subset.c) */
	{
		hb_blob_t *prep = hb_face_reference_table(
			sub, hb_tag_from_string("prep", 4));
		unsigned plen = 0;
		const char *p = hb_blob_get_data(prep, &plen);

		assert_int_equal(plen, 1);
		assert_int_equal(p[0], 0x01);
		hb_blob_destroy(prep);
	}

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

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
	       (unsigned long)p[2] << 8 | p[3];
}

/* Offset and length of table tag in a TrueType file; 0 when absent. */
static int find_table(const unsigned char *f, size_t len, const char *tag,
		      unsigned long *off, unsigned long *n)
{
	unsigned nt = be16(f + 4);

	for (unsigned i = 0; i < nt && 12 + 16 * (size_t)(i + 1) <= len; i++) {
		const unsigned char *r = f + 12 + 16 * i;

		if (memcmp(r, tag, 4) == 0) {
			*off = be32(r + 8);
			*n = be32(r + 12);
			return 1;
		}
	}
	return 0;
}

/* Does the file end exactly where its last glyph, a composite one, ends?
 * That is the shape libharu 2.3.0's memory stream could not read. */
static int ends_with_composite(const unsigned char *f, size_t len)
{
	unsigned long go, gl, lo, ll, ho, hl, mo, ml, a, b;
	unsigned ng;
	int lng;

	if (!find_table(f, len, "glyf", &go, &gl) ||
	    !find_table(f, len, "loca", &lo, &ll) ||
	    !find_table(f, len, "head", &ho, &hl) ||
	    !find_table(f, len, "maxp", &mo, &ml) || go + gl != len)
		return 0;
	lng = be16(f + ho + 50) != 0;
	ng = be16(f + mo + 4);
	a = lng ? be32(f + lo + 4 * (ng - 1)) : 2ul * be16(f + lo + 2 * (ng - 1));
	b = lng ? be32(f + lo + 4 * ng) : 2ul * be16(f + lo + 2 * ng);
	return b > a && b == gl && be16(f + go + a) == 0xFFFF;
}

/* libharu 2.3.0 cannot seek to the end of a memory stream whose length is
 * its chunk size, and its glyph reader seeks to the end of every composite
 * glyph: a subset ending with one (Noto Sans draws Cyrillic а, с, у as
 * composites of the Latin letters) left the document in error 0x1033 and
 * the PDF unbuilt. Find such a subset, then load and draw it. */
static void test_subset_ending_in_composite_glyph(void **state)
{
	static const char *const extra[] = {"", "T", "0", "1", "e", "TP",
					    "ag", "19", "Da", "0123"};
	struct fontset *fs = NULL;
	struct diag err = {0};
	struct pdf_fonts pf;
	static const struct rgba ink = {0, 0, 0, 1};
	char text[64] = "";
	HPDF_Doc pdf;
	HPDF_Page page;
	int found = 0;

	(void)state;
	for (size_t k = 0; k < sizeof extra / sizeof *extra && !found; k++) {
		uint8_t *cps = calloc(65536 / 8, 1);
		unsigned char *data = NULL;
		size_t len = 0;

		assert_non_null(cps);
		snprintf(text, sizeof text, "Лусаванк%s", extra[k]);
		set_cps(cps, text);
		set_cps(cps, "Hx"); /* what pdf_font.c adds for libharu */
		assert_int_equal(font_subset(REGULAR, cps, &data, &len, &err),
				 BRIEF_OK);
		found = ends_with_composite(data, len);
		free(data);
		free(cps);
	}
	assert_true(found);

	assert_int_equal(fontset_open("fonts", &fs, &err), BRIEF_OK);
	pdf = HPDF_New(NULL, NULL);
	assert_non_null(pdf);
	HPDF_UseUTFEncodings(pdf);
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	page = HPDF_AddPage(pdf);
	pdf_fonts_init(&pf, pdf, fs);
	assert_int_equal(pdf_fonts_plan(&pf, FONT_REGULAR, text, strlen(text)),
			 0);
	assert_int_equal(pdf_fonts_load(&pf, &err), BRIEF_OK);
	assert_int_equal(HPDF_GetError(pdf), HPDF_OK);
	assert_int_equal(pdf_text(&pf, page, 50, 700, 0, FONT_REGULAR, 12,
				  text, strlen(text), ink),
			 0);
	assert_int_equal(HPDF_GetError(pdf), HPDF_OK);
	assert_int_equal(pf.failed, 0);
	pdf_fonts_free(&pf);
	HPDF_Free(pdf);
	fontset_free(fs);
}

/* A character past the BMP (libharu 2.3.0 would draw a space) or one no
 * face has (the fontset would draw U+FFFD) is refused by the plan: the
 * text check should have stopped it, so it must never reach the page. */
static void test_plan_refuses_undrawable(void **state)
{
	struct fontset *fs = NULL;
	struct diag err = {0};
	struct pdf_fonts pf;
	HPDF_Doc pdf;

	(void)state;
	assert_int_equal(fontset_open("fonts", &fs, &err), BRIEF_OK);
	pdf = HPDF_New(NULL, NULL);
	assert_non_null(pdf);
	pdf_fonts_init(&pf, pdf, fs);
	assert_int_equal(pdf_fonts_plan(&pf, FONT_REGULAR, "ab", 2), 0);
	assert_int_equal(pf.undrawable, 0);
	assert_int_equal(pdf_fonts_plan(&pf, FONT_REGULAR, "a\xF0\x9F\x98\x80",
					5),
			 -1);
	assert_int_equal(pf.undrawable, 1);
	pf.undrawable = 0;
	assert_int_equal(pdf_fonts_plan(&pf, FONT_BOLD, "\xE5\x8C\x97", 3),
			 -1); /* 北 */
	assert_int_equal(pf.undrawable, 1);
	pdf_fonts_free(&pf);
	HPDF_Free(pdf);
	fontset_free(fs);
}

/* A libharu failure is never "invalid input": out of memory, or an
 * internal error saying so and naming the step. */
static void test_pdf_status(void **state)
{
	struct diag err = {0};

	(void)state;
	assert_int_equal(pdf_status(&err, HPDF_INVALID_OBJECT, 0,
				    "drawing page 2"),
			 BRIEF_EINTERNAL);
	assert_string_equal(err.msg, "internal error in the PDF writer: "
				     "libharu error 0x1033 (detail 0) while "
				     "drawing page 2");
	assert_int_equal(brief_exit_code(BRIEF_EINTERNAL), 4);
	assert_int_equal(pdf_status(&err, HPDF_FAILD_TO_ALLOC_MEM, 0, "x"),
			 BRIEF_ENOMEM);
	assert_int_equal(pdf_status(&err, 0, 0, "saving"), BRIEF_EINTERNAL);
	assert_string_equal(err.msg,
			    "internal error in the PDF writer while saving");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subset_cmap_and_widths),
		cmocka_unit_test(test_subset_deterministic),
		cmocka_unit_test(test_subset_errors),
		cmocka_unit_test(test_planned_fonts),
		cmocka_unit_test(test_subset_ending_in_composite_glyph),
		cmocka_unit_test(test_plan_refuses_undrawable),
		cmocka_unit_test(test_pdf_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
