/* chart_text.c — what a chart says in words: value and mark labels, the
 * x labels, the source line, the alt text, the value axis title, and the
 * walk over every printed name (chart_each_text). */
#include "chart_impl.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "l10n.h"
#include "map.h"

/* ---- labels ------------------------------------------------------------ */

char *chart_value_label(const struct chart *c, double v, double high,
			unsigned flags, char *buf, size_t size)
{
	char a[48], z[48];
	const char *pct = c->percent ? "%" : "";
	const char *about = flags & MF_ABOUT ? "~" : "";
	double step = fabs(v - round(v)) > 1e-9 ? 0.1 : 1;

	scale_format_number(v, step, a, sizeof a);
	if (l10n_active()) {
		const struct l10n *l = l10n_active();
		enum l10n_msg m = flags & MF_MIXED ? L10N_MIXED
				  : (flags & MF_RANGE) && high > v ? L10N_VALUE_RANGE
				  : flags & MF_LOWER ? (flags & MF_STRICT
							     ? L10N_VALUE_MORE_THAN
							     : L10N_VALUE_AT_LEAST)
				  : flags & MF_UPPER ? (flags & MF_STRICT
							     ? L10N_VALUE_LESS_THAN
							     : L10N_VALUE_UP_TO)
				  : flags & MF_ABOUT ? L10N_VALUE_ABOUT
						     : L10N_MSG_COUNT;
		char pa[64], pz[64];

		/* The language's percent ("12,5 %") around each number. */
		if (c->percent) {
			l10n_percent(l, v, step < 1 ? 1 : 0, pa, sizeof pa);
			l10n_percent(l, high, step < 1 ? 1 : 0, pz, sizeof pz);
		} else {
			snprintf(pa, sizeof pa, "%s", a);
			scale_format_number(high, step, pz, sizeof pz);
		}
		if (m == L10N_MSG_COUNT)
			snprintf(buf, size, "%s", pa);
		else
			l10n_format(l, m, buf, size, pa, pz);
		return buf;
	}
	if (flags & MF_MIXED) {
		snprintf(buf, size, "%s%s (mixed bounds)", a, pct);
	} else if ((flags & MF_RANGE) && high > v) {
		scale_format_number(high, step, z, sizeof z);
		snprintf(buf, size, "%s%s\u2013%s%s", about, a, z, pct);
	} else if (flags & MF_LOWER) {
		if (flags & MF_STRICT)
			snprintf(buf, size, ">%s%s", a, pct);
		else
			snprintf(buf, size, "%s%s+", a, pct);
	} else if (flags & MF_UPPER) {
		if (flags & MF_STRICT)
			snprintf(buf, size, "<%s%s", a, pct);
		else
			snprintf(buf, size, "up to %s%s", a, pct);
	} else {
		snprintf(buf, size, "%s%s%s", about, a, pct);
	}
	return buf;
}

char *chart_per(const char *series, const char *who, char *buf, size_t size)
{
	const struct l10n *l = l10n_active();

	if (l && *series)
		return l10n_format(l, L10N_CHART_PER, buf, size, series, who);
	if (l)
		return l10n_format(l, L10N_CHART_PER_ALONE, buf, size, who);
	snprintf(buf, size, *series ? "%s (per %s)" : "%sper %s", series, who);
	return buf;
}

static bool claimants_are_series(const struct chart *c)
{
	return c->group_col && strcmp(c->group_col, "reported_by") == 0;
}

char *chart_mark_label(const struct chart *c, const struct bucket *b,
		       char *buf, size_t size)
{
	char v[96];

	chart_value_label(c, b->value, b->high, b->flags, v, sizeof v);
	if (b->nclaims > 1 && !claimants_are_series(c) &&
	    (size_t)b->claimant < c->claims.n)
		chart_per(v, c->claims.s[b->claimant], buf, size);
	else
		snprintf(buf, size, "%s", v);
	return buf;
}

char *chart_mark_name(const struct chart *c, int series, int claimant,
		      bool show_claimant, char *buf, size_t size)
{
	const char *s = c->series.n ? chart_vocab(c, c->group_col,
						  c->series.s[series])
				    : "";
	const char *who = c->claims.n && claimant >= 0 &&
				  (size_t)claimant < c->claims.n
			  ? c->claims.s[claimant]
			  : "";

	if (show_claimant && *who && !claimants_are_series(c))
		chart_per(s, who, buf, size);
	else
		snprintf(buf, size, "%s", s);
	return buf;
}

