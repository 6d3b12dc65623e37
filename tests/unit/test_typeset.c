/* test_typeset.c — layout through the text dump (pagination, widows and
 * orphans, headings kept with text, tables split with repeated headers,
 * long URLs, key figures, bibliography) and the PDF itself (text
 * extraction with ə, Armenian, Cyrillic; embedded fonts; qpdf --check;
 * deterministic bytes). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include "canvas_hpdf.h"
#include "typeset.h"
#include "typeset_fixture.h"

static struct fontset *fs;
static const struct typeset_opts OPTS = {false, NULL, -1, "brief test", NULL};

#define PAGE_H 841.89
#define BODY_TOP 56.0
#define BODY_BOTTOM (PAGE_H - 56.0)
#define BODY_RIGHT (595.276 - 56.0)

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

/* One parsed line of the dump. */
struct dl {
	int page;
	char kind[16];
	char tag[24];
	double x, y, w, h;
	int bib, level;
	char text[1024];
};

struct dump {
	struct dl *v;
	size_t n;
	int pages;
};

static void dump_free(struct dump *d)
{
	free(d->v);
	memset(d, 0, sizeof *d);
}

/* The quoted text at the end of a dump line, unescaped. */
static void quoted(const char *s, char *out, size_t size)
{
	const char *q = strchr(s, '\'');
	size_t n = 0;

	out[0] = '\0';
	if (!q)
		return;
	for (q++; *q && n + 1 < size; q++) {
		if (*q == '\\' && q[1]) {
			out[n++] = *++q;
			continue;
		}
		if (*q == '\'' && (q[1] == '\n' || q[1] == '\0'))
			break;
		out[n++] = *q;
	}
	out[n] = '\0';
}

static struct dump run_dump(const struct doc *d)
{
	struct dump out = {0};
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct diag err = {0};
	int page = 0;

	assert_non_null(f);
	assert_int_equal(typeset_dump(d, fs, &OPTS, f, &err), BRIEF_OK);
	fclose(f);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct dl *e;
		int m;

		if (sscanf(line, "page %d of %d", &page, &m) == 2) {
			out.pages = m;
			continue;
		}
		out.v = realloc(out.v, (out.n + 1) * sizeof *out.v);
		assert_non_null(out.v);
		e = &out.v[out.n++];
		memset(e, 0, sizeof *e);
		e->page = page;
		sscanf(line, " %15s", e->kind);
		if (strcmp(e->kind, "line") == 0)
			sscanf(line, " line %23s x=%lf y=%lf w=%lf", e->tag,
			       &e->x, &e->y, &e->w);
		else if (strcmp(e->kind, "rect") == 0 ||
			 strcmp(e->kind, "rule") == 0 ||
			 strcmp(e->kind, "chart") == 0)
			sscanf(line, " %*s x=%lf y=%lf w=%lf h=%lf", &e->x,
			       &e->y, &e->w, &e->h);
		else if (strcmp(e->kind, "link") == 0) {
			const char *b = strstr(line, "bib=");

			sscanf(line, " link x=%lf y=%lf w=%lf h=%lf", &e->x,
			       &e->y, &e->w, &e->h);
			if (b)
				e->bib = atoi(b + 4);
		} else if (strcmp(e->kind, "anchor") == 0)
			sscanf(line, " anchor bib=%d y=%lf", &e->bib, &e->y);
		else if (strcmp(e->kind, "outline") == 0)
			sscanf(line, " outline level=%d y=%lf", &e->level,
			       &e->y);
		if (strcmp(e->kind, "line") == 0 ||
		    strcmp(e->kind, "outline") == 0)
			quoted(line, e->text, sizeof e->text);
	}
	free(buf);
	return out;
}

static bool is_body(const struct dl *e)
{
	return strcmp(e->kind, "line") == 0 && strcmp(e->tag, "header") &&
	       strcmp(e->tag, "footer");
}

/* Every body line sits inside the text area. */
static void check_body_area(const struct dump *dp)
{
	for (size_t i = 0; i < dp->n; i++) {
		const struct dl *e = &dp->v[i];

		if (!is_body(e))
			continue;
		assert_true(e->y > BODY_TOP);
		assert_true(e->y <= BODY_BOTTOM + 0.01);
		assert_true(e->x >= 56.0 - 0.01);
		assert_true(e->x + e->w <= BODY_RIGHT + 0.01);
	}
}

static void test_pages_and_furniture(void **state)
{
	struct doc *d = fx_doc("Long document");
	struct dump dp;
	char want[64];
	int found = 0;

	(void)state;
	for (int i = 0; i < 12; i++)
		fx_words(d, 250, (unsigned)i + 1);
	dp = run_dump(d);
	assert_true(dp.pages >= 4);
	check_body_area(&dp);
	/* "Page N of M" in the footer of every page, in order */
	for (int p = 1; p <= dp.pages; p++) {
		snprintf(want, sizeof want, "Page %d of %d", p, dp.pages);
		for (size_t i = 0; i < dp.n; i++)
			if (dp.v[i].page == p && !strcmp(dp.v[i].tag, "footer") &&
			    !strcmp(dp.v[i].text, want))
				found++;
	}
	assert_int_equal(found, dp.pages);
	/* the title block and "Data as of" on page 1 */
	assert_string_equal(dp.v[0].tag, "title");
	assert_int_equal(dp.v[0].page, 1);
	for (size_t i = 0; i < dp.n; i++)
		if (!strcmp(dp.v[i].tag, "meta"))
			assert_non_null(strstr(dp.v[i].text,
					       "Data as of 1 October 2023"));
	dump_free(&dp);
	doc_free(d);
}

/* With the test paragraph pushed down by varying amounts of filler, it
 * never leaves a single line alone at the bottom or top of a page. */
