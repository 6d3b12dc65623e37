/* chart_draw.c — drawing a finished chart: the one dispatch over chart
 * types, the height each type needs, and the briefing's as_of handed to
 * every chart of a document. Exports are chart_export.c. */
#include "chart_impl.h"

#include <math.h>
#include <stdint.h>

#include "doc.h"
#include "map.h"
#include "shape.h"

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

	if (s->type == CHART_TIMELINE)
		return s->height > 0 ? h
				     : chart_timeline_min_height(c, width) +
					       chart_frame_height(c, fs, width);
	if ((s->type == CHART_BAR || s->type == CHART_STACKED_BAR) &&
	    s->horizontal)
		return fmax(h * 0.75, chart_bar_height(c, fs, width, true));
	return h * 0.75;
}

size_t chart_rows(const struct chart *c)
{
	return c->spec->type == CHART_TIMELINE && !c->map ? c->nev : 0;
}

double chart_part_height(struct chart *c, const struct fontset *fs,
			 double width, size_t from, size_t to)
{
	double h;

	c->part_from = from;
	c->part_to = to;
	h = chart_timeline_height(c, width) + chart_frame_height(c, fs, width);
	c->part_from = 0;
	c->part_to = SIZE_MAX;
	return h;
}

enum brief_status chart_draw_part(struct chart *c, struct canvas *cv,
				  size_t from, size_t to, struct diag *err)
{
	enum brief_status st;

	c->part_from = from;
	c->part_to = to;
	st = chart_draw(c, cv, err);
	c->part_from = 0;
	c->part_to = SIZE_MAX;
	return st;
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
	if (palette_failed(c->palette) || cv->oom || c->oom ||
	    shape_out_of_memory(fontset_shaper(cv->fonts)))
		return diag_set(err, BRIEF_ENOMEM, c->spec->file,
				c->spec->at.line, c->spec->at.col,
				"out of memory");
	cs = cairo_status(cv->cr);
	if (cs == CAIRO_STATUS_NO_MEMORY)
		return diag_set(err, BRIEF_ENOMEM, c->spec->file,
				c->spec->at.line, c->spec->at.col,
				"out of memory");
	if (cs != CAIRO_STATUS_SUCCESS)
		return diag_set(err, BRIEF_EINTERNAL, c->spec->file,
				c->spec->at.line, c->spec->at.col,
				"internal error in cairo drawing chart '%s': %s",
				c->spec->id, cairo_status_to_string(cs));
	return BRIEF_OK;
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
