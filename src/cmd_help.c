/* cmd_help.c — the help text of every command, in one table, and
 * `brief help`. brief(1) says the same at length. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct command_help {
	const char *name;
	const char *usage;   /* the synopsis line(s) after "usage: " */
	const char *summary; /* one line, for the overview */
	const char *about;   /* what it does */
	const char *options; /* its options, one a line */
};

static const struct command_help commands[] = {
	{"build", "brief build [options] LAYOUT...",
	 "lay out each LAYOUT and write its briefing PDF",
	 "Lay out each LAYOUT against its datasets and write the PDF, replacing\n"
	 "any previous one atomically; beside it, NAME.inputs.tar.gz records the\n"
	 "datasets read, for `brief diff`. With several layouts, a closing line\n"
	 "counts them: \"3 built, 2 up to date, 1 failed\".\n",
	 "  -o, --output FILE   write the PDF here (one LAYOUT only);\n"
	 "                      default reports/<layout-name>.pdf\n"
	 "  -d, --data DIR      datasets directory (overrides the layout's `data`)\n"
	 "      --charts DIR    also export every chart as DIR/<id>.png, .svg, .pdf\n"
	 "                      and .txt (its alt text); see docs/charts.md\n"
	 "      --chart-scale N PNG pixels per point, 0.5 to 8 (default 2: 144 dpi)\n"
	 "      --chart-background white|transparent\n"
	 "                      the exports' background (default white)\n"
	 "      --dump          print the laid-out pages as text instead of a PDF\n"
	 "      --if-changed    skip a layout whose inputs hash to the value\n"
	 "                      recorded in its existing PDF (chart files that\n"
	 "                      are missing or outdated are still written)\n"
	 "      --pdfa          write PDF/A-1b (for archiving)\n"
	 "      --fonts DIR     fonts directory (default: see brief(1))\n"
	 "  -q, --quiet         print errors only (wins over -v)\n"
	 "  -v, --verbose       print per-stage timings\n"},
	{"check", "brief check [--data DIR] [--archive DIR] [--pdfa] [--fonts DIR] [-q] [LAYOUT...]",
	 "validate the datasets, or layouts against their data",
	 "Without LAYOUT, validate every dataset in the data directory and print\n"
	 "each problem as file:line:col. With LAYOUT, do everything build does\n"
	 "but write the file: validate the layout against its data, typeset the\n"
	 "whole briefing in memory (so check passes exactly when build would)\n"
	 "and warn about uncited numbers.\n",
	 "  -d, --data DIR      datasets directory (default: datasets; with\n"
	 "                      LAYOUT, overrides the layout's `data`)\n"
	 "      --archive DIR   verify each stated_as against DIR/<archive>; data\n"
	 "                      made by brief import is recomputed from its export\n"
	 "      --pdfa          also check the PDF/A-1 limits (as build --pdfa)\n"
	 "      --fonts DIR     fonts directory (as for build)\n"
	 "  -q, --quiet         print errors only\n"},
	{"import", "brief import FORMAT FILE... --into DIR [--map MAP.yaml] [--name LABEL]",
	 "read ACLED, UCDP GED, IDMC or HXL exports into datasets",
	 "Read exports (FORMAT acled, ucdp-ged, idmc or hxl) through a mapping\n"
	 "into brief's datasets in DIR, with a sources.csv row per file (SHA-256,\n"
	 "rows, filters). With check --archive, imported datasets are recomputed\n"
	 "from their archived exports.\n",
	 "      --into DIR      output directory (created; files an earlier import\n"
	 "                      wrote are replaced, any other dataset refused)\n"
	 "      --map FILE      a mapping of your own (copy one from mappings/)\n"
	 "      --accessed DATE the export's download date (default: file date)\n"
	 "      --name LABEL    write beside curated data in DIR, under labelled\n"
	 "                      names: casualties-LABEL.csv, sources-LABEL.csv,\n"
	 "                      import-LABEL.yaml (layouts use the dataset's name)\n"
	 "  -q, --quiet         print errors only\n"},
	{"init", "brief init [--force] DIR",
	 "create a new briefing project in DIR",
	 "Create DIR with the six datasets (header, HXL row and example rows,\n"
	 "all marked as example data), a layout that uses every kind of block,\n"
	 "a .gitignore, and a schedule/ directory with cron and systemd examples\n"
	 "that work in DIR as created. Then: cd DIR && brief check && brief build\n"
	 "layouts/briefing.md.\n",
	 "      --force         also use a DIR that is not empty (existing files\n"
	 "                      are kept, never overwritten)\n"
	 "      --templates DIR project templates (default: see brief(1))\n"
	 "  -q, --quiet         print errors only\n"},
	{"diff", "brief diff [--json] OLD [NEW]",
	 "what changed between two data directories or editions",
	 "Compare two versions of the datasets: rows added, removed and changed\n"
	 "(by id) in each file, figures whose worded value changed, and contested\n"
	 "quantities that are new or resolved. OLD and NEW are each a data\n"
	 "directory, a report (reports/NAME.pdf: the inputs recorded beside it\n"
	 "by the build that wrote it), a record (NAME.inputs.tar.gz) or a layout\n"
	 "(its data directory). Without NEW, a report is compared with the data\n"
	 "directory it was built from, as it is now.\n",
	 "      --json          machine-readable output (schema: docs/diff.md)\n"
	 "  -q, --quiet         print only the summary line\n"},
	{"watch", "brief watch [build options] LAYOUT",
	 "rebuild a briefing whenever its layout or data change",
	 "Build LAYOUT, then rebuild it whenever the layout or a file in its data\n"
	 "directory changes (bursts of changes, and editors that save by\n"
	 "renaming, give one rebuild). Diagnostics are printed as by build; a\n"
	 "failed build keeps the last good PDF. Stop with Ctrl-C.\n",
	 "  those of build, for one LAYOUT: -o, -d, --charts, --pdfa, --fonts,\n"
	 "  -q, -v\n"},
	{"help", "brief help [COMMAND]", "show what a command does and its options",
	 "Print the overview, or COMMAND's help (the same as brief COMMAND\n"
	 "--help).\n",
	 NULL},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const char exit_text[] =
	"Exit status: 0 done (built, checked, up to date); 1 invalid data or\n"
	"layout; 2 usage error; 3 I/O error or out of memory; 4 internal error.\n";

static const struct command_help *find(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

bool cli_is_command(const char *name)
{
	return find(name) != NULL;
}

static void overview(FILE *out)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "%s %s\n", i ? "      " : "usage:",
			commands[i].usage);
	fputs("       brief --help | --version\n"
	      "\n"
	      "Turn conflict datasets (CSV) and a layout (Markdown + YAML) into a\n"
	      "cited briefing PDF.\n"
	      "\n"
	      "commands:\n",
	      out);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-7s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out, "\nbuild options:\n%s", commands[0].options);
	fputs("\nRun 'brief help COMMAND' or 'brief COMMAND --help' for the "
	      "others' options,\n'man brief' for everything.\n\n",
	      out);
	fputs(exit_text, out);
}

bool cli_help(FILE *out, const char *command)
{
	const struct command_help *c;

	if (!command) {
		overview(out);
		return true;
	}
	c = find(command);
	if (!c)
		return false;
	fprintf(out, "usage: %s\n\n%s", c->usage, c->about);
	if (c->options)
		fprintf(out, "\noptions:\n%s", c->options);
	fprintf(out, "\n%s", exit_text);
	return true;
}

int cmd_help(int argc, char **argv)
{
	if (argc > 2)
		return cli_usage_error("help", "help takes one COMMAND");
	if (argc == 2 && !cli_help(stdout, argv[1]))
		return cli_usage_error(NULL, "no command '%s'", argv[1]);
	if (argc < 2)
		cli_help(stdout, NULL);
	return 0;
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "brief: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (command)
		fprintf(stderr, "\nTry 'brief help %s'.\n", command);
	else
		fprintf(stderr, "\nTry 'brief --help'.\n");
	return 2;
}
