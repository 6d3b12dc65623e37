/* map.h — maps: boundaries (geo.h) projected for their region
 * (geo_project.h), with layers from the datasets — a choropleth by area
 * code or name, point symbols at lat/lon, and the areas each controller
 * held at a date, contested areas hatched and attributed — plus places,
 * a scale bar, a legend, the boundary source and a boundary disclaimer.
 * Drawn on a canvas like any chart; chart_map.c makes it a chart type. */
#ifndef BRIEF_MAP_H
#define BRIEF_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "chart.h"
#include "geo_project.h"

#define MAP_MAX_LAYERS 8
#define MAP_MAX_PLACES 200
#define MAP_MAX_ROWS 200000 /* rows kept per layer: a size cap */
#define MAP_MAX_CLASSES 6 /* class breaks: at most 7 classes */
#define MAP_MAX_WARNINGS 20

enum map_layer_kind {
	MAP_CHOROPLETH, /* areas coloured by a value joined on a code or name */
	MAP_POINTS,     /* a symbol at each row's lat/lon */
	MAP_CONTROL     /* areas held by each controller at a date */
};

enum map_place_kind { PLACE_TOWN, PLACE_CAPITAL, PLACE_REGION };
/* Where a place's label sits; auto tries each side in this order. */
enum map_anchor { LABEL_AUTO, LABEL_RIGHT, LABEL_LEFT, LABEL_ABOVE,
		  LABEL_BELOW };

/* A named place drawn from the spec (a locator's towns and capitals). */
struct map_place {
	char *name; /* printed as written; two usages as "A / B" */
	double lat, lon;
	enum map_place_kind kind;
	enum map_anchor anchor;
	struct srcpos at; /* the name in the layout */
};

/* One layer as the layout wrote it. Strings owned (NULL: not given). */
struct map_layer {
	enum map_layer_kind kind;
	struct srcpos at;
	char *dataset;
	struct srcpos at_dataset;
	struct chart_filter *filters;
	size_t nfilters;
	char *title;   /* legend heading; default from the data */
	/* choropleth */
	char *join;    /* column holding the area's code or name */
	struct srcpos at_join;
	char *match;   /* feature property join matches; default the map's key */
	char *value;   /* measure column; default value */
	struct srcpos at_value;
	enum chart_agg agg; /* within one claimant; claims never combine */
	double classes[MAP_MAX_CLASSES]; /* class breaks, ascending */
	size_t nclasses;
	struct srcpos at_classes;
	/* points */
	char *lat, *lon; /* columns; default lat, lon */
	char *group;     /* column whose values get colours */
	struct srcpos at_group;
	char *size;      /* numeric column scaling symbol area */
	char *label;     /* column printed beside each point */
	/* control */
	char *geometry;  /* areas file, relative to the data directory */
	struct srcpos at_geometry;
	char *area;      /* column and feature property naming the area;
			  * default area */
	char *date;      /* the date shown: ISO date; default the latest */
	struct srcpos at_date;
};

/* The map part of a chart spec (chart_spec.map). Owns its members. */
struct map_spec {
	char *boundaries; /* file, relative to the data directory */
	struct srcpos at_boundaries;
	char *object;     /* TopoJSON object; default the first with polygons */
	char *key;        /* feature property the data joins on; default id */
	struct srcpos at_key;
	char *name;       /* feature property with the area's name; default
			   * name */
	char *boundary_source; /* who drew the boundaries (source line) */
	char *disclaimer; /* replaces the default disclaimer; never empty */
	bool has_extent;
	struct geo_extent extent;
	struct srcpos at_extent;
	char **focus;     /* features (key or name) the view fits; shown
			   * lighter than their neighbours */
	size_t nfocus;
	struct srcpos at_focus;
	bool labels;      /* print the features' names */
	bool water;       /* a water colour outside every feature */
	double simplify;  /* tolerance in pt at the printed size; 0 default */
	struct map_layer *layers;
	size_t nlayers;
	struct map_place *places;
	size_t nplaces;
};
void map_spec_free(struct map_spec *m); /* frees members, not m */

/* The disclaimer every map carries unless the spec gives its own. */
extern const char *const map_default_disclaimer;

struct map; /* opaque */

/* Check spec (its map part must be set) and create an empty map; keeps
 * pointers to spec, sources and palette, which must outlive it. */
enum brief_status map_new(const struct chart_spec *spec,
			  const struct sources *sources,
			  struct palette *palette, struct map **out,
			  struct diag *err);
/* The dataset whose rows map_feed takes (the first data layer's; events
 * when the map has none, whose rows it ignores). */
enum dataset_kind map_dataset(const struct map *m);
/* One validated row of map_dataset's dataset (as data_scan gives it). */
enum brief_status map_feed(struct map *m, const struct data_row *row,
			   struct diag *err);
/* After the rows: read the boundary files and the datasets of the other
 * layers (relative to data_dir), join, class, check. Errors are
 * positioned at the spec key, the dataset field or the geometry. */
enum brief_status map_finish(struct map *m, const char *data_dir,
			     struct diag *err);
/* map_feed over data_scan of map_dataset, then map_finish. */
enum brief_status map_collect(struct map *m, const char *data_dir,
			      struct diag *err);
/* Warnings found on the way (points outside the map, rows without
 * coordinates), in order; valid until map_free. */
const struct diag *map_warnings(const struct map *m, size_t *n);
/* Files the map read besides the datasets (boundaries, control areas),
 * for the input hash. */
size_t map_nfiles(const struct map *m);
const char *map_file(const struct map *m, size_t i);

/* As chart_cite: false when out of memory. */
bool map_cite(struct map *m, chart_cite_fn cite, void *ctx);
/* Height map_draw will use for a given width: the extent's shape plus
 * the frame (title, legend, footer) measured in fs, or estimated when fs
 * is NULL. */
double map_height_for(struct map *m, const struct fontset *fs,
		      double width);
enum brief_status map_draw(struct map *m, struct canvas *cv,
			   struct diag *err);
/* "Sources: [2] ...; boundaries: ..." (valid until map_free). */
const char *map_source_line(const struct map *m);
const char *map_alt_text(const struct map *m);
struct date map_as_of(const struct map *m);
/* As chart_each_text: spec strings at their layout positions, dataset
 * names at their fields, boundary names with their file. */
enum brief_status map_each_text(const struct map *m, chart_text_fn fn,
				void *ctx, struct diag *err);
void map_free(struct map *m);

/* For tests: the projection map_finish chose and the boundaries read. */
const struct geo_proj *map_projection(const struct map *m);
const struct geo *map_boundaries(const struct map *m);

#endif
