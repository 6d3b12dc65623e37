/* pdf_tags.c — structure tree, marked content and PDF/UA metadata of a
 * tagged PDF, made through libharu 2.3.0's object API (pdf_tags.h). */
#include "pdf_tags.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pdf_font.h"
#include "pdf_glyphs.h"

/* A child of an element (or of the root, parent 0): another element, a
 * marked-content sequence on a page, or a link annotation. Kids are put
 * in order by key (the op index they start at, or an element's key) and,
 * between equals, elements first, then in the order they were recorded. */
enum kid_kind { KID_ELEM, KID_MCID, KID_OBJR };
struct kid {
	int parent;
	size_t key, seq;
	enum kid_kind kind;
	int elem;            /* KID_ELEM, 1-based */
	int page, mcid;      /* KID_MCID; page for KID_OBJR too */
	HPDF_Annotation obj; /* KID_OBJR */
};

/* Per element: its dictionary (in the xref), the page of its first
 * marked content (-1: none yet; it becomes /Pg) and, for a chart's
 * Figure, its box on that page. */
struct elem {
	HPDF_Dict d;
	int page;
	bool has_bbox;
	double bbox[4];
};

struct pdf_tags {
	HPDF_Doc pdf;
	const struct pagelist *pl;
	HPDF_Page *pages;
	HPDF_Dict root;
	struct elem *el;        /* pl->nse */
	HPDF_Array *parents;    /* per page: element of each MCID, in order */
	int *nmcid;             /* per page: MCIDs used */
	bool *annots;           /* per page: it has a link annotation */
	struct kid *kids;
	size_t nkids, capkids;
	HPDF_Dict *aparents;    /* per annotation (from StructParent npages) */
	size_t naparents, capaparents;
	int open_page;          /* the page of the open sequence, -1: none */
	int open_se;            /* ... its op's se; PL_SE_NONE: none open */
};

/* Memory ran out in brief's own bookkeeping: said in the document's
 * error state, as libharu's own failures are, so the caller reports out
 * of memory (not an internal error). Returns -1. */
