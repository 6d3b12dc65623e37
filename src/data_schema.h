/* data_schema.h — the column tables behind data.c, shared with data_check.c.
 * Private to the data layer. */
#ifndef BRIEF_DATA_SCHEMA_H
#define BRIEF_DATA_SCHEMA_H

#include <stddef.h>

#include "data.h"

enum coltype {
	T_ID,           /* [a-z0-9][a-z0-9_-]*, unique in the file */
	T_TEXT,
	T_DATE,         /* partial ISO 8601 */
	T_DATE_UNKNOWN, /* a date or "unknown" */
	T_VALUE,        /* non-negative number; decimals only for percent */
	T_HIGH,         /* as T_VALUE, >= value */
	T_VOCAB,
	T_SOURCE,       /* an id in sources.csv */
	T_URL,          /* http(s) */
	T_LANG,         /* ISO 639 code or "unknown" */
	T_NUMBER,       /* non-negative number, no typed view (value_best) */
	T_COORD         /* decimal degrees, may be negative */
};

enum {
	COL_REQUIRED = 1, /* the header must have the column */
	COL_NONEMPTY = 2, /* every row must fill it */
	COL_EXTRA = 4     /* optional column of imported data, not listed
			   * by dataset_columns */
};

struct coldef {
	const char *name;
	enum coltype type;
	unsigned flags;
	const char *const *vocab; /* NULL-terminated, for T_VOCAB */
	const char *hxl;          /* expected HXL tag: base and attributes */
};

struct schema {
	const char *name;
	const struct coldef *cols;
	size_t ncols;
};

const struct schema *schema_get(enum dataset_kind k);
const struct schema *schema_sources(void);

/* DIR/NAME.csv, malloc'd (caller frees), NULL when out of memory. */
char *data_path(const char *dir, const char *name);

/* data_scan that also counts the valid rows. */
enum brief_status data_scan_count(const char *dir, enum dataset_kind kind,
				  const struct sources *sources, data_row_fn fn,
				  void *ctx, struct diag_sink *sink,
				  size_t *rows, struct diag *err);

#endif
