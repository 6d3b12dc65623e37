/* snapshot.h — the inputs recorded beside a report, so that a later
 * `brief diff` can say what changed since that edition.
 *
 * A build that writes reports/NAME.pdf also writes reports/NAME.inputs.tar.gz:
 * a gzip-compressed POSIX tar archive holding a copy of every dataset of
 * the data directory (sources.csv, and each dataset file that exists: the
 * plain ones and the labelled ones, data.h), then manifest.json: last,
 * since it holds the report's input hash, known only after the data has
 * been copied (older records have it first; both read the same). Plain
 * formats on purpose: `tar -xzf` gives the CSV files back.
 * The gzip file is a series of members, one for each MiB of the tar
 * (gz_parallel.h), compressed on the copy's own thread beside the scan
 * and two at a time once the build waits for it; a record of one member
 * (as written before) reads the same. The archive is byte-identical for
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

/* A record being written. Opaque; owned by the caller from
 * snapshot_begin to snapshot_finish or snapshot_abort, which free it. */
struct snapshot;

/* Start recording data_dir's datasets beside the report about to be
 * written at `report`: the inputs are opened and the record's temporary
 * file begun here, and the data files are copied into it on a thread of
 * its own, at idle priority (SCHED_IDLE: only time no other thread
 * wants), while the caller goes on (a build starts it as soon as the
 * layout names its data directory, so that it runs alongside the scan).
 * A report that exists and is not a regular file (/dev/null) gets no
 * record: *out is NULL then, which snapshot_finish and snapshot_abort
 * accept. The previous record is untouched until snapshot_finish; a
 * signal meanwhile leaves no temporary file (outfile.h).
 * BRIEF_EIO (err filled) when an input cannot be read or the record
 * cannot be created; BRIEF_ENOMEM. */
enum brief_status snapshot_begin(const char *report, const char *data_dir,
				 struct snapshot **out, struct diag *err);

/* Complete s once the report is in place: copy what the copy thread has
 * not (on this thread and a second one, at this thread's priority), append
 * manifest.json (the last member: it holds the report's input hash) and
 * replace any previous record atomically (temporary file, synced and
 * renamed by outfile_commit, as the report is). layout is the layout as the build resolved
 * it, hex the report's input hash (its /ID), version brief's ("brief
 * 0.1.0"). A report that is missing or not a regular file by now gets no
 * record. SIGINT, SIGTERM and SIGHUP wait until it is done, so none
 * leaves a report without its record. Frees s (NULL is fine).
 * BRIEF_EIO (err filled) when it cannot be written. */
enum brief_status snapshot_finish(struct snapshot *s, const char *layout,
				  const char *hex, const char *version,
				  struct diag *err);

/* Drop s: the copy stops, the temporary file goes, the previous record
 * stays as it was. Frees s; NULL is fine. */
void snapshot_abort(struct snapshot *s);

/* snapshot_begin and snapshot_finish in one, for a report already
 * written. */
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
