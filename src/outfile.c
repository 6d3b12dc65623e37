/* outfile.c — atomic output files (O_TMPFILE, else named temporaries that
 * a later run can recognise), the output-is-an-input check, and the
 * --if-changed hash. */
#define _GNU_SOURCE /* O_TMPFILE */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "infile.h"
#include "outfile.h"
#include "sha256.h"

#define OUT_PATH_MAX 4096
/* Room left in a file name for ".brief-<pid>-XXXXXX" after the prefix. */
#define TMP_BASE_MAX 200
#define TMP_TAG ".brief-"

enum outfile_kind { OUT_TMPFILE, OUT_NAMED, OUT_IN_PLACE };

struct outfile {
	enum outfile_kind kind;
	int fd;
	int slot;                 /* in named[] (OUT_NAMED), else -1 */
	mode_t mode;              /* what the finished file gets */
	char shown[OUT_PATH_MAX]; /* the path as given, for messages */
	char target[OUT_PATH_MAX]; /* the file replaced (symlinks followed) */
	char dir[OUT_PATH_MAX];
	char prefix[TMP_BASE_MAX + 16]; /* ".<name>.brief-" */
	char tmp[OUT_PATH_MAX];   /* the named temporary file or link */
	char wpath[OUT_PATH_MAX]; /* outfile_write_path */
};

/* ---- signals: remove named temporaries on the way out ---- */

#define NAMED_MAX 16
static struct {
	volatile sig_atomic_t used;
	char path[OUT_PATH_MAX];
} named[NAMED_MAX];
static unsigned nnamed;

static const int cleanup_signals[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM,
				      SIGUSR1, SIGUSR2, SIGALRM, SIGXFSZ,
				      SIGPIPE};
#define NSIGNALS (sizeof cleanup_signals / sizeof cleanup_signals[0])
static struct sigaction old_actions[NSIGNALS];

static void on_signal(int sig)
{
	size_t i;

	for (i = 0; i < NAMED_MAX; i++)
		if (named[i].used)
			unlink(named[i].path);
	signal(sig, SIG_DFL);
	raise(sig); /* delivered, with the default action, on return */
}

static void block_signals(sigset_t *prev)
{
	sigset_t block;
	size_t i;

	sigemptyset(&block);
	for (i = 0; i < NSIGNALS; i++)
		sigaddset(&block, cleanup_signals[i]);
	sigprocmask(SIG_BLOCK, &block, prev);
}

/* Install the cleanup handler for each signal, except those the caller
 * ignores (nohup): those must stay ignored. */
static void catch_signals(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSIGNALS; i++)
		sigaddset(&sa.sa_mask, cleanup_signals[i]);
	for (i = 0; i < NSIGNALS; i++) {
		sigaction(cleanup_signals[i], NULL, &old_actions[i]);
		if (old_actions[i].sa_handler != SIG_IGN)
			sigaction(cleanup_signals[i], &sa, NULL);
	}
}

static void restore_signals(void)
{
	size_t i;

	for (i = 0; i < NSIGNALS; i++)
		sigaction(cleanup_signals[i], &old_actions[i], NULL);
}

/* With signals blocked: remember a named temporary for the handler. */
static int named_add(const char *path)
{
	int i;

	for (i = 0; i < NAMED_MAX; i++) {
		if (!named[i].used) {
			snprintf(named[i].path, sizeof named[i].path, "%s",
				 path);
			named[i].used = 1;
			if (nnamed++ == 0)
				catch_signals();
			return i;
		}
	}
	return -1;
}

/* With signals blocked: forget it (it was renamed or removed). */
static void named_drop(int slot)
{
	if (slot < 0 || !named[slot].used)
		return;
	named[slot].used = 0;
	if (--nnamed == 0)
		restore_signals();
}

/* ---- stale temporaries of dead processes ---- */

/* Is name "<prefix><pid>-XXXXXX" (6 letters or digits)? */
static bool stale_name(const char *name, const char *prefix, long *pid)
{
	size_t n = strlen(prefix), k;
	const char *p;
	char *end;

	if (strncmp(name, prefix, n) != 0)
		return false;
	p = name + n;
	if (*p < '1' || *p > '9')
		return false;
	errno = 0;
	*pid = strtol(p, &end, 10);
	if (errno || *end != '-' || *pid <= 0 || *pid > INT_MAX)
		return false;
	for (k = 1; k <= 6; k++) {
		char c = end[k];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9')))
			return false;
	}
	return end[7] == '\0';
}

