/* geo.h — boundaries for maps: polygons read from GeoJSON, TopoJSON or
 * shapefiles and held as a topology, each shared border one arc, so that
 * simplifying an arc once keeps neighbours consistent. Coordinates are
 * WGS 84 degrees until projected (geo_project.h); the plane algorithms at
 * the end work on any x, y. */
#ifndef BRIEF_GEO_H
#define BRIEF_GEO_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

#define GEO_MAX_FILE_BYTES (256L << 20) /* a size cap, not an allocation */
#define GEO_MAX_POINTS 20000000
#define GEO_MAX_FEATURES 200000

/* A position: lon, lat in degrees, or projected x, y. */
struct geo_xy {
	double x, y;
};

/* A run of pts[first .. first + n - 1]. A closed arc (a ring that meets
 * no other) repeats its first point at the end. */
struct geo_arc {
	size_t first, n;
};

/* refs[first .. first + n - 1]: arc indices, ~i for arc i reversed (the
 * TopoJSON convention). hole: an inner ring of its polygon. */
struct geo_ring {
	size_t first, n;
	bool hole;
};

struct geo_prop {
	char *name, *value; /* numbers and booleans as their JSON text */
};

/* rings[first_ring .. first_ring + nrings - 1]. A feature is filled by the
 * even-odd rule over all its rings, so holes and parts need no nesting. */
struct geo_feature {
	char *id; /* the GeoJSON/TopoJSON "id", or NULL */
	struct geo_prop *props;
	size_t nprops;
	size_t first_ring, nrings;
	size_t index; /* 0-based position in the file, for messages */
};

/* A boundary file in memory. Owns everything it points to. */
struct geo {
	char *path;        /* as given, for diagnostics */
	const char *format; /* "GeoJSON", "TopoJSON" or "shapefile" (static) */
	struct geo_xy *pts;
	size_t npts;
	struct geo_arc *arcs;
	size_t narcs;
	long *refs;
	size_t nrefs;
	struct geo_ring *rings;
	size_t nrings;
	struct geo_feature *features;
	size_t nfeatures;
};

/* Read a boundary file: GeoJSON (FeatureCollection, Feature or a bare
 * Polygon/MultiPolygon), TopoJSON (the named object, or the first that
 * holds polygons when object is NULL), or an ESRI shapefile (path ending
 * in .shp, attributes from the .dbf beside it). A file that does not
 * parse is BRIEF_EDATA at its line and column; a bad geometry names its
 * JSON path (features[3].geometry.coordinates[0][2]). */
enum brief_status geo_load(const char *path, const char *object,
			   struct geo **out, struct diag *err);
void geo_free(struct geo *g);

/* A property's value as text, NULL when the feature has none. "id" falls
 * back to the feature's id. */
const char *geo_prop(const struct geo_feature *f, const char *name);

/* The points of ring r in order, closed (last == first), into *buf
 * (grown as needed; the caller frees it). pts is g->pts or a projected
 * copy with the same arcs, or per-arc arrays (arc_pts, arc_n) when not
 * NULL (simplified arcs). Returns the number of points. */
size_t geo_ring_points(const struct geo *g, const struct geo_ring *r,
		       const struct geo_xy *pts,
		       struct geo_xy *const *arc_pts, const size_t *arc_n,
		       struct geo_xy **buf, size_t *cap);

/* ---- builders (geo.c), for the readers ---- */

/* Rings as plain point lists, turned into arcs once all are added. */
struct geo_builder {
	struct geo *g;
	struct geo_xy *pts; /* ring points, rings back to back (not closed) */
	size_t npts, cap;
	size_t *ring_end;   /* per ring of g: one past its last point */
	size_t nring, ringcap;
};
/* Add a feature (its properties are added after, with geo_add_prop). */
enum brief_status geo_add_feature(struct geo *g, const char *id,
				  size_t index, struct diag *err);
enum brief_status geo_add_prop(struct geo *g, const char *name,
			       const char *value, struct diag *err);
/* A ring of the last feature, as n points (closed or not). */
enum brief_status geo_builder_ring(struct geo_builder *b,
				   const struct geo_xy *p, size_t n, bool hole,
				   struct diag *err);
/* Cut the rings at the points where borders meet (junctions) and keep
 * each distinct piece once: the topology a TopoJSON file would have. */
enum brief_status geo_builder_finish(struct geo_builder *b, struct diag *err);
void geo_builder_free(struct geo_builder *b);

enum brief_status geo_oom(const char *path, struct diag *err);
/* The readers behind geo_load: geo_json.c and geo_shp.c. */
enum brief_status geo_load_shp(const char *path, struct geo **out,
			       struct diag *err);

/* ---- the plane (geo_plane.c) ---- */

/* Twice the signed area of a closed ring (positive counter-clockwise with
 * y up). */
double geo_ring_area2(const struct geo_xy *p, size_t n);
/* Whether q is inside the closed ring p (crossing parity: a feature's
 * rings toggle it, which is the even-odd rule). */
bool geo_inside(const struct geo_xy *p, size_t n, struct geo_xy q);
/* Visvalingam–Whyatt: keep[i] false for the points whose triangle area
 * stays under min_area as points are removed; the ends are kept, and a
 * closed line keeps at least four points. Returns how many are kept. */
size_t geo_simplify(const struct geo_xy *p, size_t n, double min_area,
		    bool *keep);
/* Sutherland–Hodgman: the closed ring p clipped to the rectangle, into
 * *out (grown; caller frees). Returns the number of points (0: outside). */
size_t geo_clip_ring(const struct geo_xy *p, size_t n, double x0, double y0,
		     double x1, double y1, struct geo_xy **out, size_t *cap);
/* Segment a-b clipped to the rectangle (Liang–Barsky): false when it
 * misses it. */
bool geo_clip_segment(struct geo_xy *a, struct geo_xy *b, double x0,
		      double y0, double x1, double y1);
/* Where the line o + t d crosses the edges of the closed ring p: the
 * parameters t appended to (*out)[*nout ...] (grown; caller frees).
 * Sorted over all of a feature's rings, pairs (t0, t1), (t2, t3), ... are
 * inside by the even-odd rule. False when out of memory. */
bool geo_line_crossings(const struct geo_xy *p, size_t n, struct geo_xy o,
			struct geo_xy d, double **out, size_t *nout,
			size_t *cap);
/* Sort n doubles ascending (crossings, class values). */
void geo_sort(double *v, size_t n);

#endif
