/* test_import.c — the pieces of `brief import`: dates in a mapping's
 * formats, numbers with thousands separators, figures in words, HXL tag
 * matching, CSV lines, the ';' and tab delimiters of csv_load_delim,
 * mapping errors with their positions, and an aggregated import.
 * Run from the repository root (tests/run.sh does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "csv_load.h"
#include "import.h"
#include "import_int.h"

/* Writable copies: the mapping's lists are char ** (owned by a map). */
static char f1[] = "%Y-%m-%d", f2[] = "%d %B %Y", f3[] = "%Y-%m-%d %*",
	    f4[] = "%d/%m/%Y", f5[] = "%Y-%m", f6[] = "%Y";
static char *fmt_iso[] = {f1};
static char *fmt_many[] = {f2, f3, f4, f5, f6};
static char s1[] = ",", s2[] = " ", s3[] = "\xC2\xA0";
static char *seps[] = {s1, s2, s3};

static struct import_map plain_map(char **dates, size_t n)
{
	struct import_map m;

	memset(&m, 0, sizeof m);
	m.dates = dates;
	m.ndates = n;
	m.thousands = seps;
	m.nthousands = 3;
	return m;
}

static void date_is(const struct import_map *m, const char *s, int y, int mo,
		    int d)
{
	struct idate out;

	assert_true(import_parse_date(m, s, &out));
	assert_int_equal(out.y, y);
	assert_int_equal(out.m, mo);
	assert_int_equal(out.d, d);
}

static void test_dates(void **state)
{
	struct import_map iso = plain_map(fmt_iso, 1);
	struct import_map many = plain_map(fmt_many, 5);
	struct idate d;

	(void)state;
	date_is(&iso, "2024-03-03", 2024, 3, 3);
	date_is(&iso, "2024-2-29", 2024, 2, 29);
	assert_false(import_parse_date(&iso, "2023-02-29", &d));
	assert_false(import_parse_date(&iso, "2024-13-01", &d));
	assert_false(import_parse_date(&iso, "2024-03-03x", &d));
	assert_false(import_parse_date(&iso, "03 March 2024", &d));
	/* ACLED's export tool, GED's timestamps, day/month/year, partial */
	date_is(&many, "03 March 2024", 2024, 3, 3);
	date_is(&many, "3 march 2024", 2024, 3, 3);
	date_is(&many, "16 Sep 2025", 2025, 9, 16);
	date_is(&many, "16 Sept 2025", 2025, 9, 16);
	date_is(&many, "2021-03-14 00:00:00.000", 2021, 3, 14);
	date_is(&many, "02/07/2023", 2023, 7, 2);
	date_is(&many, "2023-07", 2023, 7, 0);
	date_is(&many, "2023", 2023, 0, 0);
	assert_false(import_parse_date(&many, "31/02/2023", &d));
	assert_false(import_parse_date(&many, "Mai 2024", &d));
	assert_false(import_parse_date(&many, "", &d));
}

static void number_is(const struct import_map *m, const char *s, bool dec,
		      const char *want)
{
	char buf[64];

	assert_true(import_parse_number(m, s, dec, buf, sizeof buf));
	assert_string_equal(buf, want);
}

static void test_numbers(void **state)
{
	struct import_map m = plain_map(fmt_iso, 1);
	char buf[64];

	(void)state;
	number_is(&m, "0", false, "0");
	number_is(&m, "1234567", false, "1234567");
	number_is(&m, "1,234,567", false, "1234567");
	number_is(&m, "1 250 000", false, "1250000");
	number_is(&m, "12\xC2\xA0" "500", false, "12500");
	number_is(&m, " 42 ", false, "42");
	number_is(&m, "44.1210", true, "44.1210");
	number_is(&m, "1,234.5", true, "1234.5");
	assert_false(import_parse_number(&m, "1,2", false, buf, sizeof buf));
	assert_false(import_parse_number(&m, "1234,567", false, buf, sizeof buf));
	assert_false(import_parse_number(&m, "1,2345", false, buf, sizeof buf));
	assert_false(import_parse_number(&m, "1.5", false, buf, sizeof buf));
	assert_false(import_parse_number(&m, "-3", false, buf, sizeof buf));
	assert_false(import_parse_number(&m, "12 apples", false, buf, sizeof buf));
	assert_false(import_parse_number(&m, "", false, buf, sizeof buf));
	/* '.' as a thousands separator only when the mapping says so */
	assert_false(import_parse_number(&m, "12.500", false, buf, sizeof buf));
}

