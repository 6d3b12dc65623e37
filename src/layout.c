/* layout.c — a layout file (CommonMark + YAML front matter + fenced YAML
 * blocks) parsed with cmark and libyaml and resolved against its datasets
 * into a struct doc: citations numbered in order of first use, figure
 * references worded from their rows, charts collected, tables built. */
#include "layout_int.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicase.h>
#include <unictype.h>
#include <unistr.h>

#include "buf.h"
#include "figure.h"
#include "infile.h"
#include "sha256.h"

/* ---- positions in the body ---- */

static enum brief_status lay_index_body(struct lay *L)
{
	size_t i, n = 1;

	L->body_line_off = malloc((size_t)L->nlines * sizeof *L->body_line_off);
	if (!L->body_line_off)
		return BRIEF_ENOMEM;
	L->body_line_off[0] = 0;
	for (i = 0; i < L->body_len && n < (size_t)L->nlines; i++)
		if (L->body[i] == '\n')
			L->body_line_off[n++] = i + 1;
	while (n < (size_t)L->nlines) /* a token never holds a line end */
		L->body_line_off[n++] = L->body_len;
	return BRIEF_OK;
}

/* The layout position of a cmark node. cmark counts bytes of L->body, in
 * which each reference is a token of TOKEN_LEN bytes, so the line is
 * walked in both texts at once; the cursor keeps walking the nodes of a
 * long line in order linear. */
static struct text_origin lay_node_at(struct lay *L, cmark_node *node)
{
	long line = cmark_node_get_start_line(node);
	long bytecol = cmark_node_get_start_column(node);
	size_t target;

	if (line < 1 || line > L->nlines || bytecol < 1)
		return lay_at(L, line > 0 && line <= L->nlines ? line : 0, 0);
	target = L->body_line_off[line - 1] + (size_t)bytecol - 1;
	if (line != L->cur_line || L->cur_b > target) {
		L->cur_line = line;
		L->cur_b = L->body_line_off[line - 1];
		L->cur_s = L->line_off[line - 1];
		L->cur_col = 1;
	}
	while (L->cur_b < target && L->cur_b < L->body_len &&
	       L->body[L->cur_b] != '\n') {
		long t = lay_token_read(L->body + L->cur_b,
					L->body_len - L->cur_b, L->nrefs);

		if (t >= 0) {
			const struct ref *r = &L->refs[t];

			for (size_t q = r->off; q < r->end; q++)
				if (((unsigned char)L->src[q] & 0xC0) != 0x80)
					L->cur_col++;
			L->cur_s = r->end;
			L->cur_b += TOKEN_LEN;
			continue;
		}
		L->cur_b++;
		L->cur_s++;
		if (((unsigned char)L->src[L->cur_s] & 0xC0) != 0x80)
			L->cur_col++;
	}
	return lay_at(L, line, L->cur_col);
}

/* ---- the shared scan (see layout_int.h) ---- */

enum brief_status lay_consume_keyed(struct lay *L, int ds, data_row_fn fn,
				    void *ctx, const char *const *keys,
				    size_t nkeys)
{
	struct lay_consumer *v = realloc(L->cons, (L->ncons + 1) * sizeof *v);

	if (!v)
		return BRIEF_ENOMEM;
	L->cons = v;
	v[L->ncons].ds = ds;
	v[L->ncons].fn = fn;
	v[L->ncons].ctx = ctx;
	v[L->ncons].keys = keys;
	v[L->ncons].nkeys = nkeys;
	L->ncons++;
	return BRIEF_OK;
}

enum brief_status lay_consume(struct lay *L, int ds, data_row_fn fn,
			      void *ctx)
{
	return lay_consume_keyed(L, ds, fn, ctx, NULL, 0);
}

struct share {
	struct lay *L;
	int ds;
	const struct lay_consumer **c; /* this dataset's consumers */
	size_t n;
};

static enum brief_status share_row(void *ctx, const struct data_row *row,
				   struct diag *err)
{
	struct share *sh = ctx;
	struct lay *L = sh->L;
	enum brief_status st;
	size_t i;

	if (!L->hdr[sh->ds]) {
		/* Tables check their columns against it after the scan. */
		L->hdr[sh->ds] = calloc(row->ncols + 1, sizeof **L->hdr);
		if (!L->hdr[sh->ds])
			return BRIEF_ENOMEM;
		for (i = 0; i < row->ncols; i++) {
			L->hdr[sh->ds][i] = lay_strdup(row->names[i]);
			if (!L->hdr[sh->ds][i])
				return BRIEF_ENOMEM;
			L->nhdr[sh->ds] = i + 1;
		}
	}
	for (i = 0; i < sh->n; i++) {
		st = sh->c[i]->fn(sh->c[i]->ctx, row, err);
		if (st)
			return st;
	}
	if (L->want_latest) {
		/* As data_latest_date: the last day a row covers. */
		const struct date *d = row->date_to.year ? &row->date_to
							 : &row->date;

		/* Rows come in runs of one date: the latest, mostly. */
		if (d->year && !date_same(d, &L->latest)) {
			long end = date_days_end(d);

			if (!L->latest.year || end > L->latest_end) {
				L->latest = *d;
				L->latest_end = end;
			}
		}
	}
	return BRIEF_OK;
}

static void lay_hdr_free(struct lay *L, int k)
{
	size_t i;

	for (i = 0; L->hdr[k] && i < L->nhdr[k]; i++)
		free(L->hdr[k][i]);
	free(L->hdr[k]);
	L->hdr[k] = NULL;
	L->nhdr[k] = 0;
}

/* The columns the n consumers c of one dataset look at by text, for the
 * scan to number: *keys (heap, the names not owned) and *nkeys. */
static enum brief_status share_keys(const struct lay_consumer **c, size_t n,
				    const char ***keys, size_t *nkeys)
{
	size_t i, j, total = 0;

	for (i = 0; i < n; i++)
		total += c[i]->nkeys;
	*nkeys = 0;
	*keys = malloc((total + 1) * sizeof **keys);
	if (!*keys)
		return BRIEF_ENOMEM;
	for (i = 0; i < n; i++)
		for (j = 0; j < c[i]->nkeys; j++)
			(*keys)[(*nkeys)++] = c[i]->keys[j];
	return BRIEF_OK;
}

/* Read each dataset that has consumers once, quietly; mark it clean when
 * every row was valid. A dataset that cannot be read (BRIEF_EIO, named
 * in err) stops the layout: what would follow is only the rows it lacks. */
static enum brief_status lay_share(struct lay *L, struct diag *err)
{
	const struct lay_consumer **c;
	struct share sh;
	struct diag d;
	enum brief_status st = BRIEF_OK;
	size_t i, nkeys;
	int k;
	const char **keys;

	c = calloc(L->ncons + 1, sizeof *c);
	if (!c)
		return BRIEF_ENOMEM;
	for (k = 0; k < (int)lay_nds(L) && st != BRIEF_ENOMEM; k++) {
		sh.L = L;
		sh.ds = k;
		sh.c = c;
		sh.n = 0;
		for (i = 0; i < L->ncons; i++)
			if (L->cons[i].ds == sh.ds)
				c[sh.n++] = &L->cons[i];
		if (!sh.n && !L->want_latest)
			continue;
		st = share_keys(c, sh.n, &keys, &nkeys);
		if (st)
			break;
		st = data_scan_dataset_numbered(L->doc->meta.data_dir,
						lay_ds(L, k), &L->doc->sources,
						keys, nkeys, share_row, &sh,
						NULL, &d);
		free(keys);
		if (st == BRIEF_EIO) {
			*err = d;
			break;
		}
		if (st == BRIEF_EDATA && d.line == 0 && d.msg[0]) {
			/* Missing, or not a regular file: said once (every
			 * later reader would say it again). */
			diag_emit(L->sink, &d, DIAG_ERROR);
			break;
		}
		L->clean[k] = st == BRIEF_OK;
		if (!L->clean[k])
			lay_hdr_free(L, k);
	}
	free(c);
	if (st == BRIEF_EDATA && d.line == 0 && d.msg[0])
		return st;
	return st == BRIEF_ENOMEM || st == BRIEF_EIO ? st : BRIEF_OK;
}

static bool lay_all_clean(const struct lay *L)
{
	int k;

	for (k = 0; k < (int)lay_nds(L); k++)
		if (!L->clean[k])
			return false;
	return true;
}

/* ---- reading the file ---- */

static enum brief_status lay_read(struct lay *L, struct diag *err)
{
	FILE *f;
	size_t cap = 0, n;
	char *buf = NULL, *nb;
	enum brief_status st = infile_fopen(L->path, &f, err);

	if (st != BRIEF_OK)
		return st;
	for (;;) {
		if (L->len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			if (cap > (size_t)LAYOUT_MAX_BYTES + 8192) {
				st = diag_set(err, BRIEF_EDATA, L->path, 0, 0,
					      "layout larger than %ld bytes",
					      LAYOUT_MAX_BYTES);
				goto out;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				st = BRIEF_ENOMEM;
				goto out;
			}
			buf = nb;
		}
		n = fread(buf + L->len, 1, 4096, f);
		L->len += n;
		if (n < 4096)
			break;
	}
	if (ferror(f)) {
		st = diag_set(err, BRIEF_EIO, L->path, 0, 0,
			      "cannot read layout: %s", strerror(errno));
		goto out;
	}
	if (!buf) {
		buf = malloc(1);
		if (!buf) {
			st = BRIEF_ENOMEM;
			goto out;
		}
	}
	buf[L->len] = '\0';
	L->src = buf;
	buf = NULL;
out:
	free(buf);
	fclose(f);
	return st;
}

/* A CR not followed by LF ends a line as CommonMark and YAML read it:
 * made an LF here (same length, so offsets hold), lines are counted as
 * the parsers count them. */
static void lay_lone_cr(struct lay *L)
{
	for (size_t i = 0; i < L->len; i++)
		if (L->src[i] == '\r' && (i + 1 == L->len || L->src[i + 1] != '\n'))
			L->src[i] = '\n';
}

