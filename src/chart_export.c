/* chart_export.c — a chart on its own, for other documents: PNG (with its
 * resolution and text chunks), SVG (brief's SVG canvas), a one-page PDF
 * (the libharu canvas and fonts), the alt text; and --charts DIR, with
 * stamps so --if-changed can tell which files are up to date. */
#include "chart_impl.h"

#include <errno.h>
#include <hpdf.h>
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "buf.h"
#include "canvas_hpdf.h"
#include "canvas_svg.h"
#include "doc.h"
#include "outfile.h"
#include "pdf_fix.h"
#include "pdf_font.h"
#include "sha256.h"

/* The largest PNG: cairo's limit a side, and a cap on the pixels (400 MB
 * of image) a very tall timeline at a high scale would need. */
#define PNG_MAX_SIDE 32767
#define PNG_MAX_PIXELS 100000000.0

static const char *const format_ext[CHART_NFORMATS] = { "png", "svg", "pdf",
							"txt" };

const char *chart_format_ext(enum chart_format f)
{
	return (unsigned)f < CHART_NFORMATS ? format_ext[f] : "";
}

/* ---- size and wording of an export --------------------------------------- */

struct geom {
	double w, h; /* the chart, pt */
	double W, H; /* the image: the chart and its margin */
	double m;
};

static void export_geom(struct chart *c, const struct fontset *fs,
			const struct chart_export_opts *o, struct geom *g)
{
	g->m = o->margin > 0 ? o->margin : 0;
	g->w = c->spec->width > 0 ? c->spec->width : CHART_EXPORT_WIDTH;
	g->h = chart_height_for(c, fs, g->w);
	g->W = g->w + 2 * g->m;
	g->H = g->h + 2 * g->m;
}

/* Out of its briefing a chart names its sources: the bibliography
 * numbers are set aside, with the source line that shows them, until
 * named_end puts them back. */
struct named {
	int *cite;
	char *line;
};

static bool named_begin(struct chart *c, struct named *sv)
{
	sv->cite = c->cite;
	sv->line = c->source_line;
	if (!sv->cite)
		return true; /* no numbers to hide */
	c->cite = NULL;
	c->source_line = NULL;
	if (chart_make_source_line(c))
		return true;
	c->cite = sv->cite;
	c->source_line = sv->line;
	return false;
}

static void named_end(struct chart *c, const struct named *sv)
{
	if (!sv->cite)
		return;
	free(c->source_line);
	c->cite = sv->cite;
	c->source_line = sv->line;
}

static const char *export_title(const struct chart *c)
{
	return c->spec->title && *c->spec->title ? c->spec->title : c->spec->id;
}

