/* diag.h — the one error convention: a status code plus a positioned diagnostic. */
#ifndef BRIEF_DIAG_H
#define BRIEF_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Every fallible function returns one of these. The numeric values are the
 * process exit codes documented in brief(1), except BRIEF_ENOMEM, which
 * exits 3, and BRIEF_EINTERNAL, which exits 4. */
enum brief_status {
	BRIEF_OK = 0,
	BRIEF_EDATA = 1,  /* bad dataset or layout: the user's input is wrong */
	BRIEF_EUSAGE = 2, /* bad command line */
	BRIEF_EIO = 3,    /* cannot read or write a file */
	BRIEF_ENOMEM = 4, /* allocation failed */
	BRIEF_EINTERNAL = 5 /* a bug in brief or a library it calls, not the input */
};

enum diag_severity { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

/* Where a piece of text that reaches the page came from: a layout
 * position or a dataset field. file is not owned (it outlives whoever
 * holds the origin); line and col 0 mean unknown, as in struct diag. */
struct text_origin {
	const char *file;
	long line;
	long col;
};

#define DIAG_FILE_MAX 512
#define DIAG_MSG_MAX 512
#define DIAG_QUOTE_MAX 256

/* A diagnostic. Plain value type: no heap, copy freely. line and col are
 * 1-based; 0 means "unknown" and is left out of the printed prefix. col
 * counts Unicode code points from the start of the line. */
struct diag {
	char file[DIAG_FILE_MAX];
	long line;
	long col;
	char msg[DIAG_MSG_MAX];
	char quote[DIAG_QUOTE_MAX]; /* the offending source line, or "" */
};

/* Fill d (if non-NULL) with a position and a printf-style message; clears
 * the quote. Returns status, so callers can write `return diag_set(...)`. */
enum brief_status diag_set(struct diag *d, enum brief_status status,
			   const char *file, long line, long col,
			   const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
enum brief_status diag_vset(struct diag *d, enum brief_status status,
			    const char *file, long line, long col,
			    const char *fmt, va_list ap)
	__attribute__((format(printf, 6, 0)));

/* Remember the offending line (up to the first newline, truncated to fit). */
void diag_quote(struct diag *d, const char *text, size_t len);

/* Print "file:line:col: error: msg", then the quoted line and a caret under
 * col when a quote is present. */
void diag_print(FILE *out, const struct diag *d, enum diag_severity sev);

/* A sink collects recoverable diagnostics so a run can report them all
 * (brief check) instead of stopping at the first. Output goes to `out`
 * (NULL: count only). Owns nothing. */
struct diag_sink {
	FILE *out;
	unsigned errors;
	unsigned warnings;
	unsigned max_errors; /* stop printing (not counting) past this; 0 = no cap */
};

void diag_emit(struct diag_sink *sink, const struct diag *d,
	       enum diag_severity sev);

/* Exit code for a status (see brief(1)). */
int brief_exit_code(enum brief_status status);

/* Short human name of a status, e.g. "I/O error". */
const char *brief_status_name(enum brief_status status);

#endif
