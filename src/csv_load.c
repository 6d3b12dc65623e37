/* csv_load.c — brief's own RFC 4180 record parser over large read buffers,
 * with the line and column of every field.
 *
 * The file is read in blocks of a megabyte; each record is parsed where it
 * lies in the buffer and its fields are cut out in place (a NUL written over
 * the separator after each, doubled quotes folded), so a byte is looked at
 * once and copied only when a record straddles two blocks. Between the
 * bytes that matter (separator, quote, line ends, controls, non-ASCII) the
 * scan goes sixteen bytes at a time; a non-ASCII byte is one UTF-8 sequence
 * checked on the spot, so text in any script stays on the same path as
 * ASCII. libcsv is no longer on this path: the unit tests compare this
 * parser with it (tests/unit/test_csv_oracle.c) and `make bench` uses it as
 * the floor. */
#include "csv_load.h"
#include "infile.h"
#include "sha256.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Read size, and the zeroed slack after the data: the 16-byte scans may
 * look past the end (a zero byte stops them), and a field that ends the
 * file gets its NUL there. */
#define READ_BLOCK (1 << 20)
#define PAD CSV_PAD

enum { P_RECORD, P_MORE, P_END, P_ERROR };

/* Everything about one load. Owns buf and raw. */
struct loader {
	const char *name;
	char delim;
	csv_record_fn fn;
	void *ctx;
	struct diag *err;
	long line; /* physical line of the next byte to parse */
	size_t index;
	struct csv_field fields[CSV_MAX_FIELDS];
	/* Where each field's content ends in the buffer, and how many
	 * doubled quotes it holds (to fold after the record is whole). */
	char *fend[CSV_MAX_FIELDS];
	size_t fesc[CSV_MAX_FIELDS];
	size_t nfields;
	long rec_line;
	char *raw; /* the record's first physical line, NUL-terminated */
	size_t raw_len, raw_cap;
	enum brief_status fail; /* status of a P_ERROR: BRIEF_EDATA or ENOMEM */
};

/* Offset of the first byte in s that is not plain text: below 0x20, 0x7F,
 * 0x80 and above, a quote, or (when stop_delim) the separator. s must be
 * readable PAD bytes past end; the zero bytes there stop the scan. */
static const char *scan(const char *s, const char *end, char delim,
			int stop_delim)
{
#ifdef __SSE2__
	const __m128i k20 = _mm_set1_epi8(0x20), k7f = _mm_set1_epi8(0x7F),
		      kq = _mm_set1_epi8('"'),
		      kd = _mm_set1_epi8(stop_delim ? delim : '"');

	while (s < end) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
		/* Signed compare: 0x00-0x1F and 0x80-0xFF are both < 0x20. */
		__m128i m = _mm_or_si128(
			_mm_or_si128(_mm_cmplt_epi8(v, k20),
				     _mm_cmpeq_epi8(v, k7f)),
			_mm_or_si128(_mm_cmpeq_epi8(v, kq),
				     _mm_cmpeq_epi8(v, kd)));
		int mask = _mm_movemask_epi8(m);

		if (mask)
			return s + __builtin_ctz((unsigned)mask);
		s += 16;
	}
	return end;
#else
	for (; s < end; s++) {
		unsigned char b = (unsigned char)*s;

		if (b < 0x20 || b >= 0x7F || b == '"' ||
		    (stop_delim && b == (unsigned char)delim))
			return s;
	}
	return end;
#endif
}

/* The UTF-8 sequence at s (lead byte 0x80 or above): its length, 0 when
 * ill-formed (as u8_check: overlong, surrogate, past U+10FFFF, stray
 * continuation), -1 when end cuts it short. */
static int utf8_len(const unsigned char *s, const unsigned char *end)
{
	unsigned c = s[0], lo = 0x80, hi = 0xBF;
	int n, i;

	if (c < 0xC2)
		return 0;
	if (c < 0xE0) {
		n = 2;
	} else if (c < 0xF0) {
		n = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c < 0xF5) {
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if (s + i >= end)
			return -1;
		if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xBF))
			return 0;
	}
	return n;
}

