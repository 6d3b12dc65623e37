/* typeset.c — the layout pass: a struct doc laid out on A4/letter pages as
 * a display list (pagelist.h), then drawn as PDF or dumped as text. */
#include "typeset.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bidi.h"
#include "buf.h"
#include "hyphenate.h"
#include "linebreak.h"
#include "pagelist.h"

/* Page and type. Sizes in pt. */
#define BODY_SIZE 10.0
#define LEADING 1.4
#define PARA_GAP 6.0
#define LIST_INDENT 18.0
#define QUOTE_INDENT 16.0
#define BIB_SIZE 9.0
#define BIB_LABEL 24.0
#define EPS 0.01

static const struct rgba INK = {0.10, 0.10, 0.10, 1};
static const struct rgba MUTED = {0.35, 0.35, 0.35, 1};
static const struct rgba LINK = {0x1F / 255.0, 0x5F / 255.0, 0x9F / 255.0, 1};
static const struct rgba RULE_LIGHT = {0.78, 0.80, 0.82, 1};
static const struct rgba FILL_LIGHT = {0.918, 0.941, 0.965, 1};
static const struct rgba ZEBRA = {0.957, 0.965, 0.973, 1};

/* The layout cursor and what the next emitted line must carry. */
struct ts {
	const struct doc *d;
	const struct fontset *fs;
	struct pagelist *pl;
	double left, width, top, bottom;
	int page;
	double y;
	unsigned base_style;   /* RUN_ITALIC inside quotes */
	struct rgba ink;
	double para_gap;
	int oom;
	enum brief_status st; /* an input error found laying out (err says) */
	struct diag *err;
	/* Consumed by the next line emitted: a list marker or bibliography
	 * label (right-aligned at marker_right), an anchor, a bookmark. */
	const char *marker;
	double marker_right;
	int anchor_bib;
	const char *outline;
	int outline_level;
	/* A chart that did not fit where it stood: it goes to the top of the
	 * next page while the text after it fills this one (a float). */
	const struct doc_block *pending;
	double pend_x, pend_w;
	size_t last_chart; /* 1 + index of the last whole chart placed, or 0 */
	const char *anchor_dest; /* a heading's anchor, for #links */
	/* Where text without an origin of its own came from: the block
	 * being laid out, or the field being printed. */
	struct text_origin at;
	/* The accent colours, from the layout's brand (brand.h). */
	struct brand_colors col;
	/* The tagged PDF's structure (pagelist.h): the element the ops
	 * pushed now belong to, the open section at each heading level
	 * (sect[0]: the Document element), the element of the pending list
	 * marker or bibliography label, and of the floating chart. */
	int se;
	int sect[4], sect_depth[4];
	int head_role; /* the next heading's role by its section depth, 0:
			* by its level (a heading inside a list or quote) */
	int marker_se;
	int pend_se;
	/* The document's language, whether it is right to left (the page
	 * mirrors), and the hyphenator for its justified text. */
	const char *lang;
	bool rtl;
	struct hyphenator *hy;
};

/* ---- the display list ---- */

static struct pl_op *push(struct ts *t, enum pl_kind kind)
{
	struct pagelist *pl = t->pl;
	struct pl_op *op;

	if (array_reserve(&pl->ops, &pl->capops, pl->nops + 1, sizeof *pl->ops,
			  0)) {
		t->oom = 1;
		return NULL;
	}
	op = &pl->ops[pl->nops++];
	memset(op, 0, sizeof *op);
	op->kind = kind;
	op->page = t->page;
	op->se = t->se;
	return op;
}

/* ---- the structure (tagged PDF) ---- */

/* A new structure element `role` under parent (1-based, 0: the root),
 * placed after what has been pushed so far; its 1-based index, or the
 * parent when out of memory (t->oom set). */
static int se_new(struct ts *t, const char *role, int parent)
{
	struct pagelist *pl = t->pl;
	struct pl_se *e;

	if (array_reserve(&pl->se, &pl->capse, pl->nse + 1, sizeof *pl->se,
			  0)) {
		t->oom = 1;
		return parent;
	}
	e = &pl->se[pl->nse++];
	memset(e, 0, sizeof *e);
	e->role = role;
	e->parent = parent;
	e->key = pl->nops;
	return (int)pl->nse;
}

/* Start a block element under the current one; what follows is its
 * content until the caller puts back the returned element. */
static int se_begin(struct ts *t, const char *role)
{
	int saved = t->se;

	t->se = se_new(t, role, t->se);
	return saved;
}

static struct pl_se *se_at(struct ts *t, int se)
{
	return se > 0 && (size_t)se <= t->pl->nse ? &t->pl->se[se - 1] : NULL;
}

/* A section for a top-level heading at level (1..3): it closes the open
 * sections at that level and deeper and hangs under the nearest one above,
 * so sections nest as the bookmarks do; what follows goes into it. The
 * heading is H<n> for its depth n among the sections, which is its
 * bookmark's depth: "#" then "###" are H1 then H2, as they are shown. */
static void se_section(struct ts *t, int level)
{
	int k = level - 1;

	while (k > 0 && !t->sect[k])
		k--;
	t->se = se_new(t, "Sect", t->sect[k]); /* sect[0]: the Document */
	t->sect[level] = t->se;
	t->sect_depth[level] = t->sect_depth[k] + 1;
	t->head_role = t->sect_depth[level];
	for (k = level + 1; k < 4; k++)
		t->sect[k] = 0;
}

/* A string owned by the pagelist; "" when out of memory (t->oom set). */
static const char *pool(struct ts *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static const char *pool(struct ts *t, const char *fmt, ...)
{
	struct pagelist *pl = t->pl;
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || array_reserve(&pl->strs, &pl->capstrs, pl->nstrs + 1,
				   sizeof *pl->strs, 0)) {
		t->oom = 1;
		return "";
	}
	s = malloc((size_t)n + 1);
	if (!s) {
		t->oom = 1;
		return "";
	}
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	pl->strs[pl->nstrs++] = s;
	return s;
}

/* A message of the document's catalogue with placeholders a, b filled
 * (pooled); without a catalogue, english, the same message with the same
 * placeholders ("In {language}."), filled alike (l10n_say). */
static const char *msg(struct ts *t, enum l10n_msg m, const char *english,
		       const char *a, const char *b)
{
	char buf[512];

	return pool(t, "%s",
		    l10n_say(t->d->l10n, m, english, buf, sizeof buf, a, b));
}

void pagelist_free(struct pagelist *pl)
{
	if (!pl)
		return;
	for (size_t i = 0; i < pl->nstrs; i++)
		free(pl->strs[i]);
	free(pl->strs);
	for (size_t i = 0; i < pl->nglyphs; i++) {
		shape_line_free(&pl->glyphs[i]->ln);
		free(pl->glyphs[i]->colors);
		free(pl->glyphs[i]->langs);
		free(pl->glyphs[i]);
	}
	free(pl->glyphs);
	free(pl->ops);
	free(pl->se);
	memset(pl, 0, sizeof *pl);
}

/* An entry with a box (x, y, w, h); NULL when out of memory. */
static struct pl_op *push_box(struct ts *t, enum pl_kind kind, double x,
			      double y, double w, double h)
{
	struct pl_op *op = push(t, kind);

	if (op) {
		op->x = x;
		op->y = y;
		op->w = w;
		op->h = h;
	}
	return op;
}

static void rect(struct ts *t, double x, double y, double w, double h,
		 struct rgba c)
{
	struct pl_op *op = push_box(t, PL_RECT, x, y, w, h);

	if (op) {
		op->se = PL_SE_ARTIFACT; /* fills are decoration */
		op->color = c;
	}
}

static void rule(struct ts *t, double x, double y, double w, double h,
		 double lw, struct rgba c)
{
	struct pl_op *op = push_box(t, PL_RULE, x, y, w, h);

	if (op) {
		op->se = PL_SE_ARTIFACT; /* rules are decoration */
		op->size = lw;
		op->color = c;
	}
}

/* ---- pages ---- */

static void place_chart(struct ts *t, const struct doc_block *b, double x,
			double width, double h);
static double chart_natural(struct ts *t, const struct doc_block *b,
			    double width);
static void flush_float(struct ts *t);

static void new_page(struct ts *t)
{
	const struct doc_block *b = t->pending;

	t->page++;
	t->y = t->top;
	if (t->pl->npages < t->page + 1)
		t->pl->npages = t->page + 1;
	if (b) {
		int saved = t->se;

		t->pending = NULL;
		t->se = t->pend_se; /* its Figure, not the text it let past */
		place_chart(t, b, t->pend_x, t->pend_w,
			    chart_natural(t, b, t->pend_w));
		t->se = saved;
	}
}

static bool at_top(const struct ts *t)
{
	return t->y <= t->top + EPS;
}

/* Vertical space, dropped at the top of a page. */
static void vspace(struct ts *t, double h)
{
	if (!at_top(t))
		t->y += h;
}

/* Start a new page unless h fits below the cursor (or we are at the top). */
static void need(struct ts *t, double h)
{
	if (t->y + h > t->bottom + EPS && !at_top(t))
		new_page(t);
}

/* ---- lines ---- */

static double baseline_off(double size, double lead)
{
	return lead / 2 + size * 0.32;
}

static struct rgba run_color(const struct ts *t, const struct doc_run *r,
			      struct rgba ink)
{
	if (r && (r->link == LINK_URI || r->link == LINK_ANCHOR))
		return LINK;
	if (r && r->link == LINK_BIB)
		return t->col.accent_text;
	return ink;
}

static bool same_link(const struct doc_run *a, const struct doc_run *b)
{
	if (!a || !b || a->link != b->link)
		return false;
	if (a->link == LINK_URI || a->link == LINK_ANCHOR)
		return a->uri && b->uri && strcmp(a->uri, b->uri) == 0;
	return a->link == LINK_BIB && a->bib == b->bib;
}

/* run: the text's run (NULL: brief's own, or t->at says where it is from);
 * w: its width as the caller measured it (the line breaker's, in the
 * run's language), not measured again. */
static struct pl_op *text_op(struct ts *t, double x, double base,
			     const char *s, size_t len, enum font_style st,
			     double size, double w, struct rgba c,
			     bool word_start, const char *tag,
			     const struct doc_run *run)
{
	struct pl_op *op = push(t, PL_TEXT);

	if (!op)
		return NULL;
	if (run && run->at.file) {
		op->at = run->at;
		op->at_text = run->text;
	} else {
		op->at = t->at;
	}
	op->x = x;
	op->y = base;
	op->s = s;
	op->len = len;
	op->style = st;
	op->size = size;
	op->color = c;
	op->word_start = word_start;
	op->tag = tag;
	op->w = w;
	return op;
}

/* A new shaped line owned by the pagelist, for ln (moved into it: ln is
 * zeroed); NULL when out of memory (t->oom set, ln freed). */
static struct pl_glyphs *keep_glyphs(struct ts *t, struct shape_line *ln)
{
	struct pagelist *pl = t->pl;
	struct pl_glyphs *g;

	if (array_reserve(&pl->glyphs, &pl->capglyphs, pl->nglyphs + 1,
			  sizeof *pl->glyphs, 0) ||
	    !(g = calloc(1, sizeof *g))) {
		shape_line_free(ln);
		t->oom = 1;
		return NULL;
	}
	g->ln = *ln;
	memset(ln, 0, sizeof *ln);
	pl->glyphs[pl->nglyphs++] = g;
	return g;
}

