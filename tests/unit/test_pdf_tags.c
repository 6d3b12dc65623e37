/* test_pdf_tags.c — the structure the layout records for the tagged PDF
 * (pagelist.h's struct pl_se and each op's se): every drawn op is tagged
 * or an artifact, parents come first, sections and headings nest as the
 * bookmarks do, links sit in Link elements, tables have scoped TH and
 * their header repeated on a new page is an artifact, lists are L/LI/Lbl/
 * LBody, figures have alt text; and the PDF written from it carries the
 * catalogue entries (pdf_tags.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pagelist.h"
#include "typeset.h"
#include "typeset_fixture.h"

static struct fontset *fs;
static const struct typeset_opts OPTS = {false, NULL, -1, "brief test", NULL};

static int setup(void **state)
{
	struct diag err = {0};

	(void)state;
	return fontset_open("fonts", &fs, &err) == BRIEF_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	fontset_free(fs);
	return 0;
}

static const struct pl_se *se_of(const struct pagelist *pl, int se)
{
	assert_true(se > 0 && (size_t)se <= pl->nse);
	return &pl->se[se - 1];
}

static const char *role(const struct pagelist *pl, int se)
{
	return se_of(pl, se)->role;
}

/* The Sect elements around element se. */
static int sect_depth(const struct pagelist *pl, int se)
{
	int n = 0;

	for (int p = se_of(pl, se)->parent; p; p = se_of(pl, p)->parent)
		n += strcmp(role(pl, p), "Sect") == 0;
	return n;
}

static bool draws(const struct pl_op *op)
{
	return op->kind == PL_TEXT || op->kind == PL_RECT ||
	       op->kind == PL_RULE || op->kind == PL_CHART ||
	       op->kind == PL_IMAGE;
}

/* What holds for every pagelist: drawn ops tagged or artifacts, parents
 * made before their children, links in Link elements, TH scoped, LI in
 * L with Lbl and LBody, Figures with alt text. */
static void check_common(const struct pagelist *pl)
{
	for (size_t i = 0; i < pl->nops; i++) {
		const struct pl_op *op = &pl->ops[i];

		if (draws(op))
			assert_true(op->se != PL_SE_NONE);
		if (op->kind == PL_LINK)
			assert_string_equal(role(pl, op->se), "Link");
		if (op->kind == PL_TEXT && op->tag && !strcmp(op->tag, "marker"))
			assert_string_equal(role(pl, op->se), "Lbl");
	}
	for (size_t i = 0; i < pl->nse; i++) {
		const struct pl_se *e = &pl->se[i];
		const char *up = e->parent ? role(pl, e->parent) : "";

		assert_true(e->parent >= 0 && (size_t)e->parent <= i);
		if (!strcmp(e->role, "TH"))
			assert_string_equal(e->scope, "Column");
		if (!strcmp(e->role, "TH") || !strcmp(e->role, "TD"))
			assert_string_equal(up, "TR");
		if (!strcmp(e->role, "TR"))
			assert_string_equal(up, "Table");
		if (!strcmp(e->role, "LI"))
			assert_string_equal(up, "L");
		if (!strcmp(e->role, "Lbl") || !strcmp(e->role, "LBody"))
			assert_string_equal(up, "LI");
		if (!strcmp(e->role, "Figure"))
			assert_true(e->alt && *e->alt);
	}
	assert_string_equal(pl->se[0].role, "Document");
}

static void layout(const struct doc *d, struct pagelist *pl)
{
	struct diag err = {0};

	memset(pl, 0, sizeof *pl);
	assert_int_equal(typeset_layout(d, fs, pl, &err), BRIEF_OK);
	check_common(pl);
}

/* "#", "###", "##", "#": sections nest as the bookmarks do, and each
 * heading's role is its depth (H1, H2, H2, H1), not its level. */
