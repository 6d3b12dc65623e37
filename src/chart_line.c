/* chart_line.c — line and step charts over a real date axis: one line per
 * series and claimant, range bands, open-ended markers, stepped areas. */
#include "chart_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scale.h"

#define AXIS_SIZE 7.5
#define LABEL_SIZE 7.0

struct line_geom {
	double x0, x1, y0, y1; /* plot box */
	long d0, d1;           /* date range, days */
	double vmax;
};

static double gx(const struct line_geom *g, double day)
{
	return g->x0 + (day - (double)g->d0) / (double)(g->d1 - g->d0) *
			       (g->x1 - g->x0);
}

static double gy(const struct line_geom *g, double v)
{
	return g->y1 - v / g->vmax * (g->y1 - g->y0);
}

/* A line: one series and claimant, its buckets in date order. */
struct line {
	int series, claimant;
	size_t *pts; /* bucket indices */
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

static struct rgba lighter(struct rgba c, double a)
{
	c.a = a;
	return c;
}

/* Lines are built from the buckets once: sorted by line, then date, each
 * line is one run of the index array, which lines[0].pts owns. */
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
	qsort(all, c->nb, sizeof *all, cmp_bucket_line);
	for (size_t i = 0; i < c->nb; i++) {
		const struct bucket *b = &c->b[all[i]];

		if (n == 0 || b->series != l[n - 1].series ||
		    b->claimant != l[n - 1].claimant) {
			l[n].series = b->series;
			l[n].claimant = b->claimant;
			l[n].pts = all + i;
			n++;
		}
		l[n - 1].n++;
	}
	if (n == 0)
		free(all);
	*nlines = n;
	return l;
}

/* 0 for a series' first line, 1, 2, ... for further claimants of it. */
static int claim_rank(const struct line *l, size_t k)
{
	int r = 0;

	while (k > 0 && l[k - 1].series == l[k].series) {
		k--;
		r++;
	}
	return r;
}

static void free_lines(struct line *l, size_t n)
{
	if (l && n)
		free(l[0].pts);
	free(l);
}

enum brief_status chart_line_draw(struct chart *c, struct canvas *cv,
				  struct diag *err)
{
	const struct chart_spec *s = c->spec;
	bool step = s->type == CHART_STEP, area = step && s->area;
	struct line *lines = NULL;
	size_t nlines = 0;
	struct legend_item *items = NULL;
	struct plot pl;
	struct line_geom g;
	struct ticks t;
	struct date_ticks dt;
	double lw = 0, asc, vmax = 0;
	char name[256];
	enum brief_status st = BRIEF_OK;
	double *stack = NULL;
	char (*names)[160] = NULL; /* legend names, one per line */
	bool endlabels;

	lines = build_lines(c, &nlines);
	items = calloc(nlines + 1, sizeof *items);
	names = calloc(nlines + 1, sizeof *names);
	if (!lines || !items || !names) {
		st = diag_set(err, BRIEF_ENOMEM, s->file, s->at.line, s->at.col,
			      "out of memory");
		goto out;
	}
	{
		size_t ni = 0;

		for (size_t k = 0; k < nlines; k++) {
			bool contested = chart_series_contested(c, lines[k].series);

			if (!c->group_col && !contested)
				continue;
			chart_mark_name(c, lines[k].series, lines[k].claimant,
					contested, names[ni], sizeof names[ni]);
			if (!*names[ni])
				continue;
			items[ni].name = names[ni];
			items[ni].color = chart_series_color(
				c, lines[k].series, &items[ni].pattern);

			items[ni].kind = area ? 0 : claim_rank(lines, k) % 2 ? 2 : 1;
			ni++;
		}
		if (ni == 1 && !c->group_col)
			ni = 0;
		chart_frame_draw(c, cv, items, ni, &pl, err);
	}
	asc = fontset_ascent(cv->fonts, FONT_REGULAR, AXIS_SIZE);
	canvas_text(cv, pl.x0, pl.y0 + asc, 0, ANCHOR_START, c->y_label,
		    FONT_REGULAR, AXIS_SIZE, chart_grey);
	pl.y0 += AXIS_SIZE * 1.3 + 8;