static bool pid_alive(long pid)
{
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

/* Remove dir's temporaries of this output whose process is gone: only
 * regular files named as brief names them, never anything else. Best
 * effort: a directory that cannot be read is left alone. */
static void clear_stale(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	long pid;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (!stale_name(e->d_name, prefix, &pid) ||
		    pid == (long)getpid() || pid_alive(pid))
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) ==
			    0 &&
		    S_ISREG(st.st_mode))
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

/* ---- writing ---- */

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

enum brief_status outfile_check_not_input(const char *path, struct diag *err)
{
	struct stat st;
	const char *in;

	if (stat(path, &st) != 0)
		return BRIEF_OK;
	in = infile_input_path(st.st_dev, st.st_ino);
	if (!in)
		return BRIEF_OK;
	if (!*in || strcmp(in, path) == 0)
		return diag_set(err, BRIEF_EUSAGE, path, 0, 0,
				"is an input of this build; refusing to "
				"write the output over it");
	return diag_set(err, BRIEF_EUSAGE, path, 0, 0,
			"is the same file as the input %s; refusing to write "
			"the output over it",
			in);
}

/* o->target, o->dir, o->prefix and o->mode from the path given. */
static enum brief_status out_resolve(struct outfile *o, const char *path,
				     struct diag *err)
{
	char real[PATH_MAX];
	const char *slash, *base;
	struct stat st;
	mode_t mask;

	snprintf(o->shown, sizeof o->shown, "%s", path);
	/* Replace what a symlink points to, not the link itself. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && realpath(path, real))
		path = real;
	if (snprintf(o->target, sizeof o->target, "%s", path) >=
	    (int)sizeof o->target)
		return diag_set(err, BRIEF_EIO, o->shown, 0, 0, "path too long");
	if (stat(o->target, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return diag_set(err, BRIEF_EIO, o->shown, 0, 0,
					"is a directory");
		if (!S_ISREG(st.st_mode))
			o->kind = OUT_IN_PLACE;
		o->mode = st.st_mode & 07777; /* keep the old file's mode */
	} else {
		mask = umask(0);
		umask(mask);
		o->mode = 0666 & ~mask;
	}
	slash = strrchr(o->target, '/');
	base = slash ? slash + 1 : o->target;
	if (!*base)
		return diag_set(err, BRIEF_EIO, o->shown, 0, 0,
				"names a directory, not a file");
	if (slash)
		snprintf(o->dir, sizeof o->dir, "%.*s",
			 slash == o->target ? 1 : (int)(slash - o->target),
			 o->target);
	else
		strcpy(o->dir, ".");
	snprintf(o->prefix, sizeof o->prefix, ".%.*s" TMP_TAG, TMP_BASE_MAX,
		 base);
	return BRIEF_OK;
}

static enum brief_status create_error(const struct outfile *o, int e,
				      struct diag *err)
{
	if (e == ENOENT || e == ENOTDIR)
		return diag_set(err, BRIEF_EIO, o->shown, 0, 0,
				"cannot write: directory %s does not exist",
				o->dir);
	return diag_set(err, BRIEF_EIO, o->shown, 0, 0,
			"cannot create a file in %s: %s", o->dir, strerror(e));
}

/* An unnamed file in o->dir, reachable as /proc/self/fd/N. -1 with errno
 * when the filesystem (or a missing /proc) does not allow it. */
