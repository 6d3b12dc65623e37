/* layout_refs.c — {{dataset:row-id}} and [@id] references: found in the
 * layout text before cmark parses it, replaced by placeholder tokens, and
 * the dataset rows that figure references and key figures ask for. */
#include "layout_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- references: found in the text, replaced by tokens ---- */

/* A token is U+E000 then four hex digits as U+E010..U+E01F: 15 bytes of
 * private-use code points that cmark leaves alone. */

static void token_write(char *p, size_t index)
{
	int i;

	p[0] = (char)0xEE;
	p[1] = (char)0x80;
	p[2] = (char)0x80;
	for (i = 0; i < 4; i++) {
		p[3 + 3 * i] = (char)0xEE;
		p[4 + 3 * i] = (char)0x80;
		p[5 + 3 * i] = (char)(0x90 + ((index >> (12 - 4 * i)) & 0xF));
	}
}

/* Index of the token at p (with at least `left` bytes), or -1. */
long lay_token_read(const char *p, size_t left, size_t nrefs)
{
	const unsigned char *u = (const unsigned char *)p;
	long index = 0;
	int i;

	if (left < TOKEN_LEN || u[0] != 0xEE || u[1] != 0x80 || u[2] != 0x80)
		return -1;
	for (i = 0; i < 4; i++) {
		const unsigned char *d = u + 3 + 3 * i;

		if (d[0] != 0xEE || d[1] != 0x80 || d[2] < 0x90 || d[2] > 0x9F)
			return -1;
		index = index * 16 + (d[2] - 0x90);
	}
	return (size_t)index < nrefs ? index : -1;
}

static bool cite_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	       c == ':' || c == '/';
}

static const char *trim(const char *s, const char *e, const char **end)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*end = e;
	return s;
}

/* Parse "[@a; @b]" content between p and e into r. */
static enum brief_status ref_parse_cite(struct ref *r, const char *p,
					const char *e, bool *ok)
{
	*ok = false;
	while (p <= e) {
		const char *semi = memchr(p, ';', (size_t)(e - p));
		const char *q, *qe;
		char **ids;

		if (!semi)
			semi = e;
		q = trim(p, semi, &qe);
		if (q >= qe || *q != '@' || q + 1 >= qe)
			return BRIEF_OK;
		for (p = q + 1; p < qe; p++)
			if (!cite_id_char(*p))
				return BRIEF_OK;
		ids = realloc(r->ids, (r->nids + 1) * sizeof *ids);
		if (!ids)
			return BRIEF_ENOMEM;
		r->ids = ids;
		ids[r->nids] = lay_strndup(q + 1, (size_t)(qe - q - 1));
		if (!ids[r->nids])
			return BRIEF_ENOMEM;
		r->nids++;
		p = semi + 1;
	}
	*ok = true;
	return BRIEF_OK;
}

static enum brief_status ref_parse_figure(struct ref *r, const char *p,
					  const char *e, bool *ok)
{
	const char *colon = memchr(p, ':', (size_t)(e - p));
	const char *a, *ae, *b, *be;

	*ok = false;
	if (!colon)
		return BRIEF_OK;
	a = trim(p, colon, &ae);
	b = trim(colon + 1, e, &be);
	if (a >= ae || b >= be)
		return BRIEF_OK;
	r->dataset = lay_strndup(a, (size_t)(ae - a));
	r->row = lay_strndup(b, (size_t)(be - b));
	if (!r->dataset || !r->row)
		return BRIEF_ENOMEM;
	*ok = true;
	return BRIEF_OK;
}

void lay_ref_free(struct ref *r)
{
	size_t i;

	for (i = 0; i < r->nids; i++)
		free(r->ids[i]);
	free(r->ids);
	free(r->dataset);
	free(r->row);
}

/* Find every {{...}} and [@...] after the front matter, record it, and
 * build the body text for cmark: front matter lines blanked (so cmark's
 * line numbers are the file's), references replaced by tokens. A
 * malformed reference is kept as a ref with a message, reported only if
 * it turns up in prose (not in code). */
enum brief_status lay_tokenise(struct lay *L)
{
	size_t start = L->body_line <= L->nlines ?
			       L->line_off[L->body_line - 1] : L->len;
	size_t i, n = 0, cap, refcap = 0;
	size_t col_off = 0; /* the last ref's offset and column: a long line */
	long col_line = 0, col = 0; /* of many refs is counted once, not per ref */
	char *body;

