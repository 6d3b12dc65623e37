/* pdf_glyphs.c — shaped text as positioned glyph runs in Type0 /
 * CIDFontType2 fonts keyed by glyph id (pdf_glyphs.h). */
#include "pdf_glyphs.h"

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

struct pg_face {
	bool used;
	unsigned upem, nglyphs;
	hb_font_t *font;   /* widths, in font units */
	uint8_t *gset;     /* nglyphs bits: glyphs drawn */
	char **tu;         /* nglyphs entries: ToUnicode text (UTF-8) or NULL */
	double *w;         /* nglyphs entries: glyph_w, NAN until asked */
	HPDF_Dict type0, cid, desc;
	const char *res_name; /* its name in the current page's resources */
	size_t font_bytes;
	char name[80];
};

/* A growable byte buffer for one line's operators. */
struct obuf {
	char *p;
	size_t n, cap;
	bool failed;
};

struct pdf_glyphs {
	HPDF_Doc pdf;
	const struct shaper *sh;
	int nfaces;
	struct pg_face *f;
	HPDF_Page res_page; /* the page res_name values belong to */
	bool finished;
	struct obuf out;
};

enum brief_status pdf_glyphs_new(HPDF_Doc pdf, const struct shaper *sh,
				 struct pdf_glyphs **out, struct diag *err)
{
	struct pdf_glyphs *pg = calloc(1, sizeof *pg);
	int n = fontset_face_count(shaper_fontset(sh));

	*out = NULL;
	if (!pg || !(pg->f = calloc((size_t)n + 1, sizeof *pg->f))) {
		free(pg);
		return diag_set(err, BRIEF_ENOMEM, "", 0, 0,
				"out of memory setting up PDF text");
	}
	pg->pdf = pdf;
	pg->sh = sh;
	pg->nfaces = n;
	*out = pg;
	return BRIEF_OK;
}

void pdf_glyphs_free(struct pdf_glyphs *pg)
{
	if (!pg)
		return;
	for (int i = 0; i < pg->nfaces; i++) {
		struct pg_face *f = &pg->f[i];

		if (f->tu)
			for (unsigned g = 0; g < f->nglyphs; g++)
				free(f->tu[g]);
		free(f->tu);
		free(f->w);
		free(f->gset);
		hb_font_destroy(f->font);
	}
	free(pg->f);
	free(pg->out.p);
	free(pg);
}

/* ---- output buffer ----------------------------------------------------- */