const char *chart_vocab(const struct chart *c, const char *col,
			const char *value)
{
	static const char *const fam[][2] = {
		{"category", "vocab.category"},
		{"population", "vocab.population"},
		{"qualifier", "vocab.qualifier"}};

	if (!l10n_active() || !col)
		return value;
	if (strcmp(col, "kind") == 0)
		return l10n_word(l10n_active(),
				 c->ds == DS_EVENTS ? "vocab.event_kind"
						    : "vocab.kind",
				 value);
	for (size_t i = 0; i < sizeof fam / sizeof *fam; i++)
		if (strcmp(col, fam[i][0]) == 0)
			return l10n_word(l10n_active(), fam[i][1], value);
	return value;
}

char *chart_x_label(const struct chart *c, long x, char *buf, size_t size)
{
	int y, m, d;

	if (!c->x_date) {
		snprintf(buf, size, "%s",
			 x >= 0 && (size_t)x < c->xcat.n
				 ? chart_vocab(c, c->x_col, c->xcat.s[x])
				 : "");
		return buf;
	}
	ymd_from_days(x, &y, &m, &d);
	switch (c->spec->bucket) {
	case BUCKET_YEAR:
		snprintf(buf, size, "%d", y);
		break;
	case BUCKET_MONTH:
		snprintf(buf, size, "%s %d", date_month_abbr(m), y);
		break;
	default:
		snprintf(buf, size, "%d %s %d", d, date_month_abbr(m), y);
		break;
	}
	return buf;
}

char *chart_tick_label(const struct chart *c, double v, double step,
		       char *buf, size_t size)
{
	size_t n;

	if (size < 2)
		return scale_format_number(v, step, buf, size);
	/* One byte kept back for the percent sign. */
	scale_format_number(v, step, buf, size - 1);
	n = strlen(buf);
	if (c->percent) {
		buf[n] = '%';
		buf[n + 1] = '\0';
	}
	return buf;
}

enum brief_status chart_check_range(const struct chart *c, double vmax,
				    struct diag *err)
{
	/* Headroom and tick rounding at most double the top value. */
	if (isfinite(vmax * 2.5))
		return BRIEF_OK;
	return diag_set(err, BRIEF_EDATA, c->spec->file, c->spec->at.line,
			c->spec->at.col,
			"chart '%s': values too large to plot (%g)", c->spec->id,
			vmax);
}

/* ---- colours ------------------------------------------------------------ */

struct rgba chart_series_color(const struct chart *c, int series,
			       int *pattern)
{
	const char *name = c->series.n ? c->series.s[series] : "";

	if (!*name) {
		/* One unnamed series: the palette's first colour. */
		if (pattern)
			*pattern = 0;
		return palette_color(NULL, NULL, NULL, NULL);
	}
	return palette_color(c->palette, c->group_col, name, pattern);
}

struct rgba chart_series_line_color(const struct chart *c, int series,
				    int *pattern)
{
	return palette_line_color(chart_series_color(c, series, pattern));
}

struct rgba chart_text_on(struct rgba col)
{
	double lum = 0.2126 * col.r + 0.7152 * col.g + 0.0722 * col.b;

	return lum > 0.5 ? chart_ink : chart_white;
}

/* ---- source line, axis title, alt text ---------------------------------- */

/* Numbered sources first, by number; the others keep their order. */
static void cite_order(size_t *order, size_t n, const int *cite)
{
	for (size_t i = 0; i < n; i++) {
		int ci = cite && cite[i] > 0 ? cite[i] : INT_MAX;
		size_t k = i;

		for (; k > 0; k--) {
			int co = cite && cite[order[k - 1]] > 0
					 ? cite[order[k - 1]]
					 : INT_MAX;

			if (co <= ci)
				break;
			order[k] = order[k - 1];
		}
		order[k] = i;
	}
}

/* A source's printed name. */
static const char *listed_name(const struct strtab *srcs,
			       const struct sources *sources, size_t k)
{
	const struct source *src =
		sources ? sources_find(sources, srcs->s[k]) : NULL;

	return src ? source_display_name(src) : srcs->s[k];
}

