/* fuzz_vocab.c — libFuzzer target for a data directory's vocabulary.yaml
 * (data_vocab.c): each input is written as the file of a scratch directory
 * and loaded, with every problem reported to a sink. Built by `make fuzz`;
 * bad input must give a positioned diagnostic, never a crash or leak. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data_schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char scratch[] = "/tmp/brief-fuzz-vocab-XXXXXX";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	char path[sizeof scratch + 32];
	struct diag_sink sink = {NULL, 0, 0, 0};
	struct diag err;
	struct vocab v;
	struct vocab_list l;
	FILE *f;
	size_t i;

	if (!ready) {
		if (!mkdtemp(scratch))
			abort();
		ready = 1;
	}
	snprintf(path, sizeof path, "%s/" VOCAB_FILE, scratch);
	f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	memset(&err, 0, sizeof err);
	vocab_load(scratch, &v, &sink, &err);
	/* Every declared list must be usable. */
	for (i = 0; i < v.ndecl; i++) {
		const struct schema *sc = schema_get((enum dataset_kind)v.decl[i].ds);

		vocab_list_for(&v, v.decl[i].ds, v.decl[i].col,
			       &sc->cols[v.decl[i].col], &l);
		if (l.n && vocab_lookup(&l, l.words[l.n - 1]) < 0)
			abort();
	}
	vocab_free(&v);
	return 0;
}
