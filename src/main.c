/* main.c — the brief command line: parse options, run a stage pipeline,
 * map statuses to exit codes. The only file that prints and exits. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "chart.h"
#include "cli.h"
#include "data.h"
#include "diag.h"
#include "doc.h"
#include "fontset.h"
#include "import.h"
#include "infile.h"
#include "layout.h"
#include "outfile.h"
#include "snapshot.h"
#include "typeset.h"

#ifndef BRIEF_VERSION
#define BRIEF_VERSION "0.0.0"
#endif
#ifndef BRIEF_FONTDIR
#define BRIEF_FONTDIR "/usr/local/share/brief/fonts"
#endif
#ifndef BRIEF_MAPDIR
#define BRIEF_MAPDIR "/usr/local/share/brief/mappings"
#endif

enum {
	OPT_CHARTS = 256,
	OPT_CHART_SCALE,
	OPT_CHART_BACKGROUND,
	OPT_DUMP,
	OPT_IF_CHANGED,
	OPT_PDFA,
	OPT_FONTS,
	OPT_ARCHIVE,
	OPT_HELP,
	OPT_VERSION
};

static const struct option long_opts[] = {
	{"output", required_argument, NULL, 'o'},
	{"data", required_argument, NULL, 'd'},
	{"charts", required_argument, NULL, OPT_CHARTS},
	{"chart-scale", required_argument, NULL, OPT_CHART_SCALE},
	{"chart-background", required_argument, NULL, OPT_CHART_BACKGROUND},
	{"dump", no_argument, NULL, OPT_DUMP},
	{"if-changed", no_argument, NULL, OPT_IF_CHANGED},
	{"pdfa", no_argument, NULL, OPT_PDFA},
	{"fonts", required_argument, NULL, OPT_FONTS},
	{"archive", required_argument, NULL, OPT_ARCHIVE},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, OPT_HELP},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0}};

struct options {
	const char *output, *data, *charts, *fonts, *archive;
	int dump, if_changed, pdfa, quiet, verbose;
	const char *chart_scale, *chart_background; /* as given; NULL: default */
	struct chart_export_opts chart;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void stage_time(const struct options *o, const char *what, double *t)
{
	double n = now_ms();

	if (o->verbose)
		fprintf(stderr, "brief: %-10s %8.2f ms\n", what, n - *t);
	*t = n;
}

static int usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "brief: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'brief --help'.\n");
	return 2;
}

static int exists_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* --fonts, $BRIEF_FONTS, fonts/ beside the executable (the source tree),
 * then the installed directory. */
static const char *find_fonts(const char *given, char *buf, size_t size)
{
	return cli_share_dir(given, "BRIEF_FONTS", "fonts", BRIEF_FONTDIR, buf,
			     size);
}

#ifndef BRIEF_LOCALEDIR
#define BRIEF_LOCALEDIR "/usr/local/share/brief/locale"
#endif

/* The catalogues of generated text (l10n.h): $BRIEF_LOCALE, locale/
 * beside the executable (the source tree), then the installed directory;
 * NULL when none exists (the text is then brief's built-in English). */
static const char *find_locale(char *buf, size_t size)
{
	const char *d = cli_share_dir(NULL, "BRIEF_LOCALE", "locale", NULL,
				      buf, size);

	if (d)
		return d;
	return exists_dir(BRIEF_LOCALEDIR) ? BRIEF_LOCALEDIR : NULL;
}

/* SOURCE_DATE_EPOCH as seconds, -1 when unset (the date then comes from
 * the layout's as_of), -2 when malformed: the reproducible-builds spec
 * asks for an error rather than a silent fallback. The cap keeps the year
 * at four digits, as a PDF date needs. */
static long long source_date_epoch(void)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (!e || !*e)
		return -1;
	errno = 0;
	v = strtoll(e, &end, 10);
	if (errno || *end || v < 0 || v > 253402300799LL || *e < '0' ||
	    *e > '9')
		return -2;
	return v;
}

/* What a failed build has already changed on disk, so that the closing
 * message says exactly that. */
struct build_effects {
	unsigned charts_replaced; /* chart files already in place */
	bool in_place;            /* output is a device or FIFO: may hold part */
};

