/* outfile.c — atomic report writing and the --if-changed hash. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "sha256.h"

/* The temporary file being written, so a signal handler can remove it. */
static char tmp_path[4096];
static volatile sig_atomic_t tmp_live;

static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NSIGNALS (sizeof cleanup_signals / sizeof cleanup_signals[0])

static void on_signal(int sig)
{
	if (tmp_live)
		unlink(tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

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

/* Install the cleanup handler for each signal, except those the caller
 * ignores (nohup): those must stay ignored. */
static void catch_signals(struct sigaction old[NSIGNALS])
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSIGNALS; i++) {
		sigaction(cleanup_signals[i], NULL, &old[i]);
		if (old[i].sa_handler != SIG_IGN)
			sigaction(cleanup_signals[i], &sa, NULL);
	}
}

static void restore_signals(const struct sigaction old[NSIGNALS])
{
	size_t i;

	for (i = 0; i < NSIGNALS; i++)
		sigaction(cleanup_signals[i], &old[i], NULL);
}

/* A device, FIFO or other non-regular file (/dev/null, /dev/stdout) is
 * written in place: renaming over it would replace the device node. */
static enum brief_status write_in_place(const char *path, const void *data,
					size_t len, struct diag *err)
{
	int fd = open(path, O_WRONLY | O_TRUNC);

	if (fd < 0)
		return diag_set(err, BRIEF_EIO, path, 0, 0, "cannot open: %s",
				strerror(errno));
	if (write_all(fd, data, len) != 0) {
		int e = errno;

		close(fd);
		return diag_set(err, BRIEF_EIO, path, 0, 0, "cannot write: %s",
				strerror(e));
	}
	if (close(fd) != 0)
		return diag_set(err, BRIEF_EIO, path, 0, 0, "cannot write: %s",
				strerror(errno));
	return BRIEF_OK;
}

enum brief_status outfile_write_atomic(const char *path, const void *data,
				       size_t len, struct diag *err)
{
	char dir[4096], real[PATH_MAX];
	const char *slash, *base, *target = path;
	struct sigaction old[NSIGNALS];
	sigset_t block, prev;
	struct stat st;
	mode_t mode, mask;
	enum brief_status status = BRIEF_OK;
	int fd, dfd, e;

	/* Replace what a symlink points to, not the link itself. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	    realpath(path, real))
		target = real;
	if (stat(target, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return diag_set(err, BRIEF_EIO, path, 0, 0,
					"is a directory");
		if (!S_ISREG(st.st_mode))
			return write_in_place(target, data, len, err);
		mode = st.st_mode & 07777; /* keep the old report's mode */
	} else {
		mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}

	slash = strrchr(target, '/');
	base = slash ? slash + 1 : target;
	if (slash) {
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - target), target);
		if (!dir[0])
			strcpy(dir, "/");
	} else {
		strcpy(dir, ".");
	}
	if (!*base)
		return diag_set(err, BRIEF_EIO, path, 0, 0,
				"names a directory, not a file");
	if (snprintf(tmp_path, sizeof tmp_path, "%s/.%s.XXXXXX", dir, base) >=
	    (int)sizeof tmp_path)
		return diag_set(err, BRIEF_EIO, path, 0, 0, "path too long");

	catch_signals(old);
	/* No signal between creating the file and recording that it exists. */
	sigemptyset(&block);
	for (size_t i = 0; i < NSIGNALS; i++)
		sigaddset(&block, cleanup_signals[i]);
	sigprocmask(SIG_BLOCK, &block, &prev);
	fd = mkstemp(tmp_path);
	e = errno;
	if (fd >= 0)
		tmp_live = 1;
	sigprocmask(SIG_SETMASK, &prev, NULL);
	if (fd < 0) {
		if (e == ENOENT || e == ENOTDIR)
			status = diag_set(err, BRIEF_EIO, path, 0, 0,
					  "cannot write: directory %s does "
					  "not exist",
					  dir);
		else
			status = diag_set(err, BRIEF_EIO, path, 0, 0,
					  "cannot create a file in %s: %s",
					  dir, strerror(e));
		goto out;
	}
	if (write_all(fd, data, len) != 0 || fsync(fd) != 0 ||
	    fchmod(fd, mode) != 0) {
		status = diag_set(err, BRIEF_EIO, path, 0, 0,
				  "cannot write: %s", strerror(errno));
		close(fd);
		goto fail;
	}
	if (close(fd) != 0) {
		status = diag_set(err, BRIEF_EIO, path, 0, 0,
				  "cannot write: %s", strerror(errno));
		goto fail;
	}
	if (rename(tmp_path, target) != 0) {
		status = diag_set(err, BRIEF_EIO, path, 0, 0,
				  "cannot replace the report: %s",
				  strerror(errno));
		goto fail;
	}
	tmp_live = 0;
	dfd = open(dir, O_RDONLY);
	if (dfd >= 0) {
		fsync(dfd); /* make the rename durable; failure is harmless */
		close(dfd);
	}
	goto out;
fail:
	unlink(tmp_path);
	tmp_live = 0;
out:
	restore_signals(old);
	return status;
}

enum brief_status outfile_finish_hash(struct doc *d, const char *fontdir,
				      const char *version, bool pdfa,
				      long long epoch, char hex[65],
				      struct diag *err)
{
	struct sha256_ctx c;
	char path[4096], line[512];
	FILE *conf;
	int i;

	sha256_init(&c);
	sha256_update(&c, d->input_hash, sizeof d->input_hash);
	sha256_update(&c, version, strlen(version) + 1);
	sha256_update(&c, pdfa ? "pdfa" : "pdf", pdfa ? 5 : 4);
	sha256_update(&c, &epoch, sizeof epoch);
	snprintf(path, sizeof path, "%s/fonts.conf", fontdir);
	conf = fopen(path, "r");
	if (!conf)
		return diag_set(err, BRIEF_EIO, path, 0, 0, "cannot open: %s",
				strerror(errno));
	while (fgets(line, sizeof line, conf)) {
		char role[64], file[400];

		if (line[0] == '#' || sscanf(line, "%63s %399s", role, file) != 2)
			continue;
		snprintf(path, sizeof path, "%s/%s", fontdir, file);
		sha256_update(&c, line, strlen(line));
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

bool outfile_has_hash(const char *path, const char *hex)
{
	FILE *f;
	struct stat st;
	char buf[8192], want[80], upper[80];
	long size;
	size_t n, i;
	bool found = false;

	/* Only a regular file can be a previous report; opening a FIFO to
	 * read it would block. */
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	f = fopen(path, "rb");
	if (!f)
		return false;
	/* The trailer (with /ID) is at the end of the file. */
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 0)
		fseek(f, size > (long)sizeof buf - 1 ? -(long)(sizeof buf - 1) : 0,
		      size > (long)sizeof buf - 1 ? SEEK_END : SEEK_SET);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	snprintf(want, sizeof want, "<%s>", hex);
	for (i = 0; want[i]; i++)
		upper[i] = (char)(want[i] >= 'a' && want[i] <= 'f'
					  ? want[i] - 'a' + 'A'
					  : want[i]);
	upper[i] = '\0';
	for (i = 0; i + strlen(want) <= n && !found; i++)
		found = memcmp(buf + i, want, strlen(want)) == 0 ||
			memcmp(buf + i, upper, strlen(upper)) == 0;
	return found;
}
