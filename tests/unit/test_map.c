/* test_map.c — maps: GeoJSON, TopoJSON and shapefile boundaries as one
 * topology, the projection (against PROJ's figures, points inside their
 * polygons, areas kept), the antimeridian, simplification and clipping,
 * layers joined to the fictional Orvania fixtures (tests/maps), and the
 * errors with their exact messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cairo.h>
#include <math.h>
#include <shapefil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "geo.h"
#include "geo_project.h"
#include "map.h"

#define ORV "tests/maps/data/geo/orvania-adm1.geojson"
#define ORV_TOPO "tests/maps/data/geo/orvania-adm1.topo.json"
#define ORV_DATA "tests/maps/data"

static const struct geo_feature *feature_named(const struct geo *g,
					       const char *name)
{
	for (size_t i = 0; i < g->nfeatures; i++) {
		const char *n = geo_prop(&g->features[i], "name");

		if (n && strcmp(n, name) == 0)
			return &g->features[i];
	}
	return NULL;
}

/* ---- the area of a ring on the ellipsoid, independently ---- */

/* The area element of WGS 84, M(phi) N(phi) cos(phi), integrated from the
 * equator by Simpson's rule: the area of a 1-radian-wide band. */
static double band(double phi)
{
	const double a = 6378137, f = 1 / 298.257223563, e2 = f * (2 - f);
	const int n = 200;
	double h = phi / n, s = 0;

	for (int i = 0; i <= n; i++) {
		double p = h * i, w = sin(p), q = 1 - e2 * w * w;
		double el = a * a * (1 - e2) / (q * q) * cos(p);

		s += el * (i == 0 || i == n ? 1 : i % 2 ? 4 : 2);
	}
	return s * h / 3;
}

/* Ellipsoidal area of a closed lon/lat ring, edges straight in lon/lat. */
static double ellipsoid_area(const struct geo_xy *p, size_t n)
{
	const double deg = 3.14159265358979323846 / 180;
	double a = 0;

	for (size_t i = 0; i + 1 < n; i++)
		for (int k = 0; k < 8; k++) {
			double t0 = k / 8.0, t1 = (k + 1) / 8.0;
			double phi = (p[i].y + (p[i + 1].y - p[i].y) *
						       (t0 + t1) / 2) * deg;

			a += band(phi) * (p[i + 1].x - p[i].x) * (t1 - t0) * deg;
		}
	return fabs(a);
}

/* Plane area of a feature's rings (holes subtract: even-odd over nested
 * rings, as the fixtures are). */
static double feature_area(const struct geo *g, const struct geo_feature *f,
			   const struct geo_proj *proj, bool ellipsoid)
{
	struct geo_xy *buf = NULL;
	size_t cap = 0;
	double total = 0;

	for (size_t r = f->first_ring; r < f->first_ring + f->nrings; r++) {
		size_t n = geo_ring_points(g, &g->rings[r], g->pts, NULL, NULL,
					   &buf, &cap);
		double a;

		if (ellipsoid) {
			a = ellipsoid_area(buf, n);
		} else {
			for (size_t i = 0; i < n; i++)
				buf[i] = geo_project(proj, buf[i]);
			a = fabs(geo_ring_area2(buf, n)) / 2;
		}
		total += g->rings[r].hole ? -a : a;
	}
	free(buf);
	return total;
}

/* Whether lon/lat q is inside feature f after projection (even-odd over
 * its rings). */
static bool inside_projected(const struct geo *g, const struct geo_feature *f,
			     const struct geo_proj *proj, double lon,
			     double lat)
{
	struct geo_xy *buf = NULL, ll = { lon, lat }, q;
	size_t cap = 0;
	bool in = false;

	q = geo_project(proj, ll);
	for (size_t r = f->first_ring; r < f->first_ring + f->nrings; r++) {
		size_t n = geo_ring_points(g, &g->rings[r], g->pts, NULL, NULL,
					   &buf, &cap);

		for (size_t i = 0; i < n; i++)
			buf[i] = geo_project(proj, buf[i]);
		if (geo_inside(buf, n, q))
			in = !in;
	}
	free(buf);
	return in;
}

/* ---- geometry ---- */

static void test_geojson_topology(void **state)
{
	struct geo *g;
	struct diag d;
	size_t *uses;

	(void)state;
	assert_int_equal(geo_load(ORV, NULL, &g, &d), BRIEF_OK);
	assert_string_equal(g->format, "GeoJSON");
	assert_int_equal(g->nfeatures, 5);
	assert_string_equal(geo_prop(&g->features[1], "pcode"), "OR02");
	assert_string_equal(geo_prop(&g->features[1], "id"), "OR02");
	assert_string_equal(geo_prop(&g->features[4], "name"), "Mirél");
	/* Numbers keep their JSON text. */
	assert_string_equal(geo_prop(&g->features[0], "pop_2020"), "225000");
	assert_null(geo_prop(&g->features[0], "nope"));
	/* The rings were cut where borders meet: four coasts, four inner
	 * borders, the enclave and the island, each once. */
	assert_int_equal(g->narcs, 10);
	uses = calloc(g->narcs, sizeof *uses);
	for (size_t r = 0; r < g->nrings; r++)
		for (size_t k = 0; k < g->rings[r].n; k++) {
			long ref = g->refs[g->rings[r].first + k];

			uses[ref >= 0 ? ref : ~ref]++;
		}
	{
		size_t shared = 0;

		for (size_t a = 0; a < g->narcs; a++) {
			assert_true(uses[a] == 1 || uses[a] == 2);
			shared += uses[a] == 2;
		}
		/* Four inner borders and the enclave's ring. */
		assert_int_equal(shared, 5);
	}
	free(uses);
	/* Brask has a hole (Mirél), Aderre two parts. */
	assert_int_equal(feature_named(g, "Brask")->nrings, 2);
	assert_true(g->rings[feature_named(g, "Brask")->first_ring + 1].hole);
	assert_int_equal(feature_named(g, "Aderre")->nrings, 2);
	geo_free(g);
}

