/* chart_timeline.c — events as a vertical list time line: one row per
 * event, years in the gutter, elapsed time shown as (compressed) space. */
#include "chart_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define EV_SIZE 7.5
#define EV_LINE (EV_SIZE * 1.3)
#define EV_GAP 1.5


/* Extra space before event i: time that passes shows as space (compressed),
 * so the list still reads as a time line. */
static double gap_before(const struct chart *c, size_t i)
{
	long days;

	if (i == 0 || i == c->part_from)
		return 0;
	days = c->ev[i].day - c->ev[i - 1].day;
	if (days > 365 * 5)
		return 14;
	if (days > 365)
		return 6;
	if (c->ev[i].date.year != c->ev[i - 1].date.year)
		return 3;
	return 0;
}

/* The events of the part being drawn or measured, [*from, *to). */
static void tl_range(const struct chart *c, size_t *from, size_t *to)
{
	*to = c->part_to < c->nev ? c->part_to : c->nev;
	*from = c->part_from < *to ? c->part_from : *to;
}

/* The rows' own height and the space between them (time passing). */
static void tl_parts(const struct chart *c, double *lines, double *gaps)
{
	size_t from, to;

	tl_range(c, &from, &to);
	*lines = EV_LINE / 2 + 4;
	*gaps = 0;
	for (size_t i = from; i < to; i++) {
		*lines += EV_LINE;
		*gaps += EV_GAP + gap_before(c, i);
	}
}

double chart_timeline_height(const struct chart *c, double width)
{
	double lines, gaps;

	/* The frame is measured apart. */
	(void)width;
	tl_parts(c, &lines, &gaps);
	return lines + gaps;
}

/* Short of room, the space between rows gives way first, down to a
 * quarter: the rows themselves never crowd. */
double chart_timeline_min_height(const struct chart *c, double width)
{
	double lines, gaps;

	(void)width;
	tl_parts(c, &lines, &gaps);
	return lines + gaps / 4;
}

/* Columns of the list: the axis, the day and month, the title. */
struct tl_geom {
	double ax, lx, dw, asc, x1, squeeze;
};

/* The axis from the previous event down to this one: dotted across a
 * compressed stretch of years. */
static void draw_axis_to(struct canvas *cv, const struct tl_geom *g,
			 double y, double yn, bool compressed)
{
	static const double dots[2] = { 1, 2 };
	const struct rgba leader = { 0.55, 0.55, 0.55, 1 };

	cairo_move_to(cv->cr, g->ax, y);
	cairo_line_to(cv->cr, g->ax, yn);
	canvas_stroke(cv, compressed ? leader : chart_ink,
		      compressed ? 0.9 : 0.7, compressed ? dots : NULL,
		      compressed ? 2 : 0);
}

/* An event's title, cut with an ellipsis when it would run past the
 * margin (titles are short by design). */
static void draw_title(struct canvas *cv, const struct tl_geom *g,
		       const char *text, double y)
{
	char title[400];
	double room = g->x1 - (g->lx + g->dw), tw;
	size_t n;

	/* Room for the ellipsis (3 bytes and a NUL) after any cut. */
	snprintf(title, sizeof title - 3, "%s", text);
	n = strlen(title);
	tw = canvas_text_width(cv, title, FONT_REGULAR, EV_SIZE);
	while (tw > room && n > 4) {
		n--;
		while (n > 0 && ((unsigned char)title[n] & 0xC0) == 0x80)
			n--;
		memcpy(title + n, "\u2026", 4);
		tw = canvas_text_width(cv, title, FONT_REGULAR, EV_SIZE);
	}
	canvas_text(cv, g->lx + g->dw, y + g->asc * 0.35, 0, ANCHOR_START,
		    title, FONT_REGULAR, EV_SIZE, chart_ink);
}

/* One row: the year when it changes, the marker, day and month, title. */
static void draw_event(const struct chart *c, struct canvas *cv,
		       const struct tl_geom *g, size_t i, double y)
{
	const struct chart_event *e = &c->ev[i];
	int pattern = 0;
	struct rgba col = c->group_col
				  ? chart_series_line_color(c, e->kind, &pattern)
				  : chart_ink;
	char buf[64];

	if (i == 0 || i == c->part_from ||
	    e->date.year != c->ev[i - 1].date.year) {
		snprintf(buf, sizeof buf, "%d", e->date.year);
		canvas_text(cv, g->ax - 7, y + g->asc * 0.35, 0, ANCHOR_END,
			    buf, FONT_BOLD, EV_SIZE, chart_ink);
	}
	chart_marker(cv, g->ax, y, 2.6, pattern, chart_white);
	chart_marker(cv, g->ax, y, 2.0, pattern, col);
	if (e->date.day)
		snprintf(buf, sizeof buf, "%d %s", e->date.day,
			 date_month_abbr(e->date.month));
	else if (e->date.month)
		snprintf(buf, sizeof buf, "%s", date_month_abbr(e->date.month));
	else
		buf[0] = '\0';
	canvas_text(cv, g->lx, y + g->asc * 0.35, 0, ANCHOR_START, buf,
		    FONT_REGULAR, EV_SIZE, chart_grey);
	draw_title(cv, g, e->title, y);
}

enum brief_status chart_timeline_draw(struct chart *c, struct canvas *cv,
				      struct diag *err)
{
	/* A list time line: one row per event, never overlapping; the year
	 * in the gutter when it changes; long stretches of time as a
	 * dotted, compressed axis. Dense clusters (1991, 2020, 2023) thus
	 * stay readable however close their dates. */
	struct plot pl;
	size_t nitems = 0;
	struct legend_item *items = chart_series_legend(c, 1, &nitems);
	struct tl_geom g;
	double y, lines, gaps, room, gapf, linef;
	size_t from, to;

	if (!items)
		return chart_oom(c, err);
	chart_frame_draw(c, cv, items, nitems, &pl, err);
	g.asc = fontset_ascent(cv->fonts, FONT_REGULAR, EV_SIZE);
	g.ax = pl.x0 + canvas_text_width(cv, "0000", FONT_BOLD, EV_SIZE) + 10;
	g.lx = g.ax + 10;
	g.dw = canvas_text_width(cv, "00 Mmm", FONT_BOLD, EV_SIZE) + 8;
	g.x1 = pl.x1;
	/* Less room than the list wants narrows the space between rows;
	 * only a height the author fixed too small squeezes the rows. */
	tl_parts(c, &lines, &gaps);
	room = pl.y1 - pl.y0;
	gapf = room >= lines + gaps || gaps <= 0 ? 1
	       : room > lines			 ? (room - lines) / gaps
						 : 0;
	linef = room < lines && lines > 0 ? room / lines : 1;
	g.squeeze = linef;
	y = pl.y0 + EV_LINE / 2 * linef;
	tl_range(c, &from, &to);
	for (size_t i = from; i < to; i++) {
		if (i > from) {
			double yn = y + EV_LINE * linef +
				    (EV_GAP + gap_before(c, i)) * gapf;

			draw_axis_to(cv, &g, y, yn, gap_before(c, i) >= 14);
			y = yn;
		}
		draw_event(c, cv, &g, i, y);
	}
	free(items);
	return BRIEF_OK;
}
