/* layout_table.c — ```table blocks: dataset rows through a filter, worded
 * cell by cell (figures, dates, citations), and the `contested: true` form
 * that lists every quantity with more than one claim, side by side. */
#include "l10n.h"
#include "layout_int.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "contested.h"
#include "data_view.h"
#include "figure.h"

/* One kept row: the raw fields of the shown (or key) columns plus the
 * figure, copied out of the scan. */
struct trow {
	char **f;
	int ds;     /* its dataset (index, as lay_ds) */
	long line;  /* where the row starts in its dataset */
	long *col;  /* column of each field f[i], 0 when it has none */
	long who_col; /* column of reported_by, 0 when none */
	struct figure fig; /* owned strings */
	bool additive; /* one part of its claimant's total (imported events) */
	size_t index;
	/* Contested: the row's claim under the table's key (contested.h:
	 * the one rule for what is the same quantity and what disagrees),
	 * and its period, from and to (to.year 0: a single date). */
	struct contested_claim claim;
	struct date from, to;
};

struct tcol {
	char *name;
	char *label; /* NULL: from the name */
	long line, col;
};

struct table;

/* One dataset a table reads: the context its rows come with. */
struct tsrc {
	struct table *t;
	int ds;    /* index, as lay_ds */
	bool seen; /* a row came from the shared scan (header check deferred) */
};

struct table {
	struct lay *L;
	enum dataset_kind kind; /* every dataset it reads has this schema */
	const char *dsname;     /* the one being read, for messages */
	/* The datasets it reads: one, or (a contested table) every one of
	 * its schema, curated and imported claims side by side. */
	struct tsrc src[DATASETS_MAX];
	size_t nsrc;
	int cur_ds; /* the dataset rows now come from, -1 before the first */
	struct tcol *cols;  /* shown columns, or the key columns (contested) */
	size_t ncols;
	const char **keynames; /* contested: cols' names, NULL-terminated */
	struct chart_filter *filters;
	size_t nfilters;
	int *fcol;    /* filter columns, bound on the first row */
	bool fbound;
	struct figure_style style; /* `format:` of the figures */
	char *sort;
	long sort_line, sort_col;
	bool contested;
	size_t max_rows;
	struct trow *rows;
	size_t nrows, rcap;
	bool checked, bad, too_many;
	long line, col;
};

/* The row's column of field `name` as table_field reads it, or -1. */
static int table_field_index(const struct data_row *row, const char *name)
{
	int i = data_row_column(row, name);

	return i >= 0 ? i
		      : data_row_column(row, data_column_resolve(row->kind, name));
}

static const char *table_field(const struct data_row *row, const char *name)
{
	/* `date` means date_from where a dataset has periods (as in charts). */
	if (data_row_column(row, name) < 0)
		return data_row_get(row, data_column_resolve(row->kind, name));
	return data_row_get(row, name);
}

static bool table_has_column(const struct data_row *row, enum dataset_kind kind,
			     const char *name)
{
	size_t n, i;
	const char *const *cols;

	if (strcmp(name, "date") == 0)
		return true;
	if (row)
		return data_row_column(row, name) >= 0;
	cols = dataset_columns(kind, &n);
	for (i = 0; i < n; i++)
		if (strcmp(cols[i], name) == 0)
			return true;
	return false;
}

/* Unknown columns (shown, sort, filter) are errors at their keys. */
static void table_check_columns(struct table *t, const struct data_row *row)
{
	struct lay *L = t->L;
	size_t i;
	const char *sort;

	t->checked = true;
	for (i = 0; i < t->ncols; i++)
		if (!table_has_column(row, t->kind, t->cols[i].name) &&
		    /* the hidden sort column: reported as the sort below */
		    (t->cols[i].line != t->sort_line ||
		     t->cols[i].col != t->sort_col)) {
			lay_error(L, t->cols[i].line, t->cols[i].col,
				  "table: no column '%s' in %s", t->cols[i].name,
				  t->dsname);
			t->bad = true;
		}
	for (i = 0; i < t->nfilters; i++)
		if (!table_has_column(row, t->kind, t->filters[i].column)) {
			lay_error(L, t->filters[i].at.line, t->filters[i].at.col,
				  "table filter: no column '%s' in %s",
				  t->filters[i].column, t->dsname);
			t->bad = true;
		}
	sort = t->sort && t->sort[0] == '-' ? t->sort + 1 : t->sort;
	if (sort && !table_has_column(row, t->kind, sort)) {
		lay_error(L, t->sort_line, t->sort_col,
			  "table sort: no column '%s' in %s", sort, t->dsname);
		t->bad = true;
	}
}

/* The data layer's row filter, its columns bound on the first row of each
 * file (table_from). 1: the row passes, 0: it does not, -1: out of
 * memory. */
static int table_passes(struct table *t, const struct data_row *row)
{
	if (!t->nfilters)
		return 1;
	if (!t->fbound) {
		int *col = calloc(t->nfilters, sizeof *col);

		if (!col)
			return -1;
		row_filter_bind(t->filters, t->nfilters, row, col);
		free(t->fcol);
		t->fcol = col;
		t->fbound = true;
	}
	return row_filter_passes(t->filters, t->nfilters, t->fcol, row);
}

static void trow_free(struct trow *r, size_t ncols)
{
	size_t i;

	for (i = 0; r->f && i < ncols; i++)
		free(r->f[i]);
	free(r->f);
	free(r->col);
	figure_clear(&r->fig);
}

/* A contested table's row: its claim and period under the table's key. */
static enum brief_status table_keep_claim(struct table *t,
					  const struct data_row *row,
					  struct trow *r)
{
	if (!t->keynames) {
		t->keynames = calloc(t->ncols + 1, sizeof *t->keynames);
		if (!t->keynames)
			return BRIEF_ENOMEM;
		for (size_t i = 0; i < t->ncols; i++)
			t->keynames[i] = t->cols[i].name;
	}
	contested_claim_of(row, t->keynames, (uint32_t)(r->index - 1),
			   &r->claim);
	contested_period(row, t->keynames, &r->from, &r->to);
	return BRIEF_OK;
}

/* Rows now come from dataset ds: columns are bound (and, with check,
 * the header checked) again for its file. */
static void table_from(struct table *t, int ds, bool check)
{
	if (ds == t->cur_ds)
		return;
	t->cur_ds = ds;
	t->dsname = lay_ds(t->L, ds)->name;
	t->fbound = false;
	if (check)
		t->checked = false;
}