static void test_topojson_matches_geojson(void **state)
{
	struct geo *gj, *tj;
	struct diag d;
	struct geo_proj p;

	(void)state;
	assert_int_equal(geo_load(ORV, NULL, &gj, &d), BRIEF_OK);
	assert_int_equal(geo_load(ORV_TOPO, NULL, &tj, &d), BRIEF_OK);
	assert_string_equal(tj->format, "TopoJSON");
	assert_int_equal(tj->nfeatures, 5);
	assert_int_equal(tj->narcs, 10);
	geo_proj_init(&p, -17.5, -29);
	for (size_t i = 0; i < 5; i++) {
		const char *name = geo_prop(&gj->features[i], "name");
		double a = feature_area(gj, &gj->features[i], &p, false);
		double b = feature_area(tj, feature_named(tj, name), &p, false);

		/* Quantized to 1/100000 of the extent. */
		assert_true(fabs(a - b) / a < 1e-3);
	}
	/* A named object; an unknown one is an error. */
	geo_free(tj);
	assert_int_equal(geo_load(ORV_TOPO, "provinces", &tj, &d), BRIEF_OK);
	geo_free(tj);
	assert_int_equal(geo_load(ORV_TOPO, "districts", &tj, &d), BRIEF_EDATA);
	assert_string_equal(d.msg, "no object 'districts' in the topology");
	geo_free(gj);
}

/* Known values from PROJ 9.1.1: `proj +proj=laea +lat_0=40 +lon_0=46
 * +ellps=WGS84` and the same at lat_0=-17, lon_0=180. */