static void ob_add(struct obuf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1024;
		char *p;

		while (cap < b->n + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void ob_str(struct obuf *b, const char *s)
{
	ob_add(b, s, strlen(s));
}

/* A number as PDF writes it: fixed point, at most `dec` decimals, no
 * trailing zeros, no "-0". */
/* v with dec (0..6) decimals, trailing zeros and a bare point dropped,
 * "-0" as "0", into t (48 bytes): integer arithmetic, since snprintf's
 * "%.*f" for every glyph's adjustment was a third of drawing a line.
 * Values past 1e12 (never on a page) go through snprintf. Returns the
 * length. */
static int fmt_fixed_value(char *t, double v, int dec, double *written)
{
	static const double pow10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
	long long k, ip, fp;
	int n = 0, d;
	char tmp[24];

	if (dec < 0)
		dec = 0;
	if (dec > 6)
		dec = 6;
	if (!(fabs(v) < 1e12)) {
		n = snprintf(t, 48, "%.*f", dec, v);
		if (written)
			*written = n < 0 ? 0 : strtod(t, NULL);
		return n < 0 ? 0 : n;
	}
	k = llround(v * pow10[dec]);
	/* The decimal written, as strtod would read it back: both round k /
	 * 10^dec to the nearest double (k is exact, < 2^53). */
	if (written)
		*written = (double)k / pow10[dec];
	if (k < 0) {
		t[n++] = '-';
		k = -k;
	}
	ip = k / (long long)pow10[dec];
	fp = k % (long long)pow10[dec];
	d = 0;
	do {
		tmp[d++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip);
	while (d)
		t[n++] = tmp[--d];
	if (fp) {
		int w = dec;

		while (fp % 10 == 0) {
			fp /= 10;
			w--;
		}
		t[n++] = '.';
		for (int i = w - 1; i >= 0; i--)
			t[n + i] = (char)('0' + fp % 10), fp /= 10;
		n += w;
	}
	t[n] = '\0';
	if (strcmp(t, "-0") == 0) {
		t[0] = '0';
		t[1] = '\0';
		n = 1;
	}
	return n;
}

static int fmt_fixed(char *t, double v, int dec)
{
	return fmt_fixed_value(t, v, dec, NULL);
}

static void ob_num(struct obuf *b, double v, int dec)
{
	char t[48];
	int n = fmt_fixed(t, v, dec);

	ob_add(b, t, (size_t)n);
	ob_add(b, " ", 1);
}

static void ob_hex16(struct obuf *b, unsigned v)
{
	static const char hex[] = "0123456789ABCDEF";
	char t[4] = {hex[(v >> 12) & 15], hex[(v >> 8) & 15], hex[(v >> 4) & 15],
		     hex[v & 15]};

	ob_add(b, t, 4);
}

/* UTF-8 text as UTF-16BE hex digits (no BOM); invalid bytes as U+FFFD. */
static void ob_utf16(struct obuf *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		ucs4_t c;
		int k = u8_mbtouc(&c, (const uint8_t *)s + i, len - i);

		i += k > 0 ? (size_t)k : 1;
		if (c >= 0x10000) {
			c -= 0x10000;
			ob_hex16(b, 0xD800 + (c >> 10));
			ob_hex16(b, 0xDC00 + (c & 0x3FF));
		} else {
			ob_hex16(b, c);
		}
	}
}

/* ---- fonts --------------------------------------------------------------- */

static enum brief_status hpdf_status(HPDF_Doc pdf, struct diag *err,
				     const char *what)
{
	HPDF_STATUS e = HPDF_GetError(pdf);

	/* No libharu error: an allocation of ours failed. */
	if (e == HPDF_FAILD_TO_ALLOC_MEM || e == HPDF_OK)
		return diag_set(err, BRIEF_ENOMEM, "", 0, 0,
				"out of memory %s", what);
	return diag_set(err, BRIEF_EINTERNAL, "", 0, 0,
			"internal error in libharu %s (error 0x%04X)", what,
			(unsigned)e);
}

/* An indirect dictionary of the document, or NULL. */
static HPDF_Dict new_dict(HPDF_Doc pdf)
{
	HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);

	if (d && HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
		return NULL; /* Xref_Add freed it */
	return d;
}

/* The dictionaries a face's font starts with; the rest is added by
 * pdf_glyphs_finish once every glyph is known. */
static bool font_dicts(HPDF_Doc pdf, struct pg_face *f)
{
	HPDF_MMgr mm = pdf->mmgr;
	HPDF_Dict sys;
	HPDF_Array desc;
	HPDF_STATUS rc = HPDF_OK;

	f->type0 = new_dict(pdf);
	f->cid = new_dict(pdf);
	f->desc = new_dict(pdf);
	sys = HPDF_Dict_New(mm);
	desc = HPDF_Array_New(mm);
	if (!f->type0 || !f->cid || !f->desc || !sys || !desc)
		return false;
	rc |= HPDF_Dict_AddName(f->type0, "Type", "Font");
	rc |= HPDF_Dict_AddName(f->type0, "Subtype", "Type0");
	rc |= HPDF_Dict_AddName(f->type0, "Encoding", "Identity-H");
	rc |= HPDF_Array_Add(desc, f->cid);
	rc |= HPDF_Dict_Add(f->type0, "DescendantFonts", desc);
	rc |= HPDF_Dict_AddName(f->cid, "Type", "Font");
	rc |= HPDF_Dict_AddName(f->cid, "Subtype", "CIDFontType2");
	rc |= HPDF_Dict_Add(sys, "Registry", HPDF_String_New(mm, "Adobe", NULL));
	rc |= HPDF_Dict_Add(sys, "Ordering",
			    HPDF_String_New(mm, "Identity", NULL));
	rc |= HPDF_Dict_AddNumber(sys, "Supplement", 0);
	rc |= HPDF_Dict_Add(f->cid, "CIDSystemInfo", sys);
	rc |= HPDF_Dict_AddName(f->cid, "CIDToGIDMap", "Identity");
	rc |= HPDF_Dict_AddNumber(f->cid, "DW", 1000);
	rc |= HPDF_Dict_Add(f->cid, "FontDescriptor", f->desc);
	rc |= HPDF_Dict_AddName(f->desc, "Type", "FontDescriptor");
	return rc == HPDF_OK;
}

/* The face's state, set up on first use. NULL: out of memory or libharu
 * failed (*nomem says which). */
static struct pg_face *face_state(struct pdf_glyphs *pg, int face,
				  bool *nomem)
{
	struct pg_face *f;
	hb_face_t *hf;

	*nomem = false;
	if (face < 0 || face >= pg->nfaces)
		return NULL;
	f = &pg->f[face];
	if (f->used)
		return f;
	hf = shaper_hb_face(pg->sh, face);
	f->upem = shaper_upem(pg->sh, face);
	f->nglyphs = hb_face_get_glyph_count(hf);
	f->font = hb_font_create(hf);
	hb_font_set_scale(f->font, (int)f->upem, (int)f->upem);
	f->gset = calloc(f->nglyphs / 8 + 1, 1);
	f->tu = calloc(f->nglyphs + 1, sizeof *f->tu);
	f->w = malloc((f->nglyphs + 1) * sizeof *f->w);
	if (!f->gset || !f->tu || !f->w || f->upem == 0) {
		*nomem = true;
		return NULL;
	}
	for (unsigned g = 0; g < f->nglyphs; g++)
		f->w[g] = NAN;
	if (!font_dicts(pg->pdf, f))
		return NULL;
	f->used = true;
	return f;
}

/* A glyph's width as written to /W, in 1/1000 em: the same rounded value
 * positions are computed from, so that rounding never accumulates.
 * Remembered per glyph (asked for every glyph drawn). */
static double glyph_w(struct pg_face *f, unsigned gid)
{
	double w;

	if (gid < f->nglyphs && !isnan(f->w[gid]))
		return f->w[gid];
	w = (double)hb_font_get_glyph_h_advance(f->font, gid) * 1000.0 /
	    f->upem;
	w = round(w * 1000) / 1000;
	if (gid < f->nglyphs)
		f->w[gid] = w;
	return w;
}

/* ---- drawing -------------------------------------------------------------- */

struct tj {
	struct obuf *b;
	bool in_array, in_hex;
	double pdf;  /* where the PDF's text position is, 1/1000 em */
	double rise; /* current Ts, pt */
};

static void tj_close_hex(struct tj *t)
{
	if (t->in_hex) {
		ob_add(t->b, ">", 1);
		t->in_hex = false;
	}
}

static void tj_end(struct tj *t)
{
	tj_close_hex(t);
	if (t->in_array) {
		ob_str(t->b, "] TJ\n");
		t->in_array = false;
	}
}

static void tj_glyph(struct tj *t, unsigned gid)
{
	if (!t->in_array) {
		ob_add(t->b, "[", 1);
		t->in_array = true;
	}
	if (!t->in_hex) {
		ob_add(t->b, "<", 1);
		t->in_hex = true;
	}
	ob_hex16(t->b, gid);
}

/* Move the text position by -adj/1000 em (TJ's sign). */
static void tj_adjust(struct tj *t, double adj)
{
	char s[48];
	double written;

	fmt_fixed_value(s, adj, 2, &written);
	if (strcmp(s, "0") == 0)
		return;
	if (!t->in_array) {
		ob_add(t->b, "[", 1);
		t->in_array = true;
	}
	tj_close_hex(t);
	ob_str(t->b, s);
	t->pdf -= written;
}

/* A language tag as a PDF string's bytes: letters, digits and '-'. */
static void ob_lang(struct obuf *b, const char *lang)
{
	ob_str(b, "/Lang (");
	for (const char *p = lang; *p; p++)
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-')
			ob_add(b, p, 1);
		else if (*p == '_')
			ob_add(b, "-", 1);
	ob_str(b, ") ");
}

static bool other_lang(const char *a, const char *b)
{
	return a && *a && (!b || strcmp(a, b) != 0);
}

/* What a span of glyphs stands for when the ToUnicode map cannot say it. */
struct at_span {
	size_t first, n;     /* glyphs, line order */
	size_t tstart, tlen; /* characters in the line's text */
	bool reverse;        /* code points in visual order (see map_cluster) */
	bool soft_hyphen;    /* the inserted hyphen: U+00AD */
};

/* The work arrays of one line. */
struct line_work {
	double *x;      /* ideal origin of each glyph, 1/1000 em */
	int *at;        /* index of the at_span a glyph starts, or -1 */
	struct at_span *spans;
	size_t nspans;
};

/* UTF-8 text with its code points in reverse order, into out (size at
 * least len + 1). */
static void reverse_cps(const char *s, size_t len, char *out)
{
	size_t o = len;

	out[len] = '\0';
	for (size_t i = 0; i < len;) {
		ucs4_t c;
		int k = u8_mbtouc(&c, (const uint8_t *)s + i, len - i);

		if (k < 1)
			k = 1;
		o -= (size_t)k;
		memcpy(out + o, s + i, (size_t)k);
		i += (size_t)k;
	}
}

static size_t count_cps(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* "/Span <</Lang (..) /ActualText <FEFF...>>> BDC": lang NULL for none,
 * sp NULL for no ActualText. */
static bool begin_span(struct obuf *b, const char *lang,
		       const struct shape_line *ln, const struct at_span *sp)
{
	ob_str(b, "/Span <<");
	if (lang)
		ob_lang(b, lang);
	if (sp) {
		const char *t = ln->text + sp->tstart;

		ob_str(b, "/ActualText <FEFF");
		if (sp->soft_hyphen) {
			ob_hex16(b, 0x00AD);
		} else if (sp->reverse) {
			char *r = malloc(sp->tlen + 1);

			if (!r)
				return false;
			reverse_cps(t, sp->tlen, r);
			ob_utf16(b, r, sp->tlen);
			free(r);
		} else {
			ob_utf16(b, t, sp->tlen);
		}
		ob_add(b, ">", 1);
	}
	ob_str(b, ">> BDC\n");
	return true;
}

/* Set the ToUnicode text of the cluster's glyph [a, b) of run r (line
 * glyph indices) and decide whether it needs /ActualText (appended to
 * w->spans). Extractors with a bidi pass (poppler, pdf.js) turn
 * right-to-left text, drawn in visual order, back into logical order by
 * reversing it character by character, a ligature's characters included
 * (PyMuPDF, pypdf and pdfminer do the same); so in a
 * right-to-left run a glyph of several characters (lam-alef) is mapped
 * in visual order, and reversing gives them back in logical order. A
 * glyph keeps the first characters it is mapped to. false: out of
 * memory. */
static bool map_cluster(struct pg_face *f, const struct shape_line *ln,
			const struct shape_run *r, size_t a, size_t b,
			struct line_work *w)
{
	bool rtl = r->level & 1;
	size_t lead = rtl ? b - 1 : a; /* the glyph with the cluster's text */
	const struct shape_glyph *gl = &ln->glyphs[lead];
	size_t st, len;
	char small[64], *m;
	bool need = b - a > 1 || r->missing || r->hyphen;
	bool reverse;
	const char *txt;

	shape_glyph_text(ln, r, lead - r->first, &st, &len);
	reverse = rtl && count_cps(ln->text + st, len) > 1;
	for (size_t i = a; i < b; i++)
		if (ln->glyphs[i].gid < f->nglyphs)
			f->gset[ln->glyphs[i].gid >> 3] |=
				(uint8_t)(1u << (ln->glyphs[i].gid & 7));
	txt = ln->text + st;
	if (r->missing) { /* the glyph is U+FFFD's */
		txt = "\xEF\xBF\xBD";
		len = 3;
		reverse = false;
	}
	if (len == 0 || gl->gid >= f->nglyphs)
		goto out;
	if (!reverse && f->tu[gl->gid]) { /* seen: compared where it lies */
		const char *tu = f->tu[gl->gid];

		need |= strncmp(tu, txt, len) != 0 || tu[len] != '\0';
		goto out;
	}
	/* On the stack while it is only compared (reversed, seen). */
	m = len < sizeof small ? small : malloc(len + 1);
	if (!m)
		return false;
	if (reverse) {
		reverse_cps(txt, len, m);
	} else {
		memcpy(m, txt, len);
		m[len] = '\0';
	}
	if (f->tu[gl->gid]) {
		need |= strcmp(f->tu[gl->gid], m) != 0;
	} else {
		f->tu[gl->gid] = m == small ? strdup(m) : m;
		if (!f->tu[gl->gid])
			return false;
		m = NULL;
	}
	if (m != small)
		free(m);
out:
	if (need) {
		shape_glyph_text(ln, r, lead - r->first, &st, &len);
		w->spans[w->nspans++] = (struct at_span){
			a, b - a, st, len, reverse, r->hyphen};
	}
	return true;
}

static bool is_space(const struct shape_line *ln, const struct shape_run *r,
		     size_t i)
{
	return !r->missing && ln->text[ln->glyphs[i].cluster] == ' ';
}

/* Glyph positions (pen, offsets, justification) in visual order. */
static void place(const struct pdf_glyphs *pg, const struct shape_line *ln,
		  const struct pdf_glyph_opts *o, struct line_work *w)
{
	double pen = 0, ws = o->size > 0 ? o->word_space * 1000 / o->size : 0;

	for (size_t ri = 0; ri < ln->nruns; ri++) {
		const struct shape_run *r = &ln->runs[ri];
		double k = 1000.0 / shaper_upem(pg->sh, r->face);

		for (size_t i = r->first; i < r->first + r->n; i++) {
			const struct shape_glyph *gl = &ln->glyphs[i];

			w->at[i] = -1;
			w->x[i] = pen + gl->x_offset * k;
			pen += gl->x_advance * k;
			if (ws != 0 && is_space(ln, r, i))
				pen += ws;
		}
	}
}

static bool same_color(struct rgba a, struct rgba b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

static void set_color(struct tj *t, struct rgba c)
{
	tj_end(t);
	ob_num(t->b, c.r, 4);
	ob_num(t->b, c.g, 4);
	ob_num(t->b, c.b, 4);
	ob_str(t->b, "rg\n");
}

/* The page's resource name of face f, cached for the current page. */
static const char *res_name(struct pdf_glyphs *pg, HPDF_Page page,
			    struct pg_face *f)
{
	if (pg->res_page != page) {
		for (int i = 0; i < pg->nfaces; i++)
			pg->f[i].res_name = NULL;
		pg->res_page = page;
	}
	if (!f->res_name)
		f->res_name = HPDF_Page_GetLocalFontName(page, (HPDF_Font)f->type0);
	return f->res_name;
}

static void begin_line(struct obuf *b, double x, double y, double angle)
{
	double a = angle * 3.14159265358979323846 / 180, c = cos(a), s = sin(a);

	ob_str(b, "q\nBT\n");
	if (angle == 0) {
		ob_str(b, "1 0 0 1 ");
	} else {
		ob_num(b, c, 5);
		ob_num(b, s, 5);
		ob_num(b, -s, 5);
		ob_num(b, c, 5);
	}
	ob_num(b, x, 3);
	ob_num(b, y, 3);
	ob_str(b, "Tm\n");
}

static enum brief_status write_page(struct pdf_glyphs *pg, HPDF_Page page,
				    struct diag *err)
{
	HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;

	if (HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)pg->out.p,
			      (HPDF_UINT)pg->out.n) != HPDF_OK)
		return hpdf_status(pg->pdf, err, "writing text to a page");
	return BRIEF_OK;
}

static bool work_alloc(struct line_work *w, size_t nglyphs)
{
	size_t n = nglyphs + 1;

	w->x = malloc(n * sizeof *w->x);
	w->at = malloc(n * sizeof *w->at);
	w->spans = malloc(n * sizeof *w->spans);
	w->nspans = 0;
	return w->x && w->at && w->spans;
}

static void work_free(struct line_work *w)
{
	free(w->x);
	free(w->at);
	free(w->spans);
}

/* Marks placed above or below their base (a vertical offset, written
 * with Ts) sit on another baseline, and extractors then split the word
 * there (poppler starts a new word, even a new line). So a word of run r
 * with such a mark is one /ActualText span of all its characters,
 * replacing the spans of its clusters (those from span0 on). A word is a
 * stretch of glyphs between spaces: where a span starts and ends is
 * where poppler puts its characters, and at a space a word ends anyway. */
static void raised_words(const struct shape_line *ln,
			 const struct shape_run *r, struct line_work *w,
			 size_t span0)
{
	size_t end = r->first + r->n;

	for (size_t a = r->first, b; a < end; a = b) {
		bool raised = false;
		uint32_t lo, hi, stop = (uint32_t)(r->start + r->len);
		size_t k = span0;

		b = a + 1;
		if (is_space(ln, r, a))
			continue;
		while (b < end && !is_space(ln, r, b))
			b++;
		lo = hi = ln->glyphs[a].cluster;
		for (size_t i = a; i < b; i++) {
			raised |= ln->glyphs[i].y_offset != 0;
			lo = ln->glyphs[i].cluster < lo ? ln->glyphs[i].cluster : lo;
			hi = ln->glyphs[i].cluster > hi ? ln->glyphs[i].cluster : hi;
		}
		if (!raised || b - a < 2 || r->missing)
			continue;
		for (size_t i = r->first; i < end; i++)
			if (ln->glyphs[i].cluster > hi && ln->glyphs[i].cluster < stop)
				stop = ln->glyphs[i].cluster;
		for (size_t i = span0; i < w->nspans; i++)
			if (w->spans[i].first < a || w->spans[i].first >= b)
				w->spans[k++] = w->spans[i];
		w->nspans = k;
		w->spans[w->nspans++] = (struct at_span){
			a, b - a, lo, stop - lo,
			(r->level & 1) && count_cps(ln->text + lo, stop - lo) > 1,
			false};
	}
}

/* Fonts of every run, and the ToUnicode text and ActualText spans of
 * every cluster. */
static enum brief_status map_line(struct pdf_glyphs *pg,
				  const struct shape_line *ln,
				  struct line_work *w, struct diag *err)
{
	for (size_t ri = 0; ri < ln->nruns; ri++) {
		const struct shape_run *r = &ln->runs[ri];
		bool nomem;
		struct pg_face *f = face_state(pg, r->face, &nomem);
		size_t span0 = w->nspans;

		if (!f)
			return nomem ? diag_set(err, BRIEF_ENOMEM, "", 0, 0,
						"out of memory writing text")
				     : hpdf_status(pg->pdf, err,
						   "creating a font");
		for (size_t a = r->first, b; a < r->first + r->n; a = b) {
			b = a + 1;
			while (b < r->first + r->n &&
			       ln->glyphs[b].cluster == ln->glyphs[a].cluster)
				b++;
			if (!map_cluster(f, ln, r, a, b, w))
				return diag_set(err, BRIEF_ENOMEM, "", 0, 0,
						"out of memory writing text");
		}
		raised_words(ln, r, w, span0);
	}
	for (size_t i = 0; i < w->nspans; i++)
		w->at[w->spans[i].first] = (int)i;
	return BRIEF_OK;
}

/* Write the glyphs run by run, in visual order, as every PDF writer
 * does: viewers place glyphs by position, and extractors (poppler, pdf.js)
 * expect right-to-left text in visual order and reverse it. (Writing it
 * in logical order word by word was measured: poppler gives the same
 * text, pdf.js then loses the spaces between the words.) */
static bool emit(struct pdf_glyphs *pg, HPDF_Page page,
		 const struct pdf_glyph_opts *o, const struct shape_line *ln,
		 struct line_work *w)
{
	struct tj t = {.b = &pg->out};
	struct pg_face *cur = NULL;
	struct rgba col = {-1, -1, -1, 1};

	for (size_t ri = 0; ri < ln->nruns; ri++) {
		const struct shape_run *r = &ln->runs[ri];
		struct pg_face *f = &pg->f[r->face];
		struct rgba rc = o->run_color ? o->run_color(o->ctx, r->tag)
					      : o->color;
		const char *rl = o->run_lang ? o->run_lang(o->ctx, r->tag) : NULL;
		bool lang = other_lang(rl, o->lang);
		size_t open_end = 0; /* glyph after the open ActualText span */

		if (f != cur) {
			const char *name = res_name(pg, page, f);

			if (!name)
				return false;
			tj_end(&t);
			ob_add(t.b, "/", 1);
			ob_str(t.b, name);
			ob_add(t.b, " ", 1);
			ob_num(t.b, o->size, 3);
			ob_str(t.b, "Tf\n");
			cur = f;
		}
		if (!same_color(rc, col)) {
			set_color(&t, rc);
			col = rc;
		}
		if (lang) {
			tj_end(&t);
			begin_span(t.b, rl, ln, NULL);
		}
		for (size_t i = r->first; i < r->first + r->n; i++) {
			const struct shape_glyph *gl = &ln->glyphs[i];
			double rise = gl->y_offset * o->size / f->upem;

			if (w->at[i] >= 0) {
				tj_end(&t);
				if (!begin_span(t.b, NULL, ln, &w->spans[w->at[i]]))
					return false;
				open_end = i + w->spans[w->at[i]].n;
			}
			if (fabs(rise - t.rise) > 0.0005) {
				tj_end(&t);
				ob_num(t.b, rise, 3);
				ob_str(t.b, "Ts\n");
				t.rise = rise;
			}
			tj_adjust(&t, t.pdf - w->x[i]);
			tj_glyph(&t, gl->gid < f->nglyphs ? gl->gid : 0);
			t.pdf += glyph_w(f, gl->gid);
			if (open_end == i + 1) {
				tj_end(&t);
				ob_str(t.b, "EMC\n");
				open_end = 0;
			}
		}
		if (lang) {
			tj_end(&t);
			ob_str(t.b, "EMC\n");
		}
	}
	tj_end(&t);
	return true;
}

enum brief_status pdf_glyphs_line(struct pdf_glyphs *pg, HPDF_Page page,
				  double x, double y,
				  const struct pdf_glyph_opts *o,
				  const struct shape_line *ln,
				  struct diag *err)
{
	struct line_work w;
	bool line_lang = o->lang && *o->lang;
	enum brief_status st;

	if (pg->finished || !page ||
	    ((HPDF_PageAttr)page->attr)->gmode != HPDF_GMODE_PAGE_DESCRIPTION)
		return diag_set(err, BRIEF_EINTERNAL, "", 0, 0,
				"internal error in PDF text: a line drawn %s",
				pg->finished ? "after the fonts were embedded"
					     : "inside a text or path object");
	if (ln->nglyphs == 0)
		return BRIEF_OK;
	if (!work_alloc(&w, ln->nglyphs)) {
		work_free(&w);
		return diag_set(err, BRIEF_ENOMEM, "", 0, 0,
				"out of memory writing text to the PDF");
	}
	place(pg, ln, o, &w);
	st = map_line(pg, ln, &w, err);
	if (st != BRIEF_OK)
		goto out;
	pg->out.n = 0;
	pg->out.failed = false;
	begin_line(&pg->out, x, y, o->angle);
	if (line_lang)
		begin_span(&pg->out, o->lang, ln, NULL);
	if (!emit(pg, page, o, ln, &w)) {
		st = pg->out.failed ? diag_set(err, BRIEF_ENOMEM, "", 0, 0,
					       "out of memory writing text")
				    : hpdf_status(pg->pdf, err,
						  "adding a font to a page");
		goto out;
	}
	if (line_lang)
		ob_str(&pg->out, "EMC\n");
	ob_str(&pg->out, "ET\nQ\n");
	st = pg->out.failed ? diag_set(err, BRIEF_ENOMEM, "", 0, 0,
				       "out of memory writing text")
			    : write_page(pg, page, err);
out:
	work_free(&w);
	return st;
}

enum brief_status pdf_glyphs_doc_lang(HPDF_Doc pdf, const char *lang,
				     struct diag *err)
{
	char tag[36];
	size_t n = 0;

	for (const char *p = lang; p && *p && n + 1 < sizeof tag; p++)
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')
			tag[n++] = *p == '_' ? '-' : *p;
	tag[n] = '\0';
	if (n == 0)
		return BRIEF_OK;
	if (HPDF_Dict_Add(pdf->catalog, "Lang",
			  HPDF_String_New(pdf->mmgr, tag, NULL)) != HPDF_OK)
		return hpdf_status(pdf, err, "setting the document language");
	return BRIEF_OK;
}

double pdf_glyphs_line_width(const struct shape_line *ln,
			     const struct pdf_glyph_opts *o)
{
	return ln->width_em * o->size + (double)ln->nspaces * o->word_space;
}

/* ---- embedding ------------------------------------------------------------ */

static const char keep_tags[][5] = {
	"OS/2", "cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name",
	"post",
};

static void drop_tables(hb_face_t *face, hb_set_t *drop)
{
	hb_tag_t tags[64];
	unsigned start = 0, n;

	do {
		n = sizeof tags / sizeof tags[0];
		n = hb_face_get_table_tags(face, start, &n, tags) ? n : 0;
		for (unsigned i = 0; i < n; i++) {
			bool keep = false;

			for (size_t k = 0; k < sizeof keep_tags / sizeof *keep_tags;
			     k++)
				keep |= tags[i] == hb_tag_from_string(keep_tags[k], 4);
			if (!keep)
				hb_set_add(drop, tags[i]);
		}
		start += n;
	} while (n == sizeof tags / sizeof tags[0]);
}

static bool has_glyph(const struct pg_face *f, unsigned g)
{
	return (f->gset[g >> 3] >> (g & 7)) & 1;
}

/* Six capital letters from the face's name and glyph set: the subset
 * tag, the same for the same glyphs in every run. */
static void subset_tag(const struct pg_face *f, const char *ps, char tag[7])
{
	uint64_t h = 1469598103934665603ull;

	for (const char *p = ps; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	for (unsigned i = 0; i < f->nglyphs / 8 + 1; i++)
		h = (h ^ f->gset[i]) * 1099511628211ull;
	for (int i = 0; i < 6; i++) {
		tag[i] = (char)('A' + h % 26);
		h /= 26;
	}
	tag[6] = '\0';
}

/* The PostScript name, reduced to characters safe in a PDF name. */
static void ps_name(hb_face_t *face, int index, char *out, size_t size)
{
	char buf[64];
	unsigned n = sizeof buf;
	size_t o = 0;

	if (hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME,
				HB_LANGUAGE_INVALID, &n, buf) == 0)
		buf[0] = '\0';
	for (const char *p = buf; *p && o + 1 < size; p++)
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-')
			out[o++] = *p;
	out[o] = '\0';
	if (o == 0)
		snprintf(out, size, "BriefFace%d", index);
}

static int16_t be16(const char *p)
{
	return (int16_t)(((unsigned char)p[0] << 8) | (unsigned char)p[1]);
}

/* FontBBox from 'head', ItalicAngle from 'post', in font units/degrees. */
static void face_box(hb_face_t *face, int box[4], double *italic)
{
	hb_blob_t *head = hb_face_reference_table(face, HB_TAG('h', 'e', 'a', 'd'));
	hb_blob_t *post = hb_face_reference_table(face, HB_TAG('p', 'o', 's', 't'));
	unsigned n;
	const char *p = hb_blob_get_data(head, &n);

	box[0] = box[1] = box[2] = box[3] = 0;
	if (p && n >= 44)
		for (int i = 0; i < 4; i++)
			box[i] = be16(p + 36 + 2 * i);
	p = hb_blob_get_data(post, &n);
	*italic = p && n >= 8 ? be16(p + 4) + (double)(uint16_t)be16(p + 6) / 65536
			      : 0;
	hb_blob_destroy(head);
	hb_blob_destroy(post);
}

static HPDF_STATUS add_metrics(struct pg_face *f, hb_face_t *face)
{
	hb_position_t asc = 0, desc = 0, cap = 0;
	double k = 1000.0 / f->upem, italic;
	int box[4];
	HPDF_Array bb = HPDF_Array_New(f->desc->mmgr);
	HPDF_STATUS rc = HPDF_OK;

	if (!bb)
		return HPDF_FAILD_TO_ALLOC_MEM;
	hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER,
				   &asc);
	hb_ot_metrics_get_position(f->font,
				   HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &desc);
	if (!hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_CAP_HEIGHT,
					&cap) ||
	    cap <= 0)
		cap = (hb_position_t)(asc * 0.7); /* no OS/2 cap height */
	face_box(face, box, &italic);
	for (int i = 0; i < 4; i++)
		rc |= HPDF_Array_AddNumber(bb, (HPDF_INT32)lround(box[i] * k));
	rc |= HPDF_Dict_Add(f->desc, "FontBBox", bb);
	rc |= HPDF_Dict_AddNumber(f->desc, "Flags", italic != 0 ? 4 + 64 : 4);
	rc |= HPDF_Dict_AddReal(f->desc, "ItalicAngle", (HPDF_REAL)italic);
	rc |= HPDF_Dict_AddNumber(f->desc, "Ascent", (HPDF_INT32)lround(asc * k));
	rc |= HPDF_Dict_AddNumber(f->desc, "Descent",
				  (HPDF_INT32)lround(desc * k));
	rc |= HPDF_Dict_AddNumber(f->desc, "CapHeight",
				  (HPDF_INT32)lround(cap * k));
	rc |= HPDF_Dict_AddNumber(f->desc, "StemV", 80);
	return rc;
}