/* Column (code points, 1-based) of p on the line starting at ls. */
static long col_at(const char *ls, const char *p)
{
	long col = 1;

	for (; ls < p; ls++)
		if (((unsigned char)*ls & 0xC0) != 0x80)
			col++;
	return col;
}

/* A file that starts as a compressed archive is no CSV: say what it is
 * rather than point at its first odd byte. */
static enum brief_status not_text(const char *buf, size_t len,
				  const char *name, struct diag *err)
{
	if (len >= 2 && buf[0] == '\x1F' && buf[1] == '\x8B')
		return diag_set(err, BRIEF_EDATA, name, 1, 1,
				"the file is gzip-compressed: decompress it "
				"(gunzip) first");
	if (len >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0)
		return diag_set(err, BRIEF_EDATA, name, 1, 1,
				"the file is a ZIP archive (an .xlsx "
				"workbook?): export the sheet as CSV UTF-8");
	return BRIEF_OK;
}

/* A byte the scan stopped at that is neither structure nor plain text:
 * tab (text: returns 1, step over it), a valid UTF-8 sequence (returns its
 * length), -1 when more input is needed, 0 after reporting an error. */
static int odd_byte(struct loader *ld, const char *ls, const char *q,
		    const char *end, int eof)
{
	unsigned char b = (unsigned char)*q;
	int n;

	if (b == '\t')
		return 1;
	if (b >= 0x80) {
		n = utf8_len((const unsigned char *)q,
			     (const unsigned char *)end);
		if (n < 0 && !eof)
			return -1;
		if (n <= 0 && ld->line == 1 && q == ls && q + 1 < end &&
		    ((b == 0xFF && q[1] == '\xFE') ||
		     (b == 0xFE && q[1] == '\xFF'))) {
			/* UTF-16 or UTF-32, not one bad byte */
			diag_set(ld->err, BRIEF_EDATA, ld->name, 1, 1,
				 "the file is UTF-16 or UTF-32 (it starts "
				 "with that byte order mark): save it as CSV "
				 "UTF-8");
			return 0;
		}
		if (n <= 0) {
			diag_set(ld->err, BRIEF_EDATA, ld->name, ld->line,
				 col_at(ls, q), "invalid UTF-8 byte 0x%02X", b);
			diag_quote(ld->err, ls, (size_t)(q - ls));
			return 0;
		}
		/* C1 controls (U+0080..U+009F) are invisible on the page. */
		if (b != 0xC2 || (unsigned char)q[1] > 0x9F)
			return n;
		diag_set(ld->err, BRIEF_EDATA, ld->name, ld->line,
			 col_at(ls, q), "control character U+%04X in the data",
			 (unsigned char)q[1]);
		diag_quote(ld->err, ls, (size_t)(q - ls));
		return 0;
	}
	/* A NUL would cut the field short, the others are invisible on the
	 * page: both are refused. */
	if (b == 0)
		diag_set(ld->err, BRIEF_EDATA, ld->name, ld->line, col_at(ls, q),
			 "NUL byte (U+0000) in the data");
	else
		diag_set(ld->err, BRIEF_EDATA, ld->name, ld->line, col_at(ls, q),
			 "control character U+%04X in the data", b);
	diag_quote(ld->err, ls, (size_t)(q - ls));
	return 0;
}

static int malformed(struct loader *ld, const char *ls, const char *q,
		     const char *end)
{
	diag_set(ld->err, BRIEF_EDATA, ld->name, ld->line, col_at(ls, q),
		 "malformed quoting: a quote inside a field must be doubled "
		 "and the field enclosed in quotes");
	diag_quote(ld->err, ls, (size_t)(end - ls));
	return P_ERROR;
}

static int line_too_long(struct loader *ld)
{
	diag_set(ld->err, BRIEF_EDATA, ld->name, ld->line, 0,
		 "line longer than %ld bytes", CSV_MAX_LINE);
	return P_ERROR;
}

