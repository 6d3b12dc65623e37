/* cmd_diff.c — `brief diff OLD [NEW]`: what to compare (a data directory,
 * a report's recorded inputs, a record, a layout's data), and the text and
 * JSON output of the comparison in diff.h. The JSON schema is documented
 * in docs/diff.md. */
#define _XOPEN_SOURCE 700 /* mkdtemp */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "diff.h"
#include "layout.h"
#include "outfile.h"
#include "snapshot.h"

/* ---- what a side is ---- */

struct input {
	const char *arg;
	const char *kind; /* "directory", "report", "record", "layout" */
	char *dir;        /* the data directory to read (owned) */
	char *record;     /* the record read, for report and record (owned) */
	char *tmp;        /* where the record was unpacked (owned), or NULL */
	struct snapshot_info info;
	/* Diagnostics about an unpacked record name the record, not the
	 * temporary directory: they are collected here and rewritten. */
	char *errs;
	size_t errs_len;
	FILE *errs_f;
	struct diag_sink sink;
};

/* The unpacked records, for removal on a signal: the directory and the
 * names of the files in it (the data files a record may hold; the
 * labelled datasets' names are added once unpacked). */
#define CLEANUP_MAX (2 * DATASETS_MAX)
static char cleanup_dir[2][2048];
static char cleanup_names[2][CLEANUP_MAX][DATASET_NAME_MAX + 8];
static volatile sig_atomic_t cleanup_n[2];
static volatile sig_atomic_t cleanup_live[2];

/* Async-signal-safe: no stdio, no allocation. */
static void remove_tree(int which)
{
	char path[sizeof cleanup_dir[0] + DATASET_NAME_MAX + 8];
	size_t d = strlen(cleanup_dir[which]);
	int i;

	memcpy(path, cleanup_dir[which], d);
	path[d] = '/';
	for (i = 0; i < cleanup_n[which]; i++) {
		strcpy(path + d + 1, cleanup_names[which][i]);
		unlink(path);
	}
	rmdir(cleanup_dir[which]);
}

static void cleanup_add(int which, const char *name)
{
	int i, n = cleanup_n[which];

	if (n >= CLEANUP_MAX || strlen(name) >= sizeof cleanup_names[0][0])
		return;
	for (i = 0; i < n; i++)
		if (strcmp(cleanup_names[which][i], name) == 0)
			return;
	strcpy(cleanup_names[which][n], name);
	cleanup_n[which] = n + 1;
}