/* /W: the widths of the glyphs drawn, runs of consecutive ids grouped. */
static HPDF_STATUS add_widths(struct pg_face *f)
{
	HPDF_MMgr mm = f->cid->mmgr;
	HPDF_Array w = HPDF_Array_New(mm), run = NULL;
	HPDF_STATUS rc = HPDF_OK;
	unsigned prev = 0;

	if (!w)
		return HPDF_FAILD_TO_ALLOC_MEM;
	rc |= HPDF_Dict_Add(f->cid, "W", w);
	for (unsigned g = 0; g < f->nglyphs && rc == HPDF_OK; g++) {
		double v;

		if (!has_glyph(f, g))
			continue;
		if (!run || g != prev + 1) {
			run = HPDF_Array_New(mm);
			if (!run)
				return HPDF_FAILD_TO_ALLOC_MEM;
			rc |= HPDF_Array_AddNumber(w, (HPDF_INT32)g);
			rc |= HPDF_Array_Add(w, run);
		}
		v = glyph_w(f, g);
		if (v == floor(v))
			rc |= HPDF_Array_AddNumber(run, (HPDF_INT32)v);
		else
			rc |= HPDF_Array_AddReal(run, (HPDF_REAL)v);
		prev = g;
	}
	return rc;
}

static const char cmap_head[] =
	"/CIDInit /ProcSet findresource begin\n"
	"12 dict begin\n"
	"begincmap\n"
	"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
	"/CMapName /Adobe-Identity-UCS def\n"
	"/CMapType 2 def\n"
	"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