	/* Value range: stacked areas need the largest stack. */
	g.d0 = c->xmin;
	g.d1 = c->xmax;
	if (s->bucket == BUCKET_MONTH || s->bucket == BUCKET_YEAR ||
	    g.d1 == g.d0) {
		/* Room for the last bucket's period. */
		int y, m, d;

		ymd_from_days(g.d1, &y, &m, &d);
		if (s->bucket == BUCKET_YEAR || g.d1 == g.d0)
			g.d1 = days_from_ymd(y + 1, 1, 1) - 1;
		else
			g.d1 = days_from_ymd(m == 12 ? y + 1 : y,
						     m == 12 ? 1 : m + 1, 1) - 1;
	}
	/* A step's last value holds until the data's as-of date. */
	if (step && c->as_of_day > g.d1)
		g.d1 = c->as_of_day;
	if (area) {
		stack = calloc(c->nx + 1, sizeof *stack);
		if (!stack) {
			st = diag_set(err, BRIEF_ENOMEM, s->file, s->at.line,
				      s->at.col, "out of memory");
			goto out;
		}
		/* At each change point, the sum of every series' held value. */
		for (size_t k = 0; k < c->nx; k++)
			for (size_t li = 0; li < nlines; li++) {
				double held = 0;

				for (size_t i = 0; i < lines[li].n; i++) {
					const struct bucket *b =
						&c->b[lines[li].pts[i]];

					if (b->x <= c->xorder[k])
						held = b->value;
				}
				stack[k] += held;
			}
		for (size_t k = 0; k < c->nx; k++)
			vmax = fmax(vmax, stack[k]);
	}
	for (size_t i = 0; i < c->nb; i++)
		vmax = fmax(vmax, fmax(c->b[i].value, c->b[i].high));
	if (c->percent && vmax > 60 && vmax <= 100)
		vmax = 100;
	st = chart_check_range(c, vmax, err);
	if (st != BRIEF_OK)
		goto out;
	scale_nice_ticks(0, vmax, (int)fmax(3, (pl.y1 - pl.y0) / 32), &t);
	g.vmax = t.v[t.n - 1];
	for (size_t i = 0; i < t.n; i++) {
		char num[48];

		chart_tick_label(c, t.v[i], t.step, num, sizeof num);
		lw = fmax(lw, canvas_text_width(cv, num, FONT_REGULAR, AXIS_SIZE));
	}
	g.x0 = pl.x0 + lw + 6;
	g.x1 = pl.x1 - 6;
	/* Direct labels at the lines' ends (few lines): names right of the
	 * plot, so lines read without the legend, also in greyscale. */
	endlabels = !area && nlines <= 6 && nlines > 1;
	if (endlabels) {
		double wmax = 0;

		for (size_t k = 0; k < nlines; k++) {
			chart_mark_name(c, lines[k].series, lines[k].claimant,
					chart_series_contested(c, lines[k].series),
					name, sizeof name);
			wmax = fmax(wmax, canvas_text_width(cv, name, FONT_BOLD,
							    LABEL_SIZE));
		}
		wmax = fmin(wmax, (pl.x1 - pl.x0) * 0.3);
		g.x1 = pl.x1 - wmax - 8;
	}
	g.y0 = pl.y0;
	g.y1 = pl.y1 - AXIS_SIZE * 1.6 - 2;

	/* Grid, value ticks. */
	for (size_t i = 0; i < t.n; i++) {
		char num[48];
		double y = gy(&g, t.v[i]);

		chart_tick_label(c, t.v[i], t.step, num, sizeof num);
		cairo_move_to(cv->cr, g.x0, y);
		cairo_line_to(cv->cr, g.x1, y);
		canvas_stroke(cv, chart_grid, 0.5, NULL, 0);
		canvas_text(cv, g.x0 - 6, y + asc * 0.35, 0, ANCHOR_END, num,
			    FONT_REGULAR, AXIS_SIZE, chart_grey);
	}
	/* Date ticks: as many as fit their labels. */
	{
		double wlab = canvas_text_width(cv, "Sep 2020", FONT_REGULAR,
						AXIS_SIZE) + 14;
		int maxt = (int)fmax(2, (g.x1 - g.x0) / wlab);
		double lastx = -1e9;

		scale_date_ticks(g.d0, g.d1, maxt, &dt);
		for (size_t i = 0; i < dt.n; i++) {
			double x = gx(&g, (double)dt.v[i].day);
			double tw = canvas_text_width(cv, dt.v[i].label,
						      FONT_REGULAR, AXIS_SIZE);

			cairo_move_to(cv->cr, x, g.y1);
			cairo_line_to(cv->cr, x, g.y1 + 3);
			canvas_stroke(cv, chart_ink, 0.6, NULL, 0);
			if (x - tw / 2 < lastx + 4 || x + tw / 2 > pl.x1 + 2 ||
			    x - tw / 2 < pl.x0)
				continue;
			canvas_text(cv, x, g.y1 + 4 + asc, 0, ANCHOR_MIDDLE,
				    dt.v[i].label, FONT_REGULAR, AXIS_SIZE,
				    chart_ink);
			lastx = x + tw / 2;
		}
	}

