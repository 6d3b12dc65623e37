/* chart_impl.h — the chart module's private structures and helpers, shared
 * by chart.c (spec, aggregation, marks resolved after it), chart_text.c
 * (labels, source line, alt text), chart_draw.c (dispatch, sizes, export),
 * chart_frame.c (title, legend, footer), chart_axis.c (value and date axes)
 * and the per-type drawing files. Not for other modules. */
#ifndef BRIEF_CHART_IMPL_H
#define BRIEF_CHART_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chart.h"
#include "chart_frame.h"
#include "figure.h"
#include "scale.h"
#include "strtab.h"

#define CHART_MAX_BUCKETS 200000 /* a size cap, not an allocation */
#define CHART_MAX_EVENTS 5000
#define CHART_MAX_NAMES 10000 /* per name table (strtab max) */

/* What a mark's figures say about its true value (from figure_total). */
enum mark_flag {
	MF_LOWER = 1,  /* at_least / more_than: may be higher */
	MF_UPPER = 2,  /* nearly / at_most: may be lower */
	MF_STRICT = 4, /* more_than / nearly */
	MF_ABOUT = 8,
	MF_RANGE = 16, /* high > value */
	MF_MIXED = 32  /* minimums and maximums combined: no single bound */
};
unsigned chart_total_flags(const struct figure_total *t);

/* One aggregated mark: an x bucket, a series and a claimant. */
struct bucket {
	long x;       /* category index, or day number for a date x */
	int series;   /* index in chart.series */
	int claimant; /* index in chart.claims */
	struct figure_acc acc; /* the rows, combined by the spec's agg */
	long n;
	/* Stocks (flow_stock: stock) are people or areas at a date: the
	 * date of the mark's stock rows, which must not be summed across
	 * dates. */
	bool has_stock;
	long stock_day;
	/* Resolved once after aggregation (chart_finish). */
	double value, high;
	unsigned flags;
	int xi;      /* position of x on the axis (index in xorder) */
	int rank;    /* 0, 1, ... among the claimants of (x, series) */
	int nclaims; /* claimants of (x, series) */
};

struct chart_event {
	long day;
	struct date date;
	char *title; /* owned */
	int kind;    /* series index */
	long line, col; /* of the title field */
};

enum y_mode { Y_VALUE, Y_HIGH, Y_COLUMN, Y_COUNT };

/* What a name table gave the rows so far, so that the same name is not
 * looked up again on every row: by the scan's field number of the field
 * (data_row.fid), index + 1 (0: not yet; DATA_FID_SPACE entries, made on
 * the first numbered field; NULL: by text only), and for fields without a
 * number the index + 1 the previous such row got (consecutive rows mostly
 * repeat their names). Owns by_fid. */
struct name_cache {
	int *by_fid;
	int memo;
};

/* A day number computed from a date, kept for the next row: rows come in
 * runs of one date. set: d and day hold one. */
struct day_memo {
	struct date d;
	long day;
	bool set;
};

struct chart {
	/* Measuring its height ran out of memory (the height is short):
	 * chart_draw fails with BRIEF_ENOMEM. */
	bool oom;
	const struct chart_spec *spec;
	struct map *map; /* type map: the whole chart is this (chart_map.c) */
	const struct sources *sources;
	struct palette *palette;
	enum dataset_kind ds; /* dset's schema */
	struct dataset dset;  /* the dataset it reads, by name */
	const char *x_col, *y_col, *group_col; /* resolved names */
	bool x_date, x_date_to;
	enum y_mode ymode;

	/* Column indices, bound on the first row of the scan. */
	bool bound;
	int col_x, col_group, col_y, col_label, col_unit, col_claim, col_source,
		col_flow_stock;
	int *fcol;

