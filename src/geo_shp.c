/* geo_shp.c — ESRI shapefile boundaries through shapelib: polygons from
 * the .shp, attributes from the .dbf, and a refusal of projected files
 * (named by the .prj) since brief reads longitude and latitude. */
#include "geo.h"

#include <errno.h>
#include <math.h>
#include <shapefil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* shapelib reports through a hook; keep its last words for the message. */
static char shp_msg[200];

static void shp_error(const char *message)
{
	snprintf(shp_msg, sizeof shp_msg, "%s", message);
}

/* path with its last 3 characters (the extension) replaced. */
static void sibling(const char *path, const char *ext, char *buf, size_t size)
{
	size_t n = strlen(path);

	snprintf(buf, size, "%.*s%s", (int)(n - 3), path, ext);
}

/* The first bytes of a small text file beside the .shp ("" if none). */
static void read_small(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, size - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

static bool valid_utf8(const unsigned char *s)
{
	while (*s) {
		int extra = *s < 0x80 ? 0 : (*s & 0xE0) == 0xC0 ? 1
				     : (*s & 0xF0) == 0xE0   ? 2
				     : (*s & 0xF8) == 0xF0   ? 3
							     : -1;

		if (extra < 0)
			return false;
		s++;
		for (int i = 0; i < extra; i++, s++)
			if ((*s & 0xC0) != 0x80)
				return false;
	}
	return true;
}

/* DBF text is often Latin-1 when no .cpg says otherwise. */
static char *to_utf8(const char *s)
{
	size_t n = strlen(s);
	char *o, *p;

	if (valid_utf8((const unsigned char *)s))
		return strdup(s);
	o = malloc(2 * n + 1);
	if (!o)
		return NULL;
	for (p = o; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x80) {
			*p++ = (char)c;
		} else {
			*p++ = (char)(0xC0 | (c >> 6));
			*p++ = (char)(0x80 | (c & 0x3F));
		}
	}
	*p = '\0';
	return o;
}

static enum brief_status shp_props(struct geo *g, DBFHandle dbf, int i,
				   struct diag *err)
{
	int nf = dbf ? DBFGetFieldCount(dbf) : 0;

	for (int k = 0; k < nf; k++) {
		char name[16];
		const char *v;
		char *u;
		enum brief_status st;

		DBFGetFieldInfo(dbf, k, name, NULL, NULL);
		if (DBFIsAttributeNULL(dbf, i, k))
			continue;
		v = DBFReadStringAttribute(dbf, i, k);
		u = to_utf8(v ? v : "");
		if (!u)
			return geo_oom(g->path, err);
		st = geo_add_prop(g, name, u, err);
		free(u);
		if (st)
			return st;
	}
	return BRIEF_OK;
}

static enum brief_status shp_shape(struct geo_builder *b, SHPObject *o,
				   int i, struct geo_xy **ring, size_t *cap,
				   struct diag *err)
{
	for (int part = 0; part < o->nParts; part++) {
		int from = o->panPartStart[part];
		int to = part + 1 < o->nParts ? o->panPartStart[part + 1]
					      : o->nVertices;
		size_t n = to > from ? (size_t)(to - from) : 0;
		enum brief_status st;

		if (n > *cap) {
			struct geo_xy *v = realloc(*ring, n * sizeof *v);

			if (!v)
				return geo_oom(b->g->path, err);
			*ring = v;
			*cap = n;
		}
		for (size_t k = 0; k < n; k++) {
			double x = o->padfX[from + (int)k];
			double y = o->padfY[from + (int)k];

			if (!isfinite(x) || !isfinite(y) || fabs(x) > 180 + 1e-9 ||
			    fabs(y) > 90 + 1e-9)
				return diag_set(err, BRIEF_EDATA, b->g->path, 0,
						0,
						"shape %d: position %g, %g is "
						"not a longitude, latitude (is "
						"the file projected?)",
						i, x, y);
			(*ring)[k].x = x;
			(*ring)[k].y = y;
		}
		if (n < 4)
			return diag_set(err, BRIEF_EDATA, b->g->path, 0, 0,
					"shape %d: a ring needs at least 4 "
					"points, found %zu",
					i, n);
		/* Shapefile outer rings run clockwise, holes the other way. */
		st = geo_builder_ring(b, *ring, n,
				      geo_ring_area2(*ring, n) > 0, err);
		if (st)
			return st;
	}
	return BRIEF_OK;
}

enum brief_status geo_load_shp(const char *path, struct geo **out,
			       struct diag *err)
{
	char other[4200], prj[4096];
	struct stat sb;
	SAHooks hooks;
	SHPHandle shp = NULL;
	DBFHandle dbf = NULL;
	struct geo_builder b;
	struct geo_xy *ring = NULL;
	size_t cap = 0;
	int n = 0, type = 0;
	enum brief_status st = BRIEF_OK;

	*out = NULL;
	memset(&b, 0, sizeof b);
	if (stat(path, &sb) != 0)
		return diag_set(err, errno == ENOENT ? BRIEF_EDATA : BRIEF_EIO,
				path, 0, 0, "%s",
				errno == ENOENT ? "no such boundary file"
						: strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return diag_set(err, BRIEF_EDATA, path, 0, 0,
				"not a regular file");
	sibling(path, "prj", other, sizeof other);
	read_small(other, prj, sizeof prj);
	if (strstr(prj, "PROJCS["))
		return diag_set(err, BRIEF_EDATA, other, 0, 0,
				"the shapefile is projected (%.60s...); brief "
				"reads WGS 84 longitude, latitude: reproject "
				"it first",
				prj);
	SASetupDefaultHooks(&hooks);
	hooks.Error = shp_error;
	shp_msg[0] = '\0';
	shp = SHPOpenLL(path, "rb", &hooks);
	if (!shp)
		return diag_set(err, BRIEF_EDATA, path, 0, 0,
				"not a shapefile%s%s", *shp_msg ? ": " : "",
				shp_msg);
	b.g = calloc(1, sizeof *b.g);
	if (!b.g || !(b.g->path = strdup(path))) {
		st = geo_oom(path, err);
		goto out;
	}
	b.g->format = "shapefile";
	SHPGetInfo(shp, &n, &type, NULL, NULL);
	if (type != SHPT_POLYGON && type != SHPT_POLYGONZ &&
	    type != SHPT_POLYGONM) {
		st = diag_set(err, BRIEF_EDATA, path, 0, 0,
			      "shape type %s: boundaries must be polygons",
			      SHPTypeName(type));
		goto out;
	}
	sibling(path, "dbf", other, sizeof other);
	dbf = DBFOpenLL(other, "rb", &hooks);
	for (int i = 0; i < n && !st; i++) {
		SHPObject *o = SHPReadObject(shp, i);

		if (!o) {
			st = diag_set(err, BRIEF_EDATA, path, 0, 0,
				      "shape %d cannot be read%s%s", i,
				      *shp_msg ? ": " : "", shp_msg);
			break;
		}
		st = geo_add_feature(b.g, NULL, (size_t)i, err);
		if (!st)
			st = shp_props(b.g, dbf, i, err);
		if (!st)
			st = shp_shape(&b, o, i, &ring, &cap, err);
		SHPDestroyObject(o);
	}
	if (!st)
		st = geo_builder_finish(&b, err);
out:
	free(ring);
	if (dbf)
		DBFClose(dbf);
	SHPClose(shp);
	if (st) {
		geo_free(b.g);
		geo_builder_free(&b);
		return st;
	}
	*out = b.g;
	geo_builder_free(&b);
	return BRIEF_OK;
}