static void figure_is(const struct import_map *m, const char *s,
		      const char *words, const char *low, const char *high)
{
	struct figure_text f;

	assert_true(import_parse_figure(m, s, &f));
	assert_string_equal(f.words, words);
	assert_string_equal(f.low, low);
	assert_string_equal(f.high, high);
}

static void test_figures(void **state)
{
	struct import_map m = plain_map(fmt_iso, 1);
	struct figure_text f;

	(void)state;
	figure_is(&m, "1,200", "", "1200", "");
	figure_is(&m, "more than 500", "more than", "500", "");
	figure_is(&m, "At least 1 500", "At least", "1500", "");
	figure_is(&m, "between 2,000 and 3,000", "", "2000", "3000");
	figure_is(&m, "Between 2 000 and 3 000", "", "2000", "3000");
	figure_is(&m, "from 10 to 20", "", "10", "20");
	figure_is(&m, "2,000-3,000", "", "2000", "3000");
	figure_is(&m, "2,000 \xE2\x80\x93 3,000", "", "2000", "3000");
	figure_is(&m, "400 to 600", "", "400", "600");
	assert_false(import_parse_figure(&m, "many", &f));
	assert_false(import_parse_figure(&m, "between 2,000 and", &f));
	assert_false(import_parse_figure(&m, "1,2", &f));
	assert_false(import_parse_figure(&m, "500 or so", &f));
	assert_false(import_parse_figure(&m, "more than 2-3", &f));
}

static void test_csv_line(void **state)
{
	struct csv_line l;

	(void)state;
	memset(&l, 0, sizeof l);
	csv_line_add(&l, "plain");
	csv_line_add(&l, "");
	csv_line_add(&l, "a, b");
	csv_line_add(&l, "say \"hi\"");
	csv_line_add(&l, "two\nlines");
	csv_line_add(&l, "Тарск");
	csv_line_end(&l);
	csv_line_add(&l, "next");
	csv_line_end(&l);
	assert_false(l.oom);
	assert_int_equal(l.n, strlen("plain,,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\",Тарск\nnext\n"));
	assert_memory_equal(l.s, "plain,,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\",Тарск\nnext\n", l.n);
	free(l.s);
}

/* ---- csv_load_delim ------------------------------------------------- */

struct got {
	char text[8][64];
	long col[8];
	size_t n, records;
};

static enum brief_status keep_second(void *ctx, const struct csv_record *rec,
				     struct diag *err)
{
	struct got *g = ctx;
	size_t i;

	(void)err;
	g->records++;
	if (rec->index != 1)
		return BRIEF_OK;
	g->n = rec->nfields;
	for (i = 0; i < rec->nfields && i < 8; i++) {
		snprintf(g->text[i], sizeof g->text[i], "%s", rec->fields[i].text);
		g->col[i] = rec->fields[i].col;
	}
	return BRIEF_OK;
}

static void load_text(const char *text, char delim, struct got *g,
		      enum brief_status want)
{
	FILE *f = fmemopen((void *)text, strlen(text), "rb");
	struct diag d;

	assert_non_null(f);
	memset(g, 0, sizeof *g);
	assert_int_equal(csv_load_stream_delim(f, "t.csv", delim, keep_second, g,
					       &d),
			 want);
	fclose(f);
}

static void test_delimiters(void **state)
{
	struct got g;

	(void)state;
	/* ';' with commas inside fields (thousands), a quoted ';', spaces */
	load_text("a;b;c;d\nKSR;1,250;\"x;y\"; z \n", ';', &g, BRIEF_OK);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.text[0], "KSR");
	assert_string_equal(g.text[1], "1,250");
	assert_string_equal(g.text[2], "x;y");
	assert_string_equal(g.text[3], " z ");
	assert_int_equal(g.col[1], 5);
	assert_int_equal(g.col[2], 11);
	assert_int_equal(g.col[3], 17);
	/* tab */
	load_text("a\tb\n\xD0\xA2\xD0\xB0\tx,y\n", '\t', &g, BRIEF_OK);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.text[0], "Та");
	assert_string_equal(g.text[1], "x,y");
	assert_int_equal(g.col[1], 4);
	/* ',' stays the default of csv_load_stream */
	load_text("a,b\n1;2,3\n", ',', &g, BRIEF_OK);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.text[0], "1;2");
	/* a quote cannot be the delimiter */
	load_text("a\"b\n", '"', &g, BRIEF_EINTERNAL);
}

/* ---- mappings ------------------------------------------------------- */

static char tmpdir[] = "/tmp/test_import.XXXXXX";

