/* data_hint.c — hints for data in the forms spreadsheets write (see
 * data_hint.h). Only the wording of errors: nothing here decides whether
 * a value is valid. */
#include "data_hint.h"

#include "data.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

const char *data_hint_delimiter(const struct csv_record *hdr)
{
	size_t semi = 0, tab = 0, n = hdr->nfields;

	for (size_t i = 0; i < n; i++)
		for (const char *p = hdr->fields[i].text; *p; p++) {
			semi += *p == ';';
			tab += *p == '\t';
		}
	/* More separators than columns: the names were never split. */
	if (semi >= 2 && semi >= n)
		return "; this file looks ';'-separated; brief reads ',' "
		       "(RFC 4180); save as CSV UTF-8 (comma delimited)";
	if (tab >= 2 && tab >= n)
		return "; this file looks tab-separated; brief reads ',' "
		       "(RFC 4180); save as CSV UTF-8 (comma delimited)";
	return "";
}

/* The length of a grouping separator at p (',', '.', '\'', a space, a
 * no-break or narrow no-break space, a right single quote), else 0. */
static size_t group_sep(const char *p, char *which)
{
	static const char *const seps[] = {",", ".", "'", " ", "\xC2\xA0",
					   "\xE2\x80\xAF", "\xE2\x80\x99"};

	for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
		size_t k = strlen(seps[i]);

		if (strncmp(p, seps[i], k) == 0) {
			*which = i < 3 ? seps[i][0] : ' ';
			return k;
		}
	}
	return 0;
}

/* A number as "1,200", "1.200.000", "1 200,5", "12,5": digits in groups
 * with separators. Writes the value as brief reads it into out and says
 * whether the one separator was a comma before three digits (1,200 is
 * 1200 or, with a decimal comma, 1.2). */
static bool separated_number(const char *v, char *out, size_t size,
			     bool *ambiguous)
{
	enum { MAXG = 32 };
	const char *start[MAXG];
	size_t digits[MAXG], ngroups = 0, nthou, o = 0;
	char seps[MAXG], last, dec = 0;
	const char *p = v;

	*ambiguous = false;
	for (;;) {
		size_t d = strspn(p, "0123456789"), k;

		if (!d || ngroups == MAXG)
			return false;
		start[ngroups] = p;
		digits[ngroups] = d;
		p += d;
		if (!*p) {
			seps[ngroups++] = 0;
			break;
		}
		k = group_sep(p, &seps[ngroups]);
		if (!k)
			return false;
		ngroups++;
		p += k;
	}
	if (ngroups < 2)
		return false;
	/* The last separator is a decimal one when it differs from the
	 * others or is not followed by three digits. */
	last = seps[ngroups - 2];
	if ((last == ',' || last == '.') &&
	    ((ngroups > 2 && last != seps[0]) || digits[ngroups - 1] != 3))
		dec = last;
	nthou = ngroups - 1 - (dec ? 1 : 0);
	if (nthou && (digits[0] > 3 || dec == seps[0]))
		return false;
	for (size_t g = 0; g < nthou; g++)
		if (seps[g] != seps[0] || digits[g + 1] != 3)
			return false;
	for (size_t g = 0; g < ngroups; g++) {
		if (dec && g == ngroups - 1 && o + 1 < size)
			out[o++] = '.';
		for (size_t i = 0; i < digits[g] && o + 1 < size; i++)
			out[o++] = start[g][i];
	}
	out[o] = '\0';
	*ambiguous = ngroups == 2 && !dec && seps[0] == ',';
	return true;
}

/* "~500", "≈500", ">500", "<500", "500+", "c. 500", "ca. 500". */
static bool qualified_number(const char *v)
{
	size_t n = strlen(v);

	if (v[0] == '~' || v[0] == '>' || v[0] == '<' ||
	    strncmp(v, "\xE2\x89\x88", 3) == 0 || strncmp(v, "c.", 2) == 0 ||
	    strncmp(v, "ca.", 3) == 0 || strncmp(v, "approx", 6) == 0)
		return true;
	return n > 1 && v[n - 1] == '+' && digit(v[n - 2]);
}

const char *data_hint_number(const char *v, char *buf, size_t size)
{
	const char *comma = strrchr(v, ','), *point = strrchr(v, '.');
	char num[64];
	bool ambiguous;

	if (qualified_number(v))
		return "; write the number alone and say 'about' or 'more than' "
		       "in the qualifier column";
	if (!separated_number(v, num, sizeof num, &ambiguous))
		return "";
	if (ambiguous) {
		/* "1,200": thousands in English, 1.2 with a decimal comma. */
		const char *c = strchr(v, ',');
		int frac = 3;

		while (frac > 0 && c[frac] == '0')
			frac--; /* 1,200 as a decimal is 1.2, 1,000 is 1 */
		snprintf(buf, size,
			 "; write %.*s%s without thousands separators, or "
			 "%.*s%s%.*s if the comma is a decimal comma",
			 (int)(c - v), v, c + 1, (int)(c - v), v,
			 frac ? "." : "", frac, c + 1);
		return buf;
	}
	if (strchr(num, '.') && comma && (!point || comma > point))
		snprintf(buf, size,
			 "; write %s: a decimal point, no thousands separators",
			 num);
	else
		snprintf(buf, size, "; write %s: no thousands separators", num);
	return buf;
}

