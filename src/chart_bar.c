/* chart_bar.c — grouped and stacked bars, vertical or horizontal, with
 * direct value labels, range whiskers, open-ended markers and separate,
 * labelled marks for each claimant of a contested figure. */
#include "chart_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scale.h"

#define AXIS_SIZE 7.5
#define LABEL_SIZE 7.0

/* The bar geometry: category axis (c) and value axis (v) in pt. */
struct bar_geom {
	bool horiz;
	double c0, c1;   /* category axis extent */
	double band;     /* per category */
	double base;     /* value-axis pixel of 0 */
	double vscale;   /* pt per unit, signed along the value axis */
};

static double vpx(const struct bar_geom *g, double v)
{
	return g->base + v * g->vscale;
}

/* A rectangle from a category span and a value-pixel span. */
static void bar_rect(struct canvas *cv, const struct bar_geom *g, double a,
		     double b, double p0, double p1, double r[4])
{
	if (g->horiz) {
		r[0] = fmin(p0, p1);
		r[2] = fmax(p0, p1);
		r[1] = a;
		r[3] = b;
	} else {
		r[0] = a;
		r[2] = b;
		r[1] = fmin(p0, p1);
		r[3] = fmax(p0, p1);
	}
	cairo_rectangle(cv->cr, r[0], r[1], r[2] - r[0], r[3] - r[1]);
}

/* A small arrowhead at value-pixel p, category centre m, pointing away
 * from the base (out = true) or back toward it. */
static void arrowhead(struct canvas *cv, const struct bar_geom *g, double m,
		      double p, bool out, double size, struct rgba col)
{
	double dir = g->vscale > 0 ? 1 : -1; /* growth direction on screen */
	double tip = out ? p + dir * size : p;
	double back = out ? p : p + dir * size;

	if (g->horiz) {
		cairo_move_to(cv->cr, tip, m);
		cairo_line_to(cv->cr, back, m - size * 0.7);
		cairo_line_to(cv->cr, back, m + size * 0.7);
	} else {
		cairo_move_to(cv->cr, m, tip);
		cairo_line_to(cv->cr, m - size * 0.7, back);
		cairo_line_to(cv->cr, m + size * 0.7, back);
	}
	cairo_close_path(cv->cr);
	canvas_fill(cv, col);
}

/* Whisker from value to high at category centre m. */
static void whisker(struct canvas *cv, const struct bar_geom *g, double m,
		    double p0, double p1, double cap)
{
	if (g->horiz) {
		cairo_move_to(cv->cr, p0, m);
		cairo_line_to(cv->cr, p1, m);
		cairo_move_to(cv->cr, p1, m - cap);
		cairo_line_to(cv->cr, p1, m + cap);
	} else {
		cairo_move_to(cv->cr, m, p0);
		cairo_line_to(cv->cr, m, p1);
		cairo_move_to(cv->cr, m - cap, p1);
		cairo_line_to(cv->cr, m + cap, p1);
	}
	canvas_stroke(cv, chart_ink, 0.9, NULL, 0);
}

/* The end of a mark beyond which its label goes (value, whisker, arrow). */
static double mark_end(const struct bar_geom *g, const struct bucket *b,
		       double v, double high)
{
	double dir = g->vscale > 0 ? 1 : -1;
	double p = vpx(g, (b->flags & MF_RANGE) ? fmax(v, high) : v);

	if (b->flags & (MF_LOWER | MF_UPPER))
		p += dir * 5;
	return p;
}

static void draw_marks_of(struct canvas *cv, const struct bar_geom *g,
			  const struct bucket *b, double v0, double a,
			  double bw, struct rgba col)
{
	double m = a + bw / 2, p = vpx(g, v0 + b->value);
	double cap = fmin(bw * 0.3, 4);

	if (b->flags & MF_RANGE)
		whisker(cv, g, m, p, vpx(g, v0 + b->high), cap);
	if (b->flags & MF_LOWER)
		arrowhead(cv, g, m, p + (g->vscale > 0 ? 0.8 : -0.8), true,
			  4, col);
	else if (b->flags & MF_UPPER)
		arrowhead(cv, g, m, p + (g->vscale > 0 ? 0.8 : -0.8), false,
			  4, col);
}

