/* pdf_font.h — libharu helpers of the PDF back end: the one way a libharu
 * failure becomes a brief status, page operators written straight into a
 * page's content stream, colours flattened for PDF/A. (All text is drawn
 * as positioned glyph runs by pdf_glyphs.h; libharu's own fonts and text
 * operators are no longer used.) */
#ifndef BRIEF_PDF_FONT_H
#define BRIEF_PDF_FONT_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canvas.h"
#include "diag.h"

/* The one way a libharu failure becomes a brief status: out of memory, or
 * an internal error ("internal error in the PDF writer: ... while
 * <what>"). brief checks its input before libharu sees it, so nothing
 * libharu refuses is the user's mistake. code 0: a failure of brief's
 * own around libharu. */
enum brief_status pdf_status(struct diag *err, HPDF_STATUS code,
			     HPDF_STATUS detail, const char *what);

/* Page operators formatted as libharu formats them (HPDF_FToA numbers, one
 * operator a line) and written to the page's content stream in few pieces:
 * libharu 2.3.0 clears a 512-byte buffer for every operator it writes.
 * Nothing here updates libharu's graphics state, so use it only for
 * sequences that leave the state as they found it (q ... Q; a path with
 * its painting operator; text operators inside a text object begun and
 * ended through libharu), and end it before the next libharu call on the
 * page. */
struct pdf_ops {
	HPDF_Page page;
	/* Instead of the page: where the bytes go (0, or -1 on failure). */
	int (*sink)(void *ctx, const char *p, size_t n);
	void *sink_ctx;
	size_t len;
	int failed; /* libharu (or the sink) refused a write */
	char buf[2048];
};

void pdf_ops_begin(struct pdf_ops *o, HPDF_Page page);
void pdf_ops_begin_sink(struct pdf_ops *o,
			int (*sink)(void *ctx, const char *p, size_t n),
			void *ctx);
/* Bytes already formatted as page operators, onto the page's content
 * stream; 0, or -1 when libharu refused them. */
int pdf_page_write(HPDF_Page page, const char *p, size_t n);
void pdf_ops_num(struct pdf_ops *o, HPDF_REAL v);   /* "v " */
void pdf_ops_op(struct pdf_ops *o, const char *op); /* "op\n" */
/* Write what is buffered; 0, or -1 when a write failed. */
int pdf_ops_end(struct pdf_ops *o);

/* A colour with alpha composited over white (PDF/A-1 has no transparency). */
struct rgba pdf_flatten(struct rgba c);

#endif
