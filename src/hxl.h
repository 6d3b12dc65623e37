/* hxl.h — HXL 1.1 hashtags as the standard and libhxl read them
 * (data_hxl.c): normalising, matching against a pattern, and finding the
 * hashtag row. The one HXL module: the loader binds a file's columns with
 * it (data.c) and `brief import` finds an export's columns with it. */
#ifndef BRIEF_HXL_H
#define BRIEF_HXL_H

#include <stdbool.h>
#include <stddef.h>

#include "csv_load.h"

#define HXL_TAG_MAX 256      /* a normalised tag, NUL included */
#define HXL_SEARCH_ROWS 25   /* the hashtag row is one of the first 25 */

enum hxl_parse { HXL_OK, HXL_INVALID, HXL_TOO_LONG };

/* Normalise a HXL hashtag spec as HXL 1.1 reads it: case-insensitive,
 * whitespace around '#' and '+' ignored, attributes in any order. out gets
 * "#base+attr+attr" in lowercase with the attributes sorted and repeated
 * ones dropped. */
enum hxl_parse hxl_normalise(const char *s, char *out, size_t size);
/* How well a normalised tag fits a pattern: -1 when it does not (another
 * base hashtag, a "+attr" of the pattern missing, or a "-attr" present, as
 * in libhxl's tag patterns: "#affected+idps-max"), else the number of
 * "+attr" in the pattern (higher is more specific). */
int hxl_fit(const char *tag, const char *pattern);
/* Whether a hashtag as a file or a mapping writes it (any case and
 * spacing, attributes in any order) fits pattern (written the same way;
 * "-attr" excludes): hxl_fit over both normalised. False when either is
 * not a hashtag spec. The one matcher of the loader's HXL binding and of
 * `brief import`'s HXL mappings. */
bool hxl_match(const char *tag, const char *pattern);
/* libhxl's test for the hashtag row: at least half of the record's
 * non-empty fields are hashtag specs. */
bool hxl_row_like(const struct csv_record *rec);

#endif
