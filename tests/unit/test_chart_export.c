/* test_chart_export.c — a chart exported alone: the PNG's size and pHYs
 * follow the scale, a margin surrounds every format, the source line
 * names its sources while the briefing's stays numbered, stamps are found
 * where they are written and only there, and a PNG or PDF page too large
 * is an input error at the chart. Uses the Serrania fixtures (tests/charts). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chart.h"
#include "../charts/fixtures.h"

static struct fontset *fonts;

static int setup(void **state)
{
	struct diag err;

	(void)state;
	return fontset_open("fonts", &fonts, &err) == BRIEF_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	fontset_free(fonts);
	return 0;
}

struct fx {
	struct chart_spec *spec;
	struct sources src;
	struct palette *pal;
	struct chart *c;
};

static void fx_open(struct fx *f, const char *id)
{
	const struct fixture *fix = NULL;
	struct diag err;

	for (size_t i = 0; i < NFIXTURES; i++)
		if (strcmp(fixtures[i].id, id) == 0)
			fix = &fixtures[i];
	assert_non_null(fix);
	memset(f, 0, sizeof *f);
	f->spec = fixture_spec(fix);
	f->pal = palette_new();
	assert_int_equal(sources_load(fix->dir, &f->src, NULL, &err), BRIEF_OK);
	assert_int_equal(chart_new(f->spec, &f->src, f->pal, &f->c, &err),
			 BRIEF_OK);
	assert_int_equal(chart_collect(f->c, fix->dir, &err), BRIEF_OK);
	fixture_as_of(fix, f->c);
}

static void fx_close(struct fx *f)
{
	chart_free(f->c);
	sources_free(&f->src);
	palette_free(f->pal);
	chart_spec_free(f->spec);
	free(f->spec);
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
	       (unsigned long)p[2] << 8 | p[3];
}

/* The PNG's pixel size and the pHYs chunk's pixels per metre (0: none). */
static void png_facts(const unsigned char *p, size_t n, unsigned long *w,
		      unsigned long *h, unsigned long *ppm)
{
	*ppm = 0;
	assert_true(n > 33);
	assert_memory_equal(p, "\x89PNG\r\n\x1a\n", 8);
	assert_memory_equal(p + 12, "IHDR", 4);
	*w = be32(p + 16);
	*h = be32(p + 20);
	for (size_t i = 8; i + 12 <= n;) {
		unsigned long len = be32(p + i);

		if (memcmp(p + i + 4, "pHYs", 4) == 0) {
			assert_int_equal(len, 9);
			assert_int_equal(be32(p + i + 8), be32(p + i + 12));
			assert_int_equal(p[i + 16], 1); /* metres */
			*ppm = be32(p + i + 8);
		}
		i += 12 + len;
	}
}

static void test_png_scale_and_dpi(void **state)
{
	struct fx f;
	static const double scales[] = { 1, 2, 3, 1.5 };
	unsigned long w0 = 0, h0 = 0;

	(void)state;
	fx_open(&f, "serrania-deaths");
	for (size_t i = 0; i < sizeof scales / sizeof *scales; i++) {
		struct chart_export_opts o = { scales[i], CHART_EXPORT_MARGIN,
					       false, "brief test" };
		unsigned char *png = NULL;
		size_t len = 0;
		unsigned long w, h, ppm;
		struct diag err;
		double dpi;

		assert_int_equal(chart_export(f.c, fonts, CHART_PNG, &o, NULL,
					      &png, &len, &err),
				 BRIEF_OK);
		png_facts(png, len, &w, &h, &ppm);
		/* 483 pt and the margins on both sides, at the scale. */
		assert_int_equal(w, (unsigned long)ceil(
					    (483 + 2 * CHART_EXPORT_MARGIN) *
						    scales[i] -
					    1e-6));
		dpi = (double)ppm * 0.0254;
		assert_true(fabs(dpi - 72 * scales[i]) < 0.05);
		if (i == 0) {
			w0 = w;
			h0 = h;
		} else {
			/* The same picture, more pixels: sides in ratio. */
			assert_true(fabs((double)w / (double)w0 - scales[i]) <
				    0.01);
			assert_true(fabs((double)h / (double)h0 - scales[i]) <
				    0.01);
		}
		free(png);
	}
	fx_close(&f);
}

/* The export names its sources; the briefing's line keeps its numbers. */
static int cite_in_order(void *ctx, const char *id)
{
	int *next = ctx;

	(void)id;
	return ++*next;
}

static void test_sources_named(void **state)
{
	struct fx f;
	struct chart_export_opts o = { 2, 0, false, NULL };
	unsigned char *svg = NULL;
	size_t len = 0;
	struct diag err;
	int next = 0;
	char *numbered;

	(void)state;
	fx_open(&f, "serrania-deaths");
	chart_cite(f.c, cite_in_order, &next);
	numbered = strdup(chart_source_line(f.c));
	assert_non_null(strstr(numbered, "[1] "));
	assert_int_equal(chart_export(f.c, fonts, CHART_SVG, &o, NULL, &svg,
				      &len, &err),
			 BRIEF_OK);
	assert_non_null(strstr((char *)svg, "Sources: Serrania Ministry of "
					    "Defence; Vell Monitor;"));
	assert_null(strstr((char *)svg, "[1]"));
	assert_string_equal(chart_source_line(f.c), numbered);
	free(svg);
	free(numbered);
	fx_close(&f);
}

