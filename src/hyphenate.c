/* hyphenate.c — hyphenation points with libhyphen (hyphenate.h). */
#include "hyphenate.h"

#include "buf.h"

#include <dirent.h>
#include <errno.h>
#include <hyphen.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <unistr.h>

/* Longest run of letters handed to libhyphen (its patterns work on
 * words, and it keeps fixed-size buffers per word). */
#define HYPHEN_MAX_LETTERS 96
/* Largest dictionary file read (Debian's German one is 1.1 MB). */
#define HYPHEN_MAX_FILE (16u << 20)

/* A dictionary is read once per language into a trie of its pattern keys
 * (its nodes are the states of libhyphen's automaton); a word is then
 * hyphenated by libhyphen loaded with only the patterns that matter in
 * it: for each substring of the word (with its boundary dots) that is a
 * state, the pattern it is, or else one it begins. libhyphen applies at
 * each letter the pattern of the longest state the text so far ends in;
 * the subset has every state the text can reach and the same pattern on
 * each, so it gives the points the whole dictionary gives (also for a
 * dictionary not in libhnj's preprocessed form, such as Debian's
 * Russian one, where a longer state that is no pattern hides a shorter
 * one that is). Loading the whole English file is about 38 M
 * instructions, a subset about 1.2 M whatever its size (libhyphen's
 * fixed-size hash tables), so after HYPHEN_SUBSET_WORDS words of a
 * language its whole dictionary is loaded once and used from then on
 * (hyphenate.h): never much more than twice what the better of the two
 * would have cost. */

/* One line of a dictionary file kept for libhyphen. */
struct line {
	uint32_t at, len; /* in the file's text */
	uint32_t node;    /* the trie node of its pattern's key; 0: no
			   * pattern (the charset line, a keyword) */
	uint8_t level;    /* NEXTLEVEL lines before it */
};

/* libhyphen reads two levels: the patterns before a NEXTLEVEL line and
 * those after it (anything after a second one is ignored). */
#define LEVELS 2

/* A node of the trie: a prefix of pattern keys at one level. Nodes 0 and
 * 1 are the levels' roots (the empty prefix). */
struct node {
	uint32_t parent;
	uint32_t line;      /* the pattern whose key it is (the last such line:
			     * libhyphen keeps the last of duplicates), else
			     * the first pattern it begins */
	unsigned char c;    /* the prefix's last byte */
};

struct dict_ent {
	char lang[24];
	char *path;          /* NULL: no dictionary for the language */
	char *text;          /* the file as read */
	struct line *lines;  /* kept lines in file order */
	size_t nlines, caplines;
	size_t *heads;       /* the lines that are no patterns */
	size_t nheads, capheads;
	struct node *nodes;  /* the trie */
	size_t nnodes;
	uint32_t *slots;     /* nodes by (parent, c): index, 0 = empty */
	size_t nslots;       /* a power of two */
	bool whole_only;     /* see dict_for */
	bool whole_failed;   /* loading the whole dictionary failed */
	unsigned nsubsets;   /* words hyphenated from subsets */
	HyphenDict *d;       /* the whole dictionary once loaded, else NULL */
	iconv_t to_cset;     /* (iconv_t)-1 for a UTF-8 dictionary */
};

struct hyphenator {
	char *dir;
	struct dict_ent *ents;
	size_t nents, capents;
	bool whole; /* hyphen_set_whole */
};

enum brief_status hyphen_new(const char *dir, struct hyphenator **out,
			     struct diag *err)
{
	struct hyphenator *h = calloc(1, sizeof *h);

	*out = NULL;
	if (h)
		h->dir = strdup(dir ? dir : HYPHEN_DIR_DEFAULT);
	if (!h || !h->dir) {
		free(h);
		return diag_set(err, BRIEF_ENOMEM, "", 0, 0,
				"out of memory setting up hyphenation");
	}
	*out = h;
	return BRIEF_OK;
}

/* The file and its index, needed only to make subsets: dropped once the
 * whole dictionary is loaded. */
static void drop_index(struct dict_ent *e)
{
	free(e->text);
	free(e->heads);
	free(e->lines);
	free(e->nodes);
	free(e->slots);
	e->text = NULL;
	e->heads = NULL;
	e->lines = NULL;
	e->nodes = NULL;
	e->slots = NULL;
}

