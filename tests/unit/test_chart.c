/* test_chart.c — chart specs (errors with positions), streaming
 * aggregation and contested figures, labels, source line numbering, alt
 * text, palette, and visual regression of every chart type against the
 * reference PNGs in tests/charts/ref (regenerate: tools/chart-refs.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chart_impl.h"
#include "scale.h"
#include "../charts/fixtures.h"

/* ---- rows built by hand, as data_scan would pass them ---------------- */

static const char *const cas_names[] = { "id", "event", "date_from",
					 "date_to", "party", "category",
					 "population", "value", "value_high",
					 "qualifier", "reported_by", "source",
					 "stated_as", "note" };
#define CAS_N 14

struct fake_row {
	const char *field[CAS_N];
	long col[CAS_N];
	struct data_row row;
};

static void fake_casualty(struct fake_row *f, const char *party,
			  const char *population, const char *date, double v,
			  enum qualifier q, const char *reported_by,
			  const char *source)
{
	memset(f, 0, sizeof *f);
	for (int i = 0; i < CAS_N; i++) {
		f->field[i] = "";
		f->col[i] = i + 1;
	}
	f->field[0] = "r";
	f->field[1] = "2020 war";
	f->field[2] = date;
	f->field[4] = party;
	f->field[5] = "killed";
	f->field[6] = population;
	f->field[10] = reported_by;
	f->field[11] = source;
	f->row.kind = DS_CASUALTIES;
	f->row.file = "casualties.csv";
	f->row.line = 3;
	f->row.ncols = CAS_N;
	f->row.names = cas_names;
	f->row.field = f->field;
	f->row.col = f->col;
	f->row.raw = "";
	f->row.id = "r";
	f->row.source = source;
	f->row.reported_by = reported_by;
	f->row.value = v;
	f->row.qualifier = q;
	date_parse(date, strlen(date), &f->row.date);
}

static struct chart_spec *spec_new(enum chart_type type, const char *x,
				   const char *group)
{
	struct chart_spec *s = calloc(1, sizeof *s);

	s->id = strdup("t");
	s->type = type;
	s->dataset = strdup("casualties");
	s->x = x ? strdup(x) : NULL;
	s->group = group ? strdup(group) : NULL;
	s->file = "layout.md";
	s->at = (struct srcpos){ 10, 1 };
	s->at_x = (struct srcpos){ 14, 4 };
	s->at_y = (struct srcpos){ 15, 4 };
	s->at_group = (struct srcpos){ 16, 8 };
	s->at_bucket = (struct srcpos){ 17, 9 };
	s->at_dataset = (struct srcpos){ 12, 10 };
	return s;
}

static void spec_del(struct chart_spec *s)
{
	chart_spec_free(s);
	free(s);
}

/* ---- spec errors -------------------------------------------------------- */

static void test_spec_errors(void **state)
{
	struct chart_spec *s;
	struct chart *c = NULL;
	struct diag err;

	(void)state;
	/* A text column as the measure: error at the y key. */
	s = spec_new(CHART_BAR, "party", NULL);
	s->y = strdup("party");
	assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_EDATA);
	assert_null(c);
	assert_int_equal(err.line, 15);
	assert_int_equal(err.col, 4);
	assert_string_equal(err.file, "layout.md");
	assert_non_null(strstr(err.msg, "not a number column"));
	spec_del(s);

	/* A line chart over categories. */
	s = spec_new(CHART_LINE, "party", NULL);
	assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_EDATA);
	assert_int_equal(err.line, 14);
	assert_non_null(strstr(err.msg, "needs a date column"));
	spec_del(s);

	/* A date bucket on a category axis. */
	s = spec_new(CHART_BAR, "party", NULL);
	s->bucket = BUCKET_MONTH;
	assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_EDATA);
	assert_int_equal(err.line, 17);
	spec_del(s);

	/* Unknown dataset. */
	s = spec_new(CHART_BAR, "party", NULL);
	free(s->dataset);
	s->dataset = strdup("casualtees");
	assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_EDATA);
	assert_int_equal(err.line, 12);
	assert_non_null(strstr(err.msg, "casualtees"));
	spec_del(s);

	/* A bar chart needs x. */
	s = spec_new(CHART_BAR, NULL, NULL);
	assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_EDATA);
	assert_int_equal(err.line, 10);
	spec_del(s);
}

static void test_spec_errors_at_collect(void **state)
{
	struct chart_spec *s;
	struct chart *c = NULL;
	struct diag err;

	(void)state;
	/* A column neither in the schema nor in the file. */
	s = spec_new(CHART_BAR, "partie", NULL);
	assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_OK);
	assert_int_equal(chart_collect(c, "tests/charts/data", &err),
			 BRIEF_EDATA);
	assert_int_equal(err.line, 14);
	assert_int_equal(err.col, 4);
	assert_non_null(strstr(err.msg, "no column 'partie'"));
	chart_free(c);
	spec_del(s);

	/* An empty selection is an error at the block, not an empty chart. */
	s = spec_new(CHART_BAR, "party", NULL);
	s->filters = calloc(1, sizeof *s->filters);
	s->filters[0].column = strdup("event");
	s->filters[0].values = calloc(1, sizeof(char *));
	s->filters[0].values[0] = strdup("No such war");
	s->filters[0].nvalues = 1;
	s->nfilters = 1;
	assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_OK);
	assert_int_equal(chart_collect(c, "tests/charts/data", &err),
			 BRIEF_EDATA);
	assert_int_equal(err.line, 10);
	assert_non_null(strstr(err.msg, "no rows"));
	chart_free(c);
	spec_del(s);
}

/* ---- aggregation ------------------------------------------------------- */

static const struct bucket *find(const struct chart *c, const char *x,
				 const char *claimant)
{
	for (size_t i = 0; i < c->nb; i++)
		if (strcmp(c->xcat.s[c->b[i].x], x) == 0 &&
		    strcmp(c->claims.s[c->b[i].claimant], claimant) == 0)
			return &c->b[i];
	return NULL;
}