/* Text of one style shaped as a paragraph of its own, in the document's
 * direction (markers, the running header and footer). */
static struct pl_glyphs *shape_alone(struct ts *t, const char *s, size_t len,
				     enum font_style st)
{
	struct shape_span sp = {0, len, st, NULL, 0};
	struct bidi_para bp;
	struct shape_line ln;
	enum brief_status rc;

	if (bidi_analyse(s, len, t->rtl ? BIDI_RTL : BIDI_LTR, &bp, NULL) !=
	    BRIEF_OK) {
		t->oom = 1;
		return NULL;
	}
	rc = shape_line(fontset_shaper(t->fs), s, len, &sp, 1, &bp, 0, len,
			false, &ln, NULL);
	bidi_para_free(&bp);
	if (rc != BRIEF_OK) {
		t->oom = 1;
		return NULL;
	}
	return keep_glyphs(t, &ln);
}

/* The spaces (U+0020 glyphs) of ln before glyph g, in visual order. */
static size_t spaces_before(const struct shape_line *ln, size_t g)
{
	size_t n = 0;

	for (size_t i = 0; i < ln->nruns; i++) {
		const struct shape_run *r = &ln->runs[i];

		for (size_t k = r->first; k < r->first + r->n && k < g; k++)
			n += !r->missing && ln->text[ln->glyphs[k].cluster] == ' ';
	}
	return n;
}

static int se_link(struct ts *t, const struct doc_run *r);

/* Link areas of one drawn line: each shaped run of a linked span, in
 * visual order (so right-to-left lines get theirs too), runs side by side
 * with the same target merged. */
static void link_areas(struct ts *t, const struct lb_para *p,
		       const struct pl_glyphs *g, double x, double base,
		       double size)
{
	const struct shape_line *ln = &g->ln;

	for (size_t i = 0; i < ln->nruns;) {
		const struct shape_run *r = &ln->runs[i];
		const struct doc_run *dr = r->tag >= 0 && (size_t)r->tag < p->nruns
						   ? &p->runs[r->tag]
						   : NULL;
		const struct shape_run *e;
		size_t k = i + 1;
		double x0, x1;
		struct pl_op *op;

		if (!dr || dr->link == LINK_NONE || r->hyphen) {
			i++;
			continue;
		}
		while (k < ln->nruns && !ln->runs[k].hyphen &&
		       ln->runs[k].tag >= 0 &&
		       (size_t)ln->runs[k].tag < p->nruns &&
		       same_link(dr, &p->runs[ln->runs[k].tag]))
			k++;
		e = &ln->runs[k - 1];
		x0 = r->x_em * size +
		     g->word_space * (double)spaces_before(ln, r->first);
		x1 = (e->x_em + e->advance_em) * size +
		     g->word_space * (double)spaces_before(ln, e->first + e->n);
		op = push(t, PL_LINK);
		if (op) {
			op->se = se_link(t, dr);
			op->x = x + x0;
			op->w = x1 - x0;
			op->y = base - size * 0.95;
			op->h = size * 1.25;
			op->at = dr->at.file ? dr->at : t->at;
			if (dr->link == LINK_URI)
				op->uri = dr->uri;
			else if (dr->link == LINK_ANCHOR)
				op->dest = dr->uri;
			else
				op->bib = dr->bib;
		}
		i = k;
	}
}

/* The colour and language of each run of a shaped line, by its span's
 * tag (an index into p's runs). */
static void line_colors(struct ts *t, const struct lb_para *p,
			struct pl_glyphs *g, struct rgba ink)
{
	int lo = 0, hi = -1;

	for (size_t i = 0; i < g->ln.nruns; i++) {
		int tag = g->ln.runs[i].tag;

		if (hi < lo || tag < lo)
			lo = tag;
		if (tag > hi)
			hi = tag;
	}
	if (hi < lo)
		return;
	g->colors = calloc((size_t)(hi - lo + 1), sizeof *g->colors);
	g->langs = calloc((size_t)(hi - lo + 1), sizeof *g->langs);
	if (!g->colors || !g->langs) {
		t->oom = 1;
		return;
	}
	g->tag0 = lo;
	g->ncolors = (size_t)(hi - lo + 1);
	for (int k = lo; k <= hi; k++) {
		const struct doc_run *r =
			k >= 0 && (size_t)k < p->nruns ? &p->runs[k] : NULL;

		g->colors[k - lo] = run_color(t, r, ink);
		g->langs[k - lo] = r && r->lang[0] ? r->lang : NULL;
	}
}

/* The element of a link's text and annotation: a Link (its annotation's
 * /Contents says where it goes), inside a Reference for a citation. */
static int se_link(struct ts *t, const struct doc_run *r)
{
	int up = t->se, se;
	struct pl_se *e;

	if (up < 0) /* in an artifact (a repeated header): no element */
		return up;
	if (r->link == LINK_BIB)
		up = se_new(t, "Reference", up);
	se = se_new(t, "Link", up);
	e = se_at(t, se);
	if (e && se != up) {
		char num[32];

		snprintf(num, sizeof num, "%d", r->bib);
		e->alt = r->link == LINK_BIB
				 ? msg(t, L10N_LINK_SOURCE,
				       "Source {number} in the list of sources",
				       num, NULL)
			 : r->link == LINK_URI
				 ? r->uri
				 : msg(t, L10N_LINK_SECTION, "Section {title}",
				       r->text ? r->text : "", NULL);
	}
	return se;
}

/* Emit line li of p with its left edge at x and baseline at base. */
static void emit_line(struct ts *t, const struct lb_para *p, size_t li,
		      double x, double base, double size, struct rgba ink,
		      const char *tag)
{
	const struct lb_line *ln = &p->lines[li];
	struct shape_line sl;
	struct pl_glyphs *g;
	struct pl_op *op;
	double lx;

	if (t->outline) {
		op = push(t, PL_OUTLINE);
		if (op) {
			op->x = x;
			op->y = base - size * 1.2;
			op->s = t->outline;
			op->len = strlen(t->outline);
			op->level = t->outline_level;
			op->at = t->at;
		}
		t->outline = NULL;
	}
	if (t->anchor_bib || t->anchor_dest) {
		op = push(t, PL_ANCHOR);
		if (op) {
			op->x = x;
			op->y = base - size * 1.2;
			op->bib = t->anchor_bib;
			op->dest = t->anchor_dest;
		}
		t->anchor_bib = 0;
		t->anchor_dest = NULL;
	}
	if (lb_shape_line(t->fs, p, li, &sl, NULL) != BRIEF_OK) {
		t->oom = 1;
		return;
	}
	g = keep_glyphs(t, &sl);
	if (!g)
		return;
	g->word_space = ln->word_space;
	line_colors(t, p, g, ink);
	op = push(t, PL_LINE);
	if (!op)
		return;
	/* The line's visual extent, after alignment and stretching. */
	op->x = x + ln->shift;
	op->w = g->ln.width_em * size +
		g->word_space * (double)g->ln.nspaces;
	op->y = base;
	op->size = size;
	op->tag = tag;
	op->color = ink;
	op->glyphs = g;
	op->hyphen = ln->hyphen;
	lx = op->x; /* op moves when the list grows */
	if (t->marker) {
		enum font_style ms = lb_font_style(0, t->base_style);
		size_t ml = strlen(t->marker);
		double mw = fontset_text_width(t->fs, ms, t->marker, ml, size);
		/* Right to left, the marker stands at the right of the text,
		 * its left edge at marker_right. */
		double mx = t->rtl ? t->marker_right : t->marker_right - mw;
		int saved = t->se;
		struct pl_op *mo;

		if (t->marker_se) /* the list item's or entry's Lbl */
			t->se = t->marker_se;
		mo = text_op(t, mx, base, t->marker, ml, ms, size, mw, ink,
			     false, "marker", NULL);
		t->se = saved;
		if (mo)
			mo->glyphs = shape_alone(t, t->marker, ml, ms);
		t->marker = NULL;
		t->marker_se = 0;
	}
	/* The fragments: for the dump and the checks; the line's glyphs
	 * draw them (a link's text stays in its paragraph's content, its
	 * area is the Link element's: link_areas). */
	for (size_t i = ln->first; i < ln->first + ln->n; i++) {
		const struct lb_frag *f = &p->frags[i];

		text_op(t, x + f->x, base, f->s, f->len, f->style, size, f->w,
			run_color(t, f->run, ink), f->word_start, NULL, f->run);
	}
	link_areas(t, p, g, lx, base, size);
}

/* Place the lines of p from the cursor on, splitting across pages with
 * widow and orphan control (at least two lines on each side of a break);
 * keep: move the whole block to the next page if it does not fit. */
static void place_lines(struct ts *t, const struct lb_para *p, double x,
			double size, double lead, struct rgba ink,
			const char *tag, bool keep)
{
	size_t i = 0, n = p->nlines;
	double off = baseline_off(size, lead);

	if (keep)
		need(t, (double)n * lead);
	while (i < n) {
		double room = (t->bottom - t->y + EPS) / lead;
		size_t fit = room > 0 ? (size_t)floor(room) : 0;
		size_t rem = n - i, take;

		if (fit >= rem) {
			take = rem;
		} else {
			take = fit;
			if (rem - take < 2)
				take = rem >= 2 ? rem - 2 : 0;
			if (take < 2)
				take = 0;
			if (take == 0) {
				if (!at_top(t)) {
					new_page(t);
					continue;
				}
				take = fit > 0 ? fit : 1; /* taller than a page */
			}
		}
		for (size_t k = 0; k < take; k++) {
			emit_line(t, p, i + k, x, t->y + off, size, ink, tag);
			t->y += lead;
		}
		i += take;
		if (i < n)
			new_page(t);
	}
}

/* Break runs at width and place them; returns -1 when out of memory. */
static int place_text(struct ts *t, const struct doc_run *runs, size_t n,
		      double x, double width, double size, unsigned style,
		      enum lb_align align, double lead, struct rgba ink,
		      const char *tag, bool keep)
{
	struct lb_opts o = {.width = width, .size = size,
			    .style = style | t->base_style, .align = align,
			    .rtl = t->rtl, .hy = t->hy, .lang = t->lang};
	struct lb_para p;

	if (linebreak(t->fs, runs, n, &o, &p, NULL) != BRIEF_OK) {
		t->oom = 1;
		return -1;
	}
	place_lines(t, &p, x, size, lead, ink, tag, keep);
	lb_para_free(&p);
	return 0;
}

/* Lines of runs at a width (for measuring); -1 when out of memory. */
static long count_lines(struct ts *t, const struct doc_run *runs, size_t n,
			double width, double size, unsigned style)
{
	struct lb_opts o = {.width = width, .size = size,
			    .style = style | t->base_style, .align = LB_LEFT,
			    .rtl = t->rtl, .lang = t->lang};
	struct lb_para p;
	long nl;

	if (linebreak(t->fs, runs, n, &o, &p, NULL) != BRIEF_OK) {
		t->oom = 1;
		return 0;
	}
	nl = (long)p.nlines;
	lb_para_free(&p);
	return nl;
}

/* All the text of runs as one pooled string (bookmark titles). */
static const char *runs_text(struct ts *t, const struct doc_runs *r)
{
	size_t len = 0;
	char *s;
	const char *out;

	for (size_t i = 0; i < r->n; i++)
		len += r->v[i].text ? strlen(r->v[i].text) : 0;
	s = malloc(len + 1);
	if (!s) {
		t->oom = 1;
		return "";
	}
	len = 0;
	for (size_t i = 0; i < r->n; i++) {
		const char *x = r->v[i].text ? r->v[i].text : "";

		for (; *x; x++)
			s[len++] = *x == '\n' ? ' ' : *x;
	}
	s[len] = '\0';
	out = pool(t, "%s", s);
	free(s);
	return out;
}