#define LAY_BYTE_ERRORS_MAX 100

/* NUL bytes, invalid UTF-8, control characters (but tab and line ends)
 * and U+E000, which brief's reference tokens start with, are errors at
 * their place, in the front matter and fenced YAML as in the prose: none
 * of them is ever turned into U+FFFD. Returns BRIEF_EDATA when it
 * reported any (the layout is not parsed further). */
static enum brief_status lay_check_bytes(struct lay *L)
{
	const uint8_t *u = (const uint8_t *)L->src;
	unsigned bad = 0;
	long line = 1, col = 1;

	/* UTF-16 or UTF-32, said so once rather than as a NUL every other
	 * byte (its UTF-32 little-endian mark starts like UTF-16's). */
	if (L->len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
			    (u[0] == 0xFE && u[1] == 0xFF) ||
			    (L->len >= 4 && !u[0] && !u[1] && u[2] == 0xFE &&
			     u[3] == 0xFF))) {
		lay_error(L, 1, 1,
			  "the layout is UTF-%s (it starts with that byte "
			  "order mark): save it as UTF-8",
			  (L->len >= 4 && ((!u[0] && !u[1]) || (!u[2] && !u[3])))
				  ? "32" : "16");
		return BRIEF_EDATA;
	}
	for (size_t i = 0; i < L->len;) {
		ucs4_t c;
		int k = u8_mbtoucr(&c, u + i, L->len - i);

		if (k > 0 && c != 0 && c != 0xE000 &&
		    (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') &&
		    !(c >= 0x7F && c < 0xA0)) {
			if (c == '\n') {
				line++;
				col = 0;
			}
			i += (size_t)k;
			col++;
			continue;
		}
		if (++bad > LAY_BYTE_ERRORS_MAX) {
			lay_error(L, line, col,
				  "more than %d invalid bytes or characters; "
				  "is this a text file?",
				  LAY_BYTE_ERRORS_MAX);
			break;
		}
		if (k <= 0) {
			size_t n = 1;

			/* One error for a run of invalid bytes. */
			while (i + n < L->len && n < 8 &&
			       u8_mbtoucr(&c, u + i + n, L->len - i - n) <= 0)
				n++;
			lay_error(L, line, col,
				  "invalid UTF-8 (byte%s 0x%02X%s): a layout "
				  "must be UTF-8 text",
				  n > 1 ? "s" : "", u[i], n > 1 ? "..." : "");
			i += n;
			col += (long)n;
			continue;
		}
		if (c == 0)
			lay_error(L, line, col, "NUL byte in the layout");
		else if (c == 0xE000)
			lay_error(L, line, col,
				  "U+E000 (a private-use character) is "
				  "reserved by brief and cannot be used in a "
				  "layout");
		else
			lay_error(L, line, col,
				  "control character U+%04X is not allowed in "
				  "a layout",
				  (unsigned)c);
		i += (size_t)k;
		col++;
	}
	return bad ? BRIEF_EDATA : BRIEF_OK;
}

static enum brief_status lay_index_lines(struct lay *L)
{
	size_t i, n = 1;

	for (i = 0; i < L->len; i++)
		if (L->src[i] == '\n')
			n++;
	L->line_off = malloc(n * sizeof *L->line_off);
	if (!L->line_off)
		return BRIEF_ENOMEM;
	L->line_off[0] = 0;
	n = 1;
	for (i = 0; i < L->len; i++)
		if (L->src[i] == '\n')
			L->line_off[n++] = i + 1;
	L->nlines = (long)n;
	return BRIEF_OK;
}

/* Is line `line` (1-based) exactly `mark` (ignoring trailing blanks)? */
static bool lay_line_is(const struct lay *L, long line, const char *mark)
{
	size_t off = L->line_off[line - 1], k = strlen(mark);
	const char *p = L->src + off;

	if (off == 0 && strncmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3; /* a byte order mark */
	if (strncmp(p, mark, k) != 0)
		return false;
	for (p += k; *p == ' ' || *p == '\t' || *p == '\r'; p++)
		;
	return *p == '\n' || *p == '\0';
}

/* ---- front matter ---- */

/* The front matter keys: the field each fills and, for the fields that
 * are printed, where the doc keeps its position (-1: not printed). */
static const struct {
	const char *key;
	size_t field;
	ptrdiff_t at;
} meta_keys[] = {
	{"title", offsetof(struct doc_meta, title),
	 offsetof(struct doc_meta, at.title)},
	{"subtitle", offsetof(struct doc_meta, subtitle),
	 offsetof(struct doc_meta, at.subtitle)},
	{"organisation", offsetof(struct doc_meta, organisation),
	 offsetof(struct doc_meta, at.organisation)},
	{"organization", offsetof(struct doc_meta, organisation),
	 offsetof(struct doc_meta, at.organisation)},
	{"author", offsetof(struct doc_meta, author),
	 offsetof(struct doc_meta, at.author)},
	{"paper", offsetof(struct doc_meta, paper), -1},
	{"data", offsetof(struct doc_meta, data_dir), -1},
	{"as_of", offsetof(struct doc_meta, as_of),
	 offsetof(struct doc_meta, at.as_of)},
	{"disclaimer", offsetof(struct doc_meta, disclaimer),
	 offsetof(struct doc_meta, at.disclaimer)},
	{"language", offsetof(struct doc_meta, language), -1},
	{"digits", offsetof(struct doc_meta, digits), -1},
	{"keywords", offsetof(struct doc_meta, keywords),
	 offsetof(struct doc_meta, at.keywords)},
};

/* The field of key and (if printed) its origin; NULL for an unknown key. */
static char **meta_field(struct doc_meta *m, const char *key,
			 struct text_origin **at)
{
	for (size_t i = 0; i < sizeof meta_keys / sizeof *meta_keys; i++)
		if (strcmp(key, meta_keys[i].key) == 0) {
			*at = meta_keys[i].at < 0
				      ? NULL
				      : (struct text_origin *)(void *)((char *)m +
							       meta_keys[i].at);
			return (char **)(void *)((char *)m +
						 meta_keys[i].field);
		}
	*at = NULL;
	return NULL;
}

/* A list of keywords joined with ", ". */
static char *meta_join(const struct ynode *v)
{
	size_t i, len = 1;
	char *s;

	for (i = 0; i < v->n; i++)
		len += strlen(v->kids[i].str) + 2;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < v->n; i++) {
		if (i)
			strcat(s, ", ");
		strcat(s, v->kids[i].str);
	}
	return s;
}

struct front {
	long data_line, data_col;   /* where `data:` was written */
	long as_of_line, as_of_col;
	bool as_of_auto;
};

static enum brief_status lay_front_matter(struct lay *L, struct front *fm,
					  struct diag *err)
{
	struct doc_meta *m = &L->doc->meta;
	struct ynode *y = NULL;
	struct diag d;
	enum brief_status st;
	long end;
	size_t i, k;
	long title_line = -1, title_col = 0; /* -1: no title key */

	if (L->nlines < 1 || !lay_line_is(L, 1, "---")) {
		lay_error(L, 1, 1,
			  "a layout starts with YAML front matter between '---' lines");
		return BRIEF_EDATA;
	}
	for (end = 2; end <= L->nlines; end++)
		if (lay_line_is(L, end, "---") || lay_line_is(L, end, "..."))
			break;
	if (end > L->nlines) {
		lay_error(L, 1, 1, "front matter has no closing '---' line");
		return BRIEF_EDATA;
	}
	L->body_line = end + 1;
	st = ynode_parse(L->src + L->line_off[1],
			 L->line_off[end - 1] - L->line_off[1], L->path, 2, 0,
			 &y, &d);
	if (st == BRIEF_ENOMEM)
		return diag_set(err, st, L->path, 0, 0, "out of memory");
	if (st) {
		lay_emit(L, &d);
		return BRIEF_EDATA;
	}
	if (!y || y->kind != Y_MAP) {
		lay_error(L, y ? y->line : 2, y ? y->col : 1,
			  "front matter must be a map of keys (title, data, ...)");
		st = BRIEF_EDATA;
		goto out;
	}
	for (i = 0; i + 1 < y->n; i += 2) {
		const struct ynode *key = &y->kids[i], *v = &y->kids[i + 1];
		struct text_origin *at;
		char **dst = meta_field(m, key->str, &at);

		if (at)
			*at = lay_at(L, v->line, v->col);
		if (!dst && lay_brand_key(key->str)) {
			enum brief_status bs = lay_brand_front(L, key, v, err);

			if (bs == BRIEF_ENOMEM || bs == BRIEF_EIO) {
				st = bs;
				goto out;
			}
			if (bs)
				st = BRIEF_EDATA;
			continue;
		}
		if (!dst) {
			lay_error(L, key->line, key->col,
				  "unknown front matter key '%s'", key->str);
			st = BRIEF_EDATA;
			continue;
		}
		if (v->kind == Y_SEQ && strcmp(key->str, "keywords") == 0) {
			for (k = 0; k < v->n; k++)
				if (v->kids[k].kind != Y_SCALAR)
					break;
			if (k == v->n) {
				*dst = meta_join(v);
				if (!*dst) {
					st = BRIEF_ENOMEM;
					goto out;
				}
				continue;
			}
		}
		if (dst == &m->title) {
			title_line = v->line;
			title_col = v->col;
		}
		if (v->kind != Y_SCALAR) {
			lay_error(L, v->line, v->col,
				  "front matter '%s' must be a single value, not %s",
				  key->str, ynode_kind_name(v->kind));
			st = BRIEF_EDATA;
			if (dst == &m->title)
				title_line = 0; /* said; no "needs a title" */
			continue;
		}
		*dst = lay_strdup(v->str);
		if (!*dst) {
			st = BRIEF_ENOMEM;
			goto out;
		}
		if (strcmp(key->str, "data") == 0) {
			fm->data_line = v->line;
			fm->data_col = v->col;
		} else if (strcmp(key->str, "as_of") == 0) {
			fm->as_of_line = v->line;
			fm->as_of_col = v->col;
		} else if (strcmp(key->str, "paper") == 0) {
			enum brief_status ps = lay_brand_paper(L, v, dst);

			if (ps == BRIEF_ENOMEM) {
				st = ps;
				goto out;
			}
			if (ps)
				st = BRIEF_EDATA;
		}
	}
	if (title_line > 0 && (!m->title || !m->title[0])) {
		lay_error(L, title_line, title_col, "the title is empty");
		st = BRIEF_EDATA;
	} else if (title_line < 0) {
		lay_error(L, 1, 1, "front matter needs a title");
		st = BRIEF_EDATA;
	}
	if (m->as_of && strcmp(m->as_of, "auto") != 0) {
		if (!date_parse(m->as_of, strlen(m->as_of),
				&m->as_of_date)) {
			lay_error(L, fm->as_of_line, fm->as_of_col,
				  "as_of must be a date (2023-09-30) or auto, not '%s'",
				  m->as_of);
			st = BRIEF_EDATA;
		}
	} else {
		fm->as_of_auto = true;
	}
	if (!m->paper) {
		m->paper = lay_strdup("A4");
		if (!m->paper)
			st = BRIEF_ENOMEM;
	}
	if (!m->language) {
		m->language = lay_strdup("en");
		if (!m->language)
			st = BRIEF_ENOMEM;
	}
	{
		enum brief_status bs = lay_brand_done(L);

		if (bs)
			st = bs == BRIEF_ENOMEM || st == BRIEF_OK ? bs : st;
	}
out:
	ynode_free(y);
	if (st == BRIEF_ENOMEM)
		return diag_set(err, st, L->path, 0, 0, "out of memory");
	return st;
}

