/* chart.h — charts from dataset rows: spec, streaming aggregation, drawing
 * on a canvas, source line and alt text, export as PNG, SVG, PDF, text. */
#ifndef BRIEF_CHART_H
#define BRIEF_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canvas.h"
#include "data.h"
#include "data_view.h"
#include "diag.h"

enum chart_type {
	CHART_BAR,
	CHART_STACKED_BAR,
	CHART_LINE,
	CHART_STEP,
	CHART_TIMELINE,
	CHART_MAP /* map.h: boundaries with layers */
};
enum chart_agg { AGG_SUM, AGG_COUNT, AGG_MAX };
enum chart_bucket { BUCKET_NONE, BUCKET_DAY, BUCKET_WEEK, BUCKET_MONTH, BUCKET_YEAR };

/* The spec's filter is the data layer's row filter (data_view.h); the
 * old name stays for the layout code that builds it. */
#define chart_filter row_filter

struct map_spec;

/* A chart spec as the layout engine parsed it. All strings owned by the
 * spec (heap, freed by chart_spec_free); NULL when not given. */
struct chart_spec {
	char *id;            /* export file name; required */
	enum chart_type type;
	char *dataset;       /* "casualties", ...; timeline defaults to "events" */
	struct chart_filter *filters;
	size_t nfilters;
	char *x;             /* category or date column */
	char *y;             /* measure column; default "value" */
	char *group;         /* series column (party, reported_by, ...) */
	enum chart_agg agg;
	enum chart_bucket bucket;
	char *sort;          /* "value", "-value", "x", "-x"; NULL = data order */
	bool horizontal;     /* bar charts */
	bool area;           /* step charts: stepped areas */
	char *title, *subtitle, *note, *description;
	char *y_label;       /* axis label with unit; default from the data */
	double width, height; /* pt; 0 = default (full text width, 0.6 of it) */
	struct map_spec *map; /* type map: its keys (map.h); owned */
	const char *file;    /* layout file, for diagnostics (not owned) */
	struct srcpos at;    /* the block */
	struct srcpos at_type, at_dataset, at_x, at_y, at_group, at_sort,
		at_bucket, at_agg;
};
void chart_spec_free(struct chart_spec *spec); /* frees members, not spec */

/* One colour per name and role across every chart of a document: the
 * names of one role (a column: controller, party, reported_by, ...) take
 * the colours in order of first use, so each role starts from the most
 * distinct ones. Owns its names. */
struct palette;
struct palette *palette_new(void);
void palette_free(struct palette *p);
/* The colour of a name in a role (role NULL or "": one shared role),
 * assigned on first use from a colour-blind-safe order (Okabe–Ito), and a
 * pattern index (0 solid) so greyscale print stays readable: no two names
 * of a role share a colour and pattern. */
struct rgba palette_color(struct palette *p, const char *role,
			  const char *name, int *pattern);
/* Whether palette_color ran out of memory since palette_new (it then
 * returned a colour it could not remember: two names may share it). */
bool palette_failed(const struct palette *p);
/* Names whose colour the layout fixes (`colors:`, brand.h) keep it in
 * every role and take no place in the order: the other names of a role
 * take the default colours in turn, skipping those close to a fixed one
 * (brand_delta_e), so they stay apart from it. b NULL or without colours:
 * nothing changes. BRIEF_ENOMEM when out of memory. */
struct doc_brand;
enum brief_status palette_fix_colors(struct palette *p,
				     const struct doc_brand *b);
/* The same colour made dark enough for a thin line or text on white
 * (the palette's yellow becomes a dark gold). */
struct rgba palette_line_color(struct rgba c);

/* The document's bibliography numbering: returns the 1-based number of a
 * source id, assigning the next one on first use; -1 when out of memory. */
typedef int (*chart_cite_fn)(void *ctx, const char *source_id);

struct chart; /* opaque */

/* Check spec against the dataset's columns and create an empty chart.
 * Errors (unknown column, type mismatch) carry the spec's position. The
 * chart keeps pointers to spec, sources and palette: they must outlive it. */
