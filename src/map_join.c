/* map_join.c — after a map's rows: the boundary files read and
 * projected, the view, and each layer joined to its areas (choropleth
 * claims and classes, points inside the map, control at the date). */
#include "map_impl.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		return map_oom(m, err);
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
		return map_oom(m, err);
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
		return map_oom(m, err);
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
		return n ? map_oom(m, err)
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
			return map_oom(m, err);
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
		return map_oom(m, err);
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

/* Quantile breaks rounded to two significant digits. */
static void auto_breaks(struct layer *l, double *v, size_t n)
{
	size_t distinct = 0, k;

	geo_sort(v, n);
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
		return map_oom(m, err);
	l->ck = calloc(l->keys.n + 1, sizeof *l->ck);
	l->fkey = malloc((g->nfeatures + 1) * sizeof *l->fkey);
	vals = malloc((l->keys.n + 1) * sizeof *vals);
	if (!l->ck || !l->fkey || !vals) {
		free(idx);
		free(vals);
		return map_oom(m, err);
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
		return map_oom(m, err);
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
		return map_oom(m, err);
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
		return map_oom(m, err);
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
		int a = name ? strtab_find(&l->keys, name) : -1;

		if (a < 0 || (dated && day > shown))
			continue;
		if (l->ca[a].feature < 0 ||
		    day >= feature_day(&g->features[l->ca[a].feature],
				       &dated)) {
			l->ca[a].feature = (int)f;
			if (disp && map_yes(disp) && l->ca[a].nctl)
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

static int cmp_warn(const void *a, const void *b)
{
	const struct diag *x = a, *y = b;
	int r = strcmp(x->file, y->file);

	if (r)
		return r;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return (x->col > y->col) - (x->col < y->col);
}

enum brief_status map_finish(struct map *m, const char *data_dir,
			     struct diag *err)
{
	enum brief_status st = map_scan_others(m, data_dir, err);

	for (size_t i = 0; !st && i < m->nlayers; i++)
		if (m->layers[i].rows == 0)
			st = map_error(m, m->layers[i].spec->at, err,
				       "no rows of %s.csv match%s",
				       m->layers[i].dset.name,
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
	/* In file order, as the layout reports its own. */
	qsort(m->warn, m->nwarn, sizeof *m->warn, cmp_warn);
	if (m->more_warnings && m->nwarn) {
		struct diag *w = &m->warn[m->nwarn - 1];
		size_t n = strlen(w->msg);

		snprintf(w->msg + n, sizeof w->msg - n,
			 " (and %ld more like it)", m->more_warnings);
	}
	if (!map_make_text(m))
		return map_oom(m, err);
	return BRIEF_OK;
}