/* Parse one record starting at *pp (empty lines before it are skipped).
 * P_RECORD: ld->fields etc. describe it (not yet cut out) and *pp is just
 * past it; P_MORE: the buffer ends inside it (*pp is where to start again,
 * after any skipped lines; ld->line matches); P_END: no record before the
 * end of input; P_ERROR: err is filled. ld->line is kept at the line of
 * the byte being looked at, so diagnostics can use it. */
static int parse_record(struct loader *ld, char **pp, char *end, int eof)
{
	char *p = *pp, *q, *ls, *rs, *first_le = NULL, *fstart = NULL;
	long rline, cont = 0; /* cont: UTF-8 continuation bytes in [ls, q) */
	size_t nf = 0;
	int n;

	for (;;) { /* empty lines */
		if (p == end) {
			*pp = p;
			return eof ? P_END : P_MORE;
		}
		if (*p == '\n') {
			p++;
		} else if (*p == '\r') {
			if (p + 1 == end && !eof) {
				*pp = p;
				return P_MORE;
			}
			p += p + 1 < end && p[1] == '\n' ? 2 : 1;
		} else {
			break;
		}
		ld->line++;
	}
	*pp = rs = ls = p;
	rline = ld->line;
	for (;;) { /* one field at p */
		struct csv_field *f = &ld->fields[nf];

		if (nf == CSV_MAX_FIELDS) {
			diag_set(ld->err, BRIEF_EDATA, ld->name, ld->line, 0,
				 "record has more than %d fields",
				 CSV_MAX_FIELDS);
			goto error;
		}
		f->line = ld->line;
		f->col = (long)(p - ls) - cont + 1;
		fstart = p;
		if (p < end && *p == '"') {
			char *fls = ls;
			long fline = ld->line;
			size_t esc = 0;

			f->text = p + 1;
			for (q = p + 1;;) {
				q = (char *)scan(q, end, ld->delim, 0);
				if (q >= end) {
					if (!eof)
						goto more;
					diag_set(ld->err, BRIEF_EDATA, ld->name,
						 fline, f->col,
						 "quoted field is never closed");
					diag_quote(ld->err, fls,
						   (size_t)(end - fls));
					goto error;
				}
				if (*q == '"') {
					if (q + 1 >= end && !eof)
						goto more;
					if (q + 1 < end && q[1] == '"') {
						esc++;
						q += 2;
						continue;
					}
					break;
				}
				if (*q == '\n' || *q == '\r') {
					if (*q == '\r' && q + 1 >= end && !eof)
						goto more;
					if (!first_le)
						first_le = q;
					if (q - ls > CSV_MAX_LINE)
						return line_too_long(ld);
					q += *q == '\r' && q + 1 < end &&
							     q[1] == '\n'
						     ? 2
						     : 1;
					ls = q;
					cont = 0;
					ld->line++;
					continue;
				}
				n = odd_byte(ld, ls, q, end, eof);
				if (n < 0)
					goto more;
				if (n == 0)
					goto error;
				cont += n - 1;
				q += n;
			}
			/* q is the closing quote. */
			ld->fend[nf] = q;
			ld->fesc[nf] = esc;
			f->len = (size_t)(q - f->text) - esc;
			q++;
			if (q < end && *q != ld->delim && *q != '\n' &&
			    *q != '\r')
				return malformed(ld, ls, q - 1, end);
		} else {
			f->text = p;
			for (q = p;;) {
				q = (char *)scan(q, end, ld->delim, 1);
				if (q >= end) {
					if (!eof)
						goto more;
					q = end;
					break;
				}
				if (*q == ld->delim || *q == '\n' || *q == '\r')
					break;
				if (*q == '"')
					return malformed(ld, ls, q, end);
				n = odd_byte(ld, ls, q, end, eof);
				if (n < 0)
					goto more;
				if (n == 0)
					goto error;
				cont += n - 1;
				q += n;
			}
			ld->fend[nf] = q;
			ld->fesc[nf] = 0;
			f->len = (size_t)(q - p);
		}
		if (f->len > (size_t)CSV_MAX_FIELD) {
			diag_set(ld->err, BRIEF_EDATA, ld->name, f->line, f->col,
				 "field longer than %ld bytes", CSV_MAX_FIELD);
			goto error;
		}
		nf++;
		fstart = NULL;
		/* q is just past the field: a separator, a line end or the
		 * end of the input. */
		if (q < end && *q == ld->delim) {
			p = q + 1;
			continue;
		}
		if (q < end && *q == '\r' && q + 1 >= end && !eof)
			goto more;
		if (q - ls > CSV_MAX_LINE)
			return line_too_long(ld);
		if (!first_le)
			first_le = q;
		if (q < end) {
			q += *q == '\r' && q + 1 < end && q[1] == '\n' ? 2 : 1;
			ld->line++;
		}
		break;
	}
	ld->nfields = nf;
	ld->rec_line = rline;
	/* The first physical line, kept before the fields are cut out. */
	ld->raw_len = (size_t)(first_le - rs);
	if (ld->raw_len + 1 > ld->raw_cap) {
		size_t cap = ld->raw_cap ? ld->raw_cap : 256;
		char *r;

		while (cap < ld->raw_len + 1)
			cap *= 2;
		r = realloc(ld->raw, cap);
		if (!r) {
			ld->fail = diag_set(ld->err, BRIEF_ENOMEM, ld->name,
					    rline, 0, "out of memory");
			return P_ERROR;
		}
		ld->raw = r;
		ld->raw_cap = cap;
	}
	memcpy(ld->raw, rs, ld->raw_len);
	ld->raw[ld->raw_len] = '\0';
	*pp = q;
	return P_RECORD;
more:
	/* Memory stays bounded by the caps even while a record is still
	 * arriving: a line or a field already past its cap is an error now. */
	if (end - ls > CSV_MAX_LINE)
		return line_too_long(ld);
	if (fstart && end - fstart > 2 * CSV_MAX_FIELD + 2) {
		diag_set(ld->err, BRIEF_EDATA, ld->name, ld->fields[nf].line,
			 ld->fields[nf].col, "field longer than %ld bytes",
			 CSV_MAX_FIELD);
		goto error;
	}
	ld->line = rline;
	return P_MORE;
error:
	return P_ERROR;
}

