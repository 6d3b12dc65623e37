/* snapshot.c — the inputs recorded beside a report: writing and unpacking
 * NAME.inputs.tar.gz (see snapshot.h). */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "data.h"
#include "gz_parallel.h"
#include "outfile.h"
#include "snapshot.h"

#define BLOCK 512
#define MANIFEST_NAME "manifest.json"
#define MANIFEST_MAX (1L << 20)
#define FORMAT_NAME "brief-inputs"
#define FORMAT_VERSION 1
/* ustar sizes are 11 octal digits. */
#define MEMBER_MAX 077777777777LL
/* libdeflate's level for the record (see write_archive). */
#define RECORD_LEVEL 1

#define SOURCES_NAME "sources.csv"
#define MEMBERS_MAX (2 * DATASETS_MAX)
#define MEMBER_NAME_MAX 101 /* a ustar name and its NUL; dataset files are shorter */

/* The data files a record holds: the sources files first (sources.csv,
 * then each sources-LABEL.csv), then every dataset of the directory that
 * exists (datasets_list's order: the plain ones, then the labelled
 * ones). */
struct members {
	char name[MEMBERS_MAX][MEMBER_NAME_MAX];
	int fd[MEMBERS_MAX];
	long long size[MEMBERS_MAX];
	size_t n;
};

/* A data file a record may hold: sources.csv or a dataset's file. */
static bool member_data(const char *name)
{
	char base[MEMBER_NAME_MAX];
	struct dataset ds;
	size_t n = strlen(name);

	if (n < 5 || n >= sizeof base || strcmp(name + n - 4, ".csv") != 0)
		return false;
	memcpy(base, name, n - 4);
	base[n - 4] = '\0';
	return dataset_sources_name(base) || dataset_parse(base, &ds);
}

static bool member_allowed(const char *name)
{
	return strcmp(name, MANIFEST_NAME) == 0 || member_data(name);
}

char *snapshot_path(const char *report)
{
	static const char suffix[] = ".inputs.tar.gz";
	size_t n = strlen(report);
	char *p;

	if (n > 4 && strcmp(report + n - 4, ".pdf") == 0)
		n -= 4;
	p = malloc(n + sizeof suffix);
	if (!p)
		return NULL;
	memcpy(p, report, n);
	memcpy(p + n, suffix, sizeof suffix);
	return p;
}

/* ---- writing ---- */

/* A ustar header for a regular file: fixed owner, mode and date, so the
 * same inputs give the same bytes. */
static void tar_header(unsigned char h[BLOCK], const char *name,
		       long long size)
{
	unsigned sum = 0;
	int i;

	memset(h, 0, BLOCK);
	snprintf((char *)h, 100, "%s", name);
	memcpy(h + 100, "0000644", 8);
	memcpy(h + 108, "0000000", 8);
	memcpy(h + 116, "0000000", 8);
	snprintf((char *)h + 124, 12, "%011llo", size);
	memcpy(h + 136, "00000000000", 12);
	h[156] = '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	for (i = 0; i < BLOCK; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
}

static int gz_pad(struct gzpar *z, long long size)
{
	static const unsigned char zero[BLOCK];
	size_t pad = (size_t)((BLOCK - size % BLOCK) % BLOCK);

	return pad ? gzpar_write(z, zero, pad) : 0;
}

/* Copy exactly size bytes of fd into the archive (a file that shrank
 * while being recorded is an error, growth is cut off). */
static int gz_copy(struct gzpar *z, int fd, long long size)
{
	if (gzpar_copy_fd(z, fd, size) != 0)
		return -1;
	return gz_pad(z, size);
}

static char *abs_path(const char *p)
{
	char real[PATH_MAX];

	return strdup(realpath(p, real) ? real : p);
}

/* The manifest (see docs/diff.md). */
static char *manifest_text(const char *layout, const char *data_dir,
			   const char *hex, const char *version,
			   const struct members *mb)
{
	json_t *m = json_object(), *files = json_array();
	char *lay = abs_path(layout), *dat = abs_path(data_dir), *text = NULL;
	size_t k;

	if (!m || !files || !lay || !dat)
		goto out;
	json_object_set_new(m, "format", json_string(FORMAT_NAME));
	json_object_set_new(m, "version", json_integer(FORMAT_VERSION));
	json_object_set_new(m, "brief", json_string(version));
	json_object_set_new(m, "layout", json_string(lay));
	json_object_set_new(m, "data", json_string(dat));
	json_object_set_new(m, "input_hash", json_string(hex));
	for (k = 0; k < mb->n; k++) {
		json_t *f;

		if (mb->size[k] < 0)
			continue;
		f = json_object();
		if (!f)
			goto out;
		json_object_set_new(f, "name", json_string(mb->name[k]));
		json_object_set_new(f, "bytes", json_integer(mb->size[k]));
		json_array_append_new(files, f);
	}
	json_object_set(m, "files", files);
	text = json_dumps(m, JSON_INDENT(2));
out:
	json_decref(files);
	json_decref(m);
	free(lay);
	free(dat);
	return text;
}

