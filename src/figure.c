/* figure.c — a row's figure, sums and maxima of figures, and the wording
 * forms of figure.h. The plain wording is figure_format's (data_format.c);
 * this file adds what a key figure, a compact number or money needs. */
#include "figure.h"
#include "l10n.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void figure_measure(const struct data_row *row, double *value, double *high,
		    enum qualifier *q)
{
	*value = row->value;
	*high = row->has_high ? row->high : row->value;
	*q = row->qualifier;
}

struct figure figure_of_row(const struct data_row *row)
{
	struct figure f;
	const char *unit = data_row_get(row, "unit");

	memset(&f, 0, sizeof f);
	figure_measure(row, &f.value, &f.high, &f.qual);
	f.has_high = f.high != f.value;
	f.unit = unit ? unit : "";
	f.source = row->source ? row->source : "";
	f.reported_by = row->reported_by ? row->reported_by : "";
	return f;
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

enum brief_status figure_copy(const struct figure *f, struct figure *out)
{
	char *u = dup_or_empty(f->unit), *s = dup_or_empty(f->source);
	char *r = dup_or_empty(f->reported_by);

	memset(out, 0, sizeof *out);
	if (!u || !s || !r) {
		free(u);
		free(s);
		free(r);
		return BRIEF_ENOMEM;
	}
	*out = *f;
	out->unit = u;
	out->source = s;
	out->reported_by = r;
	out->owned = true;
	return BRIEF_OK;
}

void figure_clear(struct figure *f)
{
	if (f->owned) {
		free((char *)(uintptr_t)f->unit);
		free((char *)(uintptr_t)f->source);
		free((char *)(uintptr_t)f->reported_by);
	}
	memset(f, 0, sizeof *f);
}

/* ---- combining ----------------------------------------------------- */

#define SEEN(q) (1u << (q))
#define SEEN_LOWER (SEEN(QUAL_AT_LEAST) | SEEN(QUAL_MORE_THAN))
#define SEEN_UPPER (SEEN(QUAL_NEARLY) | SEEN(QUAL_AT_MOST))

static bool is_lower(enum qualifier q)
{
	return q == QUAL_AT_LEAST || q == QUAL_MORE_THAN;
}

static bool is_upper(enum qualifier q)
{
	return q == QUAL_NEARLY || q == QUAL_AT_MOST;
}

void figure_acc_add(struct figure_acc *a, enum figure_combine how,
		    double value, double high, enum qualifier q)
{
	if (high < value)
		high = value;
	/* A range qualifier without a range is a plain figure, and a range
	 * under another qualifier keeps it ("about 5-8"). */
	if (q == QUAL_RANGE && high == value)
		q = QUAL_EXACT;
	if (high > value && q == QUAL_EXACT)
		q = QUAL_RANGE;
	if (how == FIG_MAX) {
		if (a->n == 0 || value > a->lo) {
			a->lo = value;
			a->best = q;
			a->best_lower = is_lower(q);
		}
		if (a->n == 0 || high > a->hi)
			a->hi = high;
		a->lower += is_lower(q);
	} else {
		a->lo += value;
		a->hi += high;
	}
	a->seen |= SEEN(q);
	a->n++;
}

void figure_acc_add_total(struct figure_acc *a, enum figure_combine how,
			  const struct figure_total *t)
{
	figure_acc_add(a, how, t->value, t->high,
		       t->mixed ? QUAL_AT_LEAST : t->qual);
	if (t->mixed)
		a->seen |= SEEN(QUAL_AT_MOST);
}

static struct figure_total total(double value, double high, enum qualifier q,
				 bool mixed)
{
	struct figure_total t = { value, high > value ? high : value, q, mixed };

	if (!mixed && q != QUAL_ABOUT && q != QUAL_RANGE)
		t.high = t.value; /* a bound is one number */
	return t;
}

static struct figure_total sum_total(const struct figure_acc *a)
{
	unsigned s = a->seen;

