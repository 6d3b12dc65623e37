/* strtab.c — the interned strings of strtab.h: an array in order of first
 * sight and an open-addressing index over it (FNV-1a). */
#include "strtab.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static bool grow_index(struct strtab *t)
{
	size_t cap = t->icap ? t->icap * 2 : 64;
	uint32_t *idx = calloc(cap, sizeof *idx);

	if (!idx)
		return false;
	for (size_t i = 0; i < t->n; i++) {
		size_t h = hash_str(t->s[i]) & (cap - 1);

		while (idx[h])
			h = (h + 1) & (cap - 1);
		idx[h] = (uint32_t)(i + 1);
	}
	free(t->idx);
	t->idx = idx;
	t->icap = cap;
	return true;
}

/* The slot holding s, or the empty slot where it would go. */
static size_t slot_of(const struct strtab *t, const char *s)
{
	size_t h = hash_str(s) & (t->icap - 1);

	while (t->idx[h] && strcmp(t->s[t->idx[h] - 1], s) != 0)
		h = (h + 1) & (t->icap - 1);
	return h;
}

int strtab_find(const struct strtab *t, const char *s)
{
	size_t h;

	if (t->icap == 0)
		return -1;
	h = slot_of(t, s);
	return t->idx[h] ? (int)(t->idx[h] - 1) : -1;
}

int strtab_intern(struct strtab *t, const char *s)
{
	return strtab_intern_at(t, s, 0, 0);
}

int strtab_intern_at(struct strtab *t, const char *s, long line, long col)
{
	size_t h;

	if (t->icap == 0 && !grow_index(t))
		return STRTAB_NOMEM;
	h = slot_of(t, s);
	if (t->idx[h])
		return (int)(t->idx[h] - 1);
	if ((t->max && t->n >= t->max) || t->n >= INT32_MAX)
		return STRTAB_FULL;
	if (array_reserve(&t->s, &t->cap, t->n + 1, sizeof *t->s, 0) ||
	    array_reserve(&t->pos, &t->pcap, t->n + 1, sizeof *t->pos, 0))
		return STRTAB_NOMEM;
	t->s[t->n] = strdup(s);
	if (!t->s[t->n])
		return STRTAB_NOMEM;
	t->pos[t->n][0] = line;
	t->pos[t->n][1] = col;
	t->idx[h] = (uint32_t)(t->n + 1);
	t->n++;
	if (t->n * 2 > t->icap && !grow_index(t))
		return STRTAB_NOMEM;
	return (int)(t->n - 1);
}

enum brief_status strtab_each(const struct strtab *t, const char *file,
			      strtab_text_fn fn, void *ctx, struct diag *err)
{
	enum brief_status st = BRIEF_OK;

	for (size_t i = 0; i < t->n && st == BRIEF_OK; i++) {
		struct text_origin at = { file, t->pos[i][0], t->pos[i][1] };

		st = fn(ctx, t->s[i], &at, err);
	}
	return st;
}

void strtab_free(struct strtab *t)
{
	size_t max = t->max;

	for (size_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	free(t->pos);
	free(t->idx);
	memset(t, 0, sizeof *t);
	t->max = max;
}
