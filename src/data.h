/* data.h — the datasets: schemas, validated streaming of rows, the sources table,
 * and the wording of figures. The one way any stage reads a dataset. */
#ifndef BRIEF_DATA_H
#define BRIEF_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* A partial ISO 8601 date. month and day are 0 when the date omits them. */
struct date {
	int year;
	int month;
	int day;
};

/* Parse "2023", "2023-09" or "2023-09-19". Returns false on anything else
 * (including impossible days such as 2023-02-30). */
bool date_parse(const char *s, size_t len, struct date *out);
/* Days since 1970-01-01 of the first day the date covers (month/day 1 when absent). */
long date_days(const struct date *d);
/* Days since 1970-01-01 of the last day the date covers. */
long date_days_end(const struct date *d);
/* Compare by first day, then by precision (coarser first). */
int date_cmp(const struct date *a, const struct date *b);
/* The same date, as written (year, month, day): cheap, for a row's date
 * against the previous row's. */
static inline bool date_same(const struct date *a, const struct date *b)
{
	return a->year == b->year && a->month == b->month && a->day == b->day;
}
/* Calendar arithmetic (proleptic Gregorian) in days since 1970-01-01:
 * the one calendar every stage uses. */
long days_from_ymd(int year, int month, int day);
void ymd_from_days(long days, int *year, int *month, int *day);
/* "Jan" ... "Dec" for month 1..12 (axis and timeline labels). */
const char *date_month_abbr(int month);
/* "19 September 2023", "September 2023", "2023" into buf; returns buf. */
char *date_format_long(const struct date *d, char *buf, size_t size);

enum qualifier {
	QUAL_EXACT,
	QUAL_ABOUT,
	QUAL_AT_LEAST,
	QUAL_MORE_THAN,
	QUAL_NEARLY,
	QUAL_AT_MOST,
	QUAL_RANGE
};
bool qualifier_parse(const char *s, enum qualifier *out);
const char *qualifier_name(enum qualifier q);

/* The figure in words: "more than 8,000", "about 120,000", "50,000–120,000",
 * "nearly 20%". unit (NULL or "" for none) follows the number: "percent"
 * as "%", "km2" as " km²", "count" and "rank" not at all, any other as a
 * noun ("44 days", "about 2,000 troops"; singular for exactly 1). Writes
 * into buf, returns buf. */
char *figure_format(double value, bool has_high, double high, enum qualifier q,
		    const char *unit, char *buf, size_t size);
/* A number with thousands separators ("1,234,567"; decimals kept as given
 * up to `decimals` places). */
char *number_format(double v, int decimals, char *buf, size_t size);

/* One source, as in sources.csv. All strings owned by the struct sources
 * that holds it; empty strings, never NULL. */
struct source {
	char *id, *title, *publisher, *author, *published, *url, *accessed,
		*kind, *language, *archive, *note;
	const char *file; /* its sources file (sources.csv or sources-LABEL.csv) */
	long line;        /* line in that file */
	long archive_col; /* column of its archive field, 0 if no such column */
};

/* Dataset names and how many a directory may have (see struct dataset). */
#define DATASET_NAME_MAX 64 /* bytes of a name, NUL included */
#define DATASETS_MAX 64     /* datasets in one directory, plain ones included;
			     * also its most sources files */

struct vocab; /* a directory's declared vocabularies (data_schema.h) */
struct datasets; /* a directory's dataset files (below) */

/* The sources table of a data directory, the directory's declared
 * vocabularies (DIR/vocabulary.yaml), which every scan given this struct
 * validates with, and the list of its datasets. Small, kept whole in
 * memory. Owns its entries, path, vocab and datasets. */
struct sources {
	struct source *v;
	size_t n;
	char *path; /* sources.csv path, for diagnostics: files[0], not
		     * owned apart from it */
	char *files[DATASETS_MAX]; /* every sources file read, path first */
	size_t nfiles;
	struct vocab *vocab;
	struct datasets *datasets; /* the directory's datasets (below) */
};

/* Load and validate DIR/vocabulary.yaml (when the directory has one),
 * list DIR's datasets (datasets_list) and read its sources tables
 * (DIR/sources.csv, then each DIR/sources-LABEL.csv; an id is unique
 * across them). Validation errors go to sink (each with position);
 * returns BRIEF_EDATA if there were any, or if a file is missing or not a
 * regular file; BRIEF_EIO if an existing file cannot be read (err
 * filled). A DIR that does not exist or is not a directory is BRIEF_EDATA
 * with err filled and nothing sent to sink, for the caller to place (the
 * layout's `data:` line). On success *out is filled; release with
 * sources_free (also safe on a zeroed struct). */
enum brief_status sources_load(const char *dir, struct sources *out,
			       struct diag_sink *sink, struct diag *err);