static void stamp_hex(const uint8_t *stamp, char hex[33])
{
	for (int i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", stamp[i]);
}

/* ---- PNG ----------------------------------------------------------------- */

/* zlib level 4 without row filters: for flat-coloured charts, half the
 * time of libpng's defaults (level 6, adaptive filters) and a sixth
 * smaller (measured on the Serrania charts at 2x). */
#define PNG_ZLEVEL 4

static void png_to_buf(png_structp p, png_bytep data, size_t n)
{
	if (buf_add(png_get_io_ptr(p), data, n) != BRIEF_OK)
		png_error(p, "out of memory");
}

static void png_no_flush(png_structp p)
{
	(void)p;
}

/* A row of cairo's pixels (native 32-bit words, premultiplied alpha) as
 * the bytes of a PNG row: RGB, or RGBA with the alpha divided out. */
static void png_row(const unsigned char *src, int w, bool alpha,
		    unsigned char *dst)
{
	for (int x = 0; x < w; x++) {
		uint32_t v;
		unsigned a, ch[3];

		memcpy(&v, src + 4 * (size_t)x, 4);
		a = v >> 24;
		ch[0] = (v >> 16) & 0xff;
		ch[1] = (v >> 8) & 0xff;
		ch[2] = v & 0xff;
		for (int k = 0; k < 3; k++)
			*dst++ = (unsigned char)(!alpha || a == 255 ? ch[k]
						 : a == 0 ? 0
							  : (ch[k] * 255 + a / 2) / a);
		if (alpha)
			*dst++ = (unsigned char)a;
	}
}

/* The image as PNG: its resolution (pHYs, pixels per metre), title and
 * alt text (iTXt, UTF-8), generator and stamp (tEXt). */
static enum brief_status png_encode(cairo_surface_t *surf, bool alpha,
				    double scale, struct chart *c,
				    const struct chart_export_opts *o,
				    const char *hex, struct buf *out)
{
	png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
						NULL, NULL);
	png_infop info = p ? png_create_info_struct(p) : NULL;
	unsigned char *volatile row = NULL;
	int w = cairo_image_surface_get_width(surf);
	int h = cairo_image_surface_get_height(surf);
	int stride = cairo_image_surface_get_stride(surf);
	const unsigned char *data = cairo_image_surface_get_data(surf);
	png_uint_32 ppm = (png_uint_32)lround(scale * 72 / 0.0254);
	char k_title[] = "Title", k_desc[] = "Description",
	     k_soft[] = "Software", k_stamp[] = "brief-input";
	png_text text[4];
	int ntext = 0;

	if (!p || !info) {
		png_destroy_write_struct(&p, &info);
		return BRIEF_ENOMEM;
	}
	if (setjmp(png_jmpbuf(p))) {
		png_destroy_write_struct(&p, &info);
		free(row);
		return out->st == BRIEF_ENOMEM ? BRIEF_ENOMEM : BRIEF_EINTERNAL;
	}
	memset(text, 0, sizeof text);
	text[ntext].compression = PNG_ITXT_COMPRESSION_NONE;
	text[ntext].key = k_title;
	text[ntext++].text = (png_charp)(uintptr_t)export_title(c);
	text[ntext].compression = PNG_ITXT_COMPRESSION_NONE;
	text[ntext].key = k_desc;
	text[ntext++].text = (png_charp)(uintptr_t)chart_alt_text(c);
	if (o->generator) {
		text[ntext].compression = PNG_TEXT_COMPRESSION_NONE;
		text[ntext].key = k_soft;
		text[ntext++].text = (png_charp)(uintptr_t)o->generator;
	}
	if (hex) {
		text[ntext].compression = PNG_TEXT_COMPRESSION_NONE;
		text[ntext].key = k_stamp;
		text[ntext++].text = (png_charp)(uintptr_t)hex;
	}
	png_set_write_fn(p, out, png_to_buf, png_no_flush);
	png_set_IHDR(p, info, (png_uint_32)w, (png_uint_32)h, 8,
		     alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_set_pHYs(p, info, ppm, ppm, PNG_RESOLUTION_METER);
	png_set_text(p, info, text, ntext);
	png_set_compression_level(p, PNG_ZLEVEL);
	png_set_filter(p, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	png_write_info(p, info);
	row = malloc((size_t)w * 4);
	if (!row) {
		out->st = BRIEF_ENOMEM; /* what the jump returns */
		png_error(p, "out of memory");
	}
	for (int y = 0; y < h; y++) {
		png_row(data + (size_t)y * (size_t)stride, w, alpha, row);
		png_write_row(p, row);
	}
	png_write_end(p, info);
	png_destroy_write_struct(&p, &info);
	free(row);
	return BRIEF_OK;
}

static enum brief_status export_png(struct chart *c, const struct fontset *fs,
				    const struct geom *g,
				    const struct chart_export_opts *o,
				    const uint8_t *stamp, struct buf *out,
				    struct diag *err)
{
	const struct chart_spec *s = c->spec;
	double pw = ceil(g->W * o->scale - 1e-6), ph = ceil(g->H * o->scale - 1e-6);
	cairo_surface_t *surf;
	cairo_t *cr;
	struct canvas cv = { NULL, fs, &canvas_cairo_ops, NULL, g->w, g->h, false };
	enum brief_status st;
	cairo_status_t cs;
	char hex[33];

	if (pw > PNG_MAX_SIDE || ph > PNG_MAX_SIDE || pw * ph > PNG_MAX_PIXELS)
		return diag_set(err, BRIEF_EDATA, s->file, s->at.line, s->at.col,
				"chart '%s' is too large for a PNG at scale %g "
				"(%.0f x %.0f pixels; at most %d a side and "
				"100 million in all): lower --chart-scale",
				s->id, o->scale, pw, ph, PNG_MAX_SIDE);
	surf = cairo_image_surface_create(o->transparent ? CAIRO_FORMAT_ARGB32
							 : CAIRO_FORMAT_RGB24,
					  (int)pw, (int)ph);
	cs = cairo_surface_status(surf);
	if (cs != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(surf);
		if (cs == CAIRO_STATUS_NO_MEMORY)
			return chart_oom(c, err);
		return diag_set(err, BRIEF_EINTERNAL, s->file, s->at.line,
				s->at.col,
				"internal error in cairo: a %.0f x %.0f image "
				"for chart '%s': %s",
				pw, ph, s->id, cairo_status_to_string(cs));
	}
	cr = cairo_create(surf);
	cv.cr = cr;
	cv.impl = &cv;
	cairo_scale(cr, o->scale, o->scale);
	if (!o->transparent) {
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
	}
	cairo_translate(cr, g->m, g->m);
	st = chart_draw(c, &cv, err);
	cairo_destroy(cr);
	cairo_surface_flush(surf);
	if (stamp)
		stamp_hex(stamp, hex);
	if (st == BRIEF_OK) {
		st = png_encode(surf, o->transparent, o->scale, c, o,
				stamp ? hex : NULL, out);
		if (st == BRIEF_ENOMEM)
			st = chart_oom(c, err);
		else if (st != BRIEF_OK)
			st = diag_set(err, BRIEF_EINTERNAL, s->file, s->at.line,
				      s->at.col,
				      "internal error in libpng writing chart "
				      "'%s'",
				      s->id);
	}
	cairo_surface_destroy(surf);
	return st;
}

static unsigned long get_be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
	       (unsigned long)p[2] << 8 | p[3];
}

/* Whether the PNG at path has the tEXt chunk "brief-input" = hex (text
 * chunks come before the image data). */
static bool png_has_stamp(const char *path, const char *hex)
{
	FILE *f = fopen(path, "rb");
	unsigned char head[8];
	char want[64], data[64];
	size_t wlen;
	bool found = false;

	if (!f)
		return false;
	wlen = (size_t)snprintf(want, sizeof want, "brief-input%c%s", 0, hex);
	if (fread(head, 1, 8, f) != 8 || memcmp(head, "\x89PNG\r\n\x1a\n", 8)) {
		fclose(f);
		return false;
	}
	while (!found && fread(head, 1, 8, f) == 8) {
		unsigned long n = get_be32(head);

		if (memcmp(head + 4, "IDAT", 4) == 0 ||
		    memcmp(head + 4, "IEND", 4) == 0 || n > 0x7fffffffUL)
			break;
		if (memcmp(head + 4, "tEXt", 4) == 0 && n == wlen) {
			if (fread(data, 1, n, f) != n)
				break;
			found = memcmp(data, want, wlen) == 0;
			n = 0;
		}
		if (fseek(f, (long)n + 4, SEEK_CUR) != 0) /* data and CRC */
			break;
	}
	fclose(f);
	return found;
}

/* ---- SVG ----------------------------------------------------------------- */

static enum brief_status export_svg(struct chart *c, const struct fontset *fs,
				    const struct geom *g,
				    const struct chart_export_opts *o,
				    const uint8_t *stamp, struct buf *out,
				    struct diag *err)
{
	struct canvas_svg svg;
	struct canvas cv = { NULL, fs, &canvas_svg_ops, &svg, g->w, g->h, false };
	struct svg_head head = { 0 };
	char hex[33], *doc = NULL;
	size_t len = 0;
	enum brief_status st;

	canvas_svg_init(&svg, fs);
	cv.cr = canvas_svg_cairo();
	if (!cv.cr)
		return chart_oom(c, err);
	st = chart_draw(c, &cv, err);
	cairo_destroy(cv.cr);
	if (st == BRIEF_OK) {
		head.width = g->W;
		head.height = g->H;
		head.margin = g->m;
		head.background = !o->transparent;
		head.id = c->spec->id;
		head.title = export_title(c);
		head.desc = chart_alt_text(c);
		head.generator = o->generator;
		if (stamp) {
			stamp_hex(stamp, hex);
			head.stamp = hex;
		}
		st = canvas_svg_document(&svg, &head, &doc, &len, err);
	}
	if (st == BRIEF_OK && buf_add(out, doc, len) != BRIEF_OK)
		st = chart_oom(c, err);
	free(doc);
	canvas_svg_free(&svg);
	return st;
}

static bool has_bytes(const char *hay, size_t n, const char *needle,
		      size_t k)
{
	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, k) == 0)
			return true;
	return false;
}