/* DIR/<chart id>.<ext> */
static void chart_path(const char *dir, const struct chart *c,
		       const char *ext, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s.%s", dir, chart_id(c), ext);
}

/* No output may be written over a file this build read (layout,
 * datasets, fonts, ...): checked for every target before anything is
 * written. BRIEF_EUSAGE names the target and the input. */
static enum brief_status refuse_inputs_as_outputs(const struct doc *d,
						  const char *out,
						  const char *charts,
						  struct diag *err)
{
	static const char *const exts[] = {"png", "svg", "pdf", "txt"};
	char path[4096];
	enum brief_status st;
	size_t i, k;

	st = outfile_check_not_input(out, err);
	for (i = 0; charts && st == BRIEF_OK && i < d->nblocks; i++) {
		const struct doc_block *b = &d->blocks[i];

		if (b->kind != BLK_CHART || !b->chart)
			continue;
		for (k = 0; k < 4 && st == BRIEF_OK; k++) {
			chart_path(charts, b->chart, exts[k], path, sizeof path);
			st = outfile_check_not_input(path, err);
		}
	}
	return st;
}

/* --charts DIR: every chart's files, those already up to date left alone
 * with --if-changed. seen: the charts this run exported so far. */
static enum brief_status export_charts(const struct doc *d,
				       const struct fontset *fs,
				       const struct options *o,
				       struct chart_export_seen *seen,
				       struct build_effects *fx,
				       struct diag *err)
{
	struct chart_export_count n = {0, 0};
	enum brief_status st;

	st = chart_export_doc(d, fs, o->charts, &o->chart, o->if_changed != 0,
			      seen, &n, err);
	fx->charts_replaced += n.written;
	if (st != BRIEF_OK || o->quiet || !(n.written || n.current))
		return st;
	if (!n.written)
		printf("brief: %s: %u chart files up to date\n", o->charts,
		       n.current);
	else if (!n.current)
		printf("brief: %s: wrote %u chart file%s\n", o->charts,
		       n.written, n.written == 1 ? "" : "s");
	else
		printf("brief: %s: wrote %u chart file%s (%u up to date)\n",
		       o->charts, n.written, n.written == 1 ? "" : "s",
		       n.current);
	return st;
}

/* --chart-scale and --chart-background into o->chart; 0, or the usage
 * error's exit code. */
static int chart_options(struct options *o)
{
	char *end;

	o->chart.scale = 2;
	o->chart.margin = CHART_EXPORT_MARGIN;
	o->chart.generator = "brief " BRIEF_VERSION;
	if ((o->chart_scale || o->chart_background) && !o->charts)
		return usage_error("%s", "--chart-scale and --chart-background "
					 "go with --charts DIR");
	if (o->chart_scale) {
		errno = 0;
		o->chart.scale = strtod(o->chart_scale, &end);
		if (errno || end == o->chart_scale || *end ||
		    !(o->chart.scale >= CHART_SCALE_MIN &&
		      o->chart.scale <= CHART_SCALE_MAX))
			return usage_error("--chart-scale '%s': want a number "
					   "from %g to %g (pixels per point; "
					   "2 is 144 dpi)",
					   o->chart_scale, CHART_SCALE_MIN,
					   CHART_SCALE_MAX);
	}
	if (o->chart_background) {
		if (strcmp(o->chart_background, "transparent") == 0)
			o->chart.transparent = true;
		else if (strcmp(o->chart_background, "white") != 0)
			return usage_error("--chart-background '%s': want white "
					   "or transparent",
					   o->chart_background);
	}
	return 0;
}


/* How build and check typeset: the same but for the date. */
static void set_typeset_opts(struct typeset_opts *to, const struct options *o,
			     long long epoch, struct diag_sink *sink)
{
	memset(to, 0, sizeof *to);
	to->pdfa = o->pdfa != 0;
	to->icc_path = "/usr/share/color/icc/sRGB.icc";
	to->epoch = epoch;
	to->version = "brief " BRIEF_VERSION;
	to->sink = sink;
}

/* The PDF is written to its temporary file first and put in place last,
 * after the charts: a failure anywhere leaves the previous report. */