static void test_widows_and_orphans(void **state)
{
	(void)state;
	for (int filler = 440; filler < 580; filler += 3) {
		struct doc *d = fx_doc("Widows");
		struct doc_block *b;
		struct dump dp;
		int count[16] = {0}, total = 0;

		fx_words(d, filler, 3);
		b = fx_block(d, BLK_PARAGRAPH);
		{
			char *s = calloc(6 * 90 + 1, 1);

			assert_non_null(s);
			for (int i = 0; i < 90; i++)
				strcat(s, i ? " omega" : "omega");
			fx_text(&b->runs, s, 0);
			free(s);
		}
		fx_words(d, 60, 5);
		dp = run_dump(d);
		check_body_area(&dp);
		for (size_t i = 0; i < dp.n; i++)
			if (is_body(&dp.v[i]) &&
			    !strncmp(dp.v[i].text, "omega", 5)) {
				assert_true(dp.v[i].page < 16);
				count[dp.v[i].page]++;
				total++;
			}
		assert_true(total >= 6);
		for (int p = 0; p < 16; p++)
			assert_true(count[p] == 0 || count[p] >= 2);
		dump_free(&dp);
		doc_free(d);
	}
}

/* A heading is never the last thing on its page: at least two lines of
 * the following paragraph come after it on the same page. */
static void test_heading_kept_with_text(void **state)
{
	(void)state;
	for (int filler = 440; filler < 600; filler += 3) {
		struct doc *d = fx_doc("Headings");
		struct dump dp;

		fx_words(d, filler, 11);
		fx_heading(d, 2, "Kept heading");
		fx_words(d, 80, 12);
		dp = run_dump(d);
		for (size_t i = 0; i < dp.n; i++) {
			int after = 0;

			if (strcmp(dp.v[i].tag, "h2"))
				continue;
			for (size_t k = i + 1; k < dp.n; k++)
				if (dp.v[k].page == dp.v[i].page &&
				    !strcmp(dp.v[k].tag, "para"))
					after++;
			assert_true(after >= 2);
		}
		dump_free(&dp);
		doc_free(d);
	}
}

static void test_table_split_repeats_header(void **state)
{
	struct doc *d = fx_doc("Table");
	struct dump dp;
	int next_row = 1, pages_with_rows = 0, last_page = 0;

	(void)state;
	fx_source(d, "s1", "Report", "UNHCR", "https://example.org/r");
	fx_words(d, 100, 2);
	fx_table(d, 90);
	fx_words(d, 40, 3);
	dp = run_dump(d);
	check_body_area(&dp);
	for (size_t i = 0; i < dp.n; i++) {
		const struct dl *e = &dp.v[i];
		char want[32];

		if (strcmp(e->tag, "td") || strncmp(e->text, "Row ", 4))
			continue;
		if (e->page != last_page) {
			/* a header row ("Place") precedes the rows here */
			bool head = false;

			for (size_t k = 0; k < i; k++)
				if (dp.v[k].page == e->page &&
				    !strcmp(dp.v[k].tag, "th") &&
				    !strcmp(dp.v[k].text, "Place"))
					head = true;
			assert_true(head);
			pages_with_rows++;
			last_page = e->page;
		}
		snprintf(want, sizeof want, "Row %d place", next_row++);
		assert_string_equal(e->text, want);
	}
	assert_int_equal(next_row, 91);
	assert_true(pages_with_rows >= 2);
	/* numbers are right-aligned: their right edges line up */
	{
		double right = -1;

		for (size_t i = 0; i < dp.n; i++) {
			const struct dl *e = &dp.v[i];

			if (strcmp(e->tag, "td") || !strchr(e->text, ',') ||
			    strchr(e->text, ' '))
				continue;
			if (right < 0)
				right = e->x + e->w;
			assert_true(fabs(e->x + e->w - right) < 0.01);
		}
		assert_true(right > 0);
	}
	dump_free(&dp);
	doc_free(d);
}

/* A heading followed by a subheading: both stay with the text they
 * introduce, neither is left at the foot of a page. */
static void test_heading_run_kept_with_text(void **state)
{
	(void)state;
	for (int filler = 440; filler < 600; filler += 3) {
		struct doc *d = fx_doc("Headings");
		struct dump dp;

		fx_words(d, filler, 11);
		fx_heading(d, 2, "Section");
		fx_heading(d, 3, "Subsection");
		fx_words(d, 80, 12);
		dp = run_dump(d);
		for (size_t i = 0; i < dp.n; i++) {
			int after = 0;

			if (strcmp(dp.v[i].tag, "h2") && strcmp(dp.v[i].tag, "h3"))
				continue;
			for (size_t k = i + 1; k < dp.n; k++)
				if (dp.v[k].page == dp.v[i].page &&
				    !strcmp(dp.v[k].tag, "para"))
					after++;
			assert_true(after >= 2);
		}
		dump_free(&dp);
		doc_free(d);
	}
}

/* Pages with rows of one table (rows "Row N place"), counted per page. */
static void table_rows_per_page(const struct dump *dp, int count[32])
{
	for (size_t i = 0; i < dp->n; i++)
		if (!strcmp(dp->v[i].tag, "td") &&
		    !strncmp(dp->v[i].text, "Row ", 4)) {
			assert_true(dp->v[i].page < 32);
			count[dp->v[i].page]++;
		}
}

/* Wherever a table breaks, no row stands alone on a page. */
static void test_table_no_lone_row(void **state)
{
	(void)state;
	for (int filler = 300; filler < 620; filler += 4) {
		struct doc *d = fx_doc("Rows");
		struct dump dp;
		int count[32] = {0}, pages = 0;

		fx_source(d, "s1", "Report", "UNHCR", "https://example.org/r");
		fx_words(d, filler, 2);
		fx_table(d, 7);
		dp = run_dump(d);
		table_rows_per_page(&dp, count);
		for (int p = 0; p < 32; p++) {
			assert_true(count[p] == 0 || count[p] >= 2);
			pages += count[p] > 0;
		}
		assert_true(pages >= 1);
		dump_free(&dp);
		doc_free(d);
	}
}

