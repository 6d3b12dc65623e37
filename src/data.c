/* data.c — dataset schemas, header binding (by column name, and by the HXL
 * hashtag row where a file's names differ), row validation against the
 * schemas and the directory's vocabularies, duplicate ids in bounded
 * memory, and streaming validated rows to a consumer (a big file on two
 * threads, in file order). */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv_load.h"
#include "data.h"
#include "data_hint.h"
#include "data_schema.h"
#include "fieldnum.h"
#include "sha256.h"
#include "infile.h"

/* ---- schemas -------------------------------------------------------- */

static const char *const vocab_category[] = {"killed", "wounded", "missing",
					     "captured", NULL};
static const char *const vocab_population[] = {"civilian", "military", "all",
					       NULL};
static const char *const vocab_unit[] = {"km2", "percent", NULL};
static const char *const vocab_source_kind[] = {
	"news",	 "analysis", "advocacy", "official", "ngo",
	"un",	 "academic", "dataset",	 "other",    NULL};
static const char *const vocab_flow_stock[] = {"flow", "stock", NULL};
static const char *const vocab_yes[] = {"yes", NULL};
/* In enum qualifier's order (check_field relies on it). */
static const char *const vocab_qualifier[] = {
	"exact",  "about",   "at_least", "more_than",
	"nearly", "at_most", "range",	 NULL};

/* Standard HXL 1.1 tags (the hashtag dictionary and the HXL hashtag
 * chooser) read as brief's columns besides brief's own tag; documented in
 * datasets/README.md. "-max" keeps an upper bound's column from passing
 * for the value's. */
static const char *const al_note[] = {"#description", NULL};
static const char *const al_reported_by[] = {"#org+reporting", NULL};
static const char *const al_event[] = {"#crisis", NULL};
static const char *const al_party[] = {"#group", NULL};
static const char *const al_affected[] = {"#affected-max", NULL};
static const char *const al_affected_max[] = {"#affected+max", NULL};
static const char *const al_displaced[] = {"#affected+idps-max",
					   "#affected+refugees-max",
					   "#affected-max", NULL};
static const char *const al_group[] = {"#population", NULL};
static const char *const al_origin[] = {"#country+origin", "#adm1+origin",
					"#adm2+origin", "#adm3+origin",
					"#region+origin", NULL};
static const char *const al_dest[] = {"#country+dest", "#adm1+dest",
				      "#adm2+dest", "#adm3+dest",
				      "#region+dest", NULL};
static const char *const al_area[] = {"#adm1", "#adm2", "#adm3", "#loc",
				      "#country", "#region", NULL};
static const char *const al_value[] = {"#indicator+num-max",
				       "#indicator+value-max",
				       "#indicator+pct-max", NULL};
static const char *const al_value_max[] = {"#indicator+max", NULL};
static const char *const al_event_kind[] = {"#event+type", NULL};
static const char *const al_title[] = {"#event+name", "#event", NULL};
static const char *const al_publisher[] = {"#org", NULL};
static const char *const al_author[] = {"#contact+name", NULL};
static const char *const al_published[] = {"#date+reported", NULL};
static const char *const al_source_kind[] = {"#meta+type", NULL};

#define REQ COL_REQUIRED
#define NE COL_NONEMPTY
#define EXTRA COL_EXTRA

#define FIX COL_FIXED

static const struct coldef cols_sources[] = {
	{"id", T_ID, REQ | NE, NULL, "#meta+id", NULL},
	{"title", T_TEXT, REQ | NE, NULL, "#meta+title", NULL},
	{"publisher", T_TEXT, REQ | NE, NULL, "#org+publisher", al_publisher},
	{"author", T_TEXT, REQ | NE, NULL, "#contact+author", al_author},
	{"published", T_DATE_UNKNOWN, REQ | NE, NULL, "#date+published",
	 al_published},
	{"url", T_URL, REQ, NULL, "#meta+url", NULL},
	{"accessed", T_DATE_UNKNOWN, REQ | NE, NULL, "#date+accessed", NULL},
	{"kind", T_VOCAB, REQ | NE, vocab_source_kind, "#meta+kind",
	 al_source_kind},
	{"language", T_LANG, REQ | NE, NULL, "#meta+lang", NULL},
	{"archive", T_FILENAME, 0, NULL, "#meta+archive", NULL},
	{"note", T_TEXT, 0, NULL, "#description+notes", al_note},
	/* What brief import records about an export. */
	{"sha256", T_TEXT, EXTRA, NULL, "#meta+sha256", NULL},
	{"rows", T_NUMBER, EXTRA, NULL, "#meta+rows", NULL},
	{"filters", T_TEXT, EXTRA, NULL, "#meta+filters", NULL},
};

static const struct coldef cols_casualties[] = {
	{"id", T_ID, REQ | NE, NULL, "#meta+id", NULL},
	{"event", T_TEXT, REQ | NE, NULL, "#event", al_event},
	{"date_from", T_DATE, REQ | NE, NULL, "#date+start", NULL},
	{"date_to", T_DATE, REQ, NULL, "#date+end", NULL},
	{"party", T_TEXT, REQ | NE, NULL, "#org+party", al_party},
	{"category", T_VOCAB, REQ | NE, vocab_category, "#meta+category", NULL},
	{"population", T_VOCAB, REQ | NE, vocab_population, "#meta+population",
	 NULL},
	{"value", T_VALUE, REQ | NE, NULL, "#affected+num", al_affected},
	{"value_high", T_HIGH, REQ, NULL, "#affected+num+max", al_affected_max},
	{"qualifier", T_VOCAB, REQ | NE | FIX, vocab_qualifier,
	 "#meta+qualifier", NULL},
	{"reported_by", T_TEXT, REQ | NE, NULL, "#meta+reported_by",
	 al_reported_by},
	{"source", T_SOURCE, REQ | NE, NULL, "#meta+source", NULL},
	{"stated_as", T_TEXT, REQ, NULL, "#meta+stated", NULL},
	{"note", T_TEXT, 0, NULL, "#description+notes", al_note},
	/* Optional columns of imported data (datasets/README.md). */
	{"value_best", T_NUMBER, EXTRA, NULL, "#affected+num+best", NULL},
	{"part_of", T_TEXT, EXTRA, NULL, "#meta+part_of", NULL},
	{"additive", T_VOCAB, EXTRA, vocab_yes, "#meta+additive", NULL},
	{"cause", T_TEXT, EXTRA, NULL, "#meta+cause", NULL},
	{"adm1", T_TEXT, EXTRA, NULL, "#adm1+name", NULL},
	{"adm1_pcode", T_TEXT, EXTRA, NULL, "#adm1+code", NULL},
	{"adm2", T_TEXT, EXTRA, NULL, "#adm2+name", NULL},
	{"location", T_TEXT, EXTRA, NULL, "#loc+name", NULL},
	{"latitude", T_COORD, EXTRA, NULL, "#geo+lat", NULL},
	{"longitude", T_COORD, EXTRA, NULL, "#geo+lon", NULL},
};

static const struct coldef cols_displacement[] = {
	{"id", T_ID, REQ | NE, NULL, "#meta+id", NULL},
	{"event", T_TEXT, REQ | NE, NULL, "#event", al_event},
	{"date_from", T_DATE, REQ | NE, NULL, "#date+start", NULL},
	{"date_to", T_DATE, REQ, NULL, "#date+end", NULL},
	{"group", T_TEXT, REQ | NE, NULL, "#population+group", al_group},
	{"origin", T_TEXT, REQ | NE, NULL, "#loc+origin", al_origin},
	{"destination", T_TEXT, REQ | NE, NULL, "#loc+dest", al_dest},
	{"value", T_VALUE, REQ | NE, NULL, "#affected+displaced", al_displaced},
	{"value_high", T_HIGH, REQ, NULL, "#affected+displaced+max",
	 al_affected_max},
	{"qualifier", T_VOCAB, REQ | NE | FIX, vocab_qualifier,
	 "#meta+qualifier", NULL},
	{"reported_by", T_TEXT, REQ | NE, NULL, "#meta+reported_by",
	 al_reported_by},
	{"source", T_SOURCE, REQ | NE, NULL, "#meta+source", NULL},
	{"stated_as", T_TEXT, REQ, NULL, "#meta+stated", NULL},
	{"note", T_TEXT, 0, NULL, "#description+notes", al_note},
	{"value_best", T_NUMBER, EXTRA, NULL, "#affected+displaced+best", NULL},
	{"flow_stock", T_VOCAB, EXTRA, vocab_flow_stock, "#meta+flow_stock", NULL},
	{"part_of", T_TEXT, EXTRA, NULL, "#meta+part_of", NULL},
	{"additive", T_VOCAB, EXTRA, vocab_yes, "#meta+additive", NULL},
	{"cause", T_TEXT, EXTRA, NULL, "#meta+cause", NULL},
	{"adm1", T_TEXT, EXTRA, NULL, "#adm1+name", NULL},
	{"adm1_pcode", T_TEXT, EXTRA, NULL, "#adm1+code", NULL},
	{"adm2", T_TEXT, EXTRA, NULL, "#adm2+name", NULL},
	{"location", T_TEXT, EXTRA, NULL, "#loc+name", NULL},
	{"latitude", T_COORD, EXTRA, NULL, "#geo+lat", NULL},
	{"longitude", T_COORD, EXTRA, NULL, "#geo+lon", NULL},
};

static const struct coldef cols_control[] = {
	{"id", T_ID, REQ | NE, NULL, "#meta+id", NULL},
	{"date", T_DATE, REQ | NE, NULL, "#date", NULL},
	{"area", T_TEXT, REQ | NE, NULL, "#adm1+name", al_area},
	{"controller", T_TEXT, REQ | NE, NULL, "#org+controller", al_party},
	{"value", T_VALUE, REQ | NE, NULL, "#value", al_value},
	{"value_high", T_HIGH, REQ, NULL, "#value+max", al_value_max},
	{"unit", T_VOCAB, REQ | NE, vocab_unit, "#indicator+unit", NULL},
	{"of", T_TEXT, REQ, NULL, "#indicator+of", NULL},
	{"qualifier", T_VOCAB, REQ | NE | FIX, vocab_qualifier,
	 "#meta+qualifier", NULL},
	{"reported_by", T_TEXT, REQ | NE, NULL, "#meta+reported_by",
	 al_reported_by},
	{"source", T_SOURCE, REQ | NE, NULL, "#meta+source", NULL},
	{"stated_as", T_TEXT, REQ, NULL, "#meta+stated", NULL},
	{"note", T_TEXT, 0, NULL, "#description+notes", al_note},
	{"adm1_pcode", T_TEXT, EXTRA, NULL, "#adm1+code", NULL},
};

static const struct coldef cols_figures[] = {
	{"id", T_ID, REQ | NE, NULL, "#meta+id", NULL},
	{"date", T_DATE, REQ | NE, NULL, "#date", NULL},
	{"subject", T_TEXT, REQ | NE, NULL, "#indicator+subject", NULL},
	{"measure", T_TEXT, REQ | NE, NULL, "#indicator+name", NULL},
	{"value", T_VALUE, REQ | NE, NULL, "#value", al_value},
	{"value_high", T_HIGH, REQ, NULL, "#value+max", al_value_max},
	{"unit", T_TEXT, REQ | NE, NULL, "#indicator+unit", NULL},
	{"qualifier", T_VOCAB, REQ | NE | FIX, vocab_qualifier,
	 "#meta+qualifier", NULL},
	{"reported_by", T_TEXT, REQ | NE, NULL, "#meta+reported_by",
	 al_reported_by},
	{"source", T_SOURCE, REQ | NE, NULL, "#meta+source", NULL},
	{"stated_as", T_TEXT, REQ, NULL, "#meta+stated", NULL},
	{"note", T_TEXT, 0, NULL, "#description+notes", al_note},
};

/* kind is the data's own words (open: NULL); a directory may declare a
 * closed list for it in its vocabulary file. */
