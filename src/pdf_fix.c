/* pdf_fix.c — libharu 2.3.0 internals patched before saving (pdf_fix.h). */
#include "pdf_fix.h"

#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_gstate.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

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

static int bit(const uint8_t *used, unsigned c)
{
	return (used[c >> 3] >> (c & 7)) & 1;
}

/* The next code point after c drawn (used has bit c set), or 65536. Code
 * point 0 is never reported. Skips empty bytes: the maps are sparse. */
static unsigned next_bit(const uint8_t *used, unsigned c)
{
	for (c++; c < 65536; c++) {
		if ((c & 7) == 0)
			while (c < 65536 && used[c >> 3] == 0)
				c += 8;
		if (c < 65536 && bit(used, c))
			return c;
	}
	return 65536;
}

/* The highest code point drawn, or 0. */
static unsigned max_bit(const uint8_t *used)
{
	for (unsigned b = 65536 / 8; b-- > 0;)
		if (used[b])
			for (unsigned c = b * 8 + 7;; c--)
				if (bit(used, c))
					return c;
	return 0;
}

/* The code = CID = Unicode (libharu's UTF-8 encoder is Identity-H over
 * the BMP), so each drawn code point maps to itself. */
static HPDF_STATUS write_cmap(HPDF_Stream st, const uint8_t *used)
{
	HPDF_STATUS rc = HPDF_Stream_WriteStr(st, cmap_head);
	unsigned count = 0, c = 0;
	char line[64];

	for (unsigned i = next_bit(used, 0); i < 65536; i = next_bit(used, i))
		count++;
	while (rc == HPDF_OK && count > 0) {
		unsigned n = count > 100 ? 100 : count;

		snprintf(line, sizeof line, "%u beginbfchar\n", n);
		rc = HPDF_Stream_WriteStr(st, line);
		for (unsigned k = 0; rc == HPDF_OK && k < n; k++) {
			c = next_bit(used, c);
			snprintf(line, sizeof line, "<%04X> <%04X>\n", c, c);
			rc = HPDF_Stream_WriteStr(st, line);
		}
		if (rc == HPDF_OK)
			rc = HPDF_Stream_WriteStr(st, "endbfchar\n");
		count -= n;
	}
	if (rc == HPDF_OK)
		rc = HPDF_Stream_WriteStr(st, cmap_tail);
	return rc;
}

HPDF_STATUS pdf_fix_tounicode(struct pdf_fonts *pf)
{
	for (int i = 0; i < pf->nfaces; i++) {
		HPDF_Dict font = (HPDF_Dict)pf->font[i];
		HPDF_FontAttr attr;
		HPDF_Dict cmap;
		HPDF_STATUS rc;

		if (!font)
			continue;
		attr = (HPDF_FontAttr)font->attr;
		cmap = attr ? attr->cmap_stream : NULL;
		if (!cmap || !cmap->stream)
			continue;
		/* Drop the encoding-CMap keys that do not belong on a
		 * ToUnicode stream. */
		if (HPDF_Dict_GetItem(cmap, "Type", HPDF_OCLASS_NAME))
			HPDF_Dict_RemoveElement(cmap, "Type");
		if (HPDF_Dict_GetItem(cmap, "CMapName", HPDF_OCLASS_NAME))
			HPDF_Dict_RemoveElement(cmap, "CMapName");
		if (HPDF_Dict_GetItem(cmap, "CIDSystemInfo", HPDF_OCLASS_DICT))
			HPDF_Dict_RemoveElement(cmap, "CIDSystemInfo");
		if (HPDF_Dict_GetItem(cmap, "WMode", HPDF_OCLASS_NUMBER))
			HPDF_Dict_RemoveElement(cmap, "WMode");
		HPDF_MemStream_FreeData(cmap->stream);
		rc = write_cmap(cmap->stream, pf->used[i]);
		if (rc != HPDF_OK)
			return rc;
	}
	return HPDF_OK;
}

HPDF_STATUS pdf_fix_cidtogid(struct pdf_fonts *pf)
{
	for (int i = 0; i < pf->nfaces; i++) {
		HPDF_Dict font = (HPDF_Dict)pf->font[i];
		HPDF_FontAttr attr;
		HPDF_Dict map;
		HPDF_BYTE *gid;
		HPDF_UINT n, have;
		unsigned max = 0;
		HPDF_STATUS rc;

		if (!font || !pf->used[i])
			continue;
		attr = (HPDF_FontAttr)font->attr;
		map = attr ? attr->map_stream : NULL;
		if (!map || !map->stream)
			continue;
		max = max_bit(pf->used[i]);
		n = 2 * (max + 1);
		gid = HPDF_GetMem(font->mmgr, n);
		if (!gid)
			return HPDF_Error_GetCode(font->error);
		/* Keep libharu's entries up to max; code = CID = Unicode, so
		 * any missing tail is the font's cmap entry. */
		have = map->stream->size < n ? map->stream->size : n;
		have &= ~1u;
		if (have > 0 &&
		    (HPDF_Stream_Seek(map->stream, 0, HPDF_SEEK_SET) != HPDF_OK ||
		     HPDF_Stream_Read(map->stream, gid, &have) != HPDF_OK))
			have = 0;
		for (unsigned c = have / 2; c <= max; c++) {
			HPDF_UINT16 g = HPDF_TTFontDef_GetGlyphid(
				attr->fontdef, (HPDF_UINT16)c);

			gid[2 * c] = (HPDF_BYTE)(g >> 8);
			gid[2 * c + 1] = (HPDF_BYTE)g;
		}
		HPDF_MemStream_FreeData(map->stream);
		rc = HPDF_Stream_Write(map->stream, gid, n);
		HPDF_FreeMem(font->mmgr, gid);
		if (rc != HPDF_OK)
			return rc;
	}
	return HPDF_OK;
}