static void on_signal(int sig)
{
	int i;

	for (i = 0; i < 2; i++)
		if (cleanup_live[i])
			remove_tree(i);
	signal(sig, SIG_DFL);
	raise(sig);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static enum brief_status unpack(struct input *in, int which, struct diag *err)
{
	const char *t = getenv("TMPDIR");
	char tmpl[2048];
	enum brief_status st;
	int i;
	DIR *d;

	if (snprintf(tmpl, sizeof tmpl, "%s/brief-diff.XXXXXX",
		     t && *t ? t : "/tmp") >= (int)sizeof tmpl)
		return diag_set(err, BRIEF_EIO, "TMPDIR", 0, 0,
				"the temporary directory's path is too long");
	if (!mkdtemp(tmpl))
		return diag_set(err, BRIEF_EIO, tmpl, 0, 0,
				"cannot create a temporary directory: %s",
				strerror(errno));
	in->tmp = strdup(tmpl);
	if (!in->tmp) {
		rmdir(tmpl);
		return diag_set(err, BRIEF_ENOMEM, in->arg, 0, 0,
				"out of memory");
	}
	snprintf(cleanup_dir[which], sizeof cleanup_dir[which], "%s", tmpl);
	cleanup_n[which] = 0;
	cleanup_add(which, "sources.csv");
	for (i = 0; i < DS_COUNT; i++) {
		char name[DATASET_NAME_MAX + 8];

		snprintf(name, sizeof name, "%s.csv",
			 dataset_name((enum dataset_kind)i));
		cleanup_add(which, name);
	}
	cleanup_live[which] = 1;
	st = snapshot_extract(in->record, in->tmp, &in->info, err);
	/* The labelled datasets it held, too. */
	if ((d = opendir(tmpl))) {
		struct dirent *e;

		while ((e = readdir(d)))
			if (e->d_name[0] != '.')
				cleanup_add(which, e->d_name);
		closedir(d);
	}
	if (st)
		return st;
	in->dir = strdup(in->tmp);
	return in->dir ? BRIEF_OK
		       : diag_set(err, BRIEF_ENOMEM, in->arg, 0, 0,
				  "out of memory");
}

/* A layout's data directory, as a build would resolve it. */
static enum brief_status layout_dir(struct input *in, struct diag *err)
{
	struct layout_opts lo = {.data_dir = NULL};
	struct diag_sink quiet = {NULL, 0, 0, 0};
	struct doc *d = NULL;
	enum brief_status st = layout_load(in->arg, &lo, &d, &quiet, err);

	if (st == BRIEF_EDATA)
		return diag_set(err, BRIEF_EDATA, in->arg, 0, 0,
				"has errors, so its data directory is not "
				"known (see brief check %s)",
				in->arg);
	if (st)
		return st;
	in->dir = strdup(d->meta.data_dir);
	doc_free(d);
	return in->dir ? BRIEF_OK
		       : diag_set(err, BRIEF_ENOMEM, in->arg, 0, 0,
				  "out of memory");
}

static enum brief_status resolve(struct input *in, int which, struct diag *err)
{
	struct stat st;
	enum brief_status s;

	if (is_dir(in->arg)) {
		in->kind = "directory";
		in->dir = strdup(in->arg);
		return in->dir ? BRIEF_OK
			       : diag_set(err, BRIEF_ENOMEM, in->arg, 0, 0,
					  "out of memory");
	}
	if (stat(in->arg, &st) != 0)
		return diag_set(err, errno == ENOENT ? BRIEF_EDATA : BRIEF_EIO,
				in->arg, 0, 0, "cannot read: %s",
				strerror(errno));
	if (ends_with(in->arg, ".md")) {
		in->kind = "layout";
		return layout_dir(in, err);
	}
	if (ends_with(in->arg, ".inputs.tar.gz")) {
		in->kind = "record";
		in->record = strdup(in->arg);
		if (!in->record)
			return diag_set(err, BRIEF_ENOMEM, in->arg, 0, 0,
					"out of memory");
		return unpack(in, which, err);
	}
	if (!ends_with(in->arg, ".pdf"))
		return diag_set(err, BRIEF_EDATA, in->arg, 0, 0,
				"not a data directory, report (.pdf), record "
				"(.inputs.tar.gz) or layout (.md)");
	in->kind = "report";
	in->record = snapshot_path(in->arg);
	if (!in->record)
		return diag_set(err, BRIEF_ENOMEM, in->arg, 0, 0,
				"out of memory");
	if (stat(in->record, &st) != 0)
		return diag_set(err, BRIEF_EDATA, in->arg, 0, 0,
				"no inputs are recorded for this report (no "
				"%s): it was written before brief recorded "
				"them; build it again (without --if-changed)",
				in->record);
	s = unpack(in, which, err);
	if (s)
		return s;
	if (!outfile_has_hash(in->arg, in->info.input_hash))
		return diag_set(err, BRIEF_EDATA, in->arg, 0, 0,
				"%s was recorded by another build than the "
				"one that wrote this report; build it again "
				"(without --if-changed)",
				in->record);
	return BRIEF_OK;
}

static void input_free(struct input *in, int which)
{
	if (in->tmp) {
		remove_tree(which);
		cleanup_live[which] = 0;
	}
	free(in->dir);
	free(in->record);
	free(in->tmp);
	snapshot_info_free(&in->info);
	if (in->errs_f)
		fclose(in->errs_f);
	free(in->errs);
}

/* Where the side's diagnostics go: stderr, or for an unpacked record a
 * buffer that print_errs rewrites. */
static enum brief_status input_sink(struct input *in, struct diag *err)
{
	memset(&in->sink, 0, sizeof in->sink);
	in->sink.max_errors = 50;
	in->sink.out = stderr;
	if (!in->tmp)
		return BRIEF_OK;
	in->errs_f = open_memstream(&in->errs, &in->errs_len);
	if (!in->errs_f)
		return diag_set(err, BRIEF_ENOMEM, in->arg, 0, 0,
				"out of memory");
	in->sink.out = in->errs_f;
	return BRIEF_OK;
}

/* Print the collected diagnostics with the temporary directory replaced
 * by the record's name ("reports/x.inputs.tar.gz/casualties.csv:7:3"). */
static void print_errs(struct input *in)
{
	const char *p, *hit;
	size_t tl;

	if (!in->errs_f)
		return;
	fflush(in->errs_f);
	if (!in->errs)
		return;
	tl = strlen(in->tmp);
	for (p = in->errs; (hit = strstr(p, in->tmp)) != NULL; p = hit + tl) {
		fwrite(p, 1, (size_t)(hit - p), stderr);
		fputs(in->record, stderr);
	}
	fputs(p, stderr);
}

/* ---- output ---- */

/* Text or JSON items waiting for their section. */
struct spool {
	FILE *f;
	size_t n;
};

struct out {
	bool json, quiet;
	FILE *f; /* everything, copied to stdout at the end */
	struct spool added, removed, changed, figures, qnew, qresolved;
	struct diff_counts total;
	size_t nfigures, nqnew, nqresolved;
	bool first_file;
};

static enum brief_status spool_open(struct spool *s, struct diag *err)
{
	s->n = 0;
	if (s->f) {
		rewind(s->f);
		if (ftruncate(fileno(s->f), 0) != 0)
			return diag_set(err, BRIEF_EIO, "brief diff", 0, 0,
					"cannot reuse a temporary file: %s",
					strerror(errno));
		return BRIEF_OK;
	}
	s->f = tmpfile();
	return s->f ? BRIEF_OK
		    : diag_set(err, BRIEF_EIO, "brief diff", 0, 0,
			       "cannot create a temporary file: %s",
			       strerror(errno));
}

/* Append the spool to out, items joined by sep. JSON items are written
 * whole, so a separator goes before every item but the first. */
static enum brief_status spool_copy(struct spool *s, FILE *out,
				    struct diag *err)
{
	char buf[1 << 14];
	size_t n;

	if (!s->f)
		return BRIEF_OK;
	fflush(s->f);
	rewind(s->f);
	while ((n = fread(buf, 1, sizeof buf, s->f)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			return diag_set(err, BRIEF_EIO, "brief diff", 0, 0,
					"cannot write: %s", strerror(errno));
	return ferror(s->f) ? diag_set(err, BRIEF_EIO, "brief diff", 0, 0,
				       "cannot read back a temporary file")
			    : BRIEF_OK;
}

static void spool_close(struct spool *s)
{
	if (s->f)
		fclose(s->f);
	s->f = NULL;
}

static enum brief_status json_item(struct spool *s, json_t *j,
				   struct diag *err)
{
	char *text;

	if (!j)
		return diag_set(err, BRIEF_ENOMEM, "brief diff", 0, 0,
				"out of memory");
	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!text)
		return diag_set(err, BRIEF_ENOMEM, "brief diff", 0, 0,
				"out of memory");
	fprintf(s->f, "%s\n      %s", s->n ? "," : "", text);
	s->n++;
	free(text);
	return BRIEF_OK;
}

/* A value for one text line: at most 60 characters (UTF-8 kept whole),
 * quoted. */
static void short_text(const char *s, char *buf, size_t size)
{
	size_t n = 0, chars = 0, i = 0;

	buf[n++] = '"';
	while (s[i] && n + 8 < size) {
		size_t len = 1;

		if (chars == 60) {
			memcpy(buf + n, "\xE2\x80\xA6", 3); /* … */
			n += 3;
			break;
		}
		while ((s[i + len] & 0xC0) == 0x80)
			len++;
		if (n + len + 8 >= size)
			break;
		memcpy(buf + n, s + i, len);
		n += len;
		i += len;
		chars++;
	}
	buf[n++] = '"';
	buf[n] = '\0';
}

static json_t *json_fields(const struct diff_row *r)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; o && i < r->ncols; i++)
		json_object_set_new(o, r->names[i], json_string(r->values[i]));
	return o;
}

