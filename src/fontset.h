/* fontset.h — the document's fonts: four styles of a main family with
 * per-character fallback by glyph coverage, the shaper over them
 * (shape.h), and the one width function every stage measures text with:
 * the shaped width. */
#ifndef BRIEF_FONTSET_H
#define BRIEF_FONTSET_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

enum font_style {
	FONT_REGULAR = 0,
	FONT_BOLD = 1,
	FONT_ITALIC = 2,
	FONT_BOLD_ITALIC = 3
};

struct fontset; /* opaque; owns its FreeType library, faces, cairo faces
		 * and its shaper */
struct shaper;

/* Open the fonts in dir (the files named in dir/fonts.conf, see
 * fonts/README.md) and a shaper over them. With err filled, returns
 * BRIEF_EIO when a file cannot be read (by FreeType or HarfBuzz),
 * BRIEF_EDATA when one is missing, is not a regular file or a usable font,
 * or fonts.conf is wrong, BRIEF_ENOMEM when out of memory.
 * Free with fontset_free (NULL is fine). */
enum brief_status fontset_open(const char *dir, struct fontset **out,
			       struct diag *err);
void fontset_free(struct fontset *fs);

/* Number of faces (main styles plus fallbacks); faces are 0..n-1. */
int fontset_face_count(const struct fontset *fs);
/* The TrueType file of a face, for libharu's HPDF_LoadTTFontFromFile. */
const char *fontset_face_path(const struct fontset *fs, int face);
/* A cairo font face (cairo_font_face_t *) for a face, owned by the fontset. */
void *fontset_cairo_face(const struct fontset *fs, int face);

/* Split UTF-8 text into runs that one face can draw, preferring the face
 * for `style`, then its fallbacks. fn is called per run in order; a
 * non-zero return stops and is returned. Code points no face covers (and
 * invalid UTF-8) are counted in *missing when missing is non-NULL and
 * measured as U+FFFD: the PDF back end refuses text with any (pass
 * missing), and the text check refuses it up front, so no U+FFFD is ever
 * drawn for them. */
typedef int (*font_run_fn)(void *ctx, int face, const char *s, size_t len);
int fontset_each_run(const struct fontset *fs, enum font_style style,
		     const char *s, size_t len, font_run_fn fn, void *ctx,
		     size_t *missing);

/* Advance width in points of UTF-8 text at size pt as it is drawn:
 * shaped by HarfBuzz (kerning, ligatures, Arabic joining), each run in its
 * script's direction; shape_text_width with no language. The one width
 * function: the line breaker, tables, key figures and charts measure with
 * it, and the PDF draws the same shaped glyphs. */
double fontset_text_width(const struct fontset *fs, enum font_style style,
			  const char *s, size_t len, double size);
/* The sum of the characters' nominal advances (no kerning, no shaping):
 * only for comparing with the shaped width. */
double fontset_advance_width(const struct fontset *fs, enum font_style style,
			     const char *s, size_t len, double size);
/* The fontset's shaper (owned by it; mutable: it caches words). */
struct shaper *fontset_shaper(const struct fontset *fs);
/* Ascent and descent (positive, below baseline) of the main face, in pt. */
double fontset_ascent(const struct fontset *fs, enum font_style style,
		      double size);
double fontset_descent(const struct fontset *fs, enum font_style style,
		       double size);

/* The face that draws cp in style (as fontset_each_run picks it), or -1. */
int fontset_face_for(const struct fontset *fs, enum font_style style,
		     unsigned long cp);
/* The faces fontset_face_for tries for style, in order, into faces (at
 * most max); returns how many. */
int fontset_faces_tried(const struct fontset *fs, enum font_style style,
			int *faces, int max);

/* First code point in s that no face can draw, or 0 if all are covered. */
unsigned long fontset_first_missing(const struct fontset *fs,
				    enum font_style style, const char *s,
				    size_t len);

/* The code point at s (n > 0 bytes left) and its length: an invalid or
 * truncated sequence is U+FFFD of length 1, which the measuring here
 * counts as missing; the shaper (shape.c) decodes by the same rule so
 * that its runs match. */
size_t fontset_utf8_next(const char *s, size_t n, uint32_t *cp);

#endif
