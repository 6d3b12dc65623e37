/* typeset_pdf.c — the PDF back end of the layout: a pagelist drawn with
 * libharu (text, rules, boxes, charts, links, bookmarks, metadata) and
 * saved into memory. */
#include <errno.h>
#include <hpdf.h>
#include <hpdf_pdfa.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canvas_hpdf.h"
#include "pagelist.h"
#include "pdf_fix.h"
#include "pdf_font.h"
#include "pdf_glyphs.h"
#include "pdf_tags.h"

/* zlib level of the page content streams (libharu would use 6). On the
 * Karabakh briefing, level 2 deflates them in a third of the instructions
 * for 4 KB more; levels 4 and up cost far more for little gain. */
enum { PAGE_ZLEVEL = 2 };

/* What libharu's error handler saw first. */
struct hpdf_err {
	HPDF_STATUS code;
	HPDF_STATUS detail;
};

static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
	struct hpdf_err *e = user;

	if (!e->code) {
		e->code = code;
		e->detail = detail;
	}
}

/* libharu records some failures in the document's error state without
 * calling the handler or returning them (its glyph reader, a PDF/A date,
 * TextRect's overflow), and every later call then fails with 0x1025, far
 * from the cause: so the state is read after each step, not at the end. */
static bool hpdf_failed(HPDF_Doc pdf, const struct hpdf_err *he)
{
	return he->code || HPDF_GetError(pdf) != HPDF_OK;
}

/* A libharu failure as a brief status, with the step it happened in (the
 * code its handler saw first). The input was checked before anything is
 * drawn, and the only file libharu reads (the ICC profile) is checked
 * too: see pdf_status. */
static enum brief_status hpdf_fail(struct diag *err, HPDF_Doc pdf,
				   const struct hpdf_err *he, const char *what)
{
	HPDF_STATUS code = he->code ? he->code
			   : pdf    ? HPDF_GetError(pdf)
				    : HPDF_FAILD_TO_ALLOC_MEM;
	HPDF_STATUS detail = he->code ? he->detail
			     : pdf    ? HPDF_GetErrorDetail(pdf)
				      : 0;

	return pdf_status(err, code, detail, what);
}

static HPDF_REAL R(double v)
{
	return (HPDF_REAL)v;
}

static HPDF_STATUS set_date(HPDF_Doc pdf, const struct doc *d,
			    const struct typeset_opts *opts)
{
	HPDF_Date dt = {0};

	if (opts && opts->epoch >= 0) {
		time_t tt = (time_t)opts->epoch;
		struct tm tm;

		if (!gmtime_r(&tt, &tm))
			return HPDF_OK; /* main.c caps the epoch at year 9999 */
		dt.year = tm.tm_year + 1900;
		dt.month = tm.tm_mon + 1;
		dt.day = tm.tm_mday;
		dt.hour = tm.tm_hour;
		dt.minutes = tm.tm_min;
		dt.seconds = tm.tm_sec;
	} else if (d->meta.as_of_date.year > 0) {
		dt.year = d->meta.as_of_date.year;
		dt.month = d->meta.as_of_date.month ? d->meta.as_of_date.month : 1;
		dt.day = d->meta.as_of_date.day ? d->meta.as_of_date.day : 1;
	} else {
		return HPDF_OK; /* no date rather than the wall clock */
	}
	/* 'Z' leaves libharu 2.3.0 in an error state; "+00'00" is UTC too. */
	dt.ind = '+';
	if (HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, dt) != HPDF_OK)
		return HPDF_GetError(pdf);
	return HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, dt);
}

/* s with XML's special characters as entities (malloc'd; NULL on OOM). */
static char *xml_escape(const char *s)
{
	size_t n = 0;
	char *o, *p;

	for (const char *q = s; *q; q++)
		n += strchr("&<>\"'", *q) ? 6 : 1;
	o = malloc(n + 1);
	if (!o)
		return NULL;
	p = o;
	for (; *s; s++) {
		const char *e = *s == '&'    ? "&amp;"
				: *s == '<'  ? "&lt;"
				: *s == '>'  ? "&gt;"
				: *s == '"'  ? "&quot;"
				: *s == '\'' ? "&apos;"
					     : NULL;

		if (e) {
			strcpy(p, e);
			p += strlen(e);
		} else {
			*p++ = *s;
		}
	}
	*p = '\0';
	return o;
}

