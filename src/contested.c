/* contested.c — grouping claims into quantities and finding the contested
 * ones (see contested.h). */
#include <stdlib.h>
#include <string.h>

#include "contested.h"

#include "brand.h"

const char *const *contested_key(enum dataset_kind k)
{
	static const char *const cas[] = { "event", "party", "category",
					   "population", "date_from",
					   "date_to", NULL };
	static const char *const dis[] = { "event", "group", "origin",
					   "destination", "date_from",
					   "date_to", NULL };
	static const char *const con[] = { "area", "controller", "unit", "of",
					   "date", NULL };
	static const char *const fig[] = { "subject", "measure", "unit",
					   "date", NULL };

	switch (k) {
	case DS_CASUALTIES:
		return cas;
	case DS_DISPLACEMENT:
		return dis;
	case DS_CONTROL:
		return con;
	case DS_FIGURES:
		return fig;
	default:
		return NULL;
	}
}

int contested_is_period_column(const char *name)
{
	return strcmp(name, "date") == 0 || strcmp(name, "date_from") == 0 ||
	       strcmp(name, "date_to") == 0;
}

/* FNV-1a over bytes, continued from h; mixed at the end by finish(). */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	while (n--) {
		h ^= *s++;
		h *= 1099511628211ULL;
	}
	return h;
}

static uint64_t finish(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

#define FNV_START 1469598103934665603ULL

/* `date` means date_from where a dataset has periods (as in tables). */
static const char *period_field(const struct data_row *row, const char *name)
{
	if (strcmp(name, "date") == 0 && data_row_column(row, "date") < 0)
		return data_row_get(row, "date_from");
	return data_row_get(row, name);
}

void contested_period(const struct data_row *row, const char *const *key,
		       struct date *from, struct date *to)
{
	size_t i;

	memset(from, 0, sizeof *from);
	memset(to, 0, sizeof *to);
	for (i = 0; key[i]; i++) {
		const char *f;

		if (!contested_is_period_column(key[i]))
			continue;
		f = period_field(row, key[i]);
		if (strcmp(key[i], "date_to") == 0)
			date_parse(f, strlen(f), to);
		else
			date_parse(f, strlen(f), from);
	}
}

uint64_t contested_key_hash(const struct data_row *row, const char *const *key)
{
	uint64_t h = FNV_START;
	size_t i;

	for (i = 0; key[i]; i++) {
		const char *f;

		if (contested_is_period_column(key[i]))
			continue;
		f = period_field(row, key[i]);
		/* The separator keeps ("ab", "c") apart from ("a", "bc"). */
		h = fnv(h, f, strlen(f) + 1);
	}
	return finish(h);
}

void contested_claim_of(const struct data_row *row, const char *const *key,
			uint32_t index, struct contested_claim *out)
{
	uint64_t h;
	unsigned char q = (unsigned char)row->qualifier, hh = row->has_high;
	struct date from, to;
	const char *rb = row->reported_by ? row->reported_by : "";

	memset(out, 0, sizeof *out);
	out->key = contested_key_hash(row, key);
	h = fnv(FNV_START, rb, strlen(rb) + 1);
	h = fnv(h, &row->value, sizeof row->value);
	h = fnv(h, &hh, 1);
	if (row->has_high)
		h = fnv(h, &row->high, sizeof row->high);
	h = fnv(h, &q, 1);
	out->claim = finish(h);
	out->who = (uint32_t)finish(fnv(FNV_START, rb, strlen(rb) + 1));
	out->additive = strcmp(data_row_get(row, "additive"), "yes") == 0;
	contested_period(row, key, &from, &to);
	out->start = from.year ? (int32_t)date_days(&from) : 0;
	out->end = to.year     ? (int32_t)date_days_end(&to)
		   : from.year ? (int32_t)date_days_end(&from)
			       : 0;
	out->index = index;
}

static int claim_cmp(const void *a, const void *b)
{
	const struct contested_claim *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int group_cmp(const void *a, const void *b)
{
	const struct contested_group *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

bool contested_claims_differ(const struct contested_claim *a,
			     const struct contested_claim *b)
{
	if (a->who != b->who)
		return true;
	return a->claim != b->claim && !(a->additive && b->additive);
}

enum brief_status contested_groups(struct contested_claim *v, size_t n,
				   struct contested_group **out, size_t *nout)
{
	struct contested_group *g = NULL;
	size_t ng = 0, cap = 0, i, k;

	*out = NULL;
	*nout = 0;
	if (!n)
		return BRIEF_OK;
	qsort(v, n, sizeof *v, claim_cmp);
	/* Sorted by start, claims of one key with overlapping periods are
	 * neighbours: a sweep that carries the latest end finds them. */
	for (i = 0; i < n; i = k) {
		bool differ = false;
		int32_t end = v[i].end;
		uint32_t first = v[i].index, latest = v[i].index;

		for (k = i + 1; k < n && v[k].key == v[i].key &&
				v[k].start <= end;
		     k++) {
			if (v[k].end > end) {
				end = v[k].end;
				latest = v[k].index;
			}
			if (v[k].index < first)
				first = v[k].index;
			if (contested_claims_differ(&v[k], &v[i]))
				differ = true;
		}
		if (k - i < 2 || !differ)
			continue;
		if (ng == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct contested_group *ng_v =
				realloc(g, ncap * sizeof *g);

			if (!ng_v) {
				free(g);
				return BRIEF_ENOMEM;
			}
			g = ng_v;
			cap = ncap;
		}
		g[ng].from = i;
		g[ng].n = k - i;
		g[ng].first = first;
		g[ng].earliest = v[i].index;
		g[ng].latest = latest;
		g[ng].start = v[i].start;
		g[ng].end = end;
		g[ng].key = v[i].key;
		ng++;
	}
	if (ng)
		qsort(g, ng, sizeof *g, group_cmp);
	*out = g;
	*nout = ng;
	return BRIEF_OK;
}

char *contested_period_words(const struct date *from, const struct date *to,
			     char *buf, size_t size)
{
	buf[0] = '\0';
	if (!from->year)
		return buf;
	/* One wording of periods for the whole briefing (brand.h). */
	return brand_period_words(from, to->year ? to : from, buf, size);
}

char *contested_quantity_words(const struct data_row *row,
			       const char *const *key, const struct date *from,
			       const struct date *to, char *buf, size_t size)
{
	char per[160];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; key[i] && n + 1 < size; i++) {
		const char *v;
		int w;

		if (contested_is_period_column(key[i]) ||
		    strcmp(key[i], "unit") == 0)
			continue;
		v = period_field(row, key[i]);
		if (!v[0])
			continue;
		w = snprintf(buf + n, size - n, "%s%s", n ? ", " : "", v);
		n = w < 0 || (size_t)w >= size - n ? size - 1 : n + (size_t)w;
	}
	contested_period_words(from, to, per, sizeof per);
	if (per[0] && n + 1 < size)
		snprintf(buf + n, size - n, "%s%s", n ? ", " : "", per);
	return buf;
}
