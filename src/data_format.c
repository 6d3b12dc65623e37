/* data_format.c — dates, qualifiers and the wording of figures, in the
 * active catalogue's language (l10n_use) or the built-in English. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "data.h"
#include "l10n.h"

static int days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static int digits(const char *s, size_t n, int *out)
{
	size_t i;
	int v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

bool date_parse(const char *s, size_t len, struct date *out)
{
	struct date d = {0, 0, 0};

	if (len != 4 && len != 7 && len != 10)
		return false;
	if (!digits(s, 4, &d.year) || d.year < 1)
		return false;
	if (len >= 7) {
		if (s[4] != '-' || !digits(s + 5, 2, &d.month) || d.month < 1 ||
		    d.month > 12)
			return false;
	}
	if (len == 10) {
		if (s[7] != '-' || !digits(s + 8, 2, &d.day) || d.day < 1 ||
		    d.day > days_in_month(d.year, d.month))
			return false;
	}
	*out = d;
	return true;
}

/* Howard Hinnant's days_from_civil and civil_from_days. */
long days_from_ymd(int year, int month, int day)
{
	long y = (long)year - (month <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void ymd_from_days(long days, int *year, int *month, int *day)
{
	long z = days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long mm = mp < 10 ? mp + 3 : mp - 9;

	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)mm;
	*year = (int)(yoe + era * 400 + (mm <= 2));
}

const char *date_month_abbr(int month)
{
	static const char *const abbr[12] = {"Jan", "Feb", "Mar", "Apr",
					     "May", "Jun", "Jul", "Aug",
					     "Sep", "Oct", "Nov", "Dec"};

	if (l10n_active())
		return l10n_month(l10n_active(), month, L10N_MONTH_SHORT);
	return month >= 1 && month <= 12 ? abbr[month - 1] : "";
}

long date_days(const struct date *d)
{
	return days_from_ymd(d->year, d->month ? d->month : 1,
			       d->day ? d->day : 1);
}

long date_days_end(const struct date *d)
{
	int m = d->month ? d->month : 12;
	int day = d->day ? d->day : days_in_month(d->year, m);

	return days_from_ymd(d->year, m, day);
}

int date_cmp(const struct date *a, const struct date *b)
{
	long x = date_days(a), y = date_days(b);
	int pa = (a->month != 0) + (a->day != 0);
	int pb = (b->month != 0) + (b->day != 0);

	if (x != y)
		return x < y ? -1 : 1;
	return pa < pb ? -1 : pa > pb;
}

static const char *const month_names[12] = {
	"January", "February", "March",     "April",   "May",      "June",
	"July",    "August",   "September", "October", "November", "December"};

char *date_format_long(const struct date *d, char *buf, size_t size)
{
	if (l10n_active())
		return l10n_date_long(l10n_active(), d, buf, size);
	if (d->day)
		snprintf(buf, size, "%d %s %d", d->day,
			 month_names[d->month - 1], d->year);
	else if (d->month)
		snprintf(buf, size, "%s %d", month_names[d->month - 1],
			 d->year);
	else
		snprintf(buf, size, "%d", d->year);
	return buf;
}

static const char *const qualifier_names[] = {
	"exact", "about", "at_least", "more_than", "nearly", "at_most", "range"};

bool qualifier_parse(const char *s, enum qualifier *out)
{
	size_t i;

	for (i = 0; i < sizeof qualifier_names / sizeof *qualifier_names; i++) {
		if (strcmp(s, qualifier_names[i]) == 0) {
			*out = (enum qualifier)i;
			return true;
		}
	}
	return false;
}

const char *qualifier_name(enum qualifier q)
{
	return qualifier_names[q];
}

char *number_format(double v, int decimals, char *buf, size_t size)
{
	char tmp[64], out[96];
	size_t i, n, o = 0, intlen;
	const char *dot;

	if (l10n_active())
		return l10n_number(l10n_active(), v, decimals, buf, size);
	if (decimals < 0) {
		/* Automatic: whole numbers plain, others with up to two places. */
		decimals = fabs(v - round(v)) < 1e-9 ? 0
			   : fabs(v * 10 - round(v * 10)) < 1e-9 ? 1 : 2;
	}
	snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
	n = strlen(tmp);
	dot = strchr(tmp, '.');
	intlen = dot ? (size_t)(dot - tmp) : n;
	i = 0;
	if (tmp[0] == '-') {
		out[o++] = '-';
		i = 1;
	}
	for (; i < intlen; i++) {
		out[o++] = tmp[i];
		if (i + 1 < intlen && (intlen - i - 1) % 3 == 0)
			out[o++] = ',';
	}
	for (; i < n && o + 1 < sizeof out; i++)
		out[o++] = tmp[i];
	out[o] = '\0';
	snprintf(buf, size, "%s", out);
	return buf;
}

/* The unit as it follows a number: "%" tight, "km²" for km2, a noun
 * ("years", "troops") after a space and singular for exactly one; units
 * that are not nouns of quantity (count, rank) are left out. */
static void unit_suffix(const char *unit, bool one, char *buf, size_t size)
{
	size_t n;

	buf[0] = '\0';
	if (!unit || !*unit || strcmp(unit, "count") == 0 ||
	    strcmp(unit, "rank") == 0)
		return;
	if (strcmp(unit, "percent") == 0) {
		snprintf(buf, size, "%%");
		return;
	}
	if (strcmp(unit, "km2") == 0) {
		snprintf(buf, size, " km\xC2\xB2");
		return;
	}
	snprintf(buf, size, " %s", unit);
	n = strlen(buf);
	if (one && n > 2 && buf[n - 1] == 's')
		buf[n - 1] = '\0';
}

char *figure_format(double value, bool has_high, double high, enum qualifier q,
		    const char *unit, char *buf, size_t size)
{
	char a[64], b[64], u[64];
	const char *pre = "";
	bool range = has_high && high != value;

	/* The document's catalogue words figures (l10n_figure); this is its
	 * English for callers without one. */
	if (l10n_active())
		return l10n_figure(l10n_active(), value, has_high, high, q,
				   unit, buf, size);
	switch (q) {
	case QUAL_EXACT:
	case QUAL_RANGE:
		pre = "";
		break;
	case QUAL_ABOUT:
		pre = "about ";
		break;
	case QUAL_AT_LEAST:
		pre = "at least ";
		break;
	case QUAL_MORE_THAN:
		pre = "more than ";
		break;
	case QUAL_NEARLY:
		pre = "nearly ";
		break;
	case QUAL_AT_MOST:
		pre = "at most ";
		break;
	}
	unit_suffix(unit, !range && value == 1.0, u, sizeof u);
	number_format(value, -1, a, sizeof a);
	if (range) {
		number_format(high, -1, b, sizeof b);
		/* U+2013 EN DASH between the ends of a range. */
		snprintf(buf, size, "%s%s\xE2\x80\x93%s%s", pre, a, b, u);
	} else {
		snprintf(buf, size, "%s%s%s", pre, a, u);
	}
	return buf;
}
