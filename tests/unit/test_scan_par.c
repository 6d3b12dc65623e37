/* test_scan_par.c — data_scan of a big file: on two threads (chunks cut
 * at record boundaries) it must give what one thread gives, byte for byte:
 * the same rows with the same fields, positions and raw lines, the same
 * diagnostics in file order, the same first error; and duplicate ids must
 * be found exactly also once the id index has gone to its fixed-size
 * filter, where nearly every row collides. The files are generated with
 * quoted fields holding commas, doubled quotes and newlines (CRLF too),
 * long enough that chunk ends fall inside them. */
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
#include "data_schema.h"

static char dir[64];
static char path[128];

/* What happened in a scan: every row seen, the sink's text, the result. */
struct run {
	char *rows;
	size_t rows_len;
	FILE *rows_f;
	char *sink_text;
	size_t sink_len;
	size_t nrows, valid;
	long stop_at_line; /* the consumer fails at the row on this line */
	enum brief_status st;
	struct diag err;
};

static enum brief_status keep(void *ctx, const struct data_row *row,
			      struct diag *err)
{
	struct run *r = ctx;
	size_t i;

	fprintf(r->rows_f, "%ld %s|", row->line, row->id);
	for (i = 0; i < row->ncols; i++)
		fprintf(r->rows_f, "%ld:%s|", row->col[i], row->field[i]);
	fprintf(r->rows_f, "%s|%s|%.0f|%d-%d-%d\n", row->raw,
		data_row_get(row, "title"), row->value, row->date.year,
		row->date.month, row->date.day);
	r->nrows++;
	if (r->stop_at_line && row->line == r->stop_at_line)
		return diag_set(err, BRIEF_EIO, row->file, row->line, 0,
				"consumer stops");
	return BRIEF_OK;
}

/* Scan dir's events.csv with BRIEF_THREADS=threads, with a capturing sink
 * or none. */
static void scan(struct run *r, const char *threads, int with_sink,
		 long stop_at_line)
{
	struct diag_sink sink = {NULL, 0, 0, 0};
	FILE *sf = NULL;

	memset(r, 0, sizeof *r);
	r->stop_at_line = stop_at_line;
	r->rows_f = open_memstream(&r->rows, &r->rows_len);
	assert_non_null(r->rows_f);
	if (with_sink) {
		sf = open_memstream(&r->sink_text, &r->sink_len);
		assert_non_null(sf);
		sink.out = sf;
	}
	assert_int_equal(setenv("BRIEF_THREADS", threads, 1), 0);
	memset(&r->err, 0, sizeof r->err);
	r->st = data_scan_with(dir, DS_EVENTS, NULL, NULL, keep, r,
			       with_sink ? &sink : NULL, &r->valid, &r->err);
	unsetenv("BRIEF_THREADS");
	fclose(r->rows_f);
	if (sf)
		fclose(sf);
}

static void run_free(struct run *r)
{
	free(r->rows);
	free(r->sink_text);
}

static void assert_same(const struct run *a, const struct run *b)
{
	assert_int_equal(a->st, b->st);
	assert_int_equal(a->nrows, b->nrows);
	assert_int_equal(a->valid, b->valid);
	assert_int_equal(a->rows_len, b->rows_len);
	assert_memory_equal(a->rows, b->rows, a->rows_len);
	assert_int_equal(a->sink_len, b->sink_len);
	if (a->sink_len)
		assert_memory_equal(a->sink_text, b->sink_text, a->sink_len);
	if (a->st != BRIEF_OK) {
		assert_string_equal(a->err.file, b->err.file);
		assert_int_equal(a->err.line, b->err.line);
		assert_int_equal(a->err.col, b->err.col);
		assert_string_equal(a->err.msg, b->err.msg);
		assert_string_equal(a->err.quote, b->err.quote);
	}
}

/* A fixed-seed generator: the same file every run. */
static uint64_t rng;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* What to break, by row number (0: nothing). */
struct faults {
	unsigned bad_kind /* an invalid id */, bad_date, malformed, dup_of[4], dup_at[4];
};

/* Write events.csv: rows rows, every eighth with a long quoted title of
 * several lines (some CRLF), others with commas, doubled quotes and
 * non-ASCII text. Returns the physical line each row starts on in
 * line_of (rows + 1 entries). */
