/* buf.c — the growable buffer and array growth of buf.h. */
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum brief_status array_reserve(void *v, size_t *cap, size_t need,
				size_t size, size_t max)
{
	void **pv = v;
	size_t ncap;
	void *nv;

	if (need <= *cap)
		return BRIEF_OK;
	if (max && need > max)
		return BRIEF_EDATA;
	if (size == 0 || need > SIZE_MAX / size / 2)
		return BRIEF_ENOMEM;
	ncap = *cap + *cap / 2;
	if (ncap < 16)
		ncap = 16;
	if (ncap < need)
		ncap = need;
	if (max && ncap > max)
		ncap = max;
	nv = realloc(*pv, ncap * size);
	if (!nv)
		return BRIEF_ENOMEM;
	*pv = nv;
	*cap = ncap;
	return BRIEF_OK;
}

enum brief_status buf_add(struct buf *b, const void *p, size_t len)
{
	enum brief_status st;

	if (b->st)
		return b->st;
	if (b->max && (len > b->max || b->n > b->max - len))
		return b->st = BRIEF_EDATA;
	if (len > SIZE_MAX - b->n - 1)
		return b->st = BRIEF_ENOMEM;
	st = array_reserve(&b->s, &b->cap, b->n + len + 1, 1, 0);
	if (st)
		return b->st = st;
	if (len)
		memcpy(b->s + b->n, p, len);
	b->n += len;
	b->s[b->n] = '\0';
	return BRIEF_OK;
}

enum brief_status buf_puts(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

enum brief_status buf_printf(struct buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int len;
	char *big;
	enum brief_status st;

	if (b->st)
		return b->st;
	va_start(ap, fmt);
	len = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (len < 0)
		return b->st = BRIEF_EINTERNAL;
	if ((size_t)len < sizeof small)
		return buf_add(b, small, (size_t)len);
	big = malloc((size_t)len + 1);
	if (!big)
		return b->st = BRIEF_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)len + 1, fmt, ap);
	va_end(ap);
	st = buf_add(b, big, (size_t)len);
	free(big);
	return st;
}

const char *buf_str(const struct buf *b)
{
	return b->s ? b->s : "";
}

char *buf_take(struct buf *b)
{
	char *s;

	if (b->st) {
		buf_free(b);
		return NULL;
	}
	s = b->s ? b->s : strdup("");
	b->s = NULL;
	b->n = b->cap = 0;
	return s;
}

void buf_free(struct buf *b)
{
	free(b->s);
	b->s = NULL;
	b->n = b->cap = 0;
	b->st = BRIEF_OK;
}