enum brief_status chart_new(const struct chart_spec *spec,
			    const struct sources *sources,
			    struct palette *palette, struct chart **out,
			    struct diag *err);
/* Stream the dataset in data_dir into the chart's buckets (rows are
 * validated by data_scan). An empty selection is an error at the spec. */
enum brief_status chart_collect(struct chart *c, const char *data_dir,
				struct diag *err);
/* chart_collect in parts, for a caller that reads the dataset once for
 * several consumers: the dataset the chart reads, one validated row (as
 * data_scan gives it; an error stops that chart's collection, report it
 * as chart_collect would), and the end of the rows (data_dir as for
 * chart_collect). chart_collect is these over its own data_scan. */
const char *chart_dataset(const struct chart *c); /* its name */
/* The columns whose text chart_collect_row looks at on every row (filter
 * terms, x, group, claimant, source, unit), for the scan to number
 * (data_scan_dataset_numbered): *n names, valid until chart_free; none
 * for a map. */
const char *const *chart_keys(const struct chart *c, size_t *n);
enum brief_status chart_collect_row(struct chart *c, const struct data_row *row,
				    struct diag *err);
enum brief_status chart_collect_end(struct chart *c, const char *data_dir,
				    struct diag *err);
/* Give the chart its citation numbers (call once, in document order,
 * after collect): the source line uses them. Returns false when out of
 * memory. */
bool chart_cite(struct chart *c, chart_cite_fn cite, void *ctx);
/* Draw everything (title, subtitle, plot, legend, source line) into
 * cv->width x cv->height. Returns BRIEF_EDATA if cairo reports an error. */
enum brief_status chart_draw(struct chart *c, struct canvas *cv,
			     struct diag *err);
/* A chart taller than the room a page has can be split into parts of
 * rows: a timeline's events. chart_rows is how many (0: drawn whole);
 * chart_part_height the height of rows [from, to) drawn as one part with
 * its frame, a part after the first titled "... (continued)"; and
 * chart_draw_part draws them (chart_draw is rows [0, SIZE_MAX)). */
size_t chart_rows(const struct chart *c);
double chart_part_height(struct chart *c, const struct fontset *fs,
			 double width, size_t from, size_t to);
enum brief_status chart_draw_part(struct chart *c, struct canvas *cv,
				  size_t from, size_t to, struct diag *err);
/* Height chart_draw will use for a given width (keeps the aspect the spec
 * asks for; a timeline or horizontal bar chart is as tall as its rows).
 * fs measures the frame; NULL estimates it. */
double chart_height_for(struct chart *c, const struct fontset *fs,
			double width);
/* The least height it can be drawn at without crowding its labels (a
 * page may shrink a chart down to it, and to no less than 75 % of
 * chart_height_for). */
double chart_min_height(struct chart *c, const struct fontset *fs,
			double width);
/* The briefing's as_of date: a step chart's axis runs to it, so the
 * latest state holds visibly (a date before the data changes nothing). */
void chart_set_as_of(struct chart *c, struct date as_of);
/* chart_set_as_of for every chart of a document, from d->meta.as_of_date
 * (the layout calls it once as_of is resolved). */
struct doc;
void chart_doc_as_of(struct doc *d);
/* "Sources: [2] OBC Transeuropa; [3] ..." (valid until chart_free). */
const char *chart_source_line(const struct chart *c);
/* Alt text: the spec's description or a generated one. */
const char *chart_alt_text(const struct chart *c);
/* Latest date among plotted rows (year 0 if none). */
struct date chart_as_of(const struct chart *c);
/* Every string from the layout or the data that chart_draw can print
 * (spec title, subtitle, note and axis label at the block's position;
 * categories, series, claimants, units and event titles at the dataset
 * field where each first appeared), once each, in no promised order. A
 * non-OK return from fn stops the walk and is returned. */
typedef enum brief_status (*chart_text_fn)(void *ctx, const char *s,
					   const struct text_origin *at,
					   struct diag *err);
enum brief_status chart_each_text(const struct chart *c, chart_text_fn fn,
				  void *ctx, struct diag *err);
