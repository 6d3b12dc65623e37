/* fieldnum.h — numbers for the short texts of one column: equal texts get
 * equal numbers, in order of first sight, up to a cap of distinct texts.
 * The data scan numbers its rows' fields with it on the thread that parses
 * them, so that what the calling thread does per row (charts' name tables,
 * filters) is keyed by small integers instead of strings. One per column
 * and thread: no locking. */
#ifndef BRIEF_FIELDNUM_H
#define BRIEF_FIELDNUM_H

#include <stddef.h>
#include <stdint.h>

#define FIELDNUM_NONE UINT32_MAX
#define FIELDNUM_MAX_LEN 48 /* bytes: a longer text is not numbered */

/* Zero-initialised is empty, with max set by the owner (the most texts it
 * numbers, at most 65535). Owns its entries and index. */
struct fieldnum {
	struct fieldnum_text *v; /* the texts, by number */
	size_t n, cap;
	uint16_t *idx; /* open addressing: 0 empty, else number + 1 */
	size_t icap;
	uint32_t last; /* the number of the previous text looked up */
	uint32_t max;
	/* Past max or out of memory: numbers only the texts it has. */
	int closed;
};

/* The number of s[0, len) (no NUL needed), numbering it on first sight;
 * FIELDNUM_NONE for a text longer than FIELDNUM_MAX_LEN, or a new text
 * once max texts are numbered or an allocation failed (the caller then
 * works from the text: a missing number is never an error). */
uint32_t fieldnum_get(struct fieldnum *t, const char *s, size_t len);
void fieldnum_free(struct fieldnum *t); /* empties t; keeps max */

#endif
