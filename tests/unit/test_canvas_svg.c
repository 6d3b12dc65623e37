/* test_canvas_svg.c — brief's SVG canvas: escaping of every string, paths,
 * fills, strokes and dashes, text with anchors and rotation, the words of
 * a line joined into one <text>, the document's head, and the font list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "canvas_svg.h"

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

/* svg_escape of len bytes of s, as a heap string. */
static char *escaped(const char *s, size_t len)
{
	struct buf b = BUF_INIT(0);

	assert_int_equal(svg_escape(&b, s, len), BRIEF_OK);
	return buf_take(&b);
}

#define ESCAPES_TO(in, want)                                   \
	do {                                                   \
		char *got_ = escaped(in, sizeof(in) - 1);      \
		assert_string_equal(got_, want);               \
		free(got_);                                    \
	} while (0)

#define FFFD "\xEF\xBF\xBD"

static void test_escape(void **state)
{
	(void)state;
	ESCAPES_TO("plain text", "plain text");
	ESCAPES_TO("<b>R&D</b>", "&lt;b&gt;R&amp;D&lt;/b&gt;");
	ESCAPES_TO("\"quoted\" 'single'", "&quot;quoted&quot; &apos;single&apos;");
	/* Whitespace survives attribute normalisation as references. */
	ESCAPES_TO("a\tb\nc\rd", "a&#x9;b&#xA;c&#xD;d");
	/* Controls XML 1.0 cannot carry, even as references. */
	ESCAPES_TO("bell\a esc\x1b nul-free\x01", "bell" FFFD " esc" FFFD
		   " nul-free" FFFD);
	/* Other scripts pass as they are. */
	ESCAPES_TO("café Ստեփանակերտ Донецьк", "café Ստեփանակերտ Донецьк");
	/* Malformed UTF-8: a lone byte, a cut sequence, an overlong '/',
	 * a surrogate; then the non-characters U+FFFE and U+FFFF. */
	ESCAPES_TO("x\xFFy", "x" FFFD "y");
	ESCAPES_TO("end\xC3", "end" FFFD);
	ESCAPES_TO("\xC0\xAF", FFFD FFFD);
	ESCAPES_TO("\xED\xA0\x80", FFFD FFFD FFFD);
	ESCAPES_TO("\xEF\xBF\xBE\xEF\xBF\xBF", FFFD FFFD);
	/* len, not the terminator, ends the text. */
	{
		char *got = escaped("abc<def", 4);

		assert_string_equal(got, "abc&lt;");
		free(got);
	}
}

struct drawn {
	struct canvas_svg svg;
	struct canvas cv;
};

static void begin(struct drawn *d)
{
	canvas_svg_init(&d->svg, fonts);
	d->cv.cr = canvas_svg_cairo();
	assert_non_null(d->cv.cr);
	d->cv.fonts = fonts;
	d->cv.ops = &canvas_svg_ops;
	d->cv.impl = &d->svg;
	d->cv.width = 200;
	d->cv.height = 100;
}

/* The whole document (heap), with a head that has everything. */
static char *finish(struct drawn *d, const struct svg_head *h)
{
	struct svg_head def = { 224, 124, 12, true, "t-1", "Title", "Desc",
				"0123456789abcdef0123456789abcdef",
				"brief test" };
	struct diag err;
	char *out = NULL;
	size_t len = 0;

	cairo_destroy(d->cv.cr);
	assert_int_equal(canvas_svg_document(&d->svg, h ? h : &def, &out,
					     &len, &err),
			 BRIEF_OK);
	assert_int_equal(strlen(out), len);
	canvas_svg_free(&d->svg);
	return out;
}

