/* layout_yaml.c — YAML (front matter, fenced block bodies) into position-
 * carrying trees via libyaml's event parser, and chart specs from them. */
#include "layout_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

struct yparse {
	yaml_parser_t parser;
	const char *file;
	long line0, col0;
	size_t nodes;
	const char *text; /* the input, for positions libyaml gives as offsets */
	size_t len;
};

const char *ynode_kind_name(enum ynode_kind k)
{
	switch (k) {
	case Y_SCALAR:
		return "a value";
	case Y_SEQ:
		return "a list";
	case Y_MAP:
		return "a map";
	}
	return "?";
}

/* Kids are stored inline in their parent's array. */
static void ynode_free_members(struct ynode *y)
{
	size_t i;

	for (i = 0; i < y->n; i++)
		ynode_free_members(&y->kids[i]);
	free(y->kids);
	free(y->str);
}

void ynode_free(struct ynode *y)
{
	if (!y)
		return;
	ynode_free_members(y);
	free(y);
}

const struct ynode *ynode_get(const struct ynode *y, const char *key)
{
	size_t i;

	if (!y || y->kind != Y_MAP)
		return NULL;
	for (i = 0; i + 1 < y->n; i += 2)
		if (strcmp(y->kids[i].str, key) == 0)
			return &y->kids[i + 1];
	return NULL;
}

static enum brief_status yparse_fail(struct yparse *p, const yaml_mark_t *m,
				     struct diag *err, const char *msg)
{
	return diag_set(err, BRIEF_EDATA, p->file, p->line0 + (long)m->line,
			p->col0 + (long)m->column + 1, "%s", msg);
}

/* libyaml's reader (bad encoding, a character YAML forbids) gives a byte
 * offset, not a mark: count lines and code points up to it. */
static enum brief_status yreader_fail(struct yparse *p, struct diag *err)
{
	size_t off = p->parser.problem_offset < p->len ? p->parser.problem_offset
							: p->len;
	long line = 0, col = 0;

	for (size_t i = 0; i < off; i++) {
		if (p->text[i] == '\n') {
			line++;
			col = 0;
		} else if (((unsigned char)p->text[i] & 0xC0) != 0x80) {
			col++;
		}
	}
	return diag_set(err, BRIEF_EDATA, p->file, p->line0 + line,
			p->col0 + col + 1, "bad YAML: %s",
			p->parser.problem ? p->parser.problem
					  : "unreadable character");
}

/* The start of line `line` (0-based) of the YAML text, and its length. */
static const char *yline(const struct yparse *p, size_t line, size_t *len)
{
	const char *s = p->text, *e = p->text + p->len, *nl;

	for (; line && s < e; line--) {
		nl = memchr(s, '\n', (size_t)(e - s));
		s = nl ? nl + 1 : e;
	}
	nl = memchr(s, '\n', (size_t)(e - s));
	*len = (size_t)((nl ? nl : e) - s);
	return s;
}

/* Whether a plain value holds ": " or ends with ':' (YAML reads a key). */
static bool yholds_colon(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == ':' && (i + 1 == n || v[i + 1] == ' '))
			return true;
	return false;
}

/* When the line a YAML error is on has a plain value that YAML reads as
 * syntax (it starts with '%', '@', '`', '*', '&', '|', '>' or "- ", or
 * holds ": "), the hint that it needs quotes, the line written with them
 * (into buf; "" when the line is not key: value). */
