/* contested.h — when claims are about the same quantity, and when that
 * quantity is contested: the rule behind `contested: true` tables and
 * `brief diff`, over compact per-row records so that a million-row dataset
 * is grouped without keeping its text.
 *
 * Claims are about the same quantity when they share the dataset's key
 * columns (dates aside) and their periods overlap. A quantity is contested
 * when it has two or more claims that differ in who makes them
 * (reported_by) or in the figure (value, value_high, qualifier) — except
 * that additive rows (`additive: yes`, imported events) of one claimant
 * are parts of its count, which never disagree with each other. */
#ifndef BRIEF_CONTESTED_H
#define BRIEF_CONTESTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "data.h"

/* The columns that identify a quantity in a dataset, NULL-terminated, or
 * NULL for a dataset without figures (events). The date columns among
 * them give the period, the others the key. */
const char *const *contested_key(enum dataset_kind k);

/* True for the key's period columns (date, date_from, date_to). */
int contested_is_period_column(const char *name);
/* The row's period under key: from and to (year 0 when absent). */
void contested_period(const struct data_row *row, const char *const *key,
		      struct date *from, struct date *to);

/* One claim, as 40 bytes: hashes of the key, the claim and the claimant, the days
 * the period covers and the row's position in the caller's order. Plain
 * value. */
struct contested_claim {
	uint64_t key;   /* the key columns but dates */
	uint64_t claim; /* reported_by and the figure */
	int32_t start;  /* first day covered (days since 1970) */
	int32_t end;    /* last day covered */
	uint32_t index; /* caller's row number */
	uint32_t pad;   /* the caller's own (diff: the old side's row) */
	uint32_t who;   /* reported_by, hashed */
	uint32_t additive; /* 1: a part of its claimant's count */
};

/* The hash of a row's key columns but dates: equal for claims about the
 * same thing (their periods aside). */
uint64_t contested_key_hash(const struct data_row *row, const char *const *key);

/* The claim of a row under key columns `key` (contested_key(kind) or a
 * layout's own list). */
void contested_claim_of(const struct data_row *row, const char *const *key,
			uint32_t index, struct contested_claim *out);

/* Whether two claims about one quantity disagree: another claimant, or
 * another figure unless both are parts of one claimant's count. */
bool contested_claims_differ(const struct contested_claim *a,
			     const struct contested_claim *b);

/* A contested quantity: claims v[from .. from+n-1] of the sorted array,
 * `first` the smallest index among them (groups come in this order, as
 * the data lists them), `earliest` and `latest` the indices of the claims
 * that start first and end last: the quantity's period is start..end. */
struct contested_group {
	size_t from, n;
	uint32_t first, earliest, latest;
	int32_t start, end;
	uint64_t key;
};

/* Sort v (by key, start, index) and find every contested quantity.
 * *out is malloc'd (caller frees; NULL with *nout 0 when there is none).
 * Returns BRIEF_OK or BRIEF_ENOMEM. The sort is qsort's: callers with
 * many rows pass only the claims that can matter (see diff.c). */
enum brief_status contested_groups(struct contested_claim *v, size_t n,
				   struct contested_group **out, size_t *nout);

/* A period in words: "18 September 2023", "27 September – 9 November
 * 2020" (the year once when shared), "1991–1994"; "" without a date.
 * Writes into buf, returns buf. */
char *contested_period_words(const struct date *from, const struct date *to,
			     char *buf, size_t size);

/* The quantity in words: the row's key values but dates and unit (the
 * figure carries the unit), joined by ", ", then the period from..to.
 * Writes into buf, returns buf. */
char *contested_quantity_words(const struct data_row *row,
			       const char *const *key, const struct date *from,
			       const struct date *to, char *buf, size_t size);

#endif
