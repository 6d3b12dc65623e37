/* csv_load.h — RFC 4180 CSV (strict: no stray quotes, nothing after a
 * closing quote) streamed through brief's own parser, with the line and
 * column of every field, so every diagnostic has a position. */
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
 * BRIEF_EIO. Memory: a read buffer of a megabyte (more only for a record
 * longer than that, within the caps), never the file. Within one line the
 * first problem in byte order is the one reported. */
enum brief_status csv_load(const char *path, csv_record_fn fn, void *ctx,
			   struct diag *err);

/* Open path for reading as csv_load does (the same statuses and
 * messages); *out is NULL on failure. For other readers of the data
 * directory (archived texts, the vocabulary file). */
enum brief_status csv_open(const char *path, FILE **out, struct diag *err);

/* The same over an open stream; name is used in diagnostics. */
enum brief_status csv_load_stream(FILE *in, const char *name, csv_record_fn fn,
				  void *ctx, struct diag *err);

struct file_digest; /* sha256.h */
/* csv_load_stream that also folds every byte it reads into dg (the input
 * hash, computed on the way: see infile_set_digest). dg->total then equals
 * the file's size when the whole file was read. */
enum brief_status csv_load_stream_digest(FILE *in, const char *name,
					 csv_record_fn fn, void *ctx,
					 struct file_digest *dg,
					 struct diag *err);

/* ---- for a reader that splits a big file (data.c, two threads) ---- */

/* Writable bytes a buffer given to csv_parse_buffer needs after its end. */
#define CSV_PAD 64

/* Parse buf[0, len) as a whole input: its end is the end of the input.
 * Lines are counted from line0 and records from index0; a UTF-8 BOM at the
 * start is skipped when bom is set. The fields are cut out in buf (it is
 * modified, CSV_PAD bytes past len included); records and statuses as
 * csv_load_stream. */
enum brief_status csv_parse_buffer(char *buf, size_t len, const char *name,
				   long line0, size_t index0, int bom,
				   csv_record_fn fn, void *ctx,
				   struct diag *err);

/* Where buf[0, len), which starts at a record boundary, may be cut so that
 * both parts start at one: just after the last line end that is outside
 * quotes, judged by the parity of the quotes before it. Where the file is
 * valid that is exactly where a record ends (a parser that has accepted
 * everything before it is outside quotes there); where it is not, the
 * parser reports the first problem before it. Returns the cut (0: none in
 * buf) and the physical lines before it in *lines (LF, CRLF and bare CR
 * each one, as the parser counts them). A CR that is buf's last byte is
 * never taken (an LF may follow). */
size_t csv_split(const char *buf, size_t len, long *lines);

/* The same with another field separator (';' or '\t' for exports that use
 * them); csv_load and csv_load_stream use ','. A quote, CR, LF or NUL as
 * delim is BRIEF_EINTERNAL. */
enum brief_status csv_load_delim(const char *path, char delim, csv_record_fn fn,
				 void *ctx, struct diag *err);
enum brief_status csv_load_stream_delim(FILE *in, const char *name, char delim,
					csv_record_fn fn, void *ctx,
					struct diag *err);

#endif
