/* failwrite.c — an LD_PRELOAD shim that breaks writes to brief's temporary
 * report file, to test the failure paths of outfile_write_atomic.
 *
 * Only file descriptors whose path (from /proc/self/fd) has a final
 * component starting with $SHIM_MATCH (e.g. ".out.pdf.") are affected;
 * every other write goes through untouched. $SHIM_MODE says how:
 *
 *   enospc      the first write stores 4096 bytes, then write fails ENOSPC
 *               (a disk filling up mid-file)
 *   fsync       writes succeed, fsync fails with EIO
 *   short       each write stores at most 1000 bytes (partial writes must
 *               be resumed) and the first one fails with EINTR
 *   sleep       before the first write, create $SHIM_READY and sleep
 *               $SHIM_SLEEP seconds (default 10), so the test can signal
 *               the process mid-write
 *
 * Build: cc -shared -fPIC -o failwrite.so failwrite.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int calls;

/* Does fd refer to a file whose name starts with $SHIM_MATCH? */
static int matches(int fd)
{
	const char *want = getenv("SHIM_MATCH");
	char link[64], path[4096];
	const char *base;
	ssize_t n;

	if (!want || !*want)
		return 0;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof path - 1);
	if (n <= 0)
		return 0;
	path[n] = '\0';
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return strncmp(base, want, strlen(want)) == 0;
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
				int r = open(ready, O_WRONLY | O_CREAT, 0644);

				if (r >= 0)
					close(r);
			}
			nanosleep(&ts, NULL);
		}
	}
	return syscall(SYS_write, fd, buf, n);
}

int fsync(int fd)
{
	if (matches(fd) && mode_is("fsync")) {
		errno = EIO;
		return -1;
	}
	return (int)syscall(SYS_fsync, fd);
}
