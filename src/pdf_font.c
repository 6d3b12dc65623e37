/* pdf_font.c — fontset faces in libharu (see pdf_font.h). */
#include "pdf_font.h"

#include <hpdf_doc.h>
#include <hpdf_encoder.h>
#include <hpdf_fontdef.h>
#include <hpdf_streams.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "font_subset.h"

#define MAP_BYTES (65536 / 8)

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
	for (size_t i = 0; i < len;)
		set_bit(pf->plan[face], next_cp(u, len, &i));
	return 0;
}

int pdf_fonts_plan(struct pdf_fonts *pf, enum font_style style, const char *s,
		   size_t len)
{
	if (len == 0)
		return 0;
	return fontset_each_run(pf->fs, style, s, len, plan_run, pf, NULL) ? -1
									    : 0;
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

/* HPDF_GetFont for a planned face. Creating the font, libharu 2.3.0 looks
 * up a glyph and a width for every code its encoder can produce; for its
 * UTF-8 encoder (which has its own to_unicode_fn) that is the whole BMP,
 * 65536 cmap lookups, most of the time spent loading a font. For the
 * other encoders it walks the encoder's cid_map and looks up only the
 * codes mapped there. So, while this font is created, the UTF-8 encoder
 * poses as such an encoder mapping just the planned characters (code =
 * CID = Unicode, as libharu's UTF-8 encoding has it); everything is put
 * back right after, so text is encoded as always. The code one past the
 * last planned one is mapped too, because libharu's /W and CIDToGIDMap
 * loops stop before the highest code. The font's dictionaries come out
 * byte for byte as the full lookup makes them. */
struct enc_maps {
	HPDF_UNICODE unicode_map[256][256];
	HPDF_UINT16 cid_map[256][256];
};

static HPDF_Font get_font_planned(HPDF_Doc pdf, const char *name,
				  const uint8_t *plan)
{
	HPDF_Encoder enc = HPDF_GetEncoder(pdf, "UTF-8");
	HPDF_Encoder_ToUnicode_Func to_unicode;
	HPDF_CMapEncoderAttr a;
	struct enc_maps *saved;
	HPDF_Font font;
	unsigned max = 0;

	if (!enc || enc->type != HPDF_ENCODER_TYPE_DOUBLE_BYTE || !enc->attr ||
	    enc->to_unicode_fn == HPDF_CMapEncoder_ToUnicode)
		return HPDF_GetFont(pdf, name, "UTF-8");
	a = (HPDF_CMapEncoderAttr)enc->attr;
	saved = malloc(sizeof *saved);
	if (!saved) /* the slow way still works */
		return HPDF_GetFont(pdf, name, "UTF-8");
	memcpy(saved->unicode_map, a->unicode_map, sizeof a->unicode_map);
	memcpy(saved->cid_map, a->cid_map, sizeof a->cid_map);
	to_unicode = enc->to_unicode_fn;
	memset(a->cid_map, 0, sizeof a->cid_map);
	for (unsigned b = 0; b < MAP_BYTES; b++) /* the plan is sparse */
		for (unsigned c = b * 8; plan[b] && c < b * 8 + 8; c++)
			if (c > 0 && has_bit(plan, c)) {
				a->cid_map[c >> 8][c & 0xFF] = (HPDF_UINT16)c;
				a->unicode_map[c >> 8][c & 0xFF] = (HPDF_UNICODE)c;
				max = c;
			}
	if (max + 1 < 65536) {
		a->cid_map[(max + 1) >> 8][(max + 1) & 0xFF] =
			(HPDF_UINT16)(max + 1);
		a->unicode_map[(max + 1) >> 8][(max + 1) & 0xFF] =
			(HPDF_UNICODE)(max + 1);
	}
	enc->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
	font = HPDF_GetFont(pdf, name, "UTF-8");
	enc->to_unicode_fn = to_unicode;
	memcpy(a->unicode_map, saved->unicode_map, sizeof a->unicode_map);
	memcpy(a->cid_map, saved->cid_map, sizeof a->cid_map);
	free(saved);
	return font;
}

static enum brief_status load_subset(struct pdf_fonts *pf, int face,
				     struct diag *err)
{
	const char *path = fontset_face_path(pf->fs, face);
	unsigned char *data = NULL;
	size_t len = 0;
	HPDF_Stream st = NULL;
	const char *name;
	enum brief_status rc;

	/* libharu measures the cap height and x-height on 'H' and 'x'. */
	set_bit(pf->plan[face], 'H');
	set_bit(pf->plan[face], 'x');
	rc = font_subset(path, pf->plan[face], &data, &len, err);
	if (rc != BRIEF_OK)
		return rc;
	if (len > 0x7FFFFFFF)
		goto fail;
	st = HPDF_MemStream_New(pf->pdf->mmgr, (HPDF_UINT)len);
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
	pf->font[face] = get_font_planned(pf->pdf, name, pf->plan[face]);
	if (!pf->font[face])
		goto fail;
	return BRIEF_OK;
fail:
	free(data);
	pf->failed = 1;
	return diag_set(err,
			HPDF_GetError(pf->pdf) == HPDF_FAILD_TO_ALLOC_MEM
				? BRIEF_ENOMEM
				: BRIEF_EDATA,
			path, 0, 0,
			"PDF writer (libharu) error 0x%04X loading the font "
			"subset",
			(unsigned)HPDF_GetError(pf->pdf));
}

enum brief_status pdf_fonts_load(struct pdf_fonts *pf, struct diag *err)
{
	pf->planned = true;
	for (int face = 0; face < pf->nfaces; face++) {
		enum brief_status rc;

		if (!pf->plan[face] || pf->font[face])
			continue;
		if (!pf->used[face])
			pf->used[face] = calloc(MAP_BYTES, 1);
		if (!pf->used[face])
			return diag_set(err, BRIEF_ENOMEM, NULL, 0, 0,
					"out of memory loading the fonts");
		rc = load_subset(pf, face, err);
		if (rc != BRIEF_OK)
			return rc;
	}
	return BRIEF_OK;
}

/* Record the code points of a run as drawn in face; 0, or -1 when one of
 * them was not planned for it. */
static int mark_used(struct pdf_fonts *pf, int face, const char *s,
		     size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	int rc = 0;

	for (size_t i = 0; i < len;) {
		unsigned long c = next_cp(u, len, &i);

		/* (libharu cannot encode past the BMP; nothing to embed) */
		if (pf->planned && c < 65536 && !has_bit(pf->plan[face], c))
			rc = -1;
		set_bit(pf->used[face], c);
	}
	return rc;
}

struct draw_ctx {
	struct pdf_fonts *pf;
	HPDF_Page page;
	double size;
	bool batch; /* in pf's open text object: Tf only when it changes */
	char buf[512];
};

static int draw_run(void *ctx, int face, const char *s, size_t len)
{
	struct draw_ctx *dc = ctx;
	HPDF_Font f = face_font(dc->pf, face);
	char *heap = NULL, *t = dc->buf;
	int rc = -1;

	if (!f) {
		if (dc->pf->planned)
			dc->pf->unplanned = 1; /* no text planned for face */
		else
			dc->pf->failed = 1;
		return -1;
	}
	if (mark_used(dc->pf, face, s, len)) {
		dc->pf->unplanned = 1;
		return -1;
	}
	if (len >= sizeof dc->buf) {
		heap = malloc(len + 1);
		if (!heap)
			return -1;
		t = heap;
	}
	memcpy(t, s, len);
	t[len] = '\0';
	if (!dc->batch || f != dc->pf->bt_font || dc->size != dc->pf->bt_size) {
		if (HPDF_Page_SetFontAndSize(dc->page, f,
					     (HPDF_REAL)dc->size) != HPDF_OK)
			goto out;
		dc->pf->bt_font = dc->batch ? f : NULL;
		dc->pf->bt_size = dc->size;
	}
	if (HPDF_Page_ShowText(dc->page, t) == HPDF_OK)
		rc = 0;
out:
	free(heap);
	return rc;
}

int pdf_text(struct pdf_fonts *pf, HPDF_Page page, double x, double y,
	     double angle, enum font_style style, double size, const char *s,
	     size_t len, struct rgba c)
{
	struct draw_ctx dc = {.pf = pf, .page = page, .size = size};
	double a = angle * 3.14159265358979323846 / 180.0;
	struct rgba fc = pdf_flatten(c);
	int rc;

	if (len == 0)
		return 0;
	if (pdf_text_end(pf) || HPDF_Page_BeginText(page) != HPDF_OK)
		return -1;
	HPDF_Page_SetRGBFill(page, (HPDF_REAL)fc.r, (HPDF_REAL)fc.g,
			     (HPDF_REAL)fc.b);
	if (angle != 0)
		HPDF_Page_SetTextMatrix(page, (HPDF_REAL)cos(a),
					(HPDF_REAL)sin(a), (HPDF_REAL)-sin(a),
					(HPDF_REAL)cos(a), (HPDF_REAL)x,
					(HPDF_REAL)y);
	else
		HPDF_Page_MoveTextPos(page, (HPDF_REAL)x, (HPDF_REAL)y);
	rc = fontset_each_run(pf->fs, style, s, len, draw_run, &dc, NULL);
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
	struct draw_ctx dc = {.pf = pf, .page = page, .size = size,
			      .batch = true};
	struct rgba fc = pdf_flatten(c);

	if (len == 0)
		return 0;
	if (pf->bt_page != page) {
		if (pdf_text_end(pf) || HPDF_Page_BeginText(page) != HPDF_OK)
			return -1;
		pf->bt_page = page;
		pf->bt_y = y + 1; /* forces a Tm below */
	}
	if (!pf->bt_color_set || !same_color(fc, pf->bt_color)) {
		if (HPDF_Page_SetRGBFill(page, (HPDF_REAL)fc.r,
					 (HPDF_REAL)fc.g,
					 (HPDF_REAL)fc.b) != HPDF_OK)
			return -1;
		pf->bt_color = fc;
		pf->bt_color_set = true;
	}
	/* A new line starts from an absolute matrix; along a line, offsets
	 * from the previous fragment are shorter and drift by at most the
	 * rounding of a few printed numbers (1e-5 pt each). */
	if (y != pf->bt_y) {
		if (HPDF_Page_SetTextMatrix(page, 1, 0, 0, 1, (HPDF_REAL)x,
					    (HPDF_REAL)y) != HPDF_OK)
			return -1;
		pf->bt_x = (HPDF_REAL)x;
		pf->bt_y = y;
	} else {
		HPDF_REAL dx = (HPDF_REAL)(x - pf->bt_x);

		if (HPDF_Page_MoveTextPos(page, dx, 0) != HPDF_OK)
			return -1;
		pf->bt_x += dx;
	}
	return fontset_each_run(pf->fs, style, s, len, draw_run, &dc, NULL)
		       ? -1
		       : 0;
}