/* The metadata follows the title and the description, which can be long:
 * the file is searched in blocks that overlap by the needle's length. */
static bool svg_has_stamp(const char *path, const char *hex)
{
	FILE *f = fopen(path, "rb");
	char want[96], block[8192];
	size_t k, n = 0, got;
	bool found = false;

	if (!f)
		return false;
	k = (size_t)snprintf(want, sizeof want,
			     "<brief:export xmlns:brief=\"urn:x-brief:export\" "
			     "input=\"%s\"",
			     hex);
	while (!found && (got = fread(block + n, 1, sizeof block - n, f)) > 0) {
		n += got;
		found = has_bytes(block, n, want, k);
		if (n > k) {
			memmove(block, block + n - k, k);
			n = k;
		}
	}
	fclose(f);
	return found;
}

/* ---- PDF ----------------------------------------------------------------- */

struct hpdf_err {
	HPDF_STATUS code, detail;
};

static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
	struct hpdf_err *e = user;

	if (!e->code) {
		e->code = code;
		e->detail = detail;
	}
}

static enum brief_status hpdf_fail(const struct chart *c, HPDF_Doc pdf,
				   const struct hpdf_err *he, const char *what,
				   struct diag *err)
{
	HPDF_STATUS code = he->code ? he->code
			   : pdf    ? HPDF_GetError(pdf)
				    : HPDF_FAILD_TO_ALLOC_MEM;

