/* geo.c — the boundary model: features and properties, rings assembled
 * from arcs, and the topology built from plain rings (junctions found
 * where borders meet, each shared piece kept once). */
#include "geo.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

enum brief_status geo_oom(const char *path, struct diag *err)
{
	return diag_set(err, BRIEF_ENOMEM, path, 0, 0,
			"out of memory reading boundaries");
}

void geo_free(struct geo *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nfeatures; i++) {
		struct geo_feature *f = &g->features[i];

		for (size_t k = 0; k < f->nprops; k++) {
			free(f->props[k].name);
			free(f->props[k].value);
		}
		free(f->props);
		free(f->id);
	}
	free(g->features);
	free(g->rings);
	free(g->refs);
	free(g->arcs);
	free(g->pts);
	free(g->path);
	free(g);
}

const char *geo_prop(const struct geo_feature *f, const char *name)
{
	for (size_t i = 0; i < f->nprops; i++)
		if (strcmp(f->props[i].name, name) == 0)
			return f->props[i].value;
	if (strcmp(name, "id") == 0)
		return f->id;
	return NULL;
}

enum brief_status geo_add_feature(struct geo *g, const char *id,
				  size_t index, struct diag *err)
{
	struct geo_feature *f, *v;

	if (g->nfeatures >= GEO_MAX_FEATURES)
		return diag_set(err, BRIEF_EDATA, g->path, 0, 0,
				"more than %d features; split the file",
				GEO_MAX_FEATURES);
	/* Doubling: the capacity is the next power of two. */
	if ((g->nfeatures & (g->nfeatures - 1)) == 0) {
		v = realloc(g->features,
			    (g->nfeatures ? g->nfeatures * 2 : 1) * sizeof *v);
		if (!v)
			return geo_oom(g->path, err);
		g->features = v;
	}
	f = &g->features[g->nfeatures];
	memset(f, 0, sizeof *f);
	f->index = index;
	f->first_ring = g->nrings;
	if (id && !(f->id = strdup(id)))
		return geo_oom(g->path, err);
	g->nfeatures++;
	return BRIEF_OK;
}

enum brief_status geo_add_prop(struct geo *g, const char *name,
			       const char *value, struct diag *err)
{
	struct geo_feature *f = &g->features[g->nfeatures - 1];
	struct geo_prop *v = realloc(f->props, (f->nprops + 1) * sizeof *v);

	if (!v)
		return geo_oom(g->path, err);
	f->props = v;
	v[f->nprops].name = strdup(name);
	v[f->nprops].value = strdup(value);
	f->nprops++;
	if (!v[f->nprops - 1].name || !v[f->nprops - 1].value)
		return geo_oom(g->path, err);
	return BRIEF_OK;
}

size_t geo_ring_points(const struct geo *g, const struct geo_ring *r,
		       const struct geo_xy *pts,
		       struct geo_xy *const *arc_pts, const size_t *arc_n,
		       struct geo_xy **buf, size_t *cap)
{
	size_t n = 0;

	for (size_t k = 0; k < r->n; k++) {
		long ref = g->refs[r->first + k];
		size_t a = (size_t)(ref >= 0 ? ref : ~ref);
		const struct geo_xy *p = arc_pts ? arc_pts[a]
						 : pts + g->arcs[a].first;
		size_t m = arc_pts ? arc_n[a] : g->arcs[a].n;

		if (array_reserve(buf, cap, n + m + 1, sizeof **buf, 0))
			return 0;
		for (size_t j = k ? 1 : 0; j < m; j++)
			(*buf)[n++] = p[ref >= 0 ? j : m - 1 - j];
	}
	return n;
}

/* ---- building the topology ---- */

static bool same_xy(struct geo_xy a, struct geo_xy b)
{
	return a.x == b.x && a.y == b.y;
}

enum brief_status geo_builder_ring(struct geo_builder *b,
				   const struct geo_xy *p, size_t n, bool hole,
				   struct diag *err)
{
	struct geo *g = b->g;
	struct geo_ring *r;
	size_t cap = g->nrings;

	/* A closed ring's last point repeats its first: drop it here. */
	if (n > 1 && p[0].x == p[n - 1].x && p[0].y == p[n - 1].y)
		n--;
	if (b->npts + n > GEO_MAX_POINTS)
		return diag_set(err, BRIEF_EDATA, g->path, 0, 0,
				"more than %d points; simplify the file first",
				GEO_MAX_POINTS);
	if (array_reserve(&b->pts, &b->cap, b->npts + n, sizeof *b->pts, 0) ||
	    array_reserve(&b->ring_end, &b->ringcap, b->nring + 1,
			  sizeof *b->ring_end, 0))
		return geo_oom(g->path, err);
	/* g->rings grows with b->ring_end: same count. */
	cap = b->ringcap;
	r = realloc(g->rings, cap * sizeof *r);
	if (!r)
		return geo_oom(g->path, err);
	g->rings = r;
	/* Repeated points carry no shape and would look like junctions. */
	for (size_t i = 0; i < n; i++)
		if (i == 0 || !same_xy(p[i], p[i - 1]))
			b->pts[b->npts++] = p[i];
	b->ring_end[b->nring++] = b->npts;
	r = &g->rings[g->nrings++];
	r->first = r->n = 0;
	r->hole = hole;
	g->features[g->nfeatures - 1].nrings++;
	return BRIEF_OK;
}