/* ---- blocks ---- */

static const double HEAD_SIZE[3] = {16, 13, 11};
static const double HEAD_BEFORE[3] = {20, 14, 10};
static const double HEAD_AFTER[3] = {6, 4, 3};
static const char *const HEAD_TAG[3] = {"h1", "h2", "h3"};
static const char *const HEAD_ROLE[3] = {"H1", "H2", "H3"};

static int level_index(int level)
{
	return level < 1 ? 0 : level > 3 ? 2 : level - 1;
}

static double keyfig_row_height(struct ts *t, const struct doc_block *b,
				size_t first, size_t cols, double bw);
static size_t keyfig_cols(size_t n, double width);

/* Height the start of b[0] needs on the page where it begins: what a
 * heading before it must be kept with. b[1..n-1] follow it: a heading
 * keeps the start of its own next block, so a run of headings stays with
 * the text they introduce. */
static double lead_height(struct ts *t, const struct doc_block *b, size_t n,
			  double width)
{
	if (!b || n == 0)
		return 0;
	switch (b->kind) {
	case BLK_PARAGRAPH: {
		long nl = count_lines(t, b->runs.v, b->runs.n, width,
				      BODY_SIZE, 0);

		return (double)(nl < 2 ? nl : 2) * BODY_SIZE * LEADING;
	}
	case BLK_HEADING: {
		int li = level_index(b->level);
		double size = HEAD_SIZE[li];
		long nl = count_lines(t, b->runs.v, b->runs.n, width, size,
				      RUN_BOLD);

		return HEAD_BEFORE[li] + (double)nl * size * 1.25 +
		       HEAD_AFTER[li] + lead_height(t, b + 1, n - 1, width);
	}
	case BLK_LIST:
	case BLK_ITEM:
	case BLK_QUOTE:
		return b->nchildren
			       ? lead_height(t, b->children, b->nchildren,
					     width - LIST_INDENT)
			       : 0;
	case BLK_CHART:
		return b->chart ? chart_min_height(b->chart, t->fs, width) : 0;
	case BLK_KEYFIGURES: {
		size_t cols = keyfig_cols(b->nfigs, width);
		double bw = (width - 10.0 * (double)(cols - 1)) / (double)cols;

		return b->nfigs ? keyfig_row_height(t, b, 0, cols, bw) : 0;
	}
	case BLK_TABLE:
		return 18 + 2 * 9 * 1.3 + 2 * 14;
	case BLK_PAGEBREAK:
		break;
	}
	return 0;
}

static int layout_blocks(struct ts *t, const struct doc_block *v, size_t n,
			 double x, double width, int depth);

/* next[0..nnext-1]: the blocks after the heading, at its level. */
static int layout_heading(struct ts *t, const struct doc_block *b,
			  const struct doc_block *next, size_t nnext, double x,
			  double width)
{
	int li = level_index(b->level);
	double size = HEAD_SIZE[li], lead = size * 1.25;
	long nl = count_lines(t, b->runs.v, b->runs.n, width, size, RUN_BOLD);
	int saved;

	flush_float(t); /* a chart stays in its section */
	vspace(t, HEAD_BEFORE[li]);
	/* Keep the heading with the start of what follows. */
	need(t, (double)nl * lead + HEAD_AFTER[li] +
			lead_height(t, next, nnext, width));
	t->outline = runs_text(t, &b->runs);
	t->outline_level = li + 1;
	t->anchor_dest = b->anchor;
	saved = se_begin(t, HEAD_ROLE[t->head_role ? t->head_role - 1 : li]);
	t->head_role = 0;
	if (place_text(t, b->runs.v, b->runs.n, x, width, size, RUN_BOLD,
		       LB_LEFT, lead, li < 2 ? t->col.accent_text : INK, HEAD_TAG[li],
		       true))
		return -1;
	t->se = saved;
	t->y += HEAD_AFTER[li];
	return 0;
}

static int layout_list(struct ts *t, const struct doc_block *b, double x,
		       double width, int depth)
{
	double saved_gap = t->para_gap;
	int saved = se_begin(t, "L"), list = t->se, item;
	struct pl_se *le = se_at(t, list);

	if (le)
		le->ordered = b->ordered ? 1 : 2;
	t->para_gap = 3;
	for (size_t i = 0; i < b->nchildren; i++) {
		const struct doc_block *it = &b->children[i];

		/* Right to left the indent and the marker are at the right. */
		double cx = t->rtl ? x : x + LIST_INDENT;

		/* LI: the marker (Lbl) and the item's blocks (LBody). */
		item = se_new(t, "LI", t->se);
		t->marker_se = se_new(t, "Lbl", item);
		t->se = se_new(t, "LBody", item);
		if (b->ordered) {
			char num[32];

			number_format(b->start + (int)i, 0, num, sizeof num);
			t->marker = pool(t, "%s.", num);
		} else {
			t->marker = depth % 2 ? "\xE2\x80\x93" : "\xE2\x80\xA2";
		}
		t->marker_right = t->rtl ? x + width - LIST_INDENT + 5
					 : x + LIST_INDENT - 5;
		if (it->kind == BLK_ITEM) {
			if (layout_blocks(t, it->children, it->nchildren, cx,
					  width - LIST_INDENT, depth + 1))
				return -1;
		} else if (layout_blocks(t, it, 1, cx, width - LIST_INDENT,
					 depth + 1)) {
			return -1;
		}
		t->marker = NULL;
		t->marker_se = 0;
		t->se = list;
	}
	t->se = saved;
	t->para_gap = saved_gap;
	if (depth == 0)
		t->y += PARA_GAP - 3;
	return 0;
}

static int layout_quote(struct ts *t, const struct doc_block *b, double x,
			double width, int depth)
{
	unsigned saved_style = t->base_style;
	struct rgba saved_ink = t->ink;
	size_t first = t->pl->nops;
	int cur = t->page, saved = se_begin(t, "BlockQuote");

	t->base_style |= RUN_ITALIC;
	t->ink = MUTED;
	if (layout_blocks(t, b->children, b->nchildren,
			  t->rtl ? x : x + QUOTE_INDENT, width - QUOTE_INDENT,
			  depth + 1))
		return -1;
	t->se = saved;
	t->base_style = saved_style;
	t->ink = saved_ink;
	/* The rule beside the quote: one piece per page, spanning the lines
	 * the quote put there. */
	for (size_t i = first, n = t->pl->nops; i < n; i++) {
		const struct pl_op *op = &t->pl->ops[i];
		double a, e;
		int pg;

		if (op->kind != PL_LINE)
			continue;
		pg = op->page;
		a = op->y - op->size * 1.05;
		e = op->y + op->size * 0.35;
		for (size_t k = i + 1; k < n; k++) {
			const struct pl_op *o2 = &t->pl->ops[k];

			if (o2->kind != PL_LINE)
				continue;
			if (o2->page != pg)
				break;
			e = o2->y + o2->size * 0.35;
			i = k;
		}
		t->page = pg;
		rule(t, t->rtl ? x + width - 3 : x + 3, a, 0, e - a, 2,
		     t->col.accent);
		t->page = cur;
	}
	return 0;
}

/* ---- key figures ---- */

#define KF_GAP 10.0
#define KF_PAD 9.0
#define KF_NUM 20.0
#define KF_NUM_MIN 12.0
#define KF_LABEL 9.0
#define KF_CITE 7.5

#define KF_MIN_WIDTH 105.0 /* a box narrower would break most labels */

/* Boxes per row: as many as fit at KF_MIN_WIDTH (four on A4 portrait,
 * two on A5, up to six on a wide page), rows filled evenly. */
static size_t keyfig_cols(size_t n, double width)
{
	size_t most = (size_t)floor((width + KF_GAP) / (KF_MIN_WIDTH + KF_GAP));
	size_t rows;

	most = most < 1 ? 1 : most > 6 ? 6 : most;
	rows = (n + most - 1) / most;
	return rows ? (n + rows - 1) / rows : 1;
}

/* The number's size: KF_NUM, smaller (to KF_NUM_MIN) when its widest
 * word would not fit the box, since a number is never broken. */
static double keyfig_num_size(struct ts *t, const struct doc_keyfigure *f,
			      double iw)
{
	struct doc_run num = {.text = f->number};
	double size = KF_NUM, lo, hi;

	for (; size > KF_NUM_MIN; size -= 1) {
		if (lb_measure(t->fs, &num, 1, size, RUN_BOLD, t->lang, &lo,
			       &hi))
			t->oom = 1;
		if (lo <= iw)
			break;
	}
	return size;
}

static double keyfig_height(struct ts *t, const struct doc_keyfigure *f,
			    double bw)
{
	struct doc_run num = {.text = f->number};
	struct doc_run label = {.text = f->label};
	double iw = bw - 2 * KF_PAD, ns = keyfig_num_size(t, f, iw);

	return 2 * KF_PAD + 3 +
	       (double)count_lines(t, &num, 1, iw, ns, RUN_BOLD) * ns * 1.15 +
	       4 +
	       (double)count_lines(t, &label, 1, iw, KF_LABEL, 0) * KF_LABEL *
		       1.3 +
	       2 +
	       (double)count_lines(t, f->cite.v, f->cite.n, iw, KF_CITE, 0) *
		       KF_CITE * 1.3;
}

static double keyfig_row_height(struct ts *t, const struct doc_block *b,
				size_t first, size_t cols, double bw)
{
	double h = 0;

	for (size_t i = first; i < first + cols && i < b->nfigs; i++) {
		double fh = keyfig_height(t, &b->figs[i], bw);

		if (fh > h)
			h = fh;
	}
	return h;
}

/* A key figure's alternative text: the number, its label and its
 * citation as they read ("8,000+ people killed [2]"). */
static void keyfig_alt(struct ts *t, const struct doc_keyfigure *f)
{
	struct pl_se *e = se_at(t, t->se);
	char *cite = doc_runs_text(&f->cite);

	if (!cite) {
		t->oom = 1;
		return;
	}
	if (e)
		e->alt = pool(t, "%s %s%s%s", f->number ? f->number : "",
			      f->label ? f->label : "", *cite ? " " : "", cite);
	free(cite);
}

