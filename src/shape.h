/* shape.h — text shaping with HarfBuzz over the fontset's faces: kerning,
 * ligatures, mark positioning, Arabic joining. Text is itemised into runs
 * of one style and language (the caller's spans), one face (the fontset's
 * per-character fallback, fontset_each_run), one script (Unicode script
 * property, Common and Inherited characters taking their neighbours'
 * script) and one bidi level (bidi.h); each run is shaped in its own
 * direction.
 *
 * Two entry points. shape_text_width is the one width function the line
 * breaker measures with (the shaped advance of a word or any string).
 * shape_line shapes one broken line for drawing: its runs in visual order
 * with glyph ids, advances, offsets and clusters, which pdf_glyphs.h
 * writes to the PDF as positioned glyph runs.
 *
 * Both take words (text between spaces) from one word cache: a word is
 * shaped once per document however often it is measured and drawn, and a
 * line's width is exactly the sum of the widths its words and spaces were
 * measured with. A word a span cuts (a link inside it, a citation mark)
 * is shaped in place, the line as context, and cached with the bytes of
 * context HarfBuzz reads. That is exact for faces whose layout tables never look
 * at the space glyph (all the Noto faces); in a face where a ligature or
 * kerning pair crosses a space, runs are shaped whole instead. Measured
 * on the default briefing's text (1,927 words, 703 distinct, Noto Sans):
 * measuring 14.7 M instructions, drawing its lines 5.2 M, against 1.0 M
 * for the unshaped width function (see text_demo --bench-words). */
#ifndef BRIEF_SHAPE_H
#define BRIEF_SHAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bidi.h"
#include "diag.h"
#include "fontset.h"

/* The shaper: a HarfBuzz font per fontset face, one reusable buffer, the
 * width cache and the word cache. Owns those; the fontset is not owned
 * and must outlive it. Not thread-safe (measuring fills the caches). */
struct shaper;

/* Open a HarfBuzz font for every face of fs. Returns BRIEF_OK, BRIEF_EIO
 * when a face's file cannot be read by HarfBuzz (err names it) or
 * BRIEF_ENOMEM. Free with shaper_free (NULL is fine). */
enum brief_status shaper_new(const struct fontset *fs, struct shaper **out,
			     struct diag *err);
void shaper_free(struct shaper *sh);

const struct fontset *shaper_fontset(const struct shaper *sh);
/* Units per em of a face (its glyph positions are in these units). */
unsigned shaper_upem(const struct shaper *sh, int face);
/* The face's HarfBuzz face (hb_face_t *, owned by the shaper), for
 * subsetting it (pdf_glyphs.h). NULL for a face out of range. */
void *shaper_hb_face(const struct shaper *sh, int face);

/* Advance width in points of UTF-8 text s at size pt, shaped in style and
 * language lang (BCP 47 such as "fr", "ar"; NULL or "" for none): the sum
 * of HarfBuzz's advances with kerning and ligatures, each run in its
 * script's own direction. Missing characters measure as U+FFFD, as
 * fontset_each_run draws them. Results are cached by (style, language,
 * text), the words by (face, script, direction, language, text); each
 * cache is bounded (SHAPE_CACHE_BYTES) and emptied when full. Returns 0
 * for empty text, or when shaping failed (out of memory; then
 * shape_out_of_memory says so from then on). */
double shape_text_width(struct shaper *sh, enum font_style style,
			const char *lang, const char *s, size_t len,
			double size);
/* Whether a measurement ran out of memory since the shaper was made (its
 * width was short): a stage that measured checks it once at its end and
 * fails with out of memory rather than use the short widths. */
bool shape_out_of_memory(const struct shaper *sh);

#define SHAPE_CACHE_BYTES (4u << 20)

/* Turn the caches off (and empty them) or back on; on after shaper_new.
 * Off, every run is shaped whole by HarfBuzz, with its line as context:
 * the reference the cached words are tested against, and a measure of
 * what the caches save. */
