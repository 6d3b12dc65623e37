/* fuzz_doc.c — libFuzzer target for the whole document: a layout and,
 * optionally, one dataset of its own, loaded and typeset into a PDF in
 * memory, as `brief check` and `brief build` do (every step but writing
 * the file): layout parsing, data, charts, tables, line breaking, the text
 * check against the fonts, font subsetting and libharu.
 *
 * The input is the layout; after a line "%%%%" comes a dataset: its first
 * byte picks which (casualties, displacement, control, figures, events,
 * sources), the rest is the file, replacing that one of the fixed data
 * in tests/layouts/data. Built by `make fuzz`. Bad input must give
 * diagnostics, never a crash, leak, hang or an internal error: a document
 * that passed every check and still failed in the PDF writer aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc.h"
#include "fontset.h"
#include "layout.h"
#include "typeset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const files[] = {"casualties", "displacement", "control",
				    "figures",    "events",       "sources"};
static char scratch[] = "/tmp/brief-fuzz-doc-XXXXXX";
static struct fontset *fonts;

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		abort();
	if (n && fwrite(p, 1, n, f) != n)
		abort();
	if (fclose(f))
		abort();
}

/* The fixed data, kept to put back a file an input replaced. */
static char *fixed[sizeof files / sizeof *files];
static size_t fixed_len[sizeof files / sizeof *files];

static void put_fixed(size_t i)
{
	char to[512];

	snprintf(to, sizeof to, "%s/%s.csv", scratch, files[i]);
	write_file(to, fixed[i], fixed_len[i]);
}

/* Copy the fixed data into the scratch directory, and open the fonts. */
static void setup(void)
{
	struct diag err;
	char from[512];

	if (!mkdtemp(scratch))
		abort();
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		FILE *f;
		long n;

		snprintf(from, sizeof from, "%s/%s.csv", FUZZ_DATA_DIR,
			 files[i]);
		f = fopen(from, "rb");
		if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0)
			abort();
		rewind(f);
		fixed[i] = malloc((size_t)n + 1);
		if (!fixed[i] || fread(fixed[i], 1, (size_t)n, f) != (size_t)n)
			abort();
		fclose(f);
		fixed_len[i] = (size_t)n;
		put_fixed(i);
	}
	if (fontset_open(FUZZ_FONT_DIR, &fonts, &err) != BRIEF_OK)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	static const char sep[] = "\n%%%%\n";
	struct layout_opts lo = {.data_dir = scratch, .warn_uncited = true};
	struct diag_sink sink = {NULL, 0, 0, 0};
	struct typeset_opts to = {false, "/usr/share/color/icc/sRGB.icc", -1,
				  "brief fuzz", &sink};
	struct diag err;
	struct doc *doc = NULL;
	unsigned char *pdf = NULL;
	size_t len = 0, lsize = size, which = 0;
	const uint8_t *ds = NULL;
	char path[600];
	enum brief_status st;

	if (!ready) {
		setup();
		ready = 1;
	}
	for (size_t i = 0; i + sizeof sep - 1 <= size; i++)
		if (memcmp(data + i, sep, sizeof sep - 1) == 0) {
			lsize = i;
			ds = data + i + sizeof sep - 1;
			break;
		}
	if (ds && ds < data + size) {
		which = *ds % (sizeof files / sizeof *files);
		snprintf(path, sizeof path, "%s/%s.csv", scratch, files[which]);
		write_file(path, ds + 1, (size_t)(data + size - ds - 1));
	} else {
		ds = NULL;
	}
	snprintf(path, sizeof path, "%s/layout.md", scratch);
	write_file(path, data, lsize);
	memset(&err, 0, sizeof err);
	st = layout_load(path, &lo, &doc, &sink, &err);
	if (st == BRIEF_OK) {
		/* PDF/A now and then: its limits are checked too */
		to.pdfa = lsize % 7 == 0;
		st = typeset_pdf(doc, fonts, &to, &pdf, &len, &err);
		if (st == BRIEF_OK && (len < 5 || memcmp(pdf, "%PDF-", 5)))
			abort();
		/* everything was checked before the PDF writer ran */
		if (st == BRIEF_EINTERNAL) {
			fprintf(stderr, "internal error: %s\n", err.msg);
			abort();
		}
	}
	free(pdf);
	doc_free(doc);
	unlink(path);
	if (ds)
		put_fixed(which);
	return 0;
}
