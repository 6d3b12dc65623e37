/* chart_step.c — a quantity that holds until it changes (territory held
 * by each controller, say): one series per value of the group column,
 * taken at each date from whichever source speaks for it; each figure
 * holds until the series' next one, the last until the briefing's as_of.
 * Several sources disagreeing on the same day are drawn as separate,
 * attributed marks: never stacked on each other, never added. */
#include "chart_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the plan ---------------------------------------------------------- */

static const struct chart *step_chart; /* for qsort */

static int cmp_day_claimant(const void *a, const void *b)
{
	const struct bucket *p = &step_chart->b[*(const size_t *)a];
	const struct bucket *q = &step_chart->b[*(const size_t *)b];

	if (p->x != q->x)
		return (p->x > q->x) - (p->x < q->x);
	return (p->claimant > q->claimant) - (p->claimant < q->claimant);
}

static int cmp_series_day(const void *a, const void *b)
{
	const struct bucket *p = &step_chart->b[*(const size_t *)a];
	const struct bucket *q = &step_chart->b[*(const size_t *)b];

	if (p->series != q->series)
		return (p->series > q->series) - (p->series < q->series);
	if (p->x != q->x)
		return (p->x > q->x) - (p->x < q->x);
	return (p->claimant > q->claimant) - (p->claimant < q->claimant);
}

/* How many series each claim's source reports that day: the source that
 * speaks for more of them gives the consistent picture. */
static void claim_weights(const struct chart *c, size_t *idx, long *w)
{
	for (size_t i = 0; i < c->nb; i++)
		idx[i] = i;
	step_chart = c;
	if (c->nb)
		qsort(idx, c->nb, sizeof *idx, cmp_day_claimant);
	for (size_t i = 0, k; i < c->nb; i = k) {
		for (k = i + 1; k < c->nb &&
				c->b[idx[k]].x == c->b[idx[i]].x &&
				c->b[idx[k]].claimant == c->b[idx[i]].claimant;
		     k++)
			;
		for (size_t j = i; j < k; j++)
			w[idx[j]] = (long)(k - i);
	}
}

/* One (series, day): the heaviest claim is the point, the others its
 * alternatives (first in the data wins a tie). */
static void plan_point(const struct chart *c, const size_t *idx, size_t i,
		       size_t k, const long *w, struct step_plan *p,
		       struct step_point *pt, size_t alt)
{
	size_t best = i;

	for (size_t j = i + 1; j < k; j++)
		if (w[idx[j]] > w[idx[best]])
			best = j;
	pt->day = c->b[idx[i]].x;
	pt->bucket = idx[best];
	pt->alt = alt;
	pt->nalt = 0;
	for (size_t j = i; j < k; j++)
		if (j != best)
			p->alts[pt->alt + pt->nalt++] = idx[j];
}

static void plan_axis(const struct chart *c, struct step_plan *p)
{
	int y, m, d;

	p->d0 = c->xmin;
	p->d1 = c->xmax;
	if (c->as_of_day > p->d1)
		p->d1 = c->as_of_day;
	if (c->doc_as_of_day > p->d1)
		p->d1 = c->doc_as_of_day;
	if (p->d1 == p->d0) {
		ymd_from_days(p->d1, &y, &m, &d);
		p->d1 = days_from_ymd(y + 1, 1, 1) - 1;
	}
}

enum brief_status chart_step_plan(const struct chart *c, struct step_plan *p)
{
	size_t *idx = malloc((c->nb + 1) * sizeof *idx), nalt = 0;
	long *w = malloc((c->nb + 1) * sizeof *w);

	memset(p, 0, sizeof *p);
	p->s = calloc(c->series.n + 1, sizeof *p->s);
	p->pts = calloc(c->nb + 1, sizeof *p->pts);
	p->alts = calloc(c->nb + 1, sizeof *p->alts);
	if (!idx || !w || !p->s || !p->pts || !p->alts) {
		free(idx);
		free(w);
		chart_step_plan_free(p);
		return BRIEF_ENOMEM;
	}
	claim_weights(c, idx, w);
	if (c->nb)
		qsort(idx, c->nb, sizeof *idx, cmp_series_day);
	for (size_t i = 0, k, np = 0; i < c->nb; i = k) {
		const struct bucket *b = &c->b[idx[i]];
		struct step_point *pt = &p->pts[np++];

		for (k = i + 1; k < c->nb && c->b[idx[k]].series == b->series &&
				c->b[idx[k]].x == b->x;
		     k++)
			;
		if (p->ns == 0 || p->s[p->ns - 1].series != b->series) {
			p->s[p->ns].series = b->series;
			p->s[p->ns].pts = pt;
			p->ns++;
		}
		p->s[p->ns - 1].n++;
		plan_point(c, idx, i, k, w, p, pt, nalt);
		nalt += pt->nalt;
	}
	plan_axis(c, p);
	free(idx);
	free(w);
	return BRIEF_OK;
}

