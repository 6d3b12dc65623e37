/* test_layout.c — layout files into docs: front matter, every block kind,
 * citation numbering across blocks, figure wording, tables, error
 * positions in bad layouts, and brief check's uncited-number warnings.
 * Runs from the repository root over the fictional fixtures in
 * tests/layouts/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "layout.h"
#include "sha256.h"

#define FIX "tests/layouts/"

/* A load with diagnostics captured as text. */
struct run {
	struct doc *doc;
	enum brief_status st;
	char *out;
	size_t outlen;
	unsigned errors, warnings;
};

static void load(const char *path, bool warn, const char *data_dir,
		 struct run *r)
{
	struct layout_opts opts = {.data_dir = data_dir, .warn_uncited = warn};
	struct diag_sink sink = { NULL, 0, 0, 0 };
	struct diag err;
	FILE *f;

	memset(r, 0, sizeof *r);
	f = open_memstream(&r->out, &r->outlen);
	assert_non_null(f);
	sink.out = f;
	memset(&err, 0, sizeof err);
	r->st = layout_load(path, &opts, &r->doc, &sink, &err);
	if (r->st != BRIEF_OK && r->st != BRIEF_EDATA)
		diag_print(f, &err, DIAG_ERROR);
	fclose(f);
	r->errors = sink.errors;
	r->warnings = sink.warnings;
}

static void run_free(struct run *r)
{
	doc_free(r->doc);
	free(r->out);
}

/* The text of runs, styles dropped. */
static void assert_runs_text(const struct doc_runs *runs, const char *want)
{
	char *t = doc_runs_text(runs);

	assert_non_null(t);
	assert_string_equal(t, want);
	free(t);
}

/* Index of the first run whose text is `text` (fails when absent). */
static size_t find_run(const struct doc_runs *runs, const char *text)
{
	size_t i;

	for (i = 0; i < runs->n; i++)
		if (strcmp(runs->v[i].text, text) == 0)
			return i;
	fail_msg("no run '%s'", text);
	return 0;
}

/* ---- the full layout ---- */

static struct run full;

static int full_setup(void **state)
{
	(void)state;
	load(FIX "full.md", false, NULL, &full);
	return full.st == BRIEF_OK ? 0 : -1;
}

static int full_teardown(void **state)
{
	(void)state;
	run_free(&full);
	return 0;
}

static void test_front_matter(void **state)
{
	const struct doc_meta *m = &full.doc->meta;

	(void)state;
	assert_string_equal(m->title, "Valmora briefing");
	assert_string_equal(m->subtitle, "A test layout over fictional data");
	assert_string_equal(m->organisation, "Test Desk");
	assert_string_equal(m->author, "T. Ester");
	assert_string_equal(m->paper, "letter");
	assert_string_equal(m->disclaimer, "Fictional data for tests.");
	assert_string_equal(m->language, "en");
	assert_string_equal(m->keywords, "Valmora, test, fixture");
	assert_string_equal(m->as_of, "auto");
	assert_string_equal(m->data_dir, FIX "data");
	/* auto: the latest date in the fixtures is figures' 2023-10. */
	assert_int_equal(m->as_of_date.year, 2023);
	assert_int_equal(m->as_of_date.month, 10);
	assert_int_equal(m->as_of_date.day, 0);
	assert_string_equal(full.doc->layout_name, "full");
	assert_string_equal(full.doc->layout_path, FIX "full.md");
	assert_int_equal(full.errors, 0);
	assert_int_equal(full.warnings, 0);
}

static void test_block_kinds(void **state)
{
	static const enum block_kind want[] = {
		BLK_HEADING, BLK_PARAGRAPH, BLK_HEADING, BLK_KEYFIGURES,
		BLK_LIST,    BLK_LIST,	    BLK_QUOTE,	 BLK_CHART,
		BLK_TABLE,   BLK_TABLE,	    BLK_PAGEBREAK, BLK_CHART,
		BLK_PARAGRAPH
	};
	static const long lines[] = { 14, 16, 20, 22, 29, 32, 35, 38,
				      48, 56, 62, 65, 69 };
	const struct doc *d = full.doc;
	size_t i;

	(void)state;
	assert_int_equal(d->nblocks, sizeof want / sizeof *want);
	for (i = 0; i < d->nblocks; i++) {
		assert_int_equal(d->blocks[i].kind, want[i]);
		assert_int_equal(d->blocks[i].line, lines[i]);
	}
	assert_int_equal(d->blocks[0].level, 1);
	assert_int_equal(d->blocks[2].level, 2);
	assert_runs_text(&d->blocks[0].runs, "Overview");
	assert_non_null(d->blocks[7].chart);
	assert_string_equal(chart_id(d->blocks[7].chart), "deaths");
	/* ```timeline: a timeline chart over events, id by default. */
	assert_non_null(d->blocks[11].chart);
	assert_string_equal(chart_id(d->blocks[11].chart), "timeline");
	assert_int_equal(d->blocks[11].spec->type, CHART_TIMELINE);
	assert_string_equal(d->blocks[11].spec->dataset, "events");
	assert_string_equal(d->blocks[11].spec->title, "Key events");
}

