/* pagelist.h — the laid-out document: a display list of text, rules,
 * boxes, charts, links, anchors and outline entries per page. typeset.c
 * computes it once; typeset_pdf.c draws it with libharu and typeset_dump
 * prints it as text. Private to the typeset stage. */
#ifndef BRIEF_PAGELIST_H
#define BRIEF_PAGELIST_H

#include <stdbool.h>
#include <stddef.h>

#include "canvas.h"
#include "chart.h"
#include "diag.h"
#include "doc.h"
#include "fontset.h"
#include "shape.h"
#include "typeset.h"

enum pl_kind {
	PL_LINE,    /* a line of text: drawn from its glyphs; its fragments
		     * follow (for the dump and the text check) */
	PL_TEXT,    /* a fragment of text, y = baseline; drawn only when it
		     * has glyphs of its own (a list marker) */
	PL_RECT,    /* filled rectangle x, y (top), w, h */
	PL_RULE,    /* line from (x, y) to (x + w, y + h), width `size` */
	PL_CHART,   /* chart drawn into x, y, w, h */
	PL_LINK,    /* link area x, y, w, h to uri, a heading's dest or a
		     * bibliography entry */
	PL_ANCHOR,  /* where heading `dest` or bibliography entry `bib`
		     * starts (x, y) */
	PL_OUTLINE, /* bookmark `s` at `level`, pointing at (x, y) */
	PL_IMAGE    /* `image` drawn into x, y, w, h (the logo) */
};

/* What an op's content is in the tagged PDF (pdf_tags.h): an element of
 * pl->se (1-based index), or one of these (0 is never set by the layout
 * on purpose: content left so is untagged, which the tests catch). */
enum {
	PL_SE_NONE = 0,
	PL_SE_ARTIFACT = -1, /* decoration: rules, fills, the logo, repeated
			      * table headers */
	PL_SE_HEADER = -2,   /* the running header (a pagination artifact) */
	PL_SE_FOOTER = -3    /* the running footer */
};

/* A structure element: the layout makes one per block it lays out (and
 * per list item, table row and cell, link) in reading order. Its content
 * is the ops whose se names it; key (pl->nops when it was made) places it
 * among its parent's content and other children. Strings are not owned
 * (doc runs, the chart, or the pagelist's pool). */
struct pl_se {
	const char *role;  /* "P", "H1", "Figure", ... or "Title" (RoleMap) */
	int parent;        /* 1-based index of its parent; 0: the root */
	size_t key;
	const char *alt;   /* Figure: /Alt; Link: the annotation's /Contents */
	const char *scope; /* TH: /Scope (Column) */
	int rowspan;       /* TD: rows it spans (0 or 1: none) */
	int ordered;       /* L: 1 numbered, 2 bullets (ListNumbering) */
};

/* A line shaped for drawing (shape.h), with its left end at the op's x
 * and its baseline at the op's y: the colour and language of each of its
 * runs by span tag (colors[tag - tag0], langs[tag - tag0]: a run's
 * <span lang>, NULL for the document's; the op's colour for a tag
 * outside), the justification stretch at each space, and the line's
 * language when it is not the document's (NULL otherwise). Owns ln,
 * colors and langs (the strings are the doc's runs'). */
struct pl_glyphs {
	struct shape_line ln;
	double word_space;
	int tag0;
	size_t ncolors;
	struct rgba *colors;
	const char **langs;
	const char *lang;
};

/* One display-list entry. Coordinates in pt from the page's top-left.
 * Strings are not owned (doc runs or the pagelist's pool). */
struct pl_op {
	enum pl_kind kind;
	int page; /* 0-based */
	double x, y, w, h;
	const char *s;
	size_t len;
	enum font_style style;
	double size;
	struct rgba color;
	const char *tag;   /* PL_LINE: "para", "h1", "cell", ... */
	bool word_start;   /* PL_TEXT: a space precedes it on its line */
	struct chart *chart;
	size_t rows_from, rows_to; /* PL_CHART: the part drawn (chart_rows) */
	const char *uri;   /* PL_LINK to a URI */
	const char *dest;  /* PL_LINK to, PL_ANCHOR of, a heading's anchor */
	int bib;           /* PL_LINK to, PL_ANCHOR of, entry `bib` */
	int level;         /* PL_OUTLINE */
	const struct brand_image *image; /* PL_IMAGE (the doc's) */
	/* PL_TEXT, PL_LINK, PL_OUTLINE: where the text came from (at.file
	 * NULL: brief's own), and for PL_TEXT the start of the text `at`
	 * points to when s is a piece of it (NULL otherwise), so a
	 * character can be found in the layout. */
	struct text_origin at;
	const char *at_text;
	int se; /* its structure element or artifact kind (PL_SE_*) */
	/* PL_LINE, PL_TEXT: what is drawn (the pagelist's; NULL: nothing) */
	const struct pl_glyphs *glyphs;
	bool hyphen; /* PL_LINE: ends at a hyphenation point */
};

/* Owns ops, se, every string in strs and every shaped line in glyphs. */
struct pagelist {
	struct pl_op *ops;
	size_t nops, capops;
	struct pl_se *se; /* the structure elements, parents first */
	size_t nse, capse;
	char **strs;
	size_t nstrs, capstrs;
	struct pl_glyphs **glyphs;
	size_t nglyphs, capglyphs;
	int npages;
	double page_w, page_h;
};

/* Lay out d into pl (zeroed by the caller; free with pagelist_free even
 * on error). Returns BRIEF_ENOMEM or BRIEF_EDATA with err filled. */
enum brief_status typeset_layout(const struct doc *d, const struct fontset *fs,
				 struct pagelist *pl, struct diag *err);
/* Whether the document is laid out right to left (its language, see
 * bidi_language_rtl). */
bool typeset_rtl(const struct doc *d);
void pagelist_free(struct pagelist *pl);

/* Every character pl draws (its charts' text included) against the fonts:
 * one no face can draw in its style, a right-to-left one, a control
 * character or one past the BMP is an error at where its text came from
 * (typeset_check.c). Errors go to sink (NULL: the first into err);
 * returns BRIEF_EDATA when there was any. */
enum brief_status typeset_check_text(const struct doc *d,
				     const struct fontset *fs,
				     const struct pagelist *pl,
				     struct diag_sink *sink, struct diag *err);

/* The sizes PDF/A-1 (pdfa) or libharu itself limit: pages (one /Kids
 * array), links on a page, and the strings of the document information,
 * bookmarks, link targets and (PDF/A) text. Each one passed is an error at
 * the text's origin, as typeset_check_text reports (typeset_check.c). */
enum brief_status typeset_check_limits(const struct doc *d,
				       const struct pagelist *pl, bool pdfa,
				       struct diag_sink *sink,
				       struct diag *err);

/* Draw pl with libharu into a PDF in memory (typeset_pdf.c). */
enum brief_status typeset_render_pdf(const struct doc *d,
				     const struct fontset *fs,
				     const struct typeset_opts *opts,
				     const struct pagelist *pl,
				     unsigned char **buf, size_t *len,
				     struct diag *err);

#endif
