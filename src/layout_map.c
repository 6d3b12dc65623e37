/* layout_map.c — the keys of a `type: map` chart block (docs/maps.md)
 * into its struct map_spec, each mistake reported at its key or value. */
#include "layout_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"

static const char *const map_keys[] = {
	"boundaries", "object", "key",	  "name",  "boundary_source",
	"disclaimer", "extent", "focus",  "labels", "water",
	"simplify",   "layers", "places", NULL
};

bool lay_map_key(const char *key)
{
	for (size_t i = 0; map_keys[i]; i++)
		if (strcmp(key, map_keys[i]) == 0)
			return true;
	return false;
}

static struct srcpos pos(const struct ynode *y)
{
	struct srcpos p = { y->line, y->col };

	return p;
}

static const char *scalar(struct lay *L, const char *what,
			  const struct ynode *v)
{
	if (v->kind == Y_SCALAR)
		return v->str;
	lay_error(L, v->line, v->col, "map '%s' must be a single value, not %s",
		  what, ynode_kind_name(v->kind));
	return NULL;
}

static enum brief_status str_key(struct lay *L, const char *what,
				 const struct ynode *v, char **dst)
{
	const char *s = scalar(L, what, v);

	if (!s)
		return BRIEF_EDATA;
	free(*dst);
	*dst = lay_strdup(s);
	return *dst ? BRIEF_OK : BRIEF_ENOMEM;
}

static enum brief_status bool_key(struct lay *L, const char *what,
				  const struct ynode *v, bool *dst)
{
	const char *s = scalar(L, what, v);

	if (!s)
		return BRIEF_EDATA;
	if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0) {
		*dst = true;
		return BRIEF_OK;
	}
	if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0) {
		*dst = false;
		return BRIEF_OK;
	}
	lay_error(L, v->line, v->col, "map '%s' must be true or false, not '%s'",
		  what, s);
	return BRIEF_EDATA;
}

static bool number(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return end != s && !*end && !errno && isfinite(*out);
}

static enum brief_status num_key(struct lay *L, const char *what,
				 const struct ynode *v, double lo, double hi,
				 double *dst)
{
	const char *s = scalar(L, what, v);

	if (!s)
		return BRIEF_EDATA;
	if (!number(s, dst) || *dst < lo || *dst > hi) {
		lay_error(L, v->line, v->col,
			  "%s must be a number from %g to %g, not '%s'", what,
			  lo, hi, s);
		return BRIEF_EDATA;
	}
	return BRIEF_OK;
}

/* [west, south, east, north] in degrees. */
static enum brief_status extent_key(struct lay *L, const struct ynode *v,
				    struct map_spec *m)
{
	double e[4];

	if (v->kind != Y_SEQ || v->n != 4) {
		lay_error(L, v->line, v->col,
			  "map 'extent' is [west, south, east, north] in "
			  "degrees");
		return BRIEF_EDATA;
	}
	for (size_t i = 0; i < 4; i++) {
		const struct ynode *k = &v->kids[i];
		double lim = i % 2 ? 90 : 180;

		if (k->kind != Y_SCALAR || !number(k->str, &e[i]) ||
		    fabs(e[i]) > lim) {
			lay_error(L, k->line, k->col,
				  "map 'extent': %s must be a %s from %g to %g",
				  i == 0   ? "west"
				  : i == 1 ? "south"
				  : i == 2 ? "east"
					   : "north",
				  i % 2 ? "latitude" : "longitude", -lim, lim);
			return BRIEF_EDATA;
		}
	}
	if (e[3] <= e[1]) {
		lay_error(L, v->line, v->col,
			  "map 'extent': north (%g) must be above south (%g)",
			  e[3], e[1]);
		return BRIEF_EDATA;
	}
	/* west > east crosses the antimeridian; west == east is nothing. */
	if (e[0] == e[2]) {
		lay_error(L, v->line, v->col,
			  "map 'extent': west and east are the same longitude");
		return BRIEF_EDATA;
	}
	m->extent.west = e[0];
	m->extent.south = e[1];
	m->extent.east = e[2];
	m->extent.north = e[3];
	m->has_extent = true;
	m->at_extent = pos(v);
	return BRIEF_OK;
}

static enum brief_status focus_key(struct lay *L, const struct ynode *v,
				   struct map_spec *m)
{
	size_t n = v->kind == Y_SEQ ? v->n : 1;