static int claimant_rank(const struct chart *c, const struct bucket *b,
			 int *count);

static int parts_of(const struct chart *c, long x)
{
	int n = 0;

	for (size_t i = 0; i < c->nb; i++)
		n += c->b[i].x == x;
	return n;
}

/* Whether the top part of a stack carries an arrow (the total label
 * goes beyond it). */
static bool top_open(const struct chart *c, long x)
{
	int top = -1;
	unsigned fl = 0;

	for (size_t i = 0; i < c->nb; i++)
		if (c->b[i].x == x && c->b[i].series >= top) {
			top = c->b[i].series;
			fl = c->b[i].flags;
		}
	return (fl & (MF_LOWER | MF_UPPER)) != 0;
}

/* Horizontal bars: pt per unit such that every mark's label still fits
 * after its bar in `room` pt. */
static double horiz_scale(const struct chart *c, struct canvas *cv,
			  double room, double vmax)
{
	double sc = room / (vmax > 0 ? vmax : 1);

	if (c->spec->type == CHART_STACKED_BAR)
		return sc; /* part labels go inside, the total is bold beyond */
	for (size_t i = 0; i < c->nb; i++) {
		const struct bucket *b = &c->b[i];
		char lab[200], who[420];
		double end = (b->flags & MF_RANGE) ? fmax(b->value, b->high)
						   : b->value;
		double extra = 4 + ((b->flags & (MF_LOWER | MF_UPPER)) ? 5 : 0);
		double tw;
		int n;

		chart_value_label(c, b->value, b->high, b->flags, lab, sizeof lab);
		claimant_rank(c, b, &n);
		if (n > 1) {
			snprintf(who, sizeof who, "%s (per %s)", lab,
				 c->claims.s[b->claimant]);
			tw = canvas_text_width(cv, who, FONT_REGULAR, LABEL_SIZE);
		} else {
			tw = canvas_text_width(cv, lab, FONT_REGULAR, LABEL_SIZE);
		}
		if (end > 0 && room - extra - tw > room * 0.25)
			sc = fmin(sc, (room - extra - tw) / end);
	}
	return sc;
}

/* Per series, how many claimant slots it needs at most in one category. */
static int claimant_rank(const struct chart *c, const struct bucket *b,
			 int *count)
{
	int rank = 0, n = 0;

	for (size_t i = 0; i < c->nb; i++) {
		const struct bucket *o = &c->b[i];

		if (o->x != b->x || o->series != b->series)
			continue;
		n++;
		if (o->claimant < b->claimant)
			rank++;
	}
	if (count)
		*count = n;
	return rank;
}

enum brief_status chart_bar_draw(struct chart *c, struct canvas *cv,
				 struct diag *err)
{
	const struct chart_spec *s = c->spec;
	bool stacked = s->type == CHART_STACKED_BAR;
	struct legend_item *items = NULL;
	size_t nitems = 0;
	struct plot pl;
	struct bar_geom g;
	struct ticks t;
	double vmax = 0, *tot = NULL, *totlo = NULL;
	int *slots = NULL, nslots = 0;
	double lw = 0, catspace = 0, asc;
	char buf[256];
	enum brief_status st = BRIEF_OK;
	bool named = c->group_col != NULL;