/* Rows marked as continuing a group (claims about one quantity) are never
 * parted by a page break, and the group's first cell spans its rows: the
 * second claim sits right under the first, not under the cell's lines. */
static void test_table_groups_kept_together(void **state)
{
	(void)state;
	for (int filler = 300; filler < 620; filler += 4) {
		struct doc *d = fx_doc("Groups");
		struct doc_block *b;
		struct dump dp;
		int page_of[12];

		fx_source(d, "s1", "Report", "UNHCR", "https://example.org/r");
		fx_words(d, filler, 2);
		b = fx_table(d, 12);
		b->table->cont = calloc(12, sizeof *b->table->cont);
		assert_non_null(b->table->cont);
		for (size_t r = 0; r < 12; r++) {
			b->table->cont[r] = r % 3 != 0;
			if (r % 3 == 0) {
				doc_runs_free(&b->table->cells[r * 3]);
				fx_text(&b->table->cells[r * 3],
					"Row place of a quantity named at length, over several lines in its narrow column",
					0);
			} else {
				doc_runs_free(&b->table->cells[r * 3]);
			}
		}
		dp = run_dump(d);
		for (size_t r = 0; r < 12; r++)
			page_of[r] = -1;
		for (size_t i = 0; i < dp.n; i++) {
			unsigned long v, frac;

			if (strcmp(dp.v[i].tag, "td") ||
			    sscanf(dp.v[i].text, "%lu,%lu", &v, &frac) != 2 ||
			    v < 1 || v > 12)
				continue;
			page_of[v - 1] = dp.v[i].page;
			/* a claim's row starts below the one before it by
			 * one row of cells, whatever the first cell holds */
			if (v % 3 != 1) {
				for (size_t k = i; k-- > 0;) {
					unsigned long pv, pf;

					if (strcmp(dp.v[k].tag, "td") ||
					    sscanf(dp.v[k].text, "%lu,%lu", &pv,
						   &pf) != 2 ||
					    pv != v - 1)
						continue;
					assert_true(dp.v[i].y - dp.v[k].y < 30);
					break;
				}
			}
		}
		for (size_t r = 0; r < 12; r++) {
			assert_true(page_of[r] >= 0);
			assert_int_equal(page_of[r], page_of[r - r % 3]);
		}
		dump_free(&dp);
		doc_free(d);
	}
}

static void test_long_url_and_links(void **state)
{
	struct doc *d = fx_doc("Links");
	struct doc_block *b = fx_block(d, BLK_PARAGRAPH);
	struct dump dp;
	int uri_links = 0, bib_links = 0, anchors = 0, sources = 0;

	(void)state;
	fx_source(d, "s1", "Refugee response plan", "UNHCR",
		  "https://data.unhcr.org/en/documents/details/"
		  "103960-and-a-very-long-tail-that-cannot-fit-on-one-line-"
		  "of-the-bibliography-at-all-because-it-goes-on");
	fx_text(&b->runs, "Read ", 0);
	fx_link(&b->runs,
		"https://www.example.org/averyveryveryveryveryveryveryvery"
		"veryveryveryveryveryveryveryveryverylongpathsegment/"
		"file.pdf",
		"https://www.example.org/x");
	fx_text(&b->runs, " and the UNHCR plan ", 0);
	fx_cite(&b->runs, 1);
	fx_text(&b->runs, ".", 0);
	dp = run_dump(d);
	check_body_area(&dp);
	for (size_t i = 0; i < dp.n; i++) {
		const struct dl *e = &dp.v[i];

		if (!strcmp(e->kind, "link") && e->bib)
			bib_links++;
		else if (!strcmp(e->kind, "link"))
			uri_links++;
		if (!strcmp(e->kind, "anchor") && e->bib == 1)
			anchors++;
		if (!strcmp(e->tag, "h1") && !strcmp(e->text, "Sources"))
			sources++;
	}
	assert_int_equal(bib_links, 1);
	assert_true(uri_links >= 3); /* split URL in text + bibliography URL */
	assert_int_equal(anchors, 1);
	assert_int_equal(sources, 1);
	dump_free(&dp);
	doc_free(d);
}

static void test_keyfigures_and_letter(void **state)
{
	struct doc *d = fx_doc("Key figures");
	struct doc_block *kf = fx_block(d, BLK_KEYFIGURES);
	struct dump dp;
	double y = -1;
	int numbers = 0;

	(void)state;
	free(d->meta.paper);
	d->meta.paper = fx_strdup("letter");
	kf->nfigs = 3;
	kf->figs = calloc(3, sizeof *kf->figs);
	assert_non_null(kf->figs);
	for (int i = 0; i < 3; i++) {
		kf->figs[i].number = fx_strdup("100,617");
		kf->figs[i].label = fx_strdup("refugees in Armenia");
	}
	dp = run_dump(d);
	for (size_t i = 0; i < dp.n; i++) {
		if (strcmp(dp.v[i].tag, "kf-number"))
			continue;
		if (y < 0)
			y = dp.v[i].y;
		assert_true(fabs(dp.v[i].y - y) < 0.01); /* one row */
		numbers++;
	}
	assert_int_equal(numbers, 3);
	dump_free(&dp);
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		struct diag err = {0};

		assert_int_equal(typeset_dump(d, fs, &OPTS, f, &err), BRIEF_OK);
		fclose(f);
		assert_non_null(strstr(buf, "page 1 of 1 612.00x792.00"));
		free(buf);
	}
	doc_free(d);
}

/* ---- the PDF ---- */

