/* bidi.c — UAX #9 with FriBidi (bidi.h). */
#include "bidi.h"

#include <fribidi.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistr.h>

static enum brief_status oom(struct diag *err)
{
	return diag_set(err, BRIEF_ENOMEM, "", 0, 0,
			"out of memory in the bidirectional algorithm");
}

/* Decode one code point at s (n bytes left, n > 0); invalid sequences
 * decode as U+FFFD of length 1. */
static size_t next_cp(const char *s, size_t n, uint32_t *cp)
{
	ucs4_t c;
	int k = u8_mbtouc(&c, (const uint8_t *)s, n);

	*cp = c;
	return k > 0 ? (size_t)k : 1;
}

static bool type_rtl(FriBidiCharType t)
{
	return FRIBIDI_IS_RTL(t) && (FRIBIDI_IS_STRONG(t) ||
				     (FRIBIDI_IS_EXPLICIT(t) || FRIBIDI_IS_ISOLATE(t)));
}

bool bidi_has_rtl(const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		unsigned char b = (unsigned char)s[i];

		if (b < 0x80) { /* ASCII is never right to left */
			i++;
			continue;
		}
		i += next_cp(s + i, len - i, &cp);
		if (type_rtl(fribidi_get_bidi_type(cp)))
			return true;
	}
	return false;
}

bool bidi_strong_extent(const char *s, size_t len, bool rtl, size_t *start,
			size_t *end)
{
	bool found = false;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = next_cp(s + i, len - i, &cp);
		FriBidiCharType t = fribidi_get_bidi_type(cp);

		if (rtl ? (t == FRIBIDI_TYPE_RTL || t == FRIBIDI_TYPE_AL)
			: t == FRIBIDI_TYPE_LTR) {
			if (!found)
				*start = i;
			*end = i + k;
			found = true;
		}
		i += k;
	}
	return found;
}

void bidi_para_free(struct bidi_para *p)
{
	if (!p)
		return;
	free(p->levels);
	free(p->cp_off);
	free(p->types);
	free(p->cp_levels);
	memset(p, 0, sizeof *p);
}

static FriBidiParType par_type(enum bidi_base base)
{
	switch (base) {
	case BIDI_RTL:
		return FRIBIDI_PAR_RTL;
	case BIDI_AUTO_LTR:
		return FRIBIDI_PAR_WLTR;
	case BIDI_AUTO_RTL:
		return FRIBIDI_PAR_WRTL;
	case BIDI_LTR:
	default:
		return FRIBIDI_PAR_LTR;
	}
}

/* Code points and their byte offsets, and with `types` their bidi
 * types (the fast path needs none). */
static enum brief_status decode(const char *s, size_t len, struct bidi_para *p,
				bool types, FriBidiChar **cps, struct diag *err)
{
	size_t n = 0;

	for (size_t i = 0; i < len; n++) {
		uint32_t cp;

		i += next_cp(s + i, len - i, &cp);
	}
	p->ncp = n;
	p->cp_off = malloc((n + 1) * sizeof *p->cp_off);
	p->types = malloc((n + 1) * sizeof *p->types);
	p->cp_levels = malloc((n + 1) * sizeof *p->cp_levels);
	*cps = malloc((n + 1) * sizeof **cps);
	if (!p->cp_off || !p->types || !p->cp_levels || !*cps)
		return oom(err);
	n = 0;
	for (size_t i = 0; i < len; n++) {
		uint32_t cp;

		p->cp_off[n] = i;
		i += next_cp(s + i, len - i, &cp);
		(*cps)[n] = cp;
	}
	p->cp_off[n] = len;
	if (types)
		fribidi_get_bidi_types(*cps, (FriBidiStrIndex)n, p->types);
	return BRIEF_OK;
}

/* Embedding levels with FriBidi (rules P2–I2, brackets by BD16), with an
 * FSI before code point iso[2k] and a PDI before iso[2k+1] (ranges in
 * code point indices, in order): the isolates take part in resolving the
 * levels, then are dropped. */
