/* data_hint.h — what to add to a data error when the value or the file is
 * in a form spreadsheets write but brief does not read: a ';'-separated
 * file, thousands separators, a decimal comma, a day-first or month-first
 * date, a spreadsheet's date serial number. Each function returns the text
 * to append to the error's message ("" when it has nothing to say), in buf
 * or a static string; the wording names the form brief expects. */
#ifndef BRIEF_DATA_HINT_H
#define BRIEF_DATA_HINT_H

#include <stddef.h>

#include "csv_load.h"

/* A header record (read with ',') whose fields hold the column names
 * joined by ';' or tabs. */
const char *data_hint_delimiter(const struct csv_record *hdr);

/* A value that is not a number brief reads ("1,200", "12,5", "~500"). */
const char *data_hint_number(const char *v, char *buf, size_t size);

/* A value read as a decimal where a whole number is wanted: "1.200" may
 * be 1200 written with a '.' thousands separator. */
const char *data_hint_whole(const char *v, char *buf, size_t size);

/* A value that is not a date brief reads ("10/03/2025", "45726"). */
const char *data_hint_date(const char *v, char *buf, size_t size);

#endif