	struct strtab xcat, series, claims, srcs, units;
	struct name_cache nc_xcat, nc_series, nc_claims, nc_srcs, nc_units;
	/* Per filter term, its verdict by field number (row_filter_passes_memo):
	 * nfilters * DATA_FID_SPACE bytes. */
	unsigned char *fverdict;
	const char **keys; /* chart_keys: nkeys names (not owned) */
	size_t nkeys;
	struct day_memo x_day;   /* bucket_day of the row's x date */
	struct day_memo end_day; /* the last day the row covers */
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
	long doc_as_of_day; /* the briefing's as_of (chart_set_as_of), 0 none */

	/* After collect: x values in axis order (category index or day). */
	long *xorder;
	size_t nx;
	long xmin, xmax; /* date x: first and last day */
	bool percent;    /* values are percentages */
	/* Marks in axis order (position, series, claimant): bucket indices,
	 * the marks of position k at bymark[xstart[k] .. xstart[k + 1]). */
	size_t *bymark, *xstart;
	bool *contested; /* per series: some position has several claimants */
	int *cite;       /* bibliography number per srcs entry, 0 = none */
	char *source_line, *alt, *y_label;

	/* The rows chart_draw_part draws or chart_part_height measures,
	 * [part_from, part_to): set for the call only, else 0 and SIZE_MAX. */
	size_t part_from, part_to;
};

#define CHART_AXIS_SIZE 7.5
#define CHART_LABEL_SIZE 7.0

/* Value labels: "6+", ">100", "<20,000", "~120,000", "6–12",
 * "1,070 (mixed bounds)". */
char *chart_value_label(const struct chart *c, double v, double high,
			unsigned flags, char *buf, size_t size);
/* A value of a vocabulary column (category, population, qualifier, kind)
 * in the active catalogue's words; value itself otherwise. */
const char *chart_vocab(const struct chart *c, const char *col,
			const char *value);
/* "Series (per Claimant)", or "per Claimant" for an empty series, in the
 * active catalogue's words (l10n.h). Returns buf. */
char *chart_per(const char *series, const char *who, char *buf, size_t size);
/* A mark's label: its value, and "(per Claimant)" when its series has
 * several claimants at that position. */
char *chart_mark_label(const struct chart *c, const struct bucket *b,
		       char *buf, size_t size);
/* A value-axis tick: "12,500", or "25%" when the values are percentages.
 * Always NUL-terminated within size; returns buf. */
char *chart_tick_label(const struct chart *c, double v, double step,
		       char *buf, size_t size);
/* BRIEF_EDATA when the largest value (or a nice tick above it) would not
 * be a finite double, so no inf or NaN reaches the canvas. */
enum brief_status chart_check_range(const struct chart *c, double vmax,
				    struct diag *err);
enum brief_status chart_oom(const struct chart *c, struct diag *err);
/* "Name" or "Name (per Claimant)" for a series and claimant. */
char *chart_mark_name(const struct chart *c, int series, int claimant,
		      bool show_claimant, char *buf, size_t size);
/* True when some position of the series has more than one claimant. */
bool chart_series_contested(const struct chart *c, int series);
/* The date in a bucket label: "2020", "Sep 2020", "19 Sep 2020". */
char *chart_x_label(const struct chart *c, long x, char *buf, size_t size);

/* A series' colour within the chart's role (its group column), for
 * areas and bars; the line form never gives a colour too pale for a thin
 * line or text on white. */
struct rgba chart_series_color(const struct chart *c, int series,
			       int *pattern);
struct rgba chart_series_line_color(const struct chart *c, int series,
				    int *pattern);
/* Ink or white, whichever reads on a fill of colour col. */
struct rgba chart_text_on(struct rgba col);

/* The chart's frame (chart_frame.h) with its source line, note, as_of
 * and the keys to its marks; fills plot with what is left; with cv->cr
 * NULL it only measures (chart_frame_height). */
double chart_frame_draw(struct chart *c, struct canvas *cv,
			const struct legend_item *items, size_t nitems,
			struct plot *plot, struct diag *err);