/* The data directory: opts->data_dir, else `data` relative to the layout. */
static enum brief_status lay_data_dir(struct lay *L)
{
	struct doc_meta *m = &L->doc->meta;
	const char *slash;
	char *dir;
	size_t n;

	if (L->opts && L->opts->data_dir) {
		free(m->data_dir);
		m->data_dir = lay_strdup(L->opts->data_dir);
		return m->data_dir ? BRIEF_OK : BRIEF_ENOMEM;
	}
	if (!m->data_dir || !m->data_dir[0]) {
		lay_error(L, 1, 1,
			  "front matter needs 'data': the datasets directory, relative to the layout");
		return BRIEF_EDATA;
	}
	slash = strrchr(L->path, '/');
	if (m->data_dir[0] == '/' || !slash)
		return BRIEF_OK;
	n = (size_t)(slash - L->path) + 1;
	dir = malloc(n + strlen(m->data_dir) + 1);
	if (!dir)
		return BRIEF_ENOMEM;
	memcpy(dir, L->path, n);
	strcpy(dir + n, m->data_dir);
	free(m->data_dir);
	m->data_dir = dir;
	return BRIEF_OK;
}

/* Each dataset's path in the doc, for the origins of text from it. */
static enum brief_status lay_dataset_paths(struct lay *L)
{
	const char *dir = L->doc->meta.data_dir;

	for (int k = 0; k < (int)lay_nds(L); k++) {
		const char *name = lay_ds(L, k)->name;
		char *p = malloc(strlen(dir) + strlen(name) + 6);

		if (!p)
			return BRIEF_ENOMEM;
		sprintf(p, "%s/%s.csv", dir, name);
		L->doc->dataset_path[k] = p;
		L->fetch[k].L = L;
		L->fetch[k].ds = k;
	}
	return BRIEF_OK;
}

/* ---- pass 1: what the document refers to ---- */

/* The parsed YAML of a fenced block, hung on its cmark node. */
struct fence {
	struct ynode *tree;
	bool ok;
	struct fence *next;
	/* A chart or table block prepared before the shared scan (owned
	 * until build_blocks moves them into the doc block). */
	bool prepared;
	struct chart_spec *spec;
	bool spec_bad;          /* lay_chart_spec reported an error */
	struct chart *chart;
	enum brief_status new_st; /* chart_new failed: new_d says why */
	struct diag new_d;
	enum brief_status feed_st; /* the chart stopped taking rows */
	struct diag feed_d;
	struct lay_tprep *table;
};

static void fence_free(struct fence *f)
{
	chart_free(f->chart); /* the chart points into its spec: chart first */
	if (f->spec) {
		chart_spec_free(f->spec);
		free(f->spec);
	}
	lay_tprep_free(f->table);
	ynode_free(f->tree);
	free(f);
}

static const char *const fence_kinds[] = { "chart", "keyfigures", "table",
					   "timeline", "pagebreak", "changes",
					   NULL };

/* The first word of the info string. */
static void fence_word(cmark_node *node, char *buf, size_t size)
{
	const char *info = cmark_node_get_fence_info(node);
	size_t n = 0;

	if (!info)
		info = "";
	while (*info == ' ')
		info++;
	while (info[n] && info[n] != ' ' && info[n] != '\t' && n + 1 < size)
		n++;
	memcpy(buf, info, n);
	buf[n] = '\0';
}

static long node_col(const struct lay *L, cmark_node *node)
{
	long line = cmark_node_get_start_line(node);
	long bytecol = cmark_node_get_start_column(node);

	if (line < 1 || line > L->nlines || bytecol < 1)
		return 1;
	return lay_col_of(L, line, L->line_off[line - 1] + (size_t)bytecol - 1);
}

static enum brief_status pass1_fence(struct lay *L, cmark_node *node,
				     struct fence **fences, struct diag *err)
{
	char word[32];
	const char *lit = cmark_node_get_literal(node);
	long line = cmark_node_get_start_line(node);
	long col = node_col(L, node);
	struct fence *f;
	char *text;
	struct diag d;
	enum brief_status st;
	size_t i;

	fence_word(node, word, sizeof word);
	if (!word[0] || strcmp(word, "pagebreak") == 0)
		return BRIEF_OK;
	for (i = 0; fence_kinds[i]; i++)
		if (strcmp(word, fence_kinds[i]) == 0)
			break;
	if (!fence_kinds[i])
		return BRIEF_OK; /* reported in pass 2 */
	f = calloc(1, sizeof *f);
	if (!f)
		return BRIEF_ENOMEM;
	f->next = *fences;
	*fences = f;
	cmark_node_set_user_data(node, f);
	text = lay_untoken(L, lit ? lit : "");
	if (!text)
		return BRIEF_ENOMEM;
	st = ynode_parse(text, strlen(text), L->path, line + 1, col - 1,
			 &f->tree, &d);
	free(text);
	if (st == BRIEF_ENOMEM)
		return diag_set(err, st, L->path, line, col, "out of memory");
	if (st) {
		lay_emit(L, &d);
		return BRIEF_OK;
	}
	f->ok = true;
	if (strcmp(word, "keyfigures") == 0 && f->tree && f->tree->kind == Y_SEQ)
		for (i = 0; i < f->tree->n; i++) {
			const struct ynode *ref = ynode_get(&f->tree->kids[i], "ref");
			const char *colon;
			char *ds;

			if (!ref || ref->kind != Y_SCALAR ||
			    !(colon = strchr(ref->str, ':')))
				continue;
			ds = lay_strndup(ref->str, (size_t)(colon - ref->str));
			if (!ds)
				return BRIEF_ENOMEM;
			st = lay_want(L, ds, colon + 1);
			free(ds);
			if (st)
				return st;
		}
	return BRIEF_OK;
}

static enum brief_status lay_pass1(struct lay *L, cmark_node *root,
				   struct fence **fences, struct diag *err)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	enum brief_status st = BRIEF_OK;

	if (!it)
		return BRIEF_ENOMEM;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);

		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK) {
			st = pass1_fence(L, node, fences, err);
		} else if (cmark_node_get_type(node) == CMARK_NODE_TEXT) {
			const char *t = cmark_node_get_literal(node);
			size_t len = strlen(t), i;
			long k;

			for (i = 0; i < len && !st; i++) {
				k = lay_token_read(t + i, len - i, L->nrefs);
				if (k >= 0 && L->refs[k].kind == REF_FIGURE &&
				    !lay_ref_bad(&L->refs[k]))
					st = lay_want(L, L->refs[k].dataset,
						      L->refs[k].row);
			}
		}
		if (st)
			break;
	}
	cmark_iter_free(it);
	return st;
}

/* ---- pass 2: blocks ---- */

/* "about {{figures:x}}" where the figure already reads "about 120,000",
 * "at {{x}}" where it reads "at least 4,000", "between {{x}}" before a
 * range: the words would be said twice (figure_words_repeat). */
static void lay_check_doubled(struct lay *L, const struct ref *r,
			      const struct doc_runs *runs, const char *words)
{
	char msg[DIAG_MSG_MAX];

	if (!runs->n || runs->v[runs->n - 1].link != LINK_NONE)
		return;
	if (figure_words_repeat(runs->v[runs->n - 1].text, words, msg,
				sizeof msg))
		lay_warn(L, r->line, r->col, "%s", msg);
}

/* "{{figures:x}} people" where the figure reads "about 300,000 people":
 * the unit would be said twice. after: the text after the reference. */
static void lay_check_unit_after(struct lay *L, const struct ref *r,
				 const char *after)
{
	const struct figrow *f;
	char buf[128];
	const char *last;
	size_t n;
	int ds;

	if (r->kind != REF_FIGURE || lay_ref_bad(r) ||
	    (ds = lay_dataset_find(L, r->dataset)) < 0 ||
	    !(f = lay_find_row(L, ds, r->row)) || !f->found)
		return;
	lay_figure_words(f, buf, sizeof buf);
	last = strrchr(buf, ' ');
	if (!last || !(last[1] < '0' || last[1] > '9'))
		return; /* the figure ends with a number, not a unit */
	last++;
	n = strlen(last);
	while (*after == ' ')
		after++;
	if (strncasecmp(after, last, n) == 0 &&
	    (after[n] == '\0' || strchr(" .,;:)!?", after[n])))
		lay_warn(L, r->line, r->col,
			 "the figure already reads '%s': '%s' after it says "
			 "'%s' twice",
			 buf, last, last);
}