static const char *yquote_hint(const struct yparse *p, size_t line,
			       char *buf, size_t size)
{
	size_t len, k = 0, vlen;
	const char *s = yline(p, line, &len), *v, *colon;
	const char *what;

	while (k < len && (s[k] == ' ' || s[k] == '\t'))
		if (s[k++] == '\t')
			return "; YAML indents with spaces, not tabs";
	k = 0;
	while (k < len && (s[k] == ' ' || s[k] == '-'))
		k++; /* a list item's key */
	colon = memchr(s + k, ':', len - k);
	while (colon && colon + 1 < s + len && colon[1] != ' ')
		colon = memchr(colon + 1, ':', (size_t)(s + len - colon - 1));
	if (!colon || colon == s + k)
		return "";
	v = colon + 1;
	while (v < s + len && *v == ' ')
		v++;
	vlen = (size_t)(s + len - v);
	while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\r'))
		vlen--;
	if (!vlen || *v == '"' || *v == '\'')
		return "";
	if (strchr("%@`*&|>", *v))
		what = *v == '*' || *v == '&'
			       ? "is read as a YAML alias or anchor"
			       : "is reserved in YAML";
	else if (vlen > 1 && v[0] == '-' && v[1] == ' ')
		what = "is read as a YAML list";
	else if (yholds_colon(v, vlen))
		what = NULL;
	else
		return "";
	{
		char q[160];
		size_t o = 0;

		for (size_t i = 0; i < vlen && o + 3 < sizeof q; i++) {
			if (v[i] == '"' || v[i] == '\\')
				q[o++] = '\\';
			q[o++] = v[i];
		}
		q[o] = '\0';
		if (what)
			snprintf(buf, size,
				 "; a value starting with '%c' needs quotes (it "
				 "%s): %.*s \"%s\"",
				 *v, what, (int)(colon + 1 - s - k), s + k, q);
		else
			snprintf(buf, size,
				 "; a value holding ': ' needs quotes: %.*s "
				 "\"%s\"",
				 (int)(colon + 1 - s - k), s + k, q);
	}
	return buf;
}

static enum brief_status yparse_next(struct yparse *p, yaml_event_t *ev,
				     struct diag *err)
{
	char hint[256];

	if (yaml_parser_parse(&p->parser, ev))
		return BRIEF_OK;
	if (p->parser.error == YAML_MEMORY_ERROR)
		return diag_set(err, BRIEF_ENOMEM, p->file, p->line0, 0,
				"out of memory parsing YAML");
	if (p->parser.error == YAML_READER_ERROR)
		return yreader_fail(p, err);
	return diag_set(err, BRIEF_EDATA, p->file,
			p->line0 + (long)p->parser.problem_mark.line,
			p->col0 + (long)p->parser.problem_mark.column + 1,
			"bad YAML: %s%s",
			p->parser.problem ? p->parser.problem : "syntax error",
			yquote_hint(p, p->parser.problem_mark.line, hint,
				    sizeof hint));
}

/* Fill *out from the event ev (already read), reading the node's children. */
static enum brief_status yparse_node(struct yparse *p, yaml_event_t *ev,
				     struct ynode *out, int depth,
				     struct diag *err)
{
	enum brief_status st = BRIEF_OK;
	yaml_event_type_t end;
	yaml_event_t kid;

	memset(out, 0, sizeof *out);
	out->line = p->line0 + (long)ev->start_mark.line;
	out->col = p->col0 + (long)ev->start_mark.column + 1;
	if (++p->nodes > YAML_MAX_NODES)
		return yparse_fail(p, &ev->start_mark, err,
				   "YAML block too large");
	if (depth > LAYOUT_MAX_DEPTH)
		return yparse_fail(p, &ev->start_mark, err,
				   "YAML nested too deeply");
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		out->kind = Y_SCALAR;
		out->str = malloc(ev->data.scalar.length + 1);
		if (!out->str)
			return BRIEF_ENOMEM;
		memcpy(out->str, ev->data.scalar.value, ev->data.scalar.length);
		out->str[ev->data.scalar.length] = '\0';
		return BRIEF_OK;
	case YAML_SEQUENCE_START_EVENT:
		out->kind = Y_SEQ;
		end = YAML_SEQUENCE_END_EVENT;
		break;
	case YAML_MAPPING_START_EVENT:
		out->kind = Y_MAP;
		end = YAML_MAPPING_END_EVENT;
		break;
	case YAML_ALIAS_EVENT: {
		char hint[256], msg[300];

		snprintf(msg, sizeof msg, "YAML aliases are not supported%s",
			 yquote_hint(p, ev->start_mark.line, hint,
				     sizeof hint));
		return yparse_fail(p, &ev->start_mark, err, msg);
	}
	default:
		return yparse_fail(p, &ev->start_mark, err,
				   "unexpected YAML event");
	}
	for (;;) {
		struct ynode *v;

		st = yparse_next(p, &kid, err);
		if (st)
			return st;
		if (kid.type == end) {
			yaml_event_delete(&kid);
			break;
		}
		v = realloc(out->kids, (out->n + 1) * sizeof *v);
		if (!v) {
			yaml_event_delete(&kid);
			return BRIEF_ENOMEM;
		}
		out->kids = v;
		st = yparse_node(p, &kid, &out->kids[out->n], depth + 1, err);
		out->n++; /* counted even on failure so the free sees it */
		if (!st && out->kind == Y_MAP && out->n % 2 == 1 &&
		    out->kids[out->n - 1].kind != Y_SCALAR)
			st = yparse_fail(p, &kid.start_mark, err,
					 "a YAML key must be a plain value");
		if (!st && out->kind == Y_MAP && out->n % 2 == 1) {
			size_t i;

			for (i = 0; i + 1 < out->n; i += 2)
				if (strcmp(out->kids[i].str,
					   out->kids[out->n - 1].str) == 0) {
					st = diag_set(err, BRIEF_EDATA, p->file,
						      out->kids[out->n - 1].line,
						      out->kids[out->n - 1].col,
						      "duplicate key '%s'",
						      out->kids[i].str);
					break;
				}
		}
		yaml_event_delete(&kid);
		if (st)
			return st;
	}
	return BRIEF_OK;
}

