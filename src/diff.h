/* diff.h — what changed between two versions of a data directory: rows
 * added, removed and changed (by id) in each dataset, figures whose worded
 * value changed, and contested quantities that are new or resolved. The
 * engine behind `brief diff`; it reports through callbacks so that any
 * output (text, JSON, a layout block) can be built on it.
 *
 * Memory: the datasets are streamed. Per row of the old side the engine
 * keeps an index entry of about 35 bytes (hashes of the id, the content
 * and the contested key, and where the row is on the new side); per
 * changed row 16 bytes plus its new text in a temporary file; and the
 * claims of the quantities that changes touch (only those can become
 * contested or resolved). A million rows take about 40 MB, not the
 * files' size. */
#ifndef BRIEF_DIFF_H
#define BRIEF_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "data.h"
#include "diag.h"

/* A file the engine compares, as passed to every callback. The engine
 * reports sources first (the other files cite it), then, schema by
 * schema, the plain dataset and the labelled ones either side has
 * ("casualties", "casualties-acled", "displacement", ...). */
struct diff_file {
	const char *name; /* "sources", "casualties-acled" (no ".csv") */
	bool is_sources;
	struct dataset ds; /* the dataset, when not sources */
};

/* A row, as passed to a callback: valid only during the call. */
struct diff_row {
	const char *id;
	long line;                 /* in its file (old or new side) */
	size_t ncols;
	const char *const *names;  /* the file's columns */
	const char *const *values;
	const char *figure;  /* the worded figure ("more than 5,000"), "" if none */
	const char *summary; /* one line saying what the row is */
};

/* A changed row: the columns whose text differs (a column one side does
 * not have reads as ""). */
struct diff_change {
	const char *id;
	long old_line, new_line;
	size_t n;
	const char *const *columns;
	const char *const *old_values;
	const char *const *new_values;
	/* Worded figures, "" for a dataset without figures; they differ when
	 * the figure as printed changed. */
	const char *old_figure, *new_figure;
	const char *summary; /* of the new row */
	/* The new row whole (its source, say). */
	size_t ncols;
	const char *const *names;
	const char *const *values;
};

struct diff_claim {
	const char *id, *reported_by, *figure, *source;
};

/* A contested quantity (contested.h) that one side has and the other
 * does not. */
struct diff_quantity {
	const char *words; /* "2020 war, Armenian side, killed, all, 27 September – 9 November 2020" */
	size_t nclaims;
	const struct diff_claim *claims; /* in data order */
};

struct diff_counts {
	size_t added, removed, changed, unchanged;
	bool old_missing, new_missing; /* the file is not on that side */
};

/* The callbacks, each optional (NULL). `file` says which file (valid
 * during the call). For each file in turn the engine calls added for every
 * new row (new file order), then removed and changed in old file order,
 * then quantity for contested quantities (is_new: only the new side has
 * it; else resolved), then counts. A callback returning other than
 * BRIEF_OK stops the comparison with that status (fill err first). */
struct diff_output {
	void *ctx;
	enum brief_status (*added)(void *ctx, const struct diff_file *file,
				   const struct diff_row *r, struct diag *err);
	enum brief_status (*removed)(void *ctx, const struct diff_file *file,
				     const struct diff_row *r, struct diag *err);
	enum brief_status (*changed)(void *ctx, const struct diff_file *file,
				     const struct diff_change *c,
				     struct diag *err);
	enum brief_status (*quantity)(void *ctx, const struct diff_file *file,
				      bool is_new,
				      const struct diff_quantity *q,
				      struct diag *err);
	enum brief_status (*counts)(void *ctx, const struct diff_file *file,
				    const struct diff_counts *c,
				    struct diag *err);
};

/* Compare the data directories old_dir and new_dir. Both are validated
 * as they are read: invalid rows go to old_sink / new_sink and make the
 * result BRIEF_EDATA after the file they are in (nothing more is
 * compared). A missing dataset file counts as an empty one. BRIEF_EIO
 * when a directory or file cannot be read (err filled). */
enum brief_status diff_dirs(const char *old_dir, const char *new_dir,
			    const struct diff_output *out,
			    struct diag_sink *old_sink,
			    struct diag_sink *new_sink, struct diag *err);

#endif