/* Resolve one reference into runs; errors at its position. */
static enum brief_status inline_ref(struct lay *L, const struct ref *r,
				    struct doc_runs *runs, unsigned style)
{
	struct text_origin at = lay_at(L, r->line, r->col);
	const struct figrow *f;
	char buf[128];
	size_t i;
	int n, ds;

	if (lay_ref_bad(r)) {
		if (r->kind == REF_CITE)
			lay_error(L, r->line, r->col,
				  "malformed citation: write [@source-id] or [@id1; @id2]");
		else
			lay_error(L, r->line, r->col,
				  "malformed figure reference: write {{dataset:row-id}}");
		return BRIEF_OK;
	}
	if (r->kind == REF_CITE) {
		bool any = false;

		for (i = 0; i < r->nids; i++)
			if (!sources_find(&L->doc->sources, r->ids[i])) {
				char names[256];

				lay_error(L, r->line, r->col,
					  "unknown source '%s' (not in %s)",
					  r->ids[i],
					  sources_names(&L->doc->sources, names,
							sizeof names));
				any = true;
			}
		if (any)
			return BRIEF_OK;
		if (doc_runs_add_at(runs, &at, "[", 1, style, LINK_NONE, NULL,
				    0))
			return BRIEF_ENOMEM;
		for (i = 0; i < r->nids; i++) {
			n = lay_cite(L, r->ids[i]);
			if (n < 0)
				return BRIEF_ENOMEM;
			snprintf(buf, sizeof buf, "%d", n);
			if ((i && doc_runs_add(runs, ", ", 2, style, LINK_NONE,
					       NULL, 0)) ||
			    doc_runs_add(runs, buf, strlen(buf), style, LINK_BIB,
					 NULL, n))
				return BRIEF_ENOMEM;
		}
		return doc_runs_add(runs, "]", 1, style, LINK_NONE, NULL, 0);
	}
	ds = lay_dataset(L, r->dataset, r->line, r->col);
	if (ds < 0)
		return BRIEF_OK;
	f = lay_find_row(L, ds, r->row);
	if (!f || !f->found) {
		lay_error(L, r->line, r->col, "unknown row id '%s' in %s",
			  r->row, r->dataset);
		return BRIEF_OK;
	}
	lay_figure_words(f, buf, sizeof buf);
	lay_check_doubled(L, r, runs, buf);
	if (doc_runs_add_at(runs, &at, buf, strlen(buf), style, LINK_NONE,
			    NULL, 0))
		return BRIEF_ENOMEM;
	if (!f->fig.source[0])
		return BRIEF_OK;
	if (doc_runs_add(runs, " ", 1, style, LINK_NONE, NULL, 0))
		return BRIEF_ENOMEM;
	return lay_cite_runs(L, runs, f->fig.source);
}

/* Text with tokens: plain stretches become runs, tokens their references.
 * chk gets the plain text with '\x01' where a reference stood. */
static enum brief_status inline_text(struct lay *L, const char *t,
				     const struct text_origin *at,
				     struct doc_runs *runs, unsigned style,
				     enum run_link link, const char *uri,
				     struct buf *chk)
{
	size_t len = strlen(t), i = 0, from = 0;
	long k;
	enum brief_status st;

	while (i <= len) {
		k = i < len ? lay_token_read(t + i, len - i, L->nrefs) : -2;
		if (k == -1) {
			i++;
			continue;
		}
		if (doc_runs_add_at(runs, at, t + from, i - from, style, link,
				    uri, 0) ||
		    buf_add(chk, t + from, i - from))
			return BRIEF_ENOMEM;
		if (k == -2)
			break;
		st = inline_ref(L, &L->refs[k], runs, style);
		if (st)
			return st;
		lay_check_unit_after(L, &L->refs[k], t + i + TOKEN_LEN);
		if (buf_add(chk, "\x01", 1))
			return BRIEF_ENOMEM;
		i += TOKEN_LEN;
		from = i;
	}
	return BRIEF_OK;
}

static enum brief_status inline_runs(struct lay *L, cmark_node *parent,
				     struct doc_runs *runs, unsigned style,
				     enum run_link link, const char *uri,
				     struct buf *chk, int depth);

static void uri_quote(const char *uri, char *buf, size_t size);

/* Remember a #anchor link, checked by lay_check_anchors. */
static enum brief_status lay_anchor_ref(struct lay *L, const char *name,
					long line, long col)
{
	struct lay_anchor_ref *v = realloc(L->anchor_refs,
					   (L->nanchor_refs + 1) * sizeof *v);

	if (!v)
		return BRIEF_ENOMEM;
	L->anchor_refs = v;
	v[L->nanchor_refs].name = lay_strdup(name);
	if (!v[L->nanchor_refs].name)
		return BRIEF_ENOMEM;
	v[L->nanchor_refs].line = line;
	v[L->nanchor_refs].col = col;
	L->nanchor_refs++;
	return BRIEF_OK;
}

static size_t anchor_hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/* The slot of name in the anchor table: its entry, or the empty slot
 * where it would go. */
static struct lay_anchor *anchor_slot(const struct lay *L, const char *name)
{
	size_t i = anchor_hash(name) & (L->capanchors - 1);

	while (L->anchors[i].name && strcmp(L->anchors[i].name, name) != 0)
		i = (i + 1) & (L->capanchors - 1);
	return &L->anchors[i];
}

static bool lay_has_anchor(const struct lay *L, const char *name)
{
	return L->capanchors && anchor_slot(L, name)->name;
}

/* Add name (owned by its block) to the table; -1 when out of memory. */
static int lay_add_anchor(struct lay *L, const char *name)
{
	if (2 * (L->nanchors + 1) > L->capanchors) {
		struct lay_anchor *old = L->anchors;
		size_t oldcap = L->capanchors;

		L->capanchors = oldcap ? 2 * oldcap : 64;
		L->anchors = calloc(L->capanchors, sizeof *L->anchors);
		if (!L->anchors) {
			L->anchors = old;
			L->capanchors = oldcap;
			return -1;
		}
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].name)
				*anchor_slot(L, old[i].name) = old[i];
		free(old);
	}
	anchor_slot(L, name)->name = name;
	L->nanchors++;
	return 0;
}

/* A heading's anchor as GitHub and most Markdown tools make it: the text
 * lower-cased, letters, marks, digits, '-' and '_' kept, spaces turned
 * into '-', everything else dropped; "-1", "-2", ... after a repeat.
 * text is the heading's plain text, '\x01' where a reference stood. */
static enum brief_status lay_heading_anchor(struct lay *L, const char *text,
					    char **out)
{
	size_t n = 0, len = strlen(text), ln = 0;
	uint8_t *lower;
	char *a;

	*out = NULL;
	while (len && (text[len - 1] == ' ' || text[len - 1] == '\x01'))
		len--;
	while (len && (*text == ' ' || *text == '\x01'))
		text++, len--;
	lower = u8_tolower((const uint8_t *)text, len, NULL, NULL, NULL, &ln);
	if (!lower && len)
		return BRIEF_ENOMEM;
	a = malloc(ln + 24);
	if (!a) {
		free(lower);
		return BRIEF_ENOMEM;
	}
	for (size_t i = 0; i < ln;) {
		ucs4_t c;
		int k = u8_mbtouc(&c, lower + i, ln - i);

		if (c == ' ')
			a[n++] = '-';
		else if (c == '-' || c == '_' ||
			 uc_is_general_category(c, UC_CATEGORY_L) ||
			 uc_is_general_category(c, UC_CATEGORY_M) ||
			 uc_is_general_category(c, UC_CATEGORY_N)) {
			memcpy(a + n, lower + i, (size_t)k);
			n += (size_t)k;
		}
		i += (size_t)k;
	}
	a[n] = '\0';
	free(lower);
	if (!n) { /* nothing to link to */
		free(a);
		return BRIEF_OK;
	}
	if (lay_has_anchor(L, a)) {
		/* The repeat count lives with the first heading of the text,
		 * so a hundred "Notes" are numbered without a hundred tries
		 * each (looking up leaves the table as it is). */
		struct lay_anchor *base = anchor_slot(L, a);
		unsigned k = base->repeats;

		do
			snprintf(a + n, 24, "-%u", ++k);
		while (lay_has_anchor(L, a));
		base->repeats = k;
	}
	if (lay_add_anchor(L, a)) {
		free(a);
		return BRIEF_ENOMEM;
	}
	*out = a;
	return BRIEF_OK;
}

/* Every #anchor link against the headings' anchors. */
static void lay_check_anchors(struct lay *L)
{
	for (size_t i = 0; i < L->nanchor_refs; i++) {
		const struct lay_anchor_ref *r = &L->anchor_refs[i];
		char q[80];

		if (lay_has_anchor(L, r->name))
			continue;
		uri_quote(r->name, q, sizeof q);
		lay_error(L, r->line, r->col,
			  "no heading has the anchor '#%s' (a heading's "
			  "anchor is its text in lower case, spaces as '-': "
			  "'## Contested figures' is #contested-figures)",
			  q);
	}
}

/* A URI as it may be quoted in a diagnostic: at most 60 bytes, cut on a
 * UTF-8 boundary, control characters as '?'. */
static void uri_quote(const char *uri, char *buf, size_t size)
{
	size_t n = 0;

	for (; uri[n] && n + 4 < size && n < 60; n++)
		buf[n] = (unsigned char)uri[n] < 0x20 || uri[n] == 0x7F
				 ? '?'
				 : uri[n];
	while (n > 0 && uri[n] && ((unsigned char)uri[n] & 0xC0) == 0x80)
		n--;
	if (uri[n]) {
		memcpy(buf + n, "\xE2\x80\xA6", 3);
		n += 3;
	}
	buf[n] = '\0';
}

