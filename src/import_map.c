/* import_map.c — an import mapping from YAML: the format's identity, its
 * value maps and date formats, and outputs whose column templates are
 * compiled once ("{event_date|date}", "acled-{event_id_cnty|slug}"). The
 * YAML tree comes from the layout's parser (ynode), so a mapping error has
 * the same file:line:col form as a layout error. */
#include "import_int.h"
#include "layout_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MAP_MAX_BYTES (1L << 20)

struct mload {
	struct import_map *m;
	const char *file;
	struct diag *err;
};

static enum brief_status merr(struct mload *L, const struct ynode *y,
			      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static enum brief_status merr(struct mload *L, const struct ynode *y,
			      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vset(L->err, BRIEF_EDATA, L->file, y ? y->line : 0,
		  y ? y->col : 0, fmt, ap);
	va_end(ap);
	return BRIEF_EDATA;
}

static enum brief_status oom(struct mload *L)
{
	return diag_set(L->err, BRIEF_ENOMEM, L->file, 0, 0, "out of memory");
}

static char *xstrdup(const char *s)
{
	return strdup(s ? s : "");
}

static enum brief_status scalar(struct mload *L, const struct ynode *y,
				const char *what, char **out)
{
	if (!y || y->kind != Y_SCALAR)
		return merr(L, y, "'%s' must be a single value", what);
	*out = xstrdup(y->str);
	return *out ? BRIEF_OK : oom(L);
}

/* A scalar or a list of scalars. */
static enum brief_status str_list(struct mload *L, const struct ynode *y,
				  const char *what, char ***out, size_t *n)
{
	size_t i, k = y->kind == Y_SEQ ? y->n : 1;

	*out = calloc(k + 1, sizeof **out);
	if (!*out)
		return oom(L);
	*n = k;
	for (i = 0; i < k; i++) {
		const struct ynode *e = y->kind == Y_SEQ ? &y->kids[i] : y;
		enum brief_status st = scalar(L, e, what, &(*out)[i]);

		if (st)
			return st;
	}
	return BRIEF_OK;
}

const char *vmap_get(const struct vmap *v, const char *key)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->keys[i], key) == 0)
			return v->vals[i];
	return v->dflt;
}

static const struct vmap *find_map(const struct import_map *m,
				   const char *name)
{
	size_t i;

	for (i = 0; i < m->nmaps; i++)
		if (strcmp(m->maps[i].name, name) == 0)
			return &m->maps[i];
	return NULL;
}

static enum brief_status load_maps(struct mload *L, const struct ynode *y)
{
	struct import_map *m = L->m;
	size_t i, j;

	if (y->kind != Y_MAP)
		return merr(L, y, "'maps' must be a map of value maps");
	m->maps = calloc(y->n / 2 + 1, sizeof *m->maps);
	if (!m->maps)
		return oom(L);
	for (i = 0; i + 1 < y->n; i += 2) {
		const struct ynode *k = &y->kids[i], *v = &y->kids[i + 1];
		struct vmap *vm = &m->maps[m->nmaps++];

		vm->line = k->line;
		vm->col = k->col;
		if (!(vm->name = xstrdup(k->str)))
			return oom(L);
		if (v->kind != Y_MAP)
			return merr(L, v, "value map '%s' must be a map", k->str);
		vm->keys = calloc(v->n / 2 + 1, sizeof *vm->keys);
		vm->vals = calloc(v->n / 2 + 1, sizeof *vm->vals);
		if (!vm->keys || !vm->vals)
			return oom(L);
		for (j = 0; j + 1 < v->n; j += 2) {
			const struct ynode *a = &v->kids[j], *b = &v->kids[j + 1];
			char *val;

			if (b->kind != Y_SCALAR)
				return merr(L, b, "value map '%s': '%s' must map to a single value",
					    vm->name, a->str);
			if (!(val = xstrdup(b->str)))
				return oom(L);
			if (strcmp(a->str, "_default") == 0) {
				free(vm->dflt);
				vm->dflt = val;
				continue;
			}
			vm->keys[vm->n] = xstrdup(a->str);
			vm->vals[vm->n] = val;
			if (!vm->keys[vm->n])
				return oom(L);
			vm->n++;
		}
	}
	return BRIEF_OK;
}

