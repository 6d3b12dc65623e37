/* canvas_svg.c — charts as SVG with real text (canvas_svg.h). */
#include "canvas_svg.h"

#include <cairo-ft.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistr.h>

cairo_t *canvas_svg_cairo(void)
{
	cairo_surface_t *s =
		cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
	cairo_t *cr = cairo_create(s);

	cairo_surface_destroy(s); /* cr keeps its own reference */
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		cairo_destroy(cr);
		return NULL;
	}
	return cr;
}

void canvas_svg_init(struct canvas_svg *s, const struct fontset *fs)
{
	struct buf empty = BUF_INIT(0);

	memset(s, 0, sizeof *s);
	s->body = empty;
	s->text = empty;
	s->fs = fs;
}

void canvas_svg_free(struct canvas_svg *s)
{
	if (!s)
		return;
	buf_free(&s->body);
	buf_free(&s->text);
}

/* ---- escaping ------------------------------------------------------------ */

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

enum brief_status svg_escape(struct buf *b, const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + len;

	while (p < end && b->st == BRIEF_OK) {
		const uint8_t *run = p;
		ucs4_t u;
		int n;

		/* Copy the bytes that need nothing in one piece. */
		while (p < end && *p >= 0x20 && *p < 0x80 && !strchr("&<>\"'", *p))
			p++;
		if (p > run)
			buf_add(b, run, (size_t)(p - run));
		if (p >= end)
			break;
		n = u8_mbtoucr(&u, p, (size_t)(end - p));
		if (n < 0) {
			/* Malformed or cut short: one replacement per byte,
			 * and go on after it. */
			buf_puts(b, replacement);
			p++;
			continue;
		}
		switch (u) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\'':
			buf_puts(b, "&apos;");
			break;
		case '\t':
		case '\n':
		case '\r':
			/* As references, so attribute normalisation keeps them. */
			buf_printf(b, "&#x%X;", (unsigned)u);
			break;
		default:
			/* XML 1.0 cannot carry other C0 controls, even as
			 * references, nor the two non-characters. */
			if (u < 0x20 || u == 0xFFFE || u == 0xFFFF)
				buf_puts(b, replacement);
			else
				buf_add(b, p, (size_t)n);
			break;
		}
		p += n;
	}
	return b->st;
}

/* ---- fonts --------------------------------------------------------------- */

/* The generic family a face resembles, from its fixed-pitch flag and its
 * PANOSE classification (OS/2 table): family kind 3 is script, serif
 * styles 2 to 10 have serifs, 11 to 13 are sans. */
static const char *generic_family(FT_Face f)
{
	const TT_OS2 *os2 = FT_Get_Sfnt_Table(f, FT_SFNT_OS2);

	if (FT_IS_FIXED_WIDTH(f))
		return "monospace";
	if (os2 && os2->panose[0] == 3)
		return "cursive";
	if (os2 && os2->panose[0] == 2 && os2->panose[1] >= 2 &&
	    os2->panose[1] <= 10)
		return "serif";
	return "sans-serif";
}

/* A CSS string: the name in single quotes, ' and \ escaped. */
static void css_quote(struct buf *b, const char *name)
{
	buf_puts(b, "'");
	for (const char *p = name; *p; p++) {
		if (*p == '\'' || *p == '\\')
			buf_puts(b, "\\");
		buf_add(b, p, 1);
	}
	buf_puts(b, "'");
}

enum brief_status svg_font_families(const struct fontset *fs, struct buf *b)
{
	const char *generic = "sans-serif";
	size_t start = b->n;
	int n = fontset_face_count(fs);