static enum brief_status write_outputs(const struct doc *d,
				       const struct fontset *fs,
				       const struct options *o,
				       struct chart_export_seen *seen,
				       const char *out, const unsigned char *pdf,
				       size_t len, struct build_effects *fx,
				       double *t, struct diag *err)
{
	struct outfile *f = NULL;
	enum brief_status st;

	st = refuse_inputs_as_outputs(d, out, o->charts, err);
	if (st != BRIEF_OK)
		return st;
	st = outfile_begin(out, &f, err);
	if (st != BRIEF_OK)
		return st;
	fx->in_place = outfile_in_place(f);
	st = outfile_write(f, pdf, len, err);
	if (st == BRIEF_OK && o->charts) {
		st = export_charts(d, fs, o, seen, fx, err);
		if (st == BRIEF_OK)
			stage_time(o, "charts", t);
	}
	if (st != BRIEF_OK) {
		outfile_abort(f);
		return st;
	}
	st = outfile_commit(f, err);
	if (st == BRIEF_OK)
		fx->in_place = false;
	return st;
}


/* The report a build of the layout named layout_name writes: -o, else
 * reports/NAME.pdf (in buf). */
static const char *report_path(const struct options *o,
			       const char *layout_name, char *buf, size_t size)
{
	if (o->output)
		return o->output;
	snprintf(buf, size, "reports/%s.pdf", layout_name);
	return buf;
}

/* The record of inputs (snapshot.h), started while the layout is read so
 * that its copy of the data runs alongside the scan. */
struct early_record {
	const struct options *o;
	struct snapshot *rec; /* NULL: not started (yet) */
};

/* layout_opts.data_dir_known. Not when the build may write nothing
 * (--dump; --if-changed with a report there, which may be up to date) or
 * when reports/ is still to be made: the record then starts after the
 * report, as does one whose start failed here (which then says why). */
static void start_record(void *ctx, const char *layout_name,
			 const char *data_dir)
{
	struct early_record *r = ctx;
	char buf[4096];
	const char *out = report_path(r->o, layout_name, buf, sizeof buf);
	struct diag ignored;
	struct stat st;

	if (r->o->dump || (r->o->if_changed && stat(out, &st) == 0) ||
	    (!r->o->output && !exists_dir("reports")))
		return;
	/* On failure r->rec stays NULL and the record starts after the
	 * report, which then says why. */
	memset(&ignored, 0, sizeof ignored);
	(void)snapshot_begin(out, data_dir, &r->rec, &ignored);
}

/* *up_to_date says whether --if-changed skipped the layout. */
static enum brief_status build_one(const char *layout,
				   const struct options *o,
				   const struct fontset *fs,
				   const char *fontdir, long long epoch,
				   struct chart_export_seen *seen,
				   struct diag_sink *sink, bool *up_to_date,
				   struct build_effects *fx, struct diag *err)
{
	struct early_record rec = {o, NULL};
	struct layout_opts lo = {.data_dir = o->data,
				 .report = o->output,
				 .data_dir_known = start_record,
				 .ctx = &rec};
	char locbuf[4096];
	struct typeset_opts to;
	struct doc *d = NULL;
	unsigned char *pdf = NULL;
	size_t len = 0;
	char outbuf[4096], hex[65];
	const char *out;
	enum brief_status st, rst = BRIEF_OK;
	double t = now_ms();