static uint64_t hash_xy(struct geo_xy p)
{
	uint64_t a, b;

	/* -0.0 and 0.0 are one point. */
	if (p.x == 0)
		p.x = 0;
	if (p.y == 0)
		p.y = 0;
	memcpy(&a, &p.x, sizeof a);
	memcpy(&b, &p.y, sizeof b);
	a ^= b * 0x9E3779B97F4A7C15ull + (a << 6) + (a >> 2);
	a ^= a >> 31;
	a *= 0xBF58476D1CE4E5B9ull;
	a ^= a >> 29;
	return a;
}

/* What the topology pass knows of each distinct point. */
struct upoint {
	size_t at;       /* an occurrence in b->pts */
	size_t nb0, nb1; /* the neighbours (distinct point ids) seen first */
	bool junction;
};

struct topo {
	struct geo_builder *b;
	size_t *id;   /* per occurrence: its distinct point */
	struct upoint *u;
	size_t nu;
	size_t *slot; /* open addressing over u: 0 empty, else index + 1 */
	size_t nslot;
	size_t *arcslot; /* open addressing over g->arcs: 0 empty, else + 1 */
	size_t narcslot;
	uint64_t *arckey; /* per arc of g */
	size_t keycap, arccap, ptcap, refcap;
};

static bool topo_ids(struct topo *t)
{
	struct geo_builder *b = t->b;

	t->nslot = 16;
	while (t->nslot < b->npts * 2)
		t->nslot *= 2;
	t->slot = calloc(t->nslot, sizeof *t->slot);
	t->id = malloc((b->npts + 1) * sizeof *t->id);
	t->u = malloc((b->npts + 1) * sizeof *t->u);
	if (!t->slot || !t->id || !t->u)
		return false;
	for (size_t i = 0; i < b->npts; i++) {
		size_t h = (size_t)hash_xy(b->pts[i]) & (t->nslot - 1);

		while (t->slot[h] &&
		       !same_xy(b->pts[t->u[t->slot[h] - 1].at], b->pts[i]))
			h = (h + 1) & (t->nslot - 1);
		if (!t->slot[h]) {
			t->u[t->nu].at = i;
			t->u[t->nu].nb0 = t->u[t->nu].nb1 = SIZE_MAX;
			t->u[t->nu].junction = false;
			t->slot[h] = ++t->nu;
		}
		t->id[i] = t->slot[h] - 1;
	}
	return true;
}

/* A point is a junction when it is seen with two different pairs of
 * neighbours: there borders meet or part. */
static void topo_junctions(struct topo *t)
{
	struct geo_builder *b = t->b;
	size_t start = 0;

	for (size_t r = 0; r < b->nring; r++) {
		size_t end = b->ring_end[r], n = end - start;

		for (size_t i = start; i < end; i++) {
			size_t p = t->id[i == start ? end - 1 : i - 1];
			size_t q = t->id[i + 1 == end ? start : i + 1];
			size_t lo = p < q ? p : q, hi = p < q ? q : p;
			struct upoint *u = &t->u[t->id[i]];

			if (n < 3)
				u->junction = true;
			if (u->nb0 == SIZE_MAX) {
				u->nb0 = lo;
				u->nb1 = hi;
			} else if (u->nb0 != lo || u->nb1 != hi) {
				u->junction = true;
			}
		}
		start = end;
	}
}

static uint64_t arc_key(size_t first_id, size_t last_id, size_t n)
{
	size_t lo = first_id < last_id ? first_id : last_id;
	size_t hi = first_id < last_id ? last_id : first_id;
	uint64_t h = (uint64_t)lo * 0x9E3779B97F4A7C15ull;

	h ^= (uint64_t)hi * 0xC2B2AE3D27D4EB4Full + (uint64_t)n;
	h ^= h >> 29;
	return h * 0x165667B19E3779F9ull;
}

/* Whether arc a holds the points of the distinct ids seq[0 .. n-1], in
 * order or reversed. */
static bool arc_equals(const struct topo *t, const struct geo_arc *a,
		       const size_t *seq, size_t n, bool reversed)
{
	const struct geo *g = t->b->g;

	if (a->n != n)
		return false;
	for (size_t j = 0; j < n; j++) {
		struct geo_xy p = g->pts[a->first + (reversed ? n - 1 - j : j)];

		if (!same_xy(p, t->b->pts[t->u[seq[j]].at]))
			return false;
	}
	return true;
}