void chart_source_list(struct buf *b, const struct strtab *srcs,
		       const int *cite, const struct sources *sources)
{
	size_t *order, n = 0;

	if (srcs->n == 0)
		return;
	order = malloc(srcs->n * sizeof *order);
	if (!order) {
		b->st = b->st ? b->st : BRIEF_ENOMEM;
		return;
	}
	cite_order(order, srcs->n, cite);
	/* Without numbers (an export, a chart outside a briefing) two
	 * sources of one publisher read as one name. */
	for (size_t i = 0; i < srcs->n; i++) {
		size_t k = order[i];
		bool numbered = cite && cite[k] > 0, same = false;

		for (size_t j = 0; j < n && !numbered && !same; j++)
			same = strcmp(listed_name(srcs, sources, k),
				      listed_name(srcs, sources, order[j])) == 0;
		if (!same)
			order[n++] = k;
	}
	{
		struct buf names = BUF_INIT(0);
		const struct l10n *l = l10n_active();
		char *list;

		for (size_t i = 0; i < n; i++) {
			size_t k = order[i];

			if (i)
				buf_puts(&names, l10n_text_or(
							 l, L10N_LIST_SEPARATOR, "; "));
			if (cite && cite[k] > 0)
				buf_printf(&names, "[%d] ", cite[k]);
			buf_puts(&names, listed_name(srcs, sources, k));
		}
		list = buf_take(&names);
		if (!list)
			b->st = b->st ? b->st : BRIEF_ENOMEM;
		else if (l) {
			/* The catalogue's sentence ends with its own stop:
			 * the caller adds one, so it is dropped here. */
			size_t need = strlen(list) + 256;
			char *s = malloc(need);

			if (!s)
				b->st = b->st ? b->st : BRIEF_ENOMEM;
			else {
				size_t e;

				l10n_format(l, n == 1 ? L10N_CHART_SOURCE
						      : L10N_CHART_SOURCES,
					    s, need, list);
				e = strlen(s);
				if (e && s[e - 1] == '.')
					s[e - 1] = '\0';
				buf_puts(b, s);
				free(s);
			}
		} else {
			buf_puts(b, n == 1 ? "Source: " : "Sources: ");
			buf_puts(b, list);
		}
		free(list);
	}
	free(order);
}

int *chart_cite_numbers(const struct strtab *srcs, chart_cite_fn cite,
			void *ctx)
{
	int *v = calloc(srcs->n + 1, sizeof *v);

	for (size_t i = 0; v && i < srcs->n; i++) {
		v[i] = cite(ctx, srcs->s[i]);
		if (v[i] < 0) { /* out of memory */
			free(v);
			return NULL;
		}
	}
	return v;
}

bool chart_make_source_line(struct chart *c)
{
	struct buf b = BUF_INIT(0);
	char *s;

	if (c->srcs.n)
		chart_source_list(&b, &c->srcs, c->cite, c->sources);
	else if (l10n_active()) {
		char t[256];

		l10n_format(l10n_active(), L10N_CHART_SOURCES, t, sizeof t,
			    l10n_text(l10n_active(), L10N_CHART_NONE_GIVEN));
		if (*t && t[strlen(t) - 1] == '.')
			t[strlen(t) - 1] = '\0';
		buf_puts(&b, t);
	} else
		buf_puts(&b, "Sources: none given");
	buf_puts(&b, ".");
	s = buf_take(&b);
	if (!s)
		return false;
	free(c->source_line);
	c->source_line = s;
	return true;
}

static const char *const type_words[] = { "Bar chart", "Stacked bar chart",
					  "Line chart", "Step chart",
					  "Timeline", "Map" };
/* Their names in the catalogue's family chart.type. */
static const char *const type_keys[] = { "bar", "stacked_bar", "line",
					 "step", "timeline", "map" };

void chart_say(struct buf *b, enum l10n_msg m, const char *english,
	       const char *x, const char *y, const char *z)
{
	/* Room for the pattern (catalogue messages are short) with each
	 * value in it up to twice: a long list of areas is never cut. */
	size_t need = 1024 + 2 * ((x ? strlen(x) : 0) + (y ? strlen(y) : 0) +
				  (z ? strlen(z) : 0));
	char *t = malloc(need);

	if (!t) {
		b->st = b->st ? b->st : BRIEF_ENOMEM;
		return;
	}
	buf_puts(b, l10n_say(l10n_active(), m, english, t, need, x, y, z));
	free(t);
}

const char *chart_list_separator(void)
{
	return l10n_text_or(l10n_active(), L10N_LIST_SEPARATOR, "; ");
}