/* Open sources.csv and every dataset that exists in dir. A dataset that
 * is not there (the build did not need it) gets -1. */
static enum brief_status open_inputs(const char *dir, struct members *m,
				     struct diag *err)
{
	struct datasets dl;
	char path[4096];
	struct stat st;
	enum brief_status s;
	size_t i;

	m->n = 0;
	s = datasets_list(dir, &dl, NULL, err);
	if (s)
		return s == BRIEF_EDATA ? BRIEF_EIO : s;
	for (i = 0; i < dl.nsources && m->n < MEMBERS_MAX; i++)
		snprintf(m->name[m->n++], MEMBER_NAME_MAX, "%s.csv",
			 dl.sources[i]);
	for (i = 0; i < dl.n && m->n < MEMBERS_MAX; i++)
		snprintf(m->name[m->n++], MEMBER_NAME_MAX, "%s.csv",
			 dl.v[i].name);
	for (i = 0; i < m->n; i++) {
		m->fd[i] = -1;
		m->size[i] = -1;
	}
	for (i = 0; i < m->n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, m->name[i]);
		m->fd[i] = open(path, O_RDONLY);
		if (m->fd[i] < 0) {
			if (errno == ENOENT && i != 0)
				continue;
			return diag_set(err, BRIEF_EIO, path, 0, 0,
					"cannot read to record it: %s",
					strerror(errno));
		}
		if (fstat(m->fd[i], &st) != 0 || !S_ISREG(st.st_mode) ||
		    st.st_size > MEMBER_MAX)
			return diag_set(err, BRIEF_EIO, path, 0, 0,
					"cannot record: not a regular file "
					"under 8 GB");
		m->size[i] = (long long)st.st_size;
	}
	return BRIEF_OK;
}

static void close_inputs(struct members *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->fd[i] >= 0)
			close(m->fd[i]);
	m->n = 0;
}

/* The archive into the open file fd (not closed here). */
static enum brief_status write_archive(int fd, const char *manifest,
				       const struct members *m,
				       const char *path, struct diag *err)
{
	static const unsigned char zero[2 * BLOCK];
	unsigned char h[BLOCK];
	size_t k;
	struct gzpar *z;
	long long mlen = (long long)strlen(manifest);
	int e;

	/* libdeflate level 1: the record is copied on every build, so speed
	 * matters more than the last few percent of size (level 1 is both
	 * its fastest, and smaller than zlib's level 1 on CSV). Two threads
	 * once the record is longer than a chunk (gz_parallel.h); the same
	 * bytes either way. */
	z = gzpar_open(fd, RECORD_LEVEL, 2);
	if (!z)
		goto fail;
	tar_header(h, MANIFEST_NAME, mlen);
	if (gzpar_write(z, h, BLOCK) ||
	    gzpar_write(z, manifest, (size_t)mlen) || gz_pad(z, mlen))
		goto fail;
	for (k = 0; k < m->n; k++) {
		if (m->fd[k] < 0)
			continue;
		tar_header(h, m->name[k], m->size[k]);
		if (gzpar_write(z, h, BLOCK) || gz_copy(z, m->fd[k], m->size[k]))
			goto fail;
	}
	if (gzpar_write(z, zero, sizeof zero))
		goto fail;
	if (gzpar_close(z) == 0)
		return BRIEF_OK;
	e = errno;
	goto out;
fail:
	e = errno;
	gzpar_abort(z);
out:
	if (e == ENOMEM)
		return diag_set(err, BRIEF_ENOMEM, path, 0, 0, "out of memory");
	return diag_set(err, BRIEF_EIO, path, 0, 0, "cannot write: %s",
			strerror(e ? e : EIO));
}

