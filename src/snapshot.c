/* snapshot.c — the inputs recorded beside a report: writing and unpacking
 * NAME.inputs.tar.gz (see snapshot.h). */
#define _GNU_SOURCE /* SCHED_IDLE; realpath */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "data.h"
#include "gz_parallel.h"
#include "infile.h"
#include "outfile.h"
#include "snapshot.h"

#define BLOCK 512
#define MANIFEST_NAME "manifest.json"
#define MANIFEST_MAX (1L << 20)
#define FORMAT_NAME "brief-inputs"
#define FORMAT_VERSION 1
/* ustar sizes are 11 octal digits. */
#define MEMBER_MAX 077777777777LL
/* libdeflate's level for the record (see snapshot_begin). */
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
		/* Only sources.csv must be there. */
		if (i != 0 && stat(path, &st) != 0 && errno == ENOENT)
			continue;
		/* infile_open: never blocking on a FIFO (the record starts
		 * before the layout has checked its inputs). */
		s = infile_open(path, &m->fd[i], err);
		if (s != BRIEF_OK)
			return s == BRIEF_ENOMEM ? s : BRIEF_EIO;
		if (fstat(m->fd[i], &st) != 0 || st.st_size > MEMBER_MAX)
			return diag_set(err, BRIEF_EIO, path, 0, 0,
					"cannot record: not a file under 8 GB");
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

/* A record being written (snapshot.h): its inputs open, its temporary
 * file begun, and the data files going into it on a thread of its own
 * (copy_thread) while the caller goes on; snapshot_finish takes over what
 * is left of the copy, adds the manifest and puts the record in place.
 * Everything here is owned by the struct and released by snapshot_finish
 * or snapshot_abort. */
struct snapshot {
	struct members mb;
	char *report, *path, *data_dir; /* path: the record's */
	struct outfile *o;
	int fd;          /* o's contents, opened for the gzip stream */
	struct gzpar *z; /* the copy thread's until it is joined */
	/* Where the copy is: member k, with left bytes of it to copy (-1:
	 * its header is not written yet). */
	size_t k;
	long long left;
	pthread_t th;
	bool threaded;   /* th runs the copy */
	atomic_bool stop; /* snapshot_abort: the copy gives up at its next chunk */
	atomic_bool hurry; /* snapshot_finish waits: the copy hands over */
	int copy_err;    /* copy_members' result on th */
};

/* Copy the data files as tar members from where the copy is, a chunk at
 * a time. 0 when all is copied, an errno on failure (ECANCELED when
 * stopped), or -1 when the copy thread (on_thread) hands the rest over
 * to snapshot_finish. */
static int copy_members(struct snapshot *s, bool on_thread)
{
	unsigned char h[BLOCK];

	for (; s->k < s->mb.n; s->k++, s->left = -1) {
		if (s->mb.fd[s->k] < 0)
			continue;
		if (s->left < 0) {
			tar_header(h, s->mb.name[s->k], s->mb.size[s->k]);
			if (gzpar_write(s->z, h, BLOCK))
				return errno;
			s->left = s->mb.size[s->k];
		}
		while (s->left > 0) {
			long long n = s->left < (long long)GZPAR_CHUNK
					      ? s->left
					      : (long long)GZPAR_CHUNK;

			if (on_thread && atomic_load(&s->stop))
				return ECANCELED;
			if (on_thread && atomic_load(&s->hurry))
				return -1;
			/* A file that shrank while being recorded is an
			 * error; growth is cut off. */
			if (gzpar_copy_fd(s->z, s->mb.fd[s->k], n))
				return errno;
			s->left -= n;
		}
		if (gz_pad(s->z, s->mb.size[s->k]))
			return errno;
	}
	/* What is written so far (all but the last chunk) goes to the disk
	 * here, off the critical path, when the copy thread gets this far:
	 * outfile_commit's fsync then has only the tail. On the caller it
	 * would be a second flush before that one. A failure is the
	 * record's (a later fsync may not repeat it). */
	return on_thread && fdatasync(s->fd) != 0 ? errno : 0;
}

/* The copy beside the scan, at idle priority: it takes only the time the
 * scan leaves a core idle, never the scan's own (the calling thread that
 * takes rows in order bounds the build). What it has not copied when the
 * build waits for it, snapshot_finish copies at the caller's priority.
 * Where SCHED_IDLE is refused it runs at normal priority. */
static void *copy_thread(void *arg)
{
	struct snapshot *s = arg;
	struct sched_param none;

	memset(&none, 0, sizeof none);
	pthread_setschedparam(pthread_self(), SCHED_IDLE, &none);
	s->copy_err = copy_members(s, true);
	return NULL;
}

/* Start the copy on its own thread, every signal blocked there so that
 * they stay with the caller's; when no thread can be had, finish copies
 * it all (the same bytes). */
static void start_copy(struct snapshot *s)
{
	sigset_t all, prev;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &prev);
	s->threaded = pthread_create(&s->th, NULL, copy_thread, s) == 0;
	pthread_sigmask(SIG_SETMASK, &prev, NULL);
}

/* Stop the copy thread where it is (at a chunk's end) and copy the rest
 * here, on two threads (the same bytes). Its errno or 0. */
static int end_copy(struct snapshot *s)
{
	if (s->threaded) {
		atomic_store(&s->hurry, true);
		pthread_join(s->th, NULL);
		s->threaded = false;
		if (s->copy_err != -1)
			return s->copy_err;
	}
	gzpar_two_threads(s->z);
	return copy_members(s, false);
}