static const struct coldef cols_events[] = {
	{"id", T_ID, REQ | NE, NULL, "#meta+id", NULL},
	{"date", T_DATE, REQ | NE, NULL, "#date", NULL},
	{"kind", T_VOCAB, REQ | NE, NULL, "#meta+kind", al_event_kind},
	{"title", T_TEXT, REQ | NE, NULL, "#event+title", al_title},
	{"source", T_SOURCE, REQ | NE, NULL, "#meta+source", NULL},
	{"adm1", T_TEXT, EXTRA, NULL, "#adm1+name", NULL},
	{"adm1_pcode", T_TEXT, EXTRA, NULL, "#adm1+code", NULL},
	{"adm2", T_TEXT, EXTRA, NULL, "#adm2+name", NULL},
	{"location", T_TEXT, EXTRA, NULL, "#loc+name", NULL},
	{"latitude", T_COORD, EXTRA, NULL, "#geo+lat", NULL},
	{"longitude", T_COORD, EXTRA, NULL, "#geo+lon", NULL},
};

#define N(a) (sizeof(a) / sizeof *(a))
static const struct schema schemas[DS_COUNT + 1] = {
	[DS_CASUALTIES] = {"casualties", cols_casualties, N(cols_casualties)},
	[DS_DISPLACEMENT] = {"displacement", cols_displacement,
			     N(cols_displacement)},
	[DS_CONTROL] = {"control", cols_control, N(cols_control)},
	[DS_FIGURES] = {"figures", cols_figures, N(cols_figures)},
	[DS_EVENTS] = {"events", cols_events, N(cols_events)},
	[DS_COUNT] = {"sources", cols_sources, N(cols_sources)},
};

const struct schema *schema_get(enum dataset_kind k)
{
	return &schemas[k];
}

const struct schema *schema_sources(void)
{
	return &schemas[DS_COUNT];
}

const struct schema *schema_by_name(const char *name, int *k)
{
	int i;

	for (i = 0; i <= DS_COUNT; i++) {
		if (strcmp(name, schemas[i].name) == 0) {
			*k = i;
			return &schemas[i];
		}
	}
	return NULL;
}

bool dataset_kind_parse(const char *name, enum dataset_kind *out)
{
	int k;

	for (k = 0; k < DS_COUNT; k++) {
		if (strcmp(name, schemas[k].name) == 0) {
			*out = (enum dataset_kind)k;
			return true;
		}
	}
	return false;
}

const char *dataset_name(enum dataset_kind k)
{
	return schemas[k].name;
}

const char *const *dataset_columns(enum dataset_kind k, size_t *n)
{
	static const char *names[DS_COUNT][SCHEMA_MAX_COLS];
	const struct schema *sc = &schemas[k];
	size_t i, m = 0;

	for (i = 0; i < sc->ncols; i++)
		if (!(sc->cols[i].flags & COL_EXTRA))
			names[k][m++] = sc->cols[i].name;
	*n = m;
	return names[k];
}

/* ---- field checks --------------------------------------------------- */

/* The bytes of an id after its first (ids are checked on every row). */
static const bool id_byte[256] = {
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1,
	['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['_'] = 1, ['-'] = 1,
};

static bool id_valid(const char *s)
{
	const char *p;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return false;
	for (p = s + 1; *p; p++)
		if (!id_byte[(unsigned char)*p])
			return false;
	return true;
}

/* 2^53: every whole number up to it is exact in a double, the type the
 * typed view, the charts and figure_format work in. Larger figures are
 * refused rather than printed with other digits. */
#define EXACT_MAX 9007199254740992ULL

enum number { NUM_OK, NUM_BAD, NUM_TOO_LARGE };

/* A non-negative decimal: digits, optionally "." and digits. */
static enum number number_parse(const char *s, bool allow_decimal, double *out)
{
	const char *p = s;
	uint64_t v = 0;
	bool big = false, dot = false;

	if (!(*p >= '0' && *p <= '9'))
		return NUM_BAD;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (big)
			continue;
		v = v * 10 + (uint64_t)(*p - '0');
		big = v > EXACT_MAX;
	}
	if (*p == '.') {
		if (!allow_decimal || !(p[1] >= '0' && p[1] <= '9'))
			return NUM_BAD;
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
		dot = true;
	}
	if (*p)
		return NUM_BAD;
	if (big)
		return NUM_TOO_LARGE;
	*out = dot ? strtod(s, NULL) : (double)v;
	return NUM_OK;
}

/* The words of a list, comma-separated, into buf (cut with "..." when
 * long). */
static void vocab_words(const struct vocab_list *l, char *buf, size_t size)
{
	size_t o = 0, i;

	buf[0] = '\0';
	for (i = 0; i < l->n; i++) {
		int n = snprintf(buf + o, size - o, "%s%s", o ? ", " : "",
				 l->words[i]);

		if (n < 0 || (size_t)n >= size - o) {
			if (size > 4)
				memcpy(buf + size - 4, "...", 4);
			return;
		}
		o += (size_t)n;
	}
}

static bool url_valid(const char *s)
{
	const char *p;

	if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0)
		return false;
	for (p = s; *p; p++)
		if ((unsigned char)*p <= ' ')
			return false;
	return strlen(s) > 8;
}

static bool lang_valid(const char *s)
{
	size_t n = strlen(s);

	if (strcmp(s, "unknown") == 0)
		return true;
	if (n < 2 || n > 3)
		return false;
	for (; *s; s++)
		if (*s < 'a' || *s > 'z')
			return false;
	return true;
}

