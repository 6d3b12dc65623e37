/* linebreak.h — the one line breaker: styled runs in, lines of placed
 * fragments out. Greedy fill, justified or aligned, words wider than the
 * line broken at UTF-8 boundaries (after '/', '-', '.', ... when possible).
 * Paragraphs, list items, table cells, key figures, bibliography entries
 * and headings all go through it, measured with fontset_text_width. */
#ifndef BRIEF_LINEBREAK_H
#define BRIEF_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "doc.h"
#include "fontset.h"

enum lb_align { LB_LEFT, LB_RIGHT, LB_CENTER, LB_JUSTIFY };

struct lb_opts {
	double width;       /* line width, pt */
	double size;        /* font size, pt */
	unsigned style;     /* RUN_BOLD/RUN_ITALIC OR'ed into every run */
	enum lb_align align;
};

/* A piece of one run's text placed on a line. s points into the run's
 * text (not owned). word_start: a space precedes it on the line. */
struct lb_frag {
	const char *s;
	size_t len;
	const struct doc_run *run;
	enum font_style style;
	double x; /* from the line's left edge, after alignment */
	double w;
	bool word_start;
};

struct lb_line {
	size_t first, n; /* frags[first .. first+n) */
	double width;    /* natural width, before justification stretch */
};

/* The lines of one block of text. Owns its two arrays (free with
 * lb_para_free); the fragments point into the runs, which must outlive it. */
struct lb_para {
	struct lb_frag *frags;
	size_t nfrags, capfrags;
	struct lb_line *lines;
	size_t nlines, caplines;
};

/* Break runs into lines of o->width. A run "\n" (or a '\n' in a run) is a
 * hard break. Empty text gives zero lines. Returns BRIEF_ENOMEM when an
 * allocation fails (err filled); out is then freed. */
enum brief_status linebreak(const struct fontset *fs,
			    const struct doc_run *runs, size_t nruns,
			    const struct lb_opts *o, struct lb_para *out,
			    struct diag *err);
void lb_para_free(struct lb_para *p); /* frees the arrays, zeroes p */

/* Width of the widest word (*min) and of the whole text on one line
 * (*max, the widest hard-broken line), for table column widths. Returns
 * BRIEF_ENOMEM (both 0) when out of memory. */
enum brief_status lb_measure(const struct fontset *fs, const struct doc_run *runs,
		size_t nruns, double size, unsigned style, double *min,
		double *max);

/* The font style of a run under a base style (code is set in regular). */
enum font_style lb_font_style(unsigned run_style, unsigned base);

#endif
