/* geo_json.c — boundary files: the JSON ones read through jansson, which
 * reports the line and column of a parse error, as GeoJSON (RFC 7946)
 * here or TopoJSON (geo_topo.c); shapefiles pass to geo_shp.c. Bad
 * geometry is reported with its JSON path, since a parsed value has no
 * position. */
#include "geo_json.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"

enum brief_status gj_fail(struct jctx *j, const char *fmt, ...)
{
	char msg[DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return diag_set(j->err, BRIEF_EDATA, j->g->path, 0, 0, "%s%s%s",
			j->path, *j->path ? ": " : "", msg);
}

size_t gj_push(struct jctx *j, const char *key, size_t i)
{
	size_t n = strlen(j->path);

	if (key)
		snprintf(j->path + n, sizeof j->path - n, "%s%s", n ? "." : "",
			 key);
	else
		snprintf(j->path + n, sizeof j->path - n, "[%zu]", i);
	return n;
}

void gj_pop(struct jctx *j, size_t n)
{
	j->path[n] = '\0';
}

const char *gj_type_name(const json_t *v)
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

const char *gj_scalar(const json_t *v, char *buf, size_t size)
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

/* Position i of a ring into *out; the path names it only when it is
 * wrong (a path per position would cost more than reading it). */
static enum brief_status jposition(struct jctx *j, const json_t *pos,
				   size_t i, struct geo_xy *out)
{
	const json_t *x = json_array_get(pos, 0), *y = json_array_get(pos, 1);

	if (json_is_number(x) && json_is_number(y)) {
		out->x = json_number_value(x);
		out->y = json_number_value(y);
		if (isfinite(out->x) && fabs(out->x) <= 180 + 1e-9 &&
		    isfinite(out->y) && fabs(out->y) <= 90 + 1e-9)
			return BRIEF_OK;
	}
	gj_push(j, NULL, i);
	if (!json_is_array(pos) || !json_is_number(x) || !json_is_number(y))
		return gj_fail(j, "a position is [longitude, latitude], not %s",
			       gj_type_name(pos));
	if (!isfinite(out->x) || fabs(out->x) > 180 + 1e-9)
		return gj_fail(j, "longitude %g is outside -180..180: "
			       "boundaries must be WGS 84 longitude, latitude "
			       "(is the file projected?)",
			       out->x);
	return gj_fail(j, "latitude %g is outside -90..90: boundaries must be "
		       "WGS 84 longitude, latitude (is the file projected?)",
		       out->y);
}

static enum brief_status jring(struct jctx *j, const json_t *ring, bool hole)
{
	size_t n = json_array_size(ring), distinct = 0;
	enum brief_status st;

	if (!json_is_array(ring))
		return gj_fail(j, "a ring is an array of positions, not %s",
			     gj_type_name(ring));
	if (array_reserve(&j->ring, &j->ringcap, n, sizeof *j->ring, 0))
		return geo_oom(j->g->path, j->err);
	for (size_t i = 0; i < n; i++) {
		st = jposition(j, json_array_get(ring, i), i, &j->ring[i]);
		if (st)
			return st;
		if (i == 0 || j->ring[i].x != j->ring[i - 1].x ||
		    j->ring[i].y != j->ring[i - 1].y)
			distinct++;
	}
	if (distinct > 1 && j->ring[0].x == j->ring[n - 1].x &&
	    j->ring[0].y == j->ring[n - 1].y)
		distinct--;
	if (distinct < 3)
		return gj_fail(j, "a ring needs at least 3 distinct positions "
			     "(and the first repeated at the end), found %zu",
			     distinct);
	return geo_builder_ring(&j->b, j->ring, n, hole, j->err);
}

static enum brief_status jpolygon(struct jctx *j, const json_t *rings)
{
	enum brief_status st;

	if (!json_is_array(rings))
		return gj_fail(j, "a Polygon's coordinates are an array of rings, "
			     "not %s", gj_type_name(rings));
	for (size_t i = 0; i < json_array_size(rings); i++) {
		size_t at = gj_push(j, NULL, i);

		st = jring(j, json_array_get(rings, i), i > 0);
		if (st)
			return st;
		gj_pop(j, at);
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
		return gj_fail(j, "a geometry is an object with a \"type\"");
	if (strcmp(t, "GeometryCollection") == 0 && depth < 4) {
		const json_t *gs = json_object_get(geom, "geometries");

		for (size_t i = 0; i < json_array_size(gs) && !st; i++) {
			at = strlen(j->path);
			snprintf(j->path + at, sizeof j->path - at,
				 "%sgeometries[%zu]", at ? "." : "", i);
			st = jgeometry(j, json_array_get(gs, i), depth + 1);
			if (!st)
				gj_pop(j, at);
		}
		return st;
	}
	if (strcmp(t, "Polygon") != 0 && strcmp(t, "MultiPolygon") != 0)
		return gj_fail(j, "geometry type %s: boundaries must be Polygon "
			     "or MultiPolygon",
			     t);
	at = gj_push(j, "coordinates", 0);
	if (strcmp(t, "Polygon") == 0) {
		st = jpolygon(j, c);
	} else if (!json_is_array(c)) {
		st = gj_fail(j, "a MultiPolygon's coordinates are an array of "
			   "polygons, not %s", c ? gj_type_name(c) : "missing");
	} else {
		for (size_t i = 0; i < json_array_size(c) && !st; i++) {
			size_t a2 = gj_push(j, NULL, i);

			st = jpolygon(j, json_array_get(c, i));
			if (!st)
				gj_pop(j, a2);
		}
	}
	if (!st)
		gj_pop(j, at);
	return st;
}

enum brief_status gj_props(struct jctx *j, const json_t *props)
{
	const char *key;
	json_t *v;
	char buf[64];