static bool topo_rehash(struct topo *t)
{
	const struct geo *g = t->b->g;
	size_t ns = t->narcslot ? t->narcslot * 2 : 64;
	size_t *v = calloc(ns, sizeof *v);

	if (!v)
		return false;
	for (size_t i = 0; i < g->narcs; i++) {
		size_t h = (size_t)t->arckey[i] & (ns - 1);

		while (v[h])
			h = (h + 1) & (ns - 1);
		v[h] = i + 1;
	}
	free(t->arcslot);
	t->arcslot = v;
	t->narcslot = ns;
	return true;
}

/* The ref of the arc through the distinct points seq[0 .. n-1], adding it
 * when it is new; LONG_MIN when out of memory. */
static long topo_arc(struct topo *t, const size_t *seq, size_t n)
{
	struct geo *g = t->b->g;
	uint64_t key = arc_key(seq[0], seq[n - 1], n);
	size_t h;
	struct geo_arc *a;

	if ((g->narcs + 1) * 2 > t->narcslot && !topo_rehash(t))
		return LONG_MIN;
	for (h = (size_t)key & (t->narcslot - 1); t->arcslot[h];
	     h = (h + 1) & (t->narcslot - 1)) {
		size_t i = t->arcslot[h] - 1;

		if (t->arckey[i] != key)
			continue;
		if (arc_equals(t, &g->arcs[i], seq, n, false))
			return (long)i;
		if (arc_equals(t, &g->arcs[i], seq, n, true))
			return ~(long)i;
	}
	if (array_reserve(&g->arcs, &t->arccap, g->narcs + 1, sizeof *g->arcs,
			  0) ||
	    array_reserve(&t->arckey, &t->keycap, g->narcs + 1,
			  sizeof *t->arckey, 0) ||
	    array_reserve(&g->pts, &t->ptcap, g->npts + n, sizeof *g->pts, 0))
		return LONG_MIN;
	a = &g->arcs[g->narcs];
	a->first = g->npts;
	a->n = n;
	for (size_t j = 0; j < n; j++)
		g->pts[g->npts++] = t->b->pts[t->u[seq[j]].at];
	t->arckey[g->narcs] = key;
	t->arcslot[h] = ++g->narcs;
	return (long)(g->narcs - 1);
}

static bool add_ref(struct topo *t, long ref)
{
	struct geo *g = t->b->g;

	if (ref == LONG_MIN ||
	    array_reserve(&g->refs, &t->refcap, g->nrefs + 1, sizeof *g->refs,
			  0))
		return false;
	g->refs[g->nrefs++] = ref;
	return true;
}

static bool xy_less(struct geo_xy a, struct geo_xy b)
{
	return a.x < b.x || (a.x == b.x && a.y < b.y);
}

/* One ring into arcs: cut at its junctions, or, with none, one closed arc
 * from its smallest point (so an enclave and the hole it fills, which
 * start anywhere, give the same arc). */
static bool topo_ring(struct topo *t, size_t r, size_t start, size_t end)
{
	struct geo_ring *ring = &t->b->g->rings[r];
	size_t n = end - start, s = 0, *seq;
	bool any = false, ok = true;

	for (size_t i = 0; i < n; i++)
		if (t->u[t->id[start + i]].junction) {
			if (!any)
				s = i;
			any = true;
		}
	if (!any)
		for (size_t i = 1; i < n; i++)
			if (xy_less(t->b->pts[start + i], t->b->pts[start + s]))
				s = i;
	seq = malloc((n + 1) * sizeof *seq);
	if (!seq)
		return false;
	ring->first = t->b->g->nrefs;
	ring->n = 0;
	/* Walk once around from s, closing a piece at each junction. */
	for (size_t k = 0, m = 0; k <= n && ok; k++) {
		size_t id = t->id[start + (s + k) % n];

		seq[m++] = id;
		if (k > 0 && (k == n || t->u[id].junction)) {
			ok = add_ref(t, topo_arc(t, seq, m));
			ring->n++;
			seq[0] = id;
			m = 1;
		}
	}
	free(seq);
	return ok;
}

enum brief_status geo_builder_finish(struct geo_builder *b, struct diag *err)
{
	struct topo t;
	size_t start = 0;
	bool ok;

	memset(&t, 0, sizeof t);
	t.b = b;
	ok = topo_ids(&t);
	if (ok)
		topo_junctions(&t);
	for (size_t r = 0; ok && r < b->nring; r++) {
		ok = topo_ring(&t, r, start, b->ring_end[r]);
		start = b->ring_end[r];
	}
	free(t.id);
	free(t.u);
	free(t.slot);
	free(t.arcslot);
	free(t.arckey);
	return ok ? BRIEF_OK : geo_oom(b->g->path, err);
}

void geo_builder_free(struct geo_builder *b)
{
	free(b->pts);
	free(b->ring_end);
	memset(b, 0, sizeof *b);
}
