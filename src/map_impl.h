/* map_impl.h — the map module's private structures, shared by map.c
 * (spec, rows, joins, text) and map_draw.c (drawing). Not for other
 * modules. */
#ifndef BRIEF_MAP_IMPL_H
#define BRIEF_MAP_IMPL_H

#include <stdint.h>

#include "map.h"
#include "strtab.h"

/* A choropleth row: area key, claimant, figure. */
struct crow {
	int key, claim;
	double value, high;
	bool has_high;
	enum qualifier qual;
	long line, col; /* of the join field */
};

/* A point row. */
struct prow {
	double lat, lon, size;
	int group, label; /* -1: none */
	bool inside;
	long line, col; /* of the lat field */
};

/* A control row. */
struct krow {
	int area, controller;
	long day;
	bool disputed;
	long line, col; /* of the area field */
};

/* One claimant's figure for an area of a choropleth. */
struct claim {
	int claim;
	double value, high;
	bool has_high;
	enum qualifier qual;
	long n;
};

/* What a choropleth says of one area key. */
struct ckey {
	struct claim *claims;
	size_t nclaims;
	bool contested; /* claimants disagree: no class, hatched */
	int cls;
};

/* What a control layer says of one area at the date shown. */
struct carea {
	int feature;     /* in the layer's areas geometry, -1 none */
	int ctl[4];      /* controllers at the latest date (names index) */
	int nctl;        /* more than 4 are counted, not kept */
	bool disputed;
	long day;        /* the latest report on or before the date */
};

/* A boundary file with its projected points. */
struct mgeo {
	struct geo *g;
	struct geo_xy *m; /* projected metres, per g->pts */
	char *path;       /* as opened (data dir joined) */
};

struct layer {
	const struct map_layer *spec;
	enum dataset_kind ds; /* dset's schema */
	struct dataset dset;  /* the dataset it reads, by name */
	bool bound;
	char *data_file;
	int col_join, col_value, col_lat, col_lon, col_group, col_size,
		col_label, col_claim, col_unit, col_ctl, col_disputed,
		col_source;
	int *fcol;
	struct strtab keys, claims, groups, labels, units;
	struct crow *c;
	size_t nc, capc;
	struct prow *p;
	size_t np, capp;
	struct krow *k;
	size_t nk, capk;
	long rows, nocoord;
	double size_max;
	/* choropleth, after finish */
	struct ckey *ck;       /* per keys entry */
	int *fkey;             /* per boundary feature: keys index or -1 */
	double breaks[MAP_MAX_CLASSES];
	size_t nbreaks;
	bool percent, integer;
	size_t ncontested;
	/* control, after finish */
	struct mgeo areas;
	struct carea *ca;      /* per keys entry (the area names) */
	long day_shown;
	struct date date_shown;
};

struct map_label_box {
	double x0, y0, x1, y1;
};

struct map {
	/* Measuring its height ran out of memory: map_draw fails with
	 * BRIEF_ENOMEM. */
	bool oom;
	const struct chart_spec *cs;
	const struct map_spec *spec;
	const struct sources *sources;
	struct palette *palette;
	struct layer layers[MAP_MAX_LAYERS];
	size_t nlayers;
	struct dataset fed; /* the dataset map_feed takes */
	struct mgeo base;
	char *files[1 + MAP_MAX_LAYERS];
	size_t nfiles;
	bool *focus;   /* per boundary feature */
	struct geo_extent extent;
	struct geo_proj proj;
	double bx0, by0, bx1, by1; /* projected view, metres */
	struct strtab srcs;
	int *cite;
	struct date as_of;
	long as_of_day;
	char *source_line, *alt, *footnote;
	struct diag warn[MAP_MAX_WARNINGS];
	size_t nwarn;
	long more_warnings;
};

/* Shared by map.c, map_join.c and map_text.c. An error at a spec
 * position (the block when at is unknown), at a dataset field, a warning
 * kept for map_warnings, out of memory; yes/true/1. */
enum brief_status map_error(const struct map *m, struct srcpos at,
			    struct diag *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
enum brief_status row_error(const struct map *m, const char *file, long line,
			    long col, struct diag *err, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void map_warn(struct map *m, const char *file, long line, long col,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
enum brief_status map_oom(const struct map *m, struct diag *err);
bool map_yes(const char *s);
/* data_scan each dataset of a layer that map_feed did not take (map.c). */
enum brief_status map_scan_others(struct map *m, const char *data_dir,
				  struct diag *err);
/* The source line (map_text.c), and with it the footnote and alt text;
 * false when out of memory. */
bool map_make_source_line(struct map *m);
bool map_make_text(struct map *m);

/* Colours and text sizes (map_draw.c), shared with the legend logic. */
extern const struct rgba map_land, map_focus_land, map_water, map_border,
	map_nodata;
/* The fill of choropleth class i of n. */
struct rgba map_class_color(size_t i, size_t n);
/* "under 1,000", "1,000–4,999", "5,000 or more" into buf. */
char *map_class_label(const struct layer *l, size_t cls, char *buf,
		      size_t size);
/* Controller name of a control layer's names index. */
const char *map_ctl_name(const struct layer *l, int i);
/* An area's controllers, "A, B and C" (the first four; with others, more
 * than four end "and others"), in the active catalogue's words. */
char *map_ctl_names(const struct layer *l, const struct carea *ca,
		    bool others, char *buf, size_t size);

#endif