enum brief_status ynode_parse(const char *text, size_t len, const char *file,
			      long line0, long col0, struct ynode **out,
			      struct diag *err)
{
	struct yparse p;
	yaml_event_t ev;
	struct ynode *root = NULL;
	enum brief_status st;
	bool have_ev = false;

	*out = NULL;
	memset(&p, 0, sizeof p);
	if (!yaml_parser_initialize(&p.parser))
		return diag_set(err, BRIEF_ENOMEM, file, line0, 0,
				"out of memory parsing YAML");
	p.file = file;
	p.line0 = line0;
	p.col0 = col0;
	p.text = text;
	p.len = len;
	yaml_parser_set_input_string(&p.parser, (const unsigned char *)text,
				     len);
	/* stream start, then document start or stream end */
	st = yparse_next(&p, &ev, err);
	if (st)
		goto out;
	yaml_event_delete(&ev);
	st = yparse_next(&p, &ev, err);
	if (st)
		goto out;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		goto out;
	}
	yaml_event_delete(&ev);
	st = yparse_next(&p, &ev, err);
	if (st)
		goto out;
	have_ev = true;
	root = calloc(1, sizeof *root);
	if (!root) {
		st = BRIEF_ENOMEM;
		goto out;
	}
	st = yparse_node(&p, &ev, root, 0, err);
	if (st)
		goto out;
	yaml_event_delete(&ev);
	have_ev = false;
	st = yparse_next(&p, &ev, err); /* document end */
	if (st)
		goto out;
	yaml_event_delete(&ev);
	st = yparse_next(&p, &ev, err);
	if (st)
		goto out;
	have_ev = true;
	if (ev.type != YAML_STREAM_END_EVENT)
		st = yparse_fail(&p, &ev.start_mark, err,
				 "only one YAML document is allowed here");
out:
	if (have_ev)
		yaml_event_delete(&ev);
	yaml_parser_delete(&p.parser);
	if (st) {
		ynode_free(root);
		return st;
	}
	/* A bare scalar that is empty ("") is no content at all. */
	if (root && root->kind == Y_SCALAR && root->str[0] == '\0') {
		ynode_free(root);
		root = NULL;
	}
	*out = root;
	return BRIEF_OK;
}

/* ---- chart specs ---- */

static bool yaml_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes", "on" };
	static const char *const no[] = { "false", "False", "FALSE", "no", "No", "off" };
	size_t i;

	for (i = 0; i < sizeof yes / sizeof *yes; i++)
		if (strcmp(s, yes[i]) == 0)
			return *out = true;
	for (i = 0; i < sizeof no / sizeof *no; i++)
		if (strcmp(s, no[i]) == 0) {
			*out = false;
			return true;
		}
	return false;
}

/* A scalar value for key k, or an error at the value. */
static const char *spec_scalar(struct lay *L, const struct ynode *k,
			       const struct ynode *v)
{
	if (v->kind != Y_SCALAR) {
		lay_error(L, v->line, v->col, "'%s' must be a single value, not %s",
			  k->str, ynode_kind_name(v->kind));
		return NULL;
	}
	return v->str;
}

static bool spec_id_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

enum brief_status lay_filters(struct lay *L, const struct ynode *v,
			      struct chart_filter **out, size_t *nout)
{
	size_t i, k;
	struct chart_filter *fs;