	for (int i = 0; i < n; i++) {
		cairo_font_face_t *ff = fontset_cairo_face(fs, i);
		cairo_font_options_t *fo = cairo_font_options_create();
		cairo_matrix_t m;
		cairo_scaled_font_t *sf;
		FT_Face f;
		char quoted[512];
		struct buf q = BUF_INIT(sizeof quoted);

		cairo_matrix_init_identity(&m);
		sf = cairo_scaled_font_create(ff, &m, &m, fo);
		cairo_font_options_destroy(fo);
		f = sf ? cairo_ft_scaled_font_lock_face(sf) : NULL;
		if (f && f->family_name && *f->family_name) {
			css_quote(&q, f->family_name);
			if (i == 0)
				generic = generic_family(f);
			/* Each family once: the four styles share one. */
			if (q.st == BRIEF_OK &&
			    !strstr(buf_str(b) + start, buf_str(&q))) {
				if (b->n > start)
					buf_puts(b, ", ");
				buf_puts(b, buf_str(&q));
			}
		}
		buf_free(&q);
		if (f)
			cairo_ft_scaled_font_unlock_face(sf);
		cairo_scaled_font_destroy(sf);
	}
	if (b->n > start)
		buf_puts(b, ", ");
	return buf_puts(b, generic);
}

/* ---- numbers, colours, paths --------------------------------------------- */

/* A coordinate: two decimals (1/100 pt), no trailing zeros, no "-0". */
static void put_num(struct buf *b, double v)
{
	char s[64];
	size_t n;

	if (!isfinite(v))
		v = 0;
	snprintf(s, sizeof s, "%.2f", v);
	n = strlen(s);
	while (n > 0 && s[n - 1] == '0')
		s[--n] = '\0';
	if (n > 0 && s[n - 1] == '.')
		s[--n] = '\0';
	if (strcmp(s, "-0") == 0)
		strcpy(s, "0");
	buf_puts(b, s);
}

static unsigned channel(double v)
{
	return (unsigned)lround(fmin(1, fmax(0, v)) * 255);
}

/* attr="#rrggbb", and attr-opacity when c is not opaque. */
static void put_color(struct buf *b, const char *attr, struct rgba c)
{
	buf_printf(b, " %s=\"#%02x%02x%02x\"", attr, channel(c.r),
		   channel(c.g), channel(c.b));
	if (c.a < 1) {
		buf_printf(b, " %s-opacity=\"", attr);
		put_num(b, fmax(0, c.a));
		buf_puts(b, "\"");
	}
}

/* cr's current path in device space (the canvas's coordinates) as the
 * value of d, then cleared. Returns the number of segments written. */
static size_t put_path(struct canvas_svg *s, cairo_t *cr)
{
	struct buf *b = &s->body;
	cairo_matrix_t m;
	cairo_path_t *path;
	size_t n = 0;

	cairo_get_matrix(cr, &m);
	cairo_identity_matrix(cr);
	path = cairo_copy_path(cr);
	cairo_set_matrix(cr, &m);
	cairo_new_path(cr);
	if (!path || path->status != CAIRO_STATUS_SUCCESS) {
		s->failed = 1;
		cairo_path_destroy(path);
		return 0;
	}
	for (int i = 0; i < path->num_data; i += path->data[i].header.length) {
		const cairo_path_data_t *d = &path->data[i];
		static const char *const op[] = { "M", "L", "C", "Z" };
		int npts = d->header.type == CAIRO_PATH_CURVE_TO   ? 3
			   : d->header.type == CAIRO_PATH_CLOSE_PATH ? 0
								     : 1;

		buf_puts(b, n ? " " : "");
		buf_puts(b, op[d->header.type]);
		for (int k = 1; k <= npts; k++) {
			buf_puts(b, " ");
			put_num(b, d[k].point.x);
			buf_puts(b, " ");
			put_num(b, d[k].point.y);
		}
		n++;
	}
	cairo_path_destroy(path);
	return n;
}

/* Whether cr has a path worth drawing (the PDF back end's rule). */
static bool has_path(cairo_t *cr)
{
	double x1, y1, x2, y2;

	cairo_path_extents(cr, &x1, &y1, &x2, &y2);
	return !(x1 == 0 && y1 == 0 && x2 == 0 && y2 == 0 &&
		 !cairo_has_current_point(cr));
}

static void svg_fill(void *impl, cairo_t *cr, struct rgba c)
{
	struct canvas_svg *s = impl;
	struct buf *b = &s->body;

	if (!has_path(cr) || c.a <= 0) {
		cairo_new_path(cr);
		return;
	}
	buf_puts(b, "<path");
	put_color(b, "fill", c);
	if (cairo_get_fill_rule(cr) == CAIRO_FILL_RULE_EVEN_ODD)
		buf_puts(b, " fill-rule=\"evenodd\"");
	buf_puts(b, " d=\"");
	put_path(s, cr);
	buf_puts(b, "\"/>\n");
}