/* A link: to a heading of this layout (#anchor, checked once every
 * heading is known), or out to an http, https or mailto URL; anything
 * else is an error at the link, its text kept as plain text. */
static enum brief_status inline_link(struct lay *L, cmark_node *n,
				     struct doc_runs *runs, unsigned style,
				     struct buf *chk, int depth)
{
	struct text_origin at = lay_node_at(L, n);
	char *url = lay_untoken(L, cmark_node_get_url(n));
	enum run_link link = LINK_URI;
	const char *target = url;
	char q[80];
	enum brief_status st;

	if (!url)
		return BRIEF_ENOMEM;
	if (url[0] == '#') {
		link = LINK_ANCHOR;
		target = url + 1;
		st = lay_anchor_ref(L, target, at.line, at.col);
		if (st) {
			free(url);
			return st;
		}
	} else if (!doc_uri_allowed(url)) {
		uri_quote(url, q, sizeof q);
		if (!url[0])
			lay_error(L, at.line, at.col,
				  "a link needs a target: an http, https or "
				  "mailto URL, or #heading");
		else
			lay_error(L, at.line, at.col,
				  "link to '%s' refused: only http, https and "
				  "mailto links (or #heading) are written into "
				  "a briefing",
				  q);
		link = LINK_NONE;
		target = NULL;
	}
	st = inline_runs(L, n, runs, style, link, target, chk, depth + 1);
	free(url);
	return st;
}

/* Inline HTML: <span lang="fr"> ... </span> marks its text as another
 * language (the PDF's /Lang, docs/layouts.md); spans nest. Any other
 * inline HTML is left out. */
static enum brief_status inline_span(struct lay *L, cmark_node *n,
				     struct doc_runs *runs)
{
	const char *h = cmark_node_get_literal(n);
	struct text_origin at = lay_node_at(L, n);
	char tag[DOC_LANG_MAX];
	size_t k = 0;

	if (!h)
		return BRIEF_OK;
	if (strncmp(h, "</span", 6) == 0) {
		if (L->nlangs > 0) {
			L->nlangs--;
			memcpy(runs->lang, L->langs[L->nlangs], sizeof runs->lang);
		}
		return BRIEF_OK;
	}
	if (strncmp(h, "<span", 5) != 0)
		return BRIEF_OK;
	h = strstr(h, "lang=");
	if (!h || (h[5] != '"' && h[5] != '\''))
		return BRIEF_OK;
	for (h += 6; *h && *h != '"' && *h != '\''; h++) {
		bool ok = (*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
			  (*h >= '0' && *h <= '9') || *h == '-';

		if (!ok || k + 1 >= sizeof tag) {
			lay_error(L, at.line, at.col,
				  "<span lang=...>: a language tag such as fr, "
				  "ar or pt-BR (letters, digits and '-', at "
				  "most %d)",
				  DOC_LANG_MAX - 1);
			return BRIEF_OK;
		}
		tag[k++] = *h;
	}
	tag[k] = '\0';
	if (k < 2 || L->nlangs >= LAY_LANG_DEPTH) {
		lay_error(L, at.line, at.col,
			  k < 2 ? "<span lang=...>: a language tag such as fr"
				: "<span lang=...> nested too deeply");
		return BRIEF_OK;
	}
	memcpy(L->langs[L->nlangs++], runs->lang, sizeof runs->lang);
	/* The document's own language is no other language. */
	if (L->doc->meta.language && strcmp(tag, L->doc->meta.language) == 0)
		tag[0] = '\0';
	memcpy(runs->lang, tag, sizeof tag);
	return BRIEF_OK;
}

static enum brief_status inline_runs(struct lay *L, cmark_node *parent,
				     struct doc_runs *runs, unsigned style,
				     enum run_link link, const char *uri,
				     struct buf *chk, int depth)
{
	cmark_node *n;
	enum brief_status st = BRIEF_OK;
	struct text_origin at;
	char *text;

	if (depth > LAYOUT_MAX_DEPTH) {
		lay_error(L, cmark_node_get_start_line(parent), 1,
			  "inline markup nested too deeply");
		return BRIEF_OK;
	}
	for (n = cmark_node_first_child(parent); n && !st;
	     n = cmark_node_next(n)) {
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
			at = lay_node_at(L, n);
			st = inline_text(L, cmark_node_get_literal(n), &at, runs,
					 style, link, uri, chk);
			break;
		case CMARK_NODE_SOFTBREAK:
			st = doc_runs_add(runs, " ", 1, style, link, uri, 0) ||
					     buf_add(chk, " ", 1) ?
				     BRIEF_ENOMEM : BRIEF_OK;
			break;
		case CMARK_NODE_LINEBREAK:
			st = doc_runs_add(runs, "\n", 1, style, link, uri, 0) ||
					     buf_add(chk, " ", 1) ?
				     BRIEF_ENOMEM : BRIEF_OK;
			break;
		case CMARK_NODE_CODE:
			text = lay_untoken(L, cmark_node_get_literal(n));
			if (!text)
				return BRIEF_ENOMEM;
			at = lay_node_at(L, n);
			st = doc_runs_add_at(runs, &at, text, strlen(text),
					     style | RUN_CODE, link, uri, 0) ||
					     buf_add(chk, " ", 1) ?
				     BRIEF_ENOMEM : BRIEF_OK;
			free(text);
			break;
		case CMARK_NODE_EMPH:
			st = inline_runs(L, n, runs, style | RUN_ITALIC, link,
					 uri, chk, depth + 1);
			break;
		case CMARK_NODE_STRONG:
			st = inline_runs(L, n, runs, style | RUN_BOLD, link, uri,
					 chk, depth + 1);
			break;
		case CMARK_NODE_LINK:
			st = inline_link(L, n, runs, style, chk, depth);
			break;
		case CMARK_NODE_IMAGE:
			lay_warn(L, cmark_node_get_start_line(parent), 1,
				 "images are not supported; the alt text is used");
			st = inline_runs(L, n, runs, style, link, uri, chk,
					 depth + 1);
			break;
		case CMARK_NODE_HTML_INLINE:
			st = inline_span(L, n, runs);
			break;
		default:
			break;
		}
	}
	return st;
}

static enum brief_status block_inline(struct lay *L, cmark_node *node,
				      struct doc_block *b, bool heading)
{
	struct buf chk = BUF_INIT(0);
	enum brief_status st;

	L->nlangs = 0; /* a span ends with its block */
	st = inline_runs(L, node, &b->runs, 0, LINK_NONE, NULL, &chk, 0);
	b->runs.lang[0] = '\0';
	if (!st && heading)
		st = lay_heading_anchor(L, chk.s ? chk.s : "", &b->anchor);
	if (!st && L->opts && L->opts->warn_uncited && chk.s)
		lay_check_text(L, chk.s, cmark_node_get_start_line(node),
			       cmark_node_get_end_line(node), heading);
	buf_free(&chk);
	return st;
}

/* Does the line open a fenced code block (cmark 0.30 cannot say)? */
static bool lay_line_has_fence(const struct lay *L, long line)
{
	size_t off = L->line_off[line - 1];
	const char *p = L->src + off, *e = L->src + L->len;

	for (; p + 2 < e && *p != '\n'; p++)
		if ((p[0] == '`' || p[0] == '~') && p[1] == p[0] && p[2] == p[0])
			return true;
	return false;
}

/* A plain code block: code runs, one "\n" run between lines, each line
 * from its own line of the layout. */
static enum brief_status block_code(struct lay *L, cmark_node *node,
				    struct doc_block *b)
{
	char *text = lay_untoken(L, cmark_node_get_literal(node));
	char *p, *nl;
	enum brief_status st = BRIEF_OK;
	size_t len;
	struct text_origin at = lay_at(L, b->line, 1);

	if (!text)
		return BRIEF_ENOMEM;
	if (lay_line_has_fence(L, b->line))
		at.line++; /* the text starts after the fence */
	len = strlen(text);
	while (len && text[len - 1] == '\n')
		text[--len] = '\0';
	b->kind = BLK_PARAGRAPH;
	for (p = text; !st; p = nl + 1, at.line++) {
		nl = strchr(p, '\n');
		if (!nl) {
			st = doc_runs_add_at(&b->runs, &at, p, strlen(p),
					     RUN_CODE, LINK_NONE, NULL, 0);
			break;
		}
		if (doc_runs_add_at(&b->runs, &at, p, (size_t)(nl - p),
				    RUN_CODE, LINK_NONE, NULL, 0) ||
		    doc_runs_add(&b->runs, "\n", 1, RUN_CODE, LINK_NONE, NULL,
				 0))
			st = BRIEF_ENOMEM;
	}
	free(text);
	return st;
}

/* Key figures: big number boxes. "8,000+ people" for more-than/at-least
 * figures, the worded figure otherwise (figure.h), in the item's form. */
static void keyfig_number(const struct figrow *f, enum figure_form form,
			  char *buf, size_t size)
{
	struct figure fig = lay_figure_alone(f);
	struct figure_style style = { form, true };

	figure_words(&fig, &style, buf, size);
}

static enum brief_status block_keyfigures(struct lay *L, const struct ynode *y,
					  long line, long col,
					  struct doc_block *b)
{
	size_t i, k;
	char buf[128];

