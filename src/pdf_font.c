/* pdf_font.c — fontset faces in libharu (see pdf_font.h). */
#include "pdf_font.h"

#include <hpdf_doc.h>
#include <hpdf_encoder.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_mmgr.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "font_subset.h"

#define MAP_BYTES (65536 / 8)

enum brief_status pdf_status(struct diag *err, HPDF_STATUS code,
			     HPDF_STATUS detail, const char *what)
{
	if (code == HPDF_FAILD_TO_ALLOC_MEM)
		return diag_set(err, BRIEF_ENOMEM, NULL, 0, 0,
				"out of memory in the PDF writer while %s",
				what);
	if (!code)
		return diag_set(err, BRIEF_EINTERNAL, NULL, 0, 0,
				"internal error in the PDF writer while %s",
				what);
	return diag_set(err, BRIEF_EINTERNAL, NULL, 0, 0,
			"internal error in the PDF writer: libharu error "
			"0x%04X (detail %u) while %s",
			(unsigned)code, (unsigned)detail, what);
}

void pdf_fonts_init(struct pdf_fonts *pf, HPDF_Doc pdf,
		    const struct fontset *fs)
{
	int n = fontset_face_count(fs);

	memset(pf, 0, sizeof *pf);
	pf->pdf = pdf;
	pf->fs = fs;
	pf->nfaces = n < PDF_FONTS_MAX ? n : PDF_FONTS_MAX;
}

void pdf_fonts_free(struct pdf_fonts *pf)
{
	if (!pf)
		return;
	for (int i = 0; i < PDF_FONTS_MAX; i++) {
		free(pf->used[i]);
		free(pf->plan[i]);
		pf->used[i] = NULL;
		pf->plan[i] = NULL;
	}
}

struct rgba pdf_flatten(struct rgba c)
{
	struct rgba o = c;
	double a = c.a < 0 ? 0 : c.a > 1 ? 1 : c.a;

	o.r = c.r * a + (1 - a);
	o.g = c.g * a + (1 - a);
	o.b = c.b * a + (1 - a);
	o.a = 1;
	return o;
}

static HPDF_Stream page_stream(HPDF_Page page)
{
	return page && page->attr ? ((HPDF_PageAttr)page->attr)->stream
				  : NULL;
}

void pdf_ops_begin(struct pdf_ops *o, HPDF_Page page)
{
	o->page = page;
	o->sink = NULL;
	o->sink_ctx = NULL;
	o->len = 0;
	o->failed = 0;
}

void pdf_ops_begin_sink(struct pdf_ops *o,
			int (*sink)(void *ctx, const char *p, size_t n),
			void *ctx)
{
	pdf_ops_begin(o, NULL);
	o->sink = sink;
	o->sink_ctx = ctx;
}

int pdf_page_write(HPDF_Page page, const char *p, size_t n)
{
	HPDF_Stream st = page_stream(page);

	if (n == 0)
		return 0;
	if (!st || n > 0x7FFFFFFF)
		return -1;
	return HPDF_Stream_Write(st, (const HPDF_BYTE *)p, (HPDF_UINT)n) ==
			       HPDF_OK
		       ? 0
		       : -1;
}

static void ops_flush(struct pdf_ops *o)
{
	if (o->len == 0)
		return;
	if (o->sink ? o->sink(o->sink_ctx, o->buf, o->len)
		    : pdf_page_write(o->page, o->buf, o->len))
		o->failed = 1;
	o->len = 0;
}

/* Room for one more item (a number is at most about 20 characters). */
static void ops_room(struct pdf_ops *o, size_t n)
{
	if (o->len + n + 1 > sizeof o->buf)
		ops_flush(o);
}

void pdf_ops_num(struct pdf_ops *o, HPDF_REAL v)
{
	char *p, *end = o->buf + sizeof o->buf - 1;

	ops_room(o, 32);
	p = HPDF_FToA(o->buf + o->len, v, end);
	*p++ = ' ';
	o->len = (size_t)(p - o->buf);
}