static void test_contested_claims_stay_apart(void **state)
{
	struct chart_spec *s = spec_new(CHART_BAR, "party", NULL);
	struct chart *c = NULL;
	struct fake_row r;
	struct diag err;
	const struct bucket *a, *b;
	char buf[64];

	(void)state;
	assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_OK);
	/* Landmine deaths: 11 per one source, at least 6 + 1 per another. */
	fake_casualty(&r, "Azerbaijan", "all", "2023-09-18", 11, QUAL_EXACT,
		      "Azerbaijani government", "fr-news");
	assert_int_equal(chart_feed(c, &r.row, &err), BRIEF_OK);
	fake_casualty(&r, "Azerbaijan", "all", "2023-09-19", 6, QUAL_AT_LEAST,
		      "OBC Transeuropa", "obc");
	assert_int_equal(chart_feed(c, &r.row, &err), BRIEF_OK);
	fake_casualty(&r, "Azerbaijan", "civilian", "2023-09-19", 1,
		      QUAL_EXACT, "OBC Transeuropa", "obc");
	assert_int_equal(chart_feed(c, &r.row, &err), BRIEF_OK);
	assert_int_equal(chart_finish(c, "casualties.csv", &err), BRIEF_OK);

	assert_int_equal(c->nb, 2);
	a = find(c, "Azerbaijan", "Azerbaijani government");
	b = find(c, "Azerbaijan", "OBC Transeuropa");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a->value == 11);
	assert_true(b->value == 7); /* same claimant: summed */
	/* A sum that includes an "at least" is an "at least". */
	assert_string_equal(chart_value_label(c, b->value, b->high, b->flags,
					      buf, sizeof buf),
			    "7+");
	assert_true(chart_series_contested(c, 0));
	/* Both claims, with who makes them, in the alt text. */
	assert_non_null(strstr(chart_alt_text(c), "per Azerbaijani government: 11"));
	assert_non_null(strstr(chart_alt_text(c), "per OBC Transeuropa: 7+"));
	assert_non_null(strstr(chart_alt_text(c), "Bar chart"));
	/* The latest date among the plotted rows. */
	assert_int_equal(chart_as_of(c).day, 19);
	chart_free(c);
	spec_del(s);
}

/* chart_each_text names each printed name once, at the field it came from. */
struct seen_text {
	int n;
	long party_line, party_col, claim_col;
	const char *title_file;
};

static enum brief_status note_text(void *ctx, const char *s,
				   const struct text_origin *at,
				   struct diag *err)
{
	struct seen_text *seen = ctx;

	(void)err;
	seen->n++;
	if (strcmp(s, "Южная") == 0) {
		seen->party_line = at->line;
		seen->party_col = at->col;
	} else if (strcmp(s, "Agence Sud") == 0) {
		seen->claim_col = at->col;
	} else if (strcmp(s, "Chart title") == 0) {
		seen->title_file = at->file;
	}
	return strcmp(s, "stop here") == 0 ? BRIEF_EDATA : BRIEF_OK;
}

static void test_each_text_origins(void **state)
{
	struct chart_spec *s = spec_new(CHART_BAR, "party", NULL);
	struct chart *c = NULL;
	struct fake_row r;
	struct diag err;
	struct seen_text seen = {0};

	(void)state;
	s->title = strdup("Chart title");
	assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_OK);
	fake_casualty(&r, "Южная", "all", "2021-03-01", 5, QUAL_EXACT,
		      "Agence Sud", "src-a");
	r.row.line = 7;
	assert_int_equal(chart_feed(c, &r.row, &err), BRIEF_OK);
	fake_casualty(&r, "Южная", "all", "2021-03-02", 2, QUAL_EXACT,
		      "Agence Sud", "src-a");
	r.row.line = 8; /* seen again: still reported at its first line */
	assert_int_equal(chart_feed(c, &r.row, &err), BRIEF_OK);
	assert_int_equal(chart_finish(c, "casualties.csv", &err), BRIEF_OK);
	assert_int_equal(chart_each_text(c, note_text, &seen, &err), BRIEF_OK);
	/* title, the party, the series "" and the claimant */
	assert_int_equal(seen.n, 4);
	assert_int_equal(seen.party_line, 7);
	assert_int_equal(seen.party_col, 5);  /* party is column 5 */
	assert_int_equal(seen.claim_col, 11); /* reported_by is column 11 */
	assert_string_equal(seen.title_file, "layout.md");
	chart_free(c);
	spec_del(s);
}

static void test_value_labels(void **state)
{
	struct chart_spec *s = spec_new(CHART_BAR, "party", NULL);
	struct chart *c = NULL;
	struct diag err;
	char buf[64];

	(void)state;
	assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_OK);
	assert_string_equal(chart_value_label(c, 100, 100, MF_LOWER | MF_STRICT,
					      buf, sizeof buf), ">100");
	assert_string_equal(chart_value_label(c, 5000, 5000, MF_UPPER | MF_STRICT,
					      buf, sizeof buf), "<5,000");
	assert_string_equal(chart_value_label(c, 20000, 20000, MF_UPPER, buf,
					      sizeof buf), "up to 20,000");
	assert_string_equal(chart_value_label(c, 120000, 120000, MF_ABOUT, buf,
					      sizeof buf), "~120,000");
	assert_string_equal(chart_value_label(c, 6, 12, MF_RANGE, buf,
					      sizeof buf), "6\u201312");
	assert_string_equal(chart_value_label(c, 8000, 8000, 0, buf,
					      sizeof buf), "8,000");
	chart_free(c);
	spec_del(s);
}