/* An archive name: one plain file name inside the archive directory. */
static bool filename_valid(const char *s)
{
	return !strchr(s, '/') && strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

/* ---- the duplicate-id index: 64-bit hashes, open addressing ---------- */

static uint64_t hash_id(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a, then a final mix */

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h ? h : 1; /* 0 marks an empty slot */
}

/* Any table size works: a slot is picked by multiplying the hash's high
 * half by the size (no power of two needed), so the table grows by half
 * each time and is never twice the needed size, and during a rehash the
 * old and new tables together stay at 2.5x the old one (doubling: 3x). */
struct idset {
	uint64_t *slot;
	size_t cap, n;
};

#define IDSET_LOAD_NUM 4 /* at most 4/5 full */
#define IDSET_LOAD_DEN 5

static size_t idset_home(uint64_t h, size_t cap)
{
	return (size_t)(((h >> 32) * (uint64_t)cap) >> 32);
}

/* Rehash into ncap slots; -1 when out of memory. */
static int idset_resize(struct idset *s, size_t ncap)
{
	uint64_t *ns = calloc(ncap, sizeof *ns);
	size_t i, j;

	if (!ns)
		return -1;
	for (j = 0; j < s->cap; j++) {
		if (!s->slot[j])
			continue;
		for (i = idset_home(s->slot[j], ncap); ns[i];
		     i = i + 1 == ncap ? 0 : i + 1)
			;
		ns[i] = s->slot[j];
	}
	free(s->slot);
	s->slot = ns;
	s->cap = ncap;
	return 0;
}

/* Make room for `rows` ids in all (a size estimate: no rehash later). */
static int idset_reserve(struct idset *s, size_t rows)
{
	size_t need = rows / IDSET_LOAD_NUM * IDSET_LOAD_DEN + 16;

	if (need <= s->cap || need > (SIZE_MAX >> 4) || need >= (1ULL << 32))
		return 0;
	return idset_resize(s, need);
}

/* Insert; returns 1 if new, 0 if present, -1 out of memory. */
static int idset_add(struct idset *s, uint64_t h)
{
	size_t i;

	if ((s->n + 1) * IDSET_LOAD_DEN > s->cap * IDSET_LOAD_NUM &&
	    (s->cap >= (1ULL << 31) ||
	     idset_resize(s, s->cap ? s->cap + s->cap / 2 : 1024)))
		return -1;
	for (i = idset_home(h, s->cap); s->slot[i];
	     i = i + 1 == s->cap ? 0 : i + 1)
		if (s->slot[i] == h)
			return 0;
	s->slot[i] = h;
	s->n++;
	return 1;
}

static bool idset_has(const struct idset *s, uint64_t h)
{
	size_t i;

	if (!s->cap)
		return false;
	for (i = idset_home(h, s->cap); s->slot[i];
	     i = i + 1 == s->cap ? 0 : i + 1)
		if (s->slot[i] == h)
			return true;
	return false;
}

/* ---- duplicate ids in bounded memory ---------------------------------
 *
 * Up to IDS_EXACT_ROWS ids the index above is exact (a 64-bit hash a row,
 * at most 4/5 full: 15 MB). A bigger file (judged from the first rows and
 * the file size, or on reaching the cap) goes to a fixed-size filter
 * instead: a split-block Bloom filter of at most IDS_FILTER_MAX bytes, eight
 * bits of one 32-byte block a row. A row whose bits are all set already is
 * a candidate (a real duplicate, or one in a hundred or so at 10M rows
 * that only looks like one); only the candidates' hashes are kept. When
 * there are any, the file is read once more: rows whose hash is a
 * candidate's keep their id, compared exactly, and a repeat is a
 * duplicate (ids_recheck). Nothing else is kept per row. */
#define IDS_EXACT_ROWS 1500000
#define IDS_FILTER_MAX (12u << 20)
#define IDS_FILTER_MIN (1u << 20)

enum { IDS_EXACT, IDS_FILTER, IDS_RECHECK };

/* The limits above, smaller in tests (data_tune_ids). */
static size_t ids_exact_rows = IDS_EXACT_ROWS;
static size_t ids_filter_max = IDS_FILTER_MAX, ids_filter_min = IDS_FILTER_MIN;

void data_tune_ids(size_t exact_rows, size_t filter_bytes)
{
	ids_exact_rows = exact_rows ? exact_rows : IDS_EXACT_ROWS;
	ids_filter_max = filter_bytes ? filter_bytes : IDS_FILTER_MAX;
	ids_filter_min = filter_bytes ? filter_bytes : IDS_FILTER_MIN;
}

struct idfilter {
	uint32_t *w; /* nblocks blocks of 8 words */
	size_t nblocks;
	struct idset cand; /* hashes of the candidates */
};

static const uint32_t sbbf_salt[8] = {
	0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
	0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U
};

static const uint32_t *idfilter_block(const struct idfilter *f, uint64_t h)
{
	return f->w + 8 * (size_t)(((h >> 32) * (uint64_t)f->nblocks) >> 32);
}

/* Set h's bits; true when they were all set already. */
static bool idfilter_add(struct idfilter *f, uint64_t h)
{
	uint32_t *b = (uint32_t *)idfilter_block(f, h), lo = (uint32_t)h;
	uint32_t seen = 1;
	int i;

	for (i = 0; i < 8; i++) {
		uint32_t bit = 1u << ((lo * sbbf_salt[i]) >> 27);

		seen &= (b[i] & bit) != 0;
		b[i] |= bit;
	}
	return seen != 0;
}

/* Exact ids of the rows whose hash is a candidate, in the second read.
 * Owns id[] and each string. */
struct idtab {
	uint64_t *h;
	char **id;
	size_t cap, n;
};

/* 1 if id is new (kept), 0 if it was seen, -1 out of memory. */
static int idtab_add(struct idtab *t, uint64_t h, const char *id)
{
	size_t i;

	if ((t->n + 1) * 2 > t->cap) {
		struct idtab nt = {NULL, NULL, t->cap ? 2 * t->cap : 1024, 0};
		size_t j;

		nt.h = calloc(nt.cap, sizeof *nt.h);
		nt.id = calloc(nt.cap, sizeof *nt.id);
		if (!nt.h || !nt.id) {
			free(nt.h);
			free(nt.id);
			return -1;
		}
		for (j = 0; j < t->cap; j++) {
			if (!t->id[j])
				continue;
			for (i = idset_home(t->h[j], nt.cap); nt.id[i];
			     i = i + 1 == nt.cap ? 0 : i + 1)
				;
			nt.h[i] = t->h[j];
			nt.id[i] = t->id[j];
		}
		nt.n = t->n;
		free(t->h);
		free(t->id);
		*t = nt;
	}
	for (i = idset_home(h, t->cap); t->id[i]; i = i + 1 == t->cap ? 0 : i + 1)
		if (t->h[i] == h && strcmp(t->id[i], id) == 0)
			return 0;
	t->id[i] = strdup(id);
	if (!t->id[i])
		return -1;
	t->h[i] = h;
	t->n++;
	return 1;
}

static void idtab_free(struct idtab *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		free(t->id[i]);
	free(t->h);
	free(t->id);
}

/* ---- the scan ------------------------------------------------------- */

/* After this many rows the id index is sized for the whole file (their
 * average length into the file size, plus a tenth). */
#define ID_SAMPLE_ROWS 1024

/* Field numbers (data_row.fid) come from one set of tables per thread
 * that parses rows: the calling thread's and each worker's (PAR_WORKERS),
 * each numbering up to FID_CAP texts a column from its own range. */
#define PAR_WORKERS 2 /* worker threads of the parallel scan (below) */
#define FID_SETS (PAR_WORKERS + 1)
#define FID_CAP (DATA_FID_SPACE / FID_SETS)

/* What a column fills in the typed view besides its type's own field. */
enum { ROLE_NONE, ROLE_REPORTED_BY, ROLE_DATE_TO, ROLE_QUALIFIER };

/* Column lookups of one scan by name pointer (data_row_column). */
#define COLMEMO_BITS 5
#define COLMEMO_NAME 32
struct data_colmemo {
	const char *key[1 << COLMEMO_BITS];
	char name[1 << COLMEMO_BITS][COLMEMO_NAME];
	int idx[1 << COLMEMO_BITS];
};

/* A record kept while the HXL hashtag row may still come (it can be any
 * of the first HXL_SEARCH_ROWS records). Owns fields, text and raw. */
struct held {
	struct csv_field *fields;
	size_t nfields;
	char *text;
	char *raw;
	size_t raw_len;
	long line;
	size_t index;
};

struct scan {
	const struct schema *sc;
	enum dataset_kind kind; /* DS_COUNT for sources */
	const char *path;
	const struct sources *sources;
	const struct vocab *vocab;
	data_row_fn fn;
	void *ctx;
	struct diag_sink *sink;
	bool failed;       /* an invalid row was reported */
	size_t rows;

	size_t ncols;      /* header width */
	char **names;      /* owned column names (schema names where bound) */
	int map[SCHEMA_MAX_COLS]; /* schema column -> file column, -1 absent */
	unsigned char role[SCHEMA_MAX_COLS]; /* schema column -> ROLE_* */
	struct vocab_list vl[SCHEMA_MAX_COLS]; /* T_VOCAB columns' words */
	/* File columns of the cross-column rules, -1 if absent. */
	int c_value, c_unit, c_high, c_qualifier, c_date_to, c_date_from, c_id;
	const struct source *last_src; /* the previous row's source */
	/* Sizing the id index from the file size and the first rows. */
	long long file_size;
	size_t sample_rows, sample_bytes;
	bool header_done;
	bool stopped; /* on_record stopped the load (already reported) */
	struct idset ids;
	int ids_mode;            /* IDS_* */
	struct idfilter filter;  /* IDS_FILTER */
	const struct idset *cand; /* IDS_RECHECK: the first read's candidates */
	struct idtab exact;      /* IDS_RECHECK */
	struct diag_sink *dup_sink; /* IDS_RECHECK: where duplicates go */
	long stop_line;          /* IDS_RECHECK: the first read stopped here */
	size_t ndup;             /* IDS_RECHECK: duplicates found */
	struct diag first_dup;
	struct data_colmemo memo; /* valid for this scan's names only */
	struct batch *pipe; /* a worker's: rows and problems go to it */
	size_t nrec;        /* records seen (the next one's index) */

	struct held held[HXL_SEARCH_ROWS];
	size_t nheld;

	/* Per-row scratch handed to fn (sized ncols). */
	const char **field;
	long *col;
	/* The field numbers of rows for fn (data_row.fid): this thread's
	 * table per file column (max 0: a column not numbered) and the
	 * thread's first number; fid is the row's scratch. NULL when the
	 * scan numbers no column. */
	struct fieldnum *fnum;
	uint32_t *fid;
	uint32_t fid_base;
	/* The names of the columns to number (data_scan_dataset_numbered)
	 * and, once bound, their file columns: numcol[0..nnumcol), owned by
	 * the calling thread's scan (workers read it). */
	const char *const *number;
	size_t nnumber;
	int *numcol;
	size_t nnumcol;
};

static enum brief_status pipe_diag(struct scan *s, const struct diag *d,
				   enum diag_severity sev);
static enum brief_status pipe_row(struct scan *s, const struct data_row *row,
				  const struct csv_record *rec, uint64_t id_hash,
				  struct diag *err);

/* A diagnostic for the sink, now or (two threads) in its place among the
 * rows. */
static enum brief_status scan_emit(struct scan *s, const struct diag *d,
				   enum diag_severity sev)
{
	if (s->pipe)
		return pipe_diag(s, d, sev);
	diag_emit(s->sink, d, sev);
	return BRIEF_OK;
}

/* Report a row problem: to the sink (and go on) or as the fatal error. */
static enum brief_status scan_report(struct scan *s, const struct diag *d,
				     struct diag *err)
{
	s->failed = true;
	if (s->sink)
		return scan_emit(s, d, DIAG_ERROR);
	if (err && err != d)
		*err = *d;
	return BRIEF_EDATA;
}

/* A warning goes to the sink; without one (a quiet scan) it is dropped. */
static void scan_warn(struct scan *s, const struct diag *d)
{
	if (s->sink)
		(void)scan_emit(s, d, DIAG_WARNING);
}

/* A problem at field i of a header or hashtag record. */
static void at_field(struct diag *d, const struct scan *s,
		     const struct csv_record *rec, size_t i)
{
	long line = i < rec->nfields ? rec->fields[i].line : rec->line;
	long col = i < rec->nfields ? rec->fields[i].col : 1;

	diag_set(d, BRIEF_EDATA, s->path, line, col, "%s", "");
	if (line == rec->line)
		diag_quote(d, rec->raw, rec->raw_len);
}

static enum brief_status header_error(struct scan *s,
				      const struct csv_record *rec, size_t i,
				      struct diag *err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static enum brief_status header_error(struct scan *s,
				      const struct csv_record *rec, size_t i,
				      struct diag *err, const char *fmt, ...)
{
	struct diag d;
	va_list ap;

	at_field(&d, s, rec, i);
	va_start(ap, fmt);
	vsnprintf(d.msg, sizeof d.msg, fmt, ap);
	va_end(ap);
	return scan_report(s, &d, err);
}

static void header_warn(struct scan *s, const struct csv_record *rec,
			size_t i, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void header_warn(struct scan *s, const struct csv_record *rec,
			size_t i, const char *fmt, ...)
{
	struct diag d;
	va_list ap;

	at_field(&d, s, rec, i);
	va_start(ap, fmt);
	vsnprintf(d.msg, sizeof d.msg, fmt, ap);
	va_end(ap);
	scan_warn(s, &d);
}

/* How well normalised tag fits column cd: -1 not at all; brief's own tag
 * wins over an alias of the same specificity. */
static int col_fit(const struct coldef *cd, const char *tag)
{
	int best = hxl_fit(tag, cd->hxl), f;
	size_t i;

	best = best < 0 ? -1 : best * 2 + 1;
	for (i = 0; cd->aliases && cd->aliases[i]; i++) {
		f = hxl_fit(tag, cd->aliases[i]);
		if (f >= 0 && f * 2 > best)
			best = f * 2;
	}
	return best;
}

/* The hashtag row's tags, normalised, one per file column (NULL where a
 * column has none). Bad tags are reported and left out. */
static enum brief_status read_tags(struct scan *s, const struct csv_record *tr,
				   char **tag, struct diag *err)
{
	char buf[HXL_TAG_MAX];
	size_t j;
	enum brief_status st = BRIEF_OK;

	for (j = 0; j < tr->nfields && st == BRIEF_OK; j++) {
		const char *t = tr->fields[j].text;
		enum hxl_parse p;

		while (*t == ' ' || *t == '\t')
			t++;
		if (!*t)
			continue;
		if (j >= s->ncols) {
			st = header_error(s, tr, j, err,
					  "hashtag '%s' has no column in the "
					  "header row",
					  tr->fields[j].text);
			continue;
		}
		p = hxl_normalise(t, buf, sizeof buf);
		if (p != HXL_OK) {
			st = header_error(s, tr, j, err,
					  p == HXL_TOO_LONG
						  ? "HXL hashtag '%s' is too "
						    "long"
						  : "'%s' is not a valid HXL "
						    "hashtag (#tag +attribute "
						    "...)",
					  tr->fields[j].text);
			continue;
		}
		tag[j] = strdup(buf);
		if (!tag[j])
			return diag_set(err, BRIEF_ENOMEM, s->path, tr->line, 0,
					"out of memory");
	}
	return st;
}

/* Bind the schema columns left unbound by name to the columns whose
 * hashtags identify them. by_name[j]: file column j is a schema column's
 * name already. */
static enum brief_status bind_by_tag(struct scan *s, const struct csv_record *tr,
				     char **tag, const bool *by_name,
				     struct diag *err)
{
	const struct schema *sc = s->sc;
	int want[CSV_MAX_FIELDS];
	size_t i, j;
	enum brief_status st = BRIEF_OK;

	for (j = 0; j < s->ncols; j++) {
		int best = -1, best_fit = -1, other = -1, f;

		want[j] = -1;
		if (!tag[j] || by_name[j])
			continue;
		for (i = 0; i < sc->ncols; i++) {
			if (s->map[i] >= 0)
				continue;
			f = col_fit(&sc->cols[i], tag[j]);
			if (f > best_fit) {
				best = (int)i;
				best_fit = f;
				other = -1;
			} else if (f >= 0 && f == best_fit) {
				other = (int)i;
			}
		}
		if (best >= 0 && other >= 0)
			header_warn(s, tr, j,
				    "HXL tag '%s' fits both '%s' and '%s'; the "
				    "column is read as neither",
				    tag[j], sc->cols[best].name,
				    sc->cols[other].name);
		else
			want[j] = best;
	}
	for (i = 0; i < sc->ncols && st == BRIEF_OK; i++) {
		int first = -1;

		if (s->map[i] >= 0)
			continue;
		for (j = 0; j < s->ncols; j++) {
			if (want[j] != (int)i)
				continue;
			if (first < 0) {
				first = (int)j;
				continue;
			}
			/* Like a duplicate column: the file's rows cannot be
			 * read until the header says which one is meant. */
			header_error(s, tr, j, err,
				     "columns %d and %zu both carry a tag for "
				     "'%s' (%s and %s); name one of them '%s' "
				     "in the header",
				     first + 1, j + 1, sc->cols[i].name,
				     tag[first], tag[j], sc->cols[i].name);
			st = BRIEF_EDATA;
			break;
		}
		if (first < 0 || st != BRIEF_OK)
			continue;
		s->map[i] = first;
		free(s->names[first]);
		s->names[first] = strdup(sc->cols[i].name);
		if (!s->names[first])
			return diag_set(err, BRIEF_ENOMEM, s->path, tr->line, 0,
					"out of memory");
	}
	return st;
}

/* Columns bound by name whose tags say something else: a warning, never
 * a refusal (the name decides). */
static void tag_warnings(struct scan *s, const struct csv_record *tr,
			 char **tag, const bool *by_name)
{
	size_t i;

	for (i = 0; i < s->sc->ncols; i++) {
		const struct coldef *cd = &s->sc->cols[i];
		int c = s->map[i];

		if (c >= 0 && by_name[c] && tag[c] && col_fit(cd, tag[c]) < 0)
			header_warn(s, tr, (size_t)c,
				    "HXL tag '%s' does not fit column '%s' "
				    "(brief's tag is %s); the column is read "
				    "by its name",
				    tag[c], cd->name, cd->hxl);
	}
}

static int find_col(const struct scan *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->sc->ncols; i++)
		if (strcmp(s->sc->cols[i].name, name) == 0)
			return s->map[i];
	return -1;
}

/* Field number tables for scan w (a thread's) over the columns bound in
 * s: false without memory (w then numbers nothing). */
static bool number_tables(struct scan *w, const struct scan *s)
{
	size_t i;

	w->fnum = calloc(s->ncols + 1, sizeof *w->fnum);
	w->fid = malloc((s->ncols + 1) * sizeof *w->fid);
	if (!w->fnum || !w->fid) {
		free(w->fnum);
		free(w->fid);
		w->fnum = NULL;
		w->fid = NULL;
		return false;
	}
	for (i = 0; i < s->ncols; i++)
		w->fid[i] = DATA_FID_NONE;
	for (i = 0; i < s->nnumcol; i++)
		w->fnum[s->numcol[i]].max = FID_CAP;
	return true;
}

/* The field numbers of fn's rows: the columns named in s->number that
 * the file has, each with its table on this thread. Without memory the
 * rows go without numbers (fid NULL), which only costs time. */
static void number_setup(struct scan *s)
{
	size_t i, j;

	s->numcol = calloc(s->ncols + 1, sizeof *s->numcol);
	if (!s->numcol)
		return;
	for (i = 0; i < s->ncols; i++)
		for (j = 0; j < s->nnumber; j++)
			if (strcmp(s->names[i], s->number[j]) == 0) {
				s->numcol[s->nnumcol++] = (int)i;
				break;
			}
	if (s->nnumcol)
		(void)number_tables(s, s); /* fid_base 0: the first range */
}

/* Number the fields of a valid row for fn (row->fid). */
static void number_fields(struct scan *s, const struct csv_record *rec,
			  struct data_row *row)
{
	size_t i;

	if (!s->fnum)
		return;
	for (i = 0; i < s->nnumcol; i++) {
		int c = s->numcol[i];
		uint32_t n = fieldnum_get(&s->fnum[c], rec->fields[c].text,
					  rec->fields[c].len);

		s->fid[c] = n == FIELDNUM_NONE ? DATA_FID_NONE
					       : s->fid_base + n;
	}
	row->fid = s->fid;
}

/* A scan's (or a worker's) field number tables. */
static void number_free(struct scan *s)
{
	for (size_t i = 0; s->fnum && i < s->ncols; i++)
		fieldnum_free(&s->fnum[i]);
	free(s->fnum);
	free(s->fid);
	s->fnum = NULL;
	s->fid = NULL;
}

/* Everything fixed once the columns are bound. */
static void bind_done(struct scan *s)
{
	size_t i;
	int ds = (int)s->kind; /* DS_COUNT: sources, as in schema_get */

	for (i = 0; i < s->sc->ncols; i++) {
		const struct coldef *cd = &s->sc->cols[i];

		s->role[i] = cd->type == T_TEXT &&
					     strcmp(cd->name, "reported_by") == 0
				     ? ROLE_REPORTED_BY
			     : cd->type == T_DATE && strcmp(cd->name, "date_to") == 0
				     ? ROLE_DATE_TO
			     : cd->type == T_VOCAB && cd->vocab == vocab_qualifier
				     ? ROLE_QUALIFIER
				     : ROLE_NONE;
		if (cd->type == T_VOCAB)
			vocab_list_for(s->vocab, ds, i, cd, &s->vl[i]);
	}
	s->c_value = find_col(s, "value");
	s->c_unit = find_col(s, "unit");
	s->c_high = find_col(s, "value_high");
	s->c_qualifier = find_col(s, "qualifier");
	s->c_date_to = find_col(s, "date_to");
	s->c_date_from = find_col(s, "date_from");
	s->c_id = find_col(s, "id");
	s->header_done = true;
	if (s->fn && s->nnumber)
		number_setup(s);
}

/* Bind the file's columns to the schema: by header name first, then, for
 * schema columns no name gives, by the HXL hashtag row. hdr is the header
 * row (NULL when the file starts with its hashtag row); tr the hashtag
 * row (NULL if none). */
static enum brief_status bind_columns(struct scan *s,
				      const struct csv_record *hdr,
				      const struct csv_record *tr,
				      struct diag *err)
{
	const struct schema *sc = s->sc;
	const struct csv_record *shape = hdr ? hdr : tr;
	bool by_name[CSV_MAX_FIELDS];
	char **tag = NULL;
	size_t i, j;
	enum brief_status st = BRIEF_OK;

	s->ncols = shape->nfields;
	s->names = calloc(s->ncols + 1, sizeof *s->names);
	s->field = calloc(s->ncols + 1, sizeof *s->field);
	s->col = calloc(s->ncols + 1, sizeof *s->col);
	tag = calloc(s->ncols + 1, sizeof *tag);
	if (!s->names || !s->field || !s->col || !tag) {
		st = diag_set(err, BRIEF_ENOMEM, s->path, shape->line, 0,
			      "out of memory");
		goto out;
	}
	for (j = 0; j < s->ncols; j++) {
		/* A file without a header row names its columns by their
		 * hashtags. */
		s->names[j] = strdup(hdr ? hdr->fields[j].text
					 : tr->fields[j].text);
		by_name[j] = false;
		if (!s->names[j]) {
			st = diag_set(err, BRIEF_ENOMEM, s->path, shape->line,
				      0, "out of memory");
			goto out;
		}
	}
	for (j = 0; hdr && j < s->ncols; j++) {
		for (i = 0; i < j && s->names[j][0]; i++) {
			if (strcmp(s->names[i], s->names[j]) == 0) {
				header_error(s, hdr, j, err,
					     "duplicate column '%s'",
					     s->names[j]);
				st = BRIEF_EDATA;
				goto out;
			}
		}
	}
	for (i = 0; i < sc->ncols; i++) {
		s->map[i] = -1;
		for (j = 0; hdr && j < s->ncols; j++) {
			if (strcmp(s->names[j], sc->cols[i].name) == 0) {
				s->map[i] = (int)j;
				by_name[j] = true;
			}
		}
	}
	if (tr) {
		st = read_tags(s, tr, tag, err);
		if (st == BRIEF_OK)
			st = bind_by_tag(s, tr, tag, by_name, err);
		if (st != BRIEF_OK)
			goto out;
	}
	/* A column without a name is an error unless its hashtag made it a
	 * schema column. */
	for (j = 0; hdr && j < s->ncols; j++) {
		if (!s->names[j][0]) {
			header_error(s, hdr, j, err,
				     "empty column name in header");
			st = BRIEF_EDATA;
			goto out;
		}
	}
	for (i = 0; i < sc->ncols; i++) {
		if (s->map[i] >= 0 || !(sc->cols[i].flags & COL_REQUIRED))
			continue;
		if (tr)
			header_error(s, shape, 0, err,
				     "missing required column '%s' (no column "
				     "named '%s' or tagged %s)%s",
				     sc->cols[i].name, sc->cols[i].name,
				     sc->cols[i].hxl,
				     data_hint_delimiter(shape));
		else
			header_error(s, shape, 0, err,
				     "missing required column '%s'%s",
				     sc->cols[i].name,
				     data_hint_delimiter(shape));
		st = BRIEF_EDATA;
		goto out;
	}
	if (tr)
		tag_warnings(s, tr, tag, by_name);
	bind_done(s);
out:
	for (j = 0; tag && j < s->ncols; j++)
		free(tag[j]);
	free(tag);
	return st;
}

/* ---- the records held while the hashtag row may still come ---------- */

static enum brief_status hold(struct scan *s, const struct csv_record *rec,
			      struct diag *err)
{
	struct held *h = &s->held[s->nheld++];
	size_t i, total = 1, o = 0;

	memset(h, 0, sizeof *h);
	for (i = 0; i < rec->nfields; i++)
		total += rec->fields[i].len + 1;
	h->fields = calloc(rec->nfields + 1, sizeof *h->fields);
	h->text = malloc(total);
	h->raw = malloc(rec->raw_len + 1);
	if (!h->fields || !h->text || !h->raw)
		return diag_set(err, BRIEF_ENOMEM, s->path, rec->line, 0,
				"out of memory");
	for (i = 0; i < rec->nfields; i++) {
		h->fields[i] = rec->fields[i];
		memcpy(h->text + o, rec->fields[i].text, rec->fields[i].len + 1);
		h->fields[i].text = h->text + o;
		o += rec->fields[i].len + 1;
	}
	h->nfields = rec->nfields;
	memcpy(h->raw, rec->raw, rec->raw_len);
	h->raw[rec->raw_len] = '\0';
	h->raw_len = rec->raw_len;
	h->line = rec->line;
	h->index = rec->index;
	return BRIEF_OK;
}

static void held_record(const struct held *h, struct csv_record *rec)
{
	rec->fields = h->fields;
	rec->nfields = h->nfields;
	rec->line = h->line;
	rec->raw = h->raw;
	rec->raw_len = h->raw_len;
	rec->index = h->index;
}

static void held_free(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->nheld; i++) {
		free(s->held[i].fields);
		free(s->held[i].text);
		free(s->held[i].raw);
	}
	s->nheld = 0;
}

/* ---- rows ------------------------------------------------------------ */

/* Validate one field by its schema type; fill the typed view. Returns a
 * message on error (static text or written into msg), NULL when valid. */
static const char *check_field(struct scan *s, const struct coldef *cd,
			       unsigned role, const struct vocab_list *vl,
			       const char *v, struct data_row *row, char *msg,
			       size_t msize)
{
	struct date dt;
	double x;
	int k;
	enum number num;
	char hint[200];

	if (!*v) {
		if (cd->flags & COL_NONEMPTY) {
			snprintf(msg, msize, "'%s' must not be empty", cd->name);
			return msg;
		}
		return NULL;
	}
	switch (cd->type) {
	case T_ID:
		if (!id_valid(v)) {
			snprintf(msg, msize,
				 "id '%s' must match [a-z0-9][a-z0-9_-]*", v);
			return msg;
		}
		row->id = v;
		break;
	case T_TEXT:
		if (role == ROLE_REPORTED_BY)
			row->reported_by = v;
		break;
	case T_DATE:
		if (!date_parse(v, strlen(v), &dt)) {
			snprintf(msg, msize,
				 "'%s' is not a date (YYYY, YYYY-MM or "
				 "YYYY-MM-DD) in '%s'%s",
				 v, cd->name, data_hint_date(v, hint, sizeof hint));
			return msg;
		}
		if (role == ROLE_DATE_TO)
			row->date_to = dt;
		else
			row->date = dt;
		break;
	case T_DATE_UNKNOWN:
		if (strcmp(v, "unknown") != 0 && !date_parse(v, strlen(v), &dt)) {
			snprintf(msg, msize,
				 "'%s' is not a date (YYYY, YYYY-MM or "
				 "YYYY-MM-DD) or 'unknown' in '%s'%s",
				 v, cd->name, data_hint_date(v, hint, sizeof hint));
			return msg;
		}
		break;
	case T_VALUE:
	case T_HIGH:
		/* Decimals are checked against the unit after the row. */
		num = number_parse(v, true, &x);
		if (num == NUM_TOO_LARGE) {
			snprintf(msg, msize,
				 "'%s' is too large in '%s': figures are kept "
				 "exact up to 9007199254740992 (2^53)",
				 v, cd->name);
			return msg;
		}
		if (num != NUM_OK) {
			snprintf(msg, msize,
				 "'%s' is not a non-negative number in '%s'%s", v,
				 cd->name, data_hint_number(v, hint, sizeof hint));
			return msg;
		}
		if (cd->type == T_VALUE) {
			row->value = x;
		} else {
			row->has_high = true;
			row->high = x;
		}
		break;
	case T_VOCAB:
		k = vocab_lookup(vl, v);
		if (k < 0) {
			char list[256];

			vocab_words(vl, list, sizeof list);
			snprintf(msg, msize,
				 "unknown %s '%s' (expected one of: %s%s)",
				 cd->name, v, list,
				 vl->declared ? "; from " VOCAB_FILE : "");
			return msg;
		}
		/* vocab_qualifier lists the qualifiers in enum order. */
		if (role == ROLE_QUALIFIER)
			row->qualifier = (enum qualifier)k;
		break;
	case T_SOURCE:
		if (s->sources && !(s->last_src && strcmp(s->last_src->id, v) == 0) &&
		    !(s->last_src = sources_find(s->sources, v))) {
			char names[256];

			snprintf(msg, msize, "unknown source '%s' (not in %s)", v,
				 sources_names(s->sources, names, sizeof names));
			return msg;
		}
		row->source = v;
		break;
	case T_URL:
		if (!url_valid(v)) {
			snprintf(msg, msize,
				 "'%s' is not an http(s) URL", v);
			return msg;
		}
		break;
	case T_NUMBER:
		if (number_parse(v, true, &x) != NUM_OK) {
			snprintf(msg, msize,
				 "'%s' is not a non-negative number in '%s'%s", v,
				 cd->name, data_hint_number(v, hint, sizeof hint));
			return msg;
		}
		break;
	case T_COORD:
		if (number_parse(v[0] == '-' ? v + 1 : v, true, &x) != NUM_OK ||
		    x > (strcmp(cd->name, "latitude") == 0 ? 90 : 180)) {
			snprintf(msg, msize,
				 "'%s' is not a %s in decimal degrees (%s)", v,
				 cd->name,
				 strcmp(cd->name, "latitude") == 0 ? "-90 to 90"
								  : "-180 to 180");
			return msg;
		}
		break;
	case T_LANG:
		if (!lang_valid(v)) {
			snprintf(msg, msize,
				 "'%s' is not a language code (ISO 639, e.g. en)",
				 v);
			return msg;
		}
		break;
	case T_FILENAME:
		if (!filename_valid(v)) {
			snprintf(msg, msize,
				 "%s '%s' must be a plain file name in the "
				 "archive directory (no '/', not '.' or '..')",
				 cd->name, v);
			return msg;
		}
		break;
	}
	return NULL;
}

static enum brief_status row_error(struct scan *s,
				   const struct csv_record *rec, int fcol,
				   const char *msg, struct diag *err)
{
	struct diag d;
	long line = rec->line, col = 1;

	if (fcol >= 0 && (size_t)fcol < rec->nfields) {
		line = rec->fields[fcol].line;
		col = rec->fields[fcol].col;
	}
	diag_set(&d, BRIEF_EDATA, s->path, line, col, "%s", msg);
	if (line == rec->line)
		diag_quote(&d, rec->raw, rec->raw_len);
	return scan_report(s, &d, err);
}

/* From the exact index to the filter; -1 out of memory. */
static int ids_to_filter(struct scan *s, size_t rows)
{
	struct idfilter *f = &s->filter;
	size_t bytes = rows * 2, j;

	if (bytes > ids_filter_max)
		bytes = ids_filter_max;
	if (bytes < ids_filter_min)
		bytes = ids_filter_min;
	f->nblocks = bytes / 32 ? bytes / 32 : 1;
	f->w = calloc(f->nblocks * 8, sizeof *f->w);
	if (!f->w)
		return -1;
	for (j = 0; j < s->ids.cap; j++)
		if (s->ids.slot[j] && idfilter_add(f, s->ids.slot[j]) &&
		    idset_add(&f->cand, s->ids.slot[j]) < 0)
			return -1;
	free(s->ids.slot);
	memset(&s->ids, 0, sizeof s->ids);
	s->ids_mode = IDS_FILTER;
	return 0;
}

/* Note a valid row's id: 1 new, 0 a duplicate, -1 out of memory. In the
 * filter a candidate counts as new (the second read decides). */
static int ids_add(struct scan *s, uint64_t h, const char *id)
{
	if (s->ids_mode == IDS_EXACT) {
		if (s->ids.n + 1 > ids_exact_rows &&
		    ids_to_filter(s, 4 * ids_exact_rows))
			return -1;
		if (s->ids_mode == IDS_EXACT)
			return idset_add(&s->ids, h);
	}
	if (s->ids_mode == IDS_FILTER) {
		if (idfilter_add(&s->filter, h) &&
		    idset_add(&s->filter.cand, h) < 0)
			return -1;
		return 1;
	}
	/* IDS_RECHECK */
	if (!idset_has(s->cand, h))
		return 1;
	return idtab_add(&s->exact, h, id);
}

/* Size the index for the whole file from its first rows: their average
 * length into the file size, plus a tenth (no rehash later), or go to the
 * filter when that is too many. -1 out of memory. */
static int ids_sample(struct scan *s, size_t raw_len)
{
	size_t est;

	if (s->sample_rows >= ID_SAMPLE_ROWS || s->ids_mode != IDS_EXACT)
		return 0;
	s->sample_bytes += raw_len + 1;
	if (++s->sample_rows < ID_SAMPLE_ROWS || s->file_size <= 0)
		return 0;
	est = (size_t)(s->file_size / (long long)s->sample_bytes) *
	      ID_SAMPLE_ROWS / 10 * 11;
	return est > ids_exact_rows ? ids_to_filter(s, est)
				    : idset_reserve(&s->ids, est);
}

/* A duplicate id: reported as a row problem; in the second read, to the
 * first read's sink (or kept, the first one only, when it had none). */
static enum brief_status dup_found(struct scan *s, const struct diag *d,
				   long row_line, struct diag *err)
{
	if (s->ids_mode != IDS_RECHECK)
		return scan_report(s, d, err);
	if (s->stop_line && row_line >= s->stop_line)
		return BRIEF_EDATA; /* past where the first read stopped */
	if (!s->ndup++)
		s->first_dup = *d;
	if (s->dup_sink) {
		diag_emit(s->dup_sink, d, DIAG_ERROR);
		return BRIEF_OK;
	}
	return BRIEF_EDATA; /* the first one is the error */
}

static enum brief_status check_row(struct scan *s, const struct csv_record *rec,
				   struct diag *err)
{
	struct data_row row;
	char msg[DIAG_MSG_MAX], hint[200];
	const char *bad;
	size_t i;
	int c;
	bool ok = true;
	uint64_t id_hash = 0;

	if (rec->nfields != s->ncols) {
		snprintf(msg, sizeof msg, "row has %zu fields, header has %zu",
			 rec->nfields, s->ncols);
		return row_error(s, rec,
				 rec->nfields > s->ncols ? (int)s->ncols : -1,
				 msg, err);
	}
	memset(&row, 0, sizeof row);
	row.kind = s->kind;
	row.file = s->path;
	row.line = rec->line;
	row.ncols = s->ncols;
	row.names = (const char *const *)s->names;
	row.raw = rec->raw;
	row.raw_len = rec->raw_len;
	row.id = row.source = row.reported_by = "";
	for (i = 0; i < s->ncols; i++) {
		s->field[i] = rec->fields[i].text;
		s->col[i] = rec->fields[i].col;
	}
	row.field = s->field;
	row.col = s->col;
	row.memo = &s->memo;
	if (s->c_id >= 0 && s->ids.cap) {
		/* The id's slot is a cache miss in a big index: start loading
		 * it now, while the fields are checked. */
		id_hash = hash_id(s->field[s->c_id]);
		__builtin_prefetch(&s->ids.slot[idset_home(id_hash, s->ids.cap)]);
	}
	for (i = 0; i < s->sc->ncols; i++) {
		if (s->map[i] < 0)
			continue;
		bad = check_field(s, &s->sc->cols[i], s->role[i], &s->vl[i],
				  s->field[s->map[i]], &row, msg, sizeof msg);
		if (bad) {
			if (row_error(s, rec, s->map[i], bad, err))
				return BRIEF_EDATA;
			ok = false;
		}
	}
	if (!ok)
		return BRIEF_OK;
	/* Cross-column rules. */
	c = s->c_value;
	if (c >= 0) {
		int u = s->c_unit;
		bool pct = u >= 0 && strcmp(s->field[u], "percent") == 0;

		int h = s->c_high;
		int dec = !pct && strchr(s->field[c], '.') ? c
			  : !pct && row.has_high && strchr(s->field[h], '.') ? h
			  : -1;

		if (dec >= 0) {
			snprintf(msg, sizeof msg,
				 "'%s' must be a whole number (decimals only "
				 "with unit percent)%s",
				 s->field[dec],
				 data_hint_whole(s->field[dec], hint, sizeof hint));
			return row_error(s, rec, dec, msg, err);
		}
		if (pct && (row.value > 100 || (row.has_high && row.high > 100)))
			return row_error(s, rec, row.value > 100 ? c : h,
					 "a percentage cannot exceed 100", err);
		if (row.has_high && row.high < row.value) {
			snprintf(msg, sizeof msg,
				 "value_high %s is less than value %s",
				 s->field[h], s->field[c]);
			return row_error(s, rec, h, msg, err);
		}
		if (row.qualifier == QUAL_RANGE && !row.has_high)
			return row_error(s, rec, s->c_qualifier,
					 "qualifier 'range' needs value_high",
					 err);
	}
	c = s->c_date_to;
	if (c >= 0 && row.date_to.year &&
	    date_days_end(&row.date_to) < date_days(&row.date)) {
		snprintf(msg, sizeof msg, "date_to %s is before date_from %s",
			 s->field[c], s->field[s->c_date_from]);
		return row_error(s, rec, c, msg, err);
	}
	number_fields(s, rec, &row);
	c = s->c_id;
	if (s->pipe) {
		/* A worker: the id goes with the row to the calling thread,
		 * which checks ids in file order. */
		s->rows++;
		return pipe_row(s, &row, rec,
				c >= 0 ? (id_hash ? id_hash : hash_id(s->field[c]))
				       : 0,
				err);
	}
	if (c >= 0 && ids_sample(s, rec->raw_len))
		return diag_set(err, BRIEF_ENOMEM, s->path, rec->line, 0,
				"out of memory");
	if (c >= 0) {
		int r = ids_add(s, id_hash ? id_hash : hash_id(s->field[c]),
				s->field[c]);

		if (r < 0)
			return diag_set(err, BRIEF_ENOMEM, s->path, rec->line,
					0, "out of memory");
		if (r == 0) {
			struct diag d;
			long line = rec->fields[c].line;

			diag_set(&d, BRIEF_EDATA, s->path, line,
				 rec->fields[c].col, "duplicate id '%s'",
				 s->field[c]);
			if (line == rec->line)
				diag_quote(&d, rec->raw, rec->raw_len);
			return dup_found(s, &d, rec->line, err);
		}
	}
	s->rows++;
	if (s->fn)
		return s->fn(s->ctx, &row, err);
	return BRIEF_OK;
}

/* No hashtag row among the first records (or the file ended first): the
 * first record is the header, the others are rows. */
static enum brief_status header_from_held(struct scan *s, struct diag *err)
{
	struct csv_record rec;
	enum brief_status st;
	size_t i;

	held_record(&s->held[0], &rec);
	st = bind_columns(s, &rec, NULL, err);
	for (i = 1; i < s->nheld && st == BRIEF_OK; i++) {
		held_record(&s->held[i], &rec);
		st = check_row(s, &rec, err);
	}
	held_free(s);
	return st;
}

static enum brief_status check_record(struct scan *s,
				      const struct csv_record *rec,
				      struct diag *err)
{
	enum brief_status st;

	if (s->header_done)
		return check_row(s, rec, err);
	if (rec->index < HXL_SEARCH_ROWS) {
		if (hxl_row_like(rec)) {
			/* The hashtag row: the record above it is the header
			 * (records further up are titles, skipped as in
			 * HXL); none when the file starts with it. */
			struct csv_record hdr;

			if (s->nheld)
				held_record(&s->held[s->nheld - 1], &hdr);
			st = bind_columns(s, s->nheld ? &hdr : NULL, rec, err);
			held_free(s);
			return st;
		}
		return hold(s, rec, err);
	}
	st = header_from_held(s, err);
	return st == BRIEF_OK ? check_row(s, rec, err) : st;
}

static enum brief_status on_record(void *ctx, const struct csv_record *rec,
				   struct diag *err)
{
	struct scan *s = ctx;
	enum brief_status st;

	s->nrec = rec->index + 1;
	st = check_record(s, rec, err);
	if (st != BRIEF_OK)
		s->stopped = true;
	return st;
}

static void scan_free(struct scan *s)
{
	size_t i;

	if (s->names)
		for (i = 0; i < s->ncols; i++)
			free(s->names[i]);
	free(s->names);
	free(s->field);
	free(s->col);
	number_free(s);
	free(s->numcol);
	free(s->ids.slot);
	free(s->filter.w);
	free(s->filter.cand.slot);
	idtab_free(&s->exact);
	held_free(s);
}

char *data_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 6;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s.csv", dir, name);
	return p;
}

