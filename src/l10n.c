/* l10n.c — catalogues of generated text, numbers and dates (l10n.h). */
#include "l10n.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicase.h>
#include <unistr.h>
#include <yaml.h>

/* A catalogue is a short file of UI strings; anything larger is a
 * mistake. */
#define L10N_MAX_FILE (1u << 20)
#define L10N_MAX_DEPTH 8

/* ---- the keys the program needs --------------------------------------- */

enum ent_kind { ENT_TEXT, ENT_LIST, ENT_PLURAL };

struct msg_def {
	const char *key;
	const char *args; /* placeholder names in argument order, ',' between */
	bool plural;
};

static const struct msg_def msgs[L10N_MSG_COUNT] = {
	[L10N_SOURCES] = {"text.sources", "", false},
	[L10N_DATA_AS_OF] = {"text.data_as_of", "date", false},
	[L10N_PAGE_OF] = {"text.page_of", "page,pages", false},
	[L10N_DISCLAIMER] = {"text.disclaimer", "", false},
	[L10N_UNTITLED] = {"bib.untitled", "", false},
	[L10N_IN_LANGUAGE] = {"bib.in_language", "language", false},
	[L10N_ACCESSED] = {"bib.accessed", "date", false},
	[L10N_TABLE_SOURCES] = {"table.sources", "", false},
	[L10N_CONTESTED_QUANTITY] = {"table.contested.quantity", "", false},
	[L10N_CONTESTED_CLAIMED_BY] = {"table.contested.claimed_by", "", false},
	[L10N_CONTESTED_FIGURE] = {"table.contested.figure", "", false},
	[L10N_CONTESTED_SOURCE] = {"table.contested.source", "", false},
	[L10N_CONTESTED_NONE] = {"table.contested.none", "", false},
	[L10N_CHART_SOURCE] = {"chart.source", "sources", false},
	[L10N_CHART_SOURCES] = {"chart.sources", "sources", false},
	[L10N_CHART_NONE_GIVEN] = {"chart.none_given", "", false},
	[L10N_LIST_SEPARATOR] = {"chart.list_separator", "", false},
	[L10N_CHART_DATA_AS_OF] = {"chart.data_as_of", "date", false},
	[L10N_CHART_QUALIFIER_KEY] = {"chart.qualifier_key", "", false},
	[L10N_CHART_PER] = {"chart.per", "series,claimant", false},
	[L10N_CHART_PER_ALONE] = {"chart.per_alone", "claimant", false},
	[L10N_ALT_BY] = {"chart.alt.by", "y,x", false},
	[L10N_ALT_BY_AND] = {"chart.alt.by_and", "y,x,group", false},
	[L10N_ALT_OR] = {"chart.alt.or", "", false},
	[L10N_ALT_EVENTS] = {"chart.alt.events", "count,from,to", true},
	[L10N_ALT_MARKS] = {"chart.alt.marks", "count", true},
	[L10N_Y_VALUE] = {"chart.y.value", "", false},
	[L10N_Y_EVENTS] = {"chart.y.events", "", false},
	[L10N_Y_ROWS] = {"chart.y.rows", "", false},
	[L10N_Y_PEOPLE] = {"chart.y.people", "", false},
	[L10N_Y_PEOPLE_DISPLACED] = {"chart.y.people_displaced", "", false},
	[L10N_Y_PEOPLE_KILLED] = {"chart.y.people_killed", "", false},
	[L10N_Y_PEOPLE_WOUNDED] = {"chart.y.people_wounded", "", false},
	[L10N_Y_PEOPLE_MISSING] = {"chart.y.people_missing", "", false},
	[L10N_Y_PEOPLE_CAPTURED] = {"chart.y.people_captured", "", false},
	[L10N_VALUE_ABOUT] = {"chart.value.about", "n", false},
	[L10N_VALUE_MORE_THAN] = {"chart.value.more_than", "n", false},
	[L10N_VALUE_AT_LEAST] = {"chart.value.at_least", "n", false},
	[L10N_VALUE_LESS_THAN] = {"chart.value.less_than", "n", false},
	[L10N_VALUE_UP_TO] = {"chart.value.up_to", "n", false},
	[L10N_VALUE_RANGE] = {"chart.value.range", "low,high", false},
	[L10N_CONTACTS] = {"text.contacts", "", false},
	[L10N_EDITION] = {"text.edition", "series,number", false},
	[L10N_SERIES] = {"text.series", "", false},
	[L10N_PERIOD] = {"text.period", "period", false},
	[L10N_NEXT_REPORT] = {"text.next_report", "date", false},
	[L10N_COMMA] = {"text.comma", "", false},
	[L10N_STOP] = {"text.stop", "", false},
	[L10N_CHART_CONTINUED] = {"chart.continued", "title", false},
	[L10N_CHART_MIXED_KEY] = {"chart.mixed_key", "", false},
	[L10N_ALT_TITLE] = {"chart.alt.title", "type,title", false},
	[L10N_ALT_FILTER] = {"chart.alt.filter", "column,values", false},
	[L10N_ALT_MARK] = {"chart.alt.mark", "x,name,value", false},
	[L10N_ALT_MARK_PLAIN] = {"chart.alt.mark_plain", "x,value", false},
	[L10N_ALT_EVENT] = {"chart.alt.event", "date,title", false},
	[L10N_MIXED] = {"figure.mixed", "n", false},
	[L10N_MILLION] = {"figure.million", "count", true},
	[L10N_BILLION] = {"figure.billion", "count", true},
	[L10N_MONEY] = {"figure.money", "currency,n", false},
	[L10N_SCALE_OF] = {"figure.scale_of", "n", false},
	[L10N_AND] = {"text.and", "", false},
	[L10N_CHANGES_TITLE] = {"changes.title", "", false},
	[L10N_CHANGES_FIRST] = {"changes.first", "", false},
	[L10N_CHANGES_UNLISTED] = {"changes.unlisted", "", false},
	[L10N_CHANGES_NONE] = {"changes.none", "since", false},
	[L10N_CHANGES_COUNTS] = {"changes.counts", "since,counts", false},
	[L10N_CHANGES_AS_OF] = {"changes.as_of", "date", false},
	[L10N_CHANGES_ROWS_ADDED] = {"changes.rows_added", "count", true},
	[L10N_CHANGES_ROWS_WITHDRAWN] = {"changes.rows_withdrawn", "count",
					 true},
	[L10N_CHANGES_AND_WITHDRAWN] = {"changes.and_withdrawn", "count", true},
	[L10N_CHANGES_ROWS_REVISED] = {"changes.rows_revised", "count", true},
	[L10N_CHANGES_AND_REVISED] = {"changes.and_revised", "count", true},
	[L10N_CHANGES_SOURCES] = {"changes.sources", "count", true},
	[L10N_CHANGES_MORE] = {"changes.more", "count", true},
	[L10N_CHANGES_NEW] = {"changes.new", "", false},
	[L10N_CHANGES_NEW_EVENT] = {"changes.new_event", "", false},
	[L10N_CHANGES_WITHDRAWN] = {"changes.withdrawn", "", false},
	[L10N_CHANGES_EVENT_WITHDRAWN] = {"changes.event_withdrawn", "", false},
	[L10N_CHANGES_REVISED] = {"changes.revised", "", false},
	[L10N_CHANGES_NOW_CONTESTED] = {"changes.now_contested", "", false},
	[L10N_CHANGES_NO_LONGER_CONTESTED] = {"changes.no_longer_contested", "",
					      false},
	[L10N_CHANGES_UP_FROM] = {"changes.up_from", "summary,old", false},
	[L10N_CHANGES_DOWN_FROM] = {"changes.down_from", "summary,old", false},
	[L10N_CHANGES_PREVIOUSLY] = {"changes.previously", "summary,old",
				     false},
	[L10N_CHANGES_CLAIMS] = {"changes.claims", "", false},
	[L10N_CHANGES_CLAIM] = {"changes.claim", "figure,who", false},
	[L10N_TABLE_SUM] = {"table.contested.sum", "count,who", true},
	[L10N_TABLE_SUM_PERIOD] = {"table.contested.sum_period",
				   "count,who,period", true},
	[L10N_LINK_SOURCE] = {"text.link_source", "number", false},
	[L10N_LINK_SECTION] = {"text.link_section", "title", false},
	[L10N_CHART_ALT] = {"text.chart_alt", "id", false},
	[L10N_MAP_BOUNDARIES] = {"map.boundaries", "source", false},
	[L10N_MAP_DISCLAIMER] = {"map.disclaimer", "", false},
	[L10N_MAP_ALL_AREAS] = {"map.classes.all", "", false},
	[L10N_MAP_UNDER] = {"map.classes.under", "n", false},
	[L10N_MAP_OR_MORE] = {"map.classes.or_more", "n", false},
	[L10N_MAP_RANGE] = {"map.classes.range", "low,high", false},
	[L10N_MAP_TO_UNDER] = {"map.classes.to_under", "low,high", false},
	[L10N_MAP_PERCENT] = {"map.percent", "", false},
	[L10N_MAP_HELD_BY] = {"map.held_by", "", false},
	[L10N_MAP_HELD_ON] = {"map.held_on", "date", false},
	[L10N_MAP_CLAIMED_BY] = {"map.claimed_by", "names", false},
	[L10N_MAP_AND_OTHERS] = {"map.and_others", "names", false},
	[L10N_MAP_DISPUTED_HELD_BY] = {"map.disputed_held_by", "name", false},
	[L10N_MAP_DIFFER] = {"map.differ", "", false},
	[L10N_MAP_NO_DATA] = {"map.no_data", "", false},
	[L10N_MAP_CAPITAL] = {"map.capital", "", false},
	[L10N_MAP_TOWN] = {"map.town", "", false},
	[L10N_MAP_FOOTNOTE] = {"map.footnote", "areas", false},
	[L10N_MAP_AND_MORE] = {"map.and_more", "count", true},
	[L10N_MAP_CLAIM_PER] = {"map.claim_per", "figure,who", false},
	[L10N_MAP_ALT_BOUNDARIES] = {"map.alt.boundaries", "source", false},
	[L10N_MAP_ALT_PLACES] = {"map.alt.places", "places", false},
	[L10N_MAP_ALT_SHADED] = {"map.alt.shaded", "what,dataset", false},
	[L10N_MAP_ALT_VALUE] = {"map.alt.value", "", false},
	[L10N_MAP_ALT_AREA] = {"map.alt.area", "area,figure", false},
	[L10N_MAP_ALT_AREA_DIFFERS] = {"map.alt.area_differs", "area", false},
	[L10N_MAP_ALT_AREAS] = {"map.alt.areas", "count", true},
	[L10N_MAP_ALT_POINTS] = {"map.alt.points", "count,dataset", true},
	[L10N_MAP_ALT_CONTROL] = {"map.alt.control", "date", false},
	[L10N_MAP_ALT_HELD] = {"map.alt.held", "area,names", false},
	[L10N_MAP_ALT_CLAIMED] = {"map.alt.claimed", "area,names", false},
	[L10N_MAP_ALT_DISPUTED] = {"map.alt.disputed", "text", false},
};

