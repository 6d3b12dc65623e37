/* csv_load.c — libcsv driven one physical line at a time, with a small
 * quote-state mirror that records where each field starts (libcsv reports
 * no positions).
 *
 * Most lines are plain: ASCII, no quote, no CR inside, no space or tab at a
 * field's edge. For those the mirror is not run: field starts follow from
 * the lengths libcsv reports, and libcsv uses its built-in space test
 * (which only trims at field edges, so it keeps every byte of a plain
 * line) instead of a callback per byte. */
#include "csv_load.h"
#include "infile.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#define READ_BLOCK 65536

/* Everything about one load. Owns buf, starts, fields, line and raw. */
struct loader {
	struct csv_parser parser;
	const char *name;
	csv_record_fn fn;
	void *ctx;
	struct diag *err;
	enum brief_status status; /* first failure inside a libcsv callback */

	long line; /* physical line being fed (1-based) */

	/* Plain-line mode: field starts are computed in on_field. */
	int plain;
	size_t plain_off; /* byte offset of the next field in the line */
	int space_cb;     /* space_never is installed in the parser */

	/* The quote-state mirror. */
	int in_quote;
	int at_field_start;
	long start_line[CSV_MAX_FIELDS];
	long start_col[CSV_MAX_FIELDS];
	size_t nstarts;

	/* The record being assembled: field texts back to back, each
	 * NUL-terminated, at offsets off[]. */
	char *buf;
	size_t buf_len, buf_cap;
	size_t off[CSV_MAX_FIELDS];
	size_t len[CSV_MAX_FIELDS];
	size_t nfields;
	struct csv_field fields[CSV_MAX_FIELDS];
	long rec_line;
	size_t rec_index;

	/* The record's first physical line, for quoting in diagnostics. */
	char *raw;
	size_t raw_len, raw_cap;
	int raw_taken;
};

static int space_never(unsigned char c)
{
	(void)c;
	return 0; /* keep leading and trailing whitespace in fields */
}