const struct source *sources_find(const struct sources *s, const char *id);
/* The sources files read, for a message: "sources.csv", or
 * "sources.csv, sources-a.csv or sources-b.csv" (file names, not paths;
 * cut to fit size). Returns buf. */
char *sources_names(const struct sources *s, char *buf, size_t size);
void sources_free(struct sources *s);
/* Path of the vocabulary file sources_load read, NULL when the directory
 * has none (the defaults apply). An input of the briefing like the CSVs:
 * hash it with them. */
const char *sources_vocabulary(const struct sources *s);

/* The five row datasets (sources.csv is separate, above). */
enum dataset_kind {
	DS_CASUALTIES,
	DS_DISPLACEMENT,
	DS_CONTROL,
	DS_FIGURES,
	DS_EVENTS,
	DS_COUNT
};
/* "casualties" -> DS_CASUALTIES; false if unknown. */
bool dataset_kind_parse(const char *name, enum dataset_kind *out);
const char *dataset_name(enum dataset_kind k); /* "casualties" */
/* The schema's column names of a dataset (files may add optional ones). */
const char *const *dataset_columns(enum dataset_kind k, size_t *n);

/* A dataset is one file of a data directory, DIR/NAME.csv. NAME is its
 * schema's name ("casualties": the plain dataset of that schema),
 * optionally followed by '-' and a label of lowercase letters, digits,
 * '_' and '-' ("casualties-acled", as `brief import --name acled` writes
 * it). The schema decides the columns and checks; the name is what a
 * layout calls it (`dataset: casualties-acled`, {{casualties-acled:id}}).
 * Row ids are unique within one dataset: a reference always names its
 * dataset, so the same id in two files is never ambiguous.
 * dataset_parse is the one place that reads a name. */

struct dataset {
	enum dataset_kind kind;
	char name[DATASET_NAME_MAX];
};

/* Read NAME ("casualties-acled", without ".csv") into *out; false when it
 * is not a dataset name (no such schema, "sources", an empty or invalid
 * label, too long). */
bool dataset_parse(const char *name, struct dataset *out);
/* The plain dataset of schema k ("casualties"). */
struct dataset dataset_plain(enum dataset_kind k);
/* True when name names a sources table: "sources" or "sources-LABEL". */
bool dataset_sources_name(const char *name);

/* The datasets of a directory. v[k] for k < DS_COUNT is the plain dataset
 * of schema k (listed whether or not its file exists: a missing one is
 * the scan's error); the labelled files found follow, by schema, then
 * name. */
struct datasets {
	struct dataset v[DATASETS_MAX];
	size_t n;
	/* The sources tables, by name: "sources" (sources.csv) first, then
	 * every "sources-LABEL" (an import's provenance rows, written beside
	 * its labelled datasets), by name. One table of sources is read
	 * from them all (sources_load). */
	char sources[DATASETS_MAX][DATASET_NAME_MAX];
	size_t nsources;
};

/* List DIR's datasets into *out. A CSV file whose name starts like a
 * dataset's ("casualties-X.csv") but is not one is a warning to sink
 * (NULL: dropped) and is not read. More than DATASETS_MAX is BRIEF_EDATA
 * naming DIR; a directory that cannot be read, BRIEF_EIO (err filled). */
enum brief_status datasets_list(const char *dir, struct datasets *out,
				struct diag_sink *sink, struct diag *err);
/* Index of the dataset called name in d, -1 when there is none. */
int datasets_find(const struct datasets *d, const char *name);
/* "casualties, casualties-acled, displacement, ..." into buf, schema by
 * schema (truncated with "..." when it does not fit), for "no dataset 'x'
 * (have: ...)". Returns buf. */
char *datasets_names(const struct datasets *d, char *buf, size_t size);

/* One validated row, passed to a data_row_fn. Everything it points to is
 * valid only during the callback: copy what you keep. Fields are
 * NUL-terminated UTF-8 without control characters (the loader refuses
 * them); columns the file does not have read as "". */