static const char cmap_tail[] =
	"endcmap\n"
	"CMapName currentdict /CMap defineresource pop\n"
	"end\n"
	"end\n";

/* The ToUnicode CMap: a bfchar entry for every glyph with characters. */
static bool tounicode_text(const struct pg_face *f, struct obuf *b)
{
	unsigned count = 0, g = 0;

	ob_str(b, cmap_head);
	for (unsigned i = 0; i < f->nglyphs; i++)
		count += f->tu[i] != NULL;
	while (count > 0) {
		unsigned n = count > 100 ? 100 : count;
		char line[32];

		snprintf(line, sizeof line, "%u beginbfchar\n", n);
		ob_str(b, line);
		for (unsigned k = 0; k < n; g++) {
			if (!f->tu[g])
				continue;
			ob_add(b, "<", 1);
			ob_hex16(b, g);
			ob_str(b, "> <");
			ob_utf16(b, f->tu[g], strlen(f->tu[g]));
			ob_str(b, ">\n");
			k++;
		}
		ob_str(b, "endbfchar\n");
		count -= n;
	}
	ob_str(b, cmap_tail);
	return !b->failed;
}

/* A compressed stream of the document holding n bytes of p, or NULL. */
static HPDF_Dict new_stream(HPDF_Doc pdf, const void *p, size_t n)
{
	HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);

	if (!s)
		return NULL;
	s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	if (HPDF_Stream_Write(s->stream, p, (HPDF_UINT)n) != HPDF_OK)
		return NULL;
	return s;
}

