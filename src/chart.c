/* chart.c — chart specs checked against the schema, streaming aggregation
 * of dataset rows into buckets, the source line and alt text, drawing
 * dispatch and PNG/SVG export. */
#include "chart_impl.h"

#include <cairo-svg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "scale.h"

/* ---- interned strings ------------------------------------------------ */

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static bool strtab_grow_index(struct strtab *t)
{
	size_t cap = t->icap ? t->icap * 2 : 64;
	uint32_t *idx = calloc(cap, sizeof *idx);

	if (!idx)
		return false;
	for (size_t i = 0; i < t->n; i++) {
		size_t h = hash_str(t->s[i]) & (cap - 1);

		while (idx[h])
			h = (h + 1) & (cap - 1);
		idx[h] = (uint32_t)(i + 1);
	}
	free(t->idx);
	t->idx = idx;
	t->icap = cap;
	return true;
}

int strtab_intern(struct strtab *t, const char *s)
{
	return strtab_intern_at(t, s, 0, 0);
}

int strtab_intern_at(struct strtab *t, const char *s, long line, long col)
{
	size_t h;

	if (t->icap == 0 && !strtab_grow_index(t))
		return -1;
	h = hash_str(s) & (t->icap - 1);
	while (t->idx[h]) {
		uint32_t i = t->idx[h] - 1;

		if (strcmp(t->s[i], s) == 0)
			return (int)i;
		h = (h + 1) & (t->icap - 1);
	}
	if (t->n >= CHART_MAX_NAMES)
		return -1;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **v = realloc(t->s, cap * sizeof *v);
		long(*p)[2];

		if (!v)
			return -1;
		t->s = v;
		p = realloc(t->pos, cap * sizeof *p);
		if (!p)
			return -1;
		t->pos = p;
		t->cap = cap;
	}
	t->s[t->n] = strdup(s);
	if (!t->s[t->n])
		return -1;
	t->pos[t->n][0] = line;
	t->pos[t->n][1] = col;
	t->idx[h] = (uint32_t)(t->n + 1);
	t->n++;
	if (t->n * 2 > t->icap && !strtab_grow_index(t))
		return -1;
	return (int)(t->n - 1);
}

void strtab_free(struct strtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	free(t->pos);
	free(t->idx);
	memset(t, 0, sizeof *t);
}

/* ---- spec ------------------------------------------------------------ */

void chart_spec_free(struct chart_spec *spec)
{
	if (!spec)
		return;
	free(spec->id);
	free(spec->dataset);
	for (size_t i = 0; i < spec->nfilters; i++) {
		free(spec->filters[i].column);
		for (size_t j = 0; j < spec->filters[i].nvalues; j++)
			free(spec->filters[i].values[j]);
		free(spec->filters[i].values);
	}
	free(spec->filters);
	free(spec->x);
	free(spec->y);
	free(spec->group);
	free(spec->sort);
	free(spec->title);
	free(spec->subtitle);
	free(spec->note);
	free(spec->description);
	free(spec->y_label);
	map_spec_free(spec->map);
	free(spec->map);
	memset(spec, 0, sizeof *spec);
}

static const char *const type_names[] = { "bar", "stacked-bar", "line",
					  "step", "timeline", "map" };