	set_typeset_opts(&to, o, epoch, sink);
	lo.locale_dir = find_locale(locbuf, sizeof locbuf);
	st = layout_load(layout, &lo, &d, sink, err);
	if (st != BRIEF_OK)
		goto out;
	stage_time(o, "layout", &t);
	st = outfile_finish_hash(d, fontdir, BRIEF_VERSION, o->pdfa != 0,
				 epoch, hex, err);
	if (st != BRIEF_OK)
		goto out;
	stage_time(o, "hash", &t);
	if (o->dump) {
		st = typeset_dump(d, fs, &to, stdout, err);
		goto out;
	}
	out = report_path(o, d->layout_name, outbuf, sizeof outbuf);
	if (!o->output && !exists_dir("reports") &&
	    mkdir("reports", 0777) != 0 && errno != EEXIST) {
		st = diag_set(err, BRIEF_EIO, "reports", 0, 0,
			      "cannot create directory: %s", strerror(errno));
		goto out;
	}
	if (o->if_changed && outfile_has_hash(out, hex)) {
		st = refuse_inputs_as_outputs(d, out, o->charts, err);
		if (st == BRIEF_OK && o->charts)
			st = export_charts(d, fs, o, seen, fx, err);
		if (st == BRIEF_OK && !o->quiet)
			printf("brief: %s is up to date\n", out);
		if (st == BRIEF_OK)
			*up_to_date = true;
		goto out;
	}
	st = typeset_pdf(d, fs, &to, &pdf, &len, err);
	if (st != BRIEF_OK)
		goto out;
	stage_time(o, "typeset", &t);
	st = write_outputs(d, fs, o, seen, out, pdf, len, fx, &t, err);
	if (st != BRIEF_OK)
		goto out;
	stage_time(o, "write", &t);
	/* The datasets read, beside the PDF, for `brief diff` (snapshot.h):
	 * much of it copied during the layout stage already. A record that
	 * cannot be written is a warning: the report stands. */
	if (!rec.rec)
		rst = snapshot_begin(out, d->meta.data_dir, &rec.rec, err);
	if (rst == BRIEF_OK)
		rst = snapshot_finish(rec.rec, layout, hex,
				      "brief " BRIEF_VERSION, err);
	rec.rec = NULL; /* freed by snapshot_finish */
	if (rst != BRIEF_OK)
		diag_print(stderr, err, DIAG_WARNING);
	stage_time(o, "record", &t);
	if (!o->quiet)
		printf("brief: wrote %s (%zu bytes)\n", out, len);
out:
	snapshot_abort(rec.rec);
	free(pdf);
	doc_free(d);
	return st;
}

/* The closing line of a layout that was not built: what is on disk now. */
static void report_not_built(const char *layout, enum brief_status st,
			     const struct build_effects *fx,
			     const struct options *o)
{
	const char *why = brief_status_name(st);

	if (o->quiet && st == BRIEF_EDATA)
		return;
	if (fx->in_place)
		fprintf(stderr,
			"brief: %s: not built (%s); the output is not a "
			"regular file and was written in place, so it may "
			"hold part of the report\n",
			layout, why);
	else if (fx->charts_replaced)
		fprintf(stderr,
			"brief: %s: not built (%s); the previous report is "
			"unchanged, but %u chart file%s in %s %s already "
			"replaced\n",
			layout, why, fx->charts_replaced,
			fx->charts_replaced == 1 ? "" : "s", o->charts,
			fx->charts_replaced == 1 ? "was" : "were");
	else if (st == BRIEF_EUSAGE)
		fprintf(stderr, "brief: %s: not built (%s); nothing was "
				"written\n",
			layout, why);
	else
		fprintf(stderr,
			"brief: %s: not built (%s); any previous report is "
			"unchanged\n",
			layout, why);
}

