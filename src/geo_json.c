/* geo_json.c — GeoJSON (RFC 7946) and TopoJSON boundaries through jansson,
 * which reports the line and column of a parse error. Bad geometry is
 * reported with its JSON path, since a parsed value has no position. */
#include "geo.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The reading context: the file, and the JSON path of what is read. */
struct jctx {
	struct geo *g;
	struct geo_builder b;
	struct diag *err;
	char path[256];
	struct geo_xy *ring; /* scratch for one ring's points */
	size_t ringcap;
};

static enum brief_status jfail(struct jctx *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static enum brief_status jfail(struct jctx *j, const char *fmt, ...)
{
	char msg[DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return diag_set(j->err, BRIEF_EDATA, j->g->path, 0, 0, "%s%s%s",
			j->path, *j->path ? ": " : "", msg);
}

/* Append "[i]" or ".key" to the path; returns the old length to restore. */
static size_t jpush(struct jctx *j, const char *key, size_t i)
{
	size_t n = strlen(j->path);

	if (key)
		snprintf(j->path + n, sizeof j->path - n, "%s%s", n ? "." : "",
			 key);
	else
		snprintf(j->path + n, sizeof j->path - n, "[%zu]", i);
	return n;
}

static void jpop(struct jctx *j, size_t n)
{
	j->path[n] = '\0';
}

static const char *jtype_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "?";
}

/* A scalar as text ("12", "12.5", "true"); NULL for null, objects and
 * arrays. */
static const char *jscalar(const json_t *v, char *buf, size_t size)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, size, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_real(v)) {
		snprintf(buf, size, "%.15g", json_real_value(v));
		return buf;
	}
	if (json_is_boolean(v))
		return json_is_true(v) ? "true" : "false";
	return NULL;
}

/* ---- the file ---- */

static enum brief_status read_whole(const char *path, char **out, size_t *len,
				    struct diag *err)
{
	struct stat st;
	FILE *f;
	char *buf;
	size_t n;

	*out = NULL;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return diag_set(err, BRIEF_EDATA, path, 0, 0,
					"no such boundary file");
		return diag_set(err, BRIEF_EIO, path, 0, 0, "cannot read: %s",
				strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return diag_set(err, BRIEF_EDATA, path, 0, 0,
				"not a regular file");
	if (st.st_size > GEO_MAX_FILE_BYTES)
		return diag_set(err, BRIEF_EDATA, path, 0, 0,
				"boundary file larger than %ld MB; simplify or "
				"split it first",
				GEO_MAX_FILE_BYTES >> 20);
	f = fopen(path, "rb");
	if (!f)
		return diag_set(err, BRIEF_EIO, path, 0, 0, "cannot open: %s",
				strerror(errno));
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		fclose(f);
		return geo_oom(path, err);
	}
	n = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return diag_set(err, BRIEF_EIO, path, 0, 0, "cannot read: %s",
				strerror(errno));
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return BRIEF_OK;
}

/* ---- GeoJSON ---- */

static enum brief_status jposition(struct jctx *j, const json_t *pos,
				   struct geo_xy *out)
{
	const json_t *x = json_array_get(pos, 0), *y = json_array_get(pos, 1);

	if (!json_is_array(pos) || !json_is_number(x) || !json_is_number(y))
		return jfail(j, "a position is [longitude, latitude], not %s",
			     jtype_name(pos));
	out->x = json_number_value(x);
	out->y = json_number_value(y);
	if (!isfinite(out->x) || fabs(out->x) > 180 + 1e-9)
		return jfail(j, "longitude %g is outside -180..180: boundaries "
			     "must be WGS 84 longitude, latitude (is the file "
			     "projected?)",
			     out->x);
	if (!isfinite(out->y) || fabs(out->y) > 90 + 1e-9)
		return jfail(j, "latitude %g is outside -90..90: boundaries "
			     "must be WGS 84 longitude, latitude (is the file "
			     "projected?)",
			     out->y);
	return BRIEF_OK;
}