	b->kind = BLK_KEYFIGURES;
	if (!y || y->kind != Y_SEQ || !y->n) {
		lay_error(L, y ? y->line : line, y ? y->col : col,
			  "keyfigures is a list of items, each with 'ref: dataset:row-id' and 'label:'");
		return BRIEF_OK;
	}
	b->figs = calloc(y->n, sizeof *b->figs);
	if (!b->figs)
		return BRIEF_ENOMEM;
	for (i = 0; i < y->n; i++) {
		const struct ynode *it = &y->kids[i], *ref, *label, *fmt;
		enum figure_form form;
		struct doc_keyfigure *kf;
		const struct figrow *f;
		const char *colon;
		char *ds;
		bool bad = false;
		int di;

		if (it->kind != Y_MAP) {
			lay_error(L, it->line, it->col,
				  "a key figure has 'ref: dataset:row-id' and 'label:'");
			continue;
		}
		for (k = 0; k + 1 < it->n; k += 2)
			if (strcmp(it->kids[k].str, "ref") &&
			    strcmp(it->kids[k].str, "label") &&
			    strcmp(it->kids[k].str, "format")) {
				lay_error(L, it->kids[k].line, it->kids[k].col,
					  "unknown key figure key '%s' (ref, label, format)",
					  it->kids[k].str);
				bad = true;
			}
		fmt = ynode_get(it, "format");
		form = FIG_FULL;
		if (fmt && (fmt->kind != Y_SCALAR ||
			    !figure_form_parse(fmt->str, &form))) {
			lay_error(L, fmt->line, fmt->col,
				  "key figure 'format' must be full or compact");
			bad = true;
		}
		ref = ynode_get(it, "ref");
		label = ynode_get(it, "label");
		if (!ref || ref->kind != Y_SCALAR) {
			lay_error(L, ref ? ref->line : it->line,
				  ref ? ref->col : it->col,
				  "a key figure needs 'ref: dataset:row-id'");
			continue;
		}
		if (!label || label->kind != Y_SCALAR || !label->str[0]) {
			lay_error(L, label ? label->line : it->line,
				  label ? label->col : it->col,
				  "a key figure needs a 'label'");
			bad = true;
		} else if (strstr(label->str, "{{") || strstr(label->str, "[@")) {
			/* It would be printed as written, braces and all. */
			lay_error(L, label->line, label->col,
				  "a key figure's label is plain text: figure "
				  "references and citations are not replaced in "
				  "it (the number and its citation come from "
				  "'ref')");
			bad = true;
		}
		colon = strchr(ref->str, ':');
		if (!colon) {
			lay_error(L, ref->line, ref->col,
				  "key figure ref must be dataset:row-id, not '%s'",
				  ref->str);
			continue;
		}
		ds = lay_strndup(ref->str, (size_t)(colon - ref->str));
		if (!ds)
			return BRIEF_ENOMEM;
		di = lay_dataset(L, ds, ref->line, ref->col);
		free(ds);
		if (di < 0)
			continue;
		f = lay_find_row(L, di, colon + 1);
		if (!f || !f->found) {
			lay_error(L, ref->line, ref->col,
				  "unknown row id '%s' in %s", colon + 1,
				  lay_ds(L, di)->name);
			continue;
		}
		if (bad)
			continue;
		kf = &b->figs[b->nfigs++];
		kf->label_at = lay_at(L, label->line, label->col);
		kf->number_at.file = L->doc->dataset_path[di];
		kf->number_at.line = f->line;
		kf->number_at.col = f->col;
		keyfig_number(f, form, buf, sizeof buf);
		kf->number = lay_strdup(buf);
		kf->label = lay_strdup(label->str);
		if (!kf->number || !kf->label)
			return BRIEF_ENOMEM;
		if (f->fig.source[0] && lay_cite_runs(L, &kf->cite, f->fig.source))
			return BRIEF_ENOMEM;
	}
	return BRIEF_OK;
}

/* A chart row from the shared scan; the chart's own error stops only
 * this chart (kept for block_chart, as chart_collect would return it). */
static enum brief_status fence_chart_row(void *ctx, const struct data_row *row,
					 struct diag *err)
{
	struct fence *f = ctx;
	enum brief_status st;

	if (f->feed_st)
		return BRIEF_OK;
	st = chart_collect_row(f->chart, row, &f->feed_d);
	if (st == BRIEF_ENOMEM) {
		*err = f->feed_d;
		return st;
	}
	f->feed_st = st;
	return BRIEF_OK;
}

/* Before the shared scan: the spec (its errors reported now, as held
 * diagnostics), the empty chart, and its place among the consumers. */
static enum brief_status prep_chart(struct lay *L, struct fence *f,
				    bool timeline, long line, long col)
{
	enum brief_status st;
	int k;
	const char *const *keys;
	size_t nkeys;

	f->spec = calloc(1, sizeof *f->spec);
	if (!f->spec)
		return BRIEF_ENOMEM;
	st = lay_chart_spec(L, f->tree, timeline, line, col, f->spec);
	if (st) {
		f->spec_bad = true;
		return st == BRIEF_ENOMEM ? st : BRIEF_OK;
	}
	st = chart_new(f->spec, &L->doc->sources, L->doc->palette, &f->chart,
		       &f->new_d);
	if (st == BRIEF_ENOMEM)
		return st;
	if (st) {
		f->new_st = st;
		return BRIEF_OK;
	}
	/* A dataset the directory does not have (reported at the spec):
	 * not shared, so collected alone. */
	k = lay_dataset_find(L, chart_dataset(f->chart));
	if (k < 0)
		return BRIEF_OK;
	keys = chart_keys(f->chart, &nkeys);
	return lay_consume_keyed(L, k, fence_chart_row, f, keys, nkeys);
}

static enum brief_status block_chart(struct lay *L, struct fence *f,
				     struct doc_block *b)
{
	struct diag d;
	enum brief_status st;
	int k;

	b->kind = BLK_CHART;
	b->spec = f->spec;
	f->spec = NULL;
	if (f->spec_bad)
		return BRIEF_OK;
	if (f->new_st) {
		lay_emit(L, &f->new_d);
		return BRIEF_OK;
	}
	b->chart = f->chart;
	f->chart = NULL;
	k = lay_dataset_find(L, chart_dataset(b->chart));
	if (k >= 0 && L->clean[k]) {
		st = f->feed_st;
		d = f->feed_d;
		if (!st)
			st = chart_collect_end(b->chart, L->doc->meta.data_dir,
					       &d);
	} else {
		/* Not clean in the shared scan: collect alone, as always. */
		chart_free(b->chart);
		b->chart = NULL;
		st = chart_new(b->spec, &L->doc->sources, L->doc->palette,
			       &b->chart, &d);
		if (st == BRIEF_ENOMEM)
			return st;
		if (st) {
			lay_emit(L, &d);
			return BRIEF_OK;
		}
		st = chart_collect(b->chart, L->doc->meta.data_dir, &d);
	}
	if (st == BRIEF_ENOMEM)
		return st;
	if (st) {
		lay_emit(L, &d);
		return BRIEF_OK;
	}
	if (!chart_cite(b->chart, lay_cite, L))
		return BRIEF_ENOMEM;
	{
		size_t n;
		const struct diag *w = chart_warnings(b->chart, &n);

		for (size_t i = 0; i < n; i++)
			diag_emit(L->sink, &w[i], DIAG_WARNING);
	}
	return BRIEF_OK;
}

static enum brief_status build_blocks(struct lay *L, cmark_node *parent,
				      struct doc_block **out, size_t *nout,
				      int depth);

/* Prepare a chart, timeline or table fence for the shared scan (the
 * part of building it that needs no data). */
static enum brief_status prep_fence(struct lay *L, cmark_node *node)
{
	char word[32];
	struct fence *f = cmark_node_get_user_data(node);
	long line = cmark_node_get_start_line(node), col = node_col(L, node);
	enum brief_status st;

	if (!f || !f->ok || f->prepared)
		return BRIEF_OK;
	fence_word(node, word, sizeof word);
	if (strcmp(word, "chart") == 0 || strcmp(word, "timeline") == 0) {
		f->prepared = true;
		return prep_chart(L, f, word[1] == 'i', line, col);
	}
	if (strcmp(word, "table") != 0)
		return BRIEF_OK;
	f->prepared = true;
	st = lay_table_prepare(L, f->tree, line, col, &f->table);
	if (st)
		return st;
	return lay_tprep_consume(L, f->table);
}

/* Walk the blocks as build_blocks will (same nesting limit), preparing
 * each chart and table fence it will build. */
static enum brief_status prep_blocks(struct lay *L, cmark_node *parent,
				     int depth)
{
	cmark_node *n;
	enum brief_status st = BRIEF_OK;

	if (depth > LAYOUT_MAX_DEPTH)
		return BRIEF_OK;
	for (n = cmark_node_first_child(parent); n && !st;
	     n = cmark_node_next(n)) {
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_LIST:
		case CMARK_NODE_ITEM:
		case CMARK_NODE_BLOCK_QUOTE:
			st = prep_blocks(L, n, depth + 1);
			break;
		case CMARK_NODE_CODE_BLOCK:
			st = prep_fence(L, n);
			break;
		default:
			break;
		}
	}
	return st;
}

static enum brief_status block_fence(struct lay *L, cmark_node *node,
				     struct doc_block *b, bool *keep)
{
	char word[32];
	struct fence *f = cmark_node_get_user_data(node);
	long line = b->line, col = node_col(L, node);
	enum brief_status st;

	fence_word(node, word, sizeof word);
	if (!word[0])
		return block_code(L, node, b);
	if (strcmp(word, "pagebreak") == 0) {
		const char *lit = cmark_node_get_literal(node), *p;
		long at_line = line + 1, at_col = col;

		/* Anything in it would be dropped without a word. */
		for (p = lit ? lit : ""; *p == ' ' || *p == '\t' || *p == '\n' ||
					 *p == '\r'; p++) {
			at_col++;
			if (*p == '\n') {
				at_line++;
				at_col = col;
			}
		}
		if (*p) {
			lay_error(L, at_line, at_col,
				  "a pagebreak block takes no options: leave it empty");
			*keep = false;
			return BRIEF_OK;
		}
		b->kind = BLK_PAGEBREAK;
		return BRIEF_OK;
	}
	*keep = false;
	if (!f) {
		lay_error(L, line, col,
			  "unknown block '%s' (chart, keyfigures, table, timeline, changes or pagebreak)",
			  word);
		return BRIEF_OK;
	}
	if (!f->ok)
		return BRIEF_OK; /* bad YAML, reported in pass 1 */
	*keep = true;
	if (strcmp(word, "keyfigures") == 0)
		return block_keyfigures(L, f->tree, line, col, b);
	if (strcmp(word, "changes") == 0)
		return lay_changes(L, f->tree, line, col, b);
	if (!f->prepared) { /* prep_blocks reaches every fence built here */
		st = prep_fence(L, node);
		if (st)
			return st;
	}
	if (strcmp(word, "chart") == 0 || strcmp(word, "timeline") == 0)
		return block_chart(L, f, b);
	b->kind = BLK_TABLE;
	st = lay_table_finish(L, f->table, &b->table);
	if (st == BRIEF_ENOMEM)
		return st;
	return BRIEF_OK;
}