	items = calloc(c->series.n + 1, sizeof *items);
	slots = calloc(c->series.n + 1, sizeof *slots);
	tot = calloc(c->nx + 1, sizeof *tot);
	totlo = calloc(c->nx + 1, sizeof *totlo);
	if (!items || !slots || !tot || !totlo) {
		st = diag_set(err, BRIEF_ENOMEM, s->file, s->at.line, s->at.col,
			      "out of memory");
		goto out;
	}
	if (named)
		for (size_t i = 0; i < c->series.n; i++) {
			items[nitems].name = c->series.s[i];
			items[nitems].color =
				chart_series_color(c, (int)i, &items[nitems].pattern);
			nitems++;
		}
	/* Position of each x in axis order (date x: search xorder). */
	for (size_t i = 0; i < c->nb; i++) {
		struct bucket *b = &c->b[i];
		size_t k;
		int n;

		for (k = 0; k < c->nx; k++)
			if (c->xorder[k] == b->x)
				break;
		tot[k] += stacked ? b->value : 0;
		totlo[k] += stacked ? (b->flags & MF_RANGE ? b->high : b->value)
				    : 0;
		if (!stacked) {
			vmax = fmax(vmax, fmax(b->value, b->high));
			claimant_rank(c, b, &n);
			if (n > slots[b->series])
				slots[b->series] = n;
		}
	}
	for (size_t k = 0; k < c->nx; k++)
		vmax = fmax(vmax, fmax(tot[k], totlo[k]));
	st = chart_check_range(c, vmax, err);
	if (st != BRIEF_OK)
		goto out;
	if (stacked)
		nslots = 1;
	else
		for (size_t i = 0; i < c->series.n; i++) {
			int n = slots[i];

			slots[i] = nslots; /* becomes the offset */
			nslots += n;
		}

	chart_frame_draw(c, cv, items, nitems, &pl, err);
	asc = fontset_ascent(cv->fonts, FONT_REGULAR, AXIS_SIZE);

	/* The value axis label, Datawrapper style: above the plot, left. */
	canvas_text(cv, pl.x0, pl.y0 + asc, 0, ANCHOR_START, c->y_label,
		    FONT_REGULAR, AXIS_SIZE, chart_grey);
	pl.y0 += AXIS_SIZE * 1.3 + 8;

	g.horiz = s->horizontal;
	if (g.horiz) {
		/* Category labels on the left, wrapped to at most a third. */
		double maxw = cv->width * 0.3;

		for (size_t k = 0; k < c->nx; k++) {
			double w = canvas_text_width(
				cv, chart_x_label(c, c->xorder[k], buf, sizeof buf),
				FONT_REGULAR, AXIS_SIZE);

			lw = fmax(lw, fmin(w, maxw));
		}
		catspace = lw + 8;
		g.base = pl.x0 + catspace;
		g.vscale = horiz_scale(c, cv, pl.x1 - g.base, vmax);
		scale_nice_ticks(0, (pl.x1 - g.base) / g.vscale,
				 (int)fmax(3, (pl.x1 - g.base) / 60), &t);
		/* Ticks past the room the labels leave are dropped, and the
		 * last one must not spill over the edge. */
		while (t.n > 2 && vpx(&g, t.v[t.n - 1]) + 12 > pl.x1)
			t.n--;
		g.c0 = pl.y0;
		g.c1 = pl.y1 - AXIS_SIZE * 1.6;
	} else {
		double ch = 0;
		double band = (pl.x1 - pl.x0) / (double)c->nx;

		/* Tick labels decide the left margin. */
		scale_nice_ticks(0, vmax * 1.1,
				 (int)fmax(3, (pl.y1 - pl.y0) / 32), &t);
		for (size_t i = 0; i < t.n; i++) {
			char num[48];

			chart_tick_label(c, t.v[i], t.step, num, sizeof num);
			lw = fmax(lw, canvas_text_width(cv, num, FONT_REGULAR,
							AXIS_SIZE));
		}
		band = (pl.x1 - pl.x0 - lw - 6) / (double)c->nx;
		for (size_t k = 0; k < c->nx; k++)
			ch = fmax(ch, chart_wrap_text(
					      cv,
					      chart_x_label(c, c->xorder[k], buf,
							    sizeof buf),
					      0, 0, band - 4, AXIS_SIZE,
					      FONT_REGULAR, chart_ink, false));
		catspace = ch + 5;
		g.c0 = pl.x0 + lw + 6;
		g.c1 = pl.x1;
		g.base = pl.y1 - catspace;
		g.vscale = -(g.base - pl.y0) / t.v[t.n - 1];
	}
	g.band = (g.c1 - g.c0) / (double)c->nx;