void shaper_set_cache(struct shaper *sh, bool on);

/* Cache counters since shaper_new, for measurements (make bench). */
struct shape_stats {
	unsigned long lookups, hits;           /* shape_text_width */
	unsigned long word_lookups, word_hits; /* the word cache */
	unsigned long flushes;
};
void shape_stats(const struct shaper *sh, struct shape_stats *out);

/* A style and language over part of a paragraph's text. Spans given to
 * shape_line cover the paragraph in order without gaps; `tag` is the
 * caller's (a doc run index, say) and comes back on every shaped run. */
struct shape_span {
	size_t start, len;
	enum font_style style;
	const char *lang; /* not owned; NULL or "" for none */
	int tag;
};

/* One glyph. Positions in the face's font units (shaper_upem); cluster is
 * the byte offset in the line's text (struct shape_line.text) of the
 * first character the glyph belongs to (HarfBuzz's monotone-character
 * clusters: every character its own cluster except where a ligature
 * merges them). */
struct shape_glyph {
	uint32_t gid;
	int32_t x_advance;
	int32_t x_offset, y_offset;
	uint32_t cluster;
};

/* One shaped run of a line. */
struct shape_run {
	int face;           /* fontset face */
	unsigned upem;
	uint8_t level;      /* bidi level: odd runs read right to left */
	uint32_t script;    /* hb_script_t, an ISO 15924 tag */
	int tag;            /* of the span it comes from */
	bool missing;       /* no face has these characters: U+FFFD glyphs */
	bool hyphen;        /* the hyphen shape_line inserted at a break */
	size_t start, len;  /* its characters: bytes of the line's text */
	size_t first, n;    /* its glyphs: line.glyphs[first .. first+n),
			     * left to right */
	double x_em;        /* left edge from the line's start, in em */
	double advance_em;  /* sum of its advances / upem */
};

/* A shaped line. Owns text, runs and glyphs (shape_line_free). */
struct shape_line {
	char *text;          /* the line's characters, logical order, plus an
			      * inserted hyphen; clusters index this */
	size_t len;
	size_t para_start;   /* where text starts in the paragraph */
	bool rtl;            /* the paragraph's base direction */
	struct shape_run *runs; /* visual order, left to right */
	size_t nruns;
	struct shape_glyph *glyphs;
	size_t nglyphs;
	double width_em;     /* natural width: sum of advances / upem */
	size_t nspaces;      /* U+0020 glyphs, where justification stretches */
};

/* Shape the line [start, end) of paragraph text s (len bytes) for drawing.
 * spans cover the paragraph (see struct shape_span); bp is its bidi
 * analysis (NULL: the line is analysed alone, base direction from its
 * first strong character). The line is reordered (bidi_line_runs) and
 * each run itemised and shaped with the line as context. hyphen: the line
 * ends at a hyphenation point, so a hyphen is shaped after its last
 * character (a run of its own with .hyphen set). Returns BRIEF_OK,
 * BRIEF_ENOMEM, or BRIEF_EINTERNAL (bad range, spans not covering the
 * line, HarfBuzz failed); err filled. out is zeroed first and freed on
 * failure. Width in points: out->width_em * size. */
enum brief_status shape_line(struct shaper *sh, const char *s, size_t len,
			     const struct shape_span *spans, size_t nspans,
			     const struct bidi_para *bp, size_t start,
			     size_t end, bool hyphen, struct shape_line *out,
			     struct diag *err);
void shape_line_free(struct shape_line *ln); /* frees, zeroes ln */

/* The characters of glyph g of run r: *len bytes at ln->text + *start
 * (a cluster's text; 0 bytes for the second and later glyphs of one
 * cluster). */
void shape_glyph_text(const struct shape_line *ln, const struct shape_run *r,
		      size_t g, size_t *start, size_t *len);

#endif
