/* chart_frame.h — what every chart and map has around its plot: title,
 * subtitle, a legend in wrapped rows, and the footer (sources, a
 * footnote, the note, data as of, keys to the marks, a disclaimer); with
 * the wrapped text, hatching and markers both draw with. Used by the
 * chart files (through chart_impl.h) and by map_draw.c. */
#ifndef BRIEF_CHART_FRAME_H
#define BRIEF_CHART_FRAME_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "chart.h"
#include "l10n.h"
#include "strtab.h"

struct doc_run;

/* The plot area, pt, origin top left. */
struct plot {
	double x0, y0, x1, y1;
};

enum legend_kind {
	LEGEND_SWATCH, /* a filled square, hatched by pattern */
	LEGEND_LINE,   /* a line with a marker of shape pattern */
	LEGEND_DASHED, /* the same, dashed */
	LEGEND_HEADING /* bold text starting a new row for the items after it */
};

#define LEGEND_KEY 8.0 /* the side of a key's square, pt */

/* One legend item. Strings are borrowed for the call. */
struct legend_item {
	const char *name;
	struct rgba color;
	int pattern;
	enum legend_kind kind;
	/* When set, draws the key instead of the kind's: in the LEGEND_KEY
	 * square with top left (x, y). data is the caller's. */
	void (*key)(struct canvas *cv, const struct legend_item *it, double x,
		    double y);
	const void *data;
};

/* A frame to draw. Strings are borrowed; NULL or "" leaves a part out.
 * The footer reads: source line, footnote, note (a full stop added),
 * "Data as of <as_of>.", the keys, then the disclaimer in italics. */
struct frame {
	const char *title, *subtitle;
	bool continued; /* a later part: the title says so, no subtitle */
	const struct legend_item *items;
	size_t nitems;
	const char *source_line;
	const char *footnote;
	const char *note;
	struct date as_of; /* year 0: none */
	const char *keys[2];
	const char *disclaimer;
};

extern const struct rgba chart_ink, chart_grey, chart_grid, chart_white;

/* Titles and legend from the top of cv, the footer at its bottom; plot
 * gets the full width between them. With cv->cr NULL it only measures.
 * Returns plot->y0. */
double frame_draw(struct canvas *cv, const struct frame *f,
		  struct plot *plot);
/* The frame's height at a width: everything but the plot (fs NULL: a
 * rough estimate). Sets *oom (when oom is not NULL) if breaking its text
 * ran out of memory: the height is then short. */
double frame_height(const struct frame *f, const struct fontset *fs,
		    double width, bool *oom);

/* "Source: [1] Name" or "Sources: [1] A; [2] B; C" into b: the sources
 * whose ids srcs holds, named as the data layer names them, numbered
 * sources in citation order (cite: a number per srcs entry, 0 none; NULL:
 * none numbered) and the others after them in order of first use. No
 * final full stop; nothing when srcs is empty. */
void chart_source_list(struct buf *b, const struct strtab *srcs,
		       const int *cite, const struct sources *sources);
/* The words of alt texts and footers, shared by charts and maps: message
 * m of the active catalogue appended to b, or without one english
 * (l10n_say: the same placeholders, filled with x, y, z in order); the
 * separator between the items of a list ("; "). */
void chart_say(struct buf *b, enum l10n_msg m, const char *english,
	       const char *x, const char *y, const char *z);
const char *chart_list_separator(void);
/* The bibliography number of each srcs entry (heap, srcs->n + 1 long);
 * NULL when out of memory. */
int *chart_cite_numbers(const struct strtab *srcs, chart_cite_fn cite,
			void *ctx);

/* Wrapped text from (x, y), the top of its first line; returns its
 * height. draw false: measure only. */
double chart_wrap_text(struct canvas *cv, const char *text, double x,
		       double y, double width, double size,
		       enum font_style style, struct rgba color, bool draw);
/* The same for runs of their own styles (RUN_BOLD, RUN_ITALIC). */
double chart_wrap_runs(struct canvas *cv, const struct doc_run *runs,
		       size_t n, double x, double y, double width, double size,
		       struct rgba color, bool draw);
/* Hatch a rectangle with pattern's thin white lines (0: none). */
void chart_hatch_rect(struct canvas *cv, double x0, double y0, double x1,
		      double y1, int pattern);
/* A filled marker of shape (0 circle, 1 square, 2 triangle, 3 diamond). */
void chart_marker(struct canvas *cv, double x, double y, double r, int shape,
		  struct rgba color);

#endif