static enum brief_status scan_chunked(struct scan *s, FILE *in,
				      struct file_digest *dg, struct diag *err);

/* The load and what follows it. in is NULL when opening failed with st;
 * chunked: read it with scan_chunked (two threads). */
static enum brief_status scan_body(struct scan *s, FILE *in,
				   enum brief_status st, bool chunked,
				   struct file_digest *dg, struct diag *err)
{
	struct diag csv_err;

	if (in)
		st = chunked ? scan_chunked(s, in, dg, err)
			     : csv_load_stream_digest(in, s->path, on_record, s,
						      dg, err);
	if (!s->header_done && s->nheld && !s->stopped &&
	    (st == BRIEF_OK || st == BRIEF_EDATA)) {
		/* The rows held for the hashtag row come before whatever
		 * stopped the file (its end or a CSV error). */
		enum brief_status held_st;

		csv_err = *err;
		held_st = header_from_held(s, err);
		if (held_st != BRIEF_OK) {
			st = held_st;
			s->stopped = true;
		} else if (st == BRIEF_EDATA) {
			*err = csv_err;
		}
	}
	if (st == BRIEF_EDATA && s->sink && !s->stopped) {
		/* A CSV-level error (quoting, UTF-8): report it too. */
		(void)scan_emit(s, err, DIAG_ERROR);
		s->failed = true;
	}
	if (st == BRIEF_OK && !s->header_done) {
		struct diag d;

		diag_set(&d, BRIEF_EDATA, s->path, 1, 1,
			 "file is empty (a header row is required)");
		scan_report(s, &d, err);
		st = BRIEF_EDATA;
	}
	if (st == BRIEF_OK && s->failed)
		st = BRIEF_EDATA;
	return st;
}