static void test_month_buckets_stream(void **state)
{
	struct chart_spec *s = spec_new(CHART_LINE, "date", "party");
	struct chart *c = NULL;
	struct fake_row r;
	struct diag err;
	char date[40];
	double total = 0;
	long n = 0;

	(void)state;
	s->bucket = BUCKET_MONTH;
	assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_OK);
	/* A year of daily rows for two parties, many rows per day: the
	 * chart keeps 24 buckets, whatever the row count. */
	for (int rep = 0; rep < 40; rep++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= 28; d++) {
				snprintf(date, sizeof date, "2021-%02d-%02d", m, d);
				fake_casualty(&r, (d & 1) ? "Side A" : "Side B",
					      "all", date, m, QUAL_EXACT, "X",
					      "src");
				assert_int_equal(chart_feed(c, &r.row, &err),
						 BRIEF_OK);
				total += m;
				n++;
			}
	assert_int_equal(chart_finish(c, "casualties.csv", &err), BRIEF_OK);
	assert_int_equal(c->nb, 24);
	assert_int_equal(c->nx, 12);
	assert_int_equal(c->rows, n);
	{
		double sum = 0;

		for (size_t i = 0; i < c->nb; i++) {
			int y, m, d;

			ymd_from_days(c->b[i].x, &y, &m, &d);
			assert_int_equal(d, 1);
			assert_int_equal(y, 2021);
			/* 28 days x 40 reps, half per party, value m. */
			assert_true(c->b[i].value == 14.0 * 40 * m);
			sum += c->b[i].value;
		}
		assert_true(sum == total);
	}
	chart_free(c);
	spec_del(s);
}

static void test_agg_max_and_count(void **state)
{
	struct chart_spec *s = spec_new(CHART_BAR, "party", NULL);
	struct chart *c = NULL;
	struct fake_row r;
	struct diag err;

	(void)state;
	s->agg = AGG_MAX;
	assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_OK);
	fake_casualty(&r, "A", "all", "2020", 5, QUAL_EXACT, "X", "s");
	chart_feed(c, &r.row, &err);
	fake_casualty(&r, "A", "all", "2021", 9, QUAL_MORE_THAN, "X", "s");
	chart_feed(c, &r.row, &err);
	fake_casualty(&r, "A", "all", "2022", 7, QUAL_EXACT, "X", "s");
	chart_feed(c, &r.row, &err);
	assert_int_equal(chart_finish(c, "casualties.csv", &err), BRIEF_OK);
	assert_int_equal(c->nb, 1);
	assert_true(c->b[0].value == 9);
	assert_true(c->b[0].flags & MF_LOWER);
	chart_free(c);

	s->agg = AGG_COUNT;
	assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_OK);
	for (int i = 0; i < 3; i++) {
		fake_casualty(&r, "A", "all", "2020", 100, QUAL_EXACT, "X", "s");
		chart_feed(c, &r.row, &err);
	}
	assert_int_equal(chart_finish(c, "casualties.csv", &err), BRIEF_OK);
	assert_true(c->b[0].value == 3);
	assert_string_equal(c->y_label, "Rows");
	chart_free(c);
	spec_del(s);
}

static void test_stacking_contested_is_an_error(void **state)
{
	struct chart_spec *s = spec_new(CHART_STACKED_BAR, "party", "population");
	struct chart *c = NULL;
	struct fake_row r;
	struct diag err;

	(void)state;
	assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_OK);
	fake_casualty(&r, "A", "civilian", "2020", 5, QUAL_EXACT, "X", "s");
	chart_feed(c, &r.row, &err);
	fake_casualty(&r, "A", "civilian", "2020", 8, QUAL_EXACT, "Y", "s");
	chart_feed(c, &r.row, &err);
	assert_int_equal(chart_finish(c, "casualties.csv", &err), BRIEF_EDATA);
	assert_int_equal(err.line, 16);
	assert_non_null(strstr(err.msg, "claimants"));
	chart_free(c);
	spec_del(s);
}

/* ---- sources and numbering ----------------------------------------------- */

static int cite_reverse(void *ctx, const char *id)
{
	/* The bibliography already has "obc" as [2], "fr-news" gets [5]. */
	(void)ctx;
	return strcmp(id, "obc") == 0 ? 2 : 5;
}

static void test_source_line_numbers(void **state)
{
	struct chart_spec *s = spec_new(CHART_BAR, "party", "reported_by");
	struct chart *c = NULL;
	struct fake_row r;
	struct diag err;

	(void)state;
	assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_OK);
	fake_casualty(&r, "Azerbaijan", "all", "2023-09-18", 11, QUAL_EXACT,
		      "Azerbaijani government", "fr-news");
	chart_feed(c, &r.row, &err);
	fake_casualty(&r, "Azerbaijan", "all", "2023-09", 7, QUAL_EXACT,
		      "OBC Transeuropa", "obc");
	chart_feed(c, &r.row, &err);
	assert_int_equal(chart_finish(c, "casualties.csv", &err), BRIEF_OK);
	assert_string_equal(chart_source_line(c), "Sources: fr-news; obc.");
	chart_cite(c, cite_reverse, NULL);
	assert_string_equal(chart_source_line(c),
			    "Sources: [2] obc; [5] fr-news.");
	/* group: reported_by makes the claimants the series: no "(per ...)". */
	assert_false(chart_series_contested(c, 0));
	assert_int_equal(c->series.n, 2);
	chart_free(c);
	spec_del(s);
}

/* ---- palette --------------------------------------------------------------- */

static void test_palette(void **state)
{
	struct palette *p = palette_new();
	struct rgba a, b, a2, y;
	int pa, pb;

	(void)state;
	a = palette_color(p, "party", "Azerbaijan", &pa);
	b = palette_color(p, "party", "Armenian side", &pb);
	a2 = palette_color(p, "party", "Azerbaijan", NULL);
	assert_true(a.r == a2.r && a.g == a2.g && a.b == a2.b);
	assert_false(a.r == b.r && a.g == b.g && a.b == b.b);
	assert_int_equal(pa, 0);
	assert_int_equal(pb, 1);
	/* Okabe-Ito blue first (#0072B2). */
	assert_true(fabs(a.r - 0) < 1e-9 && fabs(a.g - 0x72 / 255.0) < 1e-9 &&
		    fabs(a.b - 0xB2 / 255.0) < 1e-9);
	/* Yellow (#F0E442) is not among the first six. */
	for (int i = 2; i < 6; i++) {
		char name[16];

		snprintf(name, sizeof name, "n%d", i);
		y = palette_color(p, "party", name, NULL);
		assert_false(fabs(y.r - 0xF0 / 255.0) < 1e-9 &&
			     fabs(y.g - 0xE4 / 255.0) < 1e-9);
	}
	palette_free(p);
	palette_free(NULL);
}

