/* geo_project.h — the map projection: Lambert azimuthal equal-area on the
 * WGS 84 ellipsoid (Snyder 1987, USGS Professional Paper 1395, pp. 187–
 * 190), centred on the map's extent, so areas compare truly anywhere on
 * a regional map and shapes are right at its centre. Extents and centres
 * are antimeridian-safe. See docs/maps.md for why not PROJ. */
#ifndef BRIEF_GEO_PROJECT_H
#define BRIEF_GEO_PROJECT_H

#include <stdbool.h>
#include <stddef.h>

#include "geo.h"

/* Longitude and latitude bounds in degrees. west > east when the extent
 * crosses the antimeridian (west 170, east -170: 20 degrees wide). */
struct geo_extent {
	double west, south, east, north;
};

/* The smallest extent (by longitude span, across the antimeridian when
 * that is shorter) holding the n points (lon, lat). False when n is 0 or
 * memory runs out. */
bool geo_extent_of(const struct geo_xy *p, size_t n, struct geo_extent *out);
/* Longitude span in degrees (0..360). */
double geo_extent_width(const struct geo_extent *e);
bool geo_extent_contains(const struct geo_extent *e, struct geo_xy p);
/* The extent grown by frac of its size on each side (latitudes clamped
 * to +-90). */
void geo_extent_pad(struct geo_extent *e, double frac);

/* A projection's constants (plain value, no heap). */
struct geo_proj {
	double lon0, lat0; /* centre, degrees */
	double qp, rq, d, sinb1, cosb1;
};

/* Centred on (lon0, lat0); latitudes beyond +-89 are taken as +-89 (the
 * polar aspect has other formulas, and conflict maps do not need it). */
void geo_proj_init(struct geo_proj *p, double lon0, double lat0);
/* Centred on the middle of an extent. */
void geo_proj_for_extent(struct geo_proj *p, const struct geo_extent *e);
/* lon, lat in degrees to x east, y north in metres from the centre. */
struct geo_xy geo_project(const struct geo_proj *p, struct geo_xy lonlat);

#endif