static void alt_events(const struct chart *c, struct buf *b)
{
	char d1[64], d2[64], n[32];
	struct date a = c->ev[0].date, z = c->ev[c->nev - 1].date;

	date_format_long(&a, d1, sizeof d1);
	date_format_long(&z, d2, sizeof d2);
	buf_puts(b, " ");
	snprintf(n, sizeof n, "%zu", c->nev);
	chart_say(b, L10N_ALT_EVENTS,
		c->nev == 1 ? "{count} event from {from} to {to}:"
			    : "{count} events from {from} to {to}:",
		n, d1, d2);
	for (size_t i = 0; i < c->nev; i++) {
		buf_puts(b, i ? chart_list_separator() : " ");
		chart_say(b, L10N_ALT_EVENT, "{date}, {title}",
			date_format_long(&c->ev[i].date, d1, sizeof d1),
			c->ev[i].title, NULL);
	}
	buf_puts(b, ".");
}

/* A column's name as the alt text says it, in a filter ("category") or
 * after "by" (by: Russian "по" takes the dative). */
static const char *alt_column(const char *col, bool by)
{
	const char *family = by ? "chart.alt.by_columns" : "chart.alt.columns";

	return l10n_active() ? l10n_word(l10n_active(), family, col) : col;
}

static void alt_filters(const struct chart *c, struct buf *b)
{
	const struct chart_spec *s = c->spec;

	if (!s->nfilters)
		return;
	buf_puts(b, " (");
	for (size_t i = 0; i < s->nfilters; i++) {
		struct buf v = BUF_INIT(0);
		char *values;
		const char *col = s->filters[i].column;

		for (size_t j = 0; j < s->filters[i].nvalues; j++) {
			if (j)
				buf_puts(&v, l10n_text_or(l10n_active(),
							  L10N_ALT_OR, " or "));
			buf_puts(&v, chart_vocab(c, col,
						 s->filters[i].values[j]));
		}
		values = buf_take(&v);
		if (!values) {
			b->st = b->st ? b->st : BRIEF_ENOMEM;
			return;
		}
		if (i)
			buf_puts(b, chart_list_separator());
		chart_say(b, L10N_ALT_FILTER, "{column}: {values}",
			alt_column(col, false), values, NULL);
		free(values);
	}
	buf_puts(b, ")");
}

/* The marks themselves, in axis order, up to a readable number. */
static void alt_marks(const struct chart *c, struct buf *b)
{
	size_t shown = c->nb < 12 ? c->nb : 12;

	for (size_t i = 0; i < shown; i++) {
		const struct bucket *m = &c->b[c->bymark[i]];
		char x[64], name[200], v[96];

		chart_x_label(c, m->x, x, sizeof x);
		chart_mark_name(c, m->series, m->claimant, true, name,
				sizeof name);
		chart_value_label(c, m->value, m->high, m->flags, v, sizeof v);
		buf_puts(b, " ");
		if (*name)
			chart_say(b, L10N_ALT_MARK, "{x}, {name}: {value}.", x,
				name, v);
		else
			chart_say(b, L10N_ALT_MARK_PLAIN, "{x}: {value}.", x, v,
				NULL);
	}
	if (c->nb > 12) {
		char n[32];

		snprintf(n, sizeof n, "%zu", c->nb);
		buf_puts(b, " ");
		chart_say(b, L10N_ALT_MARKS, "{count} marks in all.", n, NULL,
			NULL);
	}
}

bool chart_make_alt_text(struct chart *c)
{
	const struct chart_spec *s = c->spec;
	struct buf b = BUF_INIT(0);
	const char *type = l10n_active()
				   ? l10n_word(l10n_active(), "chart.type",
					       type_keys[s->type])
				   : type_words[s->type];
	char d1[64];

	if (s->description) {
		c->alt = strdup(s->description);
		return c->alt != NULL;
	}
	if (s->title)
		chart_say(&b, L10N_ALT_TITLE, "{type}: {title}.", type,
			  s->title,
			NULL);
	else
		buf_printf(&b, "%s.", type);
	if (s->type == CHART_TIMELINE) {
		alt_events(c, &b);
	} else {
		buf_puts(&b, " ");
		if (c->group_col)
			chart_say(&b, L10N_ALT_BY_AND, "{y} by {x} and {group}",
				c->y_label, alt_column(c->x_col, true),
				alt_column(c->group_col, true));
		else
			chart_say(&b, L10N_ALT_BY, "{y} by {x}", c->y_label,
				alt_column(c->x_col, true), NULL);
		alt_filters(c, &b);
		buf_puts(&b, ".");
		alt_marks(c, &b);
	}
	if (c->as_of.year) {
		date_format_long(&c->as_of, d1, sizeof d1);
		buf_puts(&b, " ");
		chart_say(&b, L10N_CHART_DATA_AS_OF, "Data as of {date}.", d1,
			NULL, NULL);
	}
	c->alt = buf_take(&b);
	return c->alt != NULL;
}