/* CIDSet: one bit per CID (= glyph id) present in the font program. */
static HPDF_Dict cidset(struct pdf_glyphs *pg, const struct pg_face *f,
			const hb_map_t *kept)
{
	size_t n = f->nglyphs / 8 + 1, last = 0;
	uint8_t *bits = calloc(n, 1);
	HPDF_Dict s;

	if (!bits)
		return NULL;
	for (unsigned g = 0; g < f->nglyphs; g++)
		if (g == 0 || hb_map_has(kept, g)) {
			bits[g >> 3] |= (uint8_t)(0x80u >> (g & 7));
			last = g >> 3;
		}
	s = new_stream(pg->pdf, bits, last + 1);
	free(bits);
	return s;
}

/* The subset font program of one face, embedded with its CIDSet. */
static enum brief_status embed_program(struct pdf_glyphs *pg, int face,
				       struct pg_face *f, struct diag *err)
{
	hb_face_t *hf = shaper_hb_face(pg->sh, face);
	const char *path = fontset_face_path(shaper_fontset(pg->sh), face);
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_subset_plan_t *plan = NULL;
	hb_face_t *sub = NULL;
	hb_blob_t *blob = NULL;
	hb_set_t *glyphs;
	HPDF_Dict file = NULL, set = NULL;
	const char *data;
	unsigned n = 0;
	enum brief_status st = BRIEF_OK;