static json_t *json_row(const struct diff_row *r)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_string(r->id));
	json_object_set_new(o, "line", json_integer(r->line));
	json_object_set_new(o, "summary", json_string(r->summary));
	if (r->figure[0])
		json_object_set_new(o, "figure", json_string(r->figure));
	json_object_set_new(o, "fields", json_fields(r));
	return o;
}

static enum brief_status on_row(struct out *o, struct spool *s, char mark,
				const struct diff_row *r, struct diag *err)
{
	if (o->json)
		return json_item(s, json_row(r), err);
	fprintf(s->f, "  %c %s  %s\n", mark, r->id, r->summary);
	s->n++;
	return BRIEF_OK;
}

static enum brief_status on_added(void *ctx, const struct diff_file *file, const struct diff_row *r,
				  struct diag *err)
{
	(void)file;
	return on_row(ctx, &((struct out *)ctx)->added, '+', r, err);
}

static enum brief_status on_removed(void *ctx, const struct diff_file *file,
				    const struct diff_row *r, struct diag *err)
{
	(void)file;
	return on_row(ctx, &((struct out *)ctx)->removed, '-', r, err);
}

static enum brief_status on_figure(struct out *o, const struct diff_file *file,
				   const struct diff_change *c,
				   struct diag *err)
{
	o->nfigures++;
	if (o->json) {
		json_t *j = json_object();

		if (j) {
			json_object_set_new(j, "file",
					    json_string(file->name));
			json_object_set_new(j, "id", json_string(c->id));
			json_object_set_new(j, "old", json_string(c->old_figure));
			json_object_set_new(j, "new", json_string(c->new_figure));
			json_object_set_new(j, "summary", json_string(c->summary));
		}
		return json_item(&o->figures, j, err);
	}
	fprintf(o->figures.f, "  %s:%s  %s \xE2\x86\x92 %s\n", file->name,
		c->id, c->old_figure, c->new_figure);
	o->figures.n++;
	return BRIEF_OK;
}

