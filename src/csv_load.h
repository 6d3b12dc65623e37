/* csv_load.h — RFC 4180 CSV streamed through libcsv (strict mode), with the
 * line and column of every field, so every diagnostic has a position. */
#ifndef BRIEF_CSV_LOAD_H
#define BRIEF_CSV_LOAD_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"

/* Caps: a longer line, field or record is an error, not unbounded memory. */
#define CSV_MAX_LINE (1L << 20)
#define CSV_MAX_FIELD (1L << 16)
#define CSV_MAX_FIELDS 256

/* One field: NUL-terminated text (quotes removed, "" unescaped, whitespace
 * kept) and where it starts (1-based line, column in code points; a quoted
 * field starts at its opening quote). */
struct csv_field {
	const char *text;
	size_t len;
	long line;
	long col;
};

/* One record. Valid only during the callback; the loader owns it. raw is
 * the record's first physical line without its line ending. */
struct csv_record {
	const struct csv_field *fields;
	size_t nfields;
	long line;
	const char *raw;
	size_t raw_len;
	size_t index; /* 0 for the first record (the header) */
};

/* BRIEF_OK to go on; anything else stops the load and is returned. */
typedef enum brief_status (*csv_record_fn)(void *ctx,
					   const struct csv_record *rec,
					   struct diag *err);

/* Read the file at path record by record. A UTF-8 byte order mark is
 * skipped; LF, CRLF and bare CR (classic Mac) line ends are accepted, in
 * any mix, and each counts as one line for positions; empty lines are
 * skipped. Malformed quoting, invalid UTF-8, control characters (C0 but
 * tab, DEL, C1; NUL included) and over-long lines are BRIEF_EDATA with the
 * position in err (and the line quoted up to the offending byte). A path
 * that does not exist or is not a regular file is BRIEF_EDATA naming it
 * (never a wait on a FIFO); an existing file that cannot be read is
 * BRIEF_EIO. Memory: one line and one record, never the file. */
enum brief_status csv_load(const char *path, csv_record_fn fn, void *ctx,
			   struct diag *err);

/* Open path for reading as csv_load does (the same statuses and
 * messages); *out is NULL on failure. For other readers of the data
 * directory (archived texts, the vocabulary file). */
enum brief_status csv_open(const char *path, FILE **out, struct diag *err);

/* The same over an open stream; name is used in diagnostics. */
enum brief_status csv_load_stream(FILE *in, const char *name, csv_record_fn fn,
				  void *ctx, struct diag *err);

/* The same with another field separator (';' or '\t' for exports that use
 * them); csv_load and csv_load_stream use ','. A quote, CR, LF or NUL as
 * delim is BRIEF_EINTERNAL. */
enum brief_status csv_load_delim(const char *path, char delim, csv_record_fn fn,
				 void *ctx, struct diag *err);
enum brief_status csv_load_stream_delim(FILE *in, const char *name, char delim,
					csv_record_fn fn, void *ctx,
					struct diag *err);

#endif