static void test_inline_runs(void **state)
{
	const struct doc_runs *r = &full.doc->blocks[1].runs;
	size_t i;

	(void)state;
	assert_runs_text(r, "The war killed 2,906 [1] soldiers on one side, as "
			    "its ministry said, and Southland reported its own "
			    "losses [2]. Reports differ [3, 2].");
	i = find_run(r, "Southland");
	assert_int_equal(r->v[i].style, RUN_ITALIC);
	i = find_run(r, "its own");
	assert_int_equal(r->v[i].style, RUN_BOLD);
	/* The figure, then its citation: "[" "1" "]" with the number linked. */
	i = find_run(r, "1");
	assert_int_equal(r->v[i].link, LINK_BIB);
	assert_int_equal(r->v[i].bib, 1);
	assert_int_equal(r->v[i - 1].link, LINK_NONE);
	assert_int_equal(r->v[i + 1].text[0], ']');
	assert_int_equal(r->v[i + 1].link, LINK_NONE);
	/* [@src-gazette; @src-south]: "[" "3" ", " "2" "]". */
	i = find_run(r, "3");
	assert_int_equal(r->v[i].link, LINK_BIB);
	assert_int_equal(r->v[i].bib, 3);
	assert_string_equal(r->v[i + 1].text, ", ");
	assert_string_equal(r->v[i + 2].text, "2");
	assert_int_equal(r->v[i + 2].link, LINK_BIB);
	assert_int_equal(r->v[i + 2].bib, 2);
	assert_string_equal(r->v[i + 3].text, "].");
}

static void test_bibliography_order(void **state)
{
	static const char *const want[] = { "src-north", "src-south",
					    "src-gazette", "src-ngo",
					    "src-analysis" };
	const struct doc *d = full.doc;
	size_t i;

	(void)state;
	/* First use in document order: prose, key figures, chart, tables,
	 * the timeline (src-analysis first cited there). */
	assert_int_equal(d->nbib, 5);
	for (i = 0; i < d->nbib; i++) {
		assert_int_equal(d->bib[i].number, (int)i + 1);
		assert_string_equal(d->bib[i].src->id, want[i]);
		assert_ptr_equal(d->bib[i].src,
				 sources_find(&d->sources, want[i]));
	}
	assert_non_null(strstr(chart_source_line(d->blocks[7].chart), "[2]"));
	assert_non_null(strstr(chart_source_line(d->blocks[11].chart), "[5]"));
}

static void test_keyfigures(void **state)
{
	const struct doc_block *b = &full.doc->blocks[3];

	(void)state;
	assert_int_equal(b->nfigs, 2);
	assert_string_equal(b->figs[0].number, "about 120,000 people");
	assert_string_equal(b->figs[0].label, "people lived in Valmora in 2023");
	assert_runs_text(&b->figs[0].cite, "[4]");
	assert_int_equal(b->figs[0].cite.v[1].link, LINK_BIB);
	assert_int_equal(b->figs[0].cite.v[1].bib, 4);
	/* more_than: the OCHA-style "8,000+". */
	assert_string_equal(b->figs[1].number, "8,000+");
	assert_string_equal(b->figs[1].label, "wounded by landmines");
	assert_runs_text(&b->figs[1].cite, "[3]");
}

static void test_lists_and_quote(void **state)
{
	const struct doc *d = full.doc;
	const struct doc_block *ul = &d->blocks[4], *ol = &d->blocks[5];
	const struct doc_block *q = &d->blocks[6];
	const struct doc_runs *r;
	size_t i;

	(void)state;
	assert_false(ul->ordered);
	assert_int_equal(ul->nchildren, 2);
	assert_int_equal(ul->children[0].kind, BLK_ITEM);
	assert_int_equal(ul->children[0].children[0].kind, BLK_PARAGRAPH);
	r = &ul->children[0].children[0].runs;
	i = find_run(r, "link");
	assert_int_equal(r->v[i].link, LINK_URI);
	assert_string_equal(r->v[i].uri, "https://example.org/x");
	r = &ul->children[1].children[0].runs;
	i = find_run(r, "code");
	assert_int_equal(r->v[i].style, RUN_CODE);
	assert_true(ol->ordered);
	assert_int_equal(ol->start, 1);
	assert_int_equal(ol->nchildren, 2);
	assert_runs_text(&ol->children[1].children[0].runs, "Two");
	assert_int_equal(q->nchildren, 1);
	r = &q->children[0].runs;
	assert_runs_text(r, "A quoted line.\nAfter a hard break.");
	i = find_run(r, "\n"); /* the hard break is a run of its own */
	assert_true(i > 0);
}