	/* Stepped areas, stacked in series order, drawn first. */
	if (area) {
		double *lo = calloc(c->nx + 1, sizeof *lo);

		if (!lo) {
			st = diag_set(err, BRIEF_ENOMEM, s->file, s->at.line,
				      s->at.col, "out of memory");
			goto out;
		}
		for (size_t li = 0; li < nlines; li++) {
			int pattern;
			struct rgba col =
				chart_series_color(c, lines[li].series, &pattern);
			double *hi = calloc(c->nx + 1, sizeof *hi);

			if (!hi) {
				free(lo);
				st = diag_set(err, BRIEF_ENOMEM, s->file,
					      s->at.line, s->at.col,
					      "out of memory");
				goto out;
			}
			for (size_t k = 0; k < c->nx; k++) {
				double held = 0;

				for (size_t i = 0; i < lines[li].n; i++)
					if (c->b[lines[li].pts[i]].x <= c->xorder[k])
						held = c->b[lines[li].pts[i]].value;
				hi[k] = lo[k] + held;
			}
			/* Upper edge forward, lower edge back, as steps. */
			for (size_t k = 0; k < c->nx; k++) {
				double xa = gx(&g, (double)c->xorder[k]);
				double xb = k + 1 < c->nx
						    ? gx(&g, (double)c->xorder[k + 1])
						    : g.x1;

				cairo_rectangle(cv->cr, xa, gy(&g, hi[k]), xb - xa,
						gy(&g, lo[k]) - gy(&g, hi[k]));
			}
			canvas_fill(cv, col);
			for (size_t k = 0; k < c->nx; k++) {
				double xa = gx(&g, (double)c->xorder[k]);
				double xb = k + 1 < c->nx
						    ? gx(&g, (double)c->xorder[k + 1])
						    : g.x1;

				chart_hatch_rect(cv, xa, gy(&g, hi[k]), xb,
						 gy(&g, lo[k]), pattern);
			}
			/* The top edge as a dark step line keeps the parts
			 * apart in greyscale. */
			for (size_t k = 0; k < c->nx; k++) {
				double xa = gx(&g, (double)c->xorder[k]);
				double xb = k + 1 < c->nx
						    ? gx(&g, (double)c->xorder[k + 1])
						    : g.x1;

				if (k == 0)
					cairo_move_to(cv->cr, xa, gy(&g, hi[k]));
				else
					cairo_line_to(cv->cr, xa, gy(&g, hi[k]));
				cairo_line_to(cv->cr, xb, gy(&g, hi[k]));
			}
			canvas_stroke(cv, chart_white, 0.8, NULL, 0);
			memcpy(lo, hi, c->nx * sizeof *lo);
			free(hi);
		}
		free(lo);
	}

