/* fixtures.h — the chart specs the visual regression test renders (and
 * tools/chart-refs.sh regenerates references for), one per chart type and
 * variant. Data: tests/charts/data (a frozen copy of datasets/),
 * tests/charts/synth (synthetic rows, see make-synth.py) and
 * tests/charts/serrania (a fictional conflict: four sources over 30 years,
 * several claims per quantity, one same-day disagreement). */
#ifndef BRIEF_TEST_CHART_FIXTURES_H
#define BRIEF_TEST_CHART_FIXTURES_H

#include <stdlib.h>
#include <string.h>

#include "chart.h"

#define SERRANIA "tests/charts/serrania"

struct fixture {
	const char *id, *dir, *dataset;
	enum chart_type type;
	const char *filter_col, *filter_vals[4]; /* one filter at most */
	const char *x, *group;
	enum chart_agg agg;
	enum chart_bucket bucket;
	const char *sort;
	bool horizontal, area;
	const char *title, *subtitle, *note, *y_label;
	const char *as_of; /* the briefing's as_of (chart_set_as_of), or NULL */
};

static const struct fixture fixtures[] = {
	{ "bar-sep2023", "tests/charts/data", "casualties", CHART_BAR,
	  "event", { "September 2023 offensive" }, "category", "population",
	  AGG_SUM, BUCKET_NONE, NULL, false, false,
	  "Karabakh Armenian casualties, 19\u201320 September 2023",
	  "By category and population, as reported by the Karabakh Armenian side",
	  NULL, "People", NULL },
	{ "bar-contested", "tests/charts/data", "casualties", CHART_BAR,
	  "category", { "killed" }, "party", NULL, AGG_SUM, BUCKET_NONE,
	  "-value", true, false, "Deaths by party, as reported",
	  "Each claim is shown separately with who makes it",
	  "Figures cover different events and periods.", "People killed",
	  NULL },
	{ "stacked-displacement", "tests/charts/data", "displacement",
	  CHART_STACKED_BAR, NULL, { NULL }, "event", "group", AGG_SUM,
	  BUCKET_NONE, NULL, false, false, "People displaced, by wave and group",
	  NULL, NULL, NULL, NULL },
	{ "line-monthly", "tests/charts/synth", "casualties", CHART_LINE,
	  "category", { "killed" }, "date", "party", AGG_SUM, BUCKET_MONTH,
	  NULL, false, false, "Monthly deaths (synthetic test data)",
	  "Sum of daily rows per month", NULL, "People killed per month",
	  NULL },
	{ "step-control", "tests/charts/synth", "control", CHART_STEP,
	  "reported_by", { "Reporter X" }, "date", "controller", AGG_SUM,
	  BUCKET_NONE, NULL, false, true,
	  "Share of the region held (synthetic test data)", NULL, NULL, NULL,
	  NULL },
	{ "step-lines", "tests/charts/synth", "control", CHART_STEP, NULL,
	  { NULL }, "date", "controller", AGG_SUM, BUCKET_NONE, NULL, false,
	  false, "Share of the region held, step lines (synthetic)", NULL, NULL,
	  NULL, NULL },
	{ "timeline", "tests/charts/data", "events", CHART_TIMELINE, NULL,
	  { NULL }, NULL, "kind", AGG_COUNT, BUCKET_NONE, NULL, false, false,
	  "Key events, 1918\u20132023", NULL, NULL, NULL, NULL },
	{ "serrania-control", SERRANIA, "control", CHART_STEP, NULL, { NULL },
	  "date", "controller", AGG_SUM, BUCKET_NONE, NULL, false, true,
	  "Upper Vell: area held by each controller",
	  "Four sources over 30 years; each figure holds until the next",
	  "Fictional data.", "km\u00b2", "2024-06-30" },
	{ "serrania-control-lines", SERRANIA, "control", CHART_STEP, NULL,
	  { NULL }, "date", "controller", AGG_SUM, BUCKET_NONE, NULL, false,
	  false, "Upper Vell: area held, as step lines", NULL,
	  "Fictional data.", "km\u00b2", "2024-06-30" },
	{ "serrania-displacement", SERRANIA, "displacement", CHART_BAR, NULL,
	  { NULL }, "event", "group", AGG_SUM, BUCKET_NONE, NULL, true, false,
	  "People displaced, by episode and group",
	  "Every claim shown apart, with who makes it", "Fictional data.",
	  NULL, NULL },
	{ "serrania-displacement-v", SERRANIA, "displacement", CHART_BAR, NULL,
	  { NULL }, "event", "group", AGG_SUM, BUCKET_NONE, NULL, false, false,
	  "People displaced, by episode and group (columns)", NULL,
	  "Fictional data.", NULL, NULL },
	{ "serrania-deaths", SERRANIA, "casualties", CHART_BAR, "category",
	  { "killed" }, "party", NULL, AGG_SUM, BUCKET_NONE, "-value", false,
	  false, "Deaths in the northern campaign and after, as claimed", NULL,
	  "Fictional data.", "People killed", NULL },
	{ "serrania-stacked", SERRANIA, "displacement", CHART_STACKED_BAR,
	  "reported_by", { "The Daily Courier" }, "event", "group", AGG_SUM,
	  BUCKET_NONE, NULL, true, false,
	  "Displacement by group, per The Daily Courier", NULL,
	  "Fictional data.", NULL, NULL },
};

#define NFIXTURES (sizeof fixtures / sizeof *fixtures)

static char *fx_dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* A heap spec from a fixture; free with chart_spec_free + free. */
static struct chart_spec *fixture_spec(const struct fixture *f)
{
	struct chart_spec *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->id = fx_dup(f->id);
	s->type = f->type;
	s->dataset = fx_dup(f->dataset);
	if (f->filter_col) {
		size_t n = 0;

		while (n < 4 && f->filter_vals[n])
			n++;
		s->filters = calloc(1, sizeof *s->filters);
		s->filters[0].column = fx_dup(f->filter_col);
		s->filters[0].values = calloc(n, sizeof(char *));
		for (size_t i = 0; i < n; i++)
			s->filters[0].values[i] = fx_dup(f->filter_vals[i]);
		s->filters[0].nvalues = n;
		s->nfilters = 1;
	}
	s->x = fx_dup(f->x);
	s->group = fx_dup(f->group);
	s->agg = f->agg;
	s->bucket = f->bucket;
	s->sort = fx_dup(f->sort);
	s->horizontal = f->horizontal;
	s->area = f->area;
	s->title = fx_dup(f->title);
	s->subtitle = fx_dup(f->subtitle);
	s->note = fx_dup(f->note);
	s->y_label = fx_dup(f->y_label);
	s->file = "fixtures.h";
	s->at.line = 1;
	s->at.col = 1;
	return s;
}

/* The fixture's briefing as_of handed to its chart (after collect). */
static void fixture_as_of(const struct fixture *f, struct chart *c)
{
	struct date d;

	if (f->as_of && date_parse(f->as_of, strlen(f->as_of), &d))
		chart_set_as_of(c, d);
}

#endif