static char *run_cmd(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	char *out = NULL;
	size_t len = 0, cap = 0;
	int c;

	assert_non_null(p);
	while ((c = fgetc(p)) != EOF) {
		if (len + 2 > cap) {
			cap = cap ? cap * 2 : 4096;
			out = realloc(out, cap);
			assert_non_null(out);
		}
		out[len++] = (char)c;
	}
	if (!out)
		out = calloc(1, 1);
	else
		out[len] = '\0';
	*status = pclose(p);
	return out;
}

static struct doc *intl_doc(void)
{
	struct doc *d = fx_doc("Nagorno-Karabakh — Dağlıq Qarabağ");
	struct doc_block *b;

	fx_source(d, "s1", "Azərbaycan statistikası", "DSK",
		  "https://www.stat.gov.az/");
	fx_heading(d, 1, "Şuşa and Ստեփանակերտ");
	b = fx_block(d, BLK_PARAGRAPH);
	fx_text(&b->runs, "Xankəndi (Ստեփանակերտ, Степанакерт) — ", 0);
	fx_text(&b->runs, "ağır şərait", RUN_BOLD);
	fx_text(&b->runs, " ", 0);
	fx_cite(&b->runs, 1);
	fx_text(&b->runs, ".", 0);
	fx_table(d, 5);
	return d;
}

static char *write_pdf(const struct doc *d, const char *path)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	struct diag err = {0};
	FILE *f;

	assert_int_equal(typeset_pdf(d, fs, &OPTS, &buf, &len, &err),
			 BRIEF_OK);
	assert_non_null(buf);
	assert_true(len > 1000);
	assert_memory_equal(buf, "%PDF-", 5);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
	return (char *)buf;
}

static void test_pdf_text_fonts_check(void **state)
{
	struct doc *d = intl_doc();
	char path[] = "/tmp/brief-test-typeset-XXXXXX";
	char cmd[512], *out, *buf;
	int fd = mkstemp(path), st;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	buf = write_pdf(d, path);
	free(buf);

	/* pdftotext: all scripts come back, and no warnings on stderr */
	snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s - 2>&1", path);
	out = run_cmd(cmd, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "Xankəndi"));
	assert_non_null(strstr(out, "Ստեփանակերտ"));
	assert_non_null(strstr(out, "Степанакерт"));
	assert_non_null(strstr(out, "ağır şərait"));
	assert_non_null(strstr(out, "Şuşa"));
	assert_non_null(strstr(out, "\xE2\x80\x94")); /* em dash */
	assert_null(strstr(out, "Warning"));
	assert_null(strstr(out, "Error"));
	free(out);

	/* mutool's extractor agrees */
	snprintf(cmd, sizeof cmd, "mutool draw -q -F txt -o - %s 2>&1", path);
	out = run_cmd(cmd, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "Ստեփանակերտ"));
	assert_non_null(strstr(out, "Xankəndi"));
	free(out);

	/* every font embedded (and subset, with a ToUnicode map) */
	snprintf(cmd, sizeof cmd, "pdffonts %s 2>&1", path);
	out = run_cmd(cmd, &st);
	assert_int_equal(st, 0);
	{
		int fonts = 0;
		char *line, *save = NULL;

		for (line = strtok_r(out, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (strncmp(line, "HPDF", 4))
				continue;
			fonts++;
			assert_non_null(strstr(line, "yes yes yes"));
		}
		assert_true(fonts >= 3); /* regular, bold, Armenian */
	}
	free(out);

	/* qpdf finds nothing to complain about */
	snprintf(cmd, sizeof cmd, "qpdf --check %s 2>&1", path);
	out = run_cmd(cmd, &st);
	assert_int_equal(st, 0);
	assert_null(strstr(out, "WARNING"));
	assert_non_null(strstr(out, "No syntax or stream encoding errors"));
	free(out);

	/* metadata */
	snprintf(cmd, sizeof cmd, "pdfinfo %s 2>&1", path);
	out = run_cmd(cmd, &st);
	assert_non_null(strstr(out, "Dağlıq Qarabağ"));
	assert_non_null(strstr(out, "brief test"));
	assert_non_null(strstr(out, "2023"));
	free(out);
	unlink(path);
	doc_free(d);
}

static bool contains(const unsigned char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return true;
	return false;
}

static void test_pdf_deterministic(void **state)
{
	struct doc *d = intl_doc();
	unsigned char *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	struct diag err = {0};

	(void)state;
	assert_int_equal(typeset_pdf(d, fs, &OPTS, &a, &la, &err), BRIEF_OK);
	assert_int_equal(typeset_pdf(d, fs, &OPTS, &b, &lb, &err), BRIEF_OK);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	/* the /ID comes from the input hash (bytes 01 08 0F 16 ...) */
	assert_true(contains(a, la, "/ID [ <01080F161D242B32"));
	free(a);
	free(b);
	doc_free(d);
}

static const char PREFLIGHT[] =
	"cd /usr/share/java && java -cp preflight.jar:pdfbox2.jar:fontbox2.jar:"
	"xmpbox.jar:commons-logging.jar:javax.activation.jar:jaxb-api.jar "
	"org.apache.pdfbox.preflight.Validator_A1b";

/* PDF/A-1b: the parts libharu lacks are there, an XML-special title does
 * not break the XMP, and PDFBox's preflight (when installed) accepts it. */
