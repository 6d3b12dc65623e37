/* gz_parallel.c — gzip as a series of independently compressed members,
 * two chunks at a time (see gz_parallel.h).
 *
 * Three chunk buffers in a ring. The caller fills them in turn; each full
 * chunk goes to the worker if it is idle and is compressed on the
 * caller's thread otherwise, so neither thread waits for the other while
 * there is work (the caller also reads the input). Members are written by
 * the caller only, oldest first: a chunk compressed early waits in its
 * slot for the worker's older one. */
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
#define NSLOT 3

struct slot {
	unsigned char *in, *out;
	size_t len;    /* bytes of in filled */
	size_t outlen; /* bytes of out: the member, once compressed */
};

struct gzpar {
	int fd, level, threads;
	int err; /* the first failure's errno, 0 while all is well */
	size_t bound; /* the largest member of a full chunk */
	struct slot s[NSLOT];
	/* comp[0] is the caller's, comp[1] the worker's (libdeflate's
	 * compressors are not to be shared between threads). */
	struct libdeflate_compressor *comp[2];
	/* Chunks by number: head the oldest not yet written, next the one
	 * being filled (in slot next % NSLOT). Every chunk in between is
	 * compressed (done) but the worker's, which is then head. */
	unsigned long long head, next;
	/* The chunk the worker started at (the ring counts from it: that
	 * chunk was being filled in slot 0). */
	unsigned long long base;
	bool done[NSLOT];
	int wslot; /* the slot with the worker, -1 when it is idle */
	/* Worker state, under mu: job set by the caller hands s[wslot]
	 * over, cleared by the worker when its member is in .out. */
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
		e = compress_slot(g->comp[1], g->bound, &g->s[g->wslot]);
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
	g->wslot = -1;
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

	for (int i = 1; i < NSLOT; i++)
		if (!alloc_slot(&g->s[i], g->bound))
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
	g->base = g->next;
	return 0;
one_thread:
	g->threads = 1;
	return 0;
}

/* Chunk c's slot: slot 0 alone until the worker starts (at chunk base,
 * when every chunk before it is written), then the ring from there. */
static unsigned slot_of(const struct gzpar *g, unsigned long long c)
{
	return g->started ? (unsigned)((c - g->base) % NSLOT) : 0;
}

static struct slot *filling(struct gzpar *g)
{
	return &g->s[slot_of(g, g->next)];
}

/* Take the worker's member if it is there (or, with block, once it is):
 * its slot is then done. Its errno or 0. */
static int collect(struct gzpar *g, bool block)
{
	int e = 0;

	if (g->wslot < 0)
		return 0;
	pthread_mutex_lock(&g->mu);
	while (block && g->job)
		pthread_cond_wait(&g->cv, &g->mu);
	if (!g->job) {
		e = g->job_err;
		g->done[g->wslot] = true;
		g->wslot = -1;
	}
	pthread_mutex_unlock(&g->mu);
	return e;
}

/* Write the done members from head on, in order; free their slots. */
static int write_ready(struct gzpar *g)
{
	while (g->head < g->next && g->done[slot_of(g, g->head)]) {
		struct slot *s = &g->s[slot_of(g, g->head)];
		int e = write_all(g->fd, s->out, s->outlen);

		if (e)
			return e;
		g->done[slot_of(g, g->head)] = false;
		s->len = 0;
		g->head++;
	}
	return 0;
}

/* The chunk being filled is full, or the stream ends (last): hand it to
 * the worker if it is idle, else compress it here; write what is in
 * order to write; make sure the next chunk has a free slot. 0 or an
 * errno. */
static int flush(struct gzpar *g, bool last)
{
	struct slot *s = filling(g);
	int e;

	if (s->len > 0) {
		if (!last && g->threads == 2 && !g->started) {
			e = start_worker(g);
			if (e)
				return e;
		}
		e = collect(g, false);
		if (e)
			return e;
		if (!last && g->started && g->wslot < 0) {
			pthread_mutex_lock(&g->mu);
			g->wslot = (int)slot_of(g, g->next);
			g->job = true;
			pthread_cond_broadcast(&g->cv);
			pthread_mutex_unlock(&g->mu);
		} else {
			e = compress_slot(g->comp[0], g->bound, s);
			if (e)
				return e;
			g->done[slot_of(g, g->next)] = true;
		}
		g->next++;
	}
	e = write_ready(g);
	if (!e && (last || g->next - g->head == NSLOT)) {
		/* No free slot, or the end: the worker's chunk is head. */
		e = collect(g, true);
		if (!e)
			e = write_ready(g);
	}
	return e;
}


/* Fail with g's sticky errno. */
static int failed(struct gzpar *g, int e)
{
	if (!g->err)
		g->err = e;
	errno = g->err;
	return -1;
}

void gzpar_two_threads(struct gzpar *g)
{
	if (!g->started)
		g->threads = 2;
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
	for (i = 0; i < 2; i++)
		if (g->comp[i])
			libdeflate_free_compressor(g->comp[i]);
	for (i = 0; i < NSLOT; i++) {
		free(g->s[i].in);
		free(g->s[i].out);
	}
	free(g);
}
