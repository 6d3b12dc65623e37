/* chart_axis.c — the axes every chart shares: the value axis (ticks, grid
 * and tick labels, for bars either way and for lines) and the date axis
 * of line and step charts. */
#include "chart_impl.h"

#include <math.h>

void value_axis_ticks(const struct chart *c, struct canvas *cv, double vmax,
		      double len, double spacing, struct value_axis *a)
{
	a->label_w = 0;
	if (c->percent && vmax > 60 && vmax <= 100)
		vmax = 100;
	scale_nice_ticks(0, vmax, (int)fmax(3, len / spacing), &a->t);
	for (size_t i = 0; i < a->t.n; i++) {
		char num[48];

		chart_tick_label(c, a->t.v[i], a->t.step, num, sizeof num);
		a->label_w = fmax(a->label_w,
				  canvas_text_width(cv, num, FONT_REGULAR,
						    CHART_AXIS_SIZE));
	}
}

double value_axis_px(const struct value_axis *a, double v)
{
	return a->base + v * a->scale;
}

void value_axis_draw(const struct chart *c, struct canvas *cv,
		     const struct value_axis *a)
{
	double asc = fontset_ascent(cv->fonts, FONT_REGULAR, CHART_AXIS_SIZE);

	for (size_t i = 0; i < a->t.n; i++) {
		double p = value_axis_px(a, a->t.v[i]);
		char num[48];

		chart_tick_label(c, a->t.v[i], a->t.step, num, sizeof num);
		if (a->horiz) {
			cairo_move_to(cv->cr, p, a->c0);
			cairo_line_to(cv->cr, p, a->c1);
			canvas_stroke(cv, chart_grid, 0.5, NULL, 0);
			canvas_text(cv, p, a->c1 + asc + 3, 0, ANCHOR_MIDDLE,
				    num, FONT_REGULAR, CHART_AXIS_SIZE,
				    chart_grey);
		} else {
			cairo_move_to(cv->cr, a->c0, p);
			cairo_line_to(cv->cr, a->c1, p);
			canvas_stroke(cv, chart_grid, 0.5, NULL, 0);
			canvas_text(cv, a->c0 - 6, p + asc * 0.35, 0,
				    ANCHOR_END, num, FONT_REGULAR,
				    CHART_AXIS_SIZE, chart_grey);
		}
	}
}

void date_axis_draw(struct canvas *cv, long d0, long d1, double x0,
		    double x1, double y, double lo, double hi)
{
	double asc = fontset_ascent(cv->fonts, FONT_REGULAR, CHART_AXIS_SIZE);
	double wlab = canvas_text_width(cv, "Sep 2020", FONT_REGULAR,
					CHART_AXIS_SIZE) + 14;
	double lastx = -1e9;
	struct date_ticks dt;

	scale_date_ticks(d0, d1, (int)fmax(2, (x1 - x0) / wlab), &dt);
	for (size_t i = 0; i < dt.n; i++) {
		double x = x0 + (double)(dt.v[i].day - d0) /
					(double)(d1 > d0 ? d1 - d0 : 1) *
					(x1 - x0);
		double tw = canvas_text_width(cv, dt.v[i].label, FONT_REGULAR,
					      CHART_AXIS_SIZE);

		cairo_move_to(cv->cr, x, y);
		cairo_line_to(cv->cr, x, y + 3);
		canvas_stroke(cv, chart_ink, 0.6, NULL, 0);
		if (x - tw / 2 < lastx + 4 || x + tw / 2 > hi + 2 ||
		    x - tw / 2 < lo)
			continue;
		canvas_text(cv, x, y + 4 + asc, 0, ANCHOR_MIDDLE,
			    dt.v[i].label, FONT_REGULAR, CHART_AXIS_SIZE,
			    chart_ink);
		lastx = x + tw / 2;
	}
}

void chart_axis_line(struct canvas *cv, double x0, double y0, double x1,
		     double y1)
{
	cairo_move_to(cv->cr, x0, y0);
	cairo_line_to(cv->cr, x1, y1);
	canvas_stroke(cv, chart_ink, 0.8, NULL, 0);
}