static HPDF_STATUS info_attr(HPDF_Doc pdf, HPDF_InfoType type,
			     const char *v, bool escape)
{
	HPDF_STATUS rc;
	char *e;

	if (!v || !*v)
		return HPDF_OK;
	if (!escape)
		return HPDF_SetInfoAttr(pdf, type, v);
	e = xml_escape(v);
	if (!e)
		return HPDF_FAILD_TO_ALLOC_MEM;
	rc = HPDF_SetInfoAttr(pdf, type, e);
	free(e);
	return rc;
}

/* Info fields. escape: XML-escaped, for libharu's PDF/A XMP, which copies
 * them unescaped into XML; the plain values are set again afterwards.
 * Returns HPDF_OK or the first failure. */
static HPDF_STATUS set_info(HPDF_Doc pdf, const struct doc *d,
			    const struct typeset_opts *opts, bool escape)
{
	const struct doc_meta *m = &d->meta;
	const char *author = m->author && *m->author ? m->author
						      : m->organisation;
	HPDF_STATUS rc;

	if ((rc = info_attr(pdf, HPDF_INFO_TITLE, m->title, escape)) ||
	    (rc = info_attr(pdf, HPDF_INFO_AUTHOR, author, escape)) ||
	    (rc = info_attr(pdf, HPDF_INFO_SUBJECT, m->subtitle, escape)) ||
	    (rc = info_attr(pdf, HPDF_INFO_KEYWORDS, m->keywords, escape)) ||
	    (rc = info_attr(pdf, HPDF_INFO_CREATOR,
			    opts && opts->version ? opts->version : "brief",
			    escape)))
		return rc;
	return set_date(pdf, d, opts);
}

static HPDF_Destination make_dest(HPDF_Page page, double x, double top)
{
	HPDF_Destination dst = HPDF_Page_CreateDestination(page);

	(void)x;
	if (dst && HPDF_Destination_SetXYZ(dst, 0, R(top), 1) != HPDF_OK)
		return NULL;
	return dst;
}

/* What drawing steps return: 0, -1 when libharu failed, DRAW_NOMEM when
 * an allocation of ours did (CANVAS_HPDF_NOMEM for a chart's text). */
#define DRAW_NOMEM (-2)

/* Whether op puts anything on its page, which then goes in a marked-content
 * sequence (content of its structure element, or an artifact): a line or
 * a list marker only when it has glyphs to draw. */
static bool op_draws(const struct pl_op *op)
{
	if (op->kind == PL_LINE || op->kind == PL_TEXT)
		return op->glyphs != NULL;
	return op->kind == PL_RECT || op->kind == PL_RULE ||
	       op->kind == PL_CHART || op->kind == PL_IMAGE;
}

/* The colour of a shaped line's run, by its span tag (pl_glyphs). */
static struct rgba glyph_run_color(void *ctx, int tag)
{
	const struct pl_op *op = ctx;
	const struct pl_glyphs *g = op->glyphs;

	if (tag >= g->tag0 && (size_t)(tag - g->tag0) < g->ncolors)
		return pdf_flatten(g->colors[tag - g->tag0]);
	return pdf_flatten(op->color);
}

/* The language of a shaped line's run (a <span lang>), or NULL. */
static const char *glyph_run_lang(void *ctx, int tag)
{
	const struct pl_op *op = ctx;
	const struct pl_glyphs *g = op->glyphs;

	if (g->langs && tag >= g->tag0 && (size_t)(tag - g->tag0) < g->ncolors)
		return g->langs[tag - g->tag0];
	return NULL;
}

/* A line of text: its shaped glyphs as positioned glyph runs. */
static int draw_text(const struct pl_op *op, HPDF_Page page, double ph,
		     struct pdf_glyphs *pg)
{
	const struct pl_glyphs *g = op->glyphs;
	struct pdf_glyph_opts o = {.size = op->size,
				   .color = pdf_flatten(op->color),
				   .word_space = g->word_space,
				   .lang = g->lang,
				   .run_color = glyph_run_color,
				   .run_lang = glyph_run_lang,
				   .ctx = (void *)op};

