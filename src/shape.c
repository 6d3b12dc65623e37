/* shape.c — HarfBuzz shaping, itemisation and the cached width function
 * (shape.h). */
#include "shape.h"

#include <hb-aat.h>
#include <hb-ot.h>
#include <hb.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* ---- the shaper ---------------------------------------------------- */

struct cache_ent {
	uint64_t hash;
	hb_language_t lang;
	double em;
	uint32_t off, len; /* text in the arena */
	uint8_t style;
	uint8_t used;
};

/* One word shaped alone: characters of one face, script, direction and
 * language with no space inside (or a run of spaces); or a piece of a
 * line shaped in place (see glyphs_in_place), keyed with the bytes around
 * it that HarfBuzz takes as context and the line's ends. Its text (the
 * context before, the piece, the context after) and glyphs (clusters
 * from the piece's start) are in the cache's arenas. */
struct word {
	uint64_t hash;
	uint32_t text, len;
	uint32_t glyphs, n;
	int32_t advance;       /* font units */
	int face;
	hb_script_t script;
	hb_language_t lang;
	bool rtl, bot, eot;
	uint8_t pre, post;     /* context bytes before and after the piece */
};

/* What a word is looked up by: s[0..n) with pre and post bytes of context
 * (0 and 0, bot and eot false: a word shaped alone). */
struct word_key {
	const char *s;
	size_t n, pre, post;
	int face;
	hb_script_t script;
	bool rtl, bot, eot;
	hb_language_t lang;
};

/* The word cache: the width function and the line shaper both take their
 * words from it, so a word is shaped once per document however often it
 * is measured and drawn, and a line's width is the sum of the widths its
 * words were measured with. Shaping words apart is exact in a face whose
 * layout tables never look at the space glyph (no kerning, ligature or
 * context across a space): the Noto faces; a face that does (DejaVu Sans
 * has such a ligature) is shaped run by run. Open addressing over word
 * indices (+1; 0 is empty); emptied when it would pass SHAPE_CACHE_BYTES. */
struct word_cache {
	uint32_t *slot;
	size_t nslots;
	struct word *w;
	size_t n, cap;
	char *text;
	size_t ntext, captext;
	struct shape_glyph *g;
	size_t ng, capg;
};

struct shaper {
	const struct fontset *fs;
	bool nomem; /* a measurement failed for want of memory (sticky) */
	int nfaces;
	hb_face_t **face;
	hb_font_t **font;
	unsigned *upem;
	signed char *words_ok; /* per face: -1 unknown, 1 words shape alone */
	hb_buffer_t *buf;
	/* The language last looked up, so that measuring word after word in
	 * one language costs no hb_language_from_string. */
	char lang_key[32];
	hb_language_t lang;
	struct face_langs *flangs; /* per face (face_language) */
	/* Scratch: resolved script per byte of the text being itemised. */
	hb_script_t *scripts;
	size_t capscripts;
	/* Width cache: open addressing over a power-of-two table. */
	struct cache_ent *slots;
	size_t nslots, nused;
	char *arena;
	size_t narena, caparena;
	struct word_cache words;
	struct shape_stats stats;
	bool no_cache;
};

/* The languages a face was asked for, each with what it shapes as
 * (face_language). */
#define FACE_LANGS 4
struct face_langs {
	hb_language_t given[FACE_LANGS], shaped[FACE_LANGS];
	unsigned n, next; /* entries used; where the next one goes */
};

static void words_flush(struct shaper *sh);

#define CACHE_MIN_SLOTS 1024u
#define CACHE_MAX_SLOTS 32768u

enum brief_status shaper_new(const struct fontset *fs, struct shaper **out,
			     struct diag *err)
{
	struct shaper *sh = calloc(1, sizeof *sh);
	int n = fontset_face_count(fs);
	enum brief_status st = BRIEF_OK;

	*out = NULL;
	if (!sh)
		goto nomem;
	sh->fs = fs;
	sh->nfaces = n;
	sh->face = calloc((size_t)n + 1, sizeof *sh->face);
	sh->font = calloc((size_t)n + 1, sizeof *sh->font);
	sh->upem = calloc((size_t)n + 1, sizeof *sh->upem);
	sh->words_ok = malloc((size_t)n + 1);
	sh->flangs = calloc((size_t)n + 1, sizeof *sh->flangs);
	sh->buf = hb_buffer_create();
	if (sh->words_ok)
		memset(sh->words_ok, -1, (size_t)n + 1);
	if (!sh->face || !sh->font || !sh->upem || !sh->words_ok ||
	    !sh->flangs || !hb_buffer_allocation_successful(sh->buf))
		goto nomem;
	for (int i = 0; i < n; i++) {
		const char *path = fontset_face_path(fs, i);
		hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);

		if (!blob) {
			st = diag_set(err, BRIEF_EIO, path, 0, 0,
				      "HarfBuzz cannot read the font file");
			goto fail;
		}
		sh->face[i] = hb_face_create(blob, 0);
		hb_blob_destroy(blob);
		if (hb_face_get_glyph_count(sh->face[i]) == 0) {
			st = diag_set(err, BRIEF_EIO, path, 0, 0,
				      "not a font HarfBuzz can shape with "
				      "(no glyphs)");
			goto fail;
		}
		sh->upem[i] = hb_face_get_upem(sh->face[i]);
		sh->font[i] = hb_font_create(sh->face[i]);
		/* Positions in font units: what /W and TJ are computed from. */
		hb_font_set_scale(sh->font[i], (int)sh->upem[i],
				  (int)sh->upem[i]);
	}
	*out = sh;
	return BRIEF_OK;
nomem:
	st = diag_set(err, BRIEF_ENOMEM, "", 0, 0,
		      "out of memory setting up text shaping");
fail:
	shaper_free(sh);
	return st;
}

void shaper_free(struct shaper *sh)
{
	if (!sh)
		return;
	for (int i = 0; i < sh->nfaces; i++) {
		if (sh->font)
			hb_font_destroy(sh->font[i]);
		if (sh->face)
			hb_face_destroy(sh->face[i]);
	}
	free(sh->font);
	free(sh->face);
	free(sh->upem);
	free(sh->words_ok);
	free(sh->flangs);
	hb_buffer_destroy(sh->buf);
	free(sh->scripts);
	free(sh->slots);
	free(sh->arena);
	free(sh->words.slot);
	free(sh->words.w);
	free(sh->words.text);
	free(sh->words.g);
	free(sh);
}

