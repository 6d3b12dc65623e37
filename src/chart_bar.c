/* chart_bar.c — grouped and stacked bars, vertical or horizontal, with
 * direct value labels, range whiskers, open-ended markers and a slot of
 * its own for every claim: each category is as wide as the marks it has,
 * so a claim never shares a slot, and a sparse series leaves no gap. */
#include "chart_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SLOT_IDEAL (CHART_LABEL_SIZE * 1.9) /* horizontal: room per mark */
#define SLOT_MIN (CHART_LABEL_SIZE + 2)     /* least room for a label */
#define GAP 8.0                             /* between categories */
#define BAR_MAX 46.0                        /* widest vertical bar */

/* Where each category and its marks go. */
struct bar_plan {
	bool horiz, stacked;
	struct value_axis va;
	double slot;   /* per mark along the category axis */
	double *at;    /* per position: start of its block */
	double *len;   /* per position: length of its block */
	double *lab_h; /* per position: category label height */
	double lw;     /* horizontal: category label column width */
	double c0, c1; /* category axis extent */
	double x0, x1, y0, y1; /* plot */
};

static size_t marks_at(const struct chart *c, size_t k)
{
	if (c->spec->type == CHART_STACKED_BAR)
		return c->xstart[k + 1] > c->xstart[k] ? 1 : 0;
	return c->xstart[k + 1] - c->xstart[k];
}

static void plan_free(struct bar_plan *p)
{
	free(p->at);
	free(p->len);
	free(p->lab_h);
}

static bool plan_alloc(const struct chart *c, struct bar_plan *p)
{
	memset(p, 0, sizeof *p);
	p->at = calloc(c->nx + 1, sizeof *p->at);
	p->len = calloc(c->nx + 1, sizeof *p->len);
	p->lab_h = calloc(c->nx + 1, sizeof *p->lab_h);
	p->horiz = c->spec->horizontal;
	p->stacked = c->spec->type == CHART_STACKED_BAR;
	return p->at && p->len && p->lab_h;
}

/* Horizontal: the label column, and each category's label height. */
static void plan_labels_h(const struct chart *c, struct canvas *cv,
			  struct bar_plan *p)
{
	char buf[256];

	p->lw = 0;
	for (size_t k = 0; k < c->nx; k++) {
		chart_x_label(c, c->xorder[k], buf, sizeof buf);
		p->lw = fmax(p->lw, fmin(canvas_text_width(cv, buf, FONT_REGULAR,
							   CHART_AXIS_SIZE),
					 cv->width * 0.3));
	}
	for (size_t k = 0; k < c->nx; k++) {
		chart_x_label(c, c->xorder[k], buf, sizeof buf);
		p->lab_h[k] = chart_wrap_text(cv, buf, 0, 0, p->lw + 0.5,
					      CHART_AXIS_SIZE, FONT_REGULAR,
					      chart_ink, false);
	}
}

/* Horizontal: the length all categories need at a slot and gap. */
static double need_h(const struct chart *c, const struct bar_plan *p,
		     double slot, double gap)
{
	double n = 0;

	for (size_t k = 0; k < c->nx; k++)
		n += fmax((double)marks_at(c, k) * slot, p->lab_h[k]) + gap;
	return n;
}

/* Horizontal: the largest slot (at most the ideal) whose categories fit
 * the plot's height, then each category's block. */
static void plan_blocks_h(const struct chart *c, struct bar_plan *p)
{
	double room = p->c1 - p->c0, slot = SLOT_IDEAL, gap = GAP, at;

	if (p->stacked)
		slot = SLOT_IDEAL * 1.3;
	while (slot > 1 && need_h(c, p, slot, gap) > room) {
		slot -= 0.25;
		if (gap > 3)
			gap -= 0.25;
	}
	p->slot = slot;
	at = p->c0 + fmax(0, room - need_h(c, p, slot, gap)) / 2;
	for (size_t k = 0; k < c->nx; k++) {
		p->len[k] = fmax((double)marks_at(c, k) * slot, p->lab_h[k]);
		p->at[k] = at + gap / 2;
		at += p->len[k] + gap;
	}
}