static enum brief_status spec_error(const struct chart_spec *s,
				    struct srcpos at, struct diag *err,
				    const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static enum brief_status spec_error(const struct chart_spec *s,
				    struct srcpos at, struct diag *err,
				    const char *fmt, ...)
{
	char msg[DIAG_MSG_MAX];
	va_list ap;

	if (at.line == 0)
		at = s->at;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return diag_set(err, BRIEF_EDATA, s->file, at.line, at.col,
			"chart '%s': %s", s->id ? s->id : "?", msg);
}

/* Schema columns by type, as the chart module sees them. */
static bool is_date_col(const char *name)
{
	return strcmp(name, "date") == 0 || strcmp(name, "date_from") == 0 ||
	       strcmp(name, "date_to") == 0;
}

static bool is_numeric_col(const char *name)
{
	return strcmp(name, "value") == 0 || strcmp(name, "value_high") == 0;
}

/* "date" is date_from where the dataset has periods. */
static const char *resolve_col(enum dataset_kind k, const char *name)
{
	if (name && strcmp(name, "date") == 0 &&
	    (k == DS_CASUALTIES || k == DS_DISPLACEMENT))
		return "date_from";
	if (name && strcmp(name, "date_from") == 0 &&
	    !(k == DS_CASUALTIES || k == DS_DISPLACEMENT))
		return "date";
	return name;
}

static bool schema_has(enum dataset_kind k, const char *name)
{
	size_t n;
	const char *const *cols = dataset_columns(k, &n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(cols[i], name) == 0)
			return true;
	return false;
}

static enum brief_status check_spec(struct chart *c, struct diag *err)
{
	const struct chart_spec *s = c->spec;
	enum dataset_kind k;
	const char *ds = s->dataset;

	if (!s->id || !*s->id)
		return spec_error(s, s->at, err, "needs an 'id' (the export "
				  "file name)");
	if ((unsigned)s->type > CHART_TIMELINE)
		return spec_error(s, s->at_type, err, "unknown type");
	if (!ds && s->type == CHART_TIMELINE)
		ds = "events";
	if (!ds)
		return spec_error(s, s->at, err, "needs a 'dataset' "
				  "(casualties, displacement, control, "
				  "figures or events)");
	if (!dataset_kind_parse(ds, &k))
		return spec_error(s, s->at_dataset, err,
				  "unknown dataset '%s' (casualties, "
				  "displacement, control, figures or events)",
				  ds);
	c->ds = k;

	for (size_t i = 0; i < s->nfilters; i++) {
		const struct chart_filter *f = &s->filters[i];

		if (!f->column || f->nvalues == 0)
			return spec_error(s, f->at, err,
					  "filter needs a column and a value");
	}

	/* x */
	c->x_col = resolve_col(k, s->x);
	if (!c->x_col) {
		if (s->type == CHART_BAR || s->type == CHART_STACKED_BAR)
			return spec_error(s, s->at, err,
					  "a %s chart needs 'x' (the category "
					  "column, e.g. party)",
					  type_names[s->type]);
		c->x_col = resolve_col(k, "date");
	}
	if (is_numeric_col(c->x_col))
		return spec_error(s, s->at_x, err,
				  "x: '%s' is a number column; use a category "
				  "or date column",
				  c->x_col);
	if (schema_has(k, c->x_col) || !s->x) {
		c->x_date = is_date_col(c->x_col);
		c->x_date_to = strcmp(c->x_col, "date_to") == 0;
		if (!schema_has(k, c->x_col))
			return spec_error(s, s->at_x, err,
					  "dataset %s has no date column",
					  dataset_name(k));
	}
	if ((s->type == CHART_LINE || s->type == CHART_STEP ||
	     s->type == CHART_TIMELINE) &&
	    !c->x_date)
		return spec_error(s, s->at_x, err,
				  "x: a %s chart needs a date column as x "
				  "(date, date_from or date_to), not '%s'",
				  type_names[s->type], c->x_col);
	if (s->bucket != BUCKET_NONE && !c->x_date)
		return spec_error(s, s->at_bucket, err,
				  "bucket: '%s' is not a date column, so it "
				  "cannot be bucketed by date",
				  c->x_col);
	if ((unsigned)s->bucket > BUCKET_YEAR)
		return spec_error(s, s->at_bucket, err, "unknown bucket");
	if ((unsigned)s->agg > AGG_MAX)
		return spec_error(s, s->at_agg, err, "unknown agg");

	/* y */
	c->y_col = s->y ? s->y : "value";
	if (s->type == CHART_TIMELINE || s->agg == AGG_COUNT) {
		c->ymode = Y_COUNT;
	} else if (k == DS_EVENTS) {
		return spec_error(s, s->at_type, err,
				  "the events dataset has no values; use "
				  "type: timeline or agg: count");
	} else if (strcmp(c->y_col, "value") == 0) {
		c->ymode = Y_VALUE;
	} else if (strcmp(c->y_col, "value_high") == 0) {
		c->ymode = Y_HIGH;
	} else if (schema_has(k, c->y_col)) {
		return spec_error(s, s->at_y, err,
				  "y: '%s' is not a number column (use value "
				  "or value_high)",
				  c->y_col);
	} else {
		c->ymode = Y_COLUMN; /* an extra column: checked per row */
	}

	/* group */
	c->group_col = resolve_col(k, s->group);
	if (c->group_col && is_numeric_col(c->group_col))
		return spec_error(s, s->at_group, err,
				  "group: '%s' is a number column; use a "
				  "category column such as party or "
				  "reported_by",
				  c->group_col);
	if (s->type == CHART_TIMELINE && !schema_has(k, "title"))
		return spec_error(s, s->at_dataset, err,
				  "a timeline needs a dataset with a title "
				  "column (events)");
	if (s->sort && strcmp(s->sort, "value") != 0 &&
	    strcmp(s->sort, "-value") != 0 && strcmp(s->sort, "x") != 0 &&
	    strcmp(s->sort, "-x") != 0)
		return spec_error(s, s->at_sort, err,
				  "sort: '%s' is not value, -value, x or -x",
				  s->sort);
	if (s->width < 0 || s->height < 0 || s->width > 5000 ||
	    s->height > 5000)
		return spec_error(s, s->at, err,
				  "width and height must be between 0 and "
				  "5000 pt");
	return BRIEF_OK;
}

enum brief_status chart_new(const struct chart_spec *spec,
			    const struct sources *sources,
			    struct palette *palette, struct chart **out,
			    struct diag *err)
{
	struct chart *c;
	enum brief_status st;

	*out = NULL;
	if (spec->type == CHART_MAP)
		return chart_map_new(spec, sources, palette, out, err);
	c = calloc(1, sizeof *c);
	if (!c)
		return diag_set(err, BRIEF_ENOMEM, spec->file, spec->at.line,
				spec->at.col, "out of memory");
	c->spec = spec;
	c->sources = sources;
	c->palette = palette;
	st = check_spec(c, err);
	if (st != BRIEF_OK) {
		chart_free(c);
		return st;
	}
	if (spec->nfilters) {
		c->fcol = calloc(spec->nfilters, sizeof *c->fcol);
		if (!c->fcol) {
			chart_free(c);
			return diag_set(err, BRIEF_ENOMEM, spec->file,
					spec->at.line, spec->at.col,
					"out of memory");
		}
	}
	*out = c;
	return BRIEF_OK;
}

void chart_free(struct chart *c)
{
	if (!c)
		return;
	map_free(c->map);
	free(c->fcol);
	strtab_free(&c->xcat);
	strtab_free(&c->series);
	strtab_free(&c->claims);
	strtab_free(&c->srcs);
	strtab_free(&c->units);
	free(c->b);
	free(c->bidx);
	for (size_t i = 0; i < c->nev; i++)
		free(c->ev[i].title);
	free(c->ev);
	free(c->data_file);
	free(c->xorder);
	free(c->cite);
	free(c->source_line);
	free(c->alt);
	free(c->y_label);
	free(c);
}

/* ---- aggregation ------------------------------------------------------ */

static enum brief_status oom(const struct chart *c, struct diag *err)
{
	return diag_set(err, BRIEF_ENOMEM, c->spec->file, c->spec->at.line,
			c->spec->at.col, "chart '%s': out of memory",
			c->spec->id);
}

/* Bind column indices once, on the first row; a column neither in the
 * schema nor in the file is an error at the spec key that names it. */
static enum brief_status bind_columns(struct chart *c,
				      const struct data_row *row,
				      struct diag *err)
{
	const struct chart_spec *s = c->spec;

	for (size_t i = 0; i < s->nfilters; i++) {
		const char *name = resolve_col(c->ds, s->filters[i].column);

		c->fcol[i] = data_row_column(row, name);
		if (c->fcol[i] < 0 && !schema_has(c->ds, name))
			return spec_error(s, s->filters[i].at, err,
					  "filter: no column '%s' in %s",
					  s->filters[i].column, row->file);
	}
	c->col_x = data_row_column(row, c->x_col);
	if (c->col_x < 0 && !schema_has(c->ds, c->x_col))
		return spec_error(s, s->at_x, err, "x: no column '%s' in %s",
				  c->x_col, row->file);
	c->col_group = -1;
	if (c->group_col) {
		c->col_group = data_row_column(row, c->group_col);
		if (c->col_group < 0 && !schema_has(c->ds, c->group_col))
			return spec_error(s, s->at_group, err,
					  "group: no column '%s' in %s",
					  c->group_col, row->file);
	}
	c->col_y = -1;
	if (c->ymode == Y_COLUMN) {
		c->col_y = data_row_column(row, c->y_col);
		if (c->col_y < 0)
			return spec_error(s, s->at_y, err,
					  "y: no column '%s' in %s", c->y_col,
					  row->file);
	}
	c->col_label = data_row_column(row, "title");
	c->col_claim = data_row_column(row, "reported_by");
	c->col_source = data_row_column(row, "source");
	c->data_file = strdup(row->file);
	if (!c->data_file)
		return oom(c, err);
	c->col_unit = data_row_column(row, "unit");
	c->bound = true;
	return BRIEF_OK;
}

static long bucket_day(const struct chart *c, const struct date *d)
{
	long day;

	switch (c->spec->bucket) {
	case BUCKET_YEAR:
		return days_from_ymd(d->year, 1, 1);
	case BUCKET_MONTH:
		return days_from_ymd(d->year, d->month ? d->month : 1,
					     1);
	case BUCKET_WEEK:
		day = date_days(d);
		/* 1970-01-01 was a Thursday; weeks start on Monday. */
		return day - (((day + 3) % 7) + 7) % 7;
	case BUCKET_DAY:
	case BUCKET_NONE:
		break;
	}
	return date_days(d);
}

static uint32_t bucket_hash(long x, int series, int claimant)
{
	uint64_t h = (uint64_t)x * 0x9E3779B97F4A7C15ull;

	h ^= (uint64_t)(unsigned)series * 0xC2B2AE3D27D4EB4Full;
	h ^= (uint64_t)(unsigned)claimant * 0x165667B19E3779F9ull;
	h ^= h >> 29;
	return (uint32_t)h;
}

static bool buckets_grow_index(struct chart *c)
{
	size_t cap = c->bicap ? c->bicap * 2 : 256;
	uint32_t *idx = calloc(cap, sizeof *idx);

	if (!idx)
		return false;
	for (size_t i = 0; i < c->nb; i++) {
		const struct bucket *b = &c->b[i];
		size_t h = bucket_hash(b->x, b->series, b->claimant) & (cap - 1);

		while (idx[h])
			h = (h + 1) & (cap - 1);
		idx[h] = (uint32_t)(i + 1);
	}
	free(c->bidx);
	c->bidx = idx;
	c->bicap = cap;
	return true;
}

/* The bucket for (x, series, claimant), created empty on first use;
 * NULL when out of memory or past the cap. */
static struct bucket *bucket_get(struct chart *c, long x, int series,
				 int claimant)
{
	size_t h;
	struct bucket *b;

	if (c->bicap == 0 && !buckets_grow_index(c))
		return NULL;
	h = bucket_hash(x, series, claimant) & (c->bicap - 1);
	while (c->bidx[h]) {
		b = &c->b[c->bidx[h] - 1];
		if (b->x == x && b->series == series && b->claimant == claimant)
			return b;
		h = (h + 1) & (c->bicap - 1);
	}
	if (c->nb >= CHART_MAX_BUCKETS)
		return NULL;
	if (c->nb == c->bcap) {
		size_t cap = c->bcap ? c->bcap * 2 : 64;
		struct bucket *v = realloc(c->b, cap * sizeof *v);

		if (!v)
			return NULL;
		c->b = v;
		c->bcap = cap;
	}
	b = &c->b[c->nb];
	memset(b, 0, sizeof *b);
	b->x = x;
	b->series = series;
	b->claimant = claimant;
	c->bidx[h] = (uint32_t)(c->nb + 1);
	c->nb++;
	if (c->nb * 2 > c->bicap && !buckets_grow_index(c))
		return NULL;
	return b;
}

static unsigned qualifier_flags(enum qualifier q)
{
	switch (q) {
	case QUAL_ABOUT:
		return MF_ABOUT;
	case QUAL_AT_LEAST:
		return MF_LOWER;
	case QUAL_MORE_THAN:
		return MF_LOWER | MF_STRICT;
	case QUAL_NEARLY:
		return MF_UPPER | MF_STRICT;
	case QUAL_AT_MOST:
		return MF_UPPER;
	case QUAL_EXACT:
	case QUAL_RANGE:
		break;
	}
	return 0;
}

/* strtab_intern of field `col` of row (or of "" when col < 0), checking
 * the previous row's name first. */
static int intern_memo(struct strtab *t, int *memo, const struct data_row *row,
		       int col)
{
	const char *s = col >= 0 ? row->field[col] : "";
	int i;

	if (*memo && strcmp(t->s[*memo - 1], s) == 0)
		return *memo - 1;
	i = col >= 0 ? strtab_intern_at(t, s, row->line, row->col[col])
		     : strtab_intern(t, s);
	*memo = i + 1;
	return i;
}

static bool row_passes(const struct chart *c, const struct data_row *row)
{
	const struct chart_spec *s = c->spec;

	for (size_t i = 0; i < s->nfilters; i++) {
		const char *v = c->fcol[i] >= 0 ? row->field[c->fcol[i]] : "";
		size_t j;

		for (j = 0; j < s->filters[i].nvalues; j++)
			if (strcmp(v, s->filters[i].values[j]) == 0)
				break;
		if (j == s->filters[i].nvalues)
			return false;
	}
	return true;
}

static enum brief_status add_event(struct chart *c, const struct data_row *row,
				   long day, int series, struct diag *err)
{
	struct chart_event *e;

	if (c->nev >= CHART_MAX_EVENTS)
		return spec_error(c->spec, c->spec->at, err,
				  "more than %d events; filter them",
				  CHART_MAX_EVENTS);
	if (c->nev == c->evcap) {
		size_t cap = c->evcap ? c->evcap * 2 : 32;
		struct chart_event *v = realloc(c->ev, cap * sizeof *v);

		if (!v)
			return oom(c, err);
		c->ev = v;
		c->evcap = cap;
	}
	e = &c->ev[c->nev];
	e->day = day;
	e->date = row->date;
	e->kind = series;
	e->title = strdup(c->col_label >= 0 ? row->field[c->col_label] : "");
	if (!e->title)
		return oom(c, err);
	e->line = c->col_label >= 0 ? row->line : 0;
	e->col = c->col_label >= 0 ? row->col[c->col_label] : 0;
	c->nev++;
	return BRIEF_OK;
}

enum brief_status chart_feed(struct chart *c, const struct data_row *row,
			     struct diag *err)
{
	const struct chart_spec *s = c->spec;
	enum brief_status st;
	long x;
	int series = 0, claimant;
	double v, high;
	unsigned flags;
	struct bucket *b;
	long end;

	if (!c->bound && (st = bind_columns(c, row, err)) != BRIEF_OK)
		return st;
	if (!row_passes(c, row))
		return BRIEF_OK;

	if (c->x_date) {
		const struct date *d = c->x_date_to && row->date_to.year
					       ? &row->date_to
					       : &row->date;

		if (d->year == 0) {
			c->undated++;
			return BRIEF_OK;
		}
		x = bucket_day(c, d);
	} else {
		int i = intern_memo(&c->xcat, &c->memo_xcat, row, c->col_x);

		if (i < 0)
			return oom(c, err);
		x = i;
	}
	if (c->col_group >= 0 || !c->group_col) {
		series = intern_memo(&c->series, &c->memo_series, row,
				     c->col_group);
		if (series < 0)
			return oom(c, err);
	} else if ((series = intern_memo(&c->series, &c->memo_series, row,
					 -1)) < 0) {
		return oom(c, err);
	}

	if (s->type == CHART_TIMELINE) {
		st = add_event(c, row, x, series, err);
		if (st != BRIEF_OK)
			return st;
		claimant = 0;
		v = high = 1;
		flags = 0;
	} else {
		claimant = intern_memo(&c->claims, &c->memo_claims, row,
				       c->col_claim);
		if (claimant < 0)
			return oom(c, err);
		flags = 0;
		switch (c->ymode) {
		case Y_COUNT:
			v = high = 1;
			break;
		case Y_HIGH:
			v = high = row->has_high ? row->high : row->value;
			break;
		case Y_COLUMN: {
			const char *f = row->field[c->col_y];
			char *end_num;

			v = strtod(f, &end_num);
			if (end_num == f || *end_num || !isfinite(v))
				return diag_set(err, BRIEF_EDATA, row->file,
						row->line, row->col[c->col_y],
						"chart '%s': y column '%s' "
						"holds '%s', not a number",
						s->id, c->y_col, f);
			high = v;
			break;
		}
		case Y_VALUE:
		default:
			v = row->value;
			high = row->has_high ? row->high : row->value;
			flags = qualifier_flags(row->qualifier);
			if (high > v)
				flags |= MF_RANGE;
			break;
		}
		if (c->col_unit >= 0 && c->ymode != Y_COUNT &&
		    intern_memo(&c->units, &c->memo_units, row, c->col_unit) <
			    0)
			return oom(c, err);
		b = bucket_get(c, x, series, claimant);
		if (!b) {
			if (c->nb >= CHART_MAX_BUCKETS)
				return spec_error(s, s->at_bucket, err,
						  "more than %d marks; use a "
						  "coarser bucket or a filter",
						  CHART_MAX_BUCKETS);
			return oom(c, err);
		}
		if (s->agg == AGG_MAX) {
			if (b->n == 0 || v > b->value) {
				b->value = v;
				b->flags = flags;
			}
			if (b->n == 0 || high > b->high)
				b->high = high;
		} else {
			b->value += v;
			b->high += high;
			b->flags |= flags;
		}
		b->n++;
	}

	if (*row->source && intern_memo(&c->srcs, &c->memo_srcs, row,
					c->col_source) < 0)
		return oom(c, err);
	end = date_days_end(row->date_to.year ? &row->date_to : &row->date);
	if (row->date.year && (c->rows == 0 || c->as_of.year == 0 ||
			       end > c->as_of_day)) {
		c->as_of = row->date_to.year ? row->date_to : row->date;
		c->as_of_day = end;
	}
	c->rows++;
	return BRIEF_OK;
}

static enum brief_status scan_row(void *ctx, const struct data_row *row,
				  struct diag *err)
{
	return chart_feed(ctx, row, err);
}

enum dataset_kind chart_dataset(const struct chart *c)
{
	return c->map ? map_dataset(c->map) : c->ds;
}

enum brief_status chart_collect_row(struct chart *c, const struct data_row *row,
				    struct diag *err)
{
	if (c->map)
		return map_feed(c->map, row, err);
	return chart_feed(c, row, err);
}

enum brief_status chart_collect_end(struct chart *c, const char *data_dir,
				    struct diag *err)
{
	char file[1024];

	if (c->map)
		return map_finish(c->map, data_dir, err);
	snprintf(file, sizeof file, "%s/%s.csv", data_dir,
		 dataset_name(c->ds));
	return chart_finish(c, file, err);
}

enum brief_status chart_collect(struct chart *c, const char *data_dir,
				struct diag *err)
{
	enum brief_status st;

	if (c->map)
		return map_collect(c->map, data_dir, err);
	st = data_scan(data_dir, c->ds, c->sources, scan_row, c, NULL, err);
	if (st != BRIEF_OK)
		return st;
	return chart_collect_end(c, data_dir, err);
}

/* ---- after the rows --------------------------------------------------- */

static const struct chart *sort_chart; /* qsort has no context argument */

static double x_total(const struct chart *c, long x)
{
	/* Stacks sort by their total; grouped bars by their largest mark,
	 * since claims for the same quantity do not add up. */
	double t = 0;

	for (size_t i = 0; i < c->nb; i++)
		if (c->b[i].x == x) {
			if (c->spec->type == CHART_STACKED_BAR)
				t += c->b[i].value;
			else if (c->b[i].value > t)
				t = c->b[i].value;
		}
	return t;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

struct xsort {
	long x;
	double key;
	size_t order;
};

static int cmp_xsort(const void *a, const void *b)
{
	const struct xsort *p = a, *q = b;

	if (p->key != q->key)
		return p->key < q->key ? -1 : 1;
	return (p->order > q->order) - (p->order < q->order);
}

static int cmp_xname(const void *a, const void *b)
{
	const struct xsort *p = a, *q = b;
	int r = strcmp(sort_chart->xcat.s[p->x], sort_chart->xcat.s[q->x]);

	return r ? r : (p->order > q->order) - (p->order < q->order);
}

static int cmp_event(const void *a, const void *b)
{
	const struct chart_event *p = a, *q = b;

	if (p->day != q->day)
		return p->day < q->day ? -1 : 1;
	return date_cmp(&p->date, &q->date);
}

static enum brief_status order_x(struct chart *c, struct diag *err)
{
	const char *sort = c->spec->sort;
	bool desc = sort && sort[0] == '-';

	if (c->x_date) {
		size_t n = 0;

		c->xorder = malloc((c->nb + c->nev + 1) * sizeof *c->xorder);
		if (!c->xorder)
			return oom(c, err);
		for (size_t i = 0; i < c->nb; i++)
			c->xorder[n++] = c->b[i].x;
		for (size_t i = 0; i < c->nev; i++)
			c->xorder[n++] = c->ev[i].day;
		qsort(c->xorder, n, sizeof *c->xorder, cmp_long);
		c->nx = 0;
		for (size_t i = 0; i < n; i++)
			if (c->nx == 0 || c->xorder[c->nx - 1] != c->xorder[i])
				c->xorder[c->nx++] = c->xorder[i];
		c->xmin = c->xorder[0];
		c->xmax = c->xorder[c->nx - 1];
		if (c->nev)
			qsort(c->ev, c->nev, sizeof *c->ev, cmp_event);
		/* Bars over dates read in time order; -x reverses it. */
		if (desc && sort[1] == 'x')
			for (size_t i = 0; i < c->nx / 2; i++) {
				long t = c->xorder[i];

				c->xorder[i] = c->xorder[c->nx - 1 - i];
				c->xorder[c->nx - 1 - i] = t;
			}
		return BRIEF_OK;
	}
	{
		struct xsort *v = malloc(c->xcat.n * sizeof *v);

		if (!v)
			return oom(c, err);
		c->xorder = malloc(c->xcat.n * sizeof *c->xorder);
		if (!c->xorder) {
			free(v);
			return oom(c, err);
		}
		for (size_t i = 0; i < c->xcat.n; i++) {
			v[i].x = (long)i;
			v[i].order = i;
			v[i].key = sort && strstr(sort, "value")
					   ? x_total(c, (long)i) * (desc ? -1 : 1)
					   : (double)i;
		}
		if (sort && strstr(sort, "x")) {
			sort_chart = c;
			qsort(v, c->xcat.n, sizeof *v, cmp_xname);
			if (desc)
				for (size_t i = 0; i < c->xcat.n / 2; i++) {
					struct xsort t = v[i];

					v[i] = v[c->xcat.n - 1 - i];
					v[c->xcat.n - 1 - i] = t;
				}
		} else {
			qsort(v, c->xcat.n, sizeof *v, cmp_xsort);
		}
		for (size_t i = 0; i < c->xcat.n; i++)
			c->xorder[i] = v[i].x;
		c->nx = c->xcat.n;
		free(v);
	}
	return BRIEF_OK;
}

bool chart_series_contested(const struct chart *c, int series)
{
	for (size_t i = 0; i < c->nb; i++) {
		if (c->b[i].series != series)
			continue;
		for (size_t j = i + 1; j < c->nb; j++)
			if (c->b[j].series == series && c->b[j].x == c->b[i].x &&
			    c->b[j].claimant != c->b[i].claimant)
				return true;
	}
	return false;
}

static const char *source_name(const struct chart *c, const char *id)
{
	const struct source *src = c->sources ? sources_find(c->sources, id)
					      : NULL;

	if (!src)
		return id;
	if (*src->publisher && strcmp(src->publisher, "unknown") != 0)
		return src->publisher;
	if (*src->author && strcmp(src->author, "unknown") != 0)
		return src->author;
	if (*src->title && strcmp(src->title, "unknown") != 0)
		return src->title;
	return id;
}

/* A growing string. */
struct sbuf {
	char *s;
	size_t n, cap;
	bool failed;
};

static void sb_add(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (b->failed)
		return;
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0) {
		b->failed = true;
		return;
	}
	if (b->n + (size_t)len + 1 > b->cap) {
		size_t cap = (b->n + (size_t)len + 1) * 2;
		char *s = realloc(b->s, cap);

		if (!s) {
			b->failed = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
	va_end(ap);
	b->n += (size_t)len;
}

static int cmp_cite(const void *a, const void *b)
{
	const int *p = a, *q = b;

	return (sort_chart->cite[*p] > sort_chart->cite[*q]) -
	       (sort_chart->cite[*p] < sort_chart->cite[*q]);
}

static bool make_source_line(struct chart *c)
{
	struct sbuf b = { 0 };
	int *order = malloc((c->srcs.n + 1) * sizeof *order);

	if (!order)
		return false;
	for (size_t i = 0; i < c->srcs.n; i++)
		order[i] = (int)i;
	if (c->cite) {
		sort_chart = c;
		qsort(order, c->srcs.n, sizeof *order, cmp_cite);
	}
	sb_add(&b, "%s", c->srcs.n == 1 ? "Source: " : "Sources: ");
	for (size_t i = 0; i < c->srcs.n; i++) {
		int k = order[i];

		if (i)
			sb_add(&b, "; ");
		if (c->cite && c->cite[k] > 0)
			sb_add(&b, "[%d] ", c->cite[k]);
		sb_add(&b, "%s", source_name(c, c->srcs.s[k]));
	}
	if (c->srcs.n == 0)
		sb_add(&b, "none given");
	sb_add(&b, ".");
	free(order);
	if (b.failed) {
		free(b.s);
		return false;
	}
	free(c->source_line);
	c->source_line = b.s;
	return true;
}

static const char *const type_words[] = { "Bar chart", "Stacked bar chart",
					  "Line chart", "Step chart",
					  "Timeline", "Map" };

static bool make_alt_text(struct chart *c)
{
	const struct chart_spec *s = c->spec;
	struct sbuf b = { 0 };
	char v1[64], v2[64], d1[64], d2[64];

	if (s->description) {
		c->alt = strdup(s->description);
		return c->alt != NULL;
	}
	sb_add(&b, "%s", type_words[s->type]);
	if (s->title)
		sb_add(&b, ": %s", s->title);
	sb_add(&b, ".");
	if (s->type == CHART_TIMELINE) {
		struct date a = c->ev[0].date, z = c->ev[c->nev - 1].date;

		sb_add(&b, " %zu events from %s to %s:", c->nev,
		       date_format_long(&a, d1, sizeof d1),
		       date_format_long(&z, d2, sizeof d2));
		for (size_t i = 0; i < c->nev; i++)
			sb_add(&b, "%s %s, %s", i ? ";" : "",
			       date_format_long(&c->ev[i].date, d1, sizeof d1),
			       c->ev[i].title);
		sb_add(&b, ".");
	} else {
		sb_add(&b, " %s by %s", c->y_label, c->x_col);
		if (c->group_col)
			sb_add(&b, " and %s", c->group_col);
		if (s->nfilters) {
			sb_add(&b, " (");
			for (size_t i = 0; i < s->nfilters; i++) {
				sb_add(&b, "%s%s: ", i ? "; " : "",
				       s->filters[i].column);
				for (size_t j = 0; j < s->filters[i].nvalues; j++)
					sb_add(&b, "%s%s", j ? " or " : "",
					       s->filters[i].values[j]);
			}
			sb_add(&b, ")");
		}
		sb_add(&b, ".");
		/* The marks themselves, up to a readable number. */
		for (size_t i = 0, shown = 0; i < c->nx && shown < 12; i++) {
			for (size_t k = 0; k < c->nb && shown < 12; k++) {
				const struct bucket *m = &c->b[k];
				char name[200];

				if (m->x != c->xorder[i])
					continue;
				chart_x_label(c, m->x, d1, sizeof d1);
				chart_mark_name(c, m->series, m->claimant,
						true, name, sizeof name);
				chart_value_label(c, m->value, m->high,
						  m->flags, v1, sizeof v1);
				sb_add(&b, " %s%s%s: %s%s.", d1,
				       *name ? ", " : "", name, v1,
				       c->percent ? "" : "");
				shown++;
			}
		}
		if (c->nb > 12)
			sb_add(&b, " %zu marks in all.", c->nb);
		(void)v2;
	}
	if (c->as_of.year)
		sb_add(&b, " Data as of %s.",
		       date_format_long(&c->as_of, d1, sizeof d1));
	if (b.failed) {
		free(b.s);
		return false;
	}
	c->alt = b.s;
	return true;
}

static bool make_y_label(struct chart *c)
{
	const struct chart_spec *s = c->spec;
	const char *label = "Value";
	char buf[200];

	if (s->y_label) {
		label = s->y_label;
	} else if (c->ymode == Y_COUNT) {
		label = c->ds == DS_EVENTS ? "Events" : "Rows";
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
		if (c->ds == DS_DISPLACEMENT)
			label = "People displaced";
		else if (cat) {
			snprintf(buf, sizeof buf, "People %s", cat);
			label = buf;
		} else {
			label = "People";
		}
	}
	c->y_label = strdup(label);
	return c->y_label != NULL;
}

enum brief_status chart_finish(struct chart *c, const char *file,
			       struct diag *err)
{
	const struct chart_spec *s = c->spec;
	enum brief_status st;

	(void)file;
	if (c->rows == 0)
		return spec_error(s, s->at, err,
				  "no rows of %s.csv match%s%s",
				  dataset_name(c->ds),
				  s->nfilters ? " the filter" : "",
				  c->undated ? " (rows without a date are "
					       "left out of a date axis)"
					     : "");
	if (c->units.n > 1)
		return spec_error(s, s->at, err,
				  "the rows mix units (%s and %s) on one axis; "
				  "add a filter on unit",
				  c->units.s[0], c->units.s[1]);
	c->percent = c->units.n == 1 && strcmp(c->units.s[0], "percent") == 0;
	if (s->type == CHART_STACKED_BAR || (s->type == CHART_STEP && s->area))
		for (size_t i = 0; i < c->series.n; i++)
			if (chart_series_contested(c, (int)i))
				return spec_error(
					s, s->at_group, err,
					"%s '%s' has figures from different "
					"claimants for the same %s; stacking "
					"would merge them. Use group: "
					"reported_by, a filter on "
					"reported_by, or a %s chart",
					c->group_col ? c->group_col : "series",
					c->series.s[i], c->x_col,
					s->type == CHART_STEP ? "step line"
							      : "bar");
	if ((s->type == CHART_BAR || s->type == CHART_STACKED_BAR) &&
	    c->nb > 400)
		return spec_error(s, s->at, err,
				  "%zu bars are too many to read; use a coarser "
				  "bucket, a filter or a line chart",
				  c->nb);
	st = order_x(c, err);
	if (st != BRIEF_OK)
		return st;
	if (!make_y_label(c) || !make_source_line(c) || !make_alt_text(c))
		return oom(c, err);
	return BRIEF_OK;
}

void chart_cite(struct chart *c, chart_cite_fn cite, void *ctx)
{
	if (!c || !cite)
		return;
	if (c->map) {
		map_cite(c->map, cite, ctx);
		return;
	}
	free(c->cite);
	c->cite = calloc(c->srcs.n + 1, sizeof *c->cite);
	if (!c->cite)
		return;
	for (size_t i = 0; i < c->srcs.n; i++)
		c->cite[i] = cite(ctx, c->srcs.s[i]);
	make_source_line(c);
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

struct date chart_as_of(const struct chart *c)
{
	struct date none = { 0, 0, 0 };

	if (c && c->map)
		return map_as_of(c->map);
	return c ? c->as_of : none;
}

static enum brief_status each_name(const struct chart *c,
				   const struct strtab *t, chart_text_fn fn,
				   void *ctx, struct diag *err)
{
	enum brief_status st = BRIEF_OK;

	for (size_t i = 0; i < t->n && st == BRIEF_OK; i++) {
		struct text_origin at = {c->data_file, t->pos[i][0],
					 t->pos[i][1]};

		st = fn(ctx, t->s[i], &at, err);
	}
	return st;
}

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
	if ((st = each_name(c, &c->xcat, fn, ctx, err)) ||
	    (st = each_name(c, &c->series, fn, ctx, err)) ||
	    (st = each_name(c, &c->claims, fn, ctx, err)) ||
	    (st = each_name(c, &c->units, fn, ctx, err)))
		return st;
	for (size_t i = 0; i < c->nev; i++) {
		struct text_origin ev = {c->data_file, c->ev[i].line,
					 c->ev[i].col};

		if ((st = fn(ctx, c->ev[i].title, &ev, err)))
			return st;
	}
	return BRIEF_OK;
}

const char *chart_id(const struct chart *c)
{
	return c ? c->spec->id : NULL;
}

/* ---- labels ------------------------------------------------------------ */

char *chart_value_label(const struct chart *c, double v, double high,
			unsigned flags, char *buf, size_t size)
{
	char a[48], z[48];
	const char *pct = c->percent ? "%" : "";
	double step = fabs(v - round(v)) > 1e-9 ? 0.1 : 1;

	scale_format_number(v, step, a, sizeof a);
	if ((flags & MF_RANGE) && high > v) {
		scale_format_number(high, step, z, sizeof z);
		snprintf(buf, size, "%s\u2013%s%s", a, z, pct);
	} else if ((flags & MF_LOWER) && (flags & MF_UPPER)) {
		snprintf(buf, size, "~%s%s", a, pct);
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
	} else if (flags & MF_ABOUT) {
		snprintf(buf, size, "~%s%s", a, pct);
	} else {
		snprintf(buf, size, "%s%s", a, pct);
	}
	return buf;
}

char *chart_mark_name(const struct chart *c, int series, int claimant,
		      bool show_claimant, char *buf, size_t size)
{
	const char *s = c->series.n ? c->series.s[series] : "";
	const char *who = c->claims.n && claimant >= 0 &&
				  (size_t)claimant < c->claims.n
			  ? c->claims.s[claimant]
			  : "";

	if (show_claimant && *who && !(c->group_col &&
				       strcmp(c->group_col, "reported_by") == 0))
		snprintf(buf, size, *s ? "%s (per %s)" : "%sper %s", s, who);
	else
		snprintf(buf, size, "%s", s);
	return buf;
}

char *chart_x_label(const struct chart *c, long x, char *buf, size_t size)
{
	int y, m, d;

	if (!c->x_date) {
		snprintf(buf, size, "%s",
			 x >= 0 && (size_t)x < c->xcat.n ? c->xcat.s[x] : "");
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

struct rgba chart_series_color(const struct chart *c, int series,
			       int *pattern)
{
	const char *name = c->series.n ? c->series.s[series] : "";

	if (!*name) {
		/* One unnamed series: the document's first colour. */
		if (pattern)
			*pattern = 0;
		return palette_color(NULL, NULL, NULL);
	}
	return palette_color(c->palette, name, pattern);
}

/* ---- drawing and export ----------------------------------------------- */

double chart_height_for(const struct chart *c, double width)
{
	const struct chart_spec *s = c->spec;
	double h;

	if (c->map)
		return map_height_for(c->map, width);
	if (s->height > 0 && s->width > 0)
		h = s->height * width / s->width;
	else if (s->height > 0)
		h = s->height;
	else
		h = width * 0.6;
	if (s->type == CHART_TIMELINE) {
		double need = chart_timeline_height(c, NULL, width);

		if (need > h)
			h = need;
	}
	return h;
}

enum brief_status chart_draw(struct chart *c, struct canvas *cv,
			     struct diag *err)
{
	enum brief_status st;
	cairo_status_t cs;

	switch (c->spec->type) {
	case CHART_MAP:
		st = map_draw(c->map, cv, err);
		break;
	case CHART_BAR:
	case CHART_STACKED_BAR:
		st = chart_bar_draw(c, cv, err);
		break;
	case CHART_LINE:
	case CHART_STEP:
		st = chart_line_draw(c, cv, err);
		break;
	case CHART_TIMELINE:
	default:
		st = chart_timeline_draw(c, cv, err);
		break;
	}
	if (st != BRIEF_OK)
		return st;
	cs = cairo_status(cv->cr);
	if (cs != CAIRO_STATUS_SUCCESS)
		return diag_set(err, BRIEF_EDATA, c->spec->file,
				c->spec->at.line, c->spec->at.col,
				"chart '%s': cairo: %s", c->spec->id,
				cairo_status_to_string(cs));
	return BRIEF_OK;
}

static enum brief_status draw_on_surface(struct chart *c,
					 const struct fontset *fs,
					 cairo_surface_t *surf, double width,
					 double height, double scale,
					 struct diag *err)
{
	cairo_t *cr = cairo_create(surf);
	struct canvas cv = { cr, fs, &canvas_cairo_ops, NULL, width, height };
	enum brief_status st;

	cv.impl = &cv;
	cairo_scale(cr, scale, scale);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	st = chart_draw(c, &cv, err);
	cairo_destroy(cr);
	return st;
}

enum brief_status chart_export_png(struct chart *c, const struct fontset *fs,
				   double width, const char *path, double scale,
				   struct diag *err)
{
	double height = chart_height_for(c, width);
	cairo_surface_t *surf = cairo_image_surface_create(
		CAIRO_FORMAT_RGB24, (int)ceil(width * scale),
		(int)ceil(height * scale));
	enum brief_status st = draw_on_surface(c, fs, surf, width, height,
					       scale, err);

	if (st == BRIEF_OK &&
	    cairo_surface_write_to_png(surf, path) != CAIRO_STATUS_SUCCESS)
		st = diag_set(err, BRIEF_EIO, path, 0, 0, "cannot write PNG");
	cairo_surface_destroy(surf);
	return st;
}

enum brief_status chart_export_svg(struct chart *c, const struct fontset *fs,
				   double width, const char *path,
				   struct diag *err)
{
	double height = chart_height_for(c, width);
	cairo_surface_t *surf = cairo_svg_surface_create(path, width, height);
	enum brief_status st;

	if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(surf);
		return diag_set(err, BRIEF_EIO, path, 0, 0, "cannot write SVG");
	}
	st = draw_on_surface(c, fs, surf, width, height, 1, err);
	cairo_surface_finish(surf);
	if (st == BRIEF_OK &&
	    cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
		st = diag_set(err, BRIEF_EIO, path, 0, 0, "cannot write SVG");
	cairo_surface_destroy(surf);
	return st;
}
