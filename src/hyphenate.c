/* hyphenate.c — hyphenation points with libhyphen (hyphenate.h). */
#include "hyphenate.h"

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

struct dict_ent {
	char lang[24];
	char *path;      /* NULL: no dictionary for the language */
	HyphenDict *d;
	iconv_t to_cset; /* (iconv_t)-1 for a UTF-8 dictionary */
};

struct hyphenator {
	char *dir;
	struct dict_ent *ents;
	size_t nents, capents;
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

void hyphen_free(struct hyphenator *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->nents; i++) {
		if (h->ents[i].d)
			hnj_hyphen_free(h->ents[i].d);
		if (h->ents[i].to_cset != (iconv_t)-1)
			iconv_close(h->ents[i].to_cset);
		free(h->ents[i].path);
	}
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

/* ---- loading a dictionary ------------------------------------------- */

/* A pattern line's key as libhyphen files it: its first word up to a '/'
 * (non-standard hyphenation), without the digits. */
static size_t pattern_key(const char *line, size_t n, char *key)
{
	size_t k = 0;

	for (size_t i = 0; i < n && (unsigned char)line[i] > ' ' &&
			   line[i] != '/';
	     i++)
		if (line[i] < '0' || line[i] > '9')
			key[k++] = line[i];
	return k;
}

static bool is_keyword_line(const char *line, size_t n)
{
	static const char *const kw[] = {
		"LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN",
		"COMPOUNDRIGHTHYPHENMIN", "NOHYPHEN", "NEXTLEVEL"};

	for (size_t i = 0; i < sizeof kw / sizeof *kw; i++) {
		size_t k = strlen(kw[i]);

		if (n >= k && strncmp(line, kw[i], k) == 0 &&
		    (n == k || (unsigned char)line[k] <= ' '))
			return true;
	}
	return false;
}

struct line {
	size_t at, len;  /* in the file */
	size_t key, nkey; /* in the key arena; nkey 0: not a pattern */
	unsigned level;
	bool keep;
};

static uint64_t key_hash(const char *k, size_t n, unsigned level)
{
	uint64_t h = 1469598103934665603ull ^ level;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211ull;
	return h;
}

/* Mark each pattern line kept unless a later line of its level has the
 * same key: libhyphen keeps the last of such duplicates and leaks the
 * others (Debian's French, Russian and German files have some), so
 * dropping them changes nothing but the leak. */
static bool mark_duplicates(struct line *ln, size_t n, const char *keys)
{
	size_t cap = 16, *slot;

	while (cap < 2 * n)
		cap *= 2;
	slot = calloc(cap, sizeof *slot); /* line index + 1, 0 = empty */
	if (!slot)
		return false;
	for (size_t i = n; i-- > 0;) {
		size_t k;

		ln[i].keep = true;
		if (ln[i].nkey == 0)
			continue;
		k = (size_t)key_hash(keys + ln[i].key, ln[i].nkey, ln[i].level) &
		    (cap - 1);
		for (;; k = (k + 1) & (cap - 1)) {
			const struct line *o;

			if (!slot[k]) {
				slot[k] = i + 1;
				break;
			}
			o = &ln[slot[k] - 1];
			if (o->level == ln[i].level && o->nkey == ln[i].nkey &&
			    memcmp(keys + o->key, keys + ln[i].key, o->nkey) == 0) {
				ln[i].keep = false;
				break;
			}
		}
	}
	free(slot);
	return true;
}

/* Split the file into lines with their pattern keys. */
static struct line *scan_lines(const char *buf, size_t size, char *keys,
			       size_t *nlines)
{
	struct line *ln;
	size_t n = 0, nk = 0, cap = 1;
	unsigned level = 0;

	for (size_t i = 0; i < size; i++)
		cap += buf[i] == '\n';
	ln = malloc(cap * sizeof *ln);
	if (!ln)
		return NULL;
	for (size_t i = 0; i < size;) {
		size_t e = i;

		while (e < size && buf[e] != '\n')
			e++;
		ln[n] = (struct line){i, e - i, nk, 0, level, true};
		if (is_keyword_line(buf + i, e - i)) {
			if (strncmp(buf + i, "NEXTLEVEL", 9) == 0)
				level++;
		} else if (n > 0 && e > i && buf[i] != '%') {
			/* Line 0 names the character set. */
			ln[n].nkey = pattern_key(buf + i, e - i, keys + nk);
			nk += ln[n].nkey;
		}
		n++;
		i = e + 1;
	}
	*nlines = n;
	return ln;
}

/* Load the dictionary at path through libhyphen, without the duplicate
 * patterns it would leak. NULL when it cannot be read or parsed. */
static HyphenDict *load_dict(const char *path)
{
	FILE *f = fopen(path, "rb"), *mem = NULL;
	char *buf = NULL, *keys = NULL, *out = NULL;
	struct line *ln = NULL;
	size_t size = 0, n = 0, o = 0;
	HyphenDict *d = NULL;
	long end;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (end = ftell(f)) < 0 ||
	    (unsigned long)end > HYPHEN_MAX_FILE || fseek(f, 0, SEEK_SET) != 0)
		goto out;
	size = (size_t)end;
	buf = malloc(size + 1);
	keys = malloc(size + 1);
	out = malloc(size + 2);
	if (!buf || !keys || !out || fread(buf, 1, size, f) != size)
		goto out;
	ln = scan_lines(buf, size, keys, &n);
	if (!ln || !mark_duplicates(ln, n, keys))
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (!ln[i].keep)
			continue;
		memcpy(out + o, buf + ln[i].at, ln[i].len);
		o += ln[i].len;
		out[o++] = '\n';
	}
	mem = fmemopen(out, o, "r");
	if (mem)
		d = hnj_hyphen_load_file(mem);