static enum brief_status jring(struct jctx *j, const json_t *ring, bool hole)
{
	size_t n = json_array_size(ring), distinct = 0;
	enum brief_status st;

	if (!json_is_array(ring))
		return jfail(j, "a ring is an array of positions, not %s",
			     jtype_name(ring));
	if (n > j->ringcap) {
		struct geo_xy *v = realloc(j->ring, n * sizeof *v);

		if (!v)
			return geo_oom(j->g->path, j->err);
		j->ring = v;
		j->ringcap = n;
	}
	for (size_t i = 0; i < n; i++) {
		size_t at = jpush(j, NULL, i);

		st = jposition(j, json_array_get(ring, i), &j->ring[i]);
		if (st)
			return st;
		jpop(j, at);
		if (i == 0 || j->ring[i].x != j->ring[i - 1].x ||
		    j->ring[i].y != j->ring[i - 1].y)
			distinct++;
	}
	if (n > 1 && j->ring[0].x == j->ring[n - 1].x &&
	    j->ring[0].y == j->ring[n - 1].y)
		distinct--;
	if (distinct < 3)
		return jfail(j, "a ring needs at least 3 distinct positions "
			     "(and the first repeated at the end), found %zu",
			     distinct);
	return geo_builder_ring(&j->b, j->ring, n, hole, j->err);
}

static enum brief_status jpolygon(struct jctx *j, const json_t *rings)
{
	enum brief_status st;

	if (!json_is_array(rings))
		return jfail(j, "a Polygon's coordinates are an array of rings, "
			     "not %s", jtype_name(rings));
	for (size_t i = 0; i < json_array_size(rings); i++) {
		size_t at = jpush(j, NULL, i);

		st = jring(j, json_array_get(rings, i), i > 0);
		if (st)
			return st;
		jpop(j, at);
	}
	return BRIEF_OK;
}

static enum brief_status jgeometry(struct jctx *j, const json_t *geom,
				   int depth)
{
	const json_t *type = json_object_get(geom, "type");
	const char *t = json_string_value(type);
	const json_t *c = json_object_get(geom, "coordinates");
	enum brief_status st = BRIEF_OK;
	size_t at;

	if (json_is_null(geom))
		return BRIEF_OK; /* an unlocated feature */
	if (!json_is_object(geom) || !t)
		return jfail(j, "a geometry is an object with a \"type\"");
	if (strcmp(t, "GeometryCollection") == 0 && depth < 4) {
		const json_t *gs = json_object_get(geom, "geometries");

		for (size_t i = 0; i < json_array_size(gs) && !st; i++) {
			at = strlen(j->path);
			snprintf(j->path + at, sizeof j->path - at,
				 "%sgeometries[%zu]", at ? "." : "", i);
			st = jgeometry(j, json_array_get(gs, i), depth + 1);
			if (!st)
				jpop(j, at);
		}
		return st;
	}
	if (strcmp(t, "Polygon") != 0 && strcmp(t, "MultiPolygon") != 0)
		return jfail(j, "geometry type %s: boundaries must be Polygon "
			     "or MultiPolygon",
			     t);
	at = jpush(j, "coordinates", 0);
	if (strcmp(t, "Polygon") == 0) {
		st = jpolygon(j, c);
	} else if (!json_is_array(c)) {
		st = jfail(j, "a MultiPolygon's coordinates are an array of "
			   "polygons, not %s", c ? jtype_name(c) : "missing");
	} else {
		for (size_t i = 0; i < json_array_size(c) && !st; i++) {
			size_t a2 = jpush(j, NULL, i);

			st = jpolygon(j, json_array_get(c, i));
			if (!st)
				jpop(j, a2);
		}
	}
	if (!st)
		jpop(j, at);
	return st;
}

static enum brief_status jprops(struct jctx *j, const json_t *props)
{
	const char *key;
	json_t *v;
	char buf[64];

