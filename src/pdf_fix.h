/* pdf_fix.h — repairs libharu 2.3.0 cannot make through its public API,
 * done through its installed internal headers (pinned to 2.3.0, see
 * /work/shared/notes/libharu-cairo.md): a fixed /ID, the PDF/A-1b
 * metadata details, bookmarks' direct destinations, printable links and
 * page streams deflated at a chosen level. */
#ifndef BRIEF_PDF_FIX_H
#define BRIEF_PDF_FIX_H

#include <hpdf.h>
#include <stdint.h>

#include "pdf_font.h"

/* Set the trailer /ID to the first 16 bytes of hash, twice (deterministic
 * output instead of libharu's time-based one). */
HPDF_STATUS pdf_fix_id(HPDF_Doc pdf, const uint8_t hash[16]);

/* PDF/A-1b, after everything is drawn: the XMP stream's /Subtype
 * (libharu writes /SubType) and an sRGB output intent built from the ICC
 * profile at icc_path (the fonts carry CapHeight and CIDSet themselves,
 * pdf_glyphs.h). Call HPDF_PDFA_SetPDFAConformance first. */
HPDF_STATUS pdf_fix_pdfa(HPDF_Doc pdf, const char *icc_path);

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