/* Cut the parsed record's fields out in place: fold doubled quotes, end
 * each with a NUL (over its separator, closing quote or line end). */
static void cut_fields(struct loader *ld)
{
	size_t i;

	for (i = 0; i < ld->nfields; i++) {
		struct csv_field *f = &ld->fields[i];
		char *t = (char *)f->text;

		if (ld->fesc[i]) {
			const char *s = t, *e = ld->fend[i];
			char *o = t;

			while (s < e) {
				const char *qt = memchr(s, '"', (size_t)(e - s));
				size_t k = qt ? (size_t)(qt - s) + 1
					      : (size_t)(e - s);

				memmove(o, s, k);
				o += k;
				s += k + (qt ? 1 : 0); /* skip the second quote */
			}
		}
		t[f->len] = '\0';
	}
}

enum brief_status csv_load_stream(FILE *in, const char *name, csv_record_fn fn,
				  void *ctx, struct diag *err)
{
	return csv_load_stream_delim(in, name, ',', fn, ctx, err);
}

/* The load itself; digest (may be NULL) receives every byte read. */
static enum brief_status load(FILE *in, const char *name, char delim,
			      csv_record_fn fn, void *ctx,
			      struct file_digest *digest, struct diag *err)
{
	struct loader *ld = NULL;
	char *buf = NULL, *p;
	size_t cap = READ_BLOCK, have = 0, pos = 0;
	int eof = 0, first = 1, r;
	enum brief_status st = BRIEF_OK;
	struct csv_record rec;