HPDF_STATUS pdf_fix_id(HPDF_Doc pdf, const uint8_t hash[16])
{
	HPDF_Array id = HPDF_Array_New(pdf->mmgr);
	HPDF_BYTE b[16];
	HPDF_STATUS rc;

	if (!id)
		return HPDF_Error_GetCode(&pdf->error);
	memcpy(b, hash, 16);
	rc = HPDF_Dict_Add(pdf->trailer, "ID", id);
	if (rc != HPDF_OK)
		return rc;
	rc = HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, b, 16));
	if (rc == HPDF_OK)
		rc = HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, b, 16));
	return rc;
}

/* CapHeight and CIDSet on one font's descriptor. The descriptor (and the
 * subset font file) is made by the font's before-write hook, which is
 * safe to run early once all text is drawn. */
static HPDF_STATUS fix_font_pdfa(HPDF_Dict font, const uint8_t *used)
{
	HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
	HPDF_FontDef def = attr->fontdef;
	HPDF_Dict desc, cidset;
	HPDF_BYTE bits[65536 / 8];
	unsigned max = 0;
	HPDF_STATUS rc;
	double cap;

	if (font->before_write_fn && (rc = font->before_write_fn(font)) != HPDF_OK)
		return rc;
	desc = def->descriptor;
	if (!desc)
		return HPDF_OK;
	cap = def->cap_height ? def->cap_height : def->ascent * 0.7;
	rc = HPDF_Dict_AddNumber(desc, "CapHeight", (HPDF_INT32)cap);
	if (rc != HPDF_OK)
		return rc;
	memset(bits, 0, sizeof bits);
	bits[0] = 0x80; /* CID 0, .notdef, is always present */
	for (unsigned c = next_bit(used, 0); c < 65536;
	     c = next_bit(used, c)) {
		bits[c >> 3] |= (HPDF_BYTE)(0x80u >> (c & 7));
		max = c;
	}
	cidset = HPDF_DictStream_New(font->mmgr, attr->xref);
	if (!cidset)
		return HPDF_Error_GetCode(font->error);
	cidset->filter = font->filter;
	rc = HPDF_Stream_Write(cidset->stream, bits, max / 8 + 1);
	if (rc == HPDF_OK)
		rc = HPDF_Dict_Add(desc, "CIDSet", cidset);
	return rc;
}

static HPDF_STATUS add_output_intent(HPDF_Doc pdf, const char *icc_path)
{
	HPDF_OutputIntent icc = HPDF_LoadIccProfileFromFile(pdf, icc_path, 3);
	HPDF_Dict oi;
	HPDF_Array arr;
	HPDF_STATUS rc = HPDF_OK;
	static const char id[] = "sRGB IEC61966-2.1";

	if (!icc)
		return HPDF_Error_GetCode(&pdf->error);
	oi = HPDF_Dict_New(pdf->mmgr);
	arr = HPDF_Array_New(pdf->mmgr);
	if (!oi || !arr)
		return HPDF_Error_GetCode(&pdf->error);
	rc += HPDF_Xref_Add(pdf->xref, oi);
	rc += HPDF_Dict_AddName(oi, "Type", "OutputIntent");
	rc += HPDF_Dict_AddName(oi, "S", "GTS_PDFA1");
	rc += HPDF_Dict_Add(oi, "OutputConditionIdentifier",
			    HPDF_String_New(pdf->mmgr, id, NULL));
	rc += HPDF_Dict_Add(oi, "Info", HPDF_String_New(pdf->mmgr, id, NULL));
	rc += HPDF_Dict_Add(oi, "RegistryName",
			    HPDF_String_New(pdf->mmgr, "http://www.color.org",
					    NULL));
	rc += HPDF_Dict_Add(oi, "DestOutputProfile", (HPDF_Dict)icc);
	rc += HPDF_Array_Add(arr, oi);
	rc += HPDF_Dict_Add(pdf->catalog, "OutputIntents", arr);
	return rc == HPDF_OK ? HPDF_OK : HPDF_Error_GetCode(&pdf->error);
}

