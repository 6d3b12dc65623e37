/* pdf_font.c — fontset faces in libharu (see pdf_font.h). */
#include "pdf_font.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
		pf->used[i] = NULL;
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

/* The libharu font of a face, loading it on first use. */
static HPDF_Font face_font(struct pdf_fonts *pf, int face)
{
	const char *name;

	if (face < 0 || face >= pf->nfaces)
		return NULL;
	if (pf->font[face])
		return pf->font[face];
	pf->used[face] = calloc(65536 / 8, 1);
	if (!pf->used[face])
		return NULL;
	name = HPDF_LoadTTFontFromFile(pf->pdf, fontset_face_path(pf->fs, face),
				       HPDF_TRUE);
	if (!name)
		return NULL;
	pf->font[face] = HPDF_GetFont(pf->pdf, name, "UTF-8");
	return pf->font[face];
}

static void mark_used(uint8_t *used, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned long c = u[i];
		size_t k;

		if (c < 0x80)
			k = 0;
		else if (c >= 0xF0)
			k = 3, c &= 0x07;
		else if (c >= 0xE0)
			k = 2, c &= 0x0F;
		else
			k = 1, c &= 0x1F;
		i++;
		while (k-- && i < len)
			c = (c << 6) | (u[i++] & 0x3F);
		if (c < 65536)
			used[c >> 3] |= (uint8_t)(1u << (c & 7));
	}
}

struct draw_ctx {
	struct pdf_fonts *pf;
	HPDF_Page page;
	double size;
	char buf[512];
};

static int draw_run(void *ctx, int face, const char *s, size_t len)
{
	struct draw_ctx *dc = ctx;
	HPDF_Font f = face_font(dc->pf, face);
	char *heap = NULL, *t = dc->buf;
	int rc = -1;

	if (!f) {
		dc->pf->failed = 1;
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
	mark_used(dc->pf->used[face], s, len);
	if (HPDF_Page_SetFontAndSize(dc->page, f, (HPDF_REAL)dc->size) ==
		    HPDF_OK &&
	    HPDF_Page_ShowText(dc->page, t) == HPDF_OK)
		rc = 0;
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
	if (HPDF_Page_BeginText(page) != HPDF_OK)
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