	if (code == HPDF_FAILD_TO_ALLOC_MEM)
		return chart_oom(c, err);
	return diag_set(err, BRIEF_EINTERNAL, c->spec->file, c->spec->at.line,
			c->spec->at.col,
			"internal error in libharu: error 0x%04X (detail %u) "
			"while %s of chart '%s'",
			(unsigned)code, (unsigned)he->detail, what, c->spec->id);
}

/* The saved document, from libharu's memory stream into out. */
static int pdf_save(HPDF_Doc pdf, struct buf *out)
{
	HPDF_UINT32 size, got = 0;
	unsigned char block[16384];

	if (HPDF_SaveToStream(pdf) != HPDF_OK)
		return -1;
	size = HPDF_GetStreamSize(pdf);
	HPDF_ResetStream(pdf);
	while (got < size) {
		HPDF_UINT32 n = sizeof block;
		HPDF_STATUS rc = HPDF_ReadFromStream(pdf, block, &n);

		if (buf_add(out, block, n) != BRIEF_OK)
			return -1;
		got += n;
		if (rc == HPDF_STREAM_EOF || n == 0)
			break;
		if (rc != HPDF_OK)
			return -1;
	}
	return got == size ? 0 : -1;
}

static int pdf_background(HPDF_Page page, const struct geom *g)
{
	struct pdf_ops o;

	pdf_ops_begin(&o, page);
	pdf_ops_op(&o, "q");
	pdf_ops_op(&o, "1 1 1 rg");
	pdf_ops_num(&o, 0);
	pdf_ops_num(&o, 0);
	pdf_ops_num(&o, (HPDF_REAL)g->W);
	pdf_ops_num(&o, (HPDF_REAL)g->H);
	pdf_ops_op(&o, "re");
	pdf_ops_op(&o, "f");
	pdf_ops_op(&o, "Q");
	return pdf_ops_end(&o);
}

/* Draw the chart once onto a recording canvas (which shapes its text),
 * replay it onto one page as positioned glyph runs, then embed the fonts
 * as subsets of the glyphs drawn: the path the briefing's charts take. */
