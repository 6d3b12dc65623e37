/* import_int.h — the import mapping (a YAML file, compiled once) and the
 * value parsers its templates use. Private to import*.c. */
#ifndef BRIEF_IMPORT_INT_H
#define BRIEF_IMPORT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "data.h"
#include "diag.h"

#define IMPORT_MAX_COLS 48     /* output columns of one output */
#define IMPORT_MAX_VALUE 4096  /* one evaluated field */
#define IMPORT_MAX_ERRORS 50   /* reported before giving up */
#define IMPORT_MAX_GROUPS 4000000 /* aggregated rows of one output */
#define IMPORT_HXL_SCAN 25     /* records searched for the hashtag row */

/* A value map: source wording -> brief's word. */
struct vmap {
	char *name;
	char **keys, **vals;
	size_t n;
	char *dflt; /* NULL: a value not listed is an error */
	long line, col;
};

enum filter_kind {
	F_DATE,    /* the date in ISO form, at the precision it has */
	F_MONTH,   /* YYYY-MM */
	F_YEAR,    /* YYYY */
	F_DATE_BY, /* a date cut to the precision a column gives (args) */
	F_INT,     /* whole number, thousands separators dropped */
	F_NUMBER,  /* decimal number */
	F_LOW,     /* figure text: the number, or a range's first */
	F_HIGH,    /* figure text: a range's second number, else "" */
	F_QUAL,    /* figure text: its qualifier */
	F_MAP,
	F_SLUG,
	F_TRUNC,
	F_DEFAULT,
	F_LOWER,
	F_EPOCH_DATE /* seconds since 1970 -> YYYY-MM-DD (UTC) */
};

struct filter {
	enum filter_kind kind;
	char *arg;               /* default text, precision column, ... */
	const struct vmap *map;  /* F_MAP, F_DATE_BY, F_QUAL */
	long n;                  /* F_TRUNC */
	int argcol;              /* bound per file: column of arg (-1 none) */
};

enum part_kind {
	TP_LIT,    /* literal text */
	TP_COL,    /* {name}: a field of the export */
	TP_OUT,    /* {@name}: an output column already evaluated */
	TP_KEY,    /* {@key}: short hash of an aggregate's key */
	TP_SOURCE, /* {@source}: the id of the export's sources row */
	TP_FILE,   /* {@file}: the export's file name */
	TP_ROW     /* {@row}: the record's line in the export */
};

struct tpart {
	enum part_kind kind;
	char *text;       /* literal, column name or output name */
	bool optional;    /* {name?}: "" when the file has no such column */
	struct filter *f;
	size_t nf;
	int col;          /* bound per file (TP_COL), or output index (TP_OUT) */
};

struct tmpl {
	struct tpart *p;
	size_t n;
	long line, col; /* in the mapping file */
};

enum cond_kind { C_ANY, C_NONE, C_NONEMPTY, C_EMPTY, C_POSITIVE };

/* One `where` test on a field of the export. */
struct cond {
	char *name;
	enum cond_kind kind;
	char **vals;
	size_t nvals;
	int col;
	long line, colpos;
};

struct output {
	enum dataset_kind ds;
	char *when;       /* column that must exist for the output to apply */
	struct cond *where;
	size_t nwhere;
	char **names;     /* output column names (id included) */
	struct tmpl *cols;
	size_t ncols;
	int id_col;       /* index of `id` */
	bool aggregate;
	size_t *by, nby;  /* output columns forming the key */
	size_t *sum, nsum;
	long line;
	bool active;      /* per file: `when` holds */
	int c_value, c_high, c_qual; /* output columns of the figure, -1 none */
	int *to_col;      /* per column of the dataset file: output column, -1 */
	char *filter_text; /* "fatalities > 0" etc., for the provenance row */
};

struct import_map {
	char *path;
	char *format;
	char *provider;
	char *title;
	char *source_id;
	char *url;
	char *language;
	char *author;
	char delim;         /* 0: detect from the header line */
	bool hxl;           /* columns named by HXL hashtag */
	char **require;
	size_t nrequire;
	char **thousands;   /* allowed thousands separators (UTF-8) */
	size_t nthousands;
	char **dates;       /* date formats, tried in order */
	size_t ndates;
	struct vmap *maps;
	size_t nmaps;
	struct output *outs;
	size_t nouts;
};

/* Load and compile a mapping file. Errors are positioned in the file. */
enum brief_status import_map_load(const char *path, struct import_map **out,
				  struct diag *err);
void import_map_free(struct import_map *m);

/* The shipped mappings of a format (or all of them, format NULL), as
 * paths mapdir/<name>.yaml in a NULL-terminated malloc'd array of malloc'd
 * strings. */
char **import_shipped(const char *mapdir, const char *format);
void import_free_list(char **v);

/* A parsed date: month/day 0 when absent. */
struct idate {
	int y, m, d;
};

/* Parse s with the mapping's date formats (%Y %m %d %B %b %*). */
bool import_parse_date(const struct import_map *m, const char *s,
		       struct idate *out);
/* A whole or decimal non-negative number with the mapping's thousands
 * separators; the plain digits (and '.') into buf. */
bool import_parse_number(const struct import_map *m, const char *s,
			 bool decimals, char *buf, size_t size);

/* A figure in words: "1,200", "more than 500", "between 2,000 and 3,000",
 * "2,000-3,000". words is the text before the number ("" none), low and
 * high the plain numbers (high "" when no range). */
struct figure_text {
	char words[64];
	char low[32], high[32];
};
bool import_parse_figure(const struct import_map *m, const char *s,
			 struct figure_text *out);

/* SHA-256 of a file as 64 lowercase hex digits (nettle: SHA-NI where the
 * processor has it). BRIEF_EIO if it cannot be read. */
enum brief_status import_sha256_file(const char *path, char hex[65]);

/* Look a value up in a map: its word, or the default, or NULL. */
const char *vmap_get(const struct vmap *v, const char *key);

/* A CSV line being built: fields quoted when needed, ',' between them.
 * Owns s; reuse it across lines with line_reset, free it with free(s). */
struct csv_line {
	char *s;
	size_t n, cap;
	size_t fields;
	bool oom;
};
void csv_line_add(struct csv_line *l, const char *field);
void csv_line_end(struct csv_line *l); /* '\n', and the next line starts */
void csv_line_reset(struct csv_line *l);

#endif
