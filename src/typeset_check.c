/* typeset_check.c — every character a laid-out document draws, checked
 * against the fonts before anything is drawn (typeset_check_text in
 * pagelist.h), so that a document either builds or is refused with the
 * place of each character it cannot draw: nothing becomes U+FFFD. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <uniname.h>
#include <unistr.h>

#include "pagelist.h"

/* Past this many, a document is hopeless and the rest is noise. */
#define CHECK_MAX_ERRORS 1000
#define FACES_MAX 16

enum problem { P_NONE, P_CONTROL, P_INVALID, P_MISSING, P_ASTRAL };

/* A reported (origin, code point): a text drawn on every page, such as
 * the title in the header, is reported once. */
struct seen {
	const char *file;
	long line, col;
	unsigned long cp;
	bool used;
};

struct checker {
	const struct doc *d;
	const struct fontset *fs;
	struct diag_sink *sink;
	struct diag *err;
	unsigned errors;
	bool oom;
	struct seen *seen; /* open addressing, a power of two of slots */
	size_t nseen, capseen;
	/* Printable ASCII each style's own face has: the common case. */
	bool ascii[4][128];
};

/* What keeps cp from being drawn in style. */
static enum problem classify(const struct checker *c, enum font_style style,
			     long cp)
{
	/* Right-to-left text is fine: lines are reordered (bidi.h). */
	if (cp < 0)
		return P_INVALID;
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return P_CONTROL;
	if (fontset_face_for(c->fs, style, (unsigned long)cp) < 0)
		return P_MISSING;
	/* libharu 2.3.0 encodes text as UTF-16 code units of the BMP. */
	if (cp > 0xFFFF)
		return P_ASTRAL;
	return P_NONE;
}

/* The next code point of s[*i..n), -1 for invalid UTF-8 (one byte). */
static long next_cp(const char *s, size_t n, size_t *i)
{
	ucs4_t u;
	int k = u8_mbtoucr(&u, (const uint8_t *)s + *i, n - *i);

	if (k <= 0) {
		(*i)++;
		return -1;
	}
	*i += (size_t)k;
	return (long)u;
}

static size_t seen_hash(const struct seen *s)
{
	size_t h = (size_t)(uintptr_t)s->file;

	h = h * 31 + (size_t)s->line;
	h = h * 31 + (size_t)s->col;
	h = h * 31 + (size_t)s->cp;
	return h * 2654435761u;
}

static bool seen_same(const struct seen *a, const struct seen *b)
{
	return a->file == b->file && a->line == b->line && a->col == b->col &&
	       a->cp == b->cp;
}

static bool seen_put(struct checker *c, const struct seen *s);

static bool seen_grow(struct checker *c)
{
	struct seen *old = c->seen;
	size_t oldcap = c->capseen;

	c->capseen = oldcap ? oldcap * 2 : 64;
	c->seen = calloc(c->capseen, sizeof *c->seen);
	if (!c->seen) {
		c->seen = old;
		c->capseen = oldcap;
		return false;
	}
	c->nseen = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].used)
			(void)seen_put(c, &old[i]);
	free(old);
	return true;
}

/* Add s; false when it was there already. */
static bool seen_put(struct checker *c, const struct seen *s)
{
	size_t i;

	if (2 * (c->nseen + 1) > c->capseen && !seen_grow(c)) {
		c->oom = true;
		return true; /* report it again rather than lose it */
	}
	for (i = seen_hash(s) & (c->capseen - 1); c->seen[i].used;
	     i = (i + 1) & (c->capseen - 1))
		if (seen_same(&c->seen[i], s))
			return false;
	c->seen[i] = *s;
	c->seen[i].used = true;
	c->nseen++;
	return true;
}

/* The font files tried for style, for the message. */
static void tried_fonts(const struct checker *c, enum font_style style,
			char *buf, size_t size)
{
	int faces[FACES_MAX], n = fontset_faces_tried(c->fs, style, faces,
						      FACES_MAX);
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && len + 1 < size; i++) {
		const char *p = fontset_face_path(c->fs, faces[i]);
		const char *base = p ? strrchr(p, '/') : NULL;
		int w;

		base = base ? base + 1 : p ? p : "?";
		w = snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
			     base);
		if (w < 0)
			break;
		len += (size_t)w;
	}
}

/* "U+05E9 HEBREW LETTER SHIN, U+05DC HEBREW LETTER LAMED" for the first
 * few code points of s[0..n) (all of one problem). */