/* ---- edge cases: sizes, counts and lengths charts must survive ----------- */

/* The chart alone as a file: at the spec's width (else 483 pt), with no
 * margin, the way the reference images are drawn. */
static enum brief_status export_file(struct chart *c, const struct fontset *fs,
				     enum chart_format f, const char *path,
				     double scale, struct diag *err)
{
	struct chart_export_opts o = { scale, 0, false, NULL };
	unsigned char *data = NULL;
	size_t len = 0;
	enum brief_status st = chart_export(c, fs, f, &o, NULL, &data, &len,
					    err);
	FILE *fp;

	if (st != BRIEF_OK)
		return st;
	fp = fopen(path, "wb");
	if (!fp || fwrite(data, 1, len, fp) != len)
		st = BRIEF_EIO;
	if (fp && fclose(fp) != 0)
		st = BRIEF_EIO;
	free(data);
	return st;
}


/* Render c at the document's chart width; the PNG must be written and
 * cairo must report no error (NaN or inf coordinates would). */
static void render_ok(struct chart *c, const struct fontset *fs,
		      const char *name)
{
	char path[256];
	struct diag err;
	FILE *fp;

	snprintf(path, sizeof path, "/tmp/brief-edge-%ld-%s.png",
		 (long)getpid(), name);
	memset(&err, 0, sizeof err);
	if (export_file(c, fs, CHART_PNG, path, 1, &err) != BRIEF_OK) {
		diag_print(stderr, &err, DIAG_ERROR);
		fail();
	}
	fp = fopen(path, "rb");
	assert_non_null(fp);
	fclose(fp);
	unlink(path);
}

static struct chart *bar_of(struct chart_spec *s, size_t n, double v,
			    const char *long_name)
{
	struct chart *c = NULL;
	struct fake_row r;
	struct diag err;

	assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_OK);
	for (size_t i = 0; i < n; i++) {
		char party[32];

		snprintf(party, sizeof party, "Party %03zu", i);
		fake_casualty(&r, long_name && i == 0 ? long_name : party,
			      "all", "2020-10-01", v, QUAL_EXACT, "Reporter",
			      "src");
		assert_int_equal(chart_feed(c, &r.row, &err), BRIEF_OK);
	}
	assert_int_equal(chart_finish(c, "casualties.csv", &err), BRIEF_OK);
	return c;
}

static void test_bar_edge_cases(void **state)
{
	struct fontset *fs = NULL;
	struct chart_spec *s;
	struct chart *c;
	struct diag err;
	char longname[700];

	(void)state;
	assert_int_equal(fontset_open("fonts", &fs, &err), BRIEF_OK);
	memset(longname, 0, sizeof longname);
	for (size_t i = 0; i + 1 < sizeof longname; i++)
		longname[i] = i % 7 == 6 ? ' ' : 'w';

	/* 200 categories, both orientations. */
	s = spec_new(CHART_BAR, "party", NULL);
	c = bar_of(s, 200, 5, NULL);
	assert_int_equal(c->nx, 200);
	render_ok(c, fs, "bar200");
	chart_free(c);
	s->horizontal = true;
	c = bar_of(s, 200, 5, NULL);
	render_ok(c, fs, "hbar200");
	chart_free(c);
	spec_del(s);

	/* All zero; one category; a very long category name; an empty note
	 * (the footer once read the byte before it). */
	s = spec_new(CHART_BAR, "party", NULL);
	s->note = strdup("");
	c = bar_of(s, 3, 0, NULL);
	render_ok(c, fs, "bar-zero");
	chart_free(c);
	c = bar_of(s, 1, 7, longname);
	render_ok(c, fs, "bar-long");
	chart_free(c);
	s->horizontal = true;
	c = bar_of(s, 2, 7, longname);
	render_ok(c, fs, "hbar-long");
	chart_free(c);
	/* Sums past the largest double: an error, not inf reaching cairo. */
	s->horizontal = false;
	c = bar_of(s, 1, 1e308, NULL);
	assert_int_equal(export_file(c, fs, CHART_PNG, "/tmp/brief-edge-inf.png",
					  1, &err),
			 BRIEF_EDATA);
	assert_non_null(strstr(err.msg, "too large"));
	unlink("/tmp/brief-edge-inf.png");
	chart_free(c);
	s->horizontal = true;
	/* A height the author fixed far too small for the frame. */
	s->height = 20;
	s->width = 483;
	c = bar_of(s, 3, 9, NULL);
	render_ok(c, fs, "hbar-flat");
	chart_free(c);
	spec_del(s);
	fontset_free(fs);
}