static enum brief_status resolve(struct bidi_para *p, const FriBidiChar *cps,
				 enum bidi_base base, const size_t *iso,
				 size_t niso, struct diag *err)
{
	size_t n = p->ncp + 2 * niso;
	FriBidiBracketType *br = malloc((n + 1) * sizeof *br);
	FriBidiLevel *lev = malloc((n + 1) * sizeof *lev);
	FriBidiCharType *ty = niso ? malloc((n + 1) * sizeof *ty) : p->types;
	FriBidiChar *xc = niso ? malloc((n + 1) * sizeof *xc) : NULL;
	const FriBidiChar *c = niso ? xc : cps;
	FriBidiParType dir = par_type(base);
	enum brief_status st = BRIEF_OK;

	if (!br || !lev || !ty || (niso && !xc)) {
		st = oom(err);
		goto out;
	}
	if (niso) {
		size_t k = 0, o = 0;

		for (size_t i = 0; i <= p->ncp; i++) {
			while (k < 2 * niso && iso[k] == i) {
				xc[o] = k % 2 ? 0x2069 : 0x2068;
				ty[o++] = k % 2 ? FRIBIDI_TYPE_PDI
						: FRIBIDI_TYPE_FSI;
				k++;
			}
			if (i < p->ncp) {
				xc[o] = cps[i];
				ty[o++] = p->types[i];
			}
		}
		n = o;
	}
	fribidi_get_bracket_types(c, (FriBidiStrIndex)n, ty, br);
	if (n > 0 &&
	    fribidi_get_par_embedding_levels_ex(ty, br, (FriBidiStrIndex)n,
						&dir, lev) == 0) {
		st = diag_set(err, BRIEF_EINTERNAL, "", 0, 0,
			      "internal error in FriBidi: cannot resolve "
			      "embedding levels");
		goto out;
	}
	if (p->ncp == 0)
		dir = FRIBIDI_IS_RTL(dir) ? FRIBIDI_PAR_RTL
					      : FRIBIDI_PAR_LTR;
	p->rtl = FRIBIDI_IS_RTL(dir);
	for (size_t i = 0, k = 0, o = 0; i < p->ncp; i++) {
		while (k < 2 * niso && iso[k] == i) {
			k++;
			o++;
		}
		p->cp_levels[i] = (int8_t)lev[o++];
	}
out:
	free(br);
	free(lev);
	if (niso) {
		free(ty);
		free(xc);
	}
	return st;
}

enum brief_status bidi_analyse(const char *s, size_t len, enum bidi_base base,
			       struct bidi_para *out, struct diag *err)
{
	return bidi_analyse_isolated(s, len, base, NULL, 0, out, err);
}

