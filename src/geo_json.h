/* geo_json.h — what the two JSON boundary readers share: geo_json.c (the
 * file, GeoJSON) and geo_topo.c (TopoJSON). The reading context keeps the
 * JSON path of what is read, for messages about values jansson parsed
 * (they have no position). Not for other modules. */
#ifndef BRIEF_GEO_JSON_H
#define BRIEF_GEO_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "geo.h"

/* A TopoJSON file's arcs, read from its text before jansson sees the rest
 * (topo_prescan). Owns pts and arcs until topojson moves them into the
 * geo. */
struct topo_arcs {
	bool read;         /* pts and arcs hold the whole "arcs" member */
	bool failed;       /* the member is not arcs: why is in err */
	bool oom;
	struct diag err;
	struct geo_xy *pts;
	size_t npts, ptcap;
	struct geo_arc *arcs;
	size_t narcs, arccap;
	size_t *at; /* per arc: the offset of its '[' in the text */
	size_t atcap;
};

/* The text jansson reads: the file's without the arcs. text NULL: the
 * file's own. An offset past `at` stood `removed` bytes later in the
 * file. */
struct topo_cut {
	char *text;
	size_t len, at, removed;
};

struct jctx {
	struct geo *g;
	struct geo_builder b;
	struct diag *err;
	char path[256];
	struct geo_xy *ring; /* scratch for one ring's points */
	size_t ringcap;
	struct topo_arcs topo;
	size_t refcap, ringscap; /* TopoJSON: of g->refs, g->rings */
};

/* BRIEF_EDATA at the file with the JSON path of what is read. */
enum brief_status gj_fail(struct jctx *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append "[i]" (key NULL) or ".key" to the path; returns the old length
 * for gj_pop. */
size_t gj_push(struct jctx *j, const char *key, size_t i);
void gj_pop(struct jctx *j, size_t n);
/* "an object", "a number", ... for messages. */
const char *gj_type_name(const json_t *v);
/* A scalar as text ("12", "12.5", "true"); NULL for null, objects and
 * arrays. buf holds numbers. */
const char *gj_scalar(const json_t *v, char *buf, size_t size);
/* A feature's "properties" object as its properties. */
enum brief_status gj_props(struct jctx *j, const json_t *props);

/* geo_topo.c. When text is a JSON object with a top-level "arcs" member,
 * read the arcs from the text itself (through jansson each number would
 * be a value of its own), decoded by the top-level "transform", and give
 * in *cut the text without them for jansson. Never fails: what it could
 * not read, jansson (not JSON) or topojson (not arcs) report. */
void topo_prescan(struct jctx *j, const char *text, size_t len,
		  struct topo_cut *cut);
/* The Topology root (jansson, with the arcs from topo_prescan): the
 * object's polygons as features of j->g. */
enum brief_status topojson(struct jctx *j, const json_t *root,
			   const char *object);
void topo_arcs_free(struct topo_arcs *a);

#endif
