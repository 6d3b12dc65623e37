/* geo_project.c — ellipsoidal Lambert azimuthal equal-area (forward only)
 * and longitude extents that may cross the antimeridian. */
#include "geo_project.h"

#include <math.h>
#include <stdlib.h>

#define WGS84_A 6378137.0
#define WGS84_F (1 / 298.257223563)
#define DEG (3.14159265358979323846 / 180)

static double wgs84_e2(void)
{
	return WGS84_F * (2 - WGS84_F);
}

/* Snyder's q: the authalic function of latitude (eq. 3-12). */
static double authalic_q(double sinphi)
{
	double e2 = wgs84_e2(), e = sqrt(e2), es = e * sinphi;

	return (1 - e2) * (sinphi / (1 - es * es) -
			   log((1 - es) / (1 + es)) / (2 * e));
}

void geo_proj_init(struct geo_proj *p, double lon0, double lat0)
{
	double e2 = wgs84_e2();
	double phi1, s1, beta1, m1;

	if (lat0 > 89)
		lat0 = 89;
	if (lat0 < -89)
		lat0 = -89;
	phi1 = lat0 * DEG;
	s1 = sin(phi1);
	p->lon0 = lon0;
	p->lat0 = lat0;
	p->qp = authalic_q(1);
	p->rq = WGS84_A * sqrt(p->qp / 2);
	beta1 = asin(authalic_q(s1) / p->qp);
	p->sinb1 = sin(beta1);
	p->cosb1 = cos(beta1);
	m1 = cos(phi1) / sqrt(1 - e2 * s1 * s1);
	/* D makes the scale true in every direction at the centre. */
	p->d = WGS84_A * m1 / (p->rq * p->cosb1);
}

struct geo_xy geo_project(const struct geo_proj *p, struct geo_xy ll)
{
	double q = authalic_q(sin(ll.y * DEG));
	double r = q / p->qp;
	double beta = asin(r > 1 ? 1 : r < -1 ? -1 : r);
	double dl = (ll.x - p->lon0) * DEG;
	double sb = sin(beta), cb = cos(beta), cl = cos(dl);
	double den = 1 + p->sinb1 * sb + p->cosb1 * cb * cl;
	double b;
	struct geo_xy out;

	/* The antipode has no image; keep it finite at the rim. */
	if (den < 1e-12)
		den = 1e-12;
	b = p->rq * sqrt(2 / den);
	out.x = b * p->d * cb * sin(dl);
	out.y = b / p->d * (p->cosb1 * sb - p->sinb1 * cb * cl);
	return out;
}

/* ---- extents ---- */

static double wrap180(double lon)
{
	while (lon > 180)
		lon -= 360;
	while (lon < -180)
		lon += 360;
	return lon;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

bool geo_extent_of(const struct geo_xy *p, size_t n, struct geo_extent *out)
{
	double *lon, gap, best;
	size_t at = 0;

	if (n == 0)
		return false;
	lon = malloc(n * sizeof *lon);
	if (!lon)
		return false;
	out->south = 90;
	out->north = -90;
	out->west = 180;
	out->east = -180;
	for (size_t i = 0; i < n; i++) {
		lon[i] = wrap180(p[i].x);
		out->west = fmin(out->west, lon[i]);
		out->east = fmax(out->east, lon[i]);
		out->south = fmin(out->south, p[i].y);
		out->north = fmax(out->north, p[i].y);
	}
	/* Narrower than half the circle: the gap over the antimeridian is
	 * wider than any gap inside, so the extent is the span. */
	if (out->east - out->west < 180) {
		free(lon);
		return true;
	}
	qsort(lon, n, sizeof *lon, cmp_double);
	/* The extent is the circle less its largest empty gap: the gap
	 * over the antimeridian unless another one is larger. */
	best = lon[0] + 360 - lon[n - 1];
	out->west = lon[0];
	out->east = lon[n - 1];
	for (size_t i = 0; i + 1 < n; i++) {
		gap = lon[i + 1] - lon[i];
		if (gap > best) {
			best = gap;
			at = i;
			out->west = lon[i + 1];
			out->east = lon[at];
		}
	}
	free(lon);
	return true;
}

double geo_extent_width(const struct geo_extent *e)
{
	double w = e->east - e->west;

	return w < 0 ? w + 360 : w;
}

bool geo_extent_contains(const struct geo_extent *e, struct geo_xy p)
{
	double d = wrap180(p.x) - e->west;

	if (p.y < e->south || p.y > e->north)
		return false;
	if (d < 0)
		d += 360;
	return d <= geo_extent_width(e) + 1e-9;
}

void geo_extent_pad(struct geo_extent *e, double frac)
{
	double w = geo_extent_width(e), h = e->north - e->south;
	double dw = w * frac, dh = h * frac;

	if (w + 2 * dw >= 360) {
		e->west = -180;
		e->east = 180;
	} else {
		e->west = wrap180(e->west - dw);
		e->east = wrap180(e->east + dw);
	}
	e->south = e->south - dh < -90 ? -90 : e->south - dh;
	e->north = e->north + dh > 90 ? 90 : e->north + dh;
}

void geo_proj_for_extent(struct geo_proj *p, const struct geo_extent *e)
{
	geo_proj_init(p, wrap180(e->west + geo_extent_width(e) / 2),
		      (e->south + e->north) / 2);
}
