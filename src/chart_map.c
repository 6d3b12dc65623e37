/* chart_map.c — a map as a chart type: the chart is a shell around a
 * struct map (map.h), and chart.c passes each call to it. */
#include "chart_impl.h"

#include <stdlib.h>

#include "map.h"

enum brief_status chart_map_new(const struct chart_spec *spec,
				const struct sources *sources,
				struct palette *palette, struct chart **out,
				struct diag *err)
{
	struct chart *c = calloc(1, sizeof *c);
	enum brief_status st;

	*out = NULL;
	if (!c)
		return diag_set(err, BRIEF_ENOMEM, spec->file, spec->at.line,
				spec->at.col, "out of memory");
	c->spec = spec;
	c->sources = sources;
	c->palette = palette;
	st = map_new(spec, sources, palette, &c->map, err);
	if (st) {
		chart_free(c);
		return st;
	}
	*out = c;
	return BRIEF_OK;
}

const struct diag *chart_warnings(const struct chart *c, size_t *n)
{
	*n = 0;
	return c->map ? map_warnings(c->map, n) : NULL;
}

size_t chart_nfiles(const struct chart *c)
{
	return c->map ? map_nfiles(c->map) : 0;
}

const char *chart_file(const struct chart *c, size_t i)
{
	return c->map ? map_file(c->map, i) : NULL;
}