	/* Grid and tick labels. */
	for (size_t i = 0; i < t.n; i++) {
		double p = vpx(&g, t.v[i]);
		char num[48];

		chart_tick_label(c, t.v[i], t.step, num, sizeof num);
		if (g.horiz) {
			cairo_move_to(cv->cr, p, g.c0);
			cairo_line_to(cv->cr, p, g.c1);
			canvas_stroke(cv, chart_grid, 0.5, NULL, 0);
			canvas_text(cv, p, g.c1 + asc + 3, 0, ANCHOR_MIDDLE, num,
				    FONT_REGULAR, AXIS_SIZE, chart_grey);
		} else {
			cairo_move_to(cv->cr, g.c0, p);
			cairo_line_to(cv->cr, g.c1, p);
			canvas_stroke(cv, chart_grid, 0.5, NULL, 0);
			canvas_text(cv, g.c0 - 6, p + asc * 0.35, 0, ANCHOR_END,
				    num, FONT_REGULAR, AXIS_SIZE, chart_grey);
		}
	}

	/* Category labels. */
	for (size_t k = 0; k < c->nx; k++) {
		double a = g.c0 + g.band * (double)k;

		chart_x_label(c, c->xorder[k], buf, sizeof buf);
		if (g.horiz) {
			double h = chart_wrap_text(cv, buf, 0, 0, lw + 0.5,
						   AXIS_SIZE, FONT_REGULAR,
						   chart_ink, false);

			chart_wrap_text(cv, buf, pl.x0, a + (g.band - h) / 2,
					lw + 0.5, AXIS_SIZE, FONT_REGULAR,
					chart_ink, true);
		} else {
			/* Centre each wrapped line under its band. */
			double bw = g.band - 4;
			double w = canvas_text_width(cv, buf, FONT_REGULAR,
						     AXIS_SIZE);

			if (w <= bw)
				canvas_text(cv, a + g.band / 2,
					    g.base + 4 + asc, 0, ANCHOR_MIDDLE,
					    buf, FONT_REGULAR, AXIS_SIZE,
					    chart_ink);
			else
				chart_wrap_text(cv, buf, a + 2, g.base + 4, bw,
						AXIS_SIZE, FONT_REGULAR,
						chart_ink, true);
		}
	}

