/* scale.c — nice ticks, date ticks and label spreading for chart axes. */
#include "scale.h"

#include "data.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void scale_nice_ticks(double lo, double hi, int max_ticks, struct ticks *out)
{
	static const double mult[] = { 1, 2, 2.5, 5, 10 };
	double span, mag, step = 1, first;

	if (max_ticks < 2)
		max_ticks = 2;
	if (max_ticks > SCALE_MAX_TICKS)
		max_ticks = SCALE_MAX_TICKS;
	if (!(hi > lo)) {
		hi = lo + 1;
		if (lo > 0)
			lo = lo > 1 ? lo - 1 : 0;
	}
	span = hi - lo;
	mag = pow(10, floor(log10(span / (max_ticks - 1))));
	/* The smallest nice step that needs no more than max_ticks ticks. */
	for (int k = 0; k < 3; k++, mag *= 10) {
		size_t i;

		for (i = 0; i < sizeof mult / sizeof *mult; i++) {
			double s = mult[i] * mag;
			double n = ceil(hi / s - 1e-9) - floor(lo / s + 1e-9) + 1;

			if (n <= max_ticks) {
				step = s;
				break;
			}
		}
		if (i < sizeof mult / sizeof *mult)
			break;
	}
	first = floor(lo / step + 1e-9) * step;
	out->step = step;
	out->n = 0;
	for (double v = first; out->n < SCALE_MAX_TICKS; v += step) {
		out->v[out->n++] = fabs(v) < step * 1e-9 ? 0 : v;
		if (v >= hi - step * 1e-9)
			break;
	}
}

char *scale_format_number(double v, double step, char *buf, size_t size)
{
	int decimals = 0;

	while (decimals < 6 && step > 0 &&
	       fabs(step * pow(10, decimals) - round(step * pow(10, decimals))) >
		       1e-6)
		decimals++;
	/* "-0" would read as a value. */
	if (fabs(v) <= 0.5 * pow(10, -decimals))
		v = 0;
	return number_format(v, decimals, buf, size);
}

static void date_tick_label(struct date_ticks *t, struct date_tick *k,
			    bool first)
{
	int y, m, d;

	ymd_from_days(k->day, &y, &m, &d);
	switch (t->unit) {
	case DATE_UNIT_YEAR:
		snprintf(k->label, sizeof k->label, "%d", y);
		break;
	case DATE_UNIT_MONTH:
		/* The year on the first tick and at each January. */
		if (first || m == 1)
			snprintf(k->label, sizeof k->label, "%s %d",
				 date_month_abbr(m), y);
		else
			snprintf(k->label, sizeof k->label, "%s",
				 date_month_abbr(m));
		break;
	case DATE_UNIT_DAY:
		if (first || (m == 1 && d <= t->step))
			snprintf(k->label, sizeof k->label, "%d %s %d", d,
				 date_month_abbr(m), y);
		else
			snprintf(k->label, sizeof k->label, "%d %s", d,
				 date_month_abbr(m));
		break;
	}
}

/* Count (and optionally emit) ticks of unit/step in [first, last]. */
static size_t date_ticks_fill(long first, long last, enum date_unit unit,
			      int step, struct date_ticks *out)
{
	int y, m, d;
	size_t n = 0;

	ymd_from_days(first, &y, &m, &d);
	if (unit == DATE_UNIT_YEAR) {
		int ys = y + (m != 1 || d != 1);

		ys = ((ys + step - 1) / step) * step;
		for (int yy = ys;; yy += step) {
			long day = days_from_ymd(yy, 1, 1);

			if (day > last)
				break;
			if (out && n < SCALE_MAX_TICKS)
				out->v[n].day = day;
			n++;
		}
	} else if (unit == DATE_UNIT_MONTH) {
		long mi = (long)y * 12 + (m - 1) + (d != 1);

		mi = ((mi + step - 1) / step) * step;
		for (;; mi += step) {
			long day = days_from_ymd((int)(mi / 12),
							 (int)(mi % 12) + 1, 1);

			if (day > last)
				break;
			if (out && n < SCALE_MAX_TICKS)
				out->v[n].day = day;
			n++;
		}
	} else {
		for (long day = first; day <= last; day++) {
			int dd;

			ymd_from_days(day, &y, &m, &dd);
			/* Steps restart each month: 1, 8, 15, 22 (, 29). */
			if (step > 1 && (dd - 1) % step != 0)
				continue;
			if (step > 1 && dd + step > 32)
				continue;
			if (out && n < SCALE_MAX_TICKS)
				out->v[n].day = day;
			n++;
		}
	}
	return n;
}

