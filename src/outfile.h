/* outfile.h — writing a report or a chart file safely: atomic replace, no
 * input overwritten, no temporary file left behind; and the input hash
 * that --if-changed compares. */
#ifndef BRIEF_OUTFILE_H
#define BRIEF_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "doc.h"

/* Refuse path as an output when it is (through symlinks or hard links:
 * same device and inode) a file this run opened as an input, see
 * infile.h: BRIEF_EUSAGE, err naming the input. A path that does not
 * exist, or exists and is no input, is BRIEF_OK. */
enum brief_status outfile_check_not_input(const char *path, struct diag *err);

/* One file being replaced. Opaque; owned by the caller between
 * outfile_begin and outfile_commit or outfile_abort, which free it. */
struct outfile;

/* Start replacing path. The new contents go to an unnamed temporary file
 * in path's directory (O_TMPFILE) where the filesystem has them, so that
 * not even SIGKILL can leave a temporary file behind; otherwise to a
 * named one, .<name>.brief-<pid>-XXXXXX, that brief removes on SIGINT,
 * SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGXFSZ and
 * SIGPIPE (unless the caller ignores them), and that any later run
 * writing the same path removes once process <pid> is gone. Such stale
 * temporaries of path are cleared here.
 *
 * A symlink is followed (its target is replaced, the link kept); a
 * device or FIFO (/dev/null) is written in place, never replaced. The new
 * file keeps the old one's permissions (else 0666 minus the umask).
 * BRIEF_EIO with err filled when the directory is missing or unwritable,
 * path is a directory, or the file cannot be created. */
enum brief_status outfile_begin(const char *path, struct outfile **out,
				struct diag *err);

/* A path under which a library can open the new contents for writing
 * (e.g. cairo_surface_write_to_png): /proc/self/fd/N, the named temporary
 * file or, in place, the device. Valid until commit or abort. */
const char *outfile_write_path(const struct outfile *o);

/* Append len bytes (short writes and EINTR are resumed). BRIEF_EIO on
 * failure (disk full); then call outfile_abort. */
enum brief_status outfile_write(struct outfile *o, const void *data,
				size_t len, struct diag *err);

/* True when o writes into a device or FIFO in place: a failure then may
 * have left part of the output there. */
bool outfile_in_place(const struct outfile *o);

/* Flush the new contents to disk and put them in place of the old file
 * in one rename. Frees o. On failure (BRIEF_EIO, err filled) the old
 * file is untouched and no temporary file is left. */
enum brief_status outfile_commit(struct outfile *o, struct diag *err);

/* Drop the new contents: the old file stays as it was. Frees o; NULL is
 * fine. */
void outfile_abort(struct outfile *o);

/* outfile_begin, outfile_write and outfile_commit (or abort) in one. */
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

/* True when the file at path is a complete PDF (header, a startxref that
 * points at a cross-reference table or stream, a trailer, %%EOF at the
 * end) whose trailer /ID records hex: cheap checks, no full parse. A
 * truncated PDF, or any other file holding the hash, is false. Never
 * blocks: anything but a regular file is false. */
bool outfile_has_hash(const char *path, const char *hex);

#endif