static char *write_tmp(const char *name, const char *text)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void map_error(const char *text, const char *want)
{
	struct import_map *m = NULL;
	struct diag d;
	char *path = write_tmp("m.yaml", text), got[1024];

	memset(&d, 0, sizeof d);
	assert_int_equal(import_map_load(path, &m, &d), BRIEF_EDATA);
	assert_null(m);
	snprintf(got, sizeof got, "%ld:%ld: %s", d.line, d.col, d.msg);
	assert_string_equal(got, want);
}

#define HEAD "format: x\nprovider: X\ntitle: X\nsource_id: x\n"

static void test_map_errors(void **state)
{
	(void)state;
	map_error(HEAD "outputs:\n  - dataset: casualties\n    columns:\n"
		       "      id: \"{a|bogus}\"\n",
		  "8:11: unknown filter 'bogus' (date, month, year, date_by, int, "
		  "number, low, high, qual, map, slug, trunc, default, lower, "
		  "epoch_date)");
	map_error(HEAD "outputs:\n  - dataset: casualties\n    columns:\n"
		       "      id: \"{a|map:nope}\"\n",
		  "8:11: no value map 'nope' in 'maps'");
	map_error(HEAD "outputs:\n  - dataset: casualties\n    columns:\n"
		       "      id: x\n      event: \"{@value}\"\n      value: \"1\"\n",
		  "9:14: {@value}: only 'id' may use other columns, and only ones "
		  "named earlier");
	map_error(HEAD "outputs:\n  - dataset: wars\n    columns: {id: x}\n",
		  "6:14: output 'dataset' must be casualties, displacement, "
		  "control, figures or events");
	map_error(HEAD "outputs:\n  - dataset: events\n    columns: {kind: x}\n",
		  "7:14: output columns need an 'id'");
	map_error(HEAD "colour: red\noutputs: []\n", "5:1: unknown mapping key 'colour'");
	map_error("format: x\noutputs: []\n", "1:1: mapping needs 'provider'");
	map_error(HEAD "outputs:\n  - dataset: events\n    columns: {id: \"{a\"}\n",
		  "7:19: '{' without '}' in template \"{a\"");
	map_error(HEAD "outputs:\n  - dataset: casualties\n    columns: {id: \"{a}\", value: \"1\"}\n"
		       "    aggregate: {by: [valu], sum: [value]}\n",
		  "8:22: 'by': 'valu' is not a column of this output");
}

static void test_shipped(void **state)
{
	char **v = import_shipped("mappings", "idmc");
	struct import_map *m;
	struct diag d;
	size_t i;

	(void)state;
	assert_non_null(v);
	assert_string_equal(v[0], "mappings/idmc-gidd.yaml");
	assert_string_equal(v[1], "mappings/idmc-idu.yaml");
	assert_null(v[2]);
	import_free_list(v);
	/* Every shipped mapping loads. */
	v = import_shipped("mappings", NULL);
	assert_non_null(v);
	for (i = 0; v[i]; i++) {
		memset(&d, 0, sizeof d);
		if (import_map_load(v[i], &m, &d) != BRIEF_OK)
			fail_msg("%s:%ld:%ld: %s", v[i], d.line, d.col, d.msg);
		import_map_free(m);
	}
	assert_int_equal(i, 5);
	import_free_list(v);
}

/* An aggregated output: ranges summed (an empty value_high counts as the
 * row's value), groups sorted, one source's rows never merged with
 * another's. */
