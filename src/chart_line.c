/* chart_line.c — line charts over a real date axis: one line per series
 * and claimant, range bands, open-ended markers, names at the lines'
 * ends. */
#include "chart_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The plot box and its date and value ranges. */
struct line_geom {
	double x0, x1, y0, y1;
	long d0, d1;
	struct value_axis va;
};

static double gx(const struct line_geom *g, double day)
{
	return g->x0 + (day - (double)g->d0) /
			       (double)(g->d1 > g->d0 ? g->d1 - g->d0 : 1) *
			       (g->x1 - g->x0);
}

static double gy(const struct line_geom *g, double v)
{
	return value_axis_px(&g->va, v);
}

/* A line: one series and claimant, its buckets in date order. */
struct line {
	int series, claimant;
	int rank; /* 0, 1, ... among the lines of its series */
	size_t *pts; /* bucket indices, into the array lines[0].pts owns */
	size_t n;
};

static const struct chart *line_chart; /* for qsort */

/* Series, then claimant, then date. */
static int cmp_bucket_line(const void *a, const void *b)
{
	const struct bucket *p = &line_chart->b[*(const size_t *)a];
	const struct bucket *q = &line_chart->b[*(const size_t *)b];

	if (p->series != q->series)
		return (p->series > q->series) - (p->series < q->series);
	if (p->claimant != q->claimant)
		return (p->claimant > q->claimant) - (p->claimant < q->claimant);
	return (p->x > q->x) - (p->x < q->x);
}

/* Lines from the buckets, once: sorted by line then date, each line is
 * one run of the index array. */
static struct line *build_lines(const struct chart *c, size_t *nlines)
{
	struct line *l = calloc(c->nb + 1, sizeof *l);
	size_t *all = malloc((c->nb + 1) * sizeof *all);
	size_t n = 0;

	if (!l || !all) {
		free(l);
		free(all);
		return NULL;
	}
	for (size_t i = 0; i < c->nb; i++)
		all[i] = i;
	line_chart = c;
	if (c->nb)
		qsort(all, c->nb, sizeof *all, cmp_bucket_line);
	l[0].pts = all;
	for (size_t i = 0; i < c->nb; i++) {
		const struct bucket *b = &c->b[all[i]];

		if (n == 0 || b->series != l[n - 1].series ||
		    b->claimant != l[n - 1].claimant) {
			l[n].series = b->series;
			l[n].claimant = b->claimant;
			l[n].rank = n && l[n - 1].series == b->series
					    ? l[n - 1].rank + 1
					    : 0;
			l[n].pts = all + i;
			n++;
		}
		l[n - 1].n++;
	}
	*nlines = n;
	return l;
}

/* Whether line k's series has other lines (other claimants): its name
 * then says whose line it is, so the legend names nothing twice. */
static bool shares_series(const struct line *l, size_t nl, size_t k)
{
	return (k > 0 && l[k - 1].series == l[k].series) ||
	       (k + 1 < nl && l[k + 1].series == l[k].series);
}

static void free_lines(struct line *l)
{
	if (l)
		free(l[0].pts);
	free(l);
}

/* Legend: a line per series, and per claimant of a contested series
 * (dashed for a second claimant). One unnamed series needs none. */
static struct legend_item *line_legend(const struct chart *c,
				       const struct line *lines, size_t nl,
				       char (*names)[160], size_t *n)
{
	struct legend_item *items = calloc(nl + 1, sizeof *items);

	*n = 0;
	if (!items)
		return NULL;
	for (size_t k = 0; k < nl; k++) {
		bool several = shares_series(lines, nl, k);

		if (!c->group_col && !several)
			continue;
		chart_mark_name(c, lines[k].series, lines[k].claimant,
				several, names[*n], sizeof names[*n]);
		if (!*names[*n])
			continue;
		items[*n].name = names[*n];
		items[*n].color = chart_series_line_color(c, lines[k].series,
							  &items[*n].pattern);
		items[*n].kind = lines[k].rank % 2 ? 2 : 1;
		(*n)++;
	}
	if (*n == 1 && !c->group_col)
		*n = 0;
	return items;
}

/* The date range: a month or year bucket shows its whole last period. */
static void line_dates(const struct chart *c, struct line_geom *g)
{
	int y, m, d;

	g->d0 = c->xmin;
	g->d1 = c->xmax;
	if (!(c->spec->bucket == BUCKET_MONTH ||
	      c->spec->bucket == BUCKET_YEAR || g->d1 == g->d0))
		return;
	ymd_from_days(g->d1, &y, &m, &d);
	if (c->spec->bucket == BUCKET_YEAR || g->d1 == g->d0)
		g->d1 = days_from_ymd(y + 1, 1, 1) - 1;
	else
		g->d1 = days_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1,
				      1) - 1;
}

