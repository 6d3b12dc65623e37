/* test_pdf_glyphs.c — shaped lines as positioned glyph runs in Type0 /
 * CIDFontType2 fonts: glyph positions in the content stream equal
 * HarfBuzz's, /W equals the fonts' advances, ToUnicode maps ligatures to
 * all their characters, /ActualText where the map cannot say it, the
 * PDF/A-1b font parts, /Lang, reproducible output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <hb.h>
#include <hpdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "bidi.h"
#include "fontset.h"
#include "pdf_glyphs.h"
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

#define AR_LA_BAYT "\xD9\x84\xD8\xA7 \xD8\xA8\xD9\x8E\xD9\x8A\xD8\xAA" /* لا بَيت */

struct line_spec {
	const char *text;
	const char *lang;
	size_t cut; /* 0: whole text; else a hyphenated line [0, cut) */
};

struct pdf_out {
	unsigned char *p;
	size_t n;
	struct shape_line first; /* the first line, kept for comparisons */
};

static void shape_spec(struct fx *f, const struct line_spec *ls,
		       struct shape_line *ln)
{
	size_t len = strlen(ls->text);
	struct shape_span sp = {0, len, FONT_REGULAR, ls->lang, 0};
	struct bidi_para bp;
	struct diag err;

	assert_int_equal(bidi_analyse(ls->text, len,
				      bidi_language_rtl(ls->lang) ? BIDI_RTL
								  : BIDI_LTR,
				      &bp, &err),
			 BRIEF_OK);
	assert_int_equal(shape_line(f->sh, ls->text, len, &sp, 1, &bp, 0,
				    ls->cut ? ls->cut : len, ls->cut != 0, ln,
				    &err),
			 BRIEF_OK);
	bidi_para_free(&bp);
}

/* A one-page PDF of the lines (content uncompressed), in memory. */
static void build(struct fx *f, const struct line_spec *lines, size_t n,
		  struct pdf_out *out)
{
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	HPDF_Page page;
	struct pdf_glyphs *pg;
	struct diag err;
	HPDF_UINT32 size;

	assert_non_null(pdf);
	page = HPDF_AddPage(pdf);
	assert_int_equal(pdf_glyphs_new(pdf, f->sh, &pg, &err), BRIEF_OK);
	assert_int_equal(pdf_glyphs_doc_lang(pdf, "fr", &err), BRIEF_OK);
	for (size_t i = 0; i < n; i++) {
		struct shape_line ln;
		struct pdf_glyph_opts o = {.size = 20, .color = {0, 0, 0, 1}};

		shape_spec(f, &lines[i], &ln);
		assert_int_equal(pdf_glyphs_line(pg, page, 100,
						 700 - 30 * (double)i, &o, &ln,
						 &err),
				 BRIEF_OK);
		if (i == 0)
			out->first = ln;
		else
			shape_line_free(&ln);
	}
	assert_int_equal(pdf_glyphs_finish(pg, &err), BRIEF_OK);
	assert_int_equal(HPDF_SaveToStream(pdf), HPDF_OK);
	size = HPDF_GetStreamSize(pdf);
	out->p = malloc(size + 1);
	out->n = size;
	assert_int_equal(HPDF_ReadFromStream(pdf, out->p, &size), HPDF_OK);
	out->p[out->n] = '\0';
	pdf_glyphs_free(pg);
	HPDF_Free(pdf);
}

static void out_free(struct pdf_out *o)
{
	free(o->p);
	shape_line_free(&o->first);
}

/* The first occurrence of n bytes s in [p, p + len), or NULL. */
static const unsigned char *mem_find(const unsigned char *p, size_t len,
				     const char *s, size_t n)
{
	for (size_t i = 0; n <= len && i <= len - n; i++)
		if (p[i] == (unsigned char)s[0] && memcmp(p + i, s, n) == 0)
			return p + i;
	return NULL;
}

static const char *find(const struct pdf_out *o, const char *s)
{
	return (const char *)mem_find(o->p, o->n, s, strlen(s));
}

/* The FlateDecode streams that inflate to text (no NUL byte: the
 * ToUnicode maps, not the font programs), joined. */
static char *inflated(const struct pdf_out *o)
{
	size_t cap = 1 << 20, n = 0;
	char *all = malloc(cap);
	const unsigned char *p = o->p, *end = o->p + o->n;

	while ((p = mem_find(p, (size_t)(end - p), "stream", 6))) {
		z_stream z;
		unsigned char buf[65536];
		int rc;

		p += 6;
		if (*p == '\r')
			p++;
		if (*p++ != '\n')
			continue; /* "endstream" */
		memset(&z, 0, sizeof z);
		if (inflateInit(&z) != Z_OK)
			break;
		z.next_in = (unsigned char *)p;
		z.avail_in = (uInt)(end - p);
		do {
			z.next_out = buf;
			z.avail_out = sizeof buf;
			rc = inflate(&z, Z_NO_FLUSH);
			if (rc != Z_OK && rc != Z_STREAM_END)
				break;
			if (n + (sizeof buf - z.avail_out) + 1 < cap &&
			    !memchr(buf, 0, sizeof buf - z.avail_out)) {
				memcpy(all + n, buf, sizeof buf - z.avail_out);
				n += sizeof buf - z.avail_out;
			}
		} while (rc == Z_OK);
		inflateEnd(&z);
	}
	all[n] = '\0';
	return all;
}

