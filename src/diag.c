/* diag.c — formatting and printing of positioned diagnostics. */
#include "diag.h"

#include <string.h>

enum brief_status diag_vset(struct diag *d, enum brief_status status,
			    const char *file, long line, long col,
			    const char *fmt, va_list ap)
{
	if (!d)
		return status;
	snprintf(d->file, sizeof d->file, "%s", file ? file : "");
	d->line = line;
	d->col = col;
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	d->quote[0] = '\0';
	return status;
}

enum brief_status diag_set(struct diag *d, enum brief_status status,
			   const char *file, long line, long col,
			   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vset(d, status, file, line, col, fmt, ap);
	va_end(ap);
	return status;
}

void diag_quote(struct diag *d, const char *text, size_t len)
{
	size_t n = 0;

	if (!d)
		return;
	/* Stop at the cap: a megabyte line must not be scanned per diagnostic. */
	while (n < len && n < sizeof d->quote && text[n] != '\n' &&
	       text[n] != '\r')
		n++;
	if (n >= sizeof d->quote) {
		/* Truncate on a UTF-8 boundary so the quote stays valid text. */
		n = sizeof d->quote - 1;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(d->quote, text, n);
	d->quote[n] = '\0';
}

static const char *severity_name(enum diag_severity sev)
{
	switch (sev) {
	case DIAG_ERROR:
		return "error";
	case DIAG_WARNING:
		return "warning";
	case DIAG_NOTE:
		return "note";
	}
	return "error";
}

void diag_print(FILE *out, const struct diag *d, enum diag_severity sev)
{
	if (d->file[0])
		fprintf(out, "%s:", d->file);
	if (d->line > 0) {
		fprintf(out, "%ld:", d->line);
		if (d->col > 0)
			fprintf(out, "%ld:", d->col);
	}
	fprintf(out, "%s%s: %s\n", d->file[0] ? " " : "", severity_name(sev),
		d->msg);
	if (d->quote[0]) {
		/* The caret line copies tabs from the quote so it lines up. */
		const unsigned char *q = (const unsigned char *)d->quote;
		long cp = 1;

		fprintf(out, "    %s\n    ", d->quote);
		for (; *q && cp < d->col; q++) {
			if ((*q & 0xC0) == 0x80)
				continue;
			fputc(*q == '\t' ? '\t' : ' ', out);
			cp++;
		}
		fputs("^\n", out);
	}
}

void diag_emit(struct diag_sink *sink, const struct diag *d,
	       enum diag_severity sev)
{
	unsigned shown;

	if (sev == DIAG_ERROR) {
		shown = ++sink->errors;
	} else {
		sink->warnings++;
		shown = 0;
	}
	if (!sink->out)
		return;
	if (sev == DIAG_ERROR && sink->max_errors && shown > sink->max_errors) {
		if (shown == sink->max_errors + 1)
			fprintf(sink->out,
				"brief: too many errors, not showing more\n");
		return;
	}
	diag_print(sink->out, d, sev);
}

int brief_exit_code(enum brief_status status)
{
	switch (status) {
	case BRIEF_OK:
		return 0;
	case BRIEF_EDATA:
		return 1;
	case BRIEF_EUSAGE:
		return 2;
	case BRIEF_EIO:
	case BRIEF_ENOMEM:
		return 3;
	case BRIEF_EINTERNAL:
		return 4;
	}
	return 4;
}

const char *brief_status_name(enum brief_status status)
{
	switch (status) {
	case BRIEF_OK:
		return "success";
	case BRIEF_EDATA:
		return "invalid input";
	case BRIEF_EUSAGE:
		return "usage error";
	case BRIEF_EIO:
		return "I/O error";
	case BRIEF_ENOMEM:
		return "out of memory";
	case BRIEF_EINTERNAL:
		return "internal error";
	}
	return "unknown error";
}
