/* test_gz_parallel.c — gzip in independent members on two threads
 * (gz_parallel.h), and the inputs record written with it (snapshot.h):
 * zlib reads back the exact bytes, the file is the same on one thread, on
 * two, and on one that takes a second midway, and a record spanning several chunks round-trips, has its
 * manifest last, is byte-identical when written again, and an older
 * record with its manifest first still reads; a record begun and dropped
 * leaves the previous one and no other file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "gz_parallel.h"
#include "snapshot.h"

/* n bytes of CSV-like text that compresses, but not to nothing. */
static unsigned char *sample(size_t n)
{
	unsigned char *b = malloc(n);
	uint32_t x = 12345;
	size_t i;

	assert_non_null(b);
	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (i % 61 == 60) ? '\n' : (unsigned char)("0123456789,ab"[(x >> 16) % 13]);
	}
	return b;
}

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b;
	long len;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	b = malloc((size_t)len + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return b;
}

/* Decompress the gzip file at path with zlib's gzread into a new buffer;
 * *n its length. */
static unsigned char *gunzip(const char *path, size_t cap, size_t *n)
{
	unsigned char *b = malloc(cap + 1);
	gzFile z = gzopen(path, "rb");
	int r;

	assert_non_null(b);
	assert_non_null(z);
	*n = 0;
	while ((r = gzread(z, b + *n, (unsigned)(cap + 1 - *n))) > 0)
		*n += (size_t)r;
	assert_int_equal(r, 0);
	assert_int_equal(gzclose(z), Z_OK);
	return b;
}

/* How many gzip members the file holds (each inflated to its end). */
static int members(const char *path)
{
	size_t n, off = 0;
	unsigned char *b = slurp(path, &n), out[1 << 16];
	int count = 0;

	while (off < n) {
		z_stream s;
		int r;

		memset(&s, 0, sizeof s);
		assert_int_equal(inflateInit2(&s, 16 + MAX_WBITS), Z_OK);
		s.next_in = b + off;
		s.avail_in = (uInt)(n - off);
		do {
			s.next_out = out;
			s.avail_out = sizeof out;
			r = inflate(&s, Z_NO_FLUSH);
		} while (r == Z_OK);
		assert_int_equal(r, Z_STREAM_END);
		off += s.total_in;
		inflateEnd(&s);
		count++;
	}
	free(b);
	return count;
}

/* Write data (n bytes) as a gzip file at path on `threads` threads: a
 * header-sized piece, an odd-sized piece, then the rest from a file
 * through gzpar_copy_fd, as snapshot.c does. */
static void write_gz(const char *path, const char *raw,
		     const unsigned char *data, size_t n, int threads)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int in = open(raw, O_RDONLY);
	struct gzpar *g;
	size_t a = n < 512 ? n : 512, b = n - a < 7777 ? n - a : 7777;

	assert_true(fd >= 0);
	assert_true(in >= 0);
	g = gzpar_open(fd, 1, threads);
	assert_non_null(g);
	assert_int_equal(gzpar_write(g, data, a), 0);
	assert_int_equal(gzpar_write(g, data + a, b), 0);
	assert_int_equal(lseek(in, (off_t)(a + b), SEEK_SET), (off_t)(a + b));
	assert_int_equal(gzpar_copy_fd(g, in, (long long)(n - a - b)), 0);
	assert_int_equal(gzpar_close(g), 0);
	close(in);
	close(fd);
}

/* The same as write_gz on one thread, but taking a second thread (gzpar_two_threads)
 * once half of the stream, a chunk and more, is in. */
static void write_gz_switched(const char *path, const char *raw, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int in = open(raw, O_RDONLY);
	struct gzpar *g;

	assert_true(fd >= 0);
	assert_true(in >= 0);
	g = gzpar_open(fd, 1, 1);
	assert_non_null(g);
	assert_int_equal(gzpar_copy_fd(g, in, (long long)(n / 2)), 0);
	gzpar_two_threads(g);
	assert_int_equal(gzpar_copy_fd(g, in, (long long)(n - n / 2)), 0);
	assert_int_equal(gzpar_close(g), 0);
	close(in);
	close(fd);
}

