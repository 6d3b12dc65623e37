/* font_subset.c — TrueType subsetting with hb-subset (font_subset.h). */
#include "font_subset.h"
#include "infile.h"

#include <hb-subset.h>
#include <hb.h>
#include <stdbool.h>
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

/* The subset's tables again, plus a 'prep' of one instruction: SVTCA[1],
 * which sets the freedom and projection vectors to the x axis they start
 * on, so it does nothing. Why: libharu 2.3.0 rebuilds the font it embeds
 * with every table it knows, 'prep' last and empty when the font has
 * none, and then seeks to each table's start in the memory stream it
 * built, so to the stream's very end for an empty last table; its memory
 * streams cannot seek to an end that falls on a 4096-byte chunk boundary
 * (HPDF_INVALID_OBJECT, 0x1033), so a rebuilt font of 4096 x n bytes made
 * the PDF fail. With hinting stripped (above) there would be no 'prep'.
 * sub is the subset as a font file. NULL when out of memory. */
static hb_blob_t *with_prep(hb_blob_t *subset)
{
	static const char svtca_x[1] = {0x01};
	/* (a face HarfBuzz built cannot list its tables: read the file) */
	hb_face_t *sub = hb_face_create(subset, 0);
	hb_face_t *b = hb_face_builder_create();
	hb_blob_t *prep = hb_blob_create(svtca_x, 1, HB_MEMORY_MODE_READONLY,
					 NULL, NULL);
	hb_tag_t tags[64];
	unsigned start = 0, n;
	bool ok = hb_face_builder_add_table(
		b, hb_tag_from_string("prep", 4), prep);
	hb_blob_t *out = NULL;

	do {
		n = sizeof tags / sizeof tags[0];
		n = hb_face_get_table_tags(sub, start, &n, tags) ? n : 0;
		for (unsigned i = 0; ok && i < n; i++) {
			hb_blob_t *t;

			if (tags[i] == hb_tag_from_string("prep", 4))
				continue;
			t = hb_face_reference_table(sub, tags[i]);
			ok = hb_face_builder_add_table(b, tags[i], t);
			hb_blob_destroy(t);
		}
		start += n;
	} while (ok && n == sizeof tags / sizeof tags[0]);
	if (ok)
		out = hb_face_reference_blob(b);
	hb_blob_destroy(prep);
	hb_face_destroy(b);
	hb_face_destroy(sub);
	if (out && hb_blob_get_length(out) == 0) {
		hb_blob_destroy(out);
		out = NULL;
	}
	return out;
}

enum brief_status font_subset(const char *path, const uint8_t *cps,
			      unsigned char **out, size_t *len,
			      struct diag *err)
{
	hb_blob_t *blob = NULL, *plain = NULL, *res = NULL;
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
		st = diag_set(err, BRIEF_EINTERNAL, NULL, 0, 0,
			      "internal error in the font subsetter: HarfBuzz "
			      "could not subset %s", path);
		goto out;
	}
	plain = hb_face_reference_blob(sub);
	res = with_prep(plain);
	if (!res) {
		st = diag_set(err, BRIEF_ENOMEM, path, 0, 0,
			      "out of memory subsetting the font");
		goto out;
	}
	data = hb_blob_get_data(res, &n);
	if (!data || n == 0) {
		st = diag_set(err, BRIEF_EINTERNAL, NULL, 0, 0,
			      "internal error in the font subsetter: HarfBuzz "
			      "made an empty subset of %s", path);
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
	hb_blob_destroy(plain);
	hb_face_destroy(sub);
	hb_subset_input_destroy(in);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	return st;
}
