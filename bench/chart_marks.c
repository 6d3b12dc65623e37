/* chart_marks.c — chart drawing time against the number of marks: line
 * and step charts of N dated marks (four series, two claimants each, so
 * every series is contested), aggregated, finished and drawn onto a
 * cairo surface. Drawing must grow linearly: the time per mark should
 * stay flat as N grows 64-fold. Used by tools/bench.sh; not part of
 * brief. Usage: chart_marks FONTDIR [N...] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chart_impl.h"

static const char *const names[] = { "id", "event", "date_from", "date_to",
				     "party", "category", "population",
				     "value", "value_high", "qualifier",
				     "reported_by", "source", "stated_as",
				     "note" };
#define NCOLS 14

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Feed n marks: day i / 8, series i % 4; the claimant changes with
 * (i / 4) % 2 for lines and bars (two claims per series and position)
 * and with the day for steps (sources taking turns); bars put every
 * eighth mark in a category of its own. */
static int feed(struct chart *c, enum chart_type type, long n)
{
	const char *field[NCOLS];
	long col[NCOLS];
	char date[16];
	static const char *const party[4] = { "A", "B", "C", "D" };
	static const char *const who[2] = { "X", "Y" };
	struct data_row row;
	struct diag err;

	for (int i = 0; i < NCOLS; i++) {
		field[i] = "";
		col[i] = i + 1;
	}
	memset(&row, 0, sizeof row);
	row.kind = DS_CASUALTIES;
	row.file = "bench.csv";
	row.ncols = NCOLS;
	row.names = names;
	row.field = field;
	row.col = col;
	row.raw = "";
	row.id = "r";
	row.source = "src";
	for (long i = 0; i < n; i++) {
		int y, m, d;

		ymd_from_days(days_from_ymd(1900, 1, 1) + i / 8, &y, &m, &d);
		snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
		field[2] = date;
		char cat[32];

		snprintf(cat, sizeof cat, "Party %ld", i / 8);
		field[4] = type == CHART_BAR ? cat : party[i % 4];
		field[6] = party[i % 4];
		field[10] = who[type == CHART_STEP ? (i / 8) % 2 : (i / 4) % 2];
		field[11] = "src";
		row.reported_by = field[10];
		row.value = (double)(i % 97);
		row.qualifier = i % 13 ? QUAL_EXACT : QUAL_AT_LEAST;
		date_parse(date, strlen(date), &row.date);
		if (chart_feed(c, &row, &err) != BRIEF_OK) {
			diag_print(stderr, &err, DIAG_ERROR);
			return -1;
		}
	}
	return 0;
}

/* Seconds to finish and draw a chart of n marks (best of three). */
static double run(const struct fontset *fs, enum chart_type type, long n)
{
	double best = 1e30;

	for (int rep = 0; rep < 3; rep++) {
		struct chart_spec s;
		struct chart *c = NULL;
		struct diag err;
		cairo_surface_t *surf =
			cairo_recording_surface_create(CAIRO_CONTENT_COLOR, NULL);
		cairo_t *cr = cairo_create(surf);
		struct canvas cv = { cr, fs, &canvas_cairo_ops, NULL, 483, 290 };
		double t0, t1;

		cv.impl = &cv;
		memset(&s, 0, sizeof s);
		s.id = (char *)"bench";
		s.type = type;
		s.dataset = (char *)"casualties";
		s.x = (char *)(type == CHART_BAR ? "party" : "date");
		s.group = (char *)(type == CHART_BAR ? "population" : "party");
		s.horizontal = type == CHART_BAR;
		s.file = "bench";
		if (chart_new(&s, NULL, NULL, &c, &err) != BRIEF_OK ||
		    feed(c, type, n) != 0)
			exit(1);
		t0 = now();
		if (chart_finish(c, "bench.csv", &err) != BRIEF_OK ||
		    chart_draw(c, &cv, &err) != BRIEF_OK) {
			diag_print(stderr, &err, DIAG_ERROR);
			exit(1);
		}
		t1 = now();
		if (t1 - t0 < best)
			best = t1 - t0;
		chart_free(c);
		cairo_destroy(cr);
		cairo_surface_destroy(surf);
	}
	return best;
}

int main(int argc, char **argv)
{
	static const long dflt[] = { 1000, 4000, 16000, 64000 };
	struct fontset *fs = NULL;
	struct diag err;
	static const long bars[] = { 25, 50, 100, 200, 400 };
	static const struct {
		enum chart_type type;
		const char *name;
	} kinds[] = { { CHART_LINE, "line" }, { CHART_STEP, "step" },
		      { CHART_BAR, "bar" } };

	if (argc < 2 || fontset_open(argv[1], &fs, &err) != BRIEF_OK) {
		fprintf(stderr, "usage: chart_marks FONTDIR [N...]\n");
		return 2;
	}
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		double first = 0;
		bool bar = kinds[k].type == CHART_BAR;
		int nn = argc > 2 ? argc - 2 : bar ? 5 : 4;

		for (int i = 0; i < nn; i++) {
			long n = argc > 2 ? atol(argv[i + 2]) : bar ? bars[i] : dflt[i];
			double t, per;

			if (n < 1 || (bar && n > 400))
				continue; /* a bar chart refuses more than 400 */
			t = run(fs, kinds[k].type, n);
			per = t / (double)n * 1e9;
			if (first == 0)
				first = per;

			printf("    %-5s %7ld marks %9.1f ms %8.0f ns/mark  x%.2f\n",
			       kinds[k].name, n, t * 1000, per, per / first);
		}
	}
	fontset_free(fs);
	return 0;
}