static void test_members(void **state)
{
	char dir[] = "/tmp/brief-test-gzp.XXXXXX", raw[256], one[256],
		two[256];
	/* Several chunks and a part; exactly two chunks; under one. */
	const size_t sizes[] = {3 * GZPAR_CHUNK + 12345, 2 * GZPAR_CHUNK,
				GZPAR_CHUNK - 1, 100};
	const int want[] = {4, 2, 1, 1};
	size_t k;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(raw, sizeof raw, "%s/raw", dir);
	snprintf(one, sizeof one, "%s/one.gz", dir);
	snprintf(two, sizeof two, "%s/two.gz", dir);
	for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		size_t n = sizes[k], got, la, lb;
		unsigned char *data = sample(n), *back, *fa, *fb;
		FILE *f = fopen(raw, "wb");

		assert_non_null(f);
		assert_int_equal(fwrite(data, 1, n, f), n);
		fclose(f);
		write_gz(one, raw, data, n, 1);
		write_gz(two, raw, data, n, 2);
		fa = slurp(one, &la);
		fb = slurp(two, &lb);
		assert_int_equal(la, lb);
		assert_memory_equal(fa, fb, la);
		assert_true(la < n); /* it did compress */
		assert_int_equal(members(two), want[k]);
		/* Two threads from the middle on: the same file again. */
		write_gz_switched(two, raw, n);
		free(fb);
		fb = slurp(two, &lb);
		assert_int_equal(la, lb);
		assert_memory_equal(fa, fb, la);
		back = gunzip(two, n, &got);
		assert_int_equal(got, n);
		assert_memory_equal(back, data, n);
		free(back);
		free(fa);
		free(fb);
		free(data);
	}
	/* A file that ends before the size given: EIO, nothing hangs. */
	{
		int fd = open(one, O_WRONLY | O_TRUNC), in = open(raw, O_RDONLY);
		struct gzpar *g = gzpar_open(fd, 1, 2);

		assert_non_null(g);
		assert_int_equal(gzpar_copy_fd(g, in, 10 * (long long)GZPAR_CHUNK),
				 -1);
		gzpar_abort(g);
		close(in);
		close(fd);
	}
	snprintf(raw, sizeof raw, "rm -rf %s", dir);
	assert_int_equal(system(raw), 0);
}

/* The names of the tar's members, in order, into names (at most max);
 * their count. off[k] is where member k's header starts, and off[count]
 * where the end-of-archive blocks do. */
static size_t tar_members(const unsigned char *tar, size_t n,
			  char names[][101], size_t off[], size_t max)
{
	size_t at = 0, k = 0;

	while (at + 512 <= n && tar[at] != '\0' && k < max) {
		unsigned long long size = strtoull((const char *)tar + at + 124,
						   NULL, 8);

		memcpy(names[k], tar + at, 100);
		names[k][100] = '\0';
		off[k++] = at;
		at += 512 + (size_t)((size + 511) / 512 * 512);
	}
	off[k] = at;
	return k;
}

/* Files in dir, "." and ".." left out. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* In the new directory dir: data/ with sources.csv and a casualties.csv
 * of the n bytes given, and a stand-in report dir/r.pdf, whose paths go
 * into data_dir and report (512 bytes each). */
static void record_fixture(const char *dir, const unsigned char *bytes,
			   size_t n, char data_dir[512], char report[512])
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path,
		 "mkdir %s/data && cp tests/layouts/data/sources.csv %s/data/",
		 dir, dir);
	assert_int_equal(system(path), 0);
	snprintf(path, sizeof path, "%s/data/casualties.csv", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	fclose(f);
	snprintf(data_dir, 512, "%s/data", dir);
	snprintf(report, 512, "%s/r.pdf", dir);
	f = fopen(report, "w");
	assert_non_null(f);
	fputs("%PDF-1.4 not really\n", f);
	fclose(f);
}

/* A record of a data directory whose casualties.csv spans several chunks:
 * unpacked it gives back the exact bytes, written again it is the same
 * file, and the same tar stream as one zlib member (what the old writer
 * produced) is read too. */