	if (v->kind != Y_MAP) {
		lay_error(L, v->line, v->col,
			  "'filter' must be a map of column: value");
		return BRIEF_EDATA;
	}
	fs = calloc(v->n / 2 + 1, sizeof *fs);
	if (!fs)
		return BRIEF_ENOMEM;
	*out = fs;
	*nout = 0;
	for (i = 0; i + 1 < v->n; i += 2) {
		const struct ynode *col = &v->kids[i], *val = &v->kids[i + 1];
		struct chart_filter *f = &fs[*nout];

		if (val->kind == Y_MAP) {
			lay_error(L, val->line, val->col,
				  "filter '%s' must be a value or a list of values",
				  col->str);
			return BRIEF_EDATA;
		}
		f->column = lay_strdup(col->str);
		f->at.line = col->line;
		f->at.col = col->col;
		if (!f->column)
			return BRIEF_ENOMEM;
		(*nout)++;
		f->values = calloc(val->kind == Y_SEQ ? val->n + 1 : 1,
				   sizeof *f->values);
		if (!f->values)
			return BRIEF_ENOMEM;
		if (val->kind == Y_SCALAR) {
			f->values[0] = lay_strdup(val->str);
			if (!f->values[0])
				return BRIEF_ENOMEM;
			f->nvalues = 1;
			continue;
		}
		for (k = 0; k < val->n; k++) {
			if (val->kids[k].kind != Y_SCALAR) {
				lay_error(L, val->kids[k].line, val->kids[k].col,
					  "filter '%s': values must be plain values",
					  col->str);
				return BRIEF_EDATA;
			}
			f->values[k] = lay_strdup(val->kids[k].str);
			if (!f->values[k])
				return BRIEF_ENOMEM;
			f->nvalues++;
		}
		if (!f->nvalues) {
			lay_error(L, val->line, val->col,
				  "filter '%s' has no values", col->str);
			return BRIEF_EDATA;
		}
	}
	return BRIEF_OK;
}

void lay_filters_free(struct chart_filter *f, size_t n)
{
	size_t i, k;

	if (!f)
		return;
	for (i = 0; i < n; i++) {
		free(f[i].column);
		for (k = 0; k < f[i].nvalues; k++)
			free(f[i].values[k]);
		free(f[i].values);
	}
	free(f);
}

struct spec_enum {
	const char *name;
	int value;
};

static bool spec_enum_find(const struct spec_enum *e, const char *s, int *out)
{
	for (; e->name; e++)
		if (strcmp(e->name, s) == 0) {
			*out = e->value;
			return true;
		}
	return false;
}

static const struct spec_enum spec_types[] = {
	{ "bar", CHART_BAR },	     { "stacked-bar", CHART_STACKED_BAR },
	{ "stacked_bar", CHART_STACKED_BAR }, { "line", CHART_LINE },
	{ "step", CHART_STEP },	     { "timeline", CHART_TIMELINE },
	{ "map", CHART_MAP },	     { NULL, 0 }
};
static const struct spec_enum spec_aggs[] = {
	{ "sum", AGG_SUM }, { "count", AGG_COUNT }, { "max", AGG_MAX }, { NULL, 0 }
};
static const struct spec_enum spec_buckets[] = {
	{ "none", BUCKET_NONE }, { "day", BUCKET_DAY },	  { "week", BUCKET_WEEK },
	{ "month", BUCKET_MONTH }, { "year", BUCKET_YEAR }, { NULL, 0 }
};

/* A string key: copy the value and remember where it was written. */
static enum brief_status spec_str(struct lay *L, const struct ynode *k,
				  const struct ynode *v, char **dst,
				  struct srcpos *at)
{
	const char *s = spec_scalar(L, k, v);

	if (!s)
		return BRIEF_EDATA;
	free(*dst);
	*dst = lay_strdup(s);
	if (!*dst)
		return BRIEF_ENOMEM;
	if (at) {
		at->line = v->line;
		at->col = v->col;
	}
	return BRIEF_OK;
}

