/* chart_frame.c — what every chart has around its plot: title, subtitle,
 * legend, and the footer (sources, note, data as of); plus the shared
 * marks (hatching, markers) that keep charts readable in greyscale. */
#include "chart_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linebreak.h"
#include "scale.h"

const struct rgba chart_ink = { 0.13, 0.13, 0.13, 1 };
const struct rgba chart_grey = { 0.40, 0.40, 0.40, 1 };
const struct rgba chart_grid = { 0.86, 0.86, 0.86, 1 };
const struct rgba chart_white = { 1, 1, 1, 1 };

#define TITLE_SIZE 11.0
#define SUBTITLE_SIZE 9.0
#define LEGEND_SIZE 7.5
#define FOOTER_SIZE 7.0

double chart_wrap_text(struct canvas *cv, const char *text, double x,
		       double y, double width, double size,
		       enum font_style style, struct rgba color, bool draw)
{
	struct doc_run run = { 0 };
	struct lb_opts o = { width, size, 0, LB_LEFT };
	struct lb_para para = { 0 };
	double lh = size * 1.3;
	double asc = fontset_ascent(cv->fonts, style, size);

	if (!text || !*text)
		return 0;
	run.text = (char *)(uintptr_t)text; /* read only: linebreak keeps it */
	if (style == FONT_BOLD || style == FONT_BOLD_ITALIC)
		o.style |= RUN_BOLD;
	if (style == FONT_ITALIC || style == FONT_BOLD_ITALIC)
		o.style |= RUN_ITALIC;
	if (linebreak(cv->fonts, &run, 1, &o, &para, NULL) != BRIEF_OK)
		return 0;
	if (draw) {
		for (size_t i = 0; i < para.nlines; i++) {
			const struct lb_line *l = &para.lines[i];

			for (size_t k = l->first; k < l->first + l->n; k++) {
				const struct lb_frag *f = &para.frags[k];
				char buf[512];
				size_t n = f->len < sizeof buf - 1
						   ? f->len
						   : sizeof buf - 1;

				memcpy(buf, f->s, n);
				buf[n] = '\0';
				canvas_text(cv, x + f->x,
					    y + asc + (double)i * lh, 0,
					    ANCHOR_START, buf, f->style, size,
					    color);
			}
		}
	}
	{
		double h = (double)para.nlines * lh;

		lb_para_free(&para);
		return h;
	}
}

void chart_hatch_rect(struct canvas *cv, double x0, double y0, double x1,
		      double y1, int pattern)
{
	/* Pattern 0 is solid; others add thin white lines at an angle per
	 * pattern, clipped to the rectangle by geometry (a canvas has no
	 * clip, so the PDF back end replays exactly these segments). */
	static const double angles[] = { 45, 0, -45, 90, 22.5, -67.5, 67.5 };
	double a, dx, dy, spacing = 3.6;
	double w = x1 - x0, h = y1 - y0;
	bool any = false;

	if (pattern <= 0 || w <= 0.5 || h <= 0.5)
		return;
	a = angles[(pattern - 1) % 7] * 3.14159265358979323846 / 180.0;
	dx = cos(a);
	dy = -sin(a);
	/* Lines p + t*(dx,dy) with p on the normal through the corner. */
	{
		double nx = -dy, ny = dx;
		double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
		double reach = (fabs(w * nx) + fabs(h * ny)) / 2;

		for (double off = -reach + fmod(reach, spacing); off <= reach;
		     off += spacing) {
			double px = cx + nx * off, py = cy + ny * off;
			double tmin = -1e9, tmax = 1e9;

			/* Liang–Barsky against the rectangle. */
			if (fabs(dx) < 1e-12) {
				if (px < x0 || px > x1)
					continue;
			} else {
				double t1 = (x0 - px) / dx, t2 = (x1 - px) / dx;

				tmin = fmax(tmin, fmin(t1, t2));
				tmax = fmin(tmax, fmax(t1, t2));
			}
			if (fabs(dy) < 1e-12) {
				if (py < y0 || py > y1)
					continue;
			} else {
				double t1 = (y0 - py) / dy, t2 = (y1 - py) / dy;

				tmin = fmax(tmin, fmin(t1, t2));
				tmax = fmin(tmax, fmax(t1, t2));
			}
			if (tmax - tmin < 0.3)
				continue;
			cairo_move_to(cv->cr, px + dx * tmin, py + dy * tmin);
			cairo_line_to(cv->cr, px + dx * tmax, py + dy * tmax);
			any = true;
		}
	}
	if (any) {
		/* Light enough to read labels over, strong enough to tell
		 * series apart in greyscale. */
		struct rgba white = { 1, 1, 1, 0.55 };

		canvas_stroke(cv, white, 0.6, NULL, 0);
	}
}

