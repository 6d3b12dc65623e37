/* geo_topo.c — TopoJSON boundaries. The arcs, nearly all of a file, are
 * read from the text by a small scanner of nested number arrays: through
 * jansson every number would be a value of its own (about 1,000
 * instructions each), and the scanner also knows where each position is,
 * so a bad one is reported at its line and column. jansson reads the rest
 * (objects, properties, the transform) from the text without them. */
#include "geo_json.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* ---- the text ---- */

struct scan {
	const char *text, *p, *end;
};

static void skip_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' ||
				 *s->p == '\t' || *s->p == '\r'))
		s->p++;
}

/* At a '"': past the closing one; false when the string does not end. */
static bool skip_string(struct scan *s)
{
	for (s->p++; s->p < s->end; s->p++) {
		if (*s->p == '\\')
			s->p++;
		else if (*s->p == '"') {
			s->p++;
			return true;
		}
	}
	return false;
}

/* Past one value (strings and nesting followed, nothing else checked). */
static bool skip_value(struct scan *s)
{
	int depth = 0;

	if (s->p >= s->end)
		return false;
	if (*s->p == '"')
		return skip_string(s);
	if (*s->p != '[' && *s->p != '{') {
		while (s->p < s->end && !strchr(",}] \t\r\n", *s->p))
			s->p++;
		return true;
	}
	while (s->p < s->end) {
		if (*s->p == '"') {
			if (!skip_string(s))
				return false;
			continue;
		}
		if (*s->p == '[' || *s->p == '{')
			depth++;
		else if ((*s->p == ']' || *s->p == '}') && --depth == 0) {
			s->p++;
			return true;
		}
		s->p++;
	}
	return false;
}

/* Whether the key text k[0..n) (between its quotes, escapes undone) is
 * the ASCII string want. */
static bool key_is(const char *k, size_t n, const char *want)
{
	size_t i = 0;

	for (; *want; want++) {
		unsigned c;

		if (i >= n)
			return false;
		if (k[i] != '\\') {
			c = (unsigned char)k[i++];
		} else if (i + 5 < n && k[i + 1] == 'u') {
			char hex[5] = { k[i + 2], k[i + 3], k[i + 4], k[i + 5],
					0 };

			c = (unsigned)strtoul(hex, NULL, 16);
			i += 6;
		} else if (i + 1 < n) {
			static const char from[] = "bfnrt", to[] = "\b\f\n\r\t";
			const char *e = strchr(from, k[i + 1]);

			c = (unsigned char)(e ? to[e - from] : k[i + 1]);
			i += 2;
		} else {
			return false;
		}
		if (c != (unsigned char)*want)
			return false;
	}
	return i == n;
}

/* A member's value: text[s .. e). */
struct span {
	bool found;
	size_t s, e;
};

/* A JSON number (RFC 8259 grammar) at s->p into *v; false when there is
 * none. Whole numbers of up to 15 digits are exact without strtod. */
static bool scan_number(struct scan *s, double *v)
{
	const char *p = s->p, *q = p;
	uint64_t m = 0;
	int digits = 0;
	bool whole = true;

	if (q < s->end && *q == '-')
		q++;
	if (q >= s->end || *q < '0' || *q > '9')
		return false;
	if (*q == '0') {
		q++;
		if (q < s->end && *q >= '0' && *q <= '9')
			return false; /* no leading zeros in JSON */
	}
	for (; q < s->end && *q >= '0' && *q <= '9'; q++, digits++)
		m = m * 10 + (uint64_t)(*q - '0');
	if (q < s->end && *q == '.') {
		whole = false;
		if (++q >= s->end || *q < '0' || *q > '9')
			return false;
		while (q < s->end && *q >= '0' && *q <= '9')
			q++;
	}
	if (q < s->end && (*q == 'e' || *q == 'E')) {
		whole = false;
		if (++q < s->end && (*q == '+' || *q == '-'))
			q++;
		if (q >= s->end || *q < '0' || *q > '9')
			return false;
		while (q < s->end && *q >= '0' && *q <= '9')
			q++;
	}
	if (whole && digits <= 15) {
		*v = *p == '-' ? -(double)m : (double)m;
	} else {
		char *e;

		*v = strtod(p, &e); /* the text ends in a NUL (geo_load) */
		if (e != q)
			return false;
	}
	s->p = q;
	return true;
}

/* ---- the arcs ---- */

struct topo_tf {
	bool on;
	double sx, sy, tx, ty;
};

