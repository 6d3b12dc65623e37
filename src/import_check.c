/* import_check.c — `brief check --archive` over an imported directory:
 * each export that sources.csv records (file name and SHA-256) is found
 * in the archive, checked byte for byte by its hash, imported again with
 * the directory's own import-map.yaml, and every dataset row compared
 * with the recomputed one. */
#include "import.h"
#include "import_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv_load.h"

#define VERIFY_MAX_DIFFS 10

/* The sources rows an import wrote: those with a sha256. */
struct exports {
	int c_id, c_archive, c_sha, c_accessed;
	char **file;    /* archive names */
	char **sha;
	long *line;
	char accessed[16];
	size_t n;
	bool oom;
};

static enum brief_status on_source(void *ctx, const struct csv_record *rec,
				   struct diag *err)
{
	struct exports *e = ctx;
	size_t i;

	(void)err;
	if (rec->index == 0) {
		e->c_id = e->c_archive = e->c_sha = e->c_accessed = -1;
		for (i = 0; i < rec->nfields; i++) {
			const char *s = rec->fields[i].text;

			if (strcmp(s, "id") == 0)
				e->c_id = (int)i;
			else if (strcmp(s, "archive") == 0)
				e->c_archive = (int)i;
			else if (strcmp(s, "sha256") == 0)
				e->c_sha = (int)i;
			else if (strcmp(s, "accessed") == 0)
				e->c_accessed = (int)i;
		}
		return BRIEF_OK;
	}
	if (e->c_sha < 0 || e->c_archive < 0 ||
	    (size_t)e->c_sha >= rec->nfields ||
	    (size_t)e->c_archive >= rec->nfields ||
	    !rec->fields[e->c_sha].len || rec->fields[e->c_sha].text[0] == '#')
		return BRIEF_OK;
	{
		char **nf = realloc(e->file, (e->n + 1) * sizeof *nf);
		char **ns = nf ? realloc(e->sha, (e->n + 1) * sizeof *ns) : NULL;
		long *nl = ns ? realloc(e->line, (e->n + 1) * sizeof *nl) : NULL;

		if (nf)
			e->file = nf;
		if (ns)
			e->sha = ns;
		if (!nl) {
			e->oom = true;
			return BRIEF_ENOMEM;
		}
		e->line = nl;
		e->file[e->n] = strdup(rec->fields[e->c_archive].text);
		e->sha[e->n] = strdup(rec->fields[e->c_sha].text);
		e->line[e->n] = rec->line;
		if (!e->file[e->n] || !e->sha[e->n]) {
			free(e->file[e->n]);
			free(e->sha[e->n]);
			e->oom = true;
			return BRIEF_ENOMEM;
		}
		if (e->c_accessed >= 0 && (size_t)e->c_accessed < rec->nfields)
			snprintf(e->accessed, sizeof e->accessed, "%s",
				 rec->fields[e->c_accessed].text);
		e->n++;
	}
	return BRIEF_OK;
}

static void exports_free(struct exports *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		free(e->file[i]);
		free(e->sha[i]);
	}
	free(e->file);
	free(e->sha);
	free(e->line);
}

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s/%s", a, b);
	return p;
}

/* Start and length of field i of a CSV line (quotes kept), or false. */
static bool csv_nth(const char *s, size_t i, size_t *at, size_t *len)
{
	size_t k = 0, p = 0;
	bool q = false;

	for (;;) {
		size_t start = p;

		while (s[p] && (q || (s[p] != ',' && s[p] != '\n'))) {
			if (s[p] == '"')
				q = !q;
			p++;
		}
		if (k == i) {
			*at = start;
			*len = p - start;
			return true;
		}
		if (s[p] != ',')
			return false;
		p++;
		k++;
	}
}

