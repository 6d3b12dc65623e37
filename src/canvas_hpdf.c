/* canvas_hpdf.c — charts replayed into a libharu page (canvas_hpdf.h). */
#include "buf.h"
#include "canvas_hpdf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cairo_t *canvas_hpdf_cairo(void)
{
	cairo_surface_t *s =
		cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
	cairo_t *cr = cairo_create(s);

	cairo_surface_destroy(s); /* cr keeps its own reference */
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		cairo_destroy(cr);
		return NULL;
	}
	return cr;
}

/* Emit cr's current path (taken in device space, which is the canvas's
 * coordinate system) into o, then clear it. */
static void replay_path(double ox, double oy, int *failed, cairo_t *cr,
			struct pdf_ops *o)
{
	cairo_matrix_t m;
	cairo_path_t *path;

	cairo_get_matrix(cr, &m);
	cairo_identity_matrix(cr);
	path = cairo_copy_path(cr);
	cairo_set_matrix(cr, &m);
	cairo_new_path(cr);
	if (!path)
		return;
	if (path->status != CAIRO_STATUS_SUCCESS) {
		*failed = 1;
		cairo_path_destroy(path);
		return;
	}
	for (int i = 0; i < path->num_data; i += path->data[i].header.length) {
		cairo_path_data_t *d = &path->data[i];

#define PT(k)                                                      \
	do {                                                       \
		pdf_ops_num(o, (HPDF_REAL)(ox + d[k].point.x));    \
		pdf_ops_num(o, (HPDF_REAL)(oy - d[k].point.y));    \
	} while (0)
		switch (d->header.type) {
		case CAIRO_PATH_MOVE_TO:
			PT(1);
			pdf_ops_op(o, "m");
			break;
		case CAIRO_PATH_LINE_TO:
			PT(1);
			pdf_ops_op(o, "l");
			break;
		case CAIRO_PATH_CURVE_TO:
			PT(1);
			PT(2);
			PT(3);
			pdf_ops_op(o, "c");
			break;
		case CAIRO_PATH_CLOSE_PATH:
			pdf_ops_op(o, "h");
			break;
		}
#undef PT
	}
	cairo_path_destroy(path);
}

static int path_empty(cairo_t *cr)
{
	double x1, y1, x2, y2;

	cairo_path_extents(cr, &x1, &y1, &x2, &y2);
	return x1 == 0 && y1 == 0 && x2 == 0 && y2 == 0 &&
	       !cairo_has_current_point(cr);
}

static void rgb(struct pdf_ops *o, struct rgba f, const char *op)
{
	pdf_ops_num(o, (HPDF_REAL)f.r);
	pdf_ops_num(o, (HPDF_REAL)f.g);
	pdf_ops_num(o, (HPDF_REAL)f.b);
	pdf_ops_op(o, op);
}

/* Operators written directly (pdf_ops), each fill or stroke inside its own
 * q ... Q, as libharu would write them. The path must not be empty. */
static void emit_fill(cairo_t *cr, struct rgba c, double ox, double oy,
		      int *failed, struct pdf_ops *o)
{
	struct rgba f = pdf_flatten(c);
	int eo = cairo_get_fill_rule(cr) == CAIRO_FILL_RULE_EVEN_ODD;

	pdf_ops_op(o, "q");
	rgb(o, f, "rg");
	replay_path(ox, oy, failed, cr, o);
	pdf_ops_op(o, eo ? "f*" : "f");
	pdf_ops_op(o, "Q");
}

static void emit_stroke(cairo_t *cr, struct rgba c, double width,
			const double *dash, int ndash, double ox, double oy,
			int *failed, struct pdf_ops *o)
{
	struct rgba f = pdf_flatten(c);
	int n;

	pdf_ops_op(o, "q");
	rgb(o, f, "RG");
	pdf_ops_num(o, (HPDF_REAL)width);
	pdf_ops_op(o, "w");
	/* libharu dashes are whole points, 1 to 8 of them, one or an even
	 * number (it refuses others). */
	n = dash && ndash > 0 ? (ndash < 8 ? ndash : 8) : 0;
	if (n == 1 || (n > 0 && n % 2 == 0)) {
		char d[8 * 5 + 16], *p = d;

		*p++ = '[';
		for (int i = 0; i < n; i++) {
			long v = lround(dash[i]);

			v = v < 1 ? 1 : v > 100 ? 100 : v;
			p += snprintf(p, sizeof d - (size_t)(p - d), "%ld ",
				      v);
		}
		memcpy(p, "] 0 d", 6);
		pdf_ops_op(o, d);
	}
	replay_path(ox, oy, failed, cr, o);
	pdf_ops_op(o, "S");
	pdf_ops_op(o, "Q");
}