/* Keep a row that passes the filter (the header check is done). */
static enum brief_status table_keep(struct table *t, int ds,
				    const struct data_row *row)
{
	struct trow *r, *v;
	size_t i;

	int pass;

	if (t->bad || t->too_many)
		return BRIEF_OK;
	pass = table_passes(t, row);
	if (pass < 0)
		return BRIEF_ENOMEM;
	if (!pass)
		return BRIEF_OK;
	if (t->nrows >= t->max_rows) {
		t->too_many = true;
		return BRIEF_OK;
	}
	if (array_reserve(&t->rows, &t->rcap, t->nrows + 1, sizeof *t->rows, 0))
		return BRIEF_ENOMEM;
	v = t->rows;
	r = &v[t->nrows];
	memset(r, 0, sizeof *r);
	t->nrows++;
	r->index = t->nrows;
	r->f = calloc(t->ncols + 1, sizeof *r->f);
	r->col = calloc(t->ncols + 1, sizeof *r->col);
	if (!r->f || !r->col)
		return BRIEF_ENOMEM;
	r->ds = ds;
	r->line = row->line;
	{
		int k = data_row_column(row, "reported_by");

		r->who_col = k >= 0 ? row->col[k] : 0;
	}
	for (i = 0; i < t->ncols; i++) {
		int k = table_field_index(row, t->cols[i].name);

		r->f[i] = lay_strdup(table_field(row, t->cols[i].name));
		if (!r->f[i])
			return BRIEF_ENOMEM;
		r->col[i] = k >= 0 ? row->col[k] : 0;
	}
	{
		struct figure f = figure_of_row(row);

		if (figure_copy(&f, &r->fig))
			return BRIEF_ENOMEM;
	}
	r->additive = strcmp(data_row_get(row, "additive"), "yes") == 0;
	if (t->contested)
		return table_keep_claim(t, row, r);
	return BRIEF_OK;
}

static enum brief_status table_row(void *ctx, const struct data_row *row,
				   struct diag *err)
{
	struct tsrc *s = ctx;
	struct table *t = s->t;

	(void)err;
	/* Problems are flagged, not returned: data_scan would report a
	 * returned status a second time. */
	table_from(t, s->ds, true);
	if (!t->checked)
		table_check_columns(t, row);
	return table_keep(t, s->ds, row);
}

/* The shared scan's consumer: the header check waits for the end (the
 * dataset may turn out to have bad rows, and then the table scans alone
 * as before; see table_collect). */
static enum brief_status table_row_shared(void *ctx, const struct data_row *row,
					  struct diag *err)
{
	struct tsrc *s = ctx;

	(void)err;
	s->seen = true;
	table_from(s->t, s->ds, false);
	return table_keep(s->t, s->ds, row);
}

/* Forget the rows the shared scan gave a table. */
static void table_drop_rows(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		trow_free(&t->rows[i], t->ncols);
	free(t->rows);
	t->rows = NULL;
	t->nrows = t->rcap = 0;
	t->too_many = false;
	t->cur_ds = -1;
	for (i = 0; i < t->nsrc; i++)
		t->src[i].seen = false;
}

/* ---- wording ---- */

static char *table_label(const char *name)
{
	static const struct {
		const char *name, *label;
	} known[] = { { "value", "Figure" },	      { "value_high", "High" },
		      { "reported_by", "Reported by" }, { "date_from", "From" },
		      { "date_to", "To" },	      { "stated_as", "Stated as" },
		      { NULL, NULL } };
	char *s;
	size_t i;

	/* The document's catalogue names the dataset's columns. */
	if (l10n_active()) {
		const char *w = l10n_word(l10n_active(), "table.columns", name);

		if (w != name && strcmp(w, name) != 0)
			return lay_strdup(w);
	}
	for (i = 0; known[i].name; i++)
		if (strcmp(known[i].name, name) == 0)
			return lay_strdup(known[i].label);
	s = lay_strdup(name);
	if (!s)
		return NULL;
	for (i = 0; s[i]; i++)
		if (s[i] == '_')
			s[i] = ' ';
	if (s[0] >= 'a' && s[0] <= 'z')
		s[0] = (char)(s[0] - 'a' + 'A');
	return s;
}

static enum brief_status table_figure(const struct table *t,
				      const struct trow *r, struct doc_runs *c)
{
	char buf[160];

	figure_words(&r->fig, &t->style, buf, sizeof buf);
	return doc_runs_add(c, buf, strlen(buf), 0, LINK_NONE, NULL, 0);
}

/* Where field i of row r came from. */
static struct text_origin trow_origin(const struct table *t,
				      const struct trow *r, size_t i)
{
	struct text_origin at = {t->L->doc->dataset_path[r->ds], r->line,
				 r->col[i]};

	return at;
}

static enum brief_status table_cell(const struct table *t, size_t i,
				    const struct trow *r, struct doc_runs *c)
{
	const char *name = t->cols[i].name, *raw = r->f[i];
	struct text_origin at = trow_origin(t, r, i);
	struct lay *L = t->L;
	char buf[128];
	struct date d;

	if (strcmp(name, "value") == 0)
		return table_figure(t, r, c);
	if (strcmp(name, "source") == 0)
		return raw[0] ? lay_cite_runs(L, c, raw) : BRIEF_OK;
	if (strcmp(name, "value_high") == 0 && raw[0]) {
		number_format(strtod(raw, NULL), 2, buf, sizeof buf);
		return doc_runs_add(c, buf, strlen(buf), 0, LINK_NONE, NULL, 0);
	}
	if (data_column_is_date(t->kind, name) &&
	    date_parse(raw, strlen(raw), &d)) {
		date_format_long(&d, buf, sizeof buf);
		return doc_runs_add(c, buf, strlen(buf), 0, LINK_NONE, NULL, 0);
	}
	if (l10n_active()) {
		/* A vocabulary's value in the document's words. */
		const char *fam = strcmp(name, "category") == 0 ? "vocab.category"
			: strcmp(name, "population") == 0 ? "vocab.population"
			: strcmp(name, "qualifier") == 0  ? "vocab.qualifier"
			: strcmp(name, "kind") == 0
				? (t->kind == DS_EVENTS ? "vocab.event_kind"
							: "vocab.kind")
				: NULL;
		const char *w = fam ? l10n_word(l10n_active(), fam, raw) : raw;

		if (w != raw && strcmp(w, raw) != 0)
			return doc_runs_add_field(c, &at, w, strlen(w));
	}
	return doc_runs_add_field(c, &at, raw, strlen(raw));
}

