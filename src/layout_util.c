/* layout_util.c — the helpers every layout file shares (layout_int.h):
 * strings, positions in the layout, diagnostics held and sorted by
 * position, citation numbers, datasets by name and scans. */
#include "layout_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "figure.h"

/* ---- strings and positions ---- */

char *lay_strdup(const char *s)
{
	size_t n = strlen(s);
	char *p = malloc(n + 1);

	if (p)
		memcpy(p, s, n + 1);
	return p;
}

char *lay_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* 1-based column (code points) of byte offset off in the layout. */
long lay_col_of(const struct lay *L, long line, size_t off)
{
	size_t p = L->line_off[line - 1];
	long col = 1;

	for (; p < off && p < L->len; p++)
		if (((unsigned char)L->src[p] & 0xC0) != 0x80)
			col++;
	return col;
}

/* Line (1-based) holding byte offset off. */
long lay_line_of(const struct lay *L, size_t off)
{
	long lo = 0, hi = L->nlines - 1;

	while (lo < hi) {
		long mid = (lo + hi + 1) / 2;

		if (L->line_off[mid] <= off)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo + 1;
}

struct text_origin lay_at(const struct lay *L, long line, long col)
{
	struct text_origin at = {L->doc->layout_path, line, col};

	return at;
}


static void lay_quote(const struct lay *L, struct diag *d)
{
	size_t off;

	if (d->line < 1 || d->line > L->nlines)
		return;
	off = L->line_off[d->line - 1];
	diag_quote(d, L->src + off, L->len - off);
}

static void lay_vreport(struct lay *L, enum diag_severity sev, long line,
			long col, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

#define LAY_PENDING_MAX 10000

/* Hold a diagnostic for lay_flush; past the cap, or without memory,
 * report it at once. */
static void lay_hold(struct lay *L, const struct diag *d,
		     enum diag_severity sev)
{
	struct lay_pending *v;

	/* Capacity doubles: it is the next power of two of npending. */
	if (L->npending < LAY_PENDING_MAX &&
	    (L->npending & (L->npending - 1)) != 0) {
		v = L->pending;
	} else if (L->npending < LAY_PENDING_MAX) {
		v = realloc(L->pending,
			    (L->npending ? 2 * L->npending : 1) * sizeof *v);
		if (v)
			L->pending = v;
	} else {
		v = NULL;
	}
	if (v) {
		v[L->npending].d = *d;
		v[L->npending].sev = sev;
		v[L->npending].seq = L->npending;
		L->npending++;
		return;
	}
	diag_emit(L->sink, d, sev);
}

static int pending_cmp(const void *a, const void *b)
{
	const struct lay_pending *x = a, *y = b;

	if (x->d.line != y->d.line)
		return x->d.line < y->d.line ? -1 : 1;
	if (x->d.col != y->d.col)
		return x->d.col < y->d.col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Report the held diagnostics in file order. */
void lay_flush(struct lay *L)
{
	size_t i;

	if (L->npending)
		qsort(L->pending, L->npending, sizeof *L->pending, pending_cmp);
	for (i = 0; i < L->npending; i++)
		diag_emit(L->sink, &L->pending[i].d, L->pending[i].sev);
	free(L->pending);
	L->pending = NULL;
	L->npending = 0;
}

static void lay_vreport(struct lay *L, enum diag_severity sev, long line,
			long col, const char *fmt, va_list ap)
{
	struct diag d;

	diag_vset(&d, BRIEF_EDATA, L->path, line, col, fmt, ap);
	lay_quote(L, &d);
	lay_hold(L, &d, sev);
}

void lay_error(struct lay *L, long line, long col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lay_vreport(L, DIAG_ERROR, line, col, fmt, ap);
	va_end(ap);
}

void lay_warn(struct lay *L, long line, long col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lay_vreport(L, DIAG_WARNING, line, col, fmt, ap);
	va_end(ap);
}

void lay_emit(struct lay *L, struct diag *d)
{
	if (strcmp(d->file, L->path) != 0) {
		diag_emit(L->sink, d, DIAG_ERROR);
		return;
	}
	if (!d->quote[0])
		lay_quote(L, d);
	lay_hold(L, d, DIAG_ERROR);
}

int lay_cite(void *ctx, const char *source_id)
{
	struct lay *L = ctx;
	struct doc *doc = L->doc;
	const struct source *s = sources_find(&doc->sources, source_id);
	size_t i;
	struct doc_bib *bib;

	if (!s || !L->bibno)
		return 0;
	i = (size_t)(s - doc->sources.v);
	if (L->bibno[i])
		return L->bibno[i];
	bib = realloc(doc->bib, (doc->nbib + 1) * sizeof *bib);
	if (!bib)
		return -1;
	doc->bib = bib;
	bib[doc->nbib].number = (int)doc->nbib + 1;
	bib[doc->nbib].src = s;
	doc->nbib++;
	L->bibno[i] = (int)doc->nbib;
	return L->bibno[i];
}

enum brief_status lay_cite_runs(struct lay *L, struct doc_runs *r,
				const char *source_id)
{
	char num[16];
	int n = lay_cite(L, source_id);

	if (n < 0)
		return BRIEF_ENOMEM;
	if (!n)
		return BRIEF_OK;
	snprintf(num, sizeof num, "%d", n);
	if (doc_runs_add(r, "[", 1, 0, LINK_NONE, NULL, 0) ||
	    doc_runs_add(r, num, strlen(num), 0, LINK_BIB, NULL, n) ||
	    doc_runs_add(r, "]", 1, 0, LINK_NONE, NULL, 0))
		return BRIEF_ENOMEM;
	return BRIEF_OK;
}

struct figure lay_figure_alone(const struct figrow *f)
{
	struct figure fig = f->fig;

	fig.source = "";
	fig.reported_by = "";
	fig.owned = false;
	return fig;
}

char *lay_figure_words(const struct figrow *f, char *buf, size_t size)
{
	struct figure fig = lay_figure_alone(f);

	return figure_words(&fig, NULL, buf, size);
}

/* ---- datasets by name (see layout_int.h) ---- */

size_t lay_nds(const struct lay *L)
{
	return L->doc->sources.datasets ? L->doc->sources.datasets->n : 0;
}

const struct dataset *lay_ds(const struct lay *L, int i)
{
	return &L->doc->sources.datasets->v[i];
}

int lay_dataset_find(const struct lay *L, const char *name)
{
	return datasets_find(L->doc->sources.datasets, name);
}

int lay_dataset(struct lay *L, const char *name, long line, long col)
{
	int i = lay_dataset_find(L, name);
	char have[512];

	if (i >= 0)
		return i;
	datasets_names(L->doc->sources.datasets, have, sizeof have);
	lay_error(L, line, col, "no dataset '%s' (have: %s)", name, have);
	return -1;
}

enum brief_status lay_scan(struct lay *L, int ds, data_row_fn fn, void *ctx,
			   struct diag *err)
{
	struct diag_sink quiet = { NULL, 0, 0, 0 };
	struct diag_sink *sink = L->reported[ds] ? &quiet : L->sink;

	L->reported[ds] = true;
	return data_scan_dataset(L->doc->meta.data_dir, lay_ds(L, ds),
				 &L->doc->sources, fn, ctx, sink, err);
}