	switch (pdf_glyphs_line(pg, page, op->x, ph - op->y, &o, &g->ln,
				NULL)) {
	case BRIEF_OK:
		return 0;
	case BRIEF_ENOMEM:
		return DRAW_NOMEM;
	default:
		return -1;
	}
}

static int draw_op(const struct pl_op *op, HPDF_Page page, double ph,
		   struct pdf_glyphs *pg)
{
	switch (op->kind) {
	case PL_LINE:
	case PL_TEXT:
		return op->glyphs ? draw_text(op, page, ph, pg) : 0;
	case PL_RECT: { /* written as libharu writes them (pdf_ops) */
		struct rgba c = pdf_flatten(op->color);
		struct pdf_ops o;

		pdf_ops_begin(&o, page);
		pdf_ops_op(&o, "q");
		pdf_ops_num(&o, R(c.r));
		pdf_ops_num(&o, R(c.g));
		pdf_ops_num(&o, R(c.b));
		pdf_ops_op(&o, "rg");
		pdf_ops_num(&o, R(op->x));
		pdf_ops_num(&o, R(ph - op->y - op->h));
		pdf_ops_num(&o, R(op->w));
		pdf_ops_num(&o, R(op->h));
		pdf_ops_op(&o, "re");
		pdf_ops_op(&o, "f");
		pdf_ops_op(&o, "Q");
		return pdf_ops_end(&o);
	}
	case PL_RULE: {
		struct rgba c = pdf_flatten(op->color);
		struct pdf_ops o;

		pdf_ops_begin(&o, page);
		pdf_ops_op(&o, "q");
		pdf_ops_num(&o, R(c.r));
		pdf_ops_num(&o, R(c.g));
		pdf_ops_num(&o, R(c.b));
		pdf_ops_op(&o, "RG");
		pdf_ops_num(&o, R(op->size));
		pdf_ops_op(&o, "w");
		pdf_ops_num(&o, R(op->x));
		pdf_ops_num(&o, R(ph - op->y));
		pdf_ops_op(&o, "m");
		pdf_ops_num(&o, R(op->x + op->w));
		pdf_ops_num(&o, R(ph - op->y - op->h));
		pdf_ops_op(&o, "l");
		pdf_ops_op(&o, "S");
		pdf_ops_op(&o, "Q");
		return pdf_ops_end(&o);
	}
	default:
		return 0;
	}
}

/* The logo (brand.h): decoded and flattened onto white by the layout,
 * embedded once as a raw grey or RGB image (compressed with the pages'
 * images), drawn wherever the pagelist places it. */
static int draw_image(HPDF_Doc pdf, HPDF_Page page, double ph,
		      const struct pl_op *op, const struct brand_image **src,
		      HPDF_Image *img)
{
	if (*src != op->image) {
		*img = HPDF_LoadRawImageFromMem(
			pdf, op->image->pixels, op->image->w, op->image->h,
			op->image->channels == 1 ? HPDF_CS_DEVICE_GRAY
						 : HPDF_CS_DEVICE_RGB,
			8);
		*src = op->image;
	}
	if (!*img)
		return -1;
	return HPDF_Page_DrawImage(page, *img, R(op->x), R(ph - op->y - op->h),
				   R(op->w), R(op->h)) != HPDF_OK;
}

/* Draw each chart of the pagelist once, here, onto recs[k] (the k-th
 * chart), its text shaped, for the drawing pass to replay. */
static enum brief_status record_charts(const struct pagelist *pl,
				       const struct fontset *fs,
				       struct canvas_hpdf_rec *recs,
				       struct diag *err)
{
	size_t k = 0;

