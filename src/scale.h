/* scale.h — chart axes: nice numeric ticks, date ticks from days to a
 * century, tick labels, and 1-D label spreading without overlaps. */
#ifndef BRIEF_SCALE_H
#define BRIEF_SCALE_H

#include <stdbool.h>
#include <stddef.h>

#define SCALE_MAX_TICKS 32

/* Ticks at multiples of step (1, 2, 2.5 or 5 times a power of ten). */
struct ticks {
	double v[SCALE_MAX_TICKS];
	size_t n;
	double step;
};

/* Nice ticks from at or below lo to at or above hi, at most max_ticks of
 * them (2..SCALE_MAX_TICKS). lo == hi gives a unit range around it. */
void scale_nice_ticks(double lo, double hi, int max_ticks, struct ticks *out);

/* A tick value with thousands separators and as many decimals as step
 * needs ("12,500", "0.25"). Returns buf. */
char *scale_format_number(double v, double step, char *buf, size_t size);

enum date_unit { DATE_UNIT_DAY, DATE_UNIT_MONTH, DATE_UNIT_YEAR };

struct date_tick {
	long day;      /* days since 1970-01-01 */
	char label[24];
};

/* Ticks on a date axis: whole days, months or years, every `step` of
 * them, chosen so at most max_ticks fall within [first, last]. */
struct date_ticks {
	struct date_tick v[SCALE_MAX_TICKS];
	size_t n;
	enum date_unit unit;
	int step;
};

void scale_date_ticks(long first, long last, int max_ticks,
		      struct date_ticks *out);

/* Place n labels of extent size[i] along an axis, each as close as it can
 * be to its wanted start want[i] (sorted ascending), keeping order, at
 * least `gap` apart and inside [lo, hi]. Overlapping labels are moved as
 * clusters centred on their wanted positions. Writes the starts to out.
 * Returns false (and still writes a placement that starts at lo) when the
 * labels cannot fit in hi - lo. */
bool scale_spread_labels(const double *want, const double *size, size_t n,
			 double lo, double hi, double gap, double *out);

#endif