enum brief_status snapshot_write(const char *report, const char *layout,
				 const char *data_dir, const char *hex,
				 const char *version, struct diag *err)
{
	struct members mb;
	int fd = -1;
	char *path = NULL, *manifest = NULL;
	struct outfile *o = NULL;
	struct stat st;
	sigset_t block, prev;
	enum brief_status status;

	mb.n = 0;
	if (stat(report, &st) != 0 || !S_ISREG(st.st_mode))
		return BRIEF_OK;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &prev);
	path = snapshot_path(report);
	if (!path) {
		status = diag_set(err, BRIEF_ENOMEM, report, 0, 0,
				  "out of memory");
		goto out;
	}
	status = open_inputs(data_dir, &mb, err);
	if (status)
		goto out;
	manifest = manifest_text(layout, data_dir, hex, version, &mb);
	if (!manifest) {
		status = diag_set(err, BRIEF_ENOMEM, path, 0, 0,
				  "out of memory");
		goto out;
	}
	/* Through outfile, like the report: an unnamed temporary where the
	 * filesystem has them, so not even SIGKILL leaves one behind. */
	status = outfile_begin(path, &o, err);
	if (status)
		goto out;
	fd = open(outfile_write_path(o), O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		status = diag_set(err, BRIEF_EIO, path, 0, 0,
				  "cannot write: %s", strerror(errno));
		goto out;
	}
	status = write_archive(fd, manifest, &mb, path, err);
	if (close(fd) != 0 && !status)
		status = diag_set(err, BRIEF_EIO, path, 0, 0,
				  "cannot write: %s", strerror(errno));
	if (!status) {
		status = outfile_commit(o, err);
		o = NULL;
	}
out:
	outfile_abort(o);
	close_inputs(&mb);
	free(manifest);
	free(path);
	sigprocmask(SIG_SETMASK, &prev, NULL);
	return status;
}

/* ---- unpacking ---- */

static enum brief_status not_record(const char *path, struct diag *err,
				    const char *why)
{
	return diag_set(err, BRIEF_EDATA, path, 0, 0,
			"not a brief inputs record (%s); records are the "
			"NAME.inputs.tar.gz files a build writes beside "
			"NAME.pdf",
			why);
}

/* Read exactly n bytes; 1 done, 0 clean end of data at the start, -1
 * short or corrupt. */
static int gz_get(gzFile z, void *p, size_t n)
{
	size_t got = 0;

	while (got < n) {
		int r = gzread(z, (char *)p + got, (unsigned)(n - got));

		if (r < 0)
			return -1;
		if (r == 0)
			return got == 0 ? 0 : -1;
		got += (size_t)r;
	}
	return 1;
}

static bool all_zero(const unsigned char *b, size_t n)
{
	while (n--)
		if (*b++)
			return false;
	return true;
}

/* Parse and check a ustar header; -1 if it is not one this module wrote
 * (in kind: a regular file with a plain name). */
static int parse_header(const unsigned char h[BLOCK], char name[101],
			long long *size)
{
	unsigned sum = 0, want = 0;
	long long s = 0;
	int i;

	for (i = 0; i < BLOCK; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	for (i = 148; i < 156 && h[i] >= '0' && h[i] <= '7'; i++)
		want = want * 8 + (unsigned)(h[i] - '0');
	if (i == 148 || sum != want || memcmp(h + 257, "ustar", 5) != 0)
		return -1;
	if (h[156] != '0' && h[156] != '\0')
		return -1;
	if (h[345] != '\0') /* a prefix: a path, never one of ours */
		return -1;
	memcpy(name, h, 100);
	name[100] = '\0';
	for (i = 124; i < 136 && h[i] >= '0' && h[i] <= '7'; i++)
		s = s * 8 + (h[i] - '0');
	if (i == 124 || s > MEMBER_MAX)
		return -1;
	*size = s;
	return 0;
}

/* Copy size bytes (and the padding) from the archive into a new file. */
static enum brief_status unpack_member(gzFile z, const char *path,
				       const char *out, long long size,
				       struct diag *err)
{
	unsigned char buf[1 << 16];
	long long left = size;
	size_t pad = (size_t)((BLOCK - size % BLOCK) % BLOCK);
	int fd = open(out, O_WRONLY | O_CREAT | O_EXCL, 0600);

	if (fd < 0)
		return diag_set(err, BRIEF_EIO, out, 0, 0, "cannot create: %s",
				strerror(errno));
	while (left > 0) {
		size_t n = left < (long long)sizeof buf ? (size_t)left
							: sizeof buf;
		unsigned char *p = buf;

		if (gz_get(z, buf, n) != 1) {
			close(fd);
			return not_record(path, err, "truncated or corrupt");
		}
		while (n > 0) {
			ssize_t w = write(fd, p, n);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				int e = errno;

				close(fd);
				return diag_set(err, BRIEF_EIO, out, 0, 0,
						"cannot write: %s",
						strerror(e));
			}
			p += w;
			n -= (size_t)w;
			left -= w;
		}
	}
	if (close(fd) != 0)
		return diag_set(err, BRIEF_EIO, out, 0, 0, "cannot write: %s",
				strerror(errno));
	if (pad && gz_get(z, buf, pad) != 1)
		return not_record(path, err, "truncated");
	return BRIEF_OK;
}

static char *json_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return strdup(s ? s : "");
}

static enum brief_status read_manifest(gzFile z, const char *path,
				       long long size,
				       struct snapshot_info *info,
				       struct diag *err)
{
	size_t pad = (size_t)((BLOCK - size % BLOCK) % BLOCK);
	char *text;
	unsigned char skip[BLOCK];
	json_t *m;
	json_error_t je;
	enum brief_status st = BRIEF_OK;

