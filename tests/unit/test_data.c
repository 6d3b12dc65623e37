/* test_data.c — dates, qualifiers, the wording of figures, number
 * formatting, dataset names, and data_scan / sources_load over a small
 * fixture written to a temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "data.h"

/* ---- dates ------------------------------------------------------------ */

static struct date D(int y, int m, int d)
{
	struct date x = {y, m, d};

	return x;
}

static void assert_date(const char *s, int y, int m, int d)
{
	struct date x = {-1, -1, -1};

	if (!date_parse(s, strlen(s), &x))
		fail_msg("date_parse rejected '%s'", s);
	assert_int_equal(x.year, y);
	assert_int_equal(x.month, m);
	assert_int_equal(x.day, d);
}

static void assert_not_date(const char *s)
{
	struct date x = {7, 7, 7};

	if (date_parse(s, strlen(s), &x))
		fail_msg("date_parse accepted '%s'", s);
	/* A rejected date leaves the output alone. */
	assert_int_equal(x.year, 7);
	assert_int_equal(x.month, 7);
	assert_int_equal(x.day, 7);
}

static void test_date_parse(void **state)
{
	struct date x;

	(void)state;
	assert_date("2023", 2023, 0, 0);
	assert_date("2023-09", 2023, 9, 0);
	assert_date("2023-09-19", 2023, 9, 19);
	assert_date("1918-05-28", 1918, 5, 28);
	assert_date("2024-02-29", 2024, 2, 29); /* leap year */
	assert_date("2000-02-29", 2000, 2, 29); /* divisible by 400 */
	assert_date("2023-12-31", 2023, 12, 31);
	assert_date("0001", 1, 0, 0);
	assert_not_date("2023-13");
	assert_not_date("2023-00");
	assert_not_date("2023-02-30");
	assert_not_date("2023-02-29"); /* not a leap year */
	assert_not_date("1900-02-29"); /* divisible by 100, not 400 */
	assert_not_date("2023-04-31");
	assert_not_date("2023-09-00");
	assert_not_date("2023-09-32");
	assert_not_date("23-09-01");
	assert_not_date("2023-9-1");
	assert_not_date("2023-9");
	assert_not_date("2023/09/19");
	assert_not_date("19-09-2023");
	assert_not_date("2023-09-19T10:00");
	assert_not_date(" 2023");
	assert_not_date("2023 ");
	assert_not_date("0000");
	assert_not_date("");
	assert_not_date("unknown");
	assert_not_date("20a3");
	/* Only len bytes are read. */
	assert_true(date_parse("2023-09-19xyz", 10, &x));
	assert_int_equal(x.day, 19);
	assert_true(date_parse("2023-09-19", 7, &x));
	assert_int_equal(x.month, 9);
	assert_int_equal(x.day, 0);
}

static void test_date_days(void **state)
{
	struct date d;

	(void)state;
	d = D(1970, 1, 1);
	assert_int_equal(date_days(&d), 0);
	assert_int_equal(date_days_end(&d), 0);
	d = D(1969, 12, 31);
	assert_int_equal(date_days(&d), -1);
	d = D(2000, 3, 1);
	assert_int_equal(date_days(&d), 11017);
	d = D(2023, 9, 19);
	assert_int_equal(date_days(&d), 19619);
	assert_int_equal(date_days_end(&d), 19619);
	d = D(1918, 5, 28);
	assert_int_equal(date_days(&d), -18846);
	/* A year covers 1 January to 31 December. */
	d = D(2023, 0, 0);
	assert_int_equal(date_days(&d), 19358);
	assert_int_equal(date_days_end(&d), 19722);
	/* A month covers its first to its last day, leap Februaries too. */
	d = D(2024, 2, 0);
	assert_int_equal(date_days(&d), 19754);
	assert_int_equal(date_days_end(&d), 19782);
	d = D(2023, 2, 0);
	assert_int_equal(date_days_end(&d) - date_days(&d), 27);
	d = D(2023, 12, 0);
	assert_int_equal(date_days_end(&d), 19722);
}

static void test_date_cmp(void **state)
{
	struct date y = D(2023, 0, 0), m = D(2023, 1, 0), d = D(2023, 1, 1),
		    d2 = D(2023, 1, 2), prev = D(2022, 12, 31),
		    sep = D(2023, 9, 0), sep19 = D(2023, 9, 19);

	(void)state;
	/* Same first day: coarser first. */
	assert_true(date_cmp(&y, &m) < 0);
	assert_true(date_cmp(&m, &d) < 0);
	assert_true(date_cmp(&y, &d) < 0);
	assert_true(date_cmp(&d, &y) > 0);
	assert_true(date_cmp(&d, &m) > 0);
	/* Otherwise by first day. */
	assert_true(date_cmp(&d, &d2) < 0);
	assert_true(date_cmp(&d2, &d) > 0);
	assert_true(date_cmp(&prev, &y) < 0);
	assert_true(date_cmp(&y, &prev) > 0);
	assert_true(date_cmp(&sep, &sep19) < 0);
	assert_true(date_cmp(&d2, &sep) < 0);
	assert_int_equal(date_cmp(&sep19, &sep19), 0);
	assert_int_equal(date_cmp(&y, &y), 0);
}