bool chart_make_y_label(struct chart *c)
{
	const struct chart_spec *s = c->spec;
	const struct l10n *l = l10n_active();
	const char *label = l10n_text_or(l, L10N_Y_VALUE, "Value");
	char buf[200];

	if (s->y_label) {
		label = s->y_label;
	} else if (c->ymode == Y_COUNT) {
		label = c->ds == DS_EVENTS
				? l10n_text_or(l, L10N_Y_EVENTS, "Events")
				: l10n_text_or(l, L10N_Y_ROWS, "Rows");
	} else if (c->units.n == 1 && *c->units.s[0]) {
		const char *u = c->units.s[0];

		label = strcmp(u, "percent") == 0 ? "%"
			: strcmp(u, "km2") == 0	  ? "km²"
						  : u;
	} else if (c->ds == DS_CASUALTIES || c->ds == DS_DISPLACEMENT) {
		const char *cat = NULL;

		for (size_t i = 0; i < s->nfilters; i++)
			if (strcmp(s->filters[i].column, "category") == 0 &&
			    s->filters[i].nvalues == 1)
				cat = s->filters[i].values[0];
		static const struct {
			const char *cat;
			enum l10n_msg m;
		} ys[] = {{"killed", L10N_Y_PEOPLE_KILLED},
			  {"wounded", L10N_Y_PEOPLE_WOUNDED},
			  {"missing", L10N_Y_PEOPLE_MISSING},
			  {"captured", L10N_Y_PEOPLE_CAPTURED}};

		if (c->ds == DS_DISPLACEMENT)
			label = l10n_text_or(l, L10N_Y_PEOPLE_DISPLACED,
					     "People displaced");
		else if (cat) {
			snprintf(buf, sizeof buf, "People %s", cat);
			label = buf;
			for (size_t i = 0; l && i < sizeof ys / sizeof *ys; i++)
				if (strcmp(cat, ys[i].cat) == 0)
					label = l10n_text(l, ys[i].m);
		} else {
			label = l10n_text_or(l, L10N_Y_PEOPLE, "People");
		}
	}
	c->y_label = strdup(label);
	return c->y_label != NULL;
}

const char *chart_source_line(const struct chart *c)
{
	if (c && c->map)
		return map_source_line(c->map);
	return c && c->source_line ? c->source_line : "";
}

const char *chart_alt_text(const struct chart *c)
{
	if (c && c->map)
		return map_alt_text(c->map);
	return c && c->alt ? c->alt : "";
}

/* ---- every printed name, with where it came from ------------------------ */

enum brief_status chart_each_text(const struct chart *c, chart_text_fn fn,
				  void *ctx, struct diag *err)
{
	const struct chart_spec *s = c->spec;
	const char *spec_text[] = {s->title, s->subtitle, s->note, s->y_label};
	struct text_origin at = {s->file, s->at.line, s->at.col};
	enum brief_status st = BRIEF_OK;

	if (c->map)
		return map_each_text(c->map, fn, ctx, err);

	for (size_t i = 0; i < sizeof spec_text / sizeof *spec_text; i++)
		if (spec_text[i] && (st = fn(ctx, spec_text[i], &at, err)))
			return st;
	if ((st = strtab_each(&c->xcat, c->data_file, fn, ctx, err)) ||
	    (st = strtab_each(&c->series, c->data_file, fn, ctx, err)) ||
	    (st = strtab_each(&c->claims, c->data_file, fn, ctx, err)) ||
	    (st = strtab_each(&c->units, c->data_file, fn, ctx, err)))
		return st;
	for (size_t i = 0; i < c->nev; i++) {
		struct text_origin ev = {c->data_file, c->ev[i].line,
					 c->ev[i].col};

		if ((st = fn(ctx, c->ev[i].title, &ev, err)))
			return st;
	}
	return BRIEF_OK;
}