static void test_projection_matches_proj(void **state)
{
	static const struct {
		double lon0, lat0, lon, lat, x, y;
	} known[] = {
		{ 46, 40, 46.75, 39.82, 64212.0762, -19717.1201 },
		{ 46, 40, 44.4991, 40.1792, -127824.3912, 20970.6642 },
		{ 46, 40, 49.8671, 40.4093, 328111.3611, 52555.0114 },
		{ 46, 40, 30, 55, -1024136.6071, 1762131.6672 },
		{ 46, 40, 60, 20, 1480515.9046, -2102263.8597 },
		{ 180, -17, 179.9, -16.9, -10654.2050, 11064.1783 },
		{ 180, -17, -179.9, -16.9, 10654.2050, 11064.1783 },
		{ 180, -17, -179.2, -16.2, 85542.2897, 88360.0928 },
		{ -17.5, -29, -18.8, -28.2, -127630.3788, 87969.2411 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
		struct geo_proj p;
		struct geo_xy ll = { known[i].lon, known[i].lat }, q;

		geo_proj_init(&p, known[i].lon0, known[i].lat0);
		q = geo_project(&p, ll);
		assert_true(fabs(q.x - known[i].x) < 1e-3);
		assert_true(fabs(q.y - known[i].y) < 1e-3);
	}
}

static void test_points_inside_their_polygons(void **state)
{
	static const struct {
		const char *town, *province;
		double lon, lat;
	} towns[] = {
		{ "Lumenburg", "Lumen", -18.85, -28.25 },
		{ "Dorn", "Brask", -16.0, -27.75 },
		{ "Mirél town", "Mirél", -16.45, -28.15 },
		{ "Kessa", "Tessal", -18.6, -30.0 },
		{ "Harbour", "Aderre", -16.3, -29.9 },
		{ "Pell", "Aderre", -14.55, -30.25 },
	};
	struct geo *g;
	struct diag d;
	struct geo_proj p;
	struct geo_extent e;

	(void)state;
	assert_int_equal(geo_load(ORV, NULL, &g, &d), BRIEF_OK);
	assert_true(geo_extent_of(g->pts, g->npts, &e));
	geo_proj_for_extent(&p, &e);
	for (size_t i = 0; i < sizeof towns / sizeof *towns; i++)
		for (size_t f = 0; f < g->nfeatures; f++) {
			const char *name = geo_prop(&g->features[f], "name");
			bool want = strcmp(name, towns[i].province) == 0;

			if (inside_projected(g, &g->features[f], &p,
					     towns[i].lon, towns[i].lat) != want)
				fail_msg("%s: inside %s is %s", towns[i].town,
					 name, want ? "false" : "true");
		}
	geo_free(g);
}

static void test_area_within_one_percent(void **state)
{
	struct geo *g;
	struct diag d;
	struct geo_proj p;
	struct geo_extent e;

	(void)state;
	assert_int_equal(geo_load(ORV, NULL, &g, &d), BRIEF_OK);
	assert_true(geo_extent_of(g->pts, g->npts, &e));
	geo_proj_for_extent(&p, &e);
	for (size_t f = 0; f < g->nfeatures; f++) {
		double truth = feature_area(g, &g->features[f], &p, true);
		double plane = feature_area(g, &g->features[f], &p, false);

		/* Equal-area: the plane area is the ellipsoid's (to the
		 * edges' straightness), far inside 1 %. */
		assert_true(fabs(plane - truth) / truth < 1e-3);
	}
	/* Brask (with its hole) is about 48,000 km2 by the fixture's
	 * construction: a sanity check on the units. */
	{
		double a = feature_area(g, feature_named(g, "Brask"), &p, true);

		assert_true(a > 3e10 && a < 6e10);
	}
	/* After simplification for print (483 pt wide, 0.4 pt), within 1 %. */
	{
		const struct geo_feature *f = feature_named(g, "Lumen");
		struct geo_xy *buf = NULL;
		size_t cap = 0, n = geo_ring_points(g, &g->rings[f->first_ring],
						    g->pts, NULL, NULL, &buf,
						    &cap);
		double s, x0 = 1e300, x1 = -1e300, before, after = 0;
		bool *keep = calloc(n, sizeof *keep);
		struct geo_xy *kept = malloc(n * sizeof *kept);
		size_t k = 0;

		for (size_t i = 0; i < g->npts; i++) {
			struct geo_xy q = geo_project(&p, g->pts[i]);

			x0 = fmin(x0, q.x);
			x1 = fmax(x1, q.x);
		}
		s = 483 / (x1 - x0); /* pt per metre */
		for (size_t i = 0; i < n; i++) {
			buf[i] = geo_project(&p, buf[i]);
			buf[i].x *= s;
			buf[i].y *= s;
		}
		before = fabs(geo_ring_area2(buf, n));
		assert_true(geo_simplify(buf, n, 0.4 * 0.4, keep) < n);
		for (size_t i = 0; i < n; i++)
			if (keep[i])
				kept[k++] = buf[i];
		after = fabs(geo_ring_area2(kept, k));
		assert_true(fabs(after - before) / before < 0.01);
		free(buf);
		free(keep);
		free(kept);
	}
	geo_free(g);
}

static void test_antimeridian(void **state)
{
	struct geo *g;
	struct diag d;
	struct geo_extent e;
	struct geo_proj p;
	struct geo_xy w = { 179.99, -16.9 }, east = { -179.99, -16.9 };

	(void)state;
	assert_int_equal(geo_load("tests/maps/data/geo/tafua.geojson", NULL, &g,
				  &d),
			 BRIEF_OK);
	assert_true(geo_extent_of(g->pts, g->npts, &e));
	/* The short way round: from 179.4 E to 179.1 W, 1.5 degrees. */
	assert_true(e.west > e.east);
	assert_true(fabs(e.west - 179.4) < 1e-9);
	assert_true(geo_extent_width(&e) < 1.6);
	assert_true(geo_extent_contains(&e, w));
	assert_true(geo_extent_contains(&e, east));
	geo_proj_for_extent(&p, &e);
	assert_true(fabs(fabs(p.lon0) - 179.85) < 0.05);
	/* Both sides of the cut meet: 0.02 degrees apart, 2 km. */
	{
		struct geo_xy a = geo_project(&p, w), b = geo_project(&p, east);

		assert_true(hypot(a.x - b.x, a.y - b.y) < 2500);
	}
	/* Great Tafua's two halves keep the whole island's area. */
	{
		double truth = feature_area(g, &g->features[0], &p, true);
		double plane = feature_area(g, &g->features[0], &p, false);

		assert_true(fabs(plane - truth) / truth < 0.01);
	}
	/* An extent that does not cross keeps west < east. */
	{
		struct geo_xy pts[2] = { { 10, 0 }, { 20, 5 } };

		assert_true(geo_extent_of(pts, 2, &e));
		assert_true(e.west == 10 && e.east == 20);
	}
	geo_free(g);
}

static void test_simplify_and_clip(void **state)
{
	struct geo_xy line[5] = { { 0, 0 }, { 1, 0.01 }, { 2, 0 }, { 3, 0.01 },
				  { 4, 0 } };
	struct geo_xy sq[5] = { { 0, 0 }, { 10, 0 }, { 10, 10 }, { 0, 10 },
				{ 0, 0 } };
	bool keep[5];
	struct geo_xy *out = NULL, a = { -5, 5 }, b = { 15, 5 };
	size_t cap = 0, n;

	(void)state;
	/* A nearly straight line keeps only its ends. */
	assert_int_equal(geo_simplify(line, 5, 0.5, keep), 2);
	assert_true(keep[0] && keep[4] && !keep[2]);
	/* A closed ring keeps four points, whatever the tolerance. */
	assert_int_equal(geo_simplify(sq, 5, 1e9, keep), 4);
	/* Nothing goes below the tolerance: a big triangle stays. */
	assert_int_equal(geo_simplify(line, 5, 0.001, keep), 5);
	/* Clipping a square to its right half halves its area. */
	n = geo_clip_ring(sq, 5, 5, -1, 20, 20, &out, &cap);
	assert_true(n >= 5);
	assert_true(fabs(fabs(geo_ring_area2(out, n)) - 100) < 1e-9);
	/* Entirely outside: nothing. */
	assert_int_equal(geo_clip_ring(sq, 5, 20, 20, 30, 30, &out, &cap), 0);
	assert_true(geo_clip_segment(&a, &b, 0, 0, 10, 10));
	assert_true(a.x == 0 && b.x == 10 && a.y == 5);
	a.x = 20;
	b.x = 30;
	assert_false(geo_clip_segment(&a, &b, 0, 0, 10, 10));
	/* A hatch line across the square: one inside stretch. */
	{
		double *t = NULL;
		size_t nt = 0, tc = 0;
		struct geo_xy o = { -5, 3 }, d = { 1, 0 };

		assert_true(geo_line_crossings(sq, 5, o, d, &t, &nt, &tc));
		assert_int_equal(nt, 2);
		free(t);
	}
	free(out);
}

/* A shapefile written with shapelib and read back. */
static void test_shapefile(void **state)
{
	char dir[] = "/tmp/brief-shp-XXXXXX", path[64], prj[64];
	double x1[] = { 10, 10, 12, 12, 10, 10.5, 11.5, 11.5, 10.5, 10.5 };
	double y1[] = { 50, 52, 52, 50, 50, 50.5, 50.5, 51.5, 51.5, 50.5 };
	int parts[] = { 0, 5 };
	SHPHandle h;
	DBFHandle dbf;
	SHPObject *o;
	struct geo *g;
	struct diag d;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/adm.shp", dir);
	h = SHPCreate(path, SHPT_POLYGON);
	dbf = DBFCreate(path);
	assert_non_null(h);
	assert_non_null(dbf);
	DBFAddField(dbf, "ADM1_PCODE", FTString, 10, 0);
	DBFAddField(dbf, "ADM1_NAME", FTString, 30, 0);
	/* Outer ring clockwise, hole counter-clockwise (shapefile order). */
	o = SHPCreateObject(SHPT_POLYGON, -1, 2, parts, NULL, 10, x1, y1, NULL,
			    NULL);
	SHPWriteObject(h, -1, o);
	SHPDestroyObject(o);
	DBFWriteStringAttribute(dbf, 0, 0, "XX01");
	/* Latin-1, as old DBF files often are: "Qué" */
	DBFWriteStringAttribute(dbf, 0, 1, "Qu\xe9");
	SHPClose(h);
	DBFClose(dbf);
	assert_int_equal(geo_load(path, NULL, &g, &d), BRIEF_OK);
	assert_string_equal(g->format, "shapefile");
	assert_int_equal(g->nfeatures, 1);
	assert_string_equal(geo_prop(&g->features[0], "ADM1_PCODE"), "XX01");
	assert_string_equal(geo_prop(&g->features[0], "ADM1_NAME"), "Qué");
	assert_int_equal(g->features[0].nrings, 2);
	assert_false(g->rings[0].hole);
	assert_true(g->rings[1].hole);
	geo_free(g);
	/* A projected shapefile is refused, naming its .prj. */
	snprintf(prj, sizeof prj, "%s/adm.prj", dir);
	f = fopen(prj, "w");
	fputs("PROJCS[\"WGS_1984_UTM_Zone_38N\",GEOGCS[\"GCS_WGS_1984\"]]", f);
	fclose(f);
	assert_int_equal(geo_load(path, NULL, &g, &d), BRIEF_EDATA);
	assert_string_equal(d.file, prj);
	assert_true(strstr(d.msg, "the shapefile is projected") == d.msg);
	unlink(prj);
	snprintf(prj, sizeof prj, "%s/adm.shx", dir);
	unlink(prj);
	snprintf(prj, sizeof prj, "%s/adm.dbf", dir);
	unlink(prj);
	unlink(path);
	rmdir(dir);
}

/* ---- bad boundary files ---- */

static enum brief_status load_text(const char *text, struct diag *d,
				   char *path, size_t size)
{
	struct geo *g = NULL;
	enum brief_status st;
	FILE *f;
	int fd;

	snprintf(path, size, "/tmp/brief-geo-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	st = geo_load(path, NULL, &g, d);
	geo_free(g);
	unlink(path);
	return st;
}

static void test_geometry_errors(void **state)
{
	struct diag d;
	char path[64];
	struct geo *g;

	(void)state;
	assert_int_equal(load_text("{\"type\": \"FeatureCollection\",\n"
				   " \"features\": [\n"
				   "  {\"type\": \"Feature\" \"geometry\": null}]}\n",
				   &d, path, sizeof path),
			 BRIEF_EDATA);
	assert_string_equal(d.file, path);
	assert_int_equal(d.line, 3);
	assert_int_equal(d.col, 31);
	assert_string_equal(d.msg,
			    "bad JSON: '}' expected near '\"geometry\"'");

	assert_int_equal(
		load_text("{\"type\":\"FeatureCollection\",\"features\":[{"
			  "\"type\":\"Feature\",\"properties\":{},\"geometry\":"
			  "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],"
			  "[500000,0],[1,1],[0,0]]]}}]}",
			  &d, path, sizeof path),
		BRIEF_EDATA);
	assert_string_equal(d.msg,
			    "features[0].geometry.coordinates[0][1]: longitude "
			    "500000 is outside -180..180: boundaries must be "
			    "WGS 84 longitude, latitude (is the file "
			    "projected?)");

	assert_int_equal(
		load_text("{\"type\":\"Feature\",\"geometry\":{\"type\":"
			  "\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],"
			  "[1,1],[0,0]]],[[[5,5],[6,5],[5,5]]]]}}",
			  &d, path, sizeof path),
		BRIEF_EDATA);
	assert_string_equal(d.msg,
			    "geometry.coordinates[1][0]: a ring needs at least "
			    "3 distinct positions (and the first repeated at "
			    "the end), found 2");

	assert_int_equal(load_text("{\"type\":\"Feature\",\"geometry\":{\"type\":"
				   "\"LineString\",\"coordinates\":[[0,0],[1,1]]}}",
				   &d, path, sizeof path),
			 BRIEF_EDATA);
	assert_string_equal(d.msg, "geometry: geometry type LineString: "
				   "boundaries must be Polygon or "
				   "MultiPolygon");

	assert_int_equal(
		load_text("{\"type\":\"FeatureCollection\",\"crs\":{\"type\":"
			  "\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:"
			  "EPSG::32638\"}},\"features\":[]}",
			  &d, path, sizeof path),
		BRIEF_EDATA);
	assert_string_equal(d.msg,
			    "the file's coordinate system is "
			    "urn:ogc:def:crs:EPSG::32638; brief reads WGS 84 "
			    "longitude, latitude (EPSG:4326): reproject it "
			    "first");

	assert_int_equal(
		load_text("{\"type\":\"Topology\",\"objects\":{\"a\":{\"type\":"
			  "\"GeometryCollection\",\"geometries\":[{\"type\":"
			  "\"Polygon\",\"arcs\":[[0,7]]}]}},\"arcs\":[[[0,0],"
			  "[1,0],[1,1],[0,0]]]}",
			  &d, path, sizeof path),
		BRIEF_EDATA);
	assert_string_equal(d.msg, "objects.a.geometries[0].arcs[0][1]: arc "
				   "index 7 is out of range: the topology has 1 "
				   "arcs");

	assert_int_equal(load_text("[1, 2]", &d, path, sizeof path),
			 BRIEF_EDATA);
	assert_string_equal(d.msg, "not GeoJSON or TopoJSON: the top level "
				   "needs a \"type\"");

	assert_int_equal(geo_load("tests/maps/data/geo/none.geojson", NULL, &g,
				  &d),
			 BRIEF_EDATA);
	assert_string_equal(d.msg, "no such boundary file");
}

/* TopoJSON arcs are read from the text: quantized or not, the transform
 * before or after them, errors at their line and column, and jansson's
 * own errors still where they are in the file. */
static void test_topojson_arcs(void **state)
{
	static const char quantized[] =
		"{\"type\":\"Topology\",\n"
		" \"objects\":{\"a\":{\"type\":\"Polygon\",\"properties\":"
		"{\"name\":\"T\"},\"arcs\":[[0]]}},\n"
		" \"arcs\":[[[0,0],[10,0],[0,10],[-10,-10]]],\n"
		" \"transform\":{\"scale\":[0.5,0.25],\"translate\":[10,20]}}\n";
	static const char plain[] =
		"{\"type\":\"Topology\",\"objects\":{\"a\":{\"type\":"
		"\"Polygon\",\"arcs\":[[0]]}},\"arcs\":[ [ [10.5, 20] , "
		"[11e0,20,3], [11,2.1E1],[10.5,2e1]],[[1,-0.0e1],[2,2]] ]}";
	static const char bad_position[] =
		"{\"type\":\"Topology\",\"objects\":{\"a\":{\"type\":"
		"\"Polygon\",\"arcs\":[[0]]}},\n\"arcs\":[[[0,0],\n"
		"  [1,\"x\"],[0,0]]]}";
	static const char projected[] =
		"{\"type\":\"Topology\",\"objects\":{\"a\":{\"type\":"
		"\"Polygon\",\"arcs\":[[0]]}},\n\"arcs\":[[[0,0],[1,1]],\n"
		" [[500000,0],[1,1],[0,1],[500000,0]]]}";
	static const char syntax_in_arcs[] =
		"{\"type\":\"Topology\",\"objects\":{},\n"
		"\"arcs\":[[[0,0],[1,1],]]}";
	static const char syntax_after[] =
		"{\"type\":\"Topology\",\"arcs\":[[[0,0],[1,0],[1,1],[0,0]]],"
		"\"objects\":{\"a\":{\"type\":\"Polygon\",\"arcs\":[[0]]}} x}";
	char path[64];
	struct diag d;
	struct geo *g = NULL;
	FILE *f;
	int fd;

	(void)state;
	snprintf(path, sizeof path, "/tmp/brief-geo-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(quantized, f);
	fclose(f);
	assert_int_equal(geo_load(path, NULL, &g, &d), BRIEF_OK);
	assert_int_equal(g->npts, 4);
	assert_true(g->pts[1].x == 15 && g->pts[1].y == 20);
	assert_true(g->pts[2].x == 15 && g->pts[2].y == 22.5);
	assert_true(g->pts[3].x == 10 && g->pts[3].y == 20);
	assert_string_equal(geo_prop(&g->features[0], "name"), "T");
	geo_free(g);
	f = fopen(path, "w");
	fputs(plain, f);
	fclose(f);
	assert_int_equal(geo_load(path, NULL, &g, &d), BRIEF_OK);
	assert_int_equal(g->narcs, 2);
	assert_int_equal(g->npts, 6);
	assert_true(g->pts[1].x == 11 && g->pts[2].y == 21);
	assert_true(g->pts[3].y == 20 && g->pts[4].y == 0 && g->pts[5].x == 2);
	geo_free(g);
	unlink(path);

	assert_int_equal(load_text(bad_position, &d, path, sizeof path),
			 BRIEF_EDATA);
	assert_int_equal(d.line, 3);
	assert_int_equal(d.col, 6);
	assert_string_equal(d.msg,
			    "arcs[0][1]: a position is [x, y], two numbers");
	assert_string_equal(d.quote, "  [1,\"x\"],[0,0]]]}");

	assert_int_equal(load_text(projected, &d, path, sizeof path),
			 BRIEF_EDATA);
	assert_int_equal(d.line, 3);
	assert_int_equal(d.col, 3);
	assert_string_equal(d.msg, "arcs[1][0]: position 500000, 0 is not a "
				   "longitude, latitude (is the topology "
				   "projected?)");

	assert_int_equal(load_text(syntax_in_arcs, &d, path, sizeof path),
			 BRIEF_EDATA);
	assert_int_equal(d.line, 2);
	assert_int_equal(strncmp(d.msg, "bad JSON: ", 10), 0);

	assert_int_equal(load_text(syntax_after, &d, path, sizeof path),
			 BRIEF_EDATA);
	assert_int_equal(d.line, 1);
	assert_int_equal(d.col, strchr(syntax_after, 'x') - syntax_after + 1);
	assert_int_equal(strncmp(d.msg, "bad JSON: ", 10), 0);
}

/* ---- maps over the Orvania fixtures ---- */

struct fixture {
	struct chart_spec cs;
	struct map_spec ms;
	struct sources src;
	struct palette *pal;
	struct map *m;
};

static struct map_layer *add_layer(struct fixture *fx, enum map_layer_kind k,
				   const char *dataset)
{
	struct map_layer *l;

	fx->ms.layers = realloc(fx->ms.layers,
				(fx->ms.nlayers + 1) * sizeof *fx->ms.layers);
	l = &fx->ms.layers[fx->ms.nlayers++];
	memset(l, 0, sizeof *l);
	l->kind = k;
	l->dataset = dataset ? strdup(dataset) : NULL;
	l->at.line = 20;
	l->at.col = 5;
	return l;
}

static void fixture_init(struct fixture *fx, const char *boundaries)
{
	struct diag d;

	memset(fx, 0, sizeof *fx);
	fx->cs.id = strdup("m");
	fx->cs.type = CHART_MAP;
	fx->cs.file = "layout.md";
	fx->cs.at.line = 10;
	fx->cs.at.col = 1;
	fx->cs.title = strdup("Orvania");
	fx->ms.boundaries = strdup(boundaries);
	fx->ms.at_boundaries.line = 12;
	fx->ms.at_boundaries.col = 13;
	fx->ms.boundary_source = strdup("Invented boundaries");
	fx->ms.key = strdup("pcode");
	fx->cs.map = &fx->ms;
	fx->pal = palette_new();
	assert_int_equal(sources_load(ORV_DATA, &fx->src, NULL, &d), BRIEF_OK);
}

static enum brief_status fixture_run(struct fixture *fx, struct diag *d)
{
	enum brief_status st = map_new(&fx->cs, &fx->src, fx->pal, &fx->m, d);

	return st ? st : map_collect(fx->m, ORV_DATA, d);
}

static void fixture_free(struct fixture *fx)
{
	map_free(fx->m);
	fx->cs.map = NULL;
	map_spec_free(&fx->ms);
	chart_spec_free(&fx->cs);
	sources_free(&fx->src);
	palette_free(fx->pal);
}

static void test_choropleth(void **state)
{
	struct fixture fx;
	struct diag d;
	struct map_layer *l;

	(void)state;
	fixture_init(&fx, "geo/orvania-adm1.geojson");
	l = add_layer(&fx, MAP_CHOROPLETH, "displacement");
	l->join = strdup("adm1_pcode");
	l->classes[0] = 1000;
	l->classes[1] = 5000;
	l->classes[2] = 10000;
	l->nclasses = 3;
	assert_int_equal(fixture_run(&fx, &d), BRIEF_OK);
	assert_string_equal(map_source_line(fx.m),
			    "Sources: Relief Coordination Office; Coastal "
			    "Monitoring Group; Orvanian Ministry of the "
			    "Interior. Boundaries: Invented boundaries.");
	/* Tessal's two claims are listed, not merged, in the alt text. */
	assert_non_null(strstr(map_alt_text(fx.m),
			       "Lumen: about 12,000; Brask: 6,000; Tessal: "
			       "figures differ by source; Aderre: 800."));
	assert_int_equal(map_as_of(fx.m).month, 8);
	fixture_free(&fx);
}

static int cite_order(void *ctx, const char *id)
{
	(void)ctx;
	return strcmp(id, "src-ministry") == 0 ? 1
	       : strcmp(id, "src-monitor") == 0 ? 2
						: 3;
}

static void test_choropleth_by_name_and_errors(void **state)
{
	struct fixture fx;
	struct diag d;
	struct map_layer *l;

	(void)state;
	/* Joined by name on the origin column: the same areas. */
	fixture_init(&fx, "geo/orvania-adm1.topo.json");
	l = add_layer(&fx, MAP_CHOROPLETH, "displacement");
	l->join = strdup("origin");
	l->match = strdup("name");
	assert_int_equal(fixture_run(&fx, &d), BRIEF_OK);
	map_cite(fx.m, cite_order, NULL);
	assert_string_equal(map_source_line(fx.m),
			    "Sources: [1] Orvanian Ministry of the Interior; "
			    "[2] Coastal Monitoring Group; [3] Relief "
			    "Coordination Office. Boundaries: Invented "
			    "boundaries.");
	fixture_free(&fx);

	/* A code matched against names: an error at the dataset field. */
	fixture_init(&fx, "geo/orvania-adm1.geojson");
	l = add_layer(&fx, MAP_CHOROPLETH, "displacement");
	l->join = strdup("adm1_pcode");
	l->match = strdup("name");
	assert_int_equal(fixture_run(&fx, &d), BRIEF_EDATA);
	assert_string_equal(d.file, ORV_DATA "/displacement.csv");
	assert_int_equal(d.line, 3);
	assert_int_equal(d.col, 135);
	assert_string_equal(d.msg,
			    "map 'm': 'OR01' in column adm1_pcode matches no "
			    "boundary in " ORV_DATA
			    "/geo/orvania-adm1.geojson (property name)");
	fixture_free(&fx);

	/* A key property no feature has: at the key. */
	fixture_init(&fx, "geo/orvania-adm1.geojson");
	free(fx.ms.key);
	fx.ms.key = strdup("ADM1_PCODE");
	fx.ms.at_key.line = 14;
	fx.ms.at_key.col = 6;
	assert_int_equal(fixture_run(&fx, &d), BRIEF_EDATA);
	assert_string_equal(d.file, "layout.md");
	assert_int_equal(d.line, 14);
	assert_string_equal(d.msg,
			    "map 'm': key: no feature of " ORV_DATA
			    "/geo/orvania-adm1.geojson has property "
			    "'ADM1_PCODE' (the first has: id, pcode, name, "
			    "pop_2020)");
	fixture_free(&fx);

	/* A missing boundary file: at the spec key that names it. */
	fixture_init(&fx, "geo/nowhere.geojson");
	assert_int_equal(fixture_run(&fx, &d), BRIEF_EDATA);
	assert_int_equal(d.line, 12);
	assert_int_equal(d.col, 13);
	assert_string_equal(d.msg, "map 'm': no such boundary file " ORV_DATA
				   "/geo/nowhere.geojson");
	fixture_free(&fx);

	/* An extent with no boundary in it: never an empty map. */
	fixture_init(&fx, "geo/orvania-adm1.geojson");
	fx.ms.has_extent = true;
	fx.ms.extent.west = 40;
	fx.ms.extent.south = 10;
	fx.ms.extent.east = 45;
	fx.ms.extent.north = 15;
	fx.ms.at_extent.line = 15;
	fx.ms.at_extent.col = 9;
	assert_int_equal(fixture_run(&fx, &d), BRIEF_EDATA);
	assert_int_equal(d.line, 15);
	assert_string_equal(d.msg,
			    "map 'm': no boundary of " ORV_DATA
			    "/geo/orvania-adm1.geojson lies within the map's "
			    "extent (40, 10 to 45, 15)");
	fixture_free(&fx);

	/* No boundary source: every map names who drew its boundaries. */
	fixture_init(&fx, "geo/orvania-adm1.geojson");
	free(fx.ms.boundary_source);
	fx.ms.boundary_source = NULL;
	assert_int_equal(fixture_run(&fx, &d), BRIEF_EDATA);
	assert_string_equal(d.msg, "map 'm': needs 'boundary_source' (who "
				   "made the boundaries; printed in the "
				   "source line)");
	fixture_free(&fx);
}

static void test_points(void **state)
{
	struct fixture fx;
	struct diag d;
	struct map_layer *l;
	const struct diag *w;
	size_t n;

	(void)state;
	fixture_init(&fx, "geo/orvania-adm1.geojson");
	l = add_layer(&fx, MAP_POINTS, "events");
	l->group = strdup("kind");
	assert_int_equal(fixture_run(&fx, &d), BRIEF_OK);
	w = map_warnings(fx.m, &n);
	assert_int_equal(n, 2);
	assert_string_equal(w[0].file, ORV_DATA "/events.csv");
	assert_int_equal(w[0].line, 10);
	assert_int_equal(w[0].col, 72);
	assert_string_equal(w[0].msg, "map 'm': the point at 38.72, -9.14 "
				      "lies outside the map; not drawn");
	assert_int_equal(w[1].line, 11);
	assert_string_equal(w[1].msg, "map 'm': row has no coordinates "
				      "(latitude, longitude); not drawn");
	assert_non_null(strstr(map_alt_text(fx.m),
			       "7 events rows marked at their coordinates."));
	fixture_free(&fx);

	/* Every point outside: an error, not an empty layer. */
	fixture_init(&fx, "geo/orvania-adm1.geojson");
	l = add_layer(&fx, MAP_POINTS, "events");
	l->filters = calloc(1, sizeof *l->filters);
	l->filters[0].column = strdup("id");
	l->filters[0].values = calloc(1, sizeof(char *));
	l->filters[0].values[0] = strdup("2023-08-20-abroad");
	l->filters[0].nvalues = 1;
	l->nfilters = 1;
	assert_int_equal(fixture_run(&fx, &d), BRIEF_EDATA);
	assert_int_equal(d.line, 20);
	assert_string_equal(d.msg, "map 'm': none of the 1 points of " ORV_DATA
				   "/events.csv lies within the map's "
				   "extent");
	fixture_free(&fx);
}

static void test_control(void **state)
{
	struct fixture fx;
	struct diag d;
	struct map_layer *l;
	const char *alt;

	(void)state;
	fixture_init(&fx, "geo/orvania-adm1.geojson");
	l = add_layer(&fx, MAP_CONTROL, NULL);
	l->geometry = strdup("geo/orvania-control.geojson");
	assert_int_equal(fixture_run(&fx, &d), BRIEF_OK);
	alt = map_alt_text(fx.m);
	/* The same-day claims are both kept and attributed; the island,
	 * its own area since June 2023, is disputed. */
	assert_non_null(strstr(alt, "Control as of 1 September 2023: Lumen "
				    "held by Government; Brask held by "
				    "Government; Tessal claimed by Coastal "
				    "Front and Government; Aderre held by "
				    "Government; Mirél held by Mirél Council; "
				    "Pell Island held by Coastal Front "
				    "(disputed)."));
	assert_int_equal(map_nfiles(fx.m), 2);
	assert_string_equal(map_file(fx.m, 1),
			    ORV_DATA "/geo/orvania-control.geojson");
	fixture_free(&fx);

	/* Earlier: Tessal held by one side, the island not yet an area. */
	fixture_init(&fx, "geo/orvania-adm1.geojson");
	l = add_layer(&fx, MAP_CONTROL, NULL);
	l->geometry = strdup("geo/orvania-control.geojson");
	l->date = strdup("2022-06");
	assert_int_equal(fixture_run(&fx, &d), BRIEF_OK);
	assert_non_null(strstr(map_alt_text(fx.m),
			       "Control as of June 2022: Lumen held by "
			       "Government; Brask held by Government; Tessal "
			       "held by Coastal Front; Aderre held by "
			       "Government; Mirél held by Government."));
	fixture_free(&fx);

	/* A date before any report. */
	fixture_init(&fx, "geo/orvania-adm1.geojson");
	l = add_layer(&fx, MAP_CONTROL, NULL);
	l->geometry = strdup("geo/orvania-control.geojson");
	l->date = strdup("2020");
	l->at_date.line = 22;
	l->at_date.col = 11;
	assert_int_equal(fixture_run(&fx, &d), BRIEF_EDATA);
	assert_int_equal(d.line, 22);
	assert_string_equal(d.msg, "map 'm': no control rows on or before "
				   "the date shown");
	fixture_free(&fx);

	/* Areas with no shape: at the row that names them. */
	fixture_init(&fx, "geo/orvania-adm1.geojson");
	l = add_layer(&fx, MAP_CONTROL, NULL);
	l->geometry = strdup("geo/tafua.geojson");
	assert_int_equal(fixture_run(&fx, &d), BRIEF_EDATA);
	assert_string_equal(d.file, ORV_DATA "/control.csv");
	assert_int_equal(d.line, 3);
	assert_int_equal(d.col, 19);
	assert_string_equal(d.msg, "map 'm': area 'Lumen' has no shape in "
				   ORV_DATA "/geo/tafua.geojson (property "
				   "area) dated on or before 1 September "
				   "2023");
	fixture_free(&fx);
}

struct seen {
	char text[40][80];
	long line[40];
	const char *file[40];
	size_t n;
};

static enum brief_status collect_text(void *ctx, const char *s,
				      const struct text_origin *at,
				      struct diag *err)
{
	struct seen *v = ctx;

	(void)err;
	if (v->n < 40) {
		snprintf(v->text[v->n], sizeof v->text[v->n], "%s", s);
		v->line[v->n] = at->line;
		v->file[v->n++] = at->file;
	}
	return BRIEF_OK;
}

static void test_each_text(void **state)
{
	struct fixture fx;
	struct diag d;
	struct map_layer *l;
	struct seen seen = { .n = 0 };
	bool place = false, area = false, group = false;

	(void)state;
	fixture_init(&fx, "geo/orvania-adm1.geojson");
	fx.ms.labels = true;
	fx.ms.places = calloc(1, sizeof *fx.ms.places);
	fx.ms.places[0].name = strdup("Lumenburg / Люменск");
	fx.ms.places[0].lat = -28.25;
	fx.ms.places[0].lon = -18.85;
	fx.ms.places[0].at.line = 30;
	fx.ms.nplaces = 1;
	l = add_layer(&fx, MAP_POINTS, "events");
	l->group = strdup("kind");
	assert_int_equal(fixture_run(&fx, &d), BRIEF_OK);
	assert_int_equal(map_each_text(fx.m, collect_text, &seen, &d), BRIEF_OK);
	for (size_t i = 0; i < seen.n; i++) {
		if (strcmp(seen.text[i], "Lumenburg / Люменск") == 0)
			place = seen.line[i] == 30;
		if (strcmp(seen.text[i], "Mirél") == 0)
			area = strcmp(seen.file[i], ORV_DATA
					      "/geo/orvania-adm1.geojson") == 0;
		if (strcmp(seen.text[i], "offensive") == 0)
			group = seen.line[i] == 3;
	}
	assert_true(place);
	assert_true(area);
	assert_true(group);
	fixture_free(&fx);
}

/* ---- one colour per controller across a briefing ---- */

/* A canvas that keeps, for each text drawn, the fill drawn just before it:
 * a legend item's key colour. */
struct legend_seen {
	struct rgba last;
	char name[32][64];
	struct rgba color[32];
	size_t n;
};

static void seen_fill(void *impl, cairo_t *cr, struct rgba c)
{
	((struct legend_seen *)impl)->last = c;
	cairo_new_path(cr);
}

static void seen_stroke(void *impl, cairo_t *cr, struct rgba c, double width,
			const double *dash, int ndash)
{
	(void)impl, (void)c, (void)width, (void)dash, (void)ndash;
	cairo_new_path(cr);
}

static void seen_text(void *impl, double x, double y, double angle,
		      enum text_anchor anchor, const char *s, size_t len,
		      enum font_style style, double size, struct rgba c)
{
	struct legend_seen *v = impl;

	(void)x, (void)y, (void)angle, (void)anchor, (void)style, (void)size;
	(void)c;
	if (v->n < 32) {
		snprintf(v->name[v->n], sizeof v->name[v->n], "%.*s", (int)len,
			 s);
		v->color[v->n++] = v->last;
	}
}

static const struct canvas_ops seen_ops = { seen_fill, seen_stroke,
					    seen_text };

static void draw_seen(struct chart *c, const struct fontset *fs,
		      struct legend_seen *v)
{
	cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
							   8, 8);
	cairo_t *cr = cairo_create(surf);
	double w = 480;
	struct canvas cv = { cr, fs, &seen_ops, v, w,
			     chart_height_for(c, fs, w), false };
	struct diag d;

	memset(v, 0, sizeof *v);
	assert_int_equal(chart_draw(c, &cv, &d), BRIEF_OK);
	cairo_destroy(cr);
	cairo_surface_destroy(surf);
}

static const struct rgba *seen_color(const struct legend_seen *v,
				     const char *name)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->name[i], name) == 0)
			return &v->color[i];
	return NULL;
}