static void test_date_format_long(void **state)
{
	char buf[64], small[8];
	struct date d;

	(void)state;
	d = D(2023, 9, 19);
	assert_string_equal(date_format_long(&d, buf, sizeof buf),
			    "19 September 2023");
	d = D(1918, 5, 1);
	assert_string_equal(date_format_long(&d, buf, sizeof buf),
			    "1 May 1918");
	d = D(1994, 5, 0);
	assert_string_equal(date_format_long(&d, buf, sizeof buf), "May 1994");
	d = D(2020, 11, 0);
	assert_string_equal(date_format_long(&d, buf, sizeof buf),
			    "November 2020");
	d = D(1988, 0, 0);
	assert_string_equal(date_format_long(&d, buf, sizeof buf), "1988");
	d = D(2023, 1, 31);
	assert_string_equal(date_format_long(&d, buf, sizeof buf),
			    "31 January 2023");
	d = D(2023, 12, 0);
	assert_string_equal(date_format_long(&d, buf, sizeof buf),
			    "December 2023");
	/* Truncates, NUL-terminated, and returns buf. */
	d = D(2023, 9, 19);
	assert_ptr_equal(date_format_long(&d, small, sizeof small), small);
	assert_string_equal(small, "19 Sept");
}

/* ---- qualifiers and figures ------------------------------------------ */

static void test_qualifier(void **state)
{
	static const struct {
		const char *name;
		enum qualifier q;
	} all[] = {{"exact", QUAL_EXACT},	  {"about", QUAL_ABOUT},
		   {"at_least", QUAL_AT_LEAST},	  {"more_than", QUAL_MORE_THAN},
		   {"nearly", QUAL_NEARLY},	  {"at_most", QUAL_AT_MOST},
		   {"range", QUAL_RANGE}};
	enum qualifier q;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof all / sizeof *all; i++) {
		q = QUAL_EXACT;
		assert_true(qualifier_parse(all[i].name, &q));
		assert_int_equal(q, all[i].q);
		assert_string_equal(qualifier_name(all[i].q), all[i].name);
	}
	q = QUAL_NEARLY;
	assert_false(qualifier_parse("approximately", &q));
	assert_false(qualifier_parse("", &q));
	assert_false(qualifier_parse("Exact", &q));
	assert_false(qualifier_parse("at least", &q));
	assert_false(qualifier_parse("exact ", &q));
	assert_int_equal(q, QUAL_NEARLY);
}

static void assert_figure(double v, bool has_high, double high,
			  enum qualifier q, const char *unit, const char *want)
{
	char buf[64];

	assert_ptr_equal(figure_format(v, has_high, high, q, unit, buf,
				       sizeof buf),
			 buf);
	assert_string_equal(buf, want);
}

static void test_figure_format(void **state)
{
	(void)state;
	assert_figure(8000, false, 0, QUAL_MORE_THAN, NULL, "more than 8,000");
	assert_figure(50000, true, 120000, QUAL_RANGE, NULL,
		      "50,000\xE2\x80\x93" "120,000");
	assert_figure(20, false, 0, QUAL_NEARLY, "percent", "nearly 20%");
	assert_figure(1000000, false, 0, QUAL_EXACT, NULL, "1,000,000");
	assert_figure(215, false, 0, QUAL_AT_LEAST, "", "at least 215");
	assert_figure(19.5, false, 0, QUAL_ABOUT, "percent", "about 19.5%");
	assert_figure(10, true, 20, QUAL_RANGE, "percent",
		      "10\xE2\x80\x93" "20%");
	/* Other units follow as nouns; km2 as km², count and rank not at all;
	 * singular for exactly one. */
	assert_figure(120000, false, 0, QUAL_ABOUT, "people",
		      "about 120,000 people");
	assert_figure(24, false, 0, QUAL_AT_MOST, "hours", "at most 24 hours");
	assert_figure(44, false, 0, QUAL_EXACT, "days", "44 days");
	assert_figure(1, false, 0, QUAL_EXACT, "days", "1 day");
	assert_figure(1, true, 2, QUAL_RANGE, "days",
		      "1\xE2\x80\x93" "2 days");
	assert_figure(4400, false, 0, QUAL_EXACT, "km2", "4,400 km\xC2\xB2");
	assert_figure(12, false, 0, QUAL_EXACT, "count", "12");
	assert_figure(3, false, 0, QUAL_EXACT, "rank", "3");
	/* A high equal to the value is no range. */
	assert_figure(2000, true, 2000, QUAL_ABOUT, NULL, "about 2,000");
	assert_figure(0, false, 0, QUAL_EXACT, NULL, "0");
}