/* "Sources: [1] Publisher; [3] Publisher" for the source ids of the rows
 * shown, in table order (repeats skipped). */
static enum brief_status table_note(struct lay *L, const char *const *ids,
				    size_t n, struct doc_table *dt)
{
	size_t i, k, shown = 0;
	enum brief_status st;

	for (i = 0; i < n; i++) {
		const struct source *s;

		if (!ids[i][0])
			continue;
		for (k = 0; k < i; k++)
			if (strcmp(ids[k], ids[i]) == 0)
				break;
		if (k < i)
			continue;
		s = sources_find(&L->doc->sources, ids[i]);
		if (!s)
			continue;
		{
			const struct l10n *l = l10n_active();
			const char *sep =
				l10n_text_or(l, L10N_LIST_SEPARATOR, "; ");
			char head[128];

			snprintf(head, sizeof head, "%s ",
				 l10n_text_or(l, L10N_TABLE_SOURCES,
					      "Sources:"));
			st = doc_runs_add(&dt->note, shown ? sep : head,
					  strlen(shown ? sep : head), 0,
					  LINK_NONE, NULL, 0);
		}
		if (!st)
			st = lay_cite_runs(L, &dt->note, s->id);
		if (!st)
			st = doc_runs_add(&dt->note, " ", 1, 0, LINK_NONE, NULL, 0);
		if (!st) {
			const char *name = source_display_name(s);

			st = doc_runs_add(&dt->note, name, strlen(name), 0,
					  LINK_NONE, NULL, 0);
		}
		if (st)
			return st;
		shown++;
	}
	return BRIEF_OK;
}

/* ---- sorting ---- */

static const struct table *sort_table; /* qsort has no context argument */
static size_t sort_col;
static bool sort_desc;

static int trow_cmp_sort(const void *a, const void *b)
{
	const struct trow *x = a, *y = b;
	const char *name = sort_table->cols[sort_col].name;
	int c = 0;
	struct date dx, dy;

	if (strcmp(name, "value") == 0) {
		c = x->fig.value < y->fig.value ? -1 : x->fig.value > y->fig.value;
	} else if (data_column_is_date(sort_table->kind, name) &&
		   date_parse(x->f[sort_col], strlen(x->f[sort_col]), &dx) &&
		   date_parse(y->f[sort_col], strlen(y->f[sort_col]), &dy)) {
		c = date_cmp(&dx, &dy);
	} else {
		c = strcmp(x->f[sort_col], y->f[sort_col]);
	}
	if (sort_desc)
		c = -c;
	if (!c)
		c = x->index < y->index ? -1 : x->index > y->index;
	return c;
}

/* Sort by a column (lay_table added it, hidden, when not shown). */
static void table_sort(struct table *t)
{
	const char *name;
	size_t i;

	if (!t->sort)
		return;
	sort_desc = t->sort[0] == '-';
	name = sort_desc ? t->sort + 1 : t->sort;
	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			break;
	if (i == t->ncols)
		return;
	sort_table = t;
	sort_col = i;
	if (t->nrows)
		qsort(t->rows, t->nrows, sizeof *t->rows, trow_cmp_sort);
	sort_table = NULL;
}

/* ---- YAML ---- */

static const char *const table_keys[] = { "dataset", "columns", "filter",
					  "sort", "caption", "contested",
					  "key", "format", NULL };

static enum brief_status table_add_col(struct table *t, const char *name,
				       const char *label, long line, long col)
{
	struct tcol *v = realloc(t->cols, (t->ncols + 1) * sizeof *v);

	if (!v)
		return BRIEF_ENOMEM;
	t->cols = v;
	memset(&v[t->ncols], 0, sizeof *v);
	v[t->ncols].name = lay_strdup(name);
	v[t->ncols].label = label ? lay_strdup(label) : NULL;
	v[t->ncols].line = line;
	v[t->ncols].col = col;
	t->ncols++;
	if (!v[t->ncols - 1].name || (label && !v[t->ncols - 1].label))
		return BRIEF_ENOMEM;
	return BRIEF_OK;
}

/* columns: [a, b] or [{column: a, label: A}, ...]; key: [a, b]. */
static enum brief_status table_cols(struct table *t, const struct ynode *v,
				    const char *what)
{
	struct lay *L = t->L;
	size_t i;
	enum brief_status st;

	if (v->kind != Y_SEQ || !v->n) {
		lay_error(L, v->line, v->col, "table '%s' must be a list of columns",
			  what);
		return BRIEF_EDATA;
	}
	/* Cells are columns times rows: bound the memory a layout can ask for. */
	if (v->n > LAYOUT_TABLE_MAX_COLS) {
		lay_error(L, v->kids[LAYOUT_TABLE_MAX_COLS].line,
			  v->kids[LAYOUT_TABLE_MAX_COLS].col,
			  "table '%s' has more than %d columns", what,
			  LAYOUT_TABLE_MAX_COLS);
		return BRIEF_EDATA;
	}
	for (i = 0; i < v->n; i++) {
		const struct ynode *c = &v->kids[i], *name = c, *label = NULL;

		if (c->kind == Y_MAP) {
			name = ynode_get(c, "column");
			label = ynode_get(c, "label");
		}
		if (!name || name->kind != Y_SCALAR || !name->str[0] ||
		    (label && label->kind != Y_SCALAR)) {
			lay_error(L, c->line, c->col,
				  "a table column is a name, or a map with 'column' and 'label'");
			return BRIEF_EDATA;
		}
		st = table_add_col(t, name->str, label ? label->str : NULL,
				   name->line, name->col);
		if (st)
			return st;
	}
	return BRIEF_OK;
}

static void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		trow_free(&t->rows[i], t->ncols);
	free(t->rows);
	for (i = 0; i < t->ncols; i++) {
		free(t->cols[i].name);
		free(t->cols[i].label);
	}
	free(t->cols);
	free(t->keynames);
	lay_filters_free(t->filters, t->nfilters);
	free(t->fcol);
	free(t->sort);
}

static struct doc_table *doc_table_new(size_t ncols, size_t nrows)
{
	struct doc_table *dt = calloc(1, sizeof *dt);