static void svg_stroke(void *impl, cairo_t *cr, struct rgba c, double width,
		       const double *dash, int ndash)
{
	struct canvas_svg *s = impl;
	struct buf *b = &s->body;

	if (!has_path(cr) || c.a <= 0) {
		cairo_new_path(cr);
		return;
	}
	buf_puts(b, "<path fill=\"none\"");
	put_color(b, "stroke", c);
	buf_puts(b, " stroke-width=\"");
	put_num(b, width);
	buf_puts(b, "\"");
	if (dash && ndash > 0) {
		buf_puts(b, " stroke-dasharray=\"");
		for (int i = 0; i < ndash; i++) {
			buf_puts(b, i ? " " : "");
			put_num(b, dash[i]);
		}
		buf_puts(b, "\"");
	}
	buf_puts(b, " d=\"");
	put_path(s, cr);
	buf_puts(b, "\"/>\n");
}

static void put_text(struct buf *b, double x, double y, double angle,
		     enum text_anchor anchor, const char *str, size_t len,
		     enum font_style style, double size, struct rgba c)
{
	buf_puts(b, "<text x=\"");
	put_num(b, x);
	buf_puts(b, "\" y=\"");
	put_num(b, y);
	buf_puts(b, "\" font-size=\"");
	put_num(b, size);
	buf_puts(b, "\"");
	if (style == FONT_BOLD || style == FONT_BOLD_ITALIC)
		buf_puts(b, " font-weight=\"bold\"");
	if (style == FONT_ITALIC || style == FONT_BOLD_ITALIC)
		buf_puts(b, " font-style=\"italic\"");
	if (anchor != ANCHOR_START)
		buf_puts(b, anchor == ANCHOR_MIDDLE ? " text-anchor=\"middle\""
						    : " text-anchor=\"end\"");
	put_color(b, "fill", c);
	if (angle != 0) {
		/* Counter-clockwise on the page; SVG turns clockwise. */
		buf_puts(b, " transform=\"rotate(");
		put_num(b, -angle);
		buf_puts(b, " ");
		put_num(b, x);
		buf_puts(b, " ");
		put_num(b, y);
		buf_puts(b, ")\"");
	}
	buf_puts(b, ">");
	svg_escape(b, str, len);
	buf_puts(b, "</text>\n");
}

/* Write the pending text, if any. */
static void flush_text(struct canvas_svg *s)
{
	if (s->text.n == 0)
		return;
	put_text(&s->body, s->tx, s->ty, 0, ANCHOR_START, buf_str(&s->text),
		 s->text.n, s->tstyle, s->tsize, s->tcolor);
	s->text.n = 0;
	if (s->text.s)
		s->text.s[0] = '\0';
}

static bool same_rgba(struct rgba a, struct rgba b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a;
}

/* One line of text. The reader's own layout places it from the anchor,
 * so a label stays aligned even where the fonts are substituted. */
static void svg_text(void *impl, double x, double y, double angle,
		     enum text_anchor anchor, const char *str, size_t len,
		     enum font_style style, double size, struct rgba c)
{
	struct canvas_svg *s = impl;
	double space;

	if (len == 0)
		return;
	if (angle != 0 || anchor != ANCHOR_START) {
		flush_text(s);
		put_text(&s->body, x, y, angle, anchor, str, len, style, size,
			 c);
		return;
	}
	space = fontset_text_width(s->fs, style, " ", 1, size);
	if (s->text.n && fabs(y - s->ty) < 0.01 && style == s->tstyle &&
	    size == s->tsize && same_rgba(c, s->tcolor) &&
	    fabs(x - (s->tend + space)) < 0.05) {
		buf_puts(&s->text, " ");
	} else {
		flush_text(s);
		s->tx = x;
		s->ty = y;
		s->tstyle = style;
		s->tsize = size;
		s->tcolor = c;
	}
	buf_add(&s->text, str, len);
	s->tend = x + fontset_text_width(s->fs, style, str, len, size);
}

static void svg_fill_flush(void *impl, cairo_t *cr, struct rgba c)
{
	flush_text(impl);
	svg_fill(impl, cr, c);
}

