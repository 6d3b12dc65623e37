/* data_view.h — how the stages look at dataset rows, written once: which
 * columns are dates or numbers (from the schema), what `date` means in a
 * dataset with periods, a row filter, and how a source is named. */
#ifndef BRIEF_DATA_VIEW_H
#define BRIEF_DATA_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "data.h"

/* Where a layout key was written (layout file coordinates); 0 = unknown. */
struct srcpos {
	long line, col;
};

/* `column: value` or `column: [v1, v2]` as the layout wrote it: a row
 * passes when its field equals one of the values; every term of a filter
 * must pass. Strings owned by whoever built it (the layout parser). */
struct row_filter {
	char *column;
	char **values;
	size_t nvalues;
	struct srcpos at;
};

/* The schema column a layout name means in dataset k: `date` is
 * date_from where the dataset has periods (casualties, displacement),
 * and date_from is `date` where it has single dates. Other names are
 * returned as given. */
const char *data_column_resolve(enum dataset_kind k, const char *name);
/* Whether the schema of k has the column (after data_column_resolve). */
bool data_column_known(enum dataset_kind k, const char *name);
/* Whether the schema types the column as a date (or a number: value,
 * value_high). Columns outside the schema are neither. */
bool data_column_is_date(enum dataset_kind k, const char *name);
bool data_column_is_number(enum dataset_kind k, const char *name);

/* The column index in row's header of each filter term (-1 when the file
 * lacks it: the field then reads as ""), into col[0..n). */
void row_filter_bind(const struct row_filter *f, size_t n,
		     const struct data_row *row, int *col);
/* Whether row passes every term, with columns from row_filter_bind. */
bool row_filter_passes(const struct row_filter *f, size_t n, const int *col,
		       const struct data_row *row);
/* row_filter_passes remembering each term's verdict by the number of the
 * row's field (data_row.fid) in verdict, n * DATA_FID_SPACE bytes zeroed
 * before the first row (NULL: no memory), so that a term compares each
 * distinct text once. */
bool row_filter_passes_memo(const struct row_filter *f, size_t n,
			    const int *col, const struct data_row *row,
			    unsigned char *verdict);

/* How a source is named in a source line: its publisher, else author,
 * else title, else its id ("unknown" names nothing). */
const char *source_display_name(const struct source *s);

#endif