struct data_row {
	enum dataset_kind kind;
	const char *file;  /* path of the CSV */
	long line;         /* line where the record starts */
	size_t ncols;      /* columns in the file's header */
	/* Column names, ncols of them: the schema's name for every column
	 * bound to a schema column (by its header or its HXL hashtag), the
	 * header's text for the others. */
	const char *const *names;
	const char *const *field;  /* field text, ncols of them */
	const long *col;           /* 1-based column (code points) of each field */
	const char *raw;   /* the record's first physical line, for quoting */
	size_t raw_len;
	/* Typed views of the common columns, filled when the dataset has them. */
	const char *id;
	const char *source;      /* source id, "" if none */
	const char *reported_by; /* "" if none */
	/* Whole numbers are exact: values above 2^53 are refused. */
	double value;            /* 0 when the dataset has no value column */
	bool has_high;
	double high;
	enum qualifier qualifier;
	struct date date;        /* date_from or date; year 0 if none */
	struct date date_to;     /* year 0 if empty */
	/* Field numbers, ncols of them, from data_scan_dataset_numbered
	 * (else NULL): two fields with the same number in one column of one
	 * scan hold the same text, so a consumer can remember what it made
	 * of a text by its number. The same text may have several numbers
	 * (one per thread of the scan); DATA_FID_NONE where a field has none
	 * (a column not asked for, a text of more than 48 bytes, a column
	 * with over a thousand different texts): look at its text. Numbers
	 * are below DATA_FID_SPACE. */
	const uint32_t *fid;
	/* Private to data.c: the scan's memo of data_row_column lookups
	 * (NULL in a row made elsewhere, which then searches the names). */
	struct data_colmemo *memo;
};
#define DATA_FID_SPACE 3072
#define DATA_FID_NONE UINT32_MAX

/* Index of column `name` in the row's header, or -1. */
int data_row_column(const struct data_row *row, const char *name);
/* Field by column name, "" when the file has no such column. */
const char *data_row_get(const struct data_row *row, const char *name);

/* Return BRIEF_OK to go on; any other status stops the scan and is returned
 * (fill err with a position first). */
typedef enum brief_status (*data_row_fn)(void *ctx, const struct data_row *row,
					 struct diag *err);

/* Stream DIR/<name>.csv, validating every row against its schema, the
 * vocabularies of `sources` and its table (NULL: no source check, default
 * vocabularies). Columns are bound by header name, and where a schema
 * column's name is absent, by the HXL hashtag row (found among the first
 * rows, as HXL 1.1 says; datasets/README.md lists the tags read); rows
 * see schema names for bound columns (row->names). Each valid row goes to
 * fn (may be NULL: validate only), in file order. Invalid rows are
 * reported to sink (NULL: the first one becomes a fatal error in err, and
 * warnings are dropped) and not passed on. Duplicate ids are found with a
 * hash index of 8 bytes an id up to 1,500,000 ids; past that with a filter
 * of fixed size (12 MB at most) and, when it found candidates, a second
 * read of the file that compares their ids exactly: a duplicate found
 * there has already been passed to fn (the scan fails all the same) and
 * is reported after the file's other diagnostics; without a sink it is the
 * error when it comes before the one that stopped the first read.
 * A file of 4 MB or more is read on two threads (BRIEF_THREADS in brief(1));
 * fn and sink are still called on the calling thread, in file order, with
 * the same rows and diagnostics as on one thread.
 * Returns BRIEF_OK, BRIEF_EDATA if any row was invalid or the file is
 * missing or not a regular file, BRIEF_EIO if it exists but cannot be
 * read, or what fn returned. Memory is bounded by the longest record (and
 * the first 25 records, held until the hashtag row is found), a few
 * chunks of 128 KB in flight and the id index, not the file. The file's
 * digest for the input hash is taken while it is read. */
enum brief_status data_scan(const char *dir, enum dataset_kind kind,
			    const struct sources *sources, data_row_fn fn,
			    void *ctx, struct diag_sink *sink,
			    struct diag *err);

/* data_scan of any dataset of DIR, by its name (ds->name). */
enum brief_status data_scan_dataset(const char *dir, const struct dataset *ds,
				    const struct sources *sources,
				    data_row_fn fn, void *ctx,
				    struct diag_sink *sink, struct diag *err);

/* data_scan_dataset that also numbers the fields of the columns named in
 * number[0..nnumber) (data_row.fid; names as data_row_column takes them,
 * the list read during the scan only), on the threads that parse the
 * rows: for consumers that look at the same few texts on every row. */
enum brief_status data_scan_dataset_numbered(const char *dir,
					     const struct dataset *ds,
					     const struct sources *sources,
					     const char *const *number,
					     size_t nnumber, data_row_fn fn,
					     void *ctx, struct diag_sink *sink,
					     struct diag *err);

/* Validate DIR: its vocabulary file, sources.csv, then every dataset.
 * With archive_dir, also check each row's stated_as against its source's
 * archived text (archive names are plain names inside archive_dir; a
 * symbolic link out of it is refused). Reports every problem to sink;
 * returns BRIEF_EDATA if it reported any error, BRIEF_EIO if an existing
 * file could not be read, BRIEF_ENOMEM. Both are reported to sink too
 * (err->msg is left empty). Fills *rows with the number of valid rows
 * across all files (may be NULL). */
enum brief_status data_check_dir(const char *dir, const char *archive_dir,
				 struct diag_sink *sink, size_t *rows,
				 struct diag *err);

/* Latest date (by last covered day) over every dataset in DIR, for
 * `as_of: auto`. */
enum brief_status data_latest_date(const char *dir, const struct sources *s,
				   struct date *out, struct diag *err);

#endif