static void test_line_edge_cases(void **state)
{
	struct fontset *fs = NULL;
	struct diag err;
	static const enum chart_type types[] = { CHART_LINE, CHART_STEP };

	(void)state;
	assert_int_equal(fontset_open("fonts", &fs, &err), BRIEF_OK);
	for (size_t t = 0; t < 2; t++) {
		/* One point; two points on one day from two claimants; all
		 * zero. */
		for (int variant = 0; variant < 3; variant++) {
			struct chart_spec *s = spec_new(types[t], "date_from",
							"party");
			struct chart *c = NULL;
			struct fake_row r;

			assert_int_equal(chart_new(s, NULL, NULL, &c, &err),
					 BRIEF_OK);
			fake_casualty(&r, "A", "all", "2020-10-01",
				      variant == 2 ? 0 : 12, QUAL_EXACT, "X",
				      "src");
			assert_int_equal(chart_feed(c, &r.row, &err), BRIEF_OK);
			if (variant > 0) {
				fake_casualty(&r, "A", "all", "2020-10-01",
					      variant == 2 ? 0 : 30,
					      QUAL_AT_LEAST, "Y", "src");
				assert_int_equal(chart_feed(c, &r.row, &err),
						 BRIEF_OK);
			}
			assert_int_equal(chart_finish(c, "casualties.csv", &err),
					 BRIEF_OK);
			render_ok(c, fs, "line");
			chart_free(c);
			spec_del(s);
		}
	}
	{
		/* A value near the largest double: a clear error, not inf
		 * coordinates. */
		struct chart_spec *s = spec_new(CHART_LINE, "date_from", NULL);
		struct chart *c = NULL;
		struct fake_row r;

		assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_OK);
		fake_casualty(&r, "A", "all", "2020-10-01", 1e308, QUAL_EXACT,
			      "X", "src");
		assert_int_equal(chart_feed(c, &r.row, &err), BRIEF_OK);
		assert_int_equal(chart_finish(c, "casualties.csv", &err),
				 BRIEF_OK);
		assert_int_equal(export_file(c, fs, CHART_PNG,
						  "/tmp/brief-edge-inf.png", 1,
						  &err),
				 BRIEF_EDATA);
		assert_non_null(strstr(err.msg, "too large"));
		unlink("/tmp/brief-edge-inf.png");
		chart_free(c);
		spec_del(s);
	}
	fontset_free(fs);
}

static const char *const ev_names[] = { "id", "date", "kind", "title",
					"source" };

static void test_timeline_long_title(void **state)
{
	struct fontset *fs = NULL;
	struct chart_spec *s = spec_new(CHART_TIMELINE, NULL, "kind");
	struct chart *c = NULL;
	struct diag err;
	char title[1000];

	(void)state;
	/* Longer than the title buffer: the ellipsis once went past it. */
	memset(title, 'M', sizeof title - 1);
	title[sizeof title - 1] = '\0';
	free(s->dataset);
	s->dataset = strdup("events");
	assert_int_equal(fontset_open("fonts", &fs, &err), BRIEF_OK);
	assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_OK);
	for (int i = 0; i < 3; i++) {
		const char *field[5] = { "e", i ? "2020-09-27" : "1991-09-02",
					 "military", i == 1 ? title : "Short",
					 "src" };
		long col[5] = { 1, 2, 3, 4, 5 };
		struct data_row row;

		memset(&row, 0, sizeof row);
		row.kind = DS_EVENTS;
		row.file = "events.csv";
		row.line = 2 + i;
		row.ncols = 5;
		row.names = ev_names;
		row.field = field;
		row.col = col;
		row.raw = "";
		row.id = "e";
		row.source = "src";
		row.reported_by = "";
		date_parse(field[1], strlen(field[1]), &row.date);
		assert_int_equal(chart_feed(c, &row, &err), BRIEF_OK);
	}
	assert_int_equal(chart_finish(c, "events.csv", &err), BRIEF_OK);
	assert_int_equal(c->nev, 3);
	render_ok(c, fs, "timeline-long");
	chart_free(c);
	spec_del(s);
	fontset_free(fs);
}

static void test_tick_label(void **state)
{
	struct chart_spec *s = spec_new(CHART_BAR, "party", NULL);
	struct chart *c = NULL;
	struct diag err;
	char buf[48];

	(void)state;
	assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_OK);
	assert_string_equal(chart_tick_label(c, 12500, 2500, buf, sizeof buf),
			    "12,500");
	c->percent = true;
	assert_string_equal(chart_tick_label(c, 25, 5, buf, sizeof buf), "25%");
	assert_string_equal(chart_tick_label(c, 0.5, 0.25, buf, sizeof buf),
			    "0.50%");
	/* A value too long for the buffer stays inside it. */
	chart_tick_label(c, 1e40, 1e39, buf, sizeof buf);
	assert_true(strlen(buf) < sizeof buf);
	assert_int_equal(buf[strlen(buf) - 1], '%');
	chart_free(c);
	spec_del(s);
}



/* ---- names past the cap, colours per role, sizes that follow content ----- */

static void test_name_cap_is_positioned(void **state)
{
	/* More names than a chart can show: an input error at the field
	 * that went past the cap, not "out of memory" (issue 9). */
	struct chart_spec *s = spec_new(CHART_LINE, "date_from", "party");
	struct chart *c = NULL;
	struct fake_row r;
	struct diag err;
	char party[32];
	enum brief_status st = BRIEF_OK;
	int i;

	(void)state;
	assert_int_equal(chart_new(s, NULL, NULL, &c, &err), BRIEF_OK);
	for (i = 0; i <= CHART_MAX_NAMES && st == BRIEF_OK; i++) {
		snprintf(party, sizeof party, "P%d", i);
		fake_casualty(&r, party, "all", "2020-01-01", 1, QUAL_EXACT,
			      "X", "s");
		r.row.line = 3 + i;
		st = chart_feed(c, &r.row, &err);
	}
	assert_int_equal(st, BRIEF_EDATA);
	assert_int_equal(i, CHART_MAX_NAMES + 1);
	assert_int_equal(err.line, 3 + CHART_MAX_NAMES);
	assert_int_equal(err.col, 5); /* the party field */
	assert_non_null(strstr(err.msg, "more than 10000 different values"));
	chart_free(c);
	spec_del(s);
}

/* ---- field numbers (data_row.fid) change nothing ------------------------ */

/* Numbers as a scan on two threads gives them: per column, each text the
 * index of its first sight, in one of two ranges (the row's "thread"),
 * none past 1000 texts a column. Owns its copies. */
struct numbering {
	char *seen[CAS_N][1000];
	size_t n[CAS_N];
	uint32_t fid[CAS_N];
};