const char *chart_id(const struct chart *c);
/* Warnings found while collecting (a map's points outside it), to be
 * reported after a successful collect; valid until chart_free. */
const struct diag *chart_warnings(const struct chart *c, size_t *n);
/* Input files other than the datasets (a map's boundaries), for the
 * input hash: file i of chart_nfiles, valid until chart_free. */
size_t chart_nfiles(const struct chart *c);
const char *chart_file(const struct chart *c, size_t i);
void chart_free(struct chart *c);

/* ---- exports: a chart on its own, for other documents (chart_export.c) */

enum chart_format { CHART_PNG, CHART_SVG, CHART_PDF, CHART_TXT };
#define CHART_NFORMATS 4
/* The file name extension of a format: "png", "svg", "pdf", "txt". */
const char *chart_format_ext(enum chart_format f);

#define CHART_EXPORT_WIDTH 483.0 /* pt: a chart without a width of its own */
#define CHART_EXPORT_MARGIN 12.0 /* pt of blank space around an export */
#define CHART_SCALE_MIN 0.5      /* PNG pixels per pt: 36 to 576 dpi */
#define CHART_SCALE_MAX 8.0

struct chart_export_opts {
	double scale;      /* PNG pixels per pt: 2 is 144 dpi */
	double margin;     /* pt of blank space on every side */
	bool transparent;  /* no background: PNG alpha, no fill in SVG and PDF */
	const char *generator; /* "brief 0.1.0": PNG Software, SVG and PDF
				  generator; NULL leaves it out */
};

/* The chart drawn alone as fmt into *out (malloc'd, *len bytes; NULL on
 * error): at its spec's width (else CHART_EXPORT_WIDTH) and the height
 * it takes there, o->margin around it, and a source line that names the
 * sources ("Source: OBC Transeuropa; David Verberckt"): outside its
 * briefing a number [n] points nowhere. PNG: a pHYs chunk of 72 x scale
 * dpi, so it pastes at its real size, and the title and alt text as iTXt;
 * SVG: real <text>, <title> and <desc>; PDF: one page of the image's
 * size, fonts embedded; TXT: the alt text and a newline. stamp (16 bytes,
 * or NULL) is recorded where chart_export_has_stamp finds it: PNG tEXt
 * "brief-input", SVG <metadata>, PDF /ID. A PNG over 32767 pixels a side
 * or 100 million in all is an input error at the chart's block. */
enum brief_status chart_export(struct chart *c, const struct fontset *fs,
			       enum chart_format fmt,
			       const struct chart_export_opts *o,
			       const uint8_t *stamp, unsigned char **out,
			       size_t *len, struct diag *err);

/* Whether the file at path is an export of fmt that records stamp (a TXT
 * records none: false). */
bool chart_export_has_stamp(const char *path, enum chart_format fmt,
			    const uint8_t stamp[16]);

/* The chart files a run has written into one directory, so that a second
 * chart with the same file name (ids compared without case, as some file
 * systems do) is an error at its own block instead of overwriting the
 * first. Owns its strings; zero it to start, free it at the end of the
 * run. */
struct chart_export_seen {
	char **id, **at; /* the id and "layout:line:col" of each chart */
	size_t n, cap, atcap;
};
void chart_export_seen_free(struct chart_export_seen *s);

struct chart_export_count {
	unsigned written; /* files written */
	unsigned current; /* files left alone: already up to date */
};

/* chart_export for every chart of d (nested blocks too, in document
 * order) into dir (created with its parents) as <id>.png, .svg, .pdf and
 * .txt, each replaced atomically (outfile_write_atomic). Each file's
 * stamp comes from d->input_hash (call outfile_finish_hash first), the
 * chart's id, the format and the options that change it. if_changed: a
 * file that already records its stamp (a .txt: that holds its text
 * already) is left alone. n counts files (may be NULL). */
enum brief_status chart_export_doc(const struct doc *d,
				   const struct fontset *fs, const char *dir,
				   const struct chart_export_opts *o,
				   bool if_changed,
				   struct chart_export_seen *seen,
				   struct chart_export_count *n,
				   struct diag *err);

#endif