/* ---- templates ------------------------------------------------------ */

static const struct {
	const char *name;
	enum filter_kind kind;
	int args; /* -1: optional */
} filters[] = {
	{"date", F_DATE, 0},	     {"month", F_MONTH, 0},
	{"year", F_YEAR, 0},	     {"date_by", F_DATE_BY, 2},
	{"int", F_INT, 0},	     {"number", F_NUMBER, 0},
	{"low", F_LOW, 0},	     {"high", F_HIGH, 0},
	{"qual", F_QUAL, -1},	     {"map", F_MAP, 1},
	{"slug", F_SLUG, 0},	     {"trunc", F_TRUNC, 1},
	{"default", F_DEFAULT, 1},   {"lower", F_LOWER, 0},
	{"epoch_date", F_EPOCH_DATE, 0},
};

/* Compile one filter "name:arg:arg". */
static enum brief_status compile_filter(struct mload *L, const struct ynode *y,
					char *spec, struct filter *f)
{
	char *args = strchr(spec, ':'), *a2 = NULL;
	size_t i, nargs = 0;

	if (args) {
		*args++ = '\0';
		nargs = 1;
		/* default:TEXT takes the rest whole (it may hold ':') */
		if (strcmp(spec, "default") != 0 && (a2 = strchr(args, ':'))) {
			*a2++ = '\0';
			nargs = 2;
		}
	}
	f->argcol = -1;
	for (i = 0; i < sizeof filters / sizeof *filters; i++)
		if (strcmp(filters[i].name, spec) == 0)
			break;
	if (i == sizeof filters / sizeof *filters)
		return merr(L, y,
			    "unknown filter '%s' (date, month, year, date_by, int, "
			    "number, low, high, qual, map, slug, trunc, default, "
			    "lower, epoch_date)",
			    spec);
	f->kind = filters[i].kind;
	if (filters[i].args >= 0 && (size_t)filters[i].args != nargs)
		return merr(L, y, "filter '%s' takes %d argument%s", spec,
			    filters[i].args, filters[i].args == 1 ? "" : "s");
	switch (f->kind) {
	case F_MAP:
		if (!(f->map = find_map(L->m, args)))
			return merr(L, y, "no value map '%s' in 'maps'", args);
		break;
	case F_DATE_BY:
		/* date_by:COLUMN:MAP — the precision the column's value maps to */
		if (!(f->map = find_map(L->m, a2)))
			return merr(L, y, "no value map '%s' in 'maps'", a2);
		if (!(f->arg = xstrdup(args)))
			return oom(L);
		break;
	case F_QUAL:
		/* qual:MAP[:COLUMN] — the words before a figure, or the
		 * column's wording, through MAP; a range is `range` */
		if (nargs < 1 || !(f->map = find_map(L->m, args)))
			return merr(L, y, "filter 'qual' needs a value map: qual:MAP or qual:MAP:COLUMN");
		if (a2 && !(f->arg = xstrdup(a2)))
			return oom(L);
		break;
	case F_TRUNC: {
		char *end;

		f->n = strtol(args, &end, 10);
		if (*end || f->n < 2 || f->n > 1000)
			return merr(L, y, "trunc needs a length from 2 to 1000");
		break;
	}
	case F_DEFAULT:
		if (!(f->arg = xstrdup(args)))
			return oom(L);
		break;
	default:
		break;
	}
	return BRIEF_OK;
}

static enum brief_status add_part(struct mload *L, struct tmpl *t,
				  enum part_kind kind, const char *s, size_t n)
{
	struct tpart *p = realloc(t->p, (t->n + 1) * sizeof *p);

	if (!p)
		return oom(L);
	t->p = p;
	p = &t->p[t->n++];
	memset(p, 0, sizeof *p);
	p->kind = kind;
	p->col = -1;
	p->text = malloc(n + 1);
	if (!p->text)
		return oom(L);
	memcpy(p->text, s, n);
	p->text[n] = '\0';
	return BRIEF_OK;
}

/* "{name?|f|f:arg}" from the text between the braces. */
static enum brief_status compile_ref(struct mload *L, const struct ynode *y,
				     struct tmpl *t, const char *s, size_t n)
{
	char buf[512], *bar, *name;
	struct tpart *p;
	enum part_kind kind = TP_COL;
	enum brief_status st;