	for (size_t i = 0; i < pl->nops; i++) {
		const struct pl_op *op = &pl->ops[i];
		struct canvas_hpdf_rec *r;
		struct canvas cv = {0};
		enum brief_status st;

		if (op->kind != PL_CHART)
			continue;
		r = &recs[k++];
		r->sh = fontset_shaper(fs);
		r->ox = op->x;
		r->oy = pl->page_h - op->y;
		cv.cr = canvas_hpdf_cairo();
		if (!cv.cr)
			goto failed;
		cv.fonts = fs;
		cv.ops = &canvas_hpdf_rec_ops;
		cv.impl = r;
		cv.width = op->w;
		cv.height = op->h;
		st = chart_draw_part(op->chart, &cv, op->rows_from,
				     op->rows_to, err);
		cairo_destroy(cv.cr);
		if (st != BRIEF_OK)
			return st;
		if (r->failed)
			goto failed;
	}
	return BRIEF_OK;
failed:
	return diag_set(err, BRIEF_ENOMEM, NULL, 0, 0,
			"out of memory drawing the charts");
}

/* Bookmarks from the headings: level n hangs under the last level n-1. */
/* draw_outlines and draw_links: 0, -1 when libharu failed, DRAW_NOMEM
 * when an allocation of ours did. */

static int draw_outlines(HPDF_Doc pdf, const struct pagelist *pl,
			 HPDF_Page *pages)
{
	HPDF_Outline parent[4] = {0};
	HPDF_Encoder utf8 = HPDF_GetEncoder(pdf, "UTF-8");

	for (size_t i = 0; i < pl->nops; i++) {
		const struct pl_op *op = &pl->ops[i];
		HPDF_Outline o, up = NULL;
		char *title;
		int lv;

		if (op->kind != PL_OUTLINE)
			continue;
		lv = op->level < 1 ? 1 : op->level > 3 ? 3 : op->level;
		for (int k = lv - 1; k >= 1 && !up; k--)
			up = parent[k];
		title = malloc(op->len + 1);
		if (!title)
			return DRAW_NOMEM;
		memcpy(title, op->s, op->len);
		title[op->len] = '\0';
		o = HPDF_CreateOutline(pdf, up, title, utf8);
		free(title);
		if (!o)
			return -1;
		if (pdf_fix_outline_dest(o, pages[op->page],
					 pl->page_h - op->y) != HPDF_OK)
			return -1;
		if (lv == 1 && HPDF_Outline_SetOpened(o, HPDF_TRUE) != HPDF_OK)
			return -1;
		parent[lv] = o;
		for (int k = lv + 1; k < 4; k++)
			parent[k] = NULL;
	}
	return 0;
}

/* A heading's destination, for links to its anchor. */
struct dest {
	const char *name;
	HPDF_Destination dst;
};

static int dest_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dest *)a)->name,
		      ((const struct dest *)b)->name);
}

/* The anchors links go to, sorted and once each, into dests (room for
 * every link); returns how many. Only these headings get a destination. */
static size_t linked_dests(const struct pagelist *pl, struct dest *dests)
{
	size_t n = 0, k = 0;

	for (size_t i = 0; i < pl->nops; i++)
		if (pl->ops[i].kind == PL_LINK && pl->ops[i].dest)
			dests[n++] = (struct dest){pl->ops[i].dest, NULL};
	if (n)
		qsort(dests, n, sizeof *dests, dest_cmp);
	for (size_t i = 0; i < n; i++)
		if (!k || strcmp(dests[k - 1].name, dests[i].name))
			dests[k++] = dests[i];
	return k;
}

/* A URI as a PDF URI action wants it: 7-bit ASCII, so bytes past it (an
 * IRI's UTF-8), spaces and controls are percent-encoded (malloc'd). */
static char *uri_ascii(const char *uri)
{
	size_t n = 0;
	char *o, *p;

	for (const unsigned char *u = (const unsigned char *)uri; *u; u++)
		n += *u <= 0x20 || *u >= 0x7F ? 3 : 1;
	o = malloc(n + 1);
	if (!o)
		return NULL;
	p = o;
	for (const unsigned char *u = (const unsigned char *)uri; *u; u++) {
		if (*u <= 0x20 || *u >= 0x7F) {
			snprintf(p, 4, "%%%02X", *u);
			p += 3;
		} else {
			*p++ = (char)*u;
		}
	}
	*p = '\0';
	return o;
}