/* ---- pipe tables in prose ---- */

/* Whether a cell's text reads as a figure: its last word (after any
 * citations "[1]") starts with a digit ("1,200", "about 5", "12%"), or it
 * is a dash. */
static bool pipe_figure(const char *t)
{
	size_t n = strlen(t);

	for (;;) {
		while (n && t[n - 1] == ' ')
			n--;
		if (!n || t[n - 1] != ']')
			break;
		while (n && t[n - 1] != '[')
			n--;
		if (n)
			n--;
	}
	if ((n == 3 && strncmp(t, "\xE2\x80\x93", 3) == 0) ||
	    (n == 1 && t[0] == '-'))
		return true;
	while (n && t[n - 1] != ' ')
		n--;
	return t[n] >= '0' && t[n] <= '9';
}

/* Does every non-empty cell of column c read as a figure? Then it is
 * right-aligned, as the data tables' figures are. */
static bool pipe_numeric(const struct doc_table *tb, size_t c)
{
	size_t seen = 0;

	for (size_t r = 0; r < tb->nrows; r++) {
		char *t = doc_runs_text(&tb->cells[r * tb->ncols + c]);
		bool empty, num;

		if (!t)
			return false;
		empty = !t[strspn(t, " ")];
		num = empty || pipe_figure(t);
		seen += !empty;
		free(t);
		if (!num)
			return false;
	}
	return seen > 0;
}

/* One cell's inline content into runs (the header's into plain text). */
static enum brief_status pipe_cell(struct lay *L, cmark_node *cell,
				   struct doc_runs *runs, struct buf *chk)
{
	enum brief_status st = inline_runs(L, cell, runs, 0, LINK_NONE, NULL,
					   chk, 0);

	if (!st && buf_add(chk, " ", 1))
		st = BRIEF_ENOMEM;
	return st;
}

/* A GitHub pipe table in prose (cmark-gfm's table extension) becomes a
 * table block, typeset like the data tables: cells resolved like a
 * paragraph's text (citations, figure references, emphasis, links), each
 * body row's numbers checked for a citation as one sentence. */
static enum brief_status block_pipe_table(struct lay *L, cmark_node *node,
					  struct doc_block *b, bool *keep)
{
	size_t nc = cmark_gfm_extensions_get_table_columns(node), nrows = 0;
	const uint8_t *al = cmark_gfm_extensions_get_table_alignments(node);
	struct doc_table *tb;
	cmark_node *row;
	enum brief_status st = BRIEF_OK;
	size_t r = 0;

	for (row = cmark_node_first_child(node); row; row = cmark_node_next(row))
		nrows += !cmark_gfm_extensions_get_table_row_is_header(row);
	if (nc > LAYOUT_TABLE_MAX_COLS || nrows > LAYOUT_TABLE_MAX_ROWS) {
		lay_error(L, b->line, b->col,
			  "a table may have at most %d columns and %d rows, "
			  "not %zu and %zu",
			  LAYOUT_TABLE_MAX_COLS, LAYOUT_TABLE_MAX_ROWS, nc,
			  nrows);
		*keep = false;
		return BRIEF_OK;
	}
	b->kind = BLK_TABLE;
	tb = b->table = calloc(1, sizeof *tb);
	if (!tb)
		return BRIEF_ENOMEM;
	tb->ncols = nc;
	tb->nrows = nrows; /* the cells exist (empty) from here on */
	tb->header = calloc(nc + 1, sizeof *tb->header);
	tb->align = calloc(nc + 1, 1);
	tb->cells = calloc(nrows * nc + 1, sizeof *tb->cells);
	if (!tb->header || !tb->align || !tb->cells)
		return BRIEF_ENOMEM;
	for (row = cmark_node_first_child(node); row && !st;
	     row = cmark_node_next(row)) {
		bool head = cmark_gfm_extensions_get_table_row_is_header(row);
		struct buf chk = BUF_INIT(0);
		cmark_node *cell = cmark_node_first_child(row);

		for (size_t c = 0; c < nc && !st; c++) {
			struct doc_runs hr = {NULL, 0, ""};
			struct doc_runs *runs = head ? &hr : &tb->cells[r * nc + c];

			if (cell) {
				st = pipe_cell(L, cell, runs, &chk);
				cell = cmark_node_next(cell);
			}
			if (!st && head) {
				tb->header[c] = doc_runs_text(&hr);
				if (!tb->header[c])
					st = BRIEF_ENOMEM;
			}
			doc_runs_free(&hr);
		}
		if (!st && !head && L->opts && L->opts->warn_uncited && chk.s)
			lay_check_text(L, chk.s, cmark_node_get_start_line(row),
				       cmark_node_get_start_line(row), false);
		buf_free(&chk);
		r += !head;
	}
	for (size_t c = 0; c < nc; c++)
		tb->align[c] = al && al[c] == 'r'   ? 'r'
			       : al && al[c]        ? 'l'
			       : pipe_numeric(tb, c) ? 'r'
						     : 'l';
	return st;
}

static enum brief_status build_block(struct lay *L, cmark_node *node,
				     struct doc_block *b, bool *keep,
				     int depth)
{
	*keep = true;
	b->line = cmark_node_get_start_line(node);
	b->col = node_col(L, node);
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_HEADING:
		b->kind = BLK_HEADING;
		b->level = cmark_node_get_heading_level(node);
		if (b->level > 3)
			b->level = 3;
		return block_inline(L, node, b, true);
	case CMARK_NODE_PARAGRAPH:
		b->kind = BLK_PARAGRAPH;
		return block_inline(L, node, b, false);
	case CMARK_NODE_LIST:
		b->kind = BLK_LIST;
		b->ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
		b->start = b->ordered ? cmark_node_get_list_start(node) : 0;
		return build_blocks(L, node, &b->children, &b->nchildren,
				    depth + 1);
	case CMARK_NODE_ITEM:
		b->kind = BLK_ITEM;
		return build_blocks(L, node, &b->children, &b->nchildren,
				    depth + 1);
	case CMARK_NODE_BLOCK_QUOTE:
		b->kind = BLK_QUOTE;
		return build_blocks(L, node, &b->children, &b->nchildren,
				    depth + 1);
	case CMARK_NODE_CODE_BLOCK:
		return block_fence(L, node, b, keep);
	case CMARK_NODE_HTML_BLOCK:
		lay_warn(L, b->line, node_col(L, node),
			 "raw HTML is not supported and is left out");
		*keep = false;
		return BRIEF_OK;
	default: /* a pipe table; thematic breaks: nothing to typeset */
		if (strcmp(cmark_node_get_type_string(node), "table") == 0)
			return block_pipe_table(L, node, b, keep);
		*keep = false;
		return BRIEF_OK;
	}
}


static enum brief_status build_blocks(struct lay *L, cmark_node *parent,
				      struct doc_block **out, size_t *nout,
				      int depth)
{
	cmark_node *n;
	enum brief_status st;
	bool keep;

	if (depth > LAYOUT_MAX_DEPTH) {
		lay_error(L, cmark_node_get_start_line(parent), 1,
			  "blocks nested more than %d deep", LAYOUT_MAX_DEPTH);
		return BRIEF_OK;
	}
	for (n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
		struct doc_block blk, *v;

		memset(&blk, 0, sizeof blk);
		st = build_block(L, n, &blk, &keep, depth);
		if (st || !keep) {
			doc_block_clear(&blk);
			if (st)
				return st;
			continue;
		}
		v = realloc(*out, (*nout + 1) * sizeof *v);
		if (!v) {
			doc_block_clear(&blk);
			return BRIEF_ENOMEM;
		}
		*out = v;
		v[(*nout)++] = blk;
	}
	return BRIEF_OK;
}

/* ---- Markdown ---- */

/* The body parsed as CommonMark with GitHub's pipe tables (cmark-gfm's
 * table extension); NULL when out of memory. */
static cmark_node *lay_parse_markdown(struct lay *L)
{
	cmark_parser *parser;
	cmark_syntax_extension *table;
	cmark_node *root;

	cmark_gfm_core_extensions_ensure_registered();
	parser = cmark_parser_new(CMARK_OPT_SMART);
	table = cmark_find_syntax_extension("table");
	if (!parser || !table ||
	    !cmark_parser_attach_syntax_extension(parser, table)) {
		if (parser)
			cmark_parser_free(parser);
		return NULL;
	}
	cmark_parser_feed(parser, L->body, L->body_len);
	root = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	return root;
}

/* ---- hashing the inputs ---- */

static void hash_file(struct sha256_ctx *h, const char *dir, const char *name)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/%s.csv", dir, name);
	sha256_update(h, name, strlen(name) + 1);
	/* A missing file was already reported by the scan. */
	(void)sha256_update_file_digest(h, path);
}

/* Files a chart read besides the datasets (a map's boundaries). */
static void hash_chart_files(struct sha256_ctx *h, const struct doc_block *b,
			     size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (b[i].chart)
			for (size_t k = 0; k < chart_nfiles(b[i].chart); k++) {
				/* The digest only: the path depends on the
				 * working directory, the layout names it. */
				(void)sha256_update_file_digest(
					h, chart_file(b[i].chart, k));
			}
		hash_chart_files(h, b[i].children, b[i].nchildren);
	}
}