static int cmd_build(int argc, char **argv, const struct options *o)
{
	char fbuf[4096];
	const char *fontdir = find_fonts(o->fonts, fbuf, sizeof fbuf);
	struct fontset *fs = NULL;
	struct diag err;
	struct diag_sink sink = {stderr, 0, 0, 50};
	struct chart_export_seen seen = {0};
	enum brief_status st, worst = BRIEF_OK;
	double t = now_ms();
	long long epoch = source_date_epoch();
	int i, built = 0, current = 0, failed = 0;

	if (argc < 1)
		return usage_error("%s", "build needs a LAYOUT");
	if (o->output && argc > 1)
		return usage_error("%s", "-o takes one LAYOUT only");
	if (o->dump && (o->output || o->charts || o->if_changed))
		return usage_error("%s", "--dump prints the pages and writes no "
				   "file: it takes no -o, --charts or "
				   "--if-changed");
	if (epoch == -2)
		return usage_error("SOURCE_DATE_EPOCH='%s' is not a number of "
				   "seconds since 1970 (up to year 9999)",
				   getenv("SOURCE_DATE_EPOCH"));
	memset(&err, 0, sizeof err);
	st = fontset_open(fontdir, &fs, &err);
	if (st != BRIEF_OK) {
		diag_print(stderr, &err, DIAG_ERROR);
		return brief_exit_code(st);
	}
	stage_time(o, "fonts", &t);
	for (i = 0; i < argc; i++) {
		bool up_to_date = false;
		struct build_effects fx = {0, false};

		memset(&err, 0, sizeof err);
		st = build_one(argv[i], o, fs, fontdir, epoch, &seen, &sink,
			       &up_to_date, &fx, &err);
		if (st == BRIEF_OK) {
			if (up_to_date)
				current++;
			else
				built++;
		} else {
			failed++;
			if (err.msg[0])
				diag_print(stderr, &err, DIAG_ERROR);
			report_not_built(argv[i], st, &fx, o);
			if (brief_exit_code(st) > brief_exit_code(worst))
				worst = st;
		}
	}
	chart_export_seen_free(&seen);
	fontset_free(fs);
	/* A batch ends with one line; one that failed says so even with -q. */
	if (argc > 1 && (failed || !o->quiet))
		fprintf(failed ? stderr : stdout,
			"brief: %d built, %d up to date, %d failed\n", built,
			current, failed);
	return brief_exit_code(worst);
}

/* Everything build does but writing the file: lay the layout out, check
 * what it draws and make the PDF in memory. */
static enum brief_status check_layout(const char *layout,
				      const struct options *o,
				      const struct fontset *fs,
				      struct diag_sink *sink, struct diag *err)
{
	struct layout_opts lo = {.data_dir = o->data, .warn_uncited = true};
	char locbuf[4096];
	struct typeset_opts to;
	struct doc *d = NULL;
	unsigned char *pdf = NULL;
	size_t len = 0;
	enum brief_status st;

	set_typeset_opts(&to, o, -1, sink);
	lo.locale_dir = find_locale(locbuf, sizeof locbuf);
	st = layout_load(layout, &lo, &d, sink, err);
	if (st == BRIEF_OK)
		st = typeset_pdf(d, fs, &to, &pdf, &len, err);
	free(pdf);
	doc_free(d);
	return st;
}

/* The directories check reads must exist: one clear error instead of one
 * per dataset. */
static enum brief_status check_dirs(const char *data, const char *archive,
				    struct diag *err)
{
	enum brief_status st = infile_check_dir(data, err);

	if (st == BRIEF_OK && archive)
		st = infile_check_dir(archive, err);
	return st;
}

/* Print err unless it is already among what went to the sink: BRIEF_EDATA
 * errors usually are, every other failure is only in err. */
static void print_unreported(enum brief_status st, const struct diag *err,
			     const struct diag_sink *sink, unsigned before)
{
	if (st == BRIEF_OK || !err->msg[0])
		return;
	if (st == BRIEF_EDATA && sink->errors > before)
		return;
	diag_print(stderr, err, DIAG_ERROR);
}

static int cmd_check(int argc, char **argv, const struct options *o)
{
	struct diag err;
	struct diag_sink sink = {stderr, 0, 0, 200};
	enum brief_status st = BRIEF_OK;
	struct fontset *fs = NULL;
	char fbuf[4096];
	size_t rows = 0;
	int i;

	memset(&err, 0, sizeof err);
	if (argc == 0) {
		const char *dir = o->data ? o->data : "datasets";

		if (o->pdfa || o->fonts)
			return usage_error("%s", "--pdfa and --fonts go with "
					   "check LAYOUT");
		st = check_dirs(dir, o->archive, &err);
		if (st == BRIEF_OK)
			st = data_check_dir(dir, o->archive, &sink, &rows, &err);
		print_unreported(st, &err, &sink, 0);
		if (st == BRIEF_OK && !o->quiet) {
			/* The sources files and datasets checked. */
			struct datasets dl;
			struct diag e2;
			size_t nfiles = 6;

			if (datasets_list(dir, &dl, NULL, &e2) == BRIEF_OK)
				nfiles = dl.nsources + dl.n;
			printf("brief: %s: %zu rows in %zu files, no errors%s\n",
			       dir, rows, nfiles,
			       o->archive ? "; every stated_as found in its "
					    "archived source"
					  : "");
		}
		return brief_exit_code(st);
	}
	st = fontset_open(find_fonts(o->fonts, fbuf, sizeof fbuf), &fs, &err);
	if (st != BRIEF_OK) {
		diag_print(stderr, &err, DIAG_ERROR);
		return brief_exit_code(st);
	}
	for (i = 0; i < argc; i++) {
		enum brief_status s;
		unsigned before = sink.warnings, warnings;
		unsigned errors_before = sink.errors;

		memset(&err, 0, sizeof err);
		s = check_layout(argv[i], o, fs, &sink, &err);
		print_unreported(s, &err, &sink, errors_before);
		/* The sink counts for the whole run; report this layout's. */
		warnings = sink.warnings - before;
		if (s == BRIEF_OK && !o->quiet)
			printf("brief: %s: ok (%u warning%s)\n", argv[i],
			       warnings, warnings == 1 ? "" : "s");
		if (brief_exit_code(s) > brief_exit_code(st))
			st = s;
	}
	fontset_free(fs);
	return brief_exit_code(st);
}