	/* Worst case every 4-byte "[@a]" grows to a token. */
	cap = start + L->len / 4 * TOKEN_LEN + L->len + 1;
	body = malloc(cap);
	if (!body)
		return BRIEF_ENOMEM;
	for (i = 0; i < start; i++)
		if (L->src[i] == '\n')
			body[n++] = '\n';
	for (i = start; i < L->len;) {
		const char *p = L->src + i, *close = NULL, *eol;
		bool fig = p[0] == '{' && p[1] == '{';
		bool cite = p[0] == '[' && p[1] == '@';
		struct ref *refs, *r;
		bool ok = false;
		enum brief_status st;

		/* No text can fake a token: U+E000, which starts them, is
		 * refused in a layout (lay_check_bytes). */
		if (!fig && !cite) {
			body[n++] = L->src[i++];
			continue;
		}
		/* Searches stop at the line end: scanning to the end of the
		 * file for every "{{" would be quadratic. */
		eol = memchr(p, '\n', L->len - i);
		if (!eol)
			eol = L->src + L->len;
		if (fig) {
			const char *c = p + 2;

			while (c + 1 < eol && !(c[0] == '}' && c[1] == '}'))
				c++;
			close = c + 1 < eol ? c + 2 : NULL;
		} else {
			const char *c = memchr(p + 2, ']', (size_t)(eol - p - 2));

			close = c ? c + 1 : NULL;
		}
		if (L->nrefs >= 0xFFFF) {
			body[n++] = L->src[i++];
			continue;
		}
		if (L->nrefs >= refcap) {
			refcap = refcap ? 2 * refcap : 16;
			refs = realloc(L->refs, refcap * sizeof *refs);
			if (!refs) {
				free(body);
				return BRIEF_ENOMEM;
			}
			L->refs = refs;
		}
		r = &L->refs[L->nrefs];
		memset(r, 0, sizeof *r);
		r->kind = fig ? REF_FIGURE : REF_CITE;
		r->off = i;
		r->line = lay_line_of(L, i);
		if (r->line != col_line) {
			col_line = r->line;
			col_off = L->line_off[r->line - 1];
			col = 1;
		}
		for (; col_off < i; col_off++)
			if (((unsigned char)L->src[col_off] & 0xC0) != 0x80)
				col++;
		r->col = col;
		if (close) {
			st = fig ? ref_parse_figure(r, p + 2, close - 2, &ok) :
				   ref_parse_cite(r, p + 1, close - 1, &ok);
			if (st) {
				lay_ref_free(r);
				free(body);
				return st;
			}
		}
		if (!ok) {
			/* Malformed: a ref with neither ids nor dataset, reported
			 * if it turns up in prose. */
			lay_ref_free(r);
			r->ids = NULL;
			r->nids = 0;
			r->dataset = r->row = NULL;
			r->end = close ? (size_t)(close - L->src) : i + 2;
		} else {
			r->end = (size_t)(close - L->src);
		}
		token_write(body + n, L->nrefs);
		n += TOKEN_LEN;
		L->nrefs++;
		i = r->end;
	}
	body[n] = '\0';
	L->body = body;
	L->body_len = n;
	return BRIEF_OK;
}

bool lay_ref_bad(const struct ref *r)
{
	return r->kind == REF_CITE ? r->nids == 0 : r->dataset == NULL;
}

/* text with tokens turned back into the layout's own spelling (heap). */
char *lay_untoken(const struct lay *L, const char *text)
{
	size_t len = strlen(text), i, n = 0, cap = len + 1;
	char *out;
	long t;

	for (i = 0; i < len; i++)
		if ((t = lay_token_read(text + i, len - i, L->nrefs)) >= 0)
			cap += L->refs[t].end - L->refs[t].off;
	out = malloc(cap);
	if (!out)
		return NULL;
	for (i = 0; i < len;) {
		t = lay_token_read(text + i, len - i, L->nrefs);
		if (t >= 0) {
			const struct ref *r = &L->refs[t];

			memcpy(out + n, L->src + r->off, r->end - r->off);
			n += r->end - r->off;
			i += TOKEN_LEN;
		} else {
			out[n++] = text[i++];
		}
	}
	out[n] = '\0';
	return out;
}

/* ---- wanted rows: figure references and key figures ---- */

static int figrow_cmp(const void *a, const void *b)
{
	const struct figrow *x = a, *y = b;

	if (x->ds != y->ds)
		return x->ds < y->ds ? -1 : 1;
	return strcmp(x->id, y->id);
}