static void assert_number(double v, int decimals, const char *want)
{
	char buf[64];

	assert_ptr_equal(number_format(v, decimals, buf, sizeof buf), buf);
	assert_string_equal(buf, want);
}

static void test_number_format(void **state)
{
	char small[4];

	(void)state;
	assert_number(0, 0, "0");
	assert_number(7, 0, "7");
	assert_number(999, 0, "999");
	assert_number(1000, 0, "1,000");
	assert_number(12345, 0, "12,345");
	assert_number(123456, 0, "123,456");
	assert_number(1234567, 0, "1,234,567");
	assert_number(1000000000, 0, "1,000,000,000");
	assert_number(-1234, 0, "-1,234");
	assert_number(-123456, 0, "-123,456");
	assert_number(1234.5, 1, "1,234.5");
	assert_number(1234.5, 2, "1,234.50");
	assert_number(1234567.25, 2, "1,234,567.25");
	/* Automatic decimals: none for whole numbers, else one or two. */
	assert_number(450000, -1, "450,000");
	assert_number(19.5, -1, "19.5");
	assert_number(0.25, -1, "0.25");
	assert_number(2.75, -1, "2.75");
	assert_number(1500.1, -1, "1,500.1");
	/* Truncated to the buffer, still NUL-terminated. */
	number_format(1234567, 0, small, sizeof small);
	assert_string_equal(small, "1,2");
}

static void test_dataset_kind(void **state)
{
	static const char *const names[DS_COUNT] = {
		"casualties", "displacement", "control", "figures", "events"};
	enum dataset_kind k;
	const char *const *cols;
	size_t n;
	int i;

	(void)state;
	for (i = 0; i < DS_COUNT; i++) {
		k = DS_COUNT;
		assert_true(dataset_kind_parse(names[i], &k));
		assert_int_equal(k, i);
		assert_string_equal(dataset_name((enum dataset_kind)i),
				    names[i]);
	}
	k = DS_EVENTS;
	assert_false(dataset_kind_parse("sources", &k));
	assert_false(dataset_kind_parse("Casualties", &k));
	assert_false(dataset_kind_parse("casualties.csv", &k));
	assert_false(dataset_kind_parse("", &k));
	assert_int_equal(k, DS_EVENTS);

	cols = dataset_columns(DS_EVENTS, &n);
	assert_int_equal(n, 5);
	assert_string_equal(cols[0], "id");
	assert_string_equal(cols[1], "date");
	assert_string_equal(cols[2], "kind");
	assert_string_equal(cols[3], "title");
	assert_string_equal(cols[4], "source");
	cols = dataset_columns(DS_CASUALTIES, &n);
	assert_int_equal(n, 14);
	assert_string_equal(cols[7], "value");
	assert_string_equal(cols[8], "value_high");
	assert_string_equal(cols[13], "note");
	cols = dataset_columns(DS_CONTROL, &n);
	assert_int_equal(n, 13);
	assert_string_equal(cols[6], "unit");
}

