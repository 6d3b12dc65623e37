/* data_check.c — `brief check` over a data directory: every dataset
 * validated, stated_as phrases verified against archived source texts, and
 * the latest date in the data. */
/* realpath */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicase.h>
#include <unistr.h>

#include "csv_load.h"
#include "data.h"
#include "data_schema.h"
#include "import.h"
#include "infile.h"

#define ARCHIVE_MAX (16L << 20)

/* Fold text for the archive comparison: lowercase, no whitespace, curly
 * quotes straightened, and thousands separators (',' '.' between digits)
 * dropped, so "More than 5 000" matches "more than 5,000". Returns a
 * malloc'd string, NULL when out of memory. */
static char *fold(const char *s, size_t n)
{
	size_t lower_len = 0, i = 0, o = 0;
	uint8_t *lower = u8_tolower((const uint8_t *)s, n, NULL, NULL, NULL,
				    &lower_len);
	char *out;

	if (!lower)
		return NULL;
	out = malloc(lower_len + 1);
	if (!out) {
		free(lower);
		return NULL;
	}
	while (i < lower_len) {
		ucs4_t c;
		int len = u8_mbtoucr(&c, lower + i, lower_len - i);

		if (len <= 0) {
			i++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == 0xA0 || c == 0x202F || c == 0x2009 || c == 0x2007) {
			i += (size_t)len;
			continue;
		}
		if ((c == ',' || c == '.') && o > 0 && out[o - 1] >= '0' &&
		    out[o - 1] <= '9') {
			size_t j = i + 1;

			while (j < lower_len && (lower[j] == ' ' ||
						 lower[j] == 0xC2 /* NBSP */))
				j += lower[j] == 0xC2 ? 2 : 1;
			if (j < lower_len && lower[j] >= '0' && lower[j] <= '9') {
				i++;
				continue;
			}
		}
		if (c == 0x2018 || c == 0x2019) {
			out[o++] = '\'';
		} else if (c == 0x201C || c == 0x201D) {
			out[o++] = '"';
		} else {
			memcpy(out + o, lower + i, (size_t)len);
			o += (size_t)len;
		}
		i += (size_t)len;
	}
	out[o] = '\0';
	free(lower);
	return out;
}

/* One archived text per source, folded, loaded on first use. */
struct archive {
	const char *dir;
	char *real_dir; /* dir with links resolved, owned */
	const struct sources *sources;
	char **text; /* per source, owned; NULL until loaded */
	bool *tried;
	struct diag_sink *sink;
	size_t checked;
	bool io_failed; /* an archived copy exists but could not be read */
	bool out_of_memory;
	/* Per source without an archived copy: the rows whose stated_as
	 * cannot be verified, said once per source after the scan. */
	struct unarchived *unarchived;
	enum dataset_kind kind; /* the dataset being scanned */
};

struct unarchived {
	size_t rows;
	enum dataset_kind first_kind; /* where the first such row is */
	long first_line;
};

/* Report a problem with source src's archived copy, at its archive field
 * in sources.csv. */