static int open_unnamed(struct outfile *o)
{
	int fd = open(o->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	snprintf(o->wpath, sizeof o->wpath, "/proc/self/fd/%d", fd);
	if (access(o->wpath, F_OK) != 0) { /* no /proc: cannot link it */
		close(fd);
		errno = EOPNOTSUPP;
		return -1;
	}
	return fd;
}

/* A named temporary .<name>.brief-<pid>-XXXXXX, known to the handler. */
static enum brief_status open_named(struct outfile *o, struct diag *err)
{
	sigset_t prev;
	bool full = false;
	int e;

	if (snprintf(o->tmp, sizeof o->tmp, "%s/%s%ld-XXXXXX", o->dir,
		     o->prefix, (long)getpid()) >= (int)sizeof o->tmp)
		return diag_set(err, BRIEF_EIO, o->shown, 0, 0,
				"path too long");
	/* No signal between creating the file and recording that it exists. */
	block_signals(&prev);
	o->fd = mkstemp(o->tmp);
	e = errno;
	if (o->fd >= 0) {
		o->slot = named_add(o->tmp);
		if (o->slot < 0) {
			full = true;
			close(o->fd);
			unlink(o->tmp);
			o->fd = -1;
		}
	}
	sigprocmask(SIG_SETMASK, &prev, NULL);
	if (full)
		return diag_set(err, BRIEF_EINTERNAL, o->shown, 0, 0,
				"internal error in outfile: more than %d "
				"files open for writing",
				NAMED_MAX);
	if (o->fd < 0)
		return create_error(o, e, err);
	snprintf(o->wpath, sizeof o->wpath, "%s", o->tmp);
	return BRIEF_OK;
}

enum brief_status outfile_begin(const char *path, struct outfile **out,
				struct diag *err)
{
	struct outfile *o;
	enum brief_status st;
	int e;

	*out = NULL;
	o = calloc(1, sizeof *o);
	if (!o)
		return diag_set(err, BRIEF_ENOMEM, path, 0, 0, "out of memory");
	o->fd = -1;
	o->slot = -1;
	st = out_resolve(o, path, err);
	if (st != BRIEF_OK)
		goto fail;
	if (o->kind == OUT_IN_PLACE) {
		/* A device or FIFO: renaming over it would replace the node. */
		o->fd = open(o->target, O_WRONLY | O_TRUNC | O_NOCTTY | O_CLOEXEC);
		if (o->fd < 0) {
			st = diag_set(err, BRIEF_EIO, o->shown, 0, 0,
				      "cannot open: %s", strerror(errno));
			goto fail;
		}
		snprintf(o->wpath, sizeof o->wpath, "%s", o->target);
		*out = o;
		return BRIEF_OK;
	}
	clear_stale(o->dir, o->prefix);
	o->kind = OUT_TMPFILE;
	o->fd = open_unnamed(o);
	if (o->fd < 0) {
		e = errno;
		if (e == ENOENT || e == ENOTDIR) {
			st = create_error(o, e, err);
			goto fail;
		}
		/* Not supported here (EOPNOTSUPP, EISDIR on old kernels) or
		 * failing for a reason mkstemp will report as well. */
		o->kind = OUT_NAMED;
		st = open_named(o, err);
		if (st != BRIEF_OK)
			goto fail;
	}
	*out = o;
	return BRIEF_OK;
fail:
	free(o);
	return st;
}

const char *outfile_write_path(const struct outfile *o)
{
	return o->wpath;
}

bool outfile_in_place(const struct outfile *o)
{
	return o->kind == OUT_IN_PLACE;
}

enum brief_status outfile_write(struct outfile *o, const void *data,
				size_t len, struct diag *err)
{
	if (write_all(o->fd, data, len) != 0)
		return diag_set(err, BRIEF_EIO, o->shown, 0, 0,
				"cannot write: %s", strerror(errno));
	return BRIEF_OK;
}

void outfile_abort(struct outfile *o)
{
	sigset_t prev;

	if (!o)
		return;
	if (o->fd >= 0)
		close(o->fd);
	if (o->kind == OUT_NAMED) {
		block_signals(&prev);
		unlink(o->tmp);
		named_drop(o->slot);
		sigprocmask(SIG_SETMASK, &prev, NULL);
	}
	free(o);
}

/* Six letters or digits, different on every call. */
static void random_tag(char out[7])
{
	static const char abc[] = "abcdefghijklmnopqrstuvwxyz"
				  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	static uint64_t counter;
	struct timespec ts;
	uint64_t x;
	int i;

	clock_gettime(CLOCK_REALTIME, &ts);
	x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^
	    ((uint64_t)getpid() << 17) ^ (++counter * 0x9E3779B97F4A7C15ULL);
	for (i = 0; i < 6; i++) {
		x ^= x >> 33;
		x *= 0xFF51AFD7ED558CCDULL;
		x ^= x >> 29;
		out[i] = abc[x % (sizeof abc - 1)];
	}
	out[6] = '\0';
}

/* Give the unnamed file o->target's name: directly when nothing is there
 * yet, else as a named link renamed over the old file. Catchable signals
 * are blocked meanwhile; only SIGKILL can leave the link, which the next
 * run clears (clear_stale). */
static int link_unnamed(struct outfile *o)
{
	char tag[7];
	int tries, e;

	if (linkat(AT_FDCWD, o->wpath, AT_FDCWD, o->target, AT_SYMLINK_FOLLOW) ==
	    0)
		return 0;
	if (errno != EEXIST)
		return -1;
	for (tries = 0; tries < 100; tries++) {
		random_tag(tag);
		if (snprintf(o->tmp, sizeof o->tmp, "%s/%s%ld-%s", o->dir,
			     o->prefix, (long)getpid(),
			     tag) >= (int)sizeof o->tmp) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (linkat(AT_FDCWD, o->wpath, AT_FDCWD, o->tmp,
			   AT_SYMLINK_FOLLOW) == 0)
			break;
		if (errno != EEXIST)
			return -1;
	}
	if (tries == 100)
		return -1;
	if (rename(o->tmp, o->target) != 0) {
		e = errno;
		unlink(o->tmp);
		errno = e;
		return -1;
	}
	return 0;
}

/* Make a rename durable; failure is harmless (the file is complete). */
static void sync_dir(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
}

enum brief_status outfile_commit(struct outfile *o, struct diag *err)
{
	enum brief_status st = BRIEF_OK;
	sigset_t prev;
	int r, e;

	if (o->kind == OUT_IN_PLACE) {
		if (close(o->fd) != 0)
			st = diag_set(err, BRIEF_EIO, o->shown, 0, 0,
				      "cannot write: %s", strerror(errno));
		free(o);
		return st;
	}
	if (fsync(o->fd) != 0 || fchmod(o->fd, o->mode) != 0) {
		st = diag_set(err, BRIEF_EIO, o->shown, 0, 0,
			      "cannot write: %s", strerror(errno));
		outfile_abort(o);
		return st;
	}
	if (o->kind == OUT_NAMED) {
		r = close(o->fd);
		o->fd = -1;
		if (r != 0) {
			st = diag_set(err, BRIEF_EIO, o->shown, 0, 0,
				      "cannot write: %s", strerror(errno));
			outfile_abort(o);
			return st;
		}
	}
	block_signals(&prev);
	if (o->kind == OUT_TMPFILE) {
		r = link_unnamed(o);
	} else {
		r = rename(o->tmp, o->target);
		if (r == 0)
			named_drop(o->slot);
	}
	e = errno;
	sigprocmask(SIG_SETMASK, &prev, NULL);
	if (r != 0) {
		st = diag_set(err, BRIEF_EIO, o->shown, 0, 0,
			      "cannot rename the new file into place: %s",
			      strerror(e));
		outfile_abort(o);
		return st;
	}
	if (o->fd >= 0)
		close(o->fd); /* the data is on disk: nothing can fail now */
	sync_dir(o->dir);
	free(o);
	return BRIEF_OK;
}

enum brief_status outfile_write_atomic(const char *path, const void *data,
				       size_t len, struct diag *err)
{
	struct outfile *o;
	enum brief_status st;

	st = outfile_begin(path, &o, err);
	if (st != BRIEF_OK)
		return st;
	st = outfile_write(o, data, len, err);
	if (st != BRIEF_OK) {
		outfile_abort(o);
		return st;
	}
	return outfile_commit(o, err);
}

enum brief_status outfile_finish_hash(struct doc *d, const char *fontdir,
				      const char *version, bool pdfa,
				      long long epoch, char hex[65],
				      struct diag *err)
{
	struct sha256_ctx c;
	char path[4096], line[512];
	FILE *conf;
	enum brief_status st;
	int i;

	sha256_init(&c);
	sha256_update(&c, d->input_hash, sizeof d->input_hash);
	sha256_update(&c, version, strlen(version) + 1);
	sha256_update(&c, pdfa ? "pdfa" : "pdf", pdfa ? 5 : 4);
	sha256_update(&c, &epoch, sizeof epoch);
	snprintf(path, sizeof path, "%s/fonts.conf", fontdir);
	st = infile_fopen(path, &conf, err);
	if (st != BRIEF_OK)
		return st;
	while (fgets(line, sizeof line, conf)) {
		char role[64], file[400];

		if (line[0] == '#' || sscanf(line, "%63s %399s", role, file) != 2)
			continue;
		snprintf(path, sizeof path, "%s/%s", fontdir, file);
		sha256_update(&c, line, strlen(line));
		st = infile_check(path, err);
		if (st != BRIEF_OK) {
			fclose(conf);
			return st;
		}
		if (sha256_update_file_digest(&c, path) != 0) {
			fclose(conf);
			return diag_set(err, BRIEF_EIO, path, 0, 0,
					"cannot read font: %s", strerror(errno));
		}
	}
	fclose(conf);
	sha256_final(&c, d->input_hash);
	for (i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", d->input_hash[i]);
	return BRIEF_OK;
}


/* ---- --if-changed: is the old report complete, and whose is it? ---- */

#define PDF_TAIL 4096

static bool is_pdf_space(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' ||
	       c == '\0';
}

/* The last occurrence of word in buf[0..n), or NULL. */
static const char *last_word(const char *buf, size_t n, const char *word)
{
	size_t w = strlen(word), i;

	for (i = n >= w ? n - w + 1 : 0; i-- > 0;)
		if (memcmp(buf + i, word, w) == 0)
			return buf + i;
	return NULL;
}

/* Read up to n bytes at off into buf (NUL-terminated); the count read. */
static size_t read_at(int fd, char *buf, size_t n, off_t off)
{
	ssize_t r = pread(fd, buf, n, off);

	if (r < 0)
		r = 0;
	buf[r] = '\0';
	return (size_t)r;
}

/* Does the dictionary text d (NUL-terminated) hold /ID [<hex> ...]? */
static bool dict_has_id(const char *d, const char *hex)
{
	const char *p = strstr(d, "/ID");
	size_t n = strlen(hex), i;

	if (!p)
		return false;
	p += 3;
	while (is_pdf_space(*p) && *p)
		p++;
	if (*p++ != '[')
		return false;
	while (is_pdf_space(*p) && *p)
		p++;
	if (*p++ != '<')
		return false;
	for (i = 0; i < n; i++) {
		char c = p[i] >= 'A' && p[i] <= 'F' ? (char)(p[i] - 'A' + 'a')
						    : p[i];

		if (c != hex[i])
			return false;
	}
	return p[n] == '>';
}

/* A classic cross-reference table at off: "xref", then subsections
 * "first count" of count 20-byte entries, then "trailer <<...>>" ending
 * before the startxref at sx. Walks the subsection headers only. */
static bool xref_table_ok(int fd, off_t off, off_t sx, const char *hex)
{
	char line[128], trailer[PDF_TAIL + 1];
	unsigned long first, count;
	off_t pos = off + 4;
	size_t n;
	int k;

	for (k = 0; k < 10000 && pos < sx; k++) {
		char *p = line;

		n = read_at(fd, line, sizeof line - 1, pos);
		while (*p == '\r' || *p == '\n' || *p == ' ')
			p++;
		if (strncmp(p, "trailer", 7) == 0) {
			pos += (p - line) + 7;
			if (sx - pos > PDF_TAIL || sx <= pos)
				return false;
			read_at(fd, trailer, (size_t)(sx - pos), pos);
			return strstr(trailer, "<<") && dict_has_id(trailer, hex);
		}
		if (sscanf(p, "%lu %lu", &first, &count) != 2 || n == 0 ||
		    count > (unsigned long)(sx - pos) / 20)
			return false;
		p = strpbrk(p, "\r\n");
		if (!p)
			return false;
		while (*p == '\r' || *p == '\n')
			p++;
		pos += (p - line) + (off_t)count * 20;
	}
	return false;
}

/* A cross-reference stream at off: "N G obj << /Type /XRef ... >>". */
static bool xref_stream_ok(int fd, off_t off, const char *hex)
{
	char buf[PDF_TAIL + 1], *end;
	unsigned long num, gen;
	int used = 0;

	read_at(fd, buf, PDF_TAIL, off);
	if (sscanf(buf, "%lu %lu obj%n", &num, &gen, &used) != 2 || !used)
		return false;
	end = strstr(buf, "stream");
	if (!end)
		return false;
	*end = '\0';
	return (strstr(buf, "/Type /XRef") || strstr(buf, "/Type/XRef")) &&
	       dict_has_id(buf, hex);
}

bool outfile_has_hash(const char *path, const char *hex)
{
	char head[8], tail[PDF_TAIL + 1], *p, *e;
	const char *sx;
	struct stat st;
	size_t n;
	off_t size, start, xoff;
	long long v;
	bool ok = false;
	int fd;

	/* Only a regular file can be a previous report; opening a FIFO to
	 * read it would block. */
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 32)
		goto out;
	size = st.st_size;
	if (read_at(fd, head, 5, 0) != 5 || memcmp(head, "%PDF-", 5) != 0)
		goto out;
	start = size > PDF_TAIL ? size - PDF_TAIL : 0;
	n = read_at(fd, tail, (size_t)(size - start), start);
	while (n > 0 && is_pdf_space(tail[n - 1]))
		n--;
	if (n < 5 || memcmp(tail + n - 5, "%%EOF", 5) != 0)
		goto out;
	sx = last_word(tail, n, "startxref");
	if (!sx)
		goto out;
	errno = 0;
	v = strtoll(sx + 9, &e, 10);
	for (p = e; p < tail + n - 5 && is_pdf_space(*p); p++)
		;
	if (errno || e == sx + 9 || p != tail + n - 5 || v <= 0 ||
	    v >= start + (off_t)(sx - tail))
		goto out;
	xoff = (off_t)v;
	read_at(fd, head, 4, xoff);
	if (memcmp(head, "xref", 4) == 0)
		ok = xref_table_ok(fd, xoff, start + (off_t)(sx - tail), hex);
	else
		ok = xref_stream_ok(fd, xoff, hex);
out:
	close(fd);
	return ok;
}
