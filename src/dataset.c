/* dataset.c — how a dataset is named (schema, optionally '-' and a label)
 * and the list of a data directory's datasets (see data.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"

static bool label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '-';
}

/* Schema whose name name starts with, followed by '\0' or '-'; its length
 * in *len. */
static bool schema_prefix(const char *name, enum dataset_kind *k, size_t *len)
{
	int i;

	for (i = 0; i < DS_COUNT; i++) {
		const char *s = dataset_name((enum dataset_kind)i);
		size_t n = strlen(s);

		if (strncmp(name, s, n) == 0 &&
		    (name[n] == '\0' || name[n] == '-')) {
			*k = (enum dataset_kind)i;
			*len = n;
			return true;
		}
	}
	return false;
}

/* A label starts with a letter or digit, like a row id. */
static bool label_ok(const char *p)
{
	if (!*p || *p == '_' || *p == '-')
		return false;
	for (; *p; p++)
		if (!label_char(*p))
			return false;
	return true;
}

bool dataset_sources_name(const char *name)
{
	static const char s[] = "sources";

	if (strlen(name) >= DATASET_NAME_MAX ||
	    strncmp(name, s, sizeof s - 1) != 0)
		return false;
	name += sizeof s - 1;
	return *name == '\0' || (*name == '-' && label_ok(name + 1));
}

bool dataset_parse(const char *name, struct dataset *out)
{
	enum dataset_kind k;
	size_t n, total = strlen(name);

	if (total >= DATASET_NAME_MAX || !schema_prefix(name, &k, &n))
		return false;
	if (name[n] == '-' && !label_ok(name + n + 1))
		return false;
	out->kind = k;
	memcpy(out->name, name, total + 1);
	return true;
}

struct dataset dataset_plain(enum dataset_kind k)
{
	struct dataset d;

	d.kind = k;
	snprintf(d.name, sizeof d.name, "%s", dataset_name(k));
	return d;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int by_kind_name(const void *a, const void *b)
{
	const struct dataset *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->name, y->name);
}

enum brief_status datasets_list(const char *dir, struct datasets *out,
				struct diag_sink *sink, struct diag *err)
{
	struct dirent *e;
	DIR *d;
	int k;

	memset(out, 0, sizeof *out);
	for (k = 0; k < DS_COUNT; k++)
		out->v[out->n++] = dataset_plain((enum dataset_kind)k);
	snprintf(out->sources[out->nsources++], DATASET_NAME_MAX, "sources");
	d = opendir(dir);
	if (!d)
		return diag_set(err, errno == ENOENT || errno == ENOTDIR
					     ? BRIEF_EDATA
					     : BRIEF_EIO,
				dir, 0, 0, "cannot read: %s", strerror(errno));
	while ((e = readdir(d))) {
		char base[DATASET_NAME_MAX + 8];
		struct dataset ds;
		enum dataset_kind kind;
		size_t n = strlen(e->d_name), plen;
		bool src = strncmp(e->d_name, "sources-", 8) == 0;

		if (n < 5 || strcmp(e->d_name + n - 4, ".csv") != 0 ||
		    (!src && (!schema_prefix(e->d_name, &kind, &plen) ||
			      e->d_name[plen] != '-')))
			continue; /* not a labelled dataset's file */
		n -= 4;
		if (n < DATASET_NAME_MAX) {
			memcpy(base, e->d_name, n);
			base[n] = '\0';
		}
		if (src && n < DATASET_NAME_MAX && dataset_sources_name(base)) {
			if (out->nsources == DATASETS_MAX) {
				closedir(d);
				return diag_set(err, BRIEF_EDATA, dir, 0, 0,
						"more than %d sources files in "
						"one directory", DATASETS_MAX);
			}
			memcpy(out->sources[out->nsources++], base, n + 1);
			continue;
		}
		if (n >= DATASET_NAME_MAX || !dataset_parse(base, &ds)) {
			struct diag w;

			diag_set(&w, BRIEF_EDATA, dir, 0, 0,
				 "%s is not read: a dataset's file name is a "
				 "schema's name, or one, '-' and a label of "
				 "a-z, 0-9, '_' and '-' (at most %d bytes)",
				 e->d_name, DATASET_NAME_MAX - 1);
			if (sink)
				diag_emit(sink, &w, DIAG_WARNING);
			continue;
		}
		if (out->n == DATASETS_MAX) {
			closedir(d);
			return diag_set(err, BRIEF_EDATA, dir, 0, 0,
					"more than %d datasets in one directory",
					DATASETS_MAX);
		}
		out->v[out->n++] = ds;
	}
	closedir(d);
	/* readdir's order is the filesystem's: sort the labelled ones. */
	qsort(out->v + DS_COUNT, out->n - DS_COUNT, sizeof *out->v,
	      by_kind_name);
	qsort(out->sources + 1, out->nsources - 1, sizeof *out->sources,
	      by_name);
	return BRIEF_OK;
}

int datasets_find(const struct datasets *d, const char *name)
{
	size_t i;

	for (i = 0; d && i < d->n; i++)
		if (strcmp(d->v[i].name, name) == 0)
			return (int)i;
	return -1;
}

char *datasets_names(const struct datasets *d, char *buf, size_t size)
{
	size_t i, len = 0;
	int k;

	if (!size)
		return buf;
	buf[0] = '\0';
	/* Grouped by schema: "casualties, casualties-acled, displacement". */
	for (k = 0; k < DS_COUNT; k++) {
		for (i = 0; d && i < d->n; i++) {
			size_t n = strlen(d->v[i].name);

			if (d->v[i].kind != (enum dataset_kind)k)
				continue;
			if (len + n + 2 + 5 >= size) {
				snprintf(buf + len, size - len, "%s...",
					 len ? ", " : "");
				return buf;
			}
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
						len ? ", " : "", d->v[i].name);
		}
	}
	return buf;
}