const struct fontset *shaper_fontset(const struct shaper *sh)
{
	return sh ? sh->fs : NULL;
}

unsigned shaper_upem(const struct shaper *sh, int face)
{
	return sh && face >= 0 && face < sh->nfaces ? sh->upem[face] : 0;
}

void *shaper_hb_face(const struct shaper *sh, int face)
{
	return sh && face >= 0 && face < sh->nfaces ? sh->face[face] : NULL;
}

void shaper_set_cache(struct shaper *sh, bool on)
{
	if (!sh)
		return;
	sh->no_cache = !on;
	if (!on && sh->slots) {
		memset(sh->slots, 0, sh->nslots * sizeof *sh->slots);
		sh->nused = 0;
		sh->narena = 0;
	}
	if (!on)
		words_flush(sh);
}

void shape_stats(const struct shaper *sh, struct shape_stats *out)
{
	static const struct shape_stats none;

	*out = sh ? sh->stats : none;
}

/* Whether face f has OpenType rules of its own for language l (a LangSys
 * under a script of its GSUB or GPOS, as Noto Sans has for Serbian and
 * Romanian) or AAT ones (which may look at it). */
static bool face_has_language(hb_face_t *f, hb_language_t l)
{
	static const hb_tag_t tables[] = {HB_OT_TAG_GSUB, HB_OT_TAG_GPOS};
	hb_tag_t tags[HB_OT_MAX_TAGS_PER_LANGUAGE];
	unsigned nscript = 0, ntags = HB_OT_MAX_TAGS_PER_LANGUAGE;

	if (hb_aat_layout_has_substitution(f))
		return true;
	hb_ot_tags_from_script_and_language(HB_SCRIPT_UNKNOWN, l, &nscript,
					    NULL, &ntags, tags);
	for (size_t t = 0; ntags && t < sizeof tables / sizeof tables[0]; t++) {
		unsigned n = hb_ot_layout_table_get_script_tags(f, tables[t], 0,
								NULL, NULL);

		for (unsigned i = 0; i < n; i++) {
			unsigned li;

			if (hb_ot_layout_script_select_language(f, tables[t], i,
								ntags, tags,
								&li))
				return true;
		}
	}
	return false;
}

/* What l shapes as in face f: itself, or no language when the face has
 * no rules for it ("en" in Noto Sans), so that words in the document's
 * language and brief's own language-less text (chart labels) share word
 * cache entries and are shaped once. Remembered for a few languages per
 * face, so each face's tables are looked at once per language. */
static hb_language_t face_language(struct shaper *sh, int f, hb_language_t l)
{
	struct face_langs *fl;
	hb_language_t shaped;

	if (l == HB_LANGUAGE_INVALID || f < 0 || f >= sh->nfaces)
		return l;
	fl = &sh->flangs[f];
	for (unsigned i = 0; i < fl->n; i++)
		if (fl->given[i] == l)
			return fl->shaped[i];
	shaped = face_has_language(sh->face[f], l) ? l : HB_LANGUAGE_INVALID;
	/* Past FACE_LANGS languages the oldest answer makes room. */
	fl->given[fl->next] = l;
	fl->shaped[fl->next] = shaped;
	fl->next = (fl->next + 1) % FACE_LANGS;
	if (fl->n < FACE_LANGS)
		fl->n++;
	return shaped;
}

static hb_language_t language(struct shaper *sh, const char *lang)
{
	size_t n;

	if (!lang || !*lang)
		return HB_LANGUAGE_INVALID;
	n = strlen(lang);
	if (n >= sizeof sh->lang_key)
		return hb_language_from_string(lang, -1);
	if (strcmp(sh->lang_key, lang) != 0) {
		memcpy(sh->lang_key, lang, n + 1);
		sh->lang = hb_language_from_string(lang, (int)n);
	}
	return sh->lang;
}

/* ---- UTF-8 and scripts ----------------------------------------------- */

static bool script_real(hb_script_t s)
{
	return s != HB_SCRIPT_COMMON && s != HB_SCRIPT_INHERITED &&
	       s != HB_SCRIPT_UNKNOWN && s != HB_SCRIPT_INVALID;
}

/* The script of every byte of s: each character's Unicode script, with
 * Common and Inherited characters (spaces, digits, punctuation, marks)
 * taking the script before them, or at the start the first one after. */
static hb_script_t *resolve_scripts(struct shaper *sh, const char *s,
				    size_t len)
{
	hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
	const unsigned char *u = (const unsigned char *)s;
	hb_script_t cur = HB_SCRIPT_COMMON;
	size_t lead = 0; /* bytes before the first real script */

	if (len + 1 > sh->capscripts) {
		size_t cap = len + 64;
		hb_script_t *p = realloc(sh->scripts, cap * sizeof *p);

		if (!p)
			return NULL;
		sh->scripts = p;
		sh->capscripts = cap;
	}
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = fontset_utf8_next(s + i, len - i, &cp);
		hb_script_t sc = u[i] < 0x80 && !((u[i] | 0x20) >= 'a' &&
						  (u[i] | 0x20) <= 'z')
					 ? HB_SCRIPT_COMMON
				 : u[i] < 0x80 ? HB_SCRIPT_LATIN
					       : hb_unicode_script(uf, cp);

		if (script_real(sc)) {
			if (!script_real(cur))
				for (size_t k = 0; k < lead; k++)
					sh->scripts[k] = sc;
			cur = sc;
		} else if (!script_real(cur)) {
			lead = i + n;
		}
		for (size_t k = 0; k < n; k++)
			sh->scripts[i + k] = cur;
		i += n;
	}
	return sh->scripts;
}

/* ---- shaping one item ------------------------------------------------- */

/* Shape bytes [off, off + n) of the context ctx (ctx_len bytes) in font
 * f; the glyphs stay in sh->buf. false when HarfBuzz ran out of memory. */
