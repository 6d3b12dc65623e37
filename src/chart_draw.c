/* chart_draw.c — drawing a finished chart: the one dispatch over chart
 * types, the height each type needs, export through cairo surfaces (PNG,
 * SVG), and the briefing's as_of handed to every chart of a document. */
#include "chart_impl.h"

#include <cairo-svg.h>
#include <math.h>

#include "doc.h"
#include "map.h"

double chart_height_for(struct chart *c, const struct fontset *fs,
			double width)
{
	const struct chart_spec *s = c->spec;
	double h;

	if (c->map)
		return map_height_for(c->map, fs, width);
	if (s->height > 0 && s->width > 0)
		h = s->height * width / s->width;
	else if (s->height > 0)
		h = s->height;
	else
		h = width * 0.6;
	if (s->type == CHART_TIMELINE) {
		/* As tall as its events, unless the author fixed a height. */
		double need = chart_timeline_height(c, width) +
			      chart_frame_height(c, fs, width);

		h = s->height > 0 ? fmax(h, need) : need;
	} else if ((s->type == CHART_BAR || s->type == CHART_STACKED_BAR) &&
		   s->horizontal) {
		double need = chart_bar_height(c, fs, width, false);

		h = s->height > 0 ? fmax(h, chart_bar_height(c, fs, width, true))
				  : need;
	}
	return h;
}

double chart_min_height(struct chart *c, const struct fontset *fs,
			double width)
{
	const struct chart_spec *s = c->spec;
	double h = chart_height_for(c, fs, width);

	if (s->type == CHART_TIMELINE || c->map)
		return h;
	if ((s->type == CHART_BAR || s->type == CHART_STACKED_BAR) &&
	    s->horizontal)
		return fmax(h * 0.75, chart_bar_height(c, fs, width, true));
	return h * 0.75;
}

enum brief_status chart_draw(struct chart *c, struct canvas *cv,
			     struct diag *err)
{
	enum brief_status st;
	cairo_status_t cs;

	switch (c->spec->type) {
	case CHART_MAP:
		st = map_draw(c->map, cv, err);
		break;
	case CHART_BAR:
	case CHART_STACKED_BAR:
		st = chart_bar_draw(c, cv, err);
		break;
	case CHART_LINE:
		st = chart_line_draw(c, cv, err);
		break;
	case CHART_STEP:
		st = chart_step_draw(c, cv, err);
		break;
	case CHART_TIMELINE:
	default:
		st = chart_timeline_draw(c, cv, err);
		break;
	}
	if (st != BRIEF_OK)
		return st;
	cs = cairo_status(cv->cr);
	if (cs != CAIRO_STATUS_SUCCESS)
		return diag_set(err, BRIEF_EINTERNAL, c->spec->file,
				c->spec->at.line, c->spec->at.col,
				"internal error in cairo drawing chart '%s': %s",
				c->spec->id, cairo_status_to_string(cs));
	return BRIEF_OK;
}

static enum brief_status draw_on_surface(struct chart *c,
					 const struct fontset *fs,
					 cairo_surface_t *surf, double width,
					 double height, double scale,
					 struct diag *err)
{
	cairo_t *cr = cairo_create(surf);
	struct canvas cv = { cr, fs, &canvas_cairo_ops, NULL, width, height };
	enum brief_status st;

	cv.impl = &cv;
	cairo_scale(cr, scale, scale);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	st = chart_draw(c, &cv, err);
	cairo_destroy(cr);
	return st;
}

enum brief_status chart_export_png(struct chart *c, const struct fontset *fs,
				   double width, const char *path, double scale,
				   struct diag *err)
{
	double height = chart_height_for(c, fs, width);
	cairo_surface_t *surf = cairo_image_surface_create(
		CAIRO_FORMAT_RGB24, (int)ceil(width * scale),
		(int)ceil(height * scale));
	enum brief_status st = draw_on_surface(c, fs, surf, width, height,
					       scale, err);

	if (st == BRIEF_OK &&
	    cairo_surface_write_to_png(surf, path) != CAIRO_STATUS_SUCCESS)
		st = diag_set(err, BRIEF_EIO, path, 0, 0, "cannot write PNG");
	cairo_surface_destroy(surf);
	return st;
}

enum brief_status chart_export_svg(struct chart *c, const struct fontset *fs,
				   double width, const char *path,
				   struct diag *err)
{
	double height = chart_height_for(c, fs, width);
	cairo_surface_t *surf = cairo_svg_surface_create(path, width, height);
	enum brief_status st;

	if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(surf);
		return diag_set(err, BRIEF_EIO, path, 0, 0, "cannot write SVG");
	}
	st = draw_on_surface(c, fs, surf, width, height, 1, err);
	cairo_surface_finish(surf);
	if (st == BRIEF_OK &&
	    cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
		st = diag_set(err, BRIEF_EIO, path, 0, 0, "cannot write SVG");
	cairo_surface_destroy(surf);
	return st;
}

static void blocks_as_of(struct doc_block *v, size_t n, struct date as_of)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].chart)
			chart_set_as_of(v[i].chart, as_of);
		blocks_as_of(v[i].children, v[i].nchildren, as_of);
	}
}

void chart_doc_as_of(struct doc *d)
{
	if (d)
		blocks_as_of(d->blocks, d->nblocks, d->meta.as_of_date);
}
