/* layout_changes.c — the `changes` block: "Changes since the last edition",
 * from the comparison `brief diff` makes (diff.h) between the data the
 * last edition was built from (the record beside its report, snapshot.h)
 * and the data now. Each changed, new or withdrawn figure is cited; the
 * first edition (no record yet) says so. */
#define _XOPEN_SOURCE 700 /* mkdtemp */
#include "layout_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diff.h"
#include "l10n.h"
#include "snapshot.h"

#define CHANGES_MAX_ITEMS 200
#define CHANGES_DEFAULT_ITEMS 10

/* One line of the list, kept until the block is built. */
struct item {
	struct doc_runs runs;
};

struct changes {
	struct lay *L;
	struct text_origin at; /* the block, for text from the old record */
	struct item *items;
	size_t nitems, cap, max, more;
	/* Totals over the row datasets, and sources. */
	size_t added, removed, changed, reworded, contested, resolved;
	size_t src_added, src_removed, src_changed;
	bool oom;
};

/* The block's words: the active catalogue's, or the English given
 * (l10n_say); a, b fill the message's placeholders. Into buf. */
static const char *say(enum l10n_msg m, const char *english, char *buf,
		       size_t size, const char *a, const char *b)
{
	return l10n_say(l10n_active(), m, english, buf, size, a, b);
}

/* A count with its words: "3 rows added" (one or other in English). */
static const char *say_count(enum l10n_msg m, size_t n, const char *one,
			     const char *other, char *buf, size_t size)
{
	char num[32];

	snprintf(num, sizeof num, "%zu", n);
	return say(m, n == 1 ? one : other, buf, size, num, NULL);
}

static const char *row_value(size_t n, const char *const *names,
			     const char *const *values, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return values[i];
	return "";
}

/* A new item, or NULL when the list is full (counted in more) or out of
 * memory (oom set). */
static struct doc_runs *item_new(struct changes *c)
{
	if (c->nitems >= c->max) {
		c->more++;
		return NULL;
	}
	if (c->nitems == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		struct item *v = realloc(c->items, cap * sizeof *v);

		if (!v) {
			c->oom = true;
			return NULL;
		}
		c->items = v;
		c->cap = cap;
	}
	memset(&c->items[c->nitems], 0, sizeof c->items[c->nitems]);
	return &c->items[c->nitems++].runs;
}

/* text (bold when lead) then " [n]" for the source, if it is cited. */
static enum brief_status item_text(struct changes *c, struct doc_runs *r,
				   const struct text_origin *at,
				   const char *lead, const char *text,
				   const char *source)
{
	if ((lead && doc_runs_add_at(r, at, lead, strlen(lead), RUN_BOLD,
				     LINK_NONE, NULL, 0)) ||
	    doc_runs_add_at(r, at, text, strlen(text), 0, LINK_NONE, NULL, 0))
		return BRIEF_ENOMEM;
	if (source && source[0] && sources_find(&c->L->doc->sources, source)) {
		if (doc_runs_add(r, " ", 1, 0, LINK_NONE, NULL, 0))
			return BRIEF_ENOMEM;
		return lay_cite_runs(c->L, r, source);
	}
	return BRIEF_OK;
}

/* Where a row of the current data is: its dataset field. */
static struct text_origin new_at(const struct changes *c,
				 const struct diff_file *file, long line)
{
	struct text_origin at = c->at;
	int i = file->is_sources ? -1 : lay_dataset_find(c->L, file->name);

	if (i >= 0) {
		at.file = c->L->doc->dataset_path[i];
		at.line = line;
		at.col = 0;
	}
	return at;
}

static enum brief_status on_added(void *ctx, const struct diff_file *file,
				  const struct diff_row *r, struct diag *err)
{
	struct changes *c = ctx;
	struct doc_runs *runs;
	struct text_origin at = new_at(c, file, r->line);
	char lead[128];

	(void)err;
	if (file->is_sources) {
		c->src_added++;
		return BRIEF_OK;
	}
	c->added++;
	runs = item_new(c);
	if (!runs)
		return c->oom ? BRIEF_ENOMEM : BRIEF_OK;
	return item_text(c, runs, &at,
			 file->ds.kind == DS_EVENTS
				 ? say(L10N_CHANGES_NEW_EVENT, "New event: ",
				       lead, sizeof lead, NULL, NULL)
				 : say(L10N_CHANGES_NEW, "New: ", lead,
				       sizeof lead, NULL, NULL),
			 r->summary,
			 row_value(r->ncols, r->names, r->values, "source"));
}