static double advance1000(struct fx *f, int face, unsigned gid)
{
	hb_font_t *font = hb_font_create(shaper_hb_face(f->sh, face));
	unsigned upem = shaper_upem(f->sh, face);
	double w;

	hb_font_set_scale(font, (int)upem, (int)upem);
	w = (double)hb_font_get_glyph_h_advance(font, gid) * 1000.0 / upem;
	hb_font_destroy(font);
	return round(w * 1000) / 1000;
}

/* Glyph positions as a PDF reader computes them from the first TJ arrays
 * of the content (until ET), against HarfBuzz's: pen + x offset. */
static void test_positions_exact(void **state)
{
	struct fx *f = *state;
	struct line_spec ls = {"AVATAR office Tourn\xC3\xA9" "e WAVE", "fr", 0};
	struct pdf_out o;
	const char *p, *et;
	double pos = 0, pen = 0, worst = 0;
	size_t g = 0;
	int adjustments = 0;

	build(f, &ls, 1, &o);
	p = find(&o, "Tm\n");
	assert_non_null(p);
	et = strstr(p, "ET\n");
	assert_non_null(et);
	for (; p < et; p++) {
		if (*p == '<' && p[1] != '<') {
			for (p++; *p != '>'; p += 4) {
				unsigned gid;
				const struct shape_glyph *gl = &o.first.glyphs[g];
				double k = 1000.0 / o.first.runs[0].upem;
				double want = pen + gl->x_offset * k;

				assert_int_equal(sscanf(p, "%4x", &gid), 1);
				assert_int_equal(gid, gl->gid);
				if (fabs(pos - want) > worst)
					worst = fabs(pos - want);
				pos += advance1000(f, 0, gid);
				pen += gl->x_advance * k;
				g++;
			}
		} else if (*p == '-' || *p == '.' || (*p >= '0' && *p <= '9')) {
			/* A number inside a TJ array moves the position. */
			char *e;
			double v = strtod(p, &e);

			if (*e == '<' || *e == ']') {
				pos -= v;
				adjustments++;
			}
			p = e - 1;
		}
	}
	assert_int_equal(g, o.first.nglyphs);
	assert_true(worst < 0.006); /* TJ numbers carry two decimals */
	assert_true(adjustments > 3); /* kerning pairs: AV, VA, AT, Wa, ... */
	out_free(&o);
}

/* /W holds each glyph's advance in 1/1000 em, as HarfBuzz has it. */
static void test_widths(void **state)
{
	struct fx *f = *state;
	struct line_spec ls = {"Widths: WAVE 12,5 %", "fr", 0};
	struct pdf_out o;
	const char *p;
	unsigned checked = 0;

	build(f, &ls, 1, &o);
	p = find(&o, "/W [");
	assert_non_null(p);
	p += 4;
	while (*p && *p != ']') {
		char *e;
		unsigned long first = strtoul(p, &e, 10);

		assert_true(e != p);
		p = strchr(e, '[') + 1;
		for (unsigned long gid = first; *p != ']'; gid++) {
			double w = strtod(p, &e);

			assert_true(fabs(w - advance1000(f, 0, (unsigned)gid)) <
				    0.001);
			checked++;
			p = e;
			while (*p == ' ')
				p++;
		}
		p++;
		while (*p == ' ')
			p++;
	}
	assert_true(checked >= 10);
	out_free(&o);
}

/* ToUnicode: the ffi ligature maps to its three letters; lam-alef (in a
 * right-to-left run) to its two, in visual order; every glyph drawn is
 * mapped. */
static void test_tounicode(void **state)
{
	struct fx *f = *state;
	struct line_spec ls[2] = {{"office", "en", 0}, {AR_LA_BAYT, "ar", 0}};
	struct pdf_out o;
	struct shape_line la;
	char *maps, want[64];
	struct line_spec lone = {"\xD9\x84\xD8\xA7", "ar", 0};

	build(f, ls, 2, &o);
	maps = inflated(&o);
	assert_non_null(strstr(maps, "beginbfchar"));
	/* o + ffi + c + e: the ligature is the second glyph. */
	assert_int_equal(o.first.nglyphs, 4);
	snprintf(want, sizeof want, "<%04X> <006600660069>",
		 o.first.glyphs[1].gid);
	assert_non_null(strstr(maps, want));
	shape_spec(f, &lone, &la);
	assert_int_equal(la.nglyphs, 1);
	snprintf(want, sizeof want, "<%04X> <06270644>", la.glyphs[0].gid);
	assert_non_null(strstr(maps, want));
	shape_line_free(&la);
	free(maps);
	out_free(&o);
}

