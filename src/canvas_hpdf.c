/* canvas_hpdf.c — charts replayed into a libharu page (canvas_hpdf.h). */
#include "canvas_hpdf.h"

#include <math.h>

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
 * coordinate system) into the page, then clear it. */
static void replay_path(struct canvas_hpdf *h, cairo_t *cr)
{
	cairo_matrix_t m;
	cairo_path_t *path;
	HPDF_Page pg = h->page;

	cairo_get_matrix(cr, &m);
	cairo_identity_matrix(cr);
	path = cairo_copy_path(cr);
	cairo_set_matrix(cr, &m);
	cairo_new_path(cr);
	if (!path)
		return;
	if (path->status != CAIRO_STATUS_SUCCESS) {
		h->failed = 1;
		cairo_path_destroy(path);
		return;
	}
	for (int i = 0; i < path->num_data; i += path->data[i].header.length) {
		cairo_path_data_t *d = &path->data[i];
		HPDF_STATUS rc = HPDF_OK;

#define PX(k) ((HPDF_REAL)(h->ox + d[k].point.x))
#define PY(k) ((HPDF_REAL)(h->oy - d[k].point.y))
		switch (d->header.type) {
		case CAIRO_PATH_MOVE_TO:
			rc = HPDF_Page_MoveTo(pg, PX(1), PY(1));
			break;
		case CAIRO_PATH_LINE_TO:
			rc = HPDF_Page_LineTo(pg, PX(1), PY(1));
			break;
		case CAIRO_PATH_CURVE_TO:
			rc = HPDF_Page_CurveTo(pg, PX(1), PY(1), PX(2), PY(2),
					       PX(3), PY(3));
			break;
		case CAIRO_PATH_CLOSE_PATH:
			rc = HPDF_Page_ClosePath(pg);
			break;
		}
#undef PX
#undef PY
		if (rc != HPDF_OK)
			h->failed = 1;
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

static void hpdf_fill(void *impl, cairo_t *cr, struct rgba c)
{
	struct canvas_hpdf *h = impl;
	struct rgba f = pdf_flatten(c);
	int eo = cairo_get_fill_rule(cr) == CAIRO_FILL_RULE_EVEN_ODD;

	if (path_empty(cr) || c.a <= 0) {
		cairo_new_path(cr);
		return;
	}
	/* Colour before the path: libharu refuses it inside a path. */
	HPDF_Page_GSave(h->page);
	HPDF_Page_SetRGBFill(h->page, (HPDF_REAL)f.r, (HPDF_REAL)f.g,
			     (HPDF_REAL)f.b);
	replay_path(h, cr);
	if ((eo ? HPDF_Page_Eofill(h->page) : HPDF_Page_Fill(h->page)) !=
	    HPDF_OK)
		h->failed = 1;
	HPDF_Page_GRestore(h->page);
}

static void hpdf_stroke(void *impl, cairo_t *cr, struct rgba c, double width,
			const double *dash, int ndash)
{
	struct canvas_hpdf *h = impl;
	struct rgba f = pdf_flatten(c);
	HPDF_UINT16 pat[8];
	HPDF_UINT n = 0;

	if (path_empty(cr) || c.a <= 0) {
		cairo_new_path(cr);
		return;
	}
	HPDF_Page_GSave(h->page);
	HPDF_Page_SetRGBStroke(h->page, (HPDF_REAL)f.r, (HPDF_REAL)f.g,
			       (HPDF_REAL)f.b);
	HPDF_Page_SetLineWidth(h->page, (HPDF_REAL)width);
	/* libharu dashes are whole points. */
	for (int i = 0; dash && i < ndash && i < 8; i++) {
		long v = lround(dash[i]);

		pat[n++] = (HPDF_UINT16)(v < 1 ? 1 : v > 100 ? 100 : v);
	}
	if (n > 0)
		HPDF_Page_SetDash(h->page, pat, n, 0);
	replay_path(h, cr);
	if (HPDF_Page_Stroke(h->page) != HPDF_OK)
		h->failed = 1;
	HPDF_Page_GRestore(h->page);
}

static void hpdf_text(void *impl, double x, double y, double angle,
		      enum text_anchor anchor, const char *s, size_t len,
		      enum font_style style, double size, struct rgba c)
{
	struct canvas_hpdf *h = impl;
	double w = fontset_text_width(h->fonts->fs, style, s, len, size);
	double a = angle * 3.14159265358979323846 / 180.0;
	double shift = anchor == ANCHOR_MIDDLE ? w / 2
		       : anchor == ANCHOR_END  ? w
					       : 0;
	/* Canvas y grows down, PDF y up; a counter-clockwise angle is
	 * counter-clockwise on the page in both. */
	double px = h->ox + x - shift * cos(a);
	double py = h->oy - y - shift * sin(a);

	if (pdf_text(h->fonts, h->page, px, py, angle, style, size, s, len,
		     c))
		h->failed = 1;
}

const struct canvas_ops canvas_hpdf_ops = {
	.fill = hpdf_fill,
	.stroke = hpdf_stroke,
	.text = hpdf_text,
};