static enum brief_status on_removed(void *ctx, const struct diff_file *file,
				    const struct diff_row *r, struct diag *err)
{
	struct changes *c = ctx;
	struct doc_runs *runs;
	char lead[128];

	(void)err;
	if (file->is_sources) {
		c->src_removed++;
		return BRIEF_OK;
	}
	c->removed++;
	runs = item_new(c);
	if (!runs)
		return c->oom ? BRIEF_ENOMEM : BRIEF_OK;
	return item_text(c, runs, &c->at,
			 file->ds.kind == DS_EVENTS
				 ? say(L10N_CHANGES_EVENT_WITHDRAWN,
				       "Event withdrawn: ", lead, sizeof lead,
				       NULL, NULL)
				 : say(L10N_CHANGES_WITHDRAWN, "Withdrawn: ",
				       lead, sizeof lead, NULL, NULL),
			 r->summary,
			 row_value(r->ncols, r->names, r->values, "source"));
}

/* Which way a figure went: up, down when both values read as numbers,
 * else 0 ("previously"). */
static int direction(const struct diff_change *d)
{
	const char *o = row_value(d->n, d->columns, d->old_values, "value");
	const char *n = row_value(d->n, d->columns, d->new_values, "value");
	char *e1, *e2;
	double a, b;

	if (!o[0] || !n[0])
		return 0;
	a = strtod(o, &e1);
	b = strtod(n, &e2);
	if (*e1 || *e2)
		return 0;
	return b > a ? 1 : b < a ? -1 : 0;
}

static enum brief_status on_changed(void *ctx, const struct diff_file *file,
				    const struct diff_change *d,
				    struct diag *err)
{
	struct changes *c = ctx;
	struct doc_runs *runs;
	struct text_origin at = new_at(c, file, d->new_line);
	char *text, lead[128];
	enum brief_status st;
	size_t len;
	int dir;

	(void)err;
	if (file->is_sources) {
		c->src_changed++;
		return BRIEF_OK;
	}
	c->changed++;
	/* Only a figure that reads differently is news. */
	if (!d->new_figure[0] || strcmp(d->old_figure, d->new_figure) == 0)
		return BRIEF_OK;
	c->reworded++;
	runs = item_new(c);
	if (!runs)
		return c->oom ? BRIEF_ENOMEM : BRIEF_OK;
	len = strlen(d->summary) + strlen(d->old_figure) + 256;
	text = malloc(len);
	if (!text)
		return BRIEF_ENOMEM;
	dir = direction(d);
	say(dir > 0   ? L10N_CHANGES_UP_FROM
	    : dir < 0 ? L10N_CHANGES_DOWN_FROM
		      : L10N_CHANGES_PREVIOUSLY,
	    dir > 0   ? "{summary}, up from {old}"
	    : dir < 0 ? "{summary}, down from {old}"
		      : "{summary}, previously {old}",
	    text, len, d->summary, d->old_figure);
	st = item_text(c, runs, &at,
		       say(L10N_CHANGES_REVISED, "Revised: ", lead,
			   sizeof lead, NULL, NULL),
		       text,
		       row_value(d->ncols, d->names, d->values, "source"));
	free(text);
	return st;
}

static enum brief_status on_quantity(void *ctx, const struct diff_file *file, bool is_new,
				     const struct diff_quantity *q,
				     struct diag *err)
{
	struct changes *c = ctx;
	struct doc_runs *runs;
	enum brief_status st;
	char lead[128];