static enum brief_status spec_key(struct lay *L, const struct ynode *k,
				  const struct ynode *v, bool timeline,
				  bool *have_type, struct chart_spec *spec)
{
	const char *key = k->str, *s;
	int e;
	char *end;
	double d;

	if (strcmp(key, "id") == 0)
		return spec_str(L, k, v, &spec->id, NULL);
	if (strcmp(key, "dataset") == 0)
		return spec_str(L, k, v, &spec->dataset, &spec->at_dataset);
	if (strcmp(key, "x") == 0)
		return spec_str(L, k, v, &spec->x, &spec->at_x);
	if (strcmp(key, "y") == 0)
		return spec_str(L, k, v, &spec->y, &spec->at_y);
	if (strcmp(key, "group") == 0)
		return spec_str(L, k, v, &spec->group, &spec->at_group);
	if (strcmp(key, "sort") == 0) {
		s = spec_scalar(L, k, v);
		if (!s)
			return BRIEF_EDATA;
		if (strcmp(s, "value") && strcmp(s, "-value") && strcmp(s, "x") &&
		    strcmp(s, "-x")) {
			lay_error(L, v->line, v->col,
				  "chart 'sort' must be value, -value, x or -x, not '%s'",
				  s);
			return BRIEF_EDATA;
		}
		return spec_str(L, k, v, &spec->sort, &spec->at_sort);
	}
	if (strcmp(key, "title") == 0)
		return spec_str(L, k, v, &spec->title, NULL);
	if (strcmp(key, "subtitle") == 0)
		return spec_str(L, k, v, &spec->subtitle, NULL);
	if (strcmp(key, "note") == 0)
		return spec_str(L, k, v, &spec->note, NULL);
	if (strcmp(key, "description") == 0)
		return spec_str(L, k, v, &spec->description, NULL);
	if (strcmp(key, "y_label") == 0)
		return spec_str(L, k, v, &spec->y_label, NULL);
	if (strcmp(key, "filter") == 0)
		return lay_filters(L, v, &spec->filters, &spec->nfilters);
	if (strcmp(key, "type") == 0 || strcmp(key, "agg") == 0 ||
	    strcmp(key, "bucket") == 0) {
		const struct spec_enum *tab = key[0] == 't' ? spec_types :
					      key[0] == 'a' ? spec_aggs :
							      spec_buckets;
		const char *want = key[0] == 't' ?
			"bar, stacked-bar, line, step, timeline or map" :
			key[0] == 'a' ? "sum, count or max" :
					"day, week, month, year or none";

		s = spec_scalar(L, k, v);
		if (!s)
			return BRIEF_EDATA;
		if (!spec_enum_find(tab, s, &e)) {
			lay_error(L, v->line, v->col,
				  "chart '%s' must be %s, not '%s'", key, want, s);
			return BRIEF_EDATA;
		}
		if (key[0] == 't') {
			if (timeline && e != CHART_TIMELINE) {
				lay_error(L, v->line, v->col,
					  "a timeline block has type timeline, not '%s'",
					  s);
				return BRIEF_EDATA;
			}
			spec->type = (enum chart_type)e;
			spec->at_type.line = v->line;
			spec->at_type.col = v->col;
			*have_type = true;
		} else if (key[0] == 'a') {
			spec->agg = (enum chart_agg)e;
			spec->at_agg.line = v->line;
			spec->at_agg.col = v->col;
		} else {
			spec->bucket = (enum chart_bucket)e;
			spec->at_bucket.line = v->line;
			spec->at_bucket.col = v->col;
		}
		return BRIEF_OK;
	}
	if (strcmp(key, "horizontal") == 0 || strcmp(key, "area") == 0) {
		bool b;

		s = spec_scalar(L, k, v);
		if (!s)
			return BRIEF_EDATA;
		if (!yaml_bool(s, &b)) {
			lay_error(L, v->line, v->col,
				  "chart '%s' must be true or false, not '%s'",
				  key, s);
			return BRIEF_EDATA;
		}
		if (key[0] == 'h')
			spec->horizontal = b;
		else
			spec->area = b;
		return BRIEF_OK;
	}
	if (strcmp(key, "width") == 0 || strcmp(key, "height") == 0) {
		s = spec_scalar(L, k, v);
		if (!s)
			return BRIEF_EDATA;
		errno = 0;
		d = strtod(s, &end);
		if (errno || end == s || *end || !isfinite(d) || d < 50 ||
		    d > 2000) {
			lay_error(L, v->line, v->col,
				  "chart '%s' must be a size in pt (50 to 2000), not '%s'",
				  key, s);
			return BRIEF_EDATA;
		}
		if (key[0] == 'w')
			spec->width = d;
		else
			spec->height = d;
		return BRIEF_OK;
	}
	if (lay_map_key(key))
		return lay_map_spec_key(L, k, v, spec);
	lay_error(L, k->line, k->col, "unknown chart key '%s'", key);
	return BRIEF_EDATA;
}