static int grow(char **p, size_t *cap, size_t need)
{
	size_t n = *cap ? *cap : 256;
	char *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/* Column (code points, 1-based) of byte offset `at` in a line. */
static long col_of(const char *s, size_t at)
{
	long col = 1;
	size_t i;

	for (i = 0; i < at; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
	return col;
}

static void on_field(void *s, size_t n, void *data)
{
	struct loader *ld = data;

	if (ld->status != BRIEF_OK)
		return;
	if (ld->plain && ld->nfields < CSV_MAX_FIELDS) {
		/* The line is already in buf: the field is its bytes at
		 * plain_off (ended by a comma or the line end, made a NUL). */
		size_t at = ld->plain_off;

		ld->start_line[ld->nfields] = ld->line;
		ld->start_col[ld->nfields] = (long)at + 1;
		ld->nstarts = ld->nfields + 1;
		ld->plain_off += n + 1;
		if (ld->nfields == 0)
			ld->rec_line = ld->line;
		if (n <= (size_t)CSV_MAX_FIELD) {
			ld->buf[at + n] = '\0';
			ld->off[ld->nfields] = at;
			ld->len[ld->nfields] = n;
			ld->buf_len = at + n + 1;
			ld->nfields++;
			return;
		}
	}
	if (ld->nfields == 0)
		ld->rec_line = ld->nstarts ? ld->start_line[0] : ld->line;
	if (ld->nfields >= CSV_MAX_FIELDS) {
		ld->status = diag_set(ld->err, BRIEF_EDATA, ld->name,
				      ld->rec_line, 0,
				      "record has more than %d fields",
				      CSV_MAX_FIELDS);
		return;
	}
	if (n > (size_t)CSV_MAX_FIELD) {
		size_t i = ld->nfields;

		ld->status = diag_set(ld->err, BRIEF_EDATA, ld->name,
				      i < ld->nstarts ? ld->start_line[i] : ld->line,
				      i < ld->nstarts ? ld->start_col[i] : 0,
				      "field longer than %ld bytes",
				      CSV_MAX_FIELD);
		return;
	}
	if (grow(&ld->buf, &ld->buf_cap, ld->buf_len + n + 1)) {
		ld->status = diag_set(ld->err, BRIEF_ENOMEM, ld->name, ld->line,
				      0, "out of memory");
		return;
	}
	if (n)
		memcpy(ld->buf + ld->buf_len, s, n);
	ld->buf[ld->buf_len + n] = '\0';
	ld->off[ld->nfields] = ld->buf_len;
	ld->len[ld->nfields] = n;
	ld->buf_len += n + 1;
	ld->nfields++;
}

static void on_record(int c, void *data)
{
	struct loader *ld = data;
	size_t i;
	struct csv_record rec;

	(void)c;
	if (ld->status == BRIEF_OK) {
		for (i = 0; i < ld->nfields; i++) {
			ld->fields[i].text = ld->buf + ld->off[i];
			ld->fields[i].len = ld->len[i];
			ld->fields[i].line =
				i < ld->nstarts ? ld->start_line[i] : ld->line;
			ld->fields[i].col =
				i < ld->nstarts ? ld->start_col[i] : 1;
		}
		rec.fields = ld->fields;
		rec.nfields = ld->nfields;
		rec.line = ld->rec_line;
		rec.raw = ld->raw ? ld->raw : "";
		rec.raw_len = ld->raw_len;
		rec.index = ld->rec_index++;
		ld->status = ld->fn(ld->ctx, &rec, ld->err);
	}
	ld->nfields = 0;
	ld->buf_len = 0;
	ld->nstarts = 0;
	ld->raw_taken = 0;
}

/* Mirror libcsv's quote state over one physical line, recording field
 * starts. Returns 0, or -1 when a record has too many fields. */
static int mirror_line(struct loader *ld, const char *s, size_t n)
{
	size_t i;
	long col = 1;

	for (i = 0; i < n; i++) {
		unsigned char b = (unsigned char)s[i];

		if ((b & 0xC0) == 0x80)
			continue;
		if (ld->at_field_start && !ld->in_quote) {
			if (b == '\n' || b == '\r') {
				/* An empty line starts no field; an empty last
				 * field after a comma does. */
				if (ld->nstarts == 0) {
					col++;
					continue;
				}
			}
			if (ld->nstarts >= CSV_MAX_FIELDS)
				return -1;
			ld->start_line[ld->nstarts] = ld->line;
			ld->start_col[ld->nstarts] = col;
			ld->nstarts++;
			ld->at_field_start = 0;
		}
		if (b == '"') {
			ld->in_quote = !ld->in_quote;
		} else if (!ld->in_quote && b == ',') {
			/* The next field starts right after the comma, even
			 * when no byte follows (an empty last field at EOF). */
			if (ld->nstarts >= CSV_MAX_FIELDS)
				return -1;
			ld->start_line[ld->nstarts] = ld->line;
			ld->start_col[ld->nstarts] = col + 1;
			ld->nstarts++;
		} else if (!ld->in_quote && (b == '\n' || b == '\r')) {
			ld->at_field_start = 1;
		}
		col++;
	}
	return 0;
}

/* True when no byte of s[0, n) has its high bit set. */
static int all_ascii(const char *s, size_t n)
{
	uint64_t acc = 0, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		acc |= w;
	}
	for (; i < n; i++)
		acc |= (unsigned char)s[i];
	return (acc & 0x8080808080808080ULL) == 0;
}

/* A plain line (see the top of the file) is parsed by libcsv exactly as
 * with space_never, without the mirror. s[0, n) is the content without its
 * line end; the caller knows it is ASCII. */
static int line_is_plain(const char *s, size_t n)
{
	const char *p, *end = s + n;

	if (n == 0 || memchr(s, '"', n) || memchr(s, '\r', n) ||
	    memchr(s, '\t', n))
		return 0;
	if (s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	for (p = s; (p = memchr(p, ' ', (size_t)(end - p))) != NULL; p++)
		if (p[-1] == ',' || p[1] == ',')
			return 0;
	return 1;
}

/* Feed one physical line (with its line end, if any) to the mirror and to
 * libcsv. */
static enum brief_status feed_line(struct loader *ld, const char *s, size_t n)
{
	const uint8_t *bad;
	size_t done;
	size_t content = n;
	int ascii;

	while (content > 0 && (s[content - 1] == '\n' || s[content - 1] == '\r'))
		content--;
	ascii = all_ascii(s, n);
	bad = ascii ? NULL : u8_check((const uint8_t *)s, n);
	if (bad) {
		size_t at = (size_t)((const char *)bad - s);

		diag_set(ld->err, BRIEF_EDATA, ld->name, ld->line,
			 col_of(s, at), "invalid UTF-8 byte 0x%02X",
			 (unsigned)*bad);
		diag_quote(ld->err, s, at);
		return BRIEF_EDATA;
	}
	if (!ld->raw_taken && !ld->in_quote) {
		if (grow(&ld->raw, &ld->raw_cap, content + 1))
			return diag_set(ld->err, BRIEF_ENOMEM, ld->name,
					ld->line, 0, "out of memory");
		memcpy(ld->raw, s, content);
		ld->raw[content] = '\0';
		ld->raw_len = content;
		ld->raw_taken = content > 0;
	}
	/* A plain line starts outside quotes, at a record's start (the
	 * previous line ended with LF outside quotes), and ends its record
	 * with its own LF (the last line without one goes to csv_fini, which
	 * needs the mirror's starts). */
	ld->plain = ascii && n > content && !ld->in_quote &&
		    ld->at_field_start && ld->nstarts == 0 &&
		    ld->nfields == 0 && line_is_plain(s, content);
	if (ld->plain) {
		ld->plain_off = 0;
		if (grow(&ld->buf, &ld->buf_cap, content + 1))
			return diag_set(ld->err, BRIEF_ENOMEM, ld->name,
					ld->line, 0, "out of memory");
		memcpy(ld->buf, s, content);
		ld->buf[content] = '\0';
		if (ld->space_cb) {
			csv_set_space_func(&ld->parser, NULL);
			ld->space_cb = 0;
		}
	} else {
		if (!ld->space_cb) {
			csv_set_space_func(&ld->parser, space_never);
			ld->space_cb = 1;
		}
		if (mirror_line(ld, s, n))
			return diag_set(ld->err, BRIEF_EDATA, ld->name, ld->line,
					0, "record has more than %d fields",
					CSV_MAX_FIELDS);
	}
	done = csv_parse(&ld->parser, s, n, on_field, on_record, ld);
	ld->plain = 0;
	if (ld->status != BRIEF_OK)
		return ld->status;
	if (done < n) {
		if (csv_error(&ld->parser) == CSV_ENOMEM)
			return diag_set(ld->err, BRIEF_ENOMEM, ld->name,
					ld->line, 0, "out of memory");
		/* libcsv stops at the byte that broke strict quoting. */
		diag_set(ld->err, BRIEF_EDATA, ld->name, ld->line,
			 col_of(s, s[done] == '"' ? done : done ? done - 1 : 0),
			 "malformed quoting: a quote inside a field must be "
			 "doubled and the field enclosed in quotes");
		diag_quote(ld->err, s, content);
		return BRIEF_EDATA;
	}
	return BRIEF_OK;
}

enum brief_status csv_load_stream(FILE *in, const char *name, csv_record_fn fn,
				  void *ctx, struct diag *err)
{
	struct loader ld;
	char *buf = NULL;
	size_t cap = 0, have = 0, start = 0;
	int first = 1, eof = 0;
	enum brief_status st = BRIEF_OK;

	memset(&ld, 0, sizeof ld);
	ld.name = name;
	ld.fn = fn;
	ld.ctx = ctx;
	ld.err = err;
	ld.line = 1;
	ld.at_field_start = 1;
	if (csv_init(&ld.parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return diag_set(err, BRIEF_ENOMEM, name, 0, 0, "out of memory");
	csv_set_space_func(&ld.parser, space_never);
	ld.space_cb = 1;

	while (!eof || start < have) {
		char *nl;
		size_t n;

		/* Find a complete line in buf[start, have). */
		nl = have > start ? memchr(buf + start, '\n', have - start) : NULL;
		if (!nl && !eof) {
			size_t r;

			if (start > 0) {
				memmove(buf, buf + start, have - start);
				have -= start;
				start = 0;
			}
			if (have > (size_t)CSV_MAX_LINE) {
				st = diag_set(err, BRIEF_EDATA, name, ld.line, 0,
					      "line longer than %ld bytes",
					      CSV_MAX_LINE);
				goto out;
			}
			if (grow(&buf, &cap, have + READ_BLOCK)) {
				st = diag_set(err, BRIEF_ENOMEM, name, ld.line,
					      0, "out of memory");
				goto out;
			}
			r = fread(buf + have, 1, READ_BLOCK, in);
			if (r == 0) {
				if (ferror(in)) {
					st = diag_set(err, BRIEF_EIO, name, 0, 0,
						      "read error: %s",
						      strerror(errno));
					goto out;
				}
				eof = 1;
			}
			have += r;
			continue;
		}
		n = nl ? (size_t)(nl - (buf + start)) + 1 : have - start;
		if (first) {
			first = 0;
			if (n >= 3 && memcmp(buf + start, "\xEF\xBB\xBF", 3) == 0) {
				start += 3;
				n -= 3;
			}
		}
		st = feed_line(&ld, buf + start, n);
		if (st != BRIEF_OK)
			goto out;
		start += n;
		ld.line++;
		if (start == have && eof)
			break;
	}
	if (csv_fini(&ld.parser, on_field, on_record, &ld) != 0) {
		long l = ld.nstarts ? ld.start_line[ld.nstarts - 1] : ld.line;
		long c = ld.nstarts ? ld.start_col[ld.nstarts - 1] : 0;

		st = diag_set(err, BRIEF_EDATA, name, l, c,
			      "quoted field is never closed");
		if (ld.raw)
			diag_quote(err, ld.raw, ld.raw_len);
		goto out;
	}
	st = ld.status;
out:
	csv_free(&ld.parser);
	free(buf);
	free(ld.buf);
	free(ld.raw);
	return st;
}

enum brief_status csv_load(const char *path, csv_record_fn fn, void *ctx,
			   struct diag *err)
{
	FILE *in;
	enum brief_status st = infile_fopen(path, &in, err);

	if (st != BRIEF_OK)
		return st;
	st = csv_load_stream(in, path, fn, ctx, err);
	fclose(in);
	return st;
}