	if (delim == '"' || delim == '\n' || delim == '\r' || delim == '\0')
		return diag_set(err, BRIEF_EINTERNAL, name, 0, 0,
				"internal error in the CSV loader: bad delimiter");
	ld = calloc(1, sizeof *ld);
	buf = malloc(cap + PAD);
	if (!ld || !buf) {
		st = diag_set(err, BRIEF_ENOMEM, name, 0, 0, "out of memory");
		goto out;
	}
	ld->name = name;
	ld->delim = delim;
	ld->fn = fn;
	ld->ctx = ctx;
	ld->err = err;
	ld->line = 1;
	ld->fail = BRIEF_EDATA;
	memset(buf, 0, PAD);
	for (;;) {
		p = buf + pos;
		r = first ? P_MORE : parse_record(ld, &p, buf + have, eof);
		pos = (size_t)(p - buf);
		if (r == P_RECORD) {
			cut_fields(ld);
			rec.fields = ld->fields;
			rec.nfields = ld->nfields;
			rec.line = ld->rec_line;
			rec.raw = ld->raw;
			rec.raw_len = ld->raw_len;
			rec.index = ld->index++;
			st = fn(ctx, &rec, err);
			if (st != BRIEF_OK)
				goto out;
			continue;
		}
		if (r == P_END)
			break;
		if (r == P_ERROR) {
			st = ld->fail;
			goto out;
		}
		/* P_MORE: keep the unparsed tail, read behind it. */
		if (pos > 0) {
			memmove(buf, buf + pos, have - pos);
			have -= pos;
			pos = 0;
		}
		if (have + READ_BLOCK / 2 > cap) {
			char *nb = realloc(buf, 2 * cap + PAD);

			if (!nb) {
				st = diag_set(err, BRIEF_ENOMEM, name, ld->line,
					      0, "out of memory");
				goto out;
			}
			buf = nb;
			cap *= 2;
		}
		{
			size_t got = eof ? 0 : fread(buf + have, 1, cap - have, in);

			if (got == 0) {
				if (ferror(in)) {
					st = diag_set(err, BRIEF_EIO, name, 0, 0,
						      "read error: %s",
						      strerror(errno));
					goto out;
				}
				eof = 1;
			}
			if (digest)
				file_digest_update(digest, buf + have, got);
			have += got;
			memset(buf + have, 0, PAD);
		}
		if (first && (have >= 3 || eof)) {
			first = 0;
			st = not_text(buf, have, name, err);
			if (st)
				goto out;
			if (have >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
				pos = 3;
		}
	}
out:
	if (ld)
		free(ld->raw);
	free(ld);
	free(buf);
	return st;
}

enum brief_status csv_parse_buffer(char *buf, size_t len, const char *name,
				   long line0, size_t index0, int bom,
				   csv_record_fn fn, void *ctx,
				   struct diag *err)
{
	struct loader *ld = calloc(1, sizeof *ld);
	char *p = buf;
	enum brief_status st = BRIEF_OK;
	struct csv_record rec;
	int r;

