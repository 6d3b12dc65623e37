/* map.c — map specs checked, maps created and freed, and the rows of each
 * layer taken from the datasets (bound to their columns, filtered,
 * checked). */
#include "map_impl.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

const char *const map_default_disclaimer =
	"Map for reference only: the boundaries, names and designations "
	"shown do not imply endorsement or acceptance of them by the makers "
	"of this briefing.";

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

enum brief_status map_error(const struct map *m, struct srcpos at,
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

enum brief_status row_error(const struct map *m, const char *file,
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

void map_warn(struct map *m, const char *file, long line, long col,
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

enum brief_status map_oom(const struct map *m, struct diag *err)
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
	if (!dataset_parse(ds, &l->dset))
		return map_error(m, s->at_dataset, err,
				 "unknown dataset '%s' (casualties, "
				 "displacement, control, figures or events, "
				 "optionally with '-' and a label)",
				 ds);
	l->ds = l->dset.kind;
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
			return map_oom(m, err);
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
	m->fed = dataset_plain(DS_EVENTS);
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
			m->fed = l->dset;
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

		if (l->ck)
			for (size_t k = 0; k < l->keys.n; k++)
				free(l->ck[k].claims);
		free(l->data_file);
		free(l->fcol);
		strtab_free(&l->keys);
		strtab_free(&l->claims);
		strtab_free(&l->groups);
		strtab_free(&l->labels);
		strtab_free(&l->units);
		free(l->c);
		free(l->p);
		free(l->k);
		free(l->ck);
		free(l->fkey);
		free(l->ca);
		mgeo_free(&l->areas);
	}
	mgeo_free(&m->base);
	for (size_t i = 0; i < m->nfiles; i++)
		free(m->files[i]);
	free(m->focus);
	strtab_free(&m->srcs);
	free(m->cite);
	free(m->source_line);
	free(m->alt);
	free(m->footnote);
	free(m);
}

const char *map_dataset(const struct map *m)
{
	return m->fed.name;
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
	*out = data_row_column(row, data_column_resolve(l->ds, name));
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

	/* As in charts: a filter on a schema column the file lacks reads
	 * every row's field as empty. */
	row_filter_bind(s->filters, s->nfilters, row, l->fcol);
	for (size_t i = 0; i < s->nfilters; i++)
		if (l->fcol[i] < 0 &&
		    !data_column_known(l->ds, s->filters[i].column))
			return map_error(m, s->filters[i].at, err,
					 "filter: no column '%s' in %s",
					 s->filters[i].column, row->file);
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
		st = bind_col(m, l, row, s->lat ? s->lat : "latitude", s->at, "lat",
			      &l->col_lat, err);
		if (!st)
			st = bind_col(m, l, row, s->lon ? s->lon : "longitude", s->at,
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
		return map_oom(m, err);
	l->bound = true;
	return BRIEF_OK;
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
	if (array_reserve(&l->c, &l->capc, l->nc + 1, sizeof *l->c, 0))
		return map_oom(m, err);
	c = &l->c[l->nc];
	memset(c, 0, sizeof *c);
	c->key = strtab_intern_at(&l->keys, key, row->line,
				  row->col[l->col_join]);
	c->claim = strtab_intern_at(&l->claims, who, row->line,
			     l->col_claim >= 0 ? row->col[l->col_claim] : 0);
	if (c->key < 0 || c->claim < 0)
		return map_oom(m, err);
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
	    strtab_intern_at(&l->units, row->field[l->col_unit], row->line,
		      row->col[l->col_unit]) < 0)
		return map_oom(m, err);
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
			 l->spec->lat ? l->spec->lat : "latitude",
			 l->spec->lon ? l->spec->lon : "longitude");
		return BRIEF_OK;
	}
	if (l->np >= MAP_MAX_ROWS)
		return map_error(m, l->spec->at, err,
				 "more than %d points in one layer; filter "
				 "them",
				 MAP_MAX_ROWS);
	if (array_reserve(&l->p, &l->capp, l->np + 1, sizeof *l->p, 0))
		return map_oom(m, err);
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
	    (p->group = strtab_intern_at(&l->groups, row->field[l->col_group],
				  row->line, row->col[l->col_group])) < 0)
		return map_oom(m, err);
	if (l->col_label >= 0 && *row->field[l->col_label] &&
	    (p->label = strtab_intern_at(&l->labels, row->field[l->col_label],
				  row->line, row->col[l->col_label])) < 0)
		return map_oom(m, err);
	p->line = row->line;
	p->col = row->col[l->col_lat];
	l->np++;
	return BRIEF_OK;
}

bool map_yes(const char *s)
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
	if (array_reserve(&l->k, &l->capk, l->nk + 1, sizeof *l->k, 0))
		return map_oom(m, err);
	k = &l->k[l->nk];
	k->area = strtab_intern_at(&l->keys, row->field[l->col_join], row->line,
			    row->col[l->col_join]);
	k->controller = strtab_intern_at(&l->groups, row->field[l->col_ctl],
				  row->line, row->col[l->col_ctl]);
	if (k->area < 0 || k->controller < 0)
		return map_oom(m, err);
	k->day = date_days(&row->date);
	k->disputed = l->col_disputed >= 0 &&
		      map_yes(row->field[l->col_disputed]);
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
	if (!row_filter_passes(l->spec->filters, l->spec->nfilters, l->fcol,
			       row))
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
	if (*row->source && strtab_intern_at(&m->srcs, row->source, row->line,
				      l->col_source >= 0
					      ? row->col[l->col_source]
					      : 0) < 0)
		return map_oom(m, err);
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
		if (strcmp(m->layers[i].dset.name, m->fed.name) == 0 &&
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
enum brief_status map_scan_others(struct map *m, const char *data_dir,
				  struct diag *err)
{
	enum brief_status st;

	for (size_t i = 0; i < m->nlayers; i++) {
		struct scan_one s = { m, &m->layers[i] };

		if (strcmp(m->layers[i].dset.name, m->fed.name) == 0)
			continue;
		st = data_scan_dataset(data_dir, &m->layers[i].dset, m->sources,
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
		st = data_scan_dataset(data_dir, &m->fed, m->sources,
				       scan_map_row, m, NULL, err);
	return st ? st : map_finish(m, data_dir, err);
}
