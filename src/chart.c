/* chart.c — chart specs checked against the schema, streaming aggregation
 * of dataset rows into marks (bucket, series, claimant), and the marks
 * resolved once after the rows: axis order, positions, claimant ranks. */
#include "chart_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "map.h"

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

/* The schema's column types, as the data layer gives them. */
static bool is_date_col(enum dataset_kind k, const char *name)
{
	return data_column_is_date(k, name);
}

static bool is_numeric_col(enum dataset_kind k, const char *name)
{
	return data_column_is_number(k, name);
}

static const char *resolve_col(enum dataset_kind k, const char *name)
{
	return data_column_resolve(k, name);
}

static bool schema_has(enum dataset_kind k, const char *name)
{
	return data_column_known(k, name);
}

/* id, type, dataset and filter terms. */
static enum brief_status check_basics(struct chart *c, struct diag *err)
{
	const struct chart_spec *s = c->spec;
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
	if (!dataset_parse(ds, &c->dset))
		return spec_error(s, s->at_dataset, err,
				  "unknown dataset '%s' (casualties, "
				  "displacement, control, figures or events, "
				  "optionally with '-' and a label)",
				  ds);
	c->ds = c->dset.kind;

	for (size_t i = 0; i < s->nfilters; i++) {
		const struct chart_filter *f = &s->filters[i];

		if (!f->column || f->nvalues == 0)
			return spec_error(s, f->at, err,
					  "filter needs a column and a value");
	}
	return BRIEF_OK;
}

/* The x column: a category or date column, as the type needs. */
static enum brief_status check_x(struct chart *c, struct diag *err)
{
	const struct chart_spec *s = c->spec;
	enum dataset_kind k = c->ds;

	c->x_col = resolve_col(k, s->x);
	if (!c->x_col) {
		if (s->type == CHART_BAR || s->type == CHART_STACKED_BAR)
			return spec_error(s, s->at, err,
					  "a %s chart needs 'x' (the category "
					  "column, e.g. party)",
					  type_names[s->type]);
		c->x_col = resolve_col(k, "date");
	}
	if (is_numeric_col(k, c->x_col))
		return spec_error(s, s->at_x, err,
				  "x: '%s' is a number column; use a category "
				  "or date column",
				  c->x_col);
	if (schema_has(k, c->x_col) || !s->x) {
		c->x_date = is_date_col(k, c->x_col);
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
	return BRIEF_OK;
}

/* The measure: value, value_high, a count, or an extra number column. */
static enum brief_status check_y(struct chart *c, struct diag *err)
{
	const struct chart_spec *s = c->spec;
	enum dataset_kind k = c->ds;

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
	return BRIEF_OK;
}

/* The series column, sort and size. */
static enum brief_status check_rest(struct chart *c, struct diag *err)
{
	const struct chart_spec *s = c->spec;
	enum dataset_kind k = c->ds;

	c->group_col = resolve_col(k, s->group);
	if (c->group_col && is_numeric_col(k, c->group_col))
		return spec_error(s, s->at_group, err,
				  "group: '%s' is a number column; use a "
				  "category column such as party or "
				  "reported_by",
				  c->group_col);
	/* Stacking claims of different sources adds them up. */
	if (c->group_col && strcmp(c->group_col, "reported_by") == 0 &&
	    (s->type == CHART_STACKED_BAR ||
	     (s->type == CHART_STEP && s->area)))
		return spec_error(s, s->at_group, err,
				  "group: reported_by would stack one "
				  "source's claim on another's; group by "
				  "what the parts are (controller, party, "
				  "...): claims of different sources are then "
				  "shown apart");
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

static enum brief_status check_spec(struct chart *c, struct diag *err)
{
	enum brief_status st = check_basics(c, err);