out:
	if (mem)
		fclose(mem);
	fclose(f);
	free(ln);
	free(out);
	free(keys);
	free(buf);
	return d;
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
	if (h->nents == h->capents) {
		size_t cap = h->capents ? h->capents * 2 : 4;
		struct dict_ent *p = realloc(h->ents, cap * sizeof *p);

		if (!p)
			return NULL;
		h->ents = p;
		h->capents = cap;
	}
	e = &h->ents[h->nents++];
	memset(e, 0, sizeof *e);
	e->to_cset = (iconv_t)-1;
	strcpy(e->lang, lang);
	if (!find_dict(h->dir, lang, path, sizeof path))
		return e;
	e->d = load_dict(path);
	if (e->d && !e->d->utf8) {
		e->to_cset = iconv_open(e->d->cset, "UTF-8");
		if (e->to_cset == (iconv_t)-1) { /* a charset iconv lacks */
			hnj_hyphen_free(e->d);
			e->d = NULL;
		}
	}
	if (e->d)
		e->path = strdup(path);
	if (e->d && !e->path) {
		hnj_hyphen_free(e->d);
		e->d = NULL;
	}
	return e;
}

const char *hyphen_dictionary(struct hyphenator *h, const char *lang)
{
	struct dict_ent *e = entry(h, lang);

	return e && e->d ? e->path : NULL;
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
static size_t hyphenate_run(struct dict_ent *e, const char *w,
			    const size_t *cho, size_t nch, size_t *at,
			    size_t max)
{
	uint8_t low[HYPHEN_MAX_LETTERS * 4 + 8];
	char conv[HYPHEN_MAX_LETTERS + 8], hy[HYPHEN_MAX_LETTERS * 4 + 8];
	const char *word = (const char *)low;
	size_t nlow = 0, n = 0, upper = 0, lower = 0;
	char **rep = NULL;
	int *pos = NULL, *cut = NULL;
	int lh = e->d->lhmin > HYPHEN_MIN_SIDE ? e->d->lhmin : HYPHEN_MIN_SIDE;
	int rh = e->d->rhmin > HYPHEN_MIN_SIDE ? e->d->rhmin : HYPHEN_MIN_SIDE;

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
	memset(hy, 0, sizeof hy);
	if (hnj_hyphen_hyphenate3(e->d, word, (int)nlow, hy, NULL, &rep, &pos,
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
	if (!e || !e->d)
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
			n += hyphenate_run(e, word, cho, nch, at + n, max - n);
		if (i == start) { /* skip one character that is no letter */
			ucs4_t c;
			int k = u8_mbtouc(&c, (const uint8_t *)word + i, len - i);

			i += k > 0 ? (size_t)k : 1;
		}
	}
	return n;
}