enum brief_status lay_chart_spec(struct lay *L, const struct ynode *y,
				 bool timeline, long line, long col,
				 struct chart_spec *spec)
{
	enum brief_status st = BRIEF_OK, one;
	bool have_type = false;
	size_t i;
	enum dataset_kind kind;

	memset(spec, 0, sizeof *spec);
	spec->file = L->path;
	spec->at.line = line;
	spec->at.col = col;
	if (timeline)
		spec->type = CHART_TIMELINE;
	if (y && y->kind != Y_MAP) {
		lay_error(L, y->line, y->col,
			  "a %s block must be a map of keys (id, type, dataset, ...)",
			  timeline ? "timeline" : "chart");
		return BRIEF_EDATA;
	}
	for (i = 0; y && i + 1 < y->n; i += 2) {
		one = spec_key(L, &y->kids[i], &y->kids[i + 1], timeline,
			       &have_type, spec);
		if (one == BRIEF_ENOMEM)
			return one;
		if (one)
			st = one;
	}
	if (!have_type && !timeline && !(y && ynode_get(y, "type"))) {
		/* a 'type' that is wrong was reported where it is */
		lay_error(L, line, col,
			  "chart needs a type (bar, stacked-bar, line, step, timeline or map)");
		st = BRIEF_EDATA;
	}
	one = lay_map_spec_check(L, y, spec);
	if (one == BRIEF_ENOMEM)
		return one;
	if (one)
		st = one;
	if (!spec->id && spec->type == CHART_TIMELINE) {
		char buf[32];

		L->timelines++;
		if (L->timelines == 1)
			snprintf(buf, sizeof buf, "timeline");
		else
			snprintf(buf, sizeof buf, "timeline-%u", L->timelines);
		spec->id = lay_strdup(buf);
		if (!spec->id)
			return BRIEF_ENOMEM;
	}
	if (!spec->id) {
		lay_error(L, line, col, "chart needs an id (its export file name)");
		st = BRIEF_EDATA;
	} else if (!spec_id_ok(spec->id)) {
		const struct ynode *v = ynode_get(y, "id");

		lay_error(L, v ? v->line : line, v ? v->col : col,
			  "chart id '%s' may only have letters, digits, '-' and '_'",
			  spec->id);
		st = BRIEF_EDATA;
	} else {
		char **ids;

		/* Without case: the ids name export files, and some file
		 * systems do not tell 'Deaths.png' from 'deaths.png'. */
		for (i = 0; i < L->nchart_ids; i++)
			if (strcasecmp(L->chart_ids[i], spec->id) == 0) {
				const struct ynode *v = ynode_get(y, "id");

				if (strcmp(L->chart_ids[i], spec->id) == 0)
					lay_error(L, v ? v->line : line,
						  v ? v->col : col,
						  "duplicate chart id '%s'",
						  spec->id);
				else
					lay_error(L, v ? v->line : line,
						  v ? v->col : col,
						  "duplicate chart id '%s' (its "
						  "export files would replace "
						  "those of '%s')",
						  spec->id, L->chart_ids[i]);
				st = BRIEF_EDATA;
				break;
			}
		ids = realloc(L->chart_ids, (L->nchart_ids + 1) * sizeof *ids);
		if (!ids)
			return BRIEF_ENOMEM;
		L->chart_ids = ids;
		ids[L->nchart_ids] = lay_strdup(spec->id);
		if (!ids[L->nchart_ids])
			return BRIEF_ENOMEM;
		L->nchart_ids++;
	}
	if (!spec->dataset && spec->type == CHART_TIMELINE) {
		spec->dataset = lay_strdup("events");
		if (!spec->dataset)
			return BRIEF_ENOMEM;
		spec->at_dataset = spec->at;
	}
	if (spec->type == CHART_MAP) {
		/* A map's datasets are in its layers (layout_map.c). */
	} else if (!spec->dataset) {
		lay_error(L, line, col, "chart needs a dataset");
		st = BRIEF_EDATA;
	} else if (!dataset_kind_parse(spec->dataset, &kind)) {
		lay_error(L, spec->at_dataset.line, spec->at_dataset.col,
			  "unknown dataset '%s' (casualties, displacement, control, figures or events)",
			  spec->dataset);
		st = BRIEF_EDATA;
	}
	return st;
}
