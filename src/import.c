/* import.c — `brief import`: pick the mapping that fits each export's
 * header, stream its records through the mapping's outputs into staging
 * files (aggregated outputs keep one entry per group), check the staged
 * datasets as `brief check` would, then move them into place. */
#define _GNU_SOURCE /* fopencookie: hash the export while it is parsed */
#include "import.h"
#include "import_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csv_load.h"
#include "data_schema.h"
#include "hxl.h"
#include <nettle/sha2.h>

const char *const import_formats[] = {"acled", "ucdp-ged", "idmc", "hxl", NULL};

#define MANIFEST ".brief-import"
#define MAP_COPY "import-map.yaml"

/* ---- the first records of a file ------------------------------------ */

/* The first records of a file, copied: the first record (the header of
 * an ordinary export), the hashtag row if there is one among the first
 * IMPORT_HXL_SCAN records, and the record just above it (the header of an
 * HXL file, which may have title rows above it). */
struct head {
	char **names; /* first record */
	size_t n;
	char **tags;  /* hashtag row, NULL when none */
	size_t ntags;
	size_t tag_index;
	char **hnames; /* the record above the hashtag row */
	size_t hn;
	char **prev;
	size_t nprev;
	bool hxl;      /* bound for an HXL mapping */
};

static void free_strv(char **v, size_t n)
{
	size_t i;

	if (v)
		for (i = 0; i < n; i++)
			free(v[i]);
	free(v);
}

static char **copy_fields(const struct csv_record *rec)
{
	char **v = calloc(rec->nfields + 1, sizeof *v);
	size_t i;

	if (!v)
		return NULL;
	for (i = 0; i < rec->nfields; i++) {
		const char *s = rec->fields[i].text;
		size_t n = rec->fields[i].len;

		/* Header cells: surrounding spaces are not part of the name. */
		while (n && (*s == ' ' || *s == '\t'))
			s++, n--;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (!(v[i] = malloc(n + 1))) {
			free_strv(v, i);
			return NULL;
		}
		memcpy(v[i], s, n);
		v[i][n] = '\0';
	}
	return v;
}

/* Stops the peek once the header is known: a status no caller returns. */
#define PEEK_DONE BRIEF_EUSAGE

static enum brief_status peek_record(void *ctx, const struct csv_record *rec,
				     struct diag *err)
{
	struct head *h = ctx;

	(void)err;
	if (rec->index == 0 && !(h->names = copy_fields(rec)))
		return BRIEF_ENOMEM;
	if (rec->index == 0)
		h->n = rec->nfields;
	if (hxl_row_like(rec)) {
		if (!(h->tags = copy_fields(rec)))
			return BRIEF_ENOMEM;
		h->ntags = rec->nfields;
		h->tag_index = rec->index;
		h->hnames = h->prev;
		h->hn = h->nprev;
		h->prev = NULL;
		if (!h->hnames) { /* hashtags in the first row: no names */
			if (!(h->hnames = copy_fields(rec)))
				return BRIEF_ENOMEM;
			h->hn = rec->nfields;
		}
		return PEEK_DONE;
	}
	if (rec->index + 1 >= IMPORT_HXL_SCAN)
		return PEEK_DONE;
	free_strv(h->prev, h->nprev);
	if (!(h->prev = copy_fields(rec)))
		return BRIEF_ENOMEM;
	h->nprev = rec->nfields;
	return BRIEF_OK;
}

static void head_free(struct head *h)
{
	free_strv(h->names, h->n);
	free_strv(h->tags, h->ntags);
	free_strv(h->hnames, h->hn);
	free_strv(h->prev, h->nprev);
	memset(h, 0, sizeof *h);
}

/* ',' ';' or tab: whichever the first line has most of outside quotes. */
static enum brief_status detect_delim(const char *path, char *out,
				      struct diag *err)
{
	FILE *f = fopen(path, "rb");
	int c, q = 0;
	long comma = 0, semi = 0, tab = 0, n = 0;

	if (!f)
		return diag_set(err, BRIEF_EIO, path, 0, 0, "cannot open: %s",
				strerror(errno));
	while ((c = getc(f)) != EOF && n++ < CSV_MAX_LINE) {
		if (c == '"')
			q = !q;
		else if (!q && c == '\n')
			break;
		else if (!q && c == ',')
			comma++;
		else if (!q && c == ';')
			semi++;
		else if (!q && c == '\t')
			tab++;
	}
	if (ferror(f)) {
		fclose(f);
		return diag_set(err, BRIEF_EIO, path, 0, 0, "read error");
	}
	fclose(f);
	*out = semi > comma && semi >= tab ? ';' : tab > comma && tab > semi ? '\t' : ',';
	return BRIEF_OK;
}

/* ---- matching a header to a mapping --------------------------------- */

/* Column of the export named by a mapping reference: a header name, or
 * for an HXL mapping a hashtag ("#affected+killed") matched against the
 * hashtag row. -1 when absent. */