static enum brief_status on_changed(void *ctx, const struct diff_file *file,
				    const struct diff_change *c,
				    struct diag *err)
{
	struct out *o = ctx;
	enum brief_status st = BRIEF_OK;
	size_t i;

	if (strcmp(c->old_figure, c->new_figure) != 0)
		st = on_figure(o, file, c, err);
	if (st)
		return st;
	if (o->json) {
		json_t *j = json_object(), *cols = json_array();

		for (i = 0; j && cols && i < c->n; i++) {
			json_t *e = json_object();

			json_object_set_new(e, "column", json_string(c->columns[i]));
			json_object_set_new(e, "old", json_string(c->old_values[i]));
			json_object_set_new(e, "new", json_string(c->new_values[i]));
			json_array_append_new(cols, e);
		}
		if (j && cols) {
			json_object_set_new(j, "id", json_string(c->id));
			json_object_set_new(j, "old_line", json_integer(c->old_line));
			json_object_set_new(j, "new_line", json_integer(c->new_line));
			json_object_set_new(j, "summary", json_string(c->summary));
			if (c->new_figure[0] || c->old_figure[0]) {
				json_object_set_new(j, "old_figure",
						    json_string(c->old_figure));
				json_object_set_new(j, "new_figure",
						    json_string(c->new_figure));
			}
			json_object_set(j, "columns", cols);
		}
		json_decref(cols);
		return json_item(&o->changed, j, err);
	}
	for (i = 0; i < c->n; i++) {
		char a[256], b[256];

		short_text(c->old_values[i], a, sizeof a);
		short_text(c->new_values[i], b, sizeof b);
		if (i == 0)
			fprintf(o->changed.f, "  ~ %s  %s: %s \xE2\x86\x92 %s\n",
				c->id, c->columns[i], a, b);
		else
			fprintf(o->changed.f, "    %*s  %s: %s \xE2\x86\x92 %s\n",
				(int)strlen(c->id), "", c->columns[i], a, b);
	}
	o->changed.n++;
	return BRIEF_OK;
}

static enum brief_status on_quantity(void *ctx, const struct diff_file *file, bool is_new,
				     const struct diff_quantity *q,
				     struct diag *err)
{
	struct out *o = ctx;
	struct spool *s = is_new ? &o->qnew : &o->qresolved;
	size_t i;