	if (!dt)
		return NULL;
	dt->ncols = ncols;
	dt->nrows = nrows;
	dt->header = calloc(ncols, sizeof *dt->header);
	dt->align = calloc(ncols + 1, 1);
	dt->cells = calloc(ncols * nrows + 1, sizeof *dt->cells);
	if (!dt->header || !dt->align || !dt->cells) {
		free(dt->header);
		free(dt->align);
		free(dt->cells);
		free(dt);
		return NULL;
	}
	return dt;
}

/* Free a doc_table built here (doc.c frees the ones handed over). */
static void doc_table_drop(struct doc_table *dt)
{
	size_t i;

	if (!dt)
		return;
	for (i = 0; i < dt->ncols; i++)
		free(dt->header[i]);
	free(dt->header);
	free(dt->align);
	free(dt->cont);
	for (i = 0; i < dt->ncols * dt->nrows; i++)
		doc_runs_free(&dt->cells[i]);
	free(dt->cells);
	free(dt->caption);
	doc_runs_free(&dt->note);
	free(dt);
}

static enum brief_status table_plain(struct table *t, size_t nshown,
				     struct doc_table **out)
{
	struct doc_table *dt = doc_table_new(nshown, t->nrows);
	size_t r, c;
	enum brief_status st = BRIEF_OK;

	if (!dt)
		return BRIEF_ENOMEM;
	for (c = 0; c < nshown && !st; c++) {
		const char *name = t->cols[c].name;

		dt->header[c] = t->cols[c].label ? lay_strdup(t->cols[c].label) :
						   table_label(name);
		if (!dt->header[c])
			st = BRIEF_ENOMEM;
		dt->align[c] = strcmp(name, "value") == 0 ||
				       strcmp(name, "value_high") == 0 ?
				       'r' : 'l';
	}
	for (r = 0; r < t->nrows && !st; r++)
		for (c = 0; c < nshown && !st; c++)
			st = table_cell(t, c, &t->rows[r],
					&dt->cells[r * nshown + c]);
	if (!st) {
		const char **ids = malloc((t->nrows + 1) * sizeof *ids);

		if (!ids) {
			st = BRIEF_ENOMEM;
		} else {
			for (r = 0; r < t->nrows; r++)
				ids[r] = t->rows[r].fig.source;
			st = table_note(t->L, ids, t->nrows, dt);
			free(ids);
		}
	}
	if (st) {
		doc_table_drop(dt);
		return st;
	}
	*out = dt;
	return BRIEF_OK;
}

/* The quantity in words: key values, then the date or period. */
/* A period in words: "18 September 2023", "27 September – 9 November
 * 2020" (the year once when shared), "1991–1994". */
static void period_words(const struct date *from, const struct date *to,
			 char *buf, size_t size)
{
	char a[64], b[64];
	size_t n;

	buf[0] = '\0';
	if (!from->year)
		return;
	if (l10n_active()) {
		l10n_period(l10n_active(), from, to->year ? to : from, false,
			    buf, size);
		return;
	}
	date_format_long(from, a, sizeof a);
	if (!to->year || date_cmp(from, to) == 0) {
		snprintf(buf, size, "%s", a);
		return;
	}
	date_format_long(to, b, sizeof b);
	n = strlen(a);
	if (from->year == to->year && from->month && to->month && n > 5)
		a[n - 5] = '\0'; /* drop " 2020" from the start */
	if (strchr(a, ' ') || strchr(b, ' '))
		snprintf(buf, size, "%s \xE2\x80\x93 %s", a, b);
	else
		snprintf(buf, size, "%s\xE2\x80\x93%s", a, b);
}

/* The quantity in words: key values (the unit is in the figure), then the
 * period the group's claims cover together. */
static enum brief_status contested_quantity(const struct table *t,
					    const struct trow *r,
					    const struct date *from,
					    const struct date *to,
					    struct doc_runs *c)
{
	char per[160];
	size_t i, n = 0;
	enum brief_status st = BRIEF_OK;

	for (i = 0; i < t->ncols && !st; i++) {
		const char *name = t->cols[i].name, *v = r->f[i];
		struct text_origin at = trow_origin(t, r, i);

		if (!v[0] || strcmp(name, "date") == 0 ||
		    strcmp(name, "date_from") == 0 ||
		    strcmp(name, "date_to") == 0 || strcmp(name, "unit") == 0)
			continue;
		if (n++)
			st = doc_runs_add(c, ", ", 2, 0, LINK_NONE, NULL, 0);
		if (!st)
			st = doc_runs_add_field(c, &at, v, strlen(v));
	}
	period_words(from, to, per, sizeof per);
	if (!st && per[0] && n)
		st = doc_runs_add(c, ", ", 2, 0, LINK_NONE, NULL, 0);
	if (!st && per[0])
		st = doc_runs_add(c, per, strlen(per), 0, LINK_NONE, NULL, 0);
	return st;
}

/* Contested rows from one or more datasets: four cells a row, and the
 * claims' sources in order for the note. */
struct cbuild {
	struct doc_runs *cells;
	size_t nrows, ccap;
	char **srcs; /* owned */
	size_t nsrcs;
};

static enum brief_status cbuild_row(struct cbuild *cb, struct doc_runs **row)
{
	struct doc_runs *v;

	if (array_reserve(&cb->cells, &cb->ccap, (cb->nrows + 1) * 4,
			  sizeof *cb->cells, 0))
		return BRIEF_ENOMEM;
	v = cb->cells;
	memset(&v[cb->nrows * 4], 0, 4 * sizeof *v);
	*row = &v[cb->nrows * 4];
	cb->nrows++;
	return BRIEF_OK;
}

static void cbuild_free(struct cbuild *cb)
{
	size_t i;

	for (i = 0; i < cb->nrows * 4; i++)
		doc_runs_free(&cb->cells[i]);
	free(cb->cells);
	for (i = 0; i < cb->nsrcs; i++)
		free(cb->srcs[i]);
	free(cb->srcs);
}

/* One claim's row: the quantity (first claim only), who claims it (with
 * the period when the claims' periods differ), the figure, the source. */