/* $BRIEF_MAPPINGS, mappings/ beside the executable (the source tree), then
 * the installed directory: found like the fonts. */
static const char *find_mappings(char *buf, size_t size)
{
	return cli_share_dir(NULL, "BRIEF_MAPPINGS", "mappings", BRIEF_MAPDIR,
			     buf, size);
}

/* brief import FORMAT FILE... --into DIR [--map MAP.yaml] */
static int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{"into", required_argument, NULL, 'i'},
		{"map", required_argument, NULL, 'm'},
		{"accessed", required_argument, NULL, 'a'},
		{"name", required_argument, NULL, 'n'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	struct import_opts io;
	struct import_result res;
	struct diag err;
	struct diag_sink sink = {stderr, 0, 0, 50};
	char mbuf[4096];
	enum brief_status st;
	int c, quiet = 0, k;
	size_t i, total = 0;

	memset(&io, 0, sizeof io);
	memset(&err, 0, sizeof err);
	optind = 2;
	while ((c = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			io.into = optarg;
			break;
		case 'm':
			io.map = optarg;
			break;
		case 'a':
			io.accessed = optarg;
			break;
		case 'n':
			io.name = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			cli_help(stdout, "import");
			return 0;
		default:
			fprintf(stderr, "Try 'brief import --help'.\n");
			return 2;
		}
	}
	if (optind >= argc)
		return usage_error("%s", "import needs a FORMAT (acled, ucdp-ged, "
				   "idmc, hxl) and at least one FILE");
	io.format = argv[optind++];
	for (k = 0; import_formats[k]; k++)
		if (strcmp(io.format, import_formats[k]) == 0)
			break;
	if (!import_formats[k])
		return usage_error("unknown import format '%s' (acled, ucdp-ged, "
				   "idmc, hxl)",
				   io.format);
	if (optind >= argc)
		return usage_error("%s", "import needs at least one FILE");
	if (!io.into)
		return usage_error("%s", "import needs --into DIR");
	if (io.name && !import_label_ok(io.name))
		return usage_error("--name '%s': a label is lowercase letters, "
				   "digits, '_' and '-', starting with a letter "
				   "or digit (casualties-LABEL.csv)",
				   io.name);
	io.files = (const char *const *)(argv + optind);
	io.nfiles = (size_t)(argc - optind);
	io.mapdir = find_mappings(mbuf, sizeof mbuf);
	st = import_run(&io, &res, &sink, &err);
	if (st == BRIEF_EUSAGE) {
		fprintf(stderr, "brief: %s\nTry 'brief --help'.\n", err.msg);
		return 2;
	}
	if (st != BRIEF_OK && st != BRIEF_EDATA && err.msg[0])
		diag_print(stderr, &err, DIAG_ERROR);
	if (st != BRIEF_OK) {
		fprintf(stderr, "brief: import not done (%s); %s is unchanged\n",
			brief_status_name(st), io.into);
		return brief_exit_code(st);
	}
	if (!quiet) {
		printf("brief: %s: %zu rows read from %zu file%s with %s\n",
		       io.into, res.rows_in, io.nfiles, io.nfiles == 1 ? "" : "s",
		       res.mapping);
		for (i = 0; i < DS_COUNT; i++) {
			total += res.rows_out[i];
			if (res.rows_out[i])
				printf("brief:   %s%s%s.csv: %zu rows\n",
				       dataset_name((enum dataset_kind)i),
				       io.name ? "-" : "",
				       io.name ? io.name : "",
				       res.rows_out[i]);
		}
		if (!total)
			printf("brief:   no rows passed the mapping's filters\n");
	}
	return 0;
}

