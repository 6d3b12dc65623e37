/* font_subset.c — TrueType subsetting with hb-subset (font_subset.h). */
#include "font_subset.h"
#include "infile.h"

#include <hb-subset.h>
#include <hb.h>
#include <stdlib.h>
#include <string.h>

/* HarfBuzz blobs have unsigned lengths; real fonts stay far below this. */
#define FONT_FILE_MAX (256u << 20)

/* The tables libharu 2.3.0 reads and embeds (its REQUIRED_TAGS); every
 * other table is dropped before subsetting, so HarfBuzz neither spends
 * time on it nor pulls in glyphs it reaches (GSUB alternates, ligatures). */
static const char keep_tags[][5] = {
	"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea",
	"hmtx", "loca", "maxp", "name", "post", "prep",
};

static int kept(hb_tag_t t)
{
	for (size_t i = 0; i < sizeof keep_tags / sizeof keep_tags[0]; i++)
		if (t == hb_tag_from_string(keep_tags[i], 4))
			return 1;
	return 0;
}

/* Every table of face not in keep_tags goes into the drop set. */
static void drop_other_tables(hb_face_t *face, hb_set_t *drop)
{
	hb_tag_t tags[64];
	unsigned start = 0, n;

	do {
		n = sizeof tags / sizeof tags[0];
		n = hb_face_get_table_tags(face, start, &n, tags) ? n : 0;
		for (unsigned i = 0; i < n; i++)
			if (!kept(tags[i]))
				hb_set_add(drop, tags[i]);
		start += n;
	} while (n == sizeof tags / sizeof tags[0]);
}

enum brief_status font_subset(const char *path, const uint8_t *cps,
			      unsigned char **out, size_t *len,
			      struct diag *err)
{
	hb_blob_t *blob = NULL, *res = NULL;
	hb_face_t *face = NULL, *sub = NULL;
	hb_subset_input_t *in = NULL;
	hb_set_t *uni;
	const char *data;
	char *bytes;
	size_t nbytes;
	unsigned n = 0;
	enum brief_status st = BRIEF_OK;

	*out = NULL;
	*len = 0;
	st = infile_read(path, FONT_FILE_MAX, &bytes, &nbytes, err);
	if (st != BRIEF_OK)
		goto out;
	blob = hb_blob_create_or_fail(bytes, (unsigned)nbytes,
				      HB_MEMORY_MODE_READONLY, bytes, free);
	if (!blob) { /* HarfBuzz has freed bytes already */
		st = diag_set(err, BRIEF_ENOMEM, path, 0, 0, "out of memory");
		goto out;
	}
	face = hb_face_create(blob, 0);
	if (hb_face_get_glyph_count(face) == 0) {
		st = diag_set(err, BRIEF_EIO, path, 0, 0,
			      "not a TrueType font (no glyphs)");
		goto out;
	}
	in = hb_subset_input_create_or_fail();
	if (!in) {
		st = diag_set(err, BRIEF_ENOMEM, path, 0, 0,
			      "out of memory subsetting the font");
		goto out;
	}
	/* Hinting is for screen rasterisers at small sizes; PDF viewers
	 * scale outlines. Its fpgm/prep/cvt and per-glyph programs would be
	 * half the embedded font. */
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
	drop_other_tables(face,
			  hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG));
	uni = hb_subset_input_unicode_set(in);
	for (unsigned b = 0; b < 65536 / 8; b++) /* the map is sparse */
		for (unsigned c = b * 8; cps[b] && c < b * 8 + 8; c++)
			if (c > 0 && cps[b] & (1u << (c & 7)))
				hb_set_add(uni, c);
	sub = hb_subset_or_fail(face, in);
	if (!sub) {
		st = diag_set(err, BRIEF_EDATA, path, 0, 0,
			      "HarfBuzz could not subset the font");
		goto out;
	}
	res = hb_face_reference_blob(sub);
	data = hb_blob_get_data(res, &n);
	if (!data || n == 0) {
		st = diag_set(err, BRIEF_EDATA, path, 0, 0,
			      "HarfBuzz made an empty font subset");
		goto out;
	}
	*out = malloc(n);
	if (!*out) {
		st = diag_set(err, BRIEF_ENOMEM, path, 0, 0,
			      "out of memory subsetting the font");
		goto out;
	}
	memcpy(*out, data, n);
	*len = n;
out:
	hb_blob_destroy(res);
	hb_face_destroy(sub);
	hb_subset_input_destroy(in);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	return st;
}