static enum brief_status contested_claim(struct table *t, struct cbuild *cb,
					 const struct trow *row, bool first,
					 const struct trow *last,
					 bool same_period)
{
	struct doc_runs *c;
	char who[512], per[160];
	enum brief_status st = cbuild_row(cb, &c);

	if (!st && first)
		st = contested_quantity(t, row, &row->from,
					last->to.year ? &last->to : &last->from,
					&c[0]);
	period_words(&row->from, &row->to, per, sizeof per);
	if (!same_period && per[0])
		snprintf(who, sizeof who, "%s (%s)", row->fig.reported_by, per);
	else
		snprintf(who, sizeof who, "%s", row->fig.reported_by);
	if (!st) {
		struct text_origin at = {t->L->doc->dataset_path[row->ds],
					 row->line, row->who_col};

		st = doc_runs_add_field(&c[1], &at, who, strlen(who));
	}
	if (!st)
		st = table_figure(t, row, &c[2]);
	if (!st && row->fig.source[0])
		st = lay_cite_runs(t->L, &c[3], row->fig.source);
	if (!st && !(cb->srcs[cb->nsrcs++] = lay_strdup(row->fig.source)))
		st = BRIEF_ENOMEM;
	return st;
}

/* Whether an additive row of the same claimant comes before row k of
 * group g: its parts were then already added up into one claim. */
static bool part_listed(const struct table *t, const struct contested_group *g,
			size_t k)
{
	const struct trow *row = &t->rows[g->from + k];

	for (size_t j = 0; j < k; j++) {
		const struct trow *o = &t->rows[g->from + j];

		if (o->additive &&
		    strcmp(o->fig.reported_by, row->fig.reported_by) == 0)
			return true;
	}
	return false;
}

/* A claimant's additive rows (events of one export) in a group are one
 * claim: their sum, by the rules of sums, with every source they cite. */
static enum brief_status contested_parts(struct table *t, struct cbuild *cb,
					 const struct contested_group *g, size_t k,
					 const struct trow *last,
					 bool same_period)
{
	const struct trow *row = &t->rows[g->from + k], *lo = row, *hi = row;
	struct figure_acc acc = { 0 };
	struct figure_total total;
	struct doc_runs *c;
	char who[512], fig[160], per[160], n[32];
	long parts = 0;
	enum brief_status st;

	for (size_t j = k; j < g->n; j++) {
		const struct trow *o = &t->rows[g->from + j];

		if (!o->additive ||
		    strcmp(o->fig.reported_by, row->fig.reported_by) != 0)
			continue;
		figure_acc_add(&acc, FIG_SUM, o->fig.value, o->fig.high,
			       o->fig.qual);
		parts++;
		if (o->claim.start < lo->claim.start)
			lo = o;
		if (o->claim.end > hi->claim.end)
			hi = o;
	}
	if (parts == 1)
		return contested_claim(t, cb, row, k == 0, last, same_period);
	st = cbuild_row(cb, &c);
	if (!st && k == 0)
		st = contested_quantity(t, row, &row->from,
					last->to.year ? &last->to : &last->from,
					&c[0]);
	period_words(&lo->from, hi->to.year ? &hi->to : &hi->from, per,
		     sizeof per);
	snprintf(n, sizeof n, "%ld", parts);
	if (!same_period && per[0])
		l10n_say(l10n_active(), L10N_TABLE_SUM_PERIOD,
			 "{who} (sum of {count} records, {period})", who,
			 sizeof who, n, row->fig.reported_by, per);
	else
		l10n_say(l10n_active(), L10N_TABLE_SUM,
			 "{who} (sum of {count} records)", who, sizeof who, n,
			 row->fig.reported_by);
	if (!st) {
		struct text_origin at = {t->L->doc->dataset_path[row->ds],
					 row->line, row->who_col};

		st = doc_runs_add_field(&c[1], &at, who, strlen(who));
	}
	total = figure_acc_total(&acc, FIG_SUM);
	figure_total_words(&total, row->fig.unit, &t->style, fig, sizeof fig);
	if (!st)
		st = doc_runs_add(&c[2], fig, strlen(fig), 0, LINK_NONE, NULL, 0);
	for (size_t j = k; j < g->n && !st; j++) {
		const struct trow *o = &t->rows[g->from + j];
		bool cited = false;

		if (!o->additive || !o->fig.source[0] ||
		    strcmp(o->fig.reported_by, row->fig.reported_by) != 0)
			continue;
		for (size_t i = k; i < j && !cited; i++) {
			const struct trow *p = &t->rows[g->from + i];

			cited = p->additive &&
				strcmp(p->fig.reported_by, row->fig.reported_by) ==
					0 &&
				strcmp(p->fig.source, o->fig.source) == 0;
		}
		if (cited)
			continue;
		st = lay_cite_runs(t->L, &c[3], o->fig.source);
		if (!st && !(cb->srcs[cb->nsrcs++] = lay_strdup(o->fig.source)))
			st = BRIEF_ENOMEM;
	}
	return st;
}

/* Put the rows in the order of their claims as contested_groups sorted
 * them (each claim's index is its row's place in data order). */
static enum brief_status rows_in_claim_order(struct table *t,
					     const struct contested_claim *v)
{
	struct trow *sorted = malloc(t->nrows * sizeof *sorted);

	if (!sorted)
		return BRIEF_ENOMEM;
	for (size_t i = 0; i < t->nrows; i++)
		sorted[i] = t->rows[v[i].index];
	memcpy(t->rows, sorted, t->nrows * sizeof *sorted);
	free(sorted);
	return BRIEF_OK;
}

/* One contested quantity's rows: each claim, a claimant's additive rows
 * as one claim (their sum), the period when the claims' periods differ. */
static enum brief_status group_rows(struct table *t, struct cbuild *cb,
				    const struct contested_group *g)
{
	const struct trow *first = &t->rows[g->from], *last = first;
	bool same_period = true;
	enum brief_status st = BRIEF_OK;

	/* The group's period: first start to latest end. */
	for (size_t k = 0; k < g->n; k++) {
		const struct trow *row = &t->rows[g->from + k];

		if (row->claim.end > last->claim.end)
			last = row;
		if (row->claim.start != first->claim.start ||
		    row->claim.end != first->claim.end)
			same_period = false;
	}
	for (size_t k = 0; k < g->n && !st; k++) {
		const struct trow *row = &t->rows[g->from + k];

		if (!row->additive)
			st = contested_claim(t, cb, row, k == 0, last,
					     same_period);
		else if (!part_listed(t, g, k))
			st = contested_parts(t, cb, g, k, last, same_period);
	}
	return st;
}