/* The frame's height at a width (everything but the plot). */
double chart_frame_height(struct chart *c, const struct fontset *fs,
			  double width);
/* The legend of a chart whose series are named: one item per series. */
struct legend_item *chart_series_legend(const struct chart *c, int kind,
					size_t *n);
/* The value axis title above the plot (Datawrapper style); moves the
 * plot's top below it. */
void chart_axis_title(const struct chart *c, struct canvas *cv,
		      struct plot *pl);

/* The value axis shared by bar and line charts (chart_axis.c). Values
 * grow from base by scale pt per unit: up (scale < 0) for vertical
 * charts, right (scale > 0) for horizontal ones. */
struct value_axis {
	bool horiz;
	double base, scale;
	double c0, c1; /* extent of the grid across the values */
	struct ticks t;
	double label_w; /* widest tick label */
};
/* Nice ticks from 0 to at least vmax, about one per `spacing` pt of len,
 * and the width of their widest label. */
void value_axis_ticks(const struct chart *c, struct canvas *cv, double vmax,
		      double len, double spacing, struct value_axis *a);
double value_axis_px(const struct value_axis *a, double v);
/* Grid lines and tick labels (left of a vertical axis, under a
 * horizontal one). */
void value_axis_draw(const struct chart *c, struct canvas *cv,
		     const struct value_axis *a);
/* A date axis from d0 to d1 over [x0, x1] at baseline y: ticks with as
 * many labels as fit (never overlapping, inside [lo, hi]). */
void date_axis_draw(struct canvas *cv, long d0, long d1, double x0,
		    double x1, double y, double lo, double hi);
/* Axis line from (x0, y0) to (x1, y1). */
void chart_axis_line(struct canvas *cv, double x0, double y0, double x1,
		     double y1);

/* Per-type drawing and sizes. */
enum brief_status chart_bar_draw(struct chart *c, struct canvas *cv,
				 struct diag *err);
double chart_bar_height(struct chart *c, const struct fontset *fs,
			double width, bool minimum);
enum brief_status chart_line_draw(struct chart *c, struct canvas *cv,
				  struct diag *err);
enum brief_status chart_step_draw(struct chart *c, struct canvas *cv,
				  struct diag *err);
enum brief_status chart_timeline_draw(struct chart *c, struct canvas *cv,
				      struct diag *err);
double chart_timeline_height(const struct chart *c, double width);
double chart_timeline_min_height(const struct chart *c, double width);

/* A step chart's plan: per series, the figure it holds from each of its
 * dates until its next one (the last until the axis end), taken from the
 * claim that speaks for the most series that day; the other claims of
 * the same day are kept apart as alternatives, never added. */
struct step_point {
	long day;
	size_t bucket;  /* the claim drawn as the series' value */
	size_t alt, nalt; /* other claims: plan.alts[alt .. alt + nalt) */
};
struct step_series {
	int series;
	struct step_point *pts; /* into plan.pts */
	size_t n;
};
struct step_plan {
	struct step_series *s;
	size_t ns;
	struct step_point *pts;
	size_t *alts;
	long d0, d1; /* the axis: first figure to the briefing's as_of */
};
enum brief_status chart_step_plan(const struct chart *c, struct step_plan *p);
/* The value series k holds on day d (0 before its first figure). */
double chart_step_held(const struct chart *c, const struct step_plan *p,
		       size_t k, long d);
void chart_step_plan_free(struct step_plan *p);

/* Feed one row, as data_scan would (for tests and for callers that scan
 * themselves). */
enum brief_status chart_feed(struct chart *c, const struct data_row *row,
			     struct diag *err);
/* Finish after the rows: order, checks, marks resolved, source line, alt
 * text. */
enum brief_status chart_finish(struct chart *c, const char *file,
			       struct diag *err);
/* chart_text.c: the texts made once after the rows. */
bool chart_make_y_label(struct chart *c);
bool chart_make_source_line(struct chart *c);
bool chart_make_alt_text(struct chart *c);

#endif
