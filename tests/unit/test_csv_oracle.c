/* test_csv_oracle.c — brief's CSV parser against libcsv (strict mode, no
 * trimming), the parser it replaced: the csv-spectrum files and random
 * inputs made of the bytes that matter (separators, quotes, every kind of
 * line end, spaces, tabs, multibyte UTF-8) must give the same records and
 * fields, and be refused by both or by neither. Inputs of every size up to
 * a few blocks of the loader go through a file, so reads of any length are
 * covered. Run from the repository root (tests/run.sh does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <csv.h>

#include "csv_load.h"

/* Records as a flat text: each field as "<len>:<bytes>", a record ended by
 * "\n". Owns text. */
struct flat {
	char *text;
	size_t len, cap;
	size_t nrec;
};

static void put(struct flat *f, const char *s, size_t n)
{
	if (f->len + n + 1 > f->cap) {
		f->cap = (f->len + n + 1) * 2;
		f->text = realloc(f->text, f->cap);
		assert_non_null(f->text);
	}
	memcpy(f->text + f->len, s, n);
	f->len += n;
	f->text[f->len] = '\0';
}

static void put_field(struct flat *f, const char *s, size_t n)
{
	char num[32];

	snprintf(num, sizeof num, "%zu:", n);
	put(f, num, strlen(num));
	put(f, s, n);
}

/* ---- libcsv ------------------------------------------------------------ */

static void on_field(void *s, size_t n, void *data)
{
	put_field(data, s ? s : "", n);
}

static void on_row(int c, void *data)
{
	struct flat *f = data;

	(void)c;
	put(f, "\n", 1);
	f->nrec++;
}

static int space_never(unsigned char c)
{
	(void)c;
	return 0;
}

/* 0 when libcsv accepts bytes. */
static int by_libcsv(const char *bytes, size_t n, struct flat *out)
{
	struct csv_parser p;
	int bad;

	assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
	csv_set_space_func(&p, space_never);
	/* libcsv keeps a BOM as text; brief skips it: feed what brief
	 * reads. */
	if (n >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) {
		bytes += 3;
		n -= 3;
	}
	bad = csv_parse(&p, bytes, n, on_field, on_row, out) != n;
	if (!bad)
		bad = csv_fini(&p, on_field, on_row, out) != 0;
	csv_free(&p);
	return bad;
}

/* ---- brief --------------------------------------------------------------- */

static enum brief_status on_record(void *ctx, const struct csv_record *rec,
				   struct diag *err)
{
	struct flat *f = ctx;
	size_t i;

	(void)err;
	for (i = 0; i < rec->nfields; i++) {
		assert_int_equal(rec->fields[i].text[rec->fields[i].len], '\0');
		put_field(f, rec->fields[i].text, rec->fields[i].len);
	}
	put(f, "\n", 1);
	f->nrec++;
	return BRIEF_OK;
}

static enum brief_status by_brief(const char *bytes, size_t n,
				  struct flat *out, struct diag *err)
{
	FILE *f = tmpfile();
	enum brief_status st;

	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	rewind(f);
	st = csv_load_stream(f, "t.csv", on_record, out, err);
	fclose(f);
	return st;
}

static int accepted; /* inputs both accepted: compared field by field */

/* The same records from both, or a refusal from both. */
static void compare(const char *bytes, size_t n, const char *what)
{
	struct flat a = {NULL, 0, 0, 0}, b = {NULL, 0, 0, 0};
	struct diag err;
	int lib_bad = by_libcsv(bytes, n, &a);
	enum brief_status st = by_brief(bytes, n, &b, &err);

	if (lib_bad != (st != BRIEF_OK))
		fail_msg("%s: libcsv %s, brief %s (%s:%ld:%ld: %s)", what,
			 lib_bad ? "refuses" : "accepts",
			 st == BRIEF_OK ? "accepts" : "refuses", err.file,
			 err.line, err.col, st == BRIEF_OK ? "" : err.msg);
	if (!lib_bad) {
		accepted++;
		if (a.nrec != b.nrec || a.len != b.len ||
		    (a.len && memcmp(a.text, b.text, a.len) != 0))
			fail_msg("%s: records differ:\nlibcsv: %s\nbrief:  %s",
				 what, a.text ? a.text : "",
				 b.text ? b.text : "");
	}
	free(a.text);
	free(b.text);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return s;
}