static bool shape_item(struct shaper *sh, int face, const char *ctx,
		       size_t ctx_len, size_t off, size_t n, hb_script_t script,
		       hb_direction_t dir, hb_language_t lang, bool bot,
		       bool eot)
{
	hb_buffer_t *b = sh->buf;

	hb_buffer_clear_contents(b);
	hb_buffer_set_cluster_level(b,
				    HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
	hb_buffer_set_flags(b, (bot ? HB_BUFFER_FLAG_BOT : 0) |
				       (eot ? HB_BUFFER_FLAG_EOT : 0));
	hb_buffer_add_utf8(b, ctx, (int)ctx_len, (unsigned)off, (int)n);
	hb_buffer_set_direction(b, dir);
	hb_buffer_set_script(b, script);
	if (lang != HB_LANGUAGE_INVALID)
		hb_buffer_set_language(b, lang);
	hb_shape(sh->font[face], b, NULL, 0);
	return hb_buffer_allocation_successful(b);
}

/* ---- the word cache ------------------------------------------------------ */

/* A glyph of HarfBuzz's output. */
static struct shape_glyph glyph_of(const hb_glyph_info_t *info,
				   const hb_glyph_position_t *pos)
{
	return (struct shape_glyph){info->codepoint, pos->x_advance,
				    pos->x_offset, pos->y_offset,
				    info->cluster};
}

static uint64_t word_hash(const struct word_key *k)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < k->n; i++)
		h = (h ^ (unsigned char)k->s[i]) * 1099511628211ull;
	h ^= ((uint64_t)(unsigned)k->face << 3 | (uint64_t)k->rtl << 2 |
	      (uint64_t)k->bot << 1 | k->eot) * 0x9E3779B97F4A7C15ull;
	h ^= (uint64_t)k->script * 0xC2B2AE3D27D4EB4Full;
	h ^= (uint64_t)(uintptr_t)k->lang * 0x165667B19E3779F9ull;
	h ^= (uint64_t)(k->pre << 8 | k->post) * 0x27D4EB2F165667C5ull;
	return h;
}

static void words_flush(struct shaper *sh)
{
	struct word_cache *c = &sh->words;

	if (c->slot)
		memset(c->slot, 0, c->nslots * sizeof *c->slot);
	c->n = c->ntext = c->ng = 0;
	sh->stats.flushes++;
}

/* What the cached words take: their entries, text and glyphs as used (not
 * the arrays' capacities, which a flush keeps: counted, one large text
 * would leave every later word flushing the cache). */
static size_t words_bytes(const struct word_cache *c)
{
	return c->nslots * sizeof *c->slot + c->n * sizeof *c->w + c->ntext +
	       c->ng * sizeof *c->g;
}

/* The slot of a word: its own, or the empty one where it would go. */
static size_t words_slot(const struct shaper *sh, uint64_t h,
			 const struct word_key *k)
{
	const struct word_cache *c = &sh->words;
	size_t mask = c->nslots - 1;

	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		const struct word *w;

		if (!c->slot[i])
			return i;
		w = &c->w[c->slot[i] - 1];
		if (w->hash == h && w->len == k->n && w->face == k->face &&
		    w->script == k->script && w->rtl == k->rtl &&
		    w->lang == k->lang && w->bot == k->bot && w->eot == k->eot &&
		    w->pre == k->pre && w->post == k->post &&
		    memcmp(c->text + w->text, k->s, k->n) == 0)
			return i;
	}
}

static bool words_rehash(struct word_cache *c, size_t nslots)
{
	uint32_t *t = calloc(nslots, sizeof *t);

	if (!t)
		return false;
	for (size_t i = 0; i < c->n; i++) {
		size_t k = (size_t)c->w[i].hash & (nslots - 1);

		while (t[k])
			k = (k + 1) & (nslots - 1);
		t[k] = (uint32_t)(i + 1);
	}
	free(c->slot);
	c->slot = t;
	c->nslots = nslots;
	return true;
}

/* Room for a word of n bytes and ng glyphs (flushing a full cache). */
static bool words_room(struct shaper *sh, size_t n, size_t ng)
{
	struct word_cache *c = &sh->words;

	if (words_bytes(c) > SHAPE_CACHE_BYTES)
		words_flush(sh);
	if ((c->n + 1) * 2 > c->nslots &&
	    !words_rehash(c, c->nslots ? c->nslots * 2 : 1024))
		return false;
	return !array_reserve(&c->w, &c->cap, c->n + 1, sizeof *c->w, 0) &&
	       !array_reserve(&c->text, &c->captext, c->ntext + n, 1, 0) &&
	       !array_reserve(&c->g, &c->capg, c->ng + ng, sizeof *c->g, 0);
}

/* Shape the word of key k into a new cache entry (its index), or -1 when
 * memory ran out. */
static long word_add(struct shaper *sh, uint64_t h, const struct word_key *k)
{
	struct word_cache *c = &sh->words;
	hb_glyph_info_t *info;
	hb_glyph_position_t *pos;
	struct word *w;
	unsigned ng;

	if (!shape_item(sh, k->face, k->s, k->n, k->pre, k->n - k->pre - k->post,
			k->script, k->rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR,
			k->lang, k->bot, k->eot))
		return -1;
	info = hb_buffer_get_glyph_infos(sh->buf, &ng);
	pos = hb_buffer_get_glyph_positions(sh->buf, &ng);
	if (!words_room(sh, k->n, ng))
		return -1;
	w = &c->w[c->n];
	*w = (struct word){.hash = h, .text = (uint32_t)c->ntext,
			   .len = (uint32_t)k->n, .glyphs = (uint32_t)c->ng,
			   .n = ng, .face = k->face, .script = k->script,
			   .lang = k->lang, .rtl = k->rtl, .bot = k->bot,
			   .eot = k->eot, .pre = (uint8_t)k->pre,
			   .post = (uint8_t)k->post};
	memcpy(c->text + c->ntext, k->s, k->n);
	c->ntext += k->n;
	for (unsigned g = 0; g < ng; g++) {
		c->g[c->ng] = glyph_of(&info[g], &pos[g]);
		c->g[c->ng++].cluster -= (uint32_t)k->pre;
		w->advance += pos[g].x_advance;
	}
	c->slot[words_slot(sh, h, k)] = (uint32_t)(c->n + 1);
	return (long)c->n++;
}