/* Everything but the cleanup of the record of inputs (infile.h). */
static int run(int argc, char **argv)
{
	struct options o;
	const char *cmd;
	int c;

	memset(&o, 0, sizeof o);
	if (argc < 2)
		return usage_error("%s", "missing command (build, check, import, init, "
					 "diff, watch or help)");
	cmd = argv[1];
	/* getopt's own messages name the program "brief", as ours do, not
	 * the path it was run by. */
	argv[0] = (char *)"brief";
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		cli_help(stdout, NULL);
		return 0;
	}
	if (strcmp(cmd, "help") == 0)
		return cmd_help(argc - 1, argv + 1);
	if (strcmp(cmd, "init") == 0)
		return cmd_init(argc - 1, argv + 1);
	if (strcmp(cmd, "diff") == 0)
		return cmd_diff(argc - 1, argv + 1);
	if (strcmp(cmd, "watch") == 0)
		return cmd_watch(argc - 1, argv + 1);
	if (strcmp(cmd, "--version") == 0) {
		printf("brief %s\n", BRIEF_VERSION);
		return 0;
	}
	if (strcmp(cmd, "import") == 0)
		return cmd_import(argc, argv);
	if (strcmp(cmd, "build") != 0 && strcmp(cmd, "check") != 0)
		return usage_error("unknown command '%s'", cmd);
	optind = 2;
	while ((c = getopt_long(argc, argv, "o:d:qvh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.output = optarg;
			break;
		case 'd':
			o.data = optarg;
			break;
		case OPT_CHARTS:
			o.charts = optarg;
			break;
		case OPT_CHART_SCALE:
			o.chart_scale = optarg;
			break;
		case OPT_CHART_BACKGROUND:
			o.chart_background = optarg;
			break;
		case OPT_DUMP:
			o.dump = 1;
			break;
		case OPT_IF_CHANGED:
			o.if_changed = 1;
			break;
		case OPT_PDFA:
			o.pdfa = 1;
			break;
		case OPT_FONTS:
			o.fonts = optarg;
			break;
		case OPT_ARCHIVE:
			o.archive = optarg;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case 'h':
		case OPT_HELP:
			cli_help(stdout, cmd);
			return 0;
		case OPT_VERSION:
			printf("brief %s\n", BRIEF_VERSION);
			return 0;
		default:
			fprintf(stderr, "Try 'brief --help'.\n");
			return 2;
		}
	}
	if (o.quiet)
		o.verbose = 0; /* -q wins over -v, in any order */
	/* An empty path would be reported as "error: no such file" with no
	 * name to it. */
	if ((o.output && !*o.output) || (o.data && !*o.data) ||
	    (o.charts && !*o.charts) || (o.fonts && !*o.fonts) ||
	    (o.archive && !*o.archive))
		return usage_error("%s", "an option's file or directory name is "
				   "empty");
	for (c = optind; c < argc; c++)
		if (!*argv[c])
			return usage_error("%s", "a LAYOUT argument is empty");
	if (strcmp(cmd, "check") == 0) {
		if (o.output || o.charts || o.dump || o.if_changed ||
		    o.chart_scale || o.chart_background)
			return usage_error("%s", "check takes --data, --archive, "
					   "--pdfa, --fonts, -q");
		return cmd_check(argc - optind, argv + optind, &o);
	}
	if (o.archive)
		return usage_error("%s", "--archive goes with check");
	if ((c = chart_options(&o)) != 0)
		return c;
	return cmd_build(argc - optind, argv + optind, &o);
}

int main(int argc, char **argv)
{
	int rc = run(argc, argv);

	infile_forget();
	return rc;
}
