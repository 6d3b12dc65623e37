/* fieldnum.c — the column text numbers of fieldnum.h: the texts inline in
 * one array and an open-addressing index over it. Texts are short
 * (category, party and source names) and read a word at a time, never
 * past their end: a call to memcmp or a byte loop would cost more than
 * the text. */
#include "fieldnum.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

struct fieldnum_text {
	uint32_t hash;
	uint32_t len;
	uint64_t tail; /* last_word of the text */
	char s[FIELDNUM_MAX_LEN];
};

/* The text's last 8 bytes; a shorter text's bytes from loads that overlap
 * rather than read past it (4 and 4 bytes, or first, middle and last). */
static uint64_t last_word(const char *s, size_t len)
{
	uint64_t w;
	uint32_t a, b;

	if (len >= 8) {
		memcpy(&w, s + len - 8, 8);
		return w;
	}
	if (len >= 4) {
		memcpy(&a, s, 4);
		memcpy(&b, s + len - 4, 4);
		return (uint64_t)a << 32 | b;
	}
	if (len == 0)
		return 0;
	return (uint64_t)(unsigned char)s[0] << 16 |
	       (uint64_t)(unsigned char)s[len / 2] << 8 |
	       (unsigned char)s[len - 1];
}

/* With equal lengths and last words, whether the whole words before the
 * last one are equal too (together they cover the text). */
static bool words_eq(const char *a, const char *b, size_t len)
{
	uint64_t x, y;

	for (size_t i = 0; i + 8 < len; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return false;
	}
	return true;
}

static bool same(const struct fieldnum_text *e, const char *s, size_t len,
		 uint64_t last)
{
	return e->len == len && e->tail == last && words_eq(e->s, s, len);
}

static uint32_t text_hash(const char *s, size_t len, uint64_t last)
{
	uint64_t h = (uint64_t)len * 0x9E3779B97F4A7C15ull, w;

	for (size_t i = 0; i + 8 < len; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDull;
		h ^= h >> 32;
	}
	h = (h ^ last) * 0xC4CEB9FE1A85EC53ull;
	h ^= h >> 29;
	return (uint32_t)h;
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
	uint64_t last;
	uint32_t hash;
	size_t h;
	struct fieldnum_text *e;

	if (len > FIELDNUM_MAX_LEN || t->max == 0)
		return FIELDNUM_NONE;
	last = last_word(s, len);
	/* Rows mostly repeat the previous row's text. */
	if (t->n && same(&t->v[t->last], s, len, last))
		return t->last;
	/* idx holds number + 1 <= max in 16 bits. */
	if (!t->idx && (t->closed || t->max > UINT16_MAX || make_index(t) < 0)) {
		t->closed = 1;
		return FIELDNUM_NONE;
	}
	hash = text_hash(s, len, last);
	h = hash & (t->icap - 1);
	while (t->idx[h]) {
		e = &t->v[t->idx[h] - 1];
		if (e->hash == hash && same(e, s, len, last))
			return t->last = t->idx[h] - 1;
		h = (h + 1) & (t->icap - 1);
	}
	if (t->closed ||
	    array_reserve(&t->v, &t->cap, t->n + 1, sizeof *t->v, t->max)) {
		t->closed = 1;
		return FIELDNUM_NONE;
	}
	e = &t->v[t->n];
	e->hash = hash;
	e->len = (uint32_t)len;
	e->tail = last;
	memcpy(e->s, s, len); /* nothing past len is read */
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
