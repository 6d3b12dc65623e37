/* canvas_svg.h — brief's own SVG back end of canvas.h, for chart exports
 * pasted into other documents: cairo paths written as SVG path data, and
 * text as real <text> elements in the fonts' family names (cairo's SVG
 * surface outlines text, which no reader can select, search or read
 * aloud). Every string is XML-escaped; what XML cannot carry (control
 * characters, malformed UTF-8) becomes U+FFFD. */
#ifndef BRIEF_CANVAS_SVG_H
#define BRIEF_CANVAS_SVG_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "canvas.h"

/* The impl of a canvas drawing SVG: the elements drawn so far, in canvas
 * coordinates (pt, origin top-left). Words of one line arrive one by one
 * (the line breaker places them); a word that starts one space after the
 * pending text, in its style, joins it, so a line is one <text> a reader
 * can select and search as it reads. Owns body and the pending text.
 * failed: a path could not be read from cairo. body.st or text.st:
 * memory ran out. */
struct canvas_svg {
	struct buf body;
	const struct fontset *fs;
	int failed;
	struct buf text; /* pending (unescaped); empty: none */
	double tx, ty, tend, tsize; /* its origin, right end and size */
	enum font_style tstyle;
	struct rgba tcolor;
};

extern const struct canvas_ops canvas_svg_ops;

/* A cairo context that only builds paths (a recording surface), for
 * canvas->cr of an SVG canvas. NULL on failure; cairo_destroy it. */
cairo_t *canvas_svg_cairo(void);

void canvas_svg_init(struct canvas_svg *s, const struct fontset *fs);
void canvas_svg_free(struct canvas_svg *s); /* the body; s itself is not */

/* What the document says about itself. Strings are not owned; NULL or ""
 * leaves an element out. */
struct svg_head {
	double width, height; /* pt, the whole image */
	double margin;        /* pt: the drawing starts at (margin, margin) */
	bool background;      /* paint the image white; false: transparent */
	const char *id;       /* prefix of the element ids (letters, digits, -, _) */
	const char *title;    /* <title>, the accessible name */
	const char *desc;     /* <desc>, the accessible description */
	const char *stamp;    /* recorded as <brief:export input="..."/> */
	const char *generator; /* "brief 0.1.0" */
};

/* The complete SVG file around what s drew: XML declaration, <svg> of
 * head->width x head->height pt with role="img", <title>, <desc>,
 * <metadata>, the background and the drawing in a group that names the
 * fonts by family with a generic fallback. *out is malloc'd (NUL-ended,
 * *len without the NUL). BRIEF_ENOMEM, or BRIEF_EINTERNAL when drawing
 * failed (s->failed). */
enum brief_status canvas_svg_document(struct canvas_svg *s,
				      const struct svg_head *head, char **out,
				      size_t *len, struct diag *err);

/* Append len bytes of UTF-8 s XML-escaped (for text and attribute values
 * alike): & < > " ' as entities, tab, newline and carriage return as
 * character references, other C0 controls, U+FFFE, U+FFFF and malformed
 * UTF-8 as U+FFFD. Returns b->st. */
enum brief_status svg_escape(struct buf *b, const char *s, size_t len);

/* The CSS font-family list of the fontset's faces (each family once, in
 * face order, quoted) and a generic family after them: "'Noto Sans',
 * 'Noto Sans Armenian', sans-serif". Not XML-escaped. Returns b->st. */
enum brief_status svg_font_families(const struct fontset *fs, struct buf *b);

#endif