void chart_step_plan_free(struct step_plan *p)
{
	free(p->s);
	free(p->pts);
	free(p->alts);
	memset(p, 0, sizeof *p);
}

double chart_step_held(const struct chart *c, const struct step_plan *p,
		       size_t k, long d)
{
	const struct step_series *s = &p->s[k];
	size_t lo = 0, hi = s->n;

	/* The last point on or before d. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->pts[mid].day <= d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? c->b[s->pts[lo - 1].bucket].value : 0;
}

/* ---- drawing ------------------------------------------------------------ */

struct step_geom {
	double x0, x1, y0, y1;
	long d0, d1;
	struct value_axis va;
	double *held; /* area: value per (change day, series), nx x ns */
};

static double sx(const struct step_geom *g, long day)
{
	return g->x0 + (double)(day - g->d0) / (double)(g->d1 - g->d0) *
			       (g->x1 - g->x0);
}

static double sy(const struct step_geom *g, double v)
{
	return value_axis_px(&g->va, v);
}

/* What each series holds from each change day on (a sweep over the
 * days: linear in days x series). */
static double *held_table(const struct chart *c, const struct step_plan *p)
{
	double *h = calloc((c->nx + 1) * (p->ns + 1), sizeof *h);
	size_t *next = calloc(p->ns + 1, sizeof *next);

	if (!h || !next) {
		free(h);
		free(next);
		return NULL;
	}
	for (size_t k = 0; k < c->nx; k++)
		for (size_t s = 0; s < p->ns; s++) {
			const struct step_series *ss = &p->s[s];

			while (next[s] < ss->n && ss->pts[next[s]].day <= c->xorder[k])
				next[s]++;
			h[k * p->ns + s] =
				next[s] ? c->b[ss->pts[next[s] - 1].bucket].value
					: 0;
		}
	free(next);
	return h;
}

/* The largest value drawn: the tallest stack, or any claim. */
static double step_vmax(const struct chart *c, const struct step_plan *p,
			const double *held)
{
	double vmax = 0;

	for (size_t i = 0; i < c->nb; i++)
		vmax = fmax(vmax, fmax(c->b[i].value, c->b[i].high));
	for (size_t k = 0; held && k < c->nx; k++) {
		double t = 0;

		for (size_t s = 0; s < p->ns; s++)
			t += held[k * p->ns + s];
		vmax = fmax(vmax, t);
	}
	return vmax;
}

static enum brief_status step_geometry(const struct chart *c,
				       struct canvas *cv, const struct plot *pl,
				       const struct step_plan *p,
				       struct step_geom *g, struct diag *err)
{
	double vmax = step_vmax(c, p, g->held);
	enum brief_status st = chart_check_range(c, vmax, err);

	if (st)
		return st;
	g->d0 = p->d0;
	g->d1 = p->d1;
	value_axis_ticks(c, cv, vmax, pl->y1 - pl->y0, 32, &g->va);
	g->x0 = pl->x0 + g->va.label_w + 6;
	g->x1 = pl->x1 - 6;
	g->y0 = pl->y0;
	g->y1 = pl->y1 - CHART_AXIS_SIZE * 1.6 - 2;
	g->va.horiz = false;
	g->va.base = g->y1;
	g->va.scale = -(g->y1 - g->y0) / g->va.t.v[g->va.t.n - 1];
	g->va.c0 = g->x0;
	g->va.c1 = g->x1;
	return BRIEF_OK;
}

/* The stack under series s from change day k on. */
static double stack_below(const struct step_geom *g, size_t ns, size_t k,
			  size_t s)
{
	double lo = 0;

	for (size_t j = 0; j < s; j++)
		lo += g->held[k * ns + j];
	return lo;
}

/* One series' stepped area on top of the ones before it, its top edge a
 * white step line that keeps the parts apart in greyscale. */
static void draw_area(const struct chart *c, struct canvas *cv,
		      const struct step_geom *g, const struct step_plan *p,
		      size_t s)
{
	int pattern;
	struct rgba col = chart_series_color(c, p->s[s].series, &pattern);

	for (int pass = 0; pass < 3; pass++) {
		for (size_t k = 0; k < c->nx; k++) {
			double lo = stack_below(g, p->ns, k, s);
			double hi = lo + g->held[k * p->ns + s];
			double xa = sx(g, c->xorder[k]);
			double xb = k + 1 < c->nx ? sx(g, c->xorder[k + 1]) : g->x1;

			if (pass == 0)
				cairo_rectangle(cv->cr, xa, sy(g, hi), xb - xa,
						sy(g, lo) - sy(g, hi));
			else if (pass == 1)
				chart_hatch_rect(cv, xa, sy(g, hi), xb,
						 sy(g, lo), pattern);
			else if (hi > lo) {
				cairo_move_to(cv->cr, xa, sy(g, hi));
				cairo_line_to(cv->cr, xb, sy(g, hi));
			}
		}
		if (pass == 0)
			canvas_fill(cv, col);
		else if (pass == 2)
			canvas_stroke(cv, chart_white, 0.8, NULL, 0);
	}
}

/* One series as a step line, each value held until its next figure and
 * the last to the axis end; markers at the change points. */
static void draw_steps(const struct chart *c, struct canvas *cv,
		       const struct step_geom *g, const struct step_series *ss)
{
	int pattern;
	struct rgba col = chart_series_line_color(c, ss->series, &pattern);

	for (size_t i = 0; i < ss->n; i++) {
		double x = sx(g, ss->pts[i].day);
		double y = sy(g, c->b[ss->pts[i].bucket].value);
		double xn = i + 1 < ss->n ? sx(g, ss->pts[i + 1].day) : g->x1;

		if (i == 0)
			cairo_move_to(cv->cr, x, y);
		else
			cairo_line_to(cv->cr, x, y);
		cairo_line_to(cv->cr, xn, y);
	}
	canvas_stroke(cv, col, 1.8, NULL, 0);
	for (size_t i = 0; i < ss->n && ss->n <= 40; i++) {
		double x = sx(g, ss->pts[i].day);
		double y = sy(g, c->b[ss->pts[i].bucket].value);

		chart_marker(cv, x, y, 2.6, pattern, chart_white);
		chart_marker(cv, x, y, 1.9, pattern, col);
	}
}

#define MAX_CLAIMS 8
#define MAX_PLACED 64

/* Labels already placed (x0, y0, x1, y1), so a later disagreement's
 * labels go around them. */
struct placed {
	double r[MAX_PLACED][4];
	size_t n;
};

static bool hits(const struct placed *pl, const double r[4])
{
	for (size_t i = 0; i < pl->n; i++)
		if (r[0] < pl->r[i][2] && pl->r[i][0] < r[2] &&
		    r[1] < pl->r[i][3] && pl->r[i][1] < r[3])
			return true;
	return false;
}

/* One claim's label "3,000 km² (per A)" on a white ground, at (x, y)
 * (the top of the text), right of the claim or left when the plot ends. */
static void claim_label(const struct chart *c, struct canvas *cv,
			const struct step_geom *g, const struct bucket *b,
			double x, double y, struct placed *pl)
{
	char lab[320], v[96];
	double tw, r[4], asc = CHART_LABEL_SIZE * 0.8;
	const struct rgba ground = { 1, 1, 1, 0.85 };

	chart_value_label(c, b->value, b->high, b->flags, v, sizeof v);
	chart_per(v,
		  (size_t)b->claimant < c->claims.n ? c->claims.s[b->claimant]
						    : "?",
		  lab, sizeof lab);
	tw = canvas_text_width(cv, lab, FONT_REGULAR, CHART_LABEL_SIZE);
	r[0] = x + 7 + tw > g->x1 ? x - 7 - tw : x + 7;
	r[1] = y;
	r[2] = r[0] + tw;
	r[3] = y + CHART_LABEL_SIZE * 1.15;
	for (int tries = 0; tries < 40 && hits(pl, r); tries++) {
		r[1] += CHART_LABEL_SIZE * 1.2;
		r[3] += CHART_LABEL_SIZE * 1.2;
	}
	cairo_rectangle(cv->cr, r[0] - 1.5, r[1] - 0.5, tw + 3,
			r[3] - r[1] + 1);
	canvas_fill(cv, ground);
	canvas_text(cv, r[0], r[1] + asc, 0, ANCHOR_START, lab, FONT_REGULAR,
		    CHART_LABEL_SIZE, chart_ink);
	if (pl->n < MAX_PLACED)
		memcpy(pl->r[pl->n++], r, sizeof r);
}

/* A day on which sources disagree about a series: each claim as its own
 * marker at its own level (on the same base: never on top of another
 * claim), each labelled with who makes it. */
static void draw_disagreement(const struct chart *c, struct canvas *cv,
			      const struct step_geom *g,
			      const struct step_plan *p, size_t s,
			      const struct step_point *pt, struct placed *pl)
{
	size_t claims[MAX_CLAIMS], n = 0;
	double want[MAX_CLAIMS], size[MAX_CLAIMS], at[MAX_CLAIMS], base = 0;
	double x = sx(g, pt->day);

	claims[n++] = pt->bucket;
	for (size_t i = 0; i < pt->nalt && n < MAX_CLAIMS; i++)
		claims[n++] = p->alts[pt->alt + i];
	if (g->held)
		base = stack_below(g, p->ns, (size_t)c->b[pt->bucket].xi, s);
	/* Highest claim first, so labels keep the claims' order. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && c->b[claims[j]].value >
						    c->b[claims[j - 1]].value;
		     j--) {
			size_t t = claims[j];

			claims[j] = claims[j - 1];
			claims[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++) {
		want[i] = sy(g, base + c->b[claims[i]].value) -
			  CHART_LABEL_SIZE * 0.6;
		size[i] = CHART_LABEL_SIZE * 1.15;
	}
	scale_spread_labels(want, size, n, g->y0, g->y1, 2, at);
	for (size_t i = 0; i < n; i++) {
		double y = sy(g, base + c->b[claims[i]].value);

		chart_marker(cv, x, y, 3.4, 3, chart_ink);
		chart_marker(cv, x, y, 2.2, 3, chart_white);
		claim_label(c, cv, g, &c->b[claims[i]], x, at[i], pl);
	}
}

static void draw_disagreements(const struct chart *c, struct canvas *cv,
			       const struct step_geom *g,
			       const struct step_plan *p)
{
	struct placed pl;

	pl.n = 0;
	for (size_t s = 0; s < p->ns; s++)
		for (size_t i = 0; i < p->s[s].n; i++)
			if (p->s[s].pts[i].nalt)
				draw_disagreement(c, cv, g, p, s,
						  &p->s[s].pts[i], &pl);
}

enum brief_status chart_step_draw(struct chart *c, struct canvas *cv,
				  struct diag *err)
{
	bool area = c->spec->area;
	struct step_plan p;
	struct step_geom g;
	struct legend_item *items = NULL;
	size_t ni = 0;
	struct plot pl;
	enum brief_status st;

	memset(&g, 0, sizeof g);
	if (chart_step_plan(c, &p) != BRIEF_OK)
		return chart_oom(c, err);
	items = chart_series_legend(c, area ? 0 : 1, &ni);
	if (!items || (area && !(g.held = held_table(c, &p)))) {
		st = chart_oom(c, err);
		goto out;
	}
	chart_frame_draw(c, cv, items, ni, &pl, err);
	chart_axis_title(c, cv, &pl);
	st = step_geometry(c, cv, &pl, &p, &g, err);
	if (st)
		goto out;
	value_axis_draw(c, cv, &g.va);
	date_axis_draw(cv, g.d0, g.d1, g.x0, g.x1, g.y1, pl.x0, pl.x1);
	for (size_t s = 0; s < p.ns; s++) {
		if (area)
			draw_area(c, cv, &g, &p, s);
		else
			draw_steps(c, cv, &g, &p.s[s]);
	}
	draw_disagreements(c, cv, &g, &p);
	chart_axis_line(cv, g.x0, g.y1, g.x1, g.y1);
out:
	free(g.held);
	free(items);
	chart_step_plan_free(&p);
	return st;
}