/* Keys the formatting code reads, beyond the messages. */
static const struct {
	const char *key;
	enum ent_kind kind;
} structural[] = {
	{"meta.language", ENT_TEXT},	      {"meta.name", ENT_TEXT},
	{"meta.direction", ENT_TEXT},	      {"meta.plural", ENT_TEXT},
	{"number.decimal", ENT_TEXT},	      {"number.group", ENT_TEXT},
	{"number.min_grouping", ENT_TEXT},    {"number.minus", ENT_TEXT},
	{"number.percent", ENT_TEXT},	      {"number.digits", ENT_TEXT},
	{"number.native_digits", ENT_TEXT},   {"number.native_decimal", ENT_TEXT},
	{"number.native_group", ENT_TEXT},    {"number.native_percent", ENT_TEXT},
	{"date.months", ENT_LIST},	      {"date.months_with_day", ENT_LIST},
	{"date.months_short", ENT_LIST},      {"date.day_month_year", ENT_TEXT},
	{"date.month_year", ENT_TEXT},	      {"date.year", ENT_TEXT},
	{"date.short_day_month_year", ENT_TEXT},
	{"date.short_day_month", ENT_TEXT},   {"date.short_month_year", ENT_TEXT},
	{"date.first_day", ENT_TEXT},	      {"date.day_month", ENT_TEXT},
	{"date.period", ENT_TEXT},	      {"date.period_spaced", ENT_TEXT},
	{"figure.exact", ENT_TEXT},	      {"figure.about", ENT_TEXT},
	{"figure.at_least", ENT_TEXT},	      {"figure.more_than", ENT_TEXT},
	{"figure.nearly", ENT_TEXT},	      {"figure.at_most", ENT_TEXT},
	{"figure.range", ENT_TEXT},	      {"figure.unit_other", ENT_TEXT},
	{"figure.scale_of_elided", ENT_TEXT}, {"figure.elide_before", ENT_TEXT},
};

/* ---- plural rules (CLDR families) ------------------------------------- */

enum plural_cat { PL_ZERO, PL_ONE, PL_TWO, PL_FEW, PL_MANY, PL_OTHER,
		  PL_NCAT };
static const char *const cat_names[PL_NCAT] = {"zero", "one", "two",
					       "few",  "many", "other"};

enum plural_rule { RULE_ONE_OTHER, RULE_ONE_UPTO_2, RULE_EAST_SLAVIC,
		   RULE_ARABIC, RULE_OTHER_ONLY, RULE_COUNT };
static const struct {
	const char *name;
	unsigned cats; /* bit per category the rule uses */
} rules[RULE_COUNT] = {
	[RULE_ONE_OTHER] = {"one_other", 1u << PL_ONE | 1u << PL_OTHER},
	[RULE_ONE_UPTO_2] = {"one_upto_2", 1u << PL_ONE | 1u << PL_OTHER},
	[RULE_EAST_SLAVIC] = {"east_slavic", 1u << PL_ONE | 1u << PL_FEW |
						     1u << PL_MANY |
						     1u << PL_OTHER},
	[RULE_ARABIC] = {"arabic", 0x3Fu},
	[RULE_OTHER_ONLY] = {"other_only", 1u << PL_OTHER},
};

/* The category of a number shown with v fraction digits. */
static enum plural_cat plural_of(enum plural_rule r, double n, int v)
{
	double a = fabs(n);
	long i = (long)floor(a);
	long i10 = i % 10, i100 = i % 100;
	bool whole = v == 0 && a == floor(a);

	switch (r) {
	case RULE_ONE_OTHER: /* en, es, de, ...: exactly 1 */
		return whole && i == 1 ? PL_ONE : PL_OTHER;
	case RULE_ONE_UPTO_2: /* fr: 0 <= n < 2 */
		return i == 0 || i == 1 ? PL_ONE : PL_OTHER;
	case RULE_EAST_SLAVIC: /* ru, uk, be */
		if (!whole)
			return PL_OTHER;
		if (i10 == 1 && i100 != 11)
			return PL_ONE;
		if (i10 >= 2 && i10 <= 4 && (i100 < 12 || i100 > 14))
			return PL_FEW;
		return PL_MANY;
	case RULE_ARABIC:
		if (!whole)
			return PL_OTHER;
		if (i == 0)
			return PL_ZERO;
		if (i == 1)
			return PL_ONE;
		if (i == 2)
			return PL_TWO;
		if (i100 >= 3 && i100 <= 10)
			return PL_FEW;
		if (i100 >= 11)
			return PL_MANY;
		return PL_OTHER;
	case RULE_OTHER_ONLY:
	default:
		return PL_OTHER;
	}
}

/* ---- catalogues --------------------------------------------------------- */

struct entry {
	char *key;
	enum ent_kind kind;
	char *text;          /* ENT_TEXT */
	char **items;        /* ENT_LIST */
	size_t nitems;
	char *forms[PL_NCAT]; /* ENT_PLURAL; NULL where absent */
	long line, col;
};

struct catalogue {
	char *path;
	struct entry *e; /* sorted by key once loaded */
	size_t n, cap;
	enum plural_rule rule;
};

struct l10n {
	struct catalogue en, cat; /* cat.n == 0: English only */
	enum l10n_digits digits;
};

static void entry_free(struct entry *e)
{
	free(e->key);
	free(e->text);
	for (size_t i = 0; i < e->nitems; i++)
		free(e->items[i]);
	free(e->items);
	for (int c = 0; c < PL_NCAT; c++)
		free(e->forms[c]);
}