	if (!st)
		st = check_x(c, err);
	if (!st)
		st = check_y(c, err);
	if (!st)
		st = check_rest(c, err);
	return st;
}

/* Columns every chart reads by name on each row: bound by bind_columns,
 * numbered by the scan for it (list_keys). */
static const char COL_CLAIM[] = "reported_by", COL_SOURCE[] = "source",
		  COL_UNIT[] = "unit";

/* The columns bind_columns will look at by name, for chart_keys; a
 * filter's column by either name row_filter_bind may find it under.
 * False when out of memory. */
static bool list_keys(struct chart *c)
{
	const struct chart_spec *s = c->spec;

	c->keys = malloc((2 * s->nfilters + 5) * sizeof *c->keys);
	if (!c->keys)
		return false;
	for (size_t i = 0; i < s->nfilters; i++) {
		c->keys[c->nkeys++] = s->filters[i].column;
		c->keys[c->nkeys++] = data_column_resolve(c->ds,
							  s->filters[i].column);
	}
	if (!c->x_date)
		c->keys[c->nkeys++] = c->x_col;
	if (c->group_col)
		c->keys[c->nkeys++] = c->group_col;
	c->keys[c->nkeys++] = COL_CLAIM;
	c->keys[c->nkeys++] = COL_SOURCE;
	c->keys[c->nkeys++] = COL_UNIT;
	return true;
}

const char *const *chart_keys(const struct chart *c, size_t *n)
{
	*n = c->nkeys; /* 0 for a map: list_keys is not run for it */
	return (const char *const *)c->keys;
}

enum brief_status chart_new(const struct chart_spec *spec,
			    const struct sources *sources,
			    struct palette *palette, struct chart **out,
			    struct diag *err)
{
	struct chart *c;
	enum brief_status st;