	if (n == 0 || n >= sizeof buf)
		return merr(L, y, "empty or over-long {...} in template");
	memcpy(buf, s, n);
	buf[n] = '\0';
	bar = strchr(buf, '|');
	if (bar)
		*bar++ = '\0';
	name = buf;
	if (name[0] == '@') {
		name++;
		kind = strcmp(name, "key") == 0	     ? TP_KEY
		       : strcmp(name, "source") == 0 ? TP_SOURCE
		       : strcmp(name, "file") == 0   ? TP_FILE
		       : strcmp(name, "row") == 0    ? TP_ROW
						     : TP_OUT;
	}
	st = add_part(L, t, kind, name, strlen(name));
	if (st)
		return st;
	p = &t->p[t->n - 1];
	n = strlen(p->text);
	if (kind == TP_COL && n && p->text[n - 1] == '?') {
		p->optional = true;
		p->text[n - 1] = '\0';
	}
	if (!p->text[0])
		return merr(L, y, "empty column name in {...}");
	while (bar) {
		char *next = strchr(bar, '|');
		struct filter *f;

		if (next)
			*next++ = '\0';
		f = realloc(p->f, (p->nf + 1) * sizeof *f);
		if (!f)
			return oom(L);
		p->f = f;
		memset(&f[p->nf], 0, sizeof *f);
		st = compile_filter(L, y, bar, &f[p->nf]);
		p->nf++;
		if (st)
			return st;
		bar = next;
	}
	return BRIEF_OK;
}

static enum brief_status compile_tmpl(struct mload *L, const struct ynode *y,
				      struct tmpl *t)
{
	const char *s, *lit;
	enum brief_status st;

	memset(t, 0, sizeof *t);
	t->line = y->line;
	t->col = y->col;
	if (y->kind != Y_SCALAR)
		return merr(L, y, "a column template must be a single value");
	s = lit = y->str;
	while (*s) {
		if (s[0] == '{' && s[1] == '{') {
			if ((st = add_part(L, t, TP_LIT, lit, (size_t)(s - lit + 1))))
				return st;
			s += 2;
			lit = s;
		} else if (s[0] == '}' && s[1] == '}') {
			if ((st = add_part(L, t, TP_LIT, lit, (size_t)(s - lit + 1))))
				return st;
			s += 2;
			lit = s;
		} else if (*s == '{') {
			const char *end = strchr(s, '}');

			if (!end)
				return merr(L, y, "'{' without '}' in template \"%s\"",
					    y->str);
			if (s > lit &&
			    (st = add_part(L, t, TP_LIT, lit, (size_t)(s - lit))))
				return st;
			if ((st = compile_ref(L, y, t, s + 1, (size_t)(end - s - 1))))
				return st;
			s = lit = end + 1;
		} else {
			s++;
		}
	}
	if (s > lit)
		return add_part(L, t, TP_LIT, lit, (size_t)(s - lit));
	return BRIEF_OK;
}

/* ---- outputs -------------------------------------------------------- */

static int out_index(const struct output *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->ncols; i++)
		if (strcmp(o->names[i], name) == 0)
			return (int)i;
	return -1;
}

/* Append "name > 0", "name in [a, b]" ... to text (for the provenance row). */
static void cond_words(const struct cond *c, char *text, size_t size, size_t *tl)
{
	size_t j;
	int w;

	w = snprintf(text + *tl, size - *tl, "%s%s%s", *tl ? "; " : "", c->name,
		     c->kind == C_NONEMPTY ? " not empty"
		     : c->kind == C_EMPTY  ? " empty"
		     : c->kind == C_POSITIVE ? " > 0"
		     : c->kind == C_NONE ? " not in ["
		     : c->nvals == 1 ? " = " : " in [");
	for (j = 0; w > 0 && j < c->nvals; j++) {
		*tl += (size_t)w;
		if (*tl >= size)
			break;
		w = snprintf(text + *tl, size - *tl, "%s%s", j ? ", " : "",
			     c->vals[j]);
	}
	if (w > 0)
		*tl += (size_t)w;
	if (*tl < size && (c->kind == C_NONE || (c->kind == C_ANY && c->nvals != 1))) {
		w = snprintf(text + *tl, size - *tl, "]");
		if (w > 0)
			*tl += (size_t)w;
	}
	if (*tl >= size)
		*tl = size - 1;
}