/* Dataset names: a schema's name, optionally '-' and a label. */
static void test_dataset_names(void **state)
{
	struct dataset d;
	struct datasets l;
	char buf[64], dir[] = "/tmp/brief-dsnames.XXXXXX", path[256];
	static const char *const files[] = {
		"casualties-acled.csv", "displacement-idmc.csv", "events-acled.csv",
		"casualties-ACLED.csv", "sources-acled.csv", "casualties.csv",
		"casualtiesx.csv", "notes.txt", NULL};
	struct diag err;
	size_t i;

	(void)state;
	assert_true(dataset_parse("casualties", &d));
	assert_int_equal(d.kind, DS_CASUALTIES);
	assert_string_equal(d.name, "casualties");
	assert_true(dataset_parse("casualties-acled", &d));
	assert_int_equal(d.kind, DS_CASUALTIES);
	assert_string_equal(d.name, "casualties-acled");
	assert_true(dataset_parse("displacement-idmc-2023_v2", &d));
	assert_int_equal(d.kind, DS_DISPLACEMENT);
	assert_false(dataset_parse("casualties-", &d));
	assert_false(dataset_parse("casualties--x", &d));
	assert_false(dataset_parse("casualties-_x", &d));
	assert_false(dataset_parse("casualties-ACLED", &d));
	assert_false(dataset_parse("casualties-a.b", &d));
	assert_false(dataset_parse("casualtiesx", &d));
	assert_false(dataset_parse("sources-acled", &d));
	assert_false(dataset_parse("acled", &d));
	assert_false(dataset_parse("casualties-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
				   &d));
	assert_true(dataset_sources_name("sources"));
	assert_true(dataset_sources_name("sources-acled"));
	assert_false(dataset_sources_name("sources-"));
	assert_false(dataset_sources_name("sourcesx"));
	assert_false(dataset_sources_name("casualties-acled"));

	/* A directory's list: the plain five first (index = kind), then the
	 * labelled files by schema and name; sources files apart. */
	assert_non_null(mkdtemp(dir));
	for (i = 0; files[i]; i++) {
		FILE *f;

		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		f = fopen(path, "w");
		assert_non_null(f);
		fclose(f);
	}
	assert_int_equal(datasets_list(dir, &l, NULL, &err), BRIEF_OK);
	assert_int_equal(l.n, DS_COUNT + 3);
	for (i = 0; i < DS_COUNT; i++)
		assert_string_equal(l.v[i].name,
				    dataset_name((enum dataset_kind)i));
	assert_string_equal(l.v[DS_COUNT].name, "casualties-acled");
	assert_string_equal(l.v[DS_COUNT + 1].name, "displacement-idmc");
	assert_string_equal(l.v[DS_COUNT + 2].name, "events-acled");
	assert_int_equal(l.nsources, 2);
	assert_string_equal(l.sources[0], "sources");
	assert_string_equal(l.sources[1], "sources-acled");
	assert_int_equal(datasets_find(&l, "events-acled"), DS_COUNT + 2);
	assert_int_equal(datasets_find(&l, "casualties"), DS_CASUALTIES);
	assert_int_equal(datasets_find(&l, "casualties-ACLED"), -1);
	assert_string_equal(datasets_names(&l, buf, sizeof buf),
			    "casualties, casualties-acled, displacement, ...");
	{
		char big[256];

		assert_string_equal(datasets_names(&l, big, sizeof big),
				    "casualties, casualties-acled, displacement, "
				    "displacement-idmc, control, figures, events, "
				    "events-acled");
	}
	for (i = 0; files[i]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	assert_int_equal(datasets_list(dir, &l, NULL, &err), BRIEF_EDATA);
}

/* ---- data_scan over a fixture ----------------------------------------- */

static char fixdir[64];

static const char fix_sources[] =
	"id,title,publisher,author,published,url,accessed,kind,language,"
	"archive,note\n"
	"#meta+id,#meta+title,#org+publisher,#contact+author,#date+published,"
	"#meta+url,#date+accessed,#meta+kind,#meta+lang,#meta+archive,"
	"#description+notes\n"
	"src-a,Report,Monitor,Jane Roe,2021-03-01,https://example.org/r,"
	"2024-01-10,ngo,en,a.txt,\n"
	"src-b,\"Statement, official\",Ministry,unknown,unknown,,unknown,"
	"official,hy,,\"Armenian text\"\n";

/* No HXL row, no note column, an extra column, multibyte text, a quoted
 * newline: the typed views must still line up. */
static const char fix_casualties[] =
	"id,event,date_from,date_to,party,category,population,value,"
	"value_high,qualifier,reported_by,source,stated_as,extra\n"
	"c1,2020 war,2020-09-27,2020-11-10,\xD5\x80\xD5\xA1\xD5\xB5,killed,"
	"military,2425,,more_than,Ministry A,src-a,more than 2425,x1\n"
	"c2,2020 war,2020-09,,B,wounded,all,3000,4000,range,\"Monitor,\n"
	"two lines\",src-b,,x2\n"
	"c3,1992 war,1992,,C,killed,civilian,100,,exact,M,src-a,,\n";

static const char fix_control[] =
	"id,date,area,controller,value,value_high,unit,of,qualifier,"
	"reported_by,source,stated_as,note\n"
	"#meta+id,#date,#adm1+name,#org+controller,#value,#value+max,"
	"#indicator+unit,#indicator+of,#meta+qualifier,#meta+reported_by,"
	"#meta+source,#meta+stated,#description+notes\n"
	"k1,2020-11,NK,A,19.5,,percent,territory,nearly,M,src-a,,\n"
	"k2,2023-10-01,NK,B,4400,,km2,,exact,M,src-b,,\n";

/* One bad row (unknown category) between good ones. */
static const char fix_displacement[] =
	"id,event,date_from,date_to,group,origin,destination,value,value_high,"
	"qualifier,reported_by,source,stated_as,note\n"
	"d1,E,1988,1994,G,O,D,1,,exact,M,src-a,,\n"
	"d2,E,1988,1987,G,O,D,1,,exact,M,src-a,,\n"
	"d3,E,2023-09-24,2023-10-03,G,O,D,100000,,about,M,src-z,,\n"
	"d4,E,1991,,G,O,D,5,,exact,M,src-b,,\n";

static const char fix_figures[] =
	"id,date,subject,measure,value,value_high,unit,qualifier,reported_by,"
	"source,stated_as,note\n"
	"f1,2020,S,M,44,,days,exact,M,src-a,,\n";

static const char fix_events[] =
	"id,date,kind,title,source\n"
	"e1,1918-05,political,Independence,src-a\n"
	"e2,2023-09-19,offensive,Offensive,src-b\n";

static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", fixdir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(fixdir, sizeof fixdir, "/tmp/brief-test-data-XXXXXX");
	if (!mkdtemp(fixdir))
		return -1;
	write_file("sources.csv", fix_sources);
	write_file("casualties.csv", fix_casualties);
	write_file("control.csv", fix_control);
	write_file("displacement.csv", fix_displacement);
	write_file("figures.csv", fix_figures);
	write_file("events.csv", fix_events);
	return 0;
}