	*out = NULL;
	c = calloc(1, sizeof *c);
	if (!c)
		return diag_set(err, BRIEF_ENOMEM, spec->file, spec->at.line,
				spec->at.col, "out of memory");
	c->spec = spec;
	c->sources = sources;
	c->palette = palette;
	c->part_to = SIZE_MAX;
	c->xcat.max = c->series.max = c->claims.max = c->srcs.max =
		c->units.max = CHART_MAX_NAMES;
	/* A map is a shell around its struct map (chart_map.c). */
	st = spec->type == CHART_MAP
		     ? map_new(spec, sources, palette, &c->map, err)
		     : check_spec(c, err);
	if (st != BRIEF_OK) {
		chart_free(c);
		return st;
	}
	if (!c->map && !list_keys(c)) {
		chart_free(c);
		return diag_set(err, BRIEF_ENOMEM, spec->file, spec->at.line,
				spec->at.col, "out of memory");
	}
	if (spec->nfilters && !c->map) {
		c->fcol = calloc(spec->nfilters, sizeof *c->fcol);
		c->fverdict = calloc(spec->nfilters, DATA_FID_SPACE);
		if (!c->fcol || !c->fverdict) {
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
	free(c->fverdict);
	free(c->keys);
	free(c->nc_xcat.by_fid);
	free(c->nc_series.by_fid);
	free(c->nc_claims.by_fid);
	free(c->nc_srcs.by_fid);
	free(c->nc_units.by_fid);
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
	free(c->bymark);
	free(c->xstart);
	free(c->contested);
	free(c->cite);
	free(c->source_line);
	free(c->alt);
	free(c->y_label);
	free(c);
}


/* ---- aggregation ------------------------------------------------------ */

enum brief_status chart_oom(const struct chart *c, struct diag *err)
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

	row_filter_bind(s->filters, s->nfilters, row, c->fcol);
	for (size_t i = 0; i < s->nfilters; i++)
		if (c->fcol[i] < 0 && !schema_has(c->ds, s->filters[i].column))
			return spec_error(s, s->filters[i].at, err,
					  "filter: no column '%s' in %s",
					  s->filters[i].column, row->file);
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
	c->col_claim = data_row_column(row, COL_CLAIM);
	c->col_source = data_row_column(row, COL_SOURCE);
	c->col_flow_stock = data_row_column(row, "flow_stock");
	c->data_file = strdup(row->file);
	if (!c->data_file)
		return chart_oom(c, err);
	c->col_unit = data_row_column(row, COL_UNIT);
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
		return days_from_ymd(d->year, d->month ? d->month : 1, 1);
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

static bool day_memo_has(const struct day_memo *m, const struct date *d)
{
	return m->set && date_same(&m->d, d);
}

/* bucket_day of the row's x date, from the previous row's when the same. */
static long row_bucket_day(struct chart *c, const struct date *d)
{
	if (!day_memo_has(&c->x_day, d)) {
		c->x_day.d = *d;
		c->x_day.day = bucket_day(c, d);
		c->x_day.set = true;
	}
	return c->x_day.day;
}

/* The last day the row covers (date_to, else date), likewise. */
static long row_end_day(struct chart *c, const struct data_row *row)
{
	const struct date *d = row->date_to.year ? &row->date_to : &row->date;

	if (!day_memo_has(&c->end_day, d)) {
		c->end_day.d = *d;
		c->end_day.day = date_days_end(d);
		c->end_day.set = true;
	}
	return c->end_day.day;
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
	if (array_reserve(&c->b, &c->bcap, c->nb + 1, sizeof *c->b,
			  CHART_MAX_BUCKETS))
		return NULL;
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

/* intern_field by the field's text (its number, f, not yet cached):
 * the previous row's name, else the table, which decides every new name
 * (its order, first position and cap). */
static int intern_text(struct strtab *t, struct name_cache *nc,
		       const struct data_row *row, int col, uint32_t f)
{
	const char *s = col >= 0 ? row->field[col] : "";
	int i;

	if (f < DATA_FID_SPACE && !nc->by_fid)
		nc->by_fid = calloc(DATA_FID_SPACE, sizeof *nc->by_fid);
	if (nc->memo && strcmp(t->s[nc->memo - 1], s) == 0)
		i = nc->memo - 1;
	else
		i = col >= 0 ? strtab_intern_at(t, s, row->line, row->col[col])
			     : strtab_intern(t, s);
	nc->memo = i >= 0 ? i + 1 : 0;
	if (i >= 0 && f < DATA_FID_SPACE && nc->by_fid)
		nc->by_fid[f] = i + 1;
	return i;
}

/* strtab_intern of field `col` of row (or of "" when col < 0), through
 * the table's cache by the field's number: each distinct text is looked
 * up by text once, so the result is the one of interning every row's text.
 * Without memory for the cache it goes by text. */
static inline int intern_field(struct strtab *t, struct name_cache *nc,
			       const struct data_row *row, int col)
{
	uint32_t f = col >= 0 && row->fid ? row->fid[col] : DATA_FID_NONE;

	if (f < DATA_FID_SPACE && nc->by_fid && nc->by_fid[f])
		return nc->by_fid[f] - 1;
	return intern_text(t, nc, row, col, f);
}

/* A name table's failure: out of memory, or more names than a chart can
 * show, an input error at the field that brought the name past the cap. */
static enum brief_status intern_error(const struct chart *c,
				      const struct data_row *row, int col,
				      int code, struct diag *err)
{
	if (code == STRTAB_FULL)
		return diag_set(err, BRIEF_EDATA, row->file, row->line,
				col >= 0 ? row->col[col] : 0,
				"chart '%s': more than %d different values in "
				"column '%s'; filter the rows or choose "
				"another column",
				c->spec->id, CHART_MAX_NAMES,
				col >= 0 ? row->names[col] : "?");
	return chart_oom(c, err);
}

static enum brief_status add_event(struct chart *c, const struct data_row *row,
				   long day, int series, struct diag *err)
{
	struct chart_event *e;
	enum brief_status st = array_reserve(&c->ev, &c->evcap, c->nev + 1,
					     sizeof *c->ev, CHART_MAX_EVENTS);

	if (st == BRIEF_EDATA)
		return diag_set(err, BRIEF_EDATA, row->file, row->line, 0,
				"chart '%s': more than %d events; filter them",
				c->spec->id, CHART_MAX_EVENTS);
	if (st)
		return chart_oom(c, err);
	e = &c->ev[c->nev];
	e->day = day;
	e->date = row->date;
	e->kind = series;
	e->title = strdup(c->col_label >= 0 ? row->field[c->col_label] : "");
	if (!e->title)
		return chart_oom(c, err);
	e->line = c->col_label >= 0 ? row->line : 0;
	e->col = c->col_label >= 0 ? row->col[c->col_label] : 0;
	c->nev++;
	return BRIEF_OK;
}

/* The row's position on the x axis; false when it has no date there. */
static bool row_x(struct chart *c, const struct data_row *row, long *x,
		  int *code)
{
	if (c->x_date) {
		const struct date *d = c->x_date_to && row->date_to.year
					       ? &row->date_to
					       : &row->date;

		if (d->year == 0) {
			c->undated++;
			return false;
		}
		*x = row_bucket_day(c, d);
		return true;
	}
	*code = intern_field(&c->xcat, &c->nc_xcat, row, c->col_x);
	*x = *code;
	return true;
}

/* The measure of one row: value and high, and its qualifier. */
static enum brief_status row_measure(const struct chart *c,
				     const struct data_row *row, double *v,
				     double *high, enum qualifier *q,
				     struct diag *err)
{
	*q = QUAL_EXACT;
	switch (c->ymode) {
	case Y_COUNT:
		*v = *high = 1;
		break;
	case Y_HIGH:
		*v = *high = row->has_high ? row->high : row->value;
		break;
	case Y_COLUMN: {
		const char *f = row->field[c->col_y];
		char *end;

		*v = strtod(f, &end);
		if (end == f || *end || !isfinite(*v))
			return diag_set(err, BRIEF_EDATA, row->file, row->line,
					row->col[c->col_y],
					"chart '%s': y column '%s' holds '%s', "
					"not a number",
					c->spec->id, c->y_col, f);
		*high = *v;
		break;
	}
	case Y_VALUE:
	default:
		figure_measure(row, v, high, q);
		break;
	}
	return BRIEF_OK;
}

/* Where a chart that sums stocks is refused: its agg key, else its x. */
static struct srcpos stock_error_at(const struct chart_spec *s)
{
	return s->at_agg.line ? s->at_agg : s->at_x.line ? s->at_x : s->at;
}

static enum brief_status stock_error(const struct chart *c, long day_a,
				     long day_b, const char *how,
				     struct diag *err)
{
	int ya, ma, da, yb, mb, db;

	ymd_from_days(day_a, &ya, &ma, &da);
	ymd_from_days(day_b, &yb, &mb, &db);
	return spec_error(c->spec, stock_error_at(c->spec), err,
			  "%s stocks of different dates (%04d-%02d-%02d and "
			  "%04d-%02d-%02d): rows with flow_stock 'stock' count "
			  "people or areas at a date and are never added up "
			  "over time (chart one date, put the date on the "
			  "axis, or use agg: max)",
			  how, ya, ma, da, yb, mb, db);
}

/* A stock row's date goes with its mark; summing two dates is refused. */
static enum brief_status note_stock(struct chart *c, const struct data_row *row,
				    struct bucket *b, struct diag *err)
{
	long day;

	if (c->col_flow_stock < 0 ||
	    strcmp(row->field[c->col_flow_stock], "stock") != 0)
		return BRIEF_OK;
	day = row_end_day(c, row);
	if (b->has_stock && b->stock_day != day && c->spec->agg == AGG_SUM)
		return stock_error(c, b->stock_day, day, "this chart sums", err);
	b->has_stock = true;
	b->stock_day = day;
	return BRIEF_OK;
}

/* Add the row's measure to its mark (x, series, claimant). */
static enum brief_status add_mark(struct chart *c, const struct data_row *row,
				  long x, int series, struct diag *err)
{
	const struct chart_spec *s = c->spec;
	enum brief_status st;
	double v = 0, high = 0;
	enum qualifier q = QUAL_EXACT;
	struct bucket *b;
	int claimant = intern_field(&c->claims, &c->nc_claims, row,
				   c->col_claim);

	if (claimant < 0)
		return intern_error(c, row, c->col_claim, claimant, err);
	st = row_measure(c, row, &v, &high, &q, err);
	if (st)
		return st;
	if (c->col_unit >= 0 && c->ymode != Y_COUNT) {
		int u = intern_field(&c->units, &c->nc_units, row,
				    c->col_unit);

		if (u < 0)
			return intern_error(c, row, c->col_unit, u, err);
	}
	b = bucket_get(c, x, series, claimant);
	if (!b) {
		if (c->nb >= CHART_MAX_BUCKETS)
			return spec_error(s, s->at_bucket, err,
					  "more than %d marks; use a coarser "
					  "bucket or a filter",
					  CHART_MAX_BUCKETS);
		return chart_oom(c, err);
	}
	st = note_stock(c, row, b, err);
	if (st)
		return st;
	figure_acc_add(&b->acc, s->agg == AGG_MAX ? FIG_MAX : FIG_SUM, v, high,
		       q);
	b->n++;
	return BRIEF_OK;
}

/* The latest date among the plotted rows (by the last day each covers). */
static void note_as_of(struct chart *c, const struct data_row *row)
{
	long end = row_end_day(c, row);

	if (row->date.year && (c->rows == 0 || c->as_of.year == 0 ||
			       end > c->as_of_day)) {
		c->as_of = row->date_to.year ? row->date_to : row->date;
		c->as_of_day = end;
	}
}

enum brief_status chart_feed(struct chart *c, const struct data_row *row,
			     struct diag *err)
{
	enum brief_status st;
	long x;
	int series, code = 0;

	if (!c->bound && (st = bind_columns(c, row, err)) != BRIEF_OK)
		return st;
	if (!row_filter_passes_memo(c->spec->filters, c->spec->nfilters,
				    c->fcol, row, c->fverdict))
		return BRIEF_OK;
	if (!row_x(c, row, &x, &code))
		return BRIEF_OK;
	if (code < 0)
		return intern_error(c, row, c->col_x, code, err);
	series = intern_field(&c->series, &c->nc_series, row, c->col_group);
	if (series < 0)
		return intern_error(c, row, c->col_group, series, err);
	if (c->spec->type == CHART_TIMELINE)
		st = add_event(c, row, x, series, err);
	else
		st = add_mark(c, row, x, series, err);
	if (st)
		return st;
	if (*row->source) {
		int k = intern_field(&c->srcs, &c->nc_srcs, row, c->col_source);

		if (k < 0)
			return intern_error(c, row, c->col_source, k, err);
	}
	note_as_of(c, row);
	c->rows++;
	return BRIEF_OK;
}

static enum brief_status scan_row(void *ctx, const struct data_row *row,
				  struct diag *err)
{
	return chart_feed(ctx, row, err);
}

const char *chart_dataset(const struct chart *c)
{
	return c->map ? map_dataset(c->map) : c->dset.name;
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
	snprintf(file, sizeof file, "%s/%s.csv", data_dir, c->dset.name);
	return chart_finish(c, file, err);
}

enum brief_status chart_collect(struct chart *c, const char *data_dir,
				struct diag *err)
{
	enum brief_status st;

	if (c->map)
		return map_collect(c->map, data_dir, err);
	st = data_scan_dataset(data_dir, &c->dset, c->sources, scan_row, c,
			       NULL, err);
	if (st != BRIEF_OK)
		return st;
	return chart_collect_end(c, data_dir, err);
}

/* ---- after the rows: axis order ---------------------------------------- */

static const struct chart *sort_chart; /* qsort has no context argument */

/* Per category, what sort: value orders by: a stack's total, or the
 * largest mark of a grouped category (claims for the same quantity do
 * not add up). One pass over the marks. */
static double *category_totals(const struct chart *c)
{
	double *t = calloc(c->xcat.n + 1, sizeof *t);

	if (!t)
		return NULL;
	for (size_t i = 0; i < c->nb; i++) {
		const struct bucket *b = &c->b[i];

		if (c->spec->type == CHART_STACKED_BAR)
			t[b->x] += b->value;
		else if (b->value > t[b->x])
			t[b->x] = b->value;
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

static void reverse_longs(long *v, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		long t = v[i];

		v[i] = v[n - 1 - i];
		v[n - 1 - i] = t;
	}
}

/* Dates in time order, each once; -x reverses them. */
static enum brief_status order_dates(struct chart *c, bool desc,
				     struct diag *err)
{
	size_t n = 0;

	c->xorder = malloc((c->nb + c->nev + 1) * sizeof *c->xorder);
	if (!c->xorder)
		return chart_oom(c, err);
	for (size_t i = 0; i < c->nb; i++)
		c->xorder[n++] = c->b[i].x;
	for (size_t i = 0; i < c->nev; i++)
		c->xorder[n++] = c->ev[i].day;
	if (n)
		qsort(c->xorder, n, sizeof *c->xorder, cmp_long);
	c->nx = 0;
	for (size_t i = 0; i < n; i++)
		if (c->nx == 0 || c->xorder[c->nx - 1] != c->xorder[i])
			c->xorder[c->nx++] = c->xorder[i];
	c->xmin = c->nx ? c->xorder[0] : 0;
	c->xmax = c->nx ? c->xorder[c->nx - 1] : 0;
	if (c->nev)
		qsort(c->ev, c->nev, sizeof *c->ev, cmp_event);
	if (desc)
		reverse_longs(c->xorder, c->nx);
	return BRIEF_OK;
}

/* Categories in data order, by value or by name. */
static enum brief_status order_categories(struct chart *c, const char *sort,
					  bool desc, struct diag *err)
{
	size_t n = c->xcat.n;
	struct xsort *v = malloc((n + 1) * sizeof *v);
	double *tot = sort && strstr(sort, "value") ? category_totals(c) : NULL;

	c->xorder = malloc((n + 1) * sizeof *c->xorder);
	if (!v || !c->xorder || (sort && strstr(sort, "value") && !tot)) {
		free(v);
		free(tot);
		return chart_oom(c, err);
	}
	for (size_t i = 0; i < n; i++) {
		v[i].x = (long)i;
		v[i].order = i;
		v[i].key = tot ? tot[i] * (desc ? -1 : 1) : (double)i;
	}
	sort_chart = c;
	if (n && sort && strstr(sort, "x"))
		qsort(v, n, sizeof *v, cmp_xname);
	else if (n)
		qsort(v, n, sizeof *v, cmp_xsort);
	for (size_t i = 0; i < n; i++)
		c->xorder[i] = v[i].x;
	if (sort && strstr(sort, "x") && desc)
		reverse_longs(c->xorder, n);
	c->nx = n;
	free(v);
	free(tot);
	return BRIEF_OK;
}

static enum brief_status order_x(struct chart *c, struct diag *err)
{
	const char *sort = c->spec->sort;
	bool desc = sort && sort[0] == '-';

	if (c->x_date)
		return order_dates(c, desc && sort[1] == 'x', err);
	return order_categories(c, sort, desc, err);
}

/* ---- after the rows: marks resolved once ------------------------------- */

static int cmp_mark(const void *a, const void *b)
{
	const struct bucket *p = &sort_chart->b[*(const size_t *)a];
	const struct bucket *q = &sort_chart->b[*(const size_t *)b];

	if (p->xi != q->xi)
		return (p->xi > q->xi) - (p->xi < q->xi);
	if (p->series != q->series)
		return (p->series > q->series) - (p->series < q->series);
	return (p->claimant > q->claimant) - (p->claimant < q->claimant);
}

unsigned chart_total_flags(const struct figure_total *t)
{
	unsigned f = t->high > t->value ? MF_RANGE : 0;

	if (t->mixed)
		return f | MF_MIXED;
	switch (t->qual) {
	case QUAL_ABOUT:
		return f | MF_ABOUT;
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
	return f;
}

/* Each mark's position on the axis: categories by a position table,
 * dates by binary search in the ascending order. */
static enum brief_status place_marks(struct chart *c, struct diag *err)
{
	bool desc = c->x_date && c->nx > 1 && c->xorder[0] > c->xorder[1];
	long *pos = NULL;

	if (!c->x_date) {
		pos = malloc((c->xcat.n + 1) * sizeof *pos);
		if (!pos)
			return chart_oom(c, err);
		for (size_t k = 0; k < c->nx; k++)
			pos[c->xorder[k]] = (long)k;
	} else if (desc) {
		reverse_longs(c->xorder, c->nx);
	}
	for (size_t i = 0; i < c->nb; i++) {
		struct bucket *b = &c->b[i];
		long *at = pos ? NULL
			       : bsearch(&b->x, c->xorder, c->nx,
					 sizeof *c->xorder, cmp_long);

		b->xi = (int)(pos ? pos[b->x] : at ? at - c->xorder : 0);
		if (desc)
			b->xi = (int)c->nx - 1 - b->xi;
	}
	if (desc)
		reverse_longs(c->xorder, c->nx);
	free(pos);
	return BRIEF_OK;
}

/* Marks in axis order, the run of each position, and per (position,
 * series) the claimants' ranks: what drawing needs, found once. */
static enum brief_status resolve_marks(struct chart *c, struct diag *err)
{
	enum figure_combine how = c->spec->agg == AGG_MAX ? FIG_MAX : FIG_SUM;
	enum brief_status st = place_marks(c, err);

	if (st)
		return st;
	c->bymark = malloc((c->nb + 1) * sizeof *c->bymark);
	c->xstart = calloc(c->nx + 2, sizeof *c->xstart);
	c->contested = calloc(c->series.n + 1, sizeof *c->contested);
	if (!c->bymark || !c->xstart || !c->contested)
		return chart_oom(c, err);
	for (size_t i = 0; i < c->nb; i++) {
		struct figure_total t = figure_acc_total(&c->b[i].acc, how);

		c->b[i].value = t.value;
		c->b[i].high = t.high;
		c->b[i].flags = chart_total_flags(&t);
		c->bymark[i] = i;
	}
	sort_chart = c;
	if (c->nb)
		qsort(c->bymark, c->nb, sizeof *c->bymark, cmp_mark);
	for (size_t i = 0, run = 0; i < c->nb; i++) {
		struct bucket *b = &c->b[c->bymark[i]];

		c->xstart[b->xi + 1] = i + 1;
		if (i && b->xi == c->b[c->bymark[i - 1]].xi &&
		    b->series == c->b[c->bymark[i - 1]].series)
			run++;
		else
			run = 0;
		b->rank = (int)run;
		if (run)
			c->contested[b->series] = true;
	}
	/* Positions without marks (events only) start where the last ended. */
	for (size_t k = 1; k <= c->nx; k++)
		if (c->xstart[k] < c->xstart[k - 1])
			c->xstart[k] = c->xstart[k - 1];
	for (size_t i = c->nb; i-- > 0;) {
		struct bucket *b = &c->b[c->bymark[i]];
		bool last = i + 1 == c->nb ||
			    c->b[c->bymark[i + 1]].xi != b->xi ||
			    c->b[c->bymark[i + 1]].series != b->series;

		b->nclaims = last ? b->rank + 1 : c->b[c->bymark[i + 1]].nclaims;
	}
	return BRIEF_OK;
}

bool chart_series_contested(const struct chart *c, int series)
{
	return c->contested && series >= 0 && (size_t)series < c->series.n &&
	       c->contested[series];
}

/* Stacking adds the marks of one position: their stocks must share a date. */
static enum brief_status check_stacked_stocks(const struct chart *c,
					      struct diag *err)
{
	for (size_t k = 0; k < c->nx; k++) {
		const struct bucket *first = NULL;

		for (size_t i = c->xstart[k]; i < c->xstart[k + 1]; i++) {
			const struct bucket *b = &c->b[c->bymark[i]];

			if (!b->has_stock)
				continue;
			if (first && b->stock_day != first->stock_day)
				return stock_error(c, first->stock_day,
						   b->stock_day,
						   "this chart stacks", err);
			if (!first)
				first = b;
		}
	}
	return BRIEF_OK;
}

static enum brief_status check_marks(const struct chart *c, struct diag *err)
{
	const struct chart_spec *s = c->spec;

	if (c->units.n > 1)
		return spec_error(s, s->at, err,
				  "the rows mix units (%s and %s) on one axis; "
				  "add a filter on unit",
				  c->units.s[0], c->units.s[1]);
	if (s->type == CHART_STACKED_BAR)
		for (size_t i = 0; i < c->series.n; i++)
			if (chart_series_contested(c, (int)i))
				return spec_error(
					s, s->at_group, err,
					"%s '%s' has figures from different "
					"claimants for the same %s; stacking "
					"would merge them. Use a filter on "
					"reported_by, or a bar chart (claims "
					"side by side)",
					c->group_col ? c->group_col : "series",
					c->series.s[i], c->x_col);
	if (s->type == CHART_STACKED_BAR || (s->type == CHART_STEP && s->area)) {
		enum brief_status st = check_stacked_stocks(c, err);

		if (st)
			return st;
	}
	if ((s->type == CHART_BAR || s->type == CHART_STACKED_BAR) &&
	    c->nb > 400)
		return spec_error(s, s->at, err,
				  "%zu bars are too many to read; use a coarser "
				  "bucket, a filter or a line chart",
				  c->nb);
	return BRIEF_OK;
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
				  c->dset.name,
				  s->nfilters ? " the filter" : "",
				  c->undated ? " (rows without a date are "
					       "left out of a date axis)"
					     : "");
	c->percent = c->units.n == 1 && strcmp(c->units.s[0], "percent") == 0;
	st = order_x(c, err);
	if (!st)
		st = resolve_marks(c, err);
	if (!st)
		st = check_marks(c, err);
	if (st)
		return st;
	if (!chart_make_y_label(c) || !chart_make_source_line(c) ||
	    !chart_make_alt_text(c))
		return chart_oom(c, err);
	return BRIEF_OK;
}

bool chart_cite(struct chart *c, chart_cite_fn cite, void *ctx)
{
	if (!c || !cite)
		return true;
	if (c->map)
		return map_cite(c->map, cite, ctx);
	free(c->cite);
	c->cite = chart_cite_numbers(&c->srcs, cite, ctx);
	return c->cite && chart_make_source_line(c);
}

struct date chart_as_of(const struct chart *c)
{
	struct date none = { 0, 0, 0 };

	if (c && c->map)
		return map_as_of(c->map);
	return c ? c->as_of : none;
}

void chart_set_as_of(struct chart *c, struct date as_of)
{
	if (c && as_of.year)
		c->doc_as_of_day = date_days_end(&as_of);
}

const char *chart_id(const struct chart *c)
{
	return c ? c->spec->id : NULL;
}
