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

	if (i == 0)
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

double chart_timeline_height(const struct chart *c, double width)
{
	/* One line per event plus the gaps (the frame is measured apart). */
	double h = EV_LINE / 2 + 4;

	(void)width;
	for (size_t i = 0; i < c->nev; i++)
		h += EV_LINE + EV_GAP + gap_before(c, i);
	return h;
}

enum brief_status chart_timeline_draw(struct chart *c, struct canvas *cv,
				      struct diag *err)
{
	/* A list time line: one row per event, never overlapping; the year
	 * in the gutter when it changes; long stretches of time as a
	 * dotted, compressed axis. Dense clusters (1991, 2020, 2023) thus
	 * stay readable however close their dates. */
	const struct chart_spec *s = c->spec;
	struct plot pl;
	size_t nitems = 0;
	struct legend_item *items = chart_series_legend(c, 1, &nitems);
	double ax, lx, dw, asc, y, need = 0, squeeze = 1;
	enum brief_status st = BRIEF_OK;
	const struct rgba leader = { 0.55, 0.55, 0.55, 1 };

	if (!items)
		return diag_set(err, BRIEF_ENOMEM, s->file, s->at.line,
				s->at.col, "out of memory");
	chart_frame_draw(c, cv, items, nitems, &pl, err);
	asc = fontset_ascent(cv->fonts, FONT_REGULAR, EV_SIZE);
	ax = pl.x0 + canvas_text_width(cv, "0000", FONT_BOLD, EV_SIZE) + 10;
	lx = ax + 10;
	dw = canvas_text_width(cv, "00 Mmm", FONT_BOLD, EV_SIZE) + 8;
	for (size_t i = 0; i < c->nev; i++)
		need += EV_LINE + EV_GAP + gap_before(c, i);
	if (need > pl.y1 - pl.y0 && need > 0)
		squeeze = (pl.y1 - pl.y0) / need; /* a height the author fixed */
	y = pl.y0 + EV_LINE / 2;
	for (size_t i = 0; i < c->nev; i++) {
		const struct chart_event *e = &c->ev[i];
		double g = gap_before(c, i) * squeeze;
		int pattern = 0;
		struct rgba col = c->group_col
					  ? chart_series_line_color(c, e->kind, &pattern)
					  : chart_ink;
		char buf[64], title[400];
		double tw, room = pl.x1 - (lx + dw);
		size_t n;

		if (i > 0) {
			double yn = y + (EV_LINE + EV_GAP) * squeeze + g;
			static const double dots[2] = { 1, 2 };

			/* Axis to the next event: dotted across compressed
			 * stretches of years. */
			cairo_move_to(cv->cr, ax, y);
			cairo_line_to(cv->cr, ax, yn);
			canvas_stroke(cv, g >= 14 * squeeze ? leader : chart_ink,
				      g >= 14 * squeeze ? 0.9 : 0.7,
				      g >= 14 * squeeze ? dots : NULL,
				      g >= 14 * squeeze ? 2 : 0);
			y = yn;
		}
		if (i == 0 || e->date.year != c->ev[i - 1].date.year) {
			snprintf(buf, sizeof buf, "%d", e->date.year);
			canvas_text(cv, ax - 7, y + asc * 0.35, 0, ANCHOR_END,
				    buf, FONT_BOLD, EV_SIZE, chart_ink);
		}
		chart_marker(cv, ax, y, 2.6, pattern, chart_white);
		chart_marker(cv, ax, y, 2.0, pattern, col);
		if (e->date.day)
			snprintf(buf, sizeof buf, "%d %s", e->date.day,
				 date_month_abbr(e->date.month));
		else if (e->date.month)
			snprintf(buf, sizeof buf, "%s",
				 date_month_abbr(e->date.month));
		else
			buf[0] = '\0';
		canvas_text(cv, lx, y + asc * 0.35, 0, ANCHOR_START, buf,
			    FONT_REGULAR, EV_SIZE, chart_grey);
		/* Titles are short by design; one that is not is cut with an
		 * ellipsis rather than run into the margin. */
		/* Room for the ellipsis (3 bytes and a NUL) after any cut. */
		snprintf(title, sizeof title - 3, "%s", e->title);
		n = strlen(title);
		tw = canvas_text_width(cv, title, FONT_REGULAR, EV_SIZE);
		while (tw > room && n > 4) {
			n--;
			while (n > 0 && ((unsigned char)title[n] & 0xC0) == 0x80)
				n--;
			memcpy(title + n, "\u2026", 4);
			tw = canvas_text_width(cv, title, FONT_REGULAR, EV_SIZE);
		}
		canvas_text(cv, lx + dw, y + asc * 0.35, 0, ANCHOR_START, title,
			    FONT_REGULAR, EV_SIZE, chart_ink);
	}
	free(items);
	return st;
}