	(void)err;
	(void)file;
	if (is_new)
		c->contested++;
	else
		c->resolved++;
	runs = item_new(c);
	if (!runs)
		return c->oom ? BRIEF_ENOMEM : BRIEF_OK;
	if (!is_new)
		return item_text(c, runs, &c->at,
				 say(L10N_CHANGES_NO_LONGER_CONTESTED,
				     "No longer contested: ", lead, sizeof lead,
				     NULL, NULL),
				 q->words, NULL);
	st = item_text(c, runs, &c->at,
		       say(L10N_CHANGES_NOW_CONTESTED, "Now contested: ", lead,
			   sizeof lead, NULL, NULL),
		       q->words, NULL);
	for (size_t i = 0; i < q->nclaims && !st; i++) {
		const struct diff_claim *k = &q->claims[i];
		size_t len = strlen(k->figure) + strlen(k->reported_by) + 256;
		char *t = malloc(len);
		size_t n;

		if (!t)
			return BRIEF_ENOMEM;
		/* ": 1,200 according to X; 1,300 according to Y" */
		n = strlen(i ? say(L10N_LIST_SEPARATOR, "; ", t, len, NULL,
				   NULL)
			     : say(L10N_CHANGES_CLAIMS, ": ", t, len, NULL,
				   NULL));
		if (k->reported_by[0])
			say(L10N_CHANGES_CLAIM, "{figure} according to {who}",
			    t + n, len - n, k->figure, k->reported_by);
		else
			snprintf(t + n, len - n, "%s", k->figure);
		st = item_text(c, runs, &c->at, NULL, t, k->source);
		free(t);
	}
	return st;
}

/* ---- the block ---- */

static void items_free(struct changes *c)
{
	for (size_t i = 0; i < c->nitems; i++)
		doc_runs_free(&c->items[i].runs);
	free(c->items);
	c->items = NULL;
	c->nitems = 0;
}

/* A child block of kind with runs text (copied), at the block's place. */
static enum brief_status child_text(struct changes *c, struct doc_block *b,
				    enum block_kind kind, int level,
				    const char *text)
{
	struct doc_block *v = realloc(b->children,
				      (b->nchildren + 1) * sizeof *v);

	if (!v)
		return BRIEF_ENOMEM;
	b->children = v;
	v += b->nchildren++;
	memset(v, 0, sizeof *v);
	v->kind = kind;
	v->level = level;
	v->line = c->at.line;
	v->col = c->at.col;
	return doc_runs_add_at(&v->runs, &c->at, text, strlen(text), 0,
			       LINK_NONE, NULL, 0);
}

/* "3 rows added, 1 withdrawn and 2 revised" and the like, into buf. */
static void counts_words(const struct changes *c, char *buf, size_t size)
{
	char part[4][160], and[32], comma[32];
	size_t n = 0, o = 0, src = c->src_added + c->src_removed + c->src_changed;

	/* "rows" is said once, by the first part. */
	if (c->added)
		say_count(L10N_CHANGES_ROWS_ADDED, c->added,
			  "{count} row added", "{count} rows added", part[n++],
			  sizeof part[0]);
	if (c->removed) {
		if (n)
			say_count(L10N_CHANGES_AND_WITHDRAWN, c->removed,
				  "{count} withdrawn", "{count} withdrawn",
				  part[n], sizeof part[0]);
		else
			say_count(L10N_CHANGES_ROWS_WITHDRAWN, c->removed,
				  "{count} row withdrawn",
				  "{count} rows withdrawn", part[n],
				  sizeof part[0]);
		n++;
	}
	if (c->changed) {
		if (n)
			say_count(L10N_CHANGES_AND_REVISED, c->changed,
				  "{count} revised", "{count} revised", part[n],
				  sizeof part[0]);
		else
			say_count(L10N_CHANGES_ROWS_REVISED, c->changed,
				  "{count} row revised", "{count} rows revised",
				  part[n], sizeof part[0]);
		n++;
	}
	if (src)
		say_count(L10N_CHANGES_SOURCES, src,
			  "{count} source added, withdrawn or revised",
			  "{count} sources added, withdrawn or revised",
			  part[n++], sizeof part[0]);
	say(L10N_AND, " and ", and, sizeof and, NULL, NULL);
	say(L10N_COMMA, ", ", comma, sizeof comma, NULL, NULL);
	buf[0] = '\0';
	for (size_t i = 0; i < n && o < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s",
				      i == 0 ? "" : i + 1 == n ? and : comma,
				      part[i]);
}

/* The block's blocks: heading, the sentence that says what was compared,
 * the list. */