static int teardown(void **state)
{
	static const char *const files[] = {
		"sources.csv", "casualties.csv", "control.csv",
		"displacement.csv", "figures.csv", "events.csv"};
	char path[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof files / sizeof *files; i++) {
		snprintf(path, sizeof path, "%s/%s", fixdir, files[i]);
		unlink(path);
	}
	rmdir(fixdir);
	return 0;
}

/* A copy of what a row callback saw. */
struct seen {
	char id[32], source[32], reported_by[64], extra[16], note[16];
	char party_field[32];
	long line, party_col, value_col;
	double value, high;
	bool has_high;
	enum qualifier q;
	struct date date, date_to;
	int extra_idx, note_idx;
};

struct seen_list {
	struct seen v[16];
	size_t n;
	size_t stop_after; /* return BRIEF_EIO after this many rows; 0: never */
};

static void copy_str(char *dst, size_t size, const char *src)
{
	assert_true(strlen(src) < size);
	strcpy(dst, src);
}

static enum brief_status keep_row(void *ctx, const struct data_row *row,
				  struct diag *err)
{
	struct seen_list *l = ctx;
	struct seen *s;
	int pc = data_row_column(row, "party"), vc = data_row_column(row,
								      "value");

	assert_true(l->n < 16);
	s = &l->v[l->n++];
	copy_str(s->id, sizeof s->id, row->id);
	copy_str(s->source, sizeof s->source, row->source);
	copy_str(s->reported_by, sizeof s->reported_by, row->reported_by);
	copy_str(s->extra, sizeof s->extra, data_row_get(row, "extra"));
	copy_str(s->note, sizeof s->note, data_row_get(row, "note"));
	copy_str(s->party_field, sizeof s->party_field,
		 data_row_get(row, "party"));
	s->extra_idx = data_row_column(row, "extra");
	s->note_idx = data_row_column(row, "note");
	s->line = row->line;
	s->party_col = pc >= 0 ? row->col[pc] : 0;
	s->value_col = vc >= 0 ? row->col[vc] : 0;
	s->value = row->value;
	s->high = row->high;
	s->has_high = row->has_high;
	s->q = row->qualifier;
	s->date = row->date;
	s->date_to = row->date_to;
	/* The id's typed view is the id field itself. */
	assert_string_equal(row->id, row->field[data_row_column(row, "id")]);
	if (l->stop_after && l->n == l->stop_after)
		return diag_set(err, BRIEF_EIO, row->file, row->line, 0,
				"stop");
	return BRIEF_OK;
}

static void assert_same_date(struct date a, int y, int m, int d)
{
	assert_int_equal(a.year, y);
	assert_int_equal(a.month, m);
	assert_int_equal(a.day, d);
}

static void test_sources_load(void **state)
{
	struct sources s;
	struct diag err;
	struct diag_sink sink = {NULL, 0, 0, 0};
	const struct source *b;
	char path[128];

	(void)state;
	assert_int_equal(sources_load(fixdir, &s, &sink, &err), BRIEF_OK);
	assert_int_equal(sink.errors, 0);
	assert_int_equal(s.n, 2);
	snprintf(path, sizeof path, "%s/sources.csv", fixdir);
	assert_string_equal(s.path, path);
	assert_string_equal(s.v[0].id, "src-a");
	assert_string_equal(s.v[0].url, "https://example.org/r");
	assert_string_equal(s.v[0].archive, "a.txt");
	assert_string_equal(s.v[0].note, "");
	assert_int_equal(s.v[0].line, 3);
	b = sources_find(&s, "src-b");
	assert_ptr_equal(b, &s.v[1]);
	assert_string_equal(b->title, "Statement, official");
	assert_string_equal(b->url, "");
	assert_string_equal(b->language, "hy");
	assert_string_equal(b->note, "Armenian text");
	assert_int_equal(b->line, 4);
	assert_null(sources_find(&s, "src-c"));
	assert_null(sources_find(&s, ""));
	sources_free(&s);
	assert_int_equal(s.n, 0);
	sources_free(&s); /* twice is fine */
	sources_free(NULL);
}

