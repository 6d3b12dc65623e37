/* diff.c — comparing two data directories row by row, streaming (see
 * diff.h).
 *
 * For each file: pass A reads the old side into a hash index of id,
 * content and key hashes; pass B reads the new side and looks every row
 * up: added, changed (its new text goes to a temporary file) or
 * unchanged. Removed rows are the index entries pass B never saw. Pass C
 * reads the old side again, only when something changed: it reports the
 * removed and changed rows and collects the claims of every quantity a
 * change touched. A quantity no change touched has the same claims on
 * both sides, so it cannot have become contested or resolved; the new
 * side's claims of a touched quantity are the old side's unchanged rows
 * plus the added and changed rows pass B kept. So the new side is read
 * once and nothing is sorted but the touched claims.
 *
 * "Touched" is by key and period: pass C keeps the claims of a touched
 * key that overlap the days the touched claims cover. When a kept claim
 * reaches beyond those days, a chain of overlapping periods could link in
 * claims that were not kept, so that key's claims are collected again
 * whole (pass E). Passes D and E are rare; D fetches the words of the
 * reported quantities' claims. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "contested.h"
#include "diff.h"

#define FNV_START 1469598103934665603ULL

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	h ^= 0xff; /* a terminator, so ("ab","c") differs from ("a","bc") */
	return h * 1099511628211ULL;
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* ---- the files ---- */

#define DIFF_FILES_MAX (2 * DATASETS_MAX + 1)

/* The files to compare into out (DIFF_FILES_MAX of room: every dataset
 * of both sides at most): sources, then schema by schema the datasets
 * either side has. */
static size_t diff_files(const struct datasets *a, const struct datasets *b,
			 struct diff_file *out)
{
	const struct datasets *side[2] = { a, b };
	size_t n = 0, i, k;
	int kind;

	out[n].name = "sources";
	out[n++].is_sources = true;
	for (kind = 0; kind < DS_COUNT; kind++)
		for (int s = 0; s < 2; s++)
			for (i = 0; side[s] && i < side[s]->n; i++) {
				const struct dataset *ds = &side[s]->v[i];

				if (ds->kind != (enum dataset_kind)kind)
					continue;
				for (k = 1; k < n; k++)
					if (strcmp(out[k].ds.name, ds->name) == 0)
						break;
				if (k < n || n == DIFF_FILES_MAX)
					continue;
				out[n].is_sources = false;
				out[n].ds = *ds;
				n++;
			}
	/* Within a schema: the plain one first, then by name. */
	for (i = 1; i < n; i++)
		for (k = i; k > 1 && out[k - 1].ds.kind == out[k].ds.kind &&
			    strcmp(out[k - 1].ds.name, out[k].ds.name) > 0;
		     k--) {
			struct diff_file t = out[k];

			out[k] = out[k - 1];
			out[k - 1] = t;
		}
	for (i = 1; i < n; i++)
		out[i].name = out[i].ds.name;
	return n;
}

/* The columns of sources.csv, as struct source holds them. */
static const struct {
	const char *name;
	size_t off;
} source_cols[] = {
	{"id", offsetof(struct source, id)},
	{"title", offsetof(struct source, title)},
	{"publisher", offsetof(struct source, publisher)},
	{"author", offsetof(struct source, author)},
	{"published", offsetof(struct source, published)},
	{"url", offsetof(struct source, url)},
	{"accessed", offsetof(struct source, accessed)},
	{"kind", offsetof(struct source, kind)},
	{"language", offsetof(struct source, language)},
	{"archive", offsetof(struct source, archive)},
	{"note", offsetof(struct source, note)},
};
#define NSOURCE_COLS (sizeof source_cols / sizeof source_cols[0])

/* One side of the comparison. */
struct side {
	const char *dir;
	struct sources sources;
	struct diag_sink *sink;
};

/* A row as the passes see it, from either a dataset or sources.csv. */
struct rv {
	const char *id;
	long line;
	size_t n;
	const char *const *names;
	const char *const *values;
	const struct data_row *row; /* NULL for sources */
};

/* ---- the old side's index: open addressing on the id hash ---- */

struct ient {
	uint64_t id; /* 0: empty slot */
	uint64_t content, key;
	int32_t start, end; /* the contested period (contested.h) */
};

/* Per slot: 0 not seen on the new side, else the new row's index + 1,
 * with SEEN_CHANGED when its content differs. */
#define SEEN_CHANGED 0x80000000u
#define SEEN_INDEX 0x7fffffffu

struct index {
	struct ient *slot;
	uint32_t *seen;
	size_t cap, n;
};

/* ---- the claims of touched quantities ---- */

/* What a claim says, in words (for a reported quantity). */
struct qwords {
	struct diff_claim w;
	char *key_words;
	struct date from, to;
};

#define NO_ROW UINT32_MAX

struct wentry {
	uint32_t index;
	struct qwords *words;
};

/* The claims of the quantities a change touched, on one side: c.index is
 * the row's place on that side, c.pad the same row's place on the old
 * side (NO_ROW for a row only the new side has). Words are kept for the
 * claims of reported quantities only, by index. */
struct qlist {
	struct contested_claim *v;
	size_t n, cap;
	struct wentry *w;
	size_t nw, capw;
	bool w_sorted;
};