/* ---- two threads for a big file ------------------------------------- */

/* A big file is cut into chunks at record boundaries (csv_split: safe
 * under quoting). The calling thread reads them in order, hashing as it
 * goes; two workers parse and validate chunks, each into a batch of rows
 * and diagnostics in file order; the calling thread takes the batches in
 * file order and does what needs one order: the duplicate-id check, the
 * consumer and the sink. So the consumer needs no locking, the output is
 * the one of one thread, byte for byte, and diagnostics come in file order
 * (the first error wins as on one thread). The chunks before the header
 * is bound are read on the calling thread alone; small files never leave
 * it. */
#define PAR_MIN_BYTES (4LL << 20)
#define CHUNK_BYTES (128u << 10)
#define CHUNK_SLOTS 4
/* A chunk with no place to cut grows; past this a record in it is bound
 * to break a cap (256 fields of 64 KiB, quotes doubled), so the parser
 * stops at an error inside it and it can be cut anywhere. */
#define CHUNK_MAX ((size_t)CSV_MAX_FIELDS * (2 * CSV_MAX_FIELD + 4) + \
		   2 * CHUNK_BYTES)
/* Any index past the header search: a worker's records are rows. */
#define WORKER_INDEX ((size_t)1 << 40)

/* One row (diag < 0) or one diagnostic of a batch. The row's field text
 * is in the chunk's buffer; its field, column and raw arrays are copied
 * to the batch's arena at fld_off, col_off and raw_off. */