/* Vertical: categories share the width by the marks each has; bars are
 * capped in width and centred in their category. */
static void plan_blocks_v(const struct chart *c, struct canvas *cv,
			  struct bar_plan *p)
{
	double total = 0, room = p->c1 - p->c0, at = p->c0;
	char buf[256];

	for (size_t k = 0; k < c->nx; k++)
		total += (double)marks_at(c, k);
	total = fmax(1, total);
	p->slot = (room - GAP * (double)c->nx) / total;
	if (p->stacked)
		p->slot *= 0.75;
	if (p->slot * 0.8 > BAR_MAX)
		p->slot = BAR_MAX / 0.8;
	for (size_t k = 0; k < c->nx; k++) {
		double share = room * (double)marks_at(c, k) / total;

		p->at[k] = at;
		p->len[k] = share;
		at += share;
		chart_x_label(c, c->xorder[k], buf, sizeof buf);
		p->lab_h[k] = chart_wrap_text(cv, buf, 0, 0, fmax(share - 4, 24),
					      CHART_AXIS_SIZE, FONT_REGULAR,
					      chart_ink, false);
	}
}

/* Where a mark's label starts beyond its end (whisker, arrow). */
static double mark_reach(const struct bucket *b)
{
	return (b->flags & (MF_LOWER | MF_UPPER)) ? 9 : 4;
}

static double mark_top(const struct bucket *b)
{
	return (b->flags & MF_RANGE) ? fmax(b->value, b->high) : b->value;
}

/* The label's extent along the value axis: its width, or its height
 * when it stands above a vertical bar (read upwards when wider than the
 * slot). */
static double label_extent(const struct bar_plan *p, struct canvas *cv,
			   const char *lab)
{
	double tw = canvas_text_width(cv, lab, FONT_REGULAR, CHART_LABEL_SIZE);

	if (p->horiz || tw > p->slot + GAP - 2)
		return tw;
	return CHART_LABEL_SIZE + 1;
}

/* The largest value any stack or bar reaches, and the stack totals. */
static double bar_vmax(const struct chart *c, double *tot)
{
	double vmax = 0;

	for (size_t i = 0; i < c->nb; i++) {
		const struct bucket *b = &c->b[i];

		tot[b->xi] += b->value;
		vmax = fmax(vmax, mark_top(b));
	}
	if (c->spec->type == CHART_STACKED_BAR)
		for (size_t k = 0; k < c->nx; k++)
			vmax = fmax(vmax, tot[k]);
	return vmax;
}

/* Each stack's total, combined as the qualifiers of its parts say. */
static void stack_totals(const struct chart *c, struct figure_total *t)
{
	for (size_t k = 0; k < c->nx; k++) {
		struct figure_acc a;

		memset(&a, 0, sizeof a);
		for (size_t i = c->xstart[k]; i < c->xstart[k + 1]; i++) {
			const struct bucket *b = &c->b[c->bymark[i]];
			struct figure_total part = figure_acc_total(
				&b->acc,
				c->spec->agg == AGG_MAX ? FIG_MAX : FIG_SUM);

			figure_acc_add_total(&a, FIG_SUM, &part);
		}
		t[k] = figure_acc_total(&a, FIG_SUM);
	}
}

static void total_label(const struct chart *c, const struct figure_total *t,
			char *buf, size_t size)
{
	chart_value_label(c, t->value, t->high, chart_total_flags(t), buf,
			  size);
}

/* pt per unit such that every label still fits beyond its mark in room
 * pt (no bar is squeezed below a tenth of the room for it). */
static double bar_scale(const struct chart *c, struct canvas *cv,
			const struct bar_plan *p, const struct figure_total *st,
			double vmax, double room)
{
	double sc = room / (vmax > 0 ? vmax : 1);
	char lab[320];

	for (size_t k = 0; p->stacked && k < c->nx; k++) {
		double ext, end = st[k].value;

		total_label(c, &st[k], lab, sizeof lab);
		ext = label_extent(p, cv, lab) + 9;
		if (end > 0 && room - ext > room * 0.1)
			sc = fmin(sc, (room - ext) / end);
	}
	for (size_t i = 0; !p->stacked && i < c->nb; i++) {
		const struct bucket *b = &c->b[i];
		double ext, end = mark_top(b);

		chart_mark_label(c, b, lab, sizeof lab);
		ext = label_extent(p, cv, lab) + mark_reach(b) + 1;
		if (end > 0 && room - ext > room * 0.1)
			sc = fmin(sc, (room - ext) / end);
	}
	return sc;
}