	/* Lines: band for ranges, the line, markers, open-ended arrows. */
	for (size_t li = 0; li < nlines && !area; li++) {
		const struct line *l = &lines[li];
		bool contested = chart_series_contested(c, l->series);
		int pattern;
		struct rgba col = chart_series_color(c, l->series, &pattern);
		static const double dashes[3][2] = { { 0, 0 }, { 4, 2 }, { 1.2, 1.6 } };
		/* Solid for a series; a second claimant of the same series dashed. */
		int dstyle = contested && claim_rank(lines, li) % 2 ? 1 : 0;
		bool markers = l->n <= 40;
		bool anyrange = false;

		for (size_t i = 0; i < l->n; i++)
			if (c->b[l->pts[i]].flags & MF_RANGE)
				anyrange = true;
		if (anyrange && l->n > 1) {
			for (size_t i = 0; i < l->n; i++) {
				const struct bucket *b = &c->b[l->pts[i]];
				double x = gx(&g, (double)b->x);

				if (i == 0)
					cairo_move_to(cv->cr, x, gy(&g, b->high));
				else
					cairo_line_to(cv->cr, x, gy(&g, b->high));
			}
			for (size_t i = l->n; i-- > 0;) {
				const struct bucket *b = &c->b[l->pts[i]];

				cairo_line_to(cv->cr, gx(&g, (double)b->x),
					      gy(&g, b->value));
			}
			cairo_close_path(cv->cr);
			canvas_fill(cv, lighter(col, 0.22));
		}
		for (size_t i = 0; i < l->n; i++) {
			const struct bucket *b = &c->b[l->pts[i]];
			double x = gx(&g, (double)b->x), y = gy(&g, b->value);

			if (i == 0) {
				cairo_move_to(cv->cr, x, y);
			} else {
				if (step) {
					double py = gy(&g, c->b[l->pts[i - 1]].value);

					cairo_line_to(cv->cr, x, py);
				}
				cairo_line_to(cv->cr, x, y);
			}
			if (step && i == l->n - 1)
				cairo_line_to(cv->cr, g.x1, y);
		}
		/* A dark casing keeps yellow (and everything in greyscale)
		 * visible; the colour goes on top. */
		canvas_stroke(cv, col, 1.8, dstyle ? dashes[dstyle] : NULL,
			      dstyle ? 2 : 0);
		for (size_t i = 0; i < l->n; i++) {
			const struct bucket *b = &c->b[l->pts[i]];
			double x = gx(&g, (double)b->x), y = gy(&g, b->value);

			if (b->flags & MF_RANGE && l->n == 1) {
				cairo_move_to(cv->cr, x, y);
				cairo_line_to(cv->cr, x, gy(&g, b->high));
				canvas_stroke(cv, chart_ink, 0.8, NULL, 0);
			}
			if (b->flags & (MF_LOWER | MF_UPPER)) {
				bool up = (b->flags & MF_LOWER) != 0;
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
			if (markers) {
				chart_marker(cv, x, y, 2.6, pattern, chart_white);
				chart_marker(cv, x, y, 1.9, pattern, col);
			}
		}
	}
	if (endlabels) {
		double want[6], size[6], at[6];
		size_t order[6], n = 0;

		for (size_t k = 0; k < nlines; k++) {
			const struct line *l = &lines[k];
			const struct bucket *b = &c->b[l->pts[l->n - 1]];
			size_t j = n;

			/* A line that stops early is named by the legend only:
			 * a label far from its end would mislead. */
			if (!step && b->x < c->xmax)
				continue;

			/* Insertion by wanted position: spreading keeps order. */
			while (j > 0 && want[j - 1] > gy(&g, b->value) - LABEL_SIZE / 2) {
				want[j] = want[j - 1];
				order[j] = order[j - 1];
				j--;
			}
			want[j] = gy(&g, b->value) - LABEL_SIZE / 2;
			order[j] = k;
			n++;
		}
		for (size_t k = 0; k < n; k++)
			size[k] = LABEL_SIZE;
		scale_spread_labels(want, size, n, g.y0, g.y1, 1.5, at);
		for (size_t k = 0; k < n; k++) {
			const struct line *l = &lines[order[k]];
			int pattern;
			struct rgba col = chart_series_color(c, l->series, &pattern);
			double lum = 0.2126 * col.r + 0.7152 * col.g + 0.0722 * col.b;

			chart_mark_name(c, l->series, l->claimant,
					chart_series_contested(c, l->series), name,
					sizeof name);
			/* Light colours are too faint for text: ink instead. */
			canvas_text(cv, g.x1 + 6, at[k] + LABEL_SIZE * 0.85, 0,
				    ANCHOR_START, name, FONT_BOLD, LABEL_SIZE,
				    lum > 0.6 ? chart_ink : col);
		}
	}
	/* Axis line. */
	cairo_move_to(cv->cr, g.x0, g.y1);
	cairo_line_to(cv->cr, g.x1, g.y1);
	canvas_stroke(cv, chart_ink, 0.8, NULL, 0);
out:
	free(stack);
	free_lines(lines, nlines);
	free(items);
	free(names);
	return st;
}
