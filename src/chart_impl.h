/* chart_impl.h — the chart module's private structures, shared by chart.c
 * (spec, aggregation, text), chart_frame.c (title, legend, axes, footer)
 * and the per-type drawing files. Not for other modules. */
#ifndef BRIEF_CHART_IMPL_H
#define BRIEF_CHART_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chart.h"

#define CHART_MAX_BUCKETS 200000 /* a size cap, not an allocation */
#define CHART_MAX_EVENTS 5000
#define CHART_MAX_NAMES 10000

/* Interned strings in order of first appearance, with the line and
 * column of the field each was first seen in (0 when interned without).
 * Owns the copies. */
struct strtab {
	char **s;
	long (*pos)[2];
	size_t n, cap;
	uint32_t *idx; /* open addressing: 0 empty, else index + 1 */
	size_t icap;
};
/* Index of s, adding a copy on first sight (at line, col); -1 when out of
 * memory. */
int strtab_intern(struct strtab *t, const char *s);
int strtab_intern_at(struct strtab *t, const char *s, long line, long col);
void strtab_free(struct strtab *t);

/* What the qualifiers of a mark's rows say about its true value. */
enum mark_flag {
	MF_LOWER = 1,  /* at_least / more_than: may be higher */
	MF_UPPER = 2,  /* nearly / at_most: may be lower */
	MF_STRICT = 4, /* more_than / nearly */
	MF_ABOUT = 8,
	MF_RANGE = 16  /* high > value */
};

/* One aggregated mark: an x bucket, a series and a claimant. */
struct bucket {
	long x;       /* category index, or day number for a date x */
	int series;   /* index in chart.series */
	int claimant; /* index in chart.claims */
	double value, high;
	long n;
	unsigned flags;
};

struct chart_event {
	long day;
	struct date date;
	char *title; /* owned */
	int kind;    /* series index */
	long line, col; /* of the title field */
};

enum y_mode { Y_VALUE, Y_HIGH, Y_COLUMN, Y_COUNT };

struct chart {
	const struct chart_spec *spec;
	struct map *map; /* type map: the whole chart is this (chart_map.c) */
	const struct sources *sources;
	struct palette *palette;
	enum dataset_kind ds;
	const char *x_col, *y_col, *group_col; /* resolved names */
	bool x_date, x_date_to;
	enum y_mode ymode;

	/* Column indices, bound on the first row of the scan. */
	bool bound;
	int col_x, col_group, col_y, col_label, col_unit, col_claim, col_source;
	int *fcol;

	struct strtab xcat, series, claims, srcs, units;
	/* Index + 1 of the name each table gave the previous row (0: none):
	 * consecutive rows mostly repeat their names. */
	int memo_xcat, memo_series, memo_claims, memo_srcs, memo_units;
	struct bucket *b;
	size_t nb, bcap;
	uint32_t *bidx;
	size_t bicap;
	struct chart_event *ev;
	size_t nev, evcap;
	char *data_file; /* the dataset's path, from its first row */
	long rows, undated;
	struct date as_of;
	long as_of_day;

	/* After collect: x values in axis order (category index or day). */
	long *xorder;
	size_t nx;
	long xmin, xmax; /* date x: first and last day */
	bool percent;    /* values are percentages */
	int *cite;       /* bibliography number per srcs entry, 0 = none */
	char *source_line, *alt, *y_label;
};

/* Drawing. The frame lays out title, subtitle, legend and footer, and
 * leaves the plot rectangle to the type's draw function. */
struct plot {
	double x0, y0, x1, y1; /* plot area, pt */
};

struct legend_item {
	const char *name;
	struct rgba color;
	int pattern;
	int kind; /* 0 swatch, 1 line */
};

extern const struct rgba chart_ink, chart_grey, chart_grid, chart_white;

/* Value labels: "6+", ">100", "<20,000", "~120,000", "6–12". */
char *chart_value_label(const struct chart *c, double v, double high,
			unsigned flags, char *buf, size_t size);
/* A value-axis tick: "12,500", or "25%" when the values are percentages.
 * Always NUL-terminated within size; returns buf. */
char *chart_tick_label(const struct chart *c, double v, double step,
		       char *buf, size_t size);
/* BRIEF_EDATA when the largest value (or a nice tick above it) would not
 * be a finite double, so no inf or NaN reaches the canvas. */
enum brief_status chart_check_range(const struct chart *c, double vmax,
				    struct diag *err);
/* "Name" or "Name (per Claimant)" for a series and claimant. */
char *chart_mark_name(const struct chart *c, int series, int claimant,
		      bool show_claimant, char *buf, size_t size);
/* True when some (x, series) of the chart has more than one claimant. */
bool chart_series_contested(const struct chart *c, int series);
/* The date in a bucket label: "2020", "Sep 2020", "19 Sep 2020". */
char *chart_x_label(const struct chart *c, long x, char *buf, size_t size);

struct rgba chart_series_color(const struct chart *c, int series,
			       int *pattern);
/* Fill the current path's rectangle-like area with a hatch pattern. */
void chart_hatch_rect(struct canvas *cv, double x0, double y0, double x1,
		      double y1, int pattern);
void chart_marker(struct canvas *cv, double x, double y, double r, int shape,
		  struct rgba color);

/* Frame pieces (chart_frame.c). */
double chart_frame_draw(struct chart *c, struct canvas *cv,
			const struct legend_item *items, size_t nitems,
			struct plot *plot, struct diag *err);
double chart_wrap_text(struct canvas *cv, const char *text, double x,
		       double y, double width, double size,
		       enum font_style style, struct rgba color, bool draw);

/* Per-type drawing. */
enum brief_status chart_bar_draw(struct chart *c, struct canvas *cv,
				 struct diag *err);
enum brief_status chart_line_draw(struct chart *c, struct canvas *cv,
				  struct diag *err);
enum brief_status chart_timeline_draw(struct chart *c, struct canvas *cv,
				      struct diag *err);
double chart_timeline_height(const struct chart *c, const struct fontset *fs,
			     double width);

/* A map chart (chart_map.c): c->map set, every chart_* call passes to
 * it. */
enum brief_status chart_map_new(const struct chart_spec *spec,
				const struct sources *sources,
				struct palette *palette, struct chart **out,
				struct diag *err);

/* Feed one row, as data_scan would (for tests and for callers that scan
 * themselves). */
enum brief_status chart_feed(struct chart *c, const struct data_row *row,
			     struct diag *err);
/* Finish after the rows: order, checks, source line, alt text. */
enum brief_status chart_finish(struct chart *c, const char *file,
			       struct diag *err);

#endif