static int layout_keyfigures(struct ts *t, const struct doc_block *b,
			     double x, double width)
{
	size_t cols = keyfig_cols(b->nfigs, width);
	double bw = (width - KF_GAP * (double)(cols - 1)) / (double)cols;
	unsigned saved_style = t->base_style;

	t->base_style = 0;
	vspace(t, 4);
	for (size_t first = 0; first < b->nfigs; first += cols) {
		double h = keyfig_row_height(t, b, first, cols, bw);
		double y0;

		need(t, h);
		y0 = t->y;
		for (size_t i = first; i < first + cols && i < b->nfigs; i++) {
			const struct doc_keyfigure *f = &b->figs[i];
			struct doc_run num = {.text = f->number,
					      .at = f->number_at};
			struct doc_run label = {.text = f->label,
						.at = f->label_at};
			/* Right to left the first box is the rightmost. */
			double bx = t->rtl ? x + width - bw -
					     (double)(i - first) * (bw + KF_GAP)
				  : x + (double)(i - first) * (bw + KF_GAP);
			double iw = bw - 2 * KF_PAD;
			double ns = keyfig_num_size(t, f, iw);
			int saved = se_begin(t, "Figure");

			keyfig_alt(t, f);
			rect(t, bx, y0, bw, h, FILL_LIGHT);
			rect(t, bx, y0, bw, 3, t->col.accent);
			t->y = y0 + KF_PAD + 3;
			if (place_text(t, &num, 1, bx + KF_PAD, iw, ns,
				       RUN_BOLD, LB_LEFT, ns * 1.15, t->col.accent_text,
				       "kf-number", true))
				return -1;
			t->y += 4;
			if (place_text(t, &label, 1, bx + KF_PAD, iw, KF_LABEL,
				       0, LB_LEFT, KF_LABEL * 1.3, INK,
				       "kf-label", true))
				return -1;
			t->y += 2;
			if (place_text(t, f->cite.v, f->cite.n, bx + KF_PAD, iw,
				       KF_CITE, 0, LB_LEFT, KF_CITE * 1.3,
				       MUTED, "kf-cite", true))
				return -1;
			t->se = saved;
		}
		t->y = y0 + h + KF_GAP;
	}
	t->base_style = saved_style;
	t->y += 4;
	return 0;
}

/* ---- tables ---- */

#define TB_HEAD 8.5
#define TB_CELL 9.0
#define TB_PADX 5.0
#define TB_PADY 3.5

struct table_row {
	struct lb_para *cells; /* ncols of them */
	double h;
	double h0;   /* of the first cell alone */
	double span; /* a group's first row: the group's height, its first
		      * cell drawn across the group's rows; else 0 */
};

static void table_rows_free(struct table_row *rows, size_t nrows,
			    size_t ncols)
{
	for (size_t r = 0; rows && r < nrows; r++) {
		for (size_t c = 0; rows[r].cells && c < ncols; c++)
			lb_para_free(&rows[r].cells[c]);
		free(rows[r].cells);
	}
	free(rows);
}

/* The widest number in runs (a space-separated word with a digit): a
 * number is never broken across lines, so its column is at least this
 * wide. */
static double widest_number(struct ts *t, const struct doc_run *runs,
			    size_t n, double size, unsigned style)
{
	double w = 0;

	for (size_t i = 0; i < n; i++) {
		const char *s = runs[i].text ? runs[i].text : "";
		enum font_style fs = lb_font_style(runs[i].style, style);

		while (*s) {
			size_t len = strcspn(s, " \n");
			bool digit = false;

			for (size_t k = 0; k < len; k++)
				digit |= s[k] >= '0' && s[k] <= '9';
			if (digit)
				w = fmax(w, fontset_text_width(t->fs, fs, s, len,
							       size));
			s += len;
			s += strspn(s, " \n");
		}
	}
	return w;
}

/* What each column needs at a cell size: its widest word (hard), its
 * widest number (num, never broken), its text on one line (mx). */
struct colneed {
	double hard, num, mx;
};

static void table_needs(struct ts *t, const struct doc_table *tb, double size,
			struct colneed *need)
{
	size_t nc = tb->ncols;
	double hsize = size * TB_HEAD / TB_CELL, pad = 2 * TB_PADX + 0.5;

	for (size_t c = 0; c < nc; c++) {
		struct doc_run h = {.text = tb->header[c]};
		struct colneed *k = &need[c];
		double a, b;

		if (lb_measure(t->fs, &h, 1, hsize, RUN_BOLD, t->lang,
			       &k->hard, &k->mx))
			t->oom = 1;
		k->num = widest_number(t, &h, 1, hsize, RUN_BOLD);
		for (size_t r = 0; r < tb->nrows; r++) {
			const struct doc_runs *cell = &tb->cells[r * nc + c];

			if (lb_measure(t->fs, cell->v, cell->n, size, 0,
				       t->lang, &a, &b))
				t->oom = 1;
			k->hard = fmax(k->hard, a);
			k->mx = fmax(k->mx, b);
			k->num = fmax(k->num,
				      widest_number(t, cell->v, cell->n, size, 0));
		}
		k->hard += pad;
		k->mx += pad;
		k->num += pad;
	}
}

/* Column widths, in the spirit of CSS auto tables: every column gets its
 * longest word (hard), then up to a fair share of the width without
 * wrapping (pref), then the rest goes where text would otherwise wrap.
 * Returns false when the longest words do not fit side by side. */
static bool table_widths_at(const struct colneed *need, size_t nc,
			    double width, double *w)
{
	double fair = width / (double)nc, sh = 0, sp = 0, sx = 0;

	for (size_t c = 0; c < nc; c++) {
		double pref = fmax(fmin(need[c].mx, fair), need[c].hard);

		sh += need[c].hard;
		sp += pref;
		sx += need[c].mx;
	}
	if (sh > width + EPS)
		return false;
	for (size_t c = 0; c < nc; c++) {
		double pref = fmax(fmin(need[c].mx, fair), need[c].hard);

		if (sx <= width)
			w[c] = need[c].mx + (width - sx) * need[c].mx / sx;
		else if (sp <= width)
			w[c] = pref + (width - sp) * (need[c].mx - pref) /
					      (sx - sp);
		else
			w[c] = need[c].hard + (width - sh) *
						      (pref - need[c].hard) /
						      (sp - sh > 0 ? sp - sh : 1);
	}
	return true;
}

/* Words must break: numbers keep their width, the other text shares
 * what is left. Returns false when the numbers alone do not fit. */
static bool table_widths_breaking(const struct colneed *need, size_t nc,
				  double width, double *w)
{
	double snum = 0, sword = 0;

	for (size_t c = 0; c < nc; c++) {
		snum += need[c].num;
		sword += need[c].hard - need[c].num;
	}
	if (snum > width + EPS)
		return false;
	for (size_t c = 0; c < nc; c++)
		w[c] = need[c].num + (width - snum) *
					     (sword > 0 ? (need[c].hard -
							   need[c].num) / sword
							: 1.0 / (double)nc);
	return true;
}

#define TB_MIN_SIZE 7.0 /* a table's cells shrink to no less */

/* Widths and the cell size: the largest size from TB_CELL down to
 * TB_MIN_SIZE at which no word breaks; else at the least size, words
 * broken but numbers whole; else -1 (the numbers alone are too wide). */
static double table_layout_widths(struct ts *t, const struct doc_table *tb,
				  double width, double *w)
{
	size_t nc = tb->ncols;
	struct colneed *need = calloc(nc, sizeof *need);
	double size = -1;

	if (!need) {
		t->oom = 1;
		return -1;
	}
	for (double sz = TB_CELL; sz >= TB_MIN_SIZE - EPS; sz -= 0.5) {
		table_needs(t, tb, sz, need);
		if (table_widths_at(need, nc, width, w)) {
			size = sz;
			break;
		}
	}
	if (size < 0 && table_widths_breaking(need, nc, width, w))
		size = TB_MIN_SIZE;
	free(need);
	return size;
}

static int table_break(struct ts *t, const struct doc_run *runs, size_t n,
		       double width, double size, unsigned style, char align,
		       struct lb_para *out)
{
	struct lb_opts o = {.width = width, .size = size, .style = style,
			    .align = align == 'r' ? LB_RIGHT : LB_LEFT,
			    .rtl = t->rtl, .lang = t->lang};

	if (linebreak(t->fs, runs, n, &o, out, NULL) != BRIEF_OK) {
		t->oom = 1;
		return -1;
	}
	return 0;
}

/* role: each cell's element ("TH", "TD") in a TR of the current
 * element, or NULL: the row is an artifact (a header repeated on a new
 * page). span: the first cell spans that many rows (0 or 1: none), or -1:
 * it is under such a cell and has no element of its own. */
static void table_draw_row(struct ts *t, const struct doc_table *tb,
			   const struct table_row *row, const double *w,
			   double x, double size, struct rgba ink,
			   const char *tag, const char *role, int span)
{
	double cx = x, lead = size * 1.3;
	double off = baseline_off(size, lead);
	int saved = t->se;
	int tr = role ? se_new(t, "TR", t->se) : PL_SE_ARTIFACT;

	/* Right to left the first column is the rightmost. */
	for (size_t k = 0; k < tb->ncols; k++) {
		size_t c = t->rtl ? tb->ncols - 1 - k : k;
		const struct lb_para *p = &row->cells[c];

		t->se = tr;
		if (role && !(c == 0 && span < 0)) {
			struct pl_se *e;

			t->se = se_new(t, role, tr);
			e = se_at(t, t->se);
			if (e && role[1] == 'H')
				e->scope = "Column";
			if (e && c == 0 && span > 1)
				e->rowspan = span;
		}
		for (size_t li = 0; li < p->nlines; li++)
			emit_line(t, p, li, cx + TB_PADX,
				  t->y + TB_PADY + (double)li * lead + off,
				  size, ink, tag);
		cx += w[c];
	}
	t->se = saved;
	t->y += row->h;
}

/* A table laid out before placing: widths, the cell size, every cell
 * broken into lines, the caption and the source line's height. */
struct table_plan {
	double *w, size, hsize, cap_h, note_h;
	struct table_row head, *rows;
	struct lb_para cap;
	struct doc_run *hruns, cr; /* runs the header and caption point into */
};

static void table_plan_free(const struct doc_table *tb, struct table_plan *p)
{
	lb_para_free(&p->cap);
	table_rows_free(p->rows, tb->nrows, tb->ncols);
	if (p->head.cells)
		for (size_t c = 0; c < tb->ncols; c++)
			lb_para_free(&p->head.cells[c]);
	free(p->head.cells);
	free(p->hruns);
	free(p->w);
}

/* One row's cells broken at their widths; its height. */
static int table_break_row(struct ts *t, const struct doc_table *tb,
			   const struct doc_runs *cells, const double *w,
			   double size, unsigned style, struct table_row *row)
{
	row->cells = calloc(tb->ncols, sizeof *row->cells);
	if (!row->cells) {
		t->oom = 1;
		return -1;
	}
	for (size_t c = 0; c < tb->ncols; c++) {
		double h;

		if (table_break(t, cells[c].v, cells[c].n, w[c] - 2 * TB_PADX,
				size, style, tb->align ? tb->align[c] : 'l',
				&row->cells[c]))
			return -1;
		h = (double)row->cells[c].nlines * size * 1.3 + 2 * TB_PADY;
		if (c == 0)
			row->h0 = h;
		else
			row->h = fmax(row->h, h);
	}
	if (tb->ncols == 1)
		row->h = row->h0;
	return 0;
}

/* In a grouped table the quantity cell spans its group's rows, so the
 * claims sit under each other rather than under its lines; a group taller
 * than a page, which must break, keeps one row per line of cells. */
static void table_span_groups(const struct doc_table *tb,
			      struct table_row *rows, double page)
{
	for (size_t g = 0; g < tb->nrows;) {
		size_t e = g + 1;
		double sum = rows[g].h;

		while (tb->cont && e < tb->nrows && tb->cont[e])
			sum += rows[e++].h;
		if (e - g > 1 && fmax(sum, rows[g].h0) <= page) {
			if (rows[g].h0 > sum)
				rows[e - 1].h += rows[g].h0 - sum;
			rows[g].span = fmax(sum, rows[g].h0);
		} else {
			for (size_t r = g; r < e; r++)
				rows[r].h = fmax(rows[r].h, rows[r].h0);
		}
		g = e;
	}
}

static int table_plan(struct ts *t, const struct doc_block *b, double width,
		      struct table_plan *p)
{
	const struct doc_table *tb = b->table;
	struct doc_runs *hcells = NULL;
	int rc = -1;