/* The hash of the layout bytes and every data file, into out. */
static void lay_hash_into(const struct lay *L, uint8_t out[32])
{
	struct sha256_ctx h;
	int k;

	sha256_init(&h);
	sha256_update(&h, L->src, L->len);
	for (k = 0; L->doc->sources.datasets &&
		    k < (int)L->doc->sources.datasets->nsources; k++)
		hash_file(&h, L->doc->meta.data_dir,
			  L->doc->sources.datasets->sources[k]);
	for (k = 0; k < (int)lay_nds(L); k++)
		hash_file(&h, L->doc->meta.data_dir, lay_ds(L, k)->name);
	hash_chart_files(&h, L->doc->blocks, L->doc->nblocks);
	if (L->doc->brand && L->doc->brand->logo_path) /* the logo's pixels */
		(void)sha256_update_file_digest(&h, L->doc->brand->logo_path);
	if (sources_vocabulary(&L->doc->sources)) {
		sha256_update(&h, "vocabulary", 11);
		(void)sha256_update_file_digest(
			&h, sources_vocabulary(&L->doc->sources));
	}
	sha256_final(&h, out);
}

static enum brief_status lay_names(struct lay *L)
{
	const char *base = strrchr(L->path, '/');
	size_t n;

	base = base ? base + 1 : L->path;
	n = strlen(base);
	if (n > 3 && strcmp(base + n - 3, ".md") == 0)
		n -= 3;
	L->doc->layout_path = lay_strdup(L->path);
	L->doc->layout_name = lay_strndup(base, n);
	return L->doc->layout_path && L->doc->layout_name ? BRIEF_OK :
							    BRIEF_ENOMEM;
}

/* ---- the whole ---- */

static void lay_free(struct lay *L)
{
	size_t i;

	free(L->src);
	free(L->line_off);
	free(L->body);
	free(L->body_line_off);
	for (i = 0; i < L->nanchor_refs; i++)
		free(L->anchor_refs[i].name);
	free(L->anchor_refs);
	free(L->anchors);
	for (i = 0; i < L->nrefs; i++)
		lay_ref_free(&L->refs[i]);
	free(L->refs);
	for (i = 0; i < L->nfigs; i++) {
		free(L->figs[i].id);
		figure_clear(&L->figs[i].fig);
	}
	free(L->figs);
	free(L->bibno);
	for (i = 0; i < L->nchart_ids; i++)
		free(L->chart_ids[i]);
	free(L->chart_ids);
	free(L->cons);
	for (i = 0; i < DATASETS_MAX; i++)
		lay_hdr_free(L, (int)i);
}

/* The catalogue of the document's language (opts->locale_dir), made the
 * active one, with the digits the front matter chooses (`digits: latin`
 * or `native`). A catalogue missing or incomplete is a warning (its text
 * falls back to English); one that is not valid YAML an error. */
static enum brief_status lay_catalogue(struct lay *L, const struct front *fm,
				       struct diag *err)
{
	struct doc_meta *m = &L->doc->meta;
	enum brief_status st;

	(void)fm;
	if (!L->opts)
		return BRIEF_OK;
	if (!L->opts->locale_dir) {
		if (m->language && *m->language && strcmp(m->language, "en"))
			lay_warn(L, 0, 0,
				 "language: %s: no catalogues found ($BRIEF_LOCALE, "
				 "locale/ beside brief, or the installed "
				 "locale directory): the words brief writes "
				 "are in English",
				 m->language);
		return BRIEF_OK;
	}
	st = l10n_open(L->opts->locale_dir, m->language, L->sink,
		       &L->doc->l10n, err);
	if (st == BRIEF_EDATA) {
		diag_emit(L->sink, err, DIAG_ERROR);
		return st;
	}
	if (st != BRIEF_OK)
		return st;
	if (m->digits) {
		bool native = strcmp(m->digits, "native") == 0;

		if (!native && strcmp(m->digits, "latin") != 0) {
			lay_error(L, 0, 0, "digits must be latin or native, "
				  "not '%s'", m->digits);
			return BRIEF_EDATA;
		}
		if (!l10n_set_digits(L->doc->l10n, native ? L10N_DIGITS_NATIVE
							  : L10N_DIGITS_LATIN))
			lay_warn(L, 0, 0, "digits: native: the catalogue of '%s' "
				 "has no native digits; Latin digits are used",
				 m->language);
	}
	l10n_use(L->doc->l10n);
	return BRIEF_OK;
}

enum brief_status layout_load(const char *path, const struct layout_opts *opts,
			      struct doc **out, struct diag_sink *sink,
			      struct diag *err)
{
	struct diag_sink quiet = { NULL, 0, 0, 0 };
	struct lay L;
	struct front fm;
	struct fence *fences = NULL;
	cmark_node *root = NULL;
	enum brief_status st;
	unsigned errors0;
	struct diag d;

	*out = NULL;
	if (err)
		err->msg[0] = '\0';
	memset(&L, 0, sizeof L);
	memset(&fm, 0, sizeof fm);
	L.path = path;
	L.opts = opts;
	L.sink = sink ? sink : &quiet;
	errors0 = L.sink->errors;
	L.doc = calloc(1, sizeof *L.doc);
	if (!L.doc) {
		st = BRIEF_ENOMEM;
		goto out;
	}
	st = lay_read(&L, err);
	if (st)
		goto out;
	lay_lone_cr(&L);
	st = lay_index_lines(&L);
	if (st || (st = lay_names(&L)) || (st = lay_check_bytes(&L)))
		goto out;
	st = lay_front_matter(&L, &fm, err);
	if (st || (st = lay_catalogue(&L, &fm, err)))
		goto out;
	st = lay_data_dir(&L);
	if (st)
		goto out;
	d.msg[0] = '\0';
	st = infile_check_dir(L.doc->meta.data_dir, &d);
	if (st == BRIEF_EIO) { /* it names the directory; exit 3 */
		*err = d;
		goto out;
	}
	if (st != BRIEF_OK) {
		/* The directory itself: at the layout's `data` */
		if (fm.data_line)
			lay_error(&L, fm.data_line, fm.data_col,
				  "cannot read the datasets in '%s': %s",
				  L.doc->meta.data_dir, d.msg);
		else
			diag_emit(L.sink, &d, DIAG_ERROR);
		st = BRIEF_EDATA;
		goto out;
	}
	if (opts && opts->data_dir_known)
		opts->data_dir_known(opts->ctx, L.doc->layout_name,
				     L.doc->meta.data_dir);
	st = sources_load(L.doc->meta.data_dir, &L.doc->sources, L.sink, &d);
	if (st == BRIEF_EIO || st == BRIEF_ENOMEM) {
		/* names sources.csv; the data layer reported nothing */
		*err = d;
		goto out;
	}
	/* BRIEF_EDATA: every problem of sources.csv, its CSV-level ones
	 * included, is in the sink already (not repeated here). */
	if (st || (st = lay_dataset_paths(&L)))
		goto out;
	L.bibno = calloc(L.doc->sources.n + 1, sizeof *L.bibno);
	L.doc->palette = palette_new();
	if (!L.bibno || !L.doc->palette ||
	    palette_fix_colors(L.doc->palette, L.doc->brand)) {
		st = BRIEF_ENOMEM;
		goto out;
	}
	st = lay_tokenise(&L);
	if (st || (st = lay_index_body(&L)))
		goto out;
	root = lay_parse_markdown(&L);
	if (!root) {
		st = BRIEF_ENOMEM;
		goto out;
	}
	st = lay_pass1(&L, root, &fences, err);
	if (st)
		goto out;
	/* Every consumer of the data registers, then one scan per dataset. */
	st = lay_want_done(&L);
	if (st || (st = prep_blocks(&L, root, 0)))
		goto out;
	L.want_latest = fm.as_of_auto;
	st = lay_share(&L, err);
	if (st)
		goto out;
	st = lay_fetch(&L, err);
	if (st)
		goto out;
	st = build_blocks(&L, root, &L.doc->blocks, &L.doc->nblocks, 0);
	if (st)
		goto out;
	lay_check_anchors(&L);
	if (fm.as_of_auto && lay_all_clean(&L)) {
		L.doc->meta.as_of_date = L.latest;
	} else if (fm.as_of_auto) {
		st = data_latest_date(L.doc->meta.data_dir, &L.doc->sources,
				      &L.doc->meta.as_of_date, &d);
		if (st == BRIEF_ENOMEM)
			goto out;
		if (st)
			diag_emit(L.sink, &d, DIAG_ERROR);
		st = BRIEF_OK;
	}
	chart_doc_as_of(L.doc); /* step charts run to the briefing's as_of */
	lay_hash_into(&L, L.doc->input_hash);
out:
	if (st == BRIEF_ENOMEM)
		diag_set(err, st, path, 0, 0, "out of memory");
	while (fences) {
		struct fence *next = fences->next;

		fence_free(fences);
		fences = next;
	}
	if (root)
		cmark_node_free(root);
	lay_flush(&L);
	/* A fatal data error in err (a layout over the size cap, say) that
	 * nothing reported yet goes to the sink: the contract is that
	 * BRIEF_EDATA means the errors are in the sink. */
	if (st == BRIEF_EDATA && L.sink->errors == errors0 && err &&
	    err->msg[0]) {
		diag_emit(L.sink, err, DIAG_ERROR);
		err->msg[0] = '\0'; /* reported: the caller must not repeat it */
	}
	if (!st) { /* the doc keeps the text, to point at characters in it */
		L.doc->layout_src = L.src;
		L.doc->layout_len = L.len;
		L.doc->layout_lines = L.line_off;
		L.doc->nlayout_lines = L.nlines;
		L.src = NULL;
		L.line_off = NULL;
	}
	lay_free(&L);
	if (!st && L.sink->errors > errors0)
		st = BRIEF_EDATA;
	if (st) {
		doc_free(L.doc);
		return st;
	}
	*out = L.doc;
	return BRIEF_OK;
}
