/* map.c — map specs checked, layer rows taken from the datasets, boundary
 * files read and projected, rows joined to areas, classes, control at a
 * date, and the source line, alt text and printed names. */
#include "map_impl.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const map_default_disclaimer =
	"Map for reference only: the boundaries, names and designations "
	"shown do not imply endorsement or acceptance of them by the makers "
	"of this briefing.";

/* ---- interned names ---- */

static size_t hash_str(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static bool names_rehash(struct map_names *t)
{
	size_t ns = t->nslot ? t->nslot * 2 : 64;
	size_t *v = calloc(ns, sizeof *v);

	if (!v)
		return false;
	for (size_t i = 0; i < t->n; i++) {
		size_t h = hash_str(t->s[i]) & (ns - 1);

		while (v[h])
			h = (h + 1) & (ns - 1);
		v[h] = i + 1;
	}
	free(t->slot);
	t->slot = v;
	t->nslot = ns;
	return true;
}

int names_find(const struct map_names *t, const char *s)
{
	if (!t->nslot)
		return -1;
	for (size_t h = hash_str(s) & (t->nslot - 1); t->slot[h];
	     h = (h + 1) & (t->nslot - 1))
		if (strcmp(t->s[t->slot[h] - 1], s) == 0)
			return (int)(t->slot[h] - 1);
	return -1;
}

int names_add(struct map_names *t, const char *s, long line, long col)
{
	int i = names_find(t, s);
	size_t h;

	if (i >= 0)
		return i;
	if ((t->n + 1) * 2 > t->nslot && !names_rehash(t))
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
	if (!(t->s[t->n] = strdup(s)))
		return -1;
	t->pos[t->n][0] = line;
	t->pos[t->n][1] = col;
	for (h = hash_str(s) & (t->nslot - 1); t->slot[h];
	     h = (h + 1) & (t->nslot - 1))
		;
	t->slot[h] = ++t->n;
	return (int)(t->n - 1);
}

void names_free(struct map_names *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	free(t->pos);
	free(t->slot);
	memset(t, 0, sizeof *t);
}

/* ---- spec ---- */

static void layer_spec_free(struct map_layer *l)
{
	free(l->dataset);
	for (size_t i = 0; i < l->nfilters; i++) {
		free(l->filters[i].column);
		for (size_t j = 0; j < l->filters[i].nvalues; j++)
			free(l->filters[i].values[j]);
		free(l->filters[i].values);
	}
	free(l->filters);
	free(l->title);
	free(l->join);
	free(l->match);
	free(l->value);
	free(l->lat);
	free(l->lon);
	free(l->group);
	free(l->size);
	free(l->label);
	free(l->geometry);
	free(l->area);
	free(l->date);
}

void map_spec_free(struct map_spec *m)
{
	if (!m)
		return;
	free(m->boundaries);
	free(m->object);
	free(m->key);
	free(m->name);
	free(m->boundary_source);
	free(m->disclaimer);
	for (size_t i = 0; i < m->nfocus; i++)
		free(m->focus[i]);
	free(m->focus);
	for (size_t i = 0; i < m->nlayers; i++)
		layer_spec_free(&m->layers[i]);
	free(m->layers);
	for (size_t i = 0; i < m->nplaces; i++)
		free(m->places[i].name);
	free(m->places);
	memset(m, 0, sizeof *m);
}

static enum brief_status map_error(const struct map *m, struct srcpos at,
				   struct diag *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static enum brief_status map_error(const struct map *m, struct srcpos at,
				   struct diag *err, const char *fmt, ...)
{
	char msg[DIAG_MSG_MAX];
	va_list ap;

	if (at.line == 0)
		at = m->cs->at;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return diag_set(err, BRIEF_EDATA, m->cs->file, at.line, at.col,
			"map '%s': %s", m->cs->id ? m->cs->id : "?", msg);
}

/* An error at a dataset field. */
static enum brief_status row_error(const struct map *m, const char *file,
				   long line, long col, struct diag *err,
				   const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static enum brief_status row_error(const struct map *m, const char *file,
				   long line, long col, struct diag *err,
				   const char *fmt, ...)
{
	char msg[DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return diag_set(err, BRIEF_EDATA, file, line, col, "map '%s': %s",
			m->cs->id, msg);
}

static void map_warn(struct map *m, const char *file, long line, long col,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void map_warn(struct map *m, const char *file, long line, long col,
		     const char *fmt, ...)
{
	char msg[DIAG_MSG_MAX];
	va_list ap;

	if (m->nwarn == MAP_MAX_WARNINGS) {
		m->more_warnings++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_set(&m->warn[m->nwarn++], BRIEF_OK, file, line, col,
		 "map '%s': %s", m->cs->id, msg);
}

static enum brief_status oom(const struct map *m, struct diag *err)
{
	return diag_set(err, BRIEF_ENOMEM, m->cs->file, m->cs->at.line,
			m->cs->at.col, "map '%s': out of memory", m->cs->id);
}

static const char *const kind_names[] = { "choropleth", "points",
					  "control" };

static const char *layer_default_dataset(enum map_layer_kind k)
{
	return k == MAP_POINTS ? "events" : k == MAP_CONTROL ? "control"
							     : NULL;
}

static enum brief_status check_layer(struct map *m, struct layer *l,
				     struct diag *err)
{
	const struct map_layer *s = l->spec;
	const char *ds = s->dataset ? s->dataset
				    : layer_default_dataset(s->kind);

	if ((unsigned)s->kind > MAP_CONTROL)
		return map_error(m, s->at, err, "unknown layer type");
	if (!ds)
		return map_error(m, s->at, err,
				 "a %s layer needs a 'dataset'",
				 kind_names[s->kind]);
	if (!dataset_kind_parse(ds, &l->ds))
		return map_error(m, s->at_dataset, err,
				 "unknown dataset '%s' (casualties, "
				 "displacement, control, figures or events)",
				 ds);
	for (size_t i = 0; i < s->nfilters; i++)
		if (!s->filters[i].column || !s->filters[i].nvalues)
			return map_error(m, s->filters[i].at, err,
					 "filter needs a column and a value");
	if (s->kind == MAP_CHOROPLETH && !s->join)
		return map_error(m, s->at, err,
				 "a choropleth layer needs 'join' (the column "
				 "holding each row's area code or name)");
	if (s->kind == MAP_CONTROL && !s->geometry)
		return map_error(m, s->at, err,
				 "a control layer needs 'geometry' (a file of "
				 "the areas, keyed by area and date)");
	if (s->kind == MAP_CHOROPLETH && l->ds == DS_EVENTS &&
	    (!s->value || strcmp(s->value, "count") != 0))
		return map_error(m, s->at_dataset, err,
				 "the events dataset has no values; a "
				 "choropleth of events needs 'value: count'");
	if (s->nfilters) {
		l->fcol = calloc(s->nfilters, sizeof *l->fcol);
		if (!l->fcol)
			return oom(m, err);
	}
	return BRIEF_OK;
}

enum brief_status map_new(const struct chart_spec *spec,
			  const struct sources *sources,
			  struct palette *palette, struct map **out,
			  struct diag *err)
{
	struct map *m;
	enum brief_status st = BRIEF_OK;
	bool fed = false;

	*out = NULL;
	if (!spec->map)
		return diag_set(err, BRIEF_EINTERNAL, spec->file, spec->at.line,
				spec->at.col,
				"internal error in map: a map chart without "
				"its map spec");
	m = calloc(1, sizeof *m);
	if (!m)
		return diag_set(err, BRIEF_ENOMEM, spec->file, spec->at.line,
				spec->at.col, "out of memory");
	m->cs = spec;
	m->spec = spec->map;
	m->sources = sources;
	m->palette = palette;
	m->fed = DS_EVENTS;
	if (!m->spec->boundaries)
		st = map_error(m, spec->at, err,
			       "needs 'boundaries' (a GeoJSON, TopoJSON or "
			       "shapefile, relative to the data directory)");
	else if (!m->spec->boundary_source || !*m->spec->boundary_source)
		st = map_error(m, spec->at, err,
			       "needs 'boundary_source' (who made the "
			       "boundaries; printed in the source line)");
	else if (m->spec->disclaimer && !*m->spec->disclaimer)
		st = map_error(m, spec->at, err,
			       "'disclaimer' may replace the boundary "
			       "disclaimer, not remove it");
	else if (m->spec->nlayers > MAP_MAX_LAYERS)
		st = map_error(m, spec->at, err, "more than %d layers",
			       MAP_MAX_LAYERS);
	for (size_t i = 0; !st && i < m->spec->nlayers; i++) {
		struct layer *l = &m->layers[m->nlayers++];

		l->spec = &m->spec->layers[i];
		st = check_layer(m, l, err);
		if (!st && !fed) {
			m->fed = l->ds;
			fed = true;
		}
	}
	if (st) {
		map_free(m);
		return st;
	}
	*out = m;
	return BRIEF_OK;
}

static void mgeo_free(struct mgeo *g)
{
	geo_free(g->g);
	free(g->m);
	free(g->path);
	memset(g, 0, sizeof *g);
}

void map_free(struct map *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nlayers; i++) {
		struct layer *l = &m->layers[i];

		free(l->data_file);
		free(l->fcol);
		names_free(&l->keys);
		names_free(&l->claims);
		names_free(&l->groups);
		names_free(&l->labels);
		names_free(&l->units);
		free(l->c);
		free(l->p);
		free(l->k);
		if (l->ck)
			for (size_t k = 0; k < l->keys.n; k++)
				free(l->ck[k].claims);
		free(l->ck);
		free(l->fkey);
		free(l->ca);
		mgeo_free(&l->areas);
	}
	mgeo_free(&m->base);
	for (size_t i = 0; i < m->nfiles; i++)
		free(m->files[i]);
	free(m->focus);
	names_free(&m->srcs);
	free(m->cite);
	free(m->source_line);
	free(m->alt);
	free(m->footnote);
	free(m);
}

enum dataset_kind map_dataset(const struct map *m)
{
	return m->fed;
}

const struct diag *map_warnings(const struct map *m, size_t *n)
{
	*n = m->nwarn;
	return m->warn;
}

size_t map_nfiles(const struct map *m)
{
	return m->nfiles;
}

const char *map_file(const struct map *m, size_t i)
{
	return i < m->nfiles ? m->files[i] : NULL;
}

const struct geo_proj *map_projection(const struct map *m)
{
	return &m->proj;
}

const struct geo *map_boundaries(const struct map *m)
{
	return m->base.g;
}

/* ---- rows ---- */

/* "date" is date_from where the dataset has periods (as in charts). */
static const char *resolve_col(enum dataset_kind k, const char *name)
{
	if (strcmp(name, "date") == 0 &&
	    (k == DS_CASUALTIES || k == DS_DISPLACEMENT))
		return "date_from";
	return name;
}

/* The column of a spec key, bound on the first row: an error at the key
 * when the file has no such column. */
static enum brief_status bind_col(const struct map *m, const struct layer *l,
				  const struct data_row *row, const char *name,
				  struct srcpos at, const char *key, int *out,
				  struct diag *err)
{
	*out = -1;
	if (!name)
		return BRIEF_OK;
	*out = data_row_column(row, resolve_col(l->ds, name));
	if (*out < 0)
		return map_error(m, at, err, "%s: no column '%s' in %s", key,
				 name, row->file);
	return BRIEF_OK;
}

static enum brief_status bind_layer(struct map *m, struct layer *l,
				    const struct data_row *row,
				    struct diag *err)
{
	const struct map_layer *s = l->spec;
	enum brief_status st;

	for (size_t i = 0; i < s->nfilters; i++)
		if ((st = bind_col(m, l, row, s->filters[i].column,
				   s->filters[i].at, "filter", &l->fcol[i],
				   err)))
			return st;
	st = bind_col(m, l, row, s->kind == MAP_CONTROL
					 ? (s->area ? s->area : "area")
					 : s->join,
		      s->kind == MAP_CONTROL ? s->at : s->at_join,
		      s->kind == MAP_CONTROL ? "area" : "join", &l->col_join,
		      err);
	if (!st && s->kind == MAP_CHOROPLETH && s->value &&
	    strcmp(s->value, "count") != 0 && strcmp(s->value, "value") != 0)
		st = bind_col(m, l, row, s->value, s->at_value, "value",
			      &l->col_value, err);
	else
		l->col_value = -1;
	if (!st && s->kind == MAP_POINTS) {
		st = bind_col(m, l, row, s->lat ? s->lat : "lat", s->at, "lat",
			      &l->col_lat, err);
		if (!st)
			st = bind_col(m, l, row, s->lon ? s->lon : "lon", s->at,
				      "lon", &l->col_lon, err);
		if (!st)
			st = bind_col(m, l, row, s->size, s->at, "size",
				      &l->col_size, err);
		if (!st)
			st = bind_col(m, l, row, s->label, s->at, "label",
				      &l->col_label, err);
	}
	if (!st && s->kind != MAP_CHOROPLETH)
		st = bind_col(m, l, row, s->group, s->at_group, "group",
			      &l->col_group, err);
	if (!st && s->kind == MAP_CONTROL) {
		st = bind_col(m, l, row, s->group ? s->group : "controller",
			      s->group ? s->at_group : s->at_dataset,
			      "controller", &l->col_ctl, err);
		l->col_disputed = data_row_column(row, "disputed");
	}
	if (st)
		return st;
	l->col_claim = data_row_column(row, "reported_by");
	l->col_unit = data_row_column(row, "unit");
	l->col_source = data_row_column(row, "source");
	if (!(l->data_file = strdup(row->file)))
		return oom(m, err);
	l->bound = true;
	return BRIEF_OK;
}

static bool row_passes(const struct layer *l, const struct data_row *row)
{
	const struct map_layer *s = l->spec;

	for (size_t i = 0; i < s->nfilters; i++) {
		const char *v = row->field[l->fcol[i]];
		size_t j;

		for (j = 0; j < s->filters[i].nvalues; j++)
			if (strcmp(v, s->filters[i].values[j]) == 0)
				break;
		if (j == s->filters[i].nvalues)
			return false;
	}
	return true;
}

static bool grow(void *p, size_t *cap, size_t need, size_t sz)
{
	void **pp = p;
	size_t n = *cap ? *cap : 32;
	void *q;

	if (need <= *cap)
		return true;
	while (n < need)
		n *= 2;
	q = realloc(*pp, n * sz);
	if (!q)
		return false;
	*pp = q;
	*cap = n;
	return true;
}

static enum brief_status parse_number(const struct map *m,
				      const struct data_row *row, int col,
				      const char *what, double lo, double hi,
				      double *out, struct diag *err)
{
	const char *f = row->field[col];
	char *end;

	errno = 0;
	*out = strtod(f, &end);
	if (end == f || *end || errno || !isfinite(*out))
		return row_error(m, row->file, row->line, row->col[col], err,
				 "%s '%s' is not a number", what, f);
	if (*out < lo || *out > hi)
		return row_error(m, row->file, row->line, row->col[col], err,
				 "%s %g is outside %g..%g", what, *out, lo,
				 hi);
	return BRIEF_OK;
}

static enum brief_status feed_choropleth(struct map *m, struct layer *l,
					 const struct data_row *row,
					 struct diag *err)
{
	const char *key = row->field[l->col_join];
	const char *who = l->col_claim >= 0 ? row->field[l->col_claim] : "";
	struct crow *c;
	enum brief_status st;

	if (!*key) {
		map_warn(m, row->file, row->line, row->col[l->col_join],
			 "no area in column %s; row left off the map",
			 l->spec->join);
		return BRIEF_OK;
	}
	if (l->nc >= MAP_MAX_ROWS)
		return map_error(m, l->spec->at, err,
				 "more than %d rows in one layer; filter them",
				 MAP_MAX_ROWS);
	if (!grow(&l->c, &l->capc, l->nc + 1, sizeof *l->c))
		return oom(m, err);
	c = &l->c[l->nc];
	memset(c, 0, sizeof *c);
	c->key = names_add(&l->keys, key, row->line, row->col[l->col_join]);
	c->claim = names_add(&l->claims, who, row->line,
			     l->col_claim >= 0 ? row->col[l->col_claim] : 0);
	if (c->key < 0 || c->claim < 0)
		return oom(m, err);
	c->line = row->line;
	c->col = row->col[l->col_join];
	if (l->spec->value && strcmp(l->spec->value, "count") == 0) {
		c->value = c->high = 1;
	} else if (l->col_value >= 0) {
		st = parse_number(m, row, l->col_value, l->spec->value, -1e300,
				  1e300, &c->value, err);
		if (st)
			return st;
		c->high = c->value;
	} else {
		c->value = row->value;
		c->has_high = row->has_high;
		c->high = row->has_high ? row->high : row->value;
		c->qual = row->qualifier;
	}
	if (l->col_unit >= 0 &&
	    names_add(&l->units, row->field[l->col_unit], row->line,
		      row->col[l->col_unit]) < 0)
		return oom(m, err);
	l->nc++;
	return BRIEF_OK;
}

static enum brief_status feed_points(struct map *m, struct layer *l,
				     const struct data_row *row,
				     struct diag *err)
{
	const char *lat = row->field[l->col_lat], *lon = row->field[l->col_lon];
	struct prow *p;
	enum brief_status st;

	if (!*lat && !*lon) {
		l->nocoord++;
		map_warn(m, row->file, row->line, row->col[l->col_lat],
			 "row has no coordinates (%s, %s); not drawn",
			 l->spec->lat ? l->spec->lat : "lat",
			 l->spec->lon ? l->spec->lon : "lon");
		return BRIEF_OK;
	}
	if (l->np >= MAP_MAX_ROWS)
		return map_error(m, l->spec->at, err,
				 "more than %d points in one layer; filter "
				 "them",
				 MAP_MAX_ROWS);
	if (!grow(&l->p, &l->capp, l->np + 1, sizeof *l->p))
		return oom(m, err);
	p = &l->p[l->np];
	memset(p, 0, sizeof *p);
	p->group = p->label = -1;
	if ((st = parse_number(m, row, l->col_lat, "latitude", -90, 90,
			       &p->lat, err)) ||
	    (st = parse_number(m, row, l->col_lon, "longitude", -180, 180,
			       &p->lon, err)))
		return st;
	if (l->col_size >= 0) {
		st = parse_number(m, row, l->col_size, l->spec->size, 0, 1e300,
				  &p->size, err);
		if (st)
			return st;
		if (p->size > l->size_max)
			l->size_max = p->size;
	}
	if (l->col_group >= 0 &&
	    (p->group = names_add(&l->groups, row->field[l->col_group],
				  row->line, row->col[l->col_group])) < 0)
		return oom(m, err);
	if (l->col_label >= 0 && *row->field[l->col_label] &&
	    (p->label = names_add(&l->labels, row->field[l->col_label],
				  row->line, row->col[l->col_label])) < 0)
		return oom(m, err);
	p->line = row->line;
	p->col = row->col[l->col_lat];
	l->np++;
	return BRIEF_OK;
}

static bool yes_word(const char *s)
{
	return strcmp(s, "true") == 0 || strcmp(s, "yes") == 0 ||
	       strcmp(s, "1") == 0;
}

static enum brief_status feed_control(struct map *m, struct layer *l,
				      const struct data_row *row,
				      struct diag *err)
{
	struct krow *k;

	if (row->date.year == 0)
		return BRIEF_OK;
	if (l->nk >= MAP_MAX_ROWS)
		return map_error(m, l->spec->at, err,
				 "more than %d rows in one layer; filter them",
				 MAP_MAX_ROWS);
	if (!grow(&l->k, &l->capk, l->nk + 1, sizeof *l->k))
		return oom(m, err);
	k = &l->k[l->nk];
	k->area = names_add(&l->keys, row->field[l->col_join], row->line,
			    row->col[l->col_join]);
	k->controller = names_add(&l->groups, row->field[l->col_ctl],
				  row->line, row->col[l->col_ctl]);
	if (k->area < 0 || k->controller < 0)
		return oom(m, err);
	k->day = date_days(&row->date);
	k->disputed = l->col_disputed >= 0 &&
		      yes_word(row->field[l->col_disputed]);
	k->line = row->line;
	k->col = row->col[l->col_join];
	l->nk++;
	return BRIEF_OK;
}

static enum brief_status feed_layer(struct map *m, struct layer *l,
				    const struct data_row *row,
				    struct diag *err)
{
	enum brief_status st;
	long end;

	if (!l->bound && (st = bind_layer(m, l, row, err)))
		return st;
	if (!row_passes(l, row))
		return BRIEF_OK;
	switch (l->spec->kind) {
	case MAP_CHOROPLETH:
		st = feed_choropleth(m, l, row, err);
		break;
	case MAP_POINTS:
		st = feed_points(m, l, row, err);
		break;
	case MAP_CONTROL:
	default:
		st = feed_control(m, l, row, err);
		break;
	}
	if (st)
		return st;
	l->rows++;
	if (*row->source && names_add(&m->srcs, row->source, row->line,
				      l->col_source >= 0
					      ? row->col[l->col_source]
					      : 0) < 0)
		return oom(m, err);
	end = date_days_end(row->date_to.year ? &row->date_to : &row->date);
	if (row->date.year && (m->as_of.year == 0 || end > m->as_of_day)) {
		m->as_of = row->date_to.year ? row->date_to : row->date;
		m->as_of_day = end;
	}
	return BRIEF_OK;
}

enum brief_status map_feed(struct map *m, const struct data_row *row,
			   struct diag *err)
{
	enum brief_status st;

	for (size_t i = 0; i < m->nlayers; i++)
		if (m->layers[i].ds == row->kind &&
		    (st = feed_layer(m, &m->layers[i], row, err)))
			return st;
	return BRIEF_OK;
}

struct scan_one {
	struct map *m;
	struct layer *l;
};

static enum brief_status scan_layer_row(void *ctx, const struct data_row *row,
					struct diag *err)
{
	struct scan_one *s = ctx;

	return feed_layer(s->m, s->l, row, err);
}

static enum brief_status scan_map_row(void *ctx, const struct data_row *row,
				      struct diag *err)
{
	return map_feed(ctx, row, err);
}

/* The layers whose dataset map_feed did not take: scan each alone. */
static enum brief_status scan_others(struct map *m, const char *data_dir,
				     struct diag *err)
{
	enum brief_status st;

	for (size_t i = 0; i < m->nlayers; i++) {
		struct scan_one s = { m, &m->layers[i] };

		if (m->layers[i].ds == m->fed)
			continue;
		st = data_scan(data_dir, m->layers[i].ds, m->sources,
			       scan_layer_row, &s, NULL, err);
		if (st)
			return st;
	}
	return BRIEF_OK;
}

enum brief_status map_collect(struct map *m, const char *data_dir,
			      struct diag *err)
{
	enum brief_status st = BRIEF_OK;

	if (m->nlayers)
		st = data_scan(data_dir, m->fed, m->sources, scan_map_row, m,
			       NULL, err);
	return st ? st : map_finish(m, data_dir, err);
}

/* ---- boundaries ---- */

static char *data_path_join(const char *dir, const char *file)
{
	size_t n = strlen(dir) + strlen(file) + 2;
	char *p = malloc(n);

	if (!p)
		return NULL;
	if (file[0] == '/')
		snprintf(p, n, "%s", file);
	else
		snprintf(p, n, "%s/%s", dir, file);
	return p;
}

/* Read a boundary file; its errors are its own (file:line:col or a JSON
 * path); a missing file is reported at the spec key that names it. */
static enum brief_status load_geo(struct map *m, const char *data_dir,
				  const char *file, const char *object,
				  struct srcpos at, struct mgeo *out,
				  struct diag *err)
{
	enum brief_status st;

	out->path = data_path_join(data_dir, file);
	if (!out->path || m->nfiles == sizeof m->files / sizeof *m->files ||
	    !(m->files[m->nfiles] = strdup(out->path)))
		return oom(m, err);
	m->nfiles++;
	st = geo_load(out->path, object, &out->g, err);
	if (st == BRIEF_EDATA && err && err->line == 0 &&
	    strstr(err->msg, "no such boundary file"))
		return map_error(m, at, err, "no such boundary file %s",
				 out->path);
	if (st)
		return st;
	if (out->g->nfeatures == 0)
		return diag_set(err, BRIEF_EDATA, out->path, 0, 0,
				"map '%s': the file has no polygon features",
				m->cs->id);
	return BRIEF_OK;
}

/* Feature indices sorted by a property, for joins by code or name. */
struct fidx {
	const char *v;
	size_t f;
};

static int cmp_fidx(const void *a, const void *b)
{
	const struct fidx *x = a, *y = b;
	int r = strcmp(x->v, y->v);

	return r ? r : (x->f > y->f) - (x->f < y->f);
}

static struct fidx *index_by(const struct geo *g, const char *prop,
			     size_t *n)
{
	struct fidx *v = malloc((g->nfeatures + 1) * sizeof *v);

	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < g->nfeatures; i++) {
		const char *s = geo_prop(&g->features[i], prop);

		if (s) {
			v[*n].v = s;
			v[(*n)++].f = i;
		}
	}
	qsort(v, *n, sizeof *v, cmp_fidx);
	return v;
}

/* The first entry equal to s, or n. */
static size_t index_find(const struct fidx *v, size_t n, const char *s)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(v[mid].v, s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(v[lo].v, s) == 0 ? lo : n;
}

/* "id, name, pcode" (up to a few) for a message. */
static void prop_names(const struct geo *g, char *buf, size_t size)
{
	const struct geo_feature *f = &g->features[0];
	size_t n = 0;

	buf[0] = '\0';
	if (f->id)
		n += (size_t)snprintf(buf + n, size - n, "id");
	for (size_t i = 0; i < f->nprops && i < 8 && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "",
				      f->props[i].name);
	if (!n)
		snprintf(buf, size, "none");
}

static void feature_points(const struct geo *g, const struct geo_feature *f,
			   bool *mark)
{
	for (size_t r = f->first_ring; r < f->first_ring + f->nrings; r++) {
		const struct geo_ring *ring = &g->rings[r];

		for (size_t k = 0; k < ring->n; k++) {
			long ref = g->refs[ring->first + k];
			const struct geo_arc *a =
				&g->arcs[ref >= 0 ? ref : ~ref];

			for (size_t j = 0; j < a->n; j++)
				mark[a->first + j] = true;
		}
	}
}

static enum brief_status resolve_focus(struct map *m, struct diag *err)
{
	const struct geo *g = m->base.g;
	const char *key = m->spec->key ? m->spec->key : "id";
	const char *name = m->spec->name ? m->spec->name : "name";

	m->focus = calloc(g->nfeatures + 1, sizeof *m->focus);
	if (!m->focus)
		return oom(m, err);
	for (size_t i = 0; i < m->spec->nfocus; i++) {
		const char *want = m->spec->focus[i];
		bool found = false;

		for (size_t f = 0; f < g->nfeatures; f++) {
			const char *k = geo_prop(&g->features[f], key);
			const char *n = geo_prop(&g->features[f], name);

			if ((k && strcmp(k, want) == 0) ||
			    (n && strcmp(n, want) == 0)) {
				m->focus[f] = true;
				found = true;
			}
		}
		if (!found)
			return map_error(m, m->spec->at_focus, err,
					 "focus: no feature of %s has %s or "
					 "%s '%s'",
					 m->base.path, key, name, want);
	}
	return BRIEF_OK;
}

/* The view: the spec's extent, else the focus features', else every
 * feature's, with a margin. */
static enum brief_status choose_extent(struct map *m, struct diag *err)
{
	const struct geo *g = m->base.g;
	bool *mark;
	struct geo_xy *pts;
	size_t n = 0;

	if (m->spec->has_extent) {
		m->extent = m->spec->extent;
		return BRIEF_OK;
	}
	mark = calloc(g->npts + 1, sizeof *mark);
	pts = malloc((g->npts + 1) * sizeof *pts);
	if (!mark || !pts) {
		free(mark);
		free(pts);
		return oom(m, err);
	}
	for (size_t f = 0; f < g->nfeatures; f++)
		if (!m->spec->nfocus || m->focus[f])
			feature_points(g, &g->features[f], mark);
	for (size_t i = 0; i < g->npts; i++)
		if (mark[i])
			pts[n++] = g->pts[i];
	free(mark);
	if (!geo_extent_of(pts, n, &m->extent)) {
		free(pts);
		return n ? oom(m, err)
			 : map_error(m, m->spec->at_boundaries, err,
				     "the boundaries have no points");
	}
	free(pts);
	geo_extent_pad(&m->extent, 0.04);
	return BRIEF_OK;
}

static bool project_all(const struct geo_proj *p, struct mgeo *g)
{
	g->m = malloc((g->g->npts + 1) * sizeof *g->m);
	if (!g->m)
		return false;
	for (size_t i = 0; i < g->g->npts; i++)
		g->m[i] = geo_project(p, g->g->pts[i]);
	return true;
}

/* The projected view: the extent's outline, densified, projected. */
static void view_box(struct map *m)
{
	const struct geo_extent *e = &m->extent;
	double w = geo_extent_width(e);

	m->bx0 = m->by0 = 1e300;
	m->bx1 = m->by1 = -1e300;
	for (int i = 0; i <= 64; i++) {
		double t = i / 64.0;
		struct geo_xy edge[4] = {
			{ e->west + w * t, e->south },
			{ e->west + w * t, e->north },
			{ e->west, e->south + (e->north - e->south) * t },
			{ e->west + w, e->south + (e->north - e->south) * t },
		};

		for (int k = 0; k < 4; k++) {
			struct geo_xy q = geo_project(&m->proj, edge[k]);

			m->bx0 = fmin(m->bx0, q.x);
			m->by0 = fmin(m->by0, q.y);
			m->bx1 = fmax(m->bx1, q.x);
			m->by1 = fmax(m->by1, q.y);
		}
	}
}

static bool feature_visible(const struct map *m, const struct mgeo *g,
			    const struct geo_feature *f)
{
	const struct geo *geo = g->g;

	for (size_t r = f->first_ring; r < f->first_ring + f->nrings; r++) {
		const struct geo_ring *ring = &geo->rings[r];

		for (size_t k = 0; k < ring->n; k++) {
			long ref = geo->refs[ring->first + k];
			const struct geo_arc *a =
				&geo->arcs[ref >= 0 ? ref : ~ref];

			for (size_t j = 0; j < a->n; j++) {
				struct geo_xy q = g->m[a->first + j];

				if (q.x >= m->bx0 && q.x <= m->bx1 &&
				    q.y >= m->by0 && q.y <= m->by1)
					return true;
			}
		}
	}
	return false;
}

static enum brief_status load_base(struct map *m, const char *data_dir,
				   struct diag *err)
{
	const struct map_spec *s = m->spec;
	enum brief_status st;
	bool any = false;
	size_t nidx;
	struct fidx *idx;

	st = load_geo(m, data_dir, s->boundaries, s->object, s->at_boundaries,
		      &m->base, err);
	if (st)
		return st;
	if (s->key) {
		idx = index_by(m->base.g, s->key, &nidx);
		free(idx);
		if (!idx)
			return oom(m, err);
		if (nidx == 0) {
			char props[200];

			prop_names(m->base.g, props, sizeof props);
			return map_error(m, s->at_key, err,
					 "key: no feature of %s has property "
					 "'%s' (the first has: %s)",
					 m->base.path, s->key, props);
		}
	}
	if ((st = resolve_focus(m, err)) || (st = choose_extent(m, err)))
		return st;
	geo_proj_for_extent(&m->proj, &m->extent);
	if (!project_all(&m->proj, &m->base))
		return oom(m, err);
	view_box(m);
	for (size_t f = 0; f < m->base.g->nfeatures && !any; f++)
		any = feature_visible(m, &m->base, &m->base.g->features[f]);
	if (!any)
		return map_error(m, s->has_extent ? s->at_extent
						  : s->at_boundaries,
				 err,
				 "no boundary of %s lies within the map's "
				 "extent (%g, %g to %g, %g)",
				 m->base.path, m->extent.west,
				 m->extent.south, m->extent.east,
				 m->extent.north);
	return BRIEF_OK;
}

/* ---- choropleth ---- */

static void add_claim(struct ckey *k, const struct crow *c,
		      enum chart_agg agg, bool *ok)
{
	struct claim *cl = NULL;

	for (size_t i = 0; i < k->nclaims; i++)
		if (k->claims[i].claim == c->claim)
			cl = &k->claims[i];
	if (!cl) {
		struct claim *v = realloc(k->claims,
					  (k->nclaims + 1) * sizeof *v);

		if (!v) {
			*ok = false;
			return;
		}
		k->claims = v;
		cl = &v[k->nclaims++];
		memset(cl, 0, sizeof *cl);
		cl->claim = c->claim;
	}
	if (cl->n == 0 || agg != AGG_MAX) {
		if (agg == AGG_MAX) {
			cl->value = c->value;
			cl->high = c->high;
		} else {
			cl->value += agg == AGG_COUNT ? 1 : c->value;
			cl->high += agg == AGG_COUNT ? 1 : c->high;
		}
		cl->has_high = cl->has_high || c->has_high;
		cl->qual = cl->n == 0 ? c->qual : QUAL_EXACT;
	} else if (c->value > cl->value) {
		cl->value = c->value;
		cl->high = c->high;
		cl->has_high = c->has_high;
		cl->qual = c->qual;
	}
	cl->n++;
}

static double nice_round(double v)
{
	double p, f;

	if (v <= 0)
		return v;
	p = pow(10, floor(log10(v)) - 1);
	f = round(v / p);
	/* Two significant digits, to 10, 12, 15, 20, 25, 30, 40, 50, 75. */
	{
		static const double steps[] = { 10, 12, 15, 20, 25, 30,
						40, 50, 60, 75, 100 };
		double best = steps[0];

		for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
			if (fabs(steps[i] - f) < fabs(best - f))
				best = steps[i];
		return best * p;
	}
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Quantile breaks rounded to two significant digits. */
static void auto_breaks(struct layer *l, double *v, size_t n)
{
	size_t distinct = 0, k;

	qsort(v, n, sizeof *v, cmp_dbl);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || v[i] != v[i - 1])
			distinct++;
	k = distinct < 5 ? distinct : 5;
	l->nbreaks = 0;
	for (size_t i = 1; i < k; i++) {
		double b = nice_round(v[i * n / k]);

		if (b > v[0] && (l->nbreaks == 0 ||
				 b > l->breaks[l->nbreaks - 1]))
			l->breaks[l->nbreaks++] = b;
	}
}

static int class_of(const struct layer *l, double v)
{
	int c = 0;

	while ((size_t)c < l->nbreaks && v >= l->breaks[c])
		c++;
	return c;
}

static enum brief_status finish_choropleth(struct map *m, struct layer *l,
					   struct diag *err)
{
	const struct geo *g = m->base.g;
	const char *prop = l->spec->match ? l->spec->match
			   : m->spec->key ? m->spec->key
					  : "id";
	size_t nidx, nv = 0;
	struct fidx *idx = index_by(g, prop, &nidx);
	double *vals;
	bool ok = true;

	if (!idx)
		return oom(m, err);
	l->ck = calloc(l->keys.n + 1, sizeof *l->ck);
	l->fkey = malloc((g->nfeatures + 1) * sizeof *l->fkey);
	vals = malloc((l->keys.n + 1) * sizeof *vals);
	if (!l->ck || !l->fkey || !vals) {
		free(idx);
		free(vals);
		return oom(m, err);
	}
	for (size_t f = 0; f < g->nfeatures; f++)
		l->fkey[f] = -1;
	for (size_t i = 0; i < l->nc && ok; i++) {
		const struct crow *c = &l->c[i];
		size_t at = index_find(idx, nidx, l->keys.s[c->key]);

		if (at == nidx) {
			free(idx);
			free(vals);
			return row_error(m, l->data_file, c->line, c->col, err,
					 "'%s' in column %s matches no "
					 "boundary in %s (property %s)",
					 l->keys.s[c->key], l->spec->join,
					 m->base.path, prop);
		}
		for (; at < nidx && strcmp(idx[at].v, l->keys.s[c->key]) == 0;
		     at++)
			l->fkey[idx[at].f] = c->key;
		add_claim(&l->ck[c->key], c, l->spec->agg, &ok);
	}
	free(idx);
	if (!ok) {
		free(vals);
		return oom(m, err);
	}
	for (size_t k = 0; k < l->keys.n; k++) {
		struct ckey *ck = &l->ck[k];

		for (size_t i = 1; i < ck->nclaims; i++)
			if (ck->claims[i].value != ck->claims[0].value ||
			    ck->claims[i].high != ck->claims[0].high)
				ck->contested = true;
		if (ck->contested)
			l->ncontested++;
		else if (ck->nclaims)
			vals[nv++] = ck->claims[0].value;
	}
	l->integer = true;
	for (size_t i = 0; i < nv; i++)
		if (vals[i] != floor(vals[i]))
			l->integer = false;
	if (l->spec->nclasses) {
		memcpy(l->breaks, l->spec->classes,
		       l->spec->nclasses * sizeof *l->breaks);
		l->nbreaks = l->spec->nclasses;
		for (size_t i = 0; i < l->nbreaks; i++)
			if (l->breaks[i] != floor(l->breaks[i]))
				l->integer = false;
	} else if (nv) {
		auto_breaks(l, vals, nv);
	}
	free(vals);
	for (size_t k = 0; k < l->keys.n; k++)
		l->ck[k].cls = l->ck[k].contested || !l->ck[k].nclaims
				       ? -1
				       : class_of(l, l->ck[k].claims[0].value);
	if (l->units.n > 1)
		return map_error(m, l->spec->at, err,
				 "the rows mix units (%s and %s); add a filter "
				 "on unit",
				 l->units.s[0], l->units.s[1]);
	l->percent = l->units.n == 1 && strcmp(l->units.s[0], "percent") == 0;
	return BRIEF_OK;
}

/* ---- points ---- */

static enum brief_status finish_points(struct map *m, struct layer *l,
				       struct diag *err)
{
	size_t inside = 0;

	for (size_t i = 0; i < l->np; i++) {
		struct prow *p = &l->p[i];
		struct geo_xy ll = { p->lon, p->lat };
		struct geo_xy q = geo_project(&m->proj, ll);

		p->inside = geo_extent_contains(&m->extent, ll) &&
			    q.x >= m->bx0 && q.x <= m->bx1 && q.y >= m->by0 &&
			    q.y <= m->by1;
		if (p->inside)
			inside++;
		else
			map_warn(m, l->data_file, p->line, p->col,
				 "the point at %g, %g lies outside the map; "
				 "not drawn",
				 p->lat, p->lon);
	}
	if (inside == 0)
		return map_error(m, l->spec->at, err,
				 "none of the %zu points of %s lies within "
				 "the map's extent",
				 l->np, l->data_file ? l->data_file : "?");
	return BRIEF_OK;
}

/* ---- control ---- */

static long feature_day(const struct geo_feature *f, bool *dated)
{
	const char *d = geo_prop(f, "date");
	struct date dt;

	*dated = d && date_parse(d, strlen(d), &dt);
	return *dated ? date_days(&dt) : 0;
}

static enum brief_status finish_control(struct map *m, struct layer *l,
					const char *data_dir, struct diag *err)
{
	const struct map_layer *s = l->spec;
	const char *prop = s->area ? s->area : "area";
	enum brief_status st;
	const struct geo *g;
	long shown = LONG_MIN;

	st = load_geo(m, data_dir, s->geometry, NULL, s->at_geometry,
		      &l->areas, err);
	if (st)
		return st;
	g = l->areas.g;
	if (!project_all(&m->proj, &l->areas))
		return oom(m, err);
	if (s->date) {
		struct date d;

		if (!date_parse(s->date, strlen(s->date), &d))
			return map_error(m, s->at_date, err,
					 "date: '%s' is not a date "
					 "(2023, 2023-09 or 2023-09-19)",
					 s->date);
		l->date_shown = d;
		shown = date_days_end(&d);
	} else {
		for (size_t i = 0; i < l->nk; i++)
			if (l->k[i].day > shown)
				shown = l->k[i].day;
		ymd_from_days(shown, &l->date_shown.year,
			      &l->date_shown.month, &l->date_shown.day);
	}
	l->day_shown = shown;
	l->ca = calloc(l->keys.n + 1, sizeof *l->ca);
	if (!l->ca)
		return oom(m, err);
	for (size_t a = 0; a < l->keys.n; a++) {
		l->ca[a].feature = -1;
		l->ca[a].day = LONG_MIN;
	}
	/* The latest report on or before the date; several controllers
	 * reported for that day make the area contested. */
	for (size_t i = 0; i < l->nk; i++) {
		const struct krow *k = &l->k[i];
		struct carea *ca = &l->ca[k->area];
		bool have = false;

		if (k->day > shown)
			continue;
		if (k->day > ca->day) {
			ca->day = k->day;
			ca->nctl = 0;
			ca->disputed = false;
		}
		if (k->day < ca->day)
			continue;
		ca->disputed = ca->disputed || k->disputed;
		for (int j = 0; j < ca->nctl && j < 4; j++)
			have = have || ca->ctl[j] == k->controller;
		if (!have) {
			if (ca->nctl < 4)
				ca->ctl[ca->nctl] = k->controller;
			ca->nctl++;
		}
	}
	/* Each area's shape: the latest on or before the date. */
	for (size_t f = 0; f < g->nfeatures; f++) {
		const char *name = geo_prop(&g->features[f], prop);
		const char *disp = geo_prop(&g->features[f], "disputed");
		bool dated;
		long day = feature_day(&g->features[f], &dated);
		int a = name ? names_find(&l->keys, name) : -1;

		if (a < 0 || (dated && day > shown))
			continue;
		if (l->ca[a].feature < 0 ||
		    day >= feature_day(&g->features[l->ca[a].feature],
				       &dated)) {
			l->ca[a].feature = (int)f;
			if (disp && yes_word(disp) && l->ca[a].nctl)
				l->ca[a].disputed = true;
		}
	}
	for (size_t i = 0; i < l->nk; i++) {
		const struct krow *k = &l->k[i];
		const struct carea *ca = &l->ca[k->area];
		char d[64];

		if (k->day > shown || ca->feature >= 0)
			continue;
		return row_error(m, l->data_file, k->line, k->col, err,
				 "area '%s' has no shape in %s (property %s) "
				 "dated on or before %s",
				 l->keys.s[k->area], l->areas.path, prop,
				 date_format_long(&l->date_shown, d,
						  sizeof d));
	}
	{
		size_t reported = 0;

		for (size_t i = 0; i < l->nk; i++)
			reported += l->k[i].day <= shown;
		if (!reported)
			return map_error(m, s->at_date, err,
					 "no control rows on or before the "
					 "date shown");
	}
	return BRIEF_OK;
}

/* ---- text ---- */

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
	if (len < 0 || !grow(&b->s, &b->cap, b->n + (size_t)len + 1, 1)) {
		b->failed = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
	va_end(ap);
	b->n += (size_t)len;
}

static char *sb_take(struct sbuf *b)
{
	if (b->failed || !b->s) {
		free(b->s);
		return b->failed ? NULL : strdup("");
	}
	return b->s;
}

static const char *source_name(const struct map *m, const char *id)
{
	const struct source *src = m->sources ? sources_find(m->sources, id)
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

static bool make_source_line(struct map *m)
{
	struct sbuf b = { 0 };
	size_t *order = malloc((m->srcs.n + 1) * sizeof *order);
	char *s;

	if (!order)
		return false;
	/* Numbered sources in citation order, then any without a number. */
	for (size_t i = 0; i < m->srcs.n; i++) {
		int ci = m->cite && m->cite[i] > 0 ? m->cite[i] : INT_MAX;
		size_t k = i;

		for (; k > 0; k--) {
			size_t o = order[k - 1];
			int co = m->cite && m->cite[o] > 0 ? m->cite[o]
							   : INT_MAX;

			if (co <= ci)
				break;
			order[k] = o;
		}
		order[k] = i;
	}
	if (m->srcs.n)
		sb_add(&b, "%s", m->srcs.n == 1 ? "Source: " : "Sources: ");
	for (size_t i = 0; i < m->srcs.n; i++) {
		size_t k = order[i];

		sb_add(&b, "%s", i ? "; " : "");
		if (m->cite && m->cite[k] > 0)
			sb_add(&b, "[%d] ", m->cite[k]);
		sb_add(&b, "%s", source_name(m, m->srcs.s[k]));
	}
	free(order);
	if (m->srcs.n)
		sb_add(&b, ". ");
	sb_add(&b, "Boundaries: %s.", m->spec->boundary_source);
	s = sb_take(&b);
	if (!s)
		return false;
	free(m->source_line);
	m->source_line = s;
	return true;
}

static void claim_words(const struct layer *l, const struct claim *c,
			char *buf, size_t size)
{
	const char *unit = l->percent ? "percent" : NULL;

	if (c->n == 1)
		figure_format(c->value, c->has_high, c->high, c->qual, unit,
			      buf, size);
	else
		figure_format(c->value, false, c->value, QUAL_EXACT, unit, buf,
			      size);
}

/* The printed name of a choropleth key: the boundary's name when the
 * join was on a code. */
static const char *key_name(const struct map *m, const struct layer *l,
			    size_t k)
{
	const char *prop = m->spec->name ? m->spec->name : "name";

	for (size_t f = 0; f < m->base.g->nfeatures; f++)
		if (l->fkey[f] == (int)k) {
			const char *n = geo_prop(&m->base.g->features[f], prop);

			return n ? n : l->keys.s[k];
		}
	return l->keys.s[k];
}

/* Where claimants disagree on an area, each claim in the footer. */
static bool make_footnote(struct map *m)
{
	struct sbuf b = { 0 };
	char v[96];

	for (size_t i = 0; i < m->nlayers; i++) {
		const struct layer *l = &m->layers[i];
		size_t shown = 0;

		if (l->spec->kind != MAP_CHOROPLETH || !l->ncontested)
			continue;
		sb_add(&b, "%sFigures differ by source for ", b.n ? " " : "");
		for (size_t k = 0; k < l->keys.n; k++) {
			const struct ckey *ck = &l->ck[k];

			if (!ck->contested)
				continue;
			if (shown == 6) {
				sb_add(&b, "; and %zu more",
				       l->ncontested - shown);
				break;
			}
			sb_add(&b, "%s%s (", shown ? "; " : "", key_name(m, l, k));
			for (size_t c = 0; c < ck->nclaims; c++) {
				const char *who = l->claims.s[ck->claims[c].claim];

				claim_words(l, &ck->claims[c], v, sizeof v);
				sb_add(&b, "%s%s%s%s", c ? ", " : "", v,
				       *who ? " per " : "", who);
			}
			sb_add(&b, ")");
			shown++;
		}
		sb_add(&b, "; hatched on the map.");
	}
	free(m->footnote);
	m->footnote = sb_take(&b);
	return m->footnote != NULL;
}

static void alt_layer(const struct map *m, const struct layer *l,
		      struct sbuf *b)
{
	char v[96], d[64];

	switch (l->spec->kind) {
	case MAP_CHOROPLETH: {
		size_t shown = 0;

		sb_add(b, " Areas shaded by %s (%s):",
		       l->spec->title ? l->spec->title
				      : l->spec->value ? l->spec->value
						       : "value",
		       dataset_name(l->ds));
		for (size_t k = 0; k < l->keys.n && shown < 15; k++, shown++) {
			const struct ckey *ck = &l->ck[k];

			if (ck->contested) {
				sb_add(b, "%s %s: figures differ by source",
				       shown ? ";" : "", key_name(m, l, k));
				continue;
			}
			claim_words(l, &ck->claims[0], v, sizeof v);
			sb_add(b, "%s %s: %s", shown ? ";" : "",
			       key_name(m, l, k), v);
		}
		if (l->keys.n > 15)
			sb_add(b, "; %zu areas in all", l->keys.n);
		sb_add(b, ".");
		break;
	}
	case MAP_POINTS: {
		size_t inside = 0;

		for (size_t i = 0; i < l->np; i++)
			inside += l->p[i].inside;
		sb_add(b, " %zu %s rows marked at their coordinates.", inside,
		       dataset_name(l->ds));
		break;
	}
	case MAP_CONTROL:
		sb_add(b, " Control as of %s:",
		       date_format_long(&l->date_shown, d, sizeof d));
		for (size_t a = 0, n = 0; a < l->keys.n; a++) {
			const struct carea *ca = &l->ca[a];

			if (ca->day == LONG_MIN)
				continue;
			sb_add(b, "%s %s %s ", n++ ? ";" : "", l->keys.s[a],
			       ca->nctl > 1 ? "claimed by" : "held by");
			for (int j = 0; j < ca->nctl && j < 4; j++)
				sb_add(b, "%s%s",
				       j == 0		     ? ""
				       : j + 1 == ca->nctl ? " and "
							     : ", ",
				       l->groups.s[ca->ctl[j]]);
			if (ca->disputed)
				sb_add(b, " (disputed)");
		}
		sb_add(b, ".");
		break;
	}
	(void)m;
}

static bool make_alt_text(struct map *m)
{
	struct sbuf b = { 0 };
	char d[64];

	if (m->cs->description) {
		free(m->alt);
		m->alt = strdup(m->cs->description);
		return m->alt != NULL;
	}
	sb_add(&b, "Map");
	if (m->cs->title)
		sb_add(&b, ": %s", m->cs->title);
	sb_add(&b, ". Boundaries from %s.", m->spec->boundary_source);
	for (size_t i = 0; i < m->spec->nplaces; i++)
		sb_add(&b, "%s%s", i ? ", " : " Places marked: ",
		       m->spec->places[i].name);
	if (m->spec->nplaces)
		sb_add(&b, ".");
	for (size_t i = 0; i < m->nlayers; i++)
		alt_layer(m, &m->layers[i], &b);
	if (m->as_of.year)
		sb_add(&b, " Data as of %s.",
		       date_format_long(&m->as_of, d, sizeof d));
	free(m->alt);
	m->alt = sb_take(&b);
	return m->alt != NULL;
}

enum brief_status map_finish(struct map *m, const char *data_dir,
			     struct diag *err)
{
	enum brief_status st = scan_others(m, data_dir, err);

	for (size_t i = 0; !st && i < m->nlayers; i++)
		if (m->layers[i].rows == 0)
			st = map_error(m, m->layers[i].spec->at, err,
				       "no rows of %s.csv match%s",
				       dataset_name(m->layers[i].ds),
				       m->layers[i].spec->nfilters
					       ? " the filter"
					       : "");
	if (!st)
		st = load_base(m, data_dir, err);
	for (size_t i = 0; !st && i < m->nlayers; i++) {
		struct layer *l = &m->layers[i];

		if (l->spec->kind == MAP_CHOROPLETH)
			st = finish_choropleth(m, l, err);
		else if (l->spec->kind == MAP_POINTS)
			st = finish_points(m, l, err);
		else
			st = finish_control(m, l, data_dir, err);
	}
	if (st)
		return st;
	if (m->more_warnings && m->nwarn) {
		struct diag *w = &m->warn[m->nwarn - 1];
		size_t n = strlen(w->msg);

		snprintf(w->msg + n, sizeof w->msg - n,
			 " (and %ld more like it)", m->more_warnings);
	}
	if (!make_source_line(m) || !make_footnote(m) || !make_alt_text(m))
		return oom(m, err);
	return BRIEF_OK;
}

void map_cite(struct map *m, chart_cite_fn cite, void *ctx)
{
	if (!m || !cite)
		return;
	free(m->cite);
	m->cite = calloc(m->srcs.n + 1, sizeof *m->cite);
	if (!m->cite)
		return;
	for (size_t i = 0; i < m->srcs.n; i++)
		m->cite[i] = cite(ctx, m->srcs.s[i]);
	make_source_line(m);
}

const char *map_source_line(const struct map *m)
{
	return m && m->source_line ? m->source_line : "";
}

const char *map_alt_text(const struct map *m)
{
	return m && m->alt ? m->alt : "";
}

struct date map_as_of(const struct map *m)
{
	return m->as_of;
}

const char *map_ctl_name(const struct layer *l, int i)
{
	return i >= 0 && (size_t)i < l->groups.n ? l->groups.s[i] : "";
}

static enum brief_status each_names(const struct map_names *t,
				    const char *file, chart_text_fn fn,
				    void *ctx, struct diag *err)
{
	enum brief_status st = BRIEF_OK;

	for (size_t i = 0; i < t->n && !st; i++) {
		struct text_origin at = { file, t->pos[i][0], t->pos[i][1] };

		st = fn(ctx, t->s[i], &at, err);
	}
	return st;
}

enum brief_status map_each_text(const struct map *m, chart_text_fn fn,
				void *ctx, struct diag *err)
{
	const struct chart_spec *cs = m->cs;
	const struct map_spec *s = m->spec;
	const char *spec_text[] = { cs->title, cs->subtitle, cs->note,
				    s->boundary_source, s->disclaimer };
	struct text_origin at = { cs->file, cs->at.line, cs->at.col };
	enum brief_status st;

	for (size_t i = 0; i < sizeof spec_text / sizeof *spec_text; i++)
		if (spec_text[i] && (st = fn(ctx, spec_text[i], &at, err)))
			return st;
	for (size_t i = 0; i < s->nplaces; i++) {
		struct text_origin p = { cs->file, s->places[i].at.line,
					 s->places[i].at.col };

		if ((st = fn(ctx, s->places[i].name, &p, err)))
			return st;
	}
	for (size_t i = 0; i < m->nlayers; i++) {
		const struct layer *l = &m->layers[i];
		struct text_origin lt = { cs->file, l->spec->at.line,
					  l->spec->at.col };

		if (l->spec->title && (st = fn(ctx, l->spec->title, &lt, err)))
			return st;
		/* Area keys print in the footnote and alt text; groups and
		 * controllers in the legend; labels beside points;
		 * claimants in the footnote. */
		if ((st = each_names(&l->keys, l->data_file, fn, ctx, err)) ||
		    (st = each_names(&l->groups, l->data_file, fn, ctx, err)) ||
		    (st = each_names(&l->labels, l->data_file, fn, ctx, err)) ||
		    (st = each_names(&l->claims, l->data_file, fn, ctx, err)))
			return st;
	}
	if (s->labels && m->base.g) {
		const char *name = s->name ? s->name : "name";
		struct text_origin gf = { m->base.path, 0, 0 };

		for (size_t f = 0; f < m->base.g->nfeatures; f++) {
			const char *n = geo_prop(&m->base.g->features[f], name);

			if (n && (st = fn(ctx, n, &gf, err)))
				return st;
		}
	}
	return BRIEF_OK;
}
