/* font_subset.h — a TrueType font cut down with HarfBuzz's hb-subset to the
 * characters a document draws, for embedding in the PDF: outlines, advance
 * widths and a Unicode cmap of just those characters; no layout tables
 * (libharu draws no GSUB/GPOS), no hinting (but a one-instruction 'prep'
 * that does nothing, which libharu 2.3.0 needs, see font_subset.c), no
 * PostScript glyph names. */
#ifndef BRIEF_FONT_SUBSET_H
#define BRIEF_FONT_SUBSET_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* Subset the TrueType font file at path to the BMP code points set in
 * cps (a 65536-bit map, bit c of byte c / 8, least significant first;
 * code points the font lacks are skipped). The subset keeps glyph 0, the
 * glyphs of composite glyphs' parts, the advance widths and the name
 * records libharu reads (family, style, full and PostScript name).
 * On success *out is a malloc'd TrueType file of *len bytes (caller frees).
 * Returns BRIEF_EIO when the file cannot be read or is no font,
 * BRIEF_ENOMEM, or BRIEF_EINTERNAL when HarfBuzz cannot subset a font
 * FreeType could read (a fault in a library, not the user's input); err
 * says which file. */
enum brief_status font_subset(const char *path, const uint8_t *cps,
			      unsigned char **out, size_t *len,
			      struct diag *err);

#endif
