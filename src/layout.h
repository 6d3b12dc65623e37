/* layout.h — layout files (CommonMark + YAML front matter + fenced YAML
 * blocks) parsed and resolved against their datasets into a struct doc. */
#ifndef BRIEF_LAYOUT_H
#define BRIEF_LAYOUT_H

#include "diag.h"
#include "doc.h"

struct layout_opts {
	const char *data_dir; /* overrides front matter `data` when non-NULL */
	bool warn_uncited;    /* brief check: warn about uncited numbers */
	/* The report the build writes (-o), beside which the last edition's
	 * record is, for a `changes` block; NULL: reports/NAME.pdf, the
	 * build's default. */
	const char *report;
	/* The catalogues (locale/<lang>.yaml, l10n.h) the document's language is
	 * looked up in; NULL: generated text in built-in English. */
	const char *locale_dir;
	/* Called once, with ctx, as soon as the data directory is resolved
	 * and readable, before any dataset is read: the build starts the
	 * record of inputs there (snapshot.h), so that it is written while
	 * the data is scanned. layout_name is the layout's file name without
	 * .md; both strings are valid during the call only. NULL: none. */
	void (*data_dir_known)(void *ctx, const char *layout_name,
			       const char *data_dir);
	void *ctx;
};

/* Parse and resolve the layout at path: front matter, blocks, citations,
 * figure references, tables and charts (aggregated from the data). Errors
 * and warnings go to sink with the layout's own line numbers; returns
 * BRIEF_EDATA when any error was reported (then *out is NULL), BRIEF_EIO
 * when a file cannot be read (err filled). */
enum brief_status layout_load(const char *path, const struct layout_opts *opts,
			      struct doc **out, struct diag_sink *sink,
			      struct diag *err);

#endif