void scale_date_ticks(long first, long last, int max_ticks,
		      struct date_ticks *out)
{
	static const struct {
		enum date_unit unit;
		int step;
	} ladder[] = {
		{ DATE_UNIT_DAY, 1 },    { DATE_UNIT_DAY, 2 },
		{ DATE_UNIT_DAY, 7 },    { DATE_UNIT_MONTH, 1 },
		{ DATE_UNIT_MONTH, 2 },  { DATE_UNIT_MONTH, 3 },
		{ DATE_UNIT_MONTH, 6 },  { DATE_UNIT_YEAR, 1 },
		{ DATE_UNIT_YEAR, 2 },   { DATE_UNIT_YEAR, 5 },
		{ DATE_UNIT_YEAR, 10 },  { DATE_UNIT_YEAR, 20 },
		{ DATE_UNIT_YEAR, 25 },  { DATE_UNIT_YEAR, 50 },
		{ DATE_UNIT_YEAR, 100 }, { DATE_UNIT_YEAR, 200 },
		{ DATE_UNIT_YEAR, 500 }, { DATE_UNIT_YEAR, 1000 },
	};
	size_t i, last_i = sizeof ladder / sizeof *ladder - 1;

	if (max_ticks < 2)
		max_ticks = 2;
	if (max_ticks > SCALE_MAX_TICKS)
		max_ticks = SCALE_MAX_TICKS;
	if (last < first)
		last = first;
	for (i = 0; i < last_i; i++) {
		/* Long spans skip the day-by-day count. */
		if (ladder[i].unit == DATE_UNIT_DAY &&
		    (last - first) / ladder[i].step > 4L * max_ticks)
			continue;
		if (date_ticks_fill(first, last, ladder[i].unit, ladder[i].step,
				    NULL) <= (size_t)max_ticks)
			break;
	}
	out->unit = ladder[i].unit;
	out->step = ladder[i].step;
	out->n = date_ticks_fill(first, last, out->unit, out->step, out);
	if (out->n > SCALE_MAX_TICKS)
		out->n = SCALE_MAX_TICKS;
	for (size_t k = 0; k < out->n; k++)
		date_tick_label(out, &out->v[k], k == 0);
}

struct cluster {
	size_t first;   /* first label */
	size_t count;
	double len;     /* extent of the packed labels, gaps included */
	double sum;     /* sum of (want - offset in cluster) */
	double start;
};

static void cluster_place(struct cluster *c, double lo, double hi)
{
	c->start = c->sum / (double)c->count;
	if (c->start + c->len > hi)
		c->start = hi - c->len;
	if (c->start < lo)
		c->start = lo;
}

bool scale_spread_labels(const double *want, const double *size, size_t n,
			 double lo, double hi, double gap, double *out)
{
	/* Clusters of labels packed `gap` apart; each cluster's start is the
	 * mean of (want - offset) over its labels, so a crowd centres on
	 * where its labels belong, clamped to the axis. Each label merges at
	 * most once, so this is O(n) apart from the allocation. */
	struct cluster *c;
	size_t nc = 0;
	double total = 0;

	if (n == 0)
		return true;
	for (size_t i = 0; i < n; i++)
		total += size[i] + (i ? gap : 0);
	c = malloc(n * sizeof *c);
	if (!c) {
		/* Fall back to packing from lo; still no overlaps. */
		double y = lo;

		for (size_t i = 0; i < n; i++) {
			out[i] = want[i] > y ? want[i] : y;
			y = out[i] + size[i] + gap;
		}
		return total <= hi - lo;
	}
	for (size_t i = 0; i < n; i++) {
		struct cluster *k = &c[nc++];

		k->first = i;
		k->count = 1;
		k->len = size[i];
		k->sum = want[i];
		cluster_place(k, lo, hi);
		while (nc > 1) {
			struct cluster *p = &c[nc - 2], *q = &c[nc - 1];
			double shift = p->len + gap;

			if (p->start + p->len + gap <= q->start + 1e-9)
				break;
			p->sum += q->sum - shift * (double)q->count;
			p->count += q->count;
			p->len += gap + q->len;
			nc--;
			cluster_place(p, lo, hi);
		}
	}
	for (size_t k = 0; k < nc; k++) {
		double y = c[k].start;

		for (size_t i = c[k].first; i < c[k].first + c[k].count; i++) {
			out[i] = y;
			y += size[i] + gap;
		}
	}
	free(c);
	return total <= hi - lo + 1e-9;
}