static void hpdf_fill(void *impl, cairo_t *cr, struct rgba c)
{
	struct canvas_hpdf *h = impl;
	struct pdf_ops o;

	if (path_empty(cr) || c.a <= 0) {
		cairo_new_path(cr);
		return;
	}
	pdf_ops_begin(&o, h->page);
	emit_fill(cr, c, h->ox, h->oy, &h->failed, &o);
	if (pdf_ops_end(&o))
		h->failed = 1;
}

static void hpdf_stroke(void *impl, cairo_t *cr, struct rgba c, double width,
			const double *dash, int ndash)
{
	struct canvas_hpdf *h = impl;
	struct pdf_ops o;

	if (path_empty(cr) || c.a <= 0) {
		cairo_new_path(cr);
		return;
	}
	pdf_ops_begin(&o, h->page);
	emit_stroke(cr, c, width, dash, ndash, h->ox, h->oy, &h->failed, &o);
	if (pdf_ops_end(&o))
		h->failed = 1;
}

/* Where text of width w anchored at (x, y) of the canvas starts on the
 * page. */
static void text_origin(double ox, double oy, double x, double y,
			double angle, enum text_anchor anchor, double w,
			double *px, double *py)
{
	double a = angle * 3.14159265358979323846 / 180.0;
	double shift = anchor == ANCHOR_MIDDLE ? w / 2
		       : anchor == ANCHOR_END  ? w
					       : 0;

	/* Canvas y grows down, PDF y up; a counter-clockwise angle is
	 * counter-clockwise on the page in both. */
	*px = ox + x - shift * cos(a);
	*py = oy - y - shift * sin(a);
}

/* A label shaped as a paragraph of its own, its direction from its first
 * strong character (an Arabic label reads right to left, the chart is
 * not mirrored). 0, or -1 when shaping failed. */
static int shape_label(struct shaper *sh, const char *s, size_t len,
		       enum font_style style, struct shape_line *out)
{
	struct shape_span sp = {0, len, style, NULL, 0};

	return shape_line(sh, s, len, &sp, 1, NULL, 0, len, false, out,
			  NULL) == BRIEF_OK
		       ? 0
		       : -1;
}

static int draw_label(struct pdf_glyphs *pg, HPDF_Page page, double x,
		      double y, double angle, double size, struct rgba c,
		      const struct shape_line *ln)
{
	struct pdf_glyph_opts o = {.size = size, .angle = angle,
				   .color = pdf_flatten(c)};

	switch (pdf_glyphs_line(pg, page, x, y, &o, ln, NULL)) {
	case BRIEF_OK:
		return 0;
	case BRIEF_ENOMEM:
		return CANVAS_HPDF_NOMEM;
	default:
		return -1;
	}
}

static void hpdf_text(void *impl, double x, double y, double angle,
		      enum text_anchor anchor, const char *s, size_t len,
		      enum font_style style, double size, struct rgba c)
{
	struct canvas_hpdf *h = impl;
	struct shape_line ln;
	double px, py;

	if (len == 0)
		return;
	if (shape_label(h->sh, s, len, style, &ln)) {
		h->failed = 1;
		return;
	}
	text_origin(h->ox, h->oy, x, y, angle, anchor, ln.width_em * size,
		    &px, &py);
	if (draw_label(h->pg, h->page, px, py, angle, size, c, &ln))
		h->failed = 1;
	shape_line_free(&ln);
}

const struct canvas_ops canvas_hpdf_ops = {
	.fill = hpdf_fill,
	.stroke = hpdf_stroke,
	.text = hpdf_text,
};

/* The recording canvas (canvas_hpdf.h). */
enum rec_kind { REC_BYTES, REC_TEXT };

struct rec_item {
	enum rec_kind kind;
	size_t off, len; /* REC_BYTES: in bytes; REC_TEXT: off is the line */
	double x, y, angle, size; /* REC_TEXT: origin on the page */
	struct rgba c;
};