	if (size > MANIFEST_MAX)
		return not_record(path, err, "manifest too large");
	text = malloc((size_t)size + 1);
	if (!text)
		return diag_set(err, BRIEF_ENOMEM, path, 0, 0, "out of memory");
	if (gz_get(z, text, (size_t)size) != 1 ||
	    (pad && gz_get(z, skip, pad) != 1)) {
		free(text);
		return not_record(path, err, "truncated");
	}
	m = json_loadb(text, (size_t)size, 0, &je);
	free(text);
	if (!m || !json_is_object(m) ||
	    !json_string_value(json_object_get(m, "format")) ||
	    strcmp(json_string_value(json_object_get(m, "format")),
		   FORMAT_NAME) != 0) {
		json_decref(m);
		return not_record(path, err, "no brief manifest");
	}
	if (json_integer_value(json_object_get(m, "version")) !=
	    FORMAT_VERSION) {
		json_decref(m);
		return diag_set(err, BRIEF_EDATA, path, 0, 0,
				"inputs record version %lld; this brief reads "
				"version %d",
				(long long)json_integer_value(
					json_object_get(m, "version")),
				FORMAT_VERSION);
	}
	snapshot_info_free(info);
	info->brief = json_str(m, "brief");
	info->layout = json_str(m, "layout");
	info->data_dir = json_str(m, "data");
	info->input_hash = json_str(m, "input_hash");
	if (!info->brief || !info->layout || !info->data_dir ||
	    !info->input_hash)
		st = diag_set(err, BRIEF_ENOMEM, path, 0, 0, "out of memory");
	json_decref(m);
	return st;
}

enum brief_status snapshot_extract(const char *path, const char *dir,
				   struct snapshot_info *info,
				   struct diag *err)
{
	unsigned char h[BLOCK];
	char name[101], out[4096];
	char seen[MEMBERS_MAX][MEMBER_NAME_MAX];
	size_t nseen = 0, k;
	bool manifest = false, sources = false;
	long long size;
	enum brief_status st = BRIEF_OK;
	struct stat sb;
	gzFile z;
	int r, i;

	memset(info, 0, sizeof *info);
	if (stat(path, &sb) != 0)
		return diag_set(err, errno == ENOENT ? BRIEF_EDATA : BRIEF_EIO,
				path, 0, 0, "cannot read: %s", strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return diag_set(err, BRIEF_EDATA, path, 0, 0,
				"not a regular file");
	z = gzopen(path, "rb");
	if (!z)
		return diag_set(err, BRIEF_EIO, path, 0, 0, "cannot read: %s",
				strerror(errno));
	for (;;) {
		r = gz_get(z, h, BLOCK);
		if (r != 1) {
			st = not_record(path, err, r ? "truncated or corrupt"
						     : "no end");
			break;
		}
		if (all_zero(h, BLOCK))
			break;
		if (parse_header(h, name, &size) != 0) {
			st = not_record(path, err, "unexpected archive entry");
			break;
		}
		if (!member_allowed(name)) {
			st = not_record(path, err, "unexpected file in it");
			break;
		}
		for (k = 0; k < nseen && strcmp(seen[k], name) != 0; k++)
			;
		if (strcmp(name, MANIFEST_NAME) == 0 ? manifest : k < nseen) {
			st = not_record(path, err, "a file twice");
			break;
		}
		if (strcmp(name, MANIFEST_NAME) == 0) {
			manifest = true;
			st = read_manifest(z, path, size, info, err);
		} else if (nseen == MEMBERS_MAX) {
			st = not_record(path, err, "too many files");
		} else {
			snprintf(seen[nseen++], MEMBER_NAME_MAX, "%s", name);
			sources |= strcmp(name, SOURCES_NAME) == 0;
			snprintf(out, sizeof out, "%s/%s", dir, name);
			st = unpack_member(z, path, out, size, err);
		}
		if (st)
			break;
	}
	if (!st && (!manifest || !sources))
		st = not_record(path, err,
				manifest ? "no sources.csv" : "no manifest");
	/* Read to the end, so that gzip checks its CRC. */
	for (i = 0; !st && (r = gzread(z, h, BLOCK)) != 0; i++)
		if (r < 0 || i > 16)
			st = not_record(path, err, r < 0 ? "corrupt compression"
							 : "data after the end");
	gzclose(z);
	if (st)
		snapshot_info_free(info);
	return st;
}

void snapshot_info_free(struct snapshot_info *info)
{
	free(info->brief);
	free(info->layout);
	free(info->data_dir);
	free(info->input_hash);
	memset(info, 0, sizeof *info);
}