	/* Bars. */
	{
		double gw = g.band * (stacked ? 0.6 : 0.78);
		double bw = gw / nslots;
		double *acc = calloc(c->nx + 1, sizeof *acc);

		if (!acc) {
			st = diag_set(err, BRIEF_ENOMEM, s->file, s->at.line,
				      s->at.col, "out of memory");
			goto out;
		}
		if (bw > 46) {
			bw = 46;
			gw = bw * nslots;
		}
		for (size_t k = 0; k < c->nx; k++) {
			/* Series in legend order, so stacks read the same way
			 * in every category. */
			for (size_t si = 0; si < c->series.n; si++) {
				for (size_t i = 0; i < c->nb; i++) {
					struct bucket *b = &c->b[i];
					int pattern, n, rank;
					struct rgba col;
					double a, r[4], v0, lp;
					char lab[200], who[420];
					const char *txt;
					bool contested;

					if (b->x != c->xorder[k] ||
					    b->series != (int)si)
						continue;
					rank = claimant_rank(c, b, &n);
					contested = n > 1;
					col = chart_series_color(c, b->series,
								 &pattern);
					a = g.c0 + g.band * (double)k +
					    (g.band - gw) / 2 +
					    (stacked ? 0
						     : bw * (slots[b->series] +
							     rank));
					v0 = stacked ? acc[k] : 0;
					bar_rect(cv, &g, a + (stacked ? 0 : 0.5),
						 a + bw - (stacked ? 0 : 0.5),
						 vpx(&g, v0),
						 vpx(&g, v0 + b->value), r);
					canvas_fill(cv, col);
					chart_hatch_rect(cv, r[0], r[1], r[2],
							 r[3], pattern);
					if (stacked) {
						/* A white rule between parts. */
						cairo_rectangle(cv->cr, r[0], r[1],
								r[2] - r[0],
								r[3] - r[1]);
						canvas_stroke(cv, chart_white,
							      0.6, NULL, 0);
					}
					draw_marks_of(cv, &g, b, v0, a, bw, col);
					chart_value_label(c, b->value, b->high,
							  b->flags, lab,
							  sizeof lab);
					if (stacked) {
						/* Inside the part when it fits. */
						double len = fabs(vpx(&g, v0 + b->value) -
								  vpx(&g, v0));
						double tw = canvas_text_width(
							cv, lab, FONT_REGULAR,
							LABEL_SIZE);
						bool fits = g.horiz ? tw + 4 < len
								    : LABEL_SIZE + 3 < len &&
									  tw + 2 < bw;
						double mid = vpx(&g, v0 + b->value / 2);

						/* A stack of one part shows its total only. */
						if (fits && parts_of(c, b->x) > 1) {
							/* Dark text on light colours. */
							double lum = 0.2126 * col.r + 0.7152 * col.g + 0.0722 * col.b;
							struct rgba tc = lum > 0.5 ? chart_ink : chart_white;

							if (g.horiz)
								canvas_text(cv, mid, a + bw / 2 + LABEL_SIZE * 0.35, 0,
									    ANCHOR_MIDDLE, lab, FONT_BOLD,
									    LABEL_SIZE, tc);
							else
								canvas_text(cv, a + bw / 2, mid + LABEL_SIZE * 0.35, 0,
									    ANCHOR_MIDDLE, lab, FONT_BOLD,
									    LABEL_SIZE, tc);
						}
						acc[k] += b->value;
						continue;
					}
					lp = mark_end(&g, b, b->value, b->high);
					txt = lab;
					if (contested) {
						snprintf(who, sizeof who, "%s (per %s)", lab,
							 c->claims.s[b->claimant]);
						txt = who;
					}
					if (g.horiz) {
						canvas_text(cv, lp + 3,
							    a + bw / 2 + LABEL_SIZE * 0.35,
							    0, ANCHOR_START, txt,
							    FONT_REGULAR, LABEL_SIZE,
							    chart_ink);
					} else {
						double tw = canvas_text_width(
							cv, txt, FONT_REGULAR,
							LABEL_SIZE);

						if (tw > bw + 6)
							/* Too wide: read upwards. */
							canvas_text(cv,
								    a + bw / 2 + LABEL_SIZE * 0.35,
								    lp - 3, 90, ANCHOR_START,
								    txt, FONT_REGULAR,
								    LABEL_SIZE, chart_ink);
						else
							canvas_text(cv, a + bw / 2, lp - 3,
								    0, ANCHOR_MIDDLE, txt,
								    FONT_REGULAR, LABEL_SIZE,
								    chart_ink);
					}
				}
			}
			if (stacked) {
				/* The total beyond the stack. */
				char lab[64];
				unsigned fl = 0;
				double a = g.c0 + g.band * (double)k +
					   (g.band - gw) / 2;
				double p = vpx(&g, acc[k]) +
					   (top_open(c, c->xorder[k]) ? (g.vscale > 0 ? 6 : -6) : 0);

				for (size_t i = 0; i < c->nb; i++)
					if (c->b[i].x == c->xorder[k])
						fl |= c->b[i].flags &
						      (MF_LOWER | MF_UPPER | MF_ABOUT |
						       MF_STRICT);
				chart_value_label(c, acc[k], acc[k], fl, lab,
						  sizeof lab);
				if (g.horiz)
					canvas_text(cv, p + 3,
						    a + gw / 2 + LABEL_SIZE * 0.35, 0,
						    ANCHOR_START, lab, FONT_BOLD,
						    LABEL_SIZE, chart_ink);
				else
					canvas_text(cv, a + gw / 2, p - 3, 0,
						    ANCHOR_MIDDLE, lab, FONT_BOLD,
						    LABEL_SIZE, chart_ink);
			}
		}
		free(acc);
	}
	/* The baseline over the bars' feet. */
	if (g.horiz) {
		cairo_move_to(cv->cr, g.base, g.c0);
		cairo_line_to(cv->cr, g.base, g.c1);
	} else {
		cairo_move_to(cv->cr, g.c0, g.base);
		cairo_line_to(cv->cr, g.c1, g.base);
	}
	canvas_stroke(cv, chart_ink, 0.8, NULL, 0);
out:
	free(items);
	free(slots);
	free(tot);
	free(totlo);
	return st;
}
