/* chart_frame.c — what every chart and map has around its plot (title,
 * subtitle, legend, footer: chart_frame.h), the chart's own frame from its
 * spec and marks, and the shared marks (hatching, markers) that keep
 * charts readable in greyscale. */
#include "bidi.h"
#include "chart_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
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

/* Runs broken into lines of width under base style flags, drawn from
 * (x, y) with the first line's ascent asc; returns the height. */
static double wrap(struct canvas *cv, const struct doc_run *runs, size_t n,
		   unsigned base, double asc, double x, double y, double width,
		   double size, struct rgba color, bool draw)
{
	struct lb_opts o = {.width = width, .size = size, .style = base,
			    .align = LB_LEFT};
	struct lb_para para = { 0 };
	double lh = size * 1.3, h;

	if (linebreak(cv->fonts, runs, n, &o, &para, NULL) != BRIEF_OK) {
		cv->oom = true; /* only out of memory fails */
		return 0;
	}
	for (size_t i = 0; draw && i < para.nlines; i++) {
		const struct lb_line *l = &para.lines[i];
		bool one_style = true;

		for (size_t k = l->first + 1; k < l->first + l->n; k++)
			one_style &= para.frags[k].style ==
				     para.frags[l->first].style;
		/* A line in one style, or with right-to-left text, is drawn
		 * whole: canvas_text shapes and reorders it (bidi.h), where
		 * word by word its words would stand left to right. */
		if (l->n && (one_style || bidi_has_rtl(para.text + l->start,
							l->end - l->start))) {
			char buf[1024];
			size_t len = l->end - l->start < sizeof buf - 1
					     ? l->end - l->start
					     : sizeof buf - 1;

			memcpy(buf, para.text + l->start, len);
			buf[len] = '\0';
			canvas_text(cv, x + para.frags[l->first].x,
				    y + asc + (double)i * lh, 0, ANCHOR_START,
				    buf, para.frags[l->first].style, size,
				    color);
			continue;
		}
		for (size_t k = l->first; k < l->first + l->n; k++) {
			const struct lb_frag *f = &para.frags[k];
			char buf[512];
			size_t len = f->len < sizeof buf - 1 ? f->len
							     : sizeof buf - 1;

			memcpy(buf, f->s, len);
			buf[len] = '\0';
			canvas_text(cv, x + f->x, y + asc + (double)i * lh, 0,
				    ANCHOR_START, buf, f->style, size, color);
		}
	}
	h = (double)para.nlines * lh;
	lb_para_free(&para);
	return h;
}

double chart_wrap_text(struct canvas *cv, const char *text, double x,
		       double y, double width, double size,
		       enum font_style style, struct rgba color, bool draw)
{
	struct doc_run run = { 0 };
	unsigned base = 0;

	if (!text || !*text)
		return 0;
	run.text = (char *)(uintptr_t)text; /* read only: linebreak keeps it */
	if (style == FONT_BOLD || style == FONT_BOLD_ITALIC)
		base |= RUN_BOLD;
	if (style == FONT_ITALIC || style == FONT_BOLD_ITALIC)
		base |= RUN_ITALIC;
	return wrap(cv, &run, 1, base, fontset_ascent(cv->fonts, style, size),
		    x, y, width, size, color, draw);
}