/* The cached word (shaped now if new), valid until the next word_get;
 * NULL when memory ran out. */
static const struct word *word_get(struct shaper *sh,
				   const struct word_key *given)
{
	struct word_cache *c = &sh->words;
	struct word_key key = *given, *k = &key;
	uint64_t h;
	long i;

	key.lang = face_language(sh, key.face, key.lang);
	h = word_hash(k);
	sh->stats.word_lookups++;
	if (!c->slot && !words_rehash(c, 1024))
		return NULL;
	i = (long)c->slot[words_slot(sh, h, k)] - 1;
	if (i >= 0) {
		sh->stats.word_hits++;
		return &c->w[i];
	}
	i = word_add(sh, h, k);
	return i >= 0 ? &c->w[i] : NULL;
}

/* The key of the word s[0..n) shaped alone. */
static struct word_key alone(const char *s, size_t n, int face,
			     hb_script_t sc, bool rtl, hb_language_t lang)
{
	return (struct word_key){s, n, 0, 0, face, sc, rtl, false, false, lang};
}

static bool has_table(hb_face_t *f, hb_tag_t tag)
{
	hb_blob_t *b = hb_face_reference_table(f, tag);
	bool has = hb_blob_get_length(b) > 0;

	hb_blob_destroy(b);
	return has;
}

/* Whether words of a face can be shaped apart: no GSUB or GPOS lookup of
 * it has the space glyph in its input or context, and it has no legacy
 * 'kern' table HarfBuzz would apply nor an AAT 'morx' table (whose
 * contents are not looked at). Worked out on first use. */
static bool words_ok(struct shaper *sh, int face)
{
	static const hb_tag_t tables[] = {HB_OT_TAG_GSUB, HB_OT_TAG_GPOS};
	hb_face_t *f = sh->face[face];
	hb_codepoint_t space;
	bool ok = true;

	if (sh->words_ok[face] >= 0)
		return sh->words_ok[face];
	if ((has_table(f, HB_TAG('k', 'e', 'r', 'n')) &&
	     !hb_ot_layout_has_positioning(f)) ||
	    has_table(f, HB_TAG('m', 'o', 'r', 'x')))
		ok = false;
	if (!hb_font_get_nominal_glyph(sh->font[face], ' ', &space))
		ok = false;
	for (size_t t = 0; ok && t < 2; t++) {
		unsigned n = hb_ot_layout_table_get_lookup_count(f, tables[t]);
		hb_set_t *before = hb_set_create(), *input = hb_set_create(),
			 *after = hb_set_create();

		for (unsigned i = 0; ok && i < n; i++) {
			hb_set_clear(before);
			hb_set_clear(input);
			hb_set_clear(after);
			hb_ot_layout_lookup_collect_glyphs(f, tables[t], i, before,
							   input, after, NULL);
			ok = !hb_set_has(before, space) &&
			     !hb_set_has(input, space) &&
			     !hb_set_has(after, space) &&
			     hb_set_allocation_successful(input);
		}
		hb_set_destroy(before);
		hb_set_destroy(input);
		hb_set_destroy(after);
	}
	sh->words_ok[face] = ok;
	return ok;
}

/* A word that starts with a combining mark attaches it to the space
 * before it when shaped in place, so it is not shaped alone. */
static bool starts_with_mark(const char *s, size_t n)
{
	uint32_t cp;
	hb_unicode_general_category_t gc;

	if (n == 0 || (unsigned char)s[0] < 0x80)
		return false;
	fontset_utf8_next(s, n, &cp);
	gc = hb_unicode_general_category(hb_unicode_funcs_get_default(), cp);
	return gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
	       gc == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK ||
	       gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK;
}

/* The start of the piece ending at e of s[a..e), backwards. */
static size_t piece_begin(const char *s, size_t a, size_t e)
{
	bool sp = s[e - 1] == ' ';

	while (--e > a && (s[e - 1] == ' ') == sp)
		;
	return e;
}

/* The end of the piece starting at i of s[0..n): a run of U+0020, or of
 * anything else. */
static size_t piece_end(const char *s, size_t n, size_t i)
{
	bool sp = s[i] == ' ';

	while (++i < n && (s[i] == ' ') == sp)
		;
	return i;
}

/* ---- the width function ----------------------------------------------- */

/* What a character no face has is shaped as (fontset.c draws U+FFFD). */
static const char replacement[] = "\xEF\xBF\xBD";

struct width_ctx {
	struct shaper *sh;
	const char *text; /* the whole string measured, and its scripts */
	size_t len;
	const hb_script_t *scripts;
	hb_language_t lang;
	double em;
	bool failed;
};

/* Whether bytes [a, e) of text (n bytes) stand between spaces or the
 * text's ends: then their words are shaped alone; a piece of a word (a
 * face or script change inside it) is shaped with the word around it. */
static bool between_spaces(const char *text, size_t n, size_t a, size_t e)
{
	return (a == 0 || text[a - 1] == ' ') && (e == n || text[e] == ' ');
}

/* One face run of measured text: per script, word by word from the word
 * cache, or shaped whole in its context when its words cannot be shaped
 * alone (see item_words, which decides the same for lines). */