static enum brief_status export_pdf(struct chart *c, const struct fontset *fs,
				    const struct geom *g,
				    const struct chart_export_opts *o,
				    const uint8_t *stamp, struct buf *out,
				    struct diag *err)
{
	struct hpdf_err he = { 0 };
	HPDF_Doc pdf = HPDF_New(on_hpdf_error, &he);
	struct pdf_glyphs *pg = NULL;
	struct canvas_hpdf_rec rec = { 0 };
	struct canvas cv = { NULL, fs, &canvas_hpdf_rec_ops, &rec, g->w, g->h, false };
	uint8_t id[32] = { 0 }; /* the first 16 bytes are the /ID */
	HPDF_Page page;
	enum brief_status st = BRIEF_OK;
	const char *step = "setting up the document";

	if (!pdf)
		return chart_oom(c, err);
	if (g->W > HPDF_MAX_PAGE_WIDTH || g->H > HPDF_MAX_PAGE_HEIGHT) {
		st = diag_set(err, BRIEF_EDATA, c->spec->file, c->spec->at.line,
			      c->spec->at.col,
			      "chart '%s' is too large for a PDF page (%.0f x "
			      "%.0f pt; at most %d a side)",
			      c->spec->id, g->W, g->H, HPDF_MAX_PAGE_HEIGHT);
		goto out;
	}
	if (HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL) != HPDF_OK ||
	    HPDF_UseUTFEncodings(pdf) != HPDF_OK ||
	    HPDF_SetCurrentEncoder(pdf, "UTF-8") != HPDF_OK)
		goto fail;
	HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, export_title(c));
	/* libharu refuses a string over 65535 bytes; the .txt has it all. */
	if (strlen(chart_alt_text(c)) < 65000)
		HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT, chart_alt_text(c));
	if (o->generator)
		HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, o->generator);
	rec.sh = fontset_shaper(fs);
	rec.ox = g->m;
	rec.oy = g->H - g->m;
	cv.cr = canvas_hpdf_cairo();
	if (!cv.cr) {
		st = chart_oom(c, err);
		goto out;
	}
	st = chart_draw(c, &cv, err);
	cairo_destroy(cv.cr);
	if (st == BRIEF_OK && rec.failed)
		st = chart_oom(c, err);
	if (st == BRIEF_OK)
		st = pdf_glyphs_new(pdf, rec.sh, &pg, err);
	if (st != BRIEF_OK)
		goto out;
	step = "drawing the page";
	page = HPDF_AddPage(pdf);
	if (!page || HPDF_Page_SetWidth(page, (HPDF_REAL)g->W) != HPDF_OK ||
	    HPDF_Page_SetHeight(page, (HPDF_REAL)g->H) != HPDF_OK ||
	    (!o->transparent && pdf_background(page, g)))
		goto fail;
	switch (canvas_hpdf_replay(&rec, pg, page)) {
	case 0:
		break;
	case CANVAS_HPDF_NOMEM:
		st = chart_oom(c, err);
		goto out;
	default:
		goto fail;
	}
	step = "embedding the fonts";
	st = pdf_glyphs_finish(pg, err);
	if (st != BRIEF_OK)
		goto out;
	if (stamp)
		memcpy(id, stamp, 16);
	else
		sha256(c->spec->id, strlen(c->spec->id), id);
	step = "writing the document";
	if (pdf_fix_id(pdf, id) != HPDF_OK ||
	    pdf_fix_deflate_pages(&page, 1, 6) != HPDF_OK || he.code ||
	    pdf_save(pdf, out))
		goto fail;
	goto out;
fail:
	if (out->st == BRIEF_ENOMEM)
		st = chart_oom(c, err);
	else
		st = hpdf_fail(c, pdf, &he, step, err);
out:
	canvas_hpdf_rec_free(&rec);
	pdf_glyphs_free(pg);
	HPDF_Free(pdf);
	return st;
}

/* ---- one chart, one format ----------------------------------------------- */