static void test_record_round_trip(void **state)
{
	char dir[] = "/tmp/brief-test-rec.XXXXXX", path[512], report[512],
		out[512], *rec;
	const size_t n = 3 * GZPAR_CHUNK + 999;
	unsigned char *data = sample(n), *a, *b, *tar;
	size_t la, lb, lt, nm, off[9];
	char names[8][101];
	struct snapshot_info info;
	struct diag err;
	gzFile z;

	(void)state;
	assert_non_null(mkdtemp(dir));
	record_fixture(dir, data, n, path, report);
	memset(&err, 0, sizeof err);
	assert_int_equal(snapshot_write(report, "x.md", path, "00ff",
					"brief test", &err),
			 BRIEF_OK);
	rec = snapshot_path(report);
	assert_non_null(rec);
	a = slurp(rec, &la);
	assert_true(members(rec) >= 4);
	assert_int_equal(snapshot_write(report, "x.md", path, "00ff",
					"brief test", &err),
			 BRIEF_OK);
	b = slurp(rec, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);

	snprintf(out, sizeof out, "%s/x", dir);
	assert_int_equal(mkdir(out, 0700), 0);
	memset(&info, 0, sizeof info);
	assert_int_equal(snapshot_extract(rec, out, &info, &err), BRIEF_OK);
	assert_string_equal(info.input_hash, "00ff");
	snapshot_info_free(&info);
	snprintf(path, sizeof path, "%s/x/casualties.csv", dir);
	free(a);
	a = slurp(path, &la);
	assert_int_equal(la, n);
	assert_memory_equal(a, data, n);

	/* The data files first, the manifest last. */
	tar = gunzip(rec, 2 * n, &lt);
	nm = tar_members(tar, lt, names, off, 8);
	assert_int_equal(nm, 3);
	assert_string_equal(names[0], "sources.csv");
	assert_string_equal(names[1], "casualties.csv");
	assert_string_equal(names[2], "manifest.json");

	/* As records were written before the manifest moved: the manifest
	 * first, the same tar stream as a single zlib member, level 1. */
	z = gzopen(rec, "wb1");
	assert_non_null(z);
	assert_int_equal(gzwrite(z, tar + off[2], (unsigned)(off[3] - off[2])),
			 (int)(off[3] - off[2]));
	assert_int_equal(gzwrite(z, tar, (unsigned)off[2]), (int)off[2]);
	assert_int_equal(gzwrite(z, tar + off[3], (unsigned)(lt - off[3])),
			 (int)(lt - off[3]));
	assert_int_equal(gzclose(z), Z_OK);
	assert_int_equal(members(rec), 1);
	snprintf(out, sizeof out, "%s/y", dir);
	assert_int_equal(mkdir(out, 0700), 0);
	assert_int_equal(snapshot_extract(rec, out, &info, &err), BRIEF_OK);
	assert_string_equal(info.input_hash, "00ff");
	assert_string_equal(info.brief, "brief test");
	snapshot_info_free(&info);
	snprintf(path, sizeof path, "%s/y/casualties.csv", dir);
	free(b);
	b = slurp(path, &lb);
	assert_int_equal(lb, n);
	assert_memory_equal(b, data, n);

	snprintf(path, sizeof path, "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
	free(tar);
	free(a);
	free(b);
	free(data);
	free(rec);
}

/* A record begun (its copy running on its own thread) and then dropped,
 * as a build that fails after its layout named the data directory does:
 * the previous record is byte for byte as it was and no other file is
 * left. Begun and finished, it is the same file as snapshot_write's; a
 * report gone by then gets none. */
static void test_record_begin_abort(void **state)
{
	char dir[] = "/tmp/brief-test-rab.XXXXXX", path[512], data[512],
		report[512], *rec;
	const size_t n = 8 * GZPAR_CHUNK + 77;
	unsigned char *bytes = sample(n), *a, *b;
	size_t la, lb;
	struct snapshot *s;
	struct diag err;

	(void)state;
	assert_non_null(mkdtemp(dir));
	record_fixture(dir, bytes, n, data, report);
	memset(&err, 0, sizeof err);
	assert_int_equal(snapshot_write(report, "x.md", data, "00ff",
					"brief test", &err),
			 BRIEF_OK);
	rec = snapshot_path(report);
	assert_non_null(rec);
	a = slurp(rec, &la);
	assert_int_equal(entries(dir), 3); /* data, r.pdf, its record */

	/* Dropped at once, and once the copy is surely done. */
	assert_int_equal(snapshot_begin(report, data, &s, &err), BRIEF_OK);
	assert_non_null(s);
	snapshot_abort(s);
	assert_int_equal(snapshot_begin(report, data, &s, &err), BRIEF_OK);
	assert_non_null(s);
	nanosleep(&(struct timespec){0, 300000000}, NULL);
	snapshot_abort(s);
	b = slurp(rec, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	assert_int_equal(entries(dir), 3);
	free(b);

	/* Finished: the same record as snapshot_write's. */
	assert_int_equal(snapshot_begin(report, data, &s, &err), BRIEF_OK);
	assert_int_equal(snapshot_finish(s, "x.md", "00ff", "brief test", &err),
			 BRIEF_OK);
	b = slurp(rec, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(b);

	/* No report by the time it is finished: no record. */
	assert_int_equal(unlink(rec), 0);
	assert_int_equal(snapshot_begin(report, data, &s, &err), BRIEF_OK);
	assert_int_equal(unlink(report), 0);
	assert_int_equal(snapshot_finish(s, "x.md", "00ff", "brief test", &err),
			 BRIEF_OK);
	assert_int_equal(entries(dir), 1);

	/* A report that is a device: nothing begun. */
	assert_int_equal(snapshot_begin("/dev/null", data, &s, &err), BRIEF_OK);
	assert_null(s);

	snprintf(path, sizeof path, "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
	free(a);
	free(bytes);
	free(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_members),
		cmocka_unit_test(test_record_round_trip),
		cmocka_unit_test(test_record_begin_abort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