	if (!props || json_is_null(props))
		return BRIEF_OK;
	if (!json_is_object(props))
		return jfail(j, "\"properties\" is an object, not %s",
			     jtype_name(props));
	json_object_foreach((json_t *)props, key, v) {
		const char *s = jscalar(v, buf, sizeof buf);
		enum brief_status st;

		if (s && (st = geo_add_prop(j->g, key, s, j->err)))
			return st;
	}
	return BRIEF_OK;
}

static enum brief_status jfeature(struct jctx *j, const json_t *f,
				  size_t index)
{
	const char *t = json_string_value(json_object_get(f, "type"));
	char buf[64];
	const json_t *id = json_object_get(f, "id");
	enum brief_status st;
	size_t at;

	if (!json_is_object(f) || !t || strcmp(t, "Feature") != 0)
		return jfail(j, "a feature is an object with \"type\": "
			     "\"Feature\"");
	st = geo_add_feature(j->g, id ? jscalar(id, buf, sizeof buf) : NULL,
			     index, j->err);
	if (!st)
		st = jprops(j, json_object_get(f, "properties"));
	if (st)
		return st;
	at = jpush(j, "geometry", 0);
	st = jgeometry(j, json_object_get(f, "geometry"), 0);
	if (!st)
		jpop(j, at);
	return st;
}

/* Old GeoJSON named its coordinate system; RFC 7946 allows only WGS 84. */
static enum brief_status jcrs(struct jctx *j, const json_t *root)
{
	const json_t *crs = json_object_get(root, "crs");
	const char *name = json_string_value(
		json_object_get(json_object_get(crs, "properties"), "name"));

	if (!crs || !name)
		return BRIEF_OK;
	if (strstr(name, "CRS84") || strstr(name, "4326"))
		return BRIEF_OK;
	return jfail(j, "the file's coordinate system is %s; brief reads "
		     "WGS 84 longitude, latitude (EPSG:4326): reproject it "
		     "first",
		     name);
}

static enum brief_status geojson(struct jctx *j, const json_t *root)
{
	const char *t = json_string_value(json_object_get(root, "type"));
	enum brief_status st = jcrs(j, root);

	j->g->format = "GeoJSON";
	if (st)
		return st;
	if (strcmp(t, "FeatureCollection") == 0) {
		const json_t *fs = json_object_get(root, "features");

		if (!json_is_array(fs))
			return jfail(j, "a FeatureCollection needs a "
				     "\"features\" array");
		for (size_t i = 0; i < json_array_size(fs); i++) {
			snprintf(j->path, sizeof j->path, "features[%zu]", i);
			st = jfeature(j, json_array_get(fs, i), i);
			if (st)
				return st;
			j->path[0] = '\0';
		}
		return BRIEF_OK;
	}
	if (strcmp(t, "Feature") == 0)
		return jfeature(j, root, 0);
	st = geo_add_feature(j->g, NULL, 0, j->err);
	return st ? st : jgeometry(j, root, 0);
}

/* ---- TopoJSON ---- */

struct topo_tf {
	bool on;
	double sx, sy, tx, ty;
};

