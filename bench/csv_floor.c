/* csv_floor.c — libcsv alone over a file: csv_parse with empty callbacks,
 * in 64 KiB blocks, strict mode, with brief's space callback (mode 1) or
 * libcsv's built-in space test (mode 0). The floor under any loader built
 * on libcsv. Used by tools/bench.sh; not part of brief. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static size_t nfields, nrows;

static void on_field(void *s, size_t n, void *data)
{
	(void)s;
	(void)n;
	(void)data;
	nfields++;
}

static void on_row(int c, void *data)
{
	(void)c;
	(void)data;
	nrows++;
}

static int space_never(unsigned char c)
{
	(void)c;
	return 0;
}

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	struct csv_parser p;
	struct timespec t0, t1;
	FILE *f;
	size_t n;
	int mode;

	if (argc < 2) {
		fprintf(stderr, "usage: csv_floor FILE [0|1]\n");
		return 2;
	}
	mode = argc > 2 ? atoi(argv[2]) : 0;
	f = fopen(argv[1], "rb");
	if (!f || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return 1;
	if (mode == 1)
		csv_set_space_func(&p, space_never);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		if (csv_parse(&p, buf, n, on_field, on_row, NULL) != n)
			return 1;
	csv_fini(&p, on_field, on_row, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.3f %zu %zu\n",
	       (double)(t1.tv_sec - t0.tv_sec) +
		       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       nrows, nfields);
	csv_free(&p);
	fclose(f);
	return 0;
}