static void write_events(unsigned rows, const struct faults *fl,
			 long *line_of)
{
	FILE *f = fopen(path, "wb");
	long line = 2;
	unsigned i, k, j;

	assert_non_null(f);
	rng = 0x2545F4914F6CDD1DULL;
	fputs("id,date,kind,title,source\n", f);
	for (i = 1; i <= rows; i++) {
		unsigned id = i;
		const char *kind = i % 3 ? "political" : "offensive";
		int bad_id = fl && fl->bad_kind == i;

		for (k = 0; k < 4; k++)
			if (fl && fl->dup_at[k] == i)
				id = fl->dup_of[k];
		line_of[i] = line;
		fprintf(f, "%s%u,%s,%s,", bad_id ? "Bad id " : "e", id,
			fl && fl->bad_date == i ? "2020-13-01" : "2021-05-17",
			kind);
		switch (rnd(8)) {
		case 0: { /* long, several lines */
			unsigned nl = 1 + rnd(6), len = 200 + rnd(3000);

			fputc('"', f);
			for (j = 0; j < len; j++) {
				if (j % (len / nl + 1) == len / nl / 2) {
					if (rnd(2)) {
						fputs("\r\n", f);
					} else {
						fputc('\n', f);
					}
					line++;
				} else if (j % 97 == 5) {
					fputs("\"\"", f);
				} else {
					fputc("abc, xyz"[j % 8], f);
				}
			}
			fputc('"', f);
			break;
		}
		case 1:
			fputs("\"Comma, and \"\"quotes\"\"\"", f);
			break;
		case 2:
			fputs("\xD4\xB1\xD6\x80\xD6\x81\xD5\xA1\xD5\xAD "
			      "\xC3\xA9t\xC3\xA9", f);
			break;
		default:
			fprintf(f, "Plain title %u", i);
		}
		if (fl && fl->malformed == i)
			fputs("x\"y", f); /* text after a closing quote, or a
					   * bare quote */
		fputs(",src-a", f);
		if (rnd(5) == 0)
			fputc('\r', f);
		fputc('\n', f);
		line++;
	}
	line_of[0] = line;
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/brief-test-par-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/events.csv", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	data_tune_ids(0, 0);
	return 0;
}

#define ROWS 14000
static long line_of[ROWS + 1];

/* A valid 2 MB file: identical rows on one thread and on two. */
static void test_identical(void **state)
{
	struct run one, two;

	(void)state;
	write_events(ROWS, NULL, line_of);
	scan(&one, "1", 1, 0);
	scan(&two, "2", 1, 0);
	assert_int_equal(one.st, BRIEF_OK);
	assert_int_equal(one.nrows, ROWS);
	assert_same(&one, &two);
	run_free(&one);
	run_free(&two);
}

/* Invalid rows in several chunks, with a sink: the same diagnostics in
 * file order, the same rows passed on. */
static void test_diagnostics_in_order(void **state)
{
	struct faults fl;
	struct run one, two;
	const char *p;
	long last = 0;
	int n = 0;

	(void)state;
	memset(&fl, 0, sizeof fl);
	fl.bad_kind = 3000;
	fl.bad_date = 9000;
	fl.dup_of[0] = 10;
	fl.dup_at[0] = 12000;
	fl.dup_of[1] = 6000;
	fl.dup_at[1] = 6500;
	write_events(ROWS, &fl, line_of);
	scan(&one, "1", 1, 0);
	scan(&two, "2", 1, 0);
	assert_int_equal(one.st, BRIEF_EDATA);
	assert_int_equal(one.nrows, ROWS - 4);
	assert_same(&one, &two);
	/* In file order: each "file:line:" after the one before. */
	for (p = two.sink_text; (p = strstr(p, "events.csv:")) != NULL; p++) {
		long l = strtol(p + strlen("events.csv:"), NULL, 10);

		assert_true(l > last);
		last = l;
		n++;
	}
	assert_int_equal(n, 4);
	run_free(&one);
	run_free(&two);
}

/* Without a sink the first problem in the file wins, whichever chunk and
 * thread found it: a row error before a CSV error, a CSV error before a
 * row error, a consumer's stop before both. */