/* Widest end label, at most 30 % of the plot. */
static double end_label_width(const struct chart *c, struct canvas *cv,
			      const struct line *lines, size_t nl, double w)
{
	double wmax = 0;
	char name[256];

	for (size_t k = 0; k < nl; k++) {
		chart_mark_name(c, lines[k].series, lines[k].claimant,
				shares_series(lines, nl, k), name, sizeof name);
		wmax = fmax(wmax, canvas_text_width(cv, name, FONT_BOLD,
						    CHART_LABEL_SIZE));
	}
	return fmin(wmax, w * 0.3);
}

/* The plot box and axes. Lines are named at their ends when there are
 * few (names right of the plot read without the legend, also in
 * greyscale). */
static enum brief_status line_geometry(const struct chart *c,
				       struct canvas *cv, const struct plot *pl,
				       const struct line *lines, size_t nl,
				       bool endlabels, struct line_geom *g,
				       struct diag *err)
{
	double vmax = 0;
	enum brief_status st;

	for (size_t i = 0; i < c->nb; i++)
		vmax = fmax(vmax, fmax(c->b[i].value, c->b[i].high));
	st = chart_check_range(c, vmax, err);
	if (st)
		return st;
	line_dates(c, g);
	value_axis_ticks(c, cv, vmax, pl->y1 - pl->y0, 32, &g->va);
	g->x0 = pl->x0 + g->va.label_w + 6;
	g->x1 = pl->x1 - 6;
	if (endlabels)
		g->x1 = pl->x1 - end_label_width(c, cv, lines, nl,
						 pl->x1 - pl->x0) - 8;
	g->y0 = pl->y0;
	g->y1 = pl->y1 - CHART_AXIS_SIZE * 1.6 - 2;
	g->va.horiz = false;
	g->va.base = g->y1;
	g->va.scale = -(g->y1 - g->y0) / g->va.t.v[g->va.t.n - 1];
	g->va.c0 = g->x0;
	g->va.c1 = g->x1;
	return BRIEF_OK;
}

/* A range as a light band from value to high. */
static void draw_band(const struct chart *c, struct canvas *cv,
		      const struct line_geom *g, const struct line *l,
		      struct rgba col)
{
	bool any = false;

	for (size_t i = 0; i < l->n; i++)
		any |= (c->b[l->pts[i]].flags & MF_RANGE) != 0;
	if (!any || l->n < 2)
		return;
	for (size_t i = 0; i < l->n; i++) {
		const struct bucket *b = &c->b[l->pts[i]];

		if (i == 0)
			cairo_move_to(cv->cr, gx(g, (double)b->x), gy(g, b->high));
		else
			cairo_line_to(cv->cr, gx(g, (double)b->x), gy(g, b->high));
	}
	for (size_t i = l->n; i-- > 0;) {
		const struct bucket *b = &c->b[l->pts[i]];

		cairo_line_to(cv->cr, gx(g, (double)b->x), gy(g, b->value));
	}
	cairo_close_path(cv->cr);
	col.a = 0.22;
	canvas_fill(cv, col);
}

/* An arrow at (x, y): up for a minimum, down for a maximum. */
static void bound_arrow(struct canvas *cv, double x, double y, bool up)
{
	double d = up ? -1 : 1;

	cairo_move_to(cv->cr, x, y);
	cairo_line_to(cv->cr, x, y + d * 7);
	canvas_stroke(cv, chart_ink, 0.8, NULL, 0);
	cairo_move_to(cv->cr, x, y + d * 10);
	cairo_line_to(cv->cr, x - 2.5, y + d * 6);
	cairo_line_to(cv->cr, x + 2.5, y + d * 6);
	cairo_close_path(cv->cr);
	canvas_fill(cv, chart_ink);
}