static enum brief_status changes_build(struct changes *c, struct doc_block *b,
				       const char *title, const char *since)
{
	char line[1024], counts[768];
	enum brief_status st = BRIEF_OK;
	struct doc_block *list;

	if (title[0] && (st = child_text(c, b, BLK_HEADING, 2, title)))
		return st;
	counts_words(c, counts, sizeof counts);
	if (!counts[0])
		say(L10N_CHANGES_NONE,
		    "No data changed since the last edition{since}.", line,
		    sizeof line, since, NULL);
	else
		say(L10N_CHANGES_COUNTS,
		    "Since the last edition{since}: {counts}.", line,
		    sizeof line, since, counts);
	if ((st = child_text(c, b, BLK_PARAGRAPH, 0, line)))
		return st;
	if (!c->nitems)
		return BRIEF_OK;
	list = realloc(b->children, (b->nchildren + 1) * sizeof *list);
	if (!list)
		return BRIEF_ENOMEM;
	b->children = list;
	list += b->nchildren++;
	memset(list, 0, sizeof *list);
	list->kind = BLK_LIST;
	list->line = c->at.line;
	list->col = c->at.col;
	list->children = calloc(c->nitems, sizeof *list->children);
	if (!list->children)
		return BRIEF_ENOMEM;
	for (size_t i = 0; i < c->nitems; i++) {
		struct doc_block *it = &list->children[list->nchildren++];

		it->kind = BLK_ITEM;
		it->line = c->at.line;
		it->col = c->at.col;
		it->children = calloc(1, sizeof *it->children);
		if (!it->children)
			return BRIEF_ENOMEM;
		it->nchildren = 1;
		it->children[0].kind = BLK_PARAGRAPH;
		it->children[0].line = c->at.line;
		it->children[0].col = c->at.col;
		it->children[0].runs = c->items[i].runs;
		memset(&c->items[i].runs, 0, sizeof c->items[i].runs);
	}
	if (c->more) {
		say_count(L10N_CHANGES_MORE, c->more,
			  "And {count} more (brief diff lists every change).",
			  "And {count} more (brief diff lists every change).",
			  line, sizeof line);
		st = child_text(c, b, BLK_PARAGRAPH, 0, line);
	}
	return st;
}

/* ---- the previous edition's data ---- */