static void test_headings_nest(void **state)
{
	struct doc *d = fx_doc("Headings");
	struct pagelist pl;
	static const char *const want[] = {"H1", "H2", "H2", "H1"};
	int k = 0;

	(void)state;
	fx_heading(d, 1, "One");
	fx_words(d, 30, 1);
	fx_heading(d, 3, "Skipped to three");
	fx_words(d, 30, 2);
	fx_heading(d, 2, "Two");
	fx_words(d, 30, 3);
	fx_heading(d, 1, "Again one");
	fx_words(d, 30, 4);
	layout(d, &pl);
	for (size_t i = 0; i < pl.nops; i++) {
		const struct pl_op *op = &pl.ops[i];

		if (op->kind != PL_TEXT || op->se <= 0 ||
		    role(&pl, op->se)[0] != 'H')
			continue;
		/* one fragment per heading here (one word or a few) */
		if (i > 0 && pl.ops[i - 1].kind == PL_TEXT &&
		    pl.ops[i - 1].se == op->se)
			continue;
		assert_true(k < 4);
		assert_string_equal(role(&pl, op->se), want[k]);
		assert_int_equal(sect_depth(&pl, op->se), want[k][1] - '0');
		k++;
	}
	assert_int_equal(k, 4);
	pagelist_free(&pl);
	doc_free(d);
}

/* Text tagged by its block; a citation is a Reference > Link, a link a
 * Link; the header and footer are pagination artifacts. */
static void test_paragraph_links_furniture(void **state)
{
	struct doc *d = fx_doc("Links");
	struct doc_block *b;
	struct pagelist pl;
	int links = 0, refs = 0, header = 0, footer = 0, para = 0;

	(void)state;
	fx_source(d, "s1", "Plan", "UNHCR", "https://example.org/plan");
	fx_heading(d, 1, "Section");
	b = fx_block(d, BLK_PARAGRAPH);
	fx_text(&b->runs, "Read ", 0);
	fx_link(&b->runs, "the plan", "https://example.org/x");
	fx_text(&b->runs, " and the source ", 0);
	fx_cite(&b->runs, 1);
	fx_text(&b->runs, ".", 0);
	layout(d, &pl);
	for (size_t i = 0; i < pl.nops; i++) {
		const struct pl_op *op = &pl.ops[i];

		if (op->kind == PL_LINK) {
			const struct pl_se *l = se_of(&pl, op->se);

			links++;
			assert_non_null(l->alt);
			if (op->bib) {
				refs++;
				assert_string_equal(role(&pl, l->parent),
						    "Reference");
			}
		}
		if (op->kind != PL_TEXT)
			continue;
		header += op->se == PL_SE_HEADER;
		footer += op->se == PL_SE_FOOTER;
		if (op->se > 0 && !strcmp(role(&pl, op->se), "P") &&
		    !strncmp(op->s, "Read", 4))
			para++;
	}
	assert_true(links >= 3); /* the link, the citation, the entry URL */
	assert_int_equal(refs, 1);
	assert_true(header >= 1);
	assert_true(footer >= 1);
	assert_int_equal(para, 1);
	pagelist_free(&pl);
	doc_free(d);
}

/* A table over pages: TH on its first page only, the header repeated on
 * the next one is an artifact, one TR per row. */
static void test_table_over_pages(void **state)
{
	struct doc *d = fx_doc("Table");
	struct pagelist pl;
	int th_pages = 0, last_th_page = -1, artifact_head = 0, rows = 0;

	(void)state;
	fx_source(d, "s1", "Report", "UNHCR", "https://example.org/r");
	fx_words(d, 100, 2);
	fx_table(d, 90);
	layout(d, &pl);
	for (size_t i = 0; i < pl.nops; i++) {
		const struct pl_op *op = &pl.ops[i];

		if (op->kind != PL_TEXT || !op->s ||
		    strncmp(op->s, "Place", 5))
			continue;
		if (op->se > 0) {
			assert_string_equal(role(&pl, op->se), "TH");
			if (op->page != last_th_page)
				th_pages++;
			last_th_page = op->page;
		} else {
			assert_int_equal(op->se, PL_SE_ARTIFACT);
			artifact_head++;
		}
	}
	for (size_t i = 0; i < pl.nse; i++)
		rows += !strcmp(pl.se[i].role, "TR");
	assert_int_equal(th_pages, 1);
	assert_true(artifact_head >= 1);
	assert_int_equal(rows, 91);
	pagelist_free(&pl);
	doc_free(d);
}