static void test_fills_strokes_dashes(void **state)
{
	struct drawn d;
	struct rgba red = { 1, 0, 0, 0.5 }, ink = { 0.13, 0.13, 0.13, 1 };
	double dash[2] = { 3, 1.5 };
	char *svg;

	(void)state;
	begin(&d);
	cairo_rectangle(d.cv.cr, 1, 2, 10, 20);
	canvas_fill(&d.cv, red);
	cairo_move_to(d.cv.cr, 0, 50.25);
	cairo_line_to(d.cv.cr, 100, 50.25);
	canvas_stroke(&d.cv, ink, 0.6, dash, 2);
	cairo_arc(d.cv.cr, 50, 50, 5, 0, 6.283185307179586);
	cairo_set_fill_rule(d.cv.cr, CAIRO_FILL_RULE_EVEN_ODD);
	canvas_fill(&d.cv, ink);
	/* Nothing to draw: no element, and the path stays cleared. */
	canvas_fill(&d.cv, ink);
	cairo_rectangle(d.cv.cr, 0, 0, 5, 5);
	canvas_fill(&d.cv, (struct rgba){ 0, 0, 0, 0 });
	svg = finish(&d, NULL);
	assert_non_null(strstr(svg, "<path fill=\"#ff0000\" fill-opacity=\"0.5\" "
				    "d=\"M 1 2 L 11 2 L 11 22 L 1 22 Z"));
	assert_non_null(strstr(svg, "<path fill=\"none\" stroke=\"#212121\" "
				    "stroke-width=\"0.6\" "
				    "stroke-dasharray=\"3 1.5\" "
				    "d=\"M 0 50.25 L 100 50.25\"/>"));
	/* An arc arrives as curves; even-odd is kept. */
	assert_non_null(strstr(svg, "fill-rule=\"evenodd\" d=\"M 55 50 C "));
	assert_non_null(strstr(svg, "</g>\n</svg>\n"));
	/* Three paths drawn, no more. */
	{
		int n = 0;

		for (const char *p = svg; (p = strstr(p, "<path")); p++)
			n++;
		assert_int_equal(n, 3);
	}
	free(svg);
}

static void test_text(void **state)
{
	struct drawn d;
	struct rgba grey = { 0.4, 0.4, 0.4, 1 };
	double sp = fontset_text_width(fonts, FONT_REGULAR, " ", 1, 7);
	double w = fontset_text_width(fonts, FONT_REGULAR, "Deaths", 6, 7);
	char *svg;

	(void)state;
	begin(&d);
	/* The words of one line, placed one by one as the line breaker
	 * does: one <text>. */
	canvas_text(&d.cv, 10, 20, 0, ANCHOR_START, "Deaths", FONT_REGULAR, 7,
		    grey);
	canvas_text(&d.cv, 10 + w + sp, 20, 0, ANCHOR_START, "<&>",
		    FONT_REGULAR, 7, grey);
	/* A word further off, or in another style, is its own. */
	canvas_text(&d.cv, 150, 20, 0, ANCHOR_START, "apart", FONT_REGULAR, 7,
		    grey);
	canvas_text(&d.cv, 180, 20, 0, ANCHOR_START, "bold", FONT_BOLD, 7,
		    grey);
	canvas_text(&d.cv, 30, 90, 90, ANCHOR_END, "Vell \"Monitor\"",
		    FONT_BOLD_ITALIC, 7.5, grey);
	canvas_text(&d.cv, 100, 60, 0, ANCHOR_MIDDLE, "mid", FONT_ITALIC, 8,
		    grey);
	svg = finish(&d, NULL);
	assert_non_null(strstr(svg, "<text x=\"10\" y=\"20\" font-size=\"7\" "
				    "fill=\"#666666\">Deaths &lt;&amp;&gt;</text>"));
	assert_non_null(strstr(svg, ">apart</text>"));
	assert_non_null(strstr(svg, "font-weight=\"bold\" fill=\"#666666\">"
				    "bold</text>"));
	assert_non_null(strstr(svg, "<text x=\"30\" y=\"90\" font-size=\"7.5\" "
				    "font-weight=\"bold\" font-style=\"italic\" "
				    "text-anchor=\"end\" fill=\"#666666\" "
				    "transform=\"rotate(-90 30 90)\">"
				    "Vell &quot;Monitor&quot;</text>"));
	assert_non_null(strstr(svg, "font-style=\"italic\" "
				    "text-anchor=\"middle\""));
	free(svg);
}