/* A key a change touched and the days its touched claims cover; `all`
 * when every claim of the key is needed. */
struct touch {
	uint64_t key;
	int32_t start, end;
	bool all;
};

struct touches {
	struct touch *v;
	size_t n, cap;
};

/* A changed row's new text in the spool: where it starts. */
struct spooled {
	uint64_t id;
	long off;
};

struct pass {
	const struct diff_file *file;
	const char *const *key; /* contested key, NULL for none */
	const struct diff_output *out;
	struct side *old, *new_;
	struct index idx;
	struct touches touched;
	struct qlist q[2]; /* claims of touched quantities: 0 old, 1 new */
	FILE *spool;
	struct spooled *sp;
	size_t nsp, capsp;
	struct diff_counts counts;
	uint32_t index; /* row number within the current scan */
	struct words_pass *words; /* pass D's wants */
	/* Column-name hashes of the current header (content_hash). */
	const char *const *hashed_names;
	uint64_t name_hash[256];
	/* Sizing the index from the first rows and the file size. */
	long long file_size;
	size_t sample_bytes;
};

static enum brief_status nomem(struct diag *err)
{
	return diag_set(err, BRIEF_ENOMEM, "brief diff", 0, 0, "out of memory");
}

static size_t home(uint64_t h, size_t cap)
{
	return (size_t)(((h >> 32) * (uint64_t)cap) >> 32);
}

static uint64_t nonzero(uint64_t h)
{
	return h ? h : 1;
}

/* Resize to ncap slots (at most 4/5 full); -1 when out of memory. */
static int index_resize(struct index *x, size_t ncap)
{
	struct ient *ns = calloc(ncap, sizeof *ns);
	size_t i, j;

	if (!ns)
		return -1;
	for (j = 0; j < x->cap; j++) {
		if (!x->slot[j].id)
			continue;
		for (i = home(x->slot[j].id, ncap); ns[i].id;
		     i = i + 1 == ncap ? 0 : i + 1)
			;
		ns[i] = x->slot[j];
	}
	free(x->slot);
	x->slot = ns;
	x->cap = ncap;
	return 0;
}

static int index_reserve(struct index *x, size_t rows)
{
	size_t need = rows / 4 * 5 + 16;

	if (need <= x->cap || need >= (1ULL << 32))
		return 0;
	return index_resize(x, need);
}

static enum brief_status index_add(struct index *x, const struct ient *e,
				   struct diag *err)
{
	size_t i;

	if ((x->n + 1) * 5 > x->cap * 4 &&
	    (x->cap >= (1ULL << 31) ||
	     index_resize(x, x->cap ? x->cap + x->cap / 2 : 1024)))
		return nomem(err);
	for (i = home(e->id, x->cap); x->slot[i].id;
	     i = i + 1 == x->cap ? 0 : i + 1)
		;
	x->slot[i] = *e;
	x->n++;
	return BRIEF_OK;
}

/* Slot of id, or -1. */
static long index_find(const struct index *x, uint64_t id)
{
	size_t i;

	if (!x->cap)
		return -1;
	for (i = home(id, x->cap); x->slot[i].id;
	     i = i + 1 == x->cap ? 0 : i + 1)
		if (x->slot[i].id == id)
			return (long)i;
	return -1;
}

static enum brief_status touch_add(struct touches *t, uint64_t key,
				   int32_t start, int32_t end, struct diag *err)
{
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 64;
		struct touch *v = realloc(t->v, ncap * sizeof *v);

		if (!v)
			return nomem(err);
		t->v = v;
		t->cap = ncap;
	}
	t->v[t->n].key = key;
	t->v[t->n].start = start;
	t->v[t->n].end = end;
	t->v[t->n].all = false;
	t->n++;
	return BRIEF_OK;
}

static int touch_cmp(const void *a, const void *b)
{
	const struct touch *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* One entry per key, covering all its touched days. */
static void touch_merge(struct touches *t)
{
	size_t i, o = 0;

	if (!t->n)
		return;
	qsort(t->v, t->n, sizeof *t->v, touch_cmp);
	for (i = 0; i < t->n; i++) {
		if (o && t->v[o - 1].key == t->v[i].key) {
			if (t->v[i].start < t->v[o - 1].start)
				t->v[o - 1].start = t->v[i].start;
			if (t->v[i].end > t->v[o - 1].end)
				t->v[o - 1].end = t->v[i].end;
			continue;
		}
		t->v[o++] = t->v[i];
	}
	t->n = o;
}

static struct touch *touch_find(const struct touches *t, uint64_t key)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->v[mid].key < key)
			lo = mid + 1;
		else if (t->v[mid].key > key)
			hi = mid;
		else
			return &t->v[mid];
	}
	return NULL;
}

/* ---- rows in words ---- */

static bool has_column(const struct rv *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0)
			return true;
	return false;
}

static const char *value_of(const struct rv *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0)
			return r->values[i];
	return "";
}

static void row_figure(const struct rv *r, char *buf, size_t size)
{
	buf[0] = '\0';
	if (r->row && has_column(r, "value"))
		figure_format(r->row->value, r->row->has_high, r->row->high,
			      r->row->qualifier, data_row_get(r->row, "unit"),
			      buf, size);
}

/* One line saying what a row is: the quantity and figure and who claims
 * it; an event's date and title; a source's title and publisher. */
