/* test_brand.c — paper sizes, colours and contrast, the period's wording
 * and logo decoding (brand.h), and the palette's fixed colours. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "brand.h"
#include "chart.h"

static const struct rgba WHITE = {1, 1, 1, 1}, BLACK = {0, 0, 0, 1};

static void test_paper(void **state)
{
	const char *name;
	double w, h, m;

	(void)state;
	assert_true(brand_paper("a5", &name, &w, &h, &m));
	assert_string_equal(name, "A5");
	assert_true(fabs(w - 419.528) < 0.01 && fabs(h - 595.276) < 0.01);
	assert_true(brand_paper("Letter", &name, &w, &h, &m));
	assert_string_equal(name, "letter");
	assert_true(w == 612 && h == 792);
	assert_true(brand_paper("LEGAL", &name, &w, &h, &m) && h == 1008);
	assert_true(brand_paper("A3", &name, &w, &h, &m) && m > 56);
	assert_false(brand_paper("B5", &name, &w, &h, &m));
	assert_false(brand_paper("", &name, &w, &h, &m));
}

static void test_colors(void **state)
{
	struct rgba c, d;
	struct brand_colors pc;
	struct doc_brand *b = brand_new();
	const struct rgba fill = {0.918, 0.941, 0.965, 1}, ink = {0.1, 0.1, 0.1, 1};

	(void)state;
	assert_true(brand_parse_color("#0b5394", &c));
	assert_true(fabs(c.r - 11 / 255.0) < 1e-9 && fabs(c.b - 148 / 255.0) < 1e-9);
	assert_true(brand_parse_color("#05A", &c));
	assert_true(fabs(c.g - 0x55 / 255.0) < 1e-9 && fabs(c.b - 0xAA / 255.0) < 1e-9);
	assert_false(brand_parse_color("0b5394", &c));
	assert_false(brand_parse_color("#0b539", &c));
	assert_false(brand_parse_color("#0b539g", &c));
	assert_false(brand_parse_color("blue", &c));
	assert_true(fabs(brand_contrast(WHITE, BLACK) - 21) < 1e-6);
	assert_true(fabs(brand_contrast(WHITE, WHITE) - 1) < 1e-6);
	/* Yellow on white is 1.1:1; darkened it reaches 4.5:1 and no more
	 * than it needs (within a step). */
	brand_parse_color("#ffdd00", &c);
	d = brand_darken_for(c, WHITE, 4.5);
	assert_true(brand_contrast(d, WHITE) >= 4.5);
	assert_true(brand_contrast(d, WHITE) < 4.6);
	assert_true(d.r <= c.r && d.g <= c.g && d.b == 0);
	/* A dark colour is left alone. */
	brand_parse_color("#1f4e79", &c);
	d = brand_darken_for(c, WHITE, 4.5);
	assert_true(d.r == c.r && d.g == c.g && d.b == c.b);
	/* The page's colours for a light accent: text darkened, the table
	 * header's text dark on it. */
	assert_non_null(b);
	b->has_accent = true;
	brand_parse_color("#f6b26b", &b->accent);
	brand_page_colors(b, fill, ink, &pc);
	assert_true(pc.accent.r == b->accent.r);
	assert_true(brand_contrast(pc.accent_text, fill) >= 4.5);
	assert_true(brand_contrast(pc.accent_text, WHITE) >= 4.5);
	assert_true(brand_contrast(pc.head_text, pc.head_fill) >= 4.5);
	/* A mid-tone where neither white nor the ink reads on it. */
	brand_parse_color("#767676", &b->accent);
	brand_page_colors(b, fill, ink, &pc);
	assert_true(brand_contrast(pc.head_text, pc.head_fill) >= 4.5);
	/* Without an accent: brief's blue, white on it. */
	brand_page_colors(NULL, fill, ink, &pc);
	assert_true(pc.head_text.r == 1 && brand_contrast(pc.accent, WHITE) > 7);
	brand_free(b);
	/* Delta E: identical 0, black and white 100. */
	assert_true(brand_delta_e(WHITE, WHITE) < 1e-9);
	assert_true(fabs(brand_delta_e(WHITE, BLACK) - 100) < 0.01);
}

static void test_period(void **state)
{
	struct date a, b;
	char buf[128];

	(void)state;
	date_parse("2025-03-03", 10, &a);
	date_parse("2025-03-09", 10, &b);
	assert_string_equal(brand_period_words(&a, &b, buf, sizeof buf),
			    "3\xE2\x80\x93" "9 March 2025");
	date_parse("2025-02-28", 10, &a);
	date_parse("2025-03-06", 10, &b);
	assert_string_equal(brand_period_words(&a, &b, buf, sizeof buf),
			    "28 February \xE2\x80\x93 6 March 2025");
	date_parse("2024-12-30", 10, &a);
	date_parse("2025-01-05", 10, &b);
	assert_string_equal(brand_period_words(&a, &b, buf, sizeof buf),
			    "30 December 2024 \xE2\x80\x93 5 January 2025");
	date_parse("2025-03", 7, &a);
	assert_string_equal(brand_period_words(&a, &a, buf, sizeof buf),
			    "March 2025");
}

/* A PNG of one chunk list written by hand: 2x1 RGBA, pixel 0 transparent
 * red, pixel 1 opaque blue. */