static enum brief_status tarcs(struct jctx *j, const json_t *arcs,
			       const struct topo_tf *tf)
{
	struct geo *g = j->g;
	size_t total = 0;

	if (!json_is_array(arcs))
		return jfail(j, "a Topology needs an \"arcs\" array");
	for (size_t i = 0; i < json_array_size(arcs); i++)
		total += json_array_size(json_array_get(arcs, i));
	if (total > GEO_MAX_POINTS)
		return jfail(j, "more than %d points; simplify the file first",
			     GEO_MAX_POINTS);
	g->pts = malloc((total + 1) * sizeof *g->pts);
	g->arcs = malloc((json_array_size(arcs) + 1) * sizeof *g->arcs);
	if (!g->pts || !g->arcs)
		return geo_oom(g->path, j->err);
	for (size_t i = 0; i < json_array_size(arcs); i++) {
		const json_t *arc = json_array_get(arcs, i);
		double qx = 0, qy = 0;

		snprintf(j->path, sizeof j->path, "arcs[%zu]", i);
		if (!json_is_array(arc) || json_array_size(arc) < 2)
			return jfail(j, "an arc is an array of at least two "
				     "positions");
		g->arcs[i].first = g->npts;
		g->arcs[i].n = json_array_size(arc);
		for (size_t k = 0; k < json_array_size(arc); k++) {
			const json_t *p = json_array_get(arc, k);
			struct geo_xy *q = &g->pts[g->npts++];
			const json_t *x = json_array_get(p, 0);
			const json_t *y = json_array_get(p, 1);

			if (!json_is_number(x) || !json_is_number(y)) {
				snprintf(j->path, sizeof j->path,
					 "arcs[%zu][%zu]", i, k);
				return jfail(j, "a position is [x, y], not %s",
					     jtype_name(p));
			}
			if (tf->on) {
				/* Quantized: deltas from the previous
				 * position, in transform units. */
				qx += json_number_value(x);
				qy += json_number_value(y);
				q->x = qx * tf->sx + tf->tx;
				q->y = qy * tf->sy + tf->ty;
			} else {
				q->x = json_number_value(x);
				q->y = json_number_value(y);
			}
			if (!isfinite(q->x) || !isfinite(q->y) ||
			    fabs(q->x) > 180 + 1e-6 || fabs(q->y) > 90 + 1e-6) {
				snprintf(j->path, sizeof j->path,
					 "arcs[%zu][%zu]", i, k);
				return jfail(j, "position %g, %g is not a "
					     "longitude, latitude (is the "
					     "topology projected?)",
					     q->x, q->y);
			}
		}
		g->narcs++;
	}
	j->path[0] = '\0';
	return BRIEF_OK;
}

static struct geo_xy arc_end(const struct geo *g, long ref, bool last)
{
	size_t a = (size_t)(ref >= 0 ? ref : ~ref);
	const struct geo_arc *arc = &g->arcs[a];
	bool at_end = (ref >= 0) == last;

	return g->pts[arc->first + (at_end ? arc->n - 1 : 0)];
}

/* TopoJSON quantization rounds; ends that meet lie within a unit. */
static bool near_xy(struct geo_xy a, struct geo_xy b)
{
	return fabs(a.x - b.x) < 1e-7 && fabs(a.y - b.y) < 1e-7;
}

static enum brief_status tring(struct jctx *j, const json_t *ring, bool hole)
{
	struct geo *g = j->g;
	size_t n = json_array_size(ring);
	struct geo_ring *r;
	long *refs;

	if (!json_is_array(ring) || n == 0)
		return jfail(j, "a ring is a non-empty array of arc indices");
	refs = realloc(g->refs, (g->nrefs + n) * sizeof *refs);
	if (!refs)
		return geo_oom(g->path, j->err);
	g->refs = refs;
	for (size_t k = 0; k < n; k++) {
		const json_t *v = json_array_get(ring, k);
		json_int_t a = json_is_integer(v) ? json_integer_value(v) : 0;
		long ref = (long)a;

		if (!json_is_integer(v) || (a >= 0 && (size_t)a >= g->narcs) ||
		    (a < 0 && (size_t)~a >= g->narcs)) {
			jpush(j, NULL, k);
			return jfail(j, "arc index %s is not one of the %zu "
				     "arcs",
				     json_is_integer(v) ? "out of range"
							: "not an integer",
				     g->narcs);
		}
		if (k > 0 &&
		    !near_xy(arc_end(g, refs[g->nrefs + k - 1], true),
			     arc_end(g, ref, false))) {
			jpush(j, NULL, k);
			return jfail(j, "this arc does not start where the "
				     "ring's previous arc ends");
		}
		refs[g->nrefs + k] = ref;
	}
	if (!near_xy(arc_end(g, refs[g->nrefs + n - 1], true),
		     arc_end(g, refs[g->nrefs], false)))
		return jfail(j, "the ring's arcs do not close");
	r = realloc(g->rings, (g->nrings + 1) * sizeof *r);
	if (!r)
		return geo_oom(g->path, j->err);
	g->rings = r;
	r = &g->rings[g->nrings++];
	r->first = g->nrefs;
	r->n = n;
	r->hole = hole;
	g->nrefs += n;
	g->features[g->nfeatures - 1].nrings++;
	return BRIEF_OK;
}

