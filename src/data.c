/* data.c — dataset schemas, header binding (with the optional HXL row), row
 * validation, and streaming validated rows to a consumer. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv_load.h"
#include "data.h"
#include "data_schema.h"

/* ---- schemas -------------------------------------------------------- */

static const char *const vocab_category[] = {"killed", "wounded", "missing",
					     "captured", NULL};
static const char *const vocab_population[] = {"civilian", "military", "all",
					       NULL};
static const char *const vocab_unit[] = {"km2", "percent", NULL};
static const char *const vocab_source_kind[] = {
	"news",	"analysis", "advocacy", "official", "ngo",
	"academic", "dataset",  "other",    NULL};
static const char *const vocab_event_kind[] = {
	"war",	   "ceasefire",	   "political", "agreement",
	"offensive", "displacement", "other",	    NULL};
static const char *const vocab_flow_stock[] = {"flow", "stock", NULL};
static const char *const vocab_yes[] = {"yes", NULL};
static const char *const vocab_qualifier[] = {
	"exact",  "about",   "at_least", "more_than",
	"nearly", "at_most", "range",	 NULL};

#define REQ COL_REQUIRED
#define NE COL_NONEMPTY
#define EXTRA COL_EXTRA

static const struct coldef cols_sources[] = {
	{"id", T_ID, REQ | NE, NULL, "#meta+id"},
	{"title", T_TEXT, REQ | NE, NULL, "#meta+title"},
	{"publisher", T_TEXT, REQ | NE, NULL, "#org+publisher"},
	{"author", T_TEXT, REQ | NE, NULL, "#contact+author"},
	{"published", T_DATE_UNKNOWN, REQ | NE, NULL, "#date+published"},
	{"url", T_URL, REQ, NULL, "#meta+url"},
	{"accessed", T_DATE_UNKNOWN, REQ | NE, NULL, "#date+accessed"},
	{"kind", T_VOCAB, REQ | NE, vocab_source_kind, "#meta+kind"},
	{"language", T_LANG, REQ | NE, NULL, "#meta+lang"},
	{"archive", T_TEXT, 0, NULL, "#meta+archive"},
	{"note", T_TEXT, 0, NULL, "#description+notes"},
	/* What brief import records about an export. */
	{"sha256", T_TEXT, EXTRA, NULL, "#meta+sha256"},
	{"rows", T_NUMBER, EXTRA, NULL, "#meta+rows"},
	{"filters", T_TEXT, EXTRA, NULL, "#meta+filters"},
};

static const struct coldef cols_casualties[] = {
	{"id", T_ID, REQ | NE, NULL, "#meta+id"},
	{"event", T_TEXT, REQ | NE, NULL, "#event"},
	{"date_from", T_DATE, REQ | NE, NULL, "#date+start"},
	{"date_to", T_DATE, REQ, NULL, "#date+end"},
	{"party", T_TEXT, REQ | NE, NULL, "#org+party"},
	{"category", T_VOCAB, REQ | NE, vocab_category, "#meta+category"},
	{"population", T_VOCAB, REQ | NE, vocab_population, "#meta+population"},
	{"value", T_VALUE, REQ | NE, NULL, "#affected+num"},
	{"value_high", T_HIGH, REQ, NULL, "#affected+num+max"},
	{"qualifier", T_VOCAB, REQ | NE, vocab_qualifier, "#meta+qualifier"},
	{"reported_by", T_TEXT, REQ | NE, NULL, "#meta+reported_by"},
	{"source", T_SOURCE, REQ | NE, NULL, "#meta+source"},
	{"stated_as", T_TEXT, REQ, NULL, "#meta+stated"},
	{"note", T_TEXT, 0, NULL, "#description+notes"},
	/* Optional columns of imported data (datasets/README.md). */
	{"value_best", T_NUMBER, EXTRA, NULL, "#affected+num+best"},
	{"part_of", T_TEXT, EXTRA, NULL, "#meta+part_of"},
	{"additive", T_VOCAB, EXTRA, vocab_yes, "#meta+additive"},
	{"cause", T_TEXT, EXTRA, NULL, "#meta+cause"},
	{"adm1", T_TEXT, EXTRA, NULL, "#adm1+name"},
	{"adm1_pcode", T_TEXT, EXTRA, NULL, "#adm1+code"},
	{"adm2", T_TEXT, EXTRA, NULL, "#adm2+name"},
	{"location", T_TEXT, EXTRA, NULL, "#loc+name"},
	{"latitude", T_COORD, EXTRA, NULL, "#geo+lat"},
	{"longitude", T_COORD, EXTRA, NULL, "#geo+lon"},
};

