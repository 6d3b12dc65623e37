/* json_floor.c — jansson alone over a file: the file read whole (as
 * brief reads a boundary file), json_loadb with the flags brief uses, and
 * json_decref. The floor under any reader built on jansson. Prints the
 * seconds it took (read, parse and free) and the file's bytes. Used by
 * tools/bench.sh; not part of brief. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	json_error_t je;
	json_t *root;
	FILE *f;
	char *text;
	long len;

	if (argc < 2) {
		fprintf(stderr, "usage: json_floor FILE\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	f = fopen(argv[1], "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		return 1;
	text = malloc((size_t)len + 1);
	if (!text || fread(text, 1, (size_t)len, f) != (size_t)len)
		return 1;
	fclose(f);
	root = json_loadb(text, (size_t)len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		fprintf(stderr, "%s:%d:%d: %s\n", argv[1], je.line, je.column,
			je.text);
		return 1;
	}
	json_decref(root);
	free(text);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.4f %ld\n",
	       (double)(t1.tv_sec - t0.tv_sec) +
		       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       len);
	return 0;
}