/* A path from the layout (relative to its directory). */
static char *from_layout(const struct lay *L, const char *p)
{
	const char *slash = strrchr(L->path, '/');
	size_t n = slash && p[0] != '/' ? (size_t)(slash - L->path) + 1 : 0;
	char *s = malloc(n + strlen(p) + 1);

	if (s) {
		memcpy(s, L->path, n);
		strcpy(s + n, p);
	}
	return s;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Copy the current vocabulary beside the unpacked record, so that the old
 * rows are read with the words they were built with (a record holds the
 * datasets only). */
static enum brief_status copy_vocabulary(const char *from, const char *dir)
{
	char path[4200];
	FILE *in, *out;
	char buf[8192];
	size_t n;
	int bad = 0;

	if (!from)
		return BRIEF_OK;
	snprintf(path, sizeof path, "%.4096s/vocabulary.yaml", dir);
	in = fopen(from, "rb");
	if (!in)
		return BRIEF_EIO;
	out = fopen(path, "wb");
	if (!out) {
		fclose(in);
		return BRIEF_EIO;
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		bad |= fwrite(buf, 1, n, out) != n;
	bad |= ferror(in);
	fclose(in);
	bad |= fclose(out) != 0;
	return bad ? BRIEF_EIO : BRIEF_OK;
}

static void remove_unpacked(const char *dir)
{
	char path[4096];
	struct dirent *e;
	DIR *d = opendir(dir);

	/* Only what snapshot_extract (and the vocabulary copy) put there. */
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* " (data as of 5 March 2025)", from the latest date in the old data. */
static void old_as_of(const char *dir, char *buf, size_t size)
{
	struct diag_sink quiet = {NULL, 0, 0, 0};
	struct sources s;
	struct date d = {0, 0, 0};
	struct diag e;
	char words[64];

	buf[0] = '\0';
	memset(&s, 0, sizeof s);
	if (sources_load(dir, &s, &quiet, &e) == BRIEF_OK &&
	    data_latest_date(dir, &s, &d, &e) == BRIEF_OK && d.year)
		say(L10N_CHANGES_AS_OF, " (data as of {date})", buf, size,
		    date_format_long(&d, words, sizeof words), NULL);
	sources_free(&s);
}

/* Why the changes cannot be listed: a warning on stderr with the reason,
 * a sentence in the briefing without it. */
static enum brief_status changes_unlisted(struct changes *c,
					  struct doc_block *b,
					  const char *title, const char *why)
{
	enum brief_status st;
	char words[512];

	lay_warn(c->L, c->at.line, c->at.col,
		 "changes: %s; the block says the changes cannot be listed", why);
	if (title[0] && (st = child_text(c, b, BLK_HEADING, 2, title)))
		return st;
	return child_text(c, b, BLK_PARAGRAPH, 0,
			  say(L10N_CHANGES_UNLISTED,
			      "The changes since the last edition cannot be "
			      "listed: its record of the data could not be "
			      "read.",
			      words, sizeof words, NULL, NULL));
}

/* Compare dir (the last edition's data) with the data now, into c. */
static enum brief_status changes_compare(struct changes *c, const char *dir,
					 char *why, size_t size)
{
	struct diag_sink old_sink = {NULL, 0, 0, 0}, new_sink = {NULL, 0, 0, 0};
	struct diff_output out = {c, on_added, on_removed, on_changed,
				  on_quantity, NULL};
	struct diag d;
	enum brief_status st;

	d.msg[0] = '\0';
	st = diff_dirs(dir, c->L->doc->meta.data_dir, &out, &old_sink,
		       &new_sink, &d);
	if (st == BRIEF_ENOMEM || c->oom)
		return BRIEF_ENOMEM;
	if (st == BRIEF_EDATA && old_sink.errors)
		snprintf(why, size,
			 "the last edition's data has %u row%s brief no longer "
			 "reads (brief diff shows them)",
			 old_sink.errors, old_sink.errors == 1 ? "" : "s");
	else if (st)
		snprintf(why, size, "%.300s", d.msg[0] ? d.msg : "comparison failed");
	return st;
}

/* The record the block compares with: `since` (a report, a record or a
 * data directory, relative to the layout) or the record beside the
 * report this build writes. *dir is the data directory to read: the
 * since directory, or a temporary one the record is unpacked into
 * (*unpacked true). *first: no record yet, and none was asked for. */
static enum brief_status changes_source(struct lay *L, const struct ynode *since,
					char **dir, bool *unpacked,
					bool *first, char *why, size_t size)
{
	char *record = NULL, *given = NULL, tmpl[4096];
	const char *t = getenv("TMPDIR");
	struct snapshot_info info;
	struct stat sb;
	struct diag d;
	enum brief_status st;

	*dir = NULL;
	*unpacked = *first = false;
	if (since) {
		given = from_layout(L, since->str);
		if (!given)
			return BRIEF_ENOMEM;
		if (stat(given, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			*dir = given;
			return BRIEF_OK;
		}
		record = ends_with(given, ".pdf") ? snapshot_path(given) : given;
		if (record != given)
			free(given);
		if (!record)
			return BRIEF_ENOMEM;
		if (stat(record, &sb) != 0) {
			lay_error(L, since->line, since->col,
				  "changes: no record '%s' to compare with (a "
				  "build writes one beside each report)",
				  record);
			free(record);
			return BRIEF_EDATA;
		}
	} else {
		char report[4096];

		if (L->opts && L->opts->report)
			snprintf(report, sizeof report, "%s", L->opts->report);
		else
			snprintf(report, sizeof report, "reports/%s.pdf",
				 L->doc->layout_name);
		record = snapshot_path(report);
		if (!record)
			return BRIEF_ENOMEM;
		if (stat(record, &sb) != 0 && errno == ENOENT) {
			*first = true;
			free(record);
			return BRIEF_OK;
		}
	}
	if (snprintf(tmpl, sizeof tmpl, "%s/brief-changes.XXXXXX",
		     t && *t ? t : "/tmp") >= (int)sizeof tmpl ||
	    !mkdtemp(tmpl)) {
		snprintf(why, size, "cannot create a temporary directory: %s",
			 strerror(errno));
		free(record);
		return BRIEF_EIO;
	}
	memset(&info, 0, sizeof info);
	st = snapshot_extract(record, tmpl, &info, &d);
	snapshot_info_free(&info);
	*dir = lay_strdup(tmpl);
	*unpacked = true;
	if (!*dir) {
		remove_unpacked(tmpl);
		free(record);
		return BRIEF_ENOMEM;
	}
	if (st == BRIEF_OK &&
	    copy_vocabulary(sources_vocabulary(&L->doc->sources), tmpl)) {
		st = BRIEF_EIO;
		snprintf(d.msg, sizeof d.msg,
			 "cannot copy the vocabulary beside the record");
	}
	if (st && st != BRIEF_ENOMEM)
		snprintf(why, size, "the record %.100s: %.250s", record, d.msg);
	free(record);
	return st;
}

enum brief_status lay_changes(struct lay *L, const struct ynode *y, long line,
			      long col, struct doc_block *b)
{
	struct changes c;
	const struct ynode *title = NULL, *since = NULL, *max = NULL;
	char why[DIAG_MSG_MAX - 100] = "", asof[160] = "", *dir = NULL;
	char heading[256], first_words[256];
	bool unpacked = false, first = false;
	enum brief_status st = BRIEF_OK;

	memset(&c, 0, sizeof c);
	c.L = L;
	c.at = lay_at(L, line, col);
	c.max = CHANGES_DEFAULT_ITEMS;
	b->kind = BLK_ITEM;
	if (y && y->kind != Y_MAP) {
		lay_error(L, y->line, y->col,
			  "changes takes a map of options (title, since, max), "
			  "or nothing");
		return BRIEF_OK;
	}
	for (size_t i = 0; y && i + 1 < y->n; i += 2) {
		const struct ynode *k = &y->kids[i], *v = &y->kids[i + 1];

		if (v->kind != Y_SCALAR) {
			lay_error(L, v->line, v->col,
				  "changes '%s' must be a single value", k->str);
			return BRIEF_OK;
		}
		if (strcmp(k->str, "title") == 0)
			title = v;
		else if (strcmp(k->str, "since") == 0 && v->str[0])
			since = v;
		else if (strcmp(k->str, "max") == 0)
			max = v;
		else {
			lay_error(L, k->line, k->col,
				  "unknown changes key '%s' (title, since, max)",
				  k->str);
			return BRIEF_OK;
		}
	}
	if (max) {
		char *end;
		long m = strtol(max->str, &end, 10);

		if (*end || m < 1 || m > CHANGES_MAX_ITEMS) {
			lay_error(L, max->line, max->col,
				  "changes 'max' is how many changes to list, "
				  "1 to %d, not '%s'",
				  CHANGES_MAX_ITEMS, max->str);
			return BRIEF_OK;
		}
		c.max = (size_t)m;
	}
	say(L10N_CHANGES_TITLE, "Changes since the last edition", heading,
	    sizeof heading, NULL, NULL);
	st = changes_source(L, since, &dir, &unpacked, &first, why, sizeof why);
	if (st == BRIEF_ENOMEM)
		goto out;
	if (st == BRIEF_EDATA && !why[0])
		goto out; /* reported at `since` */
	if (first) {
		const char *t = title ? title->str : heading;

		if (t[0] && (st = child_text(&c, b, BLK_HEADING, 2, t)))
			goto out;
		st = child_text(&c, b, BLK_PARAGRAPH, 0,
				say(L10N_CHANGES_FIRST,
				    "This is the first edition: there is no "
				    "earlier one to compare with.",
				    first_words, sizeof first_words, NULL,
				    NULL));
		goto out;
	}
	if (!st) {
		old_as_of(dir, asof, sizeof asof);
		st = changes_compare(&c, dir, why, sizeof why);
	}
	if (st == BRIEF_ENOMEM)
		goto out;
	if (st) {
		items_free(&c);
		st = changes_unlisted(&c, b, title ? title->str : heading, why);
		goto out;
	}
	st = changes_build(&c, b,
			   title ? title->str : heading,
			   asof);
out:
	if (unpacked && dir)
		remove_unpacked(dir);
	free(dir);
	items_free(&c);
	return st == BRIEF_ENOMEM ? st : BRIEF_OK;
}