static void test_aggregate(void **state)
{
	const char *map =
		HEAD "require: [d, n]\ndates: [\"%d/%m/%Y\"]\n"
		     "maps: {w: {\"\": exact}}\noutputs:\n"
		     "  - dataset: displacement\n"
		     "    aggregate: {by: [date_from, origin], sum: [value, value_high]}\n"
		     "    columns:\n"
		     "      id: \"m-{@date_from}-{@key}\"\n"
		     "      event: test\n      date_from: \"{d|month}\"\n"
		     "      date_to: \"\"\n      group: IDPs\n      origin: \"{o}\"\n"
		     "      destination: unknown\n      value: \"{n|low}\"\n"
		     "      value_high: \"{n|high}\"\n"
		     "      qualifier: \"{n|qual:w}\"\n      reported_by: X\n"
		     "      source: \"{@source}\"\n      stated_as: \"\"\n";
	char mpath[512], epath[512], into[256], line[1024];
	const char *files[1];
	struct import_opts o;
	struct import_result res;
	struct diag_sink sink = {stderr, 0, 0, 0};
	struct diag d;
	FILE *f;
	int n = 0;

	(void)state;
	snprintf(mpath, sizeof mpath, "%s", write_tmp("agg.yaml", map));
	snprintf(epath, sizeof epath, "%s",
		 write_tmp("e.csv", "d;o;n\n01/05/2023;Mira;\"1,000\"\n"
				    "20/05/2023;Mira;between 200 and 300\n"
				    "02/05/2023;Koss;50\n"
				    "01/06/2023;Mira;7\n"));
	snprintf(into, sizeof into, "%.200s/out", tmpdir);
	files[0] = epath;
	memset(&o, 0, sizeof o);
	o.map = mpath;
	o.into = into;
	o.accessed = "2024-01-01";
	o.files = files;
	o.nfiles = 1;
	memset(&d, 0, sizeof d);
	if (import_run(&o, &res, &sink, &d) != BRIEF_OK)
		fail_msg("%s:%ld: %s (%u errors)", d.file, d.line, d.msg,
			 sink.errors);
	assert_int_equal(res.rows_in, 4);
	assert_int_equal(res.rows_out[DS_DISPLACEMENT], 3);
	snprintf(line, sizeof line, "%s/displacement.csv", into);
	f = fopen(line, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		char *c = strchr(line, ',');

		n++;
		if (n <= 2)
			continue;
		assert_non_null(c);
		/* id, then the rest */
		if (n == 3)
			assert_string_equal(c, ",test,2023-05,,IDPs,Koss,unknown,50,,exact,X,x-e,\n");
		if (n == 4)
			assert_string_equal(c, ",test,2023-05,,IDPs,Mira,unknown,1200,1300,range,X,x-e,\n");
		if (n == 5)
			assert_string_equal(c, ",test,2023-06,,IDPs,Mira,unknown,7,,exact,X,x-e,\n");
		assert_memory_equal(line, "m-2023-0", 8);
	}
	fclose(f);
	assert_int_equal(n, 5);
}

/* The optional columns of imported data are checked like the others:
 * a mapping that writes a latitude of 95, a flow_stock of "stocks" or a
 * value_best of "-1" is refused, and the directory stays as it was. */
static void test_optional_columns(void **state)
{
	const char *map =
		HEAD "require: [lat]\noutputs:\n"
		     "  - dataset: displacement\n"
		     "    columns:\n"
		     "      id: \"r{@row}\"\n"
		     "      event: test\n      date_from: \"2023\"\n"
		     "      date_to: \"\"\n      group: IDPs\n      origin: Mira\n"
		     "      destination: unknown\n      value: \"5\"\n"
		     "      value_high: \"\"\n      value_best: \"{best}\"\n"
		     "      qualifier: exact\n      reported_by: X\n"
		     "      source: \"{@source}\"\n      stated_as: \"\"\n"
		     "      flow_stock: \"{fs}\"\n      latitude: \"{lat}\"\n"
		     "      longitude: \"{lon}\"\n";
	char mpath[512], epath[512], into[256], *text = NULL;
	const char *files[1];
	struct import_opts o;
	struct import_result res;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct diag_sink sink = {out, 0, 0, 0};
	struct diag d;

	(void)state;
	assert_non_null(out);
	snprintf(mpath, sizeof mpath, "%s", write_tmp("opt.yaml", map));
	snprintf(epath, sizeof epath, "%s",
		 write_tmp("o.csv", "lat,lon,fs,best\n-44.5,-179.9,flow,3\n"
				    "95,20,stock,4\n10,181,stocks,-1\n"));
	snprintf(into, sizeof into, "%.200s/opt", tmpdir);
	files[0] = epath;
	memset(&o, 0, sizeof o);
	o.map = mpath;
	o.into = into;
	o.accessed = "2024-01-01";
	o.files = files;
	o.nfiles = 1;
	memset(&d, 0, sizeof d);
	assert_int_equal(import_run(&o, &res, &sink, &d), BRIEF_EDATA);
	fclose(out);
	assert_non_null(strstr(text, ":4:"));
	assert_non_null(strstr(text, "error: '95' is not a latitude in decimal degrees (-90 to 90)"));
	assert_non_null(strstr(text, "error: '181' is not a longitude in decimal degrees (-180 to 180)"));
	assert_non_null(strstr(text, "error: unknown flow_stock 'stocks' (expected one of: flow, stock)"));
	assert_non_null(strstr(text, "error: '-1' is not a non-negative number in 'value_best'"));
	assert_null(strstr(text, "-44.5"));
	assert_int_equal(access(into, F_OK) == 0 ? 1 : 0, 1); /* made, empty */
	snprintf(epath, sizeof epath, "%.200s/displacement.csv", into);
	assert_int_equal(access(epath, F_OK), -1);
	free(text);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),	   cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_csv_line),   cmocka_unit_test(test_delimiters),
		cmocka_unit_test(test_map_errors), cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_aggregate), cmocka_unit_test(test_optional_columns),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