static const char *tmp_path(const char *ext)
{
	static char p[128];

	snprintf(p, sizeof p, "/tmp/brief-export-%ld.%s", (long)getpid(), ext);
	return p;
}

static void write_file(const char *path, const unsigned char *d, size_t n)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(d, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

static void test_stamps(void **state)
{
	struct fx f;
	struct chart_export_opts o = { 2, CHART_EXPORT_MARGIN, true, "x" };
	uint8_t a[16], b[16];

	(void)state;
	for (int i = 0; i < 16; i++) {
		a[i] = (uint8_t)(i * 17);
		b[i] = (uint8_t)(i * 17);
	}
	b[15] ^= 1;
	fx_open(&f, "serrania-control");
	for (int fmt = 0; fmt < CHART_NFORMATS; fmt++) {
		const char *path = tmp_path(chart_format_ext(fmt));
		unsigned char *d = NULL;
		size_t n = 0;
		struct diag err;

		assert_false(chart_export_has_stamp(path, fmt, a)); /* none */
		assert_int_equal(chart_export(f.c, fonts, fmt, &o, a, &d, &n,
					      &err),
				 BRIEF_OK);
		write_file(path, d, n);
		assert_int_equal(chart_export_has_stamp(path, fmt, a),
				 fmt != CHART_TXT);
		assert_false(chart_export_has_stamp(path, fmt, b));
		free(d);
		unlink(path);
	}
	fx_close(&f);
}

static void test_txt_is_alt_text(void **state)
{
	struct fx f;
	struct chart_export_opts o = { 2, CHART_EXPORT_MARGIN, false, NULL };
	unsigned char *d = NULL;
	size_t n = 0;
	struct diag err;
	size_t alt;

	(void)state;
	fx_open(&f, "serrania-displacement");
	alt = strlen(chart_alt_text(f.c));
	assert_true(alt > 40);
	assert_int_equal(chart_export(f.c, fonts, CHART_TXT, &o, NULL, &d, &n,
				      &err),
			 BRIEF_OK);
	assert_int_equal(n, alt + 1);
	assert_memory_equal(d, chart_alt_text(f.c), alt);
	assert_int_equal(d[alt], '\n');
	free(d);
	fx_close(&f);
}

/* The PDF page is the chart and its margin. */
static void test_pdf_page_size(void **state)
{
	struct fx f;
	struct chart_export_opts o = { 2, 20, false, NULL };
	unsigned char *d = NULL;
	size_t n = 0;
	struct diag err;
	char *text;

	(void)state;
	fx_open(&f, "serrania-deaths");
	assert_int_equal(chart_export(f.c, fonts, CHART_PDF, &o, NULL, &d, &n,
				      &err),
			 BRIEF_OK);
	assert_memory_equal(d, "%PDF-", 5);
	text = calloc(1, n + 1);
	assert_non_null(text);
	memcpy(text, d, n);
	for (size_t i = 0; i < n; i++)
		if (!text[i])
			text[i] = ' ';
	/* 483 pt and 20 pt each side. */
	assert_non_null(strstr(text, "/MediaBox [ 0 0 523 "));
	free(text);
	free(d);
	fx_close(&f);
}

static void test_too_large(void **state)
{
	struct fx f;
	struct chart_export_opts o = { 8, CHART_EXPORT_MARGIN, false, NULL };
	unsigned char *d = NULL;
	size_t n = 0;
	struct diag err;

	(void)state;
	fx_open(&f, "serrania-deaths");
	f.spec->height = 5000;
	f.spec->width = 483;
	memset(&err, 0, sizeof err);
	assert_int_equal(chart_export(f.c, fonts, CHART_PNG, &o, NULL, &d, &n,
				      &err),
			 BRIEF_EDATA);
	assert_null(d);
	assert_string_equal(err.file, "fixtures.h");
	assert_int_equal(err.line, 1);
	assert_non_null(strstr(err.msg, "too large for a PNG"));
	/* The vector formats have no pixels to run out of. */
	assert_int_equal(chart_export(f.c, fonts, CHART_SVG, &o, NULL, &d, &n,
				      &err),
			 BRIEF_OK);
	free(d);
	assert_int_equal(chart_export(f.c, fonts, CHART_PDF, &o, NULL, &d, &n,
				      &err),
			 BRIEF_OK);
	free(d);
	/* But a PDF page has at most 14400 pt a side. */
	f.spec->height = 15000;
	assert_int_equal(chart_export(f.c, fonts, CHART_PDF, &o, NULL, &d, &n,
				      &err),
			 BRIEF_EDATA);
	assert_null(d);
	assert_non_null(strstr(err.msg, "too large for a PDF page"));
	assert_int_equal(err.line, 1);
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png_scale_and_dpi),
		cmocka_unit_test(test_sources_named),
		cmocka_unit_test(test_stamps),
		cmocka_unit_test(test_txt_is_alt_text),
		cmocka_unit_test(test_pdf_page_size),
		cmocka_unit_test(test_too_large),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