struct pitem {
	struct data_row row;
	size_t fld_off, col_off, raw_off, fid_off; /* fid_off: 0 none */
	uint64_t id_hash; /* 0: no id column */
	long id_line;     /* line of the id field */
	long diag;
	enum diag_severity sev;
};

/* What a worker made of one chunk. Owns it, arena and diags. */
struct batch {
	struct pitem *it;
	size_t n, cap;
	char *arena;
	size_t alen, acap;
	struct diag *diags;
	size_t nd, dcap;
	enum brief_status st; /* the chunk's parse: not OK stops the file */
	struct diag err;
	bool stopped; /* st came from a row (on_record), not the CSV */
};

enum { SLOT_FREE, SLOT_READY, SLOT_BUSY, SLOT_DONE };

struct reader;

/* A chunk: buf[0, len) from line0 on. Owns buf. */
struct slot {
	char *buf;
	size_t len, cap;
	long line0;
	int state;
	struct batch b;
};

struct par {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct slot slot[CHUNK_SLOTS];
	size_t nready; /* chunks handed out so far (sequence numbers) */
	size_t nparse; /* the next one a worker takes */
	size_t ntaken; /* the next one the calling thread takes back */
	size_t nworkers; /* started: each takes the next set of numbers */
	bool quit;
	const struct scan *proto; /* the calling thread's scan, header bound */
	/* The reader thread's: it owns r once started; read_st and read_err
	 * say why it stopped early (read_done: it will hand out no more). */
	struct reader *r;
	const char *path;
	bool read_done;
	enum brief_status read_st;
	struct diag read_err;
};

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* Room in a worker's batch for one more item and `bytes` of arena. */
static enum brief_status batch_room(struct batch *b, size_t bytes)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 1024;
		struct pitem *it = realloc(b->it, cap * sizeof *it);

		if (!it)
			return BRIEF_ENOMEM;
		b->it = it;
		b->cap = cap;
	}
	if (b->alen + bytes > b->acap) {
		size_t cap = b->acap ? b->acap : 256 * 1024;
		char *a;

		while (cap < b->alen + bytes)
			cap *= 2;
		a = realloc(b->arena, cap);
		if (!a)
			return BRIEF_ENOMEM;
		b->arena = a;
		b->acap = cap;
	}
	return BRIEF_OK;
}

static enum brief_status pipe_diag(struct scan *s, const struct diag *d,
				   enum diag_severity sev)
{
	struct batch *b = s->pipe;
	struct pitem *it;

	if (batch_room(b, 0) != BRIEF_OK)
		return BRIEF_ENOMEM;
	if (b->nd == b->dcap) {
		size_t cap = b->dcap ? 2 * b->dcap : 16;
		struct diag *v = realloc(b->diags, cap * sizeof *v);

		if (!v)
			return BRIEF_ENOMEM;
		b->diags = v;
		b->dcap = cap;
	}
	b->diags[b->nd] = *d;
	it = &b->it[b->n++];
	memset(it, 0, sizeof *it); /* no id: take_batch looks ahead at it */
	it->diag = (long)b->nd++;
	it->sev = sev;
	return BRIEF_OK;
}

static enum brief_status pipe_row(struct scan *s, const struct data_row *row,
				  const struct csv_record *rec, uint64_t id_hash,
				  struct diag *err)
{
	struct batch *b = s->pipe;
	size_t n = row->ncols;
	size_t need = align8(n * sizeof(char *)) + align8(n * sizeof(long)) +
		      align8(row->raw_len + 1) +
		      (row->fid ? align8(n * sizeof(uint32_t)) : 0);
	struct pitem *it;

	if (batch_room(b, need) != BRIEF_OK)
		return diag_set(err, BRIEF_ENOMEM, s->path, rec->line, 0,
				"out of memory");
	it = &b->it[b->n++];
	it->row = *row;
	it->diag = -1;
	it->id_hash = id_hash;
	it->id_line = s->c_id >= 0 ? rec->fields[s->c_id].line : 0;
	it->fld_off = b->alen;
	memcpy(b->arena + b->alen, row->field, n * sizeof(char *));
	b->alen += align8(n * sizeof(char *));
	it->col_off = b->alen;
	memcpy(b->arena + b->alen, row->col, n * sizeof(long));
	b->alen += align8(n * sizeof(long));
	it->raw_off = b->alen;
	memcpy(b->arena + b->alen, row->raw, row->raw_len);
	b->arena[b->alen + row->raw_len] = '\0';
	b->alen += align8(row->raw_len + 1);
	it->fid_off = 0;
	if (row->fid) {
		it->fid_off = b->alen;
		memcpy(b->arena + b->alen, row->fid, n * sizeof(uint32_t));
		b->alen += align8(n * sizeof(uint32_t));
	}
	return BRIEF_OK;
}

static void *par_worker(void *arg)
{
	struct par *P = arg;
	struct scan w;
	size_t seq;

	/* A shallow copy of the bound scan (names, bindings, vocabularies
	 * shared, read only) with its own scratch. */
	memcpy(&w, P->proto, sizeof w);
	w.field = calloc(w.ncols + 1, sizeof *w.field);
	w.col = calloc(w.ncols + 1, sizeof *w.col);
	/* Its own field number tables, with the proto's columns, in its own
	 * range of numbers. */
	pthread_mutex_lock(&P->mu);
	w.fid_base = (uint32_t)(P->nworkers++ + 1) * FID_CAP;
	pthread_mutex_unlock(&P->mu);
	w.fnum = NULL;
	w.fid = NULL;
	if (P->proto->fnum)
		(void)number_tables(&w, P->proto); /* else rows without numbers */
	for (;;) {
		struct slot *sl;

		pthread_mutex_lock(&P->mu);
		while (!P->quit &&
		       !(P->nparse < P->nready &&
			 P->slot[P->nparse % CHUNK_SLOTS].state == SLOT_READY))
			pthread_cond_wait(&P->cv, &P->mu);
		if (P->quit) {
			pthread_mutex_unlock(&P->mu);
			break;
		}
		seq = P->nparse++;
		sl = &P->slot[seq % CHUNK_SLOTS];
		sl->state = SLOT_BUSY;
		pthread_mutex_unlock(&P->mu);

		w.pipe = &sl->b;
		if (!w.field || !w.col)
			sl->b.st = diag_set(&sl->b.err, BRIEF_ENOMEM, w.path,
					    sl->line0, 0, "out of memory");
		else
		{
			w.stopped = false;
			sl->b.st = csv_parse_buffer(sl->buf, sl->len, w.path,
						    sl->line0, WORKER_INDEX, 0,
						    on_record, &w, &sl->b.err);
			sl->b.stopped = w.stopped;
		}

		pthread_mutex_lock(&P->mu);
		sl->state = SLOT_DONE;
		pthread_cond_broadcast(&P->cv);
		pthread_mutex_unlock(&P->mu);
	}
	free(w.field);
	free(w.col);
	number_free(&w);
	return NULL;
}

/* The calling thread's reading: the next chunk into sl (after the bytes
 * carried over from the last one). False at the end of the file or on a
 * read error (*st). */
struct reader {
	FILE *in;
	struct file_digest *dg;
	char *carry;
	size_t ncarry, carry_cap;
	long line;
	bool eof;
};

static enum brief_status read_chunk(struct reader *r, struct slot *sl,
				    const char *path, struct diag *err)
{
	size_t cut;
	long lines = 0;

	sl->len = 0;
	for (;;) {
		size_t want = sl->len + r->ncarry + CHUNK_BYTES + CSV_PAD;

		if (want > sl->cap) {
			char *nb = realloc(sl->buf, want);

			if (!nb)
				return diag_set(err, BRIEF_ENOMEM, path, r->line,
						0, "out of memory");
			sl->buf = nb;
			sl->cap = want;
		}
		if (r->ncarry) {
			memcpy(sl->buf + sl->len, r->carry, r->ncarry);
			sl->len += r->ncarry;
			r->ncarry = 0;
		}
		while (!r->eof && sl->len < sl->cap - CSV_PAD) {
			size_t got = fread(sl->buf + sl->len, 1,
					   sl->cap - CSV_PAD - sl->len, r->in);

			if (got == 0) {
				if (ferror(r->in))
					return diag_set(err, BRIEF_EIO, path, 0, 0,
							"read error: %s",
							strerror(errno));
				r->eof = true;
			}
			file_digest_update(r->dg, sl->buf + sl->len, got);
			sl->len += got;
		}
		if (r->eof) {
			cut = sl->len;
			break;
		}
		cut = csv_split(sl->buf, sl->len, &lines);
		if (cut)
			break;
		if (sl->len >= CHUNK_MAX) {
			cut = sl->len; /* the parser stops inside (a cap) */
			break;
		}
	}
	/* What follows the cut starts the next chunk. */
	r->ncarry = sl->len - cut;
	if (r->ncarry > r->carry_cap) {
		char *c = realloc(r->carry, r->ncarry);

		if (!c)
			return diag_set(err, BRIEF_ENOMEM, path, r->line, 0,
					"out of memory");
		r->carry = c;
		r->carry_cap = r->ncarry;
	}
	if (r->ncarry)
		memcpy(r->carry, sl->buf + cut, r->ncarry);
	sl->len = cut;
	sl->line0 = r->line;
	r->line += lines;
	return BRIEF_OK;
}