	if (v->kind == Y_MAP || n == 0) {
		lay_error(L, v->line, v->col,
			  "map 'focus' is a feature key or name, or a list of "
			  "them");
		return BRIEF_EDATA;
	}
	m->focus = calloc(n, sizeof *m->focus);
	if (!m->focus)
		return BRIEF_ENOMEM;
	m->at_focus = pos(v);
	for (size_t i = 0; i < n; i++) {
		const struct ynode *k = v->kind == Y_SEQ ? &v->kids[i] : v;

		if (k->kind != Y_SCALAR) {
			lay_error(L, k->line, k->col,
				  "map 'focus': each entry is a plain value");
			return BRIEF_EDATA;
		}
		if (!(m->focus[m->nfocus++] = lay_strdup(k->str)))
			return BRIEF_ENOMEM;
	}
	return BRIEF_OK;
}

/* ---- places ---- */

static enum brief_status place_name(struct lay *L, const struct ynode *v,
				    struct map_place *p)
{
	size_t len = 0;

	p->at = pos(v);
	if (v->kind == Y_SCALAR) {
		p->name = lay_strdup(v->str);
		return p->name ? BRIEF_OK : BRIEF_ENOMEM;
	}
	if (v->kind != Y_SEQ || v->n == 0 || v->n > 4) {
		lay_error(L, v->line, v->col,
			  "a place's 'name' is a name, or a list of the names "
			  "different parties use");
		return BRIEF_EDATA;
	}
	for (size_t i = 0; i < v->n; i++) {
		if (v->kids[i].kind != Y_SCALAR || !*v->kids[i].str) {
			lay_error(L, v->kids[i].line, v->kids[i].col,
				  "a place name is a plain value");
			return BRIEF_EDATA;
		}
		len += strlen(v->kids[i].str) + 3;
	}
	/* Both usages, as written, in the order given. */
	p->name = malloc(len + 1);
	if (!p->name)
		return BRIEF_ENOMEM;
	p->name[0] = '\0';
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			strcat(p->name, " / ");
		strcat(p->name, v->kids[i].str);
	}
	return BRIEF_OK;
}

static enum brief_status place_key(struct lay *L, const struct ynode *k,
				   const struct ynode *v, struct map_place *p)
{
	const char *s;

	if (strcmp(k->str, "name") == 0)
		return place_name(L, v, p);
	if (strcmp(k->str, "lat") == 0)
		return num_key(L, "a place's 'lat'", v, -90, 90, &p->lat);
	if (strcmp(k->str, "lon") == 0)
		return num_key(L, "a place's 'lon'", v, -180, 180, &p->lon);
	if (strcmp(k->str, "kind") == 0) {
		if (!(s = scalar(L, "kind", v)))
			return BRIEF_EDATA;
		if (strcmp(s, "town") == 0)
			p->kind = PLACE_TOWN;
		else if (strcmp(s, "capital") == 0)
			p->kind = PLACE_CAPITAL;
		else if (strcmp(s, "region") == 0)
			p->kind = PLACE_REGION;
		else {
			lay_error(L, v->line, v->col,
				  "a place's 'kind' is town, capital or region, "
				  "not '%s'",
				  s);
			return BRIEF_EDATA;
		}
		return BRIEF_OK;
	}
	if (strcmp(k->str, "label") == 0) {
		static const char *const sides[] = { "right", "left", "above",
						     "below", NULL };

		if (!(s = scalar(L, "label", v)))
			return BRIEF_EDATA;
		for (int i = 0; sides[i]; i++)
			if (strcmp(s, sides[i]) == 0) {
				p->anchor = (enum map_anchor)(LABEL_RIGHT + i);
				return BRIEF_OK;
			}
		lay_error(L, v->line, v->col,
			  "a place's 'label' is right, left, above or below, "
			  "not '%s'",
			  s);
		return BRIEF_EDATA;
	}
	lay_error(L, k->line, k->col,
		  "unknown place key '%s' (name, lat, lon, kind, label)",
		  k->str);
	return BRIEF_EDATA;
}

static enum brief_status places_key(struct lay *L, const struct ynode *v,
				    struct map_spec *m)
{
	enum brief_status st = BRIEF_OK, one;

	if (v->kind != Y_SEQ || v->n > MAP_MAX_PLACES) {
		lay_error(L, v->line, v->col,
			  "map 'places' is a list (at most %d) of places, each "
			  "with name, lat and lon",
			  MAP_MAX_PLACES);
		return BRIEF_EDATA;
	}
	m->places = calloc(v->n + 1, sizeof *m->places);
	if (!m->places)
		return BRIEF_ENOMEM;
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *it = &v->kids[i];
		struct map_place *p = &m->places[m->nplaces++];
		bool lat = false, lon = false;