static const struct coldef cols_displacement[] = {
	{"id", T_ID, REQ | NE, NULL, "#meta+id"},
	{"event", T_TEXT, REQ | NE, NULL, "#event"},
	{"date_from", T_DATE, REQ | NE, NULL, "#date+start"},
	{"date_to", T_DATE, REQ, NULL, "#date+end"},
	{"group", T_TEXT, REQ | NE, NULL, "#population+group"},
	{"origin", T_TEXT, REQ | NE, NULL, "#loc+origin"},
	{"destination", T_TEXT, REQ | NE, NULL, "#loc+dest"},
	{"value", T_VALUE, REQ | NE, NULL, "#affected+displaced"},
	{"value_high", T_HIGH, REQ, NULL, "#affected+displaced+max"},
	{"qualifier", T_VOCAB, REQ | NE, vocab_qualifier, "#meta+qualifier"},
	{"reported_by", T_TEXT, REQ | NE, NULL, "#meta+reported_by"},
	{"source", T_SOURCE, REQ | NE, NULL, "#meta+source"},
	{"stated_as", T_TEXT, REQ, NULL, "#meta+stated"},
	{"note", T_TEXT, 0, NULL, "#description+notes"},
	{"value_best", T_NUMBER, EXTRA, NULL, "#affected+displaced+best"},
	{"flow_stock", T_VOCAB, EXTRA, vocab_flow_stock, "#meta+flow_stock"},
	{"part_of", T_TEXT, EXTRA, NULL, "#meta+part_of"},
	{"additive", T_VOCAB, EXTRA, vocab_yes, "#meta+additive"},
	{"cause", T_TEXT, EXTRA, NULL, "#meta+cause"},
	{"adm1", T_TEXT, EXTRA, NULL, "#adm1+name"},
	{"adm1_pcode", T_TEXT, EXTRA, NULL, "#adm1+code"},
	{"adm2", T_TEXT, EXTRA, NULL, "#adm2+name"},
	{"location", T_TEXT, EXTRA, NULL, "#loc+name"},
	{"latitude", T_COORD, EXTRA, NULL, "#geo+lat"},
	{"longitude", T_COORD, EXTRA, NULL, "#geo+lon"},
};

static const struct coldef cols_control[] = {
	{"id", T_ID, REQ | NE, NULL, "#meta+id"},
	{"date", T_DATE, REQ | NE, NULL, "#date"},
	{"area", T_TEXT, REQ | NE, NULL, "#adm1+name"},
	{"controller", T_TEXT, REQ | NE, NULL, "#org+controller"},
	{"value", T_VALUE, REQ | NE, NULL, "#value"},
	{"value_high", T_HIGH, REQ, NULL, "#value+max"},
	{"unit", T_VOCAB, REQ | NE, vocab_unit, "#indicator+unit"},
	{"of", T_TEXT, REQ, NULL, "#indicator+of"},
	{"qualifier", T_VOCAB, REQ | NE, vocab_qualifier, "#meta+qualifier"},
	{"reported_by", T_TEXT, REQ | NE, NULL, "#meta+reported_by"},
	{"source", T_SOURCE, REQ | NE, NULL, "#meta+source"},
	{"stated_as", T_TEXT, REQ, NULL, "#meta+stated"},
	{"note", T_TEXT, 0, NULL, "#description+notes"},
	{"adm1_pcode", T_TEXT, EXTRA, NULL, "#adm1+code"},
};