static void cat_free(struct catalogue *c)
{
	for (size_t i = 0; i < c->n; i++)
		entry_free(&c->e[i]);
	free(c->e);
	free(c->path);
	memset(c, 0, sizeof *c);
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key,
		      ((const struct entry *)b)->key);
}

static struct entry *cat_find(const struct catalogue *c, const char *key)
{
	struct entry k = {.key = (char *)key};

	return c->n ? bsearch(&k, c->e, c->n, sizeof *c->e, entry_cmp) : NULL;
}

/* ---- reading YAML ------------------------------------------------------- */

/* A parsed YAML node: a scalar, a sequence, or a mapping of key/value
 * pairs (kids alternate key, value). */
struct ynode {
	yaml_node_type_t type;
	char *s;
	struct ynode *kids;
	size_t n;
	long line, col;
};

static void ynode_free(struct ynode *y)
{
	for (size_t i = 0; i < y->n; i++)
		ynode_free(&y->kids[i]);
	free(y->kids);
	free(y->s);
}

struct reader {
	yaml_parser_t p;
	const char *path;
	struct diag *err;
	enum brief_status st;
};

static bool rd_fail(struct reader *r, enum brief_status st, long line,
		    long col, const char *msg)
{
	if (r->st == BRIEF_OK)
		r->st = diag_set(r->err, st, r->path, line, col, "%s", msg);
	return false;
}

static bool rd_next(struct reader *r, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&r->p, ev)) {
		char msg[200];

		snprintf(msg, sizeof msg, "not valid YAML: %s",
			 r->p.problem ? r->p.problem : "syntax error");
		return rd_fail(r, BRIEF_EDATA, (long)r->p.problem_mark.line + 1,
			       (long)r->p.problem_mark.column + 1, msg);
	}
	return true;
}

static bool rd_node(struct reader *r, yaml_event_t *ev, struct ynode *out,
		    int depth);

static bool rd_kids(struct reader *r, struct ynode *out, yaml_event_type_t end,
		    int depth)
{
	size_t cap = 0;

	for (;;) {
		yaml_event_t ev;
		struct ynode *k;

		if (!rd_next(r, &ev))
			return false;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return true;
		}
		if (out->n == cap) {
			cap = cap ? cap * 2 : 8;
			k = realloc(out->kids, cap * sizeof *k);
			if (!k) {
				yaml_event_delete(&ev);
				return rd_fail(r, BRIEF_ENOMEM, 0, 0,
					       "out of memory");
			}
			out->kids = k;
		}
		k = &out->kids[out->n++];
		memset(k, 0, sizeof *k);
		if (!rd_node(r, &ev, k, depth + 1))
			return false;
	}
}

/* One node from its first event (consumed). */
static bool rd_node(struct reader *r, yaml_event_t *ev, struct ynode *out,
		    int depth)
{
	bool ok = true;

	out->line = (long)ev->start_mark.line + 1;
	out->col = (long)ev->start_mark.column + 1;
	if (depth > L10N_MAX_DEPTH) {
		yaml_event_delete(ev);
		return rd_fail(r, BRIEF_EDATA, out->line, out->col,
			       "nested too deeply");
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		out->type = YAML_SCALAR_NODE;
		out->s = strndup((const char *)ev->data.scalar.value,
				 ev->data.scalar.length);
		if (!out->s)
			ok = rd_fail(r, BRIEF_ENOMEM, 0, 0, "out of memory");
		yaml_event_delete(ev);
		return ok;
	case YAML_SEQUENCE_START_EVENT:
		out->type = YAML_SEQUENCE_NODE;
		yaml_event_delete(ev);
		return rd_kids(r, out, YAML_SEQUENCE_END_EVENT, depth);
	case YAML_MAPPING_START_EVENT:
		out->type = YAML_MAPPING_NODE;
		yaml_event_delete(ev);
		return rd_kids(r, out, YAML_MAPPING_END_EVENT, depth);
	case YAML_ALIAS_EVENT:
		yaml_event_delete(ev);
		return rd_fail(r, BRIEF_EDATA, out->line, out->col,
			       "aliases are not used in catalogues");
	default:
		yaml_event_delete(ev);
		return rd_fail(r, BRIEF_EDATA, out->line, out->col,
			       "unexpected YAML");
	}
}

/* Read the file's one document into root. */
static enum brief_status read_yaml(const char *path, struct ynode *root,
				   struct diag *err)
{
	struct reader r = {.path = path, .err = err, .st = BRIEF_OK};
	FILE *f = fopen(path, "rb");
	struct stat sb;
	yaml_event_t ev;
	bool started = false;

	memset(root, 0, sizeof *root);
	if (!f)
		return diag_set(err, BRIEF_EIO, path, 0, 0,
				"cannot open catalogue: %s", strerror(errno));
	if (fstat(fileno(f), &sb) == 0 && sb.st_size > (off_t)L10N_MAX_FILE) {
		fclose(f);
		return diag_set(err, BRIEF_EDATA, path, 1, 1,
				"catalogue larger than %u bytes",
				L10N_MAX_FILE);
	}
	if (!yaml_parser_initialize(&r.p)) {
		fclose(f);
		return diag_set(err, BRIEF_ENOMEM, path, 0, 0, "out of memory");
	}
	yaml_parser_set_input_file(&r.p, f);
	while (r.st == BRIEF_OK && rd_next(&r, &ev)) {
		yaml_event_type_t t = ev.type;

		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_MAPPING_START_EVENT && !started) {
			started = true;
			rd_node(&r, &ev, root, 0);
		} else if (t == YAML_MAPPING_START_EVENT ||
			   t == YAML_SEQUENCE_START_EVENT ||
			   t == YAML_SCALAR_EVENT) {
			rd_fail(&r, BRIEF_EDATA, (long)ev.start_mark.line + 1,
				(long)ev.start_mark.column + 1,
				started ? "one document per catalogue"
					: "a catalogue is a map of keys");
			yaml_event_delete(&ev);
		} else {
			yaml_event_delete(&ev);
		}
	}
	if (r.st == BRIEF_OK && !started)
		rd_fail(&r, BRIEF_EDATA, 1, 1, "a catalogue is a map of keys");
	yaml_parser_delete(&r.p);
	fclose(f);
	if (r.st != BRIEF_OK)
		ynode_free(root);
	return r.st;
}

/* ---- flattening into entries ---------------------------------------------- */

static int cat_index(const char *s)
{
	for (int c = 0; c < PL_NCAT; c++)
		if (strcmp(s, cat_names[c]) == 0)
			return c;
	return -1;
}

/* A map of scalars whose keys are all plural categories. */
static bool is_plural_map(const struct ynode *y)
{
	if (y->type != YAML_MAPPING_NODE || y->n == 0)
		return false;
	for (size_t i = 0; i + 1 < y->n; i += 2)
		if (y->kids[i].type != YAML_SCALAR_NODE ||
		    cat_index(y->kids[i].s) < 0 ||
		    y->kids[i + 1].type != YAML_SCALAR_NODE)
			return false;
	return true;
}

static struct entry *cat_push(struct catalogue *c, const char *key,
			      const struct ynode *y)
{
	struct entry *e;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;

		e = realloc(c->e, cap * sizeof *e);
		if (!e)
			return NULL;
		c->e = e;
		c->cap = cap;
	}
	e = &c->e[c->n];
	memset(e, 0, sizeof *e);
	e->key = strdup(key);
	if (!e->key)
		return NULL;
	e->line = y->line;
	e->col = y->col;
	c->n++;
	return e;
}