static int width_run(void *vctx, int face, const char *s, size_t len)
{
	struct width_ctx *w = vctx;
	struct shaper *sh = w->sh;
	uintptr_t p = (uintptr_t)s, t0 = (uintptr_t)w->text;
	bool inside = p >= t0 && p + len <= t0 + w->len; /* not U+FFFD's */
	const hb_script_t *sc = inside ? w->scripts : NULL;
	size_t at = inside ? (size_t)(p - t0) : 0;

	for (size_t i = 0; i < len;) {
		size_t j = i + 1;
		hb_script_t script = sc ? sc[at + i]
						: HB_SCRIPT_COMMON;
		bool rtl = hb_script_get_horizontal_direction(script) ==
			   HB_DIRECTION_RTL;
		long sum = 0;
		bool whole;

		while (j < len && sc && sc[at + j] == script)
			j++;
		whole = sh->no_cache || !words_ok(sh, face) || !sc ||
			!between_spaces(w->text, w->len, at + i, at + j);
		for (size_t a = i, e; a < j && !whole; a = e) {
			const struct word *wd;
			struct word_key k;

			e = piece_end(s, j, a);
			if (starts_with_mark(s + a, e - a)) {
				whole = true;
				break;
			}
			k = alone(s + a, e - a, face, script, rtl, w->lang);
			wd = word_get(sh, &k);
			if (!wd) {
				w->failed = true;
				return 1;
			}
			sum += wd->advance;
		}
		if (whole) {
			unsigned ng;
			hb_glyph_position_t *pos;
			bool own = sc != NULL;

			if (!shape_item(sh, face, own ? w->text : s,
					own ? w->len : len, own ? at + i : i,
					j - i, script,
					rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR,
					w->lang, false, false)) {
				w->failed = true;
				return 1;
			}
			pos = hb_buffer_get_glyph_positions(sh->buf, &ng);
			sum = 0;
			for (unsigned g = 0; g < ng; g++)
				sum += pos[g].x_advance;
		}
		w->em += (double)sum / sh->upem[face];
		i = j;
	}
	return 0;
}

static uint64_t text_hash(const char *s, size_t len, unsigned style,
			  hb_language_t lang)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	h ^= (uint64_t)style * 0x9E3779B97F4A7C15ull;
	h ^= (uint64_t)(uintptr_t)lang * 0xC2B2AE3D27D4EB4Full;
	return h ? h : 1;
}

static void cache_flush(struct shaper *sh)
{
	if (sh->slots)
		memset(sh->slots, 0, sh->nslots * sizeof *sh->slots);
	sh->nused = 0;
	sh->narena = 0;
	sh->stats.flushes++;
}

static struct cache_ent *cache_find(struct shaper *sh, uint64_t h,
				    const char *s, size_t len, unsigned style,
				    hb_language_t lang)
{
	size_t mask = sh->nslots - 1;

	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		struct cache_ent *e = &sh->slots[i];

		if (!e->used)
			return e;
		if (e->hash == h && e->len == len && e->style == style &&
		    e->lang == lang && memcmp(sh->arena + e->off, s, len) == 0)
			return e;
	}
}

/* Double the table (rehashing), up to CACHE_MAX_SLOTS. */
static bool cache_grow(struct shaper *sh)
{
	size_t n = sh->nslots ? sh->nslots * 2 : CACHE_MIN_SLOTS;
	struct cache_ent *old = sh->slots, *t;
	size_t oldn = sh->nslots;

	t = calloc(n, sizeof *t);
	if (!t)
		return false;
	sh->slots = t;
	sh->nslots = n;
	for (size_t i = 0; i < oldn; i++) {
		if (old[i].used) {
			size_t k = (size_t)old[i].hash & (n - 1);

			while (t[k].used)
				k = (k + 1) & (n - 1);
			t[k] = old[i];
		}
	}
	free(old);
	return true;
}

/* Room for one more entry of len text bytes; false: do not cache. */
static bool cache_room(struct shaper *sh, size_t len)
{
	size_t table = CACHE_MAX_SLOTS * sizeof(struct cache_ent);

	if (len > SHAPE_CACHE_BYTES / 16)
		return false;
	if ((sh->nused + 1) * 2 > sh->nslots) {
		if (sh->nslots >= CACHE_MAX_SLOTS)
			cache_flush(sh);
		else if (!cache_grow(sh))
			return false;
	}
	if (sh->narena + len > sh->caparena) {
		size_t cap = sh->caparena ? sh->caparena * 2 : 16384;
		char *p;

		while (cap < sh->narena + len)
			cap *= 2;
		if (cap > SHAPE_CACHE_BYTES - table) {
			cache_flush(sh);
			cap = sh->caparena > len ? sh->caparena : len;
		}
		if (cap > sh->caparena) {
			p = realloc(sh->arena, cap);
			if (!p)
				return false;
			sh->arena = p;
			sh->caparena = cap;
		}
	}
	return true;
}

bool shape_out_of_memory(const struct shaper *sh)
{
	return sh && sh->nomem;
}

double shape_text_width(struct shaper *sh, enum font_style style,
			const char *lang, const char *s, size_t len,
			double size)
{
	struct width_ctx w;
	struct cache_ent *e = NULL;
	uint64_t h;

	if (!sh || !s || len == 0)
		return 0;
	if ((unsigned)style > FONT_BOLD_ITALIC)
		style = FONT_REGULAR;
	w.sh = sh;
	w.lang = language(sh, lang);
	w.em = 0;
	w.failed = false;
	sh->stats.lookups++;
	h = text_hash(s, len, style, w.lang);
	if (!sh->no_cache && (sh->slots || cache_grow(sh))) {
		e = cache_find(sh, h, s, len, style, w.lang);
		if (e->used) {
			sh->stats.hits++;
			return e->em * size;
		}
	}
	w.text = s;
	w.len = len;
	w.scripts = resolve_scripts(sh, s, len);
	if (!w.scripts) {
		sh->nomem = true;
		return 0;
	}
	fontset_each_run(sh->fs, style, s, len, width_run, &w, NULL);
	if (w.failed) {
		sh->nomem = true;
		return 0;
	}
	if (e && cache_room(sh, len)) {
		/* The room may have flushed or grown the table. */
		e = cache_find(sh, h, s, len, style, w.lang);
		memcpy(sh->arena + sh->narena, s, len);
		*e = (struct cache_ent){.hash = h, .lang = w.lang, .em = w.em,
					.off = (uint32_t)sh->narena,
					.len = (uint32_t)len,
					.style = (uint8_t)style, .used = 1};
		sh->narena += len;
		sh->nused++;
	}
	return w.em * size;
}

/* ---- lines -------------------------------------------------------------- */

/* A piece of the line to shape: one span, face, script and level. */
struct item {
	size_t start, len; /* in the line's text */
	int face;
	int tag;
	hb_script_t script;
	uint8_t level;
	bool missing, hyphen;
	hb_language_t lang;
};

