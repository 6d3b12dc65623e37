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

HPDF_STATUS pdf_fix_pdfa(HPDF_Doc pdf, const char *icc_path)
{
	HPDF_Dict meta;
	HPDF_STATUS rc;

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