enum brief_status chart_export(struct chart *c, const struct fontset *fs,
			       enum chart_format fmt,
			       const struct chart_export_opts *o,
			       const uint8_t *stamp, unsigned char **out,
			       size_t *len, struct diag *err)
{
	struct buf b = BUF_INIT(0);
	struct named sv;
	struct geom g;
	enum brief_status st;

	*out = NULL;
	*len = 0;
	if (!named_begin(c, &sv))
		return chart_oom(c, err);
	export_geom(c, fs, o, &g);
	switch (fmt) {
	case CHART_PNG:
		st = export_png(c, fs, &g, o, stamp, &b, err);
		break;
	case CHART_SVG:
		st = export_svg(c, fs, &g, o, stamp, &b, err);
		break;
	case CHART_PDF:
		st = export_pdf(c, fs, &g, o, stamp, &b, err);
		break;
	case CHART_TXT:
	default:
		buf_puts(&b, chart_alt_text(c));
		st = buf_puts(&b, "\n") == BRIEF_OK ? BRIEF_OK
						    : chart_oom(c, err);
		break;
	}
	named_end(c, &sv);
	if (st != BRIEF_OK) {
		buf_free(&b);
		return st;
	}
	*len = b.n;
	*out = (unsigned char *)buf_take(&b);
	if (!*out) {
		*len = 0;
		return chart_oom(c, err);
	}
	return BRIEF_OK;
}

bool chart_export_has_stamp(const char *path, enum chart_format fmt,
			    const uint8_t stamp[16])
{
	char hex[33];

	stamp_hex(stamp, hex);
	switch (fmt) {
	case CHART_PNG:
		return png_has_stamp(path, hex);
	case CHART_SVG:
		return svg_has_stamp(path, hex);
	case CHART_PDF:
		return outfile_has_hash(path, hex);
	case CHART_TXT:
	default:
		return false;
	}
}

/* ---- every chart of a document into a directory --------------------------- */

void chart_export_seen_free(struct chart_export_seen *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->id[i]);
		free(s->at[i]);
	}
	free(s->id);
	free(s->at);
	memset(s, 0, sizeof *s);
}

/* dir and its missing parents, as mkdir -p. */
static enum brief_status make_dirs(const char *dir, struct diag *err)
{
	char path[4096];
	size_t n = strlen(dir);
	struct stat st;

	if (n == 0 || n >= sizeof path)
		return diag_set(err, BRIEF_EIO, dir, 0, 0,
				"cannot create directory: bad path");
	memcpy(path, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			return diag_set(err, BRIEF_EIO, path, 0, 0,
					"cannot create directory: %s",
					strerror(errno));
		path[i] = i < n ? '/' : '\0';
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return diag_set(err, BRIEF_EIO, dir, 0, 0,
				"cannot create directory: %s",
				stat(dir, &st) != 0 ? strerror(errno)
						    : "a file of that name exists");
	return BRIEF_OK;
}

/* A second chart whose files would replace the first's is an error at
 * its block; otherwise remember this one. */
static enum brief_status note_seen(struct chart_export_seen *s,
				   const struct chart_spec *spec,
				   const char *dir, struct diag *err)
{
	char at[DIAG_FILE_MAX + 48];

	for (size_t i = 0; i < s->n; i++)
		if (strcasecmp(s->id[i], spec->id) == 0)
			return diag_set(err, BRIEF_EDATA, spec->file,
					spec->at.line, spec->at.col,
					"chart '%s' would replace the files "
					"%s/%s.* of the chart at %s: give it "
					"another id, or export into another "
					"directory",
					spec->id, dir, s->id[i], s->at[i]);
	snprintf(at, sizeof at, "%s:%ld:%ld", spec->file ? spec->file : "?",
		 spec->at.line, spec->at.col);
	if (array_reserve(&s->id, &s->cap, s->n + 1, sizeof *s->id, 0) ||
	    array_reserve(&s->at, &s->atcap, s->n + 1, sizeof *s->at, 0))
		goto oom;
	s->id[s->n] = strdup(spec->id);
	s->at[s->n] = strdup(at);
	if (!s->id[s->n] || !s->at[s->n]) {
		free(s->id[s->n]);
		free(s->at[s->n]);
		goto oom;
	}
	s->n++;
	return BRIEF_OK;
oom:
	return diag_set(err, BRIEF_ENOMEM, NULL, 0, 0,
			"out of memory exporting chart '%s'", spec->id);
}

/* The stamp of one export: what decides its bytes. */
static void file_stamp(const struct doc *d, const char *id,
		       enum chart_format fmt,
		       const struct chart_export_opts *o, uint8_t out[16])
{
	static const char tag[] = "brief chart export 1";
	struct sha256_ctx h;
	uint8_t full[32];
	char opts[160];

	snprintf(opts, sizeof opts, "%s scale=%.6g margin=%.6g background=%s",
		 chart_format_ext(fmt), fmt == CHART_PNG ? o->scale : 0,
		 o->margin, o->transparent ? "none" : "white");
	sha256_init(&h);
	sha256_update(&h, tag, sizeof tag);
	sha256_update(&h, d->input_hash, sizeof d->input_hash);
	sha256_update(&h, id, strlen(id) + 1);
	sha256_update(&h, opts, strlen(opts) + 1);
	sha256_final(&h, full);
	memcpy(out, full, 16);
}

/* Whether the file at path holds exactly data. */
static bool same_content(const char *path, const unsigned char *data,
			 size_t len)
{
	FILE *f = fopen(path, "rb");
	unsigned char block[4096];
	size_t off = 0, n;
	bool same = true;

	if (!f)
		return false;
	while (same && (n = fread(block, 1, sizeof block, f)) > 0) {
		same = off + n <= len && memcmp(block, data + off, n) == 0;
		off += n;
	}
	fclose(f);
	return same && off == len;
}

struct export_ctx {
	const struct doc *d;
	const struct fontset *fs;
	const char *dir;
	const struct chart_export_opts *o;
	bool if_changed;
	struct chart_export_seen *seen;
	struct chart_export_count *n;
};

static enum brief_status export_one(struct export_ctx *x, struct chart *c,
				    struct diag *err)
{
	const struct chart_spec *spec = c->spec;
	enum brief_status st = note_seen(x->seen, spec, x->dir, err);