/* The reader thread: reads chunks in order into free slots (hashing as
 * it goes), so that the calling thread only takes batches back. */
static void *par_reader(void *arg)
{
	struct par *P = arg;

	for (;;) {
		struct slot *sl;
		enum brief_status st;

		pthread_mutex_lock(&P->mu);
		while (!P->quit && P->nready - P->ntaken >= CHUNK_SLOTS)
			pthread_cond_wait(&P->cv, &P->mu);
		if (P->quit || (P->r->eof && !P->r->ncarry))
			break;
		sl = &P->slot[P->nready % CHUNK_SLOTS];
		pthread_mutex_unlock(&P->mu);
		st = read_chunk(P->r, sl, P->path, &P->read_err);
		pthread_mutex_lock(&P->mu);
		if (st != BRIEF_OK) {
			P->read_st = st;
			break;
		}
		sl->b.n = sl->b.alen = sl->b.nd = 0;
		sl->b.st = BRIEF_OK;
		sl->state = SLOT_READY;
		P->nready++;
		pthread_cond_broadcast(&P->cv);
		pthread_mutex_unlock(&P->mu);
	}
	P->read_done = true;
	pthread_cond_broadcast(&P->cv);
	pthread_mutex_unlock(&P->mu);
	return NULL;
}

/* Take a worker's batch in file order: ids, consumer, sink. Returns what
 * on_record would have, so the scan stops where one thread stops. */
static enum brief_status take_batch(struct scan *s, struct batch *b,
				    struct diag *err)
{
	enum brief_status st = BRIEF_OK;
	char msg[DIAG_MSG_MAX];
	size_t i;

	for (i = 0; i < b->n; i++) {
		struct pitem *it = &b->it[i];
		struct data_row row;

		if (it->diag >= 0) {
			diag_emit(s->sink, &b->diags[it->diag], it->sev);
			if (it->sev == DIAG_ERROR)
				s->failed = true; /* as scan_report did */
			continue;
		}
		/* Start loading the ids of the rows ahead (a cache miss each
		 * in a big index) while this one is taken. */
		if (i + 8 < b->n && b->it[i + 8].id_hash) {
			uint64_t h8 = b->it[i + 8].id_hash;

			if (s->ids.cap)
				__builtin_prefetch(
					&s->ids.slot[idset_home(h8, s->ids.cap)]);
			else if (s->filter.w)
				__builtin_prefetch(idfilter_block(&s->filter, h8));
		}
		row = it->row;
		row.field = (const char *const *)(void *)(b->arena + it->fld_off);
		row.col = (const long *)(void *)(b->arena + it->col_off);
		row.raw = b->arena + it->raw_off;
		row.fid = it->fid_off ? (const uint32_t *)(void *)(b->arena +
								  it->fid_off)
				      : NULL;
		row.memo = &s->memo;
		if (it->id_hash) {
			int r = ids_sample(s, row.raw_len);

			if (r == 0)
				r = ids_add(s, it->id_hash, row.field[s->c_id]);
			if (r < 0) {
				s->stopped = true;
				return diag_set(err, BRIEF_ENOMEM, s->path,
						row.line, 0, "out of memory");
			}
			if (r == 0) {
				struct diag d;

				snprintf(msg, sizeof msg, "duplicate id '%s'",
					 row.field[s->c_id]);
				diag_set(&d, BRIEF_EDATA, s->path, it->id_line,
					 row.col[s->c_id], "%s", msg);
				if (it->id_line == row.line)
					diag_quote(&d, row.raw, row.raw_len);
				st = dup_found(s, &d, row.line, err);
				if (st != BRIEF_OK) {
					s->stopped = true;
					return st;
				}
				continue;
			}
		}
		s->rows++;
		if (s->fn) {
			st = s->fn(s->ctx, &row, err);
			if (st != BRIEF_OK) {
				s->stopped = true;
				return st;
			}
		}
	}
	/* In a batch, a row error is a diagnostic item; only what stopped
	 * the chunk's parse (a CSV error, a fatal row error, memory) stops
	 * the file, after the rows before it, as on one thread. */
	if (b->st != BRIEF_OK) {
		*err = b->err;
		if (b->stopped)
			s->stopped = true;
		return b->st;
	}
	return BRIEF_OK;
}

/* csv_load_stream_digest with on_record, over chunks on two threads once
 * the header is bound. Same result, rows, diagnostics and order. */
static enum brief_status scan_chunked(struct scan *s, FILE *in,
				      struct file_digest *dg, struct diag *err)
{
	struct reader r = {in, dg, NULL, 0, 0, 1, false};
	struct par *P = calloc(1, sizeof *P);
	pthread_t th[PAR_WORKERS], rth;
	size_t nth = 0, i;
	enum brief_status st = BRIEF_OK;
	bool first = true, tried = false, sync = false, reading = false;

	if (!P)
		return diag_set(err, BRIEF_ENOMEM, s->path, 0, 0,
				"out of memory");
	/* Until the header is bound (or the threads cannot start), chunks
	 * are parsed here as one thread would. */
inline_rest:
	while (!s->header_done || !nth) {
		struct slot *sl = &P->slot[0];

		if (s->header_done && !tried) {
			tried = true;
			P->proto = s;
			if (pthread_mutex_init(&P->mu, NULL) == 0) {
				if (pthread_cond_init(&P->cv, NULL) == 0)
					sync = true;
				else
					pthread_mutex_destroy(&P->mu);
			}
			if (sync)
				for (nth = 0; nth < PAR_WORKERS; nth++)
					if (pthread_create(&th[nth], NULL,
							   par_worker, P) != 0)
						break;
			if (nth)
				break;
		}
		if (r.eof && !r.ncarry)
			goto out;
		st = read_chunk(&r, sl, s->path, err);
		if (st != BRIEF_OK)
			goto out;
		st = csv_parse_buffer(sl->buf, sl->len, s->path, sl->line0,
				      s->nrec, first, on_record, s, err);
		first = false;
		if (st != BRIEF_OK)
			goto out;
	}
	/* A reader thread keeps the slots full, two workers parse them;
	 * here they are taken back in order. */
	P->r = &r;
	P->path = s->path;
	if (pthread_create(&rth, NULL, par_reader, P) != 0) {
		/* No reader: no workers either, the rest on this thread. */
		pthread_mutex_lock(&P->mu);
		P->quit = true;
		pthread_cond_broadcast(&P->cv);
		pthread_mutex_unlock(&P->mu);
		for (i = 0; i < nth; i++)
			pthread_join(th[i], NULL);
		nth = 0;
		P->quit = false;
		goto inline_rest;
	}
	reading = true;
	for (;;) {
		struct slot *sl;

		pthread_mutex_lock(&P->mu);
		for (;;) {
			sl = &P->slot[P->ntaken % CHUNK_SLOTS];
			if (P->ntaken < P->nready && sl->state == SLOT_DONE)
				break;
			if (P->read_done && P->ntaken == P->nready)
				break;
			pthread_cond_wait(&P->cv, &P->mu);
		}
		if (P->ntaken == P->nready) {
			/* All read; a read error comes after the rows before
			 * it, as on one thread. */
			if (P->read_st != BRIEF_OK) {
				st = P->read_st;
				*err = P->read_err;
			}
			pthread_mutex_unlock(&P->mu);
			break;
		}
		pthread_mutex_unlock(&P->mu);
		st = take_batch(s, &sl->b, err);
		pthread_mutex_lock(&P->mu);
		sl->state = SLOT_FREE;
		P->ntaken++;
		pthread_cond_broadcast(&P->cv);
		pthread_mutex_unlock(&P->mu);
		if (st != BRIEF_OK)
			break;
	}
	pthread_mutex_lock(&P->mu);
	P->quit = true;
	pthread_cond_broadcast(&P->cv);
	pthread_mutex_unlock(&P->mu);
out:
	if (reading)
		pthread_join(rth, NULL);
	for (i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	if (sync) {
		pthread_cond_destroy(&P->cv);
		pthread_mutex_destroy(&P->mu);
	}
	for (i = 0; i < CHUNK_SLOTS; i++) {
		free(P->slot[i].buf);
		free(P->slot[i].b.it);
		free(P->slot[i].b.arena);
		free(P->slot[i].b.diags);
	}
	free(P);
	free(r.carry);
	return st;
}

/* Two threads for this file? BRIEF_THREADS=1 in the environment keeps
 * every scan on one thread, BRIEF_THREADS=2 uses two even for a small
 * file (the tests compare both). */
static bool use_threads(long long size)
{
	const char *e = getenv("BRIEF_THREADS");

	if (e && strcmp(e, "1") == 0)
		return false;
	if (e && strcmp(e, "2") == 0)
		return true;
	return size >= PAR_MIN_BYTES;
}

/* Open path and run the scan s (set up by the caller) over it. */
static enum brief_status scan_run(struct scan *s, struct diag *err)
{
	struct stat sb;
	struct file_digest dg;
	enum brief_status st;
	FILE *in = NULL;
	bool have_sb = false;

	file_digest_init(&dg);
	/* Opened here, on the calling thread: infile's record of inputs is
	 * not shared with the workers. */
	st = csv_open(s->path, &in, err);
	if (st == BRIEF_OK && fstat(fileno(in), &sb) == 0) {
		have_sb = true;
		s->file_size = (long long)sb.st_size;
	}
	st = scan_body(s, in, st, in && use_threads(s->file_size), &dg, err);
	/* Hashed while read (outfile's input hash needs no second pass). */
	if (in && have_sb && dg.total == (uint64_t)sb.st_size && feof(in))
		infile_set_digest(&sb, &dg);
	if (in)
		fclose(in);
	return st;
}

/* The second read of a file whose ids went to the filter and left
 * candidates (see "duplicate ids in bounded memory"): the same rows are
 * valid again (checked with a sink that only counts), and the ids of rows
 * with a candidate's hash are compared exactly. Duplicates go to the first
 * read's sink, after its own diagnostics; without one, the first duplicate
 * before where the first read stopped is the error. */
static enum brief_status ids_recheck(const struct scan *first,
				     enum brief_status st, size_t *ndup,
				     struct diag *err)
{
	struct scan r;
	struct diag_sink quiet = {NULL, 0, 0, 0};
	struct diag d;
	enum brief_status rst;

	memset(&r, 0, sizeof r);
	r.sc = first->sc;
	r.kind = first->kind;
	r.path = first->path;
	r.sources = first->sources;
	r.vocab = first->vocab;
	r.sink = &quiet;
	r.ids_mode = IDS_RECHECK;
	r.cand = &first->filter.cand;
	r.dup_sink = first->sink;
	r.stop_line = !first->sink && st != BRIEF_OK ? err->line : 0;
	rst = scan_run(&r, &d);
	if (rst == BRIEF_ENOMEM || rst == BRIEF_EIO) {
		*err = d;
		st = rst;
	} else if (r.ndup) {
		if (!first->sink)
			*err = r.first_dup;
		st = BRIEF_EDATA;
	}
	*ndup = r.ndup;
	scan_free(&r);
	return st;
}

/* Scan path against schema sc. */
static enum brief_status scan_file(const char *path, const struct schema *sc,
				   enum dataset_kind kind,
				   const struct sources *sources,
				   const struct vocab *vocab,
				   const char *const *number, size_t nnumber,
				   data_row_fn fn, void *ctx,
				   struct diag_sink *sink, size_t *rows,
				   struct diag *err)
{
	struct scan s;
	struct diag local;
	enum brief_status st;
	size_t ndup = 0;

