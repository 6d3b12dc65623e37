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
#include "data.h"
#include "diag.h"
#include "doc.h"
#include "fontset.h"
#include "infile.h"
#include "layout.h"
#include "outfile.h"
#include "typeset.h"

#ifndef BRIEF_VERSION
#define BRIEF_VERSION "0.0.0"
#endif
#ifndef BRIEF_FONTDIR
#define BRIEF_FONTDIR "/usr/local/share/brief/fonts"
#endif

static const char usage_text[] =
	"usage: brief build [options] LAYOUT...\n"
	"       brief check [--data DIR] [--archive DIR] [LAYOUT...]\n"
	"       brief --help | --version\n"
	"\n"
	"Turn conflict datasets (CSV) and a layout (Markdown + YAML) into a\n"
	"cited briefing PDF.\n"
	"\n"
	"build options:\n"
	"  -o, --output FILE   write the PDF here (one LAYOUT only);\n"
	"                      default reports/<layout-name>.pdf\n"
	"  -d, --data DIR      datasets directory (overrides the layout's `data`)\n"
	"      --charts DIR    also export every chart as DIR/<id>.png and .svg\n"
	"      --dump          print the laid-out pages as text instead of a PDF\n"
	"      --if-changed    skip a layout whose inputs hash to the value\n"
	"                      recorded in its existing PDF\n"
	"      --pdfa          write PDF/A-1b (for archiving)\n"
	"      --fonts DIR     fonts directory (default: see brief(1))\n"
	"  -q, --quiet         print errors only\n"
	"  -v, --verbose       print per-stage timings\n"
	"\n"
	"check options:\n"
	"  -d, --data DIR      datasets directory (default: datasets)\n"
	"      --archive DIR   verify each stated_as against DIR/<archive>\n"
	"  With LAYOUT, validate the layout against its data and warn about\n"
	"  uncited numbers; no PDF is written.\n"
	"\n"
	"Exit status: 0 built, checked or up to date; 1 invalid input (bad data\n"
	"or layout, a required file missing or not a regular file); 2 usage\n"
	"error (also: an output that is an input); 3 I/O error or out of\n"
	"memory; 4 internal error. See brief(1).\n";

enum {
	OPT_CHARTS = 256,
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
	const char *env = getenv("BRIEF_FONTS");
	ssize_t n;

	if (given)
		return given;
	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", buf, size - 16);
	if (n > 0) {
		char *slash;

		buf[n] = '\0';
		slash = strrchr(buf, '/');
		if (slash) {
			strcpy(slash, "/fonts");
			if (exists_dir(buf))
				return buf;
		}
	}
	return BRIEF_FONTDIR;
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
	static const char *const exts[] = {"png", "svg"};
	char path[4096];
	enum brief_status st;
	size_t i, k;

	st = outfile_check_not_input(out, err);
	for (i = 0; charts && st == BRIEF_OK && i < d->nblocks; i++) {
		const struct doc_block *b = &d->blocks[i];

		if (b->kind != BLK_CHART || !b->chart)
			continue;
		for (k = 0; k < 2 && st == BRIEF_OK; k++) {
			chart_path(charts, b->chart, exts[k], path, sizeof path);
			st = outfile_check_not_input(path, err);
		}
	}
	return st;
}

/* One chart file, replaced atomically: cairo writes it through the path
 * outfile gives, and only a complete file is renamed into place. */
static enum brief_status export_chart_file(struct chart *c,
					   const struct fontset *fs,
					   const char *path, bool png,
					   struct diag *err)
{
	struct outfile *f;
	const char *wpath;
	enum brief_status st;

	st = outfile_begin(path, &f, err);
	if (st != BRIEF_OK)
		return st;
	wpath = outfile_write_path(f);
	st = png ? chart_export_png(c, fs, 483, wpath, 2, err)
		 : chart_export_svg(c, fs, 483, wpath, err);
	if (st != BRIEF_OK) {
		/* Name the file the user asked for, not the temporary. */
		if (strcmp(err->file, wpath) == 0)
			snprintf(err->file, sizeof err->file, "%s", path);
		outfile_abort(f);
		return st;
	}
	return outfile_commit(f, err);
}

static enum brief_status export_charts(const struct doc *d,
				       const struct fontset *fs,
				       const char *dir,
				       struct build_effects *fx,
				       struct diag *err)
{
	size_t i;
	char path[4096];
	enum brief_status st;

	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return diag_set(err, BRIEF_EIO, dir, 0, 0,
				"cannot create directory: %s", strerror(errno));
	for (i = 0; i < d->nblocks; i++) {
		const struct doc_block *b = &d->blocks[i];

		if (b->kind != BLK_CHART || !b->chart)
			continue;
		chart_path(dir, b->chart, "png", path, sizeof path);
		st = export_chart_file(b->chart, fs, path, true, err);
		if (st != BRIEF_OK)
			return st;
		fx->charts_replaced++;
		chart_path(dir, b->chart, "svg", path, sizeof path);
		st = export_chart_file(b->chart, fs, path, false, err);
		if (st != BRIEF_OK)
			return st;
		fx->charts_replaced++;
	}
	return BRIEF_OK;
}

/* The PDF is written to its temporary file first and put in place last,
 * after the charts: a failure anywhere leaves the previous report. */
