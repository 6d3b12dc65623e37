/* import.h — `brief import`: an export of ACLED, UCDP GED, IDMC or an
 * HXL-tagged HDX file, read through a mapping (YAML, see
 * docs/import.md), written as brief's datasets into a directory of its
 * own, with a sources.csv row that records where the rows came from. And
 * the reverse check: recompute an imported directory from its archived
 * export (`brief check --archive`). */
#ifndef BRIEF_IMPORT_H
#define BRIEF_IMPORT_H

#include <stddef.h>

#include "data.h"
#include "diag.h"

/* What to import. Strings are not owned. */
struct import_opts {
	const char *format;   /* acled, ucdp-ged, idmc, hxl; NULL with map */
	const char *map;      /* --map file, or NULL: the shipped mapping(s) */
	const char *mapdir;   /* directory of the shipped mappings */
	const char *into;     /* output directory (created if missing) */
	const char *accessed; /* export/access date, NULL: each file's mtime */
	/* --name LABEL: write the import's files under labelled names
	 * beside curated ones (casualties-LABEL.csv, sources-LABEL.csv,
	 * import-LABEL.yaml), only the datasets the mapping writes to;
	 * NULL: the plain names, a directory of its own. */
	const char *name;
	const char *const *files;
	size_t nfiles;
};

/* What an import did, for the summary line. */
struct import_result {
	size_t rows_in;              /* data records read, all files */
	size_t rows_out[DS_COUNT];   /* rows written per dataset */
	char mapping[512];           /* path of the mapping used */
};

/* The formats `brief import` knows, NULL-terminated. */
extern const char *const import_formats[];

/* True when label can name an import (--name): what a dataset's label
 * may be (data.h). */
bool import_label_ok(const char *label);

/* Run an import. Problems in the export or the mapping are reported to
 * sink, each positioned (file:line:col), and make it BRIEF_EDATA; nothing
 * in `into` changes unless every row was read and every file written
 * passes the dataset checks. Files in `into` are replaced one by one with
 * rename(2); a dataset file there that an earlier import did not write is
 * never replaced (BRIEF_EDATA). Memory: one record, plus one entry per
 * group for aggregated outputs. */
enum brief_status import_run(const struct import_opts *o,
			     struct import_result *res,
			     struct diag_sink *sink, struct diag *err);

/* For every source of DIR/sources.csv that an import wrote (it has a
 * sha256), find its export in archive_dir, check the SHA-256, import it
 * again with DIR's import-map.yaml into a temporary directory and compare
 * the rows of that source line by line. Mismatches go to sink. *checked
 * counts the sources verified (may be NULL). */
enum brief_status import_verify_archive(const char *dir,
					const char *archive_dir,
					struct diag_sink *sink, size_t *checked,
					struct diag *err);

#endif
