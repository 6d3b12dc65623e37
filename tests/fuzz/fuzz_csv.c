/* fuzz_csv.c — libFuzzer target for the CSV loader and the dataset
 * validation behind it. Each input is read twice: by csv_load_stream from
 * memory (the raw RFC 4180 layer), then as one dataset file in a scratch
 * directory through data_scan or sources_load (schemas, dates, figures).
 * The first byte picks the dataset; the rest is the file. Built by
 * `make fuzz`; bad input must give a diagnostic, never a crash or leak. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv_load.h"
#include "data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char scratch[] = "/tmp/brief-fuzz-csv-XXXXXX";
static struct sources fixed; /* tests/layouts/data/sources.csv */

/* Touch every byte the loader hands out so ASan sees any bad pointer. */
static enum brief_status check_record(void *ctx, const struct csv_record *rec,
				      struct diag *err)
{
	size_t *sum = ctx;

	(void)err;
	assert(rec->nfields <= CSV_MAX_FIELDS);
	for (size_t i = 0; i < rec->nfields; i++) {
		const struct csv_field *f = &rec->fields[i];

		assert(strlen(f->text) <= f->len);
		assert(f->line >= rec->line && f->col >= 1);
		*sum += f->len;
	}
	for (size_t i = 0; i < rec->raw_len; i++)
		*sum += (unsigned char)rec->raw[i];
	return BRIEF_OK;
}

static enum brief_status check_row(void *ctx, const struct data_row *row,
				   struct diag *err)
{
	size_t *sum = ctx;

	(void)err;
	for (size_t i = 0; i < row->ncols; i++)
		*sum += strlen(row->field[i]) + strlen(row->names[i]);
	*sum += strlen(row->id) + strlen(row->source);
	return BRIEF_OK;
}

static void write_file(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	if (fclose(f))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct diag err;
	struct diag_sink sink = { NULL, 0, 0, 0 };
	char path[64];
	size_t sum = 0;
	FILE *in;
	unsigned pick;

	if (!ready) {
		if (!mkdtemp(scratch))
			abort();
		if (sources_load(FUZZ_DATA_DIR, &fixed, NULL, &err))
			abort();
		ready = 1;
	}
	if (size == 0)
		return 0;
	pick = data[0] % (DS_COUNT + 1);
	data++;
	size--;

	in = fmemopen(size ? (void *)data : (void *)"", size ? size : 1, "rb");
	if (!in)
		abort();
	(void)csv_load_stream(in, "fuzz.csv", check_record, &sum, &err);
	fclose(in);

	if (pick == DS_COUNT) {
		struct sources s;

		memset(&s, 0, sizeof s);
		snprintf(path, sizeof path, "%s/sources.csv", scratch);
		write_file(path, data, size);
		(void)sources_load(scratch, &s, &sink, &err);
		sources_free(&s);
	} else {
		snprintf(path, sizeof path, "%s/%s.csv", scratch,
			 dataset_name((enum dataset_kind)pick));
		write_file(path, data, size);
		(void)data_scan(scratch, (enum dataset_kind)pick, &fixed,
				check_row, &sum, &sink, &err);
	}
	unlink(path);
	return sum == (size_t)-1; /* keep sum live */
}
