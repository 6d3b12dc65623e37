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
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unistr.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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
	char delim; /* field separator: ',' unless the caller chose another */

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
		} else if (!ld->in_quote && b == (unsigned char)ld->delim) {
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

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* What one pass over a line's content finds: whether every byte is ASCII,
 * and whether any byte is a C0 control character (tab included: the
 * caller looks closer) or DEL (the line end itself is not part of the
 * content). This runs over every byte of the file, so it goes sixteen
 * bytes at a time with SSE2 where there is SSE2 (every x86-64), eight with
 * the classic "has a byte less than" word test elsewhere. */
static void scan_bytes(const char *s, size_t n, int *ascii, int *ctl)
{
	uint64_t acc = 0, bad = 0, w;
	size_t i = 0;

#ifdef __SSE2__
	__m128i vacc = _mm_setzero_si128(), vbad = _mm_setzero_si128();
	const __m128i k1f = _mm_set1_epi8(0x1F), k7f = _mm_set1_epi8(0x7F);

	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));

		vacc = _mm_or_si128(vacc, v);
		/* v <= 0x1F as unsigned bytes, or v == 0x7F. */
		vbad = _mm_or_si128(vbad,
				    _mm_cmpeq_epi8(_mm_min_epu8(v, k1f), v));
		vbad = _mm_or_si128(vbad, _mm_cmpeq_epi8(v, k7f));
	}
	if (_mm_movemask_epi8(vacc))
		acc = HIGHS;
	if (_mm_movemask_epi8(vbad))
		bad = HIGHS;
#endif
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		acc |= w;
		bad |= ((w - ONES * 0x20) & ~w) |
		       (((w ^ (ONES * 0x7F)) - ONES) & ~(w ^ (ONES * 0x7F)));
	}
	for (; i < n; i++) {
		unsigned char b = (unsigned char)s[i];

		acc |= b;
		if (b < 0x20 || b == 0x7F)
			bad |= HIGHS;
	}
	*ascii = (acc & HIGHS) == 0;
	/* In the word test, bytes >= 0x80 never set a high bit (~w clears
	 * it), so only real control bytes are left in `bad`. */
	*ctl = (bad & HIGHS) != 0;
}

/* Offset of the first control character in s[0, n) that a field may not
 * hold: C0 except tab, DEL, and (in UTF-8) the C1 range U+0080..U+009F.
 * n when there is none. *cp is its code point. */
static size_t find_control(const char *s, size_t n, unsigned *cp)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char b = (unsigned char)s[i];

		if ((b < 0x20 && b != '\t') || b == 0x7F) {
			*cp = b;
			return i;
		}
		if (b == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9F) {
			*cp = (unsigned char)s[i + 1];
			return i;
		}
	}
	return n;
}

/* A plain line (see the top of the file) is parsed by libcsv exactly as
 * with space_never, without the mirror. s[0, n) is the content without its
 * line end (so no CR: a bare CR ends a physical line); the caller knows it
 * is ASCII. */
