/* pdf_fix.h — repairs libharu 2.3.0 cannot make through its public API,
 * done through its installed internal headers (pinned to 2.3.0, see
 * /work/shared/notes/libharu-cairo.md): a real ToUnicode CMap, a fixed
 * /ID, and the PDF/A-1b font and metadata details. */
#ifndef BRIEF_PDF_FIX_H
#define BRIEF_PDF_FIX_H

#include <hpdf.h>
#include <stdint.h>

#include "pdf_font.h"

/* Replace each loaded font's ToUnicode stream (libharu reuses its
 * CID-range encoding CMap there, which readers reject) with a bfchar CMap
 * of the code points drawn. Returns HPDF_OK or a libharu error code. */
HPDF_STATUS pdf_fix_tounicode(struct pdf_fonts *pf);

/* Cut each loaded font's CIDToGIDMap stream (libharu writes 2 bytes for
 * every BMP code point, 128 KB raw) after the highest code point drawn
 * with it: CIDs past the end of the map are never used. */
HPDF_STATUS pdf_fix_cidtogid(struct pdf_fonts *pf);

/* Set the trailer /ID to the first 16 bytes of hash, twice (deterministic
 * output instead of libharu's time-based one). */
HPDF_STATUS pdf_fix_id(HPDF_Doc pdf, const uint8_t hash[16]);

/* PDF/A-1b, after everything is drawn: CapHeight and a CIDSet of the
 * code points drawn on every loaded font's descriptor, the XMP stream's
 * /Subtype (libharu writes /SubType), and an sRGB output intent built from
 * the ICC profile at icc_path. Call HPDF_PDFA_SetPDFAConformance first. */
HPDF_STATUS pdf_fix_pdfa(HPDF_Doc pdf, struct pdf_fonts *pf,
			 const char *icc_path);

/* A bookmark pointing at (page, top) with a direct /Dest array (PDF/A
 * validators reject libharu's indirect one); left and zoom unchanged. */
HPDF_STATUS pdf_fix_outline_dest(HPDF_Outline o, HPDF_Page page, double top);

/* Deflate each page's content stream now, at zlib level (1-9), and mark
 * it /FlateDecode, so libharu writes the bytes as they are instead of
 * compressing them at zlib's default level (2.3.0 has no way to choose).
 * Call last before saving: nothing may be drawn on the pages afterwards.
 * A page left inside a text or path object or a gsave is skipped (libharu
 * would append to its stream at save time) and compressed by libharu. */
HPDF_STATUS pdf_fix_deflate_pages(HPDF_Page *pages, int npages, int level);

/* Mark an annotation printable (/F 4), as PDF/A requires. */
HPDF_STATUS pdf_fix_annot_print(HPDF_Annotation a);

#endif