/* The error of a stream that failed with errno e. */
static enum brief_status archive_error(const char *path, int e,
				       struct diag *err)
{
	if (e == ENOMEM)
		return diag_set(err, BRIEF_ENOMEM, path, 0, 0, "out of memory");
	return diag_set(err, BRIEF_EIO, path, 0, 0, "cannot write: %s",
			strerror(e ? e : EIO));
}

void snapshot_abort(struct snapshot *s)
{
	if (!s)
		return;
	if (s->threaded) {
		atomic_store(&s->stop, true);
		pthread_join(s->th, NULL);
	}
	gzpar_abort(s->z);
	if (s->fd >= 0)
		close(s->fd);
	outfile_abort(s->o);
	close_inputs(&s->mb);
	free(s->report);
	free(s->path);
	free(s->data_dir);
	free(s);
}

enum brief_status snapshot_begin(const char *report, const char *data_dir,
				 struct snapshot **out, struct diag *err)
{
	struct snapshot *s;
	struct stat st;
	enum brief_status status;

	*out = NULL;
	if (stat(report, &st) == 0 && !S_ISREG(st.st_mode))
		return BRIEF_OK;
	s = calloc(1, sizeof *s);
	if (!s)
		return diag_set(err, BRIEF_ENOMEM, report, 0, 0,
				"out of memory");
	s->fd = -1;
	s->left = -1;
	atomic_init(&s->stop, false);
	atomic_init(&s->hurry, false);
	s->report = strdup(report);
	s->path = snapshot_path(report);
	s->data_dir = strdup(data_dir);
	if (!s->report || !s->path || !s->data_dir) {
		status = diag_set(err, BRIEF_ENOMEM, report, 0, 0,
				  "out of memory");
		goto fail;
	}
	status = open_inputs(data_dir, &s->mb, err);
	if (status)
		goto fail;
	/* Through outfile, like the report: an unnamed temporary where the
	 * filesystem has them, so not even SIGKILL leaves one behind, and
	 * the previous record stays until snapshot_finish. */
	status = outfile_begin(s->path, &s->o, err);
	if (status)
		goto fail;
	s->fd = open(outfile_write_path(s->o), O_WRONLY | O_CLOEXEC);
	if (s->fd < 0) {
		status = diag_set(err, BRIEF_EIO, s->path, 0, 0,
				  "cannot write: %s", strerror(errno));
		goto fail;
	}
	/* libdeflate level 1: the record is copied on every build, so speed
	 * matters more than the last few percent of size (level 1 is both
	 * its fastest, and smaller than zlib's level 1 on CSV). */
	s->z = gzpar_open(s->fd, RECORD_LEVEL, 1);
	if (!s->z) {
		status = archive_error(s->path, errno, err);
		goto fail;
	}
	start_copy(s);
	*out = s;
	return BRIEF_OK;
fail:
	snapshot_abort(s);
	return status;
}

/* The manifest as the last member, the end of the archive, the stream's
 * end. */
static int write_manifest(struct gzpar *z, const char *manifest)
{
	static const unsigned char zero[2 * BLOCK];
	unsigned char h[BLOCK];
	long long mlen = (long long)strlen(manifest);

	tar_header(h, MANIFEST_NAME, mlen);
	if (gzpar_write(z, h, BLOCK) ||
	    gzpar_write(z, manifest, (size_t)mlen) || gz_pad(z, mlen) ||
	    gzpar_write(z, zero, sizeof zero))
		return errno;
	return 0;
}

enum brief_status snapshot_finish(struct snapshot *s, const char *layout,
				  const char *hex, const char *version,
				  struct diag *err)
{
	char *manifest = NULL;
	struct gzpar *z;
	struct stat st;
	sigset_t block, prev;
	enum brief_status status = BRIEF_OK;
	int e;

	if (!s)
		return BRIEF_OK;
	/* From here on the report is in place: its record is completed
	 * before any of these signals ends the process. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &prev);
	e = end_copy(s);
	if (stat(s->report, &st) != 0 || !S_ISREG(st.st_mode))
		goto out; /* no report, or not a file: no record */
	if (e) {
		status = archive_error(s->path, e, err);
		goto out;
	}
	manifest = manifest_text(layout, s->data_dir, hex, version, &s->mb);
	if (!manifest) {
		status = diag_set(err, BRIEF_ENOMEM, s->path, 0, 0,
				  "out of memory");
		goto out;
	}
	e = write_manifest(s->z, manifest);
	z = s->z;
	s->z = NULL;
	if (e) {
		gzpar_abort(z);
	} else if (gzpar_close(z) != 0) {
		e = errno;
	}
	if (e) {
		status = archive_error(s->path, e, err);
		goto out;
	}
	e = close(s->fd);
	s->fd = -1;
	if (e != 0) {
		status = diag_set(err, BRIEF_EIO, s->path, 0, 0,
				  "cannot write: %s", strerror(errno));
		goto out;
	}
	status = outfile_commit(s->o, err);
	s->o = NULL;
out:
	snapshot_abort(s);
	free(manifest);
	sigprocmask(SIG_SETMASK, &prev, NULL);
	return status;
}

enum brief_status snapshot_write(const char *report, const char *layout,
				 const char *data_dir, const char *hex,
				 const char *version, struct diag *err)
{
	struct snapshot *s;
	enum brief_status status = snapshot_begin(report, data_dir, &s, err);

	if (status)
		return status;
	return snapshot_finish(s, layout, hex, version, err);
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