static enum brief_status load_where(struct mload *L, const struct ynode *y,
				    struct output *o)
{
	size_t i;
	char text[512];
	size_t tl = 0;

	if (y->kind != Y_MAP)
		return merr(L, y, "'where' must be a map column: test");
	o->where = calloc(y->n / 2 + 1, sizeof *o->where);
	if (!o->where)
		return oom(L);
	text[0] = '\0';
	for (i = 0; i + 1 < y->n; i += 2) {
		const struct ynode *k = &y->kids[i], *v = &y->kids[i + 1];
		struct cond *c = &o->where[o->nwhere++];
		const struct ynode *list = v;
		enum brief_status st;

		c->line = k->line;
		c->colpos = k->col;
		c->col = -1;
		if (!(c->name = xstrdup(k->str)))
			return oom(L);
		c->kind = C_ANY;
		if (v->kind == Y_SCALAR && strcmp(v->str, "nonempty") == 0) {
			c->kind = C_NONEMPTY;
			list = NULL;
		} else if (v->kind == Y_SCALAR && strcmp(v->str, "empty") == 0) {
			c->kind = C_EMPTY;
			list = NULL;
		} else if (v->kind == Y_SCALAR && strcmp(v->str, "positive") == 0) {
			c->kind = C_POSITIVE;
			list = NULL;
		} else if (v->kind == Y_MAP) {
			list = ynode_get(v, "not");
			if (!list || v->n != 2)
				return merr(L, v, "a 'where' test is a value, a list, "
					    "nonempty, empty, positive or {not: [...]}");
			c->kind = C_NONE;
		}
		if (list && (st = str_list(L, list, "where", &c->vals, &c->nvals)))
			return st;
		/* The provenance row says which rows were kept. */
		cond_words(c, text, sizeof text, &tl);
	}
	o->filter_text = xstrdup(text);
	return o->filter_text ? BRIEF_OK : oom(L);
}

static enum brief_status index_list(struct mload *L, const struct ynode *y,
				    struct output *o, const char *what,
				    size_t **out, size_t *n)
{
	size_t i, k;

	if (y->kind != Y_SEQ)
		return merr(L, y, "'%s' must be a list of output columns", what);
	*out = calloc(y->n + 1, sizeof **out);
	if (!*out)
		return oom(L);
	for (i = 0; i < y->n; i++) {
		int c;

		if (y->kids[i].kind != Y_SCALAR)
			return merr(L, &y->kids[i], "'%s' lists column names", what);
		c = out_index(o, y->kids[i].str);
		if (c < 0)
			return merr(L, &y->kids[i],
				    "'%s': '%s' is not a column of this output",
				    what, y->kids[i].str);
		for (k = 0; k < *n; k++)
			if ((*out)[k] == (size_t)c)
				return merr(L, &y->kids[i], "'%s' lists '%s' twice",
					    what, y->kids[i].str);
		(*out)[(*n)++] = (size_t)c;
	}
	return BRIEF_OK;
}

static enum brief_status load_output(struct mload *L, const struct ynode *y,
				     struct output *o)
{
	const struct ynode *v;
	size_t i;
	enum brief_status st;
	static const char *const keys[] = {"dataset", "when", "where",
					   "columns", "aggregate", NULL};