static void test_pdfa(void **state)
{
	struct doc *d = intl_doc();
	struct typeset_opts o = OPTS;
	unsigned char *buf = NULL;
	size_t len = 0;
	struct diag err = {0};
	char path[] = "/tmp/brief-test-pdfa-XXXXXX";
	char cmd[1024], *out;
	int fd = mkstemp(path), st;
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	free(d->meta.title);
	d->meta.title = fx_strdup("Return & displacement <2023> \"Şuşa\"");
	o.pdfa = true;
	o.icc_path = "/usr/share/color/icc/sRGB.icc";
	assert_int_equal(typeset_pdf(d, fs, &o, &buf, &len, &err), BRIEF_OK);
	assert_true(contains(buf, len, "/OutputIntents"));
	assert_true(contains(buf, len, "/GTS_PDFA1"));
	assert_true(contains(buf, len, "/CIDSet"));
	assert_true(contains(buf, len, "/CapHeight"));
	assert_true(contains(buf, len, "/Subtype /XML"));
	assert_false(contains(buf, len, "/SubType"));
	assert_true(contains(buf, len, "/F 4"));
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
	free(buf);
	snprintf(cmd, sizeof cmd, "qpdf --check %s 2>&1", path);
	out = run_cmd(cmd, &st);
	assert_int_equal(st, 0);
	assert_null(strstr(out, "WARNING"));
	free(out);
	snprintf(cmd, sizeof cmd, "pdfinfo %s 2>&1", path);
	out = run_cmd(cmd, &st);
	assert_non_null(strstr(out, "Return & displacement <2023>"));
	free(out);
	if (access("/usr/share/java/preflight.jar", R_OK) == 0 &&
	    system("java -version >/dev/null 2>&1") == 0) {
		snprintf(cmd, sizeof cmd, "%s %s 2>&1", PREFLIGHT, path);
		out = run_cmd(cmd, &st);
		assert_non_null(strstr(out, "is a valid PDF/A-1b file"));
		free(out);
	}
	unlink(path);

	/* a missing colour profile is an I/O error, not a crash */
	o.icc_path = "/nonexistent/sRGB.icc";
	assert_int_equal(typeset_pdf(d, fs, &o, &buf, &len, &err), BRIEF_EIO);
	assert_null(buf);
	assert_non_null(strstr(err.msg, "PDF/A"));
	doc_free(d);
}

/* The chart canvas: a cairo path and a label replayed into a page. */
static void test_canvas_hpdf(void **state)
{
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	HPDF_Page page;
	struct pdf_fonts pf;
	struct canvas_hpdf impl;
	struct canvas cv = {0};
	char path[] = "/tmp/brief-test-canvas-XXXXXX";
	char cmd[512], *out;
	int fd = mkstemp(path), st;

	(void)state;
	assert_non_null(pdf);
	assert_true(fd >= 0);
	close(fd);
	HPDF_UseUTFEncodings(pdf);
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	page = HPDF_AddPage(pdf);
	pdf_fonts_init(&pf, pdf, fs);
	impl = (struct canvas_hpdf){.page = page, .fonts = &pf, .ox = 50,
				    .oy = 700};
	cv.cr = canvas_hpdf_cairo();
	assert_non_null(cv.cr);
	cv.fonts = fs;
	cv.ops = &canvas_hpdf_ops;
	cv.impl = &impl;
	cv.width = 300;
	cv.height = 200;
	cairo_translate(cv.cr, 10, 10); /* paths come out in canvas space */
	cairo_rectangle(cv.cr, 0, 0, 100, 50);
	canvas_fill(&cv, (struct rgba){0.2, 0.4, 0.6, 0.5});
	cairo_move_to(cv.cr, 0, 100);
	cairo_line_to(cv.cr, 200, 100);
	canvas_stroke(&cv, (struct rgba){0, 0, 0, 1}, 0.5,
		      (const double[]){2, 2}, 2);
	canvas_text(&cv, 150, 150, 0, ANCHOR_MIDDLE, "Ağdəm — Ստեփանակերտ",
		    FONT_REGULAR, 9, (struct rgba){0, 0, 0, 1});
	canvas_text(&cv, 20, 190, 90, ANCHOR_START, "rotated", FONT_BOLD, 8,
		    (struct rgba){0, 0, 0, 1});
	assert_int_equal(impl.failed, 0);
	cairo_destroy(cv.cr);
	assert_int_equal(HPDF_SaveToFile(pdf, path), HPDF_OK);
	pdf_fonts_free(&pf);
	HPDF_Free(pdf);
	snprintf(cmd, sizeof cmd,
		 "pdftotext -enc UTF-8 %s - 2>/dev/null",
		 path);
	out = run_cmd(cmd, &st);
	assert_non_null(strstr(out, "Ağdəm"));
	assert_non_null(strstr(out, "Ստեփանակերտ"));
	free(out);
	snprintf(cmd, sizeof cmd, "qpdf --check %s >/dev/null 2>&1", path);
	out = run_cmd(cmd, &st);
	assert_int_equal(st, 0);
	free(out);
	unlink(path);
}

/* The bytes of a page's content stream so far (compression is off). */
static char *page_bytes(HPDF_Page page, size_t *len)
{
	HPDF_Stream st = ((HPDF_PageAttr)page->attr)->stream;
	HPDF_UINT n = HPDF_Stream_Size(st);
	char *b = malloc(n + 1);

	assert_non_null(b);
	assert_int_equal(HPDF_Stream_Seek(st, 0, HPDF_SEEK_SET), HPDF_OK);
	assert_int_equal(HPDF_Stream_Read(st, (HPDF_BYTE *)b, &n), HPDF_OK);
	b[n] = '\0';
	*len = n;
	return b;
}

/* Whether s occurs in b[0..n) (text operators hold binary strings). */
static bool has_bytes(const char *b, size_t n, const char *s)
{
	size_t k = strlen(s);

	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(b + i, s, k) == 0)
			return true;
	return false;
}