	if (s & SEEN(QUAL_ABOUT))
		return total(a->lo, a->hi, QUAL_ABOUT, false);
	if ((s & SEEN_LOWER) && (s & SEEN_UPPER))
		return total(a->lo, a->hi, QUAL_EXACT, true);
	if (s & SEEN_LOWER)
		return total(a->lo, a->lo,
			     s & SEEN(QUAL_MORE_THAN) ? QUAL_MORE_THAN
						      : QUAL_AT_LEAST,
			     false);
	if (s & SEEN_UPPER)
		return total(a->hi, a->hi,
			     s & SEEN(QUAL_AT_MOST) ? QUAL_AT_MOST : QUAL_NEARLY,
			     false);
	if (a->hi > a->lo)
		return total(a->lo, a->hi, QUAL_RANGE, false);
	return total(a->lo, a->lo, QUAL_EXACT, false);
}

static struct figure_total max_total(const struct figure_acc *a)
{
	bool other_lower = a->lower - (a->best_lower ? 1 : 0) > 0;

	if (a->seen & SEEN(QUAL_ABOUT))
		return total(a->lo, a->hi, QUAL_ABOUT, false);
	if (is_lower(a->best))
		return total(a->lo, a->lo, a->best, false);
	if (is_upper(a->best))
		return other_lower || a->hi > a->lo
			       ? total(a->lo, a->hi, QUAL_EXACT, true)
			       : total(a->lo, a->lo, a->best, false);
	if (other_lower)
		return total(a->lo, a->lo, QUAL_AT_LEAST, false);
	if (a->hi > a->lo)
		return total(a->lo, a->hi, QUAL_RANGE, false);
	return total(a->lo, a->lo, QUAL_EXACT, false);
}

struct figure_total figure_acc_total(const struct figure_acc *a,
				     enum figure_combine how)
{
	if (a->n == 0)
		return total(0, 0, QUAL_EXACT, false);
	return how == FIG_MAX ? max_total(a) : sum_total(a);
}

/* ---- wording ------------------------------------------------------- */

static const struct {
	const char *code, *symbol;
} currencies[] = {
	{ "USD", "US$" }, { "EUR", "\xE2\x82\xAC" }, { "GBP", "\xC2\xA3" },
	{ "JPY", "\xC2\xA5" }, { "CHF", "CHF " }, { "CAD", "CA$" },
	{ "AUD", "A$" }, { "NZD", "NZ$" }, { "CNY", "CN\xC2\xA5" },
	{ "INR", "\xE2\x82\xB9" }, { "RUB", "\xE2\x82\xBD" },
	{ "UAH", "\xE2\x82\xB4" }, { "TRY", "\xE2\x82\xBA" },
	{ "AMD", "AMD " }, { "AZN", "AZN " }, { "GEL", "GEL " },
	{ "SEK", "SEK " }, { "NOK", "NOK " }, { "DKK", "DKK " },
	{ "SDG", "SDG " }, { "SSP", "SSP " }, { "ETB", "ETB " },
	{ "KES", "KES " }, { "NGN", "\xE2\x82\xA6" }, { "XOF", "CFA " },
	{ "SYP", "SYP " }, { "YER", "YER " }, { "AFN", "AFN " },
	{ "MMK", "MMK " }, { "COP", "COL$" }, { "BRL", "R$" },
	{ "MXN", "MX$" }, { "ILS", "\xE2\x82\xAA" }, { "LBP", "LBP " },
};

const char *figure_currency(const char *unit)
{
	if (!unit)
		return NULL;
	for (size_t i = 0; i < sizeof currencies / sizeof *currencies; i++)
		if (strcmp(unit, currencies[i].code) == 0)
			return currencies[i].symbol;
	return NULL;
}

bool figure_form_parse(const char *s, enum figure_form *out)
{
	if (strcmp(s, "full") == 0)
		*out = FIG_FULL;
	else if (strcmp(s, "compact") == 0)
		*out = FIG_COMPACT;
	else
		return false;
	return true;
}

/* The unit as it follows a number, taken from figure_format itself so
 * units are worded in one place: "2 days" gives " days". */
static void unit_words(const char *unit, bool one, char *buf, size_t size)
{
	char tmp[128];
	size_t n;

	figure_format(one ? 1 : 2, false, 0, QUAL_EXACT, unit, tmp, sizeof tmp);
	n = strlen(tmp + 1);
	if (n >= size)
		n = size - 1;
	memcpy(buf, tmp + 1, n);
	buf[n] = '\0';
}

static const char *qualifier_words(enum qualifier q)
{
	switch (q) {
	case QUAL_ABOUT:
		return "about ";
	case QUAL_AT_LEAST:
		return "at least ";
	case QUAL_MORE_THAN:
		return "more than ";
	case QUAL_NEARLY:
		return "nearly ";
	case QUAL_AT_MOST:
		return "at most ";
	case QUAL_EXACT:
	case QUAL_RANGE:
		break;
	}
	return "";
}

/* The scale word a compact number takes, and its divisor (1: none). */
static double compact_scale(double v, const char **word)
{
	if (fabs(v) >= 1e9) {
		*word = " billion";
		return 1e9;
	}
	if (fabs(v) >= 1e6) {
		*word = " million";
		return 1e6;
	}
	*word = "";
	return 1;
}

/* l10n_compact_digits with thousands separators ("1,200"). */
static void compact_digits(double v, double scale, char *buf, size_t size)
{
	char t[64];

	number_format(v / scale, l10n_compact_digits(v, scale, t, sizeof t),
		      buf, size);
}

/* A number in the style's form; money keeps two decimals when it has a
 * fraction. */
static void number_words(double v, double scale, bool money, char *buf,
			 size_t size)
{
	if (scale > 1) {
		compact_digits(v, scale, buf, size);
		return;
	}
	number_format(v, money && fabs(v - round(v)) > 1e-9 ? 2 : -1, buf,
		      size);
}

char *figure_words(const struct figure *f, const struct figure_style *style,
		   char *buf, size_t size)
{
	static const struct figure_style plain = { FIG_FULL, false };
	const char *money = figure_currency(f->unit);
	bool range = f->has_high && f->high > f->value;
	const char *word = "", *pre;
	double scale = 1;
	char a[64], b[64], u[96];
	bool plus;

	if (!style)
		style = &plain;
	if (style->form == FIG_COMPACT)
		scale = compact_scale(range ? f->high : f->value, &word);
	if (!money && scale == 1 && !style->plus)
		return figure_format(f->value, f->has_high, f->high, f->qual,
				     f->unit, buf, size);
	/* "8,000+" reads well; "3.8 million+" does not: words then. */
	plus = style->plus && is_lower(f->qual) && !range && scale == 1;
	if (l10n_active()) {
		/* The catalogue's words: "50 000+ personnes", "3,8 млн". */
		struct l10n_form form = {scale, money, plus};

		return l10n_figure_in(l10n_active(), f->value, range, f->high,
				      f->qual, f->unit, &form, buf, size);
	}
	pre = plus ? "" : qualifier_words(f->qual);
	u[0] = '\0';
	if (!money)
		unit_words(f->unit, !range && f->value == 1.0 && scale == 1, u,
			   sizeof u);
	number_words(f->value, scale, money != NULL, a, sizeof a);
	if (range) {
		number_words(f->high, scale, money != NULL, b, sizeof b);
		snprintf(buf, size, "%s%s%s\xE2\x80\x93%s%s%s", pre,
			 money ? money : "", a, b, word, u);
	} else {
		snprintf(buf, size, "%s%s%s%s%s%s", pre, money ? money : "", a,
			 word, plus ? "+" : "", u);
	}
	return buf;
}

char *figure_total_words(const struct figure_total *t, const char *unit,
			 const struct figure_style *style, char *buf,
			 size_t size)
{
	struct figure f;

	memset(&f, 0, sizeof f);
	f.value = t->value;
	f.high = t->high;
	f.has_high = t->high > t->value;
	f.qual = t->mixed ? QUAL_EXACT : t->qual;
	f.unit = unit ? unit : "";
	figure_words(&f, style, buf, size);
	if (t->mixed) {
		char words[256];

		snprintf(words, sizeof words, "%s", buf);
		return l10n_say(l10n_active(), L10N_MIXED, "{n} (mixed bounds)",
				buf, size, words);
	}
	return buf;
}

/* ---- repeated words before a reference ------------------------------- */

/* The last word of s (letters only), if s ends in a space after it. */
static size_t last_word(const char *s, const char **w)
{
	size_t n = strlen(s), e;

	if (n == 0 || s[n - 1] != ' ')
		return 0;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	e = n;
	while (n > 0 && ((s[n - 1] >= 'a' && s[n - 1] <= 'z') ||
			 (s[n - 1] >= 'A' && s[n - 1] <= 'Z')))
		n--;
	*w = s + n;
	return e - n;
}

static bool is_range_words(const char *words)
{
	const char *d = strstr(words, "\xE2\x80\x93");

	return d && d > words && d[-1] >= '0' && d[-1] <= '9' &&
	       d[3] >= '0' && d[3] <= '9';
}

/* English words that hedge or bound the number after them ("some 120",
 * "more than 4,000"): before a figure that already carries its own
 * qualifier they qualify it twice ("some about 120"). */
static bool is_hedge_word(const char *w, size_t n)
{
	static const char *const hedge[] = {
		"some",	   "around", "roughly", "approximately", "about",
		"nearly",  "almost", "over",	"under",	 "above",
		"below",   "circa",  "estimated", "perhaps",	 "maybe",
		"than",	   "least",  "most",	"possibly",	 "likely",
		NULL};

	for (size_t i = 0; hedge[i]; i++)
		if (strlen(hedge[i]) == n && strncasecmp(w, hedge[i], n) == 0)
			return true;
	return false;
}

bool figure_words_repeat(const char *before, const char *words, char *msg,
			 size_t size)
{
	const char *digit = words, *lw = NULL;
	size_t q, n = strlen(before), lwn = last_word(before, &lw);
	size_t fw = 0;

	while (*digit && !(*digit >= '0' && *digit <= '9'))
		digit++;
	q = (size_t)(digit - words); /* "about " */
	while (fw < q && words[fw] != ' ')
		fw++;
	/* "at least {{x}}" where x reads "at least 4,000". */
	if (q && n >= q && strncasecmp(before + n - q, words, q) == 0 &&
	    (n == q || before[n - q - 1] == ' ')) {
		snprintf(msg, size,
			 "the figure already reads '%s': '%.*s' is said twice",
			 words, (int)(q - 1), words);
		return true;
	}
	/* "at {{x}}" where x reads "at least 4,000". */
	if (lwn && fw && fw < q && lwn == fw &&
	    strncasecmp(lw, words, fw) == 0) {
		snprintf(msg, size,
			 "the figure already reads '%s': '%.*s' is said twice",
			 words, (int)fw, words);
		return true;
	}
	/* "some {{x}}" where x reads "about 120". */
	if (lwn && q && is_hedge_word(lw, lwn)) {
		snprintf(msg, size,
			 "the figure already reads '%s': '%.*s %s' qualifies "
			 "it twice; drop '%.*s'",
			 words, (int)lwn, lw, words, (int)lwn, lw);
		return true;
	}
	/* "between {{x}}" where x reads "12,000-15,000". */
	if (lwn && is_range_words(words) &&
	    ((lwn == 7 && strncasecmp(lw, "between", 7) == 0) ||
	     (lwn == 4 && strncasecmp(lw, "from", 4) == 0))) {
		snprintf(msg, size,
			 "the figure is a range ('%s'): '%.*s %s' reads "
			 "badly; write the range alone",
			 words, (int)lwn, lw, words);
		return true;
	}
	return false;
}