struct line_build {
	struct shaper *sh;
	struct shape_line *ln;
	struct item *items;
	size_t nitems, capitems;
	size_t capruns, capglyphs;
	/* The piece being itemised: */
	size_t base;  /* its offset in the line's text */
	size_t piece_len;
	size_t pos;   /* next byte of it fontset_each_run has not passed */
	int tag;
	uint8_t level;
	bool hyphen;
	hb_language_t lang;
	const hb_script_t *scripts; /* per byte of the line's text */
	bool failed;
};

static bool push_item(struct line_build *b, struct item it)
{
	if (b->nitems == b->capitems) {
		size_t cap = b->capitems ? b->capitems * 2 : 16;
		struct item *p = realloc(b->items, cap * sizeof *p);

		if (!p)
			return false;
		b->items = p;
		b->capitems = cap;
	}
	b->items[b->nitems++] = it;
	return true;
}

/* fontset_each_run's callback over one piece: a run inside the text is a
 * face run (split further by script); one outside it is the U+FFFD that
 * stands for the character at b->pos, which no face has. */
static int item_run(void *vctx, int face, const char *s, size_t n)
{
	struct line_build *b = vctx;
	const char *text = b->ln->text + b->base;
	uintptr_t p = (uintptr_t)s, t0 = (uintptr_t)text;
	size_t at, end;

	if (p < t0 || p >= t0 + b->piece_len) {
		uint32_t cp;
		size_t k = fontset_utf8_next(text + b->pos,
						   b->piece_len - b->pos, &cp);
		struct item it = {b->base + b->pos, k, face, b->tag,
				  HB_SCRIPT_COMMON, b->level, true, b->hyphen,
				  b->lang};

		if (!push_item(b, it))
			goto fail;
		b->pos += k;
		return 0;
	}
	at = (size_t)(p - t0);
	end = at + n;
	while (at < end) {
		size_t j = at + 1;
		hb_script_t sc = b->scripts[b->base + at];
		struct item it;

		while (j < end && b->scripts[b->base + j] == sc)
			j++;
		it = (struct item){b->base + at, j - at, face, b->tag, sc,
				   b->level, false, b->hyphen, b->lang};
		if (!push_item(b, it))
			goto fail;
		at = j;
	}
	b->pos = end;
	return 0;
fail:
	b->failed = true;
	return 1;
}

/* Itemise bytes [a, a + n) of the line's text: one span and level. */
static bool itemise(struct line_build *b, size_t a, size_t n,
		    const struct shape_span *sp, uint8_t level, bool hyphen)
{
	b->base = a;
	b->piece_len = n;
	b->pos = 0;
	b->tag = sp->tag;
	b->level = level;
	b->hyphen = hyphen;
	b->lang = language(b->sh, sp->lang);
	fontset_each_run(b->sh->fs, sp->style, b->ln->text + a, n, item_run,
			 b, NULL);
	return !b->failed;
}

/* The span holding paragraph byte p (spans cover the paragraph). */
static const struct shape_span *span_at(const struct shape_span *spans,
					size_t nspans, size_t p)
{
	for (size_t i = 0; i < nspans; i++)
		if (p >= spans[i].start && p < spans[i].start + spans[i].len)
			return &spans[i];
	return NULL;
}

/* Itemise one bidi run (line offsets [a, a + n)) span by span; the
 * inserted hyphen (at hyph_at, SIZE_MAX if none) is a piece of its own in
 * the style of the character before it. The pieces of a right-to-left run
 * go right to left, so its items are reversed at the end. false: out of
 * memory (b->failed) or spans that do not cover the run. */
static bool itemise_run(struct line_build *b, const struct shape_span *spans,
			size_t nspans, size_t a, size_t n, uint8_t level,
			size_t hyph_at)
{
	size_t para = b->ln->para_start, first = b->nitems;

	for (size_t p = a; p < a + n;) {
		bool hy = p >= hyph_at;
		const struct shape_span *sp =
			span_at(spans, nspans, para + (hy ? hyph_at - 1 : p));
		size_t q = a + n;

		if (!sp)
			return false;
		if (!hy) {
			if (sp->start + sp->len - para < q)
				q = sp->start + sp->len - para;
			if (hyph_at < q)
				q = hyph_at;
		}
		if (!itemise(b, p, q - p, sp, level, hy))
			return false;
		p = q;
	}
	if (level & 1)
		for (size_t i = first, j = b->nitems; i + 1 < j; i++, j--) {
			struct item t = b->items[i];

			b->items[i] = b->items[j - 1];
			b->items[j - 1] = t;
		}
	return true;
}

static bool grow_runs(struct line_build *b)
{
	struct shape_line *ln = b->ln;

	if (ln->nruns == b->capruns) {
		size_t cap = b->capruns ? b->capruns * 2 : 8;
		struct shape_run *p = realloc(ln->runs, cap * sizeof *p);

		if (!p)
			return false;
		ln->runs = p;
		b->capruns = cap;
	}
	return true;
}

static bool grow_glyphs(struct line_build *b, size_t more)
{
	struct shape_line *ln = b->ln;

	if (ln->nglyphs + more > b->capglyphs) {
		size_t cap = b->capglyphs ? b->capglyphs * 2 : 64;
		struct shape_glyph *p;

		while (cap < ln->nglyphs + more)
			cap *= 2;
		p = realloc(ln->glyphs, cap * sizeof *p);
		if (!p)
			return false;
		ln->glyphs = p;
		b->capglyphs = cap;
	}
	return true;
}

/* A cached word's glyphs appended to the line, its piece at byte a. */
static bool append_word(struct line_build *b, const struct word *w, size_t a)
{
	struct shape_line *ln = b->ln;

	if (!w || !grow_glyphs(b, w->n))
		return false;
	for (size_t g = 0; g < w->n; g++) {
		struct shape_glyph *o = &ln->glyphs[ln->nglyphs++];

		*o = b->sh->words.g[w->glyphs + g];
		o->cluster += (uint32_t)a;
	}
	return true;
}

/* Context bytes a piece shaped in place is cached with: HarfBuzz takes
 * at most 5 code points of context a side, each of at most 4 bytes (an
 * invalid byte is one), so these bytes shape it as the whole line does.
 * Pieces longer than PIECE_CACHED are not cached (cut words and citation
 * marks are short; longer runs seldom repeat). */