static const struct coldef cols_figures[] = {
	{"id", T_ID, REQ | NE, NULL, "#meta+id"},
	{"date", T_DATE, REQ | NE, NULL, "#date"},
	{"subject", T_TEXT, REQ | NE, NULL, "#indicator+subject"},
	{"measure", T_TEXT, REQ | NE, NULL, "#indicator+name"},
	{"value", T_VALUE, REQ | NE, NULL, "#value"},
	{"value_high", T_HIGH, REQ, NULL, "#value+max"},
	{"unit", T_TEXT, REQ | NE, NULL, "#indicator+unit"},
	{"qualifier", T_VOCAB, REQ | NE, vocab_qualifier, "#meta+qualifier"},
	{"reported_by", T_TEXT, REQ | NE, NULL, "#meta+reported_by"},
	{"source", T_SOURCE, REQ | NE, NULL, "#meta+source"},
	{"stated_as", T_TEXT, REQ, NULL, "#meta+stated"},
	{"note", T_TEXT, 0, NULL, "#description+notes"},
	{"value_best", T_NUMBER, EXTRA, NULL, "#value+best"},
	{"flow_stock", T_VOCAB, EXTRA, vocab_flow_stock, "#meta+flow_stock"},
	{"additive", T_VOCAB, EXTRA, vocab_yes, "#meta+additive"},
	{"cause", T_TEXT, EXTRA, NULL, "#meta+cause"},
	{"adm1", T_TEXT, EXTRA, NULL, "#adm1+name"},
	{"adm1_pcode", T_TEXT, EXTRA, NULL, "#adm1+code"},
	{"adm2", T_TEXT, EXTRA, NULL, "#adm2+name"},
};

static const struct coldef cols_events[] = {
	{"id", T_ID, REQ | NE, NULL, "#meta+id"},
	{"date", T_DATE, REQ | NE, NULL, "#date"},
	{"kind", T_VOCAB, REQ | NE, vocab_event_kind, "#meta+kind"},
	{"title", T_TEXT, REQ | NE, NULL, "#event+title"},
	{"source", T_SOURCE, REQ | NE, NULL, "#meta+source"},
	{"adm1", T_TEXT, EXTRA, NULL, "#adm1+name"},
	{"adm1_pcode", T_TEXT, EXTRA, NULL, "#adm1+code"},
	{"adm2", T_TEXT, EXTRA, NULL, "#adm2+name"},
	{"location", T_TEXT, EXTRA, NULL, "#loc+name"},
	{"latitude", T_COORD, EXTRA, NULL, "#geo+lat"},
	{"longitude", T_COORD, EXTRA, NULL, "#geo+lon"},
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
	static const char *names[DS_COUNT][32];
	const struct schema *sc = &schemas[k];
	size_t i, m = 0;

	for (i = 0; i < sc->ncols; i++)
		if (!(sc->cols[i].flags & COL_EXTRA))
			names[k][m++] = sc->cols[i].name;
	*n = m;
	return names[k];
}

/* ---- field checks --------------------------------------------------- */

static bool id_valid(const char *s)
{
	const char *p;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return false;
	for (p = s + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '-'))
			return false;
	return true;
}

/* A non-negative decimal: digits, optionally "." and digits. */
static bool number_parse(const char *s, bool allow_decimal, double *out)
{
	const char *p = s;
	char *end;

	if (!*p)
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == s)
		return false;
	if (*p == '.') {
		if (!allow_decimal || !p[1])
			return false;
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	}
	if (*p)
		return false;
	if (p - s <= 15 && !memchr(s, '.', (size_t)(p - s))) {
		/* Whole numbers below 10^15 convert exactly, as strtod would. */
		uint64_t v = 0;

		for (p = s; *p; p++)
			v = v * 10 + (uint64_t)(*p - '0');
		*out = (double)v;
		return true;
	}
	errno = 0;
	*out = strtod(s, &end);
	return errno == 0;
}

/* Index of s in the NULL-terminated list v, or -1. */
static int vocab_find(const char *const *v, const char *s)
{
	int i;

	for (i = 0; v[i]; i++)
		if (v[i][0] == s[0] && strcmp(v[i], s) == 0)
			return i;
	return -1;
}