	for (int f = 0; f < CHART_NFORMATS && st == BRIEF_OK; f++) {
		char path[4096];
		uint8_t stamp[16];
		unsigned char *data = NULL;
		size_t len = 0;

		if (snprintf(path, sizeof path, "%s/%s.%s", x->dir, spec->id,
			     format_ext[f]) >= (int)sizeof path)
			return diag_set(err, BRIEF_EIO, x->dir, 0, 0,
					"path too long");
		file_stamp(x->d, spec->id, (enum chart_format)f, x->o, stamp);
		if (x->if_changed && f != CHART_TXT &&
		    chart_export_has_stamp(path, (enum chart_format)f, stamp)) {
			x->n->current++;
			continue;
		}
		st = chart_export(c, x->fs, (enum chart_format)f, x->o, stamp,
				  &data, &len, err);
		if (st == BRIEF_OK && x->if_changed && f == CHART_TXT &&
		    same_content(path, data, len)) {
			x->n->current++;
			free(data);
			continue;
		}
		if (st == BRIEF_OK)
			st = outfile_write_atomic(path, data, len, err);
		if (st == BRIEF_OK)
			x->n->written++;
		free(data);
	}
	return st;
}

static enum brief_status export_blocks(struct export_ctx *x,
				       const struct doc_block *v, size_t n,
				       struct diag *err)
{
	enum brief_status st = BRIEF_OK;

	for (size_t i = 0; i < n && st == BRIEF_OK; i++) {
		if (v[i].kind == BLK_CHART && v[i].chart)
			st = export_one(x, v[i].chart, err);
		if (st == BRIEF_OK)
			st = export_blocks(x, v[i].children, v[i].nchildren,
					   err);
	}
	return st;
}

enum brief_status chart_export_doc(const struct doc *d,
				   const struct fontset *fs, const char *dir,
				   const struct chart_export_opts *o,
				   bool if_changed,
				   struct chart_export_seen *seen,
				   struct chart_export_count *n,
				   struct diag *err)
{
	struct chart_export_seen own = { 0 };
	struct chart_export_count count = { 0, 0 };
	struct export_ctx x = { d, fs, dir, o, if_changed, seen ? seen : &own,
				n ? n : &count };
	enum brief_status st = make_dirs(dir, err);

	if (st == BRIEF_OK)
		st = export_blocks(&x, d->blocks, d->nblocks, err);
	chart_export_seen_free(&own);
	return st;
}