static void svg_stroke_flush(void *impl, cairo_t *cr, struct rgba c,
			     double width, const double *dash, int ndash)
{
	flush_text(impl);
	svg_stroke(impl, cr, c, width, dash, ndash);
}

const struct canvas_ops canvas_svg_ops = {
	.fill = svg_fill_flush,
	.stroke = svg_stroke_flush,
	.text = svg_text,
};

/* ---- the document -------------------------------------------------------- */

static void put_attr(struct buf *b, const char *name, const char *v)
{
	buf_printf(b, " %s=\"", name);
	svg_escape(b, v, strlen(v));
	buf_puts(b, "\"");
}

static void put_element(struct buf *b, const char *tag, const char *id,
			const char *suffix, const char *text)
{
	buf_printf(b, "<%s id=\"brief-", tag);
	svg_escape(b, id, strlen(id));
	buf_printf(b, "-%s\">", suffix);
	svg_escape(b, text, strlen(text));
	buf_printf(b, "</%s>\n", tag);
}

enum brief_status canvas_svg_document(struct canvas_svg *s,
				      const struct svg_head *h, char **out,
				      size_t *len, struct diag *err)
{
	struct buf b = BUF_INIT(0), fam = BUF_INIT(0);
	const char *id = h->id && *h->id ? h->id : "chart";
	bool title = h->title && *h->title, desc = h->desc && *h->desc;

	*out = NULL;
	*len = 0;
	flush_text(s);
	if (s->failed)
		return diag_set(err, BRIEF_EINTERNAL, NULL, 0, 0,
				"internal error in the SVG canvas: cairo could "
				"not give a path of chart '%s'",
				id);
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		     "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\"");
	buf_puts(&b, " width=\"");
	put_num(&b, h->width);
	buf_puts(&b, "pt\" height=\"");
	put_num(&b, h->height);
	buf_puts(&b, "pt\" viewBox=\"0 0 ");
	put_num(&b, h->width);
	buf_puts(&b, " ");
	put_num(&b, h->height);
	buf_puts(&b, "\" role=\"img\"");
	if (title)
		buf_printf(&b, " aria-labelledby=\"brief-%s-title\"", id);
	if (desc)
		buf_printf(&b, " aria-describedby=\"brief-%s-desc\"", id);
	buf_puts(&b, ">\n");
	if (title)
		put_element(&b, "title", id, "title", h->title);
	if (desc)
		put_element(&b, "desc", id, "desc", h->desc);
	if (h->stamp || h->generator) {
		buf_puts(&b, "<metadata><brief:export "
			     "xmlns:brief=\"urn:x-brief:export\"");
		if (h->stamp)
			put_attr(&b, "input", h->stamp);
		if (h->generator)
			put_attr(&b, "generator", h->generator);
		buf_puts(&b, "/></metadata>\n");
	}
	if (h->background)
		buf_puts(&b, "<rect width=\"100%\" height=\"100%\" "
			     "fill=\"#ffffff\"/>\n");
	/* Kerning off and miter limit 10: how the PNG and PDF draw. */
	buf_puts(&b, "<g transform=\"translate(");
	put_num(&b, h->margin);
	buf_puts(&b, " ");
	put_num(&b, h->margin);
	buf_puts(&b, ")\" stroke-miterlimit=\"10\" "
		     "style=\"font-kerning:none\" xml:space=\"preserve\"");
	svg_font_families(s->fs, &fam);
	put_attr(&b, "font-family", buf_str(&fam));
	buf_puts(&b, ">\n");
	buf_add(&b, buf_str(&s->body), s->body.n);
	buf_puts(&b, "</g>\n</svg>\n");
	if (fam.st != BRIEF_OK || s->body.st != BRIEF_OK ||
	    s->text.st != BRIEF_OK)
		b.st = BRIEF_ENOMEM;
	buf_free(&fam);
	*len = b.n;
	*out = buf_take(&b);
	if (!*out) {
		*len = 0;
		return diag_set(err, BRIEF_ENOMEM, NULL, 0, 0,
				"out of memory writing chart '%s' as SVG", id);
	}
	return BRIEF_OK;
}