static void describe(const char *s, size_t n, char *buf, size_t size)
{
	size_t i = 0, len = 0;
	int shown = 0;

	buf[0] = '\0';
	while (i < n && len + 1 < size) {
		char name[UNINAME_MAX];
		long cp = next_cp(s, n, &i);
		int w;

		if (shown == 4) {
			snprintf(buf + len, size - len, ", ...");
			return;
		}
		if (cp < 0)
			continue;
		if (!unicode_character_name((ucs4_t)cp, name))
			name[0] = '\0';
		w = snprintf(buf + len, size - len, "%sU+%04lX%s%s",
			     shown ? ", " : "", (unsigned long)cp,
			     name[0] ? " " : "", name);
		if (w < 0)
			return;
		len += (size_t)w;
		shown++;
	}
}

/* Report a stretch s[0..n) of characters with problem p, drawn in style,
 * the first one (code point cp) at `at` (already located). */
static void report(struct checker *c, enum problem p, enum font_style style,
		   const char *s, size_t n, long cp,
		   const struct text_origin *at)
{
	char what[320], fonts[256];
	struct diag d;
	struct seen key = {at->file, at->line, at->col, (unsigned long)cp,
			   false};
	const char *line;
	size_t len;
	int many = n > (size_t)u8_mblen((const uint8_t *)s, n);

	if (!seen_put(c, &key) || c->errors >= CHECK_MAX_ERRORS)
		return;
	c->errors++;
	describe(s, n, what, sizeof what);
	switch (p) {
	case P_CONTROL:
		diag_set(&d, BRIEF_EDATA, at->file, at->line, at->col,
			 "control character %s cannot be typeset", what);
		break;
	case P_INVALID:
		diag_set(&d, BRIEF_EDATA, at->file, at->line, at->col,
			 "invalid UTF-8 in text to typeset");
		break;
	case P_MISSING:
		tried_fonts(c, style, fonts, sizeof fonts);
		diag_set(&d, BRIEF_EDATA, at->file, at->line, at->col,
			 "'%.*s' (%s) cannot be typeset: no font has %s "
			 "(tried %s)",
			 (int)n, s, what, many ? "these characters" : "it",
			 fonts);
		break;
	default: /* P_ASTRAL */
		diag_set(&d, BRIEF_EDATA, at->file, at->line, at->col,
			 "'%.*s' (%s) cannot be typeset: the PDF writer "
			 "draws characters up to U+FFFF only, for now",
			 (int)n, s, what);
		break;
	}
	line = at->file && at->file == c->d->layout_path
		       ? doc_layout_line(c->d, at->line, &len)
		       : NULL;
	if (line)
		diag_quote(&d, line, len);
	if (c->sink)
		diag_emit(c->sink, &d, DIAG_ERROR);
	else if (c->errors == 1 && c->err)
		*c->err = d;
}

/* Where the character at s[off] is: its text's origin, moved to the
 * character itself when the text was copied from the layout. text is the
 * start of the text the origin belongs to (NULL: not known). */
static struct text_origin locate(const struct checker *c,
				 const struct text_origin *at,
				 const char *text, const char *ch, long cp)
{
	size_t k = 0, i = 0, n;

	if (!text || ch < text)
		return *at;
	n = (size_t)(ch - text);
	if (strnlen(text, n) < n)
		return *at; /* ch is not in text */
	while (i < n)
		k += next_cp(text, n, &i) == cp;
	return doc_locate(c->d, at, (unsigned long)cp, k);
}

/* Check s[0..n), drawn in style, that came from at (text: see locate). */
static void check_string(struct checker *c, const char *s, size_t n,
			 enum font_style style, const struct text_origin *at,
			 const char *text)
{
	size_t i = 0;

	if ((unsigned)style > FONT_BOLD_ITALIC)
		style = FONT_REGULAR;
	while (i < n && c->errors < CHECK_MAX_ERRORS) {
		size_t start = i, end;
		long cp;
		enum problem p;
		struct text_origin where;
		unsigned char b = (unsigned char)s[i];

		/* The common case, cheaply: printable ASCII in the style's face. */
		if (b < 0x80 && c->ascii[style][b]) {
			i++;
			continue;
		}
		cp = next_cp(s, n, &i);
		p = classify(c, style, cp);
		if (p == P_NONE)
			continue;
		/* The stretch of characters with the same problem. */
		for (end = i; end < n;) {
			size_t j = end;
			long next = next_cp(s, n, &j);

			if (classify(c, style, next) != p)
				break;
			end = j;
		}
		where = locate(c, at, text, s + start, cp);
		report(c, p, style, s + start, end - start, cp, &where);
		i = end;
	}
}

struct chart_ctx {
	struct checker *c;
};