static void ops_raw(struct pdf_ops *o, const char *s)
{
	size_t n = strlen(s);

	ops_room(o, n);
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

void pdf_ops_op(struct pdf_ops *o, const char *op)
{
	size_t n = strlen(op);

	if (n + 2 > sizeof o->buf) {
		o->failed = 1;
		return;
	}
	ops_room(o, n + 1);
	memcpy(o->buf + o->len, op, n);
	o->len += n;
	o->buf[o->len++] = '\012';
}

int pdf_ops_end(struct pdf_ops *o)
{
	ops_flush(o);
	return o->failed ? -1 : 0;
}

/* The libharu font of a face; unplanned, it is loaded whole on first use. */
static HPDF_Font face_font(struct pdf_fonts *pf, int face)
{
	const char *name;

	if (face < 0 || face >= pf->nfaces)
		return NULL;
	if (pf->font[face] || pf->planned)
		return pf->font[face];
	if (!pf->used[face])
		pf->used[face] = calloc(MAP_BYTES, 1);
	if (!pf->used[face])
		return NULL;
	name = HPDF_LoadTTFontFromFile(pf->pdf, fontset_face_path(pf->fs, face),
				       HPDF_TRUE);
	if (!name)
		return NULL;
	pf->font[face] = HPDF_GetFont(pf->pdf, name, "UTF-8");
	return pf->font[face];
}

/* The next code point of UTF-8 s[*i..len) (libharu's decoding: no
 * validation, the layout stage has checked the text). */
static unsigned long next_cp(const unsigned char *u, size_t len, size_t *i)
{
	unsigned long c = u[*i];
	size_t k;

	if (c < 0x80)
		k = 0;
	else if (c >= 0xF0)
		k = 3, c &= 0x07;
	else if (c >= 0xE0)
		k = 2, c &= 0x0F;
	else
		k = 1, c &= 0x1F;
	(*i)++;
	while (k-- && *i < len)
		c = (c << 6) | (u[(*i)++] & 0x3F);
	return c;
}

static void set_bit(uint8_t *map, unsigned long c)
{
	if (c < 65536)
		map[c >> 3] |= (uint8_t)(1u << (c & 7));
}

static int has_bit(const uint8_t *map, unsigned long c)
{
	return c < 65536 && (map[c >> 3] >> (c & 7)) & 1;
}

static int plan_run(void *ctx, int face, const char *s, size_t len)
{
	struct pdf_fonts *pf = ctx;
	const unsigned char *u = (const unsigned char *)s;

	if (face < 0 || face >= pf->nfaces)
		return 0; /* drawing will fail on it; nothing to embed */
	if (!pf->plan[face]) {
		pf->plan[face] = calloc(MAP_BYTES, 1);
		if (!pf->plan[face])
			return -1;
	}
	for (size_t i = 0; i < len;) {
		unsigned long c = next_cp(u, len, &i);

		/* libharu 2.3.0 encodes only the BMP: it would draw a space. */
		if (c >= 65536)
			return -2;
		set_bit(pf->plan[face], c);
	}
	return 0;
}

int pdf_fonts_plan(struct pdf_fonts *pf, enum font_style style, const char *s,
		   size_t len)
{
	size_t missing = 0;
	int rc;

	if (len == 0)
		return 0;
	rc = fontset_each_run(pf->fs, style, s, len, plan_run, pf, &missing);
	/* The fontset would draw U+FFFD for a character no face has: the
	 * text check (typeset_check_text) refuses those up front, so one
	 * here is a bug, never a silent replacement. */
	if (rc == 0 && missing)
		rc = -2;
	if (rc == -2)
		pf->undrawable = 1;
	return rc ? -1 : 0;
}

/* What libharu's HPDF_LoadTTFontFromFile does after opening the file, on a
 * memory stream instead (libharu 2.3.0 has no public call to load a font
 * from memory; its internal headers are installed, see pdf_fix.h). The
 * stream belongs to the font definition from here on, even on failure. */
static const char *load_ttf_stream(HPDF_Doc pdf, HPDF_Stream data)
{
	HPDF_FontDef def = HPDF_TTFontDef_Load(pdf->mmgr, data, HPDF_TRUE);

	if (!def)
		return NULL;
	if (HPDF_Doc_FindFontDef(pdf, def->base_font)) {
		HPDF_FontDef_Free(def);
		HPDF_SetError(&pdf->error, HPDF_FONT_EXISTS, 0);
		return NULL;
	}
	if (HPDF_List_Add(pdf->fontdef_list, def) != HPDF_OK) {
		HPDF_FontDef_Free(def);
		return NULL;
	}
	/* The next subset tag: HPDFAA, HPDFAB, ... as libharu counts. */
	if (pdf->ttfont_tag[0] == 0) {
		memcpy(pdf->ttfont_tag, "HPDFAA", 6);
	} else {
		for (int i = 5; i >= 0; i--) {
			pdf->ttfont_tag[i]++;
			if (pdf->ttfont_tag[i] <= 'Z')
				break;
			pdf->ttfont_tag[i] = 'A';
		}
	}
	HPDF_TTFontDef_SetTagName(def, (char *)pdf->ttfont_tag);
	return def->base_font;
}

struct enc_maps {
	HPDF_UNICODE unicode_map[256][256];
	HPDF_UINT16 cid_map[256][256];
};

/* The UTF-8 encoder posing, for the whole of pdf_fonts_load (its maps are
 * saved and cleared once, not for every face). saved NULL: not posing
 * (HPDF_GetFont does the full lookup). */
struct enc_pose {
	HPDF_Encoder enc;
	HPDF_CMapEncoderAttr a;
	HPDF_Encoder_ToUnicode_Func to_unicode;
	struct enc_maps *saved;
};

static void pose_begin(struct enc_pose *p, HPDF_Doc pdf)
{
	HPDF_Encoder enc = HPDF_GetEncoder(pdf, "UTF-8");

	memset(p, 0, sizeof *p);
	if (!enc || enc->type != HPDF_ENCODER_TYPE_DOUBLE_BYTE || !enc->attr ||
	    enc->to_unicode_fn == HPDF_CMapEncoder_ToUnicode)
		return;
	p->saved = malloc(sizeof *p->saved);
	if (!p->saved) /* the slow way still works */
		return;
	p->enc = enc;
	p->a = (HPDF_CMapEncoderAttr)enc->attr;
	memcpy(p->saved->unicode_map, p->a->unicode_map,
	       sizeof p->a->unicode_map);
	memcpy(p->saved->cid_map, p->a->cid_map, sizeof p->a->cid_map);
	p->to_unicode = enc->to_unicode_fn;
	memset(p->a->cid_map, 0, sizeof p->a->cid_map);
	enc->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
}

/* Map code c to itself (on), or back to unmapped (off). */
static void pose_code(struct enc_pose *p, unsigned c, bool on)
{
	unsigned hi = c >> 8, lo = c & 0xFF;

	p->a->cid_map[hi][lo] = on ? (HPDF_UINT16)c : 0;
	p->a->unicode_map[hi][lo] =
		on ? (HPDF_UNICODE)c : p->saved->unicode_map[hi][lo];
}

/* Map the planned characters, and the code one past the last of them
 * (see get_font_planned), or unmap them again. */
static void pose_plan(struct enc_pose *p, const uint8_t *plan, bool on)
{
	unsigned max = 0;

	for (unsigned b = 0; b < MAP_BYTES; b++) /* the plan is sparse */
		for (unsigned c = b * 8; plan[b] && c < b * 8 + 8; c++)
			if (c > 0 && has_bit(plan, c)) {
				pose_code(p, c, on);
				max = c;
			}
	if (max + 1 < 65536)
		pose_code(p, max + 1, on);
}

static void pose_end(struct enc_pose *p)
{
	if (!p->saved)
		return;
	p->enc->to_unicode_fn = p->to_unicode;
	memcpy(p->a->unicode_map, p->saved->unicode_map,
	       sizeof p->a->unicode_map);
	memcpy(p->a->cid_map, p->saved->cid_map, sizeof p->a->cid_map);
	free(p->saved);
	p->saved = NULL;
}

/* HPDF_GetFont for a planned face. Creating the font, libharu 2.3.0 looks
 * up a glyph and a width for every code its encoder can produce; for its
 * UTF-8 encoder (which has its own to_unicode_fn) that is the whole BMP,
 * 65536 cmap lookups, most of the time spent loading a font. For the
 * other encoders it walks the encoder's cid_map and looks up only the
 * codes mapped there. So, while the fonts are created, the UTF-8 encoder
 * poses as such an encoder (pose_begin) mapping just the planned
 * characters (code = CID = Unicode, as libharu's UTF-8 encoding has it);
 * everything is put back right after (pose_end), so text is encoded as
 * always. The code one past the last planned one is mapped too, because
 * libharu's /W and CIDToGIDMap loops stop before the highest code. The
 * font's dictionaries come out byte for byte as the full lookup makes
 * them. */
static HPDF_Font get_font_planned(struct enc_pose *p, HPDF_Doc pdf,
				  const char *name, const uint8_t *plan)
{
	HPDF_Font font;

	if (!p->saved)
		return HPDF_GetFont(pdf, name, "UTF-8");
	pose_plan(p, plan, true);
	font = HPDF_GetFont(pdf, name, "UTF-8");
	pose_plan(p, plan, false);
	return font;
}

static enum brief_status load_subset(struct pdf_fonts *pf, int face,
				     struct enc_pose *pose, struct diag *err)
{
	const char *path = fontset_face_path(pf->fs, face);
	unsigned char *data = NULL;
	size_t len = 0;
	HPDF_Stream st = NULL;
	const char *name;
	enum brief_status rc;
	char what[1200];

	/* libharu measures the cap height and x-height on 'H' and 'x'. */
	set_bit(pf->plan[face], 'H');
	set_bit(pf->plan[face], 'x');
	rc = font_subset(path, pf->plan[face], &data, &len, err);
	if (rc != BRIEF_OK)
		return rc;
	if (len > 0x7FFFFFFF - 1)
		goto fail;
	/* One chunk longer than the font, not exactly its length: libharu
	 * 2.3.0's memory stream cannot seek to its own end when that end is
	 * a chunk boundary (HPDF_MemStream_SeekFunc asks for the chunk after
	 * the last and fails with HPDF_INVALID_OBJECT, 0x1033). Its glyph
	 * reader (CheckCompositGryph) seeks to the end of each composite
	 * glyph's last component, and HarfBuzz puts glyf last with no
	 * padding when its length is a multiple of 4: so a subset whose last
	 * glyph was composite failed. The stream still holds just the font. */
	st = HPDF_MemStream_New(pf->pdf->mmgr, (HPDF_UINT)len + 1);
	if (!st)
		goto fail;
	if (HPDF_Stream_Write(st, data, (HPDF_UINT)len) != HPDF_OK) {
		HPDF_Stream_Free(st);
		goto fail;
	}
	free(data);
	data = NULL;
	name = load_ttf_stream(pf->pdf, st);
	if (!name)
		goto fail;
	pf->font[face] = get_font_planned(pose, pf->pdf, name, pf->plan[face]);
	/* Creating the font reads every planned glyph, and libharu's glyph
	 * reader records a failure in the document's error state without
	 * returning it (HPDF_TTFontDef_GetCharWidth ignores what
	 * CheckCompositGryph says): read the state here, where it happens. */
	if (!pf->font[face] || HPDF_GetError(pf->pdf) != HPDF_OK)
		goto fail;
	return BRIEF_OK;
fail:
	free(data);
	pf->failed = 1;
	/* The fonts were read by FreeType and cut by HarfBuzz already: a
	 * subset libharu cannot load is a fault here, not the user's. */
	snprintf(what, sizeof what, "loading the font subset of %s", path);
	return pdf_status(err, HPDF_GetError(pf->pdf),
			  HPDF_GetErrorDetail(pf->pdf), what);
}

size_t pdf_fonts_widths_size(const struct pdf_fonts *pf, int face)
{
	HPDF_Font f = face >= 0 && face < pf->nfaces ? pf->font[face] : NULL;
	HPDF_Font cid;
	HPDF_Array w;
	size_t max;

	if (!f || !f->attr || !(cid = ((HPDF_FontAttr)f->attr)->descendant_font))
		return 0;
	w = HPDF_Dict_GetItem(cid, "W", HPDF_OCLASS_ARRAY);
	if (!w)
		return 0;
	max = w->list->count;
	/* Items read off the list: HPDF_Array_GetItem sets the document's
	 * error for an item of another class. */
	for (HPDF_UINT i = 0; i < w->list->count; i++) {
		HPDF_Obj_Header *h = HPDF_List_ItemAt(w->list, i);

		if (h && (h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_ARRAY &&
		    ((HPDF_Array)h)->list->count > max)
			max = ((HPDF_Array)h)->list->count;
	}
	return max;
}

enum brief_status pdf_fonts_load(struct pdf_fonts *pf, struct diag *err)
{
	struct enc_pose pose = {0};
	bool posing = false;
	enum brief_status rc = BRIEF_OK;

	pf->planned = true;
	for (int face = 0; face < pf->nfaces && rc == BRIEF_OK; face++) {
		if (!pf->plan[face] || pf->font[face])
			continue;
		if (!pf->used[face])
			pf->used[face] = calloc(MAP_BYTES, 1);
		if (!pf->used[face]) {
			rc = diag_set(err, BRIEF_ENOMEM, NULL, 0, 0,
				      "out of memory loading the fonts");
			break;
		}
		if (!posing) {
			pose_begin(&pose, pf->pdf);
			posing = true;
		}
		rc = load_subset(pf, face, &pose, err);
	}
	pose_end(&pose);
	return rc;
}

/* Record the code points of a run as drawn in face with font f; 0, or -1
 * when one of them was not planned for it (pf->unplanned) or libharu
 * failed reading its glyph (pf->failed). A code point's first use also
 * marks its glyph for embedding, as libharu's measuring in
 * HPDF_Page_ShowText (not called, see show_text) would: libharu writes only
 * marked glyphs into the embedded glyf table. */
static int mark_used(struct pdf_fonts *pf, int face, HPDF_Font f,
		     const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	HPDF_FontDef def = ((HPDF_FontAttr)f->attr)->fontdef;

	for (size_t i = 0; i < len;) {
		unsigned long c = next_cp(u, len, &i);

		if (c >= 65536 ||
		    (pf->planned && !has_bit(pf->plan[face], c))) {
			pf->unplanned = 1;
			return -1;
		}
		if (def && def->type == HPDF_FONTDEF_TYPE_TRUETYPE &&
		    !has_bit(pf->used[face], c)) {
			(void)HPDF_TTFontDef_GetCharWidth(def,
							  (HPDF_UNICODE)c);
			/* The glyph reader fails silently (see load_subset). */
			if (HPDF_GetError(pf->pdf) != HPDF_OK) {
				pf->failed = 1;
				return -1;
			}
		}
		set_bit(pf->used[face], c);
	}
	return 0;
}

struct draw_ctx {
	struct pdf_fonts *pf;
	struct pdf_ops *o; /* the page's operators, written by the caller */
	double size;
	bool batch; /* in pf's open text object: Tf only when it changes */
};

/* "/F1 9 Tf" as HPDF_Page_SetFontAndSize writes it (the font's local name
 * also registers it in the page's resources). */
static int set_font(struct pdf_ops *o, HPDF_Font f, double size)
{
	const char *name;
	size_t n;

	if (size <= 0 || size > HPDF_MAX_FONTSIZE)
		return -1;
	name = HPDF_Page_GetLocalFontName(o->page, f);
	if (!name)
		return -1;
	n = strlen(name);
	if (n + 2 > sizeof o->buf)
		return -1;
	if (o->len + n + 2 > sizeof o->buf)
		(void)pdf_ops_end(o);
	o->buf[o->len++] = '/'; /* libharu's names (F1, F2...) need no escape */
	memcpy(o->buf + o->len, name, n);
	o->len += n;
	o->buf[o->len++] = ' ';
	pdf_ops_num(o, (HPDF_REAL)size);
	pdf_ops_op(o, "Tf");
	return 0;
}

/* "(codes) Tj" of s in f's encoding, as HPDF_Page_ShowText writes it for
 * Type0 fonts but as a literal string instead of hex (half the bytes to
 * write and compress), without libharu's measuring of the text on the way.
 * Escaped: the string's delimiters and backslash, and CR, which a reader
 * would take for an end of line. */
static int show_text(struct pdf_ops *o, HPDF_Font f, const char *s,
		     size_t len)
{
	HPDF_Encoder enc = ((HPDF_FontAttr)f->attr)->encoder;
	char *coded = NULL;
	const unsigned char *u = (const unsigned char *)s;
	HPDF_UINT n = (HPDF_UINT)len;

	if (len == 0)
		return 0;
	if (enc && enc->encode_text_fn) {
		coded = enc->encode_text_fn(enc, s, (HPDF_UINT)len, &n);
		if (!coded)
			return -1;
		u = (const unsigned char *)coded;
	}
	ops_room(o, 1);
	o->buf[o->len++] = '(';
	for (HPDF_UINT i = 0; i < n; i++) {
		ops_room(o, 2);
		if (u[i] == '(' || u[i] == ')' || u[i] == '\\') {
			o->buf[o->len++] = '\\';
			o->buf[o->len++] = (char)u[i];
		} else if (u[i] == '\r') {
			o->buf[o->len++] = '\\';
			o->buf[o->len++] = 'r';
		} else {
			o->buf[o->len++] = (char)u[i];
		}
	}
	ops_room(o, 2);
	o->buf[o->len++] = ')';
	o->buf[o->len++] = ' ';
	pdf_ops_op(o, "Tj");
	if (coded)
		HPDF_FreeMem(f->mmgr, coded);
	return 0;
}

static int draw_run(void *ctx, int face, const char *s, size_t len)
{
	struct draw_ctx *dc = ctx;
	HPDF_Font f = face_font(dc->pf, face);

	if (!f) {
		if (dc->pf->planned)
			dc->pf->unplanned = 1; /* no text planned for face */
		else
			dc->pf->failed = 1;
		return -1;
	}
	if (mark_used(dc->pf, face, f, s, len))
		return -1;
	if (!dc->batch || f != dc->pf->bt_font || dc->size != dc->pf->bt_size) {
		if (set_font(dc->o, f, dc->size))
			return -1;
		dc->pf->bt_font = dc->batch ? f : NULL;
		dc->pf->bt_size = dc->size;
	}
	return show_text(dc->o, f, s, len);
}

static void ops_rgb(struct pdf_ops *o, struct rgba c)
{
	pdf_ops_num(o, (HPDF_REAL)c.r);
	pdf_ops_num(o, (HPDF_REAL)c.g);
	pdf_ops_num(o, (HPDF_REAL)c.b);
	pdf_ops_op(o, "rg");
}

/* Text operators are written directly (pdf_ops) inside text objects begun
 * and ended through libharu. */
int pdf_text(struct pdf_fonts *pf, HPDF_Page page, double x, double y,
	     double angle, enum font_style style, double size, const char *s,
	     size_t len, struct rgba c)
{
	struct pdf_ops o;
	struct draw_ctx dc = {.pf = pf, .o = &o, .size = size};
	double a = angle * 3.14159265358979323846 / 180.0;
	struct rgba fc = pdf_flatten(c);
	int rc;

	if (len == 0)
		return 0;
	if (pdf_text_end(pf) || HPDF_Page_BeginText(page) != HPDF_OK)
		return -1;
	pdf_ops_begin(&o, page);
	ops_rgb(&o, fc);
	if (angle != 0) {
		pdf_ops_num(&o, (HPDF_REAL)cos(a));
		pdf_ops_num(&o, (HPDF_REAL)sin(a));
		pdf_ops_num(&o, (HPDF_REAL)-sin(a));
		pdf_ops_num(&o, (HPDF_REAL)cos(a));
		pdf_ops_num(&o, (HPDF_REAL)x);
		pdf_ops_num(&o, (HPDF_REAL)y);
		pdf_ops_op(&o, "Tm");
	} else {
		pdf_ops_num(&o, (HPDF_REAL)x);
		pdf_ops_num(&o, (HPDF_REAL)y);
		pdf_ops_op(&o, "Td");
	}
	rc = fontset_each_run(pf->fs, style, s, len, draw_run, &dc, NULL);
	if (pdf_ops_end(&o))
		rc = -1;
	if (HPDF_Page_EndText(page) != HPDF_OK)
		rc = -1;
	return rc ? -1 : 0;
}

int pdf_text_end(struct pdf_fonts *pf)
{
	HPDF_Page page = pf->bt_page;

	pf->bt_page = NULL;
	pf->bt_font = NULL;
	pf->bt_color_set = false;
	if (!page)
		return 0;
	return HPDF_Page_EndText(page) == HPDF_OK ? 0 : -1;
}

static bool same_color(struct rgba a, struct rgba b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

int pdf_text_batch(struct pdf_fonts *pf, HPDF_Page page, double x, double y,
		   enum font_style style, double size, const char *s,
		   size_t len, struct rgba c)
{
	struct pdf_ops o;
	struct draw_ctx dc = {.pf = pf, .o = &o, .size = size, .batch = true};
	struct rgba fc = pdf_flatten(c);
	int rc;

	if (len == 0)
		return 0;
	if (pf->bt_page != page) {
		if (pdf_text_end(pf) || HPDF_Page_BeginText(page) != HPDF_OK)
			return -1;
		pf->bt_page = page;
		pf->bt_y = y + 1; /* forces a Tm below */
	}
	pdf_ops_begin(&o, page);
	if (!pf->bt_color_set || !same_color(fc, pf->bt_color)) {
		ops_rgb(&o, fc);
		pf->bt_color = fc;
		pf->bt_color_set = true;
	}
	/* A new line starts from an absolute matrix; along a line, offsets
	 * from the previous fragment are shorter and drift by at most the
	 * rounding of a few printed numbers (1e-5 pt each). */
	if (y != pf->bt_y) {
		ops_raw(&o, "1 0 0 1 "); /* as HPDF_FToA prints them */
		pdf_ops_num(&o, (HPDF_REAL)x);
		pdf_ops_num(&o, (HPDF_REAL)y);
		pdf_ops_op(&o, "Tm");
		pf->bt_x = (HPDF_REAL)x;
		pf->bt_y = y;
	} else {
		HPDF_REAL dx = (HPDF_REAL)(x - pf->bt_x);

		pdf_ops_num(&o, dx);
		pdf_ops_op(&o, "0 Td");
		pf->bt_x += dx;
	}
	rc = fontset_each_run(pf->fs, style, s, len, draw_run, &dc, NULL);
	if (pdf_ops_end(&o))
		rc = -1;
	return rc ? -1 : 0;
}