	if (is_new)
		o->nqnew++;
	else
		o->nqresolved++;
	if (o->json) {
		json_t *j = json_object(), *claims = json_array();

		for (i = 0; j && claims && i < q->nclaims; i++) {
			json_t *e = json_object();

			json_object_set_new(e, "id", json_string(q->claims[i].id));
			json_object_set_new(e, "reported_by",
					    json_string(q->claims[i].reported_by));
			json_object_set_new(e, "figure",
					    json_string(q->claims[i].figure));
			json_object_set_new(e, "source",
					    json_string(q->claims[i].source));
			json_array_append_new(claims, e);
		}
		if (j && claims) {
			json_object_set_new(j, "file",
					    json_string(file->name));
			json_object_set_new(j, "quantity", json_string(q->words));
			json_object_set(j, "claims", claims);
		}
		json_decref(claims);
		return json_item(s, j, err);
	}
	fprintf(s->f, "  %-8s %s: %s\n", is_new ? "new" : "resolved",
		file->name, q->words);
	for (i = 0; i < q->nclaims; i++)
		fprintf(s->f, "             %s: %s (%s) [%s]\n",
			q->claims[i].id, q->claims[i].figure,
			q->claims[i].reported_by, q->claims[i].source);
	s->n++;
	return BRIEF_OK;
}

static void text_counts(FILE *f, const struct diff_counts *c)
{
	const char *sep = "";

	if (c->added)
		fprintf(f, "%s%zu added", sep, c->added), sep = ", ";
	if (c->removed)
		fprintf(f, "%s%zu removed", sep, c->removed), sep = ", ";
	if (c->changed)
		fprintf(f, "%s%zu changed", sep, c->changed), sep = ", ";
	fprintf(f, "%s%zu unchanged", sep, c->unchanged);
}

static json_t *json_counts(const struct diff_counts *c)
{
	json_t *j = json_object();

	if (!j)
		return NULL;
	json_object_set_new(j, "added", json_integer((json_int_t)c->added));
	json_object_set_new(j, "removed", json_integer((json_int_t)c->removed));
	json_object_set_new(j, "changed", json_integer((json_int_t)c->changed));
	json_object_set_new(j, "unchanged",
			    json_integer((json_int_t)c->unchanged));
	return j;
}

/* One JSON key and its spooled array. */
static enum brief_status json_array_out(struct out *o, const char *key,
					struct spool *s, bool last,
					struct diag *err)
{
	enum brief_status st;

	fprintf(o->f, "      \"%s\": [", key);
	st = spool_copy(s, o->f, err);
	fprintf(o->f, "%s]%s\n", s->n ? "\n      " : "", last ? "" : ",");
	return st;
}

static enum brief_status on_counts(void *ctx, const struct diff_file *file,
				   const struct diff_counts *c,
				   struct diag *err)
{
	struct out *o = ctx;
	const char *name = file->name;
	enum brief_status st = BRIEF_OK;

	o->total.added += c->added;
	o->total.removed += c->removed;
	o->total.changed += c->changed;
	o->total.unchanged += c->unchanged;
	if (o->json) {
		json_t *cj = json_counts(c);
		char *ct = cj ? json_dumps(cj, JSON_COMPACT) : NULL;

		json_decref(cj);
		if (!ct)
			return diag_set(err, BRIEF_ENOMEM, "brief diff", 0, 0,
					"out of memory");
		fprintf(o->f,
			"%s    {\n      \"name\": \"%s\",\n"
			"      \"old_missing\": %s,\n      \"new_missing\": %s,\n"
			"      \"counts\": %s,\n",
			o->first_file ? "" : ",\n", name,
			c->old_missing ? "true" : "false",
			c->new_missing ? "true" : "false", ct);
		free(ct);
		o->first_file = false;
		if ((st = json_array_out(o, "added", &o->added, false, err)) ||
		    (st = json_array_out(o, "removed", &o->removed, false,
					 err)) ||
		    (st = json_array_out(o, "changed", &o->changed, true, err)))
			return st;
		fprintf(o->f, "    }");
	} else if (!o->quiet) {
		fprintf(o->f, "%s: ", name);
		if (c->old_missing && c->new_missing)
			fprintf(o->f, "in neither\n");
		else if (!c->added && !c->removed && !c->changed)
			fprintf(o->f, "no change (%zu rows)\n", c->unchanged);
		else {
			text_counts(o->f, c);
			fprintf(o->f, "%s\n",
				c->old_missing   ? " (new file)"
				: c->new_missing ? " (file removed)"
						 : "");
		}
		if ((st = spool_copy(&o->added, o->f, err)) ||
		    (st = spool_copy(&o->removed, o->f, err)) ||
		    (st = spool_copy(&o->changed, o->f, err)))
			return st;
	}
	if ((st = spool_open(&o->added, err)) ||
	    (st = spool_open(&o->removed, err)) ||
	    (st = spool_open(&o->changed, err)))
		return st;
	return BRIEF_OK;
}