		if (it->kind != Y_MAP) {
			lay_error(L, it->line, it->col,
				  "a place has name, lat and lon");
			st = BRIEF_EDATA;
			continue;
		}
		for (size_t k = 0; k + 1 < it->n; k += 2) {
			one = place_key(L, &it->kids[k], &it->kids[k + 1], p);
			if (one == BRIEF_ENOMEM)
				return one;
			if (one)
				st = one;
			lat = lat || strcmp(it->kids[k].str, "lat") == 0;
			lon = lon || strcmp(it->kids[k].str, "lon") == 0;
		}
		if (!p->name || !lat || !lon) {
			lay_error(L, it->line, it->col,
				  "a place needs name, lat and lon");
			st = BRIEF_EDATA;
		}
	}
	return st;
}

/* ---- layers ---- */

static enum brief_status classes_key(struct lay *L, const struct ynode *v,
				     struct map_layer *l)
{
	if (v->kind != Y_SEQ || v->n == 0 || v->n > MAP_MAX_CLASSES) {
		lay_error(L, v->line, v->col,
			  "a layer's 'classes' is a list of 1 to %d class "
			  "breaks, ascending",
			  MAP_MAX_CLASSES);
		return BRIEF_EDATA;
	}
	l->at_classes = pos(v);
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *k = &v->kids[i];
		double d;

		if (k->kind != Y_SCALAR || !number(k->str, &d) ||
		    (i && d <= l->classes[i - 1])) {
			lay_error(L, k->line, k->col,
				  "class breaks are numbers, each above the "
				  "one before");
			return BRIEF_EDATA;
		}
		l->classes[l->nclasses++] = d;
	}
	return BRIEF_OK;
}

static enum brief_status layer_key(struct lay *L, const struct ynode *k,
				   const struct ynode *v, struct map_layer *l,
				   bool *have_type)
{
	const char *key = k->str, *s;
	struct {
		const char *name;
		char **dst;
		struct srcpos *at;
	} strs[] = {
		{ "dataset", &l->dataset, &l->at_dataset },
		{ "title", &l->title, NULL },
		{ "join", &l->join, &l->at_join },
		{ "match", &l->match, NULL },
		{ "value", &l->value, &l->at_value },
		{ "lat", &l->lat, NULL },
		{ "lon", &l->lon, NULL },
		{ "group", &l->group, &l->at_group },
		{ "size", &l->size, NULL },
		{ "label", &l->label, NULL },
		{ "geometry", &l->geometry, &l->at_geometry },
		{ "area", &l->area, NULL },
		{ "date", &l->date, &l->at_date },
	};

	for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
		if (strcmp(key, strs[i].name) == 0) {
			if (strs[i].at)
				*strs[i].at = pos(v);
			return str_key(L, key, v, strs[i].dst);
		}
	if (strcmp(key, "filter") == 0)
		return lay_filters(L, v, &l->filters, &l->nfilters);
	if (strcmp(key, "classes") == 0)
		return classes_key(L, v, l);
	if (strcmp(key, "type") == 0) {
		*have_type = true; /* a wrong one is its own error */
		if (!(s = scalar(L, "type", v)))
			return BRIEF_EDATA;
		if (strcmp(s, "choropleth") == 0)
			l->kind = MAP_CHOROPLETH;
		else if (strcmp(s, "points") == 0)
			l->kind = MAP_POINTS;
		else if (strcmp(s, "control") == 0)
			l->kind = MAP_CONTROL;
		else {
			lay_error(L, v->line, v->col,
				  "a layer's 'type' is choropleth, points or "
				  "control, not '%s'",
				  s);
			return BRIEF_EDATA;
		}
		return BRIEF_OK;
	}
	if (strcmp(key, "agg") == 0) {
		if (!(s = scalar(L, "agg", v)))
			return BRIEF_EDATA;
		if (strcmp(s, "sum") == 0)
			l->agg = AGG_SUM;
		else if (strcmp(s, "max") == 0)
			l->agg = AGG_MAX;
		else if (strcmp(s, "count") == 0)
			l->agg = AGG_COUNT;
		else {
			lay_error(L, v->line, v->col,
				  "a layer's 'agg' is sum, count or max, not "
				  "'%s'",
				  s);
			return BRIEF_EDATA;
		}
		return BRIEF_OK;
	}
	lay_error(L, k->line, k->col, "unknown layer key '%s'", key);
	return BRIEF_EDATA;
}

static enum brief_status layers_key(struct lay *L, const struct ynode *v,
				    struct map_spec *m)
{
	enum brief_status st = BRIEF_OK, one;

