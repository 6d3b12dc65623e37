/* data_schema.h — the column tables behind data.c, the HXL hashtag rules
 * (data_hxl.c) and the declared vocabularies (data_vocab.c), shared with
 * data_check.c. Private to the data layer. */
#ifndef BRIEF_DATA_SCHEMA_H
#define BRIEF_DATA_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "csv_load.h"
#include "data.h"

enum coltype {
	T_ID,           /* [a-z0-9][a-z0-9_-]*, unique in the file */
	T_TEXT,
	T_DATE,         /* partial ISO 8601 */
	T_DATE_UNKNOWN, /* a date or "unknown" */
	T_VALUE,        /* non-negative number; decimals only for percent */
	T_HIGH,         /* as T_VALUE, >= value */
	T_VOCAB,        /* one word of the column's vocabulary */
	T_SOURCE,       /* an id in sources.csv */
	T_URL,          /* http(s) */
	T_LANG,         /* ISO 639 code or "unknown" */
	T_NUMBER,       /* non-negative number, no typed view (value_best) */
	T_COORD,        /* decimal degrees, may be negative */
	T_FILENAME      /* a plain file name: no '/', not "." or ".." */
};

enum {
	COL_REQUIRED = 1, /* the header must have the column */
	COL_NONEMPTY = 2, /* every row must fill it */
	COL_EXTRA = 4,    /* optional column of imported data, not listed
			   * by dataset_columns */
	COL_FIXED = 8     /* T_VOCAB: brief's own words (it words them itself);
			   * a vocabulary file may not change them */
};

struct coldef {
	const char *name;
	enum coltype type;
	unsigned flags;
	/* T_VOCAB: the default words, NULL-terminated; NULL for an open
	 * vocabulary (any non-empty text unless the directory declares a
	 * list). */
	const char *const *vocab;
	const char *hxl;          /* brief's HXL tag: base and attributes */
	/* Standard HXL tags also read as this column, NULL-terminated (or
	 * NULL). Same form as hxl. */
	const char *const *aliases;
};

struct schema {
	const char *name;
	const struct coldef *cols;
	size_t ncols;
};

#define SCHEMA_MAX_COLS 32

/* k in 0..DS_COUNT-1, or DS_COUNT for sources.csv. */
const struct schema *schema_get(enum dataset_kind k);
const struct schema *schema_sources(void);
/* Schema by file name ("casualties", "sources"); NULL if unknown. *k is
 * its index as for schema_get. */
const struct schema *schema_by_name(const char *name, int *k);

/* DIR/NAME.csv, malloc'd (caller frees), NULL when out of memory. */
char *data_path(const char *dir, const char *name);

/* ---- HXL hashtags: hxl.h (data_hxl.c), shared with brief import ---- */
#include "hxl.h"

/* ---- declared vocabularies (data_vocab.c) ---- */

#define VOCAB_FILE "vocabulary.yaml"
#define VOCAB_MAX_WORDS 1000
#define VOCAB_WORD_MAX 200   /* bytes */
#define VOCAB_FILE_MAX (1L << 20)

/* The words one column accepts. */
struct vocab_list {
	const char *const *words; /* n of them, in the order given */
	const char *const *sorted; /* the same, sorted (for n > 16), or NULL */
	size_t n;
	bool any;      /* any non-empty text */
	bool declared; /* from the vocabulary file */
};

/* One column's declaration in the file. Owns its words. */
struct vocab_decl {
	int ds;      /* schema index (schema_get), DS_COUNT for sources */
	size_t col;  /* index in that schema's cols */
	char **words;
	const char **sorted;
	size_t n;
};

/* A data directory's vocabulary file, parsed and validated. Owns path and
 * the declarations. A zeroed struct is "no file": the defaults. */
struct vocab {
	char *path;     /* DIR/vocabulary.yaml when the directory has one */
	bool broken;    /* it had errors (reported): vocabulary checks are off
			 * for the columns a file could change */
	struct vocab_decl *decl;
	size_t ndecl;
};

/* Read DIR/vocabulary.yaml if it exists. Every problem goes to sink (or,
 * without a sink, the first becomes err) with its position; returns
 * BRIEF_EDATA if there was any (out->broken set), BRIEF_EIO when it exists
 * but cannot be read, BRIEF_ENOMEM. A directory without the file gives
 * BRIEF_OK and a zeroed *out. Release with vocab_free. */
enum brief_status vocab_load(const char *dir, struct vocab *out,
			     struct diag_sink *sink, struct diag *err);
void vocab_free(struct vocab *v);
/* The words column cd (index col of schema ds) accepts under v (NULL: the
 * defaults). */
void vocab_list_for(const struct vocab *v, int ds, size_t col,
		    const struct coldef *cd, struct vocab_list *out);
/* Index of s in the list, -1 if absent (any: 0 for every s). Inline: it
 * runs for every vocabulary field of every row. */
static inline int vocab_lookup(const struct vocab_list *l, const char *s)
{
	size_t i, lo, hi;

	if (l->any)
		return 0;
	if (!l->sorted) {
		for (i = 0; i < l->n; i++)
			if (l->words[i][0] == s[0] && strcmp(l->words[i], s) == 0)
				return (int)i;
		return -1;
	}
	lo = 0;
	hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(l->sorted[mid], s);

		if (c == 0)
			return 0; /* the index is only needed for qualifiers */
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* ---- the scan, with the pieces data_check.c combines ---- */

/* DIR must be a directory: BRIEF_EDATA "no such directory" / "not a
 * directory" naming it, BRIEF_EIO when it cannot be looked at. */
enum brief_status data_dir_check(const char *dir, struct diag *err);

/* data_scan with an explicit vocabulary (NULL: defaults) and sources
 * (NULL: no source check), counting the valid rows into *rows. */
enum brief_status data_scan_with(const char *dir, enum dataset_kind kind,
				 const struct sources *sources,
				 const struct vocab *vocab, data_row_fn fn,
				 void *ctx, struct diag_sink *sink,
				 size_t *rows, struct diag *err);
/* data_scan_with of any dataset of DIR (data_scan_dataset). */
enum brief_status data_scan_dataset_with(const char *dir,
					 const struct dataset *ds,
					 const struct sources *sources,
					 const struct vocab *vocab,
					 data_row_fn fn, void *ctx,
					 struct diag_sink *sink, size_t *rows,
					 struct diag *err);
/* Load DIR/sources.csv validated against vocab (sources_load without the
 * vocabulary file). The vocab is not taken over. */
enum brief_status sources_load_with(const char *dir, const struct vocab *vocab,
				    struct sources *out,
				    struct diag_sink *sink, struct diag *err);

/* Tests only: the duplicate-id index goes to its fixed-size filter past
 * exact_rows ids, and the filter has filter_bytes (0, 0: the defaults,
 * 1,500,000 ids and up to 12 MB). Not thread-safe: before any scan. */
void data_tune_ids(size_t exact_rows, size_t filter_bytes);

#endif