void chart_marker(struct canvas *cv, double x, double y, double r, int shape,
		  struct rgba color)
{
	cairo_t *cr = cv->cr;

	switch (shape % 4) {
	case 0: /* circle */
		cairo_new_sub_path(cr);
		cairo_arc(cr, x, y, r, 0, 2 * 3.14159265358979323846);
		cairo_close_path(cr);
		break;
	case 1: /* square */
		cairo_rectangle(cr, x - r * 0.85, y - r * 0.85, r * 1.7,
				r * 1.7);
		break;
	case 2: /* triangle */
		cairo_move_to(cr, x, y - r * 1.15);
		cairo_line_to(cr, x + r * 1.1, y + r * 0.75);
		cairo_line_to(cr, x - r * 1.1, y + r * 0.75);
		cairo_close_path(cr);
		break;
	default: /* diamond */
		cairo_move_to(cr, x, y - r * 1.2);
		cairo_line_to(cr, x + r * 1.2, y);
		cairo_line_to(cr, x, y + r * 1.2);
		cairo_line_to(cr, x - r * 1.2, y);
		cairo_close_path(cr);
		break;
	}
	canvas_fill(cv, color);
}

static const char *const qualifier_key =
	"Arrow beyond a mark: the source gives a minimum (\u2018at least\u2019, "
	"\u2018more than\u2019); arrow pointing back: a maximum "
	"(\u2018nearly\u2019, \u2018at most\u2019); whisker or band: a range.";
static const char *const mixed_key =
	"\u2018Mixed bounds\u2019: a sum of minimums and maximums, which "
	"sets no single bound.";

/* The footer text: sources, the note, data as of, and a key to the
 * uncertainty marks when the chart has any. */
static void footer_text(const struct chart *c, char *buf, size_t size)
{
	const char *note = c->spec->note ? c->spec->note : "";
	size_t nlen = strlen(note), n;
	char asof[64] = "";
	unsigned marks = 0;

	for (size_t i = 0; i < c->nb; i++)
		marks |= c->b[i].flags;
	if (c->as_of.year)
		date_format_long(&c->as_of, asof, sizeof asof);
	snprintf(buf, size, "%s%s%s%s%s%s%s", chart_source_line(c),
		 nlen ? " " : "", note,
		 nlen && note[nlen - 1] != '.' ? "." : "",
		 *asof ? " Data as of " : "", asof, *asof ? "." : "");
	if (c->spec->type == CHART_TIMELINE)
		return;
	n = strlen(buf);
	/* Step charts draw no arrows or whiskers: their claims are labelled. */
	if ((marks & (MF_LOWER | MF_UPPER | MF_RANGE)) &&
	    c->spec->type != CHART_STEP)
		snprintf(buf + n, size - n, " %s", qualifier_key);
	n = strlen(buf);
	if (marks & MF_MIXED)
		snprintf(buf + n, size - n, " %s", mixed_key);
}

#define SWATCH 8.0

/* One legend item's key (swatch or line) at x, on the row at y. */
static void legend_key(struct canvas *cv, const struct legend_item *it,
		       double x, double y, double asc)
{
	if (it->kind >= 1) {
		double dash[2] = { 3, 1.5 };
		double my = y + asc * 0.55;

		cairo_move_to(cv->cr, x, my);
		cairo_line_to(cv->cr, x + SWATCH + 4, my);
		canvas_stroke(cv, it->color, 1.6, it->kind == 2 ? dash : NULL,
			      it->kind == 2 ? 2 : 0);
		chart_marker(cv, x + (SWATCH + 4) / 2, my, 2.2, it->pattern,
			     it->color);
		return;
	}
	cairo_rectangle(cv->cr, x, y + asc - SWATCH + 0.5, SWATCH, SWATCH);
	canvas_fill(cv, it->color);
	chart_hatch_rect(cv, x, y + asc - SWATCH + 0.5, x + SWATCH,
			 y + asc + 0.5, it->pattern);
}

/* The legend from y down, items in rows, a name too long for a row
 * wrapped under itself; returns its height. */