struct arcs_scan {
	struct scan s;
	struct jctx *j;
	size_t arc, pos; /* where in the arcs, for messages */
};

/* A position of the text as line and column (code points), and the start
 * of its line. */
static void text_at(const char *text, const char *at, long *line, long *col,
		    const char **bol)
{
	*line = 1;
	*bol = text;
	for (const char *p = text; p < at; p++)
		if (*p == '\n') {
			++*line;
			*bol = p + 1;
		}
	*col = 1;
	for (const char *p = *bol; p < at; p++)
		if ((*p & 0xC0) != 0x80)
			++*col;
}

/* What an error is about: the member, an arc, or a position in it. */
enum arcs_what { IN_MEMBER, IN_ARC, IN_POSITION };

static bool arcs_fail(struct arcs_scan *a, enum arcs_what in,
		      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record why the arcs could not be read, at the scanner's position, with
 * the JSON path of the arc (and position) it was in. */
static bool arcs_fail(struct arcs_scan *a, enum arcs_what in,
		      const char *fmt, ...)
{
	struct diag *d = &a->j->topo.err;
	char msg[DIAG_MSG_MAX], path[64];
	const char *bol;
	long line, col;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (in == IN_POSITION)
		snprintf(path, sizeof path, "arcs[%zu][%zu]: ", a->arc, a->pos);
	else if (in == IN_ARC)
		snprintf(path, sizeof path, "arcs[%zu]: ", a->arc);
	else
		snprintf(path, sizeof path, "arcs: ");
	text_at(a->s.text, a->s.p, &line, &col, &bol);
	diag_set(d, BRIEF_EDATA, a->j->g->path, line, col, "%s%s", path, msg);
	/* A quote helps only while the caret can point into it. */
	if (col < DIAG_QUOTE_MAX - 40)
		diag_quote(d, bol, strcspn(bol, "\n"));
	a->j->topo.failed = true;
	return false;
}

static bool expect(struct arcs_scan *a, char c)
{
	skip_ws(&a->s);
	if (a->s.p < a->s.end && *a->s.p == c) {
		a->s.p++;
		return true;
	}
	return false;
}

/* [x, y] (further numbers, such as z, are skipped) into *out, as
 * written. */
static bool scan_position(struct arcs_scan *a, struct geo_xy *out)
{
	double extra;

	if (!expect(a, '['))
		return arcs_fail(a, IN_POSITION,
				 "a position is an array [x, y]");
	skip_ws(&a->s);
	if (!scan_number(&a->s, &out->x) || !expect(a, ','))
		return arcs_fail(a, IN_POSITION,
				 "a position is [x, y], two numbers");
	skip_ws(&a->s);
	if (!scan_number(&a->s, &out->y))
		return arcs_fail(a, IN_POSITION,
				 "a position is [x, y], two numbers");
	while (expect(a, ',')) {
		skip_ws(&a->s);
		if (!scan_number(&a->s, &extra))
			return arcs_fail(a, IN_POSITION,
					 "a position holds numbers");
	}
	if (!expect(a, ']'))
		return arcs_fail(a, IN_POSITION, "',' or ']' expected");
	return true;
}

static bool arcs_oom(struct arcs_scan *a)
{
	a->j->topo.oom = true;
	return false;
}

static bool scan_arc(struct arcs_scan *a)
{
	struct topo_arcs *t = &a->j->topo;
	const char *open;
	size_t first = t->npts;

	skip_ws(&a->s);
	open = a->s.p;
	if (!expect(a, '['))
		return arcs_fail(a, IN_ARC, "an arc is an array of positions");
	a->pos = 0;
	skip_ws(&a->s);
	if (a->s.p < a->s.end && *a->s.p == ']') {
		a->s.p = open;
		return arcs_fail(a, IN_ARC,
				 "an arc is an array of at least two "
				 "positions");
	}
	do {
		if (t->npts >= GEO_MAX_POINTS)
			return arcs_fail(a, IN_ARC,
					 "more than %d points; simplify the "
					 "file first",
					 GEO_MAX_POINTS);
		if (t->npts == t->ptcap &&
		    array_reserve(&t->pts, &t->ptcap, t->npts + 1,
				  sizeof *t->pts, 0))
			return arcs_oom(a);
		if (!scan_position(a, &t->pts[t->npts]))
			return false;
		t->npts++;
		a->pos++;
	} while (expect(a, ','));
	if (!expect(a, ']'))
		return arcs_fail(a, IN_ARC, "',' or ']' expected");
	if (t->npts - first < 2) {
		a->s.p = open;
		return arcs_fail(a, IN_ARC,
				 "an arc is an array of at least two "
				 "positions");
	}
	if (array_reserve(&t->arcs, &t->arccap, t->narcs + 1, sizeof *t->arcs,
			  0) ||
	    array_reserve(&t->at, &t->atcap, t->narcs + 1, sizeof *t->at, 0))
		return arcs_oom(a);
	t->arcs[t->narcs].first = first;
	t->arcs[t->narcs].n = t->npts - first;
	t->at[t->narcs] = (size_t)(open - a->s.text);
	t->narcs++;
	return true;
}

/* The "arcs" member's value from s->p, positions as written; s->p ends
 * past it. False when it is not arcs (why in j->topo). */
static bool scan_arcs(struct jctx *j, struct scan *s)
{
	struct arcs_scan a = { *s, j, 0, 0 };

	if (!expect(&a, '['))
		return arcs_fail(&a, IN_MEMBER,
				 "a Topology's \"arcs\" is an array of arcs");
	skip_ws(&a.s);
	if (a.s.p < a.s.end && *a.s.p == ']') {
		s->p = a.s.p + 1;
		return true;
	}
	do {
		if (!scan_arc(&a))
			return false;
		a.arc++;
	} while (expect(&a, ','));
	if (!expect(&a, ']'))
		return arcs_fail(&a, IN_MEMBER, "',' or ']' expected");
	s->p = a.s.p;
	return true;
}

/* A quantized topology's transform t into *tf; false when it is not two
 * pairs of numbers. NULL: no transform. */
static bool transform_of(const json_t *t, struct topo_tf *tf)
{
	const json_t *s = json_object_get(t, "scale");
	const json_t *tr = json_object_get(t, "translate");

	tf->on = t != NULL;
	tf->sx = tf->sy = 1;
	tf->tx = tf->ty = 0;
	if (!t)
		return true;
	if (!json_is_number(json_array_get(s, 0)) ||
	    !json_is_number(json_array_get(s, 1)) ||
	    !json_is_number(json_array_get(tr, 0)) ||
	    !json_is_number(json_array_get(tr, 1)))
		return false;
	tf->sx = json_number_value(json_array_get(s, 0));
	tf->sy = json_number_value(json_array_get(s, 1));
	tf->tx = json_number_value(json_array_get(tr, 0));
	tf->ty = json_number_value(json_array_get(tr, 1));
	return true;
}

/* The transform from its member's text, before jansson reads the rest. */
static bool read_transform(const char *text, struct span v,
			   struct topo_tf *tf)
{
	json_error_t je;
	json_t *t = NULL;
	bool ok;

	if (v.found &&
	    !(t = json_loadb(text + v.s, v.e - v.s, JSON_DECODE_ANY, &je)))
		return false;
	ok = transform_of(t, tf);
	json_decref(t);
	return ok;
}

/* Position k of arc i is not a longitude, latitude: say so where it is. */
static void decode_fail(struct jctx *j, const char *text, size_t len,
			size_t i, size_t k, struct geo_xy q)
{
	struct arcs_scan a = { { text, text + j->topo.at[i], text + len }, j,
			       i, k };
	struct geo_xy skip;

	expect(&a, '[');
	for (size_t n = 0; n < k; n++) {
		scan_position(&a, &skip);
		expect(&a, ',');
	}
	skip_ws(&a.s);
	arcs_fail(&a, IN_POSITION,
		  "position %g, %g is not a longitude, latitude (is the "
		  "topology projected?)",
		  q.x, q.y);
}

/* Positions as longitude and latitude: quantized ones are deltas from
 * the previous one in transform units. */
static bool decode_arcs(struct jctx *j, const char *text, size_t len,
			const struct topo_tf *tf)
{
	struct topo_arcs *t = &j->topo;

	for (size_t i = 0; i < t->narcs; i++) {
		struct geo_xy *p = t->pts + t->arcs[i].first, acc = { 0, 0 };

		for (size_t k = 0; k < t->arcs[i].n; k++) {
			struct geo_xy q = p[k];

			if (tf->on) {
				acc.x += q.x;
				acc.y += q.y;
				q.x = acc.x * tf->sx + tf->tx;
				q.y = acc.y * tf->sy + tf->ty;
			}
			if (!isfinite(q.x) || !isfinite(q.y) ||
			    fabs(q.x) > 180 + 1e-6 || fabs(q.y) > 90 + 1e-6) {
				decode_fail(j, text, len, i, k, q);
				return false;
			}
			p[k] = q;
		}
	}
	return true;
}

/* Whether the value at s->p is the string "Topology". */
static bool is_topology(const struct scan *s)
{
	struct scan v = *s;

	if (v.p >= v.end || *v.p != '"' || !skip_string(&v))
		return false;
	return key_is(s->p + 1, (size_t)(v.p - 1 - (s->p + 1)), "Topology");
}

/* The top level of text: the arcs read where they stand, the other
 * members skipped, the transform's span noted. False when text does not
 * scan as an object with arcs (what is wrong, jansson or topojson say). */
static bool prescan_members(struct jctx *j, const char *text, size_t len,
			    struct span *arcs, struct span *tf)
{
	struct scan s = { text, text, text + len };

	memset(arcs, 0, sizeof *arcs);
	memset(tf, 0, sizeof *tf);
	skip_ws(&s);
	if (s.p >= s.end || *s.p != '{')
		return false;
	s.p++;
	for (;;) {
		const char *k;
		size_t kn, at;
		bool ok;

		skip_ws(&s);
		if (s.p < s.end && *s.p == '}')
			return arcs->found;
		if (s.p >= s.end || *s.p != '"')
			return false;
		k = s.p + 1;
		if (!skip_string(&s))
			return false;
		kn = (size_t)(s.p - 1 - k);
		skip_ws(&s);
		if (s.p >= s.end || *s.p != ':')
			return false;
		s.p++;
		skip_ws(&s);
		at = (size_t)(s.p - text);
		/* A GeoJSON file says so first, as a rule: no need to read
		 * on through its features. */
		if (key_is(k, kn, "type") && !is_topology(&s))
			return false;
		if (!arcs->found && key_is(k, kn, "arcs")) {
			arcs->found = true;
			arcs->s = at;
			ok = scan_arcs(j, &s);
			arcs->e = (size_t)(s.p - text);
		} else {
			ok = skip_value(&s);
			if (!tf->found && key_is(k, kn, "transform")) {
				tf->found = true;
				tf->s = at;
				tf->e = (size_t)(s.p - text);
			}
		}
		if (!ok)
			return false;
		skip_ws(&s);
		if (s.p < s.end && *s.p == ',')
			s.p++;
		else
			return arcs->found && s.p < s.end && *s.p == '}';
	}
}

void topo_prescan(struct jctx *j, const char *text, size_t len,
		  struct topo_cut *cut)
{
	struct span arcs, tf;
	struct topo_tf t;
	char *c;

	memset(cut, 0, sizeof *cut);
	if (!prescan_members(j, text, len, &arcs, &tf) ||
	    !read_transform(text, tf, &t)) {
		/* Keep the whole text: if it is not JSON, jansson says
		 * where; if it is, topojson says what is wrong. */
		j->topo.npts = j->topo.narcs = 0;
		return;
	}
	j->topo.read = decode_arcs(j, text, len, &t);
	/* The text without the arcs, "arcs": [] in their place. */
	c = malloc(len - (arcs.e - arcs.s) + 3);
	if (!c) {
		j->topo.oom = true;
		return;
	}
	memcpy(c, text, arcs.s);
	memcpy(c + arcs.s, "[]", 2);
	memcpy(c + arcs.s + 2, text + arcs.e, len - arcs.e + 1);
	cut->text = c;
	cut->len = len - (arcs.e - arcs.s) + 2;
	cut->at = arcs.s + 2;
	cut->removed = arcs.e - arcs.s - 2;
}

void topo_arcs_free(struct topo_arcs *a)
{
	free(a->pts);
	free(a->arcs);
	free(a->at);
	memset(a, 0, sizeof *a);
}

/* ---- objects ---- */

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
		return gj_fail(j, "a ring is a non-empty array of arc indices");
	if (array_reserve(&g->refs, &j->refcap, g->nrefs + n, sizeof *g->refs,
			  0) ||
	    array_reserve(&g->rings, &j->ringscap, g->nrings + 1,
			  sizeof *g->rings, 0))
		return geo_oom(g->path, j->err);
	refs = g->refs;
	for (size_t k = 0; k < n; k++) {
		const json_t *v = json_array_get(ring, k);
		json_int_t a = json_is_integer(v) ? json_integer_value(v) : 0;
		long ref = (long)a;

		if (!json_is_integer(v) || (a >= 0 && (size_t)a >= g->narcs) ||
		    (a < 0 && (size_t)~a >= g->narcs)) {
			gj_push(j, NULL, k);
			if (!json_is_integer(v))
				return gj_fail(j, "an arc index is an integer, "
					       "not %s", gj_type_name(v));
			return gj_fail(j, "arc index %lld is out of range: the "
				       "topology has %zu arcs",
				       (long long)a, g->narcs);
		}
		if (k > 0 &&
		    !near_xy(arc_end(g, refs[g->nrefs + k - 1], true),
			     arc_end(g, ref, false))) {
			gj_push(j, NULL, k);
			return gj_fail(j, "this arc does not start where the "
				       "ring's previous arc ends");
		}
		refs[g->nrefs + k] = ref;
	}
	if (!near_xy(arc_end(g, refs[g->nrefs + n - 1], true),
		     arc_end(g, refs[g->nrefs], false)))
		return gj_fail(j, "the ring's arcs do not close");
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
		return gj_fail(j, "a Polygon's arcs are an array of rings");
	for (size_t i = 0; i < json_array_size(rings); i++) {
		size_t at = gj_push(j, NULL, i);

		st = tring(j, json_array_get(rings, i), i > 0);
		if (st)
			return st;
		gj_pop(j, at);
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
		return gj_fail(j, "a geometry is an object");
	if (!t || (strcmp(t, "Polygon") != 0 && strcmp(t, "MultiPolygon") != 0))
		return BRIEF_OK; /* points, lines and empty geometry */
	st = geo_add_feature(j->g, id ? gj_scalar(id, buf, sizeof buf) : NULL,
			     index, j->err);
	if (!st)
		st = gj_props(j, json_object_get(geom, "properties"));
	if (st)
		return st;
	at = gj_push(j, "arcs", 0);
	if (strcmp(t, "Polygon") == 0)
		return tpolygon(j, arcs);
	if (!json_is_array(arcs))
		return gj_fail(j, "a MultiPolygon's arcs are an array of "
			       "polygons");
	for (size_t i = 0; i < json_array_size(arcs); i++) {
		size_t a2 = gj_push(j, NULL, i);

		st = tpolygon(j, json_array_get(arcs, i));
		if (st)
			return st;
		gj_pop(j, a2);
	}
	gj_pop(j, at);
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

/* The named object, or the first that holds polygons. */
static enum brief_status find_object(struct jctx *j, const json_t *objects,
				     const char *object, const json_t **obj,
				     const char **name)
{
	const char *key;
	json_t *v;

	if (object) {
		*obj = json_object_get(objects, object);
		*name = object;
		if (!*obj)
			return gj_fail(j, "no object '%s' in the topology",
				       object);
		return BRIEF_OK;
	}
	json_object_foreach((json_t *)objects, key, v) {
		if (has_polygons(v)) {
			*obj = v;
			*name = key;
			return BRIEF_OK;
		}
	}
	return gj_fail(j, "the topology has no object with polygons");
}

/* The arcs topo_prescan read, now the geo's. */
static enum brief_status take_arcs(struct jctx *j)
{
	struct topo_arcs *t = &j->topo;
	struct geo *g = j->g;

	if (t->oom)
		return geo_oom(g->path, j->err);
	if (t->failed) {
		if (j->err)
			*j->err = t->err;
		return BRIEF_EDATA;
	}
	if (!t->read)
		return gj_fail(j, "a Topology needs an \"arcs\" array");
	g->pts = t->pts;
	g->npts = t->npts;
	g->arcs = t->arcs;
	g->narcs = t->narcs;
	t->pts = NULL;
	t->arcs = NULL;
	return BRIEF_OK;
}

enum brief_status topojson(struct jctx *j, const json_t *root,
			   const char *object)
{
	const json_t *objects = json_object_get(root, "objects");
	const json_t *obj = NULL, *gs;
	const char *name = NULL;
	struct topo_tf tf;
	enum brief_status st;

	j->g->format = "TopoJSON";
	if (!json_is_object(objects))
		return gj_fail(j, "a Topology needs an \"objects\" object");
	if (!transform_of(json_object_get(root, "transform"), &tf)) {
		snprintf(j->path, sizeof j->path, "transform");
		return gj_fail(j, "a transform has \"scale\" and "
			       "\"translate\", two numbers each");
	}
	if ((st = find_object(j, objects, object, &obj, &name)) ||
	    (st = take_arcs(j)))
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