/* pdf_ops writes numbers and operators as libharu's own calls do. */
static void test_pdf_ops_as_libharu(void **state)
{
	static const HPDF_REAL v[] = {0,      1,        -1,        0.5f,
				      1e-6f,  -1e-6f,   123.456f,  841.89f,
				      0.1f,   99999.5f, -0.00001f, 595.276f,
				      1e-5f,  2.675f,   32767.f,   -32767.f};
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	HPDF_Page a, b;
	struct pdf_ops o;
	char *ba, *bb;
	size_t na, nb;
	const size_t n = sizeof v / sizeof v[0];

	(void)state;
	assert_non_null(pdf);
	a = HPDF_AddPage(pdf);
	b = HPDF_AddPage(pdf);
	HPDF_Page_GSave(a);
	for (size_t i = 0; i + 1 < n; i++) {
		HPDF_Page_SetRGBFill(a, v[i] < 0 ? 0 : v[i] > 1 ? 1 : v[i],
				     0.5f, 0);
		HPDF_Page_MoveTo(a, v[i], v[i + 1]);
		HPDF_Page_LineTo(a, v[i + 1], v[i]);
		HPDF_Page_Fill(a);
	}
	HPDF_Page_GRestore(a);
	pdf_ops_begin(&o, b);
	pdf_ops_op(&o, "q");
	for (size_t i = 0; i + 1 < n; i++) {
		pdf_ops_num(&o, v[i] < 0 ? 0 : v[i] > 1 ? 1 : v[i]);
		pdf_ops_num(&o, 0.5f);
		pdf_ops_num(&o, 0);
		pdf_ops_op(&o, "rg");
		pdf_ops_num(&o, v[i]);
		pdf_ops_num(&o, v[i + 1]);
		pdf_ops_op(&o, "m");
		pdf_ops_num(&o, v[i + 1]);
		pdf_ops_num(&o, v[i]);
		pdf_ops_op(&o, "l");
		pdf_ops_op(&o, "f");
	}
	pdf_ops_op(&o, "Q");
	assert_int_equal(pdf_ops_end(&o), 0);
	ba = page_bytes(a, &na);
	bb = page_bytes(b, &nb);
	assert_true(na > 200);
	assert_int_equal(na, nb);
	assert_memory_equal(ba, bb, na);
	free(ba);
	free(bb);
	HPDF_Free(pdf);
}

/* What a chart draws on the recording canvas, replayed, is what drawing it
 * straight into a page writes. */
static void draw_sample(struct canvas *cv)
{
	cairo_translate(cv->cr, 10, 10);
	cairo_rectangle(cv->cr, 0, 0, 100, 50);
	canvas_fill(cv, (struct rgba){0.2, 0.4, 0.6, 0.5});
	cairo_set_fill_rule(cv->cr, CAIRO_FILL_RULE_EVEN_ODD);
	cairo_arc(cv->cr, 60, 60, 20, 0, 6.28318530718);
	canvas_fill(cv, (struct rgba){1, 0, 0, 1});
	cairo_set_fill_rule(cv->cr, CAIRO_FILL_RULE_WINDING);
	cairo_move_to(cv->cr, 0, 100);
	cairo_line_to(cv->cr, 200, 100);
	cairo_close_path(cv->cr);
	canvas_stroke(cv, (struct rgba){0, 0, 0, 1}, 0.5,
		      (const double[]){2, 1.4}, 2);
	canvas_text(cv, 150, 150, 0, ANCHOR_MIDDLE, "Ağdəm (1993) — Ստեփանակերտ",
		    FONT_REGULAR, 9, (struct rgba){0, 0, 0, 1});
	canvas_text(cv, 20, 190, 90, ANCHOR_END, "rotated\\", FONT_BOLD, 8,
		    (struct rgba){0, 0, 0, 1});
	cairo_move_to(cv->cr, 5, 5);
	cairo_line_to(cv->cr, 50, 80);
	canvas_stroke(cv, (struct rgba){0, 0.5, 0, 0.8}, 1.25, NULL, 0);
}

static void test_canvas_hpdf_replay(void **state)
{
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	HPDF_Page a, b;
	struct pdf_fonts pf;
	struct canvas_hpdf impl;
	struct canvas_hpdf_rec rec = {0};
	struct canvas cv = {0};
	char *ba, *bb;
	size_t na, nb;

	(void)state;
	assert_non_null(pdf);
	HPDF_UseUTFEncodings(pdf);
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	a = HPDF_AddPage(pdf);
	b = HPDF_AddPage(pdf);
	pdf_fonts_init(&pf, pdf, fs);
	impl = (struct canvas_hpdf){.page = a, .fonts = &pf, .ox = 50,
				    .oy = 700};
	cv.fonts = fs;
	cv.width = 300;
	cv.height = 200;
	cv.cr = canvas_hpdf_cairo();
	assert_non_null(cv.cr);
	cv.ops = &canvas_hpdf_ops;
	cv.impl = &impl;
	draw_sample(&cv);
	cairo_destroy(cv.cr);
	assert_int_equal(impl.failed, 0);
	rec.fonts = &pf;
	rec.ox = 50;
	rec.oy = 700;
	cv.cr = canvas_hpdf_cairo();
	assert_non_null(cv.cr);
	cv.ops = &canvas_hpdf_rec_ops;
	cv.impl = &rec;
	draw_sample(&cv);
	cairo_destroy(cv.cr);
	assert_int_equal(rec.failed, 0);
	assert_int_equal(canvas_hpdf_replay(&rec, b), 0);
	ba = page_bytes(a, &na);
	bb = page_bytes(b, &nb);
	assert_true(has_bytes(ba, na, ") Tj\n"));
	assert_true(has_bytes(ba, na, "[2 1 ] 0 d\n"));
	assert_true(has_bytes(ba, na, "f*\n"));
	assert_true(has_bytes(ba, na, " Tm\n")); /* the rotated label */
	assert_int_equal(na, nb);
	assert_memory_equal(ba, bb, na);
	free(ba);
	free(bb);
	canvas_hpdf_rec_free(&rec);
	pdf_fonts_free(&pf);
	HPDF_Free(pdf);
}

/* ---- what cannot be typeset is refused, at its place ---- */