/* Ticks over what the scale shows, none past the room. */
static void bar_ticks(const struct chart *c, struct canvas *cv,
		      struct bar_plan *p, double room, double spacing)
{
	double sc = fabs(p->va.scale);

	value_axis_ticks(c, cv, room / sc, room, spacing, &p->va);
	while (p->va.t.n > 2 &&
	       p->va.t.v[p->va.t.n - 1] * sc > room - (p->horiz ? 12 : 0))
		p->va.t.n--;
}

static enum brief_status plan_horizontal(struct chart *c, struct canvas *cv,
					 struct bar_plan *p,
					 const struct figure_total *st,
					 double vmax)
{
	double room;

	plan_labels_h(c, cv, p);
	p->c0 = p->y0;
	p->c1 = p->y1 - CHART_AXIS_SIZE * 1.6;
	plan_blocks_h(c, p);
	p->va.horiz = true;
	p->va.base = p->x0 + p->lw + 8;
	room = p->x1 - p->va.base;
	p->va.scale = bar_scale(c, cv, p, st, vmax, room);
	p->va.c0 = p->c0;
	p->va.c1 = p->c1;
	bar_ticks(c, cv, p, room, 60);
	return BRIEF_OK;
}

static enum brief_status plan_vertical(struct chart *c, struct canvas *cv,
				       struct bar_plan *p,
				       const struct figure_total *st,
				       double vmax)
{
	double catspace = 0, room;

	value_axis_ticks(c, cv, vmax * 1.1, p->y1 - p->y0, 32, &p->va);
	p->c0 = p->x0 + p->va.label_w + 6;
	p->c1 = p->x1;
	plan_blocks_v(c, cv, p);
	for (size_t k = 0; k < c->nx; k++)
		catspace = fmax(catspace, p->lab_h[k]);
	p->va.horiz = false;
	p->va.base = p->y1 - catspace - 5;
	room = p->va.base - p->y0;
	p->va.scale = -bar_scale(c, cv, p, st, vmax, room);
	p->va.c0 = p->c0;
	p->va.c1 = p->c1;
	bar_ticks(c, cv, p, room, 32);
	return BRIEF_OK;
}

/* ---- drawing ------------------------------------------------------------ */