	if (!props || json_is_null(props))
		return BRIEF_OK;
	if (!json_is_object(props))
		return gj_fail(j, "\"properties\" is an object, not %s",
			     gj_type_name(props));
	json_object_foreach((json_t *)props, key, v) {
		const char *s = gj_scalar(v, buf, sizeof buf);
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
		return gj_fail(j, "a feature is an object with \"type\": "
			     "\"Feature\"");
	st = geo_add_feature(j->g, id ? gj_scalar(id, buf, sizeof buf) : NULL,
			     index, j->err);
	if (!st)
		st = gj_props(j, json_object_get(f, "properties"));
	if (st)
		return st;
	at = gj_push(j, "geometry", 0);
	st = jgeometry(j, json_object_get(f, "geometry"), 0);
	if (!st)
		gj_pop(j, at);
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
	return gj_fail(j, "the file's coordinate system is %s; brief reads "
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
			return gj_fail(j, "a FeatureCollection needs a "
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

/* ---- the whole ---- */

/* Quote line `line` (1-based) of text in the diagnostic. */
static void quote_line(struct diag *err, const char *text, size_t len,
		       long line)
{
	const char *p = text, *end = text + len;

	if (!err || line < 1)
		return;
	for (long l = 1; l < line && p < end; l++) {
		p = memchr(p, '\n', (size_t)(end - p));
		if (!p)
			return;
		p++;
	}
	diag_quote(err, p, (size_t)(end - p));
}

/* jansson's syntax error, at its place in the file (the text it read may
 * lack a TopoJSON's arcs). */
static enum brief_status json_error(const char *path, const char *text,
				    size_t len, const struct topo_cut *cut,
				    const json_error_t *je, struct diag *err)
{
	long line = je->line, col = je->column;

	if (json_error_code(je) == json_error_out_of_memory)
		return geo_oom(path, err);
	if (cut->text && je->position >= 0 &&
	    (size_t)je->position >= cut->at) {
		size_t at = (size_t)je->position + cut->removed;

		line = 1;
		col = 1;
		for (size_t i = 0; i < at && i < len; i++) {
			if (text[i] == '\n') {
				line++;
				col = 1;
			} else if ((text[i] & 0xC0) != 0x80) {
				col++;
			}
		}
	}
	diag_set(err, BRIEF_EDATA, path, line, col, "bad JSON: %s", je->text);
	quote_line(err, text, len, line);
	return BRIEF_EDATA;
}

enum brief_status geo_load(const char *path, const char *object,
			   struct geo **out, struct diag *err)
{
	struct jctx j;
	struct topo_cut cut = { NULL, 0, 0, 0 };
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
	topo_prescan(&j, text, len, &cut);
	root = cut.text ? json_loadb(cut.text, cut.len, JSON_REJECT_DUPLICATES,
				     &je)
			: json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		st = json_error(path, text, len, &cut, &je, err);
		goto out;
	}
	/* The tree holds all now: the text goes before the work starts. */
	free(text);
	free(cut.text);
	text = cut.text = NULL;
	type = json_string_value(json_object_get(root, "type"));
	if (!json_is_object(root) || !type) {
		st = gj_fail(&j, "not GeoJSON or TopoJSON: the top level needs "
			   "a \"type\"");
	} else if (strcmp(type, "Topology") == 0) {
		st = topojson(&j, root, object);
	} else if (strcmp(type, "FeatureCollection") == 0 ||
		   strcmp(type, "Feature") == 0 ||
		   strcmp(type, "Polygon") == 0 ||
		   strcmp(type, "MultiPolygon") == 0 ||
		   strcmp(type, "GeometryCollection") == 0) {
		st = geojson(&j, root);
		/* The rings are copied: the tree goes before the topology is
		 * built. */
		json_decref(root);
		root = NULL;
		if (!st)
			st = geo_builder_finish(&j.b, err);
	} else {
		st = gj_fail(&j, "type %s: boundaries are a GeoJSON "
			   "FeatureCollection or a TopoJSON Topology",
			   type);
	}
out:
	json_decref(root);
	free(text);
	free(j.ring);
	free(cut.text);
	topo_arcs_free(&j.topo);
	geo_builder_free(&j.b);
	if (st) {
		geo_free(j.g);
		return st;
	}
	*out = j.g;
	return BRIEF_OK;
}
