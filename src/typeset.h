/* typeset.h — a struct doc laid out on pages and written as PDF with
 * libharu, or as a plain-text dump of the layout for tests. */
#ifndef BRIEF_TYPESET_H
#define BRIEF_TYPESET_H

#include <stdbool.h>
#include <stdio.h>

#include "doc.h"
#include "fontset.h"

struct typeset_opts {
	bool pdfa;            /* PDF/A-1b */
	const char *icc_path; /* sRGB profile for PDF/A */
	long long epoch;      /* creation date (seconds), -1 = from doc as_of */
	const char *version;  /* "brief 0.1.0", for the Creator field */
	/* Where the document's own errors go (each character the fonts
	 * cannot draw, each PDF/A limit it passes); NULL: the first one
	 * into err. Not owned. */
	struct diag_sink *sink;
};

/* Lay out d, check that everything it draws can be drawn, and write the
 * PDF into a malloc'd buffer (*buf, *len; caller frees): every step but
 * writing the file, so `brief check` runs it too. Returns BRIEF_EDATA when
 * the document cannot be typeset as written (the errors are in
 * opts->sink, each at the layout position or dataset field it is about),
 * BRIEF_ENOMEM, or BRIEF_EINTERNAL when the PDF writer fails on a document
 * that passed every check. On error *buf is NULL and err says why (empty
 * when the errors went to the sink). */
enum brief_status typeset_pdf(const struct doc *d, const struct fontset *fs,
			      const struct typeset_opts *opts,
			      unsigned char **buf, size_t *len,
			      struct diag *err);

/* Lay out d, check it as typeset_pdf does, and print pages, boxes and
 * lines as text (brief build --dump). */
enum brief_status typeset_dump(const struct doc *d, const struct fontset *fs,
			       const struct typeset_opts *opts, FILE *out,
			       struct diag *err);

#endif