	if (!in) {
		st = diag_set(err, BRIEF_ENOMEM, path, 0, 0,
			      "out of memory subsetting the font");
		goto out;
	}
	/* Glyph ids stay what the page's codes say (CIDToGIDMap /Identity);
	 * the layout tables and hinting are not needed to draw them. */
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_RETAIN_GIDS |
					      HB_SUBSET_FLAGS_NO_HINTING |
					      HB_SUBSET_FLAGS_NOTDEF_OUTLINE);
	drop_tables(hf, hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG));
	glyphs = hb_subset_input_glyph_set(in);
	for (unsigned g = 0; g < f->nglyphs; g++)
		if (has_glyph(f, g))
			hb_set_add(glyphs, g);
	plan = hb_subset_plan_create_or_fail(hf, in);
	sub = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
	blob = sub ? hb_face_reference_blob(sub) : NULL;
	data = blob ? hb_blob_get_data(blob, &n) : NULL;
	if (!data || n == 0) {
		st = diag_set(err, BRIEF_EINTERNAL, path, 0, 0,
			      "internal error in HarfBuzz: cannot subset the "
			      "font");
		goto out;
	}
	file = new_stream(pg->pdf, data, n);
	set = file ? cidset(pg, f, hb_subset_plan_old_to_new_glyph_mapping(plan))
		   : NULL;
	if (!file || !set ||
	    HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)n) != HPDF_OK ||
	    HPDF_Dict_Add(f->desc, "FontFile2", file) != HPDF_OK ||
	    HPDF_Dict_Add(f->desc, "CIDSet", set) != HPDF_OK) {
		st = hpdf_status(pg->pdf, err, "embedding a font");
		goto out;
	}
	f->font_bytes = n;