static void number_row(struct numbering *nb, struct fake_row *r, int thread)
{
	for (int k = 0; k < CAS_N; k++) {
		size_t i;

		for (i = 0; i < nb->n[k]; i++)
			if (strcmp(nb->seen[k][i], r->field[k]) == 0)
				break;
		if (i == nb->n[k] && i < 1000)
			nb->seen[k][nb->n[k]++] = strdup(r->field[k]);
		nb->fid[k] = i < 1000 ? (uint32_t)(thread * 1024 + i)
				      : DATA_FID_NONE;
	}
	r->row.fid = nb->fid;
}

static void numbering_free(struct numbering *nb)
{
	for (int k = 0; k < CAS_N; k++)
		for (size_t i = 0; i < nb->n[k]; i++)
			free(nb->seen[k][i]);
}

static enum brief_status print_text(void *ctx, const char *s,
				    const struct text_origin *at,
				    struct diag *err)
{
	(void)err;
	fprintf(ctx, "%s@%ld:%ld\n", s, at->line, at->col);
	return BRIEF_OK;
}

/* A chart fed rows with field numbers ends as one fed the same rows
 * without: the same names in the same order at the same first
 * positions, the same marks, and the same name cap error at the same
 * field. */
static void test_field_numbers_change_nothing(void **state)
{
	struct chart_spec *s[2];
	struct chart *c[2] = {NULL, NULL};
	struct numbering *nb = calloc(1, sizeof *nb);
	char *text[2] = {NULL, NULL}, party[32], src[16];
	size_t len[2];
	struct diag err[2];
	enum brief_status st[2] = {BRIEF_OK, BRIEF_OK};
	struct fake_row r;
	int i;

	(void)state;
	assert_non_null(nb);
	for (int k = 0; k < 2; k++) {
		s[k] = spec_new(CHART_BAR, "party", "population");
		s[k]->nfilters = 1;
		s[k]->filters = calloc(1, sizeof *s[k]->filters);
		s[k]->filters[0].column = strdup("reported_by");
		s[k]->filters[0].values = calloc(2, sizeof(char *));
		s[k]->filters[0].values[0] = strdup("A");
		s[k]->filters[0].values[1] = strdup("C");
		s[k]->filters[0].nvalues = 2;
		assert_int_equal(chart_new(s[k], NULL, NULL, &c[k], &err[k]),
				 BRIEF_OK);
	}
	/* Parties repeat and alternate; claimants A, B (filtered out), C. */
	for (i = 0; i < 3000; i++) {
		snprintf(party, sizeof party, "Party %d", (i / 3) % 7 + i % 2);
		snprintf(src, sizeof src, "src-%d", i % 5);
		for (int k = 0; k < 2; k++) {
			fake_casualty(&r, party, i % 4 ? "civilian" : "all",
				      "2021-03-01", i % 11, QUAL_EXACT,
				      i % 3 == 0 ? "A" : i % 3 == 1 ? "B" : "C",
				      src);
			r.row.line = 3 + i;
			if (k == 1)
				number_row(nb, &r, (i / 50) % 2);
			assert_int_equal(chart_feed(c[k], &r.row, &err[k]),
					 BRIEF_OK);
		}
	}
	for (int k = 0; k < 2; k++) {
		FILE *f = open_memstream(&text[k], &len[k]);

		assert_int_equal(chart_finish(c[k], "casualties.csv", &err[k]),
				 BRIEF_OK);
		assert_int_equal(chart_each_text(c[k], print_text, f, &err[k]),
				 BRIEF_OK);
		fprintf(f, "%s\n", chart_alt_text(c[k]));
		for (size_t b = 0; b < c[k]->nb; b++)
			fprintf(f, "%ld %d %d %g\n", c[k]->b[b].x,
				c[k]->b[b].series, c[k]->b[b].claimant,
				c[k]->b[b].value);
		fclose(f);
	}
	assert_int_equal(len[0], len[1]);
	assert_memory_equal(text[0], text[1], len[0]);
	for (int k = 0; k < 2; k++) {
		free(text[k]);
		chart_free(c[k]);
		spec_del(s[k]);
		c[k] = NULL;
	}
	numbering_free(nb);
	memset(nb, 0, sizeof *nb);

	/* Past the cap, where numbers have run out: the same error. */
	for (int k = 0; k < 2; k++) {
		s[k] = spec_new(CHART_LINE, "date_from", "party");
		assert_int_equal(chart_new(s[k], NULL, NULL, &c[k], &err[k]),
				 BRIEF_OK);
		for (i = 0; i <= CHART_MAX_NAMES && st[k] == BRIEF_OK; i++) {
			snprintf(party, sizeof party, "P%d", i);
			fake_casualty(&r, party, "all", "2020-01-01", 1,
				      QUAL_EXACT, "X", "s");
			r.row.line = 3 + i;
			if (k == 1)
				number_row(nb, &r, i % 2);
			st[k] = chart_feed(c[k], &r.row, &err[k]);
		}
	}
	assert_int_equal(st[0], BRIEF_EDATA);
	assert_int_equal(st[1], BRIEF_EDATA);
	assert_int_equal(err[1].line, err[0].line);
	assert_int_equal(err[1].col, err[0].col);
	assert_string_equal(err[1].msg, err[0].msg);
	for (int k = 0; k < 2; k++) {
		chart_free(c[k]);
		spec_del(s[k]);
	}
	numbering_free(nb);
	free(nb);
}

