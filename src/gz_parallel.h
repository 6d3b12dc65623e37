/* gz_parallel.h — a gzip file written fast: the stream is cut into chunks
 * of GZPAR_CHUNK bytes, each compressed on its own (libdeflate) into one
 * gzip member, and the members follow one another in stream order. That
 * is a valid gzip file (RFC 1952, 2.2: a file is a series of members);
 * gunzip, `tar -xzf` and zlib's gzread read it as one stream.
 *
 * With two threads, two chunks are compressed at a time, one on a worker
 * thread and one on the caller's (whichever is free takes the next). A chunk's member depends only on its
 * bytes and the level, and members are written in order, so the file is
 * byte-identical for the same bytes whatever the thread count or timing.
 * No thread is started before a chunk is full, so a stream of at most
 * one chunk is compressed on the calling thread alone. The worker
 * runs with every signal blocked: signals stay with the caller's thread. */
#ifndef BRIEF_GZ_PARALLEL_H
#define BRIEF_GZ_PARALLEL_H

#include <stddef.h>

/* 1 MiB: members that large cost 0.4 % in size against one stream
 * (libdeflate level 1, tools/gen-casualties.sh CSV), and the buffers are
 * about 6 MB in all (three chunks and their members; one of each until a
 * second chunk is needed). */
#define GZPAR_CHUNK ((size_t)1 << 20)

/* A gzip file being written. Opaque; owned by the caller from
 * gzpar_open to gzpar_close or gzpar_abort, which free it (and its
 * buffers, compressors and worker thread). */
struct gzpar;

/* Start a gzip stream into fd (which stays the caller's: written, never
 * closed). level is libdeflate's (1 fastest .. 12); threads is 1 or 2.
 * NULL with errno ENOMEM when out of memory (or EINVAL for a bad
 * level). */
struct gzpar *gzpar_open(int fd, int level, int threads);

/* From the next full chunk on, compress on two threads (a stream opened
 * with one, whose first chunks were compressed on the caller's: the
 * same bytes either way). Call it from the thread that writes g. */
void gzpar_two_threads(struct gzpar *g);

/* Append n bytes to the stream. 0, or -1 with errno set (ENOMEM when a
 * buffer for the second thread cannot be had; a write error's errno);
 * after a failure every later call fails and g must be aborted. */
int gzpar_write(struct gzpar *g, const void *p, size_t n);

/* Append exactly size bytes read from the file in (read straight into
 * the chunk buffers). A file that ends early is -1 with errno EIO; other
 * failures as gzpar_write. */
int gzpar_copy_fd(struct gzpar *g, int in, long long size);

/* Compress and write what is left, stop the worker, free g. 0, or -1
 * with errno set (then part of the stream may have been written). */
int gzpar_close(struct gzpar *g);

/* Stop without writing anything more; free g. NULL is fine. */
void gzpar_abort(struct gzpar *g);

#endif
