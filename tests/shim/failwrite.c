/* failwrite.c — an LD_PRELOAD shim that breaks writes to brief's temporary
 * output files, to test the failure paths of src/outfile.c.
 *
 * Only file descriptors whose path (from /proc/self/fd) matches one of the
 * shell globs in $SHIM_MATCH (separated by ':') are affected; every other
 * write goes through untouched. An unnamed O_TMPFILE file shows there as
 * "<dir>/#<inode> (deleted)", so "$dir/#*" matches it, and
 * "$dir/.name.pdf.brief-*" a named temporary. $SHIM_MODE says how:
 *
 *   enospc      the first write stores 4096 bytes, then write fails ENOSPC
 *               (a disk filling up mid-file); fwrite likewise fails after
 *               its first call
 *   fsync       writes succeed, fsync fails with EIO
 *   short       each write stores at most 1000 bytes (partial writes must
 *               be resumed) and the first one fails with EINTR
 *   sleep       before the first write, create $SHIM_READY and sleep
 *               $SHIM_SLEEP seconds (default 10), so the test can signal
 *               the process mid-write
 *   link        linkat and rename of a matching file fail with EIO (the
 *               last step of an atomic replace)
 *
 * With $SHIM_NOTMPFILE=1, open(O_TMPFILE) fails with EOPNOTSUPP, as on a
 * filesystem without unnamed temporary files: brief must fall back to
 * named ones.
 *
 * Build: cc -shared -fPIC -o failwrite.so failwrite.c
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int calls;

/* Does fd refer to a file whose path matches a glob in $SHIM_MATCH? */
static int matches(int fd)
{
	const char *want = getenv("SHIM_MATCH");
	char link[64], path[4096], globs[4096], *g, *save = NULL;
	ssize_t n;

	if (!want || !*want)
		return 0;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof path - 1);
	if (n <= 0)
		return 0;
	path[n] = '\0';
	snprintf(globs, sizeof globs, "%s", want);
	for (g = strtok_r(globs, ":", &save); g; g = strtok_r(NULL, ":", &save))
		if (fnmatch(g, path, 0) == 0)
			return 1;
	return 0;
}

static int mode_is(const char *m)
{
	const char *mode = getenv("SHIM_MODE");

	return mode && strcmp(mode, m) == 0;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	if (matches(fd)) {
		calls++;
		if (mode_is("enospc")) {
			if (calls > 1) {
				errno = ENOSPC;
				return -1;
			}
			if (n > 4096)
				n = 4096;
		} else if (mode_is("short")) {
			if (calls == 1) {
				errno = EINTR;
				return -1;
			}
			if (n > 1000)
				n = 1000;
		} else if (mode_is("sleep") && calls == 1) {
			const char *ready = getenv("SHIM_READY");
			const char *secs = getenv("SHIM_SLEEP");
			struct timespec ts = {secs ? atoi(secs) : 10, 0};

			if (ready) {
				int r = (int)syscall(SYS_openat, AT_FDCWD, ready,
						     O_WRONLY | O_CREAT, 0644);

				if (r >= 0)
					close(r);
			}
			nanosleep(&ts, NULL);
		}
	}
	return syscall(SYS_write, fd, buf, n);
}

/* cairo writes PNG and SVG files through stdio, whose own writes do not
 * go through write() above. From the second fwrite on, the stream's
 * descriptor is swapped for /dev/full: every later write, stdio's
 * buffered ones included, fails with ENOSPC as on a full disk, and the
 * stream's error flag is set as it would be. */
size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	static size_t (*real)(const void *, size_t, size_t, FILE *);

	if (!real)
		real = (size_t (*)(const void *, size_t, size_t, FILE *))dlsym(
			RTLD_NEXT, "fwrite");
	if (size && n && matches(fileno(f)) && mode_is("enospc") &&
	    ++calls > 1) {
		int full = (int)syscall(SYS_openat, AT_FDCWD, "/dev/full",
					O_WRONLY, 0);

		if (full >= 0) {
			dup2(full, fileno(f));
			close(full);
		}
	}
	return real(p, size, n, f);
}

int fsync(int fd)
{
	if (matches(fd) && mode_is("fsync")) {
		errno = EIO;
		return -1;
	}
	return (int)syscall(SYS_fsync, fd);
}

/* Is path one of the matching files: a glob match, or /proc/self/fd/N of
 * a matching descriptor (how brief links an unnamed temporary)? */
static int path_matches(const char *path)
{
	const char *want = getenv("SHIM_MATCH");
	char globs[4096], *g, *save = NULL;

	if (strncmp(path, "/proc/self/fd/", 14) == 0)
		return matches(atoi(path + 14));
	if (!want || !*want)
		return 0;
	snprintf(globs, sizeof globs, "%s", want);
	for (g = strtok_r(globs, ":", &save); g; g = strtok_r(NULL, ":", &save))
		if (fnmatch(g, path, 0) == 0)
			return 1;
	return 0;
}

int linkat(int olddir, const char *old, int newdir, const char *new, int flags)
{
	if (mode_is("link") && path_matches(old)) {
		errno = EIO;
		return -1;
	}
	return (int)syscall(SYS_linkat, olddir, old, newdir, new, flags);
}

int rename(const char *old, const char *new)
{
	if (mode_is("link") && path_matches(old)) {
		errno = EIO;
		return -1;
	}
	return (int)syscall(SYS_rename, old, new);
}

static int shim_openat(int dir, const char *path, int flags, mode_t mode)
{
	const char *no = getenv("SHIM_NOTMPFILE");

	if (no && *no == '1' && (flags & O_TMPFILE) == O_TMPFILE) {
		errno = EOPNOTSUPP;
		return -1;
	}
	return (int)syscall(SYS_openat, dir, path, flags, mode);
}

/* open's mode argument is only there with O_CREAT or O_TMPFILE. */
#define MODE_ARG(flags, last)                                              \
	mode_t mode = 0;                                                   \
	if ((flags) & O_CREAT || ((flags) & O_TMPFILE) == O_TMPFILE) {     \
		va_list ap;                                                \
		va_start(ap, last);                                        \
		mode = (mode_t)va_arg(ap, int);                            \
		va_end(ap);                                                \
	}

int open(const char *path, int flags, ...)
{
	MODE_ARG(flags, flags)
	return shim_openat(AT_FDCWD, path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	MODE_ARG(flags, flags)
	return shim_openat(AT_FDCWD, path, flags, mode);
}

int openat(int dir, const char *path, int flags, ...)
{
	MODE_ARG(flags, flags)
	return shim_openat(dir, path, flags, mode);
}

int openat64(int dir, const char *path, int flags, ...)
{
	MODE_ARG(flags, flags)
	return shim_openat(dir, path, flags, mode);
}