double chart_wrap_runs(struct canvas *cv, const struct doc_run *runs,
		       size_t n, double x, double y, double width, double size,
		       struct rgba color, bool draw)
{
	if (n == 0)
		return 0;
	return wrap(cv, runs, n, 0,
		    fontset_ascent(cv->fonts, lb_font_style(runs[0].style, 0),
				   size),
		    x, y, width, size, color, draw);
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

/* ---- the frame ---------------------------------------------------------- */

/* The footer's text in reading order; NULL when out of memory. */
static char *footer_text(const struct frame *f)
{
	struct buf b = BUF_INIT(0);
	char asof[64];

	buf_puts(&b, f->source_line ? f->source_line : "");
	if (f->footnote && *f->footnote)
		buf_printf(&b, " %s", f->footnote);
	if (f->note && *f->note)
		buf_printf(&b, " %s%s", f->note,
			   f->note[strlen(f->note) - 1] != '.' ? "." : "");
	if (f->as_of.year && l10n_active()) {
		char t[160];

		/* l10n_format keeps one stop of "1 марта 2024 г.". */
		date_format_long(&f->as_of, asof, sizeof asof);
		buf_printf(&b, " %s",
			   l10n_format(l10n_active(), L10N_CHART_DATA_AS_OF, t,
				       sizeof t, asof));
	} else if (f->as_of.year) {
		buf_printf(&b, " Data as of %s.",
			   date_format_long(&f->as_of, asof, sizeof asof));
	}
	for (size_t i = 0; i < 2; i++)
		if (f->keys[i] && *f->keys[i])
			buf_printf(&b, " %s", f->keys[i]);
	if (f->disclaimer && *f->disclaimer)
		buf_puts(&b, " ");
	return buf_take(&b);
}

/* The footer at the bottom of cv (drawn when cv->cr is set); returns its
 * height. */
static double frame_footer(struct canvas *cv, const struct frame *f)
{
	struct doc_run runs[2] = { { 0 }, { 0 } };
	size_t n = 1;
	char *text = footer_text(f);
	double h;

	if (!text) {
		cv->oom = true;
		return 0;
	}
	runs[0].text = text;
	if (f->disclaimer && *f->disclaimer) {
		runs[1].text = (char *)(uintptr_t)f->disclaimer; /* read only */
		runs[1].style = RUN_ITALIC;
		n = 2;
	}
	h = chart_wrap_runs(cv, runs, n, 0, 0, cv->width, FOOTER_SIZE,
			    chart_grey, false);
	if (cv->cr)
		chart_wrap_runs(cv, runs, n, 0, cv->height - h, cv->width,
				FOOTER_SIZE, chart_grey, true);
	free(text);
	return h;
}

/* One legend item's key (swatch or line) at x, on the row at y. */
static void legend_key(struct canvas *cv, const struct legend_item *it,
		       double x, double y, double asc)
{
	if (it->key) {
		it->key(cv, it, x, y + asc - LEGEND_KEY + 0.5);
		return;
	}
	if (it->kind == LEGEND_LINE || it->kind == LEGEND_DASHED) {
		double dash[2] = { 3, 1.5 };
		double my = y + asc * 0.55;

		cairo_move_to(cv->cr, x, my);
		cairo_line_to(cv->cr, x + LEGEND_KEY + 4, my);
		canvas_stroke(cv, it->color, 1.6,
			      it->kind == LEGEND_DASHED ? dash : NULL,
			      it->kind == LEGEND_DASHED ? 2 : 0);
		chart_marker(cv, x + (LEGEND_KEY + 4) / 2, my, 2.2, it->pattern,
			     it->color);
		return;
	}
	cairo_rectangle(cv->cr, x, y + asc - LEGEND_KEY + 0.5, LEGEND_KEY,
			LEGEND_KEY);
	canvas_fill(cv, it->color);
	chart_hatch_rect(cv, x, y + asc - LEGEND_KEY + 0.5, x + LEGEND_KEY,
			 y + asc + 0.5, it->pattern);
}

static double key_width(const struct legend_item *it)
{
	if (it->kind == LEGEND_HEADING)
		return 0;
	return LEGEND_KEY + 4 +
	       (it->kind == LEGEND_LINE || it->kind == LEGEND_DASHED ? 4 : 0);
}

/* The legend from y down, items in rows, a heading starting a row, a
 * name too long for a row wrapped under itself; returns its height. */
static double frame_legend(struct canvas *cv, const struct legend_item *items,
			   size_t nitems, double y0, double w)
{
	double x = 0, y = y0, lh = LEGEND_SIZE * 1.6, rowh = lh;
	double asc = fontset_ascent(cv->fonts, FONT_REGULAR, LEGEND_SIZE);
	bool draw = cv->cr != NULL;

	for (size_t i = 0; i < nitems; i++) {
		const struct legend_item *it = &items[i];
		bool heading = it->kind == LEGEND_HEADING;
		enum font_style style = heading ? FONT_BOLD : FONT_REGULAR;
		double key = key_width(it);
		double tw = canvas_text_width(cv, it->name, style, LEGEND_SIZE);
		double room = w - key, th = lh;

		if (tw > room) {
			tw = room;
			th = fmax(lh, chart_wrap_text(cv, it->name, 0, 0, room,
						      LEGEND_SIZE, style,
						      chart_ink, false));
		}
		if (x > 0 && (heading || x + key + tw > w)) {
			x = 0;
			y += rowh;
			rowh = lh;
		}
		if (draw) {
			if (!heading)
				legend_key(cv, it, x, y, asc);
			if (th > lh)
				chart_wrap_text(cv, it->name, x + key, y, room,
						LEGEND_SIZE, style, chart_ink,
						true);
			else
				canvas_text(cv, x + key, y + asc, 0,
					    ANCHOR_START, it->name, style,
					    LEGEND_SIZE, chart_ink);
		}
		rowh = fmax(rowh, th);
		x += key + tw + (heading ? 6 : 12);
	}
	return y + rowh + 2 - y0;
}

/* Title and subtitle from the top; returns the height used. */
static double frame_titles(const struct frame *f, struct canvas *cv,
			   double w)
{
	double y = 0;
	bool draw = cv->cr != NULL;
	char cont[512];

	if (f->title && f->continued) {
		l10n_say(l10n_active(), L10N_CHART_CONTINUED,
			 "{title} (continued)", cont, sizeof cont, f->title);
		y += chart_wrap_text(cv, cont, 0, y, w, TITLE_SIZE, FONT_BOLD,
				     chart_ink, draw) + 1;
	} else if (f->title) {
		y += chart_wrap_text(cv, f->title, 0, y, w, TITLE_SIZE,
				     FONT_BOLD, chart_ink, draw) + 1;
	}
	if (f->subtitle && !f->continued)
		y += chart_wrap_text(cv, f->subtitle, 0, y, w, SUBTITLE_SIZE,
				     FONT_REGULAR, chart_grey, draw);
	if (f->title || f->subtitle)
		y += 6;
	return y;
}

double frame_draw(struct canvas *cv, const struct frame *f,
		  struct plot *plot)
{
	double w = cv->width, y, fh;

