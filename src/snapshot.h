/* snapshot.h — the inputs recorded beside a report, so that a later
 * `brief diff` can say what changed since that edition.
 *
 * A build that writes reports/NAME.pdf also writes reports/NAME.inputs.tar.gz:
 * a gzip-compressed POSIX tar archive holding manifest.json and a copy of
 * every dataset of the data directory (sources.csv, and each dataset file
 * that exists: the plain ones and the labelled ones, data.h). Plain formats on purpose: `tar -xzf` gives the CSV files back.
 * The gzip file is a series of members, one for each MiB of the tar,
 * compressed two at a time (gz_parallel.h); a record of one member (as
 * written before) reads the same. The archive is byte-identical for
 * identical inputs (no dates, owners or compression timestamps in it,
 * and nothing that depends on thread timing). docs/diff.md documents the
 * manifest. */
#ifndef BRIEF_SNAPSHOT_H
#define BRIEF_SNAPSHOT_H

#include "diag.h"

/* The record's path beside a report: "reports/x.pdf" ->
 * "reports/x.inputs.tar.gz" (a name without ".pdf" gets the suffix
 * appended). malloc'd; NULL when out of memory. */
char *snapshot_path(const char *report);

/* Record data_dir's datasets beside the report just written at `report`.
 * layout and data_dir are as the build resolved them, hex the report's
 * input hash (its /ID), version brief's ("brief 0.1.0"). A report that is
 * not a regular file (/dev/null) gets no record. The record replaces any
 * previous one atomically (temporary file, rename; not synced: after a
 * crash it may be missing or old, which snapshot_extract and the hash
 * check find); SIGINT, SIGTERM and SIGHUP wait until it is done, so none
 * leaves a temporary file.
 * Returns BRIEF_EIO (err filled) when it cannot be written. */
enum brief_status snapshot_write(const char *report, const char *layout,
				 const char *data_dir, const char *hex,
				 const char *version, struct diag *err);

/* What a record's manifest says. Strings owned by the struct ("" when the
 * manifest leaves them out). */
struct snapshot_info {
	char *brief;      /* "brief 0.1.0" */
	char *layout;     /* the layout path as given to the build */
	char *data_dir;   /* the data directory the build read */
	char *input_hash; /* the report's /ID */
};

/* Unpack the record at path into the existing empty directory dir (the
 * dataset files and nothing else) and read its manifest into *info
 * (release with snapshot_info_free, also safe on a zeroed struct). A file
 * that is not such a record is BRIEF_EDATA naming it; unreadable,
 * BRIEF_EIO. */
enum brief_status snapshot_extract(const char *path, const char *dir,
				   struct snapshot_info *info,
				   struct diag *err);
void snapshot_info_free(struct snapshot_info *info);

#endif