static double frame_legend(struct canvas *cv, const struct legend_item *items,
			   size_t nitems, double y0, double w)
{
	double x = 0, y = y0, lh = LEGEND_SIZE * 1.6, rowh = lh;
	double asc = fontset_ascent(cv->fonts, FONT_REGULAR, LEGEND_SIZE);
	bool draw = cv->cr != NULL;

	for (size_t i = 0; i < nitems; i++) {
		double key = SWATCH + 4 + (items[i].kind >= 1 ? 4 : 0);
		double tw = canvas_text_width(cv, items[i].name, FONT_REGULAR,
					      LEGEND_SIZE);
		double room = w - key, th = lh;

		if (tw > room) {
			tw = room;
			th = fmax(lh, chart_wrap_text(cv, items[i].name, 0, 0,
						      room, LEGEND_SIZE,
						      FONT_REGULAR, chart_ink,
						      false));
		}
		if (x > 0 && x + key + tw > w) {
			x = 0;
			y += rowh;
			rowh = lh;
		}
		if (draw) {
			legend_key(cv, &items[i], x, y, asc);
			if (th > lh)
				chart_wrap_text(cv, items[i].name, x + key, y,
						room, LEGEND_SIZE, FONT_REGULAR,
						chart_ink, true);
			else
				canvas_text(cv, x + key, y + asc, 0,
					    ANCHOR_START, items[i].name,
					    FONT_REGULAR, LEGEND_SIZE,
					    chart_ink);
		}
		rowh = fmax(rowh, th);
		x += key + tw + 12;
	}
	return y + rowh + 2 - y0;
}

/* Title and subtitle from the top; returns the height used. */
static double frame_titles(const struct chart_spec *s, struct canvas *cv,
			   double w)
{
	double y = 0;
	bool draw = cv->cr != NULL;

	if (s->title)
		y += chart_wrap_text(cv, s->title, 0, y, w, TITLE_SIZE,
				     FONT_BOLD, chart_ink, draw) + 1;
	if (s->subtitle)
		y += chart_wrap_text(cv, s->subtitle, 0, y, w, SUBTITLE_SIZE,
				     FONT_REGULAR, chart_grey, draw);
	if (s->title || s->subtitle)
		y += 6;
	return y;
}

double chart_frame_draw(struct chart *c, struct canvas *cv,
			const struct legend_item *items, size_t nitems,
			struct plot *plot, struct diag *err)
{
	double w = cv->width, y, fh;
	char footer[2048];

	(void)err;
	y = frame_titles(c->spec, cv, w);
	if (nitems > 0)
		y += frame_legend(cv, items, nitems, y, w);
	footer_text(c, footer, sizeof footer);
	fh = chart_wrap_text(cv, footer, 0, 0, w, FOOTER_SIZE, FONT_REGULAR,
			     chart_grey, false);
	if (cv->cr)
		chart_wrap_text(cv, footer, 0, cv->height - fh, w, FOOTER_SIZE,
				FONT_REGULAR, chart_grey, true);
	plot->x0 = 0;
	plot->x1 = w;
	plot->y0 = y;
	plot->y1 = cv->height - fh - 6;
	return y;
}

struct legend_item *chart_series_legend(const struct chart *c, int kind,
					size_t *n)
{
	struct legend_item *items = calloc(c->series.n + 1, sizeof *items);

	*n = 0;
	if (!items || !c->group_col)
		return items;
	for (size_t i = 0; i < c->series.n; i++) {
		items[*n].name = c->series.s[i];
		items[*n].color = kind >= 1
					  ? chart_series_line_color(
						    c, (int)i, &items[*n].pattern)
					  : chart_series_color(
						    c, (int)i, &items[*n].pattern);
		items[*n].kind = kind;
		(*n)++;
	}
	return items;
}

/* The legend a chart of this type draws, for measuring. */
static struct legend_item *frame_legend_of(const struct chart *c, size_t *n)
{
	const struct chart_spec *s = c->spec;
	int kind = s->type == CHART_LINE || s->type == CHART_TIMELINE ||
			   (s->type == CHART_STEP && !s->area)
			   ? 1
			   : 0;

	return chart_series_legend(c, kind, n);
}

double chart_frame_height(struct chart *c, const struct fontset *fs,
			  double width)
{
	struct canvas cv = { NULL, fs, NULL, NULL, width, 1000 };
	struct legend_item *items;
	struct plot pl;
	size_t n;

	if (!fs)
		return 90; /* title, legend and footer, roughly */
	items = frame_legend_of(c, &n);
	chart_frame_draw(c, &cv, items, n, &pl, NULL);
	free(items);
	return pl.y0 + (cv.height - pl.y1);
}

void chart_axis_title(const struct chart *c, struct canvas *cv,
		      struct plot *pl)
{
	double asc = fontset_ascent(cv->fonts, FONT_REGULAR, CHART_AXIS_SIZE);

	if (cv->cr)
		canvas_text(cv, pl->x0, pl->y0 + asc, 0, ANCHOR_START,
			    c->y_label, FONT_REGULAR, CHART_AXIS_SIZE,
			    chart_grey);
	pl->y0 += CHART_AXIS_SIZE * 1.3 + 8;
}
