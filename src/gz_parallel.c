/* gz_parallel.c — gzip as a series of independently compressed members,
 * two chunks at a time (see gz_parallel.h).
 *
 * Two chunk buffers. The caller fills slot 0; when it is full, the worker
 * compresses it while the caller fills slot 1 and, once that is full,
 * compresses it itself. Then the caller waits for slot 0, writes slot 0's
 * member and slot 1's, and starts filling slot 0 again. Only the caller
 * writes, always in stream order. */
#include <errno.h>
#include <libdeflate.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gz_parallel.h"

/* A chunk of the stream and its member. in is GZPAR_CHUNK bytes, out
 * bound bytes, both malloc'd and owned by the struct gzpar. */
struct slot {
	unsigned char *in, *out;
	size_t len;    /* bytes of in filled */
	size_t outlen; /* bytes of out: the member, once compressed */
};

struct gzpar {
	int fd, level, threads;
	int err; /* the first failure's errno, 0 while all is well */
	size_t bound; /* the largest member of a full chunk */
	struct slot s[2];
	/* comp[0] is the caller's, comp[1] the worker's (libdeflate's
	 * compressors are not to be shared between threads). */
	struct libdeflate_compressor *comp[2];
	/* Slot 0 is with the worker (the caller fills slot 1); the caller
	 * fills slot 0 otherwise. */
	bool pending;
	/* Worker state, under mu: job set by the caller hands slot 0 over,
	 * cleared by the worker when its member is in s[0].out. */
	bool started, job, quit;
	int job_err;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static int compress_slot(struct libdeflate_compressor *c, size_t bound,
			 struct slot *s)
{
	s->outlen = libdeflate_gzip_compress(c, s->in, s->len, s->out, bound);
	/* Cannot happen with a buffer of the bound; never write a bad
	 * member if it does. */
	return s->outlen ? 0 : EIO;
}

static void *worker(void *arg)
{
	struct gzpar *g = arg;

	pthread_mutex_lock(&g->mu);
	for (;;) {
		int e;

		while (!g->job && !g->quit)
			pthread_cond_wait(&g->cv, &g->mu);
		if (!g->job)
			break;
		pthread_mutex_unlock(&g->mu);
		e = compress_slot(g->comp[1], g->bound, &g->s[0]);
		pthread_mutex_lock(&g->mu);
		g->job_err = e;
		g->job = false;
		pthread_cond_broadcast(&g->cv);
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		if (w == 0)
			return EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static bool alloc_slot(struct slot *s, size_t bound)
{
	s->in = malloc(GZPAR_CHUNK);
	s->out = malloc(bound);
	s->len = 0;
	return s->in && s->out;
}

struct gzpar *gzpar_open(int fd, int level, int threads)
{
	struct gzpar *g;

	if (level < 1 || level > 12 || threads < 1 || threads > 2) {
		errno = EINVAL;
		return NULL;
	}
	g = calloc(1, sizeof *g);
	if (!g)
		goto nomem;
	g->fd = fd;
	g->level = level;
	g->threads = threads;
	g->comp[0] = libdeflate_alloc_compressor(level);
	if (!g->comp[0])
		goto nomem;
	g->bound = libdeflate_gzip_compress_bound(g->comp[0], GZPAR_CHUNK);
	/* Slot 1, the worker's compressor and the thread wait until the
	 * stream is longer than a chunk. */
	if (!alloc_slot(&g->s[0], g->bound))
		goto nomem;
	return g;
nomem:
	gzpar_abort(g);
	errno = ENOMEM;
	return NULL;
}

/* Start the worker and what only it needs. ENOMEM when out of memory; a
 * thread that cannot be created leaves g on one thread (the same
 * bytes). */
static int start_worker(struct gzpar *g)
{
	sigset_t all, prev;
	int e;

	if (!alloc_slot(&g->s[1], g->bound))
		return ENOMEM;
	g->comp[1] = libdeflate_alloc_compressor(g->level);
	if (!g->comp[1])
		return ENOMEM;
	if (pthread_mutex_init(&g->mu, NULL) != 0)
		goto one_thread;
	if (pthread_cond_init(&g->cv, NULL) != 0) {
		pthread_mutex_destroy(&g->mu);
		goto one_thread;
	}
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &prev);
	e = pthread_create(&g->th, NULL, worker, g);
	pthread_sigmask(SIG_SETMASK, &prev, NULL);
	if (e != 0) {
		pthread_cond_destroy(&g->cv);
		pthread_mutex_destroy(&g->mu);
		goto one_thread;
	}
	g->started = true;
	return 0;
one_thread:
	g->threads = 1;
	return 0;
}

/* Wait for the worker's member of slot 0; its errno or 0. */
static int wait_worker(struct gzpar *g)
{
	int e;

	pthread_mutex_lock(&g->mu);
	while (g->job)
		pthread_cond_wait(&g->cv, &g->mu);
	e = g->job_err;
	pthread_mutex_unlock(&g->mu);
	return e;
}

/* The slot being filled is full, or the stream ends (last): compress,
 * and write whatever is in order to write. 0 or an errno. */
static int flush(struct gzpar *g, bool last)
{
	int e;

	if (!g->pending) {
		struct slot *s = &g->s[0];

		if (s->len == 0)
			return 0;
		if (!last && g->threads == 2 && !g->started) {
			e = start_worker(g);
			if (e)
				return e;
		}
		if (!last && g->started) {
			pthread_mutex_lock(&g->mu);
			g->job = true;
			pthread_cond_broadcast(&g->cv);
			pthread_mutex_unlock(&g->mu);
			g->pending = true;
			g->s[1].len = 0;
			return 0;
		}
		e = compress_slot(g->comp[0], g->bound, s);
		if (!e)
			e = write_all(g->fd, s->out, s->outlen);
		s->len = 0;
		return e;
	}
	/* Slot 0 is with the worker; slot 1 (possibly empty at the end) is
	 * the caller's to compress. */
	e = g->s[1].len ? compress_slot(g->comp[0], g->bound, &g->s[1]) : 0;
	{
		int w = wait_worker(g);

		g->pending = false;
		if (!e)
			e = w;
	}
	if (!e)
		e = write_all(g->fd, g->s[0].out, g->s[0].outlen);
	if (!e && g->s[1].len)
		e = write_all(g->fd, g->s[1].out, g->s[1].outlen);
	g->s[0].len = 0;
	g->s[1].len = 0;
	return e;
}

static struct slot *filling(struct gzpar *g)
{
	return &g->s[g->pending ? 1 : 0];
}

/* Fail with g's sticky errno. */
static int failed(struct gzpar *g, int e)
{
	if (!g->err)
		g->err = e;
	errno = g->err;
	return -1;
}

int gzpar_write(struct gzpar *g, const void *p, size_t n)
{
	const unsigned char *b = p;

	if (g->err)
		return failed(g, g->err);
	while (n > 0) {
		struct slot *s = filling(g);
		size_t room = GZPAR_CHUNK - s->len, k = n < room ? n : room;
		int e;

		memcpy(s->in + s->len, b, k);
		s->len += k;
		b += k;
		n -= k;
		if (s->len == GZPAR_CHUNK && (e = flush(g, false)) != 0)
			return failed(g, e);
	}
	return 0;
}

int gzpar_copy_fd(struct gzpar *g, int in, long long size)
{
	long long left = size;

	if (g->err)
		return failed(g, g->err);
	while (left > 0) {
		struct slot *s = filling(g);
		size_t room = GZPAR_CHUNK - s->len;
		ssize_t r = read(in, s->in + s->len,
				 left < (long long)room ? (size_t)left : room);
		int e;

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return failed(g, r == 0 ? EIO : errno);
		s->len += (size_t)r;
		left -= r;
		if (s->len == GZPAR_CHUNK && (e = flush(g, false)) != 0)
			return failed(g, e);
	}
	return 0;
}

int gzpar_close(struct gzpar *g)
{
	int e = g->err ? g->err : flush(g, true);

	gzpar_abort(g);
	if (e) {
		errno = e;
		return -1;
	}
	return 0;
}

void gzpar_abort(struct gzpar *g)
{
	int i;

	if (!g)
		return;
	if (g->started) {
		pthread_mutex_lock(&g->mu);
		g->quit = true;
		pthread_cond_broadcast(&g->cv);
		pthread_mutex_unlock(&g->mu);
		/* The worker finishes a chunk it has, then ends. */
		pthread_join(g->th, NULL);
		pthread_cond_destroy(&g->cv);
		pthread_mutex_destroy(&g->mu);
	}
	for (i = 0; i < 2; i++) {
		if (g->comp[i])
			libdeflate_free_compressor(g->comp[i]);
		free(g->s[i].in);
		free(g->s[i].out);
	}
	free(g);
}