static enum brief_status tpolygon(struct jctx *j, const json_t *rings)
{
	enum brief_status st;

	if (!json_is_array(rings))
		return jfail(j, "a Polygon's arcs are an array of rings");
	for (size_t i = 0; i < json_array_size(rings); i++) {
		size_t at = jpush(j, NULL, i);

		st = tring(j, json_array_get(rings, i), i > 0);
		if (st)
			return st;
		jpop(j, at);
	}
	return BRIEF_OK;
}

static enum brief_status tgeometry(struct jctx *j, const json_t *geom,
				   size_t index)
{
	const char *t = json_string_value(json_object_get(geom, "type"));
	const json_t *id = json_object_get(geom, "id");
	const json_t *arcs = json_object_get(geom, "arcs");
	char buf[64];
	enum brief_status st;
	size_t at;

	if (!json_is_object(geom))
		return jfail(j, "a geometry is an object");
	if (!t || (strcmp(t, "Polygon") != 0 && strcmp(t, "MultiPolygon") != 0))
		return BRIEF_OK; /* points, lines and empty geometry */
	st = geo_add_feature(j->g, id ? jscalar(id, buf, sizeof buf) : NULL,
			     index, j->err);
	if (!st)
		st = jprops(j, json_object_get(geom, "properties"));
	if (st)
		return st;
	at = jpush(j, "arcs", 0);
	if (strcmp(t, "Polygon") == 0)
		return tpolygon(j, arcs);
	if (!json_is_array(arcs))
		return jfail(j, "a MultiPolygon's arcs are an array of "
			     "polygons");
	for (size_t i = 0; i < json_array_size(arcs); i++) {
		size_t a2 = jpush(j, NULL, i);

		st = tpolygon(j, json_array_get(arcs, i));
		if (st)
			return st;
		jpop(j, a2);
	}
	jpop(j, at);
	return BRIEF_OK;
}

static bool has_polygons(const json_t *obj)
{
	const char *t = json_string_value(json_object_get(obj, "type"));
	const json_t *gs = json_object_get(obj, "geometries");

	if (t && (strcmp(t, "Polygon") == 0 || strcmp(t, "MultiPolygon") == 0))
		return true;
	for (size_t i = 0; i < json_array_size(gs); i++)
		if (has_polygons(json_array_get(gs, i)))
			return true;
	return false;
}

