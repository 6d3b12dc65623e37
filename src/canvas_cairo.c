/* canvas_cairo.c — the cairo back end of a canvas (PNG export):
 * paths are already on cr; text is drawn run by run in the fontset's faces
 * with unhinted metrics, so positions match fontset_text_width. */
#include "canvas.h"

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

struct run_ctx {
	cairo_t *cr;
	const struct fontset *fs;
	enum font_style style;
	double size;
	double x; /* pen position along the baseline, in text space */
};

static int draw_run(void *ctx, int face, const char *s, size_t len)
{
	struct run_ctx *r = ctx;
	char small[256];
	char *buf = small;

	if (len >= sizeof small) {
		buf = malloc(len + 1);
		if (!buf)
			return 0;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	cairo_set_font_face(r->cr, fontset_cairo_face(r->fs, face));
	cairo_set_font_size(r->cr, r->size);
	cairo_move_to(r->cr, r->x, 0);
	cairo_show_text(r->cr, buf);
	/* Advance by the one width function, not cairo's pen, so every back
	 * end places the next run at the same point. */
	r->x += fontset_text_width(r->fs, r->style, s, len, r->size);
	if (buf != small)
		free(buf);
	return 0;
}

static void cairo_text(void *impl, double x, double y, double angle,
		       enum text_anchor anchor, const char *s, size_t len,
		       enum font_style style, double size, struct rgba c)
{
	const struct canvas *cv = impl;
	cairo_t *cr = cv->cr;
	double w = fontset_text_width(cv->fonts, style, s, len, size);
	cairo_font_options_t *fo = cairo_font_options_create();
	struct run_ctx r = { cr, cv->fonts, style, size, 0 };

	r.x = anchor == ANCHOR_START ? 0 : anchor == ANCHOR_MIDDLE ? -w / 2 : -w;
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
	fontset_each_run(cv->fonts, style, s, len, draw_run, &r, NULL);
	cairo_new_path(cr);
	cairo_restore(cr);
}

const struct canvas_ops canvas_cairo_ops = {
	cairo_fill_path,
	cairo_stroke_path,
	cairo_text,
};
