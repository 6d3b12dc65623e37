/* figure.h — one figure of a dataset row (value, range, qualifier, unit,
 * who reports it), how figures combine under sum and max, and the wording
 * forms beyond figure_format: key-figure "8,000+", compact "3.8 million",
 * money "US$180 million". The data layer's one struct for a figure. */
#ifndef BRIEF_FIGURE_H
#define BRIEF_FIGURE_H

#include <stdbool.h>
#include <stddef.h>

#include "data.h"

/* A figure. Strings borrowed from the row by figure_of_row (valid during
 * the row callback), or owned after figure_copy (free with figure_clear);
 * never NULL. */
struct figure {
	double value, high; /* high == value unless a range */
	bool has_high;
	enum qualifier qual;
	const char *unit, *source, *reported_by;
	bool owned;
};

/* The figure of a validated row (borrowed strings). */
struct figure figure_of_row(const struct data_row *row);
/* The measure of figure_of_row alone (value, high: value when the row
 * has no other, qualifier), for a consumer that adds up many rows. */
void figure_measure(const struct data_row *row, double *value, double *high,
		    enum qualifier *q);
/* An owning copy of f; BRIEF_ENOMEM leaves *out cleared. */
enum brief_status figure_copy(const struct figure *f, struct figure *out);
void figure_clear(struct figure *f); /* frees owned strings, zeroes f */

/* ---- combining figures --------------------------------------------- */

/* What a combination of figures says about the true total (or maximum):
 * a qualifier as for one figure, or `mixed` when lower and upper bounds
 * were combined and no single bound holds. */
struct figure_total {
	double value, high; /* high > value: a range */
	enum qualifier qual;
	bool mixed;
};

enum figure_combine { FIG_SUM, FIG_MAX };

/* An accumulator for figure_acc_add; zero it to start. */
struct figure_acc {
	double lo, hi; /* sum (or largest) of values, and of highs */
	long n;
	unsigned seen;       /* 1 << qualifier of every figure added */
	enum qualifier best; /* max: qualifier of the largest figure */
	bool best_lower;     /* max: the largest figure is a lower bound */
	long lower;          /* max: figures that are lower bounds */
};

/* Add one figure (value, high, qualifier) to the sum or the maximum. The
 * rules (docs/charts.md, "Sums and maxima"): any "about" makes the result
 * "about"; exact with lower bounds (at least, more than) is a lower bound,
 * "more than" when one of them is; exact with upper bounds (nearly, at
 * most) is an upper bound, "nearly" only when every one is; lower and
 * upper bounds together are `mixed`; ranges add end to end. Under max the
 * largest figure decides, opened upwards when another figure is a lower
 * bound (exact becomes "at least", an upper bound becomes mixed). */
void figure_acc_add(struct figure_acc *a, enum figure_combine how,
		    double value, double high, enum qualifier q);
/* A result added as one figure (a stack's total of its parts' maxima). */
void figure_acc_add_total(struct figure_acc *a, enum figure_combine how,
			  const struct figure_total *t);
struct figure_total figure_acc_total(const struct figure_acc *a,
				     enum figure_combine how);

/* ---- wording ------------------------------------------------------- */

enum figure_form {
	FIG_FULL,    /* "310,000", "more than 8,000 people" (figure_format) */
	FIG_COMPACT  /* "3.8 million", "US$1.25 billion"; below a million as full */
};

struct figure_style {
	enum figure_form form;
	/* Key-figure style: lower bounds as "8,000+ people" / "20+%" rather
	 * than "more than 8,000 people". */
	bool plus;
};

/* The figure in words (qualifier, number or range, unit). A unit that is
 * an ISO 4217 currency code (USD, EUR, GBP, ...) is money: its symbol
 * goes before the number ("US$180 million", "€2.50"), and a fractional
 * amount keeps two decimals. Writes into buf, returns buf. */
char *figure_words(const struct figure *f, const struct figure_style *style,
		   char *buf, size_t size);
/* A combined figure in words (mixed: the stated values' sum and
 * "(mixed bounds)"). */
char *figure_total_words(const struct figure_total *t, const char *unit,
			 const struct figure_style *style, char *buf,
			 size_t size);
/* "figure_form" names for a layout's `format:` key: "full", "compact".
 * false when unknown. */
bool figure_form_parse(const char *s, enum figure_form *out);
/* The symbol of a currency unit ("US$" for USD), or NULL if unit is not
 * money. */
const char *figure_currency(const char *unit);

/* Whether the text just before a figure reference repeats what the
 * worded figure already says: "about {{x}}" where x reads "about 120",
 * "at {{x}}" where it reads "at least 4,000", "some {{x}}" (or another
 * English hedge: around, roughly, nearly, over, ...) where it carries a
 * qualifier of its own, "between {{x}}" or "from {{x}}" where it is a
 * range. On true, msg says what and why. */
bool figure_words_repeat(const char *before, const char *words, char *msg,
			 size_t size);

#endif