/* typeset_pdf with its errors collected as text; returns the status. */
static enum brief_status typeset_errors(const struct doc *d, bool pdfa,
					char **out, unsigned *nerr)
{
	struct typeset_opts o = OPTS;
	struct diag_sink sink = {NULL, 0, 0, 0};
	struct diag err = {0};
	unsigned char *buf = NULL;
	size_t len = 0, olen = 0;
	enum brief_status st;

	sink.out = open_memstream(out, &olen);
	assert_non_null(sink.out);
	o.sink = &sink;
	o.pdfa = pdfa;
	o.icc_path = "/usr/share/color/icc/sRGB.icc";
	st = typeset_pdf(d, fs, &o, &buf, &len, &err);
	fclose(sink.out);
	if (st != BRIEF_OK)
		assert_null(buf);
	free(buf);
	*nerr = sink.errors;
	return st;
}

static void set_at(struct text_origin *at, const char *file, long line,
		   long col)
{
	at->file = file;
	at->line = line;
	at->col = col;
}

/* Every kind of text that reaches the page, with characters no font has,
 * right-to-left ones, a control character and one past the BMP: each
 * reported once (the title is drawn on every page too), at the layout
 * position or the dataset field it came from (this doc has no layout
 * text, so at its text's start; tests/cli/typeset_check.sh checks the character's
 * own column through real layouts). */
static void test_undrawable_text_refused(void **state)
{
	struct doc *d = fx_doc("Report \xD8\xB9 title");
	struct doc_block *b, *t, *k;
	char *out = NULL;
	unsigned n = 0;

	(void)state;
	d->layout_path = fx_strdup("brief.md");
	set_at(&d->meta.at.title, d->layout_path, 2, 8);
	fx_source(d, "s1", "\xE5\x8C\x97\xE4\xBA\xAC report", "Pub",
		  "https://example.org/");
	d->sources.files[0] = fx_strdup("data/sources.csv");
	d->sources.nfiles = 1;
	d->sources.path = d->sources.files[0];
	b = fx_para(d, "Hebrew \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D and \xF0\x9F\x98\x80 here");
	b->line = 6;
	b->col = 1;
	set_at(&b->runs.v[0].at, d->layout_path, 6, 1);
	b = fx_para(d, "bell\x07" "bell");
	b->line = 8;
	b->col = 1;
	for (int i = 0; i < 8; i++)
		fx_words(d, 200, (unsigned)i + 1); /* pages for the header */
	t = fx_table(d, 2);
	t->line = 30;
	t->col = 1;
	free(t->table->cells[4].v[0].text);
	t->table->cells[4].v[0].text = fx_strdup("\xE6\x9D\xB1"); /* 東 */
	k = fx_block(d, BLK_KEYFIGURES);
	k->line = 40;
	k->figs = calloc(1, sizeof *k->figs);
	assert_non_null(k->figs);
	k->nfigs = 1;
	k->figs[0].number = fx_strdup("8,000 \xE1\x88\x80"); /* Ethiopic */
	k->figs[0].label = fx_strdup("label \xD5\x8D ok"); /* Armenian: fine */
	set_at(&k->figs[0].number_at, "data/figures.csv", 5, 49);
	set_at(&k->figs[0].label_at, d->layout_path, 42, 10);

	assert_int_equal(typeset_errors(d, false, &out, &n), BRIEF_EDATA);
	if (!strstr(out, "brief.md:2:8: error: '\xD8\xB9' (U+0639 ARABIC "
			 "LETTER AIN): right-to-left text is not supported "
			 "yet\n") ||
	    !strstr(out, "brief.md:6:1: error: '\xD7\xA9\xD7\x9C\xD7\x95"
			 "\xD7\x9D' (U+05E9 HEBREW LETTER SHIN, U+05DC HEBREW "
			 "LETTER LAMED, U+05D5 HEBREW LETTER VAV, U+05DD "
			 "HEBREW LETTER FINAL MEM): right-to-left") ||
	    !strstr(out, "brief.md:6:1: error: '\xF0\x9F\x98\x80' (U+1F600 "
			 "GRINNING FACE) cannot be typeset: no font has it "
			 "(tried NotoSans-Regular.ttf, "
			 "NotoSansArmenian-Regular.ttf, "
			 "NotoSansArmenian-Bold.ttf)") ||
	    !strstr(out, "brief.md:8:1: error: control character U+0007 "
			 "cannot be typeset") ||
	    !strstr(out, "data/sources.csv:2: error: '\xE5\x8C\x97\xE4\xBA"
			 "\xAC' (U+5317, U+4EAC) cannot be typeset: no font "
			 "has these characters (tried NotoSans-Italic.ttf") ||
	    !strstr(out, "brief.md:30:1: error: '\xE6\x9D\xB1' (U+6771") ||
	    !strstr(out, "data/figures.csv:5:49: error: '\xE1\x88\x80' "
			 "(U+1200 ETHIOPIC SYLLABLE HA) cannot be typeset"))
		fail_msg("got:\n%s", out);
	/* the title's letter once, although the header repeats it */
	assert_int_equal(n, 7);
	free(out);
	doc_free(d);
}

/* A document that draws only what the fonts have passes the check. */
static void test_drawable_text_passes(void **state)
{
	struct doc *d = intl_doc();
	char *out = NULL;
	unsigned n = 0;

	(void)state;
	assert_int_equal(typeset_errors(d, false, &out, &n), BRIEF_OK);
	assert_int_equal(n, 0);
	assert_string_equal(out, "");
	free(out);
	doc_free(d);
}

/* PDF/A-1's implementation limits (and libharu's own) are input errors
 * with a position, not an invalid file or an internal error: pages (one
 * /Kids array of 8191), a title past 65535 bytes (libharu) or 32766
 * characters of UTF-16 (PDF/A), a word of zero-width characters drawn as
 * one string. */
