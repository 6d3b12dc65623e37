/* pdf_font.h — the fontset's faces in a libharu document: each face loaded
 * once on first use (UTF-8, embedded), text drawn run by run with the
 * fontset's per-character fallback, and the code points drawn recorded per
 * face for the ToUnicode CMap and CIDSet that pdf_fix writes. */
#ifndef BRIEF_PDF_FONT_H
#define BRIEF_PDF_FONT_H

#include <hpdf.h>
#include <stddef.h>
#include <stdint.h>

#include "canvas.h"
#include "fontset.h"

#define PDF_FONTS_MAX 16

/* Owns the `used` bitmaps; the fonts belong to the libharu document. */
struct pdf_fonts {
	HPDF_Doc pdf;
	const struct fontset *fs;
	int nfaces;
	HPDF_Font font[PDF_FONTS_MAX];   /* NULL until first drawn */
	uint8_t *used[PDF_FONTS_MAX];    /* 65536-bit map of code points */
	int failed;                      /* a font could not be loaded */
};

void pdf_fonts_init(struct pdf_fonts *pf, HPDF_Doc pdf,
		    const struct fontset *fs);
void pdf_fonts_free(struct pdf_fonts *pf); /* frees the bitmaps */

/* Draw one line of UTF-8 text with its baseline origin at (x, y) in PDF
 * coordinates (y up), rotated by `angle` degrees counter-clockwise.
 * Returns 0, or -1 when libharu failed (its error handler has the code). */
int pdf_text(struct pdf_fonts *pf, HPDF_Page page, double x, double y,
	     double angle, enum font_style style, double size, const char *s,
	     size_t len, struct rgba c);

/* A colour with alpha composited over white (PDF/A-1 has no transparency). */
struct rgba pdf_flatten(struct rgba c);

#endif