static struct rec_item *rec_add(struct canvas_hpdf_rec *r,
				enum rec_kind kind)
{
	struct rec_item *it;

	if (array_reserve(&r->items, &r->capitems, r->nitems + 1,
			  sizeof *r->items, 0)) {
		r->failed = 1;
		return NULL;
	}
	it = &r->items[r->nitems++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	return it;
}

/* pdf_ops sink: bytes onto the last item when it holds bytes. */
static int rec_bytes(void *ctx, const char *p, size_t n)
{
	struct canvas_hpdf_rec *r = ctx;
	struct rec_item *it = r->nitems ? &r->items[r->nitems - 1] : NULL;

	if (array_reserve(&r->bytes, &r->capbytes, r->nbytes + n, 1, 0))
		return -1;
	if (!it || it->kind != REC_BYTES) {
		it = rec_add(r, REC_BYTES);
		if (!it)
			return -1;
		it->off = r->nbytes;
	}
	memcpy(r->bytes + r->nbytes, p, n);
	r->nbytes += n;
	it->len += n;
	return 0;
}

static void rec_fill(void *impl, cairo_t *cr, struct rgba c)
{
	struct canvas_hpdf_rec *r = impl;
	struct pdf_ops o;

	if (path_empty(cr) || c.a <= 0) {
		cairo_new_path(cr);
		return;
	}
	pdf_ops_begin_sink(&o, rec_bytes, r);
	emit_fill(cr, c, r->ox, r->oy, &r->failed, &o);
	if (pdf_ops_end(&o))
		r->failed = 1;
}

static void rec_stroke(void *impl, cairo_t *cr, struct rgba c, double width,
		       const double *dash, int ndash)
{
	struct canvas_hpdf_rec *r = impl;
	struct pdf_ops o;

	if (path_empty(cr) || c.a <= 0) {
		cairo_new_path(cr);
		return;
	}
	pdf_ops_begin_sink(&o, rec_bytes, r);
	emit_stroke(cr, c, width, dash, ndash, r->ox, r->oy, &r->failed, &o);
	if (pdf_ops_end(&o))
		r->failed = 1;
}

static void rec_text(void *impl, double x, double y, double angle,
		     enum text_anchor anchor, const char *s, size_t len,
		     enum font_style style, double size, struct rgba c)
{
	struct canvas_hpdf_rec *r = impl;
	struct rec_item *it;
	struct shape_line *ln;

	if (len == 0) /* nothing to draw */
		return;
	if (array_reserve(&r->lines, &r->caplines, r->nlines + 1,
			  sizeof *r->lines, 0)) {
		r->failed = 1;
		return;
	}
	ln = &r->lines[r->nlines];
	if (shape_label(r->sh, s, len, style, ln)) {
		r->failed = 1;
		return;
	}
	r->nlines++;
	it = rec_add(r, REC_TEXT);
	if (!it)
		return;
	text_origin(r->ox, r->oy, x, y, angle, anchor, ln->width_em * size,
		    &it->x, &it->y);
	it->off = r->nlines - 1;
	it->angle = angle;
	it->size = size;
	it->c = c;
}

const struct canvas_ops canvas_hpdf_rec_ops = {
	.fill = rec_fill,
	.stroke = rec_stroke,
	.text = rec_text,
};

int canvas_hpdf_replay(const struct canvas_hpdf_rec *r,
		       struct pdf_glyphs *pg, HPDF_Page page)
{
	int rc = 0;

	for (size_t i = 0; i < r->nitems && !rc; i++) {
		const struct rec_item *it = &r->items[i];

		if (it->kind == REC_BYTES)
			rc = pdf_page_write(page, r->bytes + it->off, it->len);
		else
			rc = draw_label(pg, page, it->x, it->y, it->angle,
					it->size, it->c, &r->lines[it->off]);
	}
	return rc;
}

void canvas_hpdf_rec_free(struct canvas_hpdf_rec *r)
{
	if (!r)
		return;
	free(r->bytes);
	free(r->items);
	for (size_t i = 0; i < r->nlines; i++)
		shape_line_free(&r->lines[i]);
	free(r->lines);
	r->bytes = NULL;
	r->items = NULL;
	r->lines = NULL;
	r->nbytes = r->capbytes = r->nitems = r->capitems = r->nlines =
		r->caplines = 0;
}
