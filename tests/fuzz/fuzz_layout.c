/* fuzz_layout.c — libFuzzer target for layout files: the input is written
 * as a layout and loaded against the fixed small data directory
 * tests/layouts/data (front matter, CommonMark, citations, figure
 * references, key figures, tables, chart specs). Built by `make fuzz`;
 * bad input must give diagnostics, never a crash, leak or hang. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc.h"
#include "layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char scratch[] = "/tmp/brief-fuzz-layout-XXXXXX";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct layout_opts opts = {.data_dir = FUZZ_DATA_DIR, .warn_uncited = true};
	struct diag_sink sink = { NULL, 0, 0, 0 };
	struct diag err;
	struct doc *doc = NULL;
	char path[64];
	FILE *f;

	if (!ready) {
		if (!mkdtemp(scratch))
			abort();
		ready = 1;
	}
	snprintf(path, sizeof path, "%s/layout.md", scratch);
	f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	if (fclose(f))
		abort();
	(void)layout_load(path, &opts, &doc, &sink, &err);
	doc_free(doc);
	unlink(path);
	return 0;
}