static void test_scan_typed_views(void **state)
{
	struct sources s;
	struct diag err;
	struct diag_sink sink = {NULL, 0, 0, 0};
	struct seen_list l;

	(void)state;
	memset(&l, 0, sizeof l);
	assert_int_equal(sources_load(fixdir, &s, &sink, &err), BRIEF_OK);
	assert_int_equal(data_scan(fixdir, DS_CASUALTIES, &s, keep_row, &l,
				   &sink, &err),
			 BRIEF_OK);
	assert_int_equal(sink.errors, 0);
	assert_int_equal(l.n, 3);

	assert_string_equal(l.v[0].id, "c1");
	assert_int_equal(l.v[0].line, 2);
	assert_string_equal(l.v[0].source, "src-a");
	assert_string_equal(l.v[0].reported_by, "Ministry A");
	assert_string_equal(l.v[0].party_field, "\xD5\x80\xD5\xA1\xD5\xB5");
	assert_int_equal(l.v[0].party_col, 35);
	/* "Հայ" is three code points: value starts at 35+3+1+7+9 = 55. */
	assert_int_equal(l.v[0].value_col, 55);
	assert_true(l.v[0].value == 2425);
	assert_false(l.v[0].has_high);
	assert_int_equal(l.v[0].q, QUAL_MORE_THAN);
	assert_same_date(l.v[0].date, 2020, 9, 27);
	assert_same_date(l.v[0].date_to, 2020, 11, 10);
	assert_string_equal(l.v[0].extra, "x1");
	assert_int_equal(l.v[0].extra_idx, 13);
	/* No note column in this file. */
	assert_int_equal(l.v[0].note_idx, -1);
	assert_string_equal(l.v[0].note, "");

	assert_string_equal(l.v[1].id, "c2");
	assert_int_equal(l.v[1].line, 3);
	assert_true(l.v[1].value == 3000);
	assert_true(l.v[1].has_high);
	assert_true(l.v[1].high == 4000);
	assert_int_equal(l.v[1].q, QUAL_RANGE);
	assert_same_date(l.v[1].date, 2020, 9, 0);
	assert_int_equal(l.v[1].date_to.year, 0);
	assert_string_equal(l.v[1].reported_by, "Monitor,\ntwo lines");
	assert_string_equal(l.v[1].source, "src-b");
	assert_string_equal(l.v[1].extra, "x2");

	/* After the quoted newline the lines still count. */
	assert_string_equal(l.v[2].id, "c3");
	assert_int_equal(l.v[2].line, 5);
	assert_same_date(l.v[2].date, 1992, 0, 0);
	assert_int_equal(l.v[2].q, QUAL_EXACT);

	/* Percent allows decimals; a dataset with a HXL row starts data on
	 * line 3. */
	memset(&l, 0, sizeof l);
	assert_int_equal(data_scan(fixdir, DS_CONTROL, &s, keep_row, &l, &sink,
				   &err),
			 BRIEF_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].line, 3);
	assert_true(l.v[0].value == 19.5);
	assert_int_equal(l.v[0].q, QUAL_NEARLY);
	assert_same_date(l.v[0].date, 2020, 11, 0);
	assert_same_date(l.v[1].date, 2023, 10, 1);
	assert_string_equal(l.v[1].reported_by, "M");

	/* Events have no value: the typed view is 0. */
	memset(&l, 0, sizeof l);
	assert_int_equal(data_scan(fixdir, DS_EVENTS, &s, keep_row, &l, &sink,
				   &err),
			 BRIEF_OK);
	assert_int_equal(l.n, 2);
	assert_true(l.v[0].value == 0);
	assert_false(l.v[0].has_high);
	assert_string_equal(l.v[0].reported_by, "");
	assert_string_equal(l.v[1].source, "src-b");
	assert_same_date(l.v[1].date, 2023, 9, 19);
	sources_free(&s);
}

/* Invalid rows go to the sink and are not passed on; the rest are. */
static void test_scan_invalid_rows(void **state)
{
	struct sources s;
	struct diag err;
	struct diag_sink sink = {NULL, 0, 0, 0};
	struct seen_list l;
	char path[128];

	(void)state;
	memset(&l, 0, sizeof l);
	assert_int_equal(sources_load(fixdir, &s, &sink, &err), BRIEF_OK);
	assert_int_equal(data_scan(fixdir, DS_DISPLACEMENT, &s, keep_row, &l,
				   &sink, &err),
			 BRIEF_EDATA);
	assert_int_equal(sink.errors, 2); /* d2's dates, d3's source */
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].id, "d1");
	assert_string_equal(l.v[1].id, "d4");

	/* Without a sink the first invalid row is the error. */
	memset(&l, 0, sizeof l);
	assert_int_equal(data_scan(fixdir, DS_DISPLACEMENT, &s, keep_row, &l,
				   NULL, &err),
			 BRIEF_EDATA);
	snprintf(path, sizeof path, "%s/displacement.csv", fixdir);
	assert_string_equal(err.file, path);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.col, 11);
	assert_string_equal(err.msg, "date_to 1987 is before date_from 1988");
	assert_string_equal(err.quote, "d2,E,1988,1987,G,O,D,1,,exact,M,src-a,,");
	assert_int_equal(l.n, 1);

	/* Without sources the source column is not checked. */
	memset(&l, 0, sizeof l);
	sink.errors = 0;
	assert_int_equal(data_scan(fixdir, DS_DISPLACEMENT, NULL, keep_row, &l,
				   &sink, &err),
			 BRIEF_EDATA);
	assert_int_equal(sink.errors, 1);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[1].source, "src-z");
	sources_free(&s);
}

