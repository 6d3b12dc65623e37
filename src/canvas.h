/* canvas.h — what a chart draws on: paths are built with plain cairo calls
 * on canvas->cr (points, origin top-left), then filled or stroked here; text
 * goes through canvas_text so the PDF back end can draw it with libharu in
 * the document's fonts. Back ends: canvas_cairo.c (PNG), canvas_svg.c
 * (SVG with real text) and canvas_hpdf.c (vector replay into a libharu
 * page). */
#ifndef BRIEF_CANVAS_H
#define BRIEF_CANVAS_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "fontset.h"

struct rgba {
	double r, g, b, a;
};

enum text_anchor {
	ANCHOR_START,  /* x is the left edge */
	ANCHOR_MIDDLE, /* x is the centre */
	ANCHOR_END     /* x is the right edge */
};

struct canvas_ops {
	/* Fill / stroke the current path of cr, then clear it. */
	void (*fill)(void *impl, cairo_t *cr, struct rgba c);
	void (*stroke)(void *impl, cairo_t *cr, struct rgba c, double width,
		       const double *dash, int ndash);
	/* One line of text; y is the baseline; angle in degrees,
	 * counter-clockwise, about (x, y). */
	void (*text)(void *impl, double x, double y, double angle,
		     enum text_anchor anchor, const char *s, size_t len,
		     enum font_style style, double size, struct rgba c);
};

/* A canvas. Owns nothing: cr, fonts and impl belong to whoever built it. */
struct canvas {
	cairo_t *cr;
	const struct fontset *fonts;
	const struct canvas_ops *ops;
	void *impl;
	double width, height; /* pt */
	/* Set when text could not be broken into lines for want of memory
	 * (chart_wrap_text): chart_draw then fails with BRIEF_ENOMEM. */
	bool oom;
};

void canvas_fill(struct canvas *cv, struct rgba c);
void canvas_stroke(struct canvas *cv, struct rgba c, double width,
		   const double *dash, int ndash);
void canvas_text(struct canvas *cv, double x, double y, double angle,
		 enum text_anchor anchor, const char *s, enum font_style style,
		 double size, struct rgba c);
double canvas_text_width(const struct canvas *cv, const char *s,
			 enum font_style style, double size);

/* The cairo back end, for PNG export. Its impl is the struct canvas
 * itself (cv.impl = &cv): text is drawn on cv->cr with cv->fonts. */
extern const struct canvas_ops canvas_cairo_ops;

#endif