/* Markers, open-ended arrows and a lone point's range whisker. */
static void draw_points(const struct chart *c, struct canvas *cv,
			const struct line_geom *g, const struct line *l,
			struct rgba col, int pattern)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct bucket *b = &c->b[l->pts[i]];
		double x = gx(g, (double)b->x), y = gy(g, b->value);

		if (b->flags & MF_RANGE && l->n == 1) {
			cairo_move_to(cv->cr, x, y);
			cairo_line_to(cv->cr, x, gy(g, b->high));
			canvas_stroke(cv, chart_ink, 0.8, NULL, 0);
		}
		if (b->flags & (MF_LOWER | MF_UPPER))
			bound_arrow(cv, x, y, (b->flags & MF_LOWER) != 0);
		if (l->n <= 40) {
			chart_marker(cv, x, y, 2.6, pattern, chart_white);
			chart_marker(cv, x, y, 1.9, pattern, col);
		}
	}
}

/* One line: band, the line (a further claimant of a series dashed),
 * markers. */
static void draw_line(const struct chart *c, struct canvas *cv,
		      const struct line_geom *g, const struct line *l)
{
	static const double dash[2] = { 4, 2 };
	int pattern;
	struct rgba col = chart_series_line_color(c, l->series, &pattern);
	bool dashed = l->rank % 2;

	draw_band(c, cv, g, l, chart_series_color(c, l->series, NULL));
	for (size_t i = 0; i < l->n; i++) {
		const struct bucket *b = &c->b[l->pts[i]];
		double x = gx(g, (double)b->x), y = gy(g, b->value);

		if (i == 0)
			cairo_move_to(cv->cr, x, y);
		else
			cairo_line_to(cv->cr, x, y);
	}
	canvas_stroke(cv, col, 1.8, dashed ? dash : NULL, dashed ? 2 : 0);
	draw_points(c, cv, g, l, col, pattern);
}

/* Names at the ends of the lines that reach the last date, spread so
 * they never overlap. A line that stops early is named by the legend
 * only: a label far from its end would mislead. */
static void draw_end_labels(const struct chart *c, struct canvas *cv,
			    const struct line_geom *g,
			    const struct line *lines, size_t nl)
{
	double want[6], size[6], at[6];
	size_t order[6], n = 0;
	char name[256];

	for (size_t k = 0; k < nl && n < 6; k++) {
		const struct bucket *b = &c->b[lines[k].pts[lines[k].n - 1]];
		double y = gy(g, b->value) - CHART_LABEL_SIZE / 2;
		size_t j = n;

		if (b->x < c->xmax)
			continue;
		while (j > 0 && want[j - 1] > y) {
			want[j] = want[j - 1];
			order[j] = order[j - 1];
			j--;
		}
		want[j] = y;
		order[j] = k;
		n++;
	}
	for (size_t k = 0; k < n; k++)
		size[k] = CHART_LABEL_SIZE;
	scale_spread_labels(want, size, n, g->y0, g->y1, 1.5, at);
	for (size_t k = 0; k < n; k++) {
		const struct line *l = &lines[order[k]];

		chart_mark_name(c, l->series, l->claimant,
				shares_series(lines, nl, order[k]), name,
				sizeof name);
		canvas_text(cv, g->x1 + 6, at[k] + CHART_LABEL_SIZE * 0.85, 0,
			    ANCHOR_START, name, FONT_BOLD, CHART_LABEL_SIZE,
			    chart_series_line_color(c, l->series, NULL));
	}
}

enum brief_status chart_line_draw(struct chart *c, struct canvas *cv,
				  struct diag *err)
{
	size_t nl = 0, ni = 0;
	struct line *lines = build_lines(c, &nl);
	char (*names)[160] = calloc(nl + 1, sizeof *names);
	struct legend_item *items = NULL;
	enum brief_status st = BRIEF_OK;
	bool endlabels = nl > 1 && nl <= 6;
	struct line_geom g;
	struct plot pl;

	if (!lines || !names || !(items = line_legend(c, lines, nl, names, &ni))) {
		st = chart_oom(c, err);
		goto out;
	}
	chart_frame_draw(c, cv, items, ni, &pl, err);
	chart_axis_title(c, cv, &pl);
	st = line_geometry(c, cv, &pl, lines, nl, endlabels, &g, err);
	if (st)
		goto out;
	value_axis_draw(c, cv, &g.va);
	date_axis_draw(cv, g.d0, g.d1, g.x0, g.x1, g.y1, pl.x0, pl.x1);
	for (size_t k = 0; k < nl; k++)
		draw_line(c, cv, &g, &lines[k]);
	if (endlabels)
		draw_end_labels(c, cv, &g, lines, nl);
	chart_axis_line(cv, g.x0, g.y1, g.x1, g.y1);
out:
	free_lines(lines);
	free(items);
	free(names);
	return st;
}
