/* canvas_cairo.c — the cairo back end of a canvas (PNG export):
 * paths are already on cr; text is shaped (shape.h) and its glyphs shown
 * in the fontset's faces with unhinted metrics, as the PDF draws them. */
#include "canvas.h"
#include "shape.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* impl is the struct canvas itself (cv->impl = cv): text needs its cr
 * and fonts. */

static void cairo_fill_path(void *impl, cairo_t *cr, struct rgba c)
{
	(void)impl;
	cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
	cairo_fill(cr);
}

static void cairo_stroke_path(void *impl, cairo_t *cr, struct rgba c,
			      double width, const double *dash, int ndash)
{
	(void)impl;
	cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
	cairo_set_line_width(cr, width);
	cairo_set_dash(cr, ndash > 0 ? dash : NULL, ndash > 0 ? ndash : 0, 0);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
}

/* The glyphs of one shaped run at pen x (text space, baseline y = 0). */
static void show_run(cairo_t *cr, const struct fontset *fs,
		     const struct shape_line *ln, const struct shape_run *r,
		     double size, double x)
{
	cairo_glyph_t small[64], *g = small;
	double k = size / r->upem;

	if (r->n == 0)
		return;
	if (r->n > sizeof small / sizeof small[0]) {
		g = malloc(r->n * sizeof *g);
		if (!g)
			return;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct shape_glyph *sg = &ln->glyphs[r->first + i];

		g[i].index = sg->gid;
		g[i].x = x + sg->x_offset * k;
		g[i].y = -sg->y_offset * k;
		x += sg->x_advance * k;
	}
	cairo_set_font_face(cr, fontset_cairo_face(fs, r->face));
	cairo_set_font_size(cr, size);
	cairo_show_glyphs(cr, g, (int)r->n);
	if (g != small)
		free(g);
}

/* The label shaped (shape.h) as the PDF draws it, its glyphs shown run
 * by run in visual order. */
static void cairo_text(void *impl, double x, double y, double angle,
		       enum text_anchor anchor, const char *s, size_t len,
		       enum font_style style, double size, struct rgba c)
{
	const struct canvas *cv = impl;
	cairo_t *cr = cv->cr;
	cairo_font_options_t *fo;
	struct shape_span sp = {0, len, style, NULL, 0};
	struct shape_line ln;
	double w, x0;

	if (shape_line(fontset_shaper(cv->fonts), s, len, &sp, 1, NULL, 0, len,
		       false, &ln, NULL) != BRIEF_OK)
		return;
	w = ln.width_em * size;
	x0 = anchor == ANCHOR_START ? 0 : anchor == ANCHOR_MIDDLE ? -w / 2 : -w;
	fo = cairo_font_options_create();
	cairo_save(cr);
	/* Unhinted metrics: widths then agree with FreeType's (and libharu's). */
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_set_font_options(cr, fo);
	cairo_font_options_destroy(fo);
	cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
	cairo_translate(cr, x, y);
	if (angle != 0)
		cairo_rotate(cr, -angle * 3.14159265358979323846 / 180.0);
	for (size_t i = 0; i < ln.nruns; i++)
		show_run(cr, cv->fonts, &ln, &ln.runs[i], size,
			 x0 + ln.runs[i].x_em * size);
	cairo_new_path(cr);
	cairo_restore(cr);
	shape_line_free(&ln);
}

const struct canvas_ops canvas_cairo_ops = {
	cairo_fill_path,
	cairo_stroke_path,
	cairo_text,
};