static void test_first_error_wins(void **state)
{
	struct faults fl;
	struct run one, two;

	(void)state;
	memset(&fl, 0, sizeof fl);
	fl.bad_kind = 4000;
	fl.malformed = 11000;
	write_events(ROWS, &fl, line_of);
	scan(&one, "1", 0, 0);
	scan(&two, "2", 0, 0);
	assert_int_equal(two.st, BRIEF_EDATA);
	assert_int_equal(two.err.line, line_of[4000]);
	assert_int_equal(two.err.col, 1);
	assert_int_equal(two.nrows, 3999);
	assert_same(&one, &two);
	run_free(&one);
	run_free(&two);

	memset(&fl, 0, sizeof fl);
	fl.malformed = 2500;
	fl.bad_kind = 9000;
	write_events(ROWS, &fl, line_of);
	scan(&one, "1", 0, 0);
	scan(&two, "2", 0, 0);
	assert_int_equal(two.st, BRIEF_EDATA);
	assert_non_null(strstr(two.err.msg, "malformed quoting"));
	assert_int_equal(two.nrows, 2499);
	assert_same(&one, &two);
	run_free(&one);
	run_free(&two);
	/* The same with a sink: the CSV error is reported, after the rows. */
	scan(&one, "1", 1, 0);
	scan(&two, "2", 1, 0);
	assert_same(&one, &two);
	assert_non_null(strstr(two.sink_text, "malformed quoting"));
	run_free(&one);
	run_free(&two);

	/* The consumer stops at row 5000, before a bad row at 7000. */
	memset(&fl, 0, sizeof fl);
	fl.bad_kind = 7000;
	write_events(ROWS, &fl, line_of);
	scan(&one, "1", 1, line_of[5000]);
	scan(&two, "2", 1, line_of[5000]);
	assert_int_equal(two.st, BRIEF_EIO);
	assert_string_equal(two.err.msg, "consumer stops");
	assert_int_equal(two.nrows, 5000);
	assert_int_equal(two.sink_len, 0); /* row 7000 never reached */
	assert_same(&one, &two);
	run_free(&one);
	run_free(&two);
}

/* Duplicates found exactly once the index is a filter of 256 bytes,
 * where almost every row is a candidate: the same diagnostics, valid-row
 * count and first error as the exact index, on one thread or two. */
static void test_duplicates_in_filter(void **state)
{
	static const char *const threads[] = {"1", "2"};
	struct faults fl;
	struct run exact, filt;
	size_t t;

	(void)state;
	memset(&fl, 0, sizeof fl);
	fl.dup_of[0] = 5;
	fl.dup_at[0] = 700;
	fl.dup_of[1] = 3000;
	fl.dup_at[1] = 3001;
	fl.dup_of[2] = 3000;
	fl.dup_at[2] = 13999;
	fl.dup_of[3] = 9000;
	fl.dup_at[3] = 9500;
	write_events(ROWS, &fl, line_of);
	for (t = 0; t < 2; t++) {
		data_tune_ids(0, 0);
		scan(&exact, threads[t], 1, 0);
		assert_int_equal(exact.st, BRIEF_EDATA);
		assert_int_equal(exact.valid, ROWS - 4);
		assert_non_null(strstr(exact.sink_text, "duplicate id 'e3000'"));
		data_tune_ids(64, 256);
		scan(&filt, threads[t], 1, 0);
		/* The rows passed on include the duplicates the filter let
		 * through (the scan fails all the same); the rest match. */
		assert_int_equal(filt.st, BRIEF_EDATA);
		assert_int_equal(filt.valid, exact.valid);
		assert_int_equal(filt.sink_len, exact.sink_len);
		assert_memory_equal(filt.sink_text, exact.sink_text,
				    exact.sink_len);
		run_free(&exact);
		run_free(&filt);

		/* Without a sink: the first duplicate is the error. */
		data_tune_ids(0, 0);
		scan(&exact, threads[t], 0, 0);
		data_tune_ids(64, 256);
		scan(&filt, threads[t], 0, 0);
		assert_int_equal(exact.st, BRIEF_EDATA);
		assert_int_equal(exact.err.line, line_of[700]);
		assert_int_equal(filt.st, BRIEF_EDATA);
		assert_int_equal(filt.err.line, exact.err.line);
		assert_int_equal(filt.err.col, exact.err.col);
		assert_string_equal(filt.err.msg, "duplicate id 'e5'");
		assert_string_equal(filt.err.quote, exact.err.quote);
		run_free(&exact);
		run_free(&filt);
	}
	/* A duplicate after an earlier bad row does not win. */
	memset(&fl, 0, sizeof fl);
	fl.bad_date = 800;
	fl.dup_of[0] = 5;
	fl.dup_at[0] = 900;
	write_events(ROWS, &fl, line_of);
	data_tune_ids(64, 256);
	scan(&filt, "2", 0, 0);
	assert_int_equal(filt.st, BRIEF_EDATA);
	assert_int_equal(filt.err.line, line_of[800]);
	run_free(&filt);
	data_tune_ids(0, 0);
}

