/* pdf_glyphs.h — shaped lines (shape.h) in a libharu document as
 * positioned glyph runs. Each face drawn with becomes a Type0 font whose
 * codes are glyph ids (Identity-H; a CIDFontType2 descendant with
 * CIDToGIDMap /Identity), embedded as a HarfBuzz subset that keeps the
 * glyph ids, with /W for the glyphs drawn, a FontDescriptor with
 * CapHeight and CIDSet (PDF/A-1b needs both), and a ToUnicode CMap
 * (bfchar) built from the shaping clusters: a ligature's glyph maps to
 * all of its characters. Text goes on the page as `[<gid> adj <gid>] TJ`,
 * so HarfBuzz's advances, kerning and mark offsets reach the PDF exactly.
 *
 * Extraction gives back the logical text. Glyphs go in visual order, as
 * in every PDF; readers with a bidi pass (pdftotext, pdf.js) reverse
 * right-to-left text into logical order, so there a ligature's glyph maps
 * to its characters in visual order. /ActualText marks what the map
 * cannot say: a glyph already mapped to other characters, a character
 * drawn with several glyphs, a character no face has, a word with marks
 * raised off the baseline, and the hyphen inserted at a line break (as
 * U+00AD SOFT HYPHEN). docs/text-pipeline.md has the measurements.
 *
 * The font dictionaries are built with libharu's object API (installed
 * internal headers, pinned to libharu 2.3.0 like pdf_fix.c) and belong to
 * the document. */
#ifndef BRIEF_PDF_GLYPHS_H
#define BRIEF_PDF_GLYPHS_H

#include <hpdf.h>
#include <stdbool.h>

#include "canvas.h"
#include "diag.h"
#include "shape.h"

/* Owns, per face drawn with, the set of glyphs used and their ToUnicode
 * strings, and a HarfBuzz font for widths. The PDF objects belong to the
 * libharu document; the shaper is not owned and must outlive it. */
struct pdf_glyphs;

enum brief_status pdf_glyphs_new(HPDF_Doc pdf, const struct shaper *sh,
				 struct pdf_glyphs **out, struct diag *err);
void pdf_glyphs_free(struct pdf_glyphs *pg); /* NULL is fine */

/* How a line is drawn. run_color (NULL: every run in color) gives the
 * colour of the runs of one span tag (links, emphasis in colour);
 * run_lang (NULL: none) the language of a span tag's text, and a run in
 * another language than the line's is marked with /Lang. */
struct pdf_glyph_opts {
	double size;       /* pt */
	double angle;      /* degrees counter-clockwise about the origin */
	struct rgba color; /* composited over white by the caller if needed */
	double word_space; /* pt added after every U+0020 (justification) */
	const char *lang;  /* the line's language when it is not the
			    * document's (a /Lang span), or NULL */
	struct rgba (*run_color)(void *ctx, int tag);
	const char *(*run_lang)(void *ctx, int tag);
	void *ctx;
};

/* Draw ln with the left end of its baseline at (x, y), PDF coordinates
 * (y up), on page, which must not be inside a libharu text or path object.
 * The page's fonts resource gets the faces' fonts (named by libharu,
 * F1, F2, ...). Returns BRIEF_OK, BRIEF_ENOMEM, or BRIEF_EINTERNAL
 * (libharu refused the content, or the page is in the wrong mode); err
 * filled. */
enum brief_status pdf_glyphs_line(struct pdf_glyphs *pg, HPDF_Page page,
				  double x, double y,
				  const struct pdf_glyph_opts *o,
				  const struct shape_line *ln,
				  struct diag *err);

/* The document's language (/Lang in the catalogue, BCP 47 such as
 * "fr", "ar"); a NULL or empty tag writes nothing. BRIEF_OK, or
 * BRIEF_ENOMEM / BRIEF_EINTERNAL from libharu (err filled). */
enum brief_status pdf_glyphs_doc_lang(HPDF_Doc pdf, const char *lang,
				      struct diag *err);

/* Width in points of ln drawn with o (its natural width plus word_space
 * per space): where a right-aligned line starts. */
double pdf_glyphs_line_width(const struct shape_line *ln,
			     const struct pdf_glyph_opts *o);

/* Embed the fonts: for every face drawn with, the subset font program
 * (FontFile2), /W, CIDSet, ToUnicode, metrics and subset names (a tag
 * derived from the glyphs used, so output is reproducible). Call once,
 * after all drawing and before saving the document; nothing may be drawn
 * afterwards. Returns BRIEF_OK, BRIEF_ENOMEM, or BRIEF_EINTERNAL
 * (HarfBuzz could not subset a face, libharu failed); err names the
 * font file. */
enum brief_status pdf_glyphs_finish(struct pdf_glyphs *pg, struct diag *err);

/* Measurements of what was embedded, for tests and make bench. */
struct pdf_glyphs_face_info {
	int face;          /* fontset face */
	unsigned glyphs;   /* distinct glyphs drawn */
	unsigned mapped;   /* of them, with a ToUnicode entry */
	size_t font_bytes; /* the subset font program, uncompressed */
	char name[80];     /* BaseFont, with its subset tag */
};
/* Info on the n-th face drawn with (in face order), false past the last.
 * font_bytes and name are filled by pdf_glyphs_finish. */
bool pdf_glyphs_info(const struct pdf_glyphs *pg, int n,
		     struct pdf_glyphs_face_info *out);

#endif
