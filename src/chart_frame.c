/* chart_frame.c — what every chart has around its plot: title, subtitle,
 * legend, and the footer (sources, note, data as of); plus the shared
 * marks (hatching, markers) that keep charts readable in greyscale. */
#include "chart_impl.h"

#include <math.h>
#include <stdio.h>
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

char *chart_tick_label(const struct chart *c, double v, double step,
		       char *buf, size_t size)
{
	size_t n;

	if (size < 2)
		return scale_format_number(v, step, buf, size);
	/* One byte kept back for the percent sign. */
	scale_format_number(v, step, buf, size - 1);
	n = strlen(buf);
	if (c->percent) {
		buf[n] = '%';
		buf[n + 1] = '\0';
	}
	return buf;
}

enum brief_status chart_check_range(const struct chart *c, double vmax,
				    struct diag *err)
{
	/* Headroom and tick rounding at most double the top value. */
	if (isfinite(vmax * 2.5))
		return BRIEF_OK;
	return diag_set(err, BRIEF_EDATA, c->spec->file, c->spec->at.line,
			c->spec->at.col,
			"chart '%s': values too large to plot (%g)", c->spec->id,
			vmax);
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

/* The footer text: sources, the note, data as of, and a key to the
 * uncertainty marks when the chart has any. */
static void footer_text(const struct chart *c, char *buf, size_t size)
{
	const char *note = c->spec->note ? c->spec->note : "";
	size_t nlen = strlen(note);
	char asof[64] = "";
	bool marks = false;

	for (size_t i = 0; i < c->nb; i++)
		if (c->b[i].flags & (MF_LOWER | MF_UPPER | MF_RANGE))
			marks = true;
	if (c->as_of.year)
		date_format_long(&c->as_of, asof, sizeof asof);
	snprintf(buf, size, "%s%s%s%s%s%s%s", chart_source_line(c),
		 nlen ? " " : "", note,
		 nlen && note[nlen - 1] != '.' ? "." : "",
		 *asof ? " Data as of " : "", asof, *asof ? "." : "");
	if (marks && c->spec->type != CHART_TIMELINE) {
		size_t n = strlen(buf);

		snprintf(buf + n, size - n, " %s", qualifier_key);
	}
}

double chart_frame_draw(struct chart *c, struct canvas *cv,
			const struct legend_item *items, size_t nitems,
			struct plot *plot, struct diag *err)
{
	const struct chart_spec *s = c->spec;
	double w = cv->width, y = 0, fh;
	char footer[2048];

	(void)err;
	if (s->title) {
		y += chart_wrap_text(cv, s->title, 0, y, w, TITLE_SIZE,
				     FONT_BOLD, chart_ink, true);
		y += 1;
	}
	if (s->subtitle) {
		y += chart_wrap_text(cv, s->subtitle, 0, y, w, SUBTITLE_SIZE,
				     FONT_REGULAR, chart_grey, true);
	}
	if (s->title || s->subtitle)
		y += 6;
	if (nitems > 0) {
		double x = 0, sw = 8, lh = LEGEND_SIZE * 1.6;
		double asc = fontset_ascent(cv->fonts, FONT_REGULAR,
					    LEGEND_SIZE);

		for (size_t i = 0; i < nitems; i++) {
			double tw = canvas_text_width(cv, items[i].name,
						      FONT_REGULAR,
						      LEGEND_SIZE);
			double iw = sw + 4 + tw;

			if (x > 0 && x + iw > w) {
				x = 0;
				y += lh;
			}
			if (items[i].kind >= 1) {
				double dash[2] = { 3, 1.5 };
				double my = y + asc * 0.55;

				cairo_move_to(cv->cr, x, my);
				cairo_line_to(cv->cr, x + sw + 4, my);
				canvas_stroke(cv, items[i].color, 1.6,
					      items[i].kind == 2 ? dash : NULL,
					      items[i].kind == 2 ? 2 : 0);
				chart_marker(cv, x + (sw + 4) / 2, my, 2.2,
					     items[i].pattern, items[i].color);
				iw += 4;
			} else {
				cairo_rectangle(cv->cr, x, y + asc - sw + 0.5,
						sw, sw);
				canvas_fill(cv, items[i].color);
				chart_hatch_rect(cv, x, y + asc - sw + 0.5,
						 x + sw, y + asc + 0.5,
						 items[i].pattern);
			}
			canvas_text(cv, x + iw - tw, y + asc, 0, ANCHOR_START,
				    items[i].name, FONT_REGULAR, LEGEND_SIZE,
				    chart_ink);
			x += iw + 12;
		}
		y += lh + 2;
	}
	footer_text(c, footer, sizeof footer);
	fh = chart_wrap_text(cv, footer, 0, 0, w, FOOTER_SIZE, FONT_REGULAR,
			     chart_grey, false);
	chart_wrap_text(cv, footer, 0, cv->height - fh, w, FOOTER_SIZE,
			FONT_REGULAR, chart_grey, true);
	plot->x0 = 0;
	plot->x1 = w;
	plot->y0 = y;
	plot->y1 = cv->height - fh - 6;
	return y;
}