static void test_pdf_limits(void **state)
{
	struct doc *d = fx_doc("Limits");
	struct doc_block *b;
	char *out = NULL, *title, *word;
	unsigned n = 0;
	size_t i;

	(void)state;
	d->layout_path = fx_strdup("limits.md");
	for (i = 0; i < 8200; i++) {
		fx_para(d, "Page.");
		fx_block(d, BLK_PAGEBREAK);
	}
	assert_int_equal(typeset_errors(d, true, &out, &n), BRIEF_EDATA);
	assert_non_null(strstr(out, "limits.md: error: the briefing has 8201 "
				    "pages; PDF/A-1 allows at most 8191\n"));
	assert_int_equal(n, 1);
	free(out);
	/* without PDF/A they build */
	assert_int_equal(typeset_errors(d, false, &out, &n), BRIEF_OK);
	free(out);
	doc_free(d);

	d = fx_doc("x");
	d->layout_path = fx_strdup("limits.md");
	title = malloc(40000 * 2 + 1);
	assert_non_null(title);
	for (i = 0; i < 40000; i++)
		memcpy(title + 2 * i, "\xC3\xA9", 2); /* é */
	title[2 * i] = '\0';
	free(d->meta.title);
	d->meta.title = title;
	set_at(&d->meta.at.title, d->layout_path, 2, 8);
	assert_int_equal(typeset_errors(d, false, &out, &n), BRIEF_EDATA);
	assert_non_null(strstr(out, "limits.md:2:8: error: the title is 80000 "
				    "bytes long; the PDF writer takes at most "
				    "65535\n"));
	free(out);
	title[2 * 20000] = '\0'; /* 40,000 bytes, 20,000 characters: fine */
	assert_int_equal(typeset_errors(d, true, &out, &n), BRIEF_OK);
	free(out);
	title[2 * 20000] = '\xC3';
	title[2 * 32767] = '\0'; /* 32,767 characters: past PDF/A's UTF-16 */
	assert_int_equal(typeset_errors(d, true, &out, &n), BRIEF_EDATA);
	assert_non_null(strstr(out, "limits.md:2:8: error: the title is 32767 "
				    "characters long; PDF/A-1 allows 32766"));
	free(out);
	assert_int_equal(typeset_errors(d, false, &out, &n), BRIEF_OK);
	free(out);
	doc_free(d);

	d = fx_doc("Zero width");
	d->layout_path = fx_strdup("limits.md");
	word = malloc(3 * 33000 + 2);
	assert_non_null(word);
	word[0] = 'a';
	for (i = 0; i < 33000; i++)
		memcpy(word + 1 + 3 * i, "\xE2\x80\x8B", 3); /* ZWSP */
	word[1 + 3 * i] = '\0';
	b = fx_para(d, word);
	set_at(&b->runs.v[0].at, d->layout_path, 6, 1);
	free(word);
	assert_int_equal(typeset_errors(d, true, &out, &n), BRIEF_EDATA);
	assert_non_null(strstr(out, "limits.md:6:1: error: a word of 33001 "
				    "characters is drawn as one string; "
				    "PDF/A-1 allows 32767"));
	free(out);
	doc_free(d);

	/* keywords are not drawn: libharu would write a space for 😀 */
	d = fx_doc("Keywords");
	d->layout_path = fx_strdup("limits.md");
	d->meta.keywords = fx_strdup("war, \xF0\x9F\x98\x80, \xD7\xA9");
	set_at(&d->meta.at.keywords, d->layout_path, 3, 11);
	assert_int_equal(typeset_errors(d, false, &out, &n), BRIEF_EDATA);
	assert_non_null(strstr(out, "limits.md:3:11: error: the keywords: "
				    "U+1F600 cannot be written into the "
				    "document information"));
	assert_int_equal(n, 1); /* Hebrew in metadata is fine */
	free(out);
	doc_free(d);
}

/* A link to a heading is a GoTo to its destination, not a URI. */
static void test_anchor_links_are_goto(void **state)
{
	struct doc *d = fx_doc("Anchors");
	struct doc_block *h = fx_heading(d, 2, "Contested figures"), *b;
	char path[] = "/tmp/brief-test-goto-XXXXXX";
	char cmd[600], *out;
	int fd = mkstemp(path), st;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	h->anchor = fx_strdup("contested-figures");
	for (int i = 0; i < 3; i++)
		fx_words(d, 300, (unsigned)i + 7);
	b = fx_para(d, "See ");
	if (doc_runs_add(&b->runs, "the figures", 11, 0, LINK_ANCHOR,
			 "contested-figures", 0))
		abort();
	free(write_pdf(d, path));
	snprintf(cmd, sizeof cmd,
		 "qpdf --json=2 --json-key=qpdf %s | tr -d ' \\n'", path);
	out = run_cmd(cmd, &st);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "\"/Subtype\":\"/Link\""));
	assert_non_null(strstr(out, "\"/Dest\":["));
	assert_null(strstr(out, "contested-figures"));
	free(out);
	unlink(path);
	doc_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_and_furniture),
		cmocka_unit_test(test_widows_and_orphans),
		cmocka_unit_test(test_heading_kept_with_text),
		cmocka_unit_test(test_table_split_repeats_header),
		cmocka_unit_test(test_heading_run_kept_with_text),
		cmocka_unit_test(test_table_no_lone_row),
		cmocka_unit_test(test_table_groups_kept_together),
		cmocka_unit_test(test_long_url_and_links),
		cmocka_unit_test(test_keyfigures_and_letter),
		cmocka_unit_test(test_pdf_text_fonts_check),
		cmocka_unit_test(test_pdf_deterministic),
		cmocka_unit_test(test_pdfa),
		cmocka_unit_test(test_canvas_hpdf),
		cmocka_unit_test(test_pdf_ops_as_libharu),
		cmocka_unit_test(test_canvas_hpdf_replay),
		cmocka_unit_test(test_undrawable_text_refused),
		cmocka_unit_test(test_drawable_text_passes),
		cmocka_unit_test(test_pdf_limits),
		cmocka_unit_test(test_anchor_links_are_goto),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
