/* outfile.h — writing a report safely: atomic replace, and the input hash
 * that --if-changed compares. */
#ifndef BRIEF_OUTFILE_H
#define BRIEF_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "doc.h"

/* Write data to path atomically: a temporary file .<name>.XXXXXX in the
 * same directory, fsync, rename over path, fsync the directory. On any
 * failure the old file is untouched and the temporary file removed (also
 * on SIGINT, SIGTERM, SIGHUP, unless the caller ignores them). The new file
 * keeps the old one's permissions (else 0666 minus the umask); a symlink
 * keeps pointing at the replaced file; a device or FIFO (/dev/null) is
 * written in place, never replaced. Returns BRIEF_EIO with err filled on
 * failure. */
enum brief_status outfile_write_atomic(const char *path, const void *data,
				       size_t len, struct diag *err);

/* Fold what else decides the output into d->input_hash: the font files
 * listed in fontdir/fonts.conf, brief's version, the PDF/A flag and the
 * creation date (epoch seconds from SOURCE_DATE_EPOCH, or -1 for the
 * layout's as_of). Writes the first 16 bytes as lowercase hex into hex
 * (33+ bytes). */
enum brief_status outfile_finish_hash(struct doc *d, const char *fontdir,
				      const char *version, bool pdfa,
				      long long epoch, char hex[65],
				      struct diag *err);

/* True when the file at path exists and records hex (as its /ID). */
bool outfile_has_hash(const char *path, const char *hex);

#endif