	p->hruns = calloc(tb->ncols, sizeof *p->hruns);
	hcells = calloc(tb->ncols, sizeof *hcells);
	p->w = calloc(tb->ncols, sizeof *p->w);
	p->rows = calloc(tb->nrows ? tb->nrows : 1, sizeof *p->rows);
	if (!p->hruns || !hcells || !p->w || !p->rows) {
		t->oom = 1;
		goto out;
	}
	p->size = table_layout_widths(t, tb, width, p->w);
	if (p->size < 0) {
		if (!t->oom)
			t->st = diag_set(t->err, BRIEF_EDATA, t->d->layout_path,
					 b->line, 1,
					 "table: its %zu columns do not fit the "
					 "page's %.0f pt even at %.0f pt with "
					 "words broken (numbers are never "
					 "broken); show fewer columns",
					 tb->ncols, width, TB_MIN_SIZE);
		goto out;
	}
	p->hsize = p->size * TB_HEAD / TB_CELL;
	for (size_t c = 0; c < tb->ncols; c++) {
		p->hruns[c].text = tb->header[c];
		hcells[c].v = &p->hruns[c];
		hcells[c].n = 1;
	}
	if (table_break_row(t, tb, hcells, p->w, p->hsize, RUN_BOLD, &p->head))
		goto out;
	p->head.h = fmax(p->head.h, p->head.h0);
	for (size_t r = 0; r < tb->nrows; r++)
		if (table_break_row(t, tb, &tb->cells[r * tb->ncols], p->w,
				    p->size, 0, &p->rows[r]))
			goto out;
	table_span_groups(tb, p->rows, t->bottom - t->top - p->head.h);
	if (tb->caption) {
		struct lb_opts o = {.width = width, .size = BODY_SIZE,
				    .style = RUN_BOLD, .align = LB_LEFT,
				    .rtl = t->rtl, .lang = t->lang};

		p->cr.text = tb->caption;
		if (linebreak(t->fs, &p->cr, 1, &o, &p->cap, NULL) != BRIEF_OK) {
			t->oom = 1;
			goto out;
		}
		p->cap_h = (double)p->cap.nlines * BODY_SIZE * 1.3 + 3;
	}
	p->note_h = tb->note.n ? 4 + (double)count_lines(t, tb->note.v,
							 tb->note.n, width, 8,
							 0) * 8 * 1.35
			       : 0;
	rc = 0;
out:
	free(hcells);
	return rc;
}

/* repeat: the header again on a new page, an artifact there. */
static void table_head(struct ts *t, const struct doc_table *tb,
		       const struct table_plan *p, double x, double width,
		       bool repeat)
{
	rect(t, x, t->y, width, p->head.h, t->col.head_fill);
	table_draw_row(t, tb, &p->head, p->w, x, p->hsize, t->col.head_text,
		       "th", repeat ? NULL : "TH", 0);
}

/* The end of the rows that start on one page with row r: r's group (the
 * rows marked cont after it) and, when only one row would be left after
 * them, that row too, so no row stands alone on the last page. */
static size_t table_unit_end(const struct doc_table *tb, size_t r,
			     bool widow)
{
	size_t e = r + 1;

	if (tb->cont)
		while (e < tb->nrows && tb->cont[e])
			e++;
	if (widow && e + 1 == tb->nrows)
		e++;
	return e;
}

/* Height of rows [from, to), with the source line when they end the
 * table (the last row keeps it company). */
static double table_rows_height(const struct doc_table *tb,
				const struct table_plan *p, size_t from,
				size_t to)
{
	double h = to == tb->nrows ? p->note_h : 0;

	for (size_t r = from; r < to; r++)
		h += p->rows[r].h;
	return h;
}

/* What row r needs below the cursor to be placed here: its whole unit
 * when r starts one that fits on a page, else the row itself. */
static double table_row_need(const struct ts *t, const struct doc_table *tb,
			     const struct table_plan *p, size_t r,
			     size_t *unit_end)
{
	if (r >= *unit_end) {
		double room = t->bottom - t->top - p->head.h;

		for (int widow = 1; widow >= 0; widow--) {
			double h;

			*unit_end = table_unit_end(tb, r, widow);
			h = table_rows_height(tb, p, r, *unit_end);
			if (h <= room)
				return h;
		}
		*unit_end = r + 1;
	}
	return table_rows_height(tb, p, r, r + 1);
}

static int layout_table(struct ts *t, const struct doc_block *b, double x,
			double width)
{
	const struct doc_table *tb = b->table;
	struct table_plan p;
	size_t unit_end = 0, here = 0, stripe = 0, spanned_to = 0;
	double span_bottom = 0;
	int rc = -1, saved = t->se;

	if (!tb || tb->ncols == 0)
		return 0;
	memset(&p, 0, sizeof p);
	if (table_plan(t, b, width, &p))
		goto out;
	vspace(t, 4);
	/* Caption, header and the first rows (at least two) start together. */
	if (tb->nrows) {
		size_t e = table_unit_end(tb, 0, true);

		if (e < 2 && e < tb->nrows)
			e = table_unit_end(tb, e, true);
		need(t, fmin(p.cap_h + p.head.h +
				     table_rows_height(tb, &p, 0, e),
			     t->bottom - t->top));
	} else {
		need(t, p.cap_h + p.head.h);
	}
	se_begin(t, "Table");
	if (tb->caption) {
		int table = se_begin(t, "Caption");

		place_lines(t, &p.cap, x, BODY_SIZE, BODY_SIZE * 1.3, INK,
			    "caption", true);
		t->se = table;
		t->y += 3;
	}
	table_head(t, tb, &p, x, width, false);
	for (size_t r = 0; r < tb->nrows; r++) {
		double h = table_row_need(t, tb, &p, r, &unit_end);
		int span = r < spanned_to ? -1 : 0;

		/* Grouped rows share a stripe: the group reads as one. */
		if (!tb->cont || !tb->cont[r])
			stripe++;

		if (t->y + h > t->bottom + EPS && here > 0) {
			new_page(t);
			table_head(t, tb, &p, x, width, true);
			here = 0;
			span_bottom = 0;
		}
		/* A spanning group's stripe is drawn once, under all its
		 * rows, before the first cell's lines run down over them. */
		if (stripe % 2 == 0 && t->y + EPS >= span_bottom)
			rect(t, x, t->y, width,
			     p.rows[r].span > 0 ? p.rows[r].span : p.rows[r].h,
			     ZEBRA);
		if (p.rows[r].span > 0) {
			span_bottom = t->y + p.rows[r].span;
			spanned_to = table_unit_end(tb, r, false);
			span = (int)(spanned_to - r);
		}
		table_draw_row(t, tb, &p.rows[r], p.w, x, p.size, INK, "td",
			       "TD", span);
		if (r + 1 == tb->nrows || !tb->cont || !tb->cont[r + 1])
			rule(t, x, t->y, width, 0, 0.4, RULE_LIGHT);
		here++;
	}
	rule(t, x, t->y, width, 0, 0.8, t->col.accent);
	t->y += 4;
	t->se = saved;
	if (tb->note.n) {
		se_begin(t, "P");
		if (place_text(t, tb->note.v, tb->note.n, x, width, 8, 0,
			       LB_LEFT, 8 * 1.35, MUTED, "note", true))
			goto out;
	}
	t->y += PARA_GAP + 4;
	rc = 0;
out:
	t->se = saved;
	table_plan_free(tb, &p);
	return rc;
}

/* ---- charts ---- */

#define CHART_MAX_WIDTH 640.0 /* A4 and letter are narrower: unchanged */

/* The chart's own height at the width, at most a page. */
static double chart_natural(struct ts *t, const struct doc_block *b,
			    double width)
{
	double h = chart_height_for(b->chart, t->fs, width);

	return fmin(h, t->bottom - t->top);
}

static void place_chart(struct ts *t, const struct doc_block *b, double x,
			double width, double h)
{
	struct pl_op *op = push_box(t, PL_CHART, x, t->y, width, h);

	if (op) {
		op->chart = b->chart;
		op->rows_to = SIZE_MAX;
		t->last_chart = t->pl->nops;
	}
	t->y += h + 12;
}

/* Make room for need below the cursor by shrinking the last chart placed
 * on this page towards its least height, moving what follows it up:
 * two charts that would not fit a page at full height then share it,
 * rather than the second leaving the page part empty. */
static bool reclaim_room(struct ts *t, double need)
{
	struct pl_op *op;
	double room = t->bottom - t->y, spare, delta;

	if (!t->last_chart || need <= room + EPS)
		return need <= room + EPS;
	op = &t->pl->ops[t->last_chart - 1];
	if (op->page != t->page)
		return false;
	spare = op->h - chart_min_height(op->chart, t->fs, op->w);
	if (room + spare + EPS < need)
		return false;
	delta = need - room;
	op->h -= delta;
	for (size_t i = t->last_chart; i < t->pl->nops; i++)
		if (t->pl->ops[i].page == t->page)
			t->pl->ops[i].y -= delta;
	t->y -= delta;
	return true;
}

/* The fewest rows a part of a split chart may have: fewer would read as
 * a stray, not as a list. */
#define PART_MIN_ROWS 3

/* The end of the part from row `from` that fits in room: the most rows
 * whose part is no taller (binary search: heights grow with rows), then
 * pulled back so that no part after it is left with fewer than
 * PART_MIN_ROWS. `from` itself when not even PART_MIN_ROWS fit. */
static size_t part_end(struct ts *t, struct chart *c, double width,
		       size_t from, size_t n, double room)
{
	size_t lo = from, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;

		if (chart_part_height(c, t->fs, width, from, mid) <= room + EPS)
			lo = mid;
		else
			hi = mid - 1;
	}
	if (lo < n && n - lo < PART_MIN_ROWS)
		lo = n - PART_MIN_ROWS;
	if (lo < from + PART_MIN_ROWS && lo < n)
		return from;
	return lo;
}

/* A chart of rows (a timeline) taller than the room left: as many rows as
 * fit here, the rest on the next pages, each part with its frame. */
static void place_chart_parts(struct ts *t, const struct doc_block *b,
			      double x, double width)
{
	size_t n = chart_rows(b->chart), from = 0;

	while (from < n && !t->oom) {
		size_t to = part_end(t, b->chart, width, from, n,
				     t->bottom - t->y);
		struct pl_op *op;
		double h;

		if (to == from) {
			if (!at_top(t)) {
				new_page(t);
				continue;
			}
			to = from + 1; /* one row taller than a page */
		}
		h = chart_part_height(b->chart, t->fs, width, from, to);
		op = push_box(t, PL_CHART, x, t->y, width, h);
		if (op) {
			op->chart = b->chart;
			op->rows_from = from;
			op->rows_to = to;
		}
		t->y += h + 12;
		from = to;
		if (from < n)
			new_page(t);
	}
}

/* Whether text follows that could move up past a floating chart. */
static bool text_follows(const struct doc_block *next)
{
	return next && (next->kind == BLK_PARAGRAPH ||
			next->kind == BLK_LIST || next->kind == BLK_QUOTE);
}

/* A float still waiting goes out before anything that must keep its
 * place after it (a heading, a table, another chart, the end). */
static void flush_float(struct ts *t)
{
	if (!t->pending)
		return;
	if (at_top(t)) {
		const struct doc_block *b = t->pending;
		int saved = t->se;

		t->pending = NULL;
		t->se = t->pend_se;
		place_chart(t, b, t->pend_x, t->pend_w,
			    chart_natural(t, b, t->pend_w));
		t->se = saved;
		return;
	}
	new_page(t);
}