static int line_is_plain(const char *s, size_t n, char delim)
{
	const char *p, *end = s + n;

	if (n == 0 || memchr(s, '"', n) || memchr(s, '\t', n))
		return 0;
	if (s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	for (p = s; (p = memchr(p, ' ', (size_t)(end - p))) != NULL; p++)
		if (p[-1] == delim || p[1] == delim)
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
	int ascii, ctl;

	while (content > 0 && (s[content - 1] == '\n' || s[content - 1] == '\r'))
		content--;
	scan_bytes(s, content, &ascii, &ctl);
	bad = ascii ? NULL : u8_check((const uint8_t *)s, n);
	if (bad && ld->line == 1 && bad == (const uint8_t *)s && n >= 2 &&
	    ((s[0] == '\xFF' && s[1] == '\xFE') ||
	     (s[0] == '\xFE' && s[1] == '\xFF')))
		/* UTF-16 or UTF-32 (little-endian), not one bad byte */
		return diag_set(ld->err, BRIEF_EDATA, ld->name, 1, 1,
				"the file is UTF-16 or UTF-32 (it starts with "
				"that byte order mark): save it as CSV UTF-8");
	if (bad) {
		size_t at = (size_t)((const char *)bad - s);

		diag_set(ld->err, BRIEF_EDATA, ld->name, ld->line,
			 col_of(s, at), "invalid UTF-8 byte 0x%02X",
			 (unsigned)*bad);
		diag_quote(ld->err, s, at);
		return BRIEF_EDATA;
	}
	if (ctl || !ascii) {
		unsigned cp = 0;
		size_t at = find_control(s, content, &cp);

		if (at < content) {
			/* A NUL would cut the field short, the others are
			 * invisible on the page: both are refused. */
			if (cp == 0)
				diag_set(ld->err, BRIEF_EDATA, ld->name,
					 ld->line, col_of(s, at),
					 "NUL byte (U+0000) in the data");
			else
				diag_set(ld->err, BRIEF_EDATA, ld->name,
					 ld->line, col_of(s, at),
					 "control character U+%04X in the data",
					 cp);
			diag_quote(ld->err, s, at);
			return BRIEF_EDATA;
		}
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
		    ld->nfields == 0 && line_is_plain(s, content, ld->delim);
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

/* The last byte of the first physical line in p[0, n): an LF, or a CR not
 * followed by LF. NULL when the line may continue past n (no line end yet,
 * or a CR as the last byte before more input). */
static const char *next_line_end(const char *p, size_t n, int eof)
{
	const char *nl = n ? memchr(p, '\n', n) : NULL;
	size_t upto = nl ? (size_t)(nl - p) : n;
	const char *cr = upto ? memchr(p, '\r', upto) : NULL;

	if (!cr)
		return nl;
	if (cr + 1 == p + n && !nl)
		return eof ? cr : NULL; /* CR LF may be split across reads */
	return cr + 1 == nl ? nl : cr;
}

enum brief_status csv_load_stream(FILE *in, const char *name, csv_record_fn fn,
				  void *ctx, struct diag *err)
{
	return csv_load_stream_delim(in, name, ',', fn, ctx, err);
}

enum brief_status csv_load_stream_delim(FILE *in, const char *name, char delim,
					csv_record_fn fn, void *ctx,
					struct diag *err)
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
	ld.delim = delim;
	if (delim == '"' || delim == '\n' || delim == '\r' || delim == '\0')
		return diag_set(err, BRIEF_EINTERNAL, name, 0, 0,
				"internal error in the CSV loader: bad delimiter");
	if (csv_init(&ld.parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return diag_set(err, BRIEF_ENOMEM, name, 0, 0, "out of memory");
	csv_set_delim(&ld.parser, (unsigned char)delim);
	csv_set_space_func(&ld.parser, space_never);
	ld.space_cb = 1;

	while (!eof || start < have) {
		const char *nl;
		size_t n;

		/* Find a complete line in buf[start, have): up to an LF, or a
		 * bare CR (classic Mac line ends, which libcsv also takes as
		 * a record end) so that positions stay right. */
		nl = have > start ? next_line_end(buf + start, have - start, eof)
				  : NULL;
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
	return csv_load_delim(path, ',', fn, ctx, err);
}

enum brief_status csv_load_delim(const char *path, char delim, csv_record_fn fn,
				 void *ctx, struct diag *err)
{
	FILE *in = NULL;
	enum brief_status st = csv_open(path, &in, err);

	if (st != BRIEF_OK)
		return st;
	st = csv_load_stream_delim(in, path, delim, fn, ctx, err);
	fclose(in);
	return st;
}

enum brief_status csv_open(const char *path, FILE **out, struct diag *err)
{
	/* The one way brief opens an input (infile.h): never waits on a FIFO,
	 * refuses what is not a regular file, and records the file so that
	 * no output can replace it. */
	return infile_fopen(path, out, err);
}