/* The callback's status stops the scan and is returned. */
static void test_scan_callback_stops(void **state)
{
	struct diag err;
	struct diag_sink sink = {NULL, 0, 0, 0};
	struct seen_list l;

	(void)state;
	memset(&l, 0, sizeof l);
	l.stop_after = 1;
	assert_int_equal(data_scan(fixdir, DS_EVENTS, NULL, keep_row, &l,
				   &sink, &err),
			 BRIEF_EIO);
	assert_string_equal(err.msg, "stop");
	assert_int_equal(l.n, 1);
	/* fn may be NULL: validate only. */
	assert_int_equal(data_scan(fixdir, DS_EVENTS, NULL, NULL, NULL, &sink,
				   &err),
			 BRIEF_OK);
}

static void test_scan_missing_file(void **state)
{
	struct diag err;
	struct diag_sink sink = {NULL, 0, 0, 0};
	struct sources s;

	(void)state;
	/* A missing input is invalid input naming its path (exit 1), not an
	 * I/O error (exit 3). */
	assert_int_equal(data_scan("/nonexistent-brief-dir", DS_EVENTS, NULL,
				   NULL, NULL, &sink, &err),
			 BRIEF_EDATA);
	assert_int_equal(sink.errors, 1);
	assert_string_equal(err.file, "/nonexistent-brief-dir/events.csv");
	assert_string_equal(err.msg, "no such file");
	err.msg[0] = '\0';
	assert_int_equal(sources_load("/nonexistent-brief-dir", &s, &sink,
				      &err),
			 BRIEF_EDATA);
	assert_string_equal(err.file, "/nonexistent-brief-dir");
	assert_string_equal(err.msg, "no such directory");
	assert_int_equal(sink.errors, 1); /* left to the caller to place */
	assert_int_equal(s.n, 0);
	sources_free(&s);
}

static void test_check_dir_and_latest(void **state)
{
	struct diag err;
	struct diag_sink sink = {NULL, 0, 0, 0};
	struct date d;
	size_t rows = 0;

	(void)state;
	/* 2 sources + 3 + 2 valid displacement + 2 + 1 + 2 rows. */
	assert_int_equal(data_check_dir(fixdir, NULL, &sink, &rows, &err),
			 BRIEF_EDATA);
	assert_int_equal(sink.errors, 2);
	assert_int_equal(rows, 12);

	assert_int_equal(data_latest_date("datasets", NULL, &d, &err),
			 BRIEF_OK);
	assert_true(d.year >= 2023);

	/* The shipped datasets are valid. */
	sink.errors = 0;
	assert_int_equal(data_check_dir("datasets", NULL, &sink, &rows, &err),
			 BRIEF_OK);
	assert_int_equal(sink.errors, 0);
	assert_true(rows > 50);
}

/* ---- fixes with their own small directories ---------------------------- */

/* A scratch directory with fixdir's files, some replaced: names[i] gets
 * texts[i] (NULL text: the file is removed). */
static void scratch_dir(char *dir, size_t size, const char *const *names,
			const char *const *texts, size_t n)
{
	static const char *const base[] = {
		"sources.csv", "casualties.csv", "control.csv",
		"displacement.csv", "figures.csv", "events.csv"};
	static const char *const base_text[] = {
		fix_sources, fix_casualties, fix_control,
		fix_displacement, fix_figures, fix_events};
	char path[256];
	size_t i;
	FILE *f;

	snprintf(dir, size, "/tmp/brief-test-data2-XXXXXX");
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < 6 + n; i++) {
		const char *name = i < 6 ? base[i] : names[i - 6];
		const char *text = i < 6 ? base_text[i] : texts[i - 6];

		snprintf(path, sizeof path, "%s/%s", dir, name);
		if (!text) {
			unlink(path);
			continue;
		}
		f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
		assert_int_equal(fclose(f), 0);
	}
}