static enum brief_status flatten(struct catalogue *c, const struct ynode *y,
				 const char *prefix, struct diag *err)
{
	struct entry *e;

	if (y->type == YAML_MAPPING_NODE && !is_plural_map(y)) {
		for (size_t i = 0; i + 1 < y->n; i += 2) {
			const struct ynode *k = &y->kids[i];
			char key[256];
			enum brief_status st;

			if (k->type != YAML_SCALAR_NODE || !*k->s ||
			    strchr(k->s, '.'))
				return diag_set(err, BRIEF_EDATA, c->path,
						k->line, k->col,
						"a key is a plain word (no dots)");
			if ((size_t)snprintf(key, sizeof key, "%s%s%s", prefix,
					     *prefix ? "." : "", k->s) >=
			    sizeof key)
				return diag_set(err, BRIEF_EDATA, c->path,
						k->line, k->col, "key too long");
			st = flatten(c, &y->kids[i + 1], key, err);
			if (st != BRIEF_OK)
				return st;
		}
		return BRIEF_OK;
	}
	if (!*prefix)
		return diag_set(err, BRIEF_EDATA, c->path, y->line, y->col,
				"a catalogue is a map of keys");
	e = cat_push(c, prefix, y);
	if (!e)
		goto nomem;
	if (y->type == YAML_SCALAR_NODE) {
		e->kind = ENT_TEXT;
		e->text = strdup(y->s);
		if (!e->text)
			goto nomem;
	} else if (y->type == YAML_SEQUENCE_NODE) {
		e->kind = ENT_LIST;
		e->items = calloc(y->n + 1, sizeof *e->items);
		if (!e->items)
			goto nomem;
		for (size_t i = 0; i < y->n; i++) {
			if (y->kids[i].type != YAML_SCALAR_NODE)
				return diag_set(err, BRIEF_EDATA, c->path,
						y->kids[i].line, y->kids[i].col,
						"a list in a catalogue holds "
						"words only");
			e->items[i] = strdup(y->kids[i].s);
			if (!e->items[i])
				goto nomem;
			e->nitems++;
		}
	} else {
		e->kind = ENT_PLURAL;
		for (size_t i = 0; i + 1 < y->n; i += 2) {
			int k = cat_index(y->kids[i].s);

			if (e->forms[k])
				return diag_set(err, BRIEF_EDATA, c->path,
						y->kids[i].line, y->kids[i].col,
						"plural form '%s' given twice",
						cat_names[k]);
			e->forms[k] = strdup(y->kids[i + 1].s);
			if (!e->forms[k])
				goto nomem;
		}
	}
	return BRIEF_OK;
nomem:
	return diag_set(err, BRIEF_ENOMEM, c->path, 0, 0, "out of memory");
}

static enum brief_status cat_load(struct catalogue *c, const char *path,
				  struct diag *err)
{
	struct ynode root;
	enum brief_status st;
	const struct entry *pl;

	memset(c, 0, sizeof *c);
	c->path = strdup(path);
	if (!c->path)
		return diag_set(err, BRIEF_ENOMEM, path, 0, 0, "out of memory");
	st = read_yaml(path, &root, err);
	if (st != BRIEF_OK)
		return st;
	st = flatten(c, &root, "", err);
	ynode_free(&root);
	if (st != BRIEF_OK)
		return st;
	qsort(c->e, c->n, sizeof *c->e, entry_cmp);
	for (size_t i = 1; i < c->n; i++)
		if (strcmp(c->e[i - 1].key, c->e[i].key) == 0)
			return diag_set(err, BRIEF_EDATA, path, c->e[i].line,
					c->e[i].col, "key '%s' given twice",
					c->e[i].key);
	c->rule = RULE_ONE_OTHER;
	pl = cat_find(c, "meta.plural");
	if (pl && pl->kind == ENT_TEXT) {
		int r = -1;

		for (int k = 0; k < RULE_COUNT; k++)
			if (strcmp(pl->text, rules[k].name) == 0)
				r = k;
		if (r < 0)
			return diag_set(err, BRIEF_EDATA, path, pl->line,
					pl->col,
					"unknown plural rule '%s' (one_other, "
					"one_upto_2, east_slavic, arabic, "
					"other_only)",
					pl->text);
		c->rule = (enum plural_rule)r;
	}
	return BRIEF_OK;
}

/* ---- checking a catalogue against English -------------------------------- */

/* Whether placeholder {name} occurs in s. */
static bool has_ph(const char *s, const char *name, size_t n)
{
	for (const char *p = s; (p = strchr(p, '{')); p++) {
		if (p[1] == '{') {
			p++;
			continue;
		}
		if (strncmp(p + 1, name, n) == 0 && p[1 + n] == '}')
			return true;
	}
	return false;
}

/* The first placeholder of s that ref does not have, into out. */
static bool unknown_ph(const char *s, const struct entry *ref, char *out,
		       size_t size)
{
	for (const char *p = s; (p = strchr(p, '{')); p++) {
		const char *e;
		size_t n;
		bool known = false;

		if (p[1] == '{') {
			p++;
			continue;
		}
		e = strchr(p, '}');
		if (!e)
			return false;
		n = (size_t)(e - p - 1);
		if (ref->kind == ENT_TEXT)
			known = has_ph(ref->text, p + 1, n);
		for (int c = 0; ref->kind == ENT_PLURAL && c < PL_NCAT; c++)
			known |= ref->forms[c] && has_ph(ref->forms[c], p + 1, n);
		if (!known) {
			snprintf(out, size, "%.*s", (int)n, p + 1);
			return true;
		}
	}
	return false;
}

/* The first placeholder of ref's text missing from s (for a plural entry,
 * the count may be left out: "one person"). */
static bool missing_ph(const char *s, const char *ref, const char *count,
		       char *out, size_t size)
{
	for (const char *p = ref; (p = strchr(p, '{')); p++) {
		const char *e;
		size_t n;

		if (p[1] == '{') {
			p++;
			continue;
		}
		e = strchr(p, '}');
		if (!e)
			return false;
		n = (size_t)(e - p - 1);
		if (count && strlen(count) == n && strncmp(p + 1, count, n) == 0)
			continue;
		if (!has_ph(s, p + 1, n)) {
			snprintf(out, size, "%.*s", (int)n, p + 1);
			return true;
		}
	}
	return false;
}

/* The count placeholder of a plural entry: a message's first argument,
 * "n" for units. */
static const char *count_name(const char *key)
{
	for (int m = 0; m < L10N_MSG_COUNT; m++)
		if (msgs[m].plural && strcmp(msgs[m].key, key) == 0)
			return strncmp(msgs[m].args, "count", 5) == 0 ? "count"
								       : "n";
	return "n";
}

/* What is wrong with entry e of a catalogue with rule, compared with
 * ref (English), into why; false when it is fine. */
static bool entry_problem(const struct entry *e, enum plural_rule rule,
			  const struct entry *ref, char *why, size_t size)
{
	static const char *const kinds[] = {"a text", "a list",
					    "plural forms"};
	char ph[64];

	if (e->kind != ref->kind) {
		snprintf(why, size, "is %s, English has %s", kinds[e->kind],
			 kinds[ref->kind]);
		return true;
	}
	switch (e->kind) {
	case ENT_TEXT:
		if (unknown_ph(e->text, ref, ph, sizeof ph)) {
			snprintf(why, size, "has an unknown placeholder {%s}", ph);
			return true;
		}
		if (missing_ph(e->text, ref->text, NULL, ph, sizeof ph)) {
			snprintf(why, size, "lacks the placeholder {%s}", ph);
			return true;
		}
		return false;
	case ENT_LIST:
		if (e->nitems != ref->nitems) {
			snprintf(why, size, "has %zu items, not %zu", e->nitems,
				 ref->nitems);
			return true;
		}
		return false;
	case ENT_PLURAL:
		for (int c = 0; c < PL_NCAT; c++) {
			const char *other = ref->forms[PL_OTHER];

			if ((rules[rule].cats >> c & 1) && !e->forms[c]) {
				snprintf(why, size, "lacks the plural form '%s' "
					 "its rule (%s) needs",
					 cat_names[c], rules[rule].name);
				return true;
			}
			if (!e->forms[c])
				continue;
			if (unknown_ph(e->forms[c], ref, ph, sizeof ph)) {
				snprintf(why, size, "has an unknown "
					 "placeholder {%s}", ph);
				return true;
			}
			if (other && missing_ph(e->forms[c], other,
						count_name(e->key), ph,
						sizeof ph)) {
				snprintf(why, size, "form '%s' lacks the "
					 "placeholder {%s}", cat_names[c], ph);
				return true;
			}
		}
		return false;
	}
	return false;
}