out:
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	hb_subset_plan_destroy(plan);
	hb_subset_input_destroy(in);
	return st;
}

static enum brief_status embed_face(struct pdf_glyphs *pg, int face,
				    struct pg_face *f, struct diag *err)
{
	hb_face_t *hf = shaper_hb_face(pg->sh, face);
	char ps[64], tag[7];
	struct obuf cmap = {0};
	HPDF_Dict tu;
	HPDF_STATUS rc;
	enum brief_status st;

	st = embed_program(pg, face, f, err);
	if (st != BRIEF_OK)
		return st;
	ps_name(hf, face, ps, sizeof ps);
	subset_tag(f, ps, tag);
	snprintf(f->name, sizeof f->name, "%s+%s", tag, ps);
	if (!tounicode_text(f, &cmap)) {
		free(cmap.p);
		return diag_set(err, BRIEF_ENOMEM, "", 0, 0,
				"out of memory embedding a font");
	}
	tu = new_stream(pg->pdf, cmap.p, cmap.n);
	free(cmap.p);
	if (!tu)
		return hpdf_status(pg->pdf, err, "embedding a font");
	rc = HPDF_Dict_Add(f->type0, "ToUnicode", tu);
	rc |= HPDF_Dict_AddName(f->type0, "BaseFont", f->name);
	rc |= HPDF_Dict_AddName(f->cid, "BaseFont", f->name);
	rc |= HPDF_Dict_AddName(f->desc, "FontName", f->name);
	rc |= add_metrics(f, hf);
	rc |= add_widths(f);
	if (rc != HPDF_OK)
		return hpdf_status(pg->pdf, err, "embedding a font");
	return BRIEF_OK;
}

enum brief_status pdf_glyphs_finish(struct pdf_glyphs *pg, struct diag *err)
{
	if (!pg || pg->finished)
		return BRIEF_OK;
	pg->finished = true;
	for (int i = 0; i < pg->nfaces; i++) {
		enum brief_status st;

		if (!pg->f[i].used)
			continue;
		st = embed_face(pg, i, &pg->f[i], err);
		if (st != BRIEF_OK)
			return st;
	}
	return BRIEF_OK;
}

bool pdf_glyphs_info(const struct pdf_glyphs *pg, int n,
		     struct pdf_glyphs_face_info *out)
{
	for (int i = 0, k = 0; pg && i < pg->nfaces; i++) {
		const struct pg_face *f = &pg->f[i];

		if (!f->used || k++ != n)
			continue;
		memset(out, 0, sizeof *out);
		out->face = i;
		for (unsigned g = 0; g < f->nglyphs; g++) {
			out->glyphs += has_glyph(f, g);
			out->mapped += f->tu[g] != NULL;
		}
		out->font_bytes = f->font_bytes;
		snprintf(out->name, sizeof out->name, "%s", f->name);
		return true;
	}
	return false;
}