static enum brief_status write_outputs(const struct doc *d,
				       const struct fontset *fs,
				       const struct options *o,
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
		st = export_charts(d, fs, o->charts, fx, err);
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

static enum brief_status build_one(const char *layout,
				   const struct options *o,
				   const struct fontset *fs,
				   const char *fontdir, long long epoch,
				   struct diag_sink *sink,
				   struct build_effects *fx, struct diag *err)
{
	struct layout_opts lo = {o->data, false};
	struct typeset_opts to;
	struct doc *d = NULL;
	unsigned char *pdf = NULL;
	size_t len = 0;
	char outbuf[4096], hex[65];
	const char *out = o->output;
	enum brief_status st;
	double t = now_ms();

	memset(&to, 0, sizeof to);
	to.pdfa = o->pdfa != 0;
	to.icc_path = "/usr/share/color/icc/sRGB.icc";
	to.epoch = epoch;
	to.version = "brief " BRIEF_VERSION;

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
	if (!out) {
		snprintf(outbuf, sizeof outbuf, "reports/%s.pdf",
			 d->layout_name);
		out = outbuf;
		if (!exists_dir("reports") && mkdir("reports", 0777) != 0 &&
		    errno != EEXIST) {
			st = diag_set(err, BRIEF_EIO, "reports", 0, 0,
				      "cannot create directory: %s",
				      strerror(errno));
			goto out;
		}
	}
	if (o->if_changed && outfile_has_hash(out, hex)) {
		if (!o->quiet)
			printf("brief: %s is up to date\n", out);
		st = BRIEF_OK;
		goto out;
	}
	st = typeset_pdf(d, fs, &to, &pdf, &len, err);
	if (st != BRIEF_OK)
		goto out;
	stage_time(o, "typeset", &t);
	st = write_outputs(d, fs, o, out, pdf, len, fx, &t, err);
	if (st != BRIEF_OK)
		goto out;
	stage_time(o, "write", &t);
	if (!o->quiet)
		printf("brief: wrote %s (%zu bytes)\n", out, len);
out:
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
	enum brief_status st, worst = BRIEF_OK;
	double t = now_ms();
	long long epoch = source_date_epoch();
	int i;

	if (argc < 1)
		return usage_error("%s", "build needs a LAYOUT");
	if (o->output && argc > 1)
		return usage_error("%s", "-o takes one LAYOUT only");
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
		struct build_effects fx = {0, false};

		memset(&err, 0, sizeof err);
		st = build_one(argv[i], o, fs, fontdir, epoch, &sink, &fx,
			       &err);
		if (st != BRIEF_OK) {
			if (err.msg[0])
				diag_print(stderr, &err, DIAG_ERROR);
			report_not_built(argv[i], st, &fx, o);
			if (brief_exit_code(st) > brief_exit_code(worst))
				worst = st;
		}
	}
	fontset_free(fs);
	return brief_exit_code(worst);
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
	size_t rows = 0;
	int i;

	memset(&err, 0, sizeof err);
	if (argc == 0) {
		const char *dir = o->data ? o->data : "datasets";

		st = check_dirs(dir, o->archive, &err);
		if (st == BRIEF_OK)
			st = data_check_dir(dir, o->archive, &sink, &rows, &err);
		print_unreported(st, &err, &sink, 0);
		if (st == BRIEF_OK && !o->quiet)
			printf("brief: %s: %zu rows in 6 files, no errors%s\n",
			       dir, rows,
			       o->archive ? "; every stated_as found in its "
					    "archived source"
					  : "");
		return brief_exit_code(st);
	}
	for (i = 0; i < argc; i++) {
		struct layout_opts lo = {o->data, true};
		struct doc *d = NULL;
		enum brief_status s;
		unsigned before = sink.warnings, warnings;
		unsigned errors_before = sink.errors;

		memset(&err, 0, sizeof err);
		s = layout_load(argv[i], &lo, &d, &sink, &err);
		print_unreported(s, &err, &sink, errors_before);
		/* The sink counts for the whole run; report this layout's. */
		warnings = sink.warnings - before;
		if (s == BRIEF_OK && !o->quiet)
			printf("brief: %s: ok (%u warning%s)\n", argv[i],
			       warnings, warnings == 1 ? "" : "s");
		if (brief_exit_code(s) > brief_exit_code(st))
			st = s;
		doc_free(d);
	}
	return brief_exit_code(st);
}

/* Everything but the cleanup of the record of inputs (infile.h). */
static int run(int argc, char **argv)

{
	struct options o;
	const char *cmd;
	int c;

	memset(&o, 0, sizeof o);
	if (argc < 2)
		return usage_error("%s", "missing command (build or check)");
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("brief %s\n", BRIEF_VERSION);
		return 0;
	}
	if (strcmp(cmd, "build") != 0 && strcmp(cmd, "check") != 0)
		return usage_error("unknown command '%s'", cmd);
	optind = 2;
	while ((c = getopt_long(argc, argv, "o:d:qv", long_opts, NULL)) != -1) {
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
		case OPT_HELP:
			fputs(usage_text, stdout);
			return 0;
		case OPT_VERSION:
			printf("brief %s\n", BRIEF_VERSION);
			return 0;
		default:
			fprintf(stderr, "Try 'brief --help'.\n");
			return 2;
		}
	}
	if (strcmp(cmd, "check") == 0) {
		if (o.output || o.charts || o.dump || o.if_changed || o.pdfa)
			return usage_error("%s",
					   "check takes --data, --archive, -q");
		return cmd_check(argc - optind, argv + optind, &o);
	}
	if (o.archive)
		return usage_error("%s", "--archive goes with check");
	return cmd_build(argc - optind, argv + optind, &o);
}

int main(int argc, char **argv)
{
	int rc = run(argc, argv);

	infile_forget();
	return rc;
}