HPDF_STATUS pdf_fix_pdfa(HPDF_Doc pdf, struct pdf_fonts *pf,
			 const char *icc_path)
{
	HPDF_Dict meta;
	HPDF_STATUS rc;

	for (int i = 0; i < pf->nfaces; i++) {
		if (!pf->font[i])
			continue;
		rc = fix_font_pdfa((HPDF_Dict)pf->font[i], pf->used[i]);
		if (rc != HPDF_OK)
			return rc;
	}
	meta = HPDF_Dict_GetItem(pdf->catalog, "Metadata", HPDF_OCLASS_DICT);
	if (meta) {
		if (HPDF_Dict_GetItem(meta, "SubType", HPDF_OCLASS_NAME))
			HPDF_Dict_RemoveElement(meta, "SubType");
		rc = HPDF_Dict_AddName(meta, "Subtype", "XML");
		if (rc != HPDF_OK)
			return rc;
	}
	return add_output_intent(pdf, icc_path);
}

HPDF_STATUS pdf_fix_outline_dest(HPDF_Outline o, HPDF_Page page, double top)
{
	HPDF_Dict od = (HPDF_Dict)o;
	HPDF_Array a = HPDF_Array_New(od->mmgr);
	HPDF_STATUS rc = HPDF_OK;

	if (!a)
		return HPDF_Error_GetCode(od->error);
	rc += HPDF_Dict_Add(od, "Dest", a);
	rc += HPDF_Array_Add(a, page);
	rc += HPDF_Array_AddName(a, "XYZ");
	rc += HPDF_Array_Add(a, HPDF_Null_New(od->mmgr));
	rc += HPDF_Array_AddReal(a, (HPDF_REAL)top);
	rc += HPDF_Array_Add(a, HPDF_Null_New(od->mmgr));
	return rc == HPDF_OK ? HPDF_OK : HPDF_Error_GetCode(od->error);
}

HPDF_STATUS pdf_fix_annot_print(HPDF_Annotation a)
{
	return HPDF_Dict_AddNumber((HPDF_Dict)a, "F", 4);
}

/* The content dict's write hook: HPDF_Dict_Write drops a /Filter key when
 * the dict's filter is NONE, so the key is written from here. */
static HPDF_STATUS write_flate_key(HPDF_Dict dict, HPDF_Stream out)
{
	(void)dict;
	return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* Replace st's bytes by their zlib stream at level. The input is fed
 * straight from the memory stream's blocks (HPDF_Stream_Read copies byte
 * by byte); every block but the last is full. */
static HPDF_STATUS deflate_stream(HPDF_Stream st, HPDF_Error e, int level)
{
	HPDF_MemStreamAttr m = st->attr;
	unsigned char *out = NULL;
	z_stream z;
	uLong cap, fed = 0;
	HPDF_STATUS rc = HPDF_OK;
	int zr = Z_OK;

	if (st->type != HPDF_STREAM_MEMORY || !m)
		return HPDF_SetError(e, HPDF_INVALID_STREAM, 0);
	memset(&z, 0, sizeof z);
	if (deflateInit(&z, level) != Z_OK)
		return HPDF_SetError(e, HPDF_FAILD_TO_ALLOC_MEM, 0);
	cap = deflateBound(&z, st->size);
	out = malloc(cap);
	if (!out) {
		rc = HPDF_SetError(e, HPDF_FAILD_TO_ALLOC_MEM, 0);
		goto out;
	}
	z.next_out = out;
	z.avail_out = (uInt)cap;
	for (HPDF_UINT k = 0; k < m->buf->count && zr == Z_OK; k++) {
		int last = k + 1 == m->buf->count;

		z.next_in = HPDF_List_ItemAt(m->buf, k);
		z.avail_in = last ? m->w_pos : m->buf_siz;
		fed += z.avail_in;
		zr = deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
	}
	if (m->buf->count == 0)
		zr = deflate(&z, Z_FINISH);
	if (zr != Z_STREAM_END || fed != st->size) {
		rc = HPDF_SetError(e, HPDF_INVALID_STREAM, 0);
		goto out;
	}
	HPDF_MemStream_FreeData(st);
	rc = HPDF_Stream_Write(st, out, (HPDF_UINT)z.total_out);
out:
	deflateEnd(&z);
	free(out);
	return rc;
}

HPDF_STATUS pdf_fix_deflate_pages(HPDF_Page *pages, int npages, int level)
{
	for (int i = 0; i < npages; i++) {
		HPDF_PageAttr attr = pages[i] ? pages[i]->attr : NULL;
		HPDF_Dict c = attr ? attr->contents : NULL;
		HPDF_STATUS rc;

		/* libharu's page hook would close these at save time by
		 * writing more operators to the stream. */
		if (!c || !c->stream || c->write_fn ||
		    attr->gmode != HPDF_GMODE_PAGE_DESCRIPTION ||
		    (attr->gstate && attr->gstate->prev))
			continue;
		rc = deflate_stream(c->stream, c->error, level);
		if (rc != HPDF_OK)
			return rc;
		c->filter = HPDF_STREAM_FILTER_NONE;
		c->write_fn = write_flate_key;
	}
	return HPDF_OK;
}
