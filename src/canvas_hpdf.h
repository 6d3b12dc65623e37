/* canvas_hpdf.h — the libharu back end of canvas.h: cairo paths replayed
 * as PDF vector paths on a libharu page, text shaped (shape.h) and drawn as
 * positioned glyph runs in the document's fonts (pdf_glyphs.h), so chart
 * labels are real, searchable text, kerned and joined like the body. */
#ifndef BRIEF_CANVAS_HPDF_H
#define BRIEF_CANVAS_HPDF_H

#include <hpdf.h>

#include "canvas.h"
#include "pdf_font.h"
#include "pdf_glyphs.h"
#include "shape.h"

/* The impl of a canvas drawing into a page. Owns nothing. failed is set
 * when a libharu call failed (the document's error handler has the code)
 * or text could not be shaped. */
struct canvas_hpdf {
	HPDF_Page page;
	struct pdf_glyphs *pg;
	struct shaper *sh;
	double ox, oy; /* the canvas's top-left corner in PDF coordinates */
	int failed;
};

extern const struct canvas_ops canvas_hpdf_ops;

/* A chart drawn once and replayed later: the layout pass draws it on a
 * canvas with canvas_hpdf_rec_ops and this as impl (set sh, ox and oy as
 * for struct canvas_hpdf, the rest zero), which keeps its fills and
 * strokes as the page operators they make and its text shaped, with its
 * position on the page; canvas_hpdf_replay writes the same page content
 * that drawing the chart with canvas_hpdf_ops would. Owns its buffers and
 * shaped lines (free them with canvas_hpdf_rec_free); failed: a path
 * could not be read, text not shaped, or memory ran out. */
struct rec_item;
struct canvas_hpdf_rec {
	struct shaper *sh;
	double ox, oy;
	int failed;
	char *bytes; /* page operators */
	size_t nbytes, capbytes;
	struct rec_item *items; /* operator bytes and text calls, in order */
	size_t nitems, capitems;
	struct shape_line *lines; /* the text calls, shaped */
	size_t nlines, caplines;
};

extern const struct canvas_ops canvas_hpdf_rec_ops;

/* 0, -1 when libharu failed (the document's error handler has it), or
 * CANVAS_HPDF_NOMEM when out of memory. */
#define CANVAS_HPDF_NOMEM (-2)
int canvas_hpdf_replay(const struct canvas_hpdf_rec *r,
		       struct pdf_glyphs *pg, HPDF_Page page);
void canvas_hpdf_rec_free(struct canvas_hpdf_rec *r); /* buffers only */

/* A cairo context that only builds paths (a recording surface), for
 * canvas->cr of a canvas_hpdf canvas. NULL on failure; cairo_destroy it. */
cairo_t *canvas_hpdf_cairo(void);

#endif