/* Text stays below a fill drawn after it (the pending line is written
 * before the fill). */
static void test_text_order(void **state)
{
	struct drawn d;
	struct rgba ink = { 0, 0, 0, 1 };
	char *svg;

	(void)state;
	begin(&d);
	canvas_text(&d.cv, 0, 10, 0, ANCHOR_START, "under", FONT_REGULAR, 7,
		    ink);
	cairo_rectangle(d.cv.cr, 0, 0, 50, 20);
	canvas_fill(&d.cv, ink);
	canvas_text(&d.cv, 0, 10, 0, ANCHOR_START, "over", FONT_REGULAR, 7,
		    ink);
	svg = finish(&d, NULL);
	assert_non_null(strstr(svg, ">under</text>"));
	assert_true(strstr(svg, ">under</text>") < strstr(svg, "<path"));
	assert_true(strstr(svg, "<path") < strstr(svg, ">over</text>"));
	free(svg);
}

static void test_document_head(void **state)
{
	struct drawn d;
	struct svg_head h = { 507, 313.8, 12, false, "vell-deaths",
			      "Deaths <in> \"Vell\" & after",
			      "Alt text\x01 with a control", "ab12", NULL };
	char *svg;

	(void)state;
	begin(&d);
	svg = finish(&d, &h);
	assert_ptr_equal(strstr(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				     "<svg xmlns=\"http://www.w3.org/2000/svg\""),
			 svg);
	assert_non_null(strstr(svg, " width=\"507pt\" height=\"313.8pt\" "
				    "viewBox=\"0 0 507 313.8\" role=\"img\" "
				    "aria-labelledby=\"brief-vell-deaths-title\" "
				    "aria-describedby=\"brief-vell-deaths-desc\""));
	assert_non_null(strstr(svg, "<title id=\"brief-vell-deaths-title\">"
				    "Deaths &lt;in&gt; &quot;Vell&quot; &amp; "
				    "after</title>"));
	assert_non_null(strstr(svg, "<desc id=\"brief-vell-deaths-desc\">Alt "
				    "text" FFFD " with a control</desc>"));
	assert_non_null(strstr(svg, "input=\"ab12\"/></metadata>"));
	/* Transparent: no background; the drawing is moved by the margin. */
	assert_null(strstr(svg, "<rect"));
	assert_non_null(strstr(svg, "<g transform=\"translate(12 12)\""));
	/* The title comes first, so readers take it as the name. */
	assert_true(strstr(svg, "<title") < strstr(svg, "<desc"));
	assert_true(strstr(svg, "<desc") < strstr(svg, "<metadata"));
	free(svg);

	/* No title, description or stamp: the elements are left out. */
	memset(&h, 0, sizeof h);
	h.width = 10;
	h.height = 10;
	h.background = true;
	begin(&d);
	svg = finish(&d, &h);
	assert_null(strstr(svg, "<title"));
	assert_null(strstr(svg, "<desc"));
	assert_null(strstr(svg, "<metadata"));
	assert_null(strstr(svg, "aria-"));
	assert_non_null(strstr(svg, "<rect width=\"100%\" height=\"100%\" "
				    "fill=\"#ffffff\"/>"));
	free(svg);
}

static void test_font_families(void **state)
{
	struct buf b = BUF_INIT(0);

	(void)state;
	assert_int_equal(svg_font_families(fonts, &b), BRIEF_OK);
	/* Each family once, the fallback after the main one, a generic
	 * family last (Noto Sans has no serifs). */
	assert_string_equal(buf_str(&b),
			    "'Noto Sans', 'Noto Sans Armenian', "
			    "'Noto Sans Arabic', 'Noto Sans Hebrew', sans-serif");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_fills_strokes_dashes),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_order),
		cmocka_unit_test(test_document_head),
		cmocka_unit_test(test_font_families),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
