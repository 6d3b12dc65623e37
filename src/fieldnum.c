/* fieldnum.c — the column text numbers of fieldnum.h: the texts inline in
 * one array and an open-addressing index over it, hashed a word at a time
 * (texts are short: category, party and source names). */
#include "fieldnum.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

struct fieldnum_text {
	uint32_t hash;
	uint32_t len;
	char s[FIELDNUM_MAX_LEN];
};

static uint32_t text_hash(const char *s, size_t len)
{
	uint64_t h = (uint64_t)len * 0x9E3779B97F4A7C15ull, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDull;
		h ^= h >> 32;
	}
	if (i < len) {
		w = 0;
		memcpy(&w, s + i, len - i);
		h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
	}
	h ^= h >> 29;
	return (uint32_t)h;
}

static int same(const struct fieldnum_text *e, uint32_t hash, const char *s,
		size_t len)
{
	return e->hash == hash && e->len == len && memcmp(e->s, s, len) == 0;
}

/* The index holds at most half its slots: one for twice max numbers. */
static int make_index(struct fieldnum *t)
{
	size_t cap = 16;

	while (cap < 2 * (size_t)t->max)
		cap *= 2;
	t->idx = calloc(cap, sizeof *t->idx);
	if (!t->idx)
		return -1;
	t->icap = cap;
	return 0;
}

uint32_t fieldnum_get(struct fieldnum *t, const char *s, size_t len)
{
	uint32_t hash;
	size_t h;
	struct fieldnum_text *e;

	if (len > FIELDNUM_MAX_LEN || t->max == 0)
		return FIELDNUM_NONE;
	/* Rows mostly repeat the previous row's text. */
	if (t->n && t->v[t->last].len == len &&
	    memcmp(t->v[t->last].s, s, len) == 0)
		return t->last;
	hash = text_hash(s, len);
	if (!t->idx && (t->max > UINT16_MAX - 1 || make_index(t) < 0)) {
		t->closed = 1;
		return FIELDNUM_NONE;
	}
	h = hash & (t->icap - 1);
	while (t->idx[h]) {
		if (same(&t->v[t->idx[h] - 1], hash, s, len))
			return t->last = t->idx[h] - 1;
		h = (h + 1) & (t->icap - 1);
	}
	if (t->closed || t->n >= t->max ||
	    array_reserve(&t->v, &t->cap, t->n + 1, sizeof *t->v, t->max)) {
		t->closed = 1;
		return FIELDNUM_NONE;
	}
	e = &t->v[t->n];
	e->hash = hash;
	e->len = (uint32_t)len;
	memcpy(e->s, s, len);
	t->idx[h] = (uint16_t)(t->n + 1);
	return t->last = (uint32_t)t->n++;
}

void fieldnum_free(struct fieldnum *t)
{
	uint32_t max = t->max;

	free(t->v);
	free(t->idx);
	memset(t, 0, sizeof *t);
	t->max = max;
}