	o->line = y->line;
	o->id_col = -1;
	if (y->kind != Y_MAP)
		return merr(L, y, "an output must be a map (dataset, columns, ...)");
	for (i = 0; i + 1 < y->n; i += 2) {
		size_t k;

		for (k = 0; keys[k] && strcmp(keys[k], y->kids[i].str) != 0; k++)
			;
		if (!keys[k])
			return merr(L, &y->kids[i],
				    "unknown output key '%s' (dataset, when, where, "
				    "columns, aggregate)",
				    y->kids[i].str);
	}
	v = ynode_get(y, "dataset");
	if (!v || v->kind != Y_SCALAR || !dataset_kind_parse(v->str, &o->ds))
		return merr(L, v ? v : y,
			    "output 'dataset' must be casualties, displacement, "
			    "control, figures or events");
	if ((v = ynode_get(y, "when")) && (st = scalar(L, v, "when", &o->when)))
		return st;
	if ((v = ynode_get(y, "where")) && (st = load_where(L, v, o)))
		return st;
	if (!o->filter_text && !(o->filter_text = xstrdup("")))
		return oom(L);
	v = ynode_get(y, "columns");
	if (!v || v->kind != Y_MAP)
		return merr(L, v ? v : y, "output needs 'columns': a map of column templates");
	if (v->n / 2 > IMPORT_MAX_COLS)
		return merr(L, v, "more than %d columns", IMPORT_MAX_COLS);
	o->names = calloc(v->n / 2 + 1, sizeof *o->names);
	o->cols = calloc(v->n / 2 + 1, sizeof *o->cols);
	if (!o->names || !o->cols)
		return oom(L);
	for (i = 0; i + 1 < v->n; i += 2) {
		const struct ynode *k = &v->kids[i];

		if (out_index(o, k->str) >= 0)
			return merr(L, k, "column '%s' given twice", k->str);
		if (!(o->names[o->ncols] = xstrdup(k->str)))
			return oom(L);
		st = compile_tmpl(L, &v->kids[i + 1], &o->cols[o->ncols]);
		o->ncols++;
		if (st)
			return st;
	}
	o->id_col = out_index(o, "id");
	o->c_value = out_index(o, "value");
	o->c_high = out_index(o, "value_high");
	o->c_qual = out_index(o, "qualifier");
	if (o->id_col < 0)
		return merr(L, v, "output columns need an 'id'");
	/* {@name} refers to an output column evaluated before it. */
	for (i = 0; i < o->ncols; i++) {
		size_t j;

		for (j = 0; j < o->cols[i].n; j++) {
			struct tpart *p = &o->cols[i].p[j];

			if (p->kind != TP_OUT)
				continue;
			p->col = out_index(o, p->text);
			if (p->col < 0 || (size_t)p->col == i ||
			    (i != (size_t)o->id_col && (size_t)p->col > i))
				return merr(L, &v->kids[2 * i + 1],
					    "{@%s}: only 'id' may use other columns, "
					    "and only ones named earlier",
					    p->text);
		}
	}
	if ((v = ynode_get(y, "aggregate"))) {
		const struct ynode *by = ynode_get(v, "by"), *sum = ynode_get(v, "sum");

		if (v->kind != Y_MAP || !by || !sum)
			return merr(L, v, "'aggregate' needs 'by' and 'sum' lists");
		o->aggregate = true;
		if ((st = index_list(L, by, o, "by", &o->by, &o->nby)) ||
		    (st = index_list(L, sum, o, "sum", &o->sum, &o->nsum)))
			return st;
		for (i = 0; i < o->cols[o->id_col].n; i++)
			if (o->cols[o->id_col].p[i].kind == TP_COL)
				return merr(L, &v->kids[0],
					    "an aggregated output's id is made of "
					    "output columns ({@name}, {@key}), not "
					    "export columns");
	}
	return BRIEF_OK;
}

/* ---- the file ------------------------------------------------------- */

static const char *const top_keys[] = {
	"format", "provider", "title", "source_id", "url", "language",
	"author", "delimiter", "hxl", "require", "thousands", "dates",
	"maps", "outputs", NULL};

static enum brief_status load_tree(struct mload *L, const struct ynode *y)
{
	struct import_map *m = L->m;
	const struct ynode *v;
	enum brief_status st;
	size_t i;

