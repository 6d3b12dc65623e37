/* data_view.c — column types from the schema, the row filter and source
 * names (data_view.h). */
#include "data_view.h"

#include <string.h>

#include "data_schema.h"

static bool has_periods(enum dataset_kind k)
{
	return k == DS_CASUALTIES || k == DS_DISPLACEMENT;
}

const char *data_column_resolve(enum dataset_kind k, const char *name)
{
	if (!name)
		return NULL;
	if (strcmp(name, "date") == 0 && has_periods(k))
		return "date_from";
	if (strcmp(name, "date_from") == 0 && !has_periods(k) &&
	    k != DS_COUNT)
		return "date";
	return name;
}

static const struct coldef *column_def(enum dataset_kind k, const char *name)
{
	const struct schema *s;

	if (!name || (unsigned)k > DS_COUNT)
		return NULL;
	s = k == DS_COUNT ? schema_sources() : schema_get(k);
	name = data_column_resolve(k, name);
	for (size_t i = 0; i < s->ncols; i++)
		if (strcmp(s->cols[i].name, name) == 0)
			return &s->cols[i];
	return NULL;
}

bool data_column_known(enum dataset_kind k, const char *name)
{
	return column_def(k, name) != NULL;
}

bool data_column_is_date(enum dataset_kind k, const char *name)
{
	const struct coldef *d = column_def(k, name);

	return d && (d->type == T_DATE || d->type == T_DATE_UNKNOWN);
}

bool data_column_is_number(enum dataset_kind k, const char *name)
{
	const struct coldef *d = column_def(k, name);

	return d && (d->type == T_VALUE || d->type == T_HIGH);
}

void row_filter_bind(const struct row_filter *f, size_t n,
		     const struct data_row *row, int *col)
{
	for (size_t i = 0; i < n; i++) {
		int c = data_row_column(row, f[i].column);

		/* A file without the named column may have what it means. */
		if (c < 0)
			c = data_row_column(
				row, data_column_resolve(row->kind, f[i].column));
		col[i] = c;
	}
}

static bool term_passes(const struct row_filter *f, const char *v)
{
	for (size_t j = 0; j < f->nvalues; j++)
		if (strcmp(v, f->values[j]) == 0)
			return true;
	return false;
}

bool row_filter_passes_memo(const struct row_filter *f, size_t n,
			    const int *col, const struct data_row *row,
			    unsigned char *verdict)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t fid = verdict && col[i] >= 0 && row->fid
				       ? row->fid[col[i]]
				       : DATA_FID_NONE;
		unsigned char *m = fid < DATA_FID_SPACE
					   ? &verdict[i * DATA_FID_SPACE + fid]
					   : NULL;
		bool ok;

		if (m && *m) {
			ok = *m == 1;
		} else {
			ok = term_passes(&f[i],
					 col[i] >= 0 ? row->field[col[i]] : "");
			if (m)
				*m = ok ? 1 : 2;
		}
		if (!ok)
			return false;
	}
	return true;
}

bool row_filter_passes(const struct row_filter *f, size_t n, const int *col,
		       const struct data_row *row)
{
	return row_filter_passes_memo(f, n, col, row, NULL);
}

static bool known(const char *s)
{
	return s && *s && strcmp(s, "unknown") != 0;
}

const char *source_display_name(const struct source *s)
{
	return known(s->publisher) ? s->publisher
	       : known(s->author)  ? s->author
	       : known(s->title)   ? s->title
				   : s->id;
}