/* Group one dataset's rows by quantity (contested.h's rule) and append
 * every contested quantity, in data order. */
static enum brief_status table_contested(struct table *t, struct cbuild *cb)
{
	struct contested_claim *v = NULL;
	struct contested_group *g = NULL;
	size_t ng = 0;
	enum brief_status st;
	char **srcs;

	srcs = realloc(cb->srcs, (cb->nsrcs + t->nrows + 1) * sizeof *srcs);
	v = malloc((t->nrows + 1) * sizeof *v);
	if (srcs)
		cb->srcs = srcs;
	if (!srcs || !v) {
		st = BRIEF_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < t->nrows; i++)
		v[i] = t->rows[i].claim;
	st = contested_groups(v, t->nrows, &g, &ng);
	if (!st && t->nrows)
		st = rows_in_claim_order(t, v);
	for (size_t i = 0; i < ng && !st; i++)
		st = group_rows(t, cb, &g[i]);
out:
	free(v);
	free(g);
	return st;
}

/* The doc table of a finished builder (its cells move into the table). */
static enum brief_status contested_table(struct lay *L, struct cbuild *cb,
					 long line, long col,
					 struct doc_table **out)
{
	static const char *const en_head[] = { "Quantity", "Claimed by",
					       "Figure", "Source" };
	static const enum l10n_msg head_msg[] = {
		L10N_CONTESTED_QUANTITY, L10N_CONTESTED_CLAIMED_BY,
		L10N_CONTESTED_FIGURE, L10N_CONTESTED_SOURCE };
	const char *head[4];
	struct doc_table *dt;
	enum brief_status st = BRIEF_OK;
	size_t i;

	for (i = 0; i < 4; i++)
		head[i] = l10n_text_or(l10n_active(), head_msg[i], en_head[i]);
	if (!cb->nrows) {
		const char *none = l10n_text_or(
			l10n_active(), L10N_CONTESTED_NONE,
			"No quantity has more than one claim.");
		struct doc_runs *c;

		lay_warn(L, line, col,
			 "contested table: no quantity has more than one claim");
		if (cbuild_row(cb, &c) ||
		    doc_runs_add(&c[0], none, strlen(none), RUN_ITALIC,
				 LINK_NONE, NULL, 0))
			return BRIEF_ENOMEM;
	}
	dt = doc_table_new(4, 0);
	if (!dt)
		return BRIEF_ENOMEM;
	free(dt->cells);
	dt->cells = cb->cells;
	dt->nrows = cb->nrows;
	cb->cells = NULL;
	cb->nrows = cb->ccap = 0;
	for (i = 0; i < 4 && !st; i++) {
		dt->header[i] = lay_strdup(head[i]);
		if (!dt->header[i])
			st = BRIEF_ENOMEM;
		dt->align[i] = i == 2 ? 'r' : 'l';
	}
	/* A claim after the first of its quantity leaves the quantity
	 * cell empty (contested_claim): it belongs with the row above. */
	if (!st && dt->nrows) {
		dt->cont = calloc(dt->nrows, sizeof *dt->cont);
		if (!dt->cont)
			st = BRIEF_ENOMEM;
		for (i = 1; !st && i < dt->nrows; i++)
			dt->cont[i] = dt->cells[i * 4].n == 0;
	}
	if (!st)
		st = table_note(L, (const char *const *)cb->srcs, cb->nsrcs,
				dt);
	if (st) {
		doc_table_drop(dt);
		return st;
	}
	*out = dt;
	return BRIEF_OK;
}

/* The table's rows: from the shared scan when its dataset was clean there,
 * else streamed now. Returns BRIEF_EDATA when it reported a problem
 * (unknown column, too many or no rows). */
static enum brief_status table_collect(struct table *t)
{
	struct lay *L = t->L;
	enum brief_status st;
	struct diag d;
	bool clean = true;
	size_t i;

	for (i = 0; i < t->nsrc; i++)
		clean &= L->clean[t->src[i].ds];
	for (i = 0; clean && i < t->nsrc; i++) {
		const struct tsrc *s = &t->src[i];
		struct data_row hdr;

		memset(&hdr, 0, sizeof hdr);
		hdr.kind = t->kind;
		hdr.ncols = L->nhdr[s->ds];
		hdr.names = (const char *const *)L->hdr[s->ds];
		t->dsname = lay_ds(L, s->ds)->name;
		t->checked = false;
		table_check_columns(t, s->seen ? &hdr : NULL);
	}
	if (!clean) {
		table_drop_rows(t);
		for (i = 0; i < t->nsrc; i++) {
			table_from(t, t->src[i].ds, true);
			st = lay_scan(L, t->src[i].ds, table_row, &t->src[i],
				      &d);
			if (st == BRIEF_ENOMEM)
				return st;
			if (st == BRIEF_EIO) {
				diag_emit(L->sink, &d, DIAG_ERROR);
				return BRIEF_EDATA;
			}
			if (!t->checked)
				table_check_columns(t, NULL);
		}
	}
	if (t->nsrc != 1)
		t->dsname = dataset_name(t->kind);
	if (t->bad)
		return BRIEF_EDATA;
	if (t->too_many) {
		lay_error(L, t->line, t->col,
			  "table selects more than %zu rows of %s; narrow its filter",
			  t->max_rows, t->dsname);
		return BRIEF_EDATA;
	}
	if (!t->nrows && !t->contested) {
		lay_error(L, t->line, t->col, "table selects no rows of %s",
			  t->dsname);
		return BRIEF_EDATA;
	}
	return BRIEF_OK;
}

/* A table of the datasets of schema kind in ds (n of them, indices as
 * lay_ds). */
static void table_init(struct table *t, struct lay *L, enum dataset_kind kind,
		       const int *ds, size_t n, long line, long col)
{
	memset(t, 0, sizeof *t);
	t->L = L;
	t->kind = kind;
	t->dsname = n == 1 ? lay_ds(L, ds[0])->name : dataset_name(kind);
	for (size_t i = 0; i < n && i < DATASETS_MAX; i++) {
		t->src[i].t = t;
		t->src[i].ds = ds[i];
	}
	t->nsrc = n;
	t->cur_ds = -1;
	t->line = line;
	t->col = col;
	t->max_rows = LAYOUT_TABLE_MAX_ROWS;
}