static void vocab_list(const char *const *v, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	for (; *v && o < size; v++) {
		int n = snprintf(buf + o, size - o, "%s%s", o ? ", " : "", *v);

		if (n < 0)
			break;
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

/* HXL: "#base+attr+attr", lowercase letters, digits and '_'. */
static bool hxl_valid(const char *s)
{
	const char *p = s;

	if (*p++ != '#' || !islower((unsigned char)*p))
		return false;
	for (; *p; p++) {
		if (*p == '+') {
			if (!islower((unsigned char)p[1]))
				return false;
			continue;
		}
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    *p != '_')
			return false;
	}
	return true;
}

/* The tag has the expected base hashtag and every expected attribute
 * (extra attributes are allowed, in any order). */
static bool hxl_matches(const char *tag, const char *want)
{
	const char *wp = strchr(want, '+');
	size_t base = wp ? (size_t)(wp - want) : strlen(want);
	char attr[64];

	if (strncmp(tag, want, base) != 0 || (tag[base] && tag[base] != '+'))
		return false;
	while (wp) {
		const char *next = strchr(wp + 1, '+');
		size_t n = next ? (size_t)(next - wp) : strlen(wp);
		const char *t = tag + base;
		bool found = false;

		if (n >= sizeof attr)
			return false;
		memcpy(attr, wp, n);
		attr[n] = '\0';
		while ((t = strstr(t, attr)) != NULL) {
			if (t[n] == '\0' || t[n] == '+') {
				found = true;
				break;
			}
			t += n;
		}
		if (!found)
			return false;
		wp = next;
	}
	return true;
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

/* ---- the scan ------------------------------------------------------- */

/* After this many rows the id index is sized for the whole file (their
 * average length into the file size, plus a tenth). */
#define ID_SAMPLE_ROWS 1024

/* What a column fills in the typed view besides its type's own field. */
enum { ROLE_NONE, ROLE_REPORTED_BY, ROLE_DATE_TO, ROLE_QUALIFIER };

struct scan {
	const struct schema *sc;
	enum dataset_kind kind; /* DS_COUNT for sources */
	const char *path;
	const struct sources *sources;
	data_row_fn fn;
	void *ctx;
	struct diag_sink *sink;
	bool failed;       /* an invalid row was reported */
	size_t rows;

	size_t ncols;      /* header width */
	char **names;      /* owned header names */
	int map[32];       /* schema column -> file column, -1 if absent */
	unsigned char role[32]; /* schema column -> ROLE_*, bound once */
	/* File columns of the cross-column rules, -1 if absent. */
	int c_value, c_unit, c_high, c_qualifier, c_date_to, c_date_from, c_id;
	const struct source *last_src; /* the previous row's source */
	/* Sizing the id index from the file size and the first rows. */
	long long file_size;
	size_t sample_rows, sample_bytes;
	bool header_done, hxl_checked;
	bool stopped; /* on_record stopped the load (already reported) */
	struct idset ids;

	/* Per-row scratch handed to fn (sized ncols). */
	const char **field;
	long *col;
};

/* Report a row problem: to the sink (and go on) or as the fatal error. */
static enum brief_status scan_report(struct scan *s, const struct diag *d,
				     struct diag *err)
{
	s->failed = true;
	if (s->sink) {
		diag_emit(s->sink, d, DIAG_ERROR);
		return BRIEF_OK;
	}
	if (err && err != d)
		*err = *d;
	return BRIEF_EDATA;
}

static int find_col(const struct scan *s, const char *name);

static enum brief_status bind_header(struct scan *s,
				     const struct csv_record *rec,
				     struct diag *err)
{
	size_t i, j;
	struct diag d;

	s->ncols = rec->nfields;
	s->names = calloc(s->ncols, sizeof *s->names);
	s->field = calloc(s->ncols, sizeof *s->field);
	s->col = calloc(s->ncols, sizeof *s->col);
	if (!s->names || !s->field || !s->col)
		return diag_set(err, BRIEF_ENOMEM, s->path, 1, 0,
				"out of memory");
	for (i = 0; i < s->ncols; i++) {
		const struct csv_field *f = &rec->fields[i];

		s->names[i] = strdup(f->text);
		if (!s->names[i])
			return diag_set(err, BRIEF_ENOMEM, s->path, 1, 0,
					"out of memory");
		if (!f->len) {
			diag_set(&d, BRIEF_EDATA, s->path, f->line, f->col,
				 "empty column name in header");
			diag_quote(&d, rec->raw, rec->raw_len);
			return scan_report(s, &d, err) ? BRIEF_EDATA
						       : BRIEF_EDATA;
		}
		for (j = 0; j < i; j++) {
			if (strcmp(s->names[j], f->text) == 0) {
				diag_set(&d, BRIEF_EDATA, s->path, f->line,
					 f->col, "duplicate column '%s'",
					 f->text);
				diag_quote(&d, rec->raw, rec->raw_len);
				scan_report(s, &d, err);
				return BRIEF_EDATA;
			}
		}
	}
	for (i = 0; i < s->sc->ncols; i++) {
		s->map[i] = -1;
		for (j = 0; j < s->ncols; j++)
			if (strcmp(s->names[j], s->sc->cols[i].name) == 0)
				s->map[i] = (int)j;
		if (s->map[i] < 0 && (s->sc->cols[i].flags & COL_REQUIRED)) {
			diag_set(&d, BRIEF_EDATA, s->path, rec->line, 1,
				 "missing required column '%s'",
				 s->sc->cols[i].name);
			diag_quote(&d, rec->raw, rec->raw_len);
			scan_report(s, &d, err);
			return BRIEF_EDATA;
		}
	}
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
	}
	s->c_value = find_col(s, "value");
	s->c_unit = find_col(s, "unit");
	s->c_high = find_col(s, "value_high");
	s->c_qualifier = find_col(s, "qualifier");
	s->c_date_to = find_col(s, "date_to");
	s->c_date_from = find_col(s, "date_from");
	s->c_id = find_col(s, "id");
	s->header_done = true;
	return BRIEF_OK;
}

static bool is_hxl_row(const struct csv_record *rec)
{
	size_t i, tags = 0;

	for (i = 0; i < rec->nfields; i++) {
		if (rec->fields[i].text[0] == '#')
			tags++;
		else if (rec->fields[i].len)
			return false;
	}
	return tags > 0;
}

static enum brief_status check_hxl(struct scan *s, const struct csv_record *rec,
				   struct diag *err)
{
	size_t i, j;
	struct diag d;

	for (i = 0; i < rec->nfields && i < s->ncols; i++) {
		const struct csv_field *f = &rec->fields[i];

		if (!f->len)
			continue;
		if (!hxl_valid(f->text)) {
			diag_set(&d, BRIEF_EDATA, s->path, f->line, f->col,
				 "'%s' is not a valid HXL hashtag", f->text);
			diag_quote(&d, rec->raw, rec->raw_len);
			if (scan_report(s, &d, err))
				return BRIEF_EDATA;
			continue;
		}
		for (j = 0; j < s->sc->ncols; j++) {
			if (s->map[j] != (int)i)
				continue;
			if (!hxl_matches(f->text, s->sc->cols[j].hxl)) {
				diag_set(&d, BRIEF_EDATA, s->path, f->line,
					 f->col,
					 "HXL tag '%s' does not fit column "
					 "'%s' (expected %s)",
					 f->text, s->sc->cols[j].name,
					 s->sc->cols[j].hxl);
				diag_quote(&d, rec->raw, rec->raw_len);
				if (scan_report(s, &d, err))
					return BRIEF_EDATA;
			}
		}
	}
	return BRIEF_OK;
}

/* Validate one field by its schema type; fill the typed view. Returns a
 * message on error (static text or written into msg), NULL when valid. */
static const char *check_field(struct scan *s, const struct coldef *cd,
			       unsigned role, const char *v,
			       struct data_row *row, char *msg, size_t msize)
{
	struct date dt;
	double x;
	int k;

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
				 "YYYY-MM-DD) in '%s'",
				 v, cd->name);
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
				 "YYYY-MM-DD) or 'unknown' in '%s'",
				 v, cd->name);
			return msg;
		}
		break;
	case T_VALUE:
	case T_HIGH:
		/* Decimals are checked against the unit after the row. */
		if (!number_parse(v, true, &x)) {
			snprintf(msg, msize,
				 "'%s' is not a non-negative number in '%s'", v,
				 cd->name);
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
		k = vocab_find(cd->vocab, v);
		if (k < 0) {
			char list[256];

			vocab_list(cd->vocab, list, sizeof list);
			snprintf(msg, msize, "unknown %s '%s' (expected one of: %s)",
				 cd->name, v, list);
			return msg;
		}
		/* vocab_qualifier lists the qualifiers in enum order. */
		if (role == ROLE_QUALIFIER)
			row->qualifier = (enum qualifier)k;
		break;
	case T_SOURCE:
		if (s->sources && !(s->last_src && strcmp(s->last_src->id, v) == 0) &&
		    !(s->last_src = sources_find(s->sources, v))) {
			snprintf(msg, msize, "unknown source '%s' (not in sources.csv)",
				 v);
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
		if (!number_parse(v, true, &x)) {
			snprintf(msg, msize,
				 "'%s' is not a non-negative number in '%s'", v,
				 cd->name);
			return msg;
		}
		break;
	case T_COORD:
		if (!number_parse(v[0] == '-' ? v + 1 : v, true, &x) ||
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
	}
	return NULL;
}

static int find_col(const struct scan *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->sc->ncols; i++)
		if (strcmp(s->sc->cols[i].name, name) == 0)
			return s->map[i];
	return -1;
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

static enum brief_status check_record(void *ctx, const struct csv_record *rec,
				   struct diag *err);
static enum brief_status on_record(void *ctx, const struct csv_record *rec,
				   struct diag *err)
{
	struct scan *s = ctx;
	enum brief_status st = check_record(ctx, rec, err);

	if (st != BRIEF_OK)
		s->stopped = true;
	return st;
}

static enum brief_status check_record(void *ctx, const struct csv_record *rec,
				   struct diag *err)
{
	struct scan *s = ctx;
	struct data_row row;
	char msg[DIAG_MSG_MAX];
	const char *bad;
	size_t i;
	int c;
	bool ok = true;
	uint64_t id_hash = 0;

	if (rec->index == 0)
		return bind_header(s, rec, err);
	if (rec->index == 1 && is_hxl_row(rec))
		return check_hxl(s, rec, err);
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
	if (s->c_id >= 0 && s->ids.cap) {
		/* The id's slot is a cache miss in a big index: start loading
		 * it now, while the fields are checked. */
		id_hash = hash_id(s->field[s->c_id]);
		__builtin_prefetch(&s->ids.slot[idset_home(id_hash, s->ids.cap)]);
	}
	for (i = 0; i < s->sc->ncols; i++) {
		if (s->map[i] < 0)
			continue;
		bad = check_field(s, &s->sc->cols[i], s->role[i],
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
				 "with unit percent)",
				 s->field[dec]);
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
	c = s->c_id;
	if (c >= 0 && s->sample_rows < ID_SAMPLE_ROWS) {
		s->sample_bytes += rec->raw_len + 1;
		if (++s->sample_rows == ID_SAMPLE_ROWS && s->file_size > 0 &&
		    idset_reserve(&s->ids,
				  (size_t)(s->file_size / (long long)s->sample_bytes) *
					  ID_SAMPLE_ROWS / 10 * 11))
			return diag_set(err, BRIEF_ENOMEM, s->path, rec->line,
					0, "out of memory");
	}
	if (c >= 0) {
		int r = idset_add(&s->ids,
				  id_hash ? id_hash : hash_id(s->field[c]));

		if (r < 0)
			return diag_set(err, BRIEF_ENOMEM, s->path, rec->line,
					0, "out of memory");
		if (r == 0) {
			snprintf(msg, sizeof msg, "duplicate id '%s'",
				 s->field[c]);
			return row_error(s, rec, c, msg, err);
		}
	}
	s->rows++;
	if (s->fn)
		return s->fn(s->ctx, &row, err);
	return BRIEF_OK;
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
	free(s->ids.slot);
}

char *data_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 6;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s.csv", dir, name);
	return p;
}

/* Scan path against schema sc. */
static enum brief_status scan_file(const char *path, const struct schema *sc,
				   enum dataset_kind kind,
				   const struct sources *sources,
				   data_row_fn fn, void *ctx,
				   struct diag_sink *sink, size_t *rows,
				   struct diag *err)
{
	struct scan s;
	struct stat sb;
	enum brief_status st;

	memset(&s, 0, sizeof s);
	s.sc = sc;
	s.kind = kind;
	s.path = path;
	s.sources = sources;
	s.fn = fn;
	s.ctx = ctx;
	s.sink = sink;
	if (stat(path, &sb) == 0)
		s.file_size = (long long)sb.st_size;
	st = csv_load(path, on_record, &s, err);
	if (st == BRIEF_EDATA && sink && !s.stopped) {
		/* A CSV-level error (quoting, UTF-8): report it too. */
		diag_emit(sink, err, DIAG_ERROR);
		s.failed = true;
	}
	if (st == BRIEF_OK && !s.header_done) {
		struct diag d;

		diag_set(&d, BRIEF_EDATA, path, 1, 1,
			 "file is empty (a header row is required)");
		scan_report(&s, &d, err);
		st = BRIEF_EDATA;
	}
	if (st == BRIEF_OK && s.failed)
		st = BRIEF_EDATA;
	if (rows)
		*rows = s.rows;
	scan_free(&s);
	return st;
}

enum brief_status data_scan(const char *dir, enum dataset_kind kind,
			    const struct sources *sources, data_row_fn fn,
			    void *ctx, struct diag_sink *sink,
			    struct diag *err)
{
	char *path = data_path(dir, schemas[kind].name);
	enum brief_status st;

	if (!path)
		return diag_set(err, BRIEF_ENOMEM, dir, 0, 0, "out of memory");
	st = scan_file(path, &schemas[kind], kind, sources, fn, ctx, sink, NULL,
		       err);
	free(path);
	return st;
}

enum brief_status data_scan_count(const char *dir, enum dataset_kind kind,
				  const struct sources *sources, data_row_fn fn,
				  void *ctx, struct diag_sink *sink,
				  size_t *rows, struct diag *err)
{
	char *path = data_path(dir, schemas[kind].name);
	enum brief_status st;

	if (!path)
		return diag_set(err, BRIEF_ENOMEM, dir, 0, 0, "out of memory");
	st = scan_file(path, &schemas[kind], kind, sources, fn, ctx, sink, rows,
		       err);
	free(path);
	return st;
}

int data_row_column(const struct data_row *row, const char *name)
{
	size_t i;

	for (i = 0; i < row->ncols; i++)
		if (strcmp(row->names[i], name) == 0)
			return (int)i;
	return -1;
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

static enum brief_status keep_source(void *ctx, const struct data_row *row,
				     struct diag *err)
{
	struct sources *s = ctx;
	struct source *src, *nv;

	nv = realloc(s->v, (s->n + 1) * sizeof *s->v);
	if (!nv)
		return diag_set(err, BRIEF_ENOMEM, row->file, row->line, 0,
				"out of memory");
	s->v = nv;
	src = &s->v[s->n];
	memset(src, 0, sizeof *src);
	s->n++;
	src->line = row->line;
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

enum brief_status sources_load(const char *dir, struct sources *out,
			       struct diag_sink *sink, struct diag *err)
{
	char *path = data_path(dir, "sources");
	enum brief_status st;

	memset(out, 0, sizeof *out);
	if (!path)
		return diag_set(err, BRIEF_ENOMEM, dir, 0, 0, "out of memory");
	out->path = path;
	st = scan_file(path, &schemas[DS_COUNT], DS_COUNT, NULL, keep_source,
		       out, sink, NULL, err);
	if (st != BRIEF_OK)
		sources_free(out);
	return st;
}

const struct source *sources_find(const struct sources *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].id, id) == 0)
			return &s->v[i];
	return NULL;
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
	free(s->path);
	memset(s, 0, sizeof *s);
}