/* A rectangle from a category span [a, b] and a value-pixel span. */
static void bar_rect(struct canvas *cv, const struct bar_plan *p, double a,
		     double b, double p0, double p1, double r[4])
{
	if (p->horiz) {
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

/* A small arrowhead at value-pixel v, category centre m, pointing away
 * from the base (out) or back toward it. */
static void arrowhead(struct canvas *cv, const struct bar_plan *p, double m,
		      double v, bool out, struct rgba col)
{
	double dir = p->va.scale > 0 ? 1 : -1, size = 4;
	double tip = out ? v + dir * size : v;
	double back = out ? v : v + dir * size;

	if (p->horiz) {
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
static void whisker(struct canvas *cv, const struct bar_plan *p, double m,
		    double p0, double p1, double cap)
{
	if (p->horiz) {
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

/* The uncertainty marks at a mark's end: whisker, arrows. */
static void draw_bounds(struct canvas *cv, const struct bar_plan *p,
			const struct bucket *b, double v0, double m,
			double thick, struct rgba col)
{
	double e = value_axis_px(&p->va, v0 + b->value);
	double nudge = p->va.scale > 0 ? 0.8 : -0.8;

	if (b->flags & MF_RANGE)
		whisker(cv, p, m, e, value_axis_px(&p->va, v0 + b->high),
			fmin(thick * 0.3, 4));
	if (b->flags & MF_LOWER)
		arrowhead(cv, p, m, e + nudge, true, col);
	else if (b->flags & MF_UPPER)
		arrowhead(cv, p, m, e + nudge, false, col);
}

/* A filled, hatched bar from v0 to v0 + value at [a, b]. */
static void draw_bar(struct canvas *cv, const struct bar_plan *p, double a,
		     double b, double v0, double v, struct rgba col,
		     int pattern, double r[4])
{
	bar_rect(cv, p, a, b, value_axis_px(&p->va, v0),
		 value_axis_px(&p->va, v0 + v), r);
	canvas_fill(cv, col);
	chart_hatch_rect(cv, r[0], r[1], r[2], r[3], pattern);
}

/* s cut with an ellipsis to fit w (into buf). */
static const char *fit_text(struct canvas *cv, const char *s, double w,
			    enum font_style style, char *buf, size_t size)
{
	size_t n = strlen(s);

	if (canvas_text_width(cv, s, style, CHART_LABEL_SIZE) <= w)
		return s;
	snprintf(buf, size - 3, "%s", s);
	n = strlen(buf);
	while (n > 1) {
		n--;
		while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80)
			n--;
		memcpy(buf + n, "\u2026", 4);
		if (canvas_text_width(cv, buf, style, CHART_LABEL_SIZE) <= w)
			break;
	}
	return buf;
}

/* A grouped mark's label beyond its end: after a horizontal bar (inside
 * it when the plot ends first), above a vertical one (read upwards when
 * wider than the slot). Left out when the slot is too thin to hold it. */
static void draw_mark_label(const struct chart *c, struct canvas *cv,
			    const struct bar_plan *p, const struct bucket *b,
			    double m, double r[4], struct rgba col)
{
	char lab[320], cut[320];
	double e = value_axis_px(&p->va, mark_top(b)) +
		   (p->va.scale > 0 ? 1 : -1) * mark_reach(b);
	double tw, y = m + CHART_LABEL_SIZE * 0.35;

	chart_mark_label(c, b, lab, sizeof lab);
	tw = canvas_text_width(cv, lab, FONT_REGULAR, CHART_LABEL_SIZE);
	if (!p->horiz) {
		if (tw <= p->slot + GAP - 2)
			canvas_text(cv, m, e, 0, ANCHOR_MIDDLE, lab,
				    FONT_REGULAR, CHART_LABEL_SIZE, chart_ink);
		else if (p->slot >= CHART_LABEL_SIZE * 1.1)
			canvas_text(cv, y, e, 90, ANCHOR_START,
				    fit_text(cv, lab, e - p->y0, FONT_REGULAR,
					     cut, sizeof cut),
				    FONT_REGULAR, CHART_LABEL_SIZE, chart_ink);
		return;
	}
	if (p->slot < CHART_LABEL_SIZE * 1.05)
		return;
	if (e + tw <= p->x1 + 0.5 || tw + 6 > r[2] - r[0])
		canvas_text(cv, e, y, 0, ANCHOR_START,
			    fit_text(cv, lab, p->x1 - e, FONT_REGULAR, cut,
				     sizeof cut),
			    FONT_REGULAR, CHART_LABEL_SIZE, chart_ink);
	else
		canvas_text(cv, r[2] - 3, y, 0, ANCHOR_END, lab, FONT_REGULAR,
			    CHART_LABEL_SIZE, chart_text_on(col));
}

/* The marks of one category side by side, one slot each, centred on its
 * block. */
static void draw_group(const struct chart *c, struct canvas *cv,
		       const struct bar_plan *p, size_t k)
{
	size_t m = marks_at(c, k);
	double start = p->at[k] + (p->len[k] - (double)m * p->slot) / 2;
	double thick = p->slot * (p->horiz ? 0.78 : 0.8);

	for (size_t j = 0; j < m; j++) {
		const struct bucket *b = &c->b[c->bymark[c->xstart[k] + j]];
		double a = start + (double)j * p->slot +
			   (p->slot - thick) / 2, r[4];
		int pattern;
		struct rgba col = chart_series_color(c, b->series, &pattern);

		draw_bar(cv, p, a, a + thick, 0, b->value, col, pattern, r);
		draw_bounds(cv, p, b, 0, a + thick / 2, thick, col);
		draw_mark_label(c, cv, p, b, a + thick / 2, r, col);
	}
}

/* A part's value inside it when it fits (a stack of one part shows its
 * total only). */
static void draw_part_label(const struct chart *c, struct canvas *cv,
			    const struct bar_plan *p, const struct bucket *b,
			    double v0, double m, double thick, struct rgba col)
{
	char lab[96];
	double len = fabs(b->value * p->va.scale), tw, mid;
	bool fits;

	chart_value_label(c, b->value, b->high, b->flags, lab, sizeof lab);
	tw = canvas_text_width(cv, lab, FONT_BOLD, CHART_LABEL_SIZE);
	fits = p->horiz ? tw + 4 < len && thick > CHART_LABEL_SIZE
			: CHART_LABEL_SIZE + 3 < len && tw + 2 < thick;
	if (!fits)
		return;
	mid = value_axis_px(&p->va, v0 + b->value / 2);
	if (p->horiz)
		canvas_text(cv, mid, m + CHART_LABEL_SIZE * 0.35, 0,
			    ANCHOR_MIDDLE, lab, FONT_BOLD, CHART_LABEL_SIZE,
			    chart_text_on(col));
	else
		canvas_text(cv, m, mid + CHART_LABEL_SIZE * 0.35, 0,
			    ANCHOR_MIDDLE, lab, FONT_BOLD, CHART_LABEL_SIZE,
			    chart_text_on(col));
}

/* One stack: parts in series order, white rules between them, the
 * total beyond it. */
static void draw_stack(const struct chart *c, struct canvas *cv,
		       const struct bar_plan *p, size_t k,
		       const struct figure_total *st)
{
	double thick = p->slot * 0.78, a = p->at[k] + (p->len[k] - thick) / 2;
	double v0 = 0, m = a + thick / 2, e;
	size_t parts = c->xstart[k + 1] - c->xstart[k];
	bool open = false;
	char lab[96];

	for (size_t i = c->xstart[k]; i < c->xstart[k + 1]; i++) {
		const struct bucket *b = &c->b[c->bymark[i]];
		int pattern;
		struct rgba col = chart_series_color(c, b->series, &pattern);
		double r[4];

		draw_bar(cv, p, a, a + thick, v0, b->value, col, pattern, r);
		cairo_rectangle(cv->cr, r[0], r[1], r[2] - r[0], r[3] - r[1]);
		canvas_stroke(cv, chart_white, 0.6, NULL, 0);
		draw_bounds(cv, p, b, v0, m, thick, col);
		if (parts > 1)
			draw_part_label(c, cv, p, b, v0, m, thick, col);
		open = (b->flags & (MF_LOWER | MF_UPPER)) != 0;
		v0 += b->value;
	}
	total_label(c, &st[k], lab, sizeof lab);
	e = value_axis_px(&p->va, v0) + (p->va.scale > 0 ? 1 : -1) *
						 (open ? 9 : 3);
	if (p->horiz)
		canvas_text(cv, e, m + CHART_LABEL_SIZE * 0.35, 0, ANCHOR_START,
			    lab, FONT_BOLD, CHART_LABEL_SIZE, chart_ink);
	else
		canvas_text(cv, m, e, 0, ANCHOR_MIDDLE, lab, FONT_BOLD,
			    CHART_LABEL_SIZE, chart_ink);
}

/* Category labels: left of a horizontal block, centred on it (one that
 * would run into the previous one is left out); under a vertical one. */
static void draw_categories(const struct chart *c, struct canvas *cv,
			    const struct bar_plan *p)
{
	double asc = fontset_ascent(cv->fonts, FONT_REGULAR, CHART_AXIS_SIZE);
	double last = -1e9;
	char buf[256];

	for (size_t k = 0; k < c->nx; k++) {
		chart_x_label(c, c->xorder[k], buf, sizeof buf);
		if (p->horiz) {
			double y = p->at[k] + (p->len[k] - p->lab_h[k]) / 2;

			if (y < last)
				continue;
			chart_wrap_text(cv, buf, p->x0, y, p->lw + 0.5,
					CHART_AXIS_SIZE, FONT_REGULAR,
					chart_ink, true);
			last = y + p->lab_h[k];
		} else {
			double w = fmax(p->len[k] - 4, 24);
			double mid = p->at[k] + p->len[k] / 2;
			double tw = canvas_text_width(cv, buf, FONT_REGULAR,
						      CHART_AXIS_SIZE);

			if (mid - fmin(tw, w) / 2 < last)
				continue;
			if (tw <= w)
				canvas_text(cv, mid, p->va.base + 4 + asc, 0,
					    ANCHOR_MIDDLE, buf, FONT_REGULAR,
					    CHART_AXIS_SIZE, chart_ink);
			else
				chart_wrap_text(cv, buf, mid - w / 2,
						p->va.base + 4, w,
						CHART_AXIS_SIZE, FONT_REGULAR,
						chart_ink, true);
			last = mid + fmin(tw, w) / 2 + 2;
		}
	}
}

/* Frame, axis title and the plan, for drawing or measuring. */
static enum brief_status bar_layout(struct chart *c, struct canvas *cv,
				    struct bar_plan *p,
				    struct figure_total *st, struct diag *err)
{
	struct legend_item *items;
	size_t nitems;
	struct plot pl;
	double *tot = calloc(c->nx + 1, sizeof *tot), vmax;
	enum brief_status st_ = BRIEF_OK;

	items = chart_series_legend(c, 0, &nitems);
	if (!tot || !items) {
		free(tot);
		free(items);
		return chart_oom(c, err);
	}
	vmax = bar_vmax(c, tot);
	stack_totals(c, st);
	chart_frame_draw(c, cv, items, nitems, &pl, err);
	chart_axis_title(c, cv, &pl);
	p->x0 = pl.x0;
	p->x1 = pl.x1;
	p->y0 = pl.y0;
	p->y1 = pl.y1;
	st_ = chart_check_range(c, vmax, err);
	if (!st_)
		st_ = p->horiz ? plan_horizontal(c, cv, p, st, vmax)
			       : plan_vertical(c, cv, p, st, vmax);
	free(tot);
	free(items);
	return st_;
}

enum brief_status chart_bar_draw(struct chart *c, struct canvas *cv,
				 struct diag *err)
{
	struct bar_plan p;
	struct figure_total *st = calloc(c->nx + 1, sizeof *st);
	enum brief_status s = BRIEF_OK;

	memset(&p, 0, sizeof p);
	if (!st || !plan_alloc(c, &p)) {
		s = chart_oom(c, err);
		goto out;
	}
	s = bar_layout(c, cv, &p, st, err);
	if (s)
		goto out;
	value_axis_draw(c, cv, &p.va);
	draw_categories(c, cv, &p);
	for (size_t k = 0; k < c->nx; k++) {
		if (p.stacked)
			draw_stack(c, cv, &p, k, st);
		else
			draw_group(c, cv, &p, k);
	}
	if (p.horiz)
		chart_axis_line(cv, p.va.base, p.c0, p.va.base, p.c1);
	else
		chart_axis_line(cv, p.c0, p.va.base, p.c1, p.va.base);
out:
	plan_free(&p);
	free(st);
	return s;
}

double chart_bar_height(struct chart *c, const struct fontset *fs,
			double width, bool minimum)
{
	struct canvas cv = { NULL, fs, NULL, NULL, width, 1000, false };
	struct bar_plan p;
	double frame = chart_frame_height(c, fs, width), h;

	if (!fs || !plan_alloc(c, &p)) {
		if (fs) {
			plan_free(&p);
			c->oom = true;
		}
		return width * 0.6;
	}
	plan_labels_h(c, &cv, &p);
	if (cv.oom)
		c->oom = true;
	h = need_h(c, &p, minimum ? SLOT_MIN : p.stacked ? SLOT_IDEAL * 1.3
							  : SLOT_IDEAL,
		   minimum ? 3 : GAP);
	plan_free(&p);
	return frame + CHART_AXIS_SIZE * 1.3 + 8 + h + CHART_AXIS_SIZE * 1.6 + 2;
}