static int draw_links(const struct pagelist *pl, HPDF_Page *pages,
		      const HPDF_Destination *bib_dst, int nbib,
		      const struct dest *dests, size_t ndests,
		      struct pdf_tags *tags)
{
	for (size_t i = 0; i < pl->nops; i++) {
		const struct pl_op *op = &pl->ops[i];
		HPDF_Rect r;
		HPDF_Annotation a;

		if (op->kind != PL_LINK)
			continue;
		r.left = R(op->x);
		r.right = R(op->x + op->w);
		r.top = R(pl->page_h - op->y);
		r.bottom = R(pl->page_h - op->y - op->h);
		if (op->uri) {
			char *ascii = uri_ascii(op->uri);

			if (!ascii)
				return DRAW_NOMEM;
			a = HPDF_Page_CreateURILinkAnnot(pages[op->page], r,
							 ascii);
			free(ascii);
		} else if (op->dest) {
			/* GoTo the heading: pdf.js and others follow these,
			 * not a URI "#anchor". */
			struct dest key = {op->dest, NULL};
			const struct dest *hit =
				ndests ? bsearch(&key, dests, ndests,
						 sizeof *dests, dest_cmp)
				       : NULL;

			if (!hit || !hit->dst)
				return -1; /* the layout checked every anchor */
			a = HPDF_Page_CreateLinkAnnot(pages[op->page], r,
						      hit->dst);
		} else if (op->bib >= 1 && op->bib <= nbib && bib_dst[op->bib])
			a = HPDF_Page_CreateLinkAnnot(pages[op->page], r,
						      bib_dst[op->bib]);
		else
			continue; /* a citation without an entry */
		if (!a || HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0) != HPDF_OK ||
		    pdf_fix_annot_print(a) != HPDF_OK ||
		    pdf_tags_annot(tags, i, a))
			return -1;
	}
	return 0;
}

static enum brief_status save(HPDF_Doc pdf, const struct hpdf_err *he,
			      unsigned char **buf, size_t *len,
			      struct diag *err)
{
	HPDF_UINT32 size, got = 0;
	unsigned char *b;

	if (HPDF_SaveToStream(pdf) != HPDF_OK)
		return hpdf_fail(err, pdf, he, "writing the PDF");
	size = HPDF_GetStreamSize(pdf);
	b = malloc(size ? size : 1);
	if (!b)
		return diag_set(err, BRIEF_ENOMEM, NULL, 0, 0,
				"out of memory reading the PDF back");
	HPDF_ResetStream(pdf);
	while (got < size) {
		HPDF_UINT32 n = size - got;
		HPDF_STATUS rc = HPDF_ReadFromStream(pdf, b + got, &n);

		got += n;
		if (rc == HPDF_STREAM_EOF || n == 0)
			break;
		if (rc != HPDF_OK) {
			free(b);
			return hpdf_fail(err, pdf, he, "reading the PDF back");
		}
	}
	if (got != size) {
		free(b);
		return diag_set(err, BRIEF_EINTERNAL, NULL, 0, 0,
				"internal error in the PDF writer: its memory "
				"stream ended after %lu of %lu bytes",
				(unsigned long)got, (unsigned long)size);
	}
	*buf = b;
	*len = size;
	return BRIEF_OK;
}

/* The ICC profile is the one file libharu reads: a missing one is the
 * installation's problem, said with its path, not libharu's error code. */
static enum brief_status check_icc(const char *path, struct diag *err)
{
	FILE *f = fopen(path, "rb");

	if (!f)
		return diag_set(err, BRIEF_EIO, path, 0, 0,
				"cannot read the sRGB ICC profile PDF/A needs "
				"(Debian package icc-profiles-free): %s",
				strerror(errno));
	fclose(f);
	return BRIEF_OK;
}

