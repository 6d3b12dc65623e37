/* strtab.h — interned strings: each distinct string once, numbered in
 * order of first sight, with the line and column of the field it was
 * first seen in. Charts and maps name their categories, series,
 * claimants, sources and areas with it. */
#ifndef BRIEF_STRTAB_H
#define BRIEF_STRTAB_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* Zero-initialised is empty. Owns the copies in s. max is the most names
 * it takes (0: no cap). */
struct strtab {
	char **s;
	long (*pos)[2]; /* line, col of the first sight (0 when unknown) */
	size_t n, cap, pcap;
	uint32_t *idx; /* open addressing: 0 empty, else index + 1 */
	size_t icap;
	size_t max;
};
enum { STRTAB_NOMEM = -1, STRTAB_FULL = -2 };

/* Index of s, adding a copy on first sight (at line, col);
 * STRTAB_NOMEM when an allocation fails, STRTAB_FULL past max names (an
 * input error for the caller to position). */
int strtab_intern(struct strtab *t, const char *s);
int strtab_intern_at(struct strtab *t, const char *s, long line, long col);
/* Index of s, or -1 when it was never interned. */
int strtab_find(const struct strtab *t, const char *s);
/* fn on every name in order, with its first position in file; stops at
 * the first status that is not BRIEF_OK and returns it. (The type is
 * chart.h's chart_text_fn.) */
typedef enum brief_status (*strtab_text_fn)(void *ctx, const char *s,
					    const struct text_origin *at,
					    struct diag *err);
enum brief_status strtab_each(const struct strtab *t, const char *file,
			      strtab_text_fn fn, void *ctx, struct diag *err);
void strtab_free(struct strtab *t); /* empties t; keeps max */

#endif