static void warn(struct diag_sink *sink, const char *file, long line,
		 long col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void warn(struct diag_sink *sink, const char *file, long line,
		 long col, const char *fmt, ...)
{
	struct diag d;
	va_list ap;

	if (!sink)
		return;
	va_start(ap, fmt);
	diag_vset(&d, BRIEF_EDATA, file, line, col, fmt, ap);
	va_end(ap);
	diag_emit(sink, &d, DIAG_WARNING);
}

/* Compare c with en: warn about each problem; with drop, remove the
 * entries that are wrong or unknown so that English is used for them.
 * Returns the number of problems. */
static size_t cat_compare(struct catalogue *c, const struct catalogue *en,
			  struct diag_sink *sink, bool drop)
{
	size_t problems = 0, k = 0;

	for (size_t i = 0; i < en->n; i++) {
		const struct entry *ref = &en->e[i];
		const struct entry *e = cat_find(c, ref->key);
		char why[200];

		if (strcmp(ref->key, "meta.language") == 0 ||
		    strcmp(ref->key, "meta.name") == 0)
			continue; /* a catalogue's own */
		if (!e) {
			warn(sink, c->path, 0, 0,
			     "no '%s': English is used for it", ref->key);
			problems++;
		} else if (entry_problem(e, c->rule, ref, why, sizeof why)) {
			warn(sink, c->path, e->line, e->col,
			     "'%s' %s: English is used for it", ref->key, why);
			problems++;
		}
	}
	for (size_t i = 0; i < c->n; i++) {
		struct entry *e = &c->e[i];
		const struct entry *ref = cat_find(en, e->key);
		char why[200];
		bool bad = false;

		if (!ref) {
			warn(sink, c->path, e->line, e->col,
			     "unknown key '%s' (not in en.yaml)", e->key);
			problems++;
			bad = true;
		} else if (strcmp(e->key, "meta.language") != 0 &&
			   strcmp(e->key, "meta.name") != 0) {
			bad = entry_problem(e, c->rule, ref, why, sizeof why);
		}
		if (drop && bad)
			entry_free(e);
		else
			c->e[k++] = *e;
	}
	c->n = k;
	return problems;
}

/* The English catalogue has every key the program reads. */
static enum brief_status en_complete(const struct catalogue *en,
				     struct diag *err)
{
	for (int m = 0; m < L10N_MSG_COUNT; m++) {
		const struct entry *e = cat_find(en, msgs[m].key);
		enum ent_kind want = msgs[m].plural ? ENT_PLURAL : ENT_TEXT;

		if (!e || e->kind != want ||
		    (want == ENT_PLURAL && !e->forms[PL_OTHER]))
			return diag_set(err, BRIEF_EINTERNAL, en->path, 0, 0,
					"internal error in the English "
					"catalogue: no %s '%s'",
					want == ENT_PLURAL ? "plural forms"
							   : "text",
					msgs[m].key);
	}
	for (size_t i = 0; i < sizeof structural / sizeof *structural; i++) {
		const struct entry *e = cat_find(en, structural[i].key);

		if (!e || e->kind != structural[i].kind ||
		    (e->kind == ENT_LIST && e->nitems != 12))
			return diag_set(err, BRIEF_EINTERNAL, en->path, 0, 0,
					"internal error in the English "
					"catalogue: no %s '%s'",
					structural[i].kind == ENT_LIST
						? "list of 12"
						: "text",
					structural[i].key);
	}
	return BRIEF_OK;
}

/* ---- opening -------------------------------------------------------------- */

/* dir/<name>.yaml exists. */
static bool cat_path(const char *dir, const char *name, char *path,
		     size_t size)
{
	struct stat sb;

	if ((size_t)snprintf(path, size, "%s/%s.yaml", dir, name) >= size)
		return false;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The catalogue file for lang: as given ("pt-BR", "pt_BR"), then its
 * primary language. */
static bool find_catalogue(const char *dir, const char *lang, char *path,
			   size_t size)
{
	char tag[32];
	size_t n = 0;

	for (const char *p = lang; *p && n + 1 < sizeof tag; p++) {
		char ch = *p;

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
			return false; /* no paths through a language tag */
		/* The language subtag is lower case ("FR-ca" -> "fr-ca"). */
		tag[n] = ch >= 'A' && ch <= 'Z' && n < 2 ? (char)(ch + 32) : ch;
		n++;
	}
	tag[n] = '\0';
	if (n == 0)
		return false;
	if (cat_path(dir, tag, path, size))
		return true;
	for (size_t i = 0; i < n; i++)
		if (tag[i] == '-')
			tag[i] = '_';
		else if (tag[i] == '_')
			tag[i] = '-';
	if (cat_path(dir, tag, path, size))
		return true;
	tag[strcspn(tag, "-_")] = '\0';
	return cat_path(dir, tag, path, size);
}

static const struct l10n *active;

void l10n_use(const struct l10n *l)
{
	active = l;
}

const struct l10n *l10n_active(void)
{
	return active;
}

enum brief_status l10n_open(const char *dir, const char *lang,
			    struct diag_sink *warn_sink, struct l10n **out,
			    struct diag *err)
{
	struct l10n *l = calloc(1, sizeof *l);
	char path[1024];
	enum brief_status st;

	*out = NULL;
	if (!l)
		return diag_set(err, BRIEF_ENOMEM, "", 0, 0, "out of memory");
	if (!cat_path(dir, "en", path, sizeof path)) {
		free(l);
		return diag_set(err, BRIEF_EIO, path, 0, 0,
				"no English catalogue (brief's locale "
				"directory is missing or incomplete)");
	}
	st = cat_load(&l->en, path, err);
	if (st == BRIEF_OK)
		st = en_complete(&l->en, err);
	if (st != BRIEF_OK)
		goto fail;
	if (lang && *lang && strcmp(lang, "en") != 0) {
		if (!find_catalogue(dir, lang, path, sizeof path)) {
			warn(warn_sink, "", 0, 0,
			     "no catalogue for language '%s' in %s: generated "
			     "text is in English",
			     lang, dir);
		} else if (strcmp(strrchr(path, '/') + 1, "en.yaml") != 0) {
			st = cat_load(&l->cat, path, err);
			if (st != BRIEF_OK)
				goto fail;
			cat_compare(&l->cat, &l->en, warn_sink, true);
		}
	}
	*out = l;
	return BRIEF_OK;
fail:
	l10n_free(l);
	return st;
}

void l10n_free(struct l10n *l)
{
	if (!l)
		return;
	cat_free(&l->en);
	cat_free(&l->cat);
	free(l);
}

/* An entry from the language's catalogue, or English's. */
static const struct entry *lookup(const struct l10n *l, const char *key)
{
	const struct entry *e = cat_find(&l->cat, key);

	return e ? e : cat_find(&l->en, key);
}

static const char *text_of(const struct l10n *l, const char *key)
{
	const struct entry *e = lookup(l, key);

	return e && e->kind == ENT_TEXT ? e->text : "";
}

const char *l10n_language(const struct l10n *l)
{
	const char *s;

	if (!l)
		return "en";
	s = l->cat.n ? text_of(l, "meta.language") : "en";
	return *s ? s : "en";
}

bool l10n_rtl(const struct l10n *l)
{
	return l && strcmp(text_of(l, "meta.direction"), "rtl") == 0;
}

const char *l10n_text(const struct l10n *l, enum l10n_msg m)
{
	const struct entry *e;

	if (!l || (unsigned)m >= L10N_MSG_COUNT)
		return "";
	e = lookup(l, msgs[m].key);
	if (e && e->kind == ENT_PLURAL)
		return e->forms[PL_OTHER] ? e->forms[PL_OTHER] : "";
	return e && e->kind == ENT_TEXT ? e->text : "";
}

const char *l10n_word(const struct l10n *l, const char *family,
		      const char *name)
{
	char key[256];
	const struct entry *e;

	if (!l || !family || !name)
		return name ? name : "";
	if ((size_t)snprintf(key, sizeof key, "%s.%s", family, name) >=
	    sizeof key)
		return name;
	e = lookup(l, key);
	return e && e->kind == ENT_TEXT ? e->text : name;
}

/* ---- writing -------------------------------------------------------------- */

struct sb {
	char *p;
	size_t n, size;
};

static void sb_add(struct sb *b, const char *s, size_t n)
{
	if (b->size == 0)
		return;
	for (size_t i = 0; i < n && b->n + 1 < b->size; i++)
		b->p[b->n++] = s[i];
	b->p[b->n] = '\0';
}

static void sb_str(struct sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* Fill the placeholders of pattern: names[i] -> vals[i]; "{{" and "}}"
 * are braces. An unknown placeholder is kept as written. A value that
 * ends with a stop before the pattern's own ("2024 г." in "{date}.") gives
 * one stop. */
static void subst(struct sb *b, const char *pattern, const char *const *names,
		  const char *const *vals, size_t n)
{
	for (const char *p = pattern; *p;) {
		const char *e;
		bool done = false;

		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			sb_add(b, p, 1);
			p += 2;
			continue;
		}
		if (*p != '{' || !(e = strchr(p, '}'))) {
			sb_add(b, p, 1);
			p++;
			continue;
		}
		for (size_t i = 0; i < n && !done; i++)
			if (strlen(names[i]) == (size_t)(e - p - 1) &&
			    strncmp(p + 1, names[i], (size_t)(e - p - 1)) == 0) {
				const char *v = vals[i] ? vals[i] : "";
				size_t len = strlen(v);

				if (len && v[len - 1] == '.' && e[1] == '.')
					len--;
				sb_add(b, v, len);
				done = true;
			}
		if (!done)
			sb_add(b, p, (size_t)(e - p + 1));
		p = e + 1;
	}
}

static void subst1(struct sb *b, const char *pattern, const char *name,
		   const char *val)
{
	subst(b, pattern, &name, &val, 1);
}

/* The code point of digit zero of a numbering system, 0 if unknown. */
static unsigned digit_zero(const char *system)
{
	static const struct {
		const char *name;
		unsigned zero;
	} sys[] = {{"latn", 0x30},    {"arab", 0x660}, {"arabext", 0x6F0},
		   {"deva", 0x966},   {"beng", 0x9E6}, {"thai", 0xE50},
		   {"mymr", 0x1040},  {"khmr", 0x17E0}, {"tibt", 0xF20}};

	for (size_t i = 0; i < sizeof sys / sizeof *sys; i++)
		if (strcmp(system, sys[i].name) == 0)
			return sys[i].zero;
	return 0;
}

static bool native_on(const struct l10n *l)
{
	const char *nat = text_of(l, "number.native_digits");
	const char *def = text_of(l, "number.digits");

	if (l->digits == L10N_DIGITS_LATIN)
		return false;
	if (l->digits == L10N_DIGITS_NATIVE)
		return *nat && digit_zero(nat);
	return *nat && strcmp(def, nat) == 0 && digit_zero(nat);
}

/* number.<what>, or number.native_<what> with native digits. */
static const char *num_key(const struct l10n *l, const char *what)
{
	char key[64];

	snprintf(key, sizeof key, "number.%s%s", native_on(l) ? "native_" : "",
		 what);
	return text_of(l, key);
}

static void put_digit(struct sb *b, unsigned zero, char d)
{
	unsigned c = zero + (unsigned)(d - '0');
	char u[4];

	if (c < 0x80) {
		u[0] = (char)c;
		sb_add(b, u, 1);
	} else if (c < 0x800) {
		u[0] = (char)(0xC0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3F));
		sb_add(b, u, 2);
	} else {
		u[0] = (char)(0xE0 | c >> 12);
		u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		sb_add(b, u, 3);
	}
}

static unsigned zero_of(const struct l10n *l)
{
	unsigned z = native_on(l) ? digit_zero(text_of(l, "number.native_digits"))
				  : 0;

	return z ? z : 0x30;
}

/* ASCII digits (and '.', '-') of s in the catalogue's digits and marks;
 * grouped: thousands separators in the integer part. */
static void localise(const struct l10n *l, struct sb *b, const char *s,
		     bool grouped)
{
	unsigned zero = zero_of(l);
	const char *dot = strchr(s, '.');
	size_t intlen = dot ? (size_t)(dot - s) : strlen(s), start = 0;
	long ming = strtol(text_of(l, "number.min_grouping"), NULL, 10);

	if (s[0] == '-') {
		sb_str(b, text_of(l, "number.minus"));
		start = 1;
	}
	if (ming < 1)
		ming = 1;
	if (intlen - start < 3 + (size_t)ming)
		grouped = false;
	for (size_t i = start; s[i]; i++) {
		if (s[i] == '.') {
			sb_str(b, num_key(l, "decimal"));
		} else if (s[i] >= '0' && s[i] <= '9') {
			put_digit(b, zero, s[i]);
			if (grouped && i + 1 < intlen && (intlen - i - 1) % 3 == 0)
				sb_str(b, num_key(l, "group"));
		} else {
			sb_add(b, s + i, 1);
		}
	}
}

/* The decimals number_format would choose for v (decimals < 0). */
static int auto_decimals(double v, int decimals)
{
	if (decimals >= 0)
		return decimals;
	return fabs(v - round(v)) < 1e-9	    ? 0
	       : fabs(v * 10 - round(v * 10)) < 1e-9 ? 1
						    : 2;
}

static void number_into(const struct l10n *l, struct sb *b, double v,
			int decimals)
{
	char t[64];

	snprintf(t, sizeof t, "%.*f", auto_decimals(v, decimals), v);
	if (strcmp(t, "-0") == 0)
		strcpy(t, "0");
	localise(l, b, t, true);
}

char *l10n_number(const struct l10n *l, double v, int decimals, char *buf,
		  size_t size)
{
	struct sb b = {buf, 0, size};

	if (size)
		buf[0] = '\0';
	if (l)
		number_into(l, &b, v, decimals);
	return buf;
}

char *l10n_percent(const struct l10n *l, double v, int decimals, char *buf,
		   size_t size)
{
	char n[64];
	struct sb b = {buf, 0, size};

	if (size)
		buf[0] = '\0';
	if (!l)
		return buf;
	l10n_number(l, v, decimals, n, sizeof n);
	subst1(&b, num_key(l, "percent"), "n", n);
	return buf;
}

/* An integer in the catalogue's digits, no grouping (days, years). */
static void int_into(const struct l10n *l, struct sb *b, long v)
{
	char t[32];

	snprintf(t, sizeof t, "%ld", v);
	localise(l, b, t, false);
}

char *l10n_integer(const struct l10n *l, long v, char *buf, size_t size)
{
	struct sb b = {buf, 0, size};

	if (size)
		buf[0] = '\0';
	if (l)
		int_into(l, &b, v);
	return buf;
}

bool l10n_set_digits(struct l10n *l, enum l10n_digits d)
{
	if (!l)
		return false;
	if (d == L10N_DIGITS_NATIVE &&
	    !digit_zero(text_of(l, "number.native_digits")))
		return false;
	l->digits = d;
	return true;
}

/* l10n_format and l10n_say: message m of l, or (l NULL) english, with
 * the placeholders filled from ap. */
static char *vformat(const struct l10n *l, enum l10n_msg m,
		     const char *english, char *buf, size_t size, va_list ap)
{
	const char *names[8], *vals[8];
	char list[64], count[64];
	size_t n = 0;
	struct sb b = {buf, 0, size};
	const struct entry *e;
	const char *pattern;

	if (size)
		buf[0] = '\0';
	if ((!l && !english) || (unsigned)m >= L10N_MSG_COUNT)
		return buf;
	snprintf(list, sizeof list, "%s", msgs[m].args);
	for (char *p = list, *q; *p && n < 8; p = q) {
		q = p + strcspn(p, ",");
		if (*q)
			*q++ = '\0';
		names[n] = p;
		vals[n++] = va_arg(ap, const char *);
	}
	if (!l) {
		subst(&b, english, names, vals, n);
		return buf;
	}
	e = lookup(l, msgs[m].key);
	pattern = l10n_text(l, m);
	if (msgs[m].plural && e && e->kind == ENT_PLURAL && n > 0 && vals[0]) {
		/* The catalogue this entry came from decides the rule. */
		enum plural_rule r = cat_find(&l->cat, msgs[m].key) ? l->cat.rule
								     : l->en.rule;
		double c = strtod(vals[0], NULL);
		enum plural_cat k = plural_of(r, c, strchr(vals[0], '.') ? 1 : 0);
		struct sb cb = {count, 0, sizeof count};

		if (e->forms[k])
			pattern = e->forms[k];
		localise(l, &cb, vals[0], true);
		vals[0] = count;
	}
	subst(&b, pattern, names, vals, n);
	return buf;
}

const char *l10n_text_or(const struct l10n *l, enum l10n_msg m,
			 const char *english)
{
	return l ? l10n_text(l, m) : english;
}

char *l10n_format(const struct l10n *l, enum l10n_msg m, char *buf,
		  size_t size, ...)
{
	va_list ap;

	va_start(ap, size);
	vformat(l, m, NULL, buf, size, ap);
	va_end(ap);
	return buf;
}

char *l10n_say(const struct l10n *l, enum l10n_msg m, const char *english,
	       char *buf, size_t size, ...)
{
	va_list ap;

	va_start(ap, size);
	vformat(l, m, english, buf, size, ap);
	va_end(ap);
	return buf;
}

const char *l10n_month(const struct l10n *l, int m, enum l10n_month_form f)
{
	static const char *const keys[] = {"date.months", "date.months_with_day",
					   "date.months_short"};
	const struct entry *e;

	if (!l || m < 1 || m > 12 || (unsigned)f > L10N_MONTH_SHORT)
		return "";
	e = lookup(l, keys[f]);
	return e && e->kind == ENT_LIST && e->nitems == 12 ? e->items[m - 1]
							    : "";
}

/* The day as the catalogue writes it ("1er" in French). */
static void day_into(const struct l10n *l, struct sb *b, int day)
{
	char d[16];
	struct sb db = {d, 0, sizeof d};

	int_into(l, &db, day);
	if (day == 1)
		subst1(b, text_of(l, "date.first_day"), "day", d);
	else
		sb_str(b, d);
}

static char *date_into(const struct l10n *l, const struct date *d,
		       const char *full, const char *month_year,
		       enum l10n_month_form with_day,
		       enum l10n_month_form alone, char *buf, size_t size)
{
	static const char *const names[] = {"day", "month", "year"};
	char day[32], year[32];
	struct sb b = {buf, 0, size}, db = {day, 0, sizeof day},
		  yb = {year, 0, sizeof year};
	const char *vals[3];

	if (size)
		buf[0] = '\0';
	if (!l || !d)
		return buf;
	int_into(l, &yb, d->year);
	if (d->month < 1 || d->month > 12) {
		subst1(&b, text_of(l, "date.year"), "year", year);
		return buf;
	}
	if (d->day > 0)
		day_into(l, &db, d->day);
	vals[0] = day;
	vals[1] = l10n_month(l, d->month, d->day > 0 ? with_day : alone);
	vals[2] = year;
	subst(&b, d->day > 0 ? full : month_year, names, vals, 3);
	return buf;
}

char *l10n_date_long(const struct l10n *l, const struct date *d, char *buf,
		     size_t size)
{
	if (!l)
		return size ? (buf[0] = '\0', buf) : buf;
	return date_into(l, d, text_of(l, "date.day_month_year"),
			 text_of(l, "date.month_year"), L10N_MONTH_WITH_DAY,
			 L10N_MONTH_NAME, buf, size);
}

char *l10n_date_short(const struct l10n *l, const struct date *d,
		      bool with_year, char *buf, size_t size)
{
	if (!l)
		return size ? (buf[0] = '\0', buf) : buf;
	if (!with_year && d && d->month >= 1 && d->month <= 12 && d->day == 0) {
		snprintf(buf, size, "%s", l10n_month(l, d->month,
						     L10N_MONTH_SHORT));
		return buf;
	}
	return date_into(l, d,
			 text_of(l, with_year ? "date.short_day_month_year"
					      : "date.short_day_month"),
			 text_of(l, "date.short_month_year"), L10N_MONTH_SHORT,
			 L10N_MONTH_SHORT, buf, size);
}

/* The form of the plural entry key for the count n (v decimals; a range
 * under a one/other rule takes "other"), by the rule of the catalogue the
 * entry came from; none_given when the entry has neither that form nor
 * "other"; NULL when key is no plural entry. */
static const char *plural_pattern(const struct l10n *l, const char *key,
				  double n, int v, bool range,
				  const char *none_given)
{
	const struct entry *e = lookup(l, key);
	enum plural_rule r;
	enum plural_cat k;

	if (!e || e->kind != ENT_PLURAL)
		return NULL;
	r = cat_find(&l->cat, key) ? l->cat.rule : l->en.rule;
	k = range && r == RULE_ONE_OTHER ? PL_OTHER : plural_of(r, n, v);
	return e->forms[k]	       ? e->forms[k]
	       : e->forms[PL_OTHER] ? e->forms[PL_OTHER]
				    : none_given;
}

/* The unit phrase around number text num for count n (the high end of a
 * range: CLDR's plural ranges take the end's form, except that English
 * and its family always use "other": "0–1 days"). */
static void unit_into(const struct l10n *l, struct sb *b, const char *unit,
		      const char *num, double n, int v, bool range)
{
	char key[128];
	const char *pattern;

	if (!unit || !*unit || strcmp(unit, "count") == 0 ||
	    strcmp(unit, "rank") == 0) {
		sb_str(b, num);
		return;
	}
	if (strcmp(unit, "percent") == 0) {
		subst1(b, num_key(l, "percent"), "n", num);
		return;
	}
	snprintf(key, sizeof key, "units.%s", unit);
	pattern = plural_pattern(l, key, n, v, range, "{n}");
	if (pattern) {
		subst1(b, pattern, "n", num);
		return;
	}
	if (strcmp(l10n_language(l), "en") == 0 && n == 1 && v == 0 && !range) {
		/* English words the catalogue does not list: "1 troop". */
		size_t len = strlen(unit);
		char one[128];

		snprintf(one, sizeof one, "%.*s", (int)(len > 1 && unit[len - 1] == 's'
							 ? len - 1
							 : len),
			 unit);
		subst(b, text_of(l, "figure.unit_other"),
		      (const char *const[]){"n", "unit"},
		      (const char *const[]){num, one}, 2);
		return;
	}
	subst(b, text_of(l, "figure.unit_other"),
	      (const char *const[]){"n", "unit"},
	      (const char *const[]){num, unit}, 2);
}

int l10n_compact_digits(double v, double scale, char *t, size_t size)
{
	double x = v / scale;
	int dec = fabs(x) < 10 ? 2 : fabs(x) < 100 ? 1 : 0;
	size_t n;

	snprintf(t, size, "%.*f", dec, x);
	n = strlen(t);
	while (dec > 0 && n > 0 && t[n - 1] == '0') {
		t[--n] = '\0';
		dec--;
	}
	if (n > 0 && t[n - 1] == '.')
		t[--n] = '\0';
	return dec;
}

/* One number of a figure in form: compact, money (two decimals when it
 * has a fraction) or plain. */
static void form_number(const struct l10n *l, struct sb *b, double v,
			const struct l10n_form *f)
{
	char t[64];

	if (f->scale > 1) {
		l10n_compact_digits(v, f->scale, t, sizeof t);
		localise(l, b, t, true);
		return;
	}
	number_into(l, b, v, f->currency && fabs(v - round(v)) > 1e-9 ? 2 : -1);
}

/* core with the scale word of a compact number whose larger end is n:
 * "3,8 millions". */
static void scale_into(const struct l10n *l, struct sb *b, const char *core,
		       double n, const struct l10n_form *f, bool range)
{
	enum l10n_msg m = f->scale >= 1e9 ? L10N_BILLION : L10N_MILLION;
	char t[64];
	int dec = l10n_compact_digits(n, f->scale, t, sizeof t);
	const char *pattern = plural_pattern(l, msgs[m].key, strtod(t, NULL),
					     dec, range, "{count}");

	subst1(b, pattern ? pattern : "{count}", "count", core);
}

/* The money pattern around amount: the symbol's trailing space ("CHF ")
 * only when it comes before the number. */
static void money_into(const struct l10n *l, struct sb *b, const char *cur,
		       const char *amount)
{
	const char *pat = l10n_text(l, L10N_MONEY);
	const char *c = strstr(pat, "{currency}"), *n = strstr(pat, "{n}");
	char sym[32];
	size_t len = strlen(cur);

	if (c && n && n < c)
		while (len > 0 && cur[len - 1] == ' ')
			len--;
	snprintf(sym, sizeof sym, "%.*s", (int)len, cur);
	subst(b, pat, (const char *const[]){"currency", "n"},
	      (const char *const[]){sym, amount}, 2);
}

/* The text after leading spaces (U+0020, U+00A0, U+202F). */
static const char *past_spaces(const char *s)
{
	for (;;) {
		if (*s == ' ')
			s++;
		else if (strncmp(s, "\xC2\xA0", 2) == 0)
			s += 2;
		else if (strncmp(s, "\xE2\x80\xAF", 3) == 0)
			s += 3;
		else
			return s;
	}
}

/* Whether the word w begins with one of the letters of `letters` (any
 * case). */
static bool begins_with_one_of(const char *w, const char *letters)
{
	ucs4_t c;

	if (!*w || !*letters)
		return false;
	u8_mbtouc(&c, (const uint8_t *)w, strlen(w));
	return u8_strchr((const uint8_t *)letters, uc_tolower(c)) != NULL;
}

/* A unit after a scale word: "3,8 millions de personnes". Before a unit
 * word that begins with one of the catalogue's figure.elide_before
 * letters, its figure.scale_of_elided form, glued to the word: French
 * "3 millions d’enfants", not "de enfants". */
static void scaled_unit_into(const struct l10n *l, struct sb *b,
			     const char *unit, const char *scaled, double n,
			     bool range)
{
	const char *elided = text_of(l, "figure.scale_of_elided");
	char of[256], word[256];
	struct sb ob = {of, 0, sizeof of}, wb = {word, 0, sizeof word};
	int v = auto_decimals(n, -1);

	of[0] = word[0] = '\0';
	if (*elided) {
		const char *w;

		unit_into(l, &wb, unit, "", n, v, range);
		w = past_spaces(word);
		if (w != word &&
		    begins_with_one_of(w, text_of(l, "figure.elide_before"))) {
			subst1(b, elided, "n", scaled);
			sb_str(b, w);
			return;
		}
	}
	subst1(&ob, l10n_text(l, L10N_SCALE_OF), "n", scaled);
	unit_into(l, b, unit, of, n, v, range);
}


char *l10n_figure_in(const struct l10n *l, double value, bool has_high,
		     double high, enum qualifier q, const char *unit,
		     const struct l10n_form *form, char *buf, size_t size)
{
	static const char *const qkey[] = {
		[QUAL_EXACT] = "figure.exact",	   [QUAL_ABOUT] = "figure.about",
		[QUAL_AT_LEAST] = "figure.at_least",
		[QUAL_MORE_THAN] = "figure.more_than",
		[QUAL_NEARLY] = "figure.nearly",   [QUAL_AT_MOST] = "figure.at_most",
		[QUAL_RANGE] = "figure.exact"};
	static const struct l10n_form plain = {1, NULL, false};
	char a[64], z[64], core[160], scaled[224], phrase[320];
	struct sb b = {buf, 0, size}, ab = {a, 0, sizeof a},
		  zb = {z, 0, sizeof z}, cb = {core, 0, sizeof core},
		  xb = {scaled, 0, sizeof scaled},
		  pb = {phrase, 0, sizeof phrase};
	bool range = has_high && high != value;
	double n = range ? high : value;
	const struct l10n_form *f = form ? form : &plain;

	if (size)
		buf[0] = '\0';
	if (!l)
		return buf;
	a[0] = z[0] = core[0] = scaled[0] = phrase[0] = '\0';
	form_number(l, &ab, value, f);
	if (range) {
		form_number(l, &zb, high, f);
		subst(&cb, text_of(l, "figure.range"),
		      (const char *const[]){"low", "high"},
		      (const char *const[]){a, z}, 2);
	} else {
		sb_str(&cb, a);
		if (f->plus)
			sb_str(&cb, "+");
	}
	if (f->scale > 1)
		scale_into(l, &xb, core, n, f, range);
	else
		sb_str(&xb, core);
	if (f->currency) {
		money_into(l, &pb, f->currency, scaled);
	} else if (f->scale > 1 && unit && *unit) {
		scaled_unit_into(l, &pb, unit, scaled, n, range);
	} else {
		unit_into(l, &pb, unit, scaled, n, auto_decimals(n, -1), range);
	}
	subst1(&b, text_of(l, f->plus || (unsigned)q > QUAL_RANGE
				      ? "figure.exact"
				      : qkey[q]),
	       "n", phrase);
	return buf;
}

char *l10n_figure(const struct l10n *l, double value, bool has_high,
		  double high, enum qualifier q, const char *unit, char *buf,
		  size_t size)
{
	return l10n_figure_in(l, value, has_high, high, q, unit, NULL, buf,
			      size);
}

/* ---- periods ------------------------------------------------------------ */

char *l10n_period(const struct l10n *l, const struct date *from,
		  const struct date *to, bool month_once, char *buf,
		  size_t size)
{
	char a[96], z[96];
	struct sb b = {buf, 0, size}, ab = {a, 0, sizeof a};
	const char *const names[] = {"from", "to"};
	const char *pattern;

	if (size)
		buf[0] = '\0';
	if (!l || !from || !to)
		return buf;
	a[0] = '\0';
	l10n_date_long(l, to, z, sizeof z);
	if (date_cmp(from, to) == 0) {
		sb_str(&b, z);
		return buf;
	}
	pattern = text_of(l, "date.period");
	if (month_once && from->year == to->year && from->month == to->month &&
	    from->day && to->day) {
		day_into(l, &ab, from->day); /* "3–9 March 2025" */
		subst(&b, pattern, names, (const char *const[]){a, z}, 2);
		return buf;
	}
	if (from->year == to->year && from->month >= 1 && from->month <= 12) {
		/* The year once, at the end. */
		if (from->day > 0) {
			char d[32];
			struct sb db = {d, 0, sizeof d};

			d[0] = '\0';
			day_into(l, &db, from->day);
			subst(&ab, text_of(l, "date.day_month"),
			      (const char *const[]){"day", "month"},
			      (const char *const[]){
				      d, l10n_month(l, from->month,
						    L10N_MONTH_WITH_DAY)},
			      2);
		} else {
			sb_str(&ab,
			       l10n_month(l, from->month, L10N_MONTH_NAME));
		}
	} else {
		l10n_date_long(l, from, a, sizeof a);
	}
	if (strchr(a, ' ') || strchr(z, ' '))
		pattern = text_of(l, "date.period_spaced");
	subst(&b, pattern, names, (const char *const[]){a, z}, 2);
	return buf;
}

/* ---- checking the locale directory ------------------------------------ */

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.yaml names of dir, sorted (caller frees each and the array). */
static enum brief_status list_catalogues(const char *dir, char ***names,
					 size_t *n, struct diag *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0;

	*names = NULL;
	*n = 0;
	if (!d)
		return diag_set(err, BRIEF_EIO, dir, 0, 0,
				"cannot read the locale directory: %s",
				strerror(errno));
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char **p;

		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			p = realloc(*names, cap * sizeof *p);
			if (!p)
				goto nomem;
			*names = p;
		}
		(*names)[*n] = strdup(e->d_name);
		if (!(*names)[*n])
			goto nomem;
		(*n)++;
	}
	closedir(d);
	qsort(*names, *n, sizeof **names, name_cmp);
	return BRIEF_OK;