/* A list: L > LI > Lbl + LBody > P; ordered lists say so. */
static void test_list(void **state)
{
	struct doc *d = fx_doc("List");
	struct doc_block *l = fx_block(d, BLK_LIST);
	struct pagelist pl;
	int items = 0, lists = 0;

	(void)state;
	l->ordered = true;
	l->start = 1;
	for (int i = 0; i < 3; i++) {
		struct doc_block *it =
			fx_push(&l->children, &l->nchildren, BLK_ITEM);
		struct doc_block *p =
			fx_push(&it->children, &it->nchildren, BLK_PARAGRAPH);

		fx_text(&p->runs, "An item of the list", 0);
	}
	layout(d, &pl);
	for (size_t i = 0; i < pl.nse; i++) {
		items += !strcmp(pl.se[i].role, "LI");
		if (!strcmp(pl.se[i].role, "L")) {
			lists++;
			assert_int_equal(pl.se[i].ordered, 1);
		}
	}
	assert_int_equal(items, 3);
	assert_int_equal(lists, 1);
	pagelist_free(&pl);
	doc_free(d);
}

static bool has(const unsigned char *buf, size_t len, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(buf + i, s, n))
			return true;
	return false;
}

/* The PDF has the catalogue's tagged-PDF entries and marked content. */
static void test_pdf_catalogue(void **state)
{
	struct doc *d = fx_doc("Catalogue & <title>");
	unsigned char *buf = NULL;
	size_t len = 0;
	struct diag err = {0};

	(void)state;
	d->meta.language = fx_strdup("fr");
	fx_heading(d, 1, "Section");
	fx_words(d, 40, 5);
	assert_int_equal(typeset_pdf(d, fs, &OPTS, &buf, &len, &err),
			 BRIEF_OK);
	assert_true(has(buf, len, "%PDF-1.7"));
	assert_true(has(buf, len, "/StructTreeRoot"));
	assert_true(has(buf, len, "/Marked true"));
	assert_true(has(buf, len, "/DisplayDocTitle true"));
	assert_true(has(buf, len, "/Lang (fr)"));
	assert_true(has(buf, len, "/ParentTree"));
	assert_true(has(buf, len, "/StructParents 0"));
	/* the XMP stream is not compressed: its title escaped */
	assert_true(has(buf, len, "<pdfuaid:part>1</pdfuaid:part>"));
	assert_true(has(buf, len, "Catalogue &amp; &lt;title&gt;"));
	free(buf);
	doc_free(d);
}

/* More pages and links than one leaf of the ParentTree holds (PDF/A-1
 * arrays have at most 8191 elements): it becomes /Kids of leaves with
 * /Limits, the first one keys 0 to 2047. */
static void test_parent_tree_split(void **state)
{
	struct doc *d = fx_doc("Many links");
	struct doc_block *b = fx_block(d, BLK_PARAGRAPH);
	unsigned char *buf = NULL;
	size_t len = 0;
	struct diag err = {0};
	char uri[64];

	(void)state;
	for (int i = 0; i < 2100; i++) {
		snprintf(uri, sizeof uri, "https://example.org/%d", i);
		fx_link(&b->runs, "link", uri);
		fx_text(&b->runs, " ", 0);
	}
	assert_int_equal(typeset_pdf(d, fs, &OPTS, &buf, &len, &err),
			 BRIEF_OK);
	assert_true(has(buf, len, "/Limits [0 2047 ]") ||
		    has(buf, len, "/Limits [ 0 2047 ]"));
	assert_true(has(buf, len, "/Kids ["));
	free(buf);
	doc_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headings_nest),
		cmocka_unit_test(test_paragraph_links_furniture),
		cmocka_unit_test(test_table_over_pages),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_pdf_catalogue),
		cmocka_unit_test(test_parent_tree_split),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