/* ActualText: the inserted hyphen reads as a soft hyphen; a character no
 * face has as itself. */
static void test_actual_text(void **state)
{
	struct fx *f = *state;
	struct line_spec ls[2] = {
		{"d\xC3\xA9placement", "fr", 6}, /* "dépla-" */
		{"smile \xF0\x9F\x98\x80", "en", 0}};
	struct pdf_out o;

	build(f, ls, 2, &o);
	assert_non_null(find(&o, "/ActualText <FEFF00AD>"));
	assert_non_null(find(&o, "/ActualText <FEFFD83DDE00>"));
	assert_null(find(&o, "/ActualText <FEFF0073")); /* "smile" maps */
	out_free(&o);
}

/* A mark above a letter is raised with Ts; the word it is in becomes one
 * ActualText span (extractors would split it at the raised mark), its
 * characters in visual order as the rest of right-to-left text. */
static void test_mark_rise(void **state)
{
	struct fx *f = *state;
	struct line_spec ls = {AR_LA_BAYT, "ar", 0};
	struct pdf_out o;
	bool raised = false;

	build(f, &ls, 1, &o);
	for (size_t i = 0; i < o.first.nglyphs; i++)
		raised |= o.first.glyphs[i].y_offset != 0;
	assert_true(raised); /* Noto Sans Arabic places the fatha so */
	assert_non_null(find(&o, " Ts\n"));
	/* بَيت: ta, ya, fatha, ba */
	assert_non_null(find(&o, "/ActualText <FEFF062A064A064E0628>"));
	/* لا has no mark: its glyph's ToUnicode entry is enough. */
	assert_null(find(&o, "/ActualText <FEFF0627"));
	assert_null(find(&o, "/ActualText <FEFF0644"));
	out_free(&o);
}

/* The font dictionaries PDF/A-1b asks for, and the document language. */
static void test_font_dicts(void **state)
{
	struct fx *f = *state;
	struct line_spec ls = {"Font parts", "en", 0};
	struct pdf_out o;

	build(f, &ls, 1, &o);
	assert_non_null(find(&o, "/Subtype /Type0"));
	assert_non_null(find(&o, "/Encoding /Identity-H"));
	assert_non_null(find(&o, "/Subtype /CIDFontType2"));
	assert_non_null(find(&o, "/CIDToGIDMap /Identity"));
	assert_non_null(find(&o, "/Ordering (Identity)"));
	assert_non_null(find(&o, "/CapHeight 714"));
	assert_non_null(find(&o, "/CIDSet"));
	assert_non_null(find(&o, "/FontFile2"));
	assert_non_null(find(&o, "/Length1"));
	assert_non_null(find(&o, "/ToUnicode"));
	assert_non_null(find(&o, "+NotoSans-Regular"));
	assert_non_null(find(&o, "/Lang (fr)"));
	out_free(&o);
}

static void test_reproducible(void **state)
{
	struct fx *f = *state;
	struct line_spec ls[2] = {{"Same bytes", "en", 0},
				  {AR_LA_BAYT, "ar", 0}};
	struct pdf_out a, b;

	build(f, ls, 2, &a);
	build(f, ls, 2, &b);
	assert_int_equal(a.n, b.n);
	assert_memory_equal(a.p, b.p, a.n);
	out_free(&a);
	out_free(&b);
}

/* Misuse is an internal error, not a crash. */
static void test_misuse(void **state)
{
	struct fx *f = *state;
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	HPDF_Page page = HPDF_AddPage(pdf);
	struct pdf_glyphs *pg;
	struct shape_line ln;
	struct line_spec ls = {"text", "en", 0};
	struct pdf_glyph_opts o = {.size = 10};
	struct diag err;

	shape_spec(f, &ls, &ln);
	assert_int_equal(pdf_glyphs_new(pdf, f->sh, &pg, &err), BRIEF_OK);
	HPDF_Page_BeginText(page);
	assert_int_equal(pdf_glyphs_line(pg, page, 0, 0, &o, &ln, &err),
			 BRIEF_EINTERNAL);
	assert_non_null(strstr(err.msg, "internal error"));
	HPDF_Page_EndText(page);
	assert_int_equal(pdf_glyphs_line(pg, page, 0, 0, &o, &ln, &err),
			 BRIEF_OK);
	assert_int_equal(pdf_glyphs_finish(pg, &err), BRIEF_OK);
	assert_int_equal(pdf_glyphs_line(pg, page, 0, 0, &o, &ln, &err),
			 BRIEF_EINTERNAL);
	shape_line_free(&ln);
	pdf_glyphs_free(pg);
	pdf_glyphs_free(NULL);
	HPDF_Free(pdf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_positions_exact),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_tounicode),
		cmocka_unit_test(test_actual_text),
		cmocka_unit_test(test_mark_rise),
		cmocka_unit_test(test_font_dicts),
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_misuse),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