enum brief_status typeset_render_pdf(const struct doc *d,
				     const struct fontset *fs,
				     const struct typeset_opts *opts,
				     const struct pagelist *pl,
				     unsigned char **buf, size_t *len,
				     struct diag *err)
{
	struct hpdf_err he = {0};
	struct pdf_glyphs *pg = NULL;
	struct pdf_tags *tags = NULL; /* the structure tree (tagged PDF) */
	HPDF_Doc pdf = NULL;
	HPDF_Page *pages = NULL;
	HPDF_Destination *bib_dst = NULL;
	int nbib = 0;
	struct canvas_hpdf_rec *recs = NULL; /* the charts, drawn once */
	size_t nrecs = 0, krec = 0;
	struct dest *dests = NULL; /* the linked headings' destinations */
	size_t ndests = 0, capdests = 0;
	const struct brand_image *logo_src = NULL; /* the logo, loaded once */
	HPDF_Image logo = NULL;
	enum brief_status st = BRIEF_OK;
	const char *icc = opts && opts->icc_path
				  ? opts->icc_path
				  : "/usr/share/color/icc/sRGB.icc";
	const char *step = "setting up the document";
	char where[96];

	*buf = NULL;
	*len = 0;
	if (opts && opts->pdfa && (st = check_icc(icc, err)) != BRIEF_OK)
		return st;
	pdf = HPDF_New(on_hpdf_error, &he);
	if (!pdf)
		return diag_set(err, BRIEF_ENOMEM, NULL, 0, 0,
				"cannot create a PDF document");
	for (size_t i = 0; i < d->nbib; i++)
		if (d->bib[i].number > nbib)
			nbib = d->bib[i].number;
	for (size_t i = 0; i < pl->nops; i++) {
		nrecs += pl->ops[i].kind == PL_CHART;
		capdests += pl->ops[i].kind == PL_LINK && pl->ops[i].dest;
	}
	pages = calloc((size_t)pl->npages, sizeof *pages);
	bib_dst = calloc((size_t)nbib + 1, sizeof *bib_dst);
	recs = calloc(nrecs + 1, sizeof *recs);
	dests = calloc(capdests + 1, sizeof *dests);
	if (!pages || !bib_dst || !recs || !dests) {
		st = diag_set(err, BRIEF_ENOMEM, NULL, 0, 0,
			      "out of memory writing the PDF");
		goto out;
	}
	ndests = linked_dests(pl, dests);
	if (HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL) != HPDF_OK ||
	    HPDF_UseUTFEncodings(pdf) != HPDF_OK ||
	    HPDF_SetCurrentEncoder(pdf, "UTF-8") != HPDF_OK)
		goto fail;
	step = "setting the document information";
	if (opts && opts->pdfa) {
		/* libharu copies the Info fields into its XMP now. */
		if (set_info(pdf, d, opts, true) != HPDF_OK ||
		    HPDF_PDFA_SetPDFAConformance(pdf, HPDF_PDFA_1B) != HPDF_OK)
			goto fail;
	}
	if (set_info(pdf, d, opts, false) != HPDF_OK || hpdf_failed(pdf, &he))
		goto fail;
	/* The fonts are embedded at the end as subsets of the glyphs drawn. */
	st = pdf_glyphs_new(pdf, fontset_shaper(fs), &pg, err);
	if (st == BRIEF_OK)
		st = pdf_glyphs_doc_lang(pdf, d->meta.language, err);
	if (st == BRIEF_OK)
		st = record_charts(pl, fs, recs, err);
	if (st != BRIEF_OK)
		goto out;
	step = "adding pages";
	for (int p = 0; p < pl->npages; p++) {
		pages[p] = HPDF_AddPage(pdf);
		if (!pages[p] ||
		    HPDF_Page_SetWidth(pages[p], R(pl->page_w)) != HPDF_OK ||
		    HPDF_Page_SetHeight(pages[p], R(pl->page_h)) != HPDF_OK)
			goto fail;
	}
	if (HPDF_AddPageLabel(pdf, 0, HPDF_PAGE_NUM_STYLE_DECIMAL, 1, NULL) !=
		    HPDF_OK ||
	    hpdf_failed(pdf, &he))
		goto fail;
	st = pdf_tags_new(pdf, pl, pages, &tags, err);
	if (st != BRIEF_OK)
		goto out;
	for (size_t i = 0; i < pl->nops; i++) {
		const struct pl_op *op = &pl->ops[i];
		HPDF_Page page = pages[op->page];
		int rc = 0;

		/* Each op drawn inside its marked-content sequence, ended and
		 * begun where its element or page changes (pdf_tags.h); a
		 * line's glyph run is a whole text object (pdf_glyphs.h), so
		 * none is open here. */
		if (op_draws(op) && pdf_tags_changes(tags, i) &&
		    pdf_tags_mark(tags, i)) {
			step = "marking the page content for the structure "
			       "tree";
			goto fail;
		}

		if (op->kind == PL_ANCHOR && op->bib >= 1 && op->bib <= nbib) {
			bib_dst[op->bib] = make_dest(page, op->x,
						     pl->page_h - op->y);
			rc = bib_dst[op->bib] ? 0 : -1;
		} else if (op->kind == PL_ANCHOR && op->dest) {
			struct dest key = {op->dest, NULL}, *hit =
				ndests ? bsearch(&key, dests, ndests,
						 sizeof *dests, dest_cmp)
				       : NULL;

			if (hit && !hit->dst) {
				hit->dst = make_dest(page, op->x,
						     pl->page_h - op->y);
				rc = hit->dst ? 0 : -1;
			}
		} else if (op->kind == PL_CHART) {
			rc = canvas_hpdf_replay(&recs[krec++], pg, page);
			if (rc == CANVAS_HPDF_NOMEM)
				rc = DRAW_NOMEM;
		} else if (op->kind == PL_IMAGE) {
			rc = draw_image(pdf, page, pl->page_h, op, &logo_src,
					&logo);
		} else {
			rc = draw_op(op, page, pl->page_h, pg);
		}
		if (rc == DRAW_NOMEM) {
			st = diag_set(err, BRIEF_ENOMEM, NULL, 0, 0,
				      "out of memory drawing page %d",
				      op->page + 1);
			goto out;
		}
		if (rc || hpdf_failed(pdf, &he)) {
			/* (said only now: formatting it for every operation
			 * cost 8% of a build) */
			if (op->kind == PL_CHART)
				snprintf(where, sizeof where,
					 "drawing chart '%.40s' on page %d",
					 chart_id(op->chart), op->page + 1);
			else
				snprintf(where, sizeof where,
					 "drawing page %d", op->page + 1);
			step = where;
			goto fail;
		}
	}
	step = "adding bookmarks and links";
	{
		int dr = draw_outlines(pdf, pl, pages);

		if (!dr)
			dr = draw_links(pl, pages, bib_dst, nbib, dests, ndests,
					tags);
		if (dr == DRAW_NOMEM) {
			st = diag_set(err, BRIEF_ENOMEM, NULL, 0, 0,
				      "out of memory");
			goto out;
		}
		if (dr || hpdf_failed(pdf, &he))
			goto fail;
	}
	step = "writing the structure tree";
	st = pdf_tags_finish(tags, d->meta.language, d->meta.title,
			     opts && opts->pdfa, err);
	if (st != BRIEF_OK)
		goto out;
	if (hpdf_failed(pdf, &he))
		goto fail;
	step = "embedding the fonts";
	st = pdf_glyphs_finish(pg, err);
	if (st != BRIEF_OK)
		goto out;
	if (hpdf_failed(pdf, &he))
		goto fail;
	step = "making the PDF/A-1b parts (fonts, metadata, output intent)";
	if (opts && opts->pdfa &&
	    (pdf_fix_pdfa(pdf, icc) != HPDF_OK || hpdf_failed(pdf, &he)))
		goto fail;
	step = "setting the document ID";
	if (pdf_fix_id(pdf, d->input_hash) != HPDF_OK || hpdf_failed(pdf, &he))
		goto fail;
	step = "compressing the pages";
	if (pdf_fix_deflate_pages(pages, pl->npages, PAGE_ZLEVEL) != HPDF_OK ||
	    hpdf_failed(pdf, &he))
		goto fail;
	st = save(pdf, &he, buf, len, err);
	goto out;
fail:
	st = hpdf_fail(err, pdf, &he, step);
out:
	for (size_t i = 0; recs && i < nrecs; i++)
		canvas_hpdf_rec_free(&recs[i]);
	free(recs);
	free(dests);
	pdf_tags_free(tags);
	pdf_glyphs_free(pg);
	free(pages);
	free(bib_dst);
	HPDF_Free(pdf);
	return st;
}