static json_t *json_side(const struct input *in)
{
	json_t *j = json_object();

	if (!j)
		return NULL;
	json_object_set_new(j, "argument", json_string(in->arg));
	json_object_set_new(j, "kind", json_string(in->kind));
	json_object_set_new(j, "data", json_string(in->tmp ? in->info.data_dir
							  : in->dir));
	if (in->record) {
		json_object_set_new(j, "record", json_string(in->record));
		json_object_set_new(j, "built_with", json_string(in->info.brief));
		json_object_set_new(j, "layout", json_string(in->info.layout));
	}
	return j;
}

static void text_side(FILE *f, const char *label, const struct input *in)
{
	if (in->record)
		fprintf(f, "%s %s (inputs recorded by %s from %s)\n", label,
			in->arg, in->info.brief, in->info.data_dir);
	else if (strcmp(in->kind, "layout") == 0)
		fprintf(f, "%s %s (data %s)\n", label, in->arg, in->dir);
	else
		fprintf(f, "%s %s\n", label, in->arg);
}

static enum brief_status out_begin(struct out *o, const struct input *a,
				   const struct input *b, struct diag *err)
{
	enum brief_status st;

	o->f = tmpfile();
	if (!o->f)
		return diag_set(err, BRIEF_EIO, "brief diff", 0, 0,
				"cannot create a temporary file: %s",
				strerror(errno));
	o->first_file = true;
	if ((st = spool_open(&o->added, err)) ||
	    (st = spool_open(&o->removed, err)) ||
	    (st = spool_open(&o->changed, err)) ||
	    (st = spool_open(&o->figures, err)) ||
	    (st = spool_open(&o->qnew, err)) ||
	    (st = spool_open(&o->qresolved, err)))
		return st;
	if (o->json) {
		json_t *sa = json_side(a), *sb = json_side(b);
		char *ta = sa ? json_dumps(sa, JSON_COMPACT) : NULL;
		char *tb = sb ? json_dumps(sb, JSON_COMPACT) : NULL;

		json_decref(sa);
		json_decref(sb);
		if (ta && tb)
			fprintf(o->f,
				"{\n  \"format\": \"brief-diff\",\n"
				"  \"version\": 1,\n  \"old\": %s,\n"
				"  \"new\": %s,\n  \"files\": [\n",
				ta, tb);
		free(ta);
		free(tb);
		if (!ta || !tb)
			return diag_set(err, BRIEF_ENOMEM, "brief diff", 0, 0,
					"out of memory");
	} else if (!o->quiet) {
		text_side(o->f, "old:", a);
		text_side(o->f, "new:", b);
		fputc('\n', o->f);
	}
	return BRIEF_OK;
}

static void text_summary(FILE *f, const struct out *o)
{
	fprintf(f, "%zu added, %zu removed, %zu changed; %zu figure%s "
		   "reworded; %zu contested quantit%s new, %zu resolved\n",
		o->total.added, o->total.removed, o->total.changed, o->nfigures,
		o->nfigures == 1 ? "" : "s", o->nqnew,
		o->nqnew == 1 ? "y" : "ies", o->nqresolved);
}

static enum brief_status out_end(struct out *o, struct diag *err)
{
	enum brief_status st = BRIEF_OK;
	char buf[1 << 14];
	size_t n;

