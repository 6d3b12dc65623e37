/* infile.h — opening the files brief reads: without ever blocking, regular
 * files only, and remembered so that no output can overwrite an input. */
#ifndef BRIEF_INFILE_H
#define BRIEF_INFILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "diag.h"

/* Open path for reading. It is opened with O_NONBLOCK (a FIFO or a device
 * must not make brief wait for a writer), checked with fstat, then set
 * back to blocking reads. Only a regular file is accepted.
 *
 * Failures (err names the path): a file that does not exist, or that is
 * not a regular file (directory, FIFO, device, socket), is BRIEF_EDATA: a
 * required input is missing. A file that exists but cannot be read
 * (permissions, I/O error, too many open files) is BRIEF_EIO. Out of
 * memory (BRIEF_ENOMEM) only for a stdio stream, or when memory is gone
 * and 64 inputs were already recorded without it.
 *
 * On success *fd is the caller's to close, and the file's device and
 * inode are remembered for the rest of the run (infile_input_path). */
enum brief_status infile_open(const char *path, int *fd, struct diag *err);

/* infile_open as a stdio stream ("rb"); *out is the caller's to fclose. */
enum brief_status infile_fopen(const char *path, FILE **out,
			       struct diag *err);

/* Read the whole file at path (opened as infile_open does) into a new
 * heap buffer, NUL-terminated; *len is the length without the NUL. The
 * caller frees *data. A file longer than max bytes is BRIEF_EDATA. */
enum brief_status infile_read(const char *path, size_t max, char **data,
			      size_t *len, struct diag *err);

/* Check that path is a regular file brief can read, for a library that
 * opens it by name itself (FreeType); remembered as infile_open does.
 * Same statuses as infile_open. */
enum brief_status infile_check(const char *path, struct diag *err);

/* Check that path is a directory brief can search: a missing path or one
 * that is not a directory is BRIEF_EDATA, anything else BRIEF_EIO. */
enum brief_status infile_check_dir(const char *path, struct diag *err);

/* The path (as it was given) under which the file with this device and
 * inode was opened as an input during this run; "" when it was recorded
 * without its path (memory ran out); NULL when it is no input. Valid until
 * infile_forget. */
const char *infile_input_path(dev_t dev, ino_t ino);

struct stat;
struct file_digest;
/* Remember the digest (sha256.h) of all the bytes of an input, computed
 * while reading it; st is its fstat at open. Silently not kept when the
 * file is no recorded input. */
void infile_set_digest(const struct stat *st, const struct file_digest *d);
/* The digest remembered for the file with this fstat, if its size and
 * modification time are still those it was read with: true and *d set. */
int infile_digest(const struct stat *st, struct file_digest *d);

/* Forget every remembered input and free the record. */
void infile_forget(void);

#endif