	if (!ld)
		return diag_set(err, BRIEF_ENOMEM, name, line0, 0,
				"out of memory");
	ld->name = name;
	ld->delim = ',';
	ld->err = err;
	ld->line = line0;
	ld->index = index0;
	ld->fail = BRIEF_EDATA;
	memset(buf + len, 0, PAD);
	if (bom && (st = not_text(buf, len, name, err)) != BRIEF_OK) {
		free(ld);
		return st;
	}
	if (bom && len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while ((r = parse_record(ld, &p, buf + len, 1)) == P_RECORD) {
		cut_fields(ld);
		rec.fields = ld->fields;
		rec.nfields = ld->nfields;
		rec.line = ld->rec_line;
		rec.raw = ld->raw;
		rec.raw_len = ld->raw_len;
		rec.index = ld->index++;
		st = fn(ctx, &rec, err);
		if (st != BRIEF_OK)
			break;
	}
	if (r == P_ERROR)
		st = ld->fail;
	free(ld->raw);
	free(ld);
	return st;
}

/* Line ends and quotes in s[0, n): *lf LFs, *cr whether any CR, and the
 * parity of the quotes. Sixteen bytes at a time where there is SSE2. */
static void count_bytes(const char *s, size_t n, long *lf, int *cr,
			unsigned *quotes)
{
	size_t i = 0;
	long l = 0;
	unsigned q = 0;
	int c = 0;

#ifdef __SSE2__
	const __m128i kl = _mm_set1_epi8('\n'), kr = _mm_set1_epi8('\r'),
		      kq = _mm_set1_epi8('"'), zero = _mm_setzero_si128();
	__m128i crs = zero;

	/* Byte-wise counters (a match is -1), summed every 255 blocks. */
	while (i + 16 <= n) {
		__m128i cl = zero, cq = zero;
		size_t k;

		for (k = 0; k < 255 && i + 16 <= n; k++, i += 16) {
			__m128i v = _mm_loadu_si128(
				(const __m128i *)(const void *)(s + i));

			cl = _mm_sub_epi8(cl, _mm_cmpeq_epi8(v, kl));
			cq = _mm_sub_epi8(cq, _mm_cmpeq_epi8(v, kq));
			crs = _mm_or_si128(crs, _mm_cmpeq_epi8(v, kr));
		}
		cl = _mm_sad_epu8(cl, zero);
		cq = _mm_sad_epu8(cq, zero);
		l += _mm_cvtsi128_si32(cl) +
		     _mm_cvtsi128_si32(_mm_unpackhi_epi64(cl, cl));
		q += (unsigned)(_mm_cvtsi128_si32(cq) +
				_mm_cvtsi128_si32(_mm_unpackhi_epi64(cq, cq)));
	}
	c = _mm_movemask_epi8(crs);
#endif
	for (; i < n; i++) {
		l += s[i] == '\n';
		q += s[i] == '"';
		c |= s[i] == '\r';
	}
	*lf = l;
	*cr = c != 0;
	*quotes = q & 1;
}

size_t csv_split(const char *buf, size_t len, long *lines)
{
	long lf, n = 0;
	int cr;
	unsigned par;
	size_t p, cut = 0;

	count_bytes(buf, len, &lf, &cr, &par);
	/* Back from the end: the parity before p is the whole buffer's
	 * minus that of the quotes from p on. */
	for (p = len; p-- > 0;) {
		char b = buf[p];

		if (b == '"') {
			par ^= 1;
			continue;
		}
		if (par)
			continue;
		if (b == '\n' || (b == '\r' && p + 1 < len && buf[p + 1] != '\n')) {
			cut = p + 1;
			break;
		}
	}
	if (!cut) {
		*lines = 0;
		return 0;
	}
	count_bytes(buf, cut, &lf, &cr, &par);
	n = lf;
	if (cr) /* bare CRs are lines too; a CR of a CRLF is not another */
		for (p = 0; p < cut; p++)
			if (buf[p] == '\r' && (p + 1 >= cut || buf[p + 1] != '\n'))
				n++;
	*lines = n;
	return cut;
}

enum brief_status csv_load_stream_delim(FILE *in, const char *name, char delim,
					csv_record_fn fn, void *ctx,
					struct diag *err)
{
	return load(in, name, delim, fn, ctx, NULL, err);
}

enum brief_status csv_load_stream_digest(FILE *in, const char *name,
					 csv_record_fn fn, void *ctx,
					 struct file_digest *dg,
					 struct diag *err)
{
	return load(in, name, ',', fn, ctx, dg, err);
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
	struct file_digest dg;
	struct stat sb;
	enum brief_status st = csv_open(path, &in, err);
	int have_st;

	if (st != BRIEF_OK)
		return st;
	/* Hash while reading: the input hash (--if-changed) then needs no
	 * second pass over a file read to its end (infile_digest). */
	have_st = fstat(fileno(in), &sb) == 0;
	file_digest_init(&dg);
	st = load(in, path, delim, fn, ctx, &dg, err);
	if (have_st && (st == BRIEF_OK || st == BRIEF_EDATA) && feof(in) &&
	    dg.total == (uint64_t)sb.st_size)
		infile_set_digest(&sb, &dg);
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