/* Chart text is drawn in the regular and the bold face. */
static enum brief_status check_chart_text(void *ctx, const char *s,
					  const struct text_origin *at,
					  struct diag *err)
{
	struct chart_ctx *cc = ctx;

	(void)err;
	check_string(cc->c, s, strlen(s), FONT_REGULAR, at, s);
	check_string(cc->c, s, strlen(s), FONT_BOLD, at, s);
	return cc->c->errors >= CHECK_MAX_ERRORS ? BRIEF_EDATA : BRIEF_OK;
}

enum brief_status typeset_check_text(const struct doc *d,
				     const struct fontset *fs,
				     const struct pagelist *pl,
				     struct diag_sink *sink, struct diag *err)
{
	struct checker c = {.d = d, .fs = fs, .sink = sink, .err = err};
	struct chart_ctx cc = {&c};
	struct diag ignored;

	for (int st = 0; st < 4; st++)
		for (int ch = 0x20; ch < 0x7F; ch++)
			c.ascii[st][ch] = fontset_face_for(fs, (enum font_style)st,
							   (unsigned long)ch) ==
					  st;

	for (size_t i = 0; i < pl->nops && c.errors < CHECK_MAX_ERRORS; i++) {
		const struct pl_op *op = &pl->ops[i];

		if (op->kind == PL_TEXT)
			check_string(&c, op->s, op->len, op->style, &op->at,
				     op->at_text);
		else if (op->kind == PL_CHART && op->chart)
			(void)chart_each_text(op->chart, check_chart_text, &cc,
					      &ignored);
	}
	free(c.seen);
	if (sink && sink->out && c.errors >= CHECK_MAX_ERRORS)
		fprintf(sink->out,
			"brief: stopped checking the text after %d errors\n",
			CHECK_MAX_ERRORS);
	if (c.errors)
		return sink ? diag_set(err, BRIEF_EDATA, NULL, 0, 0, "%s", "")
			    : BRIEF_EDATA;
	if (c.oom)
		return diag_set(err, BRIEF_ENOMEM, NULL, 0, 0,
				"out of memory checking the text");
	return BRIEF_OK;
}

/* ---- sizes ---- */

/* libharu's own caps (hpdf_consts.h), and PDF/A-1's (ISO 19005-1 6.1.12,
 * the PDF 1.4 implementation limits): PDF/A-1 allows arrays of 8191
 * elements (libharu puts every page in one /Kids array, every link of a
 * page in one /Annots) and strings of 65535 bytes, which for text in
 * UTF-16 (Info, bookmarks, the 2-byte codes of the page text) is 32766
 * characters. */
#define HPDF_ARRAY_MAX 32767
#define HPDF_STRING_MAX 65535
#define PDFA_ARRAY_MAX 8191
#define PDFA_STRING_MAX 65535

struct limits {
	const struct doc *d;
	bool pdfa;
	struct diag_sink *sink;
	struct diag *err;
	unsigned errors;
};