/* Column (code points, 1-based) of byte offset at. */
static long col_at(const char *s, size_t at)
{
	long c = 1;
	size_t i;

	for (i = 0; i < at; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* Report one differing row: the first field that differs, by name. */
static void report_diff(const char *path, long line, const char *header,
			const char *mine, const char *theirs,
			const char *archive, struct diag_sink *sink)
{
	struct diag d;
	size_t i, a, al, b, bl, h, hl;

	for (i = 0; csv_nth(mine, i, &a, &al); i++) {
		if (csv_nth(theirs, i, &b, &bl) && al == bl &&
		    memcmp(mine + a, theirs + b, al) == 0)
			continue;
		if (!csv_nth(theirs, i, &b, &bl))
			b = bl = 0;
		if (!csv_nth(header, i, &h, &hl))
			h = hl = 0;
		diag_set(&d, BRIEF_EDATA, path, line, col_at(mine, a),
			 "%.*s is \"%.*s\" here, but the archived export %s "
			 "gives \"%.*s\"",
			 (int)(hl > 64 ? 64 : hl), header + h,
			 (int)(al > 120 ? 120 : al), mine + a, archive,
			 (int)(bl > 120 ? 120 : bl), theirs + b);
		diag_quote(&d, mine, strlen(mine));
		diag_emit(sink, &d, DIAG_ERROR);
		return;
	}
	diag_set(&d, BRIEF_EDATA, path, line, 1,
		 "row has fields the archived export %s does not give", archive);
	diag_quote(&d, mine, strlen(mine));
	diag_emit(sink, &d, DIAG_ERROR);
}

/* Compare DIR/name with the recomputed copy, line by line. */
static void compare(const char *dir, const char *redo, const char *name,
		    const char *archive, struct diag_sink *sink)
{
	char *a = join(dir, name), *b = join(redo, name);
	FILE *fa = a ? fopen(a, "rb") : NULL, *fb = b ? fopen(b, "rb") : NULL;
	char *la = NULL, *lb = NULL, *header = NULL;
	size_t ca = 0, cb = 0;
	long line = 0;
	int diffs = 0;
	struct diag d;

	if (!fa || !fb) {
		diag_set(&d, BRIEF_EIO, a ? a : name, 0, 0,
			 "cannot read it to compare with the archived export");
		diag_emit(sink, &d, DIAG_ERROR);
		goto out;
	}
	for (;;) {
		ssize_t na = getline(&la, &ca, fa), nb = getline(&lb, &cb, fb);

		line++;
		if (na >= 0)
			la[strcspn(la, "\n")] = '\0';
		if (nb >= 0)
			lb[strcspn(lb, "\n")] = '\0';
		if (line == 1 && na >= 0 && !(header = strdup(la)))
			break;
		if (na < 0 && nb < 0)
			break;
		if (na >= 0 && nb >= 0 && strcmp(la, lb) == 0)
			continue;
		if (na >= 0 && nb >= 0) {
			report_diff(a, line, header ? header : "", la, lb, archive,
				    sink);
		} else {
			diag_set(&d, BRIEF_EDATA, a, line, 1,
				 na < 0 ? "row missing: the archived export %s "
					  "also gives \"%.200s\""
					: "row not made from the archived export "
					  "%s%.0s",
				 archive, nb >= 0 ? lb : "");
			if (na >= 0)
				diag_quote(&d, la, strlen(la));
			diag_emit(sink, &d, DIAG_ERROR);
		}
		if (++diffs >= VERIFY_MAX_DIFFS || na < 0 || nb < 0)
			break;
	}
out:
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	free(header);
	free(la);
	free(lb);
	free(a);
	free(b);
}

static void remove_tree(const char *tmp, const char *out)
{
	static const char *const names[] = {
		"sources.csv", "casualties.csv", "displacement.csv",
		"control.csv", "figures.csv", "events.csv", "import-map.yaml",
		".brief-import", NULL};
	size_t i;

	for (i = 0; names[i]; i++) {
		char *p = join(out, names[i]);

		if (p)
			unlink(p);
		free(p);
	}
	rmdir(out);
	rmdir(tmp);
}

/* One import of DIR: the plain one (label NULL: sources.csv and
 * import-map.yaml) or the one written with --name label
 * (sources-LABEL.csv, import-LABEL.yaml, <schema>-LABEL.csv). */
static enum brief_status verify_one(const char *dir, const char *archive_dir,
				    const char *label, struct diag_sink *sink,
				    size_t *checked, struct diag *err)
{
	struct exports e;
	char sname[DATASET_NAME_MAX + 8], mname[DATASET_NAME_MAX + 16];
	char *src, *map;
	char **files = NULL, tmp[] = "/tmp/brief-verify.XXXXXX", *out = NULL;
	const char *tdir = getenv("TMPDIR");
	char tbuf[4096];
	struct import_opts o;
	struct import_result res;
	enum brief_status st = BRIEF_OK;
	unsigned before = sink->errors;
	size_t i;
	bool made = false;

	memset(&e, 0, sizeof e);
	snprintf(sname, sizeof sname, "sources%s%s.csv", label ? "-" : "",
		 label ? label : "");
	if (label)
		snprintf(mname, sizeof mname, "import-%s.yaml", label);
	else
		snprintf(mname, sizeof mname, "import-map.yaml");
	src = join(dir, sname);
	map = join(dir, mname);
	if (checked)
		*checked = 0;
	if (!src || !map) {
		st = diag_set(err, BRIEF_ENOMEM, dir, 0, 0, "out of memory");
		goto done;
	}
	st = csv_load(src, on_source, &e, err);
	if (e.oom)
		st = diag_set(err, BRIEF_ENOMEM, src, 0, 0, "out of memory");
	if (st || e.n == 0) {
		st = st == BRIEF_ENOMEM ? st : BRIEF_OK; /* reported by the scan */
		goto done;
	}
	files = calloc(e.n + 1, sizeof *files);
	if (!files) {
		st = diag_set(err, BRIEF_ENOMEM, dir, 0, 0, "out of memory");
		goto done;
	}
	for (i = 0; i < e.n; i++) {
		char hex[65];
		struct diag d;

		files[i] = join(archive_dir, e.file[i]);
		if (!files[i]) {
			st = diag_set(err, BRIEF_ENOMEM, dir, 0, 0, "out of memory");
			goto done;
		}
		if (import_sha256_file(files[i], hex) != BRIEF_OK) {
			diag_set(&d, BRIEF_EIO, src, e.line[i], 0,
				 "cannot read the archived export '%s'", files[i]);
			diag_emit(sink, &d, DIAG_ERROR);
		} else if (strcmp(hex, e.sha[i]) != 0) {
			diag_set(&d, BRIEF_EDATA, src, e.line[i], 0,
				 "the archived export '%s' is not the one imported "
				 "(SHA-256 %.16s..., sources.csv records %.16s...)",
				 files[i], hex, e.sha[i]);
			diag_emit(sink, &d, DIAG_ERROR);
		}
	}
	if (sink->errors > before)
		goto done;
	if (tdir && *tdir && strlen(tdir) < sizeof tbuf - 32) {
		snprintf(tbuf, sizeof tbuf, "%s/brief-verify.XXXXXX", tdir);
		if (mkdtemp(tbuf))
			made = true;
	}
	if (!made) {
		if (!mkdtemp(tmp)) {
			st = diag_set(err, BRIEF_EIO, "/tmp", 0, 0,
				      "cannot create a temporary directory: %s",
				      strerror(errno));
			goto done;
		}
		snprintf(tbuf, sizeof tbuf, "%s", tmp);
		made = true;
	}
	out = join(tbuf, "out");
	if (!out) {
		st = diag_set(err, BRIEF_ENOMEM, dir, 0, 0, "out of memory");
		goto done;
	}
	memset(&o, 0, sizeof o);
	o.map = map;
	o.into = out;
	o.name = label;
	o.accessed = e.accessed[0] ? e.accessed : NULL;
	o.files = (const char *const *)files;
	o.nfiles = e.n;
	st = import_run(&o, &res, sink, err);
	if (st == BRIEF_EDATA)
		goto done; /* reported */
	if (st)
		goto done;
	/* Every dataset the import wrote (with a label, only those its
	 * mapping writes to). */
	for (i = 0; i < DS_COUNT; i++) {
		char name[DATASET_NAME_MAX + 8], *p;
		struct stat sb;

		snprintf(name, sizeof name, "%s%s%s.csv",
			 dataset_name((enum dataset_kind)i), label ? "-" : "",
			 label ? label : "");
		p = join(out, name);
		if (p && stat(p, &sb) == 0)
			compare(dir, out, name, e.file[0], sink);
		free(p);
	}
	if (checked && sink->errors == before)
		*checked = e.n;
done:
	if (made && out)
		remove_tree(tbuf, out);
	else if (made)
		rmdir(tbuf);
	if (files)
		for (i = 0; i < e.n; i++)
			free(files[i]);
	free(files);
	free(out);
	free(src);
	free(map);
	exports_free(&e);
	if (!st && sink->errors > before)
		st = BRIEF_EDATA;
	return st;
}

enum brief_status import_verify_archive(const char *dir,
					const char *archive_dir,
					struct diag_sink *sink, size_t *checked,
					struct diag *err)
{
	struct datasets dl;
	enum brief_status st;
	size_t i, n = 0, one;

	if (checked)
		*checked = 0;
	st = verify_one(dir, archive_dir, NULL, sink, &one, err);
	n += one;
	/* And each import written beside curated data (sources-LABEL.csv). */
	if (!st && datasets_list(dir, &dl, NULL, err) == BRIEF_OK)
		for (i = 1; i < dl.nsources && (!st || st == BRIEF_EDATA);
		     i++) {
			enum brief_status s1;

			s1 = verify_one(dir, archive_dir,
					dl.sources[i] + strlen("sources-"),
					sink, &one, err);
			n += one;
			if (s1 && (!st || s1 != BRIEF_EDATA))
				st = s1;
		}
	if (checked)
		*checked = n;
	return st;
}