static void row_summary(const struct pass *p, const struct rv *r,
			const char *figure, char *buf, size_t size)
{
	char q[512], d[64];
	const char *rb;

	if (!r->row) {
		snprintf(buf, size, "%s (%s)", value_of(r, "title"),
			 value_of(r, "publisher"));
		return;
	}
	if (!p->key) {
		snprintf(buf, size, "%s: %s",
			 r->row->date.year
				 ? date_format_long(&r->row->date, d, sizeof d)
				 : value_of(r, "date"),
			 value_of(r, "title"));
		return;
	}
	contested_quantity_words(r->row, p->key, &r->row->date,
				 &r->row->date_to, q, sizeof q);
	rb = r->row->reported_by ? r->row->reported_by : "";
	if (rb[0])
		snprintf(buf, size, "%s: %s (%s)", q, figure, rb);
	else
		snprintf(buf, size, "%s: %s", q, figure);
}

/* ---- scanning one side ---- */

typedef enum brief_status (*rv_fn)(struct pass *p, const struct rv *r,
				   struct diag *err);

struct scan_ctx {
	struct pass *p;
	rv_fn fn;
};

static enum brief_status on_data_row(void *ctx, const struct data_row *row,
				     struct diag *err)
{
	struct scan_ctx *c = ctx;
	struct rv r;
	enum brief_status st;

	r.id = row->id ? row->id : data_row_get(row, "id");
	r.line = row->line;
	r.n = row->ncols;
	r.names = row->names;
	r.values = row->field;
	r.row = row;
	c->p->sample_bytes += row->raw_len + 1;
	st = c->fn(c->p, &r, err);
	c->p->index++;
	return st;
}

static void file_path(const char *dir, const struct diff_file *file,
		      char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s.csv", dir, file->name);
}

static bool file_exists(const char *dir, const struct diff_file *file)
{
	char path[4096];
	struct stat st;

	file_path(dir, file, path, sizeof path);
	return stat(path, &st) == 0;
}

static enum brief_status scan_sources(struct pass *p, struct side *s, rv_fn fn,
				      struct diag *err)
{
	const char *names[NSOURCE_COLS], *values[NSOURCE_COLS];
	enum brief_status st = BRIEF_OK;
	size_t i, k;

	for (k = 0; k < NSOURCE_COLS; k++)
		names[k] = source_cols[k].name;
	for (i = 0; i < s->sources.n && !st; i++) {
		const struct source *src = &s->sources.v[i];
		struct rv r;

		for (k = 0; k < NSOURCE_COLS; k++)
			values[k] = *(char *const *)((const char *)src +
						     source_cols[k].off);
		r.id = src->id;
		r.line = src->line;
		r.n = NSOURCE_COLS;
		r.names = names;
		r.values = values;
		r.row = NULL;
		st = fn(p, &r, err);
		p->index++;
	}
	return st;
}

/* Every row of the pass's file on one side, to fn. */
static enum brief_status scan_side(struct pass *p, struct side *s, rv_fn fn,
				   struct diag *err)
{
	struct scan_ctx c = {p, fn};
	enum brief_status st;
	unsigned errors0 = s->sink ? s->sink->errors : 0;
	char path[4096];
	struct stat sb;

	p->index = 0;
	p->sample_bytes = 0;
	p->hashed_names = NULL;
	if (p->file->is_sources)
		return scan_sources(p, s, fn, err);
	file_path(s->dir, p->file, path, sizeof path);
	if (stat(path, &sb) != 0)
		return BRIEF_OK; /* a missing file is an empty one */
	p->file_size = (long long)sb.st_size;
	st = data_scan_dataset(s->dir, &p->file->ds, &s->sources, on_data_row,
			       &c, s->sink, err);
	if (st == BRIEF_OK && s->sink && s->sink->errors > errors0)
		st = BRIEF_EDATA;
	return st;
}

/* ---- hashes ---- */

static uint64_t id_hash(const char *id)
{
	return nonzero(mix(fnv(FNV_START, id)));
}

/* The content: every non-empty (column, text) pair, in any order, so a
 * reordered or added empty column is no change. */
static uint64_t content_hash(struct pass *p, const struct rv *r)
{
	uint64_t sum = 0;
	size_t i;

	if (r->names != p->hashed_names || r->n > 256) {
		for (i = 0; i < r->n && i < 256; i++)
			p->name_hash[i] = fnv(FNV_START, r->names[i]);
		p->hashed_names = r->n > 256 ? NULL : r->names;
	}
	for (i = 0; i < r->n; i++)
		if (r->values[i][0])
			sum += mix(fnv(i < 256 ? p->name_hash[i]
					       : fnv(FNV_START, r->names[i]),
				       r->values[i]));
	return sum;
}

/* ---- touched quantities ---- */

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static void qwords_free(struct qwords *q)
{
	if (!q)
		return;
	free((char *)q->w.id);
	free((char *)q->w.reported_by);
	free((char *)q->w.figure);
	free((char *)q->w.source);
	free(q->key_words);
	free(q);
}

/* A row's claim in words (heap; NULL when out of memory). */
static struct qwords *words_of(const struct pass *p, const struct rv *r)
{
	struct qwords *q = calloc(1, sizeof *q);
	char fig[128], kw[512];
	struct date none;

