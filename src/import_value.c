/* import_value.c — reading values the way exports write them: dates in
 * the formats a mapping lists, numbers with thousands separators, figures
 * in words ("more than 500", "between 2,000 and 3,000"), HXL hashtags in
 * any case and spacing; and writing CSV fields. */
#include "import_int.h"

#include <ctype.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const month_names[] = {
	"january", "february", "march",	    "april",   "may",	   "june",
	"july",	   "august",   "september", "october", "november", "december"};

/* Up to max digits at *s (at least one); advances *s. */
static bool digits(const char **s, int min, int max, int *out)
{
	int n = 0, v = 0;

	while (n < max && isdigit((unsigned char)**s)) {
		v = v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	*out = v;
	return n >= min;
}

/* A month by name: full English name or its first three letters, any case. */
static bool month_name(const char **s, int *out)
{
	char w[16];
	size_t n = 0;
	int i;

	while (n < sizeof w - 1 && isalpha((unsigned char)(*s)[n])) {
		w[n] = (char)tolower((unsigned char)(*s)[n]);
		n++;
	}
	w[n] = '\0';
	if (n < 3)
		return false;
	for (i = 0; i < 12; i++) {
		if (strcmp(w, month_names[i]) == 0 ||
		    (n == 3 && strncmp(w, month_names[i], 3) == 0) ||
		    (n == 4 && strcmp(w, "sept") == 0 && i == 8)) {
			*out = i + 1;
			*s += n;
			return true;
		}
	}
	return false;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool date_valid(const struct idate *d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};

	if (d->y < 1 || d->y > 9999)
		return false;
	if (d->m == 0)
		return d->d == 0;
	if (d->m < 1 || d->m > 12)
		return false;
	if (d->d == 0)
		return true;
	return d->d >= 1 &&
	       d->d <= mdays[d->m - 1] + (d->m == 2 && leap(d->y) ? 1 : 0);
}

/* One format: %Y (4 digits), %m and %d (1-2 digits), %B and %b (month
 * name), %* (the rest, ignored: "00:00:00.000"), anything else literal. */
static bool parse_with(const char *fmt, const char *s, struct idate *out)
{
	struct idate d = {0, 0, 0};

	while (*fmt) {
		if (fmt[0] == '%' && fmt[1]) {
			switch (fmt[1]) {
			case 'Y':
				if (!digits(&s, 4, 4, &d.y))
					return false;
				break;
			case 'm':
				if (!digits(&s, 1, 2, &d.m) || d.m == 0)
					return false;
				break;
			case 'd':
				if (!digits(&s, 1, 2, &d.d) || d.d == 0)
					return false;
				break;
			case 'B':
			case 'b':
				if (!month_name(&s, &d.m))
					return false;
				break;
			case '*':
				s += strlen(s);
				break;
			default:
				if (*s++ != fmt[1])
					return false;
			}
			fmt += 2;
			continue;
		}
		if (*s++ != *fmt++)
			return false;
	}
	if (*s || !date_valid(&d))
		return false;
	*out = d;
	return true;
}

bool import_parse_date(const struct import_map *m, const char *s,
		       struct idate *out)
{
	size_t i;

	for (i = 0; i < m->ndates; i++)
		if (parse_with(m->dates[i], s, out))
			return true;
	return false;
}

/* Length of a thousands separator of m at s, 0 if none. */
static size_t sep_at(const struct import_map *m, const char *s)
{
	size_t i, n;

	for (i = 0; i < m->nthousands; i++) {
		n = strlen(m->thousands[i]);
		if (n && strncmp(s, m->thousands[i], n) == 0)
			return n;
	}
	return 0;
}

/* A number at *s: digits in groups of three after the first 1-3 when
 * separated, optional ".digits". Writes the plain form; advances *s. */
static bool number_at(const struct import_map *m, const char **sp,
		      bool decimals, char *buf, size_t size)
{
	const char *s = *sp;
	size_t o = 0, run = 0, sep;
	bool grouped = false;

	while (isdigit((unsigned char)*s) && o + 1 < size) {
		buf[o++] = *s++;
		run++;
		/* A separator counts only when three digits follow it. */
		if ((sep = sep_at(m, s)) && isdigit((unsigned char)s[sep]) &&
		    isdigit((unsigned char)s[sep + 1]) &&
		    isdigit((unsigned char)s[sep + 2]) &&
		    !isdigit((unsigned char)s[sep + 3])) {
			if (grouped ? run != 3 : run > 3)
				return false;
			grouped = true;
			run = 0;
			s += sep;
		} else if (sep && isdigit((unsigned char)s[sep])) {
			return false; /* "1,2" or "12,34567" */
		}
	}
	if (o == 0 || (grouped && run != 3))
		return false;
	if (*s == '.' && decimals && isdigit((unsigned char)s[1])) {
		buf[o++] = *s++;
		while (isdigit((unsigned char)*s) && o + 1 < size)
			buf[o++] = *s++;
	}
	if (isdigit((unsigned char)*s) || o + 1 >= size)
		return false;
	buf[o] = '\0';
	*sp = s;
	return true;
}

bool import_parse_number(const struct import_map *m, const char *s,
			 bool decimals, char *buf, size_t size)
{
	while (*s == ' ')
		s++;
	if (!number_at(m, &s, decimals, buf, size))
		return false;
	while (*s == ' ')
		s++;
	return *s == '\0';
}

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* A word at s, case-insensitive, followed by a space; returns after it. */
static const char *word(const char *s, const char *w)
{
	size_t n = strlen(w);

	if (strncasecmp(s, w, n) == 0 && (s[n] == ' ' || s[n] == '\t'))
		return skip_space(s + n);
	return NULL;
}

bool import_parse_figure(const struct import_map *m, const char *s,
			 struct figure_text *out)
{
	const char *p = skip_space(s), *q, *num;
	size_t wl;

	memset(out, 0, sizeof *out);
	/* "between A and B", "from A to B" */
	if ((q = word(p, "between")) || (q = word(p, "from"))) {
		bool between = strncasecmp(p, "between", 7) == 0;

		p = q;
		if (!number_at(m, &p, false, out->low, sizeof out->low))
			return false;
		p = skip_space(p);
		if (!(q = word(p, between ? "and" : "to")))
			return false;
		p = q;
		if (!number_at(m, &p, false, out->high, sizeof out->high))
			return false;
		return *skip_space(p) == '\0';
	}
	/* Leading words: "more than", "approximately", "at least" ... */
	num = p;
	while (*num && !isdigit((unsigned char)*num))
		num++;
	wl = (size_t)(num - p);
	while (wl > 0 && (p[wl - 1] == ' ' || p[wl - 1] == '\t'))
		wl--;
	if (wl >= sizeof out->words)
		return false;
	memcpy(out->words, p, wl);
	out->words[wl] = '\0';
	p = num;
	if (!number_at(m, &p, false, out->low, sizeof out->low))
		return false;
	p = skip_space(p);
	if (*p == '\0')
		return true;
	/* "A-B", "A–B", "A to B" */
	if (*p == '-')
		p++;
	else if (strncmp(p, "\xE2\x80\x93", 3) == 0)
		p += 3;
	else if ((q = word(p, "to")))
		p = q;
	else
		return false;
	p = skip_space(p);
	if (!number_at(m, &p, false, out->high, sizeof out->high))
		return false;
	return *skip_space(p) == '\0' && !out->words[0];
}

static bool line_room(struct csv_line *l, size_t more)
{
	size_t nc;
	char *nb;

	if (l->oom)
		return false;
	if (l->n + more <= l->cap)
		return true;
	for (nc = l->cap ? l->cap : 4096; nc < l->n + more; nc *= 2)
		;
	nb = realloc(l->s, nc);
	if (!nb) {
		l->oom = true;
		return false;
	}
	l->s = nb;
	l->cap = nc;
	return true;
}

void csv_line_add(struct csv_line *l, const char *s)
{
	size_t n = strlen(s), i;
	bool quote = strpbrk(s, ",\"\r\n") != NULL;

	if (!line_room(l, 2 * n + 4))
		return;
	if (l->fields++)
		l->s[l->n++] = ',';
	if (!quote) {
		memcpy(l->s + l->n, s, n);
		l->n += n;
		return;
	}
	l->s[l->n++] = '"';
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			l->s[l->n++] = '"';
		l->s[l->n++] = s[i];
	}
	l->s[l->n++] = '"';
}

void csv_line_end(struct csv_line *l)
{
	if (line_room(l, 1))
		l->s[l->n++] = '\n';
	l->fields = 0;
}

void csv_line_reset(struct csv_line *l)
{
	l->n = 0;
	l->fields = 0;
}

enum brief_status import_sha256_file(const char *path, char hex[65])
{
	FILE *f = fopen(path, "rb");
	struct sha256_ctx c;
	uint8_t out[SHA256_DIGEST_SIZE];
	static unsigned char buf[1 << 16];
	size_t n, i;
	int bad;

	if (!f)
		return BRIEF_EIO;
	sha256_init(&c);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sha256_update(&c, n, buf);
	bad = ferror(f);
	fclose(f);
	if (bad)
		return BRIEF_EIO;
	sha256_digest(&c, sizeof out, out);
	for (i = 0; i < sizeof out; i++)
		snprintf(hex + 2 * i, 3, "%02x", out[i]);
	return BRIEF_OK;
}
