/* canvas_hpdf.h — the libharu back end of canvas.h: cairo paths replayed
 * as PDF vector paths on a libharu page, text drawn with libharu in the
 * document's fonts (so chart labels are real, searchable text). */
#ifndef BRIEF_CANVAS_HPDF_H
#define BRIEF_CANVAS_HPDF_H

#include <hpdf.h>

#include "canvas.h"
#include "pdf_font.h"

/* The impl of a canvas drawing into a page. Owns nothing. failed is set
 * when a libharu call failed (the document's error handler has the code). */
struct canvas_hpdf {
	HPDF_Page page;
	struct pdf_fonts *fonts;
	double ox, oy; /* the canvas's top-left corner in PDF coordinates */
	int failed;
};

extern const struct canvas_ops canvas_hpdf_ops;

/* A cairo context that only builds paths (a recording surface), for
 * canvas->cr of a canvas_hpdf canvas. NULL on failure; cairo_destroy it. */
cairo_t *canvas_hpdf_cairo(void);

#endif