/* The code point index of byte offset b (the first at or after it). */
static size_t cp_at(const struct bidi_para *p, size_t b)
{
	size_t lo = 0, hi = p->ncp;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->cp_off[mid] < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

enum brief_status bidi_analyse_isolated(const char *s, size_t len,
					enum bidi_base base,
					const size_t *iso, size_t niso,
					struct bidi_para *out,
					struct diag *err)
{
	FriBidiChar *cps = NULL;
	size_t *ic = NULL;
	enum brief_status st;
	bool fast;

	memset(out, 0, sizeof *out);
	out->len = len;
	out->levels = malloc(len + 1);
	if (!out->levels) {
		st = oom(err);
		goto out;
	}
	fast = (base == BIDI_LTR || base == BIDI_AUTO_LTR) &&
	       !bidi_has_rtl(s, len);
	st = decode(s, len, out, !fast, &cps, err);
	if (st != BRIEF_OK)
		goto out;
	if (fast) {
		/* Nothing can raise a level: every character is at 0. */
		memset(out->cp_levels, 0, out->ncp);
		out->rtl = false;
	} else {
		if (niso) {
			ic = malloc(2 * niso * sizeof *ic);
			if (!ic) {
				st = oom(err);
				goto out;
			}
			for (size_t i = 0; i < 2 * niso; i++)
				ic[i] = cp_at(out, iso[i]);
		}
		st = resolve(out, cps, base, ic, niso, err);
		if (st != BRIEF_OK)
			goto out;
	}
	for (size_t i = 0; i < out->ncp; i++) {
		uint8_t lv = (uint8_t)out->cp_levels[i];

		memset(out->levels + out->cp_off[i], lv,
		       out->cp_off[i + 1] - out->cp_off[i]);
		if (lv != (out->rtl ? 1 : 0))
			out->mixed = true;
	}
out:
	free(cps);
	free(ic);
	if (st != BRIEF_OK)
		bidi_para_free(out);
	return st;
}

/* The code point index at byte offset b, or SIZE_MAX when b is not the
 * start of one (or the end). */
static size_t cp_index(const struct bidi_para *p, size_t b)
{
	size_t lo = 0, hi = p->ncp + 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->cp_off[mid] < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo <= p->ncp && p->cp_off[lo] == b ? lo : SIZE_MAX;
}

/* Group the visual order map (logical index at each visual position, the
 * line's levels after L1) into runs of one level and adjacent logical
 * positions. */
static size_t group_runs(const struct bidi_para *p, size_t cs,
			 const FriBidiStrIndex *map, const FriBidiLevel *lev,
			 size_t n, struct bidi_run *runs)
{
	size_t nr = 0, v = 0;

	while (v < n) {
		size_t lo = (size_t)map[v], hi = lo, w = v + 1;
		FriBidiLevel lv = lev[lo];
		bool odd = lv & 1;

		while (w < n && lev[map[w]] == lv &&
		       (size_t)map[w] == (odd ? lo - 1 : hi + 1)) {
			if (odd)
				lo--;
			else
				hi++;
			w++;
		}
		runs[nr].start = p->cp_off[cs + lo];
		runs[nr].len = p->cp_off[cs + hi + 1] - p->cp_off[cs + lo];
		runs[nr].level = (uint8_t)lv;
		nr++;
		v = w;
	}
	return nr;
}

enum brief_status bidi_line_runs(const struct bidi_para *p, size_t start,
				 size_t end, struct bidi_run **runs,
				 size_t *nruns, struct diag *err)
{
	size_t cs, ce, n;
	FriBidiStrIndex *map = NULL;
	FriBidiLevel *lev = NULL;
	enum brief_status st = BRIEF_OK;

	*runs = NULL;
	*nruns = 0;
	cs = start <= end && end <= p->len ? cp_index(p, start) : SIZE_MAX;
	ce = cs != SIZE_MAX ? cp_index(p, end) : SIZE_MAX;
	if (ce == SIZE_MAX)
		return diag_set(err, BRIEF_EINTERNAL, "", 0, 0,
				"internal error in bidi: line %zu..%zu is not "
				"on character boundaries of the paragraph",
				start, end);
	n = ce - cs;
	if (n == 0)
		return BRIEF_OK;
	map = malloc(n * sizeof *map);
	lev = malloc(n * sizeof *lev);
	*runs = malloc(n * sizeof **runs);
	if (!map || !lev || !*runs) {
		st = oom(err);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		map[i] = (FriBidiStrIndex)i;
		lev[i] = (FriBidiLevel)p->cp_levels[cs + i];
	}
	if (p->mixed || p->rtl) {
		if (fribidi_reorder_line(0, p->types + cs, (FriBidiStrIndex)n,
					 0, p->rtl ? FRIBIDI_PAR_RTL
						   : FRIBIDI_PAR_LTR,
					 lev, NULL, map) == 0) {
			st = diag_set(err, BRIEF_EINTERNAL, "", 0, 0,
				      "internal error in FriBidi: cannot "
				      "reorder a line");
			goto out;
		}
	}
	*nruns = group_runs(p, cs, map, lev, n, *runs);
out:
	free(map);
	free(lev);
	if (st != BRIEF_OK) {
		free(*runs);
		*runs = NULL;
	}
	return st;
}

uint32_t bidi_mirror(uint32_t cp)
{
	FriBidiChar m;

	return fribidi_get_mirror_char(cp, &m) ? m : cp;
}

bool bidi_language_rtl(const char *lang)
{
	static const char *const rtl[] = {
		"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks",
		"nqo", "ps", "sd", "syr", "ug", "ur", "yi"};
	static const char *const rtl_scripts[] = {"arab", "hebr", "syrc",
						  "thaa", "nkoo", "adlm"};
	char primary[8];
	size_t n = 0;
	const char *sub;

	if (!lang)
		return false;
	while (lang[n] && lang[n] != '-' && lang[n] != '_' && n < 7)
		n++;
	memcpy(primary, lang, n);
	primary[n] = '\0';
	/* A script subtag decides: az-Arab is RTL, ur-Latn is not. */
	for (sub = lang + n; *sub == '-' || *sub == '_';) {
		size_t k = 1;

		while (sub[k] && sub[k] != '-' && sub[k] != '_')
			k++;
		if (k == 5) {
			for (size_t i = 0; i < sizeof rtl_scripts / sizeof *rtl_scripts; i++)
				if (strncasecmp(sub + 1, rtl_scripts[i], 4) == 0)
					return true;
			return false;
		}
		sub += k;
	}
	for (size_t i = 0; i < sizeof rtl / sizeof *rtl; i++)
		if (strcasecmp(primary, rtl[i]) == 0)
			return true;
	return false;
}