/* Where a chart does not fit, it shrinks to the room left when it can
 * (down to chart_min_height: 75 % of its height, never crowding its
 * labels); else it floats to the top of the next page and the text after
 * it (next) moves up to fill this one. A chart of rows (a timeline)
 * splits instead where no text would move up, and wherever it is taller
 * than a page. */
static void layout_chart(struct ts *t, const struct doc_block *b,
			 const struct doc_block *next, double x, double width)
{
	double h, room, full;
	int saved;
	struct pl_se *e;

	if (!b->chart)
		return;
	/* On a wide page a chart keeps a readable shape, not a page each. */
	width = fmin(width, CHART_MAX_WIDTH);
	flush_float(t);
	/* A Figure, in the document's order even when it floats; its /Alt
	 * is the spec's description or the generated one. */
	saved = se_begin(t, "Figure");
	e = se_at(t, t->se);
	if (e)
		e->alt = *chart_alt_text(b->chart)
				 ? chart_alt_text(b->chart)
				 : msg(t, L10N_CHART_ALT, "Chart {id}",
				       chart_id(b->chart), NULL);
	h = chart_natural(t, b, width);
	full = chart_height_for(b->chart, t->fs, width);
	vspace(t, 6);
	room = t->bottom - t->y;
	if (chart_rows(b->chart) >= 2 * PART_MIN_ROWS &&
	    (full > t->bottom - t->top + EPS ||
	     (full > room + EPS && !text_follows(next) &&
	      chart_min_height(b->chart, t->fs, width) > room + EPS))) {
		place_chart_parts(t, b, x, width);
	} else if (h <= room + EPS || at_top(t)) {
		place_chart(t, b, x, width, h);
	} else if (chart_min_height(b->chart, t->fs, width) <= room + EPS) {
		place_chart(t, b, x, width, room);
	} else if (!text_follows(next) &&
		   reclaim_room(t, chart_min_height(b->chart, t->fs, width))) {
		place_chart(t, b, x, width, t->bottom - t->y);
	} else {
		t->pending = b;
		t->pend_x = x;
		t->pend_w = width;
		t->pend_se = t->se;
	}
	t->se = saved;
}

static int layout_blocks(struct ts *t, const struct doc_block *v, size_t n,
			 double x, double width, int depth)
{
	for (size_t i = 0; i < n && !t->oom; i++) {
		const struct doc_block *b = &v[i];
		const struct doc_block *next = i + 1 < n ? &v[i + 1] : NULL;
		int saved;

		t->at.file = t->d->layout_path;
		t->at.line = b->line;
		t->at.col = b->col;
		switch (b->kind) {
		case BLK_HEADING:
			if (depth == 0) /* sections nest as the bookmarks */
				se_section(t, level_index(b->level) + 1);
			if (layout_heading(t, b, next, n - i - 1, x, width))
				return -1;
			break;
		case BLK_PARAGRAPH:
			saved = se_begin(t, "P");
			if (place_text(t, b->runs.v, b->runs.n, x, width,
				       BODY_SIZE, 0, LB_JUSTIFY,
				       BODY_SIZE * LEADING, t->ink, "para",
				       false))
				return -1;
			t->se = saved;
			t->y += t->para_gap;
			break;
		case BLK_LIST:
			if (layout_list(t, b, x, width, depth))
				return -1;
			break;
		case BLK_ITEM:
			if (layout_blocks(t, b->children, b->nchildren, x,
					  width, depth))
				return -1;
			break;
		case BLK_QUOTE:
			if (layout_quote(t, b, x, width, depth))
				return -1;
			break;
		case BLK_CHART:
			layout_chart(t, b, next, x, width);
			break;
		case BLK_KEYFIGURES:
			flush_float(t);
			if (layout_keyfigures(t, b, x, width))
				return -1;
			break;
		case BLK_TABLE:
			flush_float(t);
			if (layout_table(t, b, x, width))
				return -1;
			break;
		case BLK_PAGEBREAK:
			flush_float(t);
			if (!at_top(t))
				new_page(t);
			break;
		}
	}
	return t->oom || t->st ? -1 : 0;
}

/* ---- title block, bibliography, header and footer ---- */

/* locale/en.yaml's text.disclaimer, for a document without a catalogue. */
#define DEFAULT_DISCLAIMER                                                   \
	"Figures are given as the cited sources report them and have not "   \
	"been verified independently. Where sources disagree, each claim is " \
	"shown with who makes it. Names and boundaries do not imply "         \
	"endorsement."

/* "19 September 2023" from an ISO date, else the text as given. */
static const char *long_date(struct ts *t, const char *iso)
{
	struct date dt;
	char buf[64];

	if (!iso || !*iso)
		return "";
	if (date_parse(iso, strlen(iso), &dt))
		return pool(t, "%s", date_format_long(&dt, buf, sizeof buf));
	return pool(t, "%s", iso);
}

static const char *as_of_text(struct ts *t)
{
	const struct doc_meta *m = &t->d->meta;
	char buf[64];

	if (m->as_of_date.year > 0)
		return pool(t, "%s",
			    date_format_long(&m->as_of_date, buf, sizeof buf));
	return m->as_of ? m->as_of : "";
}

static void add_run(struct doc_run *v, size_t *n, const char *text,
		    unsigned style, const struct text_origin *at)
{
	v[*n] = (struct doc_run){.text = (char *)text, .style = style};
	if (at)
		v[*n].at = *at;
	(*n)++;
}

/* ---- the edition and the logo (brand.h) ---- */

#define LOGO_TITLE_H 40.0  /* the logo's height in the title block */
#define LOGO_HEADER_H 12.0 /* and in the running header */

/* "Situation report No. 12", the series alone, or "" (pooled). A number
 * without a series is one of the catalogue's default series. */
static const char *edition_text(struct ts *t)
{
	const struct doc_brand *b = t->d->brand;
	const char *series;
	char num[32];

	if (!b || (!b->series && !b->number))
		return "";
	series = b->series ? b->series
			   : msg(t, L10N_SERIES, "Situation report", NULL,
				 NULL);
	if (!b->number)
		return pool(t, "%s", series);
	snprintf(num, sizeof num, "%ld", b->number);
	if (t->d->l10n)
		l10n_integer(t->d->l10n, b->number, num, sizeof num);
	return msg(t, L10N_EDITION, "{series} No. {number}", series, num);
}

/* "This report covers the period 3–9 March 2025. The next report will be
 * issued on or around 16 March 2025." (pooled; "" with neither). */
static const char *edition_statement(struct ts *t)
{
	const struct doc_brand *b = t->d->brand;
	char per[160] = "", next[64] = "", out[320] = "";

	if (!b)
		return "";
	if (b->period_from.year) {
		brand_period_words(&b->period_from, &b->period_to, per,
				   sizeof per);
		snprintf(out, sizeof out, "%s",
			 msg(t, L10N_PERIOD,
			     "This report covers the period {period}.", per,
			     NULL));
	}
	if (b->next_report.year) {
		date_format_long(&b->next_report, next, sizeof next);
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s",
			 out[0] ? " " : "",
			 msg(t, L10N_NEXT_REPORT,
			     "The next report will be issued on or around "
			     "{date}.",
			     next, NULL));
	}
	return out[0] ? pool(t, "%s", out) : "";
}

/* The logo's width at height h, at most maxw (then shorter). */
static void logo_size(const struct brand_image *im, double h, double maxw,
		      double *w, double *hh)
{
	*hh = h;
	*w = h * (double)im->w / (double)im->h;
	if (*w > maxw) {
		*w = maxw;
		*hh = maxw * (double)im->h / (double)im->w;
	}
}

static void image_op(struct ts *t, const struct brand_image *im, double x,
		     double y, double w, double h)
{
	struct pl_op *op = push(t, PL_IMAGE);

	if (!op)
		return;
	op->se = PL_SE_ARTIFACT; /* the organisation is named in the text */
	op->x = x;
	op->y = y;
	op->w = w;
	op->h = h;
	op->image = im;
	op->at = t->d->brand->at_logo;
}

/* The title block: the logo at the top right, the title and subtitle
 * beside it, the edition ("Situation report No. 12"), who and when, what
 * period it covers and when the next is due, a rule, the disclaimer. */
static int layout_title(struct ts *t)
{
	const struct doc_meta *m = &t->d->meta;
	const struct doc_brand *br = t->d->brand;
	struct doc_run r[8];
	size_t n = 0;
	const char *asof = as_of_text(t);
	const char *edition = edition_text(t);
	const char *statement = edition_statement(t);
	double y0 = t->y, tw = t->width, lw = 0, lh = 0, tx = t->left;
	int doc = t->se; /* each part below is its own element */

	if (br && br->logo) {
		logo_size(br->logo, LOGO_TITLE_H, t->width * 0.35, &lw, &lh);
		/* At the top right, or left when the page mirrors. */
		image_op(t, br->logo, t->rtl ? t->left : t->left + t->width - lw,
			 y0, lw, lh);
		tw = t->width - lw - 14;
		if (t->rtl)
			tx = t->left + lw + 14;
	}
	if (m->title && *m->title) {
		add_run(r, &n, m->title, 0, &m->at.title);
		se_begin(t, "Title");
		if (place_text(t, r, n, tx, tw, 22, RUN_BOLD, LB_LEFT,
			       22 * 1.2, t->col.accent_text, "title", true))
			return -1;
	}
	if (m->subtitle && *m->subtitle) {
		n = 0;
		add_run(r, &n, m->subtitle, 0, &m->at.subtitle);
		t->se = doc;
		se_begin(t, "P");
		t->y += 2;
		if (place_text(t, r, n, tx, tw, 12.5, 0, LB_LEFT,
			       12.5 * 1.3, MUTED, "subtitle", true))
			return -1;
	}
	if (*edition) {
		n = 0;
		add_run(r, &n, edition, 0, &br->at_number);
		t->se = doc;
		se_begin(t, "P");
		t->y += 3;
		if (place_text(t, r, n, tx, tw, 11, RUN_BOLD, LB_LEFT,
			       11 * 1.3, INK, "edition", true))
			return -1;
	}
	if (lh && t->y < y0 + lh)
		t->y = y0 + lh;
	t->y += 6;
	t->se = doc;
	se_begin(t, "P");
	n = 0;
	if (m->organisation && *m->organisation)
		add_run(r, &n, pool(t, "%s", m->organisation), RUN_BOLD,
			&m->at.organisation);
	if (m->author && *m->author)
		add_run(r, &n, pool(t, "%s%s", n ? " \xC2\xB7 " : "", m->author),
			0, &m->at.author);
	if (*asof)
		add_run(r, &n, pool(t, "%s%s", n ? " \xC2\xB7 " : "",
				    msg(t, L10N_DATA_AS_OF, "Data as of {date}",
					asof, NULL)),
			0, &m->at.as_of);
	if (n && place_text(t, r, n, t->left, t->width, 9, 0, LB_LEFT,
			    9 * 1.4, MUTED, "meta", true))
		return -1;
	if (*statement) {
		n = 0;
		add_run(r, &n, statement, 0,
			br->period_from.year ? &br->at_period : &br->at_next);
		t->se = doc;
		se_begin(t, "P");
		t->y += 2;
		if (place_text(t, r, n, t->left, t->width, 8.5, RUN_ITALIC,
			       LB_LEFT, 8.5 * 1.35, MUTED, "edition-period",
			       true))
			return -1;
	}
	t->se = doc;
	t->y += 6;
	rule(t, t->left, t->y, t->width, 0, 2, t->col.accent);
	t->y += 10;
	if (m->disclaimer && *m->disclaimer) {
		/* `disclaimer: default` is the catalogue's own wording. */
		const char *text = strcmp(m->disclaimer, "default")
					   ? m->disclaimer
					   : msg(t, L10N_DISCLAIMER,
						 DEFAULT_DISCLAIMER, NULL, NULL);

		n = 0;
		add_run(r, &n, text, 0, &m->at.disclaimer);
		t->se = doc;
		se_begin(t, "P");
		if (place_text(t, r, n, t->left, t->width, 7.5, RUN_ITALIC,
			       LB_JUSTIFY, 7.5 * 1.35, MUTED, "disclaimer",
			       false))
			return -1;
		t->y += 10;
	}
	t->se = doc;
	return 0;
}

