/* bidi.h — the Unicode Bidirectional Algorithm (UAX #9) with FriBidi:
 * a paragraph's base direction and the embedding level of every character
 * (rules P2–I2, before line breaking), then one broken line reordered into
 * visual runs (L1, L2). Shaping takes the levels to split runs and set
 * their direction; the PDF back end draws a line's runs in visual order. */
#ifndef BRIEF_BIDI_H
#define BRIEF_BIDI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* How a paragraph's base direction is chosen. AUTO_* take the direction of
 * the first strong character (rules P2, P3) and fall back to LTR / RTL when
 * there is none (digits and punctuation only). */
enum bidi_base {
	BIDI_LTR,
	BIDI_RTL,
	BIDI_AUTO_LTR,
	BIDI_AUTO_RTL
};

/* One analysed paragraph. Owns every array (bidi_para_free); the text is
 * not owned and not kept. */
struct bidi_para {
	size_t len;       /* bytes of the text analysed */
	bool rtl;         /* resolved base direction */
	bool mixed;       /* some character's level differs from the base's */
	uint8_t *levels;  /* len entries: the level of the character each byte
			   * belongs to (even: left to right, odd: right to left) */
	/* Per code point, for reordering lines (private to bidi.c). */
	size_t ncp;
	size_t *cp_off;   /* ncp + 1 byte offsets; cp_off[ncp] == len */
	uint32_t *types;  /* FriBidiCharType of each code point */
	int8_t *cp_levels;
};

/* Analyse UTF-8 text s of len bytes as one paragraph (a '\n' inside is a
 * paragraph separator for the levels but the text stays one unit; invalid
 * UTF-8 counts as U+FFFD, a neutral). Text with no right-to-left
 * character under an LTR base takes a fast path without FriBidi. Returns
 * BRIEF_OK, BRIEF_ENOMEM, or BRIEF_EINTERNAL when FriBidi fails; err
 * filled. On failure *out is zeroed (bidi_para_free is still safe). */
enum brief_status bidi_analyse(const char *s, size_t len, enum bidi_base base,
			       struct bidi_para *out, struct diag *err);
/* The same with isolates: each byte range [iso[2k], iso[2k+1]) (in
 * order, not overlapping, on code point boundaries) is resolved as if
 * between U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL
 * ISOLATE, which are not in the text: a data field in another script
 * keeps the numbers and punctuation after it out of its direction
 * (UAX #9 W2 would make "مرصد, 2024" one right-to-left run). */
enum brief_status bidi_analyse_isolated(const char *s, size_t len,
					enum bidi_base base,
					const size_t *iso, size_t niso,
					struct bidi_para *out,
					struct diag *err);
void bidi_para_free(struct bidi_para *p); /* frees the arrays, zeroes p */

/* A piece of a line with one level, as a logical byte range of the
 * paragraph's text. Runs come in visual order, left to right; an odd
 * level's text is drawn right to left (its glyphs, shaped RTL, already
 * are). */
struct bidi_run {
	size_t start, len;
	uint8_t level;
};

/* Reorder the line [start, end) of an analysed paragraph (byte offsets
 * on code point boundaries, end <= p->len): rule L1 (trailing white space
 * and separators take the paragraph level) then L2. *runs is a malloc'd
 * array of *nruns runs in visual order (caller frees; NULL when the line
 * is empty). Returns BRIEF_OK, BRIEF_ENOMEM, or BRIEF_EINTERNAL (a range
 * off the text or inside a character, or FriBidi failed); err filled. */
enum brief_status bidi_line_runs(const struct bidi_para *p, size_t start,
				 size_t end, struct bidi_run **runs,
				 size_t *nruns, struct diag *err);

/* The mirrored form of cp (rule L4: '(' <-> ')', '<' <-> '>', ...), or cp
 * itself. Shaping mirrors right-to-left runs by itself (HarfBuzz does
 * it); this is for callers that draw characters without shaping. */
uint32_t bidi_mirror(uint32_t cp);

/* Whether a language (ISO 639 code, optionally with subtags: "ar",
 * "fa-IR", "az-Arab") is written right to left: a script subtag decides
 * when there is one (Arab, Hebr, Syrc, Thaa, Nkoo, Adlm are RTL), else the
 * language: ar, arc, ckb, dv, fa, he, iw, ks, nqo, ps, sd, syr, ug, ur,
 * yi. */
bool bidi_language_rtl(const char *lang);

/* Whether the UTF-8 text has a strong right-to-left character (types R,
 * AL) or an explicit RTL embedding, override or isolate. */
bool bidi_has_rtl(const char *s, size_t len);
/* The bytes from the first to the end of the last strong character of
 * one direction (rtl: types R and AL; else L) in the UTF-8 text, as
 * [*start, *end); false when it has none. */
bool bidi_strong_extent(const char *s, size_t len, bool rtl, size_t *start,
			size_t *end);


#endif
