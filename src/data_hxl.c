/* data_hxl.c — HXL 1.1 hashtags as the standard and libhxl read them:
 * "#Meta +ID" is "#meta+id", attributes in any order (hxl.h). Used by the
 * loader and by brief import. */
#include <stdlib.h>
#include <string.h>

#include "hxl.h"

#define HXL_MAX_ATTRS 32

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_token(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '_';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* A token (a letter, then letters, digits, '_') at *p, lowercased into
 * tok; advances *p. Returns its length (size or more: too long for tok),
 * 0 when there is none. */
static size_t token(const char **p, char *tok, size_t size)
{
	size_t n = 0;

	if (!is_alpha(**p))
		return 0;
	while (is_token(**p)) {
		if (n + 1 < size)
			tok[n] = lower(**p);
		n++;
		(*p)++;
	}
	tok[n + 1 < size ? n : size - 1] = '\0';
	return n + 1 < size ? n : size;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

enum hxl_parse hxl_normalise(const char *s, char *out, size_t size)
{
	char base[HXL_TAG_MAX];
	char attrs[HXL_MAX_ATTRS][HXL_TAG_MAX];
	const char *sorted[HXL_MAX_ATTRS];
	size_t nattr = 0, i, o, n;
	const char *p = s;

	while (is_space(*p))
		p++;
	if (*p++ != '#')
		return HXL_INVALID;
	n = token(&p, base, sizeof base);
	if (!n)
		return HXL_INVALID;
	if (n >= sizeof base || n + 2 > size)
		return HXL_TOO_LONG;
	for (;;) {
		while (is_space(*p))
			p++;
		if (*p != '+')
			break;
		p++;
		while (is_space(*p))
			p++;
		if (nattr == HXL_MAX_ATTRS)
			return HXL_TOO_LONG;
		n = token(&p, attrs[nattr], sizeof attrs[nattr]);
		if (!n)
			return HXL_INVALID;
		if (n >= sizeof attrs[nattr])
			return HXL_TOO_LONG;
		sorted[nattr] = attrs[nattr];
		nattr++;
	}
	if (*p)
		return HXL_INVALID;
	qsort(sorted, nattr, sizeof *sorted, cmp_str);
	o = (size_t)snprintf(out, size, "#%s", base);
	for (i = 0; i < nattr; i++) {
		n = strlen(sorted[i]);
		if (i > 0 && strcmp(sorted[i], sorted[i - 1]) == 0)
			continue;
		if (o + n + 2 > size)
			return HXL_TOO_LONG;
		out[o++] = '+';
		memcpy(out + o, sorted[i], n + 1);
		o += n;
	}
	return HXL_OK;
}

/* Whether the normalised tag has attribute a (n bytes). */
static bool has_attr(const char *tag, const char *a, size_t n)
{
	const char *t = strchr(tag, '+');

	while (t) {
		const char *next = strchr(t + 1, '+');
		size_t len = next ? (size_t)(next - t - 1) : strlen(t + 1);

		if (len == n && memcmp(t + 1, a, n) == 0)
			return true;
		t = next;
	}
	return false;
}

int hxl_fit(const char *tag, const char *pattern)
{
	const char *p = pattern + strcspn(pattern, "+-");
	size_t base = (size_t)(p - pattern);
	int score = 0;

	if (strncmp(tag, pattern, base) != 0 ||
	    (tag[base] && tag[base] != '+'))
		return -1;
	while (*p) {
		char sign = *p++;
		size_t n = strcspn(p, "+-");

		if (has_attr(tag, p, n) != (sign == '+'))
			return -1;
		if (sign == '+')
			score++;
		p += n;
	}
	return score;
}

bool hxl_match(const char *tag, const char *pattern)
{
	char t[HXL_TAG_MAX], p[HXL_TAG_MAX];
	size_t o = 0;

	if (hxl_normalise(tag, t, sizeof t) != HXL_OK)
		return false;
	/* A pattern's "-attr" is not a spec's syntax: lowercase it and drop
	 * the spaces; hxl_fit reads the attributes in any order. */
	for (; *pattern && o + 1 < sizeof p; pattern++)
		if (!is_space(*pattern))
			p[o++] = lower(*pattern);
	p[o] = '\0';
	if (*pattern || p[0] != '#')
		return false;
	return hxl_fit(t, p) >= 0;
}

bool hxl_row_like(const struct csv_record *rec)
{
	size_t i, nonempty = 0, tags = 0;
	char buf[HXL_TAG_MAX];

	for (i = 0; i < rec->nfields; i++) {
		const char *t = rec->fields[i].text;

		while (is_space(*t))
			t++;
		if (!*t)
			continue;
		nonempty++;
		/* A cheap first test: data fields rarely start with '#'. */
		if (*t == '#' &&
		    hxl_normalise(t, buf, sizeof buf) != HXL_INVALID)
			tags++;
	}
	return tags > 0 && tags * 2 >= nonempty;
}