#define PIECE_CONTEXT 20
#define PIECE_CACHED 32

/* Glyphs of bytes [a, e) of the line shaped in place, the line around
 * them as context (bot, eot: the line's ends are the text's), appended
 * in visual order; from the word cache when a short piece was shaped in
 * the same context before (the "[2]" of a bibliography or a table). */
static bool glyphs_in_place(struct line_build *b, const struct item *it,
			    size_t a, size_t e, bool bot, bool eot)
{
	struct shaper *sh = b->sh;
	struct shape_line *ln = b->ln;
	bool rtl = it->level & 1;
	hb_direction_t dir = rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR;
	hb_glyph_info_t *info;
	hb_glyph_position_t *pos;
	unsigned ng;
	bool ok;

	if (!it->missing && !sh->no_cache && e - a <= PIECE_CACHED) {
		size_t wa = a > PIECE_CONTEXT ? a - PIECE_CONTEXT : 0;
		size_t we = ln->len - e > PIECE_CONTEXT ? e + PIECE_CONTEXT
							: ln->len;
		struct word_key k = {ln->text + wa, we - wa, a - wa, we - e,
				     it->face, it->script, rtl, bot, eot,
				     it->lang};

		return append_word(b, word_get(sh, &k), a);
	}
	if (it->missing)
		ok = shape_item(sh, it->face, replacement, 3, 0, 3,
				HB_SCRIPT_COMMON, dir, it->lang, true, true);
	else
		ok = shape_item(sh, it->face, ln->text, ln->len, a, e - a,
				it->script, dir, it->lang, bot, eot);
	if (!ok)
		return false;
	info = hb_buffer_get_glyph_infos(sh->buf, &ng);
	pos = hb_buffer_get_glyph_positions(sh->buf, &ng);
	if (!grow_glyphs(b, ng))
		return false;
	for (unsigned g = 0; g < ng; g++) {
		struct shape_glyph *o = &ln->glyphs[ln->nglyphs++];

		*o = glyph_of(&info[g], &pos[g]);
		if (it->missing)
			o->cluster = (uint32_t)it->start;
	}
	return true;
}

/* The glyphs of the words [lo, hi) of the line from the word cache, in
 * visual order (right to left, the last word is leftmost). */
static bool cached_words(struct line_build *b, const struct item *it,
			 size_t lo, size_t hi)
{
	const char *t = b->ln->text;
	bool rtl = it->level & 1;

	for (size_t k = rtl ? hi : lo; rtl ? k > lo : k < hi;) {
		size_t a = rtl ? piece_begin(t, lo, k) : k;
		size_t e = rtl ? k : piece_end(t, hi, k);
		struct word_key key = alone(t + a, e - a, it->face, it->script,
					    rtl, it->lang);

		if (!append_word(b, word_get(b->sh, &key), a))
			return false;
		k = rtl ? a : e;
	}
	return true;
}

/* The item's glyphs, words between spaces from the word cache; false (and
 * nothing appended) when its words cannot be shaped apart, or memory ran
 * out (*nomem). A word the item cuts (its first or last piece, running on
 * into the next item: a link, a citation mark, a line's hyphen) is shaped
 * in place, the line as context: the same glyphs as shaping the item
 * whole, since no lookup of the face looks at the spaces between (see
 * words_ok). */
static bool item_words(struct line_build *b, const struct item *it, bool bot,
		       bool eot, bool *nomem)
{
	struct shaper *sh = b->sh;
	struct shape_line *ln = b->ln;
	const char *t = ln->text;
	size_t first = ln->nglyphs, lo = it->start, hi = it->start + it->len;
	size_t mid_lo = lo, mid_hi = hi; /* the words from the cache */
	bool rtl = it->level & 1, ok;

	*nomem = false;
	if (!words_ok(sh, it->face) || it->len == 0)
		return false;
	for (size_t a = lo, e; a < hi; a = e) {
		e = piece_end(t, hi, a);
		if (starts_with_mark(t + a, e - a))
			return false;
	}
	if (lo > 0 && t[lo - 1] != ' ' && t[lo] != ' ')
		mid_lo = piece_end(t, hi, lo);
	if (hi < ln->len && t[hi] != ' ' && t[hi - 1] != ' ')
		mid_hi = piece_begin(t, lo, hi);
	if (mid_lo >= mid_hi) /* one cut word: shaped whole */
		return false;
	/* Visual order: the item's cut first word leftmost left to right,
	 * rightmost right to left; its cut last word the other way round. */
	ok = (rtl ? mid_hi == hi || glyphs_in_place(b, it, mid_hi, hi, false, eot)
		  : mid_lo == lo || glyphs_in_place(b, it, lo, mid_lo, bot, false)) &&
	     cached_words(b, it, mid_lo, mid_hi) &&
	     (rtl ? mid_lo == lo || glyphs_in_place(b, it, lo, mid_lo, bot, false)
		  : mid_hi == hi || glyphs_in_place(b, it, mid_hi, hi, false, eot));
	if (!ok) {
		*nomem = true;
		ln->nglyphs = first;
	}
	return ok;
}

/* The item shaped whole, in its place in the line (the line is the
 * context). */
static bool item_whole(struct line_build *b, const struct item *it, bool bot,
		       bool eot)
{
	return glyphs_in_place(b, it, it->start, it->start + it->len, bot,
			       eot);
}

/* Shape one item into the line: its run and glyphs, from the word cache
 * when its words can be shaped alone. */
static bool shape_into(struct line_build *b, const struct item *it, bool bot,
		       bool eot)
{
	struct shape_line *ln = b->ln;
	struct shape_run *r;
	size_t first = ln->nglyphs;
	long sum = 0;
	bool nomem = false;

	if (!grow_runs(b))
		return false;
	if ((it->missing || b->sh->no_cache ||
	     !item_words(b, it, bot, eot, &nomem)) &&
	    (nomem || !item_whole(b, it, bot, eot)))
		return false;
	r = &ln->runs[ln->nruns++];
	*r = (struct shape_run){.face = it->face, .upem = b->sh->upem[it->face],
				.level = it->level, .script = it->script,
				.tag = it->tag, .missing = it->missing,
				.hyphen = it->hyphen, .start = it->start,
				.len = it->len, .first = first,
				.n = ln->nglyphs - first, .x_em = ln->width_em};
	for (size_t g = first; g < ln->nglyphs; g++) {
		sum += ln->glyphs[g].x_advance;
		if (!it->missing && ln->text[ln->glyphs[g].cluster] == ' ')
			ln->nspaces++;
	}
	r->advance_em = (double)sum / r->upem;
	ln->width_em += r->advance_em;
	return true;
}