static size_t tiny_png(unsigned char *out, bool corrupt)
{
	unsigned char raw[] = {0, 255, 0, 0, 0, 0, 0, 255, 255};
	unsigned char z[64];
	uLongf zn = sizeof z;
	size_t n = 0;

	compress(z, &zn, raw, sizeof raw);
	memcpy(out, "\x89PNG\r\n\x1A\n", 8);
	n = 8;
	{
		unsigned char ihdr[] = {0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 2,
					0, 0, 0, 1, 8, 6, 0, 0, 0};
		uLong crc = crc32(0, ihdr + 4, 17);

		memcpy(out + n, ihdr, sizeof ihdr);
		n += sizeof ihdr;
		for (int i = 3; i >= 0; i--)
			out[n++] = (unsigned char)(crc >> (8 * i));
	}
	{
		uLong crc;

		for (int i = 3; i >= 0; i--)
			out[n++] = (unsigned char)(zn >> (8 * i));
		memcpy(out + n, "IDAT", 4);
		memcpy(out + n + 4, z, zn);
		crc = crc32(0, out + n, (uInt)(zn + 4));
		if (corrupt)
			out[n + 6] ^= 0x55; /* the CRC no longer matches */
		n += 4 + zn;
		for (int i = 3; i >= 0; i--)
			out[n++] = (unsigned char)(crc >> (8 * i));
	}
	memcpy(out + n, "\0\0\0\0IEND\xAE\x42\x60\x82", 12);
	return n + 12;
}

static void test_decode(void **state)
{
	unsigned char png[256];
	struct brand_image *im;
	char msg[256];
	size_t n = tiny_png(png, false);

	(void)state;
	assert_int_equal(brand_image_decode(png, n, &im, msg, sizeof msg),
			 BRIEF_OK);
	assert_int_equal(im->w, 2);
	assert_int_equal(im->h, 1);
	assert_int_equal(im->channels, 3);
	/* Transparent red on white is white; opaque blue stays blue. */
	assert_int_equal(im->pixels[0], 255);
	assert_int_equal(im->pixels[1], 255);
	assert_int_equal(im->pixels[2], 255);
	assert_int_equal(im->pixels[3], 0);
	assert_int_equal(im->pixels[5], 255);
	brand_image_free(im);
	/* Corrupt and truncated files are messages, never abort(). */
	n = tiny_png(png, true);
	assert_int_equal(brand_image_decode(png, n, &im, msg, sizeof msg),
			 BRIEF_EDATA);
	assert_null(im);
	assert_non_null(strstr(msg, "not a readable PNG image"));
	n = tiny_png(png, false);
	assert_int_equal(brand_image_decode(png, n - 30, &im, msg, sizeof msg),
			 BRIEF_EDATA);
	assert_int_equal(brand_image_decode((const unsigned char *)"\xFF\xD8\xFF\xE0", 4,
					    &im, msg, sizeof msg),
			 BRIEF_EDATA);
	assert_non_null(strstr(msg, "not a readable JPEG image"));
	assert_int_equal(brand_image_decode((const unsigned char *)"<svg xmlns=", 11,
					    &im, msg, sizeof msg),
			 BRIEF_EDATA);
	assert_non_null(strstr(msg, "an SVG logo cannot be placed"));
	assert_int_equal(brand_image_decode((const unsigned char *)"%PDF-1.4", 8, &im,
					    msg, sizeof msg),
			 BRIEF_EDATA);
	assert_non_null(strstr(msg, "a PDF logo cannot be placed"));
	assert_int_equal(brand_image_decode((const unsigned char *)"GIF89a", 6, &im,
					    msg, sizeof msg),
			 BRIEF_EDATA);
	assert_non_null(strstr(msg, "not a PNG or JPEG"));
	assert_int_equal(brand_image_decode((const unsigned char *)"", 0, &im, msg,
					    sizeof msg),
			 BRIEF_EDATA);
}

static bool same(struct rgba a, struct rgba b)
{
	return fabs(a.r - b.r) < 1e-9 && fabs(a.g - b.g) < 1e-9 &&
	       fabs(a.b - b.b) < 1e-9;
}

static void test_palette_fixed(void **state)
{
	struct palette *plain = palette_new(), *p = palette_new();
	struct doc_brand *b = brand_new();
	struct rgba gov, x, y, blue, orange;
	int pat;

	(void)state;
	assert_non_null(b);
	b->colors = calloc(1, sizeof *b->colors);
	b->colors[0].name = strdup("Government");
	brand_parse_color("#0b5394", &b->colors[0].color); /* near the default blue */
	b->ncolors = 1;
	assert_int_equal(palette_fix_colors(p, b), BRIEF_OK);
	blue = palette_color(plain, "party", "A", NULL);
	orange = palette_color(plain, "party", "B", NULL);
	x = palette_color(p, "party", "Rebels", &pat);
	gov = palette_color(p, "party", "Government", &pat);
	y = palette_color(p, "party", "Militia", NULL);
	assert_true(same(gov, b->colors[0].color));
	assert_int_equal(pat, 1); /* its place's pattern: second in the role */
	/* The blue it resembles is skipped; the next ones follow in order. */
	assert_false(same(x, blue));
	assert_true(same(x, orange));
	assert_false(same(y, x) || same(y, gov));
	assert_true(brand_delta_e(x, gov) >= 20 && brand_delta_e(y, gov) >= 20);
	/* In every role, on every call. */
	assert_true(same(palette_color(p, "reported_by", "Government", NULL), gov));
	assert_true(same(palette_color(p, "party", "Rebels", NULL), x));
	/* Nothing fixed: the defaults as ever. */
	assert_int_equal(palette_fix_colors(plain, NULL), BRIEF_OK);
	assert_true(same(palette_color(plain, "party", "A", NULL), blue));
	palette_free(p);
	palette_free(plain);
	brand_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paper),
		cmocka_unit_test(test_colors),
		cmocka_unit_test(test_period),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_palette_fixed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