static enum brief_status topojson(struct jctx *j, const json_t *root,
				  const char *object)
{
	const json_t *objects = json_object_get(root, "objects");
	const json_t *tfj = json_object_get(root, "transform");
	const json_t *obj = NULL, *gs;
	struct topo_tf tf = { false, 1, 1, 0, 0 };
	const char *name = NULL;
	enum brief_status st;

	j->g->format = "TopoJSON";
	if (!json_is_object(objects))
		return jfail(j, "a Topology needs an \"objects\" object");
	if (tfj) {
		const json_t *s = json_object_get(tfj, "scale");
		const json_t *t = json_object_get(tfj, "translate");

		if (!json_is_number(json_array_get(s, 0)) ||
		    !json_is_number(json_array_get(s, 1)) ||
		    !json_is_number(json_array_get(t, 0)) ||
		    !json_is_number(json_array_get(t, 1))) {
			snprintf(j->path, sizeof j->path, "transform");
			return jfail(j, "a transform has \"scale\" and "
				     "\"translate\", two numbers each");
		}
		tf.on = true;
		tf.sx = json_number_value(json_array_get(s, 0));
		tf.sy = json_number_value(json_array_get(s, 1));
		tf.tx = json_number_value(json_array_get(t, 0));
		tf.ty = json_number_value(json_array_get(t, 1));
	}
	if (object) {
		obj = json_object_get(objects, object);
		name = object;
		if (!obj)
			return jfail(j, "no object '%s' in the topology",
				     object);
	} else {
		const char *key;
		json_t *v;

		json_object_foreach((json_t *)objects, key, v) {
			if (has_polygons(v)) {
				obj = v;
				name = key;
				break;
			}
		}
		if (!obj)
			return jfail(j, "the topology has no object with "
				     "polygons");
	}
	st = tarcs(j, json_object_get(root, "arcs"), &tf);
	if (st)
		return st;
	gs = json_object_get(obj, "geometries");
	if (gs) {
		for (size_t i = 0; i < json_array_size(gs); i++) {
			snprintf(j->path, sizeof j->path,
				 "objects.%s.geometries[%zu]", name, i);
			st = tgeometry(j, json_array_get(gs, i), i);
			if (st)
				return st;
		}
	} else {
		snprintf(j->path, sizeof j->path, "objects.%s", name);
		st = tgeometry(j, obj, 0);
		if (st)
			return st;
	}
	j->path[0] = '\0';
	return BRIEF_OK;
}

/* ---- the whole ---- */

/* Quote line `line` (1-based) of text in the diagnostic. */
static void quote_line(struct diag *err, const char *text, size_t len,
		       int line)
{
	const char *p = text, *end = text + len;

	if (!err || line < 1)
		return;
	for (int l = 1; l < line && p < end; l++) {
		p = memchr(p, '\n', (size_t)(end - p));
		if (!p)
			return;
		p++;
	}
	diag_quote(err, p, (size_t)(end - p));
}

enum brief_status geo_load(const char *path, const char *object,
			   struct geo **out, struct diag *err)
{
	struct jctx j;
	json_error_t je;
	json_t *root = NULL;
	char *text = NULL;
	size_t len = 0, n = strlen(path);
	const char *type;
	enum brief_status st;

	*out = NULL;
	if (n > 4 && strcmp(path + n - 4, ".shp") == 0)
		return geo_load_shp(path, out, err);
	memset(&j, 0, sizeof j);
	j.err = err;
	j.g = calloc(1, sizeof *j.g);
	if (!j.g || !(j.g->path = strdup(path))) {
		free(j.g);
		return geo_oom(path, err);
	}
	j.b.g = j.g;
	st = read_whole(path, &text, &len, err);
	if (st)
		goto out;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		if (json_error_code(&je) == json_error_out_of_memory)
			st = geo_oom(path, err);
		else
			st = diag_set(err, BRIEF_EDATA, path, je.line,
				      je.column, "bad JSON: %s", je.text);
		quote_line(err, text, len, je.line);
		goto out;
	}
	type = json_string_value(json_object_get(root, "type"));
	if (!json_is_object(root) || !type) {
		st = jfail(&j, "not GeoJSON or TopoJSON: the top level needs "
			   "a \"type\"");
	} else if (strcmp(type, "Topology") == 0) {
		st = topojson(&j, root, object);
	} else if (strcmp(type, "FeatureCollection") == 0 ||
		   strcmp(type, "Feature") == 0 ||
		   strcmp(type, "Polygon") == 0 ||
		   strcmp(type, "MultiPolygon") == 0 ||
		   strcmp(type, "GeometryCollection") == 0) {
		st = geojson(&j, root);
		if (!st)
			st = geo_builder_finish(&j.b, err);
	} else {
		st = jfail(&j, "type %s: boundaries are a GeoJSON "
			   "FeatureCollection or a TopoJSON Topology",
			   type);
	}
out:
	json_decref(root);
	free(text);
	free(j.ring);
	geo_builder_free(&j.b);
	if (st) {
		geo_free(j.g);
		return st;
	}
	*out = j.g;
	return BRIEF_OK;
}