	if (!err)
		err = &local;
	memset(&s, 0, sizeof s);
	s.sc = sc;
	s.kind = kind;
	s.path = path;
	s.sources = sources;
	s.vocab = vocab;
	s.fn = fn;
	s.ctx = ctx;
	s.sink = sink;
	s.number = number;
	s.nnumber = nnumber;
	st = scan_run(&s, err);
	/* The filter is done with: only the candidates go to the second
	 * read. */
	free(s.filter.w);
	s.filter.w = NULL;
	if (s.ids_mode == IDS_FILTER && s.filter.cand.n &&
	    (st == BRIEF_OK || st == BRIEF_EDATA))
		st = ids_recheck(&s, st, &ndup, err);
	if (rows) /* a duplicate the filter let through is no valid row */
		*rows = s.rows >= ndup ? s.rows - ndup : 0;
	scan_free(&s);
	return st;
}

enum brief_status data_scan_with(const char *dir, enum dataset_kind kind,
				 const struct sources *sources,
				 const struct vocab *vocab, data_row_fn fn,
				 void *ctx, struct diag_sink *sink,
				 size_t *rows, struct diag *err)
{
	struct dataset ds = dataset_plain(kind);

	return data_scan_dataset_with(dir, &ds, sources, vocab, fn, ctx, sink,
				      rows, err);
}

enum brief_status data_scan(const char *dir, enum dataset_kind kind,
			    const struct sources *sources, data_row_fn fn,
			    void *ctx, struct diag_sink *sink,
			    struct diag *err)
{
	return data_scan_with(dir, kind, sources,
			      sources ? sources->vocab : NULL, fn, ctx, sink,
			      NULL, err);
}

static int column_search(const struct data_row *row, const char *name)
{
	size_t i;

	for (i = 0; i < row->ncols; i++)
		if (strcmp(row->names[i], name) == 0)
			return (int)i;
	return -1;
}

int data_row_column(const struct data_row *row, const char *name)
{
	struct data_colmemo *m = row->memo;
	size_t slot;
	int i;

	if (!m)
		return column_search(row, name);
	/* Consumers ask for the same few names, by the same pointers, on
	 * every row: one short compare instead of one per column. The copy
	 * of the name makes a hit exact even if a caller's buffer was reused
	 * for another name. */
	slot = (size_t)((((uintptr_t)name >> 3) * 0x9E3779B97F4A7C15ULL) >>
			(64 - COLMEMO_BITS));
	if (m->key[slot] == name && strcmp(m->name[slot], name) == 0)
		return m->idx[slot];
	i = column_search(row, name);
	if (strlen(name) < COLMEMO_NAME) {
		m->key[slot] = name;
		strcpy(m->name[slot], name);
		m->idx[slot] = i;
	}
	return i;
}

const char *data_row_get(const struct data_row *row, const char *name)
{
	int i = data_row_column(row, name);

	return i < 0 ? "" : row->field[i];
}

/* ---- sources -------------------------------------------------------- */

static char *dup_field(const struct data_row *row, const char *name)
{
	return strdup(data_row_get(row, name));
}

/* Reading one sources file into the table. */
struct keep_ctx {
	struct sources *s;
	struct diag_sink *sink;
	bool failed; /* an id another sources file has (reported) */
};

static enum brief_status keep_source(void *ctx, const struct data_row *row,
				     struct diag *err)
{
	struct keep_ctx *kc = ctx;
	struct sources *s = kc->s;
	const struct source *other;
	struct source *src, *nv;
	int c;

	/* One table from every sources file: an id means one source. */
	other = s->nfiles > 1 ? sources_find(s, row->id) : NULL;
	if (other) {
		struct diag d;

		c = data_row_column(row, "id");
		diag_set(&d, BRIEF_EDATA, row->file, row->line,
			 c >= 0 ? row->col[c] : 1,
			 "source id '%s' is already in %s (line %ld): ids are "
			 "unique across the sources files",
			 row->id, other->file, other->line);
		diag_emit(kc->sink, &d, DIAG_ERROR);
		kc->failed = true;
		return BRIEF_OK;
	}
	nv = realloc(s->v, (s->n + 1) * sizeof *s->v);
	if (!nv)
		return diag_set(err, BRIEF_ENOMEM, row->file, row->line, 0,
				"out of memory");
	s->v = nv;
	src = &s->v[s->n];
	memset(src, 0, sizeof *src);
	s->n++;
	src->file = s->files[s->nfiles - 1];
	src->line = row->line;
	c = data_row_column(row, "archive");
	src->archive_col = c >= 0 ? row->col[c] : 0;
	src->id = dup_field(row, "id");
	src->title = dup_field(row, "title");
	src->publisher = dup_field(row, "publisher");
	src->author = dup_field(row, "author");
	src->published = dup_field(row, "published");
	src->url = dup_field(row, "url");
	src->accessed = dup_field(row, "accessed");
	src->kind = dup_field(row, "kind");
	src->language = dup_field(row, "language");
	src->archive = dup_field(row, "archive");
	src->note = dup_field(row, "note");
	if (!src->id || !src->title || !src->publisher || !src->author ||
	    !src->published || !src->url || !src->accessed || !src->kind ||
	    !src->language || !src->archive || !src->note)
		return diag_set(err, BRIEF_ENOMEM, row->file, row->line, 0,
				"out of memory");
	return BRIEF_OK;
}

enum brief_status sources_load_with(const char *dir, const struct vocab *vocab,
				    struct sources *out,
				    struct diag_sink *sink, struct diag *err)
{
	struct keep_ctx kc;
	enum brief_status st, one;
	struct diag_sink quiet = { NULL, 0, 0, 0 };
	size_t i;

	memset(out, 0, sizeof *out);
	out->datasets = malloc(sizeof *out->datasets);
	if (!out->datasets)
		return diag_set(err, BRIEF_ENOMEM, dir, 0, 0, "out of memory");
	st = datasets_list(dir, out->datasets, NULL, err);
	if (st != BRIEF_OK) {
		if (sink && st == BRIEF_EDATA)
			diag_emit(sink, err, DIAG_ERROR);
		sources_free(out);
		return st;
	}
	kc.s = out;
	kc.sink = sink ? sink : &quiet;
	kc.failed = false;
	/* sources.csv (required), then each sources-LABEL.csv. */
	for (i = 0; i < out->datasets->nsources; i++) {
		char *path = data_path(dir, out->datasets->sources[i]);

		if (!path) {
			st = diag_set(err, BRIEF_ENOMEM, dir, 0, 0,
				      "out of memory");
			break;
		}
		out->files[out->nfiles++] = path;
		one = scan_file(path, &schemas[DS_COUNT], DS_COUNT, NULL,
				vocab, NULL, 0, keep_source, &kc, sink, NULL,
				err);
		if (one != BRIEF_OK && (st == BRIEF_OK || one != BRIEF_EDATA))
			st = one;
		if (st != BRIEF_OK && st != BRIEF_EDATA)
			break;
		if (!sink && st != BRIEF_OK)
			break;
	}
	if (st == BRIEF_OK && kc.failed) {
		st = BRIEF_EDATA;
		if (!sink)
			diag_set(err, BRIEF_EDATA, dir, 0, 0,
				 "a source id is in two sources files");
	}
	out->path = out->files[0];
	if (st != BRIEF_OK)
		sources_free(out);
	return st;
}

enum brief_status data_dir_check(const char *dir, struct diag *err)
{
	struct stat sb;

	if (stat(dir, &sb) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return diag_set(err, BRIEF_EDATA, dir, 0, 0,
					"no such directory");
		return diag_set(err, BRIEF_EIO, dir, 0, 0, "cannot read: %s",
				strerror(errno));
	}
	if (!S_ISDIR(sb.st_mode))
		return diag_set(err, BRIEF_EDATA, dir, 0, 0,
				"not a directory");
	return BRIEF_OK;
}

enum brief_status sources_load(const char *dir, struct sources *out,
			       struct diag_sink *sink, struct diag *err)
{
	struct vocab *v;
	enum brief_status st, vst;

	memset(out, 0, sizeof *out);
	st = data_dir_check(dir, err);
	if (st != BRIEF_OK)
		return st;
	v = calloc(1, sizeof *v);
	if (!v)
		return diag_set(err, BRIEF_ENOMEM, dir, 0, 0, "out of memory");
	vst = vocab_load(dir, v, sink, err);
	if (vst != BRIEF_OK && vst != BRIEF_EDATA) {
		vocab_free(v);
		free(v);
		return vst;
	}
	/* With a broken vocabulary file (reported), sources.csv is still
	 * checked, for its other problems. */
	st = sources_load_with(dir, v, out, sink, err);
	if (st == BRIEF_OK && vst == BRIEF_EDATA)
		st = BRIEF_EDATA;
	if (st == BRIEF_OK) {
		out->vocab = v;
	} else {
		vocab_free(v);
		free(v);
	}
	return st;
}

const char *sources_vocabulary(const struct sources *s)
{
	return s && s->vocab ? s->vocab->path : NULL;
}

const struct source *sources_find(const struct sources *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].id, id) == 0)
			return &s->v[i];
	return NULL;
}

char *sources_names(const struct sources *s, char *buf, size_t size)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < s->nfiles && o < size; i++) {
		const char *name = strrchr(s->files[i], '/');
		int w = snprintf(buf + o, size - o, "%s%s",
				 i == 0		     ? ""
				 : i + 1 == s->nfiles ? " or "
						      : ", ",
				 name ? name + 1 : s->files[i]);

		if (w < 0)
			break;
		o += (size_t)w;
	}
	if (!buf[0])
		snprintf(buf, size, "sources.csv");
	return buf;
}

void sources_free(struct sources *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		struct source *x = &s->v[i];

		free(x->id);
		free(x->title);
		free(x->publisher);
		free(x->author);
		free(x->published);
		free(x->url);
		free(x->accessed);
		free(x->kind);
		free(x->language);
		free(x->archive);
		free(x->note);
	}
	free(s->v);
	for (i = 0; i < s->nfiles; i++)
		free(s->files[i]);
	vocab_free(s->vocab);
	free(s->vocab);
	free(s->datasets);
	memset(s, 0, sizeof *s);
}

/* ---- datasets by name ----------------------------------------------- */

static enum brief_status scan_dataset(const char *dir, const struct dataset *ds,
				      const struct sources *sources,
				      const struct vocab *vocab,
				      const char *const *number,
				      size_t nnumber, data_row_fn fn,
				      void *ctx, struct diag_sink *sink,
				      size_t *rows, struct diag *err)
{
	char *path = data_path(dir, ds->name);
	enum brief_status st;

	if (!path)
		return diag_set(err, BRIEF_ENOMEM, dir, 0, 0, "out of memory");
	st = scan_file(path, &schemas[ds->kind], ds->kind, sources, vocab,
		       number, nnumber, fn, ctx, sink, rows, err);
	free(path);
	return st;
}

enum brief_status data_scan_dataset_with(const char *dir,
					 const struct dataset *ds,
					 const struct sources *sources,
					 const struct vocab *vocab,
					 data_row_fn fn, void *ctx,
					 struct diag_sink *sink, size_t *rows,
					 struct diag *err)
{
	return scan_dataset(dir, ds, sources, vocab, NULL, 0, fn, ctx, sink,
			    rows, err);
}

enum brief_status data_scan_dataset_numbered(const char *dir,
					     const struct dataset *ds,
					     const struct sources *sources,
					     const char *const *number,
					     size_t nnumber, data_row_fn fn,
					     void *ctx, struct diag_sink *sink,
					     struct diag *err)
{
	return scan_dataset(dir, ds, sources, sources ? sources->vocab : NULL,
			    number, nnumber, fn, ctx, sink, NULL, err);
}

enum brief_status data_scan_dataset(const char *dir, const struct dataset *ds,
				    const struct sources *sources,
				    data_row_fn fn, void *ctx,
				    struct diag_sink *sink, struct diag *err)
{
	return data_scan_dataset_with(dir, ds, sources,
				      sources ? sources->vocab : NULL, fn, ctx,
				      sink, NULL, err);
}