/* A table block between its spec and its rows (see layout_int.h). */
struct lay_tprep {
	bool done;         /* nothing to collect: the spec had an error */
	bool contested;
	char *caption;
	long line, col;
	struct table *t;   /* the tables to collect, in order */
	size_t nt;
	size_t nshown;     /* plain table: columns shown */
};

void lay_tprep_free(struct lay_tprep *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nt; i++)
		table_free(&p->t[i]);
	free(p->t);
	free(p->caption);
	free(p);
}

/* A contested table's `dataset`: one name, or a list of names of one
 * schema, into sel (indices as lay_ds). Returns false when it was wrong
 * (reported). */
static bool contested_datasets(struct lay *L, const struct ynode *ds,
			       int *sel, size_t *nsel)
{
	const struct ynode *one = ds;
	size_t i, n = 1;

	*nsel = 0;
	if (ds->kind == Y_SEQ) {
		n = ds->n;
		one = ds->kids;
	} else if (ds->kind != Y_SCALAR) {
		n = 0;
	}
	if (!n || n > DATASETS_MAX) {
		lay_error(L, ds->line, ds->col,
			  "a contested table's 'dataset' is a dataset's name "
			  "or a list of names");
		return false;
	}
	for (i = 0; i < n; i++) {
		const struct ynode *e = &one[i];
		int k;

		if (e->kind != Y_SCALAR) {
			lay_error(L, e->line, e->col,
				  "a contested table's 'dataset' is a "
				  "dataset's name or a list of names");
			return false;
		}
		k = lay_dataset(L, e->str, e->line, e->col);
		if (k < 0)
			return false;
		if (*nsel && lay_ds(L, k)->kind != lay_ds(L, sel[0])->kind) {
			lay_error(L, e->line, e->col,
				  "the datasets of a contested table share a "
				  "schema: %s is not %s", e->str,
				  dataset_name(lay_ds(L, sel[0])->kind));
			return false;
		}
		sel[(*nsel)++] = k;
	}
	return true;
}

/* contested: true — over the datasets named, or every dataset with
 * figures (those of one schema in one table: curated and imported claims
 * side by side). */
static enum brief_status tprep_contested(struct lay *L, const struct ynode *y,
					 long line, long col,
					 struct lay_tprep *p)
{
	const struct ynode *ds = ynode_get(y, "dataset"), *v;
	enum brief_status st = BRIEF_OK;
	enum dataset_kind kind = DS_CASUALTIES;
	int sel[DATASETS_MAX];
	size_t nsel = 0;
	bool bad = false;
	int k;
	size_t i;

	if (ds && !contested_datasets(L, ds, sel, &nsel))
		return BRIEF_OK;
	if (ds)
		kind = lay_ds(L, sel[0])->kind;
	if ((v = ynode_get(y, "columns"))) {
		lay_error(L, v->line, v->col,
			  "a contested table has fixed columns; 'key' says what makes claims the same quantity");
		bad = true;
	}
	if ((v = ynode_get(y, "sort"))) {
		lay_error(L, v->line, v->col,
			  "a contested table keeps the order of the data");
		bad = true;
	}
	if (!ds && ((v = ynode_get(y, "filter")) || (v = ynode_get(y, "key")))) {
		lay_error(L, v->line, v->col,
			  "'filter' and 'key' in a contested table need a dataset");
		bad = true;
	}
	if (ds && !contested_key(kind)) {
		lay_error(L, ds->line, ds->col,
			  "a contested table needs a dataset with figures, not %s",
			  lay_ds(L, sel[0])->name);
		bad = true;
	}
	if (bad)
		return BRIEF_OK;
	p->t = calloc(DS_COUNT, sizeof *p->t);
	if (!p->t)
		return BRIEF_ENOMEM;
	for (k = 0; k < DS_COUNT && !st && !bad; k++) {
		const char *const *key = contested_key((enum dataset_kind)k);
		struct table *t;

		if (!key || (ds && (enum dataset_kind)k != kind))
			continue;
		if (!ds) {
			nsel = 0;
			for (i = 0; i < L->doc->sources.datasets->n; i++)
				if (lay_ds(L, (int)i)->kind ==
				    (enum dataset_kind)k)
					sel[nsel++] = (int)i;
		}
		t = &p->t[p->nt++];
		table_init(t, L, (enum dataset_kind)k, sel, nsel, line, col);
		t->contested = true;
		t->max_rows = LAYOUT_CONTESTED_MAX_ROWS;
		if (ds && (v = ynode_get(y, "filter"))) {
			st = lay_filters(L, v, &t->filters, &t->nfilters);
			if (st && st != BRIEF_ENOMEM) {
				bad = true;
				st = BRIEF_OK;
			}
		}
		if (!st && !bad && ds && (v = ynode_get(y, "key"))) {
			st = table_cols(t, v, "key");
			if (st && st != BRIEF_ENOMEM) {
				bad = true;
				st = BRIEF_OK;
			}
		} else {
			for (i = 0; key[i] && !st; i++)
				st = table_add_col(t, key[i], NULL, line, col);
		}
	}
	if (!st && !bad)
		p->done = false;
	return st;
}

/* The keys every table has: unknown keys, contested, format, caption.
 * Returns false when one was wrong (reported). */
static bool table_common_keys(struct lay *L, const struct ynode *y,
			      bool *contested, enum figure_form *form)
{
	const struct ynode *v;
	bool bad = false;
	size_t i, k;

	for (i = 0; i + 1 < y->n; i += 2) {
		for (k = 0; table_keys[k]; k++)
			if (strcmp(y->kids[i].str, table_keys[k]) == 0)
				break;
		if (!table_keys[k]) {
			lay_error(L, y->kids[i].line, y->kids[i].col,
				  "unknown table key '%s' (dataset, columns, filter, sort, caption, contested, key, format)",
				  y->kids[i].str);
			bad = true;
		}
	}
	if ((v = ynode_get(y, "contested"))) {
		if (v->kind != Y_SCALAR || (strcmp(v->str, "true") &&
					    strcmp(v->str, "false"))) {
			lay_error(L, v->line, v->col,
				  "table 'contested' must be true or false");
			bad = true;
		} else {
			*contested = strcmp(v->str, "true") == 0;
		}
	}
	if ((v = ynode_get(y, "format")) &&
	    (v->kind != Y_SCALAR || !figure_form_parse(v->str, form))) {
		lay_error(L, v->line, v->col,
			  "table 'format' must be full or compact");
		bad = true;
	}
	if ((v = ynode_get(y, "caption")) && v->kind != Y_SCALAR) {
		lay_error(L, v->line, v->col,
			  "table 'caption' must be a single value");
		bad = true;
	}
	return !bad;
}