static int find_column(const struct import_map *m, const struct head *h,
		       const char *name)
{
	char **names = m->hxl ? h->hnames : h->names;
	size_t i, n = m->hxl ? h->hn : h->n;

	if (name[0] == '#') {
		/* An ordinary export's hashtags are its second row only. */
		if (!h->tags || (!m->hxl && h->tag_index != 1))
			return -1;
		for (i = 0; i < h->ntags; i++)
			if (hxl_match(h->tags[i], name))
				return (int)i;
		return -1;
	}
	for (i = 0; names && i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

static size_t missing_required(const struct import_map *m,
			       const struct head *h, char *list, size_t size)
{
	size_t i, miss = 0, o = 0;

	if (list)
		list[0] = '\0';
	for (i = 0; i < m->nrequire; i++) {
		/* "a|b": either column will do. */
		char buf[256], *alt, *save = NULL;
		bool have = false;

		snprintf(buf, sizeof buf, "%s", m->require[i]);
		for (alt = strtok_r(buf, "|", &save); alt;
		     alt = strtok_r(NULL, "|", &save))
			if (find_column(m, h, alt) >= 0)
				have = true;
		if (have)
			continue;
		miss++;
		if (list && o < size) {
			int w = snprintf(list + o, size - o, "%s%s", o ? ", " : "",
					 m->require[i]);
			if (w > 0)
				o += (size_t)w;
		}
	}
	if (list && o >= size && size > 4)
		strcpy(list + size - 4, "...");
	return miss;
}

/* ---- one run -------------------------------------------------------- */

/* One staged dataset file. */
struct dsout {
	FILE *f;
	char *path;
	char **names; /* header: schema columns, then extra ones */
	size_t n;
	size_t rows;
};

struct group {
	char *key;   /* by-values joined by \x1f (with the source id first) */
	char **vals; /* every output column, from the group's first row */
	double *sum;
	bool *has;   /* per sum column: some row had a value */
	int qual;    /* the rows' qualifiers combined (enum qualifier), -1 */
};

struct agg {
	struct group *g;
	size_t n, cap;
	uint32_t *slot; /* index + 1, 0 empty */
	size_t nslot;
};

struct run {
	const struct import_opts *o;
	struct import_map *m;
	struct diag_sink *sink;
	struct diag *err;
	char *stage;
	struct dsout ds[DS_COUNT];
	struct agg *agg; /* per output */
	/* The file being read. */
	const char *path;
	const char *fname;
	char srcid[160];
	struct head h;
	size_t data_rows;
	unsigned errors;
	enum brief_status fatal;
	/* Per record scratch: the evaluated columns of one output. */
	char *vals[IMPORT_MAX_COLS];
	size_t file_rows;
	long rec_line;          /* line of the record being read, for {@row} */
	bool stopped;           /* on_record stopped the load (reported) */
	struct csv_line line; /* the row being written */
};

static enum brief_status row_error(struct run *r, const struct csv_record *rec,
				   int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static enum brief_status row_error(struct run *r, const struct csv_record *rec,
				   int col, const char *fmt, ...)
{
	struct diag d;
	va_list ap;
	long line = rec->line, c = 1;

	if (col >= 0 && (size_t)col < rec->nfields) {
		line = rec->fields[col].line;
		c = rec->fields[col].col;
	}
	va_start(ap, fmt);
	diag_vset(&d, BRIEF_EDATA, r->path, line, c, fmt, ap);
	va_end(ap);
	if (line == rec->line)
		diag_quote(&d, rec->raw, rec->raw_len);
	diag_emit(r->sink, &d, DIAG_ERROR);
	if (++r->errors >= IMPORT_MAX_ERRORS)
		return BRIEF_EDATA; /* stop: enough to go on with */
	return BRIEF_OK;
}

/* Text appended into a bounded buffer. */
struct sbuf {
	char *s;
	size_t n, cap;
	bool over;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n >= b->cap) {
		b->over = true;
		n = b->cap - 1 - b->n;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static uint64_t hash64(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static void slugify(const char *in, char *out, size_t size)
{
	size_t o = 0;
	bool dash = false;

	for (; *in && o + 1 < size; in++) {
		unsigned char c = (unsigned char)*in;

		if (isalnum(c) && c < 0x80) {
			if (dash && o)
				out[o++] = '-';
			dash = false;
			if (o + 1 < size)
				out[o++] = (char)tolower(c);
		} else {
			dash = true;
		}
	}
	out[o] = '\0';
}

static void date_text(const struct idate *d, int prec, char *buf, size_t size)
{
	/* prec: 3 day, 2 month, 1 year */
	if (prec >= 3 && d->d)
		snprintf(buf, size, "%04d-%02d-%02d", d->y, d->m, d->d);
	else if (prec >= 2 && d->m)
		snprintf(buf, size, "%04d-%02d", d->y, d->m);
	else
		snprintf(buf, size, "%04d", d->y);
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static const char *field_of(const struct csv_record *rec, int col)
{
	return col >= 0 && (size_t)col < rec->nfields ? rec->fields[col].text : "";
}

/* Trimmed copy of a field. */
static void trimmed(const char *s, char *buf, size_t size)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

static const char *date_formats(const struct import_map *m, char *buf,
				size_t size)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < m->ndates && o < size; i++) {
		int w = snprintf(buf + o, size - o, "%s%s", i ? ", " : "",
				 m->dates[i]);
		if (w > 0)
			o += (size_t)w;
	}
	return buf;
}

/* Apply one filter to v (in place, IMPORT_MAX_VALUE). NULL on success,
 * else the message (in msg). */
static const char *apply(struct run *r, const struct filter *f,
			 const struct csv_record *rec, const char *colname,
			 char *v, char *msg, size_t msize)
{
	struct idate d;
	char tmp[IMPORT_MAX_VALUE], fm[256];
	struct figure_text ft;
	const char *w;

	switch (f->kind) {
	case F_DEFAULT:
		if (!v[0])
			snprintf(v, IMPORT_MAX_VALUE, "%s", f->arg);
		return NULL;
	case F_LOWER:
		lower(v);
		return NULL;
	case F_SLUG:
		slugify(v, tmp, sizeof tmp);
		strcpy(v, tmp);
		return NULL;
	case F_TRUNC: {
		long cps = 0;
		size_t i, cut = 0;

		for (i = 0; v[i]; i++)
			if (((unsigned char)v[i] & 0xC0) != 0x80) {
				if (cps == f->n - 1)
					cut = i;
				cps++;
			}
		if (cps > f->n)
			strcpy(v + cut, "\xE2\x80\xA6");
		return NULL;
	}
	default:
		break;
	}
	if (!v[0] && f->kind != F_MAP)
		return NULL; /* an empty field stays empty */
	switch (f->kind) {
	case F_DATE:
	case F_MONTH:
	case F_YEAR:
	case F_DATE_BY:
		if (!import_parse_date(r->m, v, &d)) {
			snprintf(msg, msize,
				 "'%.120s' in column '%.80s' is not a date in this "
				 "export's formats (%.200s)",
				 v, colname, date_formats(r->m, fm, sizeof fm));
			return msg;
		}
		if (f->kind == F_DATE_BY) {
			char pv[256];
			int pc = find_column(r->m, &r->h, f->arg);

			trimmed(field_of(rec, pc), pv, sizeof pv);
			w = vmap_get(f->map, pv);
			if (!w || (strcmp(w, "day") && strcmp(w, "week") &&
				   strcmp(w, "month") && strcmp(w, "year"))) {
				snprintf(msg, msize,
					 "precision '%s' in column '%s' is not in "
					 "value map '%s' (day, week, month or year)",
					 pv, f->arg, f->map->name);
				return msg;
			}
			date_text(&d, w[0] == 'y' ? 1 : w[0] == 'm' ? 2 : 3, v,
				  IMPORT_MAX_VALUE);
		} else {
			if (f->kind == F_MONTH && !d.m) {
				snprintf(msg, msize,
					 "'%.120s' in column '%.80s' has no month", v,
					 colname);
				return msg;
			}
			date_text(&d, f->kind == F_DATE ? 3 : f->kind == F_MONTH ? 2 : 1,
				  v, IMPORT_MAX_VALUE);
		}
		return NULL;
	case F_INT:
	case F_NUMBER:
		if (!import_parse_number(r->m, v, f->kind == F_NUMBER, tmp,
					 sizeof tmp)) {
			snprintf(msg, msize, "'%.120s' in column '%.80s' is not a %s", v,
				 colname,
				 f->kind == F_INT ? "whole non-negative number"
						  : "non-negative number");
			return msg;
		}
		strcpy(v, tmp);
		return NULL;
	case F_LOW:
	case F_HIGH:
	case F_QUAL:
		if (!import_parse_figure(r->m, v, &ft)) {
			snprintf(msg, msize,
				 "'%.120s' in column '%.80s' is not a figure (a number, "
				 "words and a number, or a range such as "
				 "\"between 2,000 and 3,000\")",
				 v, colname);
			return msg;
		}
		if (f->kind == F_LOW) {
			strcpy(v, ft.low);
		} else if (f->kind == F_HIGH) {
			strcpy(v, ft.high);
		} else if (ft.high[0]) {
			strcpy(v, "range");
		} else {
			char key[256];
			int qc = f->arg ? find_column(r->m, &r->h, f->arg) : -1;

			if (ft.words[0])
				snprintf(key, sizeof key, "%s", ft.words);
			else
				trimmed(field_of(rec, qc), key, sizeof key);
			lower(key);
			w = vmap_get(f->map, key);
			if (!w) {
				snprintf(msg, msize,
					 "qualifier wording '%s' (column '%s') is not "
					 "in value map '%s'",
					 key, ft.words[0] || !f->arg ? colname : f->arg,
					 f->map->name);
				return msg;
			}
			snprintf(v, IMPORT_MAX_VALUE, "%s", w);
		}
		return NULL;
	case F_MAP:
		w = vmap_get(f->map, v);
		if (!w) {
			snprintf(msg, msize,
				 "'%.120s' in column '%.80s' is not in value map '%s' "
				 "(add it, or a _default, to the mapping)",
				 v, colname, f->map->name);
			return msg;
		}
		snprintf(tmp, sizeof tmp, "%s", w);
		strcpy(v, tmp);
		return NULL;
	case F_EPOCH_DATE: {
		char *end;
		long long secs = strtoll(v, &end, 10);
		time_t t;
		struct tm tm;

		if (*end || secs < 0 || secs > 253402300799LL) {
			snprintf(msg, msize, "'%.120s' in column '%.80s' is not a time in "
				 "seconds since 1970", v, colname);
			return msg;
		}
		t = (time_t)secs;
		gmtime_r(&t, &tm);
		strftime(v, IMPORT_MAX_VALUE, "%Y-%m-%d", &tm);
		return NULL;
	}
	default:
		return NULL;
	}
}

/* Evaluate template t of output o into out. vals holds the columns
 * already evaluated. Returns BRIEF_OK, or BRIEF_EDATA after reporting. */
static enum brief_status eval(struct run *r, const struct output *o,
			      const struct tmpl *t, const struct csv_record *rec,
			      char **vals, const char *key, char *out,
			      bool *bad)
{
	struct sbuf b = {out, 0, IMPORT_MAX_VALUE, false};
	char v[IMPORT_MAX_VALUE], msg[DIAG_MSG_MAX], kh[24];
	size_t i, j;

	(void)o;
	out[0] = '\0';
	for (i = 0; i < t->n; i++) {
		const struct tpart *p = &t->p[i];

		switch (p->kind) {
		case TP_LIT:
			sb_add(&b, p->text, strlen(p->text));
			continue;
		case TP_OUT:
			sb_add(&b, vals[p->col], strlen(vals[p->col]));
			continue;
		case TP_KEY:
			snprintf(kh, sizeof kh, "%016llx",
				 (unsigned long long)hash64(key ? key : ""));
			sb_add(&b, kh, strlen(kh));
			continue;
		case TP_SOURCE:
			sb_add(&b, r->srcid, strlen(r->srcid));
			continue;
		case TP_FILE:
			sb_add(&b, r->fname, strlen(r->fname));
			continue;
		case TP_ROW:
			snprintf(kh, sizeof kh, "%ld", r->rec_line);
			sb_add(&b, kh, strlen(kh));
			continue;
		case TP_COL:
			break;
		}
		trimmed(field_of(rec, p->col), v, sizeof v);
		for (j = 0; j < p->nf; j++) {
			const char *e = apply(r, &p->f[j], rec, p->text, v, msg,
					      sizeof msg);

			if (e) {
				*bad = true;
				return row_error(r, rec, p->col, "%s", e);
			}
		}
		sb_add(&b, v, strlen(v));
	}
	if (b.over) {
		*bad = true;
		return row_error(r, rec, -1,
				 "a value made by the mapping (%s:%ld) is longer "
				 "than %d bytes",
				 r->m->path, t->line, IMPORT_MAX_VALUE);
	}
	return BRIEF_OK;
}

static bool cond_holds(struct run *r, const struct cond *c,
		       const struct csv_record *rec, bool *bad)
{
	char v[IMPORT_MAX_VALUE], num[64];
	size_t i;

	trimmed(field_of(rec, c->col), v, sizeof v);
	switch (c->kind) {
	case C_NONEMPTY:
		return v[0] != '\0';
	case C_EMPTY:
		return v[0] == '\0';
	case C_POSITIVE:
		if (!v[0])
			return false;
		if (!import_parse_number(r->m, v, true, num, sizeof num)) {
			*bad = true;
			return row_error(r, rec, c->col,
					 "'%.120s' in column '%.80s' is not a %s", v,
					 c->name, "non-negative number") == BRIEF_OK &&
			       false;
		}
		return strtod(num, NULL) > 0;
	case C_ANY:
	case C_NONE:
		for (i = 0; i < c->nvals; i++)
			if (strcmp(v, c->vals[i]) == 0)
				return c->kind == C_ANY;
		return c->kind == C_NONE;
	}
	return false;
}

/* ---- writing rows --------------------------------------------------- */

static enum brief_status write_row(struct run *r, enum dataset_kind k,
				   const struct output *o, char **vals)
{
	struct dsout *d = &r->ds[k];
	struct csv_line *l = &r->line;
	size_t i;

	csv_line_reset(l);
	for (i = 0; i < d->n; i++)
		csv_line_add(l, o->to_col[i] >= 0 ? vals[o->to_col[i]] : "");
	csv_line_end(l);
	if (l->oom)
		return diag_set(r->err, BRIEF_ENOMEM, d->path, 0, 0,
				"out of memory");
	if (fwrite(l->s, 1, l->n, d->f) != l->n)
		return diag_set(r->err, BRIEF_EIO, d->path, 0, 0,
				"write error: %s", strerror(errno));
	d->rows++;
	return BRIEF_OK;
}

/* Which output column feeds each column of the output's dataset file. */
static enum brief_status map_columns(struct run *r, struct output *o)
{
	const struct dsout *d = &r->ds[o->ds];
	size_t i, j;

	if (o->to_col)
		return BRIEF_OK;
	o->to_col = malloc((d->n + 1) * sizeof *o->to_col);
	if (!o->to_col)
		return BRIEF_ENOMEM;
	for (i = 0; i < d->n; i++) {
		o->to_col[i] = -1;
		for (j = 0; j < o->ncols; j++)
			if (strcmp(o->names[j], d->names[i]) == 0)
				o->to_col[i] = (int)j;
	}
	return BRIEF_OK;
}

/* A range whose ends are equal (GED's low = high) is an exact figure. */
static void tidy_range(const struct output *o, char **vals)
{
	if (o->c_value < 0 || o->c_high < 0 || o->c_qual < 0 ||
	    strcmp(vals[o->c_qual], "range") != 0 ||
	    strcmp(vals[o->c_value], vals[o->c_high]) != 0)
		return;
	strcpy(vals[o->c_qual], "exact");
	vals[o->c_high][0] = '\0';
}

/* ---- aggregation ---------------------------------------------------- */

static bool in_key(const struct output *o, size_t col)
{
	size_t i;

	for (i = 0; i < o->nby; i++)
		if (o->by[i] == col)
			return true;
	return false;
}

/* The qualifier of a sum: exact only when every part is; a minimum stays
 * a minimum ("at least"), a maximum a maximum ("at most"); a range or an
 * "about" makes the sum so; minima mixed with maxima are "about". */
static enum qualifier combine_qual(enum qualifier a, enum qualifier b)
{
	bool amin = a == QUAL_AT_LEAST || a == QUAL_MORE_THAN,
	     bmin = b == QUAL_AT_LEAST || b == QUAL_MORE_THAN,
	     amax = a == QUAL_AT_MOST || a == QUAL_NEARLY,
	     bmax = b == QUAL_AT_MOST || b == QUAL_NEARLY;

	if (a == b)
		return a;
	if (a == QUAL_EXACT)
		return bmin ? QUAL_AT_LEAST : bmax ? QUAL_AT_MOST : b;
	if (b == QUAL_EXACT)
		return combine_qual(b, a);
	if (a == QUAL_ABOUT || b == QUAL_ABOUT || (amin && bmax) ||
	    (amax && bmin))
		return QUAL_ABOUT;
	if (a == QUAL_RANGE || b == QUAL_RANGE)
		return QUAL_RANGE;
	return amin ? QUAL_AT_LEAST : QUAL_AT_MOST;
}

static enum brief_status agg_add(struct run *r, const struct output *o,
				 struct agg *a, const struct csv_record *rec,
				 char **vals)
{
	char key[IMPORT_MAX_VALUE * 2];
	struct sbuf b = {key, 0, sizeof key, false};
	size_t i, s, h;
	struct group *g;
	int vcol = o->c_value;

	sb_add(&b, r->srcid, strlen(r->srcid));
	for (i = 0; i < o->nby; i++) {
		sb_add(&b, "\x1f", 1);
		sb_add(&b, vals[o->by[i]], strlen(vals[o->by[i]]));
	}
	if (a->n * 2 >= a->nslot) {
		size_t ns = a->nslot ? a->nslot * 2 : 1024;
		uint32_t *slot = calloc(ns, sizeof *slot);

		if (!slot)
			return BRIEF_ENOMEM;
		for (i = 0; i < a->n; i++) {
			for (h = hash64(a->g[i].key) & (ns - 1); slot[h];
			     h = (h + 1) & (ns - 1))
				;
			slot[h] = (uint32_t)(i + 1);
		}
		free(a->slot);
		a->slot = slot;
		a->nslot = ns;
	}
	for (h = hash64(key) & (a->nslot - 1); a->slot[h];
	     h = (h + 1) & (a->nslot - 1))
		if (strcmp(a->g[a->slot[h] - 1].key, key) == 0)
			break;
	if (a->slot[h]) {
		g = &a->g[a->slot[h] - 1];
	} else {
		if (a->n >= IMPORT_MAX_GROUPS)
			return row_error(r, rec, -1,
					 "more than %d aggregated rows for one "
					 "output: aggregate more coarsely",
					 IMPORT_MAX_GROUPS) ? BRIEF_EDATA : BRIEF_EDATA;
		if (a->n == a->cap) {
			size_t nc = a->cap ? a->cap * 2 : 256;
			struct group *ng = realloc(a->g, nc * sizeof *ng);

			if (!ng)
				return BRIEF_ENOMEM;
			a->g = ng;
			a->cap = nc;
		}
		g = &a->g[a->n];
		memset(g, 0, sizeof *g);
		g->key = strdup(key);
		g->vals = calloc(o->ncols, sizeof *g->vals);
		g->sum = calloc(o->nsum + 1, sizeof *g->sum);
		g->has = calloc(o->nsum + 1, sizeof *g->has);
		if (!g->key || !g->vals || !g->sum || !g->has) {
			free(g->key);
			free(g->vals);
			free(g->sum);
			free(g->has);
			return BRIEF_ENOMEM;
		}
		for (i = 0; i < o->ncols; i++)
			if (!(g->vals[i] = strdup(vals[i])))
				return BRIEF_ENOMEM;
		g->qual = -1;
		a->slot[h] = (uint32_t)(++a->n);
	}
	if (o->c_qual >= 0 && !in_key(o, (size_t)o->c_qual)) {
		enum qualifier q;

		if (qualifier_parse(vals[o->c_qual], &q))
			g->qual = g->qual < 0 ? (int)q
					      : (int)combine_qual((enum qualifier)g->qual, q);
	}
	for (s = 0; s < o->nsum; s++) {
		const char *v = vals[o->sum[s]];
		char num[64];

		/* An empty value_high is the row's value: a sum of ranges. */
		if (!v[0] && vcol >= 0 && (int)o->sum[s] == o->c_high)
			v = vals[vcol];
		else if (v[0])
			g->has[s] = true;
		if (!v[0])
			continue;
		if (!import_parse_number(r->m, v, true, num, sizeof num))
			return row_error(r, rec, -1,
					 "'%.120s' (output column '%.80s') cannot be "
					 "summed: not a number",
					 v, o->names[o->sum[s]]) ? BRIEF_EDATA
								 : BRIEF_OK;
		g->sum[s] += strtod(num, NULL);
	}
	return BRIEF_OK;
}

static int group_cmp(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->key,
		      ((const struct group *)b)->key);
}

static void number_text(double v, char *buf, size_t size)
{
	if (v == (double)(long long)v && v < 9e15)
		snprintf(buf, size, "%lld", (long long)v);
	else
		snprintf(buf, size, "%.10g", v);
}

/* Sorted groups of one output, their ids made, written. */
static enum brief_status agg_flush(struct run *r, const struct output *o,
				   struct agg *a)
{
	size_t i, s;
	char id[IMPORT_MAX_VALUE];
	enum brief_status st = BRIEF_OK;
	struct csv_record none;
	bool bad = false;

	memset(&none, 0, sizeof none);
	none.raw = "";
	if (a->n)
		qsort(a->g, a->n, sizeof *a->g, group_cmp);
	for (i = 0; i < a->n && !st; i++) {
		struct group *g = &a->g[i];

		for (s = 0; s < o->nsum; s++) {
			char num[64];
			char *nv;

			if (!g->has[s]) {
				g->vals[o->sum[s]][0] = '\0';
				continue;
			}
			number_text(g->sum[s], num, sizeof num);
			nv = strdup(num);
			if (!nv)
				return BRIEF_ENOMEM;
			free(g->vals[o->sum[s]]);
			g->vals[o->sum[s]] = nv;
		}
		if (g->qual >= 0) {
			char *nq = strdup(qualifier_name((enum qualifier)g->qual));

			if (!nq)
				return BRIEF_ENOMEM;
			free(g->vals[o->c_qual]);
			g->vals[o->c_qual] = nq;
			/* A sum with a high end above its value is a range. */
			if (g->qual == QUAL_EXACT && o->c_high >= 0 &&
			    o->c_value >= 0 && g->vals[o->c_high][0] &&
			    strcmp(g->vals[o->c_high], g->vals[o->c_value]) != 0) {
				free(g->vals[o->c_qual]);
				if (!(g->vals[o->c_qual] = strdup("range")))
					return BRIEF_ENOMEM;
			}
		}
		tidy_range(o, g->vals);
		st = eval(r, o, &o->cols[o->id_col], &none, g->vals, g->key, id,
			  &bad);
		if (!st) {
			char *nid = strdup(id);

			if (!nid)
				return BRIEF_ENOMEM;
			free(g->vals[o->id_col]);
			g->vals[o->id_col] = nid;
			st = write_row(r, o->ds, o, g->vals);
		}
	}
	return st;
}

static void agg_free(struct agg *a, size_t ncols)
{
	size_t i, j;

	for (i = 0; i < a->n; i++) {
		for (j = 0; j < ncols; j++)
			free(a->g[i].vals[j]);
		free(a->g[i].vals);
		free(a->g[i].key);
		free(a->g[i].sum);
		free(a->g[i].has);
	}
	free(a->g);
	free(a->slot);
	memset(a, 0, sizeof *a);
}

/* ---- reading records ------------------------------------------------ */

static enum brief_status read_record(void *ctx, const struct csv_record *rec,
				     struct diag *err);

static enum brief_status on_record(void *ctx, const struct csv_record *rec,
				   struct diag *err)
{
	struct run *r = ctx;
	enum brief_status st = read_record(ctx, rec, err);

	if (st != BRIEF_OK)
		r->stopped = true;
	return st;
}

static enum brief_status read_record(void *ctx, const struct csv_record *rec,
				     struct diag *err)
{
	struct run *r = ctx;
	size_t i, k, n;
	enum brief_status st;
	static char big[IMPORT_MAX_COLS][IMPORT_MAX_VALUE];

	(void)err;
	if (r->m->hxl ? rec->index <= r->h.tag_index : rec->index == 0)
		return BRIEF_OK; /* the header, rows above it, the hashtags */
	if (!r->m->hxl && rec->index == 1 && r->h.tag_index == 1)
		return BRIEF_OK;
	r->file_rows++;
	r->rec_line = rec->line;
	n = r->m->hxl ? r->h.ntags : r->h.n;
	if (rec->nfields != n)
		return row_error(r, rec, rec->nfields > n ? (int)n : -1,
				 "row has %zu fields, header has %zu",
				 rec->nfields, n);
	for (k = 0; k < r->m->nouts; k++) {
		const struct output *o = &r->m->outs[k];
		bool keep = o->active, bad = false;

		for (i = 0; keep && i < o->nwhere; i++)
			keep = cond_holds(r, &o->where[i], rec, &bad);
		if (bad && r->errors >= IMPORT_MAX_ERRORS)
			return BRIEF_EDATA;
		if (!keep)
			continue;
		for (i = 0; i < o->ncols; i++)
			r->vals[i] = big[i];
		for (i = 0; i < o->ncols && !bad; i++) {
			if ((int)i == o->id_col && o->aggregate) {
				big[i][0] = '\0';
				continue;
			}
			if ((int)i == o->id_col)
				continue; /* after the others: it may use them */
			st = eval(r, o, &o->cols[i], rec, r->vals, NULL, big[i], &bad);
			if (st)
				return st;
		}
		if (!bad && !o->aggregate) {
			st = eval(r, o, &o->cols[o->id_col], rec, r->vals, NULL,
				  big[o->id_col], &bad);
			if (st)
				return st;
		}
		if (bad || r->errors)
			continue; /* reported; nothing is written anyway */
		tidy_range(o, r->vals);
		st = o->aggregate ? agg_add(r, o, &r->agg[k], rec, r->vals)
				  : write_row(r, o->ds, o, r->vals);
		if (st == BRIEF_ENOMEM)
			return diag_set(r->err, st, r->path, rec->line, 0,
					"out of memory");
		if (st)
			return st;
	}
	return BRIEF_OK;
}

/* ---- setting up ----------------------------------------------------- */

/* The column of a reference, reporting it missing unless optional. */
static int need(struct run *r, enum brief_status *st, const char *name,
		bool optional, long line, long col)
{
	int c = find_column(r->m, &r->h, name);
	struct diag d;

	if (c < 0 && !optional) {
		diag_set(&d, BRIEF_EDATA, r->path, 1, 1,
			 "the export has no column '%s' (the mapping uses it at "
			 "%s:%ld:%ld)",
			 name, r->m->path, line, col);
		diag_emit(r->sink, &d, DIAG_ERROR);
		*st = BRIEF_EDATA;
	}
	return c;
}

/* Bind every export reference of the mapping to this file's columns.
 * Missing ones are reported at the header. */
static enum brief_status bind(struct run *r)
{
	struct import_map *m = r->m;
	size_t k, i, j, f;
	enum brief_status st = BRIEF_OK;

	for (k = 0; k < m->nouts; k++) {
		struct output *o = &m->outs[k];

		o->active = !o->when || find_column(m, &r->h, o->when) >= 0;
		if (!o->active)
			continue;
		for (i = 0; i < o->nwhere; i++)
			o->where[i].col = need(r, &st, o->where[i].name, false,
					       o->where[i].line, o->where[i].colpos);
		for (i = 0; i < o->ncols; i++)
			for (j = 0; j < o->cols[i].n; j++) {
				struct tpart *p = &o->cols[i].p[j];

				if (p->kind != TP_COL)
					continue;
				p->col = need(r, &st, p->text, p->optional, o->cols[i].line,
					      o->cols[i].col);
				for (f = 0; f < p->nf; f++)
					if (p->f[f].arg && (p->f[f].kind == F_DATE_BY ||
							    p->f[f].kind == F_QUAL))
						(void)need(r, &st, p->f[f].arg, false,
							   o->cols[i].line,
							   o->cols[i].col);
			}
	}
	return st;
}

/* Header of a staged dataset: the schema's columns, then every other
 * column an output of the mapping writes there. */
static enum brief_status open_ds(struct run *r, enum dataset_kind k)
{
	struct dsout *d = &r->ds[k];
	size_t n, i, j, c;
	const struct schema *sc = schema_get(k);

	n = sc->ncols;
	d->names = calloc(n + (size_t)IMPORT_MAX_COLS * r->m->nouts + 1,
			  sizeof *d->names);
	d->path = data_path(r->stage, dataset_name(k));
	if (!d->names || !d->path)
		return BRIEF_ENOMEM;
	/* The schema's columns, in its order: every required one, and the
	 * optional ones some output writes. */
	for (i = 0; i < n; i++) {
		bool used = (sc->cols[i].flags & COL_REQUIRED) != 0;

		for (j = 0; !used && j < r->m->nouts; j++) {
			const struct output *o = &r->m->outs[j];

			for (c = 0; o->ds == k && c < o->ncols; c++)
				if (strcmp(o->names[c], sc->cols[i].name) == 0)
					used = true;
		}
		if (used)
			d->names[d->n++] = (char *)sc->cols[i].name;
	}
	for (i = 0; i < r->m->nouts; i++) {
		const struct output *o = &r->m->outs[i];

		if (o->ds != k)
			continue;
		for (j = 0; j < o->ncols; j++) {
			bool in_schema = false;

			for (c = 0; c < n; c++)
				if (strcmp(sc->cols[c].name, o->names[j]) == 0)
					in_schema = true;
			for (c = 0; c < d->n; c++)
				if (strcmp(d->names[c], o->names[j]) == 0)
					break;
			if (c == d->n && !in_schema)
				d->names[d->n++] = o->names[j];
		}
	}
	d->f = fopen(d->path, "wb");
	if (!d->f)
		return diag_set(r->err, BRIEF_EIO, d->path, 0, 0,
				"cannot create: %s", strerror(errno));
	setvbuf(d->f, NULL, _IOFBF, 1 << 16);
	/* Header, then the HXL row with each column's documented tag. */
	csv_line_reset(&r->line);
	for (i = 0; i < d->n; i++)
		csv_line_add(&r->line, d->names[i]);
	csv_line_end(&r->line);
	for (i = 0; i < d->n; i++) {
		const char *tag = "";

		for (c = 0; c < sc->ncols; c++)
			if (strcmp(sc->cols[c].name, d->names[i]) == 0)
				tag = sc->cols[c].hxl;
		csv_line_add(&r->line, tag);
	}
	csv_line_end(&r->line);
	if (r->line.oom)
		return BRIEF_ENOMEM;
	if (fwrite(r->line.s, 1, r->line.n, d->f) != r->line.n)
		return diag_set(r->err, BRIEF_EIO, d->path, 0, 0,
				"write error: %s", strerror(errno));
	return BRIEF_OK;
}

static enum brief_status close_ds(struct run *r, struct dsout *d)
{
	int bad;

	if (!d->f)
		return BRIEF_OK;
	bad = fflush(d->f) != 0 || fsync(fileno(d->f)) != 0;
	bad |= fclose(d->f) != 0;
	d->f = NULL;
	if (bad)
		return diag_set(r->err, BRIEF_EIO, d->path, 0, 0,
				"write error: %s", strerror(errno));
	return BRIEF_OK;
}

/* The export read through a stream that hashes what passes. */
struct hashing {
	FILE *f;
	struct sha256_ctx sha;
};

static ssize_t hashing_read(void *cookie, char *buf, size_t size)
{
	struct hashing *h = cookie;
	size_t n = fread(buf, 1, size, h->f);

	if (n == 0 && ferror(h->f))
		return -1;
	sha256_update(&h->sha, n, (const uint8_t *)buf);
	return (ssize_t)n;
}

static int hashing_close(void *cookie)
{
	struct hashing *h = cookie;

	return fclose(h->f);
}

/* Parse path with fn while hashing it; the digest into hex. */
static enum brief_status load_hashed(const char *path, char delim,
				     csv_record_fn fn, void *ctx, char hex[65],
				     struct diag *err)
{
	struct hashing h;
	cookie_io_functions_t io = {hashing_read, NULL, NULL, hashing_close};
	FILE *in;
	uint8_t out[SHA256_DIGEST_SIZE];
	enum brief_status st;
	size_t i;
	int c;

	h.f = fopen(path, "rb");
	if (!h.f)
		return diag_set(err, BRIEF_EIO, path, 0, 0, "cannot open: %s",
				strerror(errno));
	sha256_init(&h.sha);
	in = fopencookie(&h, "r", io);
	if (!in) {
		fclose(h.f);
		return diag_set(err, BRIEF_ENOMEM, path, 0, 0, "out of memory");
	}
	setvbuf(in, NULL, _IOFBF, 1 << 16);
	st = csv_load_stream_delim(in, path, delim, fn, ctx, err);
	/* Whatever the parser left unread still counts in the hash. */
	while (st == BRIEF_OK && (c = getc(in)) != EOF)
		;
	if (st == BRIEF_OK && ferror(in))
		st = diag_set(err, BRIEF_EIO, path, 0, 0, "read error");
	fclose(in);
	sha256_digest(&h.sha, sizeof out, out);
	for (i = 0; i < sizeof out; i++)
		snprintf(hex + 2 * i, 3, "%02x", out[i]);
	return st;
}

/* ---- the provenance rows -------------------------------------------- */

struct prov {
	char id[160];
	char file[512];
	char accessed[16];
	char sha[65];
	size_t rows;
};

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static enum brief_status write_sources(struct run *r, const struct prov *pv,
				       size_t n)
{
	char *path = data_path(r->stage, "sources");
	FILE *f;
	size_t i, k, c;
	char filters[2048], note[1024], title[1024], rows[32];
	size_t fl = 0;
	const struct schema *sc = schema_sources();
	struct csv_line *l = &r->line;
	enum brief_status st = BRIEF_OK;

	if (!path)
		return BRIEF_ENOMEM;
	filters[0] = '\0';
	for (k = 0; k < r->m->nouts; k++) {
		const struct output *o = &r->m->outs[k];
		int w;

		if (!o->active || !o->filter_text[0] || fl >= sizeof filters)
			continue;
		w = snprintf(filters + fl, sizeof filters - fl, "%s%s: %s",
			     fl ? "; " : "", dataset_name(o->ds), o->filter_text);
		if (w > 0)
			fl += (size_t)w;
	}
	if (!filters[0])
		strcpy(filters, "none");
	/* Every column of the sources schema (brief's own sha256, rows and
	 * filters included), each filled by name. */
	static const char *const names[] = {
		"id",	    "title",   "publisher", "author", "published",
		"url",	    "accessed", "kind",	    "language", "archive",
		"note",	    "sha256",  "rows",	    "filters"};
	static const char *const own_tags[] = {"#meta+sha256", "#meta+rows",
					       "#meta+filters"};
	const char *hdr[32], *tags[32];
	size_t nh = 0;

	for (c = 0; c < sc->ncols && nh < 29; c++) {
		hdr[nh] = sc->cols[c].name;
		tags[nh++] = sc->cols[c].hxl;
	}
	for (k = 11; k < 14; k++) {
		for (c = 0; c < nh && strcmp(hdr[c], names[k]) != 0; c++)
			;
		if (c == nh) { /* a schema without brief's own columns */
			hdr[nh] = names[k];
			tags[nh++] = own_tags[k - 11];
		}
	}
	csv_line_reset(l);
	for (c = 0; c < nh; c++)
		csv_line_add(l, hdr[c]);
	csv_line_end(l);
	for (c = 0; c < nh; c++)
		csv_line_add(l, tags[c]);
	csv_line_end(l);
	for (i = 0; i < n; i++) {
		const char *v[14];

		snprintf(title, sizeof title, "%s (%s)", r->m->title, pv[i].file);
		snprintf(note, sizeof note,
			 "Imported with brief import (mapping %s); %zu rows in "
			 "the export.",
			 base_name(r->m->path), pv[i].rows);
		snprintf(rows, sizeof rows, "%zu", pv[i].rows);
		v[0] = pv[i].id;
		v[1] = title;
		v[2] = r->m->provider;
		v[3] = r->m->author ? r->m->author : r->m->provider;
		v[4] = "unknown";
		v[5] = r->m->url ? r->m->url : "";
		v[6] = pv[i].accessed;
		v[7] = "dataset";
		v[8] = r->m->language;
		v[9] = pv[i].file;
		v[10] = note;
		v[11] = pv[i].sha;
		v[12] = rows;
		v[13] = filters;
		for (c = 0; c < nh; c++) {
			const char *val = "";

			for (k = 0; k < 14; k++)
				if (strcmp(names[k], hdr[c]) == 0)
					val = v[k];
			csv_line_add(l, val);
		}
		csv_line_end(l);
	}
	if (l->oom) {
		free(path);
		return BRIEF_ENOMEM;
	}
	f = fopen(path, "wb");
	if (!f) {
		st = diag_set(r->err, BRIEF_EIO, path, 0, 0, "cannot create: %s",
			      strerror(errno));
		free(path);
		return st;
	}
	if (fwrite(l->s, 1, l->n, f) != l->n || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0)
		st = diag_set(r->err, BRIEF_EIO, path, 0, 0, "write error: %s",
			      strerror(errno));
	if (fclose(f) != 0 && !st)
		st = diag_set(r->err, BRIEF_EIO, path, 0, 0, "write error: %s",
			      strerror(errno));
	free(path);
	return st;
}

/* ---- choosing the mapping ------------------------------------------- */

/* Load the candidate mappings: --map, or the shipped ones of the format. */
static enum brief_status load_candidates(const struct import_opts *o,
					 struct import_map ***out, size_t *n,
					 struct diag *err)
{
	char **paths;
	size_t i, k = 0;
	struct import_map **v;
	enum brief_status st;

	*out = NULL;
	*n = 0;
	if (o->map) {
		v = calloc(1, sizeof *v);
		if (!v)
			return diag_set(err, BRIEF_ENOMEM, o->map, 0, 0, "out of memory");
		st = import_map_load(o->map, &v[0], err);
		if (st) {
			free(v);
			return st;
		}
		*out = v;
		*n = 1;
		return BRIEF_OK;
	}
	paths = import_shipped(o->mapdir, o->format);
	if (!paths)
		return diag_set(err, BRIEF_ENOMEM, o->mapdir, 0, 0, "out of memory");
	for (i = 0; paths[i]; i++)
		;
	if (i == 0) {
		import_free_list(paths);
		return diag_set(err, BRIEF_EIO, o->mapdir, 0, 0,
				"no shipped mapping for format '%s' in this "
				"directory (is brief installed whole? set "
				"BRIEF_MAPPINGS)",
				o->format);
	}
	v = calloc(i, sizeof *v);
	if (!v) {
		import_free_list(paths);
		return diag_set(err, BRIEF_ENOMEM, o->mapdir, 0, 0, "out of memory");
	}
	for (k = 0; paths[k]; k++) {
		st = import_map_load(paths[k], &v[k], err);
		if (st) {
			while (k-- > 0)
				import_map_free(v[k]);
			free(v);
			import_free_list(paths);
			return st;
		}
	}
	import_free_list(paths);
	*out = v;
	*n = k;
	return BRIEF_OK;
}

/* Which other format's shipped mapping fits this header, for the hint. */
static void other_format_hint(const struct import_opts *o, const char *fmt,
			      const struct head *h, char *buf, size_t size)
{
	char **paths = import_shipped(o->mapdir, NULL);
	size_t i;
	struct diag e;

	buf[0] = '\0';
	for (i = 0; paths && paths[i] && !buf[0]; i++) {
		struct import_map *m = NULL;

		if (import_map_load(paths[i], &m, &e) == BRIEF_OK &&
		    strcmp(m->format, fmt) != 0 && m->nrequire &&
		    missing_required(m, h, NULL, 0) == 0)
			snprintf(buf, size,
				 " (it looks like %s: try 'brief import %s')",
				 m->format, m->format);
		import_map_free(m);
	}
	import_free_list(paths);
}

static enum brief_status choose(struct run *r, struct import_map **cand,
				size_t ncand, struct import_map **chosen)
{
	size_t i, best = 0, best_miss = (size_t)-1;
	char list[1024], hint[256];
	struct diag d;

	for (i = 0; i < ncand; i++) {
		size_t miss = missing_required(cand[i], &r->h, NULL, 0);

		if (cand[i]->hxl && !r->h.tags)
			miss = (size_t)-2;
		if (miss < best_miss) {
			best_miss = miss;
			best = i;
		}
	}
	if (best_miss == 0) {
		if (*chosen && *chosen != cand[best]) {
			diag_set(&d, BRIEF_EDATA, r->path, 1, 1,
				 "this export needs mapping %s, an earlier file "
				 "%s: import them separately",
				 cand[best]->path, (*chosen)->path);
			diag_emit(r->sink, &d, DIAG_ERROR);
			return BRIEF_EDATA;
		}
		*chosen = cand[best];
		return BRIEF_OK;
	}
	if (cand[best]->hxl && !r->h.tags) {
		diag_set(&d, BRIEF_EDATA, r->path, 2, 1,
			 "no HXL hashtag row in the first %d rows (a row at "
			 "least half of whose filled cells are hashtags)",
			 IMPORT_HXL_SCAN);
		diag_emit(r->sink, &d, DIAG_ERROR);
		return BRIEF_EDATA;
	}
	missing_required(cand[best], &r->h, list, sizeof list);
	other_format_hint(r->o, cand[best]->format, &r->h, hint, sizeof hint);
	diag_set(&d, BRIEF_EDATA, r->path, r->h.tag_index > 1 ? (long)r->h.tag_index : 1, 1,
		 "not in the %s format: missing column%s %s%s",
		 cand[best]->format, best_miss == 1 ? "" : "s", list, hint);
	diag_emit(r->sink, &d, DIAG_ERROR);
	return BRIEF_EDATA;
}

/* ---- moving into place ---------------------------------------------- */

/* What an import writes into DIR, staged under these names; the manifest
 * goes in last. */
static const char *const written[] = {"sources.csv",  "casualties.csv",
				      "displacement.csv", "control.csv",
				      "figures.csv",  "events.csv",
				      MAP_COPY,	      NULL};
static const char *const staged[] = {"sources.csv",  "casualties.csv",
				     "displacement.csv", "control.csv",
				     "figures.csv",  "events.csv",
				     MAP_COPY,	     MANIFEST, NULL};

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

bool import_label_ok(const char *label)
{
	char name[DATASET_NAME_MAX + 16];
	struct dataset ds;

	/* The longest labelled name must be a dataset's. */
	snprintf(name, sizeof name, "displacement-%s", label);
	return strlen(label) < DATASET_NAME_MAX && dataset_parse(name, &ds);
}

/* The name in DIR of a staged file: itself, or with --name LABEL its
 * labelled form: "casualties.csv" -> "casualties-LABEL.csv" (data.h's
 * rule), "import-map.yaml" -> "import-LABEL.yaml", ".brief-import" ->
 * ".brief-import-LABEL". */
static const char *out_name(const struct import_opts *o, const char *staged_name,
			    char *buf, size_t size)
{
	size_t n = strlen(staged_name);

	if (!o->name)
		return staged_name;
	if (strcmp(staged_name, MAP_COPY) == 0)
		snprintf(buf, size, "import-%s.yaml", o->name);
	else if (strcmp(staged_name, MANIFEST) == 0)
		snprintf(buf, size, "%s-%s", MANIFEST, o->name);
	else
		snprintf(buf, size, "%.*s-%s.csv", (int)(n - 4), staged_name,
			 o->name);
	return buf;
}

/* Files the earlier import recorded in its manifest in DIR. */
static bool manifest_has(const struct import_opts *o, const char *dir,
			 const char *name)
{
	char mbuf[128];
	char *p = join(dir, out_name(o, MANIFEST, mbuf, sizeof mbuf)), line[512];
	FILE *f = p ? fopen(p, "r") : NULL;
	bool found = false;

	free(p);
	if (!f)
		return false;
	while (!found && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		found = strcmp(line, name) == 0;
	}
	fclose(f);
	return found;
}

/* Refuse before any work when DIR holds a file of ours that no import
 * wrote: curated datasets are never replaced. */
static enum brief_status check_into(const struct import_opts *o,
				    const char *dir, struct diag_sink *sink)
{
	size_t i;
	struct stat sb;
	enum brief_status st = BRIEF_OK;
	char nbuf[128];

	if (stat(dir, &sb) != 0)
		return BRIEF_OK;
	if (!S_ISDIR(sb.st_mode)) {
		struct diag d;

		diag_set(&d, BRIEF_EDATA, dir, 0, 0, "--into: not a directory");
		diag_emit(sink, &d, DIAG_ERROR);
		return BRIEF_EDATA;
	}
	for (i = 0; written[i]; i++) {
		const char *name = out_name(o, written[i], nbuf, sizeof nbuf);
		char *p = join(dir, name);
		struct diag d;

		if (!p)
			return BRIEF_ENOMEM;
		if (stat(p, &sb) == 0 && !manifest_has(o, dir, name)) {
			diag_set(&d, BRIEF_EDATA, p, 0, 0,
				 "exists and was not written by brief import; "
				 "import into a directory of its own, or "
				 "beside it with --name LABEL (it is never "
				 "replaced)");
			diag_emit(sink, &d, DIAG_ERROR);
			st = BRIEF_EDATA;
		}
		free(p);
	}
	return st;
}

static enum brief_status copy_file(const char *from, const char *to,
				   struct diag *err)
{
	FILE *in = fopen(from, "rb"), *out;
	char buf[8192];
	size_t n;
	enum brief_status st = BRIEF_OK;

	if (!in)
		return diag_set(err, BRIEF_EIO, from, 0, 0, "cannot open: %s",
				strerror(errno));
	out = fopen(to, "wb");
	if (!out) {
		fclose(in);
		return diag_set(err, BRIEF_EIO, to, 0, 0, "cannot create: %s",
				strerror(errno));
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			break;
	if (ferror(in) || ferror(out) || fflush(out) != 0 ||
	    fsync(fileno(out)) != 0)
		st = diag_set(err, BRIEF_EIO, to, 0, 0, "write error: %s",
			      strerror(errno));
	fclose(in);
	if (fclose(out) != 0 && !st)
		st = diag_set(err, BRIEF_EIO, to, 0, 0, "write error: %s",
			      strerror(errno));
	return st;
}

/* Whether a staged file goes into DIR: with --name, a dataset only when
 * the mapping writes to it (curated directories get no empty files). */
static bool moved(const struct import_opts *o, const struct import_map *m,
		  const char *staged_name)
{
	char base[32];
	enum dataset_kind k;
	size_t i, n = strlen(staged_name);

	if (!o->name || n < 5 || n - 4 >= sizeof base ||
	    strcmp(staged_name, "sources.csv") == 0)
		return true;
	memcpy(base, staged_name, n - 4);
	base[n - 4] = '\0';
	if (!dataset_kind_parse(base, &k))
		return true;
	for (i = 0; i < m->nouts; i++)
		if (m->outs[i].ds == k)
			return true;
	return false;
}

/* Rename every staged file over DIR's (under its name there), manifest
 * last. */
static enum brief_status move_into(const struct import_opts *o,
				   const struct import_map *m,
				   const char *stage, const char *dir,
				   struct diag *err)
{
	size_t i;
	char *from, *to, nbuf[128];
	FILE *mf;
	int dfd;

	from = join(stage, MANIFEST);
	if (!from)
		return BRIEF_ENOMEM;
	mf = fopen(from, "w");
	if (!mf) {
		free(from);
		return diag_set(err, BRIEF_EIO, stage, 0, 0, "cannot create: %s",
				strerror(errno));
	}
	for (i = 0; written[i]; i++)
		if (moved(o, m, written[i]))
			fprintf(mf, "%s\n",
				out_name(o, written[i], nbuf, sizeof nbuf));
	if (fclose(mf) != 0) {
		free(from);
		return diag_set(err, BRIEF_EIO, stage, 0, 0, "write error");
	}
	free(from);
	for (i = 0; staged[i]; i++) {
		const char *name = staged[i];

		if (!moved(o, m, name))
			continue;
		from = join(stage, name);
		to = join(dir, out_name(o, name, nbuf, sizeof nbuf));
		if (!from || !to) {
			free(from);
			free(to);
			return BRIEF_ENOMEM;
		}
		if (rename(from, to) != 0) {
			enum brief_status st = diag_set(
				err, BRIEF_EIO, to, 0, 0, "cannot replace: %s",
				strerror(errno));

			free(from);
			free(to);
			return st;
		}
		free(from);
		free(to);
	}
	dfd = open(dir, O_RDONLY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return BRIEF_OK;
}

static void remove_stage(const char *stage)
{
	size_t i;

	for (i = 0; staged[i]; i++) {
		char *p = join(stage, staged[i]);

		if (p)
			unlink(p);
		free(p);
	}
	rmdir(stage);
}

/* ---- the run -------------------------------------------------------- */

static enum brief_status file_date(const char *path, const char *given,
				   char out[16], struct diag *err)
{
	struct stat sb;
	struct tm tm;

	if (given) {
		struct date d;

		if (!date_parse(given, strlen(given), &d))
			return diag_set(err, BRIEF_EUSAGE, NULL, 0, 0,
					"--accessed '%s' is not a date "
					"(YYYY-MM-DD)",
					given);
		snprintf(out, 16, "%s", given);
		return BRIEF_OK;
	}
	if (stat(path, &sb) != 0)
		return diag_set(err, BRIEF_EIO, path, 0, 0, "cannot stat: %s",
				strerror(errno));
	gmtime_r(&sb.st_mtime, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
	return BRIEF_OK;
}

static enum brief_status import_file(struct run *r, struct import_map **cand,
				     size_t ncand, struct import_map **chosen,
				     struct prov *pv, size_t index)
{
	const char *path = r->o->files[index];
	struct stat sb;
	char delim = 0, stem[128];
	enum brief_status st;
	struct diag d;
	size_t i, k;

	r->path = path;
	r->fname = base_name(path);
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		diag_set(&d, BRIEF_EDATA, path, 0, 0, "%s",
			 stat(path, &sb) != 0 ? "no such file"
					      : "not a regular file");
		diag_emit(r->sink, &d, DIAG_ERROR);
		return BRIEF_EDATA;
	}
	head_free(&r->h);
	/* The header decides the mapping, and the mapping the delimiter. */
	st = detect_delim(path, &delim, r->err);
	if (st)
		return st;
	if (cand[0]->delim)
		delim = cand[0]->delim;
	st = csv_load_delim(path, delim, peek_record, &r->h, r->err);
	if (st == BRIEF_ENOMEM || st == BRIEF_EIO)
		return st;
	if (st == BRIEF_EDATA) {
		diag_emit(r->sink, r->err, DIAG_ERROR);
		return BRIEF_EDATA;
	}
	if (!r->h.names) {
		diag_set(&d, BRIEF_EDATA, path, 1, 1,
			 "file is empty (a header row is required)");
		diag_emit(r->sink, &d, DIAG_ERROR);
		return BRIEF_EDATA;
	}
	st = choose(r, cand, ncand, chosen);
	if (st)
		return st;
	r->m = *chosen;
	if (r->m->delim && r->m->delim != delim)
		delim = r->m->delim;
	st = bind(r);
	if (st)
		return st;
	/* The source id: the mapping's, then the file's name. */
	snprintf(stem, sizeof stem, "%s", r->fname);
	if (strrchr(stem, '.'))
		*strrchr(stem, '.') = '\0';
	slugify(stem, stem, sizeof stem);
	snprintf(r->srcid, sizeof r->srcid, "%s%s%s", r->m->source_id,
		 stem[0] ? "-" : "", stem);
	for (i = 0, k = 2; i < index; i++)
		if (strcmp(pv[i].id, r->srcid) == 0) {
			snprintf(r->srcid + strlen(r->srcid),
				 sizeof r->srcid - strlen(r->srcid), "-%zu", k++);
			i = (size_t)-1;
		}
	for (i = 0; i < DS_COUNT; i++)
		if (!r->ds[i].f && (st = open_ds(r, (enum dataset_kind)i)))
			return st == BRIEF_ENOMEM
				       ? diag_set(r->err, st, path, 0, 0, "out of memory")
				       : st;
	if (!r->agg && !(r->agg = calloc(r->m->nouts, sizeof *r->agg)))
		return diag_set(r->err, BRIEF_ENOMEM, path, 0, 0, "out of memory");
	for (k = 0; k < r->m->nouts; k++)
		if ((st = map_columns(r, &r->m->outs[k])))
			return diag_set(r->err, st, path, 0, 0, "out of memory");
	r->file_rows = 0;
	r->stopped = false;
	st = load_hashed(path, delim, on_record, r, pv[index].sha, r->err);
	/* A CSV-level error (quoting, UTF-8) is the loader's: report it. */
	if (st == BRIEF_EDATA && !r->stopped)
		diag_emit(r->sink, r->err, DIAG_ERROR), r->errors++;
	if (st && st != BRIEF_EDATA)
		return st;
	if (r->errors)
		return BRIEF_EDATA;
	snprintf(pv[index].id, sizeof pv[index].id, "%s", r->srcid);
	snprintf(pv[index].file, sizeof pv[index].file, "%s", r->fname);
	pv[index].rows = r->file_rows;
	r->data_rows += r->file_rows;
	return file_date(path, r->o->accessed, pv[index].accessed, r->err);
}

/* Refuse an import whose source id another sources file of DIR already
 * has (a second export named like the first, under another label): the
 * directory would no longer pass brief check. The file this import
 * replaces does not count. DIR's own problems are left to brief check. */
static enum brief_status check_source_ids(const struct import_opts *o,
					  const struct prov *pv, size_t n,
					  struct diag_sink *sink)
{
	struct sources have;
	struct diag d;
	char nbuf[128];
	const char *ours = out_name(o, "sources.csv", nbuf, sizeof nbuf);
	enum brief_status st = BRIEF_OK;
	size_t i;

	if (sources_load(o->into, &have, NULL, &d) != BRIEF_OK)
		return BRIEF_OK;
	for (i = 0; i < n; i++) {
		const struct source *other = sources_find(&have, pv[i].id);

		if (!other || strcmp(base_name(other->file), ours) == 0)
			continue;
		diag_set(&d, BRIEF_EDATA, o->files[i], 0, 0,
			 "its source id '%s' is already in %s (line %ld), and "
			 "ids are unique across a directory's sources files: "
			 "rename the file, or import it with a mapping whose "
			 "source_id differs (--map)",
			 pv[i].id, other->file, other->line);
		diag_emit(sink, &d, DIAG_ERROR);
		st = BRIEF_EDATA;
	}
	sources_free(&have);
	return st;
}

enum brief_status import_run(const struct import_opts *o,
			     struct import_result *res,
			     struct diag_sink *sink, struct diag *err)
{
	struct run r;
	struct import_map **cand = NULL, *chosen = NULL;
	size_t ncand = 0, i;
	struct prov *pv = NULL;
	enum brief_status st;
	unsigned before = sink->errors;
	char *tmpl = NULL;

	memset(&r, 0, sizeof r);
	memset(res, 0, sizeof *res);
	r.o = o;
	r.sink = sink;
	r.err = err;
	st = check_into(o, o->into, sink);
	if (st)
		return st;
	st = load_candidates(o, &cand, &ncand, err);
	if (st == BRIEF_EDATA)
		diag_emit(sink, err, DIAG_ERROR);
	if (st)
		return st;
	if (mkdir(o->into, 0777) != 0 && errno != EEXIST) {
		st = diag_set(err, BRIEF_EIO, o->into, 0, 0,
			      "cannot create directory: %s", strerror(errno));
		goto out;
	}
	tmpl = join(o->into, ".import.XXXXXX");
	pv = calloc(o->nfiles + 1, sizeof *pv);
	if (!tmpl || !pv) {
		st = diag_set(err, BRIEF_ENOMEM, o->into, 0, 0, "out of memory");
		goto out;
	}
	if (!mkdtemp(tmpl)) {
		st = diag_set(err, BRIEF_EIO, o->into, 0, 0,
			      "cannot create a staging directory: %s",
			      strerror(errno));
		goto out;
	}
	r.stage = tmpl;
	for (i = 0; i < o->nfiles; i++) {
		st = import_file(&r, cand, ncand, &chosen, pv, i);
		if (st == BRIEF_EDATA)
			continue; /* reported; check the other files too */
		if (st)
			goto out;
	}
	if (sink->errors > before) {
		st = BRIEF_EDATA;
		goto out;
	}
	st = check_source_ids(o, pv, o->nfiles, sink);
	if (st)
		goto out;
	for (i = 0; i < chosen->nouts && !st; i++)
		if (chosen->outs[i].aggregate)
			st = agg_flush(&r, &chosen->outs[i], &r.agg[i]);
	if (st == BRIEF_ENOMEM)
		st = diag_set(err, st, o->into, 0, 0, "out of memory");
	for (i = 0; i < DS_COUNT; i++) {
		enum brief_status cs = close_ds(&r, &r.ds[i]);

		if (!st)
			st = cs;
		res->rows_out[i] = r.ds[i].rows;
	}
	if (!st)
		st = write_sources(&r, pv, o->nfiles);
	if (!st) {
		char *to = join(tmpl, MAP_COPY);

		st = to ? copy_file(chosen->path, to, err) : BRIEF_ENOMEM;
		free(to);
	}
	if (st)
		goto out;
	/* What was staged must pass `brief check`: a mapping that makes
	 * invalid rows is caught here, before DIR changes. */
	st = data_check_dir(tmpl, NULL, sink, NULL, err);
	if (st == BRIEF_EDATA) {
		struct diag d;

		diag_set(&d, BRIEF_EDATA, chosen->path, 0, 0,
			 "the rows this mapping made do not pass brief check "
			 "(above); %s is unchanged",
			 o->into);
		diag_emit(sink, &d, DIAG_ERROR);
	}
	if (st)
		goto out;
	st = move_into(o, chosen, tmpl, o->into, err);
	res->rows_in = r.data_rows;
	snprintf(res->mapping, sizeof res->mapping, "%s", chosen->path);
out:
	if (r.agg && chosen)
		for (i = 0; i < chosen->nouts; i++)
			agg_free(&r.agg[i], chosen->outs[i].ncols);
	free(r.agg);
	free(r.line.s);
	for (i = 0; i < DS_COUNT; i++) {
		if (r.ds[i].f)
			fclose(r.ds[i].f);
		free(r.ds[i].names);
		free(r.ds[i].path);
	}
	if (r.stage)
		remove_stage(r.stage);
	head_free(&r.h);
	for (i = 0; i < ncand; i++)
		import_map_free(cand[i]);
	free(cand);
	free(pv);
	free(tmpl);
	return st;
}
