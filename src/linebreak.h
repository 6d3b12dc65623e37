/* linebreak.h — the one line breaker: styled runs in, lines of placed
 * fragments out. Greedy fill, justified or aligned. Lines break at spaces
 * (which justification stretches), but not before closing punctuation
 * (UAX #14's LB13: "mot !", "word )") nor inside French guillemets
 * ("« mot »"). A word that does not fit is broken at its last Unicode
 * line break opportunity that does (UAX #14, lb_breaks: after the hyphen
 * of "Nagorno-Karabakh", after a soft hyphen (U+00AD, a hyphen then
 * drawn) in any alignment, around an em dash, between CJK characters), else
 * hyphenated (libhyphen, the language's dictionary) when the text is
 * justified; words wider than the line are broken at their
 * opportunities, else after '/', '-', '.', ..., else between grapheme
 * clusters. Paragraphs, list items, table cells, key figures,
 * bibliography entries and headings all go through it, measured with
 * shape_text_width (the shaped width) in each run's language: its own
 * (doc_run.lang, a span the layout marks) or the paragraph's
 * (lb_opts.lang), which the spans pass on to shape_line, so that HarfBuzz
 * applies the language's forms (OpenType locl: Serbian italics, Romanian
 * ș).
 *
 * Besides the fragments (where each piece of a run went, for link areas,
 * the dump and the text check) a broken paragraph keeps its text as one
 * string (its words with one space, or a '\n' at a hard break, between
 * them), the spans of its runs over that text, its bidi analysis and each
 * line's byte range: what shape_line (shape.h) needs to shape a line for
 * drawing, which gives exactly the widths measured here. */
#ifndef BRIEF_LINEBREAK_H
#define BRIEF_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>

#include "bidi.h"
#include "diag.h"
#include "doc.h"
#include "fontset.h"
#include "hyphenate.h"
#include "shape.h"

enum lb_align { LB_LEFT, LB_RIGHT, LB_CENTER, LB_JUSTIFY };

struct lb_opts {
	double width;       /* line width, pt */
	double size;        /* font size, pt */
	unsigned style;     /* RUN_BOLD/RUN_ITALIC OR'ed into every run */
	enum lb_align align;
	/* A right-to-left paragraph: its base direction is RTL and its
	 * alignment mirrors (LB_LEFT lines sit at the right edge, LB_RIGHT at
	 * the left; a justified paragraph's last line at the right). */
	bool rtl;
	/* The paragraph's language (BCP 47, NULL: none): runs without their
	 * own are shaped in it (the paragraph's spans point to it: it must
	 * outlive the lb_para). Hyphenation (hy NULL: none): words that do
	 * not fit a justified line are broken at the points of their
	 * language's dictionary. */
	struct hyphenator *hy;
	const char *lang;
};

/* A piece of one run's text placed on a line. s points into the run's
 * text (not owned). word_start: a space precedes it on the line. */
struct lb_frag {
	const char *s;
	size_t len;
	size_t off; /* where it is in the paragraph's text (lb_para.text) */
	const struct doc_run *run;
	enum font_style style;
	double x; /* from the line's left edge, after alignment */
	double w;
	bool word_start;
};

struct lb_line {
	size_t first, n; /* frags[first .. first+n) */
	double width;    /* natural width, before justification stretch */
	size_t start, end; /* its bytes of the paragraph's text */
	bool hyphen;     /* ends at a hyphenation point: a hyphen follows */
	double shift;    /* where it starts after alignment, pt */
	double word_space; /* justification: pt added at each space */
};

/* The lines of one block of text. Owns its arrays, the text, the spans
 * and the bidi analysis (free with lb_para_free); the fragments point
 * into the runs, which must outlive it. Span tags are indices into the
 * runs given to linebreak. */
struct lb_para {
	const struct doc_run *runs; /* given to linebreak (not owned) */
	size_t nruns;
	struct lb_frag *frags;
	size_t nfrags, capfrags;
	struct lb_line *lines;
	size_t nlines, caplines;
	char *text;
	size_t len, captext;
	struct shape_span *spans;
	size_t nspans, capspans;
	struct bidi_para bidi; /* of text, base from lb_opts.rtl */
};

/* Break runs into lines of o->width. A run "\n" (or a '\n' in a run) is a
 * hard break. Empty text gives zero lines. Returns BRIEF_ENOMEM when an
 * allocation fails, BRIEF_EINTERNAL when FriBidi fails (err filled); out
 * is then freed. */
enum brief_status linebreak(const struct fontset *fs,
			    const struct doc_run *runs, size_t nruns,
			    const struct lb_opts *o, struct lb_para *out,
			    struct diag *err);
void lb_para_free(struct lb_para *p); /* frees the arrays, zeroes p */

/* Width of the widest word (*min: with what is glued to it, "mot !")
 * and of the whole text on one line
 * (*max, the widest hard-broken line), for table column widths, runs
 * measured in their language as linebreak does (lang: the paragraph's,
 * NULL for none). Returns BRIEF_ENOMEM (both 0) when out of memory. */
enum brief_status lb_measure(const struct fontset *fs, const struct doc_run *runs,
		size_t nruns, double size, unsigned style, const char *lang,
		double *min, double *max);

/* Where a line may break inside s (n bytes of UTF-8 text without
 * spaces): at[i] (n of them) is one of these for the boundary before
 * byte i; at[0] and the bytes inside a character are LB_NO_BREAK. UAX #14
 * (libunistring) with three tailorings: no break after '.', ',', ':' or
 * ';' before an ASCII letter or digit ("e.g.": UAX #14's LB29, which
 * libunistring 1.0 lacks), none after an en dash before a digit
 * ("1991–1994", as UAX #14 keeps "bilan-1"), and breaks between the
 * grapheme clusters of Thai, Lao, Myanmar and Khmer (UAX #14 leaves them
 * to a dictionary, which libunistring has not). So: after a hyphen
 * before a letter ("Nagorno-|Karabakh"), around an em dash, after '/',
 * between ideographs but not before "、" or "。"; never at U+00A0 or
 * U+202F ("12 000", "mot !"). */
enum lb_break {
	LB_NO_BREAK,      /* inside a grapheme cluster */
	LB_CLUSTER_BREAK, /* between clusters: only to cut a word wider
			   * than the line with no opportunity */
	LB_BREAK          /* an opportunity */
};
/* False (at unset) only when out of memory. */
bool lb_breaks(const char *s, size_t n, char *at);

/* The font style of a run under a base style (code is set in regular). */
enum font_style lb_font_style(unsigned run_style, unsigned base);

/* Shape line li of p for drawing (shape_line over the paragraph's text,
 * spans and bidi analysis, with the hyphen when the line has one). Its
 * width_em * size equals the line's measured width. Returns as
 * shape_line. */
enum brief_status lb_shape_line(const struct fontset *fs,
				const struct lb_para *p, size_t li,
				struct shape_line *out, struct diag *err);

#endif
