/* chart_map.c — a map as a chart type: the chart is a shell around a
 * struct map (map.h; chart_new makes it), and the chart calls pass to it;
 * here the calls only maps answer: warnings and the files read. */
#include "chart_impl.h"

#include "map.h"

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
