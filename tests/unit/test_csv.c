/* test_csv.c — csv_load: the csv-spectrum files against their JSON, and the
 * position of every field and every error (quoted newlines, multibyte
 * UTF-8, BOM, CRLF, empty fields, whitespace, invalid UTF-8, quoting).
 * Run from the repository root (tests/run.sh does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv_load.h"

#define SPECTRUM_DIR "tests/csv-spectrum"

/* ---- collecting records --------------------------------------------- */

/* A copy of one record. Owns every string. */
struct rec {
	long line;
	size_t index;
	size_t n;
	char **text;
	size_t *len;
	long *fline;
	long *fcol;
	char *raw;
};

/* All records of a load. Owns r. stop_at: return BRIEF_EDATA from the
 * callback at that record index (-1: never). */
struct coll {
	struct rec *r;
	size_t n;
	long stop_at;
};

static char *dup_bytes(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	assert_non_null(p);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static enum brief_status collect(void *ctx, const struct csv_record *rec,
				 struct diag *err)
{
	struct coll *c = ctx;
	struct rec *r;
	size_t i;

	if (c->stop_at >= 0 && rec->index == (size_t)c->stop_at)
		return diag_set(err, BRIEF_EDATA, "cb", rec->line, 1, "stop");
	c->r = realloc(c->r, (c->n + 1) * sizeof *c->r);
	assert_non_null(c->r);
	r = &c->r[c->n++];
	r->line = rec->line;
	r->index = rec->index;
	r->n = rec->nfields;
	r->text = calloc(rec->nfields + 1, sizeof *r->text);
	r->len = calloc(rec->nfields + 1, sizeof *r->len);
	r->fline = calloc(rec->nfields + 1, sizeof *r->fline);
	r->fcol = calloc(rec->nfields + 1, sizeof *r->fcol);
	assert_true(r->text && r->len && r->fline && r->fcol);
	for (i = 0; i < rec->nfields; i++) {
		const struct csv_field *f = &rec->fields[i];

		/* Fields are NUL-terminated at len. */
		assert_int_equal(f->text[f->len], '\0');
		r->text[i] = dup_bytes(f->text, f->len);
		r->len[i] = f->len;
		r->fline[i] = f->line;
		r->fcol[i] = f->col;
	}
	r->raw = dup_bytes(rec->raw, rec->raw_len);
	return BRIEF_OK;
}

static void coll_free(struct coll *c)
{
	size_t i, j;

	for (i = 0; i < c->n; i++) {
		for (j = 0; j < c->r[i].n; j++)
			free(c->r[i].text[j]);
		free(c->r[i].text);
		free(c->r[i].len);
		free(c->r[i].fline);
		free(c->r[i].fcol);
		free(c->r[i].raw);
	}
	free(c->r);
	c->r = NULL;
	c->n = 0;
}

/* Load bytes (may hold NULs or invalid UTF-8) through a temporary file. */
static enum brief_status load_bytes(const char *bytes, size_t n,
				    struct coll *c, struct diag *err)
{
	FILE *f = tmpfile();
	enum brief_status st;

	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	rewind(f);
	c->r = NULL;
	c->n = 0;
	st = csv_load_stream(f, "t.csv", collect, c, err);
	fclose(f);
	return st;
}

/* A NUL-free input as a string literal. */
static enum brief_status load_str(const char *s, struct coll *c,
				  struct diag *err)
{
	return load_bytes(s, strlen(s), c, err);
}

static void assert_field(const struct coll *c, size_t r, size_t i,
			 const char *text, long line, long col)
{
	assert_true(r < c->n);
	assert_true(i < c->r[r].n);
	assert_string_equal(c->r[r].text[i], text);
	assert_int_equal(c->r[r].len[i], strlen(text));
	assert_int_equal(c->r[r].fline[i], line);
	assert_int_equal(c->r[r].fcol[i], col);
}

static void assert_diag(const struct diag *d, const char *file, long line,
			long col, const char *msg)
{
	assert_string_equal(d->file, file);
	assert_int_equal(d->line, line);
	assert_int_equal(d->col, col);
	assert_string_equal(d->msg, msg);
}

/* ---- a minimal JSON reader for the csv-spectrum expectations --------- */

/* The expected records: objects whose values are all strings. Owns all. */
struct jobj {
	size_t n;
	char **key;
	char **val;
};

struct jdoc {
	struct jobj *o;
	size_t n;
	int top_object; /* the document was one object, not an array */
};

struct jparse {
	const char *s;
	size_t i, n;
};

static void jws(struct jparse *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\n' ||
			       p->s[p->i] == '\r' || p->s[p->i] == '\t'))
		p->i++;
}