nomem:
	closedir(d);
	return diag_set(err, BRIEF_ENOMEM, dir, 0, 0, "out of memory");
}

enum brief_status l10n_check(const char *dir, struct diag_sink *sink,
			     size_t *ncat, struct diag *err)
{
	struct catalogue en;
	char path[1024], **names = NULL;
	size_t n = 0, read = 0;
	enum brief_status st, worst = BRIEF_OK;

	if (ncat)
		*ncat = 0;
	if (!cat_path(dir, "en", path, sizeof path))
		return diag_set(err, BRIEF_EIO, path, 0, 0,
				"no English catalogue");
	st = cat_load(&en, path, err);
	if (st == BRIEF_OK)
		st = en_complete(&en, err);
	if (st == BRIEF_OK)
		st = list_catalogues(dir, &names, &n, err);
	if (st != BRIEF_OK) {
		cat_free(&en);
		return st;
	}
	read = 1;
	for (size_t i = 0; i < n; i++) {
		struct catalogue c;
		struct diag d;

		if (strcmp(names[i], "en.yaml") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		st = cat_load(&c, path, &d);
		if (st == BRIEF_OK) {
			cat_compare(&c, &en, sink, false);
			read++;
		} else {
			diag_emit(sink, &d, DIAG_ERROR);
			if (worst == BRIEF_OK || st == BRIEF_ENOMEM) {
				worst = st;
				*err = d;
			}
		}
		cat_free(&c);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	cat_free(&en);
	if (ncat)
		*ncat = read;
	return worst;
}