	if (o->json) {
		fprintf(o->f, "\n  ],\n  \"figures\": [");
		st = spool_copy(&o->figures, o->f, err);
		fprintf(o->f, "%s],\n  \"contested\": {\n    \"new\": [",
			o->figures.n ? "\n  " : "");
		if (!st)
			st = spool_copy(&o->qnew, o->f, err);
		fprintf(o->f, "%s],\n    \"resolved\": [",
			o->qnew.n ? "\n    " : "");
		if (!st)
			st = spool_copy(&o->qresolved, o->f, err);
		fprintf(o->f,
			"%s]\n  },\n  \"summary\": {\"added\": %zu, "
			"\"removed\": %zu, \"changed\": %zu, \"unchanged\": %zu, "
			"\"figures\": %zu, \"contested_new\": %zu, "
			"\"contested_resolved\": %zu}\n}\n",
			o->qresolved.n ? "\n    " : "", o->total.added,
			o->total.removed, o->total.changed, o->total.unchanged,
			o->nfigures, o->nqnew, o->nqresolved);
	} else {
		if (!o->quiet && o->figures.n) {
			fprintf(o->f, "\nFigures whose worded value changed:\n");
			st = spool_copy(&o->figures, o->f, err);
		}
		if (!st && !o->quiet && (o->qnew.n || o->qresolved.n)) {
			fprintf(o->f, "\nContested quantities:\n");
			st = spool_copy(&o->qnew, o->f, err);
			if (!st)
				st = spool_copy(&o->qresolved, o->f, err);
		}
		if (!o->quiet)
			fputc('\n', o->f);
		text_summary(o->f, o);
	}
	if (st)
		return st;
	fflush(o->f);
	rewind(o->f);
	while ((n = fread(buf, 1, sizeof buf, o->f)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			break;
	if (fflush(stdout) != 0 || ferror(o->f))
		return diag_set(err, BRIEF_EIO, "stdout", 0, 0,
				"cannot write: %s", strerror(errno));
	return BRIEF_OK;
}

static void out_free(struct out *o)
{
	spool_close(&o->added);
	spool_close(&o->removed);
	spool_close(&o->changed);
	spool_close(&o->figures);
	spool_close(&o->qnew);
	spool_close(&o->qresolved);
	if (o->f)
		fclose(o->f);
}

/* ---- the command ---- */

static const struct option diff_opts[] = {
	{"json", no_argument, NULL, 'j'},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0}};

static void catch_signals(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		sigaction(sigs[i], NULL, &old);
		if (old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	}
}

int cmd_diff(int argc, char **argv)
{
	struct input in[2];
	struct out o;
	struct diff_output cb;
	struct diag err;
	enum brief_status st = BRIEF_OK;
	int c, i;

	memset(in, 0, sizeof in);
	memset(&o, 0, sizeof o);
	memset(&err, 0, sizeof err);
	optind = 1;
	while ((c = getopt_long(argc, argv, "jqh", diff_opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o.json = true;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'h':
			cli_help(stdout, "diff");
			return 0;
		default:
			fprintf(stderr, "Try 'brief help diff'.\n");
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 2)
		return cli_usage_error("diff", "diff takes OLD and NEW (or a "
					       "report alone)");
	catch_signals();
	in[0].arg = argv[0];
	st = resolve(&in[0], 0, &err);
	if (!st && argc == 1 && !in[0].record)
		st = diag_set(&err, BRIEF_EUSAGE, in[0].arg, 0, 0,
			      "alone, OLD must be a report or a record (its "
			      "inputs are compared with its data directory as "
			      "it is now)");
	if (!st) {
		in[1].arg = argc == 2 ? argv[1] : in[0].info.data_dir;
		st = resolve(&in[1], 1, &err);
	}
	for (i = 0; i < 2 && !st; i++)
		st = input_sink(&in[i], &err);
	if (!st)
		st = out_begin(&o, &in[0], &in[1], &err);
	if (!st) {
		cb.ctx = &o;
		cb.added = on_added;
		cb.removed = on_removed;
		cb.changed = on_changed;
		cb.quantity = on_quantity;
		cb.counts = on_counts;
		st = diff_dirs(in[0].dir, in[1].dir, &cb, &in[0].sink,
			       &in[1].sink, &err);
		print_errs(&in[0]);
		print_errs(&in[1]);
		if (st == BRIEF_EDATA && !err.msg[0])
			fprintf(stderr,
				"brief: diff: invalid data (errors above); "
				"nothing compared\n");
	}
	if (!st)
		st = out_end(&o, &err);
	if (st == BRIEF_EUSAGE) {
		fprintf(stderr, "brief: %s: %s\nTry 'brief help diff'.\n",
			err.file, err.msg);
	} else if (st && err.msg[0]) {
		diag_print(stderr, &err, DIAG_ERROR);
	}
	out_free(&o);
	input_free(&in[0], 0);
	input_free(&in[1], 1);
	return brief_exit_code(st);
}
