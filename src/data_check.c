/* data_check.c — `brief check` over a data directory: every dataset
 * validated, stated_as phrases verified against archived source texts, and
 * the latest date in the data. */
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unistr.h>

#include "data.h"
#include "data_schema.h"
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
	const struct sources *sources;
	char **text; /* per source, owned; NULL until loaded */
	bool *tried;
	struct diag_sink *sink;
	size_t checked;
};

static char *read_file(const char *path, size_t *len)
{
	FILE *f;
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (infile_fopen(path, &f, NULL) != BRIEF_OK)
		return NULL;
	do {
		if (n + 4096 > cap) {
			char *nb;

			cap = cap ? cap * 2 : 65536;
			if (cap > (size_t)ARCHIVE_MAX + 4096)
				goto fail;
			nb = realloc(buf, cap);
			if (!nb)
				goto fail;
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	if (ferror(f))
		goto fail;
	fclose(f);
	*len = n;
	return buf;
fail:
	free(buf);
	fclose(f);
	return NULL;
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
	if (!path)
		return NULL;
	snprintf(path, plen, "%s/%s", a->dir, src->archive);
	raw = read_file(path, &len);
	if (!raw) {
		struct diag d;

		diag_set(&d, BRIEF_EIO, a->sources->path, src->line, 0,
			 "cannot read archived copy '%s' of source '%s'", path,
			 src->id);
		diag_emit(a->sink, &d, DIAG_ERROR);
	} else {
		a->text[idx] = fold(raw, len);
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
		diag_set(&d, BRIEF_EDATA, row->file, row->line, row->col[c],
			 "cannot verify stated_as: source '%s' has no archived "
			 "copy",
			 src->id);
		diag_quote(&d, row->raw, row->raw_len);
		diag_emit(a->sink, &d, DIAG_ERROR);
		return BRIEF_OK;
	}
	text = archive_text(a, src);
	if (!text)
		return BRIEF_OK; /* unreadable archive reported once */
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

enum brief_status data_check_dir(const char *dir, const char *archive_dir,
				 struct diag_sink *sink, size_t *rows,
				 struct diag *err)
{
	struct sources srcs;
	struct archive a;
	enum brief_status st;
	unsigned errors_before = sink->errors;
	size_t total = 0, n, i;
	int k;

	memset(&a, 0, sizeof a);
	st = sources_load(dir, &srcs, sink, err);
	if (st == BRIEF_EIO || st == BRIEF_ENOMEM)
		return st;
	total += srcs.n;
	if (archive_dir) {
		a.dir = archive_dir;
		a.sources = &srcs;
		a.sink = sink;
		a.text = calloc(srcs.n + 1, sizeof *a.text);
		a.tried = calloc(srcs.n + 1, sizeof *a.tried);
		if (!a.text || !a.tried) {
			st = diag_set(err, BRIEF_ENOMEM, dir, 0, 0,
				      "out of memory");
			goto out;
		}
	}
	for (k = 0; k < DS_COUNT; k++) {
		n = 0;
		/* With a broken sources.csv, still check each file's own rules. */
		st = data_scan_count(dir, (enum dataset_kind)k,
				     srcs.v || srcs.n ? &srcs : NULL,
				     archive_dir ? check_stated : NULL, &a,
				     sink, &n, err);
		if (st == BRIEF_EIO) {
			diag_emit(sink, err, DIAG_ERROR);
			st = BRIEF_OK;
		} else if (st == BRIEF_ENOMEM) {
			goto out;
		}
		total += n;
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
	sources_free(&srcs);
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