enum brief_status lay_want(struct lay *L, const char *dataset,
				  const char *row)
{
	struct figrow *v;
	int ds = lay_dataset_find(L, dataset);

	if (ds < 0)
		return BRIEF_OK; /* reported where it is used */
	v = realloc(L->figs, (L->nfigs + 1) * sizeof *v);
	if (!v)
		return BRIEF_ENOMEM;
	L->figs = v;
	memset(&v[L->nfigs], 0, sizeof *v);
	v[L->nfigs].ds = ds;
	v[L->nfigs].id = lay_strdup(row);
	if (!v[L->nfigs].id)
		return BRIEF_ENOMEM;
	L->nfigs++;
	return BRIEF_OK;
}

const struct figrow *lay_find_row(const struct lay *L, int ds,
				  const char *id)
{
	struct figrow key;

	key.ds = ds;
	key.id = (char *)(uintptr_t)id;
	if (!L->nfigs)
		return NULL;
	return bsearch(&key, L->figs, L->nfigs, sizeof key, figrow_cmp);
}

/* Column of the text a figure prints from its row: the unit, or the value
 * when there is no unit; 0 when the dataset has neither. */
static long unit_col(const struct data_row *row)
{
	int c = data_row_column(row, "unit");

	if (c < 0 || !row->field[c][0])
		c = data_row_column(row, "value");
	return c >= 0 ? row->col[c] : 0;
}

static enum brief_status fetch_row(void *ctx, const struct data_row *row,
				   struct diag *err)
{
	struct lay_fetch *fe = ctx;
	struct lay *L = fe->L;
	struct figrow *f;

	(void)err;
	if (!fe->left)
		return BRIEF_OK;
	f = (struct figrow *)lay_find_row(L, fe->ds, row->id);
	if (!f || f->found)
		return BRIEF_OK;
	fe->left--;
	{
		struct figure fig = figure_of_row(row);

		if (figure_copy(&fig, &f->fig))
			return BRIEF_ENOMEM;
	}
	f->found = true;
	f->line = row->line;
	f->col = unit_col(row);
	return BRIEF_OK;
}

/* Count the rows wanted of dataset ds (fetch[ds].left), forgetting any
 * found: before the shared scan, and before a dataset's own scan where the
 * shared one was not clean. */
static void fetch_reset(struct lay *L, int ds)
{
	size_t i;

	L->fetch[ds].left = 0;
	for (i = 0; i < L->nfigs; i++) {
		struct figrow *f = &L->figs[i];

		if (f->ds != ds)
			continue;
		L->fetch[ds].left++;
		if (!f->found)
			continue;
		f->found = false;
		figure_clear(&f->fig);
	}
}

/* Sort and dedupe the wanted rows; their datasets' rows come from the
 * shared scan. */
enum brief_status lay_want_done(struct lay *L)
{
	size_t i, n = 0;
	int k;
	enum brief_status st;

	if (!L->nfigs)
		return BRIEF_OK;
	qsort(L->figs, L->nfigs, sizeof *L->figs, figrow_cmp);
	for (i = 0; i < L->nfigs; i++) {
		if (n && figrow_cmp(&L->figs[n - 1], &L->figs[i]) == 0) {
			free(L->figs[i].id);
			continue;
		}
		L->figs[n++] = L->figs[i];
	}
	L->nfigs = n;
	for (k = 0; k < DATASETS_MAX; k++) {
		fetch_reset(L, k);
		if (!L->fetch[k].left)
			continue;
		st = lay_consume(L, k, fetch_row, &L->fetch[k]);
		if (st)
			return st;
	}
	return BRIEF_OK;
}

/* One scan per dataset the shared scan did not cover cleanly. */
enum brief_status lay_fetch(struct lay *L, struct diag *err)
{
	int k;
	enum brief_status st;
	struct diag d;

	for (k = 0; k < DATASETS_MAX; k++) {
		if (L->clean[k])
			continue;
		fetch_reset(L, k);
		if (!L->fetch[k].left) /* no figure of this dataset */
			continue;
		st = lay_scan(L, k, fetch_row, &L->fetch[k], &d);
		if (st == BRIEF_ENOMEM)
			return diag_set(err, st, L->path, 0, 0, "out of memory");
		if (st == BRIEF_EIO)
			diag_emit(L->sink, &d, DIAG_ERROR);
		/* BRIEF_EDATA: bad rows were reported and skipped. */
	}
	return BRIEF_OK;
}
