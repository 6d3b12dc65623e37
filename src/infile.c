/* infile.c — non-blocking, regular-files-only input opening, and the
 * record of every input a run has read. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "infile.h"
#include "sha256.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

/* Every input opened so far, by device and inode. Owns the paths. When
 * memory runs out, inputs go to a fixed spare table without their path:
 * recording must never make opening a file fail (callers such as the
 * input hash cannot report it), and the file stays protected. */
struct input {
	dev_t dev;
	ino_t ino;
	char *path; /* NULL in the spare table */
	/* The digest of its bytes, when a reader computed one (infile.h). */
	int has_digest;
	off_t size;
	struct timespec mtime;
	struct file_digest digest;
};
#define SPARE_MAX 64
static struct input *inputs, spare[SPARE_MAX];
static size_t ninputs, inputs_cap, nspare;

static const char *kind_name(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

/* A missing file is the user's input being wrong; an existing one that
 * cannot be opened is an I/O problem. */
static enum brief_status open_error(const char *path, int e,
				    struct diag *err)
{
	enum brief_status st = e == ENOENT || e == ENOTDIR || e == ELOOP ||
				       e == ENAMETOOLONG
				       ? BRIEF_EDATA
				       : BRIEF_EIO;

	if (e == ENOENT)
		return diag_set(err, st, path, 0, 0, "no such file");
	return diag_set(err, st, path, 0, 0, "cannot open: %s", strerror(e));
}

static enum brief_status not_regular(const char *path, mode_t m,
				     struct diag *err)
{
	return diag_set(err, BRIEF_EDATA, path, 0, 0,
			"is %s, not a regular file", kind_name(m));
}

static enum brief_status remember(const char *path, const struct stat *st,
				  struct diag *err)
{
	struct input *in;
	char *copy = NULL;

	if (infile_input_path(st->st_dev, st->st_ino))
		return BRIEF_OK;
	if (ninputs == inputs_cap) {
		size_t cap = inputs_cap ? inputs_cap * 2 : 16;

		in = realloc(inputs, cap * sizeof *in);
		if (in) {
			inputs = in;
			inputs_cap = cap;
		}
	}
	if (ninputs < inputs_cap)
		copy = strdup(path);
	if (copy) {
		in = &inputs[ninputs++];
	} else if (nspare < SPARE_MAX) {
		in = &spare[nspare++];
	} else {
		return diag_set(err, BRIEF_ENOMEM, path, 0, 0, "out of memory");
	}
	memset(in, 0, sizeof *in);
	in->dev = st->st_dev;
	in->ino = st->st_ino;
	in->path = copy;
	return BRIEF_OK;
}

enum brief_status infile_open(const char *path, int *fd, struct diag *err)
{
	struct stat st;
	enum brief_status s;
	int f, flags;

	*fd = -1;
	/* Refuse what is plainly not a file before opening it: opening some
	 * devices has side effects. fstat below closes the race. */
	if (stat(path, &st) != 0)
		return open_error(path, errno, err);
	if (!S_ISREG(st.st_mode))
		return not_regular(path, st.st_mode, err);
	f = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (f < 0)
		return open_error(path, errno, err);
	if (fstat(f, &st) != 0) {
		s = diag_set(err, BRIEF_EIO, path, 0, 0, "cannot read: %s",
			     strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		s = not_regular(path, st.st_mode, err);
		goto fail;
	}
	flags = fcntl(f, F_GETFL);
	if (flags < 0 || fcntl(f, F_SETFL, flags & ~O_NONBLOCK) != 0) {
		s = diag_set(err, BRIEF_EIO, path, 0, 0, "cannot read: %s",
			     strerror(errno));
		goto fail;
	}
	s = remember(path, &st, err);
	if (s != BRIEF_OK)
		goto fail;
	*fd = f;
	return BRIEF_OK;
fail:
	close(f);
	return s;
}

enum brief_status infile_fopen(const char *path, FILE **out,
			       struct diag *err)
{
	enum brief_status s;
	int fd;

	*out = NULL;
	s = infile_open(path, &fd, err);
	if (s != BRIEF_OK)
		return s;
	*out = fdopen(fd, "rb");
	if (!*out) {
		int e = errno;

		close(fd);
		if (e == ENOMEM)
			return diag_set(err, BRIEF_ENOMEM, path, 0, 0,
					"out of memory");
		return diag_set(err, BRIEF_EIO, path, 0, 0, "cannot open: %s",
				strerror(e));
	}
	return BRIEF_OK;
}

/* Grow buf to hold cap bytes and a NUL. */
static enum brief_status grow(char **buf, size_t cap, const char *path,
			      struct diag *err)
{
	char *nb = realloc(*buf, cap + 1);

	if (!nb)
		return diag_set(err, BRIEF_ENOMEM, path, 0, 0, "out of memory");
	*buf = nb;
	return BRIEF_OK;
}

enum brief_status infile_read(const char *path, size_t max, char **data,
			      size_t *len, struct diag *err)
{
	struct stat st;
	enum brief_status s;
	char *buf = NULL, one;
	size_t n = 0, cap;
	ssize_t r;
	int fd;

	*data = NULL;
	*len = 0;
	s = infile_open(path, &fd, err);
	if (s != BRIEF_OK)
		return s;
	/* Sized from fstat; grown if the file grows while it is read. */
	cap = fstat(fd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size : 4096;
	if (cap > max)
		cap = max;
	s = grow(&buf, cap, path, err);
	while (s == BRIEF_OK) {
		if (n == cap && cap == max) {
			r = read(fd, &one, 1);
			if (r > 0)
				s = diag_set(err, BRIEF_EDATA, path, 0, 0,
					     "larger than %zu bytes", max);
		} else {
			if (n == cap) {
				cap = cap > max / 2 ? max : cap * 2;
				s = grow(&buf, cap, path, err);
				if (s != BRIEF_OK)
					break;
			}
			r = read(fd, buf + n, cap - n);
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			s = diag_set(err, BRIEF_EIO, path, 0, 0,
				     "cannot read: %s", strerror(errno));
		if (r <= 0 || s != BRIEF_OK)
			break;
		n += (size_t)r; /* only a read into buf gets here */
	}
	if (s == BRIEF_OK) {
		buf[n] = '\0';
		*data = buf;
		*len = n;
		buf = NULL;
	}
	free(buf);
	close(fd);
	return s;
}

enum brief_status infile_check(const char *path, struct diag *err)
{
	enum brief_status s;
	int fd;

	s = infile_open(path, &fd, err);
	if (s == BRIEF_OK)
		close(fd);
	return s;
}

enum brief_status infile_check_dir(const char *path, struct diag *err)
{
	struct stat st;
	int fd;

	if (stat(path, &st) != 0)
		return errno == ENOENT ? diag_set(err, BRIEF_EDATA, path, 0, 0,
						  "no such directory")
				       : open_error(path, errno, err);
	if (!S_ISDIR(st.st_mode))
		return diag_set(err, BRIEF_EDATA, path, 0, 0,
				"is %s, not a directory",
				S_ISREG(st.st_mode) ? "a file" : kind_name(st.st_mode));
	fd = open(path, O_RDONLY | O_NONBLOCK | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return open_error(path, errno, err);
	close(fd);
	return BRIEF_OK;
}

const char *infile_input_path(dev_t dev, ino_t ino)
{
	size_t i;

	for (i = 0; i < ninputs; i++)
		if (inputs[i].dev == dev && inputs[i].ino == ino)
			return inputs[i].path;
	for (i = 0; i < nspare; i++)
		if (spare[i].dev == dev && spare[i].ino == ino)
			return "";
	return NULL;
}

static struct input *find_input(dev_t dev, ino_t ino)
{
	size_t i;

	for (i = 0; i < ninputs; i++)
		if (inputs[i].dev == dev && inputs[i].ino == ino)
			return &inputs[i];
	for (i = 0; i < nspare; i++)
		if (spare[i].dev == dev && spare[i].ino == ino)
			return &spare[i];
	return NULL;
}

void infile_set_digest(const struct stat *st, const struct file_digest *d)
{
	struct input *in = find_input(st->st_dev, st->st_ino);

	if (!in)
		return;
	in->has_digest = 1;
	in->size = st->st_size;
	in->mtime = st->st_mtim;
	in->digest = *d;
}

int infile_digest(const struct stat *st, struct file_digest *d)
{
	struct input *in = find_input(st->st_dev, st->st_ino);

	if (!in || !in->has_digest || in->size != st->st_size ||
	    in->mtime.tv_sec != st->st_mtim.tv_sec ||
	    in->mtime.tv_nsec != st->st_mtim.tv_nsec)
		return 0;
	*d = in->digest;
	return 1;
}

void infile_forget(void)
{
	size_t i;

	for (i = 0; i < ninputs; i++)
		free(inputs[i].path);
	free(inputs);
	inputs = NULL;
	ninputs = inputs_cap = nspare = 0;
	memset(spare, 0, sizeof spare);
}