/* One contact's runs: "Name, Role, email, phone", the email a mailto
 * link. */
static size_t contact_runs(struct ts *t, const struct brand_contact *c,
			   struct doc_run *r)
{
	size_t n = 0;
	const char *comma = msg(t, L10N_COMMA, ", ", NULL, NULL);

	add_run(r, &n, c->name, RUN_BOLD, &c->at);
	if (*c->role)
		add_run(r, &n, pool(t, "%s%s", comma, c->role), 0, &c->at);
	if (*c->email) {
		add_run(r, &n, comma, 0, NULL);
		r[n] = (struct doc_run){.text = c->email, .link = LINK_URI,
					.uri = (char *)pool(t, "mailto:%s",
							    c->email),
					.at = c->at};
		n++;
	}
	if (*c->phone)
		add_run(r, &n, pool(t, "%s%s", comma, c->phone), 0, &c->at);
	return n;
}

#define CONTACT_SIZE 9.0
#define CONTACT_PAD 8.0

/* "For further information, please contact:" and each contact, in a
 * light box kept on one page, after the body. */
static int layout_contacts(struct ts *t)
{
	const struct doc_brand *b = t->d->brand;
	struct doc_run head = {
		.text = (char *)msg(t, L10N_CONTACTS,
				    "For further information, please contact:",
				    NULL, NULL)};
	double lead = CONTACT_SIZE * 1.4, iw = t->width - 2 * CONTACT_PAD;
	double h = 2 * CONTACT_PAD, y0;

	if (!b || !b->ncontacts)
		return 0;
	/* After the last section, in the document itself. */
	t->se = t->sect[0];
	t->at = (struct text_origin){0};
	h += (double)count_lines(t, &head, 1, iw, CONTACT_SIZE, RUN_BOLD) *
	     lead + 2;
	for (size_t i = 0; i < b->ncontacts; i++) {
		struct doc_run r[6];
		size_t n = contact_runs(t, &b->contacts[i], r);

		h += (double)count_lines(t, r, n, iw, CONTACT_SIZE, 0) * lead;
	}
	vspace(t, 14);
	need(t, h);
	y0 = t->y;
	rect(t, t->left, y0, t->width, h, FILL_LIGHT);
	rect(t, t->left, y0, 3, h, t->col.accent);
	t->y = y0 + CONTACT_PAD;
	se_begin(t, "P");
	if (place_text(t, &head, 1, t->left + CONTACT_PAD, iw, CONTACT_SIZE,
		       RUN_BOLD, LB_LEFT, lead, INK, "contacts", true))
		return -1;
	t->y += 2;
	for (size_t i = 0; i < b->ncontacts; i++) {
		struct doc_run r[6];
		size_t n = contact_runs(t, &b->contacts[i], r);

		t->se = t->sect[0];
		se_begin(t, "P");
		if (place_text(t, r, n, t->left + CONTACT_PAD, iw,
			       CONTACT_SIZE, 0, LB_LEFT, lead, INK, "contact",
			       true))
			return -1;
	}
	t->se = t->sect[0];
	t->y = y0 + h + 6;
	return 0;
}

/* A sources.csv field worth printing ("unknown" and "" are not). */
static bool known(const char *s)
{
	return s && *s && strcmp(s, "unknown") != 0;
}

static const char *language_name(const char *code)
{
	static const char *const names[][2] = {
		{"fr", "French"},  {"ru", "Russian"},    {"hy", "Armenian"},
		{"az", "Azerbaijani"}, {"de", "German"}, {"tr", "Turkish"},
		{"es", "Spanish"}, {"fa", "Persian"}};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(code, names[i][0]) == 0)
			return names[i][1];
	return code;
}

/* What an untitled source of this kind is called in the bibliography. */
static const char *untitled_kind(const char *kind)
{
	if (strcmp(kind, "news") == 0)
		return "news report";
	if (strcmp(kind, "ngo") == 0)
		return "NGO report";
	if (strcmp(kind, "un") == 0)
		return "UN document";
	return kind;
}

/* The catalogue's stop after a part of an entry (". "); one stop when
 * text ends with its own ("5 марта 2024 г."). Pooled. */
static const char *stopped(struct ts *t, const char *text)
{
	const char *stop = msg(t, L10N_STOP, ". ", NULL, NULL);
	size_t n = strlen(text);

	if (n && text[n - 1] == '.' && stop[0] == '.')
		stop++;
	return pool(t, "%s%s", text, stop);
}

/* One entry: Author. Title. Publisher, date. In French. URL Accessed date.
 * Unknown fields are left out; an unknown title says what kind of source
 * it is instead. */
static size_t bib_runs(struct ts *t, const struct source *s,
		       struct doc_run *r)
{
	size_t n = 0;
	bool author = known(s->author) && strcmp(s->author, s->publisher);
	const char *date = known(s->published) ? long_date(t, s->published)
					       : "";
	/* Everything but the punctuation comes from this row of sources.csv. */
	struct text_origin at = {t->d->sources.path, s->line, 0};

	if (author)
		add_run(r, &n,
			pool(t, "%s%s", s->author,
			     msg(t, L10N_STOP, ". ", NULL, NULL)),
			0, &at);
	if (known(s->title))
		add_run(r, &n, s->title, RUN_ITALIC, &at);
	else if (!known(s->kind) || strcmp(s->kind, "other") == 0)
		add_run(r, &n, msg(t, L10N_UNTITLED, "Untitled", NULL, NULL),
			0, NULL);
	else if (t->d->l10n)
		add_run(r, &n,
			l10n_word(t->d->l10n, "bib.untitled_kind", s->kind), 0,
			&at);
	else
		add_run(r, &n,
			pool(t, "Untitled %s", untitled_kind(s->kind)),
			0, &at);
	add_run(r, &n, msg(t, L10N_STOP, ". ", NULL, NULL), 0, NULL);
	/* The publisher a run of its own: in another script than the
	 * document's it is a bidi isolate (linebreak.h). */
	if (known(s->publisher))
		add_run(r, &n, s->publisher, 0, &at);
	if (known(s->publisher) || *date)
		add_run(r, &n,
			pool(t, "%s%s",
			     known(s->publisher) && *date
				     ? msg(t, L10N_COMMA, ", ", NULL, NULL)
				     : "",
			     stopped(t, date)),
			0, &at);
	if (known(s->language) && strcmp(s->language, "en"))
		add_run(r, &n,
			pool(t, "%s ",
			     msg(t, L10N_IN_LANGUAGE, "In {language}.",
				 t->d->l10n ? l10n_word(t->d->l10n, "language",
							s->language)
					    : language_name(s->language),
				 NULL)),
			0, &at);
	if (known(s->url)) {
		/* A live link only where doc_uri_allowed says so. */
		r[n] = (struct doc_run){.text = s->url, .at = at};
		if (doc_uri_allowed(s->url)) {
			r[n].link = LINK_URI;
			r[n].uri = s->url;
		}
		n++;
		add_run(r, &n, " ", 0, NULL);
	}
	if (known(s->accessed))
		add_run(r, &n,
			msg(t, L10N_ACCESSED, "Accessed {date}.",
			    long_date(t, s->accessed), NULL),
			0, &at);
	return n;
}

static int layout_bib(struct ts *t)
{
	const struct doc *d = t->d;
	struct doc_runs hr;
	struct doc_run h = {.text = (char *)msg(t, L10N_SOURCES, "Sources",
						   NULL, NULL)};
	struct doc_block head = {.kind = BLK_HEADING, .level = 1};
	struct doc_run fr[12];
	size_t nfr = 0;
	double lead = BIB_SIZE * 1.35;
	int list;

	if (d->nbib == 0)
		return 0;
	t->at = (struct text_origin){0};
	hr.v = &h;
	hr.n = 1;
	head.runs = hr;
	/* The heading keeps the whole first entry company (entries are
	 * never split). */
	if (d->bib[0].src)
		nfr = bib_runs(t, d->bib[0].src, fr);
	need(t, lead_height(t, &head, 1, t->width) +
			(double)count_lines(t, fr, nfr,
					    t->width - BIB_LABEL, BIB_SIZE,
					    0) *
				lead);
	/* A section of its own: the heading, then a list whose items are
	 * the entries, labelled with their numbers. */
	t->se = t->sect[0];
	se_section(t, 1);
	if (layout_heading(t, &head, NULL, 0, t->left, t->width))
		return -1;
	se_begin(t, "L");
	list = t->se;
	for (size_t i = 0; i < d->nbib; i++) {
		const struct source *s = d->bib[i].src;
		struct doc_run r[12];
		size_t n;
		int item;

		if (!s)
			continue;
		n = bib_runs(t, s, r);
		item = se_new(t, "LI", list);
		t->marker_se = se_new(t, "Lbl", item);
		t->se = se_new(t, "BibEntry", se_new(t, "LBody", item));
		t->marker = pool(t, "[%d]", d->bib[i].number);
		t->marker_right = t->rtl ? t->left + t->width - BIB_LABEL + 6
					 : t->left + BIB_LABEL - 6;
		t->anchor_bib = d->bib[i].number;
		if (place_text(t, r, n, t->rtl ? t->left : t->left + BIB_LABEL,
			       t->width - BIB_LABEL, BIB_SIZE, 0, LB_LEFT, lead,
			       INK, "bib", true))
			return -1;
		t->marker = NULL;
		t->marker_se = 0;
		t->anchor_bib = 0;
		t->se = list;
		t->y += 3;
	}
	return 0;
}