/* What a numbered scan's rows said: per column and field number, the
 * text it first stood for. */
struct numbers {
	char *text[3][DATA_FID_SPACE];
	size_t rows, numbered[3];
	int plain_fid; /* a row had fid set in a scan without numbers */
};

static enum brief_status keep_numbers(void *ctx, const struct data_row *row,
				      struct diag *err)
{
	struct numbers *n = ctx;
	static const char *const col[3] = {"kind", "title", "source"};

	(void)err;
	n->rows++;
	if (!row->fid) {
		n->plain_fid = -1;
		return BRIEF_OK;
	}
	/* Not asked for: no numbers. */
	if (row->fid[data_row_column(row, "id")] != DATA_FID_NONE ||
	    row->fid[data_row_column(row, "date")] != DATA_FID_NONE)
		n->plain_fid = 1;
	for (size_t k = 0; k < 3; k++) {
		int c = data_row_column(row, col[k]);
		uint32_t f = row->fid[c];

		if (f == DATA_FID_NONE)
			continue;
		assert_true(f < DATA_FID_SPACE);
		n->numbered[k]++;
		if (!n->text[k][f])
			n->text[k][f] = strdup(row->field[c]);
		/* One number, one text. */
		assert_string_equal(n->text[k][f], row->field[c]);
	}
	return BRIEF_OK;
}

/* Field numbers on one thread and two: each number stands for one text
 * of its column; only the columns asked for are numbered; a column of
 * more distinct texts than a thread numbers (titles) goes on by text. */
static void test_field_numbers(void **state)
{
	static const char *const threads[] = {"1", "2"};
	static const char *const keys[] = {"kind", "title", "source", "nosuch"};
	struct dataset ds = dataset_plain(DS_EVENTS);
	struct numbers *n = calloc(1, sizeof *n);
	struct diag err;

	(void)state;
	assert_non_null(n);
	write_events(ROWS, NULL, line_of);
	for (size_t t = 0; t < 2; t++) {
		assert_int_equal(setenv("BRIEF_THREADS", threads[t], 1), 0);
		memset(n, 0, sizeof *n);
		assert_int_equal(data_scan_dataset_numbered(dir, &ds, NULL,
							    keys, 4,
							    keep_numbers, n,
							    NULL, &err),
				 BRIEF_OK);
		assert_int_equal(n->rows, ROWS);
		assert_int_equal(n->plain_fid, 0);
		assert_int_equal(n->numbered[0], ROWS); /* kind: 2 texts */
		assert_int_equal(n->numbered[2], ROWS); /* source: 1 */
		assert_true(n->numbered[1] > 0 && n->numbered[1] < ROWS);
		for (size_t k = 0; k < 3; k++)
			for (size_t f = 0; f < DATA_FID_SPACE; f++)
				free(n->text[k][f]);
		/* Without keys, no numbers. */
		memset(n, 0, sizeof *n);
		assert_int_equal(data_scan_dataset_numbered(dir, &ds, NULL,
							    NULL, 0,
							    keep_numbers, n,
							    NULL, &err),
				 BRIEF_OK);
		assert_int_equal(n->plain_fid, -1);
		unsetenv("BRIEF_THREADS");
	}
	free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical),
		cmocka_unit_test(test_diagnostics_in_order),
		cmocka_unit_test(test_first_error_wins),
		cmocka_unit_test(test_duplicates_in_filter),
		cmocka_unit_test(test_field_numbers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