static void test_palette_roles(void **state)
{
	struct palette *p = palette_new();
	struct rgba a, b, y, dark;
	int pa, pb;

	(void)state;
	/* Each role starts from the first, most distinct colour. */
	a = palette_color(p, "party", "Side A", &pa);
	palette_color(p, "party", "Side B", NULL);
	b = palette_color(p, "reported_by", "Monitor", &pb);
	assert_true(a.r == b.r && a.g == b.g && a.b == b.b);
	assert_int_equal(pa, 0);
	assert_int_equal(pb, 0);
	/* No two of 40 names in a role share colour and pattern. */
	for (int i = 0; i < 40; i++)
		for (int j = 0; j < i; j++) {
			char n1[16], n2[16];
			int p1, p2;
			struct rgba c1, c2;

			snprintf(n1, sizeof n1, "n%d", i);
			snprintf(n2, sizeof n2, "n%d", j);
			c1 = palette_color(p, "group", n1, &p1);
			c2 = palette_color(p, "group", n2, &p2);
			assert_false(c1.r == c2.r && c1.g == c2.g && c1.b == c2.b &&
				     p1 == p2);
		}
	/* The palette's yellow is darkened for lines; blue is kept. */
	for (int i = 0; i < 8; i++) {
		char n[16];

		snprintf(n, sizeof n, "y%d", i);
		y = palette_color(p, "yellow-test", n, NULL);
		dark = palette_line_color(y);
		assert_true(0.2126 * dark.r + 0.7152 * dark.g + 0.0722 * dark.b <
			    0.6);
	}
	dark = palette_line_color(a);
	assert_true(dark.r == a.r && dark.g == a.g && dark.b == a.b);
	palette_free(p);
}

static void test_sizes_follow_content(void **state)
{
	struct fontset *fs = NULL;
	struct chart_spec *s;
	struct chart *c;
	struct diag err;
	struct sources src = { 0 };

	(void)state;
	assert_int_equal(fontset_open("fonts", &fs, &err), BRIEF_OK);
	/* A timeline of six events is as tall as they are, not 0.6 of the
	 * width. */
	s = spec_new(CHART_TIMELINE, NULL, NULL);
	free(s->dataset);
	s->dataset = strdup("events");
	assert_int_equal(sources_load(SERRANIA, &src, NULL, &err), BRIEF_OK);
	assert_int_equal(chart_new(s, &src, NULL, &c, &err), BRIEF_OK);
	assert_int_equal(chart_collect(c, SERRANIA, &err), BRIEF_OK);
	assert_int_equal(c->nev, 6);
	assert_true(chart_height_for(c, fs, 483) < 483 * 0.6 * 0.7);
	assert_true(chart_height_for(c, fs, 483) > 6 * 7.5 * 1.3);
	chart_free(c);
	spec_del(s);
	/* A horizontal bar chart grows with its marks, even past a height
	 * fixed too small. */
	s = spec_new(CHART_BAR, "party", NULL);
	s->horizontal = true;
	c = bar_of(s, 3, 5, NULL);
	{
		double h3 = chart_height_for(c, fs, 483);
		struct chart *c30;

		chart_free(c);
		c30 = bar_of(s, 30, 5, NULL);
		assert_true(chart_height_for(c30, fs, 483) > h3 + 27 * 9);
		s->height = 60;
		assert_true(chart_height_for(c30, fs, 483) >=
			    chart_min_height(c30, fs, 483));
		assert_true(chart_min_height(c30, fs, 483) > 30 * 9);
		chart_free(c30);
	}
	spec_del(s);
	sources_free(&src);
	fontset_free(fs);
}

/* ---- control over time ------------------------------------------------------ */

static struct chart *serrania_control(struct sources *src, bool area,
				      const char *group)
{
	struct chart_spec *s = calloc(1, sizeof *s);
	struct chart *c = NULL;
	struct diag err;
	struct date asof = { 2024, 6, 30 };

	s->id = strdup("control");
	s->type = CHART_STEP;
	s->dataset = strdup("control");
	s->x = strdup("date");
	s->group = strdup(group);
	s->area = area;
	s->file = "layout.md";
	s->at = (struct srcpos){ 3, 1 };
	s->at_group = (struct srcpos){ 7, 8 };
	assert_int_equal(sources_load(SERRANIA, src, NULL, &err), BRIEF_OK);
	if (chart_new(s, src, NULL, &c, &err) != BRIEF_OK) {
		spec_del(s);
		return NULL;
	}
	assert_int_equal(chart_collect(c, SERRANIA, &err), BRIEF_OK);
	chart_set_as_of(c, asof);
	return c;
}

static void control_free(struct chart *c, struct sources *src)
{
	struct chart_spec *s = (struct chart_spec *)(uintptr_t)c->spec;

	chart_free(c);
	spec_del(s);
	sources_free(src);
}

static void test_control_never_exceeds_total(void **state)
{
	/* Four sources, 30 years, one same-day disagreement (2019-04-12,
	 * Northern Front: 3,500 per the ministry, ~4,200 per the monitor). */
	struct sources src = { 0 };
	struct chart *c = serrania_control(&src, true, "controller");
	struct step_plan p;
	size_t alts = 0;

	(void)state;
	assert_non_null(c);
	assert_int_equal(chart_step_plan(c, &p), BRIEF_OK);
	/* One series per controller, named once. */
	assert_int_equal(p.ns, 3);
	assert_int_equal(c->series.n, 3);
	/* The stack at every day a figure changes, and the day before. */
	for (size_t k = 0; k < c->nx; k++)
		for (long d = c->xorder[k] - 1; d <= c->xorder[k]; d++) {
			double total = 0;

			for (size_t s = 0; s < p.ns; s++)
				total += chart_step_held(c, &p, s, d);
			if (total > 11400 + 1e-9) {
				print_error("day %ld: %.0f km2 stacked\n", d,
					    total);
				fail();
			}
		}
	/* The disagreement is kept apart: the ministry (speaking for two
	 * controllers that day) drawn, the monitor's claim an alternative. */
	for (size_t s = 0; s < p.ns; s++)
		for (size_t i = 0; i < p.s[s].n; i++) {
			const struct step_point *pt = &p.s[s].pts[i];

			if (!pt->nalt)
				continue;
			alts += pt->nalt;
			assert_true(c->b[pt->bucket].value == 3500);
			assert_true(c->b[p.alts[pt->alt]].value == 4200);
		}
	assert_int_equal(alts, 1);
	/* Each value holds only until the controller's next figure: the
	 * militia's 1,300 ends with its 0 in September 2015. */
	assert_true(chart_step_held(c, &p, 2, days_from_ymd(2015, 8, 31)) ==
		    1300);
	assert_true(chart_step_held(c, &p, 2, days_from_ymd(2016, 1, 1)) == 0);
	/* The axis runs to the briefing's as_of. */
	assert_int_equal(p.d1, days_from_ymd(2024, 6, 30));
	chart_step_plan_free(&p);
	control_free(c, &src);
}