/* sort: a column, carried hidden when it is not shown. Returns false
 * when the value is wrong (reported); BRIEF_ENOMEM in *st. */
static bool table_sort_key(struct lay *L, struct table *t,
			   const struct ynode *v, enum brief_status *st)
{
	const char *name;
	size_t i;

	if (v->kind != Y_SCALAR || !v->str[0]) {
		lay_error(L, v->line, v->col,
			  "table 'sort' is a column name, '-' first for descending");
		return false;
	}
	t->sort = lay_strdup(v->str);
	if (!t->sort) {
		*st = BRIEF_ENOMEM;
		return true;
	}
	t->sort_line = v->line;
	t->sort_col = v->col;
	name = t->sort[0] == '-' ? t->sort + 1 : t->sort;
	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			break;
	if (i == t->ncols)
		*st = table_add_col(t, name, NULL, v->line, v->col);
	return true;
}

/* A plain table: one dataset, its columns, filter and sort. */
static enum brief_status tprep_plain(struct lay *L, const struct ynode *y,
				     long line, long col,
				     enum figure_form form, struct lay_tprep *p)
{
	const struct ynode *v = ynode_get(y, "dataset");
	enum brief_status st = BRIEF_OK;
	struct table *t;
	bool bad = false;
	int ds;

	if (!v || v->kind != Y_SCALAR) {
		lay_error(L, v ? v->line : line, v ? v->col : col,
			  "table needs a dataset");
		return BRIEF_OK;
	}
	ds = lay_dataset(L, v->str, v->line, v->col);
	if (ds < 0)
		return BRIEF_OK;
	p->t = calloc(1, sizeof *p->t);
	if (!p->t)
		return BRIEF_ENOMEM;
	p->nt = 1;
	t = &p->t[0];
	table_init(t, L, lay_ds(L, ds)->kind, &ds, 1, line, col);
	t->style.form = form;
	if ((v = ynode_get(y, "key"))) {
		lay_error(L, v->line, v->col, "'key' is for contested tables");
		bad = true;
	}
	if ((v = ynode_get(y, "filter"))) {
		st = lay_filters(L, v, &t->filters, &t->nfilters);
		if (st == BRIEF_ENOMEM)
			return st;
		bad |= st != BRIEF_OK;
		st = BRIEF_OK;
	}
	if ((v = ynode_get(y, "columns"))) {
		st = table_cols(t, v, "columns");
		if (st == BRIEF_ENOMEM)
			return st;
		bad |= st != BRIEF_OK;
		st = BRIEF_OK;
	} else {
		lay_error(L, line, col,
			  "table needs 'columns' (a list of column names)");
		bad = true;
	}
	p->nshown = t->ncols;
	if ((v = ynode_get(y, "sort")) && !table_sort_key(L, t, v, &st))
		bad = true;
	if (st)
		return st;
	if (!bad)
		p->done = false;
	return BRIEF_OK;
}

enum brief_status lay_table_prepare(struct lay *L, const struct ynode *y,
				    long line, long col, struct lay_tprep **out)
{
	struct lay_tprep *p;
	const struct ynode *v;
	enum brief_status st;
	bool contested = false;
	enum figure_form form = FIG_FULL;

	*out = p = calloc(1, sizeof *p);
	if (!p)
		return BRIEF_ENOMEM;
	p->done = true;
	p->line = line;
	p->col = col;
	if (!y || y->kind != Y_MAP) {
		lay_error(L, y ? y->line : line, y ? y->col : col,
			  "a table block is a map: dataset, columns, filter, sort, caption");
		return BRIEF_OK;
	}
	if (!table_common_keys(L, y, &contested, &form))
		return BRIEF_OK;
	if ((v = ynode_get(y, "caption"))) {
		p->caption = lay_strdup(v->str);
		if (!p->caption)
			return BRIEF_ENOMEM;
	}
	if (!contested)
		return tprep_plain(L, y, line, col, form, p);
	p->contested = true;
	st = tprep_contested(L, y, line, col, p);
	for (size_t i = 0; i < p->nt; i++)
		p->t[i].style.form = form;
	return st;
}

enum brief_status lay_tprep_consume(struct lay *L, struct lay_tprep *p)
{
	size_t i;
	enum brief_status st = BRIEF_OK;

	for (i = 0; i < p->nt && !p->done && !st; i++)
		for (size_t k = 0; k < p->t[i].nsrc && !st; k++)
			st = lay_consume(L, p->t[i].src[k].ds, table_row_shared,
					 &p->t[i].src[k]);
	return st;
}

enum brief_status lay_table_finish(struct lay *L, struct lay_tprep *p,
				   struct doc_table **out)
{
	enum brief_status st = BRIEF_OK;
	size_t i;

	*out = NULL;
	if (p->done)
		return BRIEF_OK;
	if (p->contested) {
		struct cbuild cb;
		bool bad = false;

		memset(&cb, 0, sizeof cb);
		for (i = 0; i < p->nt && !st && !bad; i++) {
			st = table_collect(&p->t[i]);
			if (st == BRIEF_EDATA) {
				bad = true;
				st = BRIEF_OK;
			}
			if (!st && !bad)
				st = table_contested(&p->t[i], &cb);
			table_drop_rows(&p->t[i]);
		}
		if (!st && !bad)
			st = contested_table(L, &cb, p->line, p->col, out);
		cbuild_free(&cb);
	} else {
		st = table_collect(&p->t[0]);
		if (st == BRIEF_EDATA) {
			st = BRIEF_OK;
		} else if (!st) {
			table_sort(&p->t[0]);
			st = table_plain(&p->t[0], p->nshown, out);
		}
	}
	if (!st && *out) {
		(*out)->caption = p->caption;
		p->caption = NULL;
	}
	return st;
}

enum brief_status lay_table(struct lay *L, const struct ynode *y, long line,
			    long col, struct doc_table **out)
{
	struct lay_tprep *p = NULL;
	enum brief_status st;

	*out = NULL;
	st = lay_table_prepare(L, y, line, col, &p);
	if (!st)
		st = lay_table_finish(L, p, out);
	lay_tprep_free(p);
	return st;
}