	if (!y || y->kind != Y_MAP)
		return merr(L, y, "a mapping is a YAML map (format, outputs, ...)");
	for (i = 0; i + 1 < y->n; i += 2) {
		size_t k;

		for (k = 0; top_keys[k] && strcmp(top_keys[k], y->kids[i].str); k++)
			;
		if (!top_keys[k])
			return merr(L, &y->kids[i], "unknown mapping key '%s'",
				    y->kids[i].str);
	}
#define REQ_STR(key, field)                                                   \
	do {                                                                  \
		v = ynode_get(y, key);                                        \
		if (!v)                                                       \
			return merr(L, y, "mapping needs '%s'", key);         \
		if ((st = scalar(L, v, key, &m->field)))                      \
			return st;                                            \
	} while (0)
	REQ_STR("format", format);
	REQ_STR("provider", provider);
	REQ_STR("title", title);
	REQ_STR("source_id", source_id);
#undef REQ_STR
	for (i = 0; m->source_id[i]; i++)
		if (!((m->source_id[i] >= 'a' && m->source_id[i] <= 'z') ||
		      (m->source_id[i] >= '0' && m->source_id[i] <= '9') ||
		      m->source_id[i] == '-'))
			return merr(L, ynode_get(y, "source_id"),
				    "source_id must be lowercase letters, digits and '-'");
	if ((v = ynode_get(y, "url")) && (st = scalar(L, v, "url", &m->url)))
		return st;
	if ((v = ynode_get(y, "author")) && (st = scalar(L, v, "author", &m->author)))
		return st;
	if ((v = ynode_get(y, "language"))) {
		if ((st = scalar(L, v, "language", &m->language)))
			return st;
	} else if (!(m->language = xstrdup("en"))) {
		return oom(L);
	}
	if ((v = ynode_get(y, "delimiter"))) {
		if (v->kind != Y_SCALAR)
			return merr(L, v, "'delimiter' is one character or auto");
		if (strcmp(v->str, "auto") == 0)
			m->delim = 0;
		else if (strcmp(v->str, "\\t") == 0 || strcmp(v->str, "\t") == 0)
			m->delim = '\t';
		else if (strlen(v->str) == 1 && v->str[0] != '"')
			m->delim = v->str[0];
		else
			return merr(L, v, "'delimiter' is one character or auto");
	}
	if ((v = ynode_get(y, "hxl"))) {
		if (v->kind != Y_SCALAR || (strcmp(v->str, "true") && strcmp(v->str, "false")))
			return merr(L, v, "'hxl' is true or false");
		m->hxl = strcmp(v->str, "true") == 0;
	}
	if ((v = ynode_get(y, "require")) &&
	    (st = str_list(L, v, "require", &m->require, &m->nrequire)))
		return st;
	if ((v = ynode_get(y, "thousands"))) {
		if ((st = str_list(L, v, "thousands", &m->thousands, &m->nthousands)))
			return st;
	} else {
		static const char *const dflt[] = {",", " ", "\xC2\xA0",
						   "\xE2\x80\xAF"};

		m->thousands = calloc(5, sizeof *m->thousands);
		if (!m->thousands)
			return oom(L);
		for (i = 0; i < 4; i++)
			if (!(m->thousands[m->nthousands++] = xstrdup(dflt[i])))
				return oom(L);
	}
	if ((v = ynode_get(y, "dates"))) {
		if ((st = str_list(L, v, "dates", &m->dates, &m->ndates)))
			return st;
	} else {
		m->dates = calloc(2, sizeof *m->dates);
		if (!m->dates || !(m->dates[0] = xstrdup("%Y-%m-%d")))
			return oom(L);
		m->ndates = 1;
	}
	if ((v = ynode_get(y, "maps")) && (st = load_maps(L, v)))
		return st;
	v = ynode_get(y, "outputs");
	if (!v || v->kind != Y_SEQ || v->n == 0)
		return merr(L, v ? v : y, "mapping needs 'outputs': a list");
	m->outs = calloc(v->n, sizeof *m->outs);
	if (!m->outs)
		return oom(L);
	for (i = 0; i < v->n; i++) {
		st = load_output(L, &v->kids[i], &m->outs[m->nouts++]);
		if (st)
			return st;
	}
	return BRIEF_OK;
}