const char *data_hint_whole(const char *v, char *buf, size_t size)
{
	const char *dot = strchr(v, '.');
	size_t lead = dot ? (size_t)(dot - v) : 0;

	/* "1.200" or "12.500.000": digits in threes after each point. */
	if (!dot || lead < 1 || lead > 3)
		return "";
	for (const char *p = dot; *p; p += 4) {
		if (p[0] != '.' || !digit(p[1]) || !digit(p[2]) || !digit(p[3]))
			return "";
		if (p[4] && p[4] != '.')
			return "";
	}
	{
		char num[64];
		size_t o = 0;

		for (const char *p = v; *p && o + 1 < sizeof num; p++)
			if (*p != '.')
				num[o++] = *p;
		num[o] = '\0';
		snprintf(buf, size,
			 "; if it means %s, write it without thousands "
			 "separators",
			 num);
	}
	return buf;
}

/* Up to max digits at *p as a number (advancing *p); -1 if none. */
static long take_digits(const char **p, int max)
{
	long v = 0;
	int n = 0;

	while (digit(**p) && n < max) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n ? v : -1;
}

static bool date_sep(char c)
{
	return c == '/' || c == '.' || c == '-';
}

static const char *const month_names[] = {
	"January", "February", "March",     "April",   "May",      "June",
	"July",    "August",   "September", "October", "November", "December"};

static bool letter(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* The month an English name or its first three letters names (1..12),
 * else 0. */
static int month_of(const char *w, size_t n)
{
	for (int m = 0; m < 12; m++) {
		size_t full = strlen(month_names[m]);

		if ((n == 3 || n == full || (n == 4 && w[3] == '.')) &&
		    strncasecmp(w, month_names[m], n == 4 ? 3 : n) == 0)
			return m + 1;
	}
	return 0;
}

/* "1 March 2021", "March 1, 2021", "Mar 2021": the ISO form when a
 * month name, a four-digit year and at most a day are all it has. */
static const char *month_words(const char *v, char *buf, size_t size)
{
	long day = 0, year = 0;
	int month = 0;
	bool words = false;

	for (const char *p = v; *p;) {
		size_t n = 0;

		if (letter(*p)) {
			while (letter(p[n]) || (n == 3 && p[n] == '.'))
				n++;
			words = true;
			if (month || !(month = month_of(p, n)))
				goto generic;
		} else if (digit(*p)) {
			const char *q = p;
			long x = take_digits(&q, 5);

			n = (size_t)(q - p);
			if (n == 4 && !year)
				year = x;
			else if (n <= 2 && !day && x >= 1 && x <= 31)
				day = x;
			else
				goto generic;
		} else if (strchr(" ,-/.", *p)) {
			n = 1;
		} else {
			goto generic;
		}
		p += n;
	}
	if (!month || !year)
		goto generic;
	if (day)
		snprintf(buf, size, "; write ISO dates, year first: %04ld-%02d-%02ld",
			 year, month, day);
	else
		snprintf(buf, size, "; write ISO dates, year first: %04ld-%02d",
			 year, month);
	return buf;
generic:
	return words ? "; write dates as numbers, year first: YYYY-MM-DD, "
		       "YYYY-MM or YYYY"
		     : "";
}

const char *data_hint_date(const char *v, char *buf, size_t size)
{
	const char *p = v;
	long a, b, y;
	size_t n = strlen(v);

	/* A spreadsheet's date serial: days since 1899-12-30 (for any date
	 * after February 1900). 20000 to 80000 is 1954 to 2119. */
	if (n == 5 && strspn(v, "0123456789") == 5) {
		long serial = atol(v);
		int yy, mm, dd;

		if (serial >= 20000 && serial <= 80000) {
			ymd_from_days(serial - 25569, &yy, &mm, &dd);
			snprintf(buf, size,
				 "; %s looks like a spreadsheet's date number "
				 "(%04d-%02d-%02d): format the column as dates "
				 "in YYYY-MM-DD form before saving",
				 v, yy, mm, dd);
			return buf;
		}
		return "";
	}
	a = take_digits(&p, 4);
	if (a < 0 || !date_sep(*p))
		goto words;
	if (p - v == 4) { /* 2025/03/10, 2025.03 */
		char sep = *p;

		if (sep == '-')
			return ""; /* ISO in form: a day or month out of range */
		p++;
		b = take_digits(&p, 2);
		if (b < 1 || b > 12 || (*p && *p != sep))
			return "";
		snprintf(buf, size, "; write it with '-': %04ld-%02ld%s", a, b,
			 *p ? "-DD" : "");
		return buf;
	}
	p++;
	b = take_digits(&p, 2);
	if (b < 0 || !date_sep(*p))
		return "";
	p++;
	{
		const char *ys = p;

		y = take_digits(&p, 4);
		if (y < 0 || *p)
			return "";
		if (p - ys == 2) {
			snprintf(buf, size,
				 "; write dates year first with the year in "
				 "full: YYYY-MM-DD");
			return buf;
		}
		if (p - ys != 4)
			return "";
	}
	if (a > 12 && b >= 1 && b <= 12 && a <= 31)
		snprintf(buf, size, "; write ISO dates, year first: %04ld-%02ld-%02ld",
			 y, b, a);
	else if (b > 12 && a >= 1 && a <= 12 && b <= 31)
		snprintf(buf, size, "; write ISO dates, year first: %04ld-%02ld-%02ld",
			 y, a, b);
	else if (a >= 1 && a <= 12 && b >= 1 && b <= 12)
		snprintf(buf, size,
			 "; write ISO dates, year first: %04ld-%02ld-%02ld if "
			 "this is %ld %s, %04ld-%02ld-%02ld if it is %ld %s",
			 y, b, a, a, month_names[b - 1], y, a, b, b,
			 month_names[a - 1]);
	else
		return "";
	return buf;
words:
	return month_words(v, buf, size);
}
