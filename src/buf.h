/* buf.h — the one growable buffer: bytes (always NUL-terminated) with a
 * size cap, printf-style appends and take; and the same growth rule for
 * arrays of any element type. Growth past the cap is a caller's input
 * error (BRIEF_EDATA, to be positioned by the caller), never "out of
 * memory"; only a failed allocation is BRIEF_ENOMEM. */
#ifndef BRIEF_BUF_H
#define BRIEF_BUF_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* Owns s (heap, NUL-terminated once anything was added; NULL before).
 * max is the most bytes it may hold, 0 for no cap. After a failed append
 * the buffer keeps its earlier contents and remembers the first failure
 * in st, so a run of appends can be checked once at the end. */
struct buf {
	char *s;
	size_t n, cap, max;
	enum brief_status st;
};

#define BUF_INIT(max) { NULL, 0, 0, (max), BRIEF_OK }

/* Append len bytes of p; returns b->st (BRIEF_OK, BRIEF_ENOMEM, or
 * BRIEF_EDATA past the cap). Nothing is appended once b->st is set. */
enum brief_status buf_add(struct buf *b, const void *p, size_t len);
enum brief_status buf_puts(struct buf *b, const char *s);
enum brief_status buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The text so far ("" when empty; valid until the next append). */
const char *buf_str(const struct buf *b);
/* Hand over the heap string (never NULL unless out of memory: an empty
 * buffer gives ""); the buffer is empty afterwards. NULL when b->st is
 * not BRIEF_OK, and the buffer is freed. */
char *buf_take(struct buf *b);
void buf_free(struct buf *b); /* frees s, keeps max */

/* Make room for `need` elements of `size` bytes in *v (capacity *cap,
 * grown by half again, at least 16). BRIEF_EDATA when need exceeds max
 * (0: no cap), BRIEF_ENOMEM when realloc fails; *v and *cap are then
 * unchanged. */
enum brief_status array_reserve(void *v, size_t *cap, size_t need,
				size_t size, size_t max);

#endif