static void test_controller_colours_match_charts(void **state)
{
	static const char *const ctl[] = { "Government", "Coastal Front",
					   "Mirél Council" };
	struct fixture fx;
	struct chart_spec *step = calloc(1, sizeof *step);
	struct chart *sc = NULL, *mc = NULL;
	struct fontset *fs = NULL;
	struct legend_seen in_chart, in_map;
	struct diag d;
	struct map_layer *l;

	(void)state;
	assert_int_equal(fontset_open("fonts", &fs, &d), BRIEF_OK);
	fixture_init(&fx, "geo/orvania-adm1.geojson");
	l = add_layer(&fx, MAP_CONTROL, NULL);
	l->geometry = strdup("geo/orvania-control.geojson");
	/* The step chart comes first and meets the controllers in another
	 * order than the map (Coastal Front, then Mirél Council, then
	 * Government), so matching colours mean one palette role, not the
	 * same order of first use. */
	step->id = strdup("control-steps");
	step->type = CHART_STEP;
	step->dataset = strdup("control");
	step->x = strdup("date");
	step->group = strdup("controller");
	step->area = true;
	step->file = "layout.md";
	step->filters = calloc(1, sizeof *step->filters);
	step->filters[0].column = strdup("controller");
	step->filters[0].values = calloc(2, sizeof(char *));
	step->filters[0].values[0] = strdup("Mirél Council");
	step->filters[0].values[1] = strdup("Coastal Front");
	step->filters[0].nvalues = 2;
	step->nfilters = 1;
	assert_int_equal(chart_new(step, &fx.src, fx.pal, &sc, &d), BRIEF_OK);
	assert_int_equal(chart_collect(sc, ORV_DATA, &d), BRIEF_OK);
	draw_seen(sc, fs, &in_chart);
	assert_int_equal(chart_new(&fx.cs, &fx.src, fx.pal, &mc, &d), BRIEF_OK);
	assert_int_equal(chart_collect(mc, ORV_DATA, &d), BRIEF_OK);
	draw_seen(mc, fs, &in_map);

	assert_null(seen_color(&in_chart, "Government"));
	for (size_t i = 0; i < 3; i++) {
		const struct rgba *m = seen_color(&in_map, ctl[i]);
		struct rgba want = palette_color(fx.pal, "controller", ctl[i],
						 NULL);

		assert_non_null(m);
		if (i > 0) {
			const struct rgba *c = seen_color(&in_chart, ctl[i]);

			assert_non_null(c);
			assert_true(c->r == want.r && c->g == want.g &&
				    c->b == want.b);
		}
		/* Map areas are the same colour lightened (docs/maps.md). */
		assert_true(fabs(m->r - (0.3 + 0.7 * want.r)) < 1e-9 &&
			    fabs(m->g - (0.3 + 0.7 * want.g)) < 1e-9 &&
			    fabs(m->b - (0.3 + 0.7 * want.b)) < 1e-9);
	}
	chart_free(sc);
	chart_free(mc);
	chart_spec_free(step);
	free(step);
	fontset_free(fs);
	fixture_free(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geojson_topology),
		cmocka_unit_test(test_topojson_matches_geojson),
		cmocka_unit_test(test_projection_matches_proj),
		cmocka_unit_test(test_points_inside_their_polygons),
		cmocka_unit_test(test_area_within_one_percent),
		cmocka_unit_test(test_antimeridian),
		cmocka_unit_test(test_simplify_and_clip),
		cmocka_unit_test(test_shapefile),
		cmocka_unit_test(test_geometry_errors),
		cmocka_unit_test(test_topojson_arcs),
		cmocka_unit_test(test_choropleth),
		cmocka_unit_test(test_choropleth_by_name_and_errors),
		cmocka_unit_test(test_points),
		cmocka_unit_test(test_control),
		cmocka_unit_test(test_each_text),
		cmocka_unit_test(test_controller_colours_match_charts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