static int oom(HPDF_Doc pdf)
{
	HPDF_SetError(&pdf->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
	return -1;
}

static int add_kid(struct pdf_tags *tg, const struct kid *k)
{
	if (array_reserve(&tg->kids, &tg->capkids, tg->nkids + 1,
			  sizeof *tg->kids, 0))
		return oom(tg->pdf);
	tg->kids[tg->nkids] = *k;
	tg->kids[tg->nkids].seq = tg->nkids;
	tg->nkids++;
	return 0;
}

void pdf_tags_free(struct pdf_tags *tg)
{
	if (!tg)
		return;
	/* A page's MCID array not yet in the ParentTree is not the
	 * document's: libharu frees only what is reachable from it. */
	for (int p = 0; tg->parents && p < tg->pl->npages; p++)
		if (tg->parents[p])
			HPDF_Array_Free(tg->parents[p]);
	free(tg->el);
	free(tg->parents);
	free(tg->nmcid);
	free(tg->annots);
	free(tg->kids);
	free(tg->aparents);
	free(tg);
}

static enum brief_status hpdf_err(HPDF_Doc pdf, struct diag *err,
				  const char *what)
{
	return pdf_status(err, HPDF_GetError(pdf), HPDF_GetErrorDetail(pdf),
			  what);
}

enum brief_status pdf_tags_new(HPDF_Doc pdf, const struct pagelist *pl,
			       HPDF_Page *pages, struct pdf_tags **out,
			       struct diag *err)
{
	struct pdf_tags *tg = calloc(1, sizeof *tg);
	size_t np = pl->npages > 0 ? (size_t)pl->npages : 1;

	*out = NULL;
	if (!tg)
		goto oom;
	tg->pdf = pdf;
	tg->pl = pl;
	tg->pages = pages;
	tg->open_page = -1;
	tg->el = calloc(pl->nse + 1, sizeof *tg->el);
	tg->parents = calloc(np, sizeof *tg->parents);
	tg->nmcid = calloc(np, sizeof *tg->nmcid);
	tg->annots = calloc(np, sizeof *tg->annots);
	if (!tg->el || !tg->parents || !tg->nmcid || !tg->annots)
		goto oom;
	tg->root = HPDF_Dict_New(pdf->mmgr);
	if (!tg->root || HPDF_Xref_Add(pdf->xref, tg->root) != HPDF_OK)
		goto fail;
	for (size_t i = 0; i < pl->nse; i++) {
		HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);

		tg->el[i].page = -1;
		if (!d || HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
			goto fail;
		tg->el[i].d = d;
	}
	for (size_t p = 0; p < np && (int)p < pl->npages; p++) {
		tg->parents[p] = HPDF_Array_New(pdf->mmgr);
		if (!tg->parents[p])
			goto fail;
	}
	*out = tg;
	return BRIEF_OK;
oom:
	pdf_tags_free(tg);
	return diag_set(err, BRIEF_ENOMEM, NULL, 0, 0,
			"out of memory tagging the PDF");
fail:
	pdf_tags_free(tg);
	return hpdf_err(pdf, err, "making the structure tree");
}

bool pdf_tags_changes(const struct pdf_tags *tg, size_t i)
{
	const struct pl_op *op = &tg->pl->ops[i];

	return op->page != tg->open_page || op->se != tg->open_se;
}

static int write_str(struct pdf_tags *tg, int page, const char *s)
{
	return pdf_page_write(tg->pages[page], s, strlen(s));
}

int pdf_tags_close(struct pdf_tags *tg)
{
	int rc = 0;

	if (tg->open_page >= 0 && tg->open_se != PL_SE_NONE)
		rc = write_str(tg, tg->open_page, "EMC\n");
	tg->open_page = -1;
	tg->open_se = PL_SE_NONE;
	return rc;
}

/* Op i's content as the next MCID of its element on its page: a kid of
 * the element and its entry in the page's ParentTree array; the BDC into
 * line. 0, or -1 (out of memory, or libharu refused). */
static int mark_content(struct pdf_tags *tg, size_t i, char *line,
			size_t size)
{
	const struct pl_op *op = &tg->pl->ops[i];
	struct elem *e = &tg->el[op->se - 1];
	int page = op->page;
	struct kid k = {.parent = op->se,
			.key = i,
			.kind = KID_MCID,
			.page = page,
			.mcid = tg->nmcid[page]};

	if (add_kid(tg, &k) ||
	    HPDF_Array_Add(tg->parents[page], e->d) != HPDF_OK)
		return -1;
	if (e->page < 0)
		e->page = page;
	/* A chart's Figure: its box on its first page. */
	if (op->kind == PL_CHART && !e->has_bbox) {
		double ph = tg->pl->page_h;

		e->has_bbox = true;
		e->bbox[0] = op->x;
		e->bbox[1] = ph - op->y - op->h;
		e->bbox[2] = op->x + op->w;
		e->bbox[3] = ph - op->y;
	}
	snprintf(line, size, "/%s <</MCID %d>> BDC\n",
		 tg->pl->se[op->se - 1].role, tg->nmcid[page]++);
	return 0;
}

int pdf_tags_mark(struct pdf_tags *tg, size_t i)
{
	const struct pl_op *op = &tg->pl->ops[i];
	int page = op->page;
	char line[96];

	if (pdf_tags_close(tg))
		return -1;
	tg->open_page = page;
	tg->open_se = op->se;
	if (op->se == PL_SE_NONE)
		return 0; /* untagged: the checker reports it */
	if (op->se < 0)
		return write_str(tg, page,
				 op->se == PL_SE_HEADER
					 ? "/Artifact <</Type /Pagination "
					   "/Subtype /Header>> BDC\n"
				 : op->se == PL_SE_FOOTER
					 ? "/Artifact <</Type /Pagination "
					   "/Subtype /Footer>> BDC\n"
					 : "/Artifact <</Type /Layout>> BDC\n");
	if ((size_t)op->se > tg->pl->nse ||
	    mark_content(tg, i, line, sizeof line))
		return -1;
	return write_str(tg, page, line);
}

/* s (UTF-8) as a PDF text string: printable ASCII as it is (a quarter
 * of the bytes), else UTF-16BE with a byte order mark, as hex; cut after
 * 32000 code units (PDF/A-1 caps strings at 65535 bytes). */
static void *text_string(HPDF_MMgr mmgr, const char *s)
{
	size_t n = strlen(s), cap = 2 + 4 * n, len = 0;
	unsigned char *b;
	const unsigned char *p = (const unsigned char *)s;
	HPDF_Binary out;
	bool ascii = n < 32000;

	for (size_t i = 0; ascii && i < n; i++)
		ascii = p[i] >= 0x20 && p[i] < 0x7F;
	if (ascii)
		return HPDF_String_New(mmgr, s, NULL);
	b = malloc(cap);
	if (!b) {
		HPDF_SetError(mmgr->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
		return NULL;
	}
	b[len++] = 0xFE;
	b[len++] = 0xFF;
	while (*p && len + 4 <= 2 + 2 * 32000) {
		unsigned long c = *p++;
		int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;

		if (more)
			c &= 0x3Fu >> more;
		for (; more && (*p & 0xC0) == 0x80; more--)
			c = (c << 6) | (*p++ & 0x3F);
		if (c >= 0x10000) {
			unsigned long v = c - 0x10000;
			unsigned hi = 0xD800 + (unsigned)(v >> 10);
			unsigned lo = 0xDC00 + (unsigned)(v & 0x3FF);

			b[len++] = (unsigned char)(hi >> 8);
			b[len++] = (unsigned char)hi;
			b[len++] = (unsigned char)(lo >> 8);
			b[len++] = (unsigned char)lo;
		} else {
			b[len++] = (unsigned char)(c >> 8);
			b[len++] = (unsigned char)c;
		}
	}
	out = HPDF_Binary_New(mmgr, b, (HPDF_UINT)len);
	free(b);
	return out;
}

int pdf_tags_annot(struct pdf_tags *tg, size_t i, HPDF_Annotation a)
{
	const struct pl_op *op = &tg->pl->ops[i];
	HPDF_Dict d = (HPDF_Dict)a;
	const struct pl_se *s;
	struct kid k = {.key = i, .kind = KID_OBJR, .obj = a};
	HPDF_UINT key;

	if (op->se <= 0 || (size_t)op->se > tg->pl->nse)
		return 0; /* in no element: the checker says so (28-011) */
	s = &tg->pl->se[op->se - 1];
	k.parent = op->se;
	k.page = op->page;
	key = (HPDF_UINT)tg->pl->npages + (HPDF_UINT)tg->naparents;
	if (array_reserve(&tg->aparents, &tg->capaparents, tg->naparents + 1,
			  sizeof *tg->aparents, 0))
		return oom(tg->pdf);
	if (add_kid(tg, &k))
		return -1;
	tg->aparents[tg->naparents++] = tg->el[op->se - 1].d;
	tg->annots[op->page] = true;
	if (HPDF_Dict_AddNumber(d, "StructParent", (HPDF_INT32)key) != HPDF_OK)
		return -1;
	if (s->alt && *s->alt &&
	    HPDF_Dict_Add(d, "Contents", text_string(d->mmgr, s->alt)) !=
		    HPDF_OK)
		return -1;
	return 0;
}

static int kid_cmp(const void *a, const void *b)
{
	const struct kid *x = a, *y = b;

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if ((x->kind == KID_ELEM) != (y->kind == KID_ELEM))
		return x->kind == KID_ELEM ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The attributes of element i (/A), or HPDF_OK with none. */
static HPDF_STATUS add_attrs(struct pdf_tags *tg, size_t i)
{
	const struct pl_se *s = &tg->pl->se[i];
	const struct elem *e = &tg->el[i];
	HPDF_MMgr mm = tg->pdf->mmgr;
	HPDF_Dict a;
	HPDF_STATUS rc = HPDF_OK;

	if (!(s->scope || s->rowspan > 1 || e->has_bbox || s->ordered))
		return HPDF_OK;
	a = HPDF_Dict_New(mm);
	if (!a)
		return HPDF_Error_GetCode(&tg->pdf->error);
	rc = HPDF_Dict_Add(e->d, "A", a);
	if (s->scope) {
		rc += HPDF_Dict_AddName(a, "O", "Table");
		rc += HPDF_Dict_AddName(a, "Scope", s->scope);
	} else if (s->rowspan > 1) {
		rc += HPDF_Dict_AddName(a, "O", "Table");
		rc += HPDF_Dict_AddNumber(a, "RowSpan", s->rowspan);
	} else if (e->has_bbox) {
		HPDF_Array box = HPDF_Array_New(mm);

		rc += HPDF_Dict_AddName(a, "O", "Layout");
		rc += HPDF_Dict_AddName(a, "Placement", "Block");
		rc += HPDF_Dict_Add(a, "BBox", box);
		for (int k = 0; box && k < 4; k++)
			rc += HPDF_Array_AddReal(box, (HPDF_REAL)e->bbox[k]);
	} else {
		rc += HPDF_Dict_AddName(a, "O", "List");
		rc += HPDF_Dict_AddName(a, "ListNumbering",
					s->ordered == 1 ? "Decimal" : "Disc");
	}
	return rc == HPDF_OK ? HPDF_OK : HPDF_Error_GetCode(&tg->pdf->error);
}

/* One element's dictionary but its kids. */
static HPDF_STATUS fill_elem(struct pdf_tags *tg, size_t i)
{
	const struct pl_se *s = &tg->pl->se[i];
	const struct elem *e = &tg->el[i];
	HPDF_STATUS rc = HPDF_OK;

	/* (/Type /StructElem is optional: left out, 18 bytes each) */
	rc += HPDF_Dict_AddName(e->d, "S", s->role);
	rc += HPDF_Dict_Add(e->d, "P",
			    s->parent > 0 ? tg->el[s->parent - 1].d : tg->root);
	if (e->page >= 0)
		rc += HPDF_Dict_Add(e->d, "Pg", tg->pages[e->page]);
	/* A Link's alt is its annotation's /Contents (pdf_tags_annot). */
	if (s->alt && *s->alt && strcmp(s->role, "Link"))
		rc += HPDF_Dict_Add(e->d, "Alt", text_string(tg->pdf->mmgr,
							      s->alt));
	if (rc == HPDF_OK)
		rc = add_attrs(tg, i);
	return rc == HPDF_OK ? HPDF_OK : HPDF_Error_GetCode(&tg->pdf->error);
}

/* One kid into its parent's /K array. */
static HPDF_STATUS add_to_k(struct pdf_tags *tg, HPDF_Array k,
			    const struct kid *kd)
{
	HPDF_MMgr mm = tg->pdf->mmgr;
	HPDF_Dict r;
	HPDF_STATUS rc = HPDF_OK;

	if (kd->kind == KID_ELEM)
		return HPDF_Array_Add(k, tg->el[kd->elem - 1].d);
	if (kd->kind == KID_MCID && kd->parent > 0 &&
	    tg->el[kd->parent - 1].page == kd->page)
		return HPDF_Array_AddNumber(k, kd->mcid); /* on its /Pg */
	r = HPDF_Dict_New(mm);
	if (!r)
		return HPDF_Error_GetCode(&tg->pdf->error);
	rc += HPDF_Array_Add(k, r);
	rc += HPDF_Dict_AddName(r, "Type",
				kd->kind == KID_MCID ? "MCR" : "OBJR");
	rc += HPDF_Dict_Add(r, "Pg", tg->pages[kd->page]);
	if (kd->kind == KID_MCID)
		rc += HPDF_Dict_AddNumber(r, "MCID", kd->mcid);
	else
		rc += HPDF_Dict_Add(r, "Obj", kd->obj);
	return rc == HPDF_OK ? HPDF_OK : HPDF_Error_GetCode(&tg->pdf->error);
}

/* Every element's /K, in order; the root's holds the top elements. */
static HPDF_STATUS build_kids(struct pdf_tags *tg)
{
	HPDF_MMgr mm = tg->pdf->mmgr;
	HPDF_STATUS rc = HPDF_OK;

	for (size_t i = 0; i < tg->pl->nse; i++) {
		struct kid k = {.parent = tg->pl->se[i].parent,
				.key = tg->pl->se[i].key,
				.kind = KID_ELEM,
				.elem = (int)i + 1};

		if (add_kid(tg, &k))
			return HPDF_FAILD_TO_ALLOC_MEM;
	}
	qsort(tg->kids, tg->nkids, sizeof *tg->kids, kid_cmp);
	for (size_t i = 0; i < tg->nkids && rc == HPDF_OK;) {
		int parent = tg->kids[i].parent;
		HPDF_Dict owner = parent > 0 ? tg->el[parent - 1].d : tg->root;
		HPDF_Array k = HPDF_Array_New(mm);

		if (!k || HPDF_Dict_Add(owner, "K", k) != HPDF_OK)
			return HPDF_Error_GetCode(&tg->pdf->error);
		for (; i < tg->nkids && tg->kids[i].parent == parent &&
		       rc == HPDF_OK;
		     i++)
			rc = add_to_k(tg, k, &tg->kids[i]);
	}
	return rc;
}

/* Entries in one leaf of the ParentTree: its /Nums array has two elements
 * an entry, and PDF/A-1 allows arrays of 8191. */
enum { TREE_LEAF = 2048 };

/* The ParentTree's value for key k: page k's array of MCID parents, or
 * (past the pages) an annotation's element. */
static void *tree_value(struct pdf_tags *tg, size_t k)
{
	size_t np = (size_t)tg->pl->npages;
	void *v;

	if (k >= np)
		return tg->aparents[k - np];
	v = tg->parents[k];
	tg->parents[k] = NULL; /* the document's now */
	return v;
}

/* The ParentTree (each page's MCIDs, then each annotation): one /Nums
 * when it fits a leaf, else /Kids of leaves with their /Limits; and the
 * pages' /StructParents and /Tabs. */
static HPDF_STATUS build_parent_tree(struct pdf_tags *tg)
{
	HPDF_MMgr mm = tg->pdf->mmgr;
	HPDF_Dict tree = HPDF_Dict_New(mm);
	HPDF_Array kids = NULL;
	HPDF_STATUS rc = HPDF_OK;
	int np = tg->pl->npages;
	size_t total = (size_t)np + tg->naparents;

	if (!tree)
		return HPDF_Error_GetCode(&tg->pdf->error);
	rc += HPDF_Dict_Add(tg->root, "ParentTree", tree);
	if (total > TREE_LEAF) {
		kids = HPDF_Array_New(mm);
		rc += HPDF_Dict_Add(tree, "Kids", kids);
	}
	for (size_t k0 = 0; k0 < total && rc == HPDF_OK; k0 += TREE_LEAF) {
		size_t k1 = total - k0 > TREE_LEAF ? k0 + TREE_LEAF : total;
		HPDF_Dict leaf = kids ? HPDF_Dict_New(mm) : tree;
		HPDF_Array nums = HPDF_Array_New(mm), lim;

		if (!leaf || !nums) {
			if (leaf && leaf != tree)
				HPDF_Dict_Free(leaf);
			if (nums)
				HPDF_Array_Free(nums);
			return HPDF_Error_GetCode(&tg->pdf->error);
		}
		if (kids) { /* kids are indirect objects */
			rc += HPDF_Xref_Add(tg->pdf->xref, leaf);
			rc += HPDF_Array_Add(kids, leaf);
			lim = HPDF_Array_New(mm);
			rc += HPDF_Dict_Add(leaf, "Limits", lim);
			rc += HPDF_Array_AddNumber(lim, (HPDF_INT32)k0);
			rc += HPDF_Array_AddNumber(lim, (HPDF_INT32)(k1 - 1));
		}
		rc += HPDF_Dict_Add(leaf, "Nums", nums);
		for (size_t k = k0; k < k1 && rc == HPDF_OK; k++) {
			rc += HPDF_Array_AddNumber(nums, (HPDF_INT32)k);
			rc += HPDF_Array_Add(nums, tree_value(tg, k));
		}
	}
	for (int p = 0; p < np && rc == HPDF_OK; p++) {
		rc += HPDF_Dict_AddNumber(tg->pages[p], "StructParents", p);
		/* Tab order follows the structure where there are links. */
		if (tg->annots[p])
			rc += HPDF_Dict_AddName(tg->pages[p], "Tabs", "S");
	}
	rc += HPDF_Dict_AddNumber(tg->root, "ParentTreeNextKey",
				  (HPDF_INT32)total);
	return rc == HPDF_OK ? HPDF_OK : HPDF_Error_GetCode(&tg->pdf->error);
}

/* ---- XMP ---- */

/* The PDF/UA identification, and (for PDF/A-1, whose validators accept
 * only the schemas of XMP 2004 or ones described in the file) the
 * description of its schema. */
static const char xmp_pdfua[] =
	"<rdf:Description rdf:about='' "
	"xmlns:pdfuaid='http://www.aiim.org/pdfua/ns/id/'>"
	"<pdfuaid:part>1</pdfuaid:part></rdf:Description>";
static const char xmp_pdfua_schema[] =
	"<rdf:Description rdf:about='' "
	"xmlns:pdfaExtension='http://www.aiim.org/pdfa/ns/extension/' "
	"xmlns:pdfaSchema='http://www.aiim.org/pdfa/ns/schema#' "
	"xmlns:pdfaProperty='http://www.aiim.org/pdfa/ns/property#'>"
	"<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType='Resource'>"
	"<pdfaSchema:schema>PDF/UA identification</pdfaSchema:schema>"
	"<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/"
	"</pdfaSchema:namespaceURI>"
	"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"
	"<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType='Resource'>"
	"<pdfaProperty:name>part</pdfaProperty:name>"
	"<pdfaProperty:valueType>Integer</pdfaProperty:valueType>"
	"<pdfaProperty:category>internal</pdfaProperty:category>"
	"<pdfaProperty:description>The part of ISO 14289 the file conforms "
	"to</pdfaProperty:description>"
	"</rdf:li></rdf:Seq></pdfaSchema:property>"
	"</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>";

/* XML's special characters in s as entities, onto b. */
static enum brief_status xml_text(struct buf *b, const char *s)
{
	enum brief_status st = BRIEF_OK;

	for (; *s && st == BRIEF_OK; s++)
		st = *s == '&'   ? buf_puts(b, "&amp;")
		     : *s == '<' ? buf_puts(b, "&lt;")
		     : *s == '>' ? buf_puts(b, "&gt;")
				 : buf_add(b, s, 1);
	return st;
}

/* libharu's PDF/A metadata with the PDF/UA parts before its </rdf:RDF>. */
static HPDF_STATUS xmp_extend(HPDF_Doc pdf)
{
	HPDF_Dict meta = HPDF_Dict_GetItem(pdf->catalog, "Metadata",
					   HPDF_OCLASS_DICT);
	struct buf b = {0};
	HPDF_UINT size;
	char *old = NULL;
	const char *end;
	HPDF_STATUS rc = HPDF_FAILD_TO_ALLOC_MEM;

	if (!meta || !meta->stream)
		return HPDF_INVALID_OBJECT;
	size = meta->stream->size;
	old = malloc((size_t)size + 1);
	if (!old)
		goto out;
	if (HPDF_Stream_Seek(meta->stream, 0, HPDF_SEEK_SET) != HPDF_OK ||
	    HPDF_Stream_Read(meta->stream, (HPDF_BYTE *)old, &size) !=
		    HPDF_OK) {
		rc = HPDF_INVALID_STREAM;
		goto out;
	}
	old[size] = '\0';
	end = strstr(old, "</rdf:RDF>");
	if (!end) {
		rc = HPDF_INVALID_STREAM;
		goto out;
	}
	if (buf_add(&b, old, (size_t)(end - old)) || buf_puts(&b, xmp_pdfua) ||
	    buf_puts(&b, xmp_pdfua_schema) || buf_puts(&b, end))
		goto out;
	HPDF_MemStream_FreeData(meta->stream);
	rc = HPDF_Stream_Write(meta->stream, (const HPDF_BYTE *)buf_str(&b),
			       (HPDF_UINT)b.n);
out:
	free(old);
	buf_free(&b);
	return rc;
}

/* A metadata stream of its own: the title and the PDF/UA part. */
static HPDF_STATUS xmp_new(HPDF_Doc pdf, const char *title)
{
	struct buf b = {0};
	HPDF_Dict meta;
	HPDF_STATUS rc = HPDF_FAILD_TO_ALLOC_MEM;

	if (buf_puts(&b, "<?xpacket begin='\xEF\xBB\xBF' "
			 "id='W5M0MpCehiHzreSzNTczkc9d'?>"
			 "<x:xmpmeta xmlns:x='adobe:ns:meta/'>"
			 "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/"
			 "22-rdf-syntax-ns#'>"))
		goto out;
	if (title && *title &&
	    (buf_puts(&b, "<rdf:Description rdf:about='' "
			  "xmlns:dc='http://purl.org/dc/elements/1.1/'>"
			  "<dc:title><rdf:Alt><rdf:li xml:lang='x-default'>") ||
	     xml_text(&b, title) ||
	     buf_puts(&b, "</rdf:li></rdf:Alt></dc:title></rdf:Description>")))
		goto out;
	if (buf_puts(&b, xmp_pdfua) ||
	    buf_puts(&b, "</rdf:RDF></x:xmpmeta><?xpacket end='w'?>"))
		goto out;
	meta = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	if (!meta) {
		rc = HPDF_Error_GetCode(&pdf->error);
		goto out;
	}
	meta->filter = HPDF_STREAM_FILTER_NONE; /* readable without inflating */
	rc = HPDF_Dict_AddName(meta, "Type", "Metadata");
	if (rc == HPDF_OK)
		rc = HPDF_Dict_AddName(meta, "Subtype", "XML");
	if (rc == HPDF_OK)
		rc = HPDF_Stream_Write(meta->stream,
				       (const HPDF_BYTE *)buf_str(&b),
				       (HPDF_UINT)b.n);
	if (rc == HPDF_OK)
		rc = HPDF_Dict_Add(pdf->catalog, "Metadata", meta);
out:
	buf_free(&b);
	return rc;
}

/* ---- the catalogue ---- */

static HPDF_STATUS build_catalog(struct pdf_tags *tg)
{
	HPDF_Doc pdf = tg->pdf;
	HPDF_Dict mark = HPDF_Dict_New(pdf->mmgr);
	HPDF_Dict vp = HPDF_Dict_New(pdf->mmgr);
	HPDF_Dict roles = HPDF_Dict_New(pdf->mmgr);
	HPDF_STATUS rc = HPDF_OK;

	if (!mark || !vp || !roles)
		return HPDF_Error_GetCode(&pdf->error);
	rc += HPDF_Dict_AddName(tg->root, "Type", "StructTreeRoot");
	/* The one role of brief's own: the title, which is no heading (the
	 * sections' H1 are the top of the outline). */
	rc += HPDF_Dict_AddName(roles, "Title", "P");
	rc += HPDF_Dict_Add(tg->root, "RoleMap", roles);
	rc += HPDF_Dict_Add(pdf->catalog, "StructTreeRoot", tg->root);
	rc += HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE);
	rc += HPDF_Dict_Add(pdf->catalog, "MarkInfo", mark);
	rc += HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE);
	rc += HPDF_Dict_Add(pdf->catalog, "ViewerPreferences", vp);
	return rc == HPDF_OK ? HPDF_OK : HPDF_Error_GetCode(&pdf->error);
}

enum brief_status pdf_tags_finish(struct pdf_tags *tg, const char *lang,
				  const char *title, bool pdfa,
				  struct diag *err)
{
	HPDF_STATUS rc;
	enum brief_status st;

	if (pdf_tags_close(tg))
		return hpdf_err(tg->pdf, err, "ending the marked content");
	for (size_t i = 0; i < tg->pl->nse; i++)
		if ((rc = fill_elem(tg, i)) != HPDF_OK)
			return pdf_status(err, rc, 0,
					  "writing the structure elements");
	rc = build_kids(tg);
	if (rc == HPDF_OK)
		rc = build_parent_tree(tg);
	if (rc == HPDF_OK)
		rc = build_catalog(tg);
	if (rc != HPDF_OK)
		return pdf_status(err, rc, 0, "writing the structure tree");
	st = pdf_glyphs_doc_lang(tg->pdf, lang, err);
	if (st != BRIEF_OK)
		return st;
	rc = pdfa ? xmp_extend(tg->pdf) : xmp_new(tg->pdf, title);
	if (rc != HPDF_OK)
		return pdf_status(err, rc, 0, "writing the PDF/UA metadata");
	/* Tagged PDF, metadata streams and PDF/UA-1 are PDF 1.4 and later
	 * (ISO 32000-1); PDF/A-1 stays at the 1.4 it sets. */
	if (!pdfa)
		tg->pdf->pdf_version = HPDF_VER_17;
	return BRIEF_OK;
}