static void archive_problem(struct archive *a, const struct source *src,
			    enum brief_status st, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void archive_problem(struct archive *a, const struct source *src,
			    enum brief_status st, const char *fmt, ...)
{
	struct diag d;
	va_list ap;

	va_start(ap, fmt);
	diag_vset(&d, st, a->sources->path, src->line, src->archive_col, fmt,
		  ap);
	va_end(ap);
	if (st == BRIEF_EIO)
		a->io_failed = true;
	diag_emit(a->sink, &d, DIAG_ERROR);
}

/* Read the archived copy at path (inside the archive directory, checked
 * by the caller) whole; NULL after reporting why not. */
static char *read_archived(struct archive *a, const struct source *src,
			   const char *path, size_t *len)
{
	FILE *f = NULL;
	struct diag d;
	char *buf = NULL, *nb;
	size_t cap = 0, n = 0, r;
	enum brief_status st = infile_fopen(path, &f, &d);

	if (st != BRIEF_OK) {
		archive_problem(a, src, st, "archived copy '%s' of source '%s': %s",
				path, src->id, d.msg);
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			if (cap > (size_t)ARCHIVE_MAX) {
				archive_problem(a, src, BRIEF_EDATA,
						"archived copy '%s' of source "
						"'%s' is larger than %ld bytes",
						path, src->id, ARCHIVE_MAX);
				goto fail;
			}
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				a->out_of_memory = true;
				goto fail;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		if (r == 0)
			break;
		n += r;
	}
	if (ferror(f)) {
		archive_problem(a, src, BRIEF_EIO,
				"cannot read archived copy '%s' of source '%s': "
				"%s",
				path, src->id, strerror(errno));
		goto fail;
	}
	fclose(f);
	f = NULL;
	/* Archived text, or nothing could be found in it: every stated_as of
	 * the source would read "does not occur". */
	if (n == 0) {
		archive_problem(a, src, BRIEF_EDATA,
				"archived copy '%s' of source '%s' is empty",
				path, src->id);
		goto fail;
	}
	{
		const uint8_t *bad = u8_check((const uint8_t *)buf, n);
		const char *nul = memchr(buf, '\0', n);

		if (bad || nul) {
			size_t at = bad ? (size_t)((const char *)bad - buf)
					: (size_t)(nul - buf);

			if (nul && (size_t)(nul - buf) < at)
				at = (size_t)(nul - buf);
			archive_problem(a, src, BRIEF_EDATA,
					"archived copy '%s' of source '%s' is "
					"not UTF-8 text (byte 0x%02X at offset "
					"%zu%s): save the text of the page as "
					"UTF-8",
					path, src->id, (unsigned char)buf[at], at,
					n >= 2 && ((buf[0] == '\xFF' && buf[1] == '\xFE') ||
						   (buf[0] == '\xFE' && buf[1] == '\xFF'))
						? "; it is UTF-16" : "");
			goto fail;
		}
	}
	*len = n;
	return buf;
fail:
	free(buf);
	if (f)
		fclose(f);
	return NULL;
}

/* Whether path, with its links resolved, is inside the archive
 * directory. A missing file is left to the open, which says so. */
static bool inside_archive(struct archive *a, const struct source *src,
			   const char *path)
{
	char *real = realpath(path, NULL);
	size_t n = strlen(a->real_dir);
	bool inside;

	if (!real)
		return true;
	inside = strncmp(real, a->real_dir, n) == 0 &&
		 (real[n] == '/' || (n == 1 && a->real_dir[0] == '/'));
	if (!inside)
		archive_problem(a, src, BRIEF_EDATA,
				"archive '%s' of source '%s' is a link to a "
				"file outside the archive directory '%s'",
				src->archive, src->id, a->dir);
	free(real);
	return inside;
}

static const char *archive_text(struct archive *a, const struct source *src)
{
	size_t idx = (size_t)(src - a->sources->v), len = 0;
	size_t plen;
	char *path, *raw;

	if (a->tried[idx])
		return a->text[idx];
	a->tried[idx] = true;
	if (!src->archive[0])
		return NULL;
	plen = strlen(a->dir) + strlen(src->archive) + 2;
	path = malloc(plen);
	if (!path) {
		a->out_of_memory = true;
		return NULL;
	}
	/* The name is a plain file name (sources.csv's validation says so),
	 * so path is in the directory unless a link leads out of it. */
	snprintf(path, plen, "%s/%s", a->dir, src->archive);
	raw = inside_archive(a, src, path) ? read_archived(a, src, path, &len)
					   : NULL;
	if (raw) {
		a->text[idx] = fold(raw, len);
		if (!a->text[idx])
			a->out_of_memory = true;
	}
	free(raw);
	free(path);
	return a->text[idx];
}

static enum brief_status check_stated(void *ctx, const struct data_row *row,
				      struct diag *err)
{
	struct archive *a = ctx;
	const char *stated = data_row_get(row, "stated_as");
	const struct source *src;
	const char *text;
	char *want;
	int c;
	struct diag d;

	(void)err;
	if (!stated[0] || !row->source[0])
		return BRIEF_OK;
	src = sources_find(a->sources, row->source);
	if (!src)
		return BRIEF_OK; /* already reported by validation */
	c = data_row_column(row, "stated_as");
	if (!src->archive[0]) {
		struct unarchived *u = &a->unarchived[src - a->sources->v];

		if (!u->rows++) {
			u->first_kind = a->kind;
			u->first_line = row->line;
		}
		return BRIEF_OK;
	}
	text = archive_text(a, src);
	if (a->out_of_memory)
		return diag_set(err, BRIEF_ENOMEM, row->file, row->line, 0,
				"out of memory");
	if (!text)
		return BRIEF_OK; /* an unreadable archive is reported once */
	want = fold(stated, strlen(stated));
	if (!want)
		return diag_set(err, BRIEF_ENOMEM, row->file, row->line, 0,
				"out of memory");
	a->checked++;
	if (!strstr(text, want)) {
		diag_set(&d, BRIEF_EDATA, row->file, row->line, row->col[c],
			 "stated_as \"%s\" does not occur in the archived copy "
			 "of source '%s' (%s)",
			 stated, src->id, src->archive);
		diag_quote(&d, row->raw, row->raw_len);
		diag_emit(a->sink, &d, DIAG_ERROR);
	}
	free(want);
	return BRIEF_OK;
}

/* One error per source without an archived copy (at its archive field),
 * then a note with the totals. */
static void report_unarchived(struct archive *a)
{
	size_t nsrc = 0, nrows = 0;
	struct diag d;

	for (size_t i = 0; i < a->sources->n; i++) {
		const struct unarchived *u = &a->unarchived[i];

		if (!u->rows)
			continue;
		nsrc++;
		nrows += u->rows;
		archive_problem(a, &a->sources->v[i], BRIEF_EDATA,
				"source '%s' has no archived copy: stated_as "
				"cannot be verified in %zu row%s (the first "
				"is %s.csv line %ld)",
				a->sources->v[i].id, u->rows,
				u->rows == 1 ? "" : "s",
				dataset_name(u->first_kind), u->first_line);
	}
	if (!nsrc)
		return;
	diag_set(&d, BRIEF_EDATA, a->sources->path, 0, 0,
		 "%zu source%s without an archived copy, %zu stated_as "
		 "phrase%s not verified: put each source's copy in %s and its "
		 "file name in the source's archive column",
		 nsrc, nsrc == 1 ? "" : "s", nrows, nrows == 1 ? "" : "s",
		 a->dir);
	diag_emit(a->sink, &d, DIAG_NOTE);
}

/* An I/O failure during the check: reported like the other problems,
 * remembered for the exit status. */
static void io_failure(struct diag_sink *sink, struct diag *err, bool *io)
{
	diag_emit(sink, err, DIAG_ERROR);
	err->msg[0] = '\0';
	*io = true;
}

/* The archive directory must exist: one error, not one per source. */
static bool archive_dir_ok(const char *dir, struct diag_sink *sink)
{
	struct stat sb;
	struct diag d;

	if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
		return true;
	diag_set(&d, BRIEF_EDATA, dir, 0, 0,
		 "the archive directory %s",
		 errno == ENOENT || errno == ENOTDIR ? "does not exist"
						       : "is not a directory");
	diag_emit(sink, &d, DIAG_ERROR);
	return false;
}

enum brief_status data_check_dir(const char *dir, const char *archive_dir,
				 struct diag_sink *sink, size_t *rows,
				 struct diag *err)
{
	struct vocab vocab;
	struct sources srcs;
	struct archive a;
	enum brief_status st;
	unsigned errors_before = sink->errors;
	size_t total = 0, n, i;
	bool have_srcs, io = false;
	int k;

	memset(&a, 0, sizeof a);
	memset(&srcs, 0, sizeof srcs);
	st = data_dir_check(dir, err);
	if (st == BRIEF_EDATA) {
		diag_emit(sink, err, DIAG_ERROR);
		return st;
	}
	if (st != BRIEF_OK)
		return st;
	st = vocab_load(dir, &vocab, sink, err);
	if (st == BRIEF_ENOMEM)
		return st;
	if (st == BRIEF_EIO)
		io_failure(sink, err, &io);
	st = sources_load_with(dir, &vocab, &srcs, sink, err);
	if (st == BRIEF_ENOMEM)
		goto out;
	if (st == BRIEF_EIO)
		io_failure(sink, err, &io);
	/* An empty but valid table checks every reference (all unknown); a
	 * broken one (reported) checks none. */
	have_srcs = st == BRIEF_OK;
	total += srcs.n;
	if (archive_dir && have_srcs && archive_dir_ok(archive_dir, sink)) {
		a.dir = archive_dir;
		a.real_dir = realpath(archive_dir, NULL);
		a.sources = &srcs;
		a.sink = sink;
		a.text = calloc(srcs.n + 1, sizeof *a.text);
		a.tried = calloc(srcs.n + 1, sizeof *a.tried);
		a.unarchived = calloc(srcs.n + 1, sizeof *a.unarchived);
		if (!a.real_dir || !a.text || !a.tried || !a.unarchived) {
			st = diag_set(err, BRIEF_ENOMEM, dir, 0, 0,
				      "out of memory");
			goto out;
		}
	}
	for (k = 0; k < DS_COUNT; k++) {
		n = 0;
		a.kind = (enum dataset_kind)k;
		st = data_scan_with(dir, (enum dataset_kind)k,
				    have_srcs ? &srcs : NULL, &vocab,
				    a.dir ? check_stated : NULL, &a, sink, &n,
				    err);
		if (st == BRIEF_EIO)
			io_failure(sink, err, &io);
		else if (st == BRIEF_ENOMEM)
			goto out;
		total += n;
	}
	if (a.dir)
		report_unarchived(&a);
	st = io || a.io_failed ? BRIEF_EIO : BRIEF_OK;
	if (st == BRIEF_EIO) {
		err->msg[0] = '\0';
		goto out;
	}
	/* Imported rows are checked by recomputing them from the export. */
	if (archive_dir && sink->errors == errors_before) {
		st = import_verify_archive(dir, archive_dir, sink, NULL, err);
		if (st == BRIEF_ENOMEM || st == BRIEF_EIO)
			goto out;
	}
	st = sink->errors > errors_before ? BRIEF_EDATA : BRIEF_OK;
out:
	if (rows)
		*rows = total;
	if (a.text)
		for (i = 0; i < srcs.n; i++)
			free(a.text[i]);
	free(a.text);
	free(a.tried);
	free(a.unarchived);
	free(a.real_dir);
	sources_free(&srcs);
	vocab_free(&vocab);
	return st;
}

static enum brief_status note_latest(void *ctx, const struct data_row *row,
				     struct diag *err)
{
	struct date *best = ctx;
	const struct date *d = row->date_to.year ? &row->date_to : &row->date;

	(void)err;
	if (d->year && (!best->year || date_days_end(d) > date_days_end(best)))
		*best = *d;
	return BRIEF_OK;
}

enum brief_status data_latest_date(const char *dir, const struct sources *s,
				   struct date *out, struct diag *err)
{
	struct date best = {0, 0, 0};
	enum brief_status st;
	int k;

	for (k = 0; k < DS_COUNT; k++) {
		st = data_scan(dir, (enum dataset_kind)k, s, note_latest, &best,
			       NULL, err);
		if (st != BRIEF_OK)
			return st;
	}
	*out = best;
	return BRIEF_OK;
}