static void ent_free(struct dict_ent *e)
{
	if (e->d)
		hnj_hyphen_free(e->d);
	if (e->to_cset != (iconv_t)-1)
		iconv_close(e->to_cset);
	free(e->path);
	drop_index(e);
}

/* An entry for lang with no dictionary yet. */
static void ent_init(struct dict_ent *e, const char *lang)
{
	memset(e, 0, sizeof *e);
	e->to_cset = (iconv_t)-1;
	strcpy(e->lang, lang);
}

void hyphen_set_whole(struct hyphenator *h, bool whole)
{
	h->whole = whole;
}

void hyphen_free(struct hyphenator *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->nents; i++)
		ent_free(&h->ents[i]);
	free(h->ents);
	free(h->dir);
	free(h);
}

static bool readable(const char *path)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	fclose(f);
	return true;
}

/* The first hyph_<ll>_*.dic of the directory by name, into path. */
static bool first_regional(const char *dir, const char *ll, char *path,
			   size_t size)
{
	char prefix[32], best[256] = "";
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t np;

	if (!d)
		return false;
	np = (size_t)snprintf(prefix, sizeof prefix, "hyph_%s_", ll);
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);

		if (n > np + 4 && n < sizeof best &&
		    strncmp(e->d_name, prefix, np) == 0 &&
		    strcmp(e->d_name + n - 4, ".dic") == 0 &&
		    (!best[0] || strcmp(e->d_name, best) < 0))
			memcpy(best, e->d_name, n + 1);
	}
	closedir(d);
	if (!best[0])
		return false;
	snprintf(path, size, "%s/%s", dir, best);
	return readable(path);
}