	y = frame_titles(f, cv, w);
	if (f->nitems > 0)
		y += frame_legend(cv, f->items, f->nitems, y, w);
	fh = frame_footer(cv, f);
	plot->x0 = 0;
	plot->x1 = w;
	plot->y0 = y;
	plot->y1 = cv->height - fh - 6;
	return y;
}

double frame_height(const struct frame *f, const struct fontset *fs,
		    double width, bool *oom)
{
	struct canvas cv = { NULL, fs, NULL, NULL, width, 1000, false };
	struct plot pl;

	if (!fs)
		return 90; /* title, legend and footer, roughly */
	frame_draw(&cv, f, &pl);
	if (cv.oom && oom)
		*oom = true;
	return pl.y0 + (cv.height - pl.y1);
}

/* ---- the chart's frame -------------------------------------------------- */

/* The chart's frame: its spec's titles and note, its source line and
 * as_of, and a key to the uncertainty marks when it has any. */
static struct frame chart_frame_of(const struct chart *c,
				   const struct legend_item *items,
				   size_t nitems)
{
	struct frame f = { 0 };
	unsigned marks = 0;

	for (size_t i = 0; i < c->nb; i++)
		marks |= c->b[i].flags;
	f.title = c->spec->title;
	f.subtitle = c->spec->subtitle;
	f.continued = c->part_from > 0;
	f.items = items;
	f.nitems = nitems;
	f.source_line = chart_source_line(c);
	f.note = c->spec->note;
	f.as_of = c->as_of;
	if (c->spec->type == CHART_TIMELINE)
		return f;
	/* Step charts draw no arrows or whiskers: their claims are labelled. */
	if ((marks & (MF_LOWER | MF_UPPER | MF_RANGE)) &&
	    c->spec->type != CHART_STEP)
		f.keys[0] = l10n_text_or(l10n_active(),
					 L10N_CHART_QUALIFIER_KEY, qualifier_key);
	if (marks & MF_MIXED)
		f.keys[1] = l10n_text_or(l10n_active(), L10N_CHART_MIXED_KEY,
					 mixed_key);
	return f;
}

double chart_frame_draw(struct chart *c, struct canvas *cv,
			const struct legend_item *items, size_t nitems,
			struct plot *plot, struct diag *err)
{
	struct frame f = chart_frame_of(c, items, nitems);

	(void)err;
	return frame_draw(cv, &f, plot);
}

struct legend_item *chart_series_legend(const struct chart *c, int kind,
					size_t *n)
{
	struct legend_item *items = calloc(c->series.n + 1, sizeof *items);

	*n = 0;
	if (!items || !c->group_col)
		return items;
	for (size_t i = 0; i < c->series.n; i++) {
		items[*n].name = chart_vocab(c, c->group_col, c->series.s[i]);
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
	struct legend_item *items;
	struct frame f;
	size_t n;
	double h;

	if (!fs)
		return frame_height(NULL, NULL, width, NULL);
	items = frame_legend_of(c, &n);
	if (!items)
		c->oom = true;
	f = chart_frame_of(c, items, n);
	h = frame_height(&f, fs, width, &c->oom);
	free(items);
	return h;
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