static void test_spectrum(void **state)
{
	static const char *const names[] = {
		"comma_in_quotes", "empty", "empty_crlf", "escaped_quotes",
		"json", "location_coordinates", "newlines", "newlines_crlf",
		"quotes_and_newlines", "simple", "simple_crlf", "utf8"};
	char path[256];
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof names / sizeof *names; i++) {
		char *s;

		snprintf(path, sizeof path, "tests/csv-spectrum/csvs/%s.csv",
			 names[i]);
		s = slurp(path, &len);
		compare(s, len, path);
		free(s);
	}
}

/* A fixed-seed generator, so a failure can be replayed. */
static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* Random text from the pieces a CSV parser has to get right. Mostly
 * well-formed quoting (so most inputs are accepted and compared field by
 * field), sometimes not. */
static size_t random_csv(char *buf, size_t max, int force_strict)
{
	static const char *const piece[] = {
		"a", "bc", ",", ",", "\n", "\r\n", "\r", " ", "\t", "\"",
		"\"\"", "\xC3\xA9", "\xD5\x80", "\xF0\x9F\x99\x82", "x y",
		"123", "\"q,\nr\"", "\"s\"\"t\"", "\"\"", ",,", "\n\n"};
	size_t n = 0, want = 1 + rnd((unsigned)max / 2);
	int in_quote = 0, strict = force_strict || rnd(4) != 0;

	if (!force_strict && rnd(20) == 0) {
		memcpy(buf, "\xEF\xBB\xBF", 3);
		n = 3;
	}
	while (n + 8 < max && n < want) {
		const char *p;

		if (strict) {
			/* Whole quoted fields only, at field starts. */
			int at_start = n == 0 || buf[n - 1] == ',' ||
				       buf[n - 1] == '\n' || buf[n - 1] == '\r';
			unsigned k = rnd(sizeof piece / sizeof *piece);

			int after_quote = n > 0 && buf[n - 1] == '"';

			p = piece[k];
			if (p[0] == '"' && (!at_start || strcmp(p, "\"") == 0))
				p = "z";
			/* After a closing quote: a separator or a line end. */
			if (after_quote && strchr(",\r\n", p[0]) == NULL)
				p = ",";
		} else {
			p = piece[rnd(sizeof piece / sizeof *piece)];
		}
		if (strcmp(p, "\"") == 0)
			in_quote = !in_quote;
		memcpy(buf + n, p, strlen(p));
		n += strlen(p);
	}
	(void)in_quote;
	return n;
}

static void test_random(void **state)
{
	char buf[512], what[64];
	int i;

	(void)state;
	accepted = 0;
	for (i = 0; i < 5000; i++) {
		size_t n = random_csv(buf, sizeof buf, 0);

		snprintf(what, sizeof what, "random input %d", i);
		compare(buf, n, what);
	}
	/* Most inputs are well-formed: the comparison is not vacuous. */
	print_message("# %d of 5000 random inputs accepted by both\n",
		      accepted);
	assert_true(accepted > 2500);
}

/* Inputs longer than the loader's read block, with records across each
 * block boundary and a quoted field with newlines on both sides of it. */
static void test_random_large(void **state)
{
	size_t max = (3u << 20) + 1000, n, k;
	char *buf = malloc(max);
	char what[64];
	int i;

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < 6; i++) {
		n = 0;
		while (n + 600 < max) {
			k = random_csv(buf + n, 600, 1);
			n += k;
			/* Keep the pieces valid together: end each with a
			 * line end outside quotes when the piece was. */
			buf[n++] = '\n';
		}
		snprintf(what, sizeof what, "large random input %d", i);
		accepted = 0;
		compare(buf, n, what);
		assert_int_equal(accepted, 1); /* well-formed: compared */
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spectrum),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_random_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