/* Find the dictionary file for lang (see hyphen.h) into path. */
static bool find_dict(const char *dir, const char *lang, char *path,
		      size_t size)
{
	char ll[8], rr[8] = "", up[8];
	size_t n = 0, k = 0;

	while (lang[n] && lang[n] != '-' && lang[n] != '_' && n < 7) {
		ll[n] = (char)(lang[n] >= 'A' && lang[n] <= 'Z' ? lang[n] + 32
								: lang[n]);
		up[n] = (char)(ll[n] >= 'a' && ll[n] <= 'z' ? ll[n] - 32 : ll[n]);
		n++;
	}
	ll[n] = up[n] = '\0';
	if (n < 2 || (lang[n] && lang[n] != '-' && lang[n] != '_'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (ll[i] < 'a' || ll[i] > 'z')
			return false;
	/* A two-letter or three-digit region subtag, skipping a script. */
	for (const char *p = lang + n; *p == '-' || *p == '_';) {
		const char *q = p + 1;

		k = 0;
		while (q[k] && q[k] != '-' && q[k] != '_')
			k++;
		if (k == 2 || k == 3) {
			for (size_t i = 0; i < k && i < sizeof rr - 1; i++)
				rr[i] = (char)(q[i] >= 'a' && q[i] <= 'z'
						       ? q[i] - 32
						       : q[i]);
			rr[k < sizeof rr ? k : sizeof rr - 1] = '\0';
			break;
		}
		p = q + k;
	}
	if (rr[0]) {
		snprintf(path, size, "%s/hyph_%s_%s.dic", dir, ll, rr);
		if (readable(path))
			return true;
	}
	snprintf(path, size, "%s/hyph_%s.dic", dir, ll);
	if (readable(path))
		return true;
	snprintf(path, size, "%s/hyph_%s_%s.dic", dir, ll, up);
	if (readable(path))
		return true;
	return first_regional(dir, ll, path, size);
}

/* ---- reading a dictionary ------------------------------------------ */

static bool is_keyword_line(const char *line, size_t n)
{
	static const char *const kw[] = {
		"LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN",
		"COMPOUNDRIGHTHYPHENMIN", "NOHYPHEN", "NEXTLEVEL"};

	if (n == 0 || line[0] < 'A' || line[0] > 'Z') /* a pattern */
		return false;
	for (size_t i = 0; i < sizeof kw / sizeof *kw; i++) {
		size_t k = strlen(kw[i]);

		if (n >= k && strncmp(line, kw[i], k) == 0 &&
		    (n == k || (unsigned char)line[k] <= ' '))
			return true;
	}
	return false;
}

static uint32_t child_hash(size_t parent, unsigned char c)
{
	return ((uint32_t)parent * 2654435761u) ^ (c * 40503u);
}

/* The slot of node parent's child by byte c: the child's, or the empty
 * one where it would go. (inline: once per byte of the dictionary; GCC
 * leaves it out of line otherwise, 0.7 M instructions a read.) */
static inline size_t child_slot(const struct dict_ent *e, size_t parent,
				unsigned char c)
{
	size_t k = child_hash(parent, c) & (e->nslots - 1);

	for (; e->slots[k]; k = (k + 1) & (e->nslots - 1)) {
		const struct node *o = &e->nodes[e->slots[k]];

		if (o->parent == parent && o->c == c)
			break;
	}
	return k;
}

/* The child of node parent by byte c (its index), or 0 for none. */
static size_t child(const struct dict_ent *e, size_t parent, unsigned char c)
{
	return e->slots[child_slot(e, parent, c)];
}

/* The child of node parent by byte c, made if new (the nodes have room:
 * there are fewer than bytes in the file). */
static size_t add_child(struct dict_ent *e, size_t parent, unsigned char c,
			size_t line)
{
	size_t k = child_slot(e, parent, c);

	if (e->slots[k])
		return e->slots[k];
	e->slots[k] = (uint32_t)e->nnodes;
	e->nodes[e->nnodes] = (struct node){(uint32_t)parent, (uint32_t)line, c};
	return e->nnodes++;
}

/* Whether line x goes to libhyphen: not a pattern that a later line of
 * its level repeats. libhyphen keeps the last of such duplicates and
 * leaks the others (Debian's French, Russian and German files have
 * some), so dropping them changes nothing but the leak. */
static bool kept(const struct dict_ent *e, size_t x)
{
	const struct line *l = &e->lines[x];

	return l->node == 0 || e->nodes[l->node].line == x;
}

/* The line node x names, made a kept one: a duplicate's later twin. */
static size_t node_line(const struct dict_ent *e, size_t x)
{
	return e->nodes[e->lines[e->nodes[x].line].node].line;
}

/* File line buf[0..n) at offset at, if libhyphen reads it: line 0 (the
 * character set), keyword lines, and patterns, whose keys (the first word
 * up to a '/', without its digits, as libhyphen files it) go into the
 * trie. Comments and blank lines are left out (libhyphen skips them or
 * files an empty key, which never marks a point). */
static bool add_line(struct dict_ent *e, size_t at, size_t n, uint8_t *level,
		     bool *nextlevel)
{
	const unsigned char *buf = (const unsigned char *)e->text + at;
	struct line l = {(uint32_t)at, (uint32_t)n, 0, *level};
	size_t node = *level, i = 0;

	if (*level >= LEVELS || n == 0 || (at > 0 && buf[0] == '%'))
		return true;
	if (n >= MAX_CHARS - 1) /* libhyphen would read it as two lines */
		e->whole_only = true;
	if (at == 0 || is_keyword_line(e->text + at, n)) {
		if (at > 0 && strncmp(e->text + at, "NEXTLEVEL", 9) == 0) {
			*nextlevel = true;
			if (++*level >= LEVELS)
				return true;
		}
		if (array_reserve(&e->heads, &e->capheads, e->nheads + 1,
				  sizeof *e->heads, 0) != BRIEF_OK)
			return false;
		e->heads[e->nheads++] = e->nlines;
	} else {
		for (; i < n && buf[i] > ' ' && buf[i] != '/'; i++)
			if (buf[i] < '0' || buf[i] > '9')
				node = add_child(e, node, buf[i], e->nlines);
		if (node < LEVELS) /* digits only: no key */
			return true;
		e->nodes[node].line = (uint32_t)e->nlines;
		l.node = (uint32_t)node;
		e->whole_only |= i < n && buf[i] == '/';
	}
	if (array_reserve(&e->lines, &e->caplines, e->nlines + 1,
			  sizeof *e->lines, 0) != BRIEF_OK)
		return false;
	e->lines[e->nlines++] = l;
	return true;
}

/* Read the dictionary at path into e; its character set is the first
 * line's name, as libhyphen reads it. */
static bool read_dict(struct dict_ent *e, const char *path)
{
	FILE *f = fopen(path, "rb");
	char cset[MAX_NAME];
	size_t size, n = 0;
	uint8_t level = 0;
	long end;
	bool ok = false, nextlevel = false;

	if (!f)
		return false;
	if (fseek(f, 0, SEEK_END) != 0 || (end = ftell(f)) < 0 ||
	    (unsigned long)end > HYPHEN_MAX_FILE || fseek(f, 0, SEEK_SET) != 0)
		goto out;
	size = (size_t)end;
	e->nslots = 16;
	while (e->nslots < 2 * (size + LEVELS))
		e->nslots *= 2;
	e->text = malloc(size + 1);
	e->slots = calloc(e->nslots, sizeof *e->slots);
	e->nodes = malloc((size + LEVELS) * sizeof *e->nodes);
	if (!e->text || !e->slots || !e->nodes ||
	    fread(e->text, 1, size, f) != size)
		goto out;
	e->text[size] = '\0';
	e->nnodes = LEVELS; /* the roots; their fields are never read */
	for (size_t i = 0; i < size;) {
		const char *nl = memchr(e->text + i, '\n', size - i);
		size_t len = nl ? (size_t)(nl - e->text) - i : size - i;

		if (!add_line(e, i, len, &level, &nextlevel))
			goto out;
		i += len + 1;
	}
	/* Patterns before a NEXTLEVEL cut a word into parts, each then
	 * hyphenated with its own boundary dots: libhyphen runs over more
	 * than the word (see dict_for). */
	for (size_t i = 0; nextlevel && i < e->nlines; i++)
		e->whole_only |= e->lines[i].node && e->lines[i].level == 0;
	while (n < sizeof cset - 1 && n < size && e->text[n] != '\n' &&
	       e->text[n] != '\r')
		cset[n] = e->text[n], n++;
	cset[n] = '\0';
	if (strcmp(cset, "UTF-8") != 0) {
		e->to_cset = iconv_open(cset, "UTF-8");
		if (e->to_cset == (iconv_t)-1) /* a charset iconv lacks */
			goto out;
	}
	ok = true;
out:
	fclose(f);
	return ok;
}

/* ---- loading it into libhyphen -------------------------------------- */

static int by_index(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

/* libhyphen loaded with lines sel[0..n) of e (increasing indices). */
static HyphenDict *load_lines(const struct dict_ent *e, const size_t *sel,
			      size_t n)
{
	struct buf b = BUF_INIT(0);
	HyphenDict *d = NULL;
	FILE *mem;

	for (size_t i = 0; i < n; i++) {
		const struct line *l = &e->lines[sel[i]];

		buf_add(&b, e->text + l->at, l->len);
		buf_add(&b, "\n", 1);
	}
	if (b.st == BRIEF_OK && b.n > 0 &&
	    (mem = fmemopen(b.s, b.n, "r")) != NULL) {
		d = hnj_hyphen_load_file(mem);
		fclose(mem);
	}
	buf_free(&b);
	return d;
}

static bool add_sel(size_t **sel, size_t *cap, size_t *n, size_t x)
{
	if (array_reserve(sel, cap, *n + 1, sizeof **sel, 0) != BRIEF_OK)
		return false;
	(*sel)[(*n)++] = x;
	return true;
}

/* libhyphen loaded with the lines of e that matter in word w (n bytes,
 * lower case, in the dictionary's character set): the lines that are no
 * patterns and, for each substring of ".w." that is a node of the trie,
 * its line (struct node). With w NULL, every line kept. */
static HyphenDict *load_some(const struct dict_ent *e, const char *w,
			     size_t n)
{
	char dw[HYPHEN_MAX_LETTERS * 4 + 8];
	size_t *sel = NULL, cap = 0, ns = 0, u = 0;
	HyphenDict *d = NULL;

	for (size_t i = 0; i < (w ? e->nheads : e->nlines); i++)
		if ((w || kept(e, i)) &&
		    !add_sel(&sel, &cap, &ns, w ? e->heads[i] : i))
			goto out;
	if (w) {
		dw[0] = '.';
		memcpy(dw + 1, w, n);
		dw[n + 1] = '.';
		n += 2;
	}
	for (size_t i = 0; w && i < n; i++) {
		size_t at[LEVELS] = {0, 1}; /* 0 past the root: no node */

		for (size_t j = i; j < n; j++) {
			bool any = false;

			for (size_t lv = 0; lv < LEVELS; lv++) {
				if (j > i && at[lv] == 0)
					continue;
				at[lv] = child(e, at[lv], (unsigned char)dw[j]);
				if (at[lv] && !add_sel(&sel, &cap, &ns,
						       node_line(e, at[lv])))
					goto out;
				any |= at[lv] != 0;
			}
			if (!any) /* nor does any longer substring begin a key */
				break;
		}
	}
	if (w) {
		qsort(sel, ns, sizeof *sel, by_index);
		for (size_t i = 0; i < ns; i++) /* a pattern named twice */
			if (u == 0 || sel[i] != sel[u - 1])
				sel[u++] = sel[i];
		ns = u;
	}
	d = load_lines(e, sel, ns);
out:
	free(sel);
	return d;
}

/* The dictionary to hyphenate word w with (as for load_some): a subset,
 * to be freed by the caller (*own), or the whole one. The whole one when
 * libhyphen runs over more than ".w." (non-standard patterns, whose
 * replacements put other letters into a compound's parts, or patterns of
 * the first level of a two-level file, which cut the word into parts),
 * and after HYPHEN_SUBSET_WORDS words. */
static HyphenDict *dict_for(struct hyphenator *h, struct dict_ent *e,
			    const char *w, size_t n, bool *own)
{
	*own = false;
	if (!e->d && !e->whole_failed &&
	    (h->whole || e->whole_only || e->nsubsets >= HYPHEN_SUBSET_WORDS)) {
		e->d = load_some(e, NULL, 0);
		if (e->d)
			drop_index(e);
		else /* out of memory: subsets, not the same load again */
			e->whole_failed = true;
	}
	if (e->d)
		return e->d;
	e->nsubsets++;
	*own = true;
	return load_some(e, w, n);
}

static struct dict_ent *entry(struct hyphenator *h, const char *lang)
{
	char path[1024];
	struct dict_ent *e;

	if (!h || !lang || !*lang || strlen(lang) >= sizeof e->lang)
		return NULL;
	for (size_t i = 0; i < h->nents; i++)
		if (strcmp(h->ents[i].lang, lang) == 0)
			return &h->ents[i];
	if (array_reserve(&h->ents, &h->capents, h->nents + 1, sizeof *e, 0) !=
	    BRIEF_OK)
		return NULL;
	e = &h->ents[h->nents++];
	ent_init(e, lang);
	if (!find_dict(h->dir, lang, path, sizeof path))
		return e;
	if (read_dict(e, path))
		e->path = strdup(path);
	if (!e->path) { /* unreadable, or out of memory: no dictionary */
		ent_free(e);
		ent_init(e, lang);
	}
	return e;
}

const char *hyphen_dictionary(struct hyphenator *h, const char *lang)
{
	struct dict_ent *e = entry(h, lang);

	return e ? e->path : NULL;
}

static bool is_letter(ucs4_t c)
{
	return uc_is_alpha(c) || uc_is_general_category(c, UC_CATEGORY_M);
}

/* Soft hyphens: the author's own break points, after each U+00AD. */
static size_t soft_points(const char *w, size_t len, size_t *at, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i + 1 < len; i++)
		if ((unsigned char)w[i] == 0xC2 && (unsigned char)w[i + 1] == 0xAD) {
			if (i + 2 < len && n < max)
				at[n++] = i + 2;
			i++;
		}
	return n;
}

static bool has_soft_hyphen(const char *w, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++)
		if ((unsigned char)w[i] == 0xC2 && (unsigned char)w[i + 1] == 0xAD)
			return true;
	return false;
}

/* Hyphenate one run of letters of word w: nch characters at byte offsets
 * cho[0..nch) (cho[nch] is the run's end). */
static size_t hyphenate_run(struct hyphenator *h, struct dict_ent *e,
			    const char *w, const size_t *cho, size_t nch,
			    size_t *at, size_t max)
{
	uint8_t low[HYPHEN_MAX_LETTERS * 4 + 8];
	char conv[HYPHEN_MAX_LETTERS + 8], hy[HYPHEN_MAX_LETTERS * 4 + 8];
	const char *word = (const char *)low;
	size_t nlow = 0, n = 0, upper = 0, lower = 0;
	char **rep = NULL;
	int *pos = NULL, *cut = NULL, lh, rh;
	HyphenDict *d;
	bool own;

	for (size_t i = 0; i < nch; i++) {
		ucs4_t c;
		int k;

		u8_mbtouc(&c, (const uint8_t *)w + cho[i], cho[i + 1] - cho[i]);
		upper += uc_is_upper(c);
		lower += uc_is_lower(c);
		k = u8_uctomb(low + nlow, uc_tolower(c), 4);
		if (k <= 0)
			return 0;
		nlow += (size_t)k;
	}
	low[nlow] = '\0'; /* libhyphen reads the word as a C string too */
	if (lower == 0 && upper > 1) /* an acronym */
		return 0;
	if (e->to_cset != (iconv_t)-1) {
		char *in = (char *)low, *o = conv;
		size_t inl = nlow, outl = sizeof conv - 1;

		iconv(e->to_cset, NULL, NULL, NULL, NULL);
		if (iconv(e->to_cset, &in, &inl, &o, &outl) == (size_t)-1 ||
		    (size_t)(o - conv) != nch)
			return 0; /* a letter outside the dictionary's charset */
		conv[nch] = '\0';
		word = conv;
		nlow = nch;
	}
	d = dict_for(h, e, word, nlow, &own);
	if (!d)
		return 0;
	lh = d->lhmin > HYPHEN_MIN_SIDE ? d->lhmin : HYPHEN_MIN_SIDE;
	rh = d->rhmin > HYPHEN_MIN_SIDE ? d->rhmin : HYPHEN_MIN_SIDE;
	memset(hy, 0, sizeof hy);
	if (hnj_hyphen_hyphenate3(d, word, (int)nlow, hy, NULL, &rep, &pos,
				  &cut, lh, rh, HYPHEN_MIN_SIDE,
				  HYPHEN_MIN_SIDE) == 0) {
		/* hy is indexed by character: odd = a break after it. */
		for (size_t i = 0; i + 1 < nch && n < max; i++)
			if ((hy[i] & 1) && !(rep && rep[i]) &&
			    (int)i + 1 >= lh && (int)(nch - i - 1) >= rh)
				at[n++] = cho[i + 1];
	}
	if (rep) {
		for (size_t i = 0; i < nlow; i++)
			free(rep[i]);
		free(rep);
	}
	free(pos);
	free(cut);
	if (own)
		hnj_hyphen_free(d);
	return n;
}

size_t hyphen_points(struct hyphenator *h, const char *lang, const char *word,
		     size_t len, size_t *at, size_t max)
{
	struct dict_ent *e;
	size_t cho[HYPHEN_MAX_LETTERS + 1], n = 0;

	if (!word || len == 0 || max == 0)
		return 0;
	if (has_soft_hyphen(word, len))
		return soft_points(word, len, at, max);
	for (size_t i = 0; i < len; i++)
		if (strchr("@/:\\", word[i]) ||
		    (word[i] >= '0' && word[i] <= '9'))
			return 0;
	e = entry(h, lang);
	if (!e || !e->path)
		return 0;
	for (size_t i = 0; i < len && n < max;) {
		size_t nch = 0, start = i;
		bool too_long = false;

		/* The next run of letters, with its character offsets. */
		while (i < len) {
			ucs4_t c;
			int k = u8_mbtouc(&c, (const uint8_t *)word + i, len - i);

			if (k < 1)
				k = 1;
			if (!is_letter(c))
				break;
			if (nch < HYPHEN_MAX_LETTERS)
				cho[nch++] = i;
			else
				too_long = true;
			i += (size_t)k;
		}
		cho[nch] = i;
		if (nch >= HYPHEN_MIN_WORD && !too_long)
			n += hyphenate_run(h, e, word, cho, nch, at + n, max - n);
		if (i == start) { /* skip one character that is no letter */
			ucs4_t c;
			int k = u8_mbtouc(&c, (const uint8_t *)word + i, len - i);

			i += k > 0 ? (size_t)k : 1;
		}
	}
	return n;
}