static void test_table(void **state)
{
	const struct doc_table *t = full.doc->blocks[8].table;
	static const char *const head[] = { "Party", "Category", "Figure",
					    "Reported by", "Source" };
	size_t c;

	(void)state;
	assert_non_null(t);
	assert_string_equal(t->caption, "Landmine casualties");
	assert_int_equal(t->ncols, 5);
	assert_int_equal(t->nrows, 2);
	for (c = 0; c < 5; c++)
		assert_string_equal(t->header[c], head[c]);
	assert_memory_equal(t->align, "llrll", 5);
	/* sort: -value puts 8,000 first; value cells are worded figures. */
	assert_runs_text(&t->cells[0 * 5 + 1], "wounded");
	assert_runs_text(&t->cells[0 * 5 + 2], "more than 8,000");
	assert_runs_text(&t->cells[1 * 5 + 2], "50\xE2\x80\x93" "120");
	assert_runs_text(&t->cells[1 * 5 + 4], "[3]");
	assert_int_equal(t->cells[1 * 5 + 4].v[1].link, LINK_BIB);
	assert_runs_text(&t->note, "Sources: [3] Valmora Gazette");
}

static void test_contested_table(void **state)
{
	const struct doc_table *t = full.doc->blocks[9].table;

	(void)state;
	assert_non_null(t);
	assert_string_equal(t->caption, "Contested figures");
	assert_int_equal(t->ncols, 4);
	/* Three quantities with two claims each; single claims (the 2023
	 * offensive, landmine wounded) are left out. */
	assert_int_equal(t->nrows, 6);
	assert_runs_text(&t->cells[0], "2020 war, Northland, killed, military, "
				       "27 September \xE2\x80\x93 10 November 2020");
	assert_runs_text(&t->cells[1], "Northland Ministry of Defence");
	assert_runs_text(&t->cells[2], "2,906");
	assert_runs_text(&t->cells[3], "[1]");
	assert_int_equal(t->cells[4].n, 0); /* quantity shown once */
	assert_runs_text(&t->cells[5], "Southland Government");
	assert_runs_text(&t->cells[6], "more than 3,800");
	assert_runs_text(&t->cells[7], "[2]");
	assert_runs_text(&t->cells[9], "Relief Watch");
	assert_runs_text(&t->cells[10], "at least 100");
	assert_runs_text(&t->cells[13], "Southland Government");
	assert_runs_text(&t->cells[14], "93");
}

/* Without a dataset: every dataset with figures; claims over overlapping
 * periods are one quantity, each claim saying its own period. */
static void test_contested_all_datasets(void **state)
{
	static const char *const claimants[] = {
		"Northland Ministry of Defence", "Southland Government",
		"Relief Watch", "Southland Government",
		"Valmora Gazette (1 January 2021 \xE2\x80\x93 30 June 2023)",
		"Relief Watch (1 May \xE2\x80\x93 31 May 2022)",
		"Relief Watch", "Institute for Imaginary Studies",
		"Relief Watch", "Southland Government",
	};
	struct run r;
	const struct doc_table *t;
	size_t i;

	(void)state;
	load(FIX "contested.md", false, NULL, &r);
	assert_int_equal(r.st, BRIEF_OK);
	t = r.doc->blocks[0].table;
	assert_int_equal(t->nrows, 10);
	for (i = 0; i < 10; i++)
		assert_runs_text(&t->cells[i * 4 + 1], claimants[i]);
	assert_runs_text(&t->cells[4 * 4], "landmines, Northland, killed, all, "
					   "1 January 2021 \xE2\x80\x93 30 June 2023");
	assert_runs_text(&t->cells[4 * 4 + 2], "50\xE2\x80\x93" "120");
	assert_runs_text(&t->cells[6 * 4], "2023 exodus, Valmora residents, "
					   "Valmora, Northland, 24 September "
					   "\xE2\x80\x93 1 October 2023");
	assert_runs_text(&t->cells[8 * 4], "Valmora, population, September 2023");
	assert_runs_text(&t->cells[9 * 4 + 2], "at most 50,000 people");
	assert_runs_text(&t->note, "Sources: [1] Northland Ministry of Defence; "
				   "[2] Southland Government; [3] Relief Watch; "
				   "[4] Valmora Gazette; [5] Institute for "
				   "Imaginary Studies");
	run_free(&r);
}

static void test_figure_wording(void **state)
{
	const struct doc_block *b = &full.doc->blocks[12];

	(void)state;
	assert_runs_text(&b->runs, "Land cleared: 50,000\xE2\x80\x93" "120,000 "
				   "mines [3]; aid: nearly 20% [4].");
}

static void test_dump(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	doc_dump(full.doc, f);
	fclose(f);
	assert_non_null(strstr(buf, "title: Valmora briefing\n"));
	assert_non_null(strstr(buf, "h1: Overview\n"));
	assert_non_null(strstr(buf, "  8,000+ | wounded by landmines | [3]\n"));
	assert_non_null(strstr(buf, "  [5] src-analysis: Valmora after the ceasefire\n"));
	free(buf);
}

/* ---- hashing ---- */