void shape_line_free(struct shape_line *ln)
{
	if (!ln)
		return;
	free(ln->text);
	free(ln->runs);
	free(ln->glyphs);
	memset(ln, 0, sizeof *ln);
}

static enum brief_status line_fail(struct shape_line *ln, struct diag *err,
				   enum brief_status st, const char *what)
{
	shape_line_free(ln);
	if (st == BRIEF_ENOMEM)
		return diag_set(err, st, "", 0, 0,
				"out of memory shaping text");
	return diag_set(err, st, "", 0, 0, "internal error in shaping: %s",
			what);
}

/* The bidi runs of the line: from the paragraph's analysis, or from the
 * line's own. Offsets come back relative to the line. */
static enum brief_status line_runs(const char *s, const struct bidi_para *bp,
				   size_t start, size_t end,
				   struct bidi_run **runs, size_t *n, bool *rtl,
				   struct diag *err)
{
	struct bidi_para own;
	enum brief_status st;

	if (bp) {
		st = bidi_line_runs(bp, start, end, runs, n, err);
		*rtl = bp->rtl;
	} else {
		st = bidi_analyse(s + start, end - start, BIDI_AUTO_LTR, &own,
				  err);
		if (st != BRIEF_OK)
			return st;
		st = bidi_line_runs(&own, 0, end - start, runs, n, err);
		*rtl = own.rtl;
		bidi_para_free(&own);
		start = 0;
	}
	for (size_t i = 0; st == BRIEF_OK && i < *n; i++)
		(*runs)[i].start -= start;
	return st;
}

enum brief_status shape_line(struct shaper *sh, const char *s, size_t len,
			     const struct shape_span *spans, size_t nspans,
			     const struct bidi_para *bp, size_t start,
			     size_t end, bool hyphen, struct shape_line *out,
			     struct diag *err)
{
	struct line_build b = {.sh = sh, .ln = out};
	struct bidi_run *runs = NULL;
	size_t nruns = 0, n = end - start, hyph_at = SIZE_MAX;
	enum brief_status st;

	memset(out, 0, sizeof *out);
	if (!sh || start > end || end > len || (bp && bp->len != len))
		return line_fail(out, err, BRIEF_EINTERNAL,
				 "line outside its paragraph");
	if (nspans == 0 || !span_at(spans, nspans, start) ||
	    (n && !span_at(spans, nspans, end - 1)))
		return line_fail(out, err, BRIEF_EINTERNAL,
				 "spans do not cover the line");
	out->para_start = start;
	out->text = malloc(n + 2);
	if (!out->text)
		return line_fail(out, err, BRIEF_ENOMEM, NULL);
	memcpy(out->text, s + start, n);
	out->len = n;
	if (hyphen && n > 0) {
		out->text[n] = '-';
		out->len = n + 1;
		hyph_at = n;
	}
	out->text[out->len] = '\0';
	st = line_runs(s, bp, start, end, &runs, &nruns, &out->rtl, err);
	if (st != BRIEF_OK) {
		shape_line_free(out);
		return st;
	}
	/* The inserted hyphen joins the run of the line's last character. */
	for (size_t i = 0; hyph_at != SIZE_MAX && i < nruns; i++)
		if (runs[i].start + runs[i].len == hyph_at)
			runs[i].len++;
	b.scripts = resolve_scripts(sh, out->text, out->len);
	st = BRIEF_ENOMEM;
	if (!b.scripts)
		goto fail;
	for (size_t i = 0; i < nruns; i++)
		if (!itemise_run(&b, spans, nspans, runs[i].start, runs[i].len,
				 runs[i].level, hyph_at)) {
			st = b.failed ? BRIEF_ENOMEM : BRIEF_EINTERNAL;
			goto fail;
		}
	for (size_t i = 0; i < b.nitems; i++) {
		const struct item *it = &b.items[i];

		if (!shape_into(&b, it, start + it->start == 0,
				start + it->start + it->len >= len))
			goto fail;
	}
	free(runs);
	free(b.items);
	return BRIEF_OK;
fail:
	free(runs);
	free(b.items);
	return line_fail(out, err, st, "spans do not cover the line");
}

void shape_glyph_text(const struct shape_line *ln, const struct shape_run *r,
		      size_t g, size_t *start, size_t *len)
{
	const struct shape_glyph *gl = ln->glyphs + r->first;
	uint32_t c = gl[g].cluster, next = (uint32_t)(r->start + r->len);
	bool rtl = r->level & 1;

	*start = c;
	*len = 0;
	if (r->missing) {
		uint32_t cp;

		if (g == 0)
			*len = fontset_utf8_next(ln->text + c, ln->len - c,
						  &cp);
		return;
	}
	/* The logically first glyph of a cluster carries its text: in a
	 * left-to-right run the first of its glyphs, right to left the last. */
	if (rtl ? (g + 1 < r->n && gl[g + 1].cluster == c)
		: (g > 0 && gl[g - 1].cluster == c))
		return;
	/* Clusters are monotone along a run (ascending left to right,
	 * descending right to left), so the next cluster is the first other
	 * one beside this glyph's: scanning the whole run for it made
	 * mapping a run quadratic. */
	if (rtl) {
		for (size_t k = g; k-- > 0;)
			if (gl[k].cluster != c) {
				if (gl[k].cluster > c && gl[k].cluster < next)
					next = gl[k].cluster;
				break;
			}
	} else {
		for (size_t k = g + 1; k < r->n; k++)
			if (gl[k].cluster != c) {
				if (gl[k].cluster > c && gl[k].cluster < next)
					next = gl[k].cluster;
				break;
			}
	}
	*len = next - c;
}
