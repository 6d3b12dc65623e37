/* geo_plane.c — plane geometry for maps: ring area and inside test,
 * Visvalingam–Whyatt simplification, clipping to the plot rectangle and
 * hatch-line crossings (a canvas has no clip, so shapes are cut here). */
#include "geo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

double geo_ring_area2(const struct geo_xy *p, size_t n)
{
	double a = 0;

	for (size_t i = 0; i + 1 < n; i++)
		a += (p[i].x - p[0].x) * (p[i + 1].y - p[0].y) -
		     (p[i + 1].x - p[0].x) * (p[i].y - p[0].y);
	return a;
}

bool geo_inside(const struct geo_xy *p, size_t n, struct geo_xy q)
{
	bool in = false;

	for (size_t i = 0; i + 1 < n; i++) {
		struct geo_xy a = p[i], b = p[i + 1];

		if ((a.y > q.y) != (b.y > q.y) &&
		    q.x < a.x + (q.y - a.y) * (b.x - a.x) / (b.y - a.y))
			in = !in;
	}
	return in;
}

/* ---- Visvalingam–Whyatt ---- */

struct vw {
	const struct geo_xy *p;
	double *area;
	size_t *prev, *next;
	size_t *heap, *pos; /* min-heap of point indices by area */
	size_t nheap;
};

static double tri_area(const struct geo_xy *p, size_t a, size_t b, size_t c)
{
	return fabs((p[b].x - p[a].x) * (p[c].y - p[a].y) -
		    (p[c].x - p[a].x) * (p[b].y - p[a].y)) /
	       2;
}

static void heap_swap(struct vw *v, size_t i, size_t j)
{
	size_t t = v->heap[i];

	v->heap[i] = v->heap[j];
	v->heap[j] = t;
	v->pos[v->heap[i]] = i;
	v->pos[v->heap[j]] = j;
}

