/* pdf_font.h — the fontset's faces in a libharu document (UTF-8,
 * embedded), text drawn run by run with the fontset's per-character
 * fallback, and the code points drawn recorded per face for the ToUnicode
 * CMap and CIDSet that pdf_fix writes.
 *
 * Two ways to load the faces. Planned (what the PDF back end does): every
 * text is announced with pdf_fonts_plan before anything is drawn, then
 * pdf_fonts_load embeds each face that is used as a HarfBuzz subset of just
 * its planned characters (font_subset.h), loaded from memory; faces nobody
 * uses are not embedded. Unplanned: a face is loaded whole from its file on
 * first use (libharu still embeds only the glyphs drawn, but copies the
 * font's other tables whole). */
#ifndef BRIEF_PDF_FONT_H
#define BRIEF_PDF_FONT_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canvas.h"
#include "fontset.h"

#define PDF_FONTS_MAX 16

/* Owns the `used` and `plan` bitmaps; the fonts belong to the libharu
 * document. */
struct pdf_fonts {
	HPDF_Doc pdf;
	const struct fontset *fs;
	int nfaces;
	HPDF_Font font[PDF_FONTS_MAX];   /* NULL until loaded */
	uint8_t *used[PDF_FONTS_MAX];    /* 65536-bit map of code points drawn */
	uint8_t *plan[PDF_FONTS_MAX];    /* ... announced by pdf_fonts_plan */
	bool planned;                    /* pdf_fonts_load has run */
	int failed;       /* libharu failed loading a font or reading a glyph */
	int unplanned;    /* text drawn outside the plan */
	int undrawable;   /* text planned that no face can draw (or past the
			   * BMP, which libharu cannot encode) */
	/* The text object pdf_text_batch keeps open (bt_page NULL: none),
	 * with the font, size and colour last set in it and the origin of
	 * its current line. */
	HPDF_Page bt_page;
	HPDF_Font bt_font;
	double bt_size;
	struct rgba bt_color;
	bool bt_color_set;
	double bt_x, bt_y;
};

/* The one way a libharu failure becomes a brief status: out of memory, or
 * an internal error ("internal error in the PDF writer: ... while
 * <what>"). brief checks its input before libharu sees it, so nothing
 * libharu refuses is the user's mistake. code 0: a failure of brief's
 * own around libharu. */
enum brief_status pdf_status(struct diag *err, HPDF_STATUS code,
			     HPDF_STATUS detail, const char *what);

void pdf_fonts_init(struct pdf_fonts *pf, HPDF_Doc pdf,
		    const struct fontset *fs);
void pdf_fonts_free(struct pdf_fonts *pf); /* frees the bitmaps */

/* Announce text that pdf_text will draw later in this style (the same
 * bytes: the fallback splits it the same way). Returns 0, or -1 when out
 * of memory or when the text has a character no face can draw or one
 * past the BMP (then pf->undrawable is set: the text check should have
 * refused it, so it is an internal error, never a U+FFFD on the page). */
int pdf_fonts_plan(struct pdf_fonts *pf, enum font_style style, const char *s,
		   size_t len);

/* Embed every face with planned text as a subset of its planned
 * characters, in face order (so the subset tags HPDFAA+, HPDFAB+, ... do
 * not depend on drawing order). Afterwards pdf_text fails (setting
 * pf->unplanned) on a character that was not planned for its face, rather
 * than draw a glyph the font lacks. Returns BRIEF_OK, or BRIEF_EIO /
 * BRIEF_ENOMEM / BRIEF_EINTERNAL (HarfBuzz or libharu failed on a font
 * FreeType read) with err naming the font file. The document's error
 * state is read after each font, so a failure is reported where libharu
 * records it. */
enum brief_status pdf_fonts_load(struct pdf_fonts *pf, struct diag *err);

/* The most elements of any array in a loaded face's /W (widths) table: it
 * has an array per stretch of consecutive code points drawn, and an
 * entry in the outer one per stretch. 0 when the face is not loaded. */
size_t pdf_fonts_widths_size(const struct pdf_fonts *pf, int face);

/* Draw one line of UTF-8 text with its baseline origin at (x, y) in PDF
 * coordinates (y up), rotated by `angle` degrees counter-clockwise.
 * Returns 0, or -1 when libharu failed (its error handler has the code). */
int pdf_text(struct pdf_fonts *pf, HPDF_Page page, double x, double y,
	     double angle, enum font_style style, double size, const char *s,
	     size_t len, struct rgba c);

/* The same for unrotated text, drawn into a text object that stays open
 * across calls on one page: colour, font and size are written only when
 * they change, and a fragment on the same baseline as the previous one is
 * placed by an offset from it. Call pdf_text_end before drawing anything
 * else on the page, before another page, and before saving (pdf_text ends
 * it itself). Both return 0, or -1 when libharu failed. */
int pdf_text_batch(struct pdf_fonts *pf, HPDF_Page page, double x, double y,
		   enum font_style style, double size, const char *s,
		   size_t len, struct rgba c);
int pdf_text_end(struct pdf_fonts *pf);

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