static int jhex4(struct jparse *p, unsigned long *out)
{
	unsigned long v = 0;
	int k;

	for (k = 0; k < 4; k++) {
		char ch;

		if (p->i >= p->n)
			return -1;
		ch = p->s[p->i++];
		v <<= 4;
		if (ch >= '0' && ch <= '9')
			v |= (unsigned long)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			v |= (unsigned long)(ch - 'a' + 10);
		else if (ch >= 'A' && ch <= 'F')
			v |= (unsigned long)(ch - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void put_utf8(char *out, size_t *o, unsigned long cp)
{
	if (cp < 0x80) {
		out[(*o)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*o)++] = (char)(0xC0 | (cp >> 6));
		out[(*o)++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		out[(*o)++] = (char)(0xE0 | (cp >> 12));
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[(*o)++] = (char)(0x80 | (cp & 0x3F));
	} else {
		out[(*o)++] = (char)(0xF0 | (cp >> 18));
		out[(*o)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[(*o)++] = (char)(0x80 | (cp & 0x3F));
	}
}

/* A JSON string at p (after whitespace); malloc'd UTF-8, NULL on error. */
static char *jstring(struct jparse *p)
{
	char *out;
	size_t o = 0;

	jws(p);
	if (p->i >= p->n || p->s[p->i] != '"')
		return NULL;
	p->i++;
	out = malloc(p->n - p->i + 1); /* unescaping never grows text */
	assert_non_null(out);
	while (p->i < p->n && p->s[p->i] != '"') {
		char ch = p->s[p->i++];
		unsigned long cp, lo;

		if (ch != '\\') {
			out[o++] = ch;
			continue;
		}
		if (p->i >= p->n)
			goto bad;
		ch = p->s[p->i++];
		switch (ch) {
		case '"': case '\\': case '/':
			out[o++] = ch;
			break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'u':
			if (jhex4(p, &cp))
				goto bad;
			if (cp >= 0xD800 && cp < 0xDC00) {
				if (p->i + 2 > p->n || p->s[p->i] != '\\' ||
				    p->s[p->i + 1] != 'u')
					goto bad;
				p->i += 2;
				if (jhex4(p, &lo) || lo < 0xDC00 || lo > 0xDFFF)
					goto bad;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			put_utf8(out, &o, cp);
			break;
		default:
			goto bad;
		}
	}
	if (p->i >= p->n)
		goto bad;
	p->i++;
	out[o] = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

static int jobject(struct jparse *p, struct jobj *ob)
{
	memset(ob, 0, sizeof *ob);
	jws(p);
	if (p->i >= p->n || p->s[p->i++] != '{')
		return -1;
	jws(p);
	if (p->i < p->n && p->s[p->i] == '}') {
		p->i++;
		return 0;
	}
	for (;;) {
		char *k = jstring(p), *v;

		if (!k)
			return -1;
		jws(p);
		if (p->i >= p->n || p->s[p->i++] != ':') {
			free(k);
			return -1;
		}
		v = jstring(p);
		if (!v) {
			free(k);
			return -1;
		}
		ob->key = realloc(ob->key, (ob->n + 1) * sizeof *ob->key);
		ob->val = realloc(ob->val, (ob->n + 1) * sizeof *ob->val);
		assert_true(ob->key && ob->val);
		ob->key[ob->n] = k;
		ob->val[ob->n] = v;
		ob->n++;
		jws(p);
		if (p->i < p->n && p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->i < p->n && p->s[p->i] == '}') {
			p->i++;
			return 0;
		}
		return -1;
	}
}

static void jdoc_free(struct jdoc *d)
{
	size_t i, j;

	for (i = 0; i < d->n; i++) {
		for (j = 0; j < d->o[i].n; j++) {
			free(d->o[i].key[j]);
			free(d->o[i].val[j]);
		}
		free(d->o[i].key);
		free(d->o[i].val);
	}
	free(d->o);
	memset(d, 0, sizeof *d);
}

/* Parse an array of flat string objects (or one such object). */
static int jdoc_parse(const char *s, size_t n, struct jdoc *d)
{
	struct jparse p = {s, 0, n};

	memset(d, 0, sizeof *d);
	jws(&p);
	if (p.i < p.n && p.s[p.i] == '{') {
		d->o = calloc(1, sizeof *d->o);
		assert_non_null(d->o);
		d->n = 1;
		d->top_object = 1;
		if (jobject(&p, &d->o[0]))
			return -1;
	} else {
		if (p.i >= p.n || p.s[p.i++] != '[')
			return -1;
		jws(&p);
		if (p.i < p.n && p.s[p.i] == ']') {
			p.i++;
		} else {
			for (;;) {
				d->o = realloc(d->o, (d->n + 1) * sizeof *d->o);
				assert_non_null(d->o);
				d->n++;
				if (jobject(&p, &d->o[d->n - 1]))
					return -1;
				jws(&p);
				if (p.i < p.n && p.s[p.i] == ',') {
					p.i++;
					continue;
				}
				if (p.i < p.n && p.s[p.i] == ']') {
					p.i++;
					break;
				}
				return -1;
			}
		}
	}
	jws(&p);
	return p.i == p.n ? 0 : -1;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		fail_msg("cannot open %s (run from the repository root)", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The JSON reader itself, so a broken reader cannot pass vacuously. */
static void test_json_reader(void **state)
{
	static const char js[] =
		"[ {\"a\": \"x\\\"y\\n\", \"b\" : \"\\u00e9\\ud83d\\ude42\"},\n"
		"  {} ]\n";
	struct jdoc d;

	(void)state;
	assert_int_equal(jdoc_parse(js, strlen(js), &d), 0);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.o[0].n, 2);
	assert_string_equal(d.o[0].key[0], "a");
	assert_string_equal(d.o[0].val[0], "x\"y\n");
	assert_string_equal(d.o[0].key[1], "b");
	assert_string_equal(d.o[0].val[1], "\xC3\xA9\xF0\x9F\x99\x82");
	assert_int_equal(d.o[1].n, 0);
	jdoc_free(&d);
	assert_int_not_equal(jdoc_parse("[{\"a\": 1}]", 10, &d), 0);
	jdoc_free(&d);
}

/* Load csvs/NAME.csv and compare every record and field with json/NAME.json:
 * one object per data record, keys equal to the header fields in order,
 * values equal to the fields byte for byte. */
static void spectrum_check(const char *name)
{
	char path[256], *js;
	size_t jlen, r, i;
	struct coll c = {NULL, 0, -1};
	struct diag err;
	struct jdoc d;
	enum brief_status st;

	memset(&err, 0, sizeof err);
	snprintf(path, sizeof path, SPECTRUM_DIR "/json/%s.json", name);
	js = slurp(path, &jlen);
	if (jdoc_parse(js, jlen, &d))
		fail_msg("%s: not the JSON this reader expects", path);
	free(js);
	assert_false(d.top_object);
	snprintf(path, sizeof path, SPECTRUM_DIR "/csvs/%s.csv", name);
	st = csv_load(path, collect, &c, &err);
	if (st != BRIEF_OK)
		fail_msg("%s:%ld:%ld: %s", err.file, err.line, err.col, err.msg);
	assert_true(c.n >= 1);
	assert_int_equal(c.n - 1, d.n);
	for (r = 0; r < d.n; r++) {
		const struct rec *rec = &c.r[r + 1];

		assert_int_equal(rec->index, r + 1);
		assert_int_equal(rec->n, c.r[0].n);
		assert_int_equal(d.o[r].n, c.r[0].n);
		for (i = 0; i < d.o[r].n; i++) {
			assert_string_equal(d.o[r].key[i], c.r[0].text[i]);
			assert_string_equal(d.o[r].val[i], rec->text[i]);
			assert_int_equal(strlen(d.o[r].val[i]), rec->len[i]);
		}
	}
	jdoc_free(&d);
	coll_free(&c);
}

#define SPECTRUM(name)                                      \
	static void test_spectrum_##name(void **state)      \
	{                                                   \
		(void)state;                                \
		spectrum_check(#name);                      \
	}
SPECTRUM(comma_in_quotes)
SPECTRUM(empty)
SPECTRUM(empty_crlf)
SPECTRUM(escaped_quotes)
SPECTRUM(json)
SPECTRUM(newlines)
SPECTRUM(newlines_crlf)
SPECTRUM(quotes_and_newlines)
SPECTRUM(simple)
SPECTRUM(simple_crlf)
SPECTRUM(utf8)

/* The vendored *_crlf files really are CRLF (every LF follows a CR). */
static void test_spectrum_crlf_files(void **state)
{
	static const char *const names[] = {"empty_crlf", "newlines_crlf",
					    "simple_crlf"};
	size_t k, i, len, lf;
	char path[256], *s;

	(void)state;
	for (k = 0; k < sizeof names / sizeof *names; k++) {
		snprintf(path, sizeof path, SPECTRUM_DIR "/csvs/%s.csv",
			 names[k]);
		s = slurp(path, &len);
		lf = 0;
		for (i = 0; i < len; i++) {
			if (s[i] != '\n')
				continue;
			lf++;
			assert_true(i > 0 && s[i - 1] == '\r');
		}
		assert_true(lf >= 2);
		free(s);
	}
}

/* location_coordinates.csv has a bare quote in an unquoted field (not RFC
 * 4180; its JSON does not match it either): a strict reader rejects it at
 * the first bare quote. */
static void test_spectrum_location_coordinates(void **state)
{
	struct coll c = {NULL, 0, -1};
	struct diag err;

	(void)state;
	memset(&err, 0, sizeof err);
	assert_int_equal(csv_load(SPECTRUM_DIR "/csvs/location_coordinates.csv",
				  collect, &c, &err),
			 BRIEF_EDATA);
	assert_diag(&err, SPECTRUM_DIR "/csvs/location_coordinates.csv", 2, 22,
		    "malformed quoting: a quote inside a field must be doubled "
		    "and the field enclosed in quotes");
	assert_int_equal(c.n, 1); /* the header got through */
	coll_free(&c);
}

/* ---- positions ------------------------------------------------------- */

static void test_simple_positions(void **state)
{
	struct coll c = {NULL, 0, -1};
	struct diag err;

	(void)state;
	assert_int_equal(load_str("id,name,v\nab,cd,12\n", &c, &err),
			 BRIEF_OK);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.r[0].index, 0);
	assert_int_equal(c.r[0].line, 1);
	assert_field(&c, 0, 0, "id", 1, 1);
	assert_field(&c, 0, 1, "name", 1, 4);
	assert_field(&c, 0, 2, "v", 1, 9);
	assert_int_equal(c.r[1].index, 1);
	assert_int_equal(c.r[1].line, 2);
	assert_field(&c, 1, 0, "ab", 2, 1);
	assert_field(&c, 1, 1, "cd", 2, 4);
	assert_field(&c, 1, 2, "12", 2, 7);
	assert_string_equal(c.r[1].raw, "ab,cd,12");
	coll_free(&c);
}

/* A quoted field with newlines: it starts at its opening quote, and the
 * fields after it are on the later physical line. */
static void test_quoted_newline_positions(void **state)
{
	struct coll c = {NULL, 0, -1};
	struct diag err;

	(void)state;
	assert_int_equal(load_str("a,b,c\n1,\"two\nlines\nhere\",3\n4,5,6\n",
				  &c, &err),
			 BRIEF_OK);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.r[1].line, 2);
	assert_field(&c, 1, 0, "1", 2, 1);
	assert_field(&c, 1, 1, "two\nlines\nhere", 2, 3);
	assert_field(&c, 1, 2, "3", 4, 7);
	assert_string_equal(c.r[1].raw, "1,\"two");
	assert_int_equal(c.r[2].line, 5);
	assert_field(&c, 2, 0, "4", 5, 1);
	assert_field(&c, 2, 2, "6", 5, 5);
	assert_string_equal(c.r[2].raw, "4,5,6");
	coll_free(&c);
}

/* Columns count code points, not bytes. */
static void test_multibyte_columns(void **state)
{
	struct coll c = {NULL, 0, -1};
	struct diag err;

	(void)state;
	/* "名前" (2 x 3 bytes), "ä" (2 bytes), "🙂" (4 bytes). */
	assert_int_equal(load_str("h1,h2,h3,h4\n"
				  "\xE5\x90\x8D\xE5\x89\x8D,\xC3\xA4,"
				  "\"\xF0\x9F\x99\x82x\",z\n",
				  &c, &err),
			 BRIEF_OK);
	assert_int_equal(c.n, 2);
	assert_field(&c, 1, 0, "\xE5\x90\x8D\xE5\x89\x8D", 2, 1);
	assert_field(&c, 1, 1, "\xC3\xA4", 2, 4);
	assert_field(&c, 1, 2, "\xF0\x9F\x99\x82x", 2, 6);
	assert_field(&c, 1, 3, "z", 2, 11);
	coll_free(&c);
}

/* A UTF-8 BOM is skipped: not part of the first field, not a column. */
static void test_bom(void **state)
{
	struct coll c = {NULL, 0, -1};
	struct diag err;

	(void)state;
	assert_int_equal(load_str("\xEF\xBB\xBFid,x\nq,r\n", &c, &err),
			 BRIEF_OK);
	assert_int_equal(c.n, 2);
	assert_field(&c, 0, 0, "id", 1, 1);
	assert_field(&c, 0, 1, "x", 1, 4);
	assert_string_equal(c.r[0].raw, "id,x");
	assert_field(&c, 1, 1, "r", 2, 3);
	coll_free(&c);
}

/* CRLF line ends: no CR in fields or raw, lines counted by LF; a CRLF
 * inside quotes is kept. */
static void test_crlf(void **state)
{
	struct coll c = {NULL, 0, -1};
	struct diag err;

	(void)state;
	assert_int_equal(load_str("a,b\r\n\"x\r\ny\",2\r\nlast,\"q\"\r\n", &c,
				  &err),
			 BRIEF_OK);
	assert_int_equal(c.n, 3);
	assert_field(&c, 0, 1, "b", 1, 3);
	assert_string_equal(c.r[0].raw, "a,b");
	assert_field(&c, 1, 0, "x\r\ny", 2, 1);
	assert_field(&c, 1, 1, "2", 3, 4);
	assert_int_equal(c.r[2].line, 4);
	assert_field(&c, 2, 0, "last", 4, 1);
	assert_field(&c, 2, 1, "q", 4, 6);
	assert_string_equal(c.r[2].raw, "last,\"q\"");
	coll_free(&c);
}

/* BOM and CRLF together, with multibyte text before a field. */
static void test_bom_crlf_multibyte(void **state)
{
	struct coll c = {NULL, 0, -1};
	struct diag err;

	(void)state;
	assert_int_equal(load_str("\xEF\xBB\xBF"
				  "a,b,c\r\n"
				  "\xD4\xB1\xD6\x80\xD6\x81,\"\xD5\xAD,\",z\r\n",
				  &c, &err),
			 BRIEF_OK);
	assert_int_equal(c.n, 2);
	assert_field(&c, 0, 2, "c", 1, 5);
	assert_field(&c, 1, 1, "\xD5\xAD,", 2, 5);
	assert_field(&c, 1, 2, "z", 2, 10);
	coll_free(&c);
}

/* An empty last field exists, with or without a final line end. */
static void test_empty_last_field(void **state)
{
	struct coll c = {NULL, 0, -1};
	struct diag err;

	(void)state;
	assert_int_equal(load_str("a,b,c\n1,2,\n,,\n3,,", &c, &err), BRIEF_OK);
	assert_int_equal(c.n, 4);
	assert_int_equal(c.r[1].n, 3);
	assert_field(&c, 1, 2, "", 2, 5);
	assert_int_equal(c.r[2].n, 3);
	assert_field(&c, 2, 0, "", 3, 1);
	assert_field(&c, 2, 1, "", 3, 2);
	assert_field(&c, 2, 2, "", 3, 3);
	assert_int_equal(c.r[3].n, 3);
	assert_field(&c, 3, 0, "3", 4, 1);
	assert_field(&c, 3, 1, "", 4, 3);
	assert_field(&c, 3, 2, "", 4, 4);
	coll_free(&c);
}

/* Leading and trailing spaces and tabs are kept, quoted or not. */
static void test_whitespace_kept(void **state)
{
	struct coll c = {NULL, 0, -1};
	struct diag err;

	(void)state;
	assert_int_equal(load_str("a,b,c\n  x , \ty\t,\" z \"\n", &c, &err),
			 BRIEF_OK);
	assert_int_equal(c.n, 2);
	assert_field(&c, 1, 0, "  x ", 2, 1);
	assert_field(&c, 1, 1, " \ty\t", 2, 6);
	assert_field(&c, 1, 2, " z ", 2, 11);
	coll_free(&c);
}

/* Empty lines are skipped but still counted. */
static void test_empty_lines(void **state)
{
	struct coll c = {NULL, 0, -1};
	struct diag err;

	(void)state;
	assert_int_equal(load_str("a,b\n\n\r\n1,2\n\n", &c, &err), BRIEF_OK);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.r[1].index, 1);
	assert_int_equal(c.r[1].line, 4);
	assert_field(&c, 1, 1, "2", 4, 3);
	coll_free(&c);
}

static void test_empty_input(void **state)
{
	struct coll c = {NULL, 0, -1};
	struct diag err;

	(void)state;
	assert_int_equal(load_bytes("", 0, &c, &err), BRIEF_OK);
	assert_int_equal(c.n, 0);
	assert_int_equal(load_str("\xEF\xBB\xBF", &c, &err), BRIEF_OK);
	assert_int_equal(c.n, 0);
}

/* ---- errors ---------------------------------------------------------- */

static void test_invalid_utf8(void **state)
{
	struct coll c = {NULL, 0, -1};
	struct diag err;

	(void)state;
	/* A lead byte followed by ASCII, after a 2-byte character. */
	assert_int_equal(load_str("a,b\nx\xC3\xA9,\xC3(\n", &c, &err),
			 BRIEF_EDATA);
	assert_diag(&err, "t.csv", 2, 4, "invalid UTF-8 byte 0xC3");
	assert_int_equal(c.n, 1); /* the header only */
	coll_free(&c);
	/* A stray continuation byte at the start of a line. */
	assert_int_equal(load_str("a,b\n\x80,1\n", &c, &err), BRIEF_EDATA);
	assert_diag(&err, "t.csv", 2, 1, "invalid UTF-8 byte 0x80");
	coll_free(&c);
	/* An overlong encoding of '/'. */
	assert_int_equal(load_str("a,b\n1,\xC0\xAF\n", &c, &err), BRIEF_EDATA);
	assert_diag(&err, "t.csv", 2, 3, "invalid UTF-8 byte 0xC0");
	coll_free(&c);
	/* Inside a quoted field, on its second line. */
	assert_int_equal(load_str("a,b\n1,\"ok\nb\xFFx\"\n", &c, &err),
			 BRIEF_EDATA);
	assert_diag(&err, "t.csv", 3, 2, "invalid UTF-8 byte 0xFF");
	coll_free(&c);
	/* A surrogate encoded in UTF-8 (U+D800). */
	assert_int_equal(load_str("a\n\xED\xA0\x80\n", &c, &err), BRIEF_EDATA);
	assert_diag(&err, "t.csv", 2, 1, "invalid UTF-8 byte 0xED");
	coll_free(&c);
}

static void test_unterminated_quote(void **state)
{
	struct coll c = {NULL, 0, -1};
	struct diag err;

	(void)state;
	assert_int_equal(load_str("a,b\n1,\"abc\n2,3\n", &c, &err),
			 BRIEF_EDATA);
	assert_diag(&err, "t.csv", 2, 3, "quoted field is never closed");
	assert_string_equal(err.quote, "1,\"abc");
	assert_int_equal(c.n, 1);
	coll_free(&c);
	/* A lone quote as the last byte of the file. */
	assert_int_equal(load_str("a,b\nx,\"", &c, &err), BRIEF_EDATA);
	assert_diag(&err, "t.csv", 2, 3, "quoted field is never closed");
	coll_free(&c);
}

#define MALFORMED                                                   \
	"malformed quoting: a quote inside a field must be doubled " \
	"and the field enclosed in quotes"

static void test_malformed_quote(void **state)
{
	struct coll c = {NULL, 0, -1};
	struct diag err;

	(void)state;
	/* A quote inside an unquoted field: the caret is on that quote. */
	assert_int_equal(load_str("a,b\nx,ab\"c\n", &c, &err), BRIEF_EDATA);
	assert_diag(&err, "t.csv", 2, 5, MALFORMED);
	assert_string_equal(err.quote, "x,ab\"c");
	coll_free(&c);
	/* The same after multibyte text. */
	assert_int_equal(load_str("a,b\n\xC3\xA9,\xC3\xA9\"\n", &c, &err),
			 BRIEF_EDATA);
	assert_diag(&err, "t.csv", 2, 4, MALFORMED);
	coll_free(&c);
	/* Text after a closing quote: the caret is on the quote that closed
	 * the field too early (it should have been doubled). */
	assert_int_equal(load_str("a,b\nx,\"ab\"c\n", &c, &err), BRIEF_EDATA);
	assert_diag(&err, "t.csv", 2, 6, MALFORMED);
	coll_free(&c);
	/* A space after the closing quote is text after it, too. */
	assert_int_equal(load_str("a,b\n\"x\" ,y\n", &c, &err), BRIEF_EDATA);
	assert_diag(&err, "t.csv", 2, 3, MALFORMED);
	coll_free(&c);
	/* On the second line of a multi-line quoted field. */
	assert_int_equal(load_str("a,b\n1,\"one\ntwo\"x\n", &c, &err),
			 BRIEF_EDATA);
	assert_diag(&err, "t.csv", 3, 4, MALFORMED);
	coll_free(&c);
}

/* The callback's status stops the load and is returned. */
static void test_callback_stops(void **state)
{
	struct coll c = {NULL, 0, 2};
	struct diag err;
	FILE *f = tmpfile();

	(void)state;
	assert_non_null(f);
	fputs("a\n1\n2\n3\n", f);
	rewind(f);
	assert_int_equal(csv_load_stream(f, "t.csv", collect, &c, &err),
			 BRIEF_EDATA);
	fclose(f);
	assert_int_equal(c.n, 2);
	assert_diag(&err, "cb", 3, 1, "stop");
	coll_free(&c);
}

static void test_missing_file(void **state)
{
	struct coll c = {NULL, 0, -1};
	struct diag err;

	(void)state;
	/* Missing: invalid input naming the path (exit 1, common rules). */
	assert_int_equal(csv_load("tests/no/such/file.csv", collect, &c, &err),
			 BRIEF_EDATA);
	assert_string_equal(err.file, "tests/no/such/file.csv");
	assert_string_equal(err.msg, "no such file");
	assert_int_equal(c.n, 0);
	/* A directory, not a file. */
	assert_int_equal(csv_load("tests", collect, &c, &err), BRIEF_EDATA);
	assert_string_equal(err.msg, "is a directory, not a regular file");
}

/* Bare CR line ends (classic Mac): every CR is a line of its own for
 * positions, alone or mixed with LF and CRLF; a CR inside quotes too. */
static void test_cr_line_ends(void **state)
{
	struct coll c = {NULL, 0, -1};
	struct diag err;

	(void)state;
	assert_int_equal(load_str("a,b\r1,2\r3,4\r", &c, &err), BRIEF_OK);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.r[1].line, 2);
	assert_field(&c, 1, 1, "2", 2, 3);
	assert_string_equal(c.r[1].raw, "1,2");
	assert_int_equal(c.r[2].line, 3);
	assert_field(&c, 2, 0, "3", 3, 1);
	coll_free(&c);
	/* No final line end, and a mix of all three. */
	assert_int_equal(load_str("a,b\r1,2\n3,4\r\n5,\"x\ry\"\r6,7", &c, &err),
			 BRIEF_OK);
	assert_int_equal(c.n, 5);
	assert_field(&c, 2, 1, "4", 3, 3);
	assert_field(&c, 3, 1, "x\ry", 4, 3);
	assert_int_equal(c.r[4].line, 6);
	assert_field(&c, 4, 1, "7", 6, 3);
	coll_free(&c);
	/* An error is at its real line, not 1:1. */
	assert_int_equal(load_str("a,b\r1,2\r3,x\"y\r", &c, &err), BRIEF_EDATA);
	assert_diag(&err, "t.csv", 3, 4,
		    "malformed quoting: a quote inside a field must be doubled "
		    "and the field enclosed in quotes");
	coll_free(&c);
	/* CR LF split across two reads still ends one line. */
	{
		size_t n = 65536, i; /* the CR is the first read's last byte */
		char *s = malloc(n + 8);

		assert_non_null(s);
		memcpy(s, "a\n", 2);
		for (i = 2; i < n - 1; i++)
			s[i] = 'x';
		s[n - 1] = '\r';
		memcpy(s + n, "\nq\n", 3);
		assert_int_equal(load_bytes(s, n + 3, &c, &err), BRIEF_OK);
		assert_int_equal(c.n, 3);
		assert_int_equal(c.r[2].line, 3);
		assert_int_equal(c.r[1].len[0], n - 3);
		coll_free(&c);
		free(s);
	}
}

/* NUL and other control characters are refused where they are: a NUL
 * used to cut "100\0" "0" to 100 and a header "source\0junk" to source. */
static void test_control_characters(void **state)
{
	struct coll c = {NULL, 0, -1};
	struct diag err;

	(void)state;
	assert_int_equal(load_bytes("a,v\nx,100\0" "0\n", 13, &c, &err),
			 BRIEF_EDATA);
	assert_diag(&err, "t.csv", 2, 6, "NUL byte (U+0000) in the data");
	assert_string_equal(err.quote, "x,100");
	assert_int_equal(c.n, 1);
	coll_free(&c);
	assert_int_equal(load_bytes("id,source\0junk\n", 15, &c, &err),
			 BRIEF_EDATA);
	assert_diag(&err, "t.csv", 1, 10, "NUL byte (U+0000) in the data");
	assert_int_equal(c.n, 0);
	coll_free(&c);
	/* Inside a quoted field on its second line, after multibyte text. */
	assert_int_equal(load_str("a,b\n1,\"\xC3\xA9\n\xC3\xA9\x1B[0m\"\n", &c,
				  &err),
			 BRIEF_EDATA);
	assert_diag(&err, "t.csv", 3, 2,
		    "control character U+001B in the data");
	coll_free(&c);
	assert_int_equal(load_str("a,b\n1,x\x7F\n", &c, &err), BRIEF_EDATA);
	assert_diag(&err, "t.csv", 2, 4,
		    "control character U+007F in the data");
	coll_free(&c);
	/* C1 controls (U+0085 NEXT LINE) are control characters too. */
	assert_int_equal(load_str("a,b\n1,\xC3\xA9\xC2\x85\n", &c, &err),
			 BRIEF_EDATA);
	assert_diag(&err, "t.csv", 2, 4,
		    "control character U+0085 in the data");
	coll_free(&c);
	/* Every C0 control but tab, past the 8-byte fast path. */
	{
		char line[32];
		unsigned b;

		for (b = 1; b < 0x20; b++) {
			if (b == '\t' || b == '\n' || b == '\r')
				continue;
			snprintf(line, sizeof line, "a\n0123456789%c\n", (int)b);
			assert_int_equal(load_str(line, &c, &err), BRIEF_EDATA);
			assert_int_equal(err.line, 2);
			assert_int_equal(err.col, 11);
			coll_free(&c);
		}
	}
	/* Tab and NO-BREAK SPACE (U+00A0: 0xC2 0xA0) are text. */
	assert_int_equal(load_str("a,b\n\t1\t,x\xC2\xA0y\n", &c, &err),
			 BRIEF_OK);
	assert_field(&c, 1, 0, "\t1\t", 2, 1);
	coll_free(&c);
}

/* The size caps are errors, not unbounded memory. */
static void test_caps(void **state)
{
	struct coll c = {NULL, 0, -1};
	struct diag err;
	size_t n = (size_t)CSV_MAX_FIELD + 10, i, o;
	char *s = malloc(n + 16);
	char msg[64];

	(void)state;
	assert_non_null(s);
	/* A field one byte over the cap. */
	memcpy(s, "a,b\n1,", 6);
	memset(s + 6, 'x', (size_t)CSV_MAX_FIELD + 1);
	s[6 + CSV_MAX_FIELD + 1] = '\n';
	assert_int_equal(load_bytes(s, 6 + (size_t)CSV_MAX_FIELD + 2, &c, &err),
			 BRIEF_EDATA);
	snprintf(msg, sizeof msg, "field longer than %ld bytes", CSV_MAX_FIELD);
	assert_diag(&err, "t.csv", 2, 3, msg);
	coll_free(&c);
	/* A field exactly at the cap is fine. */
	s[6 + CSV_MAX_FIELD] = '\n';
	assert_int_equal(load_bytes(s, 6 + (size_t)CSV_MAX_FIELD + 1, &c, &err),
			 BRIEF_OK);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.r[1].len[1], (size_t)CSV_MAX_FIELD);
	coll_free(&c);
	free(s);

	/* One field more than CSV_MAX_FIELDS. */
	s = malloc(2 * (CSV_MAX_FIELDS + 1) + 2);
	assert_non_null(s);
	for (i = 0, o = 0; i < CSV_MAX_FIELDS + 1; i++) {
		s[o++] = 'x';
		s[o++] = i < CSV_MAX_FIELDS ? ',' : '\n';
	}
	assert_int_equal(load_bytes(s, o, &c, &err), BRIEF_EDATA);
	assert_int_equal(err.line, 1);
	snprintf(msg, sizeof msg, "record has more than %d fields",
		 CSV_MAX_FIELDS);
	assert_string_equal(err.msg, msg);
	coll_free(&c);
	free(s);

	/* A line over CSV_MAX_LINE, made of short fields inside quotes. */
	n = (size_t)CSV_MAX_LINE + 100;
	s = malloc(n + 8);
	assert_non_null(s);
	memcpy(s, "a\n\"", 3);
	memset(s + 3, 'y', n);
	memcpy(s + 3 + n, "\"\n", 2);
	assert_int_equal(load_bytes(s, n + 5, &c, &err), BRIEF_EDATA);
	assert_int_equal(err.line, 2);
	coll_free(&c);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_reader),
		cmocka_unit_test(test_spectrum_comma_in_quotes),
		cmocka_unit_test(test_spectrum_empty),
		cmocka_unit_test(test_spectrum_empty_crlf),
		cmocka_unit_test(test_spectrum_escaped_quotes),
		cmocka_unit_test(test_spectrum_json),
		cmocka_unit_test(test_spectrum_newlines),
		cmocka_unit_test(test_spectrum_newlines_crlf),
		cmocka_unit_test(test_spectrum_quotes_and_newlines),
		cmocka_unit_test(test_spectrum_simple),
		cmocka_unit_test(test_spectrum_simple_crlf),
		cmocka_unit_test(test_spectrum_utf8),
		cmocka_unit_test(test_spectrum_crlf_files),
		cmocka_unit_test(test_spectrum_location_coordinates),
		cmocka_unit_test(test_simple_positions),
		cmocka_unit_test(test_quoted_newline_positions),
		cmocka_unit_test(test_multibyte_columns),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_bom_crlf_multibyte),
		cmocka_unit_test(test_empty_last_field),
		cmocka_unit_test(test_whitespace_kept),
		cmocka_unit_test(test_empty_lines),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_malformed_quote),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_cr_line_ends),
		cmocka_unit_test(test_control_characters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