	if (!q)
		return NULL;
	row_figure(r, fig, sizeof fig);
	memset(&none, 0, sizeof none);
	contested_quantity_words(r->row, p->key, &none, &none, kw, sizeof kw);
	q->w.id = dup_or_empty(r->id);
	q->w.reported_by = dup_or_empty(r->row->reported_by);
	q->w.figure = dup_or_empty(fig);
	q->w.source = dup_or_empty(r->row->source);
	q->key_words = dup_or_empty(kw);
	q->from = r->row->date;
	q->to = r->row->date_to.year ? r->row->date_to : r->row->date;
	if (!q->w.id || !q->w.reported_by || !q->w.figure || !q->w.source ||
	    !q->key_words) {
		qwords_free(q);
		return NULL;
	}
	return q;
}

static enum brief_status add_words(struct qlist *l, uint32_t index,
				   struct qwords *q, struct diag *err)
{
	if (!q)
		return nomem(err);
	if (l->nw == l->capw) {
		size_t ncap = l->capw ? l->capw * 2 : 64;
		struct wentry *v = realloc(l->w, ncap * sizeof *v);

		if (!v) {
			qwords_free(q);
			return nomem(err);
		}
		l->w = v;
		l->capw = ncap;
	}
	if (l->nw && l->w[l->nw - 1].index > index)
		l->w_sorted = false;
	l->w[l->nw].index = index;
	l->w[l->nw].words = q;
	l->nw++;
	return BRIEF_OK;
}

static int wentry_cmp(const void *a, const void *b)
{
	const struct wentry *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

static struct qwords *find_words(struct qlist *l, uint32_t index)
{
	size_t lo = 0, hi = l->nw;

	if (!l->w_sorted && l->nw) {
		qsort(l->w, l->nw, sizeof *l->w, wentry_cmp);
		l->w_sorted = true;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->w[mid].index < index)
			lo = mid + 1;
		else if (l->w[mid].index > index)
			hi = mid;
		else
			return l->w[mid].words;
	}
	return NULL;
}

/* Keep a row's claim on one side (index: its place there). A row that
 * the old side has (old_index) gets its words later, and only if its
 * quantity is reported; any other gets them now. */
static enum brief_status keep_claim(struct pass *p, int side, const struct rv *r,
				    uint32_t index, uint32_t old_index,
				    struct diag *err)
{
	struct qlist *l = &p->q[side];
	struct contested_claim *c;

	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 64;
		struct contested_claim *v = realloc(l->v, ncap * sizeof *v);

		if (!v)
			return nomem(err);
		l->v = v;
		l->cap = ncap;
	}
	c = &l->v[l->n++];
	contested_claim_of(r->row, p->key, index, c);
	c->pad = old_index;
	if (old_index == NO_ROW)
		return add_words(l, index, words_of(p, r), err);
	return BRIEF_OK;
}