/* s cut to fit w (with an ellipsis), pooled. */
static const char *fit_text(struct ts *t, const char *s, enum font_style st,
			    double size, double w)
{
	size_t len = strlen(s), lo = 0, hi = len;
	double ell = fontset_text_width(t->fs, st, "\xE2\x80\xA6", 3, size);

	if (fontset_text_width(t->fs, st, s, len, size) <= w)
		return s;
	/* The longest prefix (on a UTF-8 boundary) that fits with the
	 * ellipsis, by halving: widths only add up, and trying each shorter
	 * prefix in turn was quadratic in a long title. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		while (mid > lo && ((unsigned char)s[mid] & 0xC0) == 0x80)
			mid--;
		if (mid == lo) {
			mid = lo + 1;
			while (mid < hi && ((unsigned char)s[mid] & 0xC0) == 0x80)
				mid++;
			if (mid == hi)
				break;
		}
		if (fontset_text_width(t->fs, st, s, mid, size) + ell <= w)
			lo = mid;
		else
			hi = mid;
	}
	return pool(t, "%.*s\xE2\x80\xA6", (int)lo, s);
}

/* at: where s came from (NULL: brief's own text). */
static void furniture_text(struct ts *t, const char *s, double x, double y,
			   bool right, const char *tag,
			   const struct text_origin *at)
{
	struct doc_run run = {.text = (char *)s};
	double size = 7.5;
	double w = fontset_text_width(t->fs, FONT_REGULAR, s, strlen(s), size);
	struct pl_glyphs *g = shape_alone(t, s, strlen(s), FONT_REGULAR);
	int saved = t->se;
	struct pl_op *op;

	if (!g)
		return;
	t->se = strcmp(tag, "header") == 0 ? PL_SE_HEADER : PL_SE_FOOTER;
	op = push(t, PL_LINE);
	if (!op) {
		t->se = saved;
		return;
	}
	if (t->rtl) { /* the running header and footer mirror */
		x = 2 * t->left + t->width - x;
		right = !right;
	}
	op->x = right ? x - w : x;
	op->y = y;
	op->w = w;
	op->size = size;
	op->tag = tag;
	op->color = MUTED;
	op->glyphs = g;
	if (at)
		run.at = *at;
	text_op(t, op->x, y, s, strlen(s), FONT_REGULAR, size, w, MUTED,
		false, NULL, at ? &run : NULL);
	t->se = saved;
}

/* The running header's left text: the title, and the edition after a
 * bar ("Title | Situation report No. 12"), cut to fit w. */
static const char *header_title(struct ts *t, double w)
{
	const struct doc_meta *m = &t->d->meta;
	const char *edition = edition_text(t);
	const char *title = m->title ? m->title : "";
	double ew;

	if (!*edition)
		return fit_text(t, title, FONT_REGULAR, 7.5, w);
	edition = pool(t, "  |  %s", edition);
	ew = fontset_text_width(t->fs, FONT_REGULAR, edition, strlen(edition),
				7.5);
	return pool(t, "%s%s", fit_text(t, title, FONT_REGULAR, 7.5,
					fmax(w - ew, w * 0.3)),
		    edition);
}

static void layout_furniture(struct ts *t)
{
	const struct doc_meta *m = &t->d->meta;
	const struct doc_brand *br = t->d->brand;
	const char *asof = as_of_text(t);
	const char *title = header_title(t, t->width * 0.6), *title_logo;
	const char *org = m->organisation ? m->organisation : "";
	int npages = t->pl->npages;
	double lw = 0, lh = 0;

	t->at = (struct text_origin){0};
	if (br && br->logo)
		logo_size(br->logo, LOGO_HEADER_H, t->width * 0.2, &lw, &lh);
	title_logo = lw ? header_title(t, t->width * 0.6 - lw - 8) : title;
	for (int p = 0; p < npages; p++) {
		double hy = t->top - 22, fy = t->bottom + 30, tx = t->left;
		char pg[32], pgs[32];

		t->page = p;
		/* The logo heads every page but the first, which has it
		 * in the title block. */
		if (lw && p > 0) {
			image_op(t, br->logo,
				 t->rtl ? t->left + t->width - lw : t->left,
				 hy + 2 - lh, lw, lh);
			tx += lw + 8;
		}
		furniture_text(t, tx > t->left ? title_logo : title, tx, hy,
			       false, "header", &m->at.title);
		if (*asof)
			furniture_text(t, msg(t, L10N_DATA_AS_OF, "Data as of {date}",
					      asof, NULL),
				       t->left + t->width, hy, true, "header",
				       &m->at.as_of);
		rule(t, t->left, hy + 6, t->width, 0, 0.5, RULE_LIGHT);
		rule(t, t->left, fy - 12, t->width, 0, 0.5, RULE_LIGHT);
		if (*org)
			furniture_text(t, fit_text(t, org, FONT_REGULAR, 7.5,
						   t->width * 0.6),
				       t->left, fy, false, "footer",
				       &m->at.organisation);
		number_format(p + 1, 0, pg, sizeof pg);
		number_format(npages, 0, pgs, sizeof pgs);
		furniture_text(t, msg(t, L10N_PAGE_OF, "Page {page} of {pages}", pg,
				      pgs),
			       t->left + t->width, fy, true, "footer", NULL);
	}
}

/* The page and its colours from the layout's brand (brand.h). */
static void ts_page(struct ts *t, struct pagelist *pl)
{
	const struct doc_brand *b = t->d->brand;
	struct doc_brand a4;
	const char *name;

	if (!b) { /* a doc made without a layout: its paper, else A4 */
		memset(&a4, 0, sizeof a4);
		if (!t->d->meta.paper ||
		    !brand_paper(t->d->meta.paper, &name, &a4.page_w,
				 &a4.page_h, &a4.margin))
			brand_paper("A4", &name, &a4.page_w, &a4.page_h,
				    &a4.margin);
		b = &a4;
	}
	pl->page_w = b->page_w;
	pl->page_h = b->page_h;
	t->left = b->margin;
	t->width = pl->page_w - 2 * b->margin;
	t->top = b->margin;
	t->bottom = pl->page_h - b->margin;
	brand_page_colors(t->d->brand, FILL_LIGHT, INK, &t->col);
}

bool typeset_rtl(const struct doc *d)
{
	return d->meta.language && bidi_language_rtl(d->meta.language);
}

enum brief_status typeset_layout(const struct doc *d, const struct fontset *fs,
				 struct pagelist *pl, struct diag *err)
{
	struct ts t = {0};

	pl->npages = 1;
	t.d = d;
	t.fs = fs;
	t.pl = pl;
	t.lang = d->meta.language;
	t.rtl = typeset_rtl(d);
	if (hyphen_new(NULL, &t.hy, err) != BRIEF_OK)
		return BRIEF_ENOMEM;
	ts_page(&t, pl);
	t.y = t.top;
	t.ink = INK;
	t.para_gap = PARA_GAP;
	t.err = err;
	t.se = t.sect[0] = se_new(&t, "Document", 0);
	if (layout_title(&t) == 0 &&
	    layout_blocks(&t, d->blocks, d->nblocks, t.left, t.width, 0) == 0 &&
	    (flush_float(&t), layout_contacts(&t) == 0) && layout_bib(&t) == 0)
		layout_furniture(&t);
	hyphen_free(t.hy);
	if (t.oom || shape_out_of_memory(fontset_shaper(fs)))
		return diag_set(err, BRIEF_ENOMEM, d->layout_path, 0, 0,
				"out of memory laying out the document");
	if (t.st)
		return t.st;
	return BRIEF_OK;
}

/* ---- entry points ---- */

/* Lay d out and check every character it draws (typeset_check_text). */
static enum brief_status layout_checked(const struct doc *d,
					const struct fontset *fs,
					const struct typeset_opts *opts,
					struct pagelist *pl, struct diag *err)
{
	enum brief_status st;

	l10n_use(d->l10n); /* numbers and dates in the document's language */
	st = typeset_layout(d, fs, pl, err);
	if (st == BRIEF_OK)
		st = typeset_check_text(d, fs, pl, opts ? opts->sink : NULL,
					err);
	if (st == BRIEF_OK)
		st = typeset_check_limits(d, pl, opts && opts->pdfa,
					  opts ? opts->sink : NULL, err);
	return st;
}

enum brief_status typeset_pdf(const struct doc *d, const struct fontset *fs,
			      const struct typeset_opts *opts,
			      unsigned char **buf, size_t *len,
			      struct diag *err)
{
	struct pagelist pl = {0};
	enum brief_status st;

	*buf = NULL;
	*len = 0;
	st = layout_checked(d, fs, opts, &pl, err);
	if (st == BRIEF_OK)
		st = typeset_render_pdf(d, fs, opts, &pl, buf, len, err);
	pagelist_free(&pl);
	return st;
}

static void dump_str(FILE *out, const char *s, size_t len)
{
	fputc('\'', out);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\'' || s[i] == '\\')
			fputc('\\', out);
		fputc(s[i], out);
	}
	fputc('\'', out);
}

static void dump_op(FILE *out, const struct pagelist *pl, size_t i)
{
	const struct pl_op *op = &pl->ops[i];

	switch (op->kind) {
	case PL_LINE:
		fprintf(out, "  line %s x=%.2f y=%.2f w=%.2f size=%g ",
			op->tag ? op->tag : "-", op->x, op->y, op->w,
			op->size);
		fputc('\'', out);
		for (size_t k = i + 1; k < pl->nops && pl->ops[k].kind == PL_TEXT;
		     k++) {
			const struct pl_op *f = &pl->ops[k];

			if (f->word_start)
				fputc(' ', out);
			fwrite(f->s, 1, f->len, out);
			if (f->tag && strcmp(f->tag, "marker") == 0)
				fputc(' ', out);
		}
		fputs("'\n", out);
		break;
	case PL_TEXT:
		break; /* printed with its line */
	case PL_RECT:
		fprintf(out, "  rect x=%.2f y=%.2f w=%.2f h=%.2f\n", op->x,
			op->y, op->w, op->h);
		break;
	case PL_RULE:
		fprintf(out, "  rule x=%.2f y=%.2f w=%.2f h=%.2f\n", op->x,
			op->y, op->w, op->h);
		break;
	case PL_CHART:
		fprintf(out, "  chart x=%.2f y=%.2f w=%.2f h=%.2f %s", op->x,
			op->y, op->w, op->h, chart_id(op->chart));
		if (op->rows_from > 0 || op->rows_to < chart_rows(op->chart))
			fprintf(out, " rows=%zu-%zu", op->rows_from,
				op->rows_to);
		fputc('\n', out);
		break;
	case PL_LINK:
		fprintf(out, "  link x=%.2f y=%.2f w=%.2f h=%.2f ", op->x,
			op->y, op->w, op->h);
		if (op->uri)
			fprintf(out, "uri=%s\n", op->uri);
		else if (op->dest)
			fprintf(out, "dest=%s\n", op->dest);
		else
			fprintf(out, "bib=%d\n", op->bib);
		break;
	case PL_ANCHOR:
		if (op->dest)
			fprintf(out, "  anchor dest=%s y=%.2f\n", op->dest,
				op->y);
		else
			fprintf(out, "  anchor bib=%d y=%.2f\n", op->bib,
				op->y);
		break;
	case PL_OUTLINE:
		fprintf(out, "  outline level=%d y=%.2f ", op->level, op->y);
		dump_str(out, op->s, op->len);
		fputc('\n', out);
		break;
	case PL_IMAGE:
		fprintf(out, "  image x=%.2f y=%.2f w=%.2f h=%.2f %ux%u\n",
			op->x, op->y, op->w, op->h, op->image->w, op->image->h);
		break;
	}
}

enum brief_status typeset_dump(const struct doc *d, const struct fontset *fs,
			       const struct typeset_opts *opts, FILE *out,
			       struct diag *err)
{
	struct pagelist pl = {0};
	enum brief_status st;

	st = layout_checked(d, fs, opts, &pl, err);
	for (int p = 0; st == BRIEF_OK && p < pl.npages; p++) {
		fprintf(out, "page %d of %d %.2fx%.2f\n", p + 1, pl.npages,
			pl.page_w, pl.page_h);
		for (size_t i = 0; i < pl.nops; i++)
			if (pl.ops[i].page == p)
				dump_op(out, &pl, i);
	}
	if (st == BRIEF_OK && ferror(out))
		st = diag_set(err, BRIEF_EIO, NULL, 0, 0,
			      "cannot write the layout dump");
	pagelist_free(&pl);
	return st;
}