static void limit_error(struct limits *l, const struct text_origin *at,
			const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void limit_error(struct limits *l, const struct text_origin *at,
			const char *fmt, ...)
{
	static const struct text_origin none = {NULL, 0, 0};
	struct diag d;
	va_list ap;
	const char *line;
	size_t len;

	if (!at || !at->file)
		at = &none;
	va_start(ap, fmt);
	diag_vset(&d, BRIEF_EDATA, at->file ? at->file : l->d->layout_path,
		  at->line, at->col, fmt, ap);
	va_end(ap);
	line = at->file && at->file == l->d->layout_path
		       ? doc_layout_line(l->d, at->line, &len)
		       : NULL;
	if (line)
		diag_quote(&d, line, len);
	if (++l->errors > CHECK_MAX_ERRORS)
		return;
	if (l->sink)
		diag_emit(l->sink, &d, DIAG_ERROR);
	else if (l->errors == 1 && l->err)
		*l->err = d;
}

static size_t cp_count(const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

/* A string libharu writes from UTF-8 (Info, bookmark): within libharu's
 * byte cap, and as UTF-16 within PDF/A's. extra: bytes it grows by before
 * libharu sees it (XML escapes for the PDF/A metadata). */
static void limit_text(struct limits *l, const char *what, const char *s,
		       size_t n, size_t extra, const struct text_origin *at)
{
	size_t utf16 = 2 + 2 * cp_count(s, n);

	if (n + extra > HPDF_STRING_MAX)
		limit_error(l, at,
			    "%s is %zu bytes long; the PDF writer takes at "
			    "most %d",
			    what, n + extra, HPDF_STRING_MAX);
	else if (l->pdfa && utf16 > PDFA_STRING_MAX)
		limit_error(l, at,
			    "%s is %zu characters long; PDF/A-1 allows %d "
			    "(a string of %d bytes)",
			    what, cp_count(s, n), (PDFA_STRING_MAX - 2) / 2,
			    PDFA_STRING_MAX);
}

/* Bytes XML escapes add (PDF/A: libharu copies Info into its XMP). */
static size_t xml_growth(const char *s)
{
	size_t g = 0;

	for (; *s; s++)
		g += *s == '&' ? 4 : *s == '\'' || *s == '"' ? 5
		     : *s == '<' || *s == '>'       ? 3
						    : 0;
	return g;
}

static void limit_info(struct limits *l, const char *what, const char *v,
		       const struct text_origin *at)
{
	size_t n, i = 0;

	if (!v || !*v)
		return;
	n = strlen(v);
	limit_text(l, what, v, n, l->pdfa ? xml_growth(v) : 0, at);
	/* The document information is not drawn, so typeset_check_text
	 * never sees the keywords; libharu would write a space for a
	 * character past U+FFFF there. */
	while (i < n) {
		long cp = next_cp(v, n, &i);

		if (cp > 0xFFFF) {
			struct text_origin where = doc_locate(
				l->d, at, (unsigned long)cp, 0);

			limit_error(l, &where,
				    "%s: U+%04lX cannot be written into the "
				    "document information: the PDF writer "
				    "handles characters up to U+FFFF only, for "
				    "now",
				    what, (unsigned long)cp);
			break;
		}
	}
}

/* A URI as typeset_pdf.c writes it: percent-encoded past ASCII. */
static size_t uri_bytes(const char *uri)
{
	size_t n = 0;

	for (const unsigned char *u = (const unsigned char *)uri; *u; u++)
		n += *u <= 0x20 || *u >= 0x7F ? 3 : 1;
	return n;
}

enum brief_status typeset_check_limits(const struct doc *d,
				       const struct pagelist *pl, bool pdfa,
				       struct diag_sink *sink,
				       struct diag *err)
{
	struct limits l = {d, pdfa, sink, err, 0};
	const struct doc_meta *m = &d->meta;
	int max_array = pdfa ? PDFA_ARRAY_MAX : HPDF_ARRAY_MAX;
	size_t links = 0;
	int page = -1;

	if (pl->npages > max_array)
		limit_error(&l, NULL,
			    "the briefing has %d pages; %s at most %d", pl->npages,
			    pdfa ? "PDF/A-1 allows" : "the PDF writer makes",
			    max_array);
	limit_info(&l, "the title", m->title, &m->at.title);
	limit_info(&l, "the subtitle", m->subtitle, &m->at.subtitle);
	limit_info(&l, "the author", m->author, &m->at.author);
	limit_info(&l, "the organisation", m->organisation,
		   &m->at.organisation);
	limit_info(&l, "the keywords", m->keywords, &m->at.keywords);
	for (size_t i = 0; i < pl->nops; i++) {
		const struct pl_op *op = &pl->ops[i];

		if (op->kind == PL_OUTLINE) {
			limit_text(&l, "the heading (a bookmark)", op->s,
				   op->len, 0, &op->at);
		} else if (op->kind == PL_LINK) {
			links = op->page == page ? links + 1 : 1;
			page = op->page;
			if (links == (size_t)max_array + 1)
				limit_error(&l, &op->at,
					    "page %d has more than %d links; "
					    "%s no more",
					    op->page + 1, max_array,
					    pdfa ? "PDF/A-1 allows"
						 : "the PDF writer makes");
			if (op->uri && uri_bytes(op->uri) > HPDF_STRING_MAX)
				limit_error(&l, &op->at,
					    "a link target is %zu bytes long; "
					    "the PDF writer takes at most %d",
					    uri_bytes(op->uri),
					    HPDF_STRING_MAX);
		} else if (op->kind == PL_TEXT && pdfa &&
			   2 * cp_count(op->s, op->len) > PDFA_STRING_MAX) {
			/* Only characters of no width make a piece of a line
			 * this long. */
			limit_error(&l, &op->at,
				    "a word of %zu characters is drawn as one "
				    "string; PDF/A-1 allows %d",
				    cp_count(op->s, op->len),
				    PDFA_STRING_MAX / 2);
		}
	}
	if (l.errors && sink && sink->out && l.errors > CHECK_MAX_ERRORS)
		fprintf(sink->out, "brief: too many size errors, not showing "
				   "more\n");
	if (l.errors)
		return sink ? diag_set(err, BRIEF_EDATA, NULL, 0, 0, "%s", "")
			    : BRIEF_EDATA;
	return BRIEF_OK;
}