static void qlist_free(struct qlist *l)
{
	size_t i;

	for (i = 0; i < l->nw; i++)
		qwords_free(l->w[i].words);
	free(l->w);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* The quantities of both sides, and which to report. */
struct qreport {
	struct contested_group *g[2];
	size_t ng[2];
	bool *report[2];
};

/* A claim whose words the old side must give: its old row, and the
 * claim's index on its side. */
struct want {
	uint32_t old_index;
	uint32_t side;
	uint32_t index;
};

static int want_cmp(const void *a, const void *b)
{
	const struct want *x = a, *y = b;

	return x->old_index < y->old_index ? -1 : x->old_index > y->old_index;
}

struct words_pass {
	struct want *v;
	size_t n, cursor;
};

static enum brief_status pass_d(struct pass *p, const struct rv *r,
				struct diag *err)
{
	struct words_pass *wp = p->words;
	enum brief_status st = BRIEF_OK;

	while (!st && wp->cursor < wp->n &&
	       wp->v[wp->cursor].old_index == p->index) {
		const struct want *w = &wp->v[wp->cursor++];

		st = add_words(&p->q[w->side], w->index, words_of(p, r), err);
	}
	return st;
}

/* Read the old side once more for the words of the reported quantities'
 * claims that have none yet. */
static enum brief_status fetch_words(struct pass *p, const struct qreport *qr,
				     struct diag *err)
{
	struct words_pass wp = {NULL, 0, 0};
	size_t cap = 0, i, k;
	int side;
	enum brief_status st = BRIEF_OK;

	for (side = 0; side < 2; side++)
		for (i = 0; i < qr->ng[side]; i++)
			if (qr->report[side][i])
				cap += qr->g[side][i].n;
	wp.v = calloc(cap + 1, sizeof *wp.v);
	if (!wp.v)
		return nomem(err);
	for (side = 0; side < 2; side++)
		for (i = 0; i < qr->ng[side]; i++) {
			const struct contested_group *g = &qr->g[side][i];

			if (!qr->report[side][i])
				continue;
			for (k = 0; k < g->n; k++) {
				const struct contested_claim *c =
					&p->q[side].v[g->from + k];

				if (find_words(&p->q[side], c->index))
					continue;
				wp.v[wp.n].old_index = c->pad;
				wp.v[wp.n].side = (uint32_t)side;
				wp.v[wp.n].index = c->index;
				wp.n++;
			}
		}
	if (wp.n) {
		qsort(wp.v, wp.n, sizeof *wp.v, want_cmp);
		p->words = &wp;
		st = scan_side(p, p->old, pass_d, err);
		p->words = NULL;
		if (!st && wp.cursor < wp.n)
			st = diag_set(err, BRIEF_EDATA, p->old->dir, 0, 0,
				      "changed while being compared; run brief "
				      "diff again");
	}
	free(wp.v);
	return st;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static bool matched(const struct contested_group *a,
		    const struct contested_group *b, size_t nb)
{
	size_t i;

	for (i = 0; i < nb; i++)
		if (a->key == b[i].key && a->start <= b[i].end &&
		    b[i].start <= a->end)
			return true;
	return false;
}

/* One reported quantity: its claims in data order, its words. */
static enum brief_status report_group(struct pass *p, int side,
				      const struct qreport *qr, size_t i,
				      struct diag *err)
{
	const struct contested_group *g = &qr->g[side][i];
	struct qlist *l = &p->q[side];
	struct qwords *e = find_words(l, g->earliest),
		      *z = find_words(l, g->latest), *w;
	struct diff_claim *dc = calloc(g->n, sizeof *dc);
	uint32_t *idx = calloc(g->n, sizeof *idx);
	struct diff_quantity dq;
	char per[160], words[800];
	enum brief_status st = BRIEF_OK;
	size_t k;

	if (!dc || !idx) {
		st = nomem(err);
		goto out;
	}
	for (k = 0; k < g->n; k++)
		idx[k] = l->v[g->from + k].index;
	qsort(idx, g->n, sizeof *idx, u32_cmp);
	for (k = 0; k < g->n && !st; k++) {
		w = find_words(l, idx[k]);
		if (!w)
			st = diag_set(err, BRIEF_EINTERNAL, "brief diff", 0, 0,
				      "internal error in diff: a claim has no "
				      "words");
		else
			dc[k] = w->w;
	}
	if (!st && (!e || !z))
		st = diag_set(err, BRIEF_EINTERNAL, "brief diff", 0, 0,
			      "internal error in diff: a quantity has no "
			      "words");
	if (st)
		goto out;
	contested_period_words(&e->from, &z->to, per, sizeof per);
	snprintf(words, sizeof words, "%s%s%s", e->key_words,
		 per[0] && e->key_words[0] ? ", " : "", per);
	dq.words = words;
	dq.nclaims = g->n;
	dq.claims = dc;
	st = p->out->quantity(p->out->ctx, p->file, side == 1, &dq, err);
out:
	free(dc);
	free(idx);
	return st;
}

/* The quantities one side has and the other does not (none matches: same
 * key, overlapping periods): new ones first, then resolved ones. */
static enum brief_status report_quantities(struct pass *p, struct diag *err)
{
	struct qreport qr;
	enum brief_status st = BRIEF_OK;
	int side;
	size_t i;

	if (!p->out->quantity)
		return BRIEF_OK;
	memset(&qr, 0, sizeof qr);
	for (side = 0; side < 2 && !st; side++)
		if (contested_groups(p->q[side].v, p->q[side].n, &qr.g[side],
				     &qr.ng[side]) != BRIEF_OK)
			st = nomem(err);
	for (side = 0; side < 2 && !st; side++) {
		qr.report[side] = calloc(qr.ng[side] + 1, sizeof *qr.report[side]);
		if (!qr.report[side]) {
			st = nomem(err);
			break;
		}
		for (i = 0; i < qr.ng[side]; i++)
			qr.report[side][i] = !matched(&qr.g[side][i],
						      qr.g[1 - side],
						      qr.ng[1 - side]);
	}
	if (!st)
		st = fetch_words(p, &qr, err);
	for (side = 1; side >= 0 && !st; side--)
		for (i = 0; i < qr.ng[side] && !st; i++)
			if (qr.report[side][i])
				st = report_group(p, side, &qr, i, err);
	for (side = 0; side < 2; side++) {
		free(qr.g[side]);
		free(qr.report[side]);
	}
	return st;
}

/* ---- the spool of changed rows' new text ---- */

/* Layout: u32 size of what follows the line, long line, then
 * NUL-terminated strings: id, figure, summary, then name and value of
 * every column. */
static int spool_put(FILE *f, const char *s)
{
	return fwrite(s, 1, strlen(s) + 1, f) == strlen(s) + 1 ? 0 : -1;
}

static enum brief_status spool_row(struct pass *p, const struct rv *r,
				   const char *figure, const char *summary,
				   struct diag *err)
{
	uint32_t total;
	size_t i;
	long off;

	if (!p->spool) {
		p->spool = tmpfile();
		if (!p->spool)
			return diag_set(err, BRIEF_EIO, "brief diff", 0, 0,
					"cannot create a temporary file: %s",
					strerror(errno));
	}
	if (p->nsp == p->capsp) {
		size_t ncap = p->capsp ? p->capsp * 2 : 256;
		struct spooled *v = realloc(p->sp, ncap * sizeof *v);

		if (!v)
			return nomem(err);
		p->sp = v;
		p->capsp = ncap;
	}
	off = ftell(p->spool);
	total = (uint32_t)(strlen(r->id) + strlen(figure) + strlen(summary) + 3);
	for (i = 0; i < r->n; i++)
		total += (uint32_t)(strlen(r->names[i]) + strlen(r->values[i]) +
				    2);
	if (off < 0 || fwrite(&total, sizeof total, 1, p->spool) != 1 ||
	    fwrite(&r->line, sizeof r->line, 1, p->spool) != 1 ||
	    spool_put(p->spool, r->id) || spool_put(p->spool, figure) ||
	    spool_put(p->spool, summary))
		goto fail;
	for (i = 0; i < r->n; i++)
		if (spool_put(p->spool, r->names[i]) ||
		    spool_put(p->spool, r->values[i]))
			goto fail;
	p->sp[p->nsp].id = id_hash(r->id);
	p->sp[p->nsp].off = off;
	p->nsp++;
	return BRIEF_OK;
fail:
	return diag_set(err, BRIEF_EIO, "brief diff", 0, 0,
			"cannot write a temporary file: %s", strerror(errno));
}

static int spooled_cmp(const void *a, const void *b)
{
	const struct spooled *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* A spooled row read back: the strings point into buf (owned). */
struct back {
	char *buf;
	long line;
	const char *id, *figure, *summary;
	size_t n;
	const char **names, **values;
};

static void back_free(struct back *b)
{
	free(b->buf);
	free(b->names);
	free(b->values);
	memset(b, 0, sizeof *b);
}

static enum brief_status spool_get(struct pass *p, uint64_t id, struct back *b,
				   struct diag *err)
{
	size_t lo = 0, hi = p->nsp, n, k;
	uint32_t total;
	char *s, *end;

	memset(b, 0, sizeof *b);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->sp[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= p->nsp || p->sp[lo].id != id)
		return diag_set(err, BRIEF_EINTERNAL, "brief diff", 0, 0,
				"internal error in diff: a changed row was not "
				"kept");
	if (fseek(p->spool, p->sp[lo].off, SEEK_SET) != 0 ||
	    fread(&total, sizeof total, 1, p->spool) != 1 ||
	    fread(&b->line, sizeof b->line, 1, p->spool) != 1)
		goto fail;
	b->buf = malloc((size_t)total + 1);
	if (!b->buf)
		return nomem(err);
	if (fread(b->buf, 1, total, p->spool) != total)
		goto fail;
	b->buf[total] = '\0';
	/* 3 strings, then 2 per column. */
	for (n = 0, s = b->buf, end = b->buf + total; s < end;
	     s += strlen(s) + 1)
		n++;
	if (n < 3 || (n - 3) % 2)
		goto fail;
	b->n = (n - 3) / 2;
	b->names = calloc(b->n + 1, sizeof *b->names);
	b->values = calloc(b->n + 1, sizeof *b->values);
	if (!b->names || !b->values)
		return nomem(err);
	s = b->buf;
	b->id = s;
	s += strlen(s) + 1;
	b->figure = s;
	s += strlen(s) + 1;
	b->summary = s;
	s += strlen(s) + 1;
	for (k = 0; k < b->n; k++) {
		b->names[k] = s;
		s += strlen(s) + 1;
		b->values[k] = s;
		s += strlen(s) + 1;
	}
	return BRIEF_OK;
fail:
	return diag_set(err, BRIEF_EIO, "brief diff", 0, 0,
			"cannot read back a temporary file");
}

/* ---- the passes ---- */

/* After this many rows the index is sized for the whole file: their
 * average length into the file size, plus a tenth (as data.c sizes its
 * id index). */
#define SAMPLE_ROWS 1024

static enum brief_status pass_a(struct pass *p, const struct rv *r,
				struct diag *err)
{
	struct ient e;

	if (p->index == SAMPLE_ROWS && p->sample_bytes &&
	    index_reserve(&p->idx, (size_t)((double)p->file_size /
					    (double)p->sample_bytes *
					    SAMPLE_ROWS * 1.1)))
		return nomem(err);
	memset(&e, 0, sizeof e);
	e.id = id_hash(r->id);
	e.content = content_hash(p, r);
	if (p->key && r->row) {
		struct contested_claim c;

		contested_claim_of(r->row, p->key, 0, &c);
		e.key = c.key;
		e.start = c.start;
		e.end = c.end;
	}
	return index_add(&p->idx, &e, err);
}

static void emit_row(struct diff_row *d, const struct rv *r, const char *fig,
		     const char *summary)
{
	d->id = r->id;
	d->line = r->line;
	d->ncols = r->n;
	d->names = r->names;
	d->values = r->values;
	d->figure = fig;
	d->summary = summary;
}

/* A new row that is added or changed touches its quantity (and, when
 * changed, the one it was about before). */
static enum brief_status touch_new(struct pass *p, const struct rv *r,
				   const struct ient *old, struct diag *err)
{
	enum brief_status st;
	const struct contested_claim *c;

	if (!p->key || !r->row)
		return BRIEF_OK;
	st = keep_claim(p, 1, r, p->index, NO_ROW, err);
	if (st)
		return st;
	c = &p->q[1].v[p->q[1].n - 1];
	st = touch_add(&p->touched, c->key, c->start, c->end, err);
	if (!st && old)
		st = touch_add(&p->touched, old->key, old->start, old->end,
			       err);
	return st;
}

static enum brief_status pass_b(struct pass *p, const struct rv *r,
				struct diag *err)
{
	long pos = index_find(&p->idx, id_hash(r->id));
	char fig[128], sum[800];
	enum brief_status st;

	if (pos < 0) {
		struct diff_row d;

		p->counts.added++;
		st = touch_new(p, r, NULL, err);
		if (st || !p->out->added)
			return st;
		row_figure(r, fig, sizeof fig);
		row_summary(p, r, fig, sum, sizeof sum);
		emit_row(&d, r, fig, sum);
		return p->out->added(p->out->ctx, p->file, &d, err);
	}
	if (p->index >= SEEN_INDEX)
		return diag_set(err, BRIEF_EDATA, r->row ? r->row->file : "",
				r->line, 0, "too many rows to compare");
	p->idx.seen[pos] = p->index + 1;
	if (p->idx.slot[pos].content == content_hash(p, r)) {
		p->counts.unchanged++;
		return BRIEF_OK;
	}
	p->idx.seen[pos] |= SEEN_CHANGED;
	p->counts.changed++;
	st = touch_new(p, r, &p->idx.slot[pos], err);
	if (st || !p->out->changed)
		return st;
	row_figure(r, fig, sizeof fig);
	row_summary(p, r, fig, sum, sizeof sum);
	return spool_row(p, r, fig, sum, err);
}

static const char *back_value(const struct back *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (strcmp(b->names[i], name) == 0)
			return b->values[i];
	return "";
}

/* Report a changed row: the columns whose text differs, old order first,
 * then columns only the new side has. */
static enum brief_status emit_change(struct pass *p, const struct rv *r,
				     const struct back *b, struct diag *err)
{
	size_t max = r->n + b->n, n = 0, i;
	const char **cols = calloc(max + 1, sizeof *cols);
	const char **ov = calloc(max + 1, sizeof *ov);
	const char **nv = calloc(max + 1, sizeof *nv);
	char fig[128];
	struct diff_change c;
	enum brief_status st;

	if (!cols || !ov || !nv) {
		st = nomem(err);
		goto out;
	}
	for (i = 0; i < r->n; i++) {
		const char *nw = back_value(b, r->names[i]);

		if (strcmp(r->values[i], nw) != 0) {
			cols[n] = r->names[i];
			ov[n] = r->values[i];
			nv[n++] = nw;
		}
	}
	for (i = 0; i < b->n; i++)
		if (b->values[i][0] && !has_column(r, b->names[i])) {
			cols[n] = b->names[i];
			ov[n] = "";
			nv[n++] = b->values[i];
		}
	row_figure(r, fig, sizeof fig);
	c.id = r->id;
	c.old_line = r->line;
	c.new_line = b->line;
	c.n = n;
	c.columns = cols;
	c.old_values = ov;
	c.new_values = nv;
	c.old_figure = fig;
	c.new_figure = b->figure;
	c.summary = b->summary;
	c.ncols = b->n;
	c.names = b->names;
	c.values = b->values;
	st = p->out->changed(p->out->ctx, p->file, &c, err);
out:
	free(cols);
	free(ov);
	free(nv);
	return st;
}

/* The old side's claims of touched quantities, and the new side's
 * unchanged ones (the rest pass B kept); only those of keys that need all
 * their claims with `whole`. */
static enum brief_status collect_claims(struct pass *p, const struct rv *r,
					long pos, bool whole, struct diag *err)
{
	const struct ient *e = &p->idx.slot[pos];
	const struct touch *t;
	uint32_t seen = p->idx.seen[pos];
	enum brief_status st;

	if (!p->key || !r->row || !(t = touch_find(&p->touched, e->key)))
		return BRIEF_OK;
	if (whole ? !t->all
		  : !t->all && (e->end < t->start || e->start > t->end))
		return BRIEF_OK;
	st = keep_claim(p, 0, r, p->index, p->index, err);
	if (!st && seen && !(seen & SEEN_CHANGED))
		st = keep_claim(p, 1, r, (seen & SEEN_INDEX) - 1, p->index,
				err);
	return st;
}

static enum brief_status pass_e(struct pass *p, const struct rv *r,
				struct diag *err)
{
	long pos = index_find(&p->idx, id_hash(r->id));

	if (pos < 0)
		return diag_set(err, BRIEF_EDATA, r->row ? r->row->file : "",
				r->line, 0,
				"changed while being compared; run brief diff "
				"again");
	return collect_claims(p, r, pos, true, err);
}

/* Whether the kept claims of every touched key stay within its touched
 * days. A key whose claims reach out is marked `all`, its claims from
 * the old side dropped (pass E collects them again, whole); true when
 * there is any. */
static bool close_touches(struct pass *p)
{
	bool again = false;
	size_t i, o;
	int side;

	for (side = 0; side < 2; side++)
		for (i = 0; i < p->q[side].n; i++) {
			const struct contested_claim *c = &p->q[side].v[i];
			struct touch *t = touch_find(&p->touched, c->key);

			if (t && !t->all &&
			    (c->start < t->start || c->end > t->end)) {
				t->all = true;
				again = true;
			}
		}
	if (!again)
		return false;
	for (side = 0; side < 2; side++) {
		struct qlist *l = &p->q[side];

		for (i = o = 0; i < l->n; i++) {
			const struct touch *t = touch_find(&p->touched,
							   l->v[i].key);

			/* Claims only the new side has stay: pass B kept
			 * them with their words. */
			if (t && t->all && l->v[i].pad != NO_ROW)
				continue;
			l->v[o++] = l->v[i];
		}
		l->n = o;
	}
	return true;
}

static enum brief_status pass_c(struct pass *p, const struct rv *r,
				struct diag *err)
{
	uint64_t id = id_hash(r->id);
	long pos = index_find(&p->idx, id);
	char fig[128], sum[800];
	enum brief_status st = BRIEF_OK;
	uint32_t seen;

	if (pos < 0)
		return diag_set(err, BRIEF_EDATA, r->row ? r->row->file : "",
				r->line, 0,
				"changed while being compared; run brief diff "
				"again");
	seen = p->idx.seen[pos];
	st = collect_claims(p, r, pos, false, err);
	if (st)
		return st;
	if (!seen) {
		struct diff_row d;

		if (!p->out->removed)
			return BRIEF_OK;
		row_figure(r, fig, sizeof fig);
		row_summary(p, r, fig, sum, sizeof sum);
		emit_row(&d, r, fig, sum);
		return p->out->removed(p->out->ctx, p->file, &d, err);
	}
	if ((seen & SEEN_CHANGED) && p->out->changed) {
		struct back b;

		st = spool_get(p, id, &b, err);
		if (!st)
			st = emit_change(p, r, &b, err);
		back_free(&b);
	}
	return st;
}

static void pass_free(struct pass *p)
{
	free(p->idx.slot);
	free(p->idx.seen);
	free(p->touched.v);
	free(p->sp);
	if (p->spool)
		fclose(p->spool);
	qlist_free(&p->q[0]);
	qlist_free(&p->q[1]);
}

static enum brief_status diff_file(struct pass *p, struct diag *err)
{
	enum brief_status st;
	size_t i;

	p->counts.old_missing = !p->file->is_sources &&
				!file_exists(p->old->dir, p->file);
	p->counts.new_missing = !p->file->is_sources &&
				!file_exists(p->new_->dir, p->file);
	p->key = p->file->is_sources ? NULL : contested_key(p->file->ds.kind);
	st = scan_side(p, p->old, pass_a, err);
	if (st)
		return st;
	p->idx.seen = calloc(p->idx.cap + 1, sizeof *p->idx.seen);
	if (!p->idx.seen)
		return nomem(err);
	st = scan_side(p, p->new_, pass_b, err);
	if (st)
		return st;
	for (i = 0; i < p->idx.cap; i++) {
		const struct ient *e = &p->idx.slot[i];

		if (!e->id || p->idx.seen[i])
			continue;
		p->counts.removed++;
		if (p->key && (st = touch_add(&p->touched, e->key, e->start,
					      e->end, err)))
			return st;
	}
	touch_merge(&p->touched);
	if (p->nsp)
		qsort(p->sp, p->nsp, sizeof *p->sp, spooled_cmp);
	if (p->counts.removed || p->counts.changed || p->touched.n) {
		st = scan_side(p, p->old, pass_c, err);
		if (st)
			return st;
	}
	if (close_touches(p) && (st = scan_side(p, p->old, pass_e, err)))
		return st;
	if (p->touched.n && (st = report_quantities(p, err)))
		return st;
	if (p->out->counts)
		st = p->out->counts(p->out->ctx, p->file, &p->counts, err);
	return st;
}

static enum brief_status side_open(struct side *s, struct diag *err)
{
	struct stat st;
	unsigned errors0 = s->sink ? s->sink->errors : 0;
	enum brief_status r;

	if (stat(s->dir, &st) != 0)
		return diag_set(err, errno == ENOENT ? BRIEF_EDATA : BRIEF_EIO,
				s->dir, 0, 0, "cannot read: %s",
				strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return diag_set(err, BRIEF_EDATA, s->dir, 0, 0,
				"not a directory");
	r = sources_load(s->dir, &s->sources, s->sink, err);
	if (r == BRIEF_OK && s->sink && s->sink->errors > errors0)
		r = BRIEF_EDATA;
	return r;
}

enum brief_status diff_dirs(const char *old_dir, const char *new_dir,
			    const struct diff_output *out,
			    struct diag_sink *old_sink,
			    struct diag_sink *new_sink, struct diag *err)
{
	struct side old, nw;
	struct diff_file files[DIFF_FILES_MAX];
	enum brief_status st;
	size_t file, nfiles = 0;

	memset(&old, 0, sizeof old);
	memset(&nw, 0, sizeof nw);
	old.dir = old_dir;
	old.sink = old_sink;
	nw.dir = new_dir;
	nw.sink = new_sink;
	st = side_open(&old, err);
	if (!st)
		st = side_open(&nw, err);
	if (!st)
		nfiles = diff_files(old.sources.datasets, nw.sources.datasets,
				    files);
	for (file = 0; file < nfiles && !st; file++) {
		struct pass p;

		memset(&p, 0, sizeof p);
		p.file = &files[file];
		p.out = out;
		p.old = &old;
		p.new_ = &nw;
		st = diff_file(&p, err);
		pass_free(&p);
	}
	sources_free(&old.sources);
	sources_free(&nw.sources);
	return st;
}