static void test_control_by_claimant_refused(void **state)
{
	/* Stacking one source's figure on another's was the bug: refused. */
	struct sources src = { 0 };
	struct chart *c = serrania_control(&src, true, "reported_by");

	(void)state;
	assert_null(c);
	sources_free(&src);
}

/* ---- visual regression ------------------------------------------------------ */

static int png_diff(const char *got_path, const char *ref_path,
		    double *frac)
{
	cairo_surface_t *got = cairo_image_surface_create_from_png(got_path);
	cairo_surface_t *ref = cairo_image_surface_create_from_png(ref_path);
	int rc = -1;

	if (cairo_surface_status(got) || cairo_surface_status(ref))
		goto out;
	cairo_surface_flush(got);
	cairo_surface_flush(ref);
	{
		int w = cairo_image_surface_get_width(got);
		int h = cairo_image_surface_get_height(got);
		long differ = 0;

		if (w != cairo_image_surface_get_width(ref) ||
		    h != cairo_image_surface_get_height(ref))
			goto out;
		for (int yy = 0; yy < h; yy++) {
			const uint32_t *p = (const uint32_t *)(const void *)(
				cairo_image_surface_get_data(got) +
				yy * cairo_image_surface_get_stride(got));
			const uint32_t *q = (const uint32_t *)(const void *)(
				cairo_image_surface_get_data(ref) +
				yy * cairo_image_surface_get_stride(ref));

			for (int xx = 0; xx < w; xx++) {
				int worst = 0;

				for (int sh = 0; sh < 24; sh += 8) {
					int d = (int)((p[xx] >> sh) & 0xFF) -
						(int)((q[xx] >> sh) & 0xFF);

					if (abs(d) > worst)
						worst = abs(d);
				}
				differ += worst > 40;
			}
		}
		*frac = (double)differ / ((double)w * h);
		rc = 0;
	}
out:
	cairo_surface_destroy(got);
	cairo_surface_destroy(ref);
	return rc;
}

static void test_visual_regression(void **state)
{
	struct fontset *fs = NULL;
	struct palette *pal = palette_new();
	struct diag err;
	char dir[] = "/tmp/brief-charts-XXXXXX";

	(void)state;
	assert_int_equal(fontset_open("fonts", &fs, &err), BRIEF_OK);
	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < NFIXTURES; i++) {
		struct chart_spec *spec = fixture_spec(&fixtures[i]);
		struct sources src = { 0 };
		struct chart *c = NULL;
		char got[512], ref[512], svg[512];
		double frac = 1;
		FILE *fp;
		char head[256] = "";

		assert_int_equal(sources_load(fixtures[i].dir, &src, NULL, &err),
				 BRIEF_OK);
		assert_int_equal(chart_new(spec, &src, pal, &c, &err), BRIEF_OK);
		if (chart_collect(c, fixtures[i].dir, &err) != BRIEF_OK) {
			diag_print(stderr, &err, DIAG_ERROR);
			fail();
		}
		fixture_as_of(&fixtures[i], c);
		snprintf(got, sizeof got, "%s/%s.png", dir, spec->id);
		snprintf(ref, sizeof ref, "tests/charts/ref/%s.png", spec->id);
		snprintf(svg, sizeof svg, "%s/%s.svg", dir, spec->id);
		assert_int_equal(export_file(c, fs, CHART_PNG, got, 2, &err),
				 BRIEF_OK);
		assert_int_equal(export_file(c, fs, CHART_SVG, svg, 1, &err),
				 BRIEF_OK);
		fp = fopen(svg, "r");
		assert_non_null(fp);
		assert_true(fread(head, 1, sizeof head - 1, fp) > 0);
		fclose(fp);
		assert_non_null(strstr(head, "<svg"));
		if (png_diff(got, ref, &frac) != 0) {
			print_error("%s: missing or differently sized reference "
				    "%s (run tools/chart-refs.sh)\n",
				    spec->id, ref);
			fail();
		}
		if (frac > 0.002) {
			print_error("%s: %.3f%% of pixels differ from %s; look "
				    "at %s\n",
				    spec->id, frac * 100, ref, got);
			fail();
		}
		unlink(got);
		unlink(svg);
		chart_free(c);
		sources_free(&src);
		chart_spec_free(spec);
		free(spec);
	}
	rmdir(dir);
	palette_free(pal);
	fontset_free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_errors),
		cmocka_unit_test(test_spec_errors_at_collect),
		cmocka_unit_test(test_contested_claims_stay_apart),
		cmocka_unit_test(test_each_text_origins),
		cmocka_unit_test(test_value_labels),
		cmocka_unit_test(test_month_buckets_stream),
		cmocka_unit_test(test_agg_max_and_count),
		cmocka_unit_test(test_stacking_contested_is_an_error),
		cmocka_unit_test(test_source_line_numbers),
		cmocka_unit_test(test_palette),
		cmocka_unit_test(test_bar_edge_cases),
		cmocka_unit_test(test_line_edge_cases),
		cmocka_unit_test(test_timeline_long_title),
		cmocka_unit_test(test_tick_label),
		cmocka_unit_test(test_name_cap_is_positioned),
		cmocka_unit_test(test_field_numbers_change_nothing),
		cmocka_unit_test(test_palette_roles),
		cmocka_unit_test(test_sizes_follow_content),
		cmocka_unit_test(test_control_never_exceeds_total),
		cmocka_unit_test(test_control_by_claimant_refused),
		cmocka_unit_test(test_visual_regression),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
