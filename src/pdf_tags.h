/* pdf_tags.h — the tagged PDF (PDF/UA-1) of a pagelist: its structure
 * elements (pagelist.h) as a StructTreeRoot, the page content wrapped in
 * marked-content sequences (BDC with an MCID for content, /Artifact for
 * running headers, footers and decoration), link annotations as OBJR kids
 * of their Link elements, the ParentTree, and the catalogue's /MarkInfo,
 * /Lang, /ViewerPreferences and XMP metadata with pdfuaid:part 1.
 *
 * libharu 2.3.0 has no marked-content or structure API: the operators go
 * on the page through pdf_page_write (pdf_font.h), the objects are made
 * with libharu's object API (installed internal headers, pinned to
 * libharu 2.3.0 like pdf_fix.c) and belong to the document.
 * docs/accessibility.md says what is tagged how and which Matterhorn
 * Protocol conditions the tests check. */
#ifndef BRIEF_PDF_TAGS_H
#define BRIEF_PDF_TAGS_H

#include <hpdf.h>
#include <stdbool.h>

#include "diag.h"
#include "pagelist.h"

/* Owns its bookkeeping (the MCIDs and kids recorded); the PDF objects
 * belong to the libharu document, the pagelist is not owned and must
 * outlive it. */
struct pdf_tags;

/* For pl drawn into pdf on pages[0..pl->npages-1] (not owned; they must
 * outlive it). BRIEF_OK, or BRIEF_ENOMEM / BRIEF_EINTERNAL (err filled). */
enum brief_status pdf_tags_new(HPDF_Doc pdf, const struct pagelist *pl,
			       HPDF_Page *pages, struct pdf_tags **out,
			       struct diag *err);
void pdf_tags_free(struct pdf_tags *tg); /* NULL is fine */

/* Whether drawing op (pl->ops[i]) needs a marked-content sequence other
 * than the one open: then end any text object on the page and call
 * pdf_tags_mark before drawing it. Only for ops that draw something. */
bool pdf_tags_changes(const struct pdf_tags *tg, size_t i);

/* End the open sequence (EMC) and begin op i's: an MCID of its element,
 * or an artifact. 0, or -1 when libharu refused the bytes or memory ran
 * out. */
int pdf_tags_mark(struct pdf_tags *tg, size_t i);

/* End the open sequence, if any (before saving, or before drawing what
 * belongs to no op). 0 or -1 as pdf_tags_mark. */
int pdf_tags_close(struct pdf_tags *tg);

/* The annotation made for link op i: its /StructParent, its /Contents
 * (the element's alt), and an OBJR kid of the op's Link element (none
 * when the op is in no element). 0 or -1 (libharu failed or out of
 * memory). */
int pdf_tags_annot(struct pdf_tags *tg, size_t i, HPDF_Annotation a);

/* After all drawing and links, before saving: the structure tree, the
 * ParentTree and each page's /StructParents, the catalogue's /MarkInfo,
 * /Lang (lang, BCP 47; NULL or "" writes none), /ViewerPreferences
 * /DisplayDocTitle, and the XMP: with pdfa, libharu's PDF/A metadata
 * (HPDF_PDFA_SetPDFAConformance) gets the pdfuaid part and its PDF/A
 * extension schema; without, a metadata stream with dc:title (title) and
 * the pdfuaid part is added and the file becomes PDF 1.7. BRIEF_OK, or
 * BRIEF_ENOMEM / BRIEF_EINTERNAL (err filled). */
enum brief_status pdf_tags_finish(struct pdf_tags *tg, const char *lang,
				  const char *title, bool pdfa,
				  struct diag *err);

#endif