static void hex(const uint8_t *h, char *out)
{
	int i;

	for (i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", h[i]);
}

static void test_sha256(void **state)
{
	uint8_t h[32];
	char x[65];
	struct sha256_ctx c;
	static const char abc2[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	int i;

	(void)state;
	sha256("", 0, h);
	hex(h, x);
	assert_string_equal(x, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256("abc", 3, h);
	hex(h, x);
	assert_string_equal(x, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* 448 bits: the padding spills into a second block. */
	sha256(abc2, strlen(abc2), h);
	hex(h, x);
	assert_string_equal(x, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* A million 'a's fed in uneven pieces. */
	sha256_init(&c);
	for (i = 0; i < 1000000; i += 7)
		sha256_update(&c, "aaaaaaa", 1000000 - i < 7 ? (size_t)(1000000 - i) : 7);
	sha256_final(&c, h);
	hex(h, x);
	assert_string_equal(x, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_input_hash(void **state)
{
	struct run a, b;
	static const uint8_t zero[32];

	(void)state;
	load(FIX "full.md", false, NULL, &a);
	load(FIX "uncited.md", false, NULL, &b);
	assert_int_equal(a.st, BRIEF_OK);
	assert_int_equal(b.st, BRIEF_OK);
	/* Deterministic, and it covers the layout bytes. */
	assert_memory_equal(a.doc->input_hash, full.doc->input_hash, 32);
	assert_memory_not_equal(a.doc->input_hash, zero, 32);
	assert_memory_not_equal(a.doc->input_hash, b.doc->input_hash, 32);
	run_free(&a);
	run_free(&b);
}

/* ---- options ---- */

static void test_data_dir_override(void **state)
{
	struct run r;

	(void)state;
	/* data-dir.md names a missing directory; the option replaces it. */
	load(FIX "bad/data-dir.md", false, FIX "data", &r);
	assert_int_equal(r.st, BRIEF_OK);
	assert_int_equal(r.errors, 0);
	assert_string_equal(r.doc->meta.data_dir, FIX "data");
	assert_string_equal(r.doc->meta.paper, "A4"); /* the default */
	run_free(&r);
}

static void test_as_of_date(void **state)
{
	struct run r;

	(void)state;
	load(FIX "asof.md", false, NULL, &r);
	assert_int_equal(r.st, BRIEF_OK);
	assert_int_equal(r.doc->meta.as_of_date.year, 2023);
	assert_int_equal(r.doc->meta.as_of_date.month, 9);
	assert_int_equal(r.doc->meta.as_of_date.day, 30);
	/* Code in code spans and blocks stays literal, references and all. */
	assert_runs_text(&r.doc->blocks[0].runs,
			 "Write {{dataset:row-id}} or [@id] to refer.");
	assert_int_equal(r.doc->blocks[1].kind, BLK_PARAGRAPH);
	assert_runs_text(&r.doc->blocks[1].runs, "{{figures:x}}\n[@y]");
	assert_int_equal(r.doc->nbib, 0);
	run_free(&r);
}

/* U+E000 starts the placeholders that stand for references while cmark
 * parses: a layout's own U+E000 must not pass for one, and is not turned
 * into U+FFFD either, but refused where it is. */
static void test_private_use_text(void **state)
{
	struct run r;

	(void)state;
	load(FIX "privateuse.md", false, NULL, &r);
	assert_int_equal(r.st, BRIEF_EDATA);
	assert_int_equal(r.errors, 1);
	assert_non_null(strstr(r.out, FIX "privateuse.md:6:3: error: U+E000 "
				      "(a private-use character) is reserved "
				      "by brief"));
	run_free(&r);
}

/* Where each printed text came from: front matter values, prose runs (at
 * their text node, past a reference token on the same line), key figure
 * labels in the layout and numbers at their dataset field. */
static void test_text_origins(void **state)
{
	const struct doc *d = full.doc;
	const struct doc_block *p = &d->blocks[1], *kf = &d->blocks[3];
	size_t i = find_run(&p->runs, "Southland");
	struct text_origin at;

	(void)state;
	assert_ptr_equal(d->meta.at.title.file, d->layout_path);
	assert_int_equal(d->meta.at.title.line, 2);
	assert_int_equal(d->meta.at.title.col, 8);
	assert_int_equal(d->meta.at.disclaimer.line, 9);
	assert_int_equal(p->runs.v[0].at.line, 16);
	assert_int_equal(p->runs.v[0].at.col, 1);
	assert_int_equal(p->runs.v[i].at.line, 17);
	assert_int_equal(p->runs.v[i].at.col, 21);
	assert_int_equal(p->line, 16);
	assert_int_equal(p->col, 1);
	assert_int_equal(kf->figs[0].label_at.line, 24);
	assert_int_equal(kf->figs[0].label_at.col, 10);
	assert_string_equal(kf->figs[0].number_at.file,
			    FIX "data/figures.csv");
	assert_int_equal(kf->figs[0].number_at.line, 3);
	assert_int_equal(kf->figs[0].number_at.col, 49); /* unit "people" */
	/* doc_locate finds a character from its run's origin: the 'h' of
	 * "Southland", and the second 'o' after the paragraph's start ("The
	 * war killed {{...}} soldiers on"), past the reference. */
	at = doc_locate(d, &p->runs.v[i].at, 'h', 0);
	assert_int_equal(at.line, 17);
	assert_int_equal(at.col, 25);
	at = doc_locate(d, &p->runs.v[0].at, 'o', 1);
	assert_int_equal(at.line, 16);
	assert_int_equal(at.col, 48);
}

/* Links: #anchors to headings (GitHub's anchors, "-1" for a repeat) and
 * http, https and mailto URLs in any case. */
static void test_links_and_anchors(void **state)
{
	struct run r;
	const struct doc_block *b;
	size_t i;

	(void)state;
	load(FIX "links.md", false, NULL, &r);
	assert_int_equal(r.st, BRIEF_OK);
	b = r.doc->blocks;
	assert_string_equal(b[0].anchor, "contested-figures");
	assert_string_equal(b[2].anchor, "notes-and-sources");
	assert_string_equal(b[4].anchor, "notes-and-sources-1");
	i = find_run(&b[1].runs, "the contested figures");
	assert_int_equal(b[1].runs.v[i].link, LINK_ANCHOR);
	assert_string_equal(b[1].runs.v[i].uri, "contested-figures");
	i = find_run(&b[1].runs, "the notes");
	assert_string_equal(b[1].runs.v[i].uri, "notes-and-sources-1");
	i = find_run(&b[1].runs, "Relief Watch");
	assert_int_equal(b[1].runs.v[i].link, LINK_URI);
	i = find_run(&b[1].runs, "write");
	assert_int_equal(b[1].runs.v[i].link, LINK_URI);
	assert_string_equal(b[1].runs.v[i].uri, "MAILTO:desk@example.org");
	run_free(&r);
	assert_true(doc_uri_allowed("https://example.org"));
	assert_true(doc_uri_allowed("HTTP://example.org"));
	assert_true(doc_uri_allowed("mailto:a@b.org"));
	assert_false(doc_uri_allowed("javascript:alert(1)"));
	assert_false(doc_uri_allowed(" https://example.org"));
	assert_false(doc_uri_allowed("ftp://example.org"));
	assert_false(doc_uri_allowed("example.org"));
	assert_false(doc_uri_allowed(""));
}

/* ---- errors: exact positions in the layout file ---- */

struct bad_case {
	const char *file;
	unsigned errors;
	const char *first; /* the first diagnostic line, exactly */
};

static const struct bad_case bad_cases[] = {
	{ "unknown-dataset.md", 1,
	  "unknown-dataset.md:6:19: error: no dataset 'casualtees' "
	  "(have: casualties, displacement, control, figures, events)" },
	{ "unknown-row.md", 1,
	  "unknown-row.md:9:17: error: unknown row id 'cas-999' in casualties" },
	{ "unknown-source.md", 1,
	  "unknown-source.md:6:9: error: unknown source 'src-nope' (not in sources.csv)" },
	{ "citation-syntax.md", 1,
	  "citation-syntax.md:6:5: error: malformed citation: write "
	  "[@source-id] or [@id1; @id2]" },
	{ "chart-yaml.md", 1,
	  "chart-yaml.md:10:1: error: bad YAML: did not find expected ',' or ']'" },
	{ "nested-yaml.md", 1,
	  "nested-yaml.md:11:3: error: bad YAML: did not find expected ',' or ']'" },
	{ "chart-key.md", 1,
	  "chart-key.md:11:1: error: unknown chart key 'colour'" },
	{ "front-yaml.md", 1,
	  "front-yaml.md:5:1: error: bad YAML: found unexpected end of stream" },
	{ "front-key.md", 1,
	  "front-key.md:4:1: error: unknown front matter key 'colour'" },
	{ "keyfigure-row.md", 1,
	  "keyfigure-row.md:9:8: error: unknown row id 'fig-nope' in figures" },
	{ "table-column.md", 1,
	  "table-column.md:8:18: error: table: no column 'nope' in casualties" },
	{ "table-empty.md", 1,
	  "table-empty.md:6:1: error: table selects no rows of events" },
	{ "table-too-wide.md", 1,
	  "table-too-wide.md:11:32: error: table 'columns' has more than 24 "
	  "columns" },
	{ "fence-kind.md", 1,
	  "fence-kind.md:6:1: error: unknown block 'chrat' (chart, keyfigures, "
	  "table, timeline, changes or pagebreak)" },
	{ "paper.md", 1,
	  "paper.md:4:8: error: paper must be A3, A4, A5, letter or legal, not 'B5'" },
	{ "as-of.md", 1,
	  "as-of.md:4:8: error: as_of must be a date (2023-09-30) or auto, not 'last week'" },
	{ "no-front-matter.md", 1,
	  "no-front-matter.md:1:1: error: a layout starts with YAML front matter "
	  "between '---' lines" },
	{ "data-dir.md", 1,
	  "data-dir.md:3:7: error: cannot read the datasets in "
	  "'tests/layouts/bad/../no-such-dir': no such directory" },
	{ "many-errors.md", 3,
	  "many-errors.md:6:5: error: unknown row id 'nope-1' in casualties" },
	{ "bytes-nul.md", 1, "bytes-nul.md:6:6: error: NUL byte in the layout" },
	{ "bytes-front-utf8.md", 1,
	  "bytes-front-utf8.md:2:12: error: invalid UTF-8 (byte 0xE9): a "
	  "layout must be UTF-8 text" },
	/* in a fenced YAML block: its line, not the block's first */
	{ "bytes-yaml-utf8.md", 1,
	  "bytes-yaml-utf8.md:11:19: error: invalid UTF-8 (byte 0xC3): a "
	  "layout must be UTF-8 text" },
	{ "bytes-control.md", 2,
	  "bytes-control.md:6:8: error: control character U+0007 is not "
	  "allowed in a layout" },
	/* CR-only line ends count as lines */
	{ "cr-only.md", 1,
	  "cr-only.md:7:12: error: unknown source 'src-nope' (not in "
	  "sources.csv)" },
	/* javascript:, any case, entity-encoded, in <>; file:, data:,
	 * vbscript:, relative, empty; an anchor no heading has */
	{ "links.md", 10,
	  "links.md:8:1: error: link to 'javascript:alert(1)' refused: only "
	  "http, https and mailto links (or #heading) are written into a "
	  "briefing" },
};

static void test_bad_layouts(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
		const struct bad_case *c = &bad_cases[i];
		char path[256], want[1024], *nl;
		struct run r;

		snprintf(path, sizeof path, FIX "bad/%s", c->file);
		snprintf(want, sizeof want, FIX "bad/%s", c->first);
		load(path, false, NULL, &r);
		assert_int_equal(r.st, BRIEF_EDATA);
		assert_null(r.doc);
		nl = strchr(r.out, '\n');
		assert_non_null(nl);
		*nl = '\0';
		if (strcmp(r.out, want) != 0)
			fail_msg("%s:\n got  %s\n want %s", c->file, r.out, want);
		assert_int_equal(r.errors, c->errors);
		run_free(&r);
	}
}

static void test_error_quote_and_caret(void **state)
{
	struct run r;

	(void)state;
	load(FIX "bad/unknown-source.md", false, NULL, &r);
	/* The offending line, then a caret under the "[@". */
	assert_non_null(strstr(r.out, "\n    A claim [@src-ngo; @src-nope] here.\n"
				      "            ^\n"));
	run_free(&r);
}

static void test_chart_column_error(void **state)
{
	struct run r;
	const char *want = FIX "bad/chart-column.md:12:4: error: ";

	(void)state;
	/* The chart module words it; the position is the `x:` value. */
	load(FIX "bad/chart-column.md", false, NULL, &r);
	assert_int_equal(r.st, BRIEF_EDATA);
	assert_int_equal(r.errors, 1);
	assert_memory_equal(r.out, want, strlen(want));
	assert_non_null(strstr(r.out, "partie"));
	run_free(&r);
}

static void test_many_errors_all_reported(void **state)
{
	struct run r;

	(void)state;
	load(FIX "bad/many-errors.md", false, NULL, &r);
	assert_non_null(strstr(r.out, FIX "bad/many-errors.md:6:31: error: "
				      "unknown source 'nope-2' (not in sources.csv)\n"));
	assert_non_null(strstr(r.out, FIX "bad/many-errors.md:8:5: error: "
				      "unknown row id 'nope-3' in figures\n"));
	run_free(&r);
}

/* YAML errors are found in a first pass, reference errors in a second;
 * they are still reported in file order. */
static void test_errors_in_file_order(void **state)
{
	struct run r;
	const char *a, *b, *c;

	(void)state;
	load(FIX "bad/order.md", false, NULL, &r);
	assert_int_equal(r.errors, 3);
	a = strstr(r.out, FIX "bad/order.md:6:7: error: unknown row id 'nope' in casualties\n");
	b = strstr(r.out, FIX "bad/order.md:11:1: error: bad YAML: ");
	c = strstr(r.out, FIX "bad/order.md:13:6: error: unknown source 'nope' (not in sources.csv)\n");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_true(a < b && b < c);
	run_free(&r);
}

/* ---- pathological input: bounded time, clear errors (found by fuzzing
 * and by deliberate stress; see tests/fuzz) ---- */

/* A scratch layout over tests/layouts/data: front matter, then body. */
static char *write_layout(const char *body, size_t len)
{
	static const char fm[] = "---\ntitle: T\n---\n";
	char *path = strdup("/tmp/brief-test-layout-XXXXXX");
	FILE *f;
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(fm, 1, sizeof fm - 1, f), sizeof fm - 1);
	assert_int_equal(fwrite(body, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* Pathological inputs: the assertions are about results (no crash, the
 * right diagnostics and positions), never about time; `make bench` times
 * the same shapes. A return of quadratic work shows as a slow suite, not
 * a flaky failure. */
static void load_large(const char *path, struct run *r)
{
	load(path, false, "tests/layouts/data", r);
}

/* Under valgrind the stress sizes shrink tenfold: the paths still run,
 * the memory checks still apply, and the suite stays quick. */
static size_t stress(size_t n)
{
	return getenv("VALGRIND") ? n / 10 : n;
}

static char *repeat(const char *unit, size_t times, const char *tail,
		    size_t *len)
{
	size_t u = strlen(unit), t = strlen(tail), i;
	char *s = malloc(u * times + t + 1);

	assert_non_null(s);
	for (i = 0; i < times; i++)
		memcpy(s + i * u, unit, u);
	memcpy(s + u * times, tail, t + 1);
	*len = u * times + t;
	return s;
}

/* A 1 MB paragraph line: the reference scanner looked for the line end
 * from every byte (quadratic: over 30 s). */
static void test_megabyte_line(void **state)
{
	size_t len;
	char *body = repeat("word ", stress(200000), "\n", &len);
	char *path = write_layout(body, len);
	struct run r;

	(void)state;
	load_large(path, &r);
	assert_int_equal(r.st, BRIEF_OK);
	assert_int_equal(r.errors, 0);
	run_free(&r);
	unlink(path);
	free(path);
	free(body);
}

/* 10,000 citations and 10,000 figure references in one paragraph: each
 * column was counted from the line start (quadratic). The column of a
 * bad one at the end must still be right, in code points (é is 2 bytes). */
static void test_ten_thousand_references(void **state)
{
	size_t len, n = stress(10000);
	char *body = repeat("é [@src-north] {{casualties:cas-001}} ", n,
			    "[@nope]\n", &len);
	char *path = write_layout(body, len);
	char want[256];
	struct run r;

	(void)state;
	load_large(path, &r);
	assert_int_equal(r.st, BRIEF_EDATA);
	assert_int_equal(r.errors, 1);
	/* "é [@src-north] {{casualties:cas-001}} " is 38 code points. */
	snprintf(want, sizeof want,
		 "%s:4:%d: error: unknown source 'nope' (not in sources.csv)\n",
		 path, (int)(38 * n + 1));
	if (strncmp(r.out, want, strlen(want)) != 0)
		fail_msg("got %.200s\nwant %s", r.out, want);
	run_free(&r);
	unlink(path);
	free(path);
	free(body);
}

/* 30,000 errors on one long line: each quoted the line by scanning all
 * of it (25 s); the quote is capped, so it need not. */
static void test_many_errors_long_line(void **state)
{
	size_t len, n = stress(30000);
	char *body = repeat("[@nope] ", n, "\n", &len);
	char *path = write_layout(body, len);
	struct run r;

	(void)state;
	load_large(path, &r);
	assert_int_equal(r.st, BRIEF_EDATA);
	assert_int_equal(r.errors, n);
	run_free(&r);
	unlink(path);
	free(path);
	free(body);
}

/* 100,000-deep lists and block quotes, and YAML nested 100,000 deep in a
 * chart block: a positioned error, quickly, no stack overflow. */
static void test_deep_nesting(void **state)
{
	static const struct {
		const char *unit, *head, *tail, *want;
	} cases[] = {
		{ "- ", "", "x\n", ":4:1: error: blocks nested more than 16 deep\n" },
		{ "> ", "", "x\n", ":4:1: error: blocks nested more than 16 deep\n" },
		{ "[", "```chart\nid: c\ntype: bar\ndataset: casualties\nfilter: ",
		  "\n```\n", ":8:25: error: YAML nested too deeply\n" },
		{ "{a: ", "```chart\nid: c\ntype: bar\ndataset: casualties\nfilter: ",
		  "\n```\n", ":8:70: error: YAML nested too deeply\n" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t hl = strlen(cases[i].head), len;
		char *nest = repeat(cases[i].unit, stress(100000), cases[i].tail,
				    &len);
		char *body = malloc(hl + len + 1), *path;
		char want[256];
		struct run r;

		assert_non_null(body);
		memcpy(body, cases[i].head, hl);
		memcpy(body + hl, nest, len + 1);
		path = write_layout(body, hl + len);
		load_large(path, &r);
		assert_int_equal(r.st, BRIEF_EDATA);
		snprintf(want, sizeof want, "%s%s", path, cases[i].want);
		if (strncmp(r.out, want, strlen(want)) != 0)
			fail_msg("case %zu: got %.200s\nwant %s", i, r.out, want);
		run_free(&r);
		unlink(path);
		free(path);
		free(body);
		free(nest);
	}
}

/* Over the size cap: the error goes to the sink like every other data
 * error (brief check printed nothing and exited 1). */
static void test_oversized_layout(void **state)
{
	size_t len;
	char *body = repeat("0123456789abcdef", (4L << 20) / 16, "\n", &len);
	char *path = write_layout(body, len);
	char want[256];
	struct run r;

	(void)state;
	load_large(path, &r);
	assert_int_equal(r.st, BRIEF_EDATA);
	assert_int_equal(r.errors, 1);
	snprintf(want, sizeof want,
		 "%s: error: layout larger than 4194304 bytes\n", path);
	assert_string_equal(r.out, want);
	run_free(&r);
	unlink(path);
	free(path);
	free(body);
}

/* diag_quote keeps at most the first DIAG_QUOTE_MAX - 1 bytes, cut on a
 * UTF-8 boundary, of a line however long. */
static void test_quote_cap(void **state)
{
	size_t len, n;
	char *line = repeat("é", 600000, "\nnext", &len);
	struct diag d;

	(void)state;
	diag_quote(&d, line, len);
	n = strlen(d.quote);
	assert_true(n == DIAG_QUOTE_MAX - 2); /* 254: whole é's only */
	assert_memory_equal(d.quote, line, n);
	diag_quote(&d, "short\nline", 10);
	assert_string_equal(d.quote, "short");
	free(line);
}

/* ---- brief check: uncited numbers ---- */

static void test_uncited_warnings(void **state)
{
	static const char *const want[] = {
		FIX "uncited.md:8:38: warning: uncited number '5,000'",
		FIX "uncited.md:9:53: warning: uncited number '12%'",
		FIX "uncited.md:14:47: warning: uncited number '2,500'",
		/* days of the month are not quantities; the 14 is */
		FIX "uncited.md:16:59: warning: uncited number '14'",
	};
	struct run r;
	const char *p;
	size_t i;

	(void)state;
	load(FIX "uncited.md", true, NULL, &r);
	assert_int_equal(r.st, BRIEF_OK); /* warnings only */
	assert_int_equal(r.errors, 0);
	assert_int_equal(r.warnings, 4);
	p = r.out;
	for (i = 0; i < 4; i++) {
		p = strstr(p, want[i]);
		if (!p)
			fail_msg("missing: %s\nin:\n%s", want[i], r.out);
		p += strlen(want[i]);
	}
	run_free(&r);
	/* Without warn_uncited nothing is said. */
	load(FIX "uncited.md", false, NULL, &r);
	assert_int_equal(r.warnings, 0);
	assert_int_equal(r.outlen, 0);
	run_free(&r);
	/* The full layout cites everything. */
	load(FIX "full.md", true, NULL, &r);
	assert_int_equal(r.warnings, 0);
	run_free(&r);
}

/* docs/layouts.md shows tests/layouts/example.md verbatim, and the
 * example is clean: no error, no warning, even under brief check. */
static void test_readme_example(void **state)
{
	FILE *f;
	char *readme, *example;
	long n;
	struct run r;

	(void)state;
	f = fopen("docs/layouts.md", "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	readme = calloc(1, (size_t)n + 1);
	assert_non_null(readme);
	assert_int_equal(fread(readme, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	f = fopen(FIX "example.md", "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	example = calloc(1, (size_t)n + 1);
	assert_non_null(example);
	assert_int_equal(fread(example, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	assert_non_null(strstr(readme, example));
	free(readme);
	free(example);
	load(FIX "example.md", true, NULL, &r);
	assert_int_equal(r.st, BRIEF_OK);
	assert_int_equal(r.errors, 0);
	assert_int_equal(r.warnings, 0);
	assert_true(r.doc->nblocks > 10);
	run_free(&r);
}

static void test_doubled_qualifier(void **state)
{
	struct run r;

	(void)state;
	load(FIX "doubled.md", false, NULL, &r);
	assert_int_equal(r.st, BRIEF_OK);
	assert_int_equal(r.warnings, 1);
	assert_non_null(strstr(r.out, FIX "doubled.md:6:15: warning: the figure "
				      "already reads 'about 120,000 people': "
				      "'about' is said twice\n"));
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest full_tests[] = {
		cmocka_unit_test(test_front_matter),
		cmocka_unit_test(test_text_origins),
		cmocka_unit_test(test_block_kinds),
		cmocka_unit_test(test_inline_runs),
		cmocka_unit_test(test_bibliography_order),
		cmocka_unit_test(test_keyfigures),
		cmocka_unit_test(test_lists_and_quote),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_contested_table),
		cmocka_unit_test(test_figure_wording),
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_input_hash),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_contested_all_datasets),
		cmocka_unit_test(test_data_dir_override),
		cmocka_unit_test(test_as_of_date),
		cmocka_unit_test(test_private_use_text),
		cmocka_unit_test(test_links_and_anchors),
		cmocka_unit_test(test_bad_layouts),
		cmocka_unit_test(test_error_quote_and_caret),
		cmocka_unit_test(test_chart_column_error),
		cmocka_unit_test(test_many_errors_all_reported),
		cmocka_unit_test(test_errors_in_file_order),
		cmocka_unit_test(test_megabyte_line),
		cmocka_unit_test(test_ten_thousand_references),
		cmocka_unit_test(test_many_errors_long_line),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_oversized_layout),
		cmocka_unit_test(test_quote_cap),
		cmocka_unit_test(test_uncited_warnings),
		cmocka_unit_test(test_readme_example),
		cmocka_unit_test(test_doubled_qualifier),
	};
	int failed;

	failed = cmocka_run_group_tests_name("layout_full", full_tests,
					     full_setup, full_teardown);
	failed += cmocka_run_group_tests_name("layout", tests, NULL, NULL);
	return failed ? 1 : 0;
}