static void heap_up(struct vw *v, size_t i)
{
	while (i > 0 && v->area[v->heap[(i - 1) / 2]] > v->area[v->heap[i]]) {
		heap_swap(v, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_down(struct vw *v, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < v->nheap && v->area[v->heap[l]] < v->area[v->heap[m]])
			m = l;
		if (r < v->nheap && v->area[v->heap[r]] < v->area[v->heap[m]])
			m = r;
		if (m == i)
			return;
		heap_swap(v, i, m);
		i = m;
	}
}

static void heap_update(struct vw *v, size_t point, double area)
{
	double old = v->area[point];

	v->area[point] = area;
	if (area < old)
		heap_up(v, v->pos[point]);
	else
		heap_down(v, v->pos[point]);
}

static size_t heap_pop(struct vw *v)
{
	size_t top = v->heap[0];

	v->nheap--;
	if (v->nheap) {
		v->heap[0] = v->heap[v->nheap];
		v->pos[v->heap[0]] = 0;
		heap_down(v, 0);
	}
	return top;
}

size_t geo_simplify(const struct geo_xy *p, size_t n, double min_area,
		    bool *keep)
{
	struct vw v = { p, NULL, NULL, NULL, NULL, NULL, 0 };
	bool closed = n > 1 && p[0].x == p[n - 1].x && p[0].y == p[n - 1].y;
	size_t kept = n, floor = closed ? 4 : 2;

	for (size_t i = 0; i < n; i++)
		keep[i] = true;
	if (n <= floor || min_area <= 0)
		return n;
	v.area = malloc(n * sizeof *v.area);
	v.prev = malloc(n * sizeof *v.prev);
	v.next = malloc(n * sizeof *v.next);
	v.heap = malloc(n * sizeof *v.heap);
	v.pos = malloc(n * sizeof *v.pos);
	if (!v.area || !v.prev || !v.next || !v.heap || !v.pos)
		goto out; /* out of memory: keep every point */
	for (size_t i = 1; i + 1 < n; i++) {
		v.prev[i] = i - 1;
		v.next[i] = i + 1;
		v.area[i] = tri_area(p, i - 1, i, i + 1);
		v.heap[v.nheap] = i;
		v.pos[i] = v.nheap++;
	}
	for (size_t i = v.nheap / 2 + 1; i-- > 0;)
		heap_down(&v, i);
	while (v.nheap && kept > floor) {
		size_t i = v.heap[0], a, b;
		double least = v.area[i];

		if (least >= min_area)
			break;
		heap_pop(&v);
		keep[i] = false;
		kept--;
		a = v.prev[i];
		b = v.next[i];
		v.next[a] = b;
		v.prev[b] = a;
		/* A neighbour's new area never drops below the point just
		 * removed, so removal order follows visual importance. */
		if (a > 0)
			heap_update(&v, a,
				    fmax(tri_area(p, v.prev[a], a, b), least));
		if (b + 1 < n)
			heap_update(&v, b,
				    fmax(tri_area(p, a, b, v.next[b]), least));
	}
out:
	free(v.area);
	free(v.prev);
	free(v.next);
	free(v.heap);
	free(v.pos);
	return kept;
}

/* ---- clipping ---- */

static bool grow_xy(struct geo_xy **p, size_t *cap, size_t need)
{
	return array_reserve(p, cap, need, sizeof **p, 0) == BRIEF_OK;
}

/* Inside the half-plane of edge e (0 left, 1 right, 2 top, 3 bottom). */
static bool edge_in(struct geo_xy p, int e, double v)
{
	return e == 0 ? p.x >= v : e == 1 ? p.x <= v : e == 2 ? p.y >= v
							   : p.y <= v;
}

static struct geo_xy edge_cross(struct geo_xy a, struct geo_xy b, int e,
				double v)
{
	struct geo_xy r;
	double t;

	if (e < 2) {
		t = (v - a.x) / (b.x - a.x);
		r.x = v;
		r.y = a.y + t * (b.y - a.y);
	} else {
		t = (v - a.y) / (b.y - a.y);
		r.x = a.x + t * (b.x - a.x);
		r.y = v;
	}
	return r;
}

size_t geo_clip_ring(const struct geo_xy *p, size_t n, double x0, double y0,
		     double x1, double y1, struct geo_xy **out, size_t *cap)
{
	const double lim[4] = { x0, x1, y0, y1 };
	struct geo_xy *a = NULL, *b = NULL;
	size_t na = 0, nb, capa = 0, capb = 0;

	if (n < 4)
		return 0;
	/* Most rings of a focused map lie inside it: copied as they are. */
	for (na = 0; na < n; na++)
		if (p[na].x < x0 || p[na].x > x1 || p[na].y < y0 ||
		    p[na].y > y1)
			break;
	if (na == n) {
		if (!grow_xy(out, cap, n))
			return 0;
		memcpy(*out, p, n * sizeof *p);
		return n;
	}
	/* Work on an open ring; close the result at the end. */
	if (!grow_xy(&a, &capa, n))
		return 0;
	memcpy(a, p, (n - 1) * sizeof *p);
	na = n - 1;
	for (int e = 0; e < 4 && na > 0; e++) {
		nb = 0;
		if (!grow_xy(&b, &capb, na * 2 + 1)) {
			na = 0;
			break;
		}
		for (size_t i = 0; i < na; i++) {
			struct geo_xy cur = a[i], prv = a[(i + na - 1) % na];
			bool cin = edge_in(cur, e, lim[e]);
			bool pin = edge_in(prv, e, lim[e]);

			if (cin != pin)
				b[nb++] = edge_cross(prv, cur, e, lim[e]);
			if (cin)
				b[nb++] = cur;
		}
		{
			struct geo_xy *t = a;
			size_t tc = capa;

			a = b;
			capa = capb;
			b = t;
			capb = tc;
			na = nb;
		}
	}
	if (na >= 3 && grow_xy(out, cap, na + 1)) {
		memcpy(*out, a, na * sizeof *a);
		(*out)[na] = a[0];
		na++;
	} else {
		na = 0;
	}
	free(a);
	free(b);
	return na;
}

bool geo_clip_segment(struct geo_xy *a, struct geo_xy *b, double x0,
		      double y0, double x1, double y1)
{
	double dx = b->x - a->x, dy = b->y - a->y;
	double t0 = 0, t1 = 1;
	const double pp[4] = { -dx, dx, -dy, dy };
	const double qq[4] = { a->x - x0, x1 - a->x, a->y - y0, y1 - a->y };

	for (int i = 0; i < 4; i++) {
		if (pp[i] == 0) {
			if (qq[i] < 0)
				return false;
			continue;
		}
		double r = qq[i] / pp[i];

		if (pp[i] < 0) {
			if (r > t1)
				return false;
			if (r > t0)
				t0 = r;
		} else {
			if (r < t0)
				return false;
			if (r < t1)
				t1 = r;
		}
	}
	{
		struct geo_xy s = *a;

		b->x = s.x + t1 * dx;
		b->y = s.y + t1 * dy;
		a->x = s.x + t0 * dx;
		a->y = s.y + t0 * dy;
	}
	return true;
}

bool geo_line_crossings(const struct geo_xy *p, size_t n, struct geo_xy o,
			struct geo_xy d, double **out, size_t *nout,
			size_t *cap)
{
	for (size_t i = 0; i + 1 < n; i++) {
		struct geo_xy a = p[i], b = p[i + 1];
		/* Signed distances of a and b from the line, along its
		 * normal; half-open so a vertex on the line counts once. */
		double sa = (a.x - o.x) * d.y - (a.y - o.y) * d.x;
		double sb = (b.x - o.x) * d.y - (b.y - o.y) * d.x;

		if ((sa > 0) == (sb > 0))
			continue;
		{
			double u = sa / (sa - sb);
			struct geo_xy c = { a.x + u * (b.x - a.x),
					    a.y + u * (b.y - a.y) };
			double t = (c.x - o.x) * d.x + (c.y - o.y) * d.y;

			if (*nout == *cap) {
				size_t nc = *cap ? *cap * 2 : 32;
				double *v = realloc(*out, nc * sizeof *v);

				if (!v)
					return false;
				*out = v;
				*cap = nc;
			}
			(*out)[(*nout)++] = t;
		}
	}
	return true;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void geo_sort(double *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_double);
}