static char *slurp(const char *path, size_t *len, struct diag *err,
		   enum brief_status *st)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f) {
		*st = diag_set(err, errno == ENOENT ? BRIEF_EDATA : BRIEF_EIO,
			       path, 0, 0, "cannot open mapping: %s",
			       strerror(errno));
		return NULL;
	}
	buf = malloc((size_t)MAP_MAX_BYTES + 1);
	if (!buf) {
		fclose(f);
		*st = diag_set(err, BRIEF_ENOMEM, path, 0, 0, "out of memory");
		return NULL;
	}
	n = fread(buf, 1, (size_t)MAP_MAX_BYTES + 1, f);
	if (ferror(f) || n > (size_t)MAP_MAX_BYTES) {
		*st = ferror(f) ? diag_set(err, BRIEF_EIO, path, 0, 0, "read error")
				: diag_set(err, BRIEF_EDATA, path, 0, 0,
					   "mapping larger than %ld bytes",
					   MAP_MAX_BYTES);
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

enum brief_status import_map_load(const char *path, struct import_map **out,
				  struct diag *err)
{
	struct mload L;
	struct ynode *tree = NULL;
	enum brief_status st = BRIEF_OK;
	size_t len = 0;
	char *text;

	*out = NULL;
	text = slurp(path, &len, err, &st);
	if (!text)
		return st;
	L.m = calloc(1, sizeof *L.m);
	L.file = path;
	L.err = err;
	if (!L.m) {
		free(text);
		return oom(&L);
	}
	L.m->path = xstrdup(path);
	st = L.m->path ? ynode_parse(text, len, path, 1, 0, &tree, err) : oom(&L);
	if (!st)
		st = load_tree(&L, tree);
	ynode_free(tree);
	free(text);
	if (st) {
		import_map_free(L.m);
		return st;
	}
	*out = L.m;
	return BRIEF_OK;
}

static void free_strs(char **v, size_t n)
{
	size_t i;

	if (v)
		for (i = 0; i < n; i++)
			free(v[i]);
	free(v);
}

static void free_tmpl(struct tmpl *t)
{
	size_t i, j;

	for (i = 0; i < t->n; i++) {
		for (j = 0; j < t->p[i].nf; j++)
			free(t->p[i].f[j].arg);
		free(t->p[i].f);
		free(t->p[i].text);
	}
	free(t->p);
}

void import_map_free(struct import_map *m)
{
	size_t i, j;

	if (!m)
		return;
	for (i = 0; i < m->nouts; i++) {
		struct output *o = &m->outs[i];

		for (j = 0; j < o->nwhere; j++) {
			free(o->where[j].name);
			free_strs(o->where[j].vals, o->where[j].nvals);
		}
		free(o->where);
		for (j = 0; j < o->ncols; j++)
			free_tmpl(&o->cols[j]);
		free(o->cols);
		free_strs(o->names, o->ncols);
		free(o->by);
		free(o->sum);
		free(o->to_col);
		free(o->when);
		free(o->filter_text);
	}
	free(m->outs);
	for (i = 0; i < m->nmaps; i++) {
		free(m->maps[i].name);
		free_strs(m->maps[i].keys, m->maps[i].n);
		free_strs(m->maps[i].vals, m->maps[i].n);
		free(m->maps[i].dflt);
	}
	free(m->maps);
	free_strs(m->require, m->nrequire);
	free_strs(m->thousands, m->nthousands);
	free_strs(m->dates, m->ndates);
	free(m->path);
	free(m->format);
	free(m->provider);
	free(m->title);
	free(m->source_id);
	free(m->url);
	free(m->language);
	free(m->author);
	free(m);
}

/* ---- the shipped mappings ------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* mapdir/<format>.yaml and mapdir/<format>-*.yaml (idmc-idu, idmc-gidd),
 * sorted; every *.yaml with format NULL. */
char **import_shipped(const char *mapdir, const char *format)
{
	DIR *d = opendir(mapdir);
	struct dirent *e;
	char **v = NULL, **nv;
	size_t n = 0, fl = format ? strlen(format) : 0;

	if (!d)
		return calloc(1, sizeof *v);
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		char *p;

		if (l < 6 || strcmp(e->d_name + l - 5, ".yaml") != 0)
			continue;
		if (format && !(strncmp(e->d_name, format, fl) == 0 &&
				(e->d_name[fl] == '.' || e->d_name[fl] == '-')))
			continue;
		nv = realloc(v, (n + 2) * sizeof *v);
		p = malloc(strlen(mapdir) + l + 2);
		if (!nv || !p) {
			free(p);
			v = nv ? nv : v;
			if (v)
				v[n] = NULL;
			closedir(d);
			import_free_list(v);
			return NULL;
		}
		v = nv;
		sprintf(p, "%s/%s", mapdir, e->d_name);
		v[n++] = p;
		v[n] = NULL;
	}
	closedir(d);
	if (!v)
		return calloc(1, sizeof *v);
	qsort(v, n, sizeof *v, cmp_str);
	return v;
}

void import_free_list(char **v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}