	if (v->kind != Y_SEQ || v->n > MAP_MAX_LAYERS) {
		lay_error(L, v->line, v->col,
			  "map 'layers' is a list (at most %d) of layers, "
			  "each with a type",
			  MAP_MAX_LAYERS);
		return BRIEF_EDATA;
	}
	m->layers = calloc(v->n + 1, sizeof *m->layers);
	if (!m->layers)
		return BRIEF_ENOMEM;
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *it = &v->kids[i];
		struct map_layer *l = &m->layers[m->nlayers++];
		bool have_type = false;

		l->at = pos(it);
		if (it->kind != Y_MAP) {
			lay_error(L, it->line, it->col,
				  "a layer is a map of keys (type, dataset, "
				  "...)");
			st = BRIEF_EDATA;
			continue;
		}
		for (size_t k = 0; k + 1 < it->n; k += 2) {
			one = layer_key(L, &it->kids[k], &it->kids[k + 1], l,
					&have_type);
			if (one == BRIEF_ENOMEM)
				return one;
			if (one)
				st = one;
		}
		if (!have_type) {
			lay_error(L, it->line, it->col,
				  "a layer needs a type (choropleth, points or "
				  "control)");
			st = BRIEF_EDATA;
		}
		if (l->dataset &&
		    lay_dataset(L, l->dataset, l->at_dataset.line,
				l->at_dataset.col) < 0)
			st = BRIEF_EDATA;
	}
	return st;
}

/* ---- the map keys ---- */

enum brief_status lay_map_spec_key(struct lay *L, const struct ynode *k,
				   const struct ynode *v,
				   struct chart_spec *spec)
{
	const char *key = k->str;
	struct map_spec *m = spec->map;

	if (!m && !(m = spec->map = calloc(1, sizeof *m)))
		return BRIEF_ENOMEM;
	if (strcmp(key, "boundaries") == 0) {
		m->at_boundaries = pos(v);
		return str_key(L, key, v, &m->boundaries);
	}
	if (strcmp(key, "object") == 0)
		return str_key(L, key, v, &m->object);
	if (strcmp(key, "key") == 0) {
		m->at_key = pos(v);
		return str_key(L, key, v, &m->key);
	}
	if (strcmp(key, "name") == 0)
		return str_key(L, key, v, &m->name);
	if (strcmp(key, "boundary_source") == 0)
		return str_key(L, key, v, &m->boundary_source);
	if (strcmp(key, "disclaimer") == 0)
		return str_key(L, key, v, &m->disclaimer);
	if (strcmp(key, "extent") == 0)
		return extent_key(L, v, m);
	if (strcmp(key, "focus") == 0)
		return focus_key(L, v, m);
	if (strcmp(key, "labels") == 0)
		return bool_key(L, key, v, &m->labels);
	if (strcmp(key, "water") == 0)
		return bool_key(L, key, v, &m->water);
	if (strcmp(key, "simplify") == 0)
		return num_key(L, "map 'simplify'", v, 0, 20, &m->simplify);
	if (strcmp(key, "layers") == 0)
		return layers_key(L, v, m);
	return places_key(L, v, m);
}

/* Keys of other chart types are mistakes in a map (and the reverse). */
enum brief_status lay_map_spec_check(struct lay *L, const struct ynode *y,
				     struct chart_spec *spec)
{
	static const char *const chart_only[] = { "dataset", "filter", "x",
						  "y", "group", "sort",
						  "bucket", "agg",
						  "horizontal", "area",
						  "y_label", NULL };
	enum brief_status st = BRIEF_OK;

	for (size_t i = 0; y && i + 1 < y->n; i += 2) {
		const struct ynode *k = &y->kids[i];

		for (size_t j = 0; spec->type == CHART_MAP && chart_only[j]; j++)
			if (strcmp(k->str, chart_only[j]) == 0) {
				lay_error(L, k->line, k->col,
					  "'%s' is not a map key: a map takes "
					  "its data in 'layers' (see "
					  "docs/maps.md)",
					  k->str);
				st = BRIEF_EDATA;
			}
		if (spec->type != CHART_MAP && lay_map_key(k->str)) {
			lay_error(L, k->line, k->col,
				  "'%s' is a map key; this chart is not "
				  "type: map",
				  k->str);
			st = BRIEF_EDATA;
		}
	}
	if (spec->type == CHART_MAP && !spec->map &&
	    !(spec->map = calloc(1, sizeof *spec->map)))
		return BRIEF_ENOMEM;
	return st;
}