static void scratch_free(const char *dir)
{
	char cmd[300];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* A sink that keeps what it is given, in a memory stream. */
struct capture {
	char *text;
	size_t len;
	FILE *f;
	struct diag_sink sink;
};

static void capture_open(struct capture *c)
{
	memset(c, 0, sizeof *c);
	c->f = open_memstream(&c->text, &c->len);
	assert_non_null(c->f);
	c->sink.out = c->f;
}

static void capture_close(struct capture *c)
{
	fclose(c->f);
	c->f = NULL;
}

/* Whole numbers stay exact up to 2^53 and larger ones are refused with
 * their position: 9007199254740993 used to print as ...992. */
static void test_exact_integers(void **state)
{
	static const char figs[] =
		"id,date,subject,measure,value,value_high,unit,qualifier,"
		"reported_by,source,stated_as,note\n"
		"f1,2020,S,M,9007199254740992,,people,exact,M,src-a,,\n"
		"f2,2020,S,M,9007199254740993,,people,exact,M,src-a,,\n"
		"f3,2020,S,M,1,123456789012345678901234567890,people,range,M,"
		"src-a,,\n"
		"f4,2020,S,M,0,,people,exact,M,src-a,,\n";
	const char *names[] = {"figures.csv"}, *texts[] = {figs};
	char dir[64], buf[64];
	struct capture c;
	struct seen_list l;
	struct diag err;
	struct sources srcs;

	(void)state;
	scratch_dir(dir, sizeof dir, names, texts, 1);
	capture_open(&c);
	memset(&l, 0, sizeof l);
	assert_int_equal(sources_load(dir, &srcs, &c.sink, &err), BRIEF_OK);
	assert_int_equal(data_scan(dir, DS_FIGURES, &srcs, keep_row, &l,
				   &c.sink, &err),
			 BRIEF_EDATA);
	capture_close(&c);
	assert_int_equal(l.n, 2);
	assert_string_equal(figure_format(l.v[0].value, false, 0, QUAL_EXACT,
					  "", buf, sizeof buf),
			    "9,007,199,254,740,992");
	assert_true(l.v[1].value == 0); /* a zero is a figure */
	assert_non_null(strstr(c.text,
			       "/figures.csv:3:13: error: '9007199254740993' "
			       "is too large in 'value': figures are kept exact "
			       "up to 9007199254740992 (2^53)\n"));
	assert_non_null(strstr(c.text,
			       "/figures.csv:4:15: error: "
			       "'123456789012345678901234567890' is too large "
			       "in 'value_high'"));
	free(c.text);
	sources_free(&srcs);
	scratch_free(dir);
}

/* A sources.csv with a header and no rows is a valid, empty table: every
 * reference is unknown (the check used to skip them all). */
static void test_empty_sources_table(void **state)
{
	static const char empty[] =
		"id,title,publisher,author,published,url,accessed,kind,"
		"language,archive,note\n";
	const char *names[] = {"sources.csv"}, *texts[] = {empty};
	char dir[64];
	struct capture c;
	struct diag err;
	size_t rows = 0;

	(void)state;
	scratch_dir(dir, sizeof dir, names, texts, 1);
	capture_open(&c);
	assert_int_equal(data_check_dir(dir, NULL, &c.sink, &rows, &err),
			 BRIEF_EDATA);
	capture_close(&c);
	/* casualties 3 + control 2 + displacement 4 (3 references and d2's
	 * date) + figures 1 + events 2. */
	assert_non_null(strstr(c.text, "/casualties.csv:2:"));
	assert_non_null(strstr(c.text, "unknown source 'src-a' (not in "
				       "sources.csv)"));
	assert_non_null(strstr(c.text, "/events.csv:3:"));
	assert_int_equal(c.sink.errors, 12);
	free(c.text);
	scratch_free(dir);
}

/* events.kind is the data's own words; a vocabulary file may close it. */
static void test_event_kinds_open(void **state)
{
	static const char ev[] =
		"id,date,kind,title,source\n"
		"e1,2001,\xD0\xB2\xD1\x96\xD0\xB9\xD1\x81\xD1\x8C\xD0\xBA\xD0\xBE"
		"\xD0\xB2\xD0\xB5,Kind in Cyrillic,src-a\n"
		"e2,2002-03,military,Y,src-b\n"
		"e3,2003-04-05,diplomatic,Z,src-b\n";
	const char *names[] = {"events.csv"}, *texts[] = {ev};
	char dir[64];
	struct capture c;
	struct diag err;
	size_t rows = 0;

	(void)state;
	scratch_dir(dir, sizeof dir, names, texts, 1);
	capture_open(&c);
	assert_int_equal(data_scan(dir, DS_EVENTS, NULL, NULL, NULL, &c.sink,
				   &err),
			 BRIEF_OK);
	capture_close(&c);
	assert_int_equal(c.sink.errors, 0);
	free(c.text);
	scratch_free(dir);
	(void)rows;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_parse),
		cmocka_unit_test(test_date_days),
		cmocka_unit_test(test_date_cmp),
		cmocka_unit_test(test_date_format_long),
		cmocka_unit_test(test_qualifier),
		cmocka_unit_test(test_figure_format),
		cmocka_unit_test(test_number_format),
		cmocka_unit_test(test_dataset_kind),
		cmocka_unit_test(test_dataset_names),
		cmocka_unit_test(test_sources_load),
		cmocka_unit_test(test_scan_typed_views),
		cmocka_unit_test(test_scan_invalid_rows),
		cmocka_unit_test(test_scan_callback_stops),
		cmocka_unit_test(test_scan_missing_file),
		cmocka_unit_test(test_check_dir_and_latest),
		cmocka_unit_test(test_exact_integers),
		cmocka_unit_test(test_empty_sources_table),
		cmocka_unit_test(test_event_kinds_open),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
